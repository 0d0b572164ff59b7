"""How current each list in use is: its as-of date, when it was last confirmed, and whether it may be out of date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from knowledge.lists.catalogue import CATALOGUE, snapshot_id
from knowledge.settings import settings
from knowledge.store.info import ListStatus, SnapshotInfo

if TYPE_CHECKING:
    from knowledge.store.database import Store

__all__ = ["ListAge", "expected_days", "list_ages", "store_list_ages"]

STALE_VARIABLE = "BRIEFBOT_STALE_AFTER_DAYS"


@dataclass(frozen=True, slots=True)
class ListAge:
    source: str
    as_of: dt.date
    # The last time the publisher confirmed this copy is its newest (a successful refresh), if ever.
    confirmed: dt.datetime | None
    age_days: int
    expected_days: int
    bundled: bool = False
    # False when the publisher states no date: `as_of` is then the day the list was loaded, never shown as its date.
    as_of_known: bool = True
    loaded_at: dt.datetime | None = None
    # Seconds since the as-of date (what readers care about) and since it was loaded here (what a stuck refresh
    # shows), for metrics.
    age_seconds: float = 0.0
    loaded_seconds_ago: float = 0.0
    # A shipped extract newer than this copy, whose records this copy lacks are in use too: the age of what they
    # really come from.
    extract: ListAge | None = None

    @property
    def loaded_on(self) -> dt.date | None:
        return self.loaded_at.date() if self.loaded_at else None

    @property
    def stale(self) -> bool:
        return self.age_days > self.expected_days

    def as_json(self) -> dict[str, object]:
        """For health checks: the figures behind `describe`."""
        return {
            "as_of": self.as_of.isoformat() if self.as_of_known else None,
            "loaded_on": self.loaded_at.isoformat() if self.loaded_at else None,
            "confirmed": self.confirmed.isoformat() if self.confirmed else None,
            "age_days": self.age_days,
            "expected_days": self.expected_days,
            "possibly_out_of_date": self.stale,
            "bundled": self.bundled,
        }

    def describe(self, *, beside: ListAge | None = None) -> str:
        """e.g. "OFAC SDN list as of 2024-03-25 (possibly out of date: not confirmed … for 600 days, …)"; `beside`:
        the copy in use, where this is a newer extract whose records it lacks."""
        text = f"{CATALOGUE[self.source].by} {self.describe_date()}"
        notes = ["extract shipped with briefbot"] if self.bundled else []
        if beside is not None:
            notes = [f"extract shipped with briefbot, newer than the copy in use, {beside.describe_date()}"]
        if self.stale:
            notes.append(
                f"possibly out of date: not confirmed with the publisher for {self.age_days} days, "
                f"expected every {self.expected_days}"
            )
        return text + (f" ({'; '.join(notes)})" if notes else "")

    def describe_date(self) -> str:
        """The copy's date as a reader should see it: "as of 2024-05-03", or the day it was loaded."""
        if self.as_of_known:
            return f"as of {self.as_of.isoformat()}"
        return f"loaded on {self.loaded_on or self.as_of}; publisher's date unknown"

    def cited(self, citation: str) -> ListAge:
        """The age of the copy a citation ("ofac-sdn@2025-11-02") names: the newer extract where it is that one,
        else this copy, the list in use."""
        if self.extract is not None and citation == snapshot_id(self.source, self.extract.as_of):
            return self.extract
        return self


def expected_days(source: str) -> int:
    """How old a list may get before it is flagged: BRIEFBOT_STALE_AFTER_DAYS_<LIST>, else the catalogue's."""
    return settings().stale_after_days(source) or CATALOGUE[source].expected_days


def list_ages(
    snapshots: Iterable[SnapshotInfo],
    *,
    now: dt.datetime,
    statuses: Mapping[str, ListStatus] | None = None,
    extracts: Iterable[SnapshotInfo] = (),
) -> dict[str, ListAge]:
    """Each list in use, by name: how many days since its as-of date or since the publisher last confirmed it,
    whichever is later. A successful refresh that found nothing newer confirms the copy in use. `extracts`: newer
    shipped extracts whose records are in use beside a list's copy, each given as that list's `extract`."""
    ages = {}
    for snapshot in snapshots:
        if snapshot.source not in CATALOGUE:
            continue
        status = (statuses or {}).get(snapshot.source)
        confirmed = status.last_success if status and not snapshot.bundled else None
        loaded = snapshot.fetched_at if snapshot.fetched_at.tzinfo else snapshot.fetched_at.replace(tzinfo=dt.UTC)
        latest = max(snapshot.as_of, confirmed.date()) if confirmed else snapshot.as_of
        ages[snapshot.source] = ListAge(
            source=snapshot.source,
            as_of=snapshot.as_of,
            confirmed=confirmed,
            age_days=max(0, (now.date() - latest).days),
            expected_days=expected_days(snapshot.source),
            bundled=snapshot.bundled,
            as_of_known=snapshot.as_of_known,
            loaded_at=loaded,
            age_seconds=max(0.0, (now - dt.datetime.combine(snapshot.as_of, dt.time(), dt.UTC)).total_seconds()),
            loaded_seconds_ago=max(0.0, (now - loaded).total_seconds()),
        )
    for extract in extracts:
        if extract.source in ages:
            # An extract is never confirmed with the publisher: its age is its own date's.
            (age,) = list_ages([extract], now=now).values()
            ages[extract.source] = replace(ages[extract.source], extract=age)
    return ages


def store_list_ages(store: Store, *, now: dt.datetime) -> dict[str, ListAge]:
    """The lists in use in the store now, with its refresh history: for health checks and metrics."""
    return list_ages(store.active(), now=now, statuses=store.refresh_statuses())
