"""What a bot has loaded and how fresh it is: each list's edition and age, the last refresh and the last digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.freshness import ListAge, list_ages
from knowledge.lists.masking import mask_text
from knowledge.store.info import ListStatus

if TYPE_CHECKING:
    from bot.digest.store import DigestStore
    from knowledge.base import KnowledgeBase
    from knowledge.store.database import Store
    from knowledge.store.info import SnapshotInfo

__all__ = ["ListState", "StatusReport", "status_report"]


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(frozen=True, slots=True)
class ListState:
    """One list of the catalogue: the snapshot in use (if any), how old it is, and its refresh history."""

    source: str
    snapshot: SnapshotInfo | None
    age: ListAge | None
    refresh: ListStatus | None
    held_back: tuple[SnapshotInfo, ...] = ()

    def as_json(self) -> dict[str, object]:
        snapshot, refresh = self.snapshot, self.refresh
        return {
            "source": self.source,
            "title": CATALOGUE[self.source].title,
            "loaded": snapshot is not None,
            "edition": (snapshot.as_of.isoformat() if snapshot.as_of_known else None) if snapshot else None,
            "records": snapshot.record_count if snapshot else None,
            "imported_at": _iso(snapshot.fetched_at) if snapshot else None,
            "bundled_extract": snapshot.bundled if snapshot else None,
            "freshness": {**self.age.as_json(), "said": self.age.describe()} if self.age else None,
            "last_refresh_attempt": _iso(refresh.last_attempt) if refresh else None,
            "last_refresh_success": _iso(refresh.last_success) if refresh else None,
            "last_refresh_error": mask_text(refresh.last_error) if refresh and refresh.last_error else None,
            "next_refresh_due": _iso(refresh.next_due) if refresh else None,
            "held_back": [
                {"snapshot": s.id, "edition": s.as_of.isoformat(), "why": s.held_back} for s in self.held_back
            ],
        }


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Everything `/status` and `briefbot status` say, in figures."""

    now: dt.datetime
    lists: tuple[ListState, ...]
    entities: int
    last_refresh: ListStatus | None
    subscriptions: int | None
    last_digest: dt.datetime | None

    @property
    def stale(self) -> list[ListState]:
        return [state for state in self.lists if state.age is not None and state.age.stale]

    def as_json(self) -> dict[str, object]:
        last = self.last_refresh
        return {
            "now": _iso(self.now),
            "entities": self.entities,
            "lists": [state.as_json() for state in self.lists],
            "possibly_out_of_date": [state.source for state in self.stale],
            "last_refresh": {
                "source": last.source,
                "attempt": _iso(last.last_attempt),
                "success": _iso(last.last_success),
                "error": mask_text(last.last_error) if last.last_error else None,
            }
            if last
            else None,
            "digests": None
            if self.subscriptions is None
            else {"subscriptions": self.subscriptions, "last_sent": _iso(self.last_digest)},
        }


def status_report(
    kb: KnowledgeBase, *, now: dt.datetime, store: Store | None = None, digests: DigestStore | None = None
) -> StatusReport:
    """The report for the knowledge base in use; the refresh history and digests where a store is at hand."""
    statuses = store.refresh_statuses() if store is not None else {}
    ages = list_ages(kb.snapshots, now=now, statuses=statuses)
    in_use = {snapshot.source: snapshot for snapshot in kb.snapshots}
    held: dict[str, list[SnapshotInfo]] = {}
    for snapshot in store.snapshots() if store is not None else []:
        # Held back since the snapshot in use was taken: waiting for a person's decision.
        current = in_use.get(snapshot.source)
        if snapshot.held_back and (current is None or snapshot.fetched_at >= current.fetched_at):
            held.setdefault(snapshot.source, []).append(snapshot)
    names = [name for name in CATALOGUE if name in in_use or name in statuses or name in held]
    lists = tuple(
        ListState(name, in_use.get(name), ages.get(name), statuses.get(name), tuple(held.get(name, ())))
        for name in names
    )
    tried = [status for status in statuses.values() if status.last_attempt is not None]
    last_refresh = max(tried, key=lambda status: status.last_attempt or now, default=None)
    subscriptions = last_digest = None
    if digests is not None:
        subscriptions = len(digests.enabled())
        last_digest = digests.last_sent()
    return StatusReport(now, lists, len(kb.entities), last_refresh, subscriptions, last_digest)
