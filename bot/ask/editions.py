"""Dates the lists do not state, read from the editions loaded: a record first held by one copy and not the copy
before was added between the two; one gone from a copy was removed between it and the one before."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from knowledge.base import KnowledgeBase
from knowledge.models import RecordRef, Sanction

__all__ = [
    "SeenAdded",
    "added_text",
    "editions",
    "list_of",
    "previous_edition",
    "record_of",
    "removed_text",
    "seen_added",
]


@dataclass(frozen=True, slots=True)
class SeenAdded:
    """An undated designation whose record the copy of `by` holds and the copy of `after` (the one before) does not."""

    sanction: Sanction
    after: dt.date
    by: dt.date


def list_of(sanction: Sanction) -> str:
    """The list a designation was read from, as the catalogue names it ("ofac-sdn")."""
    return (sanction.list_source or sanction.source).split("@", 1)[0]


def record_of(kb: KnowledgeBase, sanction: Sanction) -> RecordRef | None:
    if sanction.list_ref is None:
        return None
    name = list_of(sanction)
    return next(
        (r for r in kb.entity(sanction.entity).records if r.record_id == sanction.list_ref and r.list == name), None
    )


def _editions(kb: KnowledgeBase) -> dict[str, list[dt.date]]:
    """Each list's editions the store has held, by their publishers' dates: the dates its records were first held
    on or found gone, and the edition in use."""
    days: dict[str, set[dt.date]] = defaultdict(set)
    for entity in kb.entities.values():
        for record in entity.records:
            if record.first_seen and record.first_seen_known:
                days[record.list].add(record.first_seen)
            if record.delisted_on and record.delisted_on_known:
                days[record.list].add(record.delisted_on)
    for snapshot in kb.snapshots:
        if snapshot.as_of_known:
            days[snapshot.source].add(snapshot.as_of)
    return {name: sorted(found) for name, found in days.items()}


def editions(kb: KnowledgeBase) -> dict[str, list[dt.date]]:
    return kb.derived("ask.editions", _editions)


def previous_edition(kb: KnowledgeBase, list_name: str, day: dt.date) -> dt.date | None:
    """The edition loaded before the one of `day`, or None where that is the first."""
    days = editions(kb).get(list_name, [])
    at = bisect_left(days, day)
    return days[at - 1] if at > 0 else None


def _seen_added(kb: KnowledgeBase) -> list[SeenAdded]:
    found = []
    for sanction in kb.sanctions:
        if sanction.listed_on is not None:
            continue
        record = record_of(kb, sanction)
        if record is None or record.first_seen is None or not record.first_seen_known:
            continue
        after = previous_edition(kb, record.list, record.first_seen)
        if after is not None:
            found.append(SeenAdded(sanction, after, record.first_seen))
    return sorted(found, key=lambda a: (a.by, a.sanction.id), reverse=True)


def seen_added(kb: KnowledgeBase) -> list[SeenAdded]:
    """Undated designations added between two editions loaded, newest first."""
    return kb.derived("ask.seen-added", _seen_added)


def added_text(added: SeenAdded) -> str:
    return f"added between {added.after.isoformat()} and {added.by.isoformat()}, by the copies loaded"


def removed_text(kb: KnowledgeBase, sanction: Sanction) -> str | None:
    """When a designation left its list, bounded by the copies loaded: "removed between 2024-03-25 and 2024-05-03"."""
    if sanction.ended_on is None or sanction.ends_later:
        return None
    record = record_of(kb, sanction)
    name = record.list if record else list_of(sanction)
    before = previous_edition(kb, name, sanction.ended_on)
    if before is None:
        return None
    return f"removed between {before.isoformat()} and {sanction.ended_on.isoformat()}, by the copies loaded"
