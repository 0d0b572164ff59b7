"""One subject on several cards: the lists a merge could not join ("Internet Research Agency" on OFAC's list and the
UK's), told apart from namesakes, so that a question about it is answered rather than asked back."""

from __future__ import annotations

from itertools import combinations

from knowledge.base import KnowledgeBase
from knowledge.models import Entity, EntityKind
from knowledge.names.lookup import Match

__all__ = ["one_subject"]

# Choices scoring this close to the best are equally likely readings of the words.
SCORE_TIE = 0.03
# More cards than this for one name are namesakes, not one subject listed by several authorities.
MAX_CARDS = 3


def _lists(entity: Entity) -> frozenset[str]:
    return frozenset(r.list for r in entity.records) or frozenset({entity.id})


def _same(kb: KnowledgeBase, first: Entity, second: Entity) -> bool:
    if first.kind is not second.kind:
        return False
    if first.country and second.country and first.country != second.country:
        return False
    if _lists(first) & _lists(second):
        # Two cards of one list are two listings: the publisher keeps them apart.
        return False
    return kb.compare(first.caption, second.caption, person=first.kind is EntityKind.PERSON).match


def one_subject(kb: KnowledgeBase, matches: tuple[Match, ...]) -> list[str] | None:
    """The cards the words name, where they are probably one subject: equally close, of one kind, each from another
    list, names that match and no country that differs. None where they may be different subjects."""
    if not matches:
        return None
    near = list(dict.fromkeys(m.entity for m in matches if m.score >= matches[0].score - SCORE_TIE))
    if not 2 <= len(near) <= MAX_CARDS:
        return None
    cards = [kb.entity(e) for e in near]
    if all(_same(kb, a, b) for a, b in combinations(cards, 2)):
        return near
    return None
