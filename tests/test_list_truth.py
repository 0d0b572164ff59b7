"""Lists that never announce a falsehood: cut files held back, recovery, honest dates, bad files, masked secrets."""

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.service import Bot
from conftest import REAL, TODAY, run_briefbot
from knowledge.errors import DataError, UsageError
from knowledge.lists.bundled import seed
from knowledge.lists.changes import ChangeKind
from knowledge.lists.guard import RemovalPolicy, check_removals
from knowledge.lists.masking import mask_text, mask_url
from knowledge.lists.records import record_json
from knowledge.lists.refresh import refresh_files, use_snapshot
from knowledge.loading import load_knowledge
from knowledge.store.database import Store

OFAC = REAL / "ofac"
SDN_0503 = OFAC / "sdn_2024-05-03.csv"
CONS = OFAC / "cons_prim_2018-05.csv"
UK = REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv"
CONLIST = REAL / "uk" / "hmt_conlist_2018-04-13.csv"
FTM = REAL / "opensanctions" / "yente_zala_cluster.entities.ftm.json"
MOBILE = REAL / "mitre_attack" / "mobile-attack-17.1.stix21.json"
ENTERPRISE = REAL / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set"


def _head(path: Path, lines: int, target: Path) -> Path:
    """What `head -n LINES` makes of a file: whole lines, and no OFAC end-of-file mark."""
    target.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:lines]))
    return target


def _removals(store: Store) -> list:
    return [e for e in store.events() if e.kind is ChangeKind.REMOVED]


def _cli(tmp_path: Path):
    env = {**os.environ, "BRIEFBOT_DB": str(tmp_path / "cli.sqlite3")}

    def briefbot(*args: str) -> subprocess.CompletedProcess[str]:
        return run_briefbot(*args, env=env)

    return briefbot


# --- a cut file never becomes delistings ---


def test_the_ofac_file_cut_by_head_is_held_back_and_wuhan_xiaoruizhi_stays_listed(tmp_path: Path):
    briefbot = _cli(tmp_path)
    store = Store.open(str(tmp_path / "cli.sqlite3"))
    refresh_files(store, "ofac-sdn", [SDN_0503], now=TODAY, as_of=dt.date(2024, 5, 3))
    cut = briefbot("refresh", "--file", str(_head(SDN_0503, 7000, tmp_path / "sdn.csv")))
    assert cut.returncode == 3
    assert "HELD BACK" in cut.stdout
    assert "7,965 of the 14,965 records in use" in cut.stdout
    assert "Traceback" not in cut.stderr
    card = briefbot("ask", "/who Wuhan Xiaoruizhi").stdout
    assert "US (OFAC)" in card
    assert "DELISTED" not in card
    assert json.loads(briefbot("changes", "--since", "2000-01-01", "--json").stdout)["count"] == 0
    listing = briefbot("snapshots", "ofac-sdn").stdout
    assert "held back because it would remove 7,965" in listing


def test_a_held_back_snapshot_is_taken_only_when_the_user_accepts_the_removals(store: Store, tmp_path: Path):
    full = refresh_files(store, "ofac-cons", [CONS], now=TODAY, as_of=dt.date(2018, 5, 27))
    cut = _head(CONS, 300, tmp_path / "cons_prim.csv")
    held = refresh_files(store, "ofac-cons", [cut], now=TODAY, as_of=dt.date(2018, 5, 28))
    assert held.held_back and not held.snapshot.active
    assert "it would remove 339 of the 639 records in use" in held.describe()
    again = refresh_files(store, "ofac-cons", [cut], now=TODAY)
    assert again.held_back
    assert [s.id for s in store.active()] == [full.snapshot.id]
    assert _removals(store) == [] and store.delisted("ofac-cons") == []
    taken = refresh_files(store, "ofac-cons", [cut], now=TODAY, accept_removals=True)
    assert taken.snapshot.active and taken.removed == 339
    assert len(_removals(store)) == 339


def test_a_cut_that_removes_only_the_last_rows_is_held_back_though_under_the_share(store: Store, tmp_path: Path):
    refresh_files(store, "uk-sanctions-list", [UK], now=TODAY)
    lines = UK.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "uk.csv"
    cut.write_bytes(b"".join(lines[:-10]))
    result = refresh_files(store, "uk-sanctions-list", [cut], now=TODAY)
    assert result.held_back and "exactly the last 10" in result.held_back
    assert _removals(store) == []


def test_an_ofac_file_without_its_end_mark_delists_nothing_unasked(store: Store, tmp_path: Path):
    refresh_files(store, "ofac-cons", [CONS], now=TODAY)
    data = CONS.read_bytes()
    # One whole row missing from the middle, and the mark gone: as a row-dropping copy would leave it.
    lines = data.rstrip(b"\x1a").splitlines(keepends=True)
    damaged = tmp_path / "cons_prim.csv"
    damaged.write_bytes(b"".join(lines[:100] + lines[101:]))
    result = refresh_files(store, "ofac-cons", [damaged], now=TODAY)
    assert result.held_back and "end-of-file mark" in result.held_back
    assert _removals(store) == []


def test_a_conlist_cut_inside_the_last_group_id_is_held_back(store: Store, tmp_path: Path):
    refresh_files(store, "uk-conlist", [CONLIST], now=TODAY)
    data = CONLIST.read_bytes()
    cut = tmp_path / "ConList.csv"
    cut.write_bytes(data[: len(data.rstrip(b"\r\n")) - 3])  # "…,12927" becomes "…,12"
    result = refresh_files(store, "uk-conlist", [cut], now=TODAY)
    assert result.held_back and "ends inside a line" in result.held_back
    assert store.events() == []


def test_a_ftm_file_cut_mid_line_is_refused_with_its_line(store: Store, tmp_path: Path):
    data = FTM.read_bytes()
    cut = tmp_path / "entities.ftm.json"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"entities\.ftm\.json: line \d+: not JSON"):
        refresh_files(store, "opensanctions", [cut], now=TODAY)


def test_the_guard_share_and_minimum_are_configurable(monkeypatch):
    before, after = {str(n) for n in range(1000)}, {str(n) for n in range(30, 1000)}
    assert check_removals(before, after) is None
    assert "over the guard's 1%" in check_removals(before, after, policy=RemovalPolicy(share=0.01, minimum=20))
    monkeypatch.setenv("BRIEFBOT_REMOVAL_SHARE", "1%")
    monkeypatch.setenv("BRIEFBOT_REMOVAL_MIN", "20")
    assert RemovalPolicy.from_environment() == RemovalPolicy(share=0.01, minimum=20)
    monkeypatch.setenv("BRIEFBOT_REMOVAL_SHARE", "lots")
    with pytest.raises(UsageError, match="BRIEFBOT_REMOVAL_SHARE"):
        RemovalPolicy.from_environment()


# --- recovery ---


def test_loading_the_right_file_again_puts_its_snapshot_back_with_change_events(store: Store, tmp_path: Path):
    full = refresh_files(store, "ofac-cons", [CONS], now=TODAY, as_of=dt.date(2018, 5, 27))
    cut = _head(CONS, 300, tmp_path / "cons_prim.csv")
    assert refresh_files(store, "ofac-cons", [cut], now=TODAY, accept_removals=True).snapshot.active
    mark = store.last_event_id()
    back = refresh_files(store, "ofac-cons", [CONS], now=TODAY, as_of=dt.date(2018, 5, 27))
    assert back.restored and back.snapshot.id == full.snapshot.id and back.snapshot.active
    assert (back.added, back.removed) == (339, 0)
    events = store.events(after_id=mark)
    assert len(events) == 339 and {e.kind for e in events} == {ChangeKind.ADDED}
    assert store.delisted("ofac-cons") == []


def test_the_mobile_bundle_is_a_list_of_its_own_and_never_replaces_the_enterprise_set(store: Store):
    seed(store, now=TODAY)
    refresh_files(store, None, [MOBILE], now=TODAY)
    refresh_files(store, "mitre-attack", [ENTERPRISE], now=TODAY)
    active = {s.source: s for s in store.active()}
    assert active["mitre-attack"].record_count == 172
    assert active["mitre-attack-mobile"].record_count == 15
    assert "G1045" in store.record_ids(active["mitre-attack"].id)  # Salt Typhoon: Enterprise only
    with pytest.raises(DataError, match="--source mitre-attack-mobile"):
        refresh_files(store, "mitre-attack", [MOBILE], now=TODAY)


def test_use_goes_back_to_a_chosen_snapshot_through_the_cli(tmp_path: Path):
    briefbot = _cli(tmp_path)
    store = Store.open(str(tmp_path / "cli.sqlite3"))
    for name, day in (("sdn_2024-03-22.csv", dt.date(2024, 3, 22)), ("sdn_2024-03-25.csv", dt.date(2024, 3, 25))):
        refresh_files(store, "ofac-sdn", [OFAC / name], now=TODAY, as_of=day)
    listing = briefbot("snapshots", "ofac-sdn").stdout
    older = next(line.split()[0] for line in listing.splitlines() if "2024-03-22" in line)
    back = briefbot("refresh", "--use", older)
    assert back.returncode == 0 and f"snapshot {older}" in back.stdout
    assert "0 added, 23 removed, 0 amended against the list in use before" in back.stdout
    events = json.loads(briefbot("changes", "--since", "2024-03-22", "--json").stdout)["events"]
    assert sum(e["kind"] == "removed" for e in events) == 23
    assert briefbot("refresh", "--use", "999").returncode == 2


def test_use_of_a_held_back_snapshot_needs_the_acceptance(store: Store, tmp_path: Path):
    refresh_files(store, "uk-sanctions-list", [UK], now=TODAY)
    held = refresh_files(store, "uk-sanctions-list", [_head(UK, 2000, tmp_path / "uk.csv")], now=TODAY)
    assert use_snapshot(store, held.snapshot.id, now=TODAY).held_back
    assert use_snapshot(store, held.snapshot.id, now=TODAY, accept_removals=True).snapshot.active


# --- honest dates ---


def test_a_list_without_a_stated_date_says_its_date_is_unknown_and_sources_show_what_is_held(tmp_path: Path):
    briefbot = _cli(tmp_path)
    # OFAC's CSV states no date: the 2025 cyber extract, loaded without --as-of, has none.
    assert briefbot("refresh", "--file", str(OFAC / "sdn_cyber_extract_gitmatch-2025.csv")).returncode == 0
    store = Store.open(str(tmp_path / "cli.sqlite3"))
    refresh_files(store, "ofac-cons", [CONS], now=TODAY)
    refresh_files(store, "ofac-cons", [_head(CONS, 300, tmp_path / "cons_prim.csv")], now=TODAY)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    sources = briefbot("sources").stdout
    assert f"loaded on {today}; publisher's date unknown" in sources
    assert "HELD BACK" in sources and "300 records" in sources
    card = briefbot("ask", "/who Wuhan Xiaoruizhi").stdout
    assert f"OFAC Specially Designated Nationals (SDN) list, loaded on {today}; publisher's date unknown" in card
    assert f"as of {today}" not in card
    assert "unknown" in briefbot("snapshots", "ofac-sdn").stdout


def test_the_publishers_last_modified_dates_a_file_that_states_none(store: Store):
    modified = dt.datetime(2024, 3, 25, 18, 43, tzinfo=dt.UTC)
    result = refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-25.csv"], now=TODAY, last_modified=modified)
    assert result.snapshot.as_of_known and result.snapshot.as_of == dt.date(2024, 3, 25)
    stated = refresh_files(
        store, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY, last_modified=modified
    )
    assert stated.snapshot.as_of == dt.date(2018, 8, 24)  # the date in the file wins


# --- bad files ---


# Each bad file is a real file damaged the way the issue found: the format is the publisher's, never invented.
DEEP = 100_000
MISP = REAL / "misp_galaxy" / "microsoft-activity-group.json"
UN = REAL / "un" / "UN_consolidated_2018-08-24.xml"


def _json_edit(path: Path, edit) -> bytes:
    document = json.loads(path.read_bytes())
    edit(document)
    return json.dumps(document).encode()


def _first_group(document: dict) -> dict:
    return next(o for o in document["objects"] if o.get("type") == "intrusion-set")


def _deep(document: dict, key: str, target: dict) -> bytes:
    """The document with one value replaced by an array nested DEEP levels down (json.dumps would recurse)."""
    marker = "@@deep@@"
    target[key] = marker
    return json.dumps(document).replace(f'"{marker}"', "[" * DEEP + "]" * DEEP).encode()


def _ftm_lines(edit) -> bytes:
    lines = [json.loads(line) for line in FTM.read_text().splitlines()]
    edit(lines)
    return "\n".join(json.dumps(line) for line in lines).encode() + b"\n"


def _set(document_or_line: dict, key: str, value) -> None:
    document_or_line[key] = value


def _ofac_first_field(column: int, value: bytes) -> bytes:
    data = (OFAC / "sdn_2024-03-22.csv").read_bytes()
    first, rest = data.split(b"\r\n", 1)
    cells = first.split(b",")
    cells[column] = value
    return b",".join(cells) + b"\r\n" + rest


BAD_FILES = {
    "deep nesting (ATT&CK)": (
        "mitre-attack",
        "mobile.json",
        lambda: (lambda d: _deep(d, "aliases", _first_group(d)))(json.loads(MOBILE.read_bytes())),
    ),
    "deep nesting (MISP)": (
        "misp-galaxy",
        "cluster.json",
        lambda: (lambda d: _deep(d, "meta", d["values"][0]))(json.loads(MISP.read_bytes())),
    ),
    "deep nesting (FtM)": (
        "opensanctions",
        "entities.ftm.json",
        lambda: FTM.read_bytes().replace(
            b'"properties": {', b'"deep": ' + b"[" * DEEP + b"]" * DEEP + b', "properties": {', 1
        ),
    ),
    "128 KB field (OFAC)": ("ofac-sdn", "sdn.csv", lambda: _ofac_first_field(11, b'"' + b"A" * 131_100 + b'"')),
    "128 KB field (UK)": (
        "uk-sanctions-list",
        "uk.csv",
        lambda: UK.read_bytes().replace(b"\r\n", b',"' + b"A" * 131_100 + b'"\r\n', 1),
    ),
    "128 KB field (ConList)": (
        "uk-conlist",
        "ConList.csv",
        lambda: CONLIST.read_bytes().replace(b"\nName 6,", b'\n"' + b"A" * 131_100 + b'",', 1),
    ),
    "objects not a list (ATT&CK)": (
        "mitre-attack",
        "mobile.json",
        lambda: _json_edit(MOBILE, lambda d: _set(d, "objects", {"a": 1})),
    ),
    "aliases a number (ATT&CK)": (
        "mitre-attack",
        "mobile.json",
        lambda: _json_edit(MOBILE, lambda d: _set(_first_group(d), "aliases", 7)),
    ),
    "references a string (ATT&CK)": (
        "mitre-attack",
        "mobile.json",
        lambda: _json_edit(MOBILE, lambda d: _set(_first_group(d), "external_references", "G0096")),
    ),
    "values of strings (MISP)": (
        "misp-galaxy",
        "cluster.json",
        lambda: _json_edit(MISP, lambda d: _set(d, "values", ["APT1"])),
    ),
    "meta a list (MISP)": (
        "misp-galaxy",
        "cluster.json",
        lambda: _json_edit(MISP, lambda d: _set(d["values"][0], "meta", [1])),
    ),
    "synonyms a string (MISP)": (
        "misp-galaxy",
        "cluster.json",
        lambda: _json_edit(MISP, lambda d: _set(d["values"][0], "meta", {"synonyms": 5})),
    ),
    "properties a list (FtM)": (
        "opensanctions",
        "entities.ftm.json",
        lambda: _ftm_lines(lambda ls: _set(ls[-1], "properties", [1])),
    ),
    "a line of a list (FtM)": (
        "opensanctions",
        "entities.ftm.json",
        lambda: _ftm_lines(lambda ls: ls.insert(3, [1, 2])),
    ),
    "id over 200 characters (FtM)": (
        "opensanctions",
        "entities.ftm.json",
        lambda: _ftm_lines(lambda ls: _set(next(x for x in ls if x.get("target")), "id", "x" * 250)),
    ),
    "id over 200 characters (OFAC)": ("ofac-sdn", "sdn.csv", lambda: _ofac_first_field(0, b"9" * 250)),
    "empty": ("un-sc", "consolidated.xml", lambda: b""),
    "binary junk": ("ofac-sdn", "sdn.csv", lambda: bytes(range(256)) * 40),
    "Latin-1 where UTF-8 is due (MISP)": (
        "misp-galaxy",
        "cluster.json",
        lambda: (
            MISP.read_text(encoding="utf-8")
            .replace('"value": "', '"value": "Caf\u00e9 ', 1)
            .encode("latin-1", "replace")
        ),
    ),
    "UTF-16 (UK)": ("uk-sanctions-list", "uk.csv", lambda: UK.read_text(encoding="utf-8")[:5000].encode("utf-16")),
    "an impossible date (UN)": (
        "un-sc",
        "consolidated.xml",
        lambda: UN.read_bytes().replace(b'dateGenerated="2018-08-24', b'dateGenerated="2018-02-30', 1),
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_malformed_file_is_refused_by_name_and_the_list_in_use_is_untouched(case: str, store: Store, tmp_path: Path):
    good = refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY)
    source, name, make = BAD_FILES[case]
    bad = tmp_path / name
    bad.write_bytes(make())
    with pytest.raises(DataError) as refused:
        refresh_files(store, source, [bad], now=TODAY)
    message = str(refused.value)
    assert message.startswith(name) and len(message) < 600
    assert [s.id for s in store.active()] == [good.snapshot.id]
    assert len(store.snapshots()) == 1


def test_a_malformed_file_through_the_cli_is_a_refusal_not_a_traceback(tmp_path: Path):
    bad = tmp_path / "mobile.json"
    bad.write_bytes(BAD_FILES["deep nesting (ATT&CK)"][2]())
    run = _cli(tmp_path)("refresh", "--source", "mitre-attack", "--file", str(bad))
    assert run.returncode == 3
    assert "Traceback" not in run.stderr and "mobile.json: the JSON is nested too deeply" in run.stderr


def test_a_missing_file_is_a_usage_error(tmp_path: Path):
    run = _cli(tmp_path)("refresh", "--file", str(tmp_path / "nowhere.csv"))
    assert run.returncode == 2 and "nowhere.csv: no such file" in run.stderr


@pytest.mark.parametrize(
    "files",
    [
        ["cons_consolidated_xml_2018-04-06.xml"],
        ["cons_prim_2018-05.csv", "cons_add_2018-05.csv", "cons_alt_2018-05.csv"],
        ["cons_prim_watchman-2025-12.csv", "cons_add_watchman-2025-12.csv", "cons_alt_watchman-2025-12.csv"],
    ],
)
def test_ofacs_non_sdn_list_loaded_as_the_sdn_list_is_refused_naming_the_right_list(files: list[str], tmp_path: Path):
    store = Store.open(str(tmp_path / "store.sqlite3"))
    with pytest.raises(DataError) as refused:
        refresh_files(store, "ofac-sdn", [OFAC / f for f in files], now=TODAY)
    assert "OFAC's Consolidated (non-SDN) list" in str(refused.value) and "--source ofac-cons" in str(refused.value)
    assert "NS-PLC" in str(refused.value) and store.snapshots() == []
    # The same files as what they are load, and the SDN list's own records (some also under NS-PLC) stay SDN.
    assert refresh_files(store, "ofac-cons", [OFAC / f for f in files], now=TODAY).snapshot.active
    assert refresh_files(store, "ofac-sdn", [SDN_0503], now=TODAY).snapshot.active


def test_a_designation_on_ofacs_non_sdn_list_says_so_and_how_old_its_undated_copy_is(tmp_path: Path):
    store = Store.open(str(tmp_path / "store.sqlite3"))
    cons = [OFAC / f"cons_{kind}_watchman-2025-12.csv" for kind in ("prim", "add", "alt", "comments")]
    refresh_files(store, "ofac-cons", cons, now=TODAY)
    refresh_files(store, "ofac-sdn", [SDN_0503], now=TODAY, as_of=dt.date(2024, 5, 3))
    bot = Bot(load_knowledge(store), clock=lambda: TODAY)
    rosneft = bot.answer("/who ofac:17022").text
    assert "OFAC Consolidated (non-SDN) ref 17022" in rosneft and "OFAC SDN ref" not in rosneft
    # The copy states no date: the day it was loaded says nothing of the list on that day.
    loaded = f"in the copy of the list loaded on {TODAY.date().isoformat()} (publisher's date unknown)"
    assert loaded in rosneft and "since at least" not in rosneft
    hamas = bot.answer("/who HAMAS").text
    assert "OFAC SDN ref 4695" in hamas and "on the list since at least 2024-05-03" in hamas


def test_changes_prints_its_summary_on_stdout_and_an_empty_json_result(tmp_path: Path):
    briefbot = _cli(tmp_path)
    plain = briefbot("changes", "--since", "2030-01-01")
    assert plain.stdout.strip() == "0 change(s) since 2030-01-01."
    empty = json.loads(briefbot("changes", "--since", "2030-01-01", "--json").stdout)
    assert empty == {"since": "2030-01-01", "source": None, "count": 0, "events": []}


# --- secrets in addresses ---


def test_credentials_in_an_address_are_masked():
    url = "https://analyst:s3cret@mirror.example/sdn.csv?token=abc123&format=csv"
    assert mask_url(url) == "https://***@mirror.example/sdn.csv?token=***&format=***"
    assert "abc123" not in mask_text(f"{url}: the server answered 404 Not Found.")
    assert mask_text(f"{url}: failed").endswith(": failed")


def test_a_token_in_a_list_url_is_never_echoed_or_stored(tmp_path: Path):
    import functools
    import http.server
    import threading

    (tmp_path / "consolidated.xml").write_bytes((REAL / "un" / "UN_consolidated_2018-08-24.xml").read_bytes())

    authorisations = []

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            authorisations.append(self.headers.get("Authorization"))
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    briefbot = _cli(tmp_path)
    try:
        missing = briefbot(
            "refresh", "--source", "un-sc", "--url", f"http://127.0.0.1:{port}/nowhere.xml?token=SECRET42"
        )
        user_info = briefbot("refresh", "--source", "un-sc", "--url", f"http://user:hunter2@127.0.0.1:{port}/x.xml")
        loaded = briefbot(
            "refresh", "--source", "un-sc", "--url", f"http://127.0.0.1:{port}/consolidated.xml?token=SECRET42"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert missing.returncode == 3 and "404" in missing.stderr
    assert loaded.returncode == 0
    sources = briefbot("sources").stdout
    assert "consolidated.xml?token=***" in sources
    # User info is sent as Basic authentication (user:hunter2), not looked up as part of the host name.
    assert user_info.returncode == 3 and "404" in user_info.stderr and "Traceback" not in user_info.stderr
    assert authorisations == [None, "Basic dXNlcjpodW50ZXIy", None]
    for run in (missing, user_info, loaded):
        assert "SECRET42" not in run.stdout + run.stderr and "hunter2" not in run.stdout + run.stderr
    assert "SECRET42" not in sources and "hunter2" not in sources
    store = Store.open(str(tmp_path / "cli.sqlite3"))
    assert all("SECRET42" not in s.origin and "hunter2" not in s.origin for s in store.snapshots())


def test_a_version_3_store_keeps_its_snapshots_in_use_after_the_migration(tmp_path: Path):
    import sqlalchemy as sa

    from knowledge.lists.importers.un_xml import parse_un_xml
    from knowledge.store import database as store_module
    from knowledge.store.migrations import migrate

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'v3.sqlite3'}")
    migrate(engine, "knowledge", store_module.MIGRATIONS[:3])
    parsed = parse_un_xml(UN)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO snapshots (id, source, as_of, fetched_at, content_hash, record_count, origin, active, "
                "bundled) VALUES (1, 'un-sc', '2018-08-24', '2026-11-01 00:00:00', 'old', :count, 'x', 1, 0)"
            ),
            {"count": len(parsed.records)},
        )
        connection.execute(
            sa.text("INSERT INTO records (snapshot_id, record_id, payload) VALUES (1, :id, :payload)"),
            [{"id": r.record_id, "payload": record_json(r)} for r in parsed.records],
        )
    store = Store.open(str(tmp_path / "v3.sqlite3"))
    [old] = store.active()
    assert old.as_of_known and old.held_back is None and old.dated == "as of 2018-08-24"
    newer = refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY)
    assert newer.snapshot.active and not newer.held_back
    assert store.events()


def test_credentials_in_an_address_go_only_over_https_or_to_this_machine(tmp_path: Path):
    from knowledge.lists.download import fetch

    with pytest.raises(DataError, match=r"http://\*\*\*@lists.example.org/x.xml: credentials are sent only over https"):
        fetch("http://user:hunter2@lists.example.org/x.xml", tmp_path / "x.xml", attempts=1)


def test_a_version_4_store_learns_which_delisting_dates_are_only_load_days(tmp_path: Path):
    import sqlalchemy as sa

    from knowledge.lists.importers.un_xml import parse_un_xml
    from knowledge.store import database as store_module
    from knowledge.store.migrations import migrate

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'v4.sqlite3'}")
    migrate(engine, "knowledge", store_module.MIGRATIONS[:4])
    first, second = parse_un_xml(UN).records[:2]
    with engine.begin() as connection:
        # A dated copy, then one loaded on 2026-11-01 with no publisher's date; one record went in each.
        copies = ((1, "2018-08-24", 1, 0), (2, "2018-10-29", 1, 0), (3, "2026-11-01", 0, 1))
        for snapshot, as_of, known, active in copies:
            connection.execute(
                sa.text(
                    "INSERT INTO snapshots (id, source, as_of, fetched_at, content_hash, record_count, origin, active,"
                    " bundled, as_of_known) VALUES (:id, 'un-sc', :as_of, '2026-11-01 00:00:00', :hash, 0, 'x',"
                    " :active, 0, :known)"
                ),
                {"id": snapshot, "as_of": as_of, "hash": f"h{snapshot}", "active": active, "known": known},
            )
        connection.execute(
            sa.text("INSERT INTO records (snapshot_id, record_id, payload) VALUES (:s, :id, :payload)"),
            [{"s": s, "id": r.record_id, "payload": record_json(r)} for s, r in ((1, first), (2, second))],
        )
        connection.execute(
            sa.text(
                "INSERT INTO delistings (source, record_id, delisted_on, last_snapshot_id) VALUES "
                "('un-sc', :first, '2018-10-29', 1), ('un-sc', :second, '2026-11-01', 2)"
            ),
            {"first": first.record_id, "second": second.record_id},
        )
    store = Store.open(str(tmp_path / "v4.sqlite3"))
    found = {record.record_id: (day.isoformat(), known) for record, day, known in store.delisted("un-sc")}
    assert found == {first.record_id: ("2018-10-29", True), second.record_id: ("2026-11-01", False)}


def test_an_older_edition_loaded_again_stays_history_and_delists_no_one(store: Store):
    march_22, march_25 = OFAC / "sdn_2024-03-22.csv", OFAC / "sdn_2024-03-25.csv"
    refresh_files(store, "ofac-sdn", [march_22], now=TODAY, as_of=dt.date(2024, 3, 22))
    refresh_files(store, "ofac-sdn", [march_25], now=TODAY, as_of=dt.date(2024, 3, 25))
    again = refresh_files(store, "ofac-sdn", [march_22], now=TODAY, as_of=dt.date(2024, 3, 22))
    assert again.unchanged and not again.snapshot.active
    assert "older than the list in use (as of 2024-03-25), so it stays history" in again.describe()
    [in_use] = [s for s in store.active() if s.source == "ofac-sdn"]
    assert in_use.as_of == dt.date(2024, 3, 25)
    assert _removals(store) == [] and store.delisted("ofac-sdn") == []
