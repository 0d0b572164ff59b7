"""Facts inside sourced statements ("how many devices?"), and what two entities have in common."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.ask.accused import names_in_text, written_from
from bot.ask.common import (
    ABSENCE_NOTE,
    ask_reply,
    entity_json,
    statement_line,
    suggest,
    with_suggestions,
)
from bot.ask.reading import Question
from bot.ask.statements import Statement, search_statements, stems_of
from bot.ask.ties import link_line
from bot.ask.vocabulary import stem
from bot.cards import (
    listed_date,
)
from bot.context import Context
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES
from knowledge.base import Link
from knowledge.countries import country_name
from knowledge.models import Entity

__all__ = ["common_answer", "fact_answer", "facts_answer"]


# Where the counted phrase ends: "how many governments were targeted" counts governments.
_COUNT_ENDS = frozenset(
    "is are was were did does do has have had can could will would of in on by at for with from to that".split()
)


# "how many devices": the count must stand this close before the counted word ("260,000 compromised devices").
COUNT_REACH = 2


def facts_answer(question: Question, context: Context, statements: list[Statement], *, subject: Entity | None) -> Reply:
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


def fact_answer(question: Question, context: Context, entity_id: str | None) -> Reply:
    kb = context.kb
    subject = kb.entity(entity_id) if entity_id else None
    subjects = None
    if subject:
        subjects = {
            subject.id,
            *(
                link.other
                for link in kb.links_of(subject.id)
                if link.predicate.name not in ("CO_DESIGNATED", "CO_LISTED", "NAMED_WITH")
            ),
        }
    counted = _counted_words(question.text)
    found = search_statements(
        kb,
        sorted(counted) or question.topic,
        subjects=subjects,
        need_number=bool(counted),
        mentioning=names_in_text(subject) if subject else (),
    )
    if counted:
        found = [s for s in found if _counts(s.text, counted)]
    if found:
        return facts_answer(question, context, found, subject=subject)
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title="The loaded data has no statement that answers that" + (f" about {subject.caption}." if subject else "."),
        subtitle=ABSENCE_NOTE,
        entity=entity_json(subject) if subject else None,
    )
    return with_suggestions(reply, suggest(kb, subject) if subject else [])


def common_answer(question: Question, context: Context, first_id: str, second_id: str) -> Reply:
    kb = context.kb
    first, second = kb.entity(first_id), kb.entity(second_id)
    cite = Citations(kb)
    lines = []
    direct: dict[str, list[Link]] = defaultdict(list)
    for link in kb.links_of(first_id):
        if link.other == second_id:
            direct[link.label].append(link)
    lines += [link_line(kb, first, label, links, cite) for label, links in direct.items()]
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
                sources=cite.cite(*written_from(first), *written_from(second)),
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
