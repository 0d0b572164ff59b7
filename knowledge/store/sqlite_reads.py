"""The few reads a cached start makes of an SQLite store, with the standard library's sqlite3: importing SQLAlchemy
took a third of such a start. Each read is one read transaction, so a refresh writing meanwhile is seen whole or
not at all, and each gives what the `Store` method of the same name gives."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from knowledge.store.info import ListStatus

__all__ = ["applied_migrations", "refresh_statuses", "version"]

# As long as `Store.open` waits for a busy database.
_TIMEOUT_S = 30


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    # Read-only, and never creating the file: a store that is not there yet is for `Store.open` to make.
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=_TIMEOUT_S, isolation_level=None)
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


def _utc(value: str | None) -> dt.datetime | None:
    # Read as SQLAlchemy reads SQLite's DATETIME text (fromisoformat); stored naive, everything here is UTC.
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
