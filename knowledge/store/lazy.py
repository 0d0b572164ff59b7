"""A store opened on first use: a cached start on SQLite reads what it needs with the standard library alone, and
SQLAlchemy is imported only by a start that does more (a build, a write, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from knowledge.store import sqlite_reads
from knowledge.store.info import ListStatus, SnapshotInfo
from knowledge.store.location import database_url, sqlite_file

if TYPE_CHECKING:
    from knowledge.lists.records import ListedRecord
    from knowledge.store.database import Store

__all__ = ["CURRENT_SCHEMA", "LazyStore", "OnFirstUse", "open_store"]

T = TypeVar("T")

# The newest schema version of each component `Store.open` migrates (a test holds them to the migrations): a
# store short of any is opened at once, and so brought up to date, as before.
CURRENT_SCHEMA = {"knowledge": 5, "list-refresh": 1}


class OnFirstUse(Generic[T]):
    """Stands in for the object `make` makes, made when one of its attributes is first asked for."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: T | None = None

    def made(self) -> T:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


class LazyStore(OnFirstUse["Store"]):
    """The SQLite store in `path`: its version and refresh statuses read directly until it is opened, anything else
    opening it (as `Store.open` does, the schema checked) and answered by it."""

    def __init__(self, url: str, path: Path) -> None:
        super().__init__(lambda: _open(url))
        self.url = url
        self._path = path

    # Each read below gives what the `Store` method of the same name gives.
    def version(self) -> tuple[int, ...]:
        return self._read(sqlite_reads.version, "version")

    def refresh_statuses(self) -> dict[str, ListStatus]:
        return self._read(sqlite_reads.refresh_statuses, "refresh_statuses")

    # What a first start reads to build the knowledge base (a store already prepared needs nothing else).
    def snapshots(self, source: str | None = None) -> list[SnapshotInfo]:
        return self._read(sqlite_reads.snapshots, "snapshots", source)

    def active(self) -> list[SnapshotInfo]:
        return self._read(sqlite_reads.active, "active")

    def snapshot_sources(self) -> set[str]:
        return self._read(sqlite_reads.snapshot_sources, "snapshot_sources")

    def records(self, snapshot_id: int) -> list[ListedRecord]:
        return self._read(sqlite_reads.records, "records", snapshot_id)

    def record_ids(self, snapshot_id: int) -> set[str]:
        return self._read(sqlite_reads.record_ids, "record_ids", snapshot_id)

    def delisted(self, source: str) -> list[tuple[ListedRecord, dt.date, bool]]:
        return self._read(sqlite_reads.delisted, "delisted", source)

    def last_held(self, source: str) -> dict[str, dt.date]:
        return self._read(sqlite_reads.last_held, "last_held", source)

    def curated_payloads(self) -> dict[str, str]:
        return self._read(sqlite_reads.curated_payloads, "curated_payloads")

    def _read(self, read: Callable[..., T], method: str, *args: Any) -> T:
        if self._made is None:
            try:
                return read(self._path, *args)
            except sqlite3.Error:
                pass  # whatever the plain reader cannot read, the store reads, or says what is wrong
        return getattr(self.made(), method)(*args)


def open_store(location: str | None = None) -> Store | LazyStore:
    """The store at `location` (as `Store.open` takes it): lazily where it is an SQLite file with the current schema,
    else opened now."""
    url = database_url(location)
    path = sqlite_file(url)
    if path is not None and _is_current(path):
        return LazyStore(url, path)
    return _open(url)


def _is_current(path: Path) -> bool:
    try:
        applied = sqlite_reads.applied_migrations(path)
    except sqlite3.Error:  # no file yet, or no table, or an older layout: for `Store.open` to deal with
        return False
    return all((component, n) in applied for component, newest in CURRENT_SCHEMA.items() for n in range(1, newest + 1))


def _open(url: str) -> Store:
    from knowledge.store.database import Store

    return Store.open(url)
