"""How transactions begin: on SQLite every write takes the write lock at BEGIN, so concurrent writers queue."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

from sqlalchemy.engine import Connection, Engine

from knowledge.store.sqlite_reads import BUSY_TIMEOUT_S

__all__ = ["WRITE_AT_BEGIN", "sqlite_begin", "sqlite_pragmas", "writing"]

# The option that makes an SQLite transaction take the write lock at BEGIN (see `sqlite_begin`).
WRITE_AT_BEGIN = "briefbot_write_at_begin"

# A pause between tries of the journal mode.
_RETRY_PAUSE_S = 0.05


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction; use it instead of `engine.begin()`.

    SQLite in WAL mode does not wait for a busy writer when a transaction that began as a reader (plain BEGIN,
    then a SELECT) tries to write: it fails at once with "database is locked". Taking the write lock at BEGIN
    makes the busy time-out apply, so processes writing at once queue instead of failing."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_AT_BEGIN: True})
        with connection.begin():
            yield connection


def sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite's own transaction handling commits DDL on the spot, so a failed migration would be left half
    # done; SQLAlchemy's recipe: the driver stays out of it and each transaction starts with our BEGIN.
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets readers (a bot answering) go on while a refresh writes; foreign keys make deletes cascade.
    _journal_in_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _journal_in_wal(cursor) -> None:  # type: ignore[no-untyped-def]
    # Switching a new file to WAL upgrades a read lock to a write lock, and SQLite fails such an upgrade at once
    # when another connection is switching too (waiting could deadlock), without the busy time-out: several
    # processes opening a new store together saw "database is locked". The switch is tried again until the
    # time-out; once the file is in WAL the pragma only reads.
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(_RETRY_PAUSE_S)


def sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    # Reads begin deferred, so they never wait for a writer; writes (see `writing`) take the lock at once.
    immediate = connection.get_execution_options().get(WRITE_AT_BEGIN)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
