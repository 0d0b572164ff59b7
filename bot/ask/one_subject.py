"""One subject on several cards: records the merge left apart but found may be one subject (one name as two lists
write it, a date of birth a day off), so that a question about them is answered for both rather than asked back."""

from __future__ import annotations

from itertools import combinations

from knowledge.base import KnowledgeBase
from knowledge.models import Entity
from knowledge.names.lookup import Match

__all__ = ["one_subject"]

# Choices scoring this close to the best are equally likely readings of the words.
SCORE_TIE = 0.03
# More cards than this for one name are namesakes, not one subject listed by several authorities.
MAX_CARDS = 3


def _same(kb: KnowledgeBase, first: Entity, second: Entity) -> bool:
    # Two cards holding records of one list are two listings the publisher keeps apart (OFAC lists Hassan Dahir
    # Aweys twice): which one is asked. Otherwise the merge's own judgement, never a looser reading of the names.
    if {r.list for r in first.records} & {r.list for r in second.records}:
        return False
    return any(link.other == second.id and link.probable for link in kb.possibly_same(first.id))


def one_subject(kb: KnowledgeBase, matches: tuple[Match, ...]) -> list[str] | None:
    """The cards the words name, where the merge found they may be one subject: equally close, each linked to the
    others as possibly the same. None where they may be different subjects."""
    if not matches:
        return None
    near = list(dict.fromkeys(m.entity for m in matches if m.score >= matches[0].score - SCORE_TIE))
    if not 2 <= len(near) <= MAX_CARDS:
        return None
    cards = [kb.entity(e) for e in near]
    if all(_same(kb, a, b) for a, b in combinations(cards, 2)):
        return near
    return None
