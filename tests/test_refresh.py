"""Refresh into the store: snapshots, identical content, downloads from a local server, and every bad input."""

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REAL, TODAY
from knowledge.errors import DataError
from knowledge.lists.refresh import refresh, refresh_files
from knowledge.store.database import SCHEMA_VERSION, Store

OFAC = REAL / "ofac"


def test_a_refresh_keeps_every_snapshot_and_uses_the_newest(store: Store):
    first = refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-22.csv"], now=TODAY, as_of=dt.date(2024, 3, 22))
    second = refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-25.csv"], now=TODAY, as_of=dt.date(2024, 3, 25))
    assert (first.snapshot.record_count, second.snapshot.record_count) == (14_507, 14_530)
    assert (second.added, second.removed) == (23, 0)
    snapshots = store.snapshots("ofac-sdn")
    assert [s.active for s in snapshots] == [False, True]
    assert store.schema_version() == SCHEMA_VERSION


def test_identical_content_adds_no_snapshot(store: Store):
    refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY)
    again = refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY)
    assert again.unchanged
    assert len(store.snapshots("un-sc")) == 1


def test_an_older_snapshot_is_kept_as_history_without_replacing_the_newer(store: Store):
    refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY)
    older = refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY)
    assert not older.snapshot.active
    assert [s.as_of.isoformat() for s in store.active()] == ["2018-10-29"]


def test_records_that_leave_a_list_are_kept_as_delisted_with_the_date(store: Store):
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-25.csv"], now=TODAY, as_of=dt.date(2024, 3, 25))
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    before = {line.split(",")[0] for line in (OFAC / "sdn_2024-03-25.csv").read_text().splitlines()[:-1]}
    after = {line.split(",")[0] for line in (OFAC / "sdn_2024-05-03.csv").read_text().splitlines()[:-1]}
    delisted = store.delisted("ofac-sdn")
    assert {r.record_id for r, _, _ in delisted} == before - after
    assert len(delisted) == 15
    assert {(day, known) for _, day, known in delisted} == {(dt.date(2024, 5, 3), True)}


def test_the_source_is_recognised_from_the_file(store: Store):
    result = refresh_files(store, None, [REAL / "uk" / "hmt_conlist_2018-04-13.csv"], now=TODAY)
    assert result.source == "uk-conlist"
    assert str(result.snapshot.as_of) == "2018-04-13"


def test_opensanctions_deltas_apply_to_the_loaded_export(store: Store):
    refresh_files(
        store, "opensanctions", [REAL / "opensanctions" / "yente_t1_eu_fsf_sample.entities.ftm.json"], now=TODAY
    )
    folder = REAL / "opensanctions" / "yente_t2_deltas"
    result = refresh_files(store, "opensanctions", sorted(folder.glob("*.entities.delta.json")), now=TODAY)
    ids = {r.record_id for r in store.records(result.snapshot.id)}
    assert "NK-500Poltergeist" not in ids  # added, then deleted
    assert {"NK-2T3S8Hu29ktYnKSTgQp2wL", "NK-2sJaJRaPJcWUfMbHjTtWcL", "Q4365364"} <= ids
    assert result.snapshot.record_count == 6 + 3


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on loopback, serving a folder; stops with the test."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_refresh_from_a_url_downloads_and_imports(store: Store, http_root):
    base, folder = http_root
    (folder / "consolidated.xml").write_bytes((REAL / "un" / "UN_consolidated_2026-02-27.xml").read_bytes())
    [result] = refresh(store, "un-sc", now=TODAY, url=f"{base}/consolidated.xml")
    assert result.snapshot.record_count == 730 + 273
    assert result.snapshot.origin == f"{base}/consolidated.xml"


def test_an_oversized_download_is_refused_and_nothing_changes(store: Store, http_root):
    base, folder = http_root
    (folder / "consolidated.xml").write_bytes((REAL / "un" / "UN_consolidated_2026-02-27.xml").read_bytes())
    with pytest.raises(DataError, match="byte cap"):
        refresh(store, "un-sc", now=TODAY, url=f"{base}/consolidated.xml", max_bytes=10_000)
    assert store.snapshots() == []


def test_a_missing_file_on_the_server_is_a_clear_error(store: Store, http_root):
    base, _ = http_root
    with pytest.raises(DataError, match="404"):
        refresh(store, "un-sc", now=TODAY, url=f"{base}/nowhere.xml")


def test_an_unknown_list_name_suggests_the_nearest(store: Store):
    with pytest.raises(DataError, match="Did you mean 'ofac-sdn'"):
        refresh(store, "ofac-sdm", now=TODAY, files=[OFAC / "sdn_2024-03-22.csv"])


# --- bad files: each is refused with a message naming the file, and the data in use is untouched ---


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 3 // 5]


def _utf16(data: bytes) -> bytes:
    return data[:20_000].decode("utf-8", "replace").encode("utf-16")


def _blank_first_id_csv(data: bytes) -> bytes:
    first, rest = data.split(b"\n", 1)
    return b"," + first.split(b",", 1)[1] + b"\n" + rest


def _duplicate_first_row(data: bytes) -> bytes:
    first = data.split(b"\n", 1)[0]
    return first + b"\n" + data


XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>'
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><sdnList>&lol3;</sdnList>'
)

BAD = {
    "ofac-sdn": (OFAC / "sdn_2024-03-22.csv", "csv"),
    "ofac-cons": (OFAC / "cons_consolidated_xml_2018-04-06.xml", "xml"),
    "uk-sanctions-list": (REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv", "uk"),
    "uk-conlist": (REAL / "uk" / "hmt_conlist_2018-04-13.csv", "conlist"),
    "un-sc": (REAL / "un" / "UN_consolidated_2018-08-24.xml", "xml"),
    "opensanctions": (REAL / "opensanctions" / "yente_zala_cluster.entities.ftm.json", "jsonl"),
    "mitre-attack": (REAL / "mitre_attack" / "mobile-attack-17.1.stix21.json", "json"),
    "misp-galaxy": (REAL / "misp_galaxy" / "microsoft-activity-group.json", "json"),
}


def _variants(source: str) -> dict[str, bytes]:
    path, kind = BAD[source]
    data = path.read_bytes()
    other = (REAL / "un" / "UN_consolidated_2018-08-24.xml") if kind != "xml" else (OFAC / "sdn_2024-03-22.csv")
    variants = {
        "empty": b"",
        "truncated": _cut(data),
        "another list's file": other.read_bytes()[:50_000],
        "UTF-16": _utf16(data),
    }
    if kind == "csv":
        variants["record without an id"] = _blank_first_id_csv(data)
        variants["duplicate ids"] = _duplicate_first_row(data)
    if kind == "uk":
        header, first, rest = data.split(b"\n", 2)
        variants["record without an id"] = header + b"\n" + b"," + first.split(b",", 1)[1] + b"\n" + rest
        variants["duplicate ids"] = header + b"\n" + first + b"\n" + first + b"\n" + rest
    if kind == "xml":
        variants["external entity"] = XXE
        variants["entity-expansion bomb"] = BOMB
        text = data.decode("utf-8")
        if source == "un-sc":
            variants["record without an id"] = text.replace(
                "<REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>", "<REFERENCE_NUMBER/>", 1
            ).encode()
            first = text[text.index("<INDIVIDUAL>") : text.index("</INDIVIDUAL>") + len("</INDIVIDUAL>")]
            variants["duplicate ids"] = text.replace(first, first + first, 1).encode()
        else:
            variants["record without an id"] = text.replace("<uid>4632</uid>", "", 1).encode()
            first = text[text.index("<sdnEntry>") : text.index("</sdnEntry>") + len("</sdnEntry>")]
            variants["duplicate ids"] = text.replace(first, first + first, 1).encode()
    if kind == "jsonl":
        lines = data.splitlines(keepends=True)
        variants["duplicate ids"] = lines[0] + data
        variants["record without an id"] = lines[0].replace(b'"id"', b'"identity"', 1) + b"".join(lines[1:])
    return variants


CASES = [(source, variant) for source in BAD for variant in _variants(source)]


@pytest.mark.parametrize(("source", "variant"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
def test_a_bad_file_is_refused_with_its_name_and_the_data_in_use_is_untouched(source, variant, tmp_path, store: Store):
    good = refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY)
    before = [(s.id, s.active) for s in store.snapshots()]
    suffix = BAD[source][0].suffix
    bad = tmp_path / f"bad-{variant.replace(' ', '-').replace(chr(39), '')}{suffix}"
    bad.write_bytes(_variants(source)[variant])
    with pytest.raises(DataError) as raised:
        refresh_files(store, source, [bad], now=TODAY)
    assert bad.name in str(raised.value) or "no current intrusion sets" in str(raised.value)
    assert [(s.id, s.active) for s in store.snapshots()] == before
    assert store.active()[0].id == good.snapshot.id


def test_a_version_1_store_is_migrated_on_opening(tmp_path: Path):
    import sqlalchemy as sa

    from knowledge.store import database as store_module
    from knowledge.store.migrations import migrate

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate(engine, "knowledge", store_module.MIGRATIONS[:1])
    opened = Store.open(str(tmp_path / "old.sqlite3"))
    assert opened.schema_version() == SCHEMA_VERSION == 5
    refresh_files(opened, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY)
    assert opened.active()[0].bundled is False


def test_the_users_own_list_supersedes_a_bundled_extract_whatever_the_dates(store: Store):
    from knowledge.lists.bundled import seed

    seed(store, now=TODAY)
    bundled = next(s for s in store.active() if s.source == "ofac-sdn")
    assert bundled.bundled and str(bundled.as_of) == "2025-11-02"
    own = refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    assert own.snapshot.active
    assert store.delisted("ofac-sdn") == []  # the extract's rows missing from the full list are not "delisted"
    # Nor are they hidden without a word: the user is told the extract knew of later designations.
    assert "the bundled extract (as of 2025-11-02) is newer than this file: 58 of its records" in own.describe()


def test_an_older_file_never_hides_what_the_newer_extract_it_replaced_holds(store: Store):
    # Before: with OFAC's SDN file of 3 May 2024 loaded, "/who Funnull Technology" (ent 53953, in the shipped
    # extract of 2025-11-02, designated in 2025) answered "No entity matching"; Zhou Shuai's Shanghai address
    # (add row 52828/80780 of the extract) was gone from his card.
    from bot.service import Bot
    from knowledge.loading import load_knowledge, prepare_store

    prepare_store(store, now=TODAY)
    own = refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    assert "they stay shown, cited to the extract and its date" in own.describe()
    bot = Bot(load_knowledge(store), clock=lambda: TODAY, store=store)
    card = bot.answer("/who Funnull Technology")
    assert card.status == "found", card.text
    assert "OFAC SDN ref 53953" in card.text
    assert "OFAC Specially Designated Nationals (SDN) list, as of 2025-11-02" in card.text
    assert "Shanghai 201102" in bot.answer("where is Zhou Shuai based?").text
    # What the older file does hold is cited to it, not to the extract (BELAN, ent 21324, is in both).
    kb = bot.kb
    held = kb.by_reference("ofac:21324")
    assert held is not None
    assert {str(kb.source(s.source).date) for s in kb.sanctions_of(held)} == {"2024-05-03"}


def test_a_view_as_of_a_day_after_the_newer_extract_keeps_what_it_holds_as_today_does(store: Store):
    # Before: today's knowledge showed Funnull Technology (ent 53953, only in the extract of 2025-11-02) behind the
    # SDN file of 3 May 2024, but a screening as of 2026-01-01 found no match: the view read the file alone.
    from knowledge.as_of import knowledge_as_of
    from knowledge.loading import prepare_store

    prepare_store(store, now=TODAY)
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    after = knowledge_as_of(store, dt.date(2026, 1, 1))
    assert after.kb.by_reference("ofac:53953") is not None
    sdn = next(e for e in after.editions if e.source == "ofac-sdn")
    assert "with the records of the extract shipped with briefbot (as of 2025-11-02) it lacks" in sdn.describe()
    assert "2025-11-02" in after.versions()["ofac-sdn"]
    # A day before the extract: the extract says nothing of it.
    before = knowledge_as_of(store, dt.date(2025, 6, 1))
    assert before.kb.by_reference("ofac:53953") is None


def test_a_store_from_before_per_component_migrations_is_upgraded(tmp_path: Path):
    import sqlalchemy as sa

    from knowledge.store import database as store_module

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'legacy.sqlite3'}")
    legacy = sa.Table(
        "schema_migrations",
        sa.MetaData(),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
    )
    with engine.begin() as connection:
        legacy.create(connection)
        for version, step in store_module.MIGRATIONS[:2]:
            step(connection)
            connection.execute(legacy.insert().values(version=version, applied_at=TODAY))
    upgraded = Store.open(str(tmp_path / "legacy.sqlite3"))
    assert upgraded.schema_version() == SCHEMA_VERSION


def test_a_failed_migration_step_leaves_nothing_half_done(tmp_path: Path):
    import sqlalchemy as sa

    from knowledge.store.migrations import migrate, schema_version

    def broken(connection) -> None:
        connection.execute(sa.text("CREATE TABLE half (x INTEGER)"))
        raise RuntimeError("the step fails after its first statement")

    store = Store.open(str(tmp_path / "m.sqlite3"))
    with pytest.raises(RuntimeError):
        migrate(store.engine, "other", [(1, broken)])
    assert not sa.inspect(store.engine).has_table("half")
    assert schema_version(store.engine, "other") == 0
