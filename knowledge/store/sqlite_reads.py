"""The reads a start makes of an SQLite store, with the standard library's sqlite3: importing SQLAlchemy took a third
of a cached start, and a tenth of a first start's peak memory. Each read is one read transaction, so a refresh
writing meanwhile is seen whole or not at all, and each gives what the `Store` method of the same name gives."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from knowledge.lists.records import ListedRecord, read_record
from knowledge.store.info import ListStatus, SnapshotInfo

__all__ = [
    "BUSY_TIMEOUT_S",
    "active",
    "applied_migrations",
    "curated_payloads",
    "delisted",
    "last_held",
    "record_ids",
    "records",
    "refresh_statuses",
    "snapshot_sources",
    "snapshots",
    "version",
]

# How long a connection waits for a busy database: here, in `Store.open` and for the journal mode's tries (kept in
# this module, which a cached start imports without SQLAlchemy).
BUSY_TIMEOUT_S = 30


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    # Read-only, and never creating the file: a store that is not there yet is for `Store.open` to make.
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        connection.execute("BEGIN")
        yield connection
        connection.execute("COMMIT")
    finally:
        connection.close()


def applied_migrations(path: Path) -> set[tuple[str, int]]:
    """Each (component, version) the store's schema has had applied."""
    with _reading(path) as connection:
        return set(connection.execute("SELECT component, version FROM schema_migrations"))


def version(path: Path) -> tuple[int, ...]:
    """As `Store.version`: the snapshots in use, the number of curated facts, the last change event's id."""
    with _reading(path) as connection:
        active = tuple(row[0] for row in connection.execute("SELECT id FROM snapshots WHERE active = 1 ORDER BY id"))
        curated = connection.execute("SELECT count(*) FROM curated_facts").fetchone()[0] or 0
        events = connection.execute("SELECT max(id) FROM change_events").fetchone()[0] or 0
    return (*active, curated, events)


def refresh_statuses(path: Path) -> dict[str, ListStatus]:
    """As `Store.refresh_statuses`: each list's refresh status, its times in UTC."""
    query = "SELECT source, last_attempt, last_success, last_error, last_result, next_due FROM refresh_status"
    with _reading(path) as connection:
        rows = connection.execute(query).fetchall()
    return {
        source: ListStatus(
            source=source,
            last_attempt=_utc(attempt),
            last_success=_utc(success),
            last_error=error,
            last_result=result,
            next_due=_utc(due),
        )
        for source, attempt, success, error, result, due in rows
    }


_SNAPSHOT = (
    "SELECT id, source, as_of, fetched_at, content_hash, record_count, origin, note, active, bundled, as_of_known, "
    "held_back FROM snapshots"
)


def snapshots(path: Path, source: str | None = None) -> list[SnapshotInfo]:
    """As `Store.snapshots`: every snapshot (of one list), by list, date and id."""
    where, values = (" WHERE source = ?", (source,)) if source is not None else ("", ())
    with _reading(path) as connection:
        rows = connection.execute(f"{_SNAPSHOT}{where} ORDER BY source, as_of, id", values).fetchall()
    return [_snapshot(row) for row in rows]


def active(path: Path) -> list[SnapshotInfo]:
    """As `Store.active`: the snapshots in use, by list."""
    with _reading(path) as connection:
        rows = connection.execute(f"{_SNAPSHOT} WHERE active = 1 ORDER BY source").fetchall()
    return [_snapshot(row) for row in rows]


def snapshot_sources(path: Path) -> set[str]:
    """The lists with any snapshot stored (what seeding the bundled extracts looks at)."""
    with _reading(path) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT source FROM snapshots")}


def records(path: Path, snapshot_id: int) -> list[ListedRecord]:
    """As `Store.records`: a snapshot's records."""
    with _reading(path) as connection:
        payloads = connection.execute("SELECT payload FROM records WHERE snapshot_id = ?", (snapshot_id,))
        return [read_record(payload) for (payload,) in payloads]


def record_ids(path: Path, snapshot_id: int) -> set[str]:
    """As `Store.record_ids`."""
    with _reading(path) as connection:
        ids = connection.execute("SELECT record_id FROM records WHERE snapshot_id = ?", (snapshot_id,))
        return {record_id for (record_id,) in ids}


def delisted(path: Path, source: str) -> list[tuple[ListedRecord, dt.date, bool]]:
    """As `Store.delisted`: records gone from the list in use, as last seen, with the day they went and whether
    that day is the publisher's."""
    query = (
        "SELECT records.payload, delistings.delisted_on, delistings.delisted_on_known FROM delistings JOIN records "
        "ON records.snapshot_id = delistings.last_snapshot_id AND records.record_id = delistings.record_id "
        "WHERE delistings.source = ?"
    )
    with _reading(path) as connection:
        rows = connection.execute(query, (source,)).fetchall()
    return [(read_record(payload), dt.date.fromisoformat(on), bool(known)) for payload, on, known in rows]


def last_held(path: Path, source: str) -> dict[str, dt.date]:
    """As `Store.last_held`: each delisted record's last edition that held it, by its publisher's date."""
    query = (
        "SELECT delistings.record_id, snapshots.as_of FROM delistings JOIN snapshots "
        "ON snapshots.id = delistings.last_snapshot_id WHERE delistings.source = ? AND snapshots.as_of_known = 1"
    )
    with _reading(path) as connection:
        return {record_id: dt.date.fromisoformat(on) for record_id, on in connection.execute(query, (source,))}


def curated_payloads(path: Path) -> dict[str, str]:
    """The curated facts recorded, as stored (what `Store.sync_curated` compares with those shipped)."""
    with _reading(path) as connection:
        return dict(connection.execute("SELECT fact_id, payload FROM curated_facts").fetchall())


def _snapshot(row: tuple) -> SnapshotInfo:
    # Dates and times read as SQLAlchemy reads SQLite's DATE and DATETIME text; booleans stored as 0 and 1.
    id_, source, as_of, fetched_at, content_hash, count, origin, note, in_use, bundled, as_of_known, held_back = row
    return SnapshotInfo(
        id=id_,
        source=source,
        as_of=dt.date.fromisoformat(as_of),
        fetched_at=dt.datetime.fromisoformat(fetched_at),
        content_hash=content_hash,
        record_count=count,
        origin=origin,
        note=note,
        active=bool(in_use),
        bundled=bool(bundled),
        as_of_known=bool(as_of_known),
        held_back=held_back,
    )


def _utc(value: str | None) -> dt.datetime | None:
    # Read as SQLAlchemy reads SQLite's DATETIME text (fromisoformat); stored naive, everything here is UTC.
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
