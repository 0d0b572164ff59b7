"""An entity's profile, its former and other names, and where it is based, as the data states them."""

from __future__ import annotations

import re

from bot.ask.accused import names_in_text, written_from
from bot.ask.common import (
    ABSENCE_NOTE,
    COMMAND,
    ask_reply,
    entity_json,
    nationalities_stated,
    statement_line,
    suggest,
    understood,
    with_suggestions,
)
from bot.ask.facts import facts_answer
from bot.ask.reading import Question
from bot.ask.statements import Statement, search_statements, summary_statement
from bot.cards import (
    entity_card,
)
from bot.context import Context
from bot.list_dates import ages_now
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.base import KnowledgeBase
from knowledge.countries import country_name
from knowledge.lists.catalogue import CATALOGUES
from knowledge.lists.identifiers import BIRTH_DATE, PLACE_OF_BIRTH, ROUGH_BIRTH_DATE, split_values
from knowledge.models import Entity, Name, NameType

__all__ = ["based_answer", "born_answer", "former_names_answer", "nationality_answer", "profile_answer"]


_LOCATION = re.compile(r"\b(?:[A-Z][a-z]+-based|based in|headquartered|located|address)\b", re.IGNORECASE)


def profile_answer(question: Question, context: Context, entity_id: str) -> Reply:
    mention = next(m for m in question.mentions if m.entity == entity_id)
    kb = context.kb
    topic_hits = search_statements(
        kb, question.topic, subjects={entity_id}, mentioning=names_in_text(kb.entity(entity_id))
    )
    if topic_hits:
        return facts_answer(question, context, topic_hits, subject=kb.entity(entity_id))
    card = entity_card(kb, entity_id, mention.match, command=COMMAND, query=question.text, ages=ages_now(context))
    return card.model_copy(update={"facts": [understood(question, kb), *card.facts]})


def former_names_answer(question: Question, context: Context, entity_id: str) -> Reply:
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


def based_answer(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    lines = []
    if entity.country:
        written = written_from(entity)
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
        return _not_said(question, context, entity, f"where {entity.caption} is based")
    place = country_name(entity.country) if entity.country else "see below"
    title = f"Where {entity.caption} is based: {place}"
    return _said(question, context, entity, _yes_no_lead(question, entity.stated_countries, title), lines, cite)


def _yes_no_lead(question: Question, stated: set[str], title: str) -> str:
    """A title led by yes or no where the question asks whether the lists place the entity in a country ("is Huawei
    Chinese?", "is Oleg Deripaska a citizen of Cyprus?"): never a flat no, only what the lists state."""
    asked = {c.upper() for c in question.countries}
    if not (question.yes_no and asked):
        return title
    if asked & {c.upper() for c in stated}:
        return f"Yes, as its sources state it. {title}"
    named = ", ".join(sorted(country_name(c) or c for c in asked))
    return f"Not as its sources state it ({named} is not among the countries they give). {title}"


def born_answer(question: Question, context: Context, entity_id: str) -> Reply:
    """When and where someone was born, as the lists of the card write it (an address is not a birthplace)."""
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    dates = split_values(entity.identifiers.get(BIRTH_DATE))
    rough = [f"{day} (approximate)" for day in split_values(entity.identifiers.get(ROUGH_BIRTH_DATE))]
    dates += [day for day in rough if day not in dates]
    places = split_values(entity.identifiers.get(PLACE_OF_BIRTH))
    if not dates and not places:
        return _not_said(question, context, entity, f"when or where {entity.caption} was born")
    # The card pools its lists' dates and places of birth without saying which list gives which: each is said to be
    # the lists' between them, cited to them all, never one list's alone (OFAC gives KARAMAN's birthplace as Mordovia,
    # the UK as Moldova).
    sources = [ref.source for ref in entity.records if ref.list not in CATALOGUES]
    between = " (the lists on this card, between them)" if len(set(sources)) > 1 else ""
    lines = [Line(text=f"Date of birth{between}: {day}", sources=cite.cite(*sources)) for day in dates]
    lines += [Line(text=f"Place of birth{between}: {place}", sources=cite.cite(*sources)) for place in places]
    said = [f"born {'; '.join(dates)}" if dates else "no date of birth stated"]
    said.append(f"in {'; '.join(places)}" if places else "no place of birth stated")
    return _said(question, context, entity, f"{entity.caption}, as the lists say: {', '.join(said)}", lines, cite)


def nationality_answer(question: Question, context: Context, entity_id: str) -> Reply:
    """Someone's nationalities as the lists' remarks state them, else the country the card records."""
    return _nationality_answer(question, context, entity_id) or based_answer(question, context, entity_id)


def _nationality_answer(question: Question, context: Context, entity_id: str) -> Reply | None:
    """Someone's nationalities as the lists' remarks state them (OFAC's "nationality Finland; alt. nationality
    Russia"); None where none states one (the country recorded answers then)."""
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    lines, stated, codes = [], [], set()
    for ref in entity.records:
        found = nationalities_stated(ref.remarks)
        if found:
            stated += [country_name(code) or code for _, code in found]
            codes |= {code.upper() for _, code in found}
            found_text = [text for text, _ in found]
            lines.append(
                Line(
                    text=f"{kb.source(ref.source).by} {ref.record_id}: {'; '.join(found_text)}",
                    sources=cite.cite(ref.source),
                )
            )
    if not lines:
        return None
    title = f"Nationality of {entity.caption}, as the lists state it: {', '.join(dict.fromkeys(stated))}"
    return _said(question, context, entity, _yes_no_lead(question, codes, title), lines, cite)


def _said(
    question: Question, context: Context, entity: Entity, title: str, lines: list[Line], cite: Citations
) -> Reply:
    """An answer from what the data says of the entity, line by line, each cited."""
    return ask_reply(
        question,
        context,
        status=Status.FOUND,
        title=title,
        sections=[Section(title="What the data says", lines=lines)],
        citations=cite.as_list(),
        entity=entity_json(entity),
    )


def _not_said(question: Question, context: Context, entity: Entity, what: str) -> Reply:
    """The data does not say `what` ("where X is based"): said so, with questions it can answer about the entity."""
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title=f"The loaded data does not say {what}.",
        subtitle=ABSENCE_NOTE,
        entity=entity_json(entity),
    )
    return with_suggestions(reply, suggest(context.kb, entity))


def _all_statements_of(kb: KnowledgeBase, entity_id: str) -> list[Statement]:
    entity = kb.entity(entity_id)
    found = [
        Statement(a.statement, a.subject, a.alleged_by, a.date, a.source, "allegation")
        for a in kb.allegations_of(entity_id)
    ]
    if entity.summary and entity.sources:
        found.append(summary_statement(kb, entity))
    return found
