"""A cached start reads an SQLite store without SQLAlchemy: the same version, schema check and refresh statuses as the
store gives, read whole while another process writes, and the store itself opened for anything else."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.list_dates import list_ages_now
from conftest import REAL, TODAY
from knowledge.curated import load_curated
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store import sqlite_reads
from knowledge.store.database import COMPONENT, MIGRATIONS, Store, curated_facts
from knowledge.store.lazy import CURRENT_SCHEMA, LazyStore, open_store
from knowledge.store.location import sqlite_file
from knowledge.store.migrations import migrate
from knowledge.store.refresh_state import COMPONENT as REFRESH_COMPONENT
from knowledge.store.refresh_state import MIGRATIONS as REFRESH_MIGRATIONS
from knowledge.store.refresh_state import RefreshState
from knowledge.store.transactions import writing

UN_AUGUST_2018 = REAL / "un" / "UN_consolidated_2018-08-24.xml"
UN_2018 = REAL / "un" / "UN_consolidated_2018-10-29.xml"


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled extracts, a list the user loaded (so its refreshes count on cards), change events,
    and refresh statuses of every kind: a success, a failure after a success, an attempt that never succeeded."""
    path = tmp_path_factory.mktemp("lazy") / "store.sqlite3"
    store = Store.open(str(path))
    prepare_store(store, now=TODAY)
    # Two editions: records the later one dropped are delistings, which a first start reads too.
    refresh_files(store, "un-sc", [UN_AUGUST_2018], now=TODAY, as_of=dt.date(2018, 8, 24))
    refresh_files(store, "un-sc", [UN_2018], now=TODAY, as_of=dt.date(2018, 10, 29), accept_removals=True)
    state = RefreshState(store.engine, migrated=True)
    early = dt.datetime(2026, 11, 20, 6, 30, 15, 123456, tzinfo=dt.UTC)
    state.record("un-sc", now=early, next_due=early + dt.timedelta(hours=6), result="+3 / -0")
    state.record("ofac-sdn", now=early, next_due=None, error="HTTP 503 from the publisher")
    state.record("uk-sanctions", now=early, next_due=None, result="unchanged")
    state.record("uk-sanctions", now=TODAY, next_due=TODAY + dt.timedelta(days=1), error="timed out")
    store.engine.dispose()
    return path


def test_the_plain_reads_give_what_the_store_gives(used: Path):
    store = Store.open(str(used))
    assert sqlite_reads.version(used) == store.version()
    statuses = sqlite_reads.refresh_statuses(used)
    assert statuses == store.refresh_statuses()
    assert statuses["uk-sanctions"].last_error == "timed out" and statuses["uk-sanctions"].last_success is not None
    assert statuses["un-sc"].last_attempt == dt.datetime(2026, 11, 20, 6, 30, 15, 123456, tzinfo=dt.UTC)


def test_what_a_first_start_reads_is_what_the_store_gives(used: Path):
    store = Store.open(str(used))
    assert sqlite_reads.snapshots(used) == store.snapshots()
    assert sqlite_reads.snapshots(used, "un-sc") == store.snapshots("un-sc") and len(store.snapshots("un-sc")) == 2
    assert sqlite_reads.active(used) == store.active()
    assert sqlite_reads.snapshot_sources(used) == store.snapshot_sources() >= {"un-sc", "ofac-sdn"}
    for snapshot in store.snapshots():
        assert sqlite_reads.records(used, snapshot.id) == store.records(snapshot.id)
        assert sqlite_reads.record_ids(used, snapshot.id) == store.record_ids(snapshot.id)
    delisted = sqlite_reads.delisted(used, "un-sc")
    assert delisted == store.delisted("un-sc") and delisted
    assert sqlite_reads.last_held(used, "un-sc") == store.last_held("un-sc") != {}
    assert sqlite_reads.curated_payloads(used) == store.curated_payloads() != {}


def test_a_first_start_on_a_prepared_store_builds_the_same_base_without_sqlalchemy(used: Path, tmp_path: Path):
    lazy, store = open_store(str(used)), Store.open(str(used))
    prepare_store(lazy, now=TODAY)
    assert isinstance(lazy, LazyStore) and lazy._made is None  # nothing to prepare: the store was never opened
    built, expected = load_knowledge(lazy, curated=load_curated()), load_knowledge(store, curated=load_curated())
    assert built.entities == expected.entities and built.sanctions == expected.sanctions
    assert built.snapshots == expected.snapshots
    # The whole command, in a process of its own: the build and the answer without SQLAlchemy imported.
    env = {**os.environ, "BRIEFBOT_DB": str(used), "BRIEFBOT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("BRIEFBOT_CACHE", None)
    script = (
        "import sys; from adapters.cli import main; main(['ask', '/who i-Soon']); print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.startswith("i-Soon") and done.stdout.rstrip().endswith("False")
    assert list((tmp_path / "cache").glob("knowledge-*.pickle"))


def test_a_store_with_something_to_prepare_is_prepared_through_a_lazy_store(tmp_path: Path):
    path = tmp_path / "store.sqlite3"
    store = Store.open(str(path))
    prepare_store(store, now=TODAY)
    shipped = store.curated_payloads()
    with writing(store.engine) as connection:
        connection.execute(curated_facts.delete().where(curated_facts.c.fact_id == sorted(shipped)[0]))
    lazy = open_store(str(path))
    prepare_store(lazy, now=TODAY)
    assert store.curated_payloads() == shipped


def test_a_lazy_store_dates_the_lists_on_a_card_as_the_store_does(used: Path):
    store = Store.open(str(used))
    lazy = open_store(str(used))
    assert isinstance(lazy, LazyStore)
    kb = load_knowledge(store)
    ages = list_ages_now(kb, lazy, TODAY)
    assert ages == list_ages_now(kb, store, TODAY)
    assert ages["un-sc"].confirmed == dt.datetime(2026, 11, 20, 6, 30, 15, 123456, tzinfo=dt.UTC)


def test_a_lazy_store_opens_the_store_for_anything_else(used: Path):
    lazy = open_store(str(used))
    assert isinstance(lazy, LazyStore)
    store = Store.open(str(used))
    assert lazy.active() == store.active()
    assert lazy.events(source="un-sc") == store.events(source="un-sc")
    assert lazy.version() == store.version() and lazy.url == store.url


def test_a_read_while_another_process_writes_sees_the_store_from_before_the_write(tmp_path: Path):
    path = tmp_path / "store.sqlite3"
    store = Store.open(str(path))
    prepare_store(store, now=TODAY)
    before = store.version()
    with writing(store.engine) as connection:
        connection.execute(curated_facts.insert().values(fact_id="new", payload="{}"))
        # The writer holds the write lock and has not committed: the read neither waits nor sees half of it.
        assert sqlite_reads.version(path) == before
    assert sqlite_reads.version(path) == store.version() != before


def test_a_store_short_of_a_migration_is_opened_and_brought_up_to_date(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}")
    migrate(engine, COMPONENT, MIGRATIONS[:-1])
    engine.dispose()
    opened = open_store(str(path))
    assert isinstance(opened, Store) and opened.schema_version() == MIGRATIONS[-1][0]
    assert isinstance(open_store(str(path)), LazyStore)


def test_a_store_not_made_yet_is_made_by_opening_it(tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    opened = open_store(str(path))
    assert isinstance(opened, Store) and path.exists()


def test_the_schema_a_lazy_store_expects_is_the_newest_the_migrations_make():
    for component, migrations in ((COMPONENT, MIGRATIONS), (REFRESH_COMPONENT, REFRESH_MIGRATIONS)):
        assert [n for n, _ in migrations] == list(range(1, CURRENT_SCHEMA[component] + 1))
    assert set(CURRENT_SCHEMA) == {COMPONENT, REFRESH_COMPONENT}


_PATH_CHARACTERS = st.sampled_from("abcXYZ019 ._/+~-%?#@:;&=!$'()[]*,éü中\\\t")


@settings(max_examples=500, deadline=None)
@given(st.text(_PATH_CHARACTERS, max_size=30))
@example("relative/store.sqlite3")
@example("/tmp/a b/store.db")
@example(":memory:")
@example("")
def test_a_url_read_without_sqlalchemy_names_the_file_sqlalchemy_opens_and_renders_as_given(path: str):
    url = f"sqlite:///{path}"
    found = sqlite_file(url)
    if found is None:
        return
    parsed = sa.make_url(url)
    assert str(parsed) == url and not parsed.query
    assert Path(parsed.database) == found


def test_only_sqlite_files_are_read_without_sqlalchemy():
    assert sqlite_file("sqlite:////var/lib/briefbot/store.sqlite3") == Path("/var/lib/briefbot/store.sqlite3")
    for url in ("postgresql+psycopg://bot@db/briefbot", "sqlite://", "sqlite:///:memory:", "sqlite:///a.db?mode=ro"):
        assert sqlite_file(url) is None
