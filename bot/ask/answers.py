"""Answers to each kind of question, from the knowledge base only: every line sourced, allegations as allegations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict

from bot.ask.common import (
    ABSENCE_NOTE,
    ALLEGATION_NOTE,
    COMMAND,
    SHOWN,
    SUGGESTIONS,
    ask_reply,
    entity_json,
    kinds_label,
    statement_line,
    suggest,
    understood,
    with_suggestions,
)
from bot.ask.editions import removed_text
from bot.ask.listings import changes, coverage_lines, delistings, designations, events
from bot.ask.one_subject import one_subject
from bot.ask.reading import Intent, Question, is_body, references, says
from bot.ask.statements import Statement, search_statements, stems_of, summary_statement
from bot.ask.vocabulary import QUESTION_WORDS, stem
from bot.cards import (
    POSSIBLY_SAME_TITLE,
    allegation_line,
    entity_card,
    listed_date,
    match_candidate,
    possibly_same_lines,
    related_lines,
    same_subject_note,
    sanction_text,
    sanctions_summary,
)
from bot.context import Context
from bot.coverage import no_sanction_note, sanctions_only
from bot.errors import UsageError
from bot.list_dates import ages_now
from bot.reply import Candidate, Citations, Fact, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, designation_label
from knowledge.base import KnowledgeBase, Link
from knowledge.countries import country_name
from knowledge.lists.catalogue import is_snapshot_source
from knowledge.models import Entity, EntityKind, Name, NameType, Predicate, Sanction, SourceKind
from knowledge.names.lookup import GENERIC_WORDS, LookupStatus, Match
from knowledge.names.normalise import normalise
from knowledge.references import reference

__all__ = ["answer"]

# A "no" names other cards the authority sanctions whose names hold the asked one's distinctive words (of this many
# letters at least: shorter ones are too common), at most this many.
NAMESAKE_WORD = 4
MAX_NAMESAKES = 3
# Where the counted phrase ends: "how many governments were targeted" counts governments.
_COUNT_ENDS = frozenset(
    "is are was were did does do has have had can could will would of in on by at for with from to that".split()
)
# "how many devices": the count must stand this close before the counted word ("260,000 compromised devices").
COUNT_REACH = 2
_BEHIND_LABELS = {"founded by", "operated by", "part of", "is alleged to be a front for"}
_DOES_LABELS = {"founded", "operates", "includes", "allegedly uses as a front"}
_FOUNDING = re.compile(r"\b(?:co-?)?found(?:ed|er|ers|ing)?\b|\bset (?:it )?up\b|\bestablished\b|\bcreated\b")
_LOCATION = re.compile(r"\b(?:[A-Z][a-z]+-based|based in|headquartered|located|address)\b", re.IGNORECASE)
_WHY = re.compile(r"\b(?:why|reasons?|grounds|for what)\b", re.IGNORECASE)

# --- one entity ---


def _profile(question: Question, context: Context, entity_id: str) -> Reply:
    mention = next(m for m in question.mentions if m.entity == entity_id)
    kb = context.kb
    topic_hits = search_statements(
        kb, question.topic, subjects={entity_id}, mentioning=_names_in_text(kb.entity(entity_id))
    )
    if topic_hits:
        return _facts(question, context, topic_hits, subject=kb.entity(entity_id))
    card = entity_card(kb, entity_id, mention.match, command=COMMAND, query=question.text, ages=ages_now(context))
    return card.model_copy(update={"facts": [understood(question, kb), *card.facts]})


def _written_from(entity: Entity) -> list[str]:
    """The documents a curated entry was written from; the list snapshots joined to it where there are none."""
    return [s for s in entity.sources if not is_snapshot_source(s)] or list(entity.sources)


def _names_in_text(entity: Entity) -> tuple[str, ...]:
    """Names distinctive enough to find the entity inside another entity's statement."""
    names = {entity.caption, *(n.value for n in entity.names if n.type is not NameType.WEAK)}
    return tuple(n for n in names if len(n) >= 5)


def _namesakes(kb: KnowledgeBase, entity: Entity, authorities: set[str], cite: Citations) -> list[Line]:
    """Cards the asked authority sanctions whose names hold every distinctive word of this one's ("Wagner Group"
    and OFAC's PRIVATE MILITARY COMPANY 'WAGNER'): a "no" must not hide a listing the merge could not join."""
    words = [w for w in normalise(entity.caption).tokens if len(w) >= NAMESAKE_WORD and w not in GENERIC_WORDS]
    if entity.kind is EntityKind.PERSON and len(words) < 2:
        words = []  # one word of a person's name ("Jong" of KIM Jong Un) names many others
    # First the cards the merge found may be the same subject (one name as two lists write it), with why.
    lines = possibly_same_lines(entity.id, kb, cite, authorities)
    named = {link.other for link in kb.possibly_same(entity.id)}
    for other_id in sorted(kb.index.holders_of(words) - {entity.id} - named) if words else []:
        other = kb.entity(other_id)
        if (other.kind is EntityKind.PERSON) != (entity.kind is EntityKind.PERSON):
            continue
        theirs = [s for s in kb.sanctions_of(other_id) if s.authority in authorities and s.is_active]
        if not theirs:
            continue
        lines.append(
            Line(
                text=f"{other.caption} ({reference(other)}), whose name also holds “{' '.join(words)}”, is sanctioned "
                f"by {AUTHORITIES[theirs[0].authority].label} ({listed_date(theirs[0])}); nothing in the lists says "
                "whether it is the same entity",
                sources=cite.cite(*{s.list_source or s.source for s in theirs}),
                command=f"/who {reference(other)}",
            )
        )
        if len(lines) >= MAX_NAMESAKES:
            break
    return lines


def _combined_verdict(question: Question, entity: Entity, every: list[Sanction]) -> tuple[str, list[Sanction]] | None:
    """The answer to "is it sanctioned by both A and B?" or "by A but not B?", and the designations it rests on;
    None for a question about any one authority."""
    if not question.yes_no or not (question.combine == "all" or question.excluded):
        return None
    active = {s.authority for s in every if s.is_active}
    asked = [*question.authorities, *question.excluded]
    shown = [s for s in every if s.authority in asked]

    def labels(keys: list[str]) -> str:
        return " and ".join(AUTHORITIES[k].label for k in keys)

    barred = [a for a in question.excluded if a in active]
    missing = [a for a in question.authorities if a not in active]
    if barred:
        return f"No: {entity.caption} is sanctioned by {labels(barred)} as well.", shown
    if missing:
        held = [a for a in question.authorities if a in active]
        by = f"sanctioned by {labels(held)}, but" if held else "not sanctioned by any of them:"
        return f"No: {entity.caption} is {by} the loaded data records no sanction by {labels(missing)}.", shown
    if question.excluded:
        only = f"and not by {labels(question.excluded)} in the loaded data"
        return f"Yes: {entity.caption} is sanctioned by {labels(question.authorities)}, {only}.", shown
    return f"Yes: {entity.caption} is sanctioned by {labels(question.authorities)}, each.", shown


def _sanctions(question: Question, context: Context, entity_id: str, *, also: tuple[str, ...] = ()) -> Reply:
    """Who sanctioned it; `also`: other cards of the same subject, whose designations are its own too."""
    kb = context.kb
    entity = kb.entity(entity_id)
    held = [s for card in (entity_id, *also) for s in sanctions_only(kb.sanctions_of(card))]
    every = sorted(held, key=lambda s: (s.listed_on or dt.date.min, s.authority))
    wanted = set(question.authorities)
    matching = [s for s in every if not wanted or s.authority in wanted]
    cite = Citations(kb)

    def line(sanction: Sanction) -> Line:
        reasons = f" — reasons given: {sanction.reasons}" if sanction.reasons else " — no reason stated in the data"
        removed = removed_text(kb, sanction)
        ended = f" ({removed})" if removed else ""
        return Line(
            text=sanction_text(sanction) + ended + reasons, sources=cite.cite(sanction.source, sanction.list_source)
        )

    by = " by " + " or ".join(AUTHORITIES[a].label for a in question.authorities) if wanted else ""
    sections = []
    if matching:
        # The designation quoted for "is it sanctioned?" is one still in force, the newest (sanctions are kept
        # newest first), never one since delisted.
        in_force = [s for s in matching if s.is_active]
        active = bool(in_force)
        # One mention per authority and date: OFAC's programmes of one record are one undated listing.
        dated = " and ".join(
            dict.fromkeys(
                f"{designation_label(s)} ({listed_date(s)}{'' if s.is_active else ', delisted'})" for s in matching
            )
        )
        if wanted and question.yes_no:
            title = (
                f"Yes: {entity.caption} is sanctioned by {designation_label(in_force[0])}: designated "
                f"{listed_date(in_force[0])}."
                if active
                else f"{entity.caption} was sanctioned{by}, and delisted."
            )
        else:
            count = len({s.authority for s in matching})
            dated = f"{count} authorities: {dated}" if count > 1 else dated
            title = (
                f"{entity.caption} is sanctioned by {dated}."
                if active
                else f"{entity.caption} was sanctioned by {dated}."
            )
        subtitle = None
        sections.append(Section(title="Sanctions", lines=[line(s) for s in matching]))
    else:
        title = f"The loaded data records no sanction of {entity.caption}{by}."
        coverage = coverage_lines(kb, question.authorities, cite)
        if coverage:
            # No list of that authority is loaded: "no sanction recorded" would read as "not sanctioned".
            title = f"{title[:-1]}: {coverage[0].text}"
        subtitle = "It records these by others:" if every else "It records no sanction of it at all. " + ABSENCE_NOTE
        coverage, controls = no_sanction_note(kb, entity_id, cite, question.authorities)
        subtitle = f"{coverage} {subtitle}" if coverage else subtitle
        if every:
            sections.append(Section(title="Sanctions", lines=[line(s) for s in every]))
        # Asked of one authority, or of any where the card holds no sanction at all ("is APT38 sanctioned?": OFAC
        # lists it as an a.k.a. of BLUENOROFF, a card of its own).
        namesakes = _namesakes(kb, entity, wanted or set(AUTHORITIES), cite) if wanted or not every else []
        if namesakes:
            sections.append(Section(title=POSSIBLY_SAME_TITLE, lines=namesakes))
        if not every and entity.kind in (EntityKind.THREAT_ACTOR, EntityKind.OPERATION):
            # A group's name is rarely designated; the companies and people sanctioned over it are (Salt Typhoon:
            # Sichuan Juxinhe, OFAC 2025-01-17): a bare no would hide them.
            linked = [line for other, line in related_lines(entity_id, kb, cite)[0] if kb.sanctions_of(other)]
            if linked:
                sections.append(Section(title="Sanctioned entities linked to it", lines=linked))
        sections += controls
    verdict = _combined_verdict(question, entity, every)
    if verdict is not None:
        # "Both A and B?", "A but not B?": a yes for one authority is no answer to the question asked.
        title, shown = verdict
        subtitle = None
        sections = [Section(title="Sanctions", lines=[line(s) for s in shown])] + [
            s for s in sections if s.title != "Sanctions"
        ]
    if _WHY.search(question.text) and matching:
        sources = {s.source for s in matching}
        claims = [a for a in kb.allegations_of(entity_id) if a.source in sources]
        if claims:
            sections.append(
                Section(
                    title="What the sanctioning authorities allege (their allegations)",
                    lines=[allegation_line(a, cite) for a in claims],
                )
            )
    reply = ask_reply(
        question,
        context,
        status=Status.FOUND if matching else Status.NOT_FOUND,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
        items=[
            {
                "entity": {"id": entity.id, "name": entity.caption},
                "authority": s.authority,
                "regime": s.regime,
                "date": s.listed_on.isoformat() if s.listed_on else None,
                "reasons": s.reasons,
                "source": s.source,
            }
            for s in matching
        ],
    )
    return reply if matching else with_suggestions(reply, suggest(kb, entity, skip=Intent.SANCTIONS))


def _accused(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    allegations = kb.allegations_of(entity_id)
    cite = Citations(kb)
    sections = []
    charges = [
        a
        for a in allegations
        if kb.source(a.source).kind is SourceKind.INDICTMENT or "charged" in a.statement.casefold()
    ]
    shown = charges if question.charges and charges else allegations
    # Whose word is asked for: "what did the DOJ say about i-Soon", or "what has the DOJ accused Wu Haibo of".
    accusers = question.claimant_ids or {e for e in question.entities if e != entity_id}
    by_accuser = [a for a in shown if accusers & set(a.alleged_by_entities)]
    none_by_them = bool(question.claimant_ids) and not by_accuser
    if by_accuser:
        shown = by_accuser
    lines = [allegation_line(a, cite) for a in shown]
    if lines:
        title_of = "Charges" if question.charges and charges else "Allegations"
        sections.append(Section(title=f"{title_of} by others" if none_by_them else title_of, lines=lines))
    reasons = [
        s
        for s in kb.sanctions_of(entity_id)
        if s.reasons and AUTHORITIES.get(s.authority) and AUTHORITIES[s.authority].entity in question.claimant_ids
    ]
    if reasons:
        sections.append(
            Section(
                title="Reasons they gave for sanctioning it",
                lines=[
                    Line(
                        text=(
                            f"{designation_label(s)}, {listed_date(s)}"
                            f"{'' if s.is_active else ', since delisted'}: “{s.reasons}”"
                        ),
                        sources=cite.cite(s.source),
                    )
                    for s in reasons
                ],
            )
        )
    elsewhere = (
        [
            s
            for s in search_statements(kb, [n for n in _names_in_text(entity)], mentioning=_names_in_text(entity))
            if s.subject != entity_id and s.origin == "allegation"
        ]
        if not allegations
        else []
    )
    if elsewhere:
        sections.append(
            Section(title="Named in allegations about others", lines=[statement_line(s, cite, kb) for s in elsewhere])
        )
    who = list(dict.fromkeys(a.alleged_by for a in shown))
    claimed = "; ".join(kb.entity(e).caption for e in sorted(question.claimant_ids))
    if none_by_them:
        title = f"The loaded data records no allegation by {claimed} about {entity.caption}" + (
            "; it records the reasons they gave for sanctioning it." if reasons else "."
        )
        subtitle = ("It records these by others. " + ALLEGATION_NOTE) if lines else ABSENCE_NOTE
        status = Status.FOUND if reasons else Status.NOT_FOUND
    elif question.charges and not charges:
        title = f"The loaded data records no charges against {entity.caption}."
        subtitle = ("It records these allegations: " + ALLEGATION_NOTE) if lines else ABSENCE_NOTE
        status = Status.NOT_FOUND
    elif lines:
        noun = "charge" if question.charges else "allegation"
        plural = "s" if len(lines) != 1 else ""
        title = f"What {entity.caption} is accused of — {len(lines)} {noun}{plural}, by {'; '.join(who)}"
        subtitle = ALLEGATION_NOTE
        status = Status.FOUND
    else:
        title = f"The loaded data records no allegation against {entity.caption}."
        subtitle = (
            ABSENCE_NOTE if not elsewhere else "It is named in these allegations about others; " + ALLEGATION_NOTE
        )
        status = Status.NOT_FOUND
        # No one's allegation, but a designation is an authority's finding: say what the lists state of it, and
        # whom it was designated with, rather than a bare no.
        listed = _designation_lines(kb, entity, cite)
        if listed:
            sections.append(Section(title="What the sanctioning authorities state (designations)", lines=listed))
            subtitle = "It records these designations, each worded as the authority's own. " + ABSENCE_NOTE
    reply = ask_reply(
        question,
        context,
        status=status,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
    )
    return reply if status is Status.FOUND else with_suggestions(reply, suggest(kb, entity, skip=Intent.ACCUSED))


def _designation_lines(kb: KnowledgeBase, entity: Entity, cite: Citations) -> list[Line]:
    """Each designation of the entity, with the reasons its authority gave and those designated in the same action."""
    with_it: dict[str, list[str]] = defaultdict(list)
    for link in kb.links_of(entity.id):
        if link.predicate is Predicate.CO_DESIGNATED:
            with_it[link.source].append(kb.entity(link.other).caption)
    lines = []
    for sanction in kb.sanctions_of(entity.id):
        text = sanction_text(sanction)
        text += f" — reasons given: {sanction.reasons}" if sanction.reasons else " — no reason stated in the data"
        if with_it.get(sanction.source):
            text += f"; designated in the same action as {', '.join(sorted(set(with_it[sanction.source])))}"
        lines.append(Line(text=text, sources=cite.cite(sanction.source, sanction.list_source)))
    return lines


def _link_line(kb: KnowledgeBase, entity: Entity, label: str, links: list[Link], cite: Citations) -> Line:
    other = kb.entity(links[0].other)
    per = ", ".join(f"{kb.source(k.source).by}{' ' + k.date.isoformat() if k.date else ''}" for k in links)
    alleged = " (an allegation)" if "alleged" in label else ""
    return Line(
        text=f"{entity.caption} {label} {other.caption} ({other.kind.value}){alleged} — per {per}",
        sources=cite.cite(*(k.source for k in links)),
        command=f"/who {other.caption}",
    )


def _behind(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    shape = question.text.casefold()
    mention = next(m for m in question.mentions if m.entity == entity_id)
    verb = re.search(r"\b(?:found|operat|run|ran|control|manag|own|behind|lead|head|set|establish|creat)", shape)
    # "What does X operate?" asks what X does; "who operates X?" asks who is behind it.
    subject_first = verb is not None and mention.start < verb.start() and not shape.startswith(("who", "which"))
    labels = _DOES_LABELS if subject_first else _BEHIND_LABELS
    if _FOUNDING.search(shape):
        labels = {"founded"} if subject_first else {"founded by"}
    grouped: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in kb.links_of(entity_id):
        if link.label in labels:
            grouped[(link.other, link.label)].append(link)
    cite = Citations(kb)
    lines = [_link_line(kb, entity, label, links, cite) for (_, label), links in grouped.items()]
    asked = "who founded" if _FOUNDING.search(shape) else "who runs or operates"
    others = sorted({kb.entity(other).caption for other, _ in grouped})
    if lines:
        reply = ask_reply(
            question,
            context,
            status=Status.FOUND,
            title=f"{asked.capitalize()} {entity.caption}: {'; '.join(others)}"
            if not subject_first
            else f"What {entity.caption} founded, runs or operates",
            subtitle="Each line says whose word it is and when.",
            sections=[Section(title="Recorded relations", lines=lines)],
            citations=cite.as_list(),
            entity=entity_json(entity),
        )
        return reply
    related, _ = related_lines(entity_id, kb, cite)
    linked = [line for _, line in related][:SHOWN]
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title=f"The loaded data does not say {asked} {entity.caption}.",
        subtitle="It records these links, none of which says that:" if linked else ABSENCE_NOTE,
        sections=[Section(title="Linked in the data", lines=linked)] if linked else [],
        citations=cite.as_list(),
        entity=entity_json(entity),
    )
    return with_suggestions(reply, suggest(kb, entity, skip=Intent.LINKED))


def _entity_matches(entity: Entity, question: Question) -> bool:
    if question.kinds and entity.kind not in question.kinds:
        return False
    return not question.countries or (entity.country or "") in question.countries


def _linked(question: Question, context: Context, entity_id: str, *, sanctioned_only: bool = False) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    lines, related = related_lines(entity_id, kb, cite)
    kept = [
        (other, line)
        for other, line in lines
        if _entity_matches(kb.entity(other), question) and (not sanctioned_only or kb.sanctions_of(other))
    ]
    wanted = {other for other, _ in kept}
    what = kinds_label(question.kinds) + " entities" if question.kinds else "entities"
    if question.countries:
        what = f"{', '.join(country_name(c) or c for c in question.countries)} {what}"
    if sanctioned_only:
        what = f"sanctioned {what}"
    if not kept:
        reply = ask_reply(
            question,
            context,
            status=Status.NOT_FOUND,
            title=f"The loaded data links no {what} to {entity.caption}.",
            subtitle=("It records no designation tied to it; " if sanctioned_only else "") + ABSENCE_NOTE,
            citations=cite.as_list(),
            entity=entity_json(entity),
        )
        return with_suggestions(reply, suggest(kb, entity, skip=Intent.LINKED))
    cite_used = Citations(kb)
    lines_again, _ = related_lines(entity_id, kb, cite_used)
    shown = [line for other, line in lines_again if other in wanted]
    return ask_reply(
        question,
        context,
        status=Status.FOUND,
        title=f"{what[0].upper() + what[1:]} linked to {entity.caption}: {len(shown)}",
        subtitle="Each line says how they are linked, whose word it is, when, and who sanctioned it.",
        sections=[Section(title="Linked", lines=shown[:SHOWN])],
        citations=cite_used.as_list(),
        entity=entity_json(entity),
        related=[r for r in related if r["id"] in wanted],
    )


def _former_names(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)

    def line(name: Name) -> Line:
        detail = [name.type.value] + [
            d for d in (name.lang, name.used_by and f"used by {name.used_by}", name.note) if d
        ]
        return Line(text=f"{name.value} ({'; '.join(detail)})", sources=cite.cite(name.source))

    former = [n for n in entity.names if n.type is NameType.FORMER]
    others = [n for n in entity.names if n.type is not NameType.FORMER]
    asked_former = re.search(r"\b(?:former\w*|previous\w*|old|used to|renamed|before)\b", question.text.casefold())
    sections = []
    if former:
        sections.append(Section(title="Former names", lines=[line(n) for n in former]))
    if others:
        sections.append(Section(title="Other names", lines=[line(n) for n in others]))
    if asked_former and not former:
        title = f"The loaded data records no former name of {entity.caption}."
        status = Status.NOT_FOUND
    elif former and asked_former:
        title = f"{entity.caption} was formerly {'; '.join(n.value for n in former)}."
        status = Status.FOUND
    else:
        title = f"Names of {entity.caption}: {len(entity.names)}"
        status = Status.FOUND
    return ask_reply(
        question,
        context,
        status=status,
        title=title,
        subtitle="Each name with its type and, where known, the source it was read from.",
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
    )


def _based(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    lines = []
    if entity.country:
        written = _written_from(entity)
        lines.append(
            Line(
                text=f"Country recorded for {entity.caption}: {country_name(entity.country)}",
                sources=cite.cite(*written),
            )
        )
    statements = [
        s for s in search_statements(kb, ["based", "headquartered", "located", "address"], subjects={entity_id})
    ]
    statements += [s for s in _all_statements_of(kb, entity_id) if _LOCATION.search(s.text) and s not in statements]
    lines += [statement_line(s, cite, kb) for s in statements]
    for ref in entity.records:
        for address in ref.addresses:
            lines.append(
                Line(
                    text=f"{kb.source(ref.source).by} {ref.record_id} gives the address: {address}",
                    sources=cite.cite(ref.source),
                )
            )
        if ref.remarks and re.search(r"\b(?:address|located|based)\b", ref.remarks, re.IGNORECASE):
            lines.append(
                Line(
                    text=f"{kb.source(ref.source).by} {ref.record_id}: {ref.remarks[:300]}",
                    sources=cite.cite(ref.source),
                )
            )
    if not lines:
        reply = ask_reply(
            question,
            context,
            status=Status.NOT_FOUND,
            title=f"The loaded data does not say where {entity.caption} is based.",
            subtitle=ABSENCE_NOTE,
            entity=entity_json(entity),
        )
        return with_suggestions(reply, suggest(kb, entity))
    place = country_name(entity.country) if entity.country else "see below"
    return ask_reply(
        question,
        context,
        status=Status.FOUND,
        title=f"Where {entity.caption} is based: {place}",
        sections=[Section(title="What the data says", lines=lines)],
        citations=cite.as_list(),
        entity=entity_json(entity),
    )


def _all_statements_of(kb: KnowledgeBase, entity_id: str) -> list[Statement]:
    entity = kb.entity(entity_id)
    found = [
        Statement(a.statement, a.subject, a.alleged_by, a.date, a.source, "allegation")
        for a in kb.allegations_of(entity_id)
    ]
    if entity.summary and entity.sources:
        found.append(summary_statement(kb, entity))
    return found


def _facts(question: Question, context: Context, statements: list[Statement], *, subject: Entity | None) -> Reply:
    kb = context.kb
    cite = Citations(kb)
    about = f" about {subject.caption}" if subject else ""
    return ask_reply(
        question,
        context,
        status=Status.FOUND,
        title=f"What the sources say{about}: {len(statements)} statement{'s' if len(statements) != 1 else ''}",
        subtitle="Quoted with who says it and when; claims of the named sources, not established facts.",
        sections=[Section(title="Statements", lines=[statement_line(s, cite, kb) for s in statements])],
        citations=cite.as_list(),
        entity=entity_json(subject) if subject else None,
    )


def _counted_words(text: str) -> set[str]:
    """The stems of what a "how many" question counts: "how many compromised devices" -> compromis, devic."""
    match = re.search(r"\b(?:how many|number of)\s+((?:[\w-]+\s*){1,3})", text.casefold())
    if match is None:
        return set()
    words = []
    for word in match.group(1).split():
        if word in _COUNT_ENDS:
            break
        words.append(word)
    return set(stems_of(words))


def _counts(text: str, counted: set[str]) -> bool:
    """Whether the statement states a number of the counted thing, not merely a number somewhere."""
    words = re.findall(r"[\w,.'-]+", text.casefold())
    for i, word in enumerate(words):
        if re.fullmatch(r"\d[\d,.]*", word.rstrip(",.")):
            following = words[i + 1 : i + 2 + COUNT_REACH]
            if any(stem(w.strip(",.")) in counted for w in following):
                return True
    return False


def _fact(question: Question, context: Context, entity_id: str | None) -> Reply:
    kb = context.kb
    subject = kb.entity(entity_id) if entity_id else None
    subjects = None
    if subject:
        subjects = {
            subject.id,
            *(
                link.other
                for link in kb.links_of(subject.id)
                if link.predicate.name not in ("CO_DESIGNATED", "NAMED_WITH")
            ),
        }
    counted = _counted_words(question.text)
    found = search_statements(
        kb,
        sorted(counted) or question.topic,
        subjects=subjects,
        need_number=bool(counted),
        mentioning=_names_in_text(subject) if subject else (),
    )
    if counted:
        found = [s for s in found if _counts(s.text, counted)]
    if found:
        return _facts(question, context, found, subject=subject)
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title="The loaded data has no statement that answers that" + (f" about {subject.caption}." if subject else "."),
        subtitle=ABSENCE_NOTE,
        entity=entity_json(subject) if subject else None,
    )
    return with_suggestions(reply, suggest(kb, subject) if subject else [])


# --- two entities ---


def _common(question: Question, context: Context, first_id: str, second_id: str) -> Reply:
    kb = context.kb
    first, second = kb.entity(first_id), kb.entity(second_id)
    cite = Citations(kb)
    lines = []
    direct: dict[str, list[Link]] = defaultdict(list)
    for link in kb.links_of(first_id):
        if link.other == second_id:
            direct[link.label].append(link)
    lines += [_link_line(kb, first, label, links, cite) for label, links in direct.items()]
    near_first = {link.other: link for link in kb.links_of(first_id)}
    shared: set[str] = set()
    for link in kb.links_of(second_id):
        if link.other in near_first and link.other not in (first_id, second_id) and link.other not in shared:
            shared.add(link.other)
            mine = near_first[link.other]
            other = kb.entity(link.other)
            lines.append(
                Line(
                    text=f"Both are linked to {other.caption}: "
                    f"{first.caption} {mine.label} it (per {kb.source(mine.source).by}); "
                    f"{second.caption} {link.label} it (per {kb.source(link.source).by})",
                    sources=cite.cite(mine.source, link.source),
                    command=f"/who {other.caption}",
                )
            )
    actions = []
    for a in kb.sanctions_of(first_id):
        for b in kb.sanctions_of(second_id):
            # One source, one day, one regime: one action. Two entries a list leaves undated share no known action.
            same = a.listed_on is not None and (a.source, a.listed_on, a.regime) == (b.source, b.listed_on, b.regime)
            if same and (a.source, a.listed_on) not in actions:
                actions.append((a.source, a.listed_on))
                lines.append(
                    Line(
                        text=f"Both designated by {AUTHORITIES[a.authority].label} on {listed_date(a)} in one action",
                        sources=cite.cite(a.source),
                    )
                )
    programmes = {p for s in kb.sanctions_of(first_id) for p in s.programmes} & {
        p for s in kb.sanctions_of(second_id) for p in s.programmes
    }
    for programme in sorted(programmes):
        sources = [
            s.source for s in kb.sanctions_of(first_id) + kb.sanctions_of(second_id) if programme in s.programmes
        ]
        lines.append(Line(text=f"Both designated under the programme {programme}", sources=cite.cite(*sources)))
    shared_authorities = {s.authority for s in kb.sanctions_of(first_id)} & {
        s.authority for s in kb.sanctions_of(second_id)
    }
    for key in sorted(shared_authorities):
        sources = [s.source for s in kb.sanctions_of(first_id) + kb.sanctions_of(second_id) if s.authority == key]
        lines.append(Line(text=f"Both sanctioned by {AUTHORITIES[key].label}", sources=cite.cite(*sources)))
    if first.country and first.country == second.country:
        lines.append(
            Line(
                text=f"Both recorded as in {country_name(first.country)}",
                sources=cite.cite(*_written_from(first), *_written_from(second)),
            )
        )
    seen, unique = set(), []
    for line in lines:
        if line.text not in seen:
            seen.add(line.text)
            unique.append(line)
    if not unique:
        reply = ask_reply(
            question,
            context,
            status=Status.NOT_FOUND,
            title=f"The loaded data records nothing that {first.caption} and {second.caption} have in common.",
            subtitle=ABSENCE_NOTE,
        )
        return with_suggestions(reply, suggest(kb, first)[:2] + suggest(kb, second)[:1])
    return ask_reply(
        question,
        context,
        status=Status.FOUND,
        title=f"What {first.caption} and {second.caption} have in common: {len(unique)}",
        subtitle="Each line with whose word it is.",
        sections=[Section(title="In common", lines=unique)],
        citations=cite.as_list(),
        related=[entity_json(first), entity_json(second)],
    )


# --- not understood ---


def _for_one_subject(question: Question, context: Context, cards: list[str]) -> Reply:
    """A question about words that name one subject on several cards, answered for all of them: designations from
    every card; anything else from the card that holds an answer, the others named."""
    kb = context.kb
    if question.intent is Intent.SANCTIONS:
        reply = _sanctions(question, context, cards[0], also=tuple(cards[1:]))
    else:
        replies = [answer(_about(question, kb, card), context) for card in cards]
        found = [r for r in replies if r.status in (Status.FOUND, Status.OK)] or replies
        reply = max(found, key=lambda r: sum(len(s.lines) for s in r.sections))
    names = "; ".join(f"{kb.entity(c).caption} ({reference(kb.entity(c))})" for c in cards)
    why = same_subject_note(kb, cards)
    note = Fact(
        label="One subject, several cards",
        value=f"“{question.unresolved[0].text}” names {len(cards)} cards that may be one subject: {names}. Answered "
        f"for all of them; {why or 'the merge left them apart.'}",
    )
    return reply.model_copy(update={"facts": [*reply.facts, note]})


def _about(question: Question, kb: KnowledgeBase, card: str) -> Question:
    """The question with its unresolved words read as one card."""
    mention = question.unresolved[0]
    chosen = next(m for m in mention.matches if m.entity == card)
    resolved = dataclasses.replace(mention, matches=(chosen,), status=LookupStatus.FOUND)
    return dataclasses.replace(question, mentions=[resolved if m is mention else m for m in question.mentions])


def _asked_again(
    question: Question, start: int, end: int, matches: tuple[Match, ...], kb: KnowledgeBase
) -> list[Candidate]:
    """Choices that ask the same question again with the words at text[start:end] replaced by each entity's name,
    or, where that name would not open it alone (OFAC lists Hassan Dahir Aweys twice; "AZIZ, Abdul" is one
    record's own name and others' alias), by a list reference of its own."""
    text = question.text
    captions = Counter(kb.entity(m.entity).caption for m in matches)
    return [
        match_candidate(
            kb, m, f"/ask {(text[:start] + _words_for(kb, m.entity, captions) + text[end:]).strip()}"
        ).model_copy(update={"detail": sanctions_summary(kb.sanctions_of(m.entity), kb.entity(m.entity))})
        for m in matches
    ]


def _words_for(kb: KnowledgeBase, entity_id: str, captions: Counter[str]) -> str:
    entity = kb.entity(entity_id)
    if captions[entity.caption] < 2 and _opens_alone(kb, entity.caption, entity_id):
        return entity.caption
    table = references(kb)
    # A reference is read as one only where no name matches it: MITRE's "G0082" is also a catalogue's alias of
    # another group, and would open that group instead.
    own = (
        r.record_id
        for r in entity.records
        if table.get(r.record_id.casefold(), ("",))[0] == entity_id
        and (kb.lookup(r.record_id).status is LookupStatus.NOT_FOUND or _opens_alone(kb, r.record_id, entity_id))
    )
    return next(own, entity.caption)


def _opens_alone(kb: KnowledgeBase, words: str, entity_id: str) -> bool:
    found = kb.lookup(words)
    return found.status is LookupStatus.FOUND and found.best is not None and found.best.entity == entity_id


def _which_one(question: Question, context: Context) -> Reply:
    mention = question.unresolved[0]
    return _choice(question, context, mention.text, mention.start, mention.end, mention.matches[:5])


def _choice(
    question: Question, context: Context, words: str, start: int, end: int, matches: tuple[Match, ...]
) -> Reply:
    """ "Which one?": the question asked again of each entity the words could mean."""
    candidates = _asked_again(question, start, end, matches, context.kb)
    return ask_reply(
        question,
        context,
        status=Status.AMBIGUOUS,
        title=f"“{words}” could mean {len(candidates)} entities. Which one do you mean?",
        subtitle=f"I understood the question as: {question.intent.value}; pick one and I answer it."
        + (f" {note}" if (note := same_subject_note(context.kb, [c.id for c in candidates])) else ""),
        candidates=candidates,
    )


def _not_found(question: Question, context: Context) -> Reply:
    kb = context.kb
    miss = next(m for m in question.misses if m.looks_like_a_name)
    start = question.text.find(miss.text)
    if miss.ambiguous and miss.matches:
        return _choice(question, context, miss.text, start, start + len(miss.text), miss.matches[:5])
    candidates = _asked_again(question, start, start + len(miss.text), miss.matches[:SUGGESTIONS], kb)
    return ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title=f"No entity matching “{miss.text}” in the loaded data.",
        subtitle=None if candidates else ABSENCE_NOTE,
        candidates=candidates,
    )


def _cannot(question: Question, context: Context) -> Reply:
    kb = context.kb
    examples = []
    newest = kb.sanctions[0] if kb.sanctions else None
    if newest is not None:
        entity = kb.entity(newest.entity)
        year = newest.listed_on.year if newest.listed_on else context.today.year
        examples = [
            f"who sanctioned {entity.caption} and why?",
            f"what is {entity.caption} accused of?",
            f"what did {AUTHORITIES[newest.authority].label.split(' (')[0]} sanction in {year}?",
        ]
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title="I can't answer that from the data I have.",
        subtitle="I found no name, authority or date in it that the data holds. I answer questions about sanctioned "
        "entities: who sanctioned them and why, what they are accused of, who is behind them, what they are linked to.",
    )
    return with_suggestions(reply, examples)


def _subject(kb: KnowledgeBase, entities: list[str], intent: Intent) -> str:
    """The entity asked about: "what has the DOJ accused Wu Haibo of" asks about Wu Haibo, the DOJ is the accuser."""
    if intent in (Intent.ACCUSED, Intent.SANCTIONS, Intent.FACT, Intent.PROFILE) and len(entities) > 1:
        others = [e for e in entities if kb.entity(e).kind is not EntityKind.GOVERNMENT_BODY]
        if others:
            return others[0]
    return entities[0]


def _refuse_unknown_authority(question: Question) -> None:
    """ "Sanctioned by Narnia": an authority the data does not know is named, so no answer would be about it."""
    if question.intent is not Intent.SANCTIONS or question.authorities:
        return
    for miss in question.misses:
        before = question.text[: question.text.find(miss.text)].casefold().split()
        if before and (before[-1] == "by" or before[-2:] == ["by", "the"]):
            known = ", ".join(a.label for a in AUTHORITIES.values())
            raise UsageError(f"I don't know the authority {miss.text!r}. Authorities: {known}.", usage="/ask QUESTION")


def _said_by_about_topic(question: Question, kb: KnowledgeBase, body: str) -> list[Statement]:
    """What a body said about a topic named in words, not as an entity ("what did the NCSC say about Chinese private
    cyber companies?"): its statements holding the topic's words, or none where it is asked of the body itself."""
    mention = next((m for m in question.mentions if m.entity == body), None)
    if mention is None or not is_body(kb, body) or not says(question.text, mention.start, mention.end, by=False):
        return []
    distinctive = [w for w in question.topic if w not in QUESTION_WORDS and w not in GENERIC_WORDS]
    return [s for s in search_statements(kb, distinctive) if body in s.by_entities] if distinctive else []


def answer(question: Question, context: Context) -> Reply:
    """The reply to a read question; one reply, whatever was asked."""
    kb = context.kb
    entities = question.entities
    intent = question.intent
    _refuse_unknown_authority(question)
    if question.unresolved and len(entities) < (2 if intent is Intent.COMMON else 1):
        cards = one_subject(kb, question.unresolved[0].matches)
        if cards and intent is not Intent.COMMON:
            return _for_one_subject(question, context, cards)
        return _which_one(question, context)
    if (
        not entities
        and any(m.looks_like_a_name for m in question.misses)
        and intent
        not in (
            Intent.DESIGNATIONS,
            Intent.DELISTINGS,
            Intent.EVENTS,
        )
    ):
        return _not_found(question, context)
    if len(entities) == 1 and (said := _said_by_about_topic(question, kb, entities[0])):
        return _facts(question, context, said, subject=None)
    if entities:
        first = _subject(kb, entities, intent)
        if intent is Intent.COMMON and len(entities) >= 2:
            return _common(question, context, entities[0], entities[1])
        handlers = {
            Intent.SANCTIONS: _sanctions,
            Intent.ACCUSED: _accused,
            Intent.BEHIND: _behind,
            Intent.LINKED: _linked,
            Intent.FORMER_NAMES: _former_names,
            Intent.BASED: _based,
            Intent.FACT: _fact,
        }
        if intent is Intent.SANCTIONED_OVER:
            return _linked(question, context, first, sanctioned_only=True)
        handler = handlers.get(intent)
        if handler is not None:
            return handler(question, context, first)
        return _profile(question, context, first)
    if intent is Intent.FACT:
        return _fact(question, context, None)
    if intent is Intent.EVENTS:
        return events(question, context)
    if intent is Intent.CHANGES:
        return changes(question, context)
    if intent is Intent.PROFILE and question.authorities:
        authority = AUTHORITIES[question.authorities[0]]
        if authority.entity in kb.entities:
            card = entity_card(kb, authority.entity, None, command=COMMAND, query=question.text, ages=ages_now(context))
            return card.model_copy(update={"facts": [understood(question, kb), *card.facts]})
    if intent is Intent.DESIGNATIONS:
        return designations(question, context)
    if intent is Intent.DELISTINGS:
        return delistings(question, context)
    # With nothing else understood, only words that are neither question vocabulary nor common in names may find a
    # statement: "what is the group technology" must not quote every statement about a technology group.
    distinctive = [w for w in question.topic if w not in QUESTION_WORDS and w not in GENERIC_WORDS]
    statements = search_statements(kb, distinctive)
    if statements:
        return _facts(question, context, statements, subject=None)
    return _cannot(question, context)
