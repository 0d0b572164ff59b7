"""The screening record: screenings, their rows and the decisions on them, append-only in the store's database."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.screening.engine import Verdict
from bot.screening.result import PriorDecision, Screening
from knowledge.errors import BriefbotError
from knowledge.store.migrations import Migration, migrate, schema_version
from knowledge.store.transactions import writing

__all__ = ["DECISIONS", "AuditStore", "Decision", "Place", "Purge", "RecordKeptError", "name_key", "row_key"]

log = logging.getLogger(__name__)
# Screenings deleted per statement by a purge (SQLite allows 32,766 bound values in one).
_PURGE_BATCH = 10_000

# What a screener may decide on a possible match, as the buttons say it.
DECISIONS = {"not-same": "Not the same", "escalate": "Same: escalate", "watch": "Watch"}
# Records the tables refuse to change: an UPDATE always, a DELETE until the record's retention has run out.
_TABLES = ("screenings", "screening_rows", "screening_decisions")

metadata = sa.MetaData()
screenings = sa.Table(
    "screenings",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("workspace", sa.String(200)),
    sa.Column("channel", sa.String(200)),
    sa.Column("user_id", sa.String(200)),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date),
    sa.Column("versions", sa.Text, nullable=False),
    sa.Column("input_digest", sa.String(64), nullable=False),
    sa.Column("total_rows", sa.Integer, nullable=False),
    sa.Column("screened_rows", sa.Integer, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("retain_until", sa.Date, nullable=False),
    sa.Index("ix_screenings_started_at", "started_at"),
)
rows = sa.Table(
    "screening_rows",
    metadata,
    sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), primary_key=True),
    sa.Column("row_number", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.Text),
    sa.Column("birth", sa.Text),
    sa.Column("row_digest", sa.String(64), nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("hits", sa.Text, nullable=False),
    sa.Column("retain_until", sa.Date, nullable=False),
)
decisions = sa.Table(
    "screening_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column("row_digest", sa.String(64), nullable=False),
    sa.Column("entity_reference", sa.String(250), nullable=False),
    sa.Column("entity_caption", sa.Text, nullable=False),
    sa.Column("record_digest", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("decided_by", sa.String(200), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("versions", sa.Text, nullable=False),
    sa.Column("retain_until", sa.Date, nullable=False),
    sa.Index("ix_screening_decisions_key", "name_key", "entity_reference"),
    sa.Index("ix_screening_decisions_at", "decided_at"),
)


def _append_only(connection: Connection) -> None:
    """Triggers that refuse any UPDATE, and any DELETE of a record still within its retention, whoever asks."""
    for table in _TABLES:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text(
                    f"CREATE OR REPLACE FUNCTION {table}_kept() RETURNS trigger AS $$ BEGIN "
                    "IF TG_OP = 'UPDATE' OR OLD.retain_until >= CURRENT_DATE THEN "
                    f"RAISE EXCEPTION 'the screening record is append-only ({table})'; END IF; RETURN OLD; END; "
                    "$$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {table}_kept()"
                )
            )
        else:
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the screening record is append-only ({table})'); END"
                )
            )
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    "WHEN OLD.retain_until >= date('now') "
                    f"BEGIN SELECT RAISE(ABORT, 'the screening record is append-only ({table})'); END"
                )
            )


deciders = sa.Table(
    "screening_deciders",
    metadata,
    # Each setting is a new row, the latest in force: who could decide, and who said so, stays on record.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("workspace", sa.String(200), nullable=False),
    sa.Column("channel", sa.String(200), nullable=False),
    sa.Column("groups", sa.Text, nullable=False),
    sa.Column("set_by", sa.String(200), nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_screening_deciders_channel", "platform", "workspace", "channel"),
)


def _refuse_rewrites(connection: Connection) -> None:
    """What the first triggers missed: SQLite's INSERT OR REPLACE deletes without firing a DELETE trigger, so an
    insert over a key on record is refused; PostgreSQL's TRUNCATE fires no row trigger; the deciders' history is
    kept like the rest."""
    keys = {
        "screenings": ("id",),
        "screening_rows": ("screening_id", "row_number"),
        "screening_decisions": ("id",),
        "screening_deciders": ("id",),
    }
    for table, key in keys.items():
        refusal = f"the screening record is append-only ({table})"
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text(
                    f"CREATE OR REPLACE FUNCTION {table}_whole() RETURNS trigger AS $$ BEGIN "
                    f"RAISE EXCEPTION '{refusal}'; END; $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} EXECUTE FUNCTION {table}_whole()"
                )
            )
            if table == "screening_deciders":
                connection.execute(
                    sa.text(
                        f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION {table}_whole()"
                    )
                )
            continue
        same = " AND ".join(f"{column} = NEW.{column}" for column in key)
        connection.execute(
            sa.text(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {same}) BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
            )
        )
        if table == "screening_deciders":
            for operation in ("UPDATE", "DELETE"):
                connection.execute(
                    sa.text(
                        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
                    )
                )


def _create_v1(connection: Connection) -> None:
    for table in (screenings, rows, decisions):
        table.create(connection)
    _append_only(connection)


def _add_deciders(connection: Connection) -> None:
    deciders.create(connection)


# How a screening's rows are numbered, kept in its summary: the numbering of the input itself.
ROW_NUMBERS = "the input's own: a file's row as a spreadsheet numbers it (the header is row 1), a pasted line's line"
# How the screenings recorded before their summaries said so numbered them.
EARLIER_ROW_NUMBERS = "data rows from 1, the header and blank rows not counted"

COMPONENT = "screening"
MIGRATIONS: list[Migration] = [(1, _create_v1), (2, _add_deciders), (3, _refuse_rewrites)]


class RecordKeptError(BriefbotError):
    """A decision refers to a screening or row the record does not hold."""


def name_key(name: str) -> str:
    """The name a decision is remembered under: case and spacing aside."""
    return " ".join(name.casefold().split())


def row_key(name: str, country: str | None, birth: str | None) -> tuple[str, str, str]:
    """A row as a standing decision (and a repeated row) knows it: its name, country and date of birth as given,
    case and spacing aside."""
    return name_key(name), name_key(country or ""), (birth or "").strip()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a screening ran: a decision made there stands there alone."""

    platform: str
    workspace: str | None
    channel: str | None


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _retain_until(now: dt.datetime, years: int) -> dt.date:
    day = now.date()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def _recorded_before(now: dt.datetime, years: int) -> dt.datetime:
    """The moment a record made before is past a retention of `years` as of `now`."""
    day = now.date()
    try:
        day = day.replace(year=day.year - years)
    except ValueError:  # 29 February back into a year without one
        day = day.replace(year=day.year - years, day=28)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Purge:
    """What a purge removes (or would): the records past retention, made before `before`."""

    before: dt.datetime
    screenings: list[dict]
    rows: int
    decisions: list[dict]
    done: bool

    @property
    def empty(self) -> bool:
        return not self.screenings and not self.decisions


@dataclass(frozen=True, slots=True)
class Decision:
    screening_id: str
    row_number: int
    entity_reference: str
    decision: str
    reason: str
    decided_by: str
    decided_at: dt.datetime


class AuditStore:
    """Adds screenings and decisions and reads them back; there is no method to change or remove one."""

    def __init__(self, engine: Engine, *, retention_years: int = 10) -> None:
        self.engine = engine
        self.retention_years = retention_years
        migrate(engine, COMPONENT, MIGRATIONS)

    def schema_version(self) -> int:
        return schema_version(self.engine, COMPONENT)

    def add_screening(self, screening: Screening, *, workspace: str | None = None) -> None:
        keep = _retain_until(screening.started_at, self.retention_years)
        summary = {
            "counts": {verdict.value: n for verdict, n in screening.counts().items()},
            "set_aside": screening.set_aside,
            "over_limit": screening.over_limit,
            "notes": screening.notes,
            "lists": screening.editions_text,
            "row_numbers": ROW_NUMBERS,
        }
        with writing(self.engine) as connection:
            connection.execute(
                screenings.insert().values(
                    id=screening.id,
                    started_at=screening.started_at,
                    platform=screening.platform,
                    workspace=workspace,
                    channel=screening.channel,
                    user_id=screening.user,
                    source=screening.source,
                    as_of=screening.as_of,
                    versions=json.dumps(screening.versions, sort_keys=True),
                    input_digest=screening.input_digest,
                    total_rows=screening.total,
                    screened_rows=len(screening.rows),
                    summary=json.dumps(summary, sort_keys=True),
                    retain_until=keep,
                )
            )
            values = [
                {
                    "screening_id": screening.id,
                    "row_number": row.row.number,
                    "name": row.row.shown,
                    "country": row.row.country,
                    "birth": row.row.birth,
                    "row_digest": row.row.digest,
                    "verdict": row.verdict.value,
                    "hits": json.dumps(
                        [
                            {
                                "reference": h.reference,
                                "caption": h.caption,
                                "score": h.score,
                                "matched": h.matched,
                                "record_digest": h.record_digest,
                                "lists": list(h.lists),
                            }
                            for h in row.hits
                        ]
                    ),
                    "retain_until": keep,
                }
                for row in screening.rows
            ]
            for start in range(0, len(values), 2000):
                connection.execute(rows.insert(), values[start : start + 2000])

    def row(self, screening_id: str, row_number: int) -> dict | None:
        """A screened row as recorded: name, details, verdict and candidates; None if there is none."""
        query = sa.select(rows).where(rows.c.screening_id == screening_id, rows.c.row_number == row_number)
        with self.engine.connect() as connection:
            found = connection.execute(query).first()
            versions = connection.scalar(sa.select(screenings.c.versions).where(screenings.c.id == screening_id))
        if found is None:
            return None
        return {**found._asdict(), "hits": json.loads(found.hits), "versions": versions}

    def add_decision(
        self,
        *,
        screening_id: str,
        row_number: int,
        entity_reference: str,
        decision: str,
        reason: str,
        decided_by: str,
        platform: str,
        now: dt.datetime,
    ) -> Decision:
        """Record a decision on one candidate of one screened row; the row and candidate must be on record."""
        if decision not in DECISIONS:
            raise RecordKeptError(f"“{decision}” is not a decision; the choices are {', '.join(DECISIONS.values())}.")
        recorded = self.row(screening_id, row_number)
        if recorded is None:
            raise RecordKeptError(f"Screening {screening_id} has no row {row_number} on record.")
        if recorded["verdict"] != Verdict.POSSIBLE.value:
            raise RecordKeptError(
                f"Row {row_number} of screening {screening_id} was screened “{recorded['verdict']}”, not a possible "
                "match; decisions are recorded on possible matches only."
            )
        first = self._first_of(screening_id, recorded)
        if first != row_number:
            raise RecordKeptError(
                f"Row {row_number} of screening {screening_id} repeats row {first}; record the decision on row {first}."
            )
        hit = next((h for h in recorded["hits"] if h["reference"] == entity_reference), None)
        if hit is None:
            raise RecordKeptError(f"Row {row_number} of screening {screening_id} has no candidate {entity_reference}.")
        with writing(self.engine) as connection:
            connection.execute(
                decisions.insert().values(
                    screening_id=screening_id,
                    row_number=row_number,
                    name=recorded["name"],
                    name_key=name_key(recorded["name"]),
                    row_digest=recorded["row_digest"],
                    entity_reference=entity_reference,
                    entity_caption=hit["caption"],
                    record_digest=hit["record_digest"],
                    decision=decision,
                    reason=reason,
                    decided_by=decided_by,
                    decided_at=now,
                    platform=platform,
                    versions=recorded["versions"],
                    retain_until=_retain_until(now, self.retention_years),
                )
            )
        return Decision(screening_id, row_number, entity_reference, decision, reason, decided_by, now)

    def _first_of(self, screening_id: str, recorded: dict) -> int:
        """The number of the first row of the screening with this row's name, country and date of birth."""
        key = row_key(recorded["name"], recorded["country"], recorded["birth"])
        query = (
            sa.select(rows.c.row_number, rows.c.name, rows.c.country, rows.c.birth)
            .where(rows.c.screening_id == screening_id, rows.c.row_number <= recorded["row_number"])
            .order_by(rows.c.row_number)
        )
        with self.engine.connect() as connection:
            for found in connection.execute(query):
                if row_key(found.name, found.country, found.birth) == key:
                    return found.row_number
        return recorded["row_number"]

    def standing(
        self, candidates: set[tuple[tuple[str, str, str], str, str]], *, place: Place
    ) -> dict[tuple[tuple[str, str, str], str], PriorDecision]:
        """For (row key, entity reference, record digest) triples: the latest decision made in this place on a row
        with that name, country and date of birth against that entity, where it was made against the same record (a
        changed record, other details or another channel ask again)."""
        if not candidates:
            return {}
        names = {key[0] for key, _, _ in candidates}
        query = (
            sa.select(decisions, rows.c.country, rows.c.birth)
            .join(
                rows,
                sa.and_(rows.c.screening_id == decisions.c.screening_id, rows.c.row_number == decisions.c.row_number),
            )
            .join(screenings, screenings.c.id == decisions.c.screening_id)
            .where(
                decisions.c.name_key.in_(names),
                screenings.c.platform == place.platform,
                screenings.c.workspace.is_not_distinct_from(place.workspace),
                screenings.c.channel.is_not_distinct_from(place.channel),
            )
            .order_by(decisions.c.decided_at, decisions.c.id)
        )
        latest: dict[tuple[tuple[str, str, str], str], sa.Row] = {}
        with self.engine.connect() as connection:
            for found in connection.execute(query):
                latest[(row_key(found.name, found.country, found.birth), found.entity_reference)] = found
        standing = {}
        for key, reference, digest in candidates:
            found = latest.get((key, reference))
            if found is not None and found.record_digest == digest:
                standing[(key, reference)] = PriorDecision(
                    decision=DECISIONS[found.decision],
                    decided_by=found.decided_by,
                    decided_at=_utc(found.decided_at),
                    reason=found.reason,
                    screening_id=found.screening_id,
                )
        return standing

    def set_deciders(
        self, *, platform: str, workspace: str, channel: str, groups: list[str], set_by: str, now: dt.datetime
    ) -> None:
        """Who may decide in a channel from now on: members of these groups (Slack user groups, Discord roles)."""
        with writing(self.engine) as connection:
            connection.execute(
                deciders.insert().values(
                    platform=platform,
                    workspace=workspace,
                    channel=channel,
                    groups=json.dumps(sorted(set(groups))),
                    set_by=set_by,
                    set_at=now,
                )
            )

    def deciders(self, *, platform: str, workspace: str, channel: str) -> list[str]:
        """The groups whose members may decide in the channel; none set: nobody may."""
        query = (
            sa.select(deciders.c.groups)
            .where(deciders.c.platform == platform, deciders.c.workspace == workspace, deciders.c.channel == channel)
            .order_by(deciders.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            found = connection.scalar(query)
        return json.loads(found) if found else []

    def purge(self, *, now: dt.datetime, apply: bool = False) -> Purge:
        """The screenings (with their rows) and decisions past retention: their own retain-until date gone by and
        made more than the retention now set ago (a retention lengthened since keeps them). `apply` deletes them,
        else only says which. A screening stays while a decision on it is kept; who may decide is never purged."""
        before = _recorded_before(now, self.retention_years)
        # The database's own date, as the triggers that refuse a DELETE within retention read it.
        past = sa.func.current_date()
        decisions_gone = sa.and_(decisions.c.retain_until < past, decisions.c.decided_at < before)
        kept_decisions = sa.select(decisions.c.screening_id).where(sa.not_(decisions_gone))
        screenings_gone = sa.and_(
            screenings.c.retain_until < past,
            screenings.c.started_at < before,
            screenings.c.id.not_in(kept_decisions),
        )
        going = sa.select(screenings.c.id).where(screenings_gone)
        with writing(self.engine) as connection:
            screening_columns = ("id", "started_at", "platform", "channel", "total_rows", "retain_until")
            chosen = _plain_rows(
                connection,
                sa.select(*(screenings.c[c] for c in screening_columns))
                .where(screenings_gone)
                .order_by(screenings.c.started_at),
            )
            row_count = connection.scalar(
                sa.select(sa.func.count()).select_from(rows).where(rows.c.screening_id.in_(going))
            )
            decision_columns = ("id", "screening_id", "decided_at", "decided_by", "retain_until")
            decided = _plain_rows(
                connection,
                sa.select(*(decisions.c[c] for c in decision_columns))
                .where(decisions_gone)
                .order_by(decisions.c.decided_at, decisions.c.id),
            )
            if apply:
                # Decisions and rows refer to their screening: they go first.
                connection.execute(decisions.delete().where(decisions_gone))
                connection.execute(rows.delete().where(rows.c.screening_id.in_(going)))
                # Exactly those reported, in batches: SQLite takes at most 32,766 values in one statement.
                ids = [s["id"] for s in chosen]
                for start in range(0, len(ids), _PURGE_BATCH):
                    connection.execute(
                        screenings.delete().where(screenings.c.id.in_(ids[start : start + _PURGE_BATCH]))
                    )
        if apply:
            log.info(
                "screening record purged past retention (%d years, recorded before %s): %d screenings, %d rows, "
                "%d decisions",
                self.retention_years,
                before.date().isoformat(),
                len(chosen),
                row_count,
                len(decided),
            )
        return Purge(before=before, screenings=chosen, rows=row_count or 0, decisions=decided, done=apply)

    def export(self, *, since: dt.datetime) -> Iterator[tuple[str, dict]]:
        """Every screening, row, decision and change of who may decide from `since` on, oldest first, as (kind,
        record) pairs."""
        with self.engine.connect() as connection:
            chosen = connection.execute(
                sa.select(screenings).where(screenings.c.started_at >= since).order_by(screenings.c.started_at)
            ).all()
            for screening in chosen:
                plain = _plain(screening)
                # Said of every screening, so an auditor reads a row number against the kept input the way it was
                # counted: screenings recorded before the summary said it counted data rows, the header not counted.
                plain["summary"].setdefault("row_numbers", EARLIER_ROW_NUMBERS)
                yield "screening", plain
                for row in connection.execute(
                    sa.select(rows).where(rows.c.screening_id == screening.id).order_by(rows.c.row_number)
                ):
                    yield "row", _plain(row)
            for decision in connection.execute(
                sa.select(decisions)
                .where(decisions.c.decided_at >= since)
                .order_by(decisions.c.decided_at, decisions.c.id)
            ):
                yield "decision", _plain(decision)
            for change in connection.execute(
                sa.select(deciders).where(deciders.c.set_at >= since).order_by(deciders.c.set_at, deciders.c.id)
            ):
                yield "deciders", _plain(change)


def _plain_rows(connection: Connection, query: sa.Select) -> list[dict]:
    return [_plain(row) for row in connection.execute(query)]


def _plain(row: sa.Row) -> dict:
    out = {}
    for key, value in row._asdict().items():
        if isinstance(value, dt.datetime):
            value = _utc(value).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if key in ("versions", "summary", "hits", "groups") and isinstance(value, str):
            value = json.loads(value)
        out[key] = value
    return out
