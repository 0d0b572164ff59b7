"""The store: every imported snapshot of every list and its records, in SQLite by default or any SQLAlchemy URL."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from knowledge.curated import fact_payloads
from knowledge.errors import BriefbotError
from knowledge.lists.changes import ChangeEvent, ChangeKind, diff_facts, diff_records
from knowledge.lists.records import ListedRecord, read_record, record_json
from knowledge.store.info import ListStatus, SnapshotInfo
from knowledge.store.location import database_url
from knowledge.store.migrations import Migration, migrate, schema_version
from knowledge.store.refresh_state import COMPONENT as REFRESH_COMPONENT
from knowledge.store.refresh_state import MIGRATIONS as REFRESH_MIGRATIONS
from knowledge.store.refresh_state import RefreshState, release_lock, take_lock
from knowledge.store.sqlite_reads import BUSY_TIMEOUT_S
from knowledge.store.transactions import sqlite_begin, sqlite_pragmas, writing

__all__ = ["SCHEMA_VERSION", "SnapshotInfo", "Store", "database_url"]

metadata = sa.MetaData()


def _snapshot_columns() -> list[sa.SchemaItem]:
    """The snapshots table as version 1 created it (fresh objects each call: a column belongs to one table)."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False, default=False),
        sa.UniqueConstraint("source", "content_hash", name="uq_snapshot_content"),
        sa.Index("ix_snapshots_source_active", "source", "active"),
    ]


snapshots = sa.Table(
    "snapshots",
    metadata,
    *_snapshot_columns(),
    # Version 2: a bundled extract ships with the package; any snapshot the user loads supersedes it.
    sa.Column("bundled", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    # Version 4: whether the publisher stated the as-of date (the file, HTTP Last-Modified, --as-of); when not,
    # as_of holds the load day, for ordering only, and is never shown as the list's date.
    sa.Column("as_of_known", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
    # Version 4: why a snapshot was held back (the removal guard's figures); NULL for one that may be used.
    sa.Column("held_back", sa.Text),
)
# Record ids are published ids; a longer one is refused before it reaches the store (PostgreSQL enforces it).
MAX_RECORD_ID = 200


def _record_columns() -> list[sa.SchemaItem]:
    """The records table as version 1 created it."""
    return [
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("record_id", sa.String(MAX_RECORD_ID), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
    ]


records = sa.Table(
    "records",
    metadata,
    *_record_columns(),
    # Version 4: the record's place in the publisher's file, so a file cut at a row boundary can be told from
    # delistings (its missing records are exactly the last ones of the list in use).
    sa.Column("position", sa.Integer),
)


def _delisting_columns() -> list[sa.SchemaItem]:
    """The delistings table as version 1 created it."""
    return [
        sa.Column("source", sa.String(40), primary_key=True),
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("delisted_on", sa.Date, nullable=False),
        sa.Column("last_snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    ]


delistings = sa.Table(
    "delistings",
    metadata,
    *_delisting_columns(),
    # Version 5: False when delisted_on is only the day a copy without the record was loaded (its publisher's
    # date unknown), so a card never passes that day off as the delisting date.
    sa.Column("delisted_on_known", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
)


def _create_v1(connection: Connection) -> None:
    v1 = sa.MetaData()
    sa.Table("snapshots", v1, *_snapshot_columns())
    sa.Table("records", v1, *_record_columns())
    sa.Table("delistings", v1, *_delisting_columns())
    v1.create_all(connection)


change_events = sa.Table(
    "change_events",
    metadata,
    # The id orders events for good: a digest covers exactly the events after the last one it delivered.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE")),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("record_id", sa.String(200), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_change_events_as_of", "as_of"),
)
curated_facts = sa.Table(
    "curated_facts",
    metadata,
    sa.Column("fact_id", sa.String(200), primary_key=True),
    sa.Column("payload", sa.Text, nullable=False),
)


def _add_changes(connection: Connection) -> None:
    change_events.create(connection)
    curated_facts.create(connection)


def _add_bundled_flag(connection: Connection) -> None:
    connection.execute(sa.text("ALTER TABLE snapshots ADD COLUMN bundled BOOLEAN NOT NULL DEFAULT FALSE"))


def _add_truth_columns(connection: Connection) -> None:
    connection.execute(sa.text("ALTER TABLE snapshots ADD COLUMN as_of_known BOOLEAN NOT NULL DEFAULT TRUE"))
    connection.execute(sa.text("ALTER TABLE snapshots ADD COLUMN held_back TEXT"))
    connection.execute(sa.text("ALTER TABLE records ADD COLUMN position INTEGER"))


def _add_delisting_date_known(connection: Connection) -> None:
    connection.execute(sa.text("ALTER TABLE delistings ADD COLUMN delisted_on_known BOOLEAN NOT NULL DEFAULT TRUE"))
    # Existing rows: a delisting dated the day of a copy whose publisher's date is unknown has no known date.
    connection.execute(
        sa.text(
            "UPDATE delistings SET delisted_on_known = FALSE WHERE EXISTS (SELECT 1 FROM snapshots s "
            "WHERE s.source = delistings.source AND s.as_of = delistings.delisted_on AND NOT s.as_of_known)"
        )
    )


# Each migration moves the schema one version on; a store is brought to the newest on opening.
COMPONENT = "knowledge"
MIGRATIONS: list[Migration] = [
    (1, _create_v1),
    (2, _add_bundled_flag),
    (3, _add_changes),
    (4, _add_truth_columns),
    (5, _add_delisting_date_known),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
# A lock row outlives a killed holder by this much at most; a refresh of the largest list takes a few minutes.
LOCK_LEASE = dt.timedelta(minutes=30)
LOCK_POLL_SECONDS = 0.2


class Store:
    """Snapshots and records; each write is one transaction, so readers see the old data or the new, never half."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._migrate()

    @classmethod
    def open(cls, location: str | None = None) -> Store:
        url = database_url(location)
        try:
            is_sqlite = url.startswith("sqlite")
            # SQLite lets one writer in at a time: others wait (up to 30 s) instead of failing at once.
            engine = sa.create_engine(url, future=True, connect_args={"timeout": BUSY_TIMEOUT_S} if is_sqlite else {})
            if is_sqlite:
                sa.event.listen(engine, "connect", sqlite_pragmas)
                sa.event.listen(engine, "begin", sqlite_begin)
            return cls(engine)
        except (sa.exc.SQLAlchemyError, ImportError) as error:
            safe = sa.engine.make_url(url).render_as_string(hide_password=True)
            raise BriefbotError(f"Cannot open the store at {safe}: {error.__class__.__name__}: {error}") from error

    def _migrate(self) -> None:
        migrate(self.engine, COMPONENT, MIGRATIONS)
        migrate(self.engine, REFRESH_COMPONENT, REFRESH_MIGRATIONS)

    @property
    def url(self) -> str:
        """The store's URL, its password hidden."""
        return str(self.engine.url)

    def schema_version(self) -> int:
        return schema_version(self.engine, COMPONENT)

    def refresh_statuses(self) -> dict[str, ListStatus]:
        """Each list's last refresh attempt, success and error, and when it is next due."""
        return RefreshState(self.engine, migrated=True).statuses()

    def version(self) -> tuple[int, ...]:
        """What a process's knowledge base was built from: the snapshots in use and the curated facts' events.
        Any refresh, anywhere, changes it."""
        with self.engine.connect() as connection:
            active = tuple(
                connection.scalars(sa.select(snapshots.c.id).where(snapshots.c.active).order_by(snapshots.c.id))
            )
            curated = connection.scalar(sa.select(sa.func.count()).select_from(curated_facts)) or 0
            events = connection.scalar(sa.select(sa.func.max(change_events.c.id))) or 0
        return (*active, curated, events)

    @contextlib.contextmanager
    def exclusive(self, name: str, *, wait: float = 0.0) -> Iterator[bool]:
        """Hold a store-wide lock for `name`, waiting up to `wait` seconds; yields False if another holds it.

        PostgreSQL: an advisory lock keyed by the database, the schema and the name, so two stores on one server
        never block each other. Other back-ends (SQLite): a lock row with a lease, which a holder that dies loses."""
        deadline = time.monotonic() + wait
        with self._held(name) as attempt:
            got = attempt()
            while not got and time.monotonic() < deadline:
                time.sleep(LOCK_POLL_SECONDS)
                got = attempt()
            yield got

    @contextlib.contextmanager
    def _held(self, name: str) -> Iterator[Callable[[], bool]]:
        """A function that tries the lock once; whatever it took is released on leaving."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as connection:
                where = connection.execute(sa.text("SELECT current_database(), current_schema()")).one()
                scoped = f"{where[0]}\x00{where[1]}\x00{name}"
                key = int.from_bytes(hashlib.blake2b(scoped.encode(), digest_size=8).digest(), "big", signed=True)
                taken: list[bool] = []

                def attempt_pg() -> bool:
                    got = bool(connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
                    connection.commit()
                    taken.append(got)
                    return got

                try:
                    yield attempt_pg
                finally:
                    if any(taken):
                        connection.scalar(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                        connection.commit()
            return
        holder = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"
        held: list[bool] = []

        def attempt_row() -> bool:
            got = take_lock(self.engine, name, holder=holder, now=dt.datetime.now(dt.UTC), lease=LOCK_LEASE)
            held.append(got)
            return got

        try:
            yield attempt_row
        finally:
            if any(held):
                release_lock(self.engine, name, holder=holder)

    # --- reading ---

    def snapshots(self, source: str | None = None) -> list[SnapshotInfo]:
        query = sa.select(snapshots).order_by(snapshots.c.source, snapshots.c.as_of, snapshots.c.id)
        if source is not None:
            query = query.where(snapshots.c.source == source)
        with self.engine.connect() as connection:
            return [_info(row) for row in connection.execute(query)]

    def snapshot_sources(self) -> set[str]:
        """The lists with any snapshot stored (what seeding the bundled extracts looks at)."""
        with self.engine.connect() as connection:
            return set(connection.scalars(sa.select(snapshots.c.source).distinct()))

    def curated_payloads(self) -> dict[str, str]:
        """The curated facts recorded, as stored (what `sync_curated` compares with those shipped)."""
        with self.engine.connect() as connection:
            return dict(connection.execute(sa.select(curated_facts.c.fact_id, curated_facts.c.payload)).all())

    def active(self) -> list[SnapshotInfo]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(snapshots).where(snapshots.c.active).order_by(snapshots.c.source))
            return [_info(row) for row in rows]

    def in_use(self, source: str) -> SnapshotInfo | None:
        """The snapshot of `source` in use now, if any."""
        with self.engine.connect() as connection:
            return self._in_use(connection, source)

    def find(self, source: str, content_hash: str) -> SnapshotInfo | None:
        query = sa.select(snapshots).where(snapshots.c.source == source, snapshots.c.content_hash == content_hash)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _info(row) if row else None

    def records(self, snapshot_id: int) -> list[ListedRecord]:
        with self.engine.connect() as connection:
            return self._records(connection, snapshot_id)

    def delisted(self, source: str) -> list[tuple[ListedRecord, dt.date, bool]]:
        """Records no longer on the source's active snapshot, as last seen, with the date they went and whether
        that date is the publisher's (False: only the day a copy without them was loaded)."""
        query = (
            sa.select(records.c.payload, delistings.c.delisted_on, delistings.c.delisted_on_known)
            .join(
                records,
                (records.c.snapshot_id == delistings.c.last_snapshot_id)
                & (records.c.record_id == delistings.c.record_id),
            )
            .where(delistings.c.source == source)
        )
        with self.engine.connect() as connection:
            return [(read_record(p), d, bool(k)) for p, d, k in connection.execute(query)]

    def last_held(self, source: str) -> dict[str, dt.date]:
        """Each delisted record's last edition that still held it, by its publisher's date (editions without a
        stated date are left out): the record left the list some time after that date."""
        query = (
            sa.select(delistings.c.record_id, snapshots.c.as_of)
            .join(snapshots, snapshots.c.id == delistings.c.last_snapshot_id)
            .where(delistings.c.source == source, snapshots.c.as_of_known.is_(True))
        )
        with self.engine.connect() as connection:
            return dict(connection.execute(query).all())

    def record_ids(self, snapshot_id: int) -> set[str]:
        query = sa.select(records.c.record_id).where(records.c.snapshot_id == snapshot_id)
        with self.engine.connect() as connection:
            return set(connection.scalars(query))

    def record(self, snapshot_id: int, record_id: str) -> ListedRecord | None:
        query = sa.select(records.c.payload).where(
            records.c.snapshot_id == snapshot_id, records.c.record_id == record_id
        )
        with self.engine.connect() as connection:
            payload = connection.scalar(query)
        return read_record(payload) if payload else None

    def positions(self, snapshot_id: int) -> dict[str, int]:
        """Each record's place in its file; empty for snapshots stored before places were kept."""
        query = sa.select(records.c.record_id, records.c.position).where(
            records.c.snapshot_id == snapshot_id, records.c.position.is_not(None)
        )
        with self.engine.connect() as connection:
            return dict(connection.execute(query).all())

    def snapshot(self, snapshot_id: int) -> SnapshotInfo | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(snapshots).where(snapshots.c.id == snapshot_id)).first()
        return _info(row) if row else None

    # --- writing ---

    def add_snapshot(
        self,
        source: str,
        items: Iterable[ListedRecord],
        *,
        as_of: dt.date,
        content_hash: str,
        origin: str,
        fetched_at: dt.datetime,
        note: str | None = None,
        bundled: bool = False,
        as_of_known: bool = True,
        held_back: str | None = None,
    ) -> SnapshotInfo:
        """Store a snapshot and put it in use unless it is held back or older than the one in use; all or nothing.

        A bundled extract is used only while the user has loaded nothing of its list, and any snapshot the user
        loads replaces it whatever the dates: a full list of an earlier date must not look like mass delistings.
        """
        items = list(items)
        rows = [{"record_id": r.record_id, "payload": record_json(r), "position": n} for n, r in enumerate(items)]
        with writing(self.engine) as connection:
            previous = self._in_use(connection, source)
            snapshot_id = connection.execute(
                snapshots.insert().values(
                    source=source,
                    as_of=as_of,
                    fetched_at=fetched_at,
                    content_hash=content_hash,
                    record_count=len(rows),
                    origin=origin,
                    note=note,
                    active=False,
                    bundled=bundled,
                    as_of_known=as_of_known,
                    held_back=held_back,
                )
            ).inserted_primary_key[0]
            for start in range(0, len(rows), 5000):
                chunk = [{"snapshot_id": snapshot_id, **row} for row in rows[start : start + 5000]]
                connection.execute(records.insert(), chunk)
            if held_back is None and _takes_over(previous, as_of=as_of, bundled=bundled):
                payloads = {row["record_id"]: row["payload"] for row in rows}
                self._switch(connection, source, previous, snapshot_id, payloads, as_of=as_of, now=fetched_at)
            else:
                self._recompute_delistings(connection, source)
            row = connection.execute(sa.select(snapshots).where(snapshots.c.id == snapshot_id)).one()
        return _info(row)

    def use_snapshot(self, snapshot_id: int, *, now: dt.datetime, own: bool = True) -> SnapshotInfo:
        """Put a stored snapshot (back) in use, with change events against the one it replaces; a held-back one
        is released. `own`: the user loaded this content, so a bundled sample it matches becomes the user's."""
        with writing(self.engine) as connection:
            row = connection.execute(sa.select(snapshots).where(snapshots.c.id == snapshot_id)).first()
            if row is None:
                raise BriefbotError(f"There is no snapshot {snapshot_id}; `briefbot snapshots` lists them.")
            previous = self._in_use(connection, row.source)
            changes = {"held_back": None}
            if own and row.bundled:
                changes["bundled"] = False
            connection.execute(snapshots.update().where(snapshots.c.id == snapshot_id).values(**changes))
            if previous is None or previous.id != snapshot_id:
                payloads = self._payloads(connection, snapshot_id)
                self._switch(connection, row.source, previous, snapshot_id, payloads, as_of=row.as_of, now=now)
            row = connection.execute(sa.select(snapshots).where(snapshots.c.id == snapshot_id)).one()
        return _info(row)

    def _in_use(self, connection: Connection, source: str) -> SnapshotInfo | None:
        row = connection.execute(sa.select(snapshots).where(snapshots.c.source == source, snapshots.c.active)).first()
        return _info(row) if row else None

    def _switch(
        self,
        connection: Connection,
        source: str,
        previous: SnapshotInfo | None,
        snapshot_id: int,
        payloads: dict[str, str],
        *,
        as_of: dt.date,
        now: dt.datetime,
    ) -> None:
        """Make one snapshot the one in use, recording what changed against the one in use before.

        `payloads` are the new snapshot's stored records. A record stored with the same text in both snapshots has
        not changed and is not read: a refresh changes a few dozen of a list's thousands of records."""
        connection.execute(
            snapshots.update().where(snapshots.c.source == source).values(active=snapshots.c.id == snapshot_id)
        )
        bundled = connection.scalar(sa.select(snapshots.c.bundled).where(snapshots.c.id == snapshot_id))
        # A first load, or a move to or from a bundled sample, is no change on the list itself and gives none.
        if previous is not None and not previous.bundled and not bundled:
            old = self._payloads(connection, previous.id)
            before = {k: read_record(v) for k, v in old.items() if payloads.get(k) != v}
            after = {k: read_record(v) for k, v in payloads.items() if old.get(k) != v}
            events = diff_records(before, after, as_of=as_of, previous_as_of=previous.as_of)
            self._insert_events(connection, events, snapshot_id, now)
        self._recompute_delistings(connection, source)

    @staticmethod
    def _payloads(connection: Connection, snapshot_id: int) -> dict[str, str]:
        query = sa.select(records.c.record_id, records.c.payload).where(records.c.snapshot_id == snapshot_id)
        return dict(connection.execute(query).all())

    @staticmethod
    def _records(connection: Connection, snapshot_id: int) -> list[ListedRecord]:
        query = sa.select(records.c.payload).where(records.c.snapshot_id == snapshot_id)
        return [read_record(p) for p in connection.scalars(query)]

    @staticmethod
    def _insert_events(
        connection: Connection, events: list[ChangeEvent], snapshot_id: int | None, created_at: dt.datetime
    ) -> None:
        rows = [
            {
                "source": e.source,
                "snapshot_id": snapshot_id,
                "as_of": e.as_of,
                "kind": e.kind.value,
                "record_id": e.record_id,
                "payload": e.model_dump_json(exclude={"id"}, exclude_defaults=True),
                "created_at": created_at,
            }
            for e in events
        ]
        for start in range(0, len(rows), 5000):
            connection.execute(change_events.insert(), rows[start : start + 5000])

    def events(
        self, *, since: dt.date | None = None, source: str | None = None, after_id: int = 0, limit: int | None = None
    ) -> list[ChangeEvent]:
        """Stored change events, oldest first: on or after `since`, of one source, after a delivered event id."""
        query = (
            sa.select(change_events.c.id, change_events.c.payload, snapshots.c.as_of_known)
            .outerjoin(snapshots, snapshots.c.id == change_events.c.snapshot_id)
            .where(change_events.c.id > after_id)
        )
        if since is not None:
            query = query.where(change_events.c.as_of >= since)
        if source is not None:
            query = query.where(change_events.c.source == source)
        query = query.order_by(change_events.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            # A curated fact's event has no snapshot: its date is the day the facts changed, known.
            return [
                ChangeEvent.model_validate_json(p).model_copy(update={"id": i, "as_of_known": known is not False})
                for i, p, known in connection.execute(query)
            ]

    def amended_count(self, snapshot_id: int, at: dt.datetime) -> int:
        """How many records the snapshot's coming into use at `at` amended (its change events of that kind filed
        then: a snapshot put back in use again has those of each time)."""
        query = sa.select(sa.func.count()).where(
            change_events.c.snapshot_id == snapshot_id,
            change_events.c.kind == ChangeKind.AMENDED.value,
            change_events.c.created_at == at,
        )
        with self.engine.connect() as connection:
            return connection.scalar(query) or 0

    def last_event_id(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(sa.select(sa.func.max(change_events.c.id))) or 0

    def sync_curated(
        self,
        facts: dict[str, dict],
        *,
        names: dict[str, str],
        today: dt.date,
        now: dt.datetime,
        kinds: dict[str, str] | None = None,
    ) -> list[ChangeEvent]:
        """Record the curated facts shipped now; what changed since the last version seen becomes events."""
        encoded = fact_payloads(facts)
        with self._serialised("curated") as connection:
            stored = dict(connection.execute(sa.select(curated_facts.c.fact_id, curated_facts.c.payload)).all())
            if stored == encoded:
                return []
            events = []
            if stored:  # the first version a store sees is where it starts, not a change
                before = {k: json.loads(v) for k, v in stored.items()}
                after = {k: json.loads(v) for k, v in encoded.items()}
                events = diff_facts(before, after, as_of=today, names=names, kinds=kinds)
                self._insert_events(connection, events, None, now)
            connection.execute(curated_facts.delete())
            connection.execute(curated_facts.insert(), [{"fact_id": k, "payload": v} for k, v in encoded.items()])
        return events

    @contextlib.contextmanager
    def _serialised(self, name: str) -> Iterator[Connection]:
        """A transaction that no other process's transaction of the same name interleaves with (a read, then
        writes based on it): several first starts on an empty store then queue instead of colliding."""
        with writing(self.engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text(
                        "SELECT pg_advisory_xact_lock(hashtextextended("
                        "current_database() || '/' || current_schema() || '/' || :name, 0))"
                    ),
                    {"name": name},
                )
            yield connection

    def _recompute_delistings(self, connection: Connection, source: str) -> None:
        """Records no longer on the snapshot in use, with the date they went, from the snapshots leading to it.

        The history is the user's snapshots (the bundled ones only while there is none), never a held-back one,
        in date order up to the one in use: a snapshot set aside after it, or taken back from, adds nothing.
        """
        history = connection.execute(
            sa.select(
                snapshots.c.id, snapshots.c.as_of, snapshots.c.as_of_known, snapshots.c.bundled, snapshots.c.active
            )
            .where(snapshots.c.source == source, snapshots.c.held_back.is_(None))
            .order_by(snapshots.c.as_of, snapshots.c.id)
        ).all()
        own = [row for row in history if not row.bundled]
        history = own or history
        in_use = next((n for n, row in enumerate(history) if row.active), None)
        history = history[: in_use + 1] if in_use is not None else []
        last_seen: dict[str, int] = {}
        gone_on: dict[str, tuple[dt.date, bool]] = {}
        for snapshot_id, as_of, as_of_known, _, _ in history:
            present = set(
                connection.scalars(sa.select(records.c.record_id).where(records.c.snapshot_id == snapshot_id))
            )
            for record_id in list(last_seen):
                if record_id not in present and record_id not in gone_on:
                    gone_on[record_id] = (as_of, bool(as_of_known))
            for record_id in present:
                last_seen[record_id] = snapshot_id
                gone_on.pop(record_id, None)
        connection.execute(delistings.delete().where(delistings.c.source == source))
        rows = [
            {
                "source": source,
                "record_id": r,
                "delisted_on": day,
                "delisted_on_known": known,
                "last_snapshot_id": last_seen[r],
            }
            for r, (day, known) in gone_on.items()
        ]
        if rows:
            connection.execute(delistings.insert(), rows)


def _takes_over(previous: SnapshotInfo | None, *, as_of: dt.date, bundled: bool) -> bool:
    """Whether a newly stored snapshot replaces the one in use: an older one is kept as history."""
    if previous is None:
        return True
    if previous.bundled != bundled:
        return previous.bundled
    return as_of >= previous.as_of


def _info(row: sa.Row) -> SnapshotInfo:
    return SnapshotInfo(
        id=row.id,
        source=row.source,
        as_of=row.as_of,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        record_count=row.record_count,
        origin=row.origin,
        note=row.note,
        active=bool(row.active),
        bundled=bool(row.bundled),
        as_of_known=bool(row.as_of_known),
        held_back=row.held_back,
    )
