"""Change detection on real consecutive snapshots, checked against sets computed here from the raw rows."""

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REAL, TODAY, pg_schema, run_briefbot
from knowledge.curated import curated_facts, load_curated
from knowledge.lists.changes import ChangeKind
from knowledge.lists.refresh import refresh_files, use_snapshot
from knowledge.store.database import Store

OFAC = REAL / "ofac"


def _kinds(events):
    by_kind = defaultdict(set)
    for event in events:
        by_kind[event.kind].add(event.record_id)
    return by_kind


def _load(store: Store, source: str, path: Path, as_of: dt.date | None = None) -> list:
    before = store.last_event_id()
    refresh_files(store, source, [path], now=TODAY, as_of=as_of)
    return store.events(after_id=before)


def _ofac_rows(path: Path) -> dict[str, list[str]]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a")
    return {row[0]: row for row in csv.reader(io.StringIO(text)) if row}


MARCH_22, MARCH_25, MAY_3 = dt.date(2024, 3, 22), dt.date(2024, 3, 25), dt.date(2024, 5, 3)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ofac_editions(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_problem: str | None
) -> Iterator[dict[dt.date, list]]:
    """OFAC's SDN editions of 22 March, 25 March and 3 May 2024 loaded in turn into one store of each back-end, once
    for the module (each load of the whole list takes seconds): the events each edition's load gave."""

    def load_in_turn(store: Store) -> dict[dt.date, list]:
        return {
            day: _load(store, "ofac-sdn", OFAC / f"sdn_{day.isoformat()}.csv", day)
            for day in (MARCH_22, MARCH_25, MAY_3)
        }

    if request.param == "sqlite":
        yield load_in_turn(Store.open(str(tmp_path_factory.mktemp("changes") / "ofac.sqlite3")))
        return
    if pg_problem:
        pytest.skip(pg_problem)
    with pg_schema() as url:
        store = Store.open(url)
        yield load_in_turn(store)
        store.engine.dispose()


def test_ofac_2024_03_22_to_03_25_is_exactly_the_23_additions_of_that_day(ofac_editions):
    events = ofac_editions[MARCH_25]
    assert {e.kind for e in events} == {ChangeKind.ADDED}
    assert len(events) == 23
    assert Counter(e.programmes for e in events) == {("RUSSIA-EO14024",): 20, ("CYBER2",): 3}
    cyber = {e.entity_name for e in events if e.programmes == ("CYBER2",)}
    assert cyber == {"WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED", "ZHAO, Guangzong", "NI, Gaobin"}
    assert {e.as_of for e in events} == {MARCH_25} and {e.previous_as_of for e in events} == {MARCH_22}


def test_ofac_2024_03_25_to_05_03_matches_the_raw_rows(ofac_editions):
    events = ofac_editions[MAY_3]
    old, new = _ofac_rows(OFAC / "sdn_2024-03-25.csv"), _ofac_rows(OFAC / "sdn_2024-05-03.csv")
    kinds = _kinds(events)
    assert kinds[ChangeKind.ADDED] == new.keys() - old.keys()
    assert kinds[ChangeKind.REMOVED] == old.keys() - new.keys()
    assert kinds[ChangeKind.AMENDED] == {k for k in old.keys() & new.keys() if old[k] != new[k]}
    assert (len(kinds[ChangeKind.ADDED]), len(kinds[ChangeKind.REMOVED]), len(kinds[ChangeKind.AMENDED])) == (
        450,
        15,
        11,
    )
    programme_change = next(e for e in events if e.record_id == "15832")
    field = next(c for c in programme_change.changes if c.field == "programmes")
    assert (field.before, field.after) == (["SDGT"], ["HOSTAGES-EO14078", "SDGT"])


def test_an_amended_vessel_reports_its_new_call_sign_and_flag_beside_its_names(ofac_editions):
    # OFAC's 39693, YOUNG YONG in the editions of 22 and 25 March 2024, is SAINT LIGHT on 3 May, with a call sign
    # it had not, and the flag of Guyana where Djibouti's was.
    march = _ofac_rows(OFAC / "sdn_2024-03-25.csv")["39693"]
    may = _ofac_rows(OFAC / "sdn_2024-05-03.csv")["39693"]
    assert (march[5].strip(), march[9]) == ("-0-", "Djibouti") and (may[5], may[9]) == ("8RAR1", "Guyana")
    assert not [e for e in ofac_editions[MARCH_25] if e.record_id == "39693"]
    [amended] = [e for e in ofac_editions[MAY_3] if e.record_id == "39693"]
    assert amended.kind is ChangeKind.AMENDED
    changed = {c.field: (c.before, c.after) for c in amended.changes}
    assert changed["names"] == (["YOUNG YONG"], ["SAINT LIGHT"])
    assert changed["call sign"] == (None, "8RAR1")
    assert changed["vessel flag"] == ("Djibouti", "Guyana")
    assert "remarks" in changed  # the MMSI it gives changed too
    assert "vessel type" not in changed  # an oil products tanker in both


def _conlist_groups(path: Path, header_in_file: bool) -> dict[str, Counter]:
    lines = path.read_bytes().decode("cp1252").splitlines()
    rows = list(csv.reader(lines[2:] if header_in_file else lines))
    groups: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if any(cell.strip() for cell in row):
            groups[row[-1].strip()][tuple(cell.strip() for cell in row)] += 1
    return groups


def test_the_uk_conlist_pair_matches_the_raw_rows(store: Store):
    first, second = REAL / "uk" / "hmt_conlist_2018-04-13.csv", REAL / "uk" / "hmt_conlist_c2018-11-29_headerless.csv"
    _load(store, "uk-conlist", first)
    events = _load(store, "uk-conlist", second)
    old, new = _conlist_groups(first, True), _conlist_groups(second, False)
    kinds = _kinds(events)
    assert kinds[ChangeKind.ADDED] == new.keys() - old.keys()
    assert kinds[ChangeKind.REMOVED] == old.keys() - new.keys()
    assert kinds[ChangeKind.AMENDED] == {g for g in old.keys() & new.keys() if old[g] != new[g]}
    assert kinds[ChangeKind.ADDED] and kinds[ChangeKind.REMOVED] and kinds[ChangeKind.AMENDED]


def _un_elements(path: Path) -> dict[str, bytes]:
    root = ElementTree.parse(path).getroot()
    elements = [*root.iterfind("INDIVIDUALS/INDIVIDUAL"), *root.iterfind("ENTITIES/ENTITY")]
    return {" ".join(e.findtext("REFERENCE_NUMBER").split()): ElementTree.tostring(e) for e in elements}


def test_the_un_pair_matches_the_raw_elements(store: Store):
    first, second = REAL / "un" / "UN_consolidated_2018-08-24.xml", REAL / "un" / "UN_consolidated_2018-10-29.xml"
    _load(store, "un-sc", first)
    events = _load(store, "un-sc", second)
    _assert_the_raw_difference(events, _un_elements(first), _un_elements(second))


def _assert_the_raw_difference(events: list, old: dict, new: dict) -> None:
    """The events are the records added, removed and changed from `old` to `new` (each record's raw content)."""
    kinds = _kinds(events)
    assert kinds[ChangeKind.ADDED] == new.keys() - old.keys()
    assert kinds[ChangeKind.REMOVED] == old.keys() - new.keys()
    assert kinds[ChangeKind.AMENDED] == {r for r in old.keys() & new.keys() if old[r] != new[r]}


def _legacy_leaves(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Each entry of OFAC's legacy XML as the bag of its leaf elements' tags and texts: what it states, whatever the
    order of its lists' items."""
    entries = ElementTree.parse(path).getroot().findall("{*}sdnEntry")
    return {
        e.findtext("{*}uid"): sorted(
            (leaf.tag, " ".join((leaf.text or "").split())) for leaf in e.iter() if not len(leaf)
        )
        for e in entries
    }


def test_ofacs_legacy_xml_reordering_a_records_items_is_no_amendment(store: Store):
    # OFAC's legacy XML lists the ids of 215 records of 2025-12-18 (205 of 2026-01-08) in another order than the
    # edition before, every item the same: each was reported amended ("other listed details"), and 11 more by a
    # label's values listed in another order.
    files = [
        OFAC / f"OFAC_CONSOLIDATED_XML_legacy_Publish-{day}.xml" for day in ("2025-10-22", "2025-12-18", "2026-01-08")
    ]
    _load(store, "ofac-cons", files[0])
    for before, after in pairwise(files):
        events = _load(store, "ofac-cons", after)
        _assert_the_raw_difference(events, _legacy_leaves(before), _legacy_leaves(after))
    assert {e.record_id: [c.field for c in e.changes] for e in events} == {"17018": ["addresses"], "18721": ["names"]}


def test_records_stored_under_the_legacy_xmls_former_hash_are_compared_field_by_field_once():
    # A store loaded before the hash sorted each list's items holds "ofac-xml:" hashes of the published order: the
    # next edition's records are compared field by field (as another format's are), not all reported amended.
    from knowledge.lists.changes import diff_records
    from knowledge.lists.importers.ofac_xml import FORMAT, parse_ofac_xml

    read = parse_ofac_xml(OFAC / "OFAC_CONSOLIDATED_XML_legacy_Publish-2026-01-08.xml", source="ofac-cons").records
    stored = {r.record_id: dataclasses.replace(r, raw_hash=f"{FORMAT}:hashed in published order") for r in read}
    assert diff_records(stored, {r.record_id: r for r in read}, as_of=MAY_3, previous_as_of=MARCH_25) == []


def test_opensanctions_deltas_map_onto_the_same_events(store: Store):
    refresh_files(
        store, "opensanctions", [REAL / "opensanctions" / "yente_t1_eu_fsf_sample.entities.ftm.json"], now=TODAY
    )
    before = store.last_event_id()
    folder = REAL / "opensanctions" / "yente_t2_deltas"
    refresh_files(store, "opensanctions", sorted(folder.glob("*.entities.delta.json")), now=TODAY)
    kinds = _kinds(store.events(after_id=before))
    # NK-500Poltergeist was added and deleted again within the batch: no net change to report.
    assert kinds[ChangeKind.ADDED] == {"NK-2T3S8Hu29ktYnKSTgQp2wL", "NK-2sJaJRaPJcWUfMbHjTtWcL", "Q4365364"}
    assert not kinds[ChangeKind.REMOVED]


def test_a_first_load_and_a_bundled_sample_give_no_events(store: Store):
    from knowledge.lists.bundled import seed

    seed(store, now=TODAY)
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-22.csv"], now=TODAY, as_of=dt.date(2024, 3, 22))
    assert store.events() == []


def test_a_change_in_the_curated_data_is_an_event(store: Store):
    data = load_curated()
    facts = curated_facts(data)
    names = {e.id: e.caption for e in data.entities.values()}
    kinds = {e.id: e.kind.value for e in data.entities.values()}
    assert store.sync_curated(facts, names=names, kinds=kinds, today=TODAY.date(), now=TODAY) == []  # first seen
    changed = dict(facts)
    changed["sanction:gb-2025-12-09-isoon"] = {**facts["sanction:gb-2025-12-09-isoon"], "list_ref": "CYB0099"}
    changed["allegation:new-one"] = {"subject": "isoon", "statement": "The FCDO alleges more.", "source": "x"}
    events = store.sync_curated(changed, names=names, kinds=kinds, today=TODAY.date(), now=TODAY)
    assert {(e.kind, e.record_id) for e in events} == {
        (ChangeKind.AMENDED, "sanction:gb-2025-12-09-isoon"),
        (ChangeKind.ADDED, "allegation:new-one"),
    }
    amended = next(e for e in events if e.kind is ChangeKind.AMENDED)
    assert amended.entity_name == "i-Soon"
    assert amended.entity_kind == "company"
    assert [(c.field, c.before, c.after) for c in amended.changes] == [("list_ref", None, "CYB0099")]


def test_changes_since_a_date_as_one_json_document(tmp_path: Path):
    env = {**os.environ, "BRIEFBOT_DB": str(tmp_path / "c.sqlite3")}

    def briefbot(*args: str) -> subprocess.CompletedProcess[str]:
        return run_briefbot(*args, env=env)

    for name, day in (("sdn_2024-03-22.csv", "2024-03-22"), ("sdn_2024-03-25.csv", "2024-03-25")):
        assert briefbot("refresh", "--file", str(OFAC / name), "--as-of", day).returncode == 0
    run = briefbot("changes", "--since", "2024-03-25", "--source", "ofac-sdn", "--json")
    result = json.loads(run.stdout)
    assert result["count"] == len(result["events"]) == 23
    assert set(result["events"][0]) >= {"source", "kind", "record_id", "entity_name", "changed_fields", "as_of"}
    assert json.loads(briefbot("changes", "--since", "2024-03-26", "--json").stdout)["events"] == []
    assert briefbot("changes", "--since", "2024-02-30").returncode == 2


def test_the_same_published_rows_read_otherwise_are_no_amendment():
    # Stored records keep the reading of the importer that loaded them: one that reads a row better since (OFAC's
    # "alt. Passport RL 1794375 (Lebanon)", once read "RL") must not report every such record amended.
    from knowledge.lists.changes import diff_records
    from knowledge.lists.importers.ofac_csv import parse_ofac_csv

    parsed = parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn").records
    tajideen = next(r for r in parsed if r.record_id == "11494")
    read_before = dataclasses.replace(tajideen, identifiers={**tajideen.identifiers, "Passport": "0285669; RL"})
    assert diff_records({"11494": read_before}, {"11494": tajideen}, as_of=MAY_3, previous_as_of=MARCH_25) == []
    # The same difference in rows published otherwise is an amendment, with what changed.
    published_otherwise = dataclasses.replace(read_before, raw_hash="another row")
    events = diff_records({"11494": published_otherwise}, {"11494": tajideen}, as_of=MAY_3, previous_as_of=MARCH_25)
    assert [(e.kind, [(c.field, c.before, c.after) for c in e.changes]) for e in events] == [
        (ChangeKind.AMENDED, [("Passport", "0285669; RL", "0285669; RL 1794375")])
    ]


def test_what_a_catalogue_record_is_built_from_outside_its_object_is_in_its_hash(tmp_path):
    # An unchanged hash is no amendment (diff_records), so each hash covers everything its record is read from.
    from knowledge.lists.changes import diff_records
    from knowledge.lists.importers.misp_galaxy import parse_misp_galaxy
    from knowledge.lists.importers.mitre_attack import parse_mitre_attack

    # A MISP cluster's kind is its galaxy's, which the cluster's own object does not state.
    actors = json.loads((REAL / "misp_galaxy" / "threat-actor.json").read_text(encoding="utf-8"))
    one = {**actors, "values": actors["values"][:1]}
    (tmp_path / "actor.json").write_text(json.dumps(one), encoding="utf-8")
    (tmp_path / "vendor.json").write_text(json.dumps({**one, "type": "surveillance-vendor"}), encoding="utf-8")
    as_actor, as_vendor = (parse_misp_galaxy([tmp_path / f]).records for f in ("actor.json", "vendor.json"))
    moved = diff_records(
        {r.record_id: r for r in as_actor}, {r.record_id: r for r in as_vendor}, as_of=MAY_3, previous_as_of=MARCH_25
    )
    assert [e.kind for e in moved] == [ChangeKind.AMENDED] and "type" in {c.field for c in moved[0].changes}
    # ATT&CK's APT41 (G0096) read from the Mobile bundle and an Enterprise object of the same group: one record of
    # both, amended when the Enterprise object gains an alias.
    enterprise = REAL / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set"
    apt41 = next(p for p in enterprise.glob("*.json") if '"G0096"' in p.read_text(encoding="utf-8"))
    bundle = json.loads(apt41.read_text(encoding="utf-8"))
    bundle["objects"][0]["aliases"].append("Double Dragon")
    (tmp_path / apt41.name).write_text(json.dumps(bundle), encoding="utf-8")
    mobile = REAL / "mitre_attack" / "mobile-attack-17.1.stix21.json"
    first, second = (
        {r.record_id: r for r in parse_mitre_attack([mobile, path], source="mitre-attack-mobile").records}
        for path in (apt41, tmp_path / apt41.name)
    )
    events = diff_records({"G0096": first["G0096"]}, {"G0096": second["G0096"]}, as_of=MAY_3, previous_as_of=MARCH_25)
    assert [c.field for e in events for c in e.changes] == ["names"]


def test_a_refresh_says_how_many_records_it_added_removed_and_amended(store: Store):
    # The summary gave "+3 / -8" and left out the records amended, which the digest then announced.
    first, second = REAL / "un" / "UN_consolidated_2018-08-24.xml", REAL / "un" / "UN_consolidated_2018-10-29.xml"
    refresh_files(store, "un-sc", [first], now=TODAY - dt.timedelta(days=60))
    result = refresh_files(store, "un-sc", [second], now=TODAY)
    old, new = _un_elements(first), _un_elements(second)
    amended = sum(1 for r in old.keys() & new.keys() if old[r] != new[r])
    assert amended and result.amended == amended
    assert f"3 added, 8 removed, {amended} amended against the list in use before" in result.describe()


def test_a_snapshot_put_back_in_use_counts_the_amendments_of_that_switch_only(store: Store):
    # UN 2018-08-24, 2018-10-29, 2026-02-27, then back to 2018-10-29: its amendments were those of both times it came
    # into use (9 + 892 said, 892 true).
    paths = [REAL / "un" / f"UN_consolidated_{day}.xml" for day in ("2018-08-24", "2018-10-29", "2026-02-27")]
    loaded = [
        refresh_files(store, "un-sc", [path], now=TODAY - dt.timedelta(days=days_ago), accept_removals=True)
        for days_ago, path in zip((90, 60, 30), paths, strict=True)
    ]
    back = use_snapshot(store, loaded[1].snapshot.id, now=TODAY, accept_removals=True)
    old, new = _un_elements(paths[2]), _un_elements(paths[1])
    assert back.restored and back.amended == sum(1 for r in old.keys() & new.keys() if old[r] != new[r])
