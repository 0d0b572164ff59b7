"""Schema migrations for one database shared by several components, each with its own numbered history."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from knowledge.store.transactions import writing

__all__ = ["Migration", "migrate", "schema_version"]

Migration = tuple[int, Callable[[Connection], None]]

_metadata = sa.MetaData()
schema_migrations = sa.Table(
    "schema_migrations",
    _metadata,
    sa.Column("component", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


# Replicas starting together must not run one migration twice: on PostgreSQL they queue on this lock.
_MIGRATION_LOCK = 7_201_106_114


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the migration lock from its start: replicas starting together on an empty store
    queue here, on PostgreSQL by an advisory lock and on SQLite by taking the write lock at BEGIN, instead of
    both reading "not yet applied" and then colliding."""
    with writing(engine) as connection:
        _lock(connection)
        yield connection


def migrate(engine: Engine, component: str, migrations: Sequence[Migration]) -> None:
    """Apply, in one transaction each, the migrations of `component` the database has not seen yet."""
    with _locked(engine) as connection:
        _upgrade_single_component_table(connection)
        schema_migrations.create(connection, checkfirst=True)
    for version, step in migrations:
        with _locked(engine) as connection:
            done = connection.scalar(
                sa.select(sa.func.count())
                .select_from(schema_migrations)
                .where(schema_migrations.c.component == component, schema_migrations.c.version == version)
            )
            if done:
                continue
            step(connection)
            connection.execute(
                schema_migrations.insert().values(
                    component=component, version=version, applied_at=dt.datetime.now(dt.UTC)
                )
            )


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Keyed by the database and schema too: two stores on one server migrate without waiting for each other.
        connection.execute(
            sa.text(
                "SELECT pg_advisory_xact_lock("
                ":key # hashtextextended(current_database() || '/' || current_schema(), 0))"
            ),
            {"key": _MIGRATION_LOCK},
        )


def _upgrade_single_component_table(connection: Connection) -> None:
    """Stores made before components had their own histories kept the knowledge store's versions alone."""
    inspector = sa.inspect(connection)
    if not inspector.has_table("schema_migrations"):
        return
    if "component" in {column["name"] for column in inspector.get_columns("schema_migrations")}:
        return
    legacy = sa.Table(
        "schema_migrations",
        sa.MetaData(),
        sa.Column("version", sa.Integer),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
    )
    old = connection.execute(sa.select(legacy.c.version, legacy.c.applied_at)).all()
    legacy.drop(connection)
    schema_migrations.create(connection)
    for version, applied_at in old:
        connection.execute(
            schema_migrations.insert().values(component="knowledge", version=version, applied_at=applied_at)
        )


def schema_version(engine: Engine, component: str) -> int:
    with engine.connect() as connection:
        query = sa.select(sa.func.max(schema_migrations.c.version)).where(schema_migrations.c.component == component)
        return connection.scalar(query) or 0
