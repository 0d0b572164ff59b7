"""How old each list in use is, from the store's snapshots: the date it is as of and when it was loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from knowledge.store.database import Store

__all__ = ["ListAge", "list_ages"]


@dataclass(frozen=True, slots=True)
class ListAge:
    source: str
    as_of: dt.date
    loaded_on: dt.datetime
    # Since the publisher's date (what readers care about) and since it was loaded here (what a stuck refresh shows).
    age_seconds: float
    loaded_seconds_ago: float

    def to_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "loaded_on": self.loaded_on.isoformat(),
            "age_days": round(self.age_seconds / 86400, 1),
        }


def list_ages(store: Store, *, now: dt.datetime) -> list[ListAge]:
    """One entry per list in use, sorted by list name."""
    ages = []
    for snapshot in store.active():
        as_of = dt.datetime.combine(snapshot.as_of, dt.time(), dt.UTC)
        loaded = snapshot.fetched_at if snapshot.fetched_at.tzinfo else snapshot.fetched_at.replace(tzinfo=dt.UTC)
        ages.append(
            ListAge(
                source=snapshot.source,
                as_of=snapshot.as_of,
                loaded_on=loaded,
                age_seconds=max(0.0, (now - as_of).total_seconds()),
                loaded_seconds_ago=max(0.0, (now - loaded).total_seconds()),
            )
        )
    return sorted(ages, key=lambda age: age.source)
