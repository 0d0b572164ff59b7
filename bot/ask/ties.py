"""Who founded, runs or operates an entity, and what it is linked to, each tie with whose word it is."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.ask.common import (
    ABSENCE_NOTE,
    SHOWN,
    ask_reply,
    entity_json,
    in_sectors,
    kinds_label,
    suggest,
    with_suggestions,
)
from bot.ask.reading import Intent, Question
from bot.cards import (
    related_lines,
)
from bot.context import Context
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.base import KnowledgeBase, Link
from knowledge.countries import country_name
from knowledge.models import Entity

__all__ = ["behind_answer", "link_line", "linked_answer"]


_BEHIND_LABELS = {"founded by", "operated by", "part of", "is alleged to be a front for"}


_DOES_LABELS = {"founded", "operates", "includes", "allegedly uses as a front"}


_FOUNDING = re.compile(r"\b(?:co-?)?found(?:ed|er|ers|ing)?\b|\bset (?:it )?up\b|\bestablished\b|\bcreated\b")


def link_line(kb: KnowledgeBase, entity: Entity, label: str, links: list[Link], cite: Citations) -> Line:
    other = kb.entity(links[0].other)
    per = ", ".join(f"{kb.source(k.source).by}{' ' + k.date.isoformat() if k.date else ''}" for k in links)
    alleged = " (an allegation)" if "alleged" in label else ""
    return Line(
        text=f"{entity.caption} {label} {other.caption} ({other.kind.value}){alleged} — per {per}",
        sources=cite.cite(*(k.source for k in links)),
        command=f"/who {other.caption}",
    )


def behind_answer(question: Question, context: Context, entity_id: str) -> Reply:
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
    lines = [link_line(kb, entity, label, links, cite) for (_, label), links in grouped.items()]
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


def _entity_matches(kb: KnowledgeBase, entity: Entity, question: Question) -> bool:
    if question.kinds and entity.kind not in question.kinds:
        return False
    if question.countries and (entity.country or "") not in question.countries:
        return False
    return in_sectors(kb, entity.id, question)


def linked_answer(question: Question, context: Context, entity_id: str, *, sanctioned_only: bool = False) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    lines, related = related_lines(entity_id, kb, cite)
    kept = [
        (other, line)
        for other, line in lines
        if _entity_matches(kb, kb.entity(other), question) and (not sanctioned_only or kb.sanctions_of(other))
    ]
    wanted = {other for other, _ in kept}
    what = kinds_label(question.kinds) + " entities" if question.kinds else "entities"
    if question.sectors:
        what = " or ".join(question.sectors)
    if question.countries:
        what = f"{', '.join(country_name(c) or c for c in question.countries)} {what}"
    if sanctioned_only:
        what = f"sanctioned {what}"
    if not kept:
        # Those the filters left out are shown, not hidden behind the "no" ("which government agencies are sanctioned
        # over Salt Typhoon?": none, but a company is).
        others = [line for other, line in lines if not sanctioned_only or kb.sanctions_of(other)]
        none_at_all = sanctioned_only and not others
        reply = ask_reply(
            question,
            context,
            status=Status.NOT_FOUND,
            title=f"The loaded data links no {what} to {entity.caption}.",
            subtitle=("It records no designation tied to it; " if none_at_all else "") + ABSENCE_NOTE,
            sections=[Section(title="Linked to it, not matching the question's filters", lines=others[:SHOWN])]
            if others
            else [],
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
