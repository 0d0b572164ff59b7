"""Sourced statements searchable by their words: facts inside claims are quoted with the claim, never bare."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from bot.ask.vocabulary import stem
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import is_snapshot_source
from knowledge.models import Entity

__all__ = ["Statement", "search_statements", "statement_table", "stems_of", "summary_statement"]

# Words that say nothing about which statement is meant.
_STOP = frozenset(
    """
    a an the this that these those it its they them their there what whats which who whom whose why when where how
    is are was were be been being am do does did done has have had can could would should will may might must of in
    on at by for with from to into over under about and or not no any some all both each many much more most than
    then so also just only i me my we us our you your he him his she her tell show give list find know say says
    said please number count total many how whether one ones
    """.split()
)
_WORD = re.compile(r"[\w][\w'-]*")
_NUMBER = re.compile(r"\d")
# A statement must hold at least this share of the question's topic weight to be quoted as its answer.
MIN_SHARE = 0.5
SHOWN = 4


@dataclass(frozen=True, slots=True)
class Statement:
    """One sourced sentence: an allegation, a stated reason for a sanction, or a curated summary."""

    text: str
    subject: str
    by: str
    date: dt.date | None
    source: str
    origin: str
    # Further documents the statement rests on (a curated summary is written from several).
    more_sources: tuple[str, ...] = ()
    # The entities who make the statement, where known: "what is the NCSC's assessment" finds what the NCSC says.
    by_entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Statements:
    items: tuple[Statement, ...]
    stems: tuple[frozenset[str], ...]
    postings: dict[str, tuple[int, ...]]
    weights: dict[str, float]


def stems_of(words: list[str] | str) -> list[str]:
    if isinstance(words, str):
        words = _WORD.findall(words)
    return [stem(w) for w in words if w.lower() not in _STOP and len(w) > 1]


def _build(kb: KnowledgeBase) -> _Statements:
    items: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    for allegation in kb.allegations:
        items.append(
            Statement(
                allegation.statement,
                allegation.subject,
                allegation.alleged_by,
                allegation.date,
                allegation.source,
                "allegation",
                by_entities=allegation.alleged_by_entities,
            )
        )
    for sanction in kb.sanctions:
        if sanction.reasons and (sanction.entity, sanction.reasons) not in seen:
            seen.add((sanction.entity, sanction.reasons))
            by = kb.source(sanction.source).by
            items.append(
                Statement(sanction.reasons, sanction.entity, by, sanction.listed_on, sanction.source, "stated reason")
            )
    for entity in kb.entities.values():
        if entity.summary and entity.sources:
            items.append(summary_statement(kb, entity))
    stems = tuple(frozenset(stems_of(item.text)) for item in items)
    postings: dict[str, list[int]] = defaultdict(list)
    for position, words in enumerate(stems):
        for word in words:
            postings[word].append(position)
    total = len(items) + 1
    weights = {word: math.log(total / len(found)) + 0.5 for word, found in postings.items()}
    return _Statements(tuple(items), stems, {w: tuple(p) for w, p in postings.items()}, weights)


def summary_statement(kb: KnowledgeBase, entity: Entity) -> Statement:
    """The curated summary as a statement, resting on every document it was written from."""
    written = [s for s in entity.sources if not is_snapshot_source(s)] or list(entity.sources)
    first = kb.source(written[0])
    return Statement(entity.summary or "", entity.id, first.by, None, first.id, "summary", tuple(written[1:]))


def statement_table(kb: KnowledgeBase) -> _Statements:
    return kb.derived("ask.statements", _build)


def search_statements(
    kb: KnowledgeBase,
    topic: list[str],
    *,
    subjects: set[str] | None = None,
    need_number: bool = False,
    mentioning: tuple[str, ...] = (),
) -> list[Statement]:
    """Statements holding the topic's words, best first; about `subjects` only when given.

    `mentioning`: names any of which, written in a statement about another subject, makes it about this one too.
    """
    table = statement_table(kb)
    wanted = list(dict.fromkeys(stems_of(topic)))
    if not wanted:
        return []
    weight = {w: table.weights.get(w, 0.0) for w in wanted}
    total = sum(weight.values()) or 1.0
    scores: dict[int, float] = defaultdict(float)
    for word in wanted:
        for position in table.postings.get(word, ()):
            scores[position] += weight[word]
    lowered = tuple(n.casefold() for n in mentioning)
    ranked = []
    for position, score in scores.items():
        item = table.items[position]
        about_another = subjects is not None and item.subject not in subjects and not subjects & set(item.by_entities)
        if about_another and not any(n in item.text.casefold() for n in lowered):
            continue
        if need_number and not _NUMBER.search(item.text):
            continue
        if score / total < MIN_SHARE:
            continue
        ranked.append((-score, position))
    ranked.sort()
    best = -ranked[0][0] if ranked else 0.0
    chosen, texts = [], set()
    for negative, position in ranked:
        item = table.items[position]
        # Near the best only; one quote per wording (the same sentence can be said of two subjects).
        if -negative < best * 0.6 or item.text in texts:
            continue
        texts.add(item.text)
        chosen.append(item)
    return chosen[:SHOWN]
