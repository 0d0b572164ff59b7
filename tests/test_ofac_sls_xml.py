"""OFAC's Sanctions List Service XML (Enhanced and Advanced) on the real files, checked against the legacy XML."""

import datetime as dt
from xml.etree import ElementTree

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.errors import DataError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.changes import ChangeKind, diff_records
from knowledge.lists.identifiers import split_values
from knowledge.lists.importers.ofac_advanced_xml import parse_ofac_advanced_xml
from knowledge.lists.importers.ofac_enhanced_xml import parse_ofac_enhanced_xml
from knowledge.lists.importers.ofac_xml import parse_ofac_xml
from knowledge.lists.refresh import detect_source, refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.models import NameType
from knowledge.store.database import Store

OFAC = REAL / "ofac"
ENHANCED_2024 = OFAC / "OFAC_CONS_ENHANCED_XML_dataAsOf-2024-07-03.xml"
ENHANCED_2026 = OFAC / "OFAC_CONS_ENHANCED_XML_dataAsOf-2026-01-08.xml"
LEGACY_2026 = OFAC / "OFAC_CONSOLIDATED_XML_legacy_Publish-2026-01-08.xml"
ADVANCED_2020 = OFAC / "OFAC_cons_advanced_xml_DateOfIssue-2020-03-17.xml"


def _identifiers(record):
    return {label: set(split_values(value)) for label, value in record.identifiers.items()}


def _latin_names(record):
    return [(n.value, n.type) for n in record.names if n.type is not NameType.NON_LATIN]


def test_the_enhanced_and_legacy_xml_of_one_day_give_the_same_442_records():
    enhanced = parse_ofac_enhanced_xml(ENHANCED_2026, source="ofac-cons")
    legacy = {r.record_id: r for r in parse_ofac_xml(LEGACY_2026, source="ofac-cons").records}
    assert enhanced.as_of == dt.date(2026, 1, 8) and len(enhanced.records) == len(legacy) == 442
    assert {r.record_id for r in enhanced.records} == set(legacy)
    for record in enhanced.records:
        old = legacy[record.record_id]
        assert (record.name, record.kind, record.programmes) == (old.name, old.kind, old.programmes)
        assert _latin_names(record) == _latin_names(old)
        assert _identifiers(record) == _identifiers(old)
        assert (record.addresses, record.country, record.remarks) == (old.addresses, old.country, old.remarks)
    # What only the Enhanced XML states: names in other scripts, and the day each entity was listed.
    assert sum(1 for r in enhanced.records for n in r.names if n.type is NameType.NON_LATIN) == 47
    assert sum(1 for r in enhanced.records if r.listed_on) == 367


def test_typed_details_read_as_the_labels_the_csv_remarks_give_them():
    legacy = {r.record_id: r for r in parse_ofac_xml(LEGACY_2026, source="ofac-cons").records}
    haniya = legacy["9639"]
    assert haniya.identifiers["Date of birth"] == "1962" and haniya.identifiers["Place of birth"] == "Shati"
    vtb = legacy["17013"]
    assert "Registration number" in vtb.identifiers and "Tax ID" in vtb.identifiers
    assert vtb.identifiers["SWIFT/BIC"] == "VTBRRUMM"


def _raw_entities(path):
    """Each <entity> of an Enhanced file by id, in canonical form: the diff a person would run on the raw files."""
    root = ElementTree.parse(path).getroot()
    return {
        e.get("id"): ElementTree.canonicalize(ElementTree.tostring(e), strip_text=True)
        for e in root.iterfind("{*}entities/{*}entity")
    }


def test_refreshing_the_enhanced_xml_gives_the_events_a_raw_diff_by_entity_id_confirms(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "ofac-cons", [ENHANCED_2024], now=TODAY)
    result = refresh_files(store, "ofac-cons", [ENHANCED_2026], now=TODAY)
    before, after = _raw_entities(ENHANCED_2024), _raw_entities(ENHANCED_2026)
    events = store.events(source="ofac-cons")
    by_kind = {kind: {e.record_id for e in events if e.kind is kind} for kind in ChangeKind}
    assert by_kind[ChangeKind.ADDED] == after.keys() - before.keys() == {"50476"}
    assert by_kind[ChangeKind.REMOVED] == before.keys() - after.keys() == {"18293", "26182"}
    amended = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert by_kind[ChangeKind.AMENDED] == amended and len(amended) == 32
    assert (result.added, result.removed) == (1, 2)
    assert all(e.as_of == dt.date(2026, 1, 8) and e.previous_as_of == dt.date(2024, 7, 3) for e in events)


def test_switching_between_the_legacy_and_enhanced_xml_of_one_day_changes_nothing(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "ofac-cons", [LEGACY_2026], now=TODAY)
    switched = refresh_files(store, "ofac-cons", [ENHANCED_2026], now=TODAY)
    back = refresh_files(store, "ofac-cons", [LEGACY_2026], now=TODAY)
    assert (switched.added, switched.removed, back.added, back.removed) == (0, 0, 0, 0)
    assert store.events(source="ofac-cons") == []


def test_the_enhanced_listing_days_are_the_advanced_xml_entry_events():
    advanced = {r.record_id: r for r in parse_ofac_advanced_xml(ADVANCED_2020, source="ofac-cons").records}
    enhanced = {r.record_id: r for r in parse_ofac_enhanced_xml(ENHANCED_2024, source="ofac-cons").records}
    both = [k for k in advanced.keys() & enhanced.keys() if advanced[k].listed_on and enhanced[k].listed_on]
    assert len(both) > 300
    assert all(advanced[k].listed_on == enhanced[k].listed_on for k in both)


def test_the_advanced_xml_gives_names_programmes_identifiers_and_dates():
    parsed = parse_ofac_advanced_xml(ADVANCED_2020, source="ofac-cons")
    assert parsed.as_of == dt.date(2020, 3, 17) and len(parsed.records) == 375
    by_id = {r.record_id: r for r in parsed.records}
    haniya = by_id["9639"]
    assert haniya.name == "HANIYA, Ismail Abdul Salah" and haniya.programmes == ("NS-PLC",)
    assert haniya.listed_on == dt.date(2006, 4, 12)
    assert haniya.identifiers["Date of birth"] == "1962"
    vtb = by_id["17013"]
    assert vtb.listed_on == dt.date(2014, 7, 29) and vtb.country == "RU"
    assert vtb.identifiers["SWIFT/BIC"] == "VTBRRUMM" and "1027739609391" in vtb.identifiers["Registration number"]
    assert ("VNESHTORGBANK", NameType.FORMER) in [(n.value, n.type) for n in vtb.names]
    # On the PLC list in 2006 and the SDN list in 2016: no one day for both programmes, so none.
    assert by_id["9659"].listed_on is None


def test_a_card_from_the_advanced_xml_says_when_ofac_designated(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, None, [ADVANCED_2020], now=TODAY)
    reply = Bot(load_knowledge(store), clock=lambda: TODAY).answer("/who HANIYA, Ismail Abdul Salah")
    assert "designated 2006-04-12" in reply.text


def test_an_advanced_xml_document_address_or_reference_value_changed_is_an_amendment(tmp_path):
    # A party's documents, the locations it cites and the reference values are published outside its element: the
    # digest trusts an unchanged hash (changes.py), which must therefore cover them, or a new registration number,
    # address or country name is never reported.
    text = ADVANCED_2020.read_text(encoding="utf-8")
    edited = text.replace(">1027739609391</IDRegistrationNo>", ">1027739609399</IDRegistrationNo>", 1)
    gaza = edited.index('<Location ID="12128">')
    gaza = edited.index("<Value>Gaza</Value>", gaza)
    edited = edited[:gaza] + "<Value>Khan Younis</Value>" + edited[gaza + len("<Value>Gaza</Value>") :]
    assert edited.count('<Country ID="11033" ') == 1
    edited = edited.replace(">Angola</Country>", ">Republic of Angola</Country>", 1)
    copy = tmp_path / ADVANCED_2020.name
    copy.write_text(edited, encoding="utf-8")
    before = {r.record_id: r for r in parse_ofac_advanced_xml(ADVANCED_2020, source="ofac-cons").records}
    after = {r.record_id: r for r in parse_ofac_advanced_xml(copy, source="ofac-cons").records}
    events = diff_records(before, after, as_of=dt.date(2020, 3, 18), previous_as_of=dt.date(2020, 3, 17))
    assert {e.record_id: [c.field for c in e.changes] for e in events} == {
        "17013": ["Registration number"],  # VTB BANK OAO
        "9641": ["addresses"],  # AL-SHANTI, Jamileh Abdullah, of Gaza
        "18725": ["addresses"],  # of Angola
    }
    assert all(e.kind is ChangeKind.AMENDED for e in events)


def test_the_list_and_format_are_told_from_the_file():
    assert detect_source([ENHANCED_2026]) == "ofac-cons"
    assert detect_source([ADVANCED_2020]) == "ofac-cons"
    assert len(CATALOGUE["ofac-cons"].parse([ENHANCED_2026]).records) == 442
    assert len(CATALOGUE["ofac-cons"].parse([ADVANCED_2020]).records) == 375
    assert len(CATALOGUE["ofac-cons"].parse([LEGACY_2026]).records) == 442


@pytest.mark.parametrize("path", [ENHANCED_2026, ADVANCED_2020], ids=["enhanced", "advanced"])
def test_the_consolidated_list_is_refused_as_the_sdn_list(path):
    with pytest.raises(DataError, match=rf"{path.name}: .*--source ofac-cons"):
        CATALOGUE["ofac-sdn"].parse([path])


def test_the_default_addresses_are_the_list_services_enhanced_xml():
    base = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert CATALOGUE["ofac-sdn"].urls == (base + "SDN_ENHANCED.XML",)
    assert CATALOGUE["ofac-cons"].urls == (base + "CONS_ENHANCED.XML",)


def _damaged(path, how):
    data = path.read_bytes()
    if how == "cut in the middle":
        return data[: len(data) // 2]
    if how == "wrong root":
        return b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>'
    return b""


@pytest.mark.parametrize("how", ["cut in the middle", "wrong root", "empty"])
@pytest.mark.parametrize(
    ("path", "parse"),
    [(ENHANCED_2026, parse_ofac_enhanced_xml), (ADVANCED_2020, parse_ofac_advanced_xml)],
    ids=["enhanced", "advanced"],
)
def test_a_damaged_copy_is_refused_naming_the_file(path, parse, how, tmp_path):
    damaged = tmp_path / f"damaged-{path.name}"
    damaged.write_bytes(_damaged(path, how))
    with pytest.raises(DataError, match=rf"^{damaged.name}: "):
        parse(damaged, source="ofac-cons")


def test_a_cut_enhanced_file_leaves_the_list_in_use(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "ofac-cons", [ENHANCED_2024], now=TODAY)
    cut = tmp_path / ENHANCED_2026.name
    cut.write_bytes(ENHANCED_2026.read_bytes()[:-5000])
    with pytest.raises(DataError, match="not well-formed XML"):
        refresh_files(store, "ofac-cons", [cut], now=TODAY)
    [in_use] = [s for s in store.active() if s.source == "ofac-cons"]
    assert in_use.as_of == dt.date(2024, 7, 3) and store.events() == []


def _with_haniya_birth_period(tmp_path, edit) -> dict[str, str]:
    """HANIYA's (9639) identifiers read from the real Advanced XML with his date of birth's DatePeriod edited."""
    text = ADVANCED_2020.read_text(encoding="utf-8")
    start = text.index("<DatePeriod", text.index('<DistinctParty FixedRef="9639">'))
    end = text.index("</DatePeriod>", start)
    assert "<Year>1962</Year>" in text[start:end]
    path = tmp_path / "cons_advanced.xml"
    path.write_text(text[:start] + edit(text[start:end]) + text[end:], encoding="utf-8")
    records = parse_ofac_advanced_xml(path, source="ofac-cons").records
    return next(r for r in records if r.record_id == "9639").identifiers


@pytest.mark.parametrize(
    ("edit", "born"),
    [
        # Month 13 at the end: it raised ValueError; the start alone would be a day the list did not give.
        (lambda period: period.replace("<Month>12</Month>", "<Month>13</Month>"), None),
        # 30 February at the start: no day, so no date.
        (lambda period: period.replace("<Month>1</Month>", "<Month>2</Month>").replace("<Day>1<", "<Day>30<"), None),
        # December of the year 9999: the day after its end raised OverflowError; it is that month.
        (lambda period: period.replace("1962", "9999").replace("<Month>1</Month>", "<Month>12</Month>"), "9999-12"),
    ],
    ids=["month-13", "30-february", "december-9999"],
)
def test_an_advanced_xml_date_of_birth_naming_no_day_raises_nothing_and_gives_no_other_date(tmp_path, edit, born):
    identifiers = _with_haniya_birth_period(tmp_path, edit)
    assert identifiers.get("Date of birth") == born
    assert "Date of birth (approximate)" not in identifiers
