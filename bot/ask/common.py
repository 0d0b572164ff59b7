"""What every /ask answer shares: the line saying how the question was read, suggestions, notes and limits."""

from __future__ import annotations

import re
from typing import Any

from bot.ask.reading import Intent, Question
from bot.ask.statements import Statement
from bot.ask.vocabulary import SECTOR_KINDS, SECTOR_NAME_ENDINGS, SECTOR_NAME_WORDS
from bot.context import Context
from bot.list_dates import LABEL as LISTS_LABEL
from bot.list_dates import ages_now, lists_fact, lists_touched
from bot.reply import Action, Citations, Fact, Line, Reply, Section
from knowledge.authorities import AUTHORITIES
from knowledge.base import KnowledgeBase
from knowledge.countries import country_code, country_name
from knowledge.models import Entity, EntityKind

__all__ = [
    "ABSENCE_NOTE",
    "ALLEGATION_NOTE",
    "COMMAND",
    "MAX_ITEMS",
    "SHOWN",
    "SUGGESTIONS",
    "ask_reply",
    "entity_json",
    "kinds_label",
    "statement_line",
    "suggest",
    "understood",
    "with_freshness",
    "with_suggestions",
]

COMMAND = "ask"
# Lines a list answer shows before "and N more"; the platforms cut further to their own limits.
SHOWN = 25
SUGGESTIONS = 3
# Questions that search the lists over a period: their answer draws on every list searched, even one that held none.
_SEARCHES = (Intent.DESIGNATIONS, Intent.DELISTINGS, Intent.CHANGES)
# Designations a list answer carries in its JSON items; the title says how many there are in all.
MAX_ITEMS = 200
ALLEGATION_NOTE = "These are allegations by the named governments and agencies, not established facts."
ABSENCE_NOTE = "Absence here is not proof: the data says only what its sources say."


def kinds_label(kinds: list[EntityKind]) -> str:
    return " or ".join(k.value for k in kinds)


def sector_filters(question: Question) -> dict[str, tuple]:
    """The sectors asked about as KnowledgeBase.designations_where's filters: the words an entity's name must hold
    ("banks": bank, banco, banque...), or end a word of (Sberbank), or else the kinds it may be ("government bodies": a
    government body, whatever its name)."""
    sectors = question.sectors
    return {
        "name_words": tuple(word for sector in sectors for word in SECTOR_NAME_WORDS[sector]),
        "name_endings": tuple(ending for sector in sectors for ending in SECTOR_NAME_ENDINGS[sector]),
        "name_kinds": tuple(kind for sector in sectors for kind in SECTOR_KINDS[sector]),
    }


def in_sectors(kb: KnowledgeBase, entity_id: str, question: Question) -> bool:
    """Whether an entity is of the sectors asked about (sector_filters); any is, if none."""
    if not question.sectors:
        return True
    filters = sector_filters(question)
    return kb.names_hold(
        entity_id, frozenset(filters["name_words"]), filters["name_endings"], frozenset(filters["name_kinds"])
    )


# A nationality as OFAC's remarks state it, each its own item ("nationality Finland; alt. nationality Russia"): the
# words after it must name a country ("nationality is lacking", "citizen Lab researchers" do not).
_NATIONALITY_STATED = re.compile(r"(?:^|;\s*)((?:alt\. )?(?:nationality|citizen)) ([^;]+?)\.?(?=;|$)", re.IGNORECASE)


def nationalities_stated(remarks: str | None) -> list[tuple[str, str]]:
    """The nationalities and citizenships a record's remarks state, each as written and as a country code."""
    return [
        (f"{said} {named}", code)
        for said, named in _NATIONALITY_STATED.findall(remarks or "")
        if (code := country_code(named))
    ]


def _country_unconfirmed(question: Question, kb: KnowledgeBase) -> list[str]:
    """For each entity named, where its records do not bear out the country the question gives it ("Central
    Republic Bank of Kyrgyzstan": no country stated), said beside the country, so that an answer about the entity is
    never read as the data placing it there."""
    wanted = {c.upper() for c in question.countries}
    notes = []
    for entity_id in question.entities:
        entity = kb.entity(entity_id)
        # The card's countries, and every nationality a record's remarks state (OFAC's "alt. citizen Cyprus").
        stated = set(entity.stated_countries) | {
            code for ref in entity.records for _, code in nationalities_stated(ref.remarks)
        }
        if not stated:
            notes.append(f"no country stated for {entity.caption} in its records")
        elif stated.isdisjoint(wanted):
            places = ", ".join(sorted(country_name(c) or c for c in stated))
            notes.append(f"{entity.caption}'s records state {places}, not that country")
    return notes


def understood(question: Question, kb: KnowledgeBase) -> Fact:
    """What was read, shown on every answer: the names found (and how), the question, the filters."""
    parts = []
    for mention in question.mentions:
        if mention.entity:
            match = mention.match
            said = f"“{mention.text}”" if mention.text else "(no name given)"
            parts.append(f"{said} = {kb.entity(mention.entity).caption} ({match.how}, {match.score:.2f})")
        else:
            parts.append(f"“{mention.text}” (several entities have this name)")
    parts.append(f"asked: {question.intent.value}")
    if question.claimants:
        said = [f"“{words}” = " + "; ".join(kb.entity(e).caption for e in ids) for words, ids in question.claimants]
        parts.append("said by " + ", ".join(said))
    if question.authorities:
        joined = " and " if question.combine == "all" else ", "
        parts.append(
            ("only by " if question.combine == "only" else "by ")
            + joined.join(AUTHORITIES[a].label for a in question.authorities)
        )
    if question.excluded:
        parts.append("not by " + ", ".join(AUTHORITIES[a].label for a in question.excluded))
    if question.lists:
        parts.append("list " + ", ".join(question.lists))
    if question.count:
        parts.append("a count")
    if question.regimes:
        parts.append("regime " + ", ".join(question.regimes))
    if question.countries:
        parts.append("country " + ", ".join(country_name(c) or c for c in question.countries))
        parts.extend(_country_unconfirmed(question, kb))
    if question.kinds:
        parts.append("kind " + kinds_label(question.kinds))
    if question.sectors:
        parts.append("sector " + ", ".join(question.sectors) + " (by the names)")
    if question.period:
        parts.append(f"period {question.period.describe()} (“{question.period.label.strip()}”)")
    return Fact(label="Understood", value=" · ".join(parts))


def suggest(kb: KnowledgeBase, entity: Entity, *, skip: Intent | None = None) -> list[str]:
    """Questions about the entity that the data can answer, the asked kind left out."""
    name = entity.caption
    options = []
    if kb.sanctions_of(entity.id):
        options.append((Intent.SANCTIONS, f"who sanctioned {name} and why?"))
    if kb.allegations_of(entity.id):
        options.append((Intent.ACCUSED, f"what is {name} accused of?"))
    if kb.links_of(entity.id):
        options.append((Intent.LINKED, f"what is {name} linked to?"))
    options.append((Intent.PROFILE, f"who is {name}?"))
    return [text for intent, text in options if intent is not skip][:SUGGESTIONS]


def with_suggestions(reply: Reply, suggestions: list[str]) -> Reply:
    """Rephrasings that work: a section the console prints as commands, and actions the chat apps show as buttons."""
    if not suggestions:
        return reply
    commands = [f"/ask {s}" for s in suggestions]
    section = Section(title="Try asking", lines=[Line(text=c, command=c) for c in commands])
    actions = [Action(label=s[:75], command=c) for s, c in zip(suggestions, commands, strict=True)]
    return reply.model_copy(update={"sections": [*reply.sections, section], "actions": [*reply.actions, *actions]})


def entity_json(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.caption, "kind": entity.kind.value}


def ask_reply(question: Question, context: Context, **fields: Any) -> Reply:
    """An /ask reply that starts with what was understood."""
    facts = [understood(question, context.kb), *fields.pop("facts", [])]
    return Reply(command=COMMAND, query=question.text, facts=facts, **fields)


def with_freshness(reply: Reply, question: Question, context: Context) -> Reply:
    """The answer with the freshness line of cards and /sanctions, naming only the lists it drew on: those it cites,
    and for a search over a period, those searched. A card already carries its own."""
    if any(f.label == LISTS_LABEL for f in reply.facts):
        return reply
    used = {c.id for c in reply.citations}
    if question.intent in _SEARCHES:
        searched = lists_touched(question.authorities, question.regimes)
        used |= {n for n in searched if not question.lists or n.startswith(tuple(question.lists))}
    fact = lists_fact(ages_now(context), used)
    return reply if fact is None else reply.model_copy(update={"facts": [*reply.facts, fact]})


def statement_line(statement: Statement, cite: Citations, kb: KnowledgeBase) -> Line:
    when = f", {statement.date.isoformat()}" if statement.date else ""
    about = kb.entity(statement.subject).caption
    if statement.origin == "allegation":
        text = f"{statement.text} ({statement.by}{when})"
    elif statement.origin == "stated reason":
        text = f"{statement.by} gave as its reason for sanctioning {about}: “{statement.text}” ({statement.by}{when})"
    else:
        text = f"{about}: {statement.text} (the curated summary, written from the cited documents)"
    return Line(text=text, sources=cite.cite(statement.source, *statement.more_sources))
