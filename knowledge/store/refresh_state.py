"""The refresh state of each list (last attempt, success, error, validators, next due) and the store's lock rows."""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from knowledge.store.info import ListStatus
from knowledge.store.migrations import Migration, migrate
from knowledge.store.transactions import writing

__all__ = ["COMPONENT", "MIGRATIONS", "ListStatus", "RefreshState", "Validators", "release_lock", "take_lock"]

metadata = sa.MetaData()
refresh_status = sa.Table(
    "refresh_status",
    metadata,
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("last_attempt", sa.DateTime(timezone=True)),
    sa.Column("last_success", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    # What the last attempt did, in words ("unchanged", "+23 / -0", "held back: …"), for `briefbot sources`.
    sa.Column("last_result", sa.Text),
    sa.Column("next_due", sa.DateTime(timezone=True)),
)
refresh_validators = sa.Table(
    "refresh_validators",
    metadata,
    # One row per address of a list: what the publisher said about the copy we hold, for conditional requests.
    sa.Column("source", sa.String(40), primary_key=True),
    sa.Column("url", sa.String(2000), primary_key=True),
    sa.Column("etag", sa.String(500)),
    sa.Column("last_modified", sa.String(100)),
    # The snapshot these validators describe: a "not modified" only means "unchanged" while it is the one in use.
    sa.Column("content_hash", sa.String(64), nullable=False),
)
store_locks = sa.Table(
    "store_locks",
    metadata,
    # A named lock with a lease, for back-ends without advisory locks (SQLite): a holder that dies loses it.
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("holder", sa.String(200), nullable=False),
    sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
)


def _create_v1(connection: Connection) -> None:
    metadata.create_all(connection)


COMPONENT = "list-refresh"
MIGRATIONS: list[Migration] = [(1, _create_v1)]


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; everything here is UTC.
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


class RefreshState:
    """Reads and writes the refresh state; each write is one short transaction."""

    def __init__(self, engine: Engine, *, migrated: bool = False) -> None:
        self.engine = engine
        if not migrated:
            migrate(engine, COMPONENT, MIGRATIONS)

    def statuses(self) -> dict[str, ListStatus]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(refresh_status)).all()
        return {
            row.source: ListStatus(
                source=row.source,
                last_attempt=_utc(row.last_attempt),
                last_success=_utc(row.last_success),
                last_error=row.last_error,
                last_result=row.last_result,
                next_due=_utc(row.next_due),
            )
            for row in rows
        }

    def record(
        self,
        source: str,
        *,
        now: dt.datetime,
        next_due: dt.datetime | None,
        error: str | None = None,
        result: str | None = None,
    ) -> None:
        """One attempt's outcome: a success clears the last error, a failure keeps the last success."""
        values: dict[str, object] = {"last_attempt": now, "next_due": next_due, "last_result": result}
        if error is None:
            values.update(last_success=now, last_error=None)
        else:
            values.update(last_error=error)
        with writing(self.engine) as connection:
            updated = connection.execute(refresh_status.update().where(refresh_status.c.source == source), values)
            if updated.rowcount == 0:
                connection.execute(refresh_status.insert().values(source=source, **values))

    def validators(self, source: str, content_hash: str) -> dict[str, Validators]:
        """The validators of each address of the list, as they were when the snapshot `content_hash` was fetched."""
        query = sa.select(refresh_validators).where(
            (refresh_validators.c.source == source) & (refresh_validators.c.content_hash == content_hash)
        )
        with self.engine.connect() as connection:
            return {row.url: Validators(row.etag, row.last_modified) for row in connection.execute(query)}

    def save_validators(self, source: str, content_hash: str, found: dict[str, Validators]) -> None:
        """Replace the list's validators with those of the copy fetched as snapshot `content_hash`."""
        with writing(self.engine) as connection:
            connection.execute(refresh_validators.delete().where(refresh_validators.c.source == source))
            rows = [
                {
                    "source": source,
                    "url": url,
                    "etag": v.etag,
                    "last_modified": v.last_modified,
                    "content_hash": content_hash,
                }
                for url, v in found.items()
                if v.etag or v.last_modified
            ]
            if rows:
                connection.execute(refresh_validators.insert(), rows)


def take_lock(engine: Engine, name: str, *, holder: str, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Take the named lock: a new row, or one whose holder's lease ran out (compare-and-set)."""
    try:
        with writing(engine) as connection:
            connection.execute(store_locks.insert().values(name=name, holder=holder, lease_until=now + lease))
        return True
    except sa.exc.IntegrityError:
        pass
    with writing(engine) as connection:
        taken = connection.execute(
            store_locks.update()
            .where((store_locks.c.name == name) & (store_locks.c.lease_until < now))
            .values(holder=holder, lease_until=now + lease)
        )
        if taken.rowcount == 1:
            return True
        # A holder on this machine whose process is gone (killed, crashed) need not be waited out for its lease.
        current = connection.scalar(sa.select(store_locks.c.holder).where(store_locks.c.name == name))
        if current is None or not _dead_here(current):
            return False
        taken = connection.execute(
            store_locks.update()
            .where((store_locks.c.name == name) & (store_locks.c.holder == current))
            .values(holder=holder, lease_until=now + lease)
        )
    return taken.rowcount == 1


def _dead_here(holder: str) -> bool:
    """Whether a lock holder ("host:pid:thread:nonce") is a process of this machine that no longer runs."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it runs, under another user
    return False


def release_lock(engine: Engine, name: str, *, holder: str) -> None:
    with writing(engine) as connection:
        connection.execute(store_locks.delete().where((store_locks.c.name == name) & (store_locks.c.holder == holder)))
