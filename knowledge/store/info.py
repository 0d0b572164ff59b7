"""What the store tells the rest of the code, as plain values: a snapshot's description and a list's refresh status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from knowledge.slotted import fast_pickle

__all__ = ["ListStatus", "SnapshotInfo"]


@fast_pickle
@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    id: int
    source: str
    as_of: dt.date
    fetched_at: dt.datetime
    content_hash: str
    record_count: int
    origin: str
    note: str | None
    active: bool
    bundled: bool = False
    # False when the publisher's date is unknown: as_of is then the load day, kept for ordering only.
    as_of_known: bool = True
    # Why the snapshot is held back (not in use, no change events), with the guard's figures; None otherwise.
    held_back: str | None = None

    @property
    def dated(self) -> str:
        """The list's date as a reader should see it: the publisher's, or plainly said to be unknown."""
        if self.as_of_known:
            return f"as of {self.as_of.isoformat()}"
        return f"loaded on {self.fetched_at:%Y-%m-%d}; publisher's date unknown"

    @property
    def status(self) -> str:
        return "in use" if self.active else "held back" if self.held_back else "history"


@dataclass(frozen=True, slots=True)
class ListStatus:
    source: str
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error: str | None = None
    last_result: str | None = None
    next_due: dt.datetime | None = None
