"""The EU's Financial Sanctions Files (XML 1.1) on the real file: a five-entity excerpt of export 184961, cut by
hand from a whole export of several thousand (SOURCES.md, section 8), so its figures are the excerpt's, not the EU
list's."""

import datetime as dt

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.errors import DataError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.changes import ChangeKind
from knowledge.lists.importers.eu_fsf_xml import parse_eu_fsf_xml
from knowledge.lists.refresh import detect_source, refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.models import EntityKind, NameType
from knowledge.store.database import Store

# The excerpt: five entities, cut from a whole export (see the module docstring).
EXCERPT = REAL / "eu" / "eu_fsf_excerpt_export-184961_2026-08-05.xml"
UN_2026 = REAL / "un" / "UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def parsed():
    return parse_eu_fsf_xml(EXCERPT)


@pytest.fixture(scope="module")
def eu_and_un(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("eu") / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, None, [EXCERPT], now=TODAY)
    refresh_files(store, None, [UN_2026], now=TODAY)
    return Bot(load_knowledge(store), clock=lambda: TODAY)


def test_the_excerpt_gives_its_five_entities_with_references_programmes_and_dates(parsed):
    assert parsed.as_of == dt.date(2026, 8, 5)
    by_ref = {r.record_id: r for r in parsed.records}
    assert {ref: (r.programmes, r.listed_on, r.kind) for ref, r in by_ref.items()} == {
        "EU.3579.2": (("TERR",), None, EntityKind.PERSON),
        "EU.502.12": (("AFG",), dt.date(2001, 1, 25), EntityKind.PERSON),
        "EU.3953.70": (("IRN",), dt.date(2008, 6, 23), EntityKind.COMPANY),
        "EU.3886.3": (("LBY",), dt.date(2011, 2, 26), EntityKind.PERSON),
        "EU.3092.36": (("TAQA",), dt.date(2011, 3, 24), EntityKind.PERSON),
    }
    assert all(r.authority == "EU" and r.source == "eu-fsf" for r in parsed.records)
    assert sum(len(r.names) for r in parsed.records) == 45


def test_names_keep_their_languages_and_scripts_without_the_files_double_spaces(parsed):
    by_ref = {r.record_id: r for r in parsed.records}
    parchin = by_ref["EU.3953.70"]
    assert parchin.name == "Parchin Chemical Industries (PCI)"
    assert ("Tionscail Ceimiceán Parchin", "ga") in [(n.value, n.lang) for n in parchin.names]
    assert ("صنایع شیمیایی پارچین", NameType.NON_LATIN, "fa") in [(n.value, n.type, n.lang) for n in parchin.names]
    assert by_ref["EU.3579.2"].name == "Khalid Sheikh MOHAMMED"
    assert "Abu Zayd Umar Hmeid Dorda" in [n.value for n in by_ref["EU.3886.3"].names]


def test_birth_dates_citizenships_identifiers_and_regulations_are_read(parsed):
    by_ref = {r.record_id: r for r in parsed.records}
    asiri = by_ref["EU.3092.36"]
    # The Islamic-calendar birth date is the EU's restatement of a Gregorian one, which is read instead.
    assert asiri.identifiers["Date of birth"] == "1982-04-18; 1982-04-19"
    assert asiri.country == "SA" and asiri.identifiers["Passport"] == "F654645"
    assert by_ref["EU.502.12"].country == "AF"
    assert by_ref["EU.3953.70"].identifiers["Registration number"] == "892"
    assert by_ref["EU.3886.3"].identifiers["EU regulation"] == (
        "Council amendment 2022/1502 (OJ L235) of 2022-09-12, in force 2022-09-13"
    )


def test_only_the_listing_the_eu_took_from_the_un_gives_a_un_reference(parsed):
    assert {r.record_id: r.cross_refs for r in parsed.records if r.cross_refs} == {"EU.3886.3": ("un:LYi.006",)}


@pytest.mark.parametrize(
    ("name", "reference", "regime"),
    [
        ("Khalid Sheikh MOHAMMED", "EU.3579.2", "EU terrorist list sanctions"),
        ("Haji Ahmad Jan", "EU.502.12", "EU Afghanistan (Taliban) sanctions"),
        ("Parchin Chemical Industries (PCI)", "EU.3953.70", "EU Iran (nuclear proliferation) sanctions"),
        ("Abu Zayd Umar DORDA", "EU.3886.3", "EU Libya sanctions"),
        ("Ibrahim Hassan Al Asiri", "EU.3092.36", "EU ISIL (Da'esh) and Al-Qaida sanctions"),
    ],
)
def test_each_entity_of_the_excerpt_opens_by_name_with_its_eu_reference_and_regime(eu_and_un, name, reference, regime):
    reply = eu_and_un.answer(f"/who {name}")
    assert f"EU FSF ref {reference}" in reply.text
    assert f"European Union · {regime}" in reply.text


def test_the_un_derived_eu_listing_joins_its_un_record(eu_and_un):
    reply = eu_and_un.answer("/who Abu Zayd Umar DORDA")
    lists = {r["list"] for r in reply.entity["records"]}
    assert lists == {"eu-fsf", "un-sc"}
    assert "both give UN reference LYi.006" in reply.text
    assert {s["authority"] for s in reply.entity["sanctions"]} == {"EU", "UN-SC"}


def test_a_no_about_the_eu_names_the_eu_list_loaded_its_date_and_that_it_is_only_part_of_it(eu_and_un):
    # The excerpt holds 5 of the EU's thousands of entities, and no note of the load says so: a "no" from it read as the
    # EU's ("has the EU sanctioned Roman Abramovich?", whom the EU lists).
    reply = eu_and_un.answer("is i-Soon sanctioned by the EU?")
    assert "no sanction" in reply.text
    assert "EU FSF list as of 2026-08-05 (only 5 records: part of the list)" in reply.text
    assert "only part of it" in reply.title, reply.title


def test_a_no_about_the_eu_says_no_eu_list_is_loaded_where_none_is(ask):
    reply = ask("is i-Soon sanctioned by the EU?")
    assert "no EU sanctions list is loaded, so the data cannot say what is or is not on it" in reply.text


def test_the_eu_file_is_told_from_its_content_and_has_a_public_default_address():
    assert detect_source([EXCERPT]) == "eu-fsf"
    [url] = CATALOGUE["eu-fsf"].urls
    assert url.startswith("https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=")
    assert "2011/833/EU" in CATALOGUE["eu-fsf"].licence and CATALOGUE["eu-fsf"].acknowledgement


def test_a_second_edition_gives_change_events(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "eu-fsf", [EXCERPT], now=TODAY)
    text = EXCERPT.read_text(encoding="utf-8")
    start = text.index('    <sanctionEntity designationDate="2011-03-24"')
    end = text.index("</sanctionEntity>", start) + len("</sanctionEntity>")
    later = text[:start] + text[end:]
    later = later.replace('generationDate="2026-08-05', 'generationDate="2026-08-06')
    later = later.replace('wholeName="Dorda Abuzed OE"', 'wholeName="Dorda Abuzed O.E."')
    edition = tmp_path / "eu-2026-08-06.xml"
    edition.write_text(later, encoding="utf-8")
    result = refresh_files(store, "eu-fsf", [edition], now=TODAY, accept_removals=True)
    events = {(e.kind, e.record_id) for e in store.events(source="eu-fsf")}
    assert events == {(ChangeKind.REMOVED, "EU.3092.36"), (ChangeKind.AMENDED, "EU.3886.3")}
    assert (result.added, result.removed) == (0, 1)


def _damaged(how):
    data = EXCERPT.read_bytes()
    if how == "cut in the middle":
        return data[: len(data) // 2]
    if how == "wrong root":
        return b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>'
    if how == "no entities":
        return data[: data.index(b"<sanctionEntity")] + b"</export>\n"
    return b""


@pytest.mark.parametrize("how", ["cut in the middle", "wrong root", "no entities", "empty"])
def test_a_damaged_copy_is_refused_naming_the_file(how, tmp_path):
    damaged = tmp_path / f"damaged-{EXCERPT.name}"
    damaged.write_bytes(_damaged(how))
    with pytest.raises(DataError, match=rf"^{damaged.name}"):
        parse_eu_fsf_xml(damaged)


def test_a_cut_copy_leaves_the_list_in_use(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "eu-fsf", [EXCERPT], now=TODAY)
    cut = tmp_path / EXCERPT.name
    cut.write_bytes(EXCERPT.read_bytes()[:-3000])
    with pytest.raises(DataError, match="not well-formed XML"):
        refresh_files(store, "eu-fsf", [cut], now=TODAY)
    [in_use] = [s for s in store.active() if s.source == "eu-fsf"]
    assert in_use.as_of == dt.date(2026, 8, 5) and store.events() == []
