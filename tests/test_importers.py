"""Every importer on the real files in shared/data/real: record counts as SOURCES.md states them."""

import datetime as dt
import re
from collections import Counter

import pytest

from conftest import FIXTURES, REAL
from knowledge.lists.identifiers import (
    BIRTH_DATE,
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    REGISTRATION,
    ROUGH_BIRTH_DATE,
    STRONG_LABELS,
    TAX_ID,
    birth_place,
    identifiers_in_text,
    split_values,
    stated_birth_date,
    strong_values,
)
from knowledge.lists.importers.eu_fsf_xml import parse_eu_fsf_xml
from knowledge.lists.importers.misp_galaxy import parse_misp_galaxy
from knowledge.lists.importers.mitre_attack import parse_mitre_attack
from knowledge.lists.importers.ofac_csv import parse_ofac_csv
from knowledge.lists.importers.ofac_enhanced_xml import parse_ofac_enhanced_xml
from knowledge.lists.importers.ofac_xml import parse_ofac_xml
from knowledge.lists.importers.opensanctions import parse_opensanctions
from knowledge.lists.importers.uk_conlist import parse_uk_conlist
from knowledge.lists.importers.uk_sanctions_list import parse_uk_sanctions_list
from knowledge.lists.importers.un_xml import parse_un_xml
from knowledge.lists.importers.us_csl import parse_us_csl
from knowledge.lists.ofac_links import with_linked_to
from knowledge.models import EntityKind, NameType

OFAC = REAL / "ofac"


@pytest.mark.parametrize(
    ("name", "count"),
    [("sdn_2024-03-22.csv", 14_507), ("sdn_2024-03-25.csv", 14_530), ("sdn_2024-05-03.csv", 14_965)],
)
def test_ofac_sdn_snapshots_have_the_stated_record_counts(name, count):
    assert len(parse_ofac_csv([OFAC / name], source="ofac-sdn").records) == count


def test_the_ofac_bench_set_joins_every_companion_row_on_ent_num():
    parsed = parse_ofac_csv(
        [OFAC / f"{kind}_watchman-bench-2021-07.csv" for kind in ("sdn", "add", "alt", "sdn_comments")],
        source="ofac-sdn",
    )
    kinds = Counter(r.kind for r in parsed.records)
    assert len(parsed.records) == 8_976
    assert kinds[EntityKind.PERSON] == 4_620 and kinds[EntityKind.VESSEL] == 406 and kinds[EntityKind.AIRCRAFT] == 277
    assert parsed.skipped == {}
    with_aliases = sum(1 for r in parsed.records if any(n.type is not NameType.PRIMARY for n in r.names))
    assert with_aliases >= 4_139  # distinct ent_nums in the alt file


def test_companion_rows_for_ent_nums_not_in_the_main_file_are_skipped_and_counted():
    main, alt = OFAC / "sdn_cyber_extract_gitmatch-2025.csv", OFAC / "alt_watchman-2025-01.csv"
    parsed = parse_ofac_csv([main, alt], source="ofac-sdn")
    in_main = {line.split(",")[0] for line in main.read_text().splitlines()}
    alt_ents = [line.split(",")[0] for line in alt.read_text().rstrip("\x1a").splitlines()]
    assert len(parsed.records) == 87
    assert parsed.skipped == {
        "alt_watchman-2025-01.csv: rows for ent_nums not in sdn_cyber_extract_gitmatch-2025.csv": sum(
            1 for ent in alt_ents if ent not in in_main
        )
    }


def test_integrity_technology_gets_its_2025_alias_and_address():
    parsed = parse_ofac_csv(
        [
            OFAC / "sdn_cyber_extract_gitmatch-2025.csv",
            OFAC / "alt_watchman-2025-01.csv",
            OFAC / "add_watchman-2025-01.csv",
        ],
        source="ofac-sdn",
    )
    record = next(r for r in parsed.records if r.record_id == "50543")
    names = {n.value for n in record.names}
    assert "BEIJING INTEGRITY TECHNOLOGY COMPANY, LIMITED" in names
    assert "YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED" in names  # from its remarks
    assert record.programmes == ("CYBER2",)
    assert record.country == "CN"
    assert any("Fenghao East Road" in a for a in record.addresses)


def test_remarks_cut_at_1000_characters_are_continued_from_the_comments_file():
    parsed = parse_ofac_csv(
        [OFAC / "sdn_cyber_extract_gitmatch-2025.csv", OFAC / "sdn_comments_watchman-2025-12.csv"], source="ofac-sdn"
    )
    kondratiev = next(r for r in parsed.records if r.record_id == "47682")
    assert len(kondratiev.remarks) > 1_000
    assert not kondratiev.remarks.endswith("a.k.a. '@")


def test_the_ofac_xml_and_csv_of_the_same_day_agree():
    xml = parse_ofac_xml(OFAC / "cons_consolidated_xml_2018-04-06.xml", source="ofac-cons")
    csv = parse_ofac_csv([OFAC / f"cons_{kind}_2018-05.csv" for kind in ("prim", "add", "alt")], source="ofac-cons")
    assert len(xml.records) == len(csv.records) == 639 == xml.stated_count
    assert str(xml.as_of) == "2018-04-06"
    by_id = {r.record_id: r for r in csv.records}
    assert all(by_id[r.record_id].name == r.name for r in xml.records)
    weak = sum(1 for r in xml.records for n in r.names if n.type is NameType.WEAK)
    assert weak == 46
    # "Linked To" is written "(Linked To: NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED)" in the XML, "Linked To:
    # NIOC … LIMITED." in the CSV: both give the link to that record (uid 11639).
    xml_linked, csv_linked = with_linked_to(xml.records), {r.record_id: r for r in with_linked_to(csv.records)}
    naftiran = next(r for r in xml_linked if r.name == "NAFTIRAN INTERTRADE CO. (NICO) LIMITED")
    assert [(link.target, link.type) for link in naftiran.links] == [("11639", "linked to")]
    assert csv_linked[naftiran.record_id].links == naftiran.links
    assert sum(len(r.links) for r in xml_linked) == sum(len(r.links) for r in csv_linked.values()) == 365


def test_ofacs_linked_to_remarks_link_records_of_the_list_by_their_name():
    parsed = parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn")
    records = with_linked_to(parsed.records)
    by_id = {r.record_id: r for r in records}
    # "Linked To: PUTIN, Vladimir Vladimirovich." (a name with a comma, and the sentence's full stop).
    assert [link.target for link in by_id["37444"].links] == ["35096"]
    linked = sum(1 for r in records if r.remarks and "Linked To:" in r.remarks)
    with_links = sum(1 for r in records if r.links)
    # All but the few naming a record of another OFAC list (Rosneft, Gazprom: the non-SDN list).
    assert linked == 5824 and linked - 10 <= with_links < linked


def test_the_ofac_consolidated_list_of_december_2025():
    parsed = parse_ofac_csv(
        [OFAC / f"cons_{kind}_watchman-2025-12.csv" for kind in ("prim", "add", "alt", "comments")], source="ofac-cons"
    )
    assert len(parsed.records) == 442


def test_the_uk_sanctions_list_summary():
    parsed = parse_uk_sanctions_list(REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv")
    kinds = Counter(r.kind for r in parsed.records)
    assert len(parsed.records) == 5_302
    assert (kinds[EntityKind.PERSON], kinds[EntityKind.COMPANY], kinds[EntityKind.VESSEL]) == (3_754, 1_087, 461)
    assert sum(1 for r in parsed.records if r.regime == "GB-CYB") == 81
    wuhan = next(r for r in parsed.records if r.record_id == "CYB0044")
    assert wuhan.name == "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY LIMITED"
    assert str(wuhan.listed_on) == "2024-03-25"
    assert wuhan.cross_refs == ("ofsi-group:16460",)
    nameless = next(r for r in parsed.records if r.record_id == "BEL0174")
    assert nameless.names == ()


def test_the_uk_summary_s_names_in_closing_brackets_are_the_entity_s_other_names():
    # The summary has one name cell: "Main Centre for Special Technologies (GTsST) ('SANDWORM')" was found by no search
    # for Sandworm ("has the UK sanctioned Sandworm?" was a flat no), nor "MZKT (Minsk Wheel Tractor Plant)" by its
    # name, which OFAC's 34769 leads with. A country, a branch, a legal form or the name spelt out is no other name.
    parsed = parse_uk_sanctions_list(REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv")
    names = {r.record_id: [n.value for n in r.names] for r in parsed.records}
    assert names["CYB0009"] == [
        "Main Centre for Special Technologies (GTsST) ('SANDWORM')",
        "Main Centre for Special Technologies",
        "SANDWORM",
        "GTsST",
    ]
    assert names["BEL0066"][1:] == ["MZKT", "Minsk Wheel Tractor Plant"]
    # A legal form in brackets is none: the name before it is one ("VTB Bank (Public Joint-Stock Company)").
    assert names["RUS0250"][1:] == ["VTB Bank"]
    assert names["RUS0224"][1:] == ["Crimean Railway"]
    for one_name in ("AQD0018", "AQD0014", "RUS0256", "DPR0173", "INU0080"):
        # AL-HARAMAIN (ALBANIA BRANCH); ... (UNION OF THE COMOROS); PJSC Sberbank (Public Joint-Stock Company
        # Sberbank), one name twice, and "PJSC Sberbank" alone is OFAC's Ukrainian bank's; LEADER (HONG KONG)
        # INTERNATIONAL; Islamic Revolutionary Guard Corps (IRGC), an acronym the lookup reads as the name's initials.
        assert len(names[one_name]) == 1, names[one_name]
    # A legal form's letters are no acronym: the name before them is one ("... (NGO)", "MTS Bank ... (PJSC)").
    assert names["DRC0022"][1:] == ["TOUS POUR LA PAIX ET LE DEVELOPPEMENT"]
    assert names["RUS1734"][1:] == ["MTS Bank Public Joint-Stock Company"]


def test_the_uk_summary_s_acronyms_are_names_typed_exactly_never_reasons_to_join():
    # "85th Main Special Service Centre (GTsSS)": "/who GTsSS" offered OFAC's "AO DTSSS" (a letter away) before it, and
    # FAR EASTERN SHIPPING COMPANY (FESCO) came after OFAC's vessels FESCO MAGADAN and FESCO MONERON: acronyms the
    # lookup cannot read as the initials of the name's words. Two of the list's entities are "ICI": never a join.
    parsed = parse_uk_sanctions_list(REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv")
    # (Stored as weak aliases, a type every version of the store's readers knows; the card makes them acronyms.)
    acronyms = {r.record_id: [n.value for n in r.names if n.type is NameType.WEAK] for r in parsed.records if r.names}
    assert acronyms["CYB0012"] == ["GTsSS"]
    assert acronyms["RUS1849"] == ["FESCO"]
    assert acronyms["AFG0003"] == ["HQN"]
    assert acronyms["INU0073"] == acronyms["INU0080"] == []
    assert sum(1 for found in acronyms.values() if found) == 24


@pytest.mark.parametrize("fixture", ["uk_sanctions_list_full.csv", "uk_sanctions_list_full.xml"])
def test_the_full_uk_export_gives_aliases_non_latin_names_and_statements_of_reasons(fixture):
    parsed = parse_uk_sanctions_list(FIXTURES / fixture)
    by_id = {r.record_id: r for r in parsed.records}
    assert set(by_id) == {"CYB0043", "CYB0044", "CYB0045"}
    zhao = by_id["CYB0045"]
    assert zhao.kind is EntityKind.PERSON and zhao.name == "ZHAO GUANGZONG" and zhao.country == "CN"
    assert ("赵光宗", NameType.NON_LATIN) in {(n.value, n.type) for n in zhao.names}
    assert zhao.measures == ("Asset freeze", "Director Disqualification Sanction", "Travel Ban")
    assert zhao.reasons.startswith("ZHAO Guangzong, a member of Advanced Persistent Threat Group 31")
    assert str(zhao.listed_on) == "2024-03-25" and zhao.cross_refs[0] == "ofsi-group:16461"
    ermakov = {n.value for n in by_id["CYB0043"].names}
    assert {"BLADE_RUNNER", "GUSTAVEDORE", "Александр Геннадьевич Ермаков"} <= ermakov


@pytest.mark.parametrize(
    ("name", "groups", "as_of"),
    [
        ("hmt_conlist_2014-04-02.csv", 2_297, "2014-04-02"),
        ("hmt_conlist_2018-04-13.csv", 2_106, "2018-04-13"),
        ("hmt_conlist_c2018-11-29_headerless.csv", 2_137, "2018-11-29"),
    ],
)
def test_the_ofsi_conlist_groups_name_rows_by_group_id(name, groups, as_of):
    parsed = parse_uk_conlist(REAL / "uk" / name)
    assert len(parsed.records) == groups
    assert str(parsed.as_of) == as_of


def test_a_swift_code_written_in_spaced_groups_is_read_as_one_code():
    # OFSI's 2018 rows and the UN's comments write some codes spaced ("SWIFT/BIC CMSY SY DA", "SWIFT: DCBK KPPY"):
    # they were not read, and the banks' records had no SWIFT code to be joined on.
    ofsi = {r.record_id: r for r in parse_uk_conlist(REAL / "uk" / "hmt_conlist_2018-04-13.csv").records}
    assert ofsi["12203"].identifiers["SWIFT/BIC"] == "CMSYSYDA"  # COMMERCIAL BANK OF SYRIA
    assert ofsi["13341"].identifiers["SWIFT/BIC"] == "DCBKKPPY"  # DAEDONG CREDIT BANK
    un = {r.record_id: r for r in parse_un_xml(REAL / "un" / "UN_consolidated_2018-08-24.xml").records}
    assert un["KPe.023"].identifiers["SWIFT/BIC"] == "DCBKKPPY"
    # A spaced code ends where its groups do: words after "SWIFT" are no code.
    assert identifiers_in_text("SWIFT BANK OF CHINA") == {}
    assert identifiers_in_text("SWIFT CODE BKID IR TH") == identifiers_in_text("SWIFT BANK CODE") == {}
    assert identifiers_in_text("SWIFT/BIC KUDBKPPY TEL 123") == {"SWIFT/BIC": "KUDBKPPY"}


def test_the_conlist_reads_windows_1252():
    parsed = parse_uk_conlist(REAL / "uk" / "hmt_conlist_2018-04-13.csv")
    names = [n.value for r in parsed.records for n in r.names]
    assert not any("\ufffd" in n for n in names)
    assert any(c in "".join(names) for c in "éáíóú")


@pytest.mark.parametrize(
    ("name", "people", "entities"),
    [
        ("UN_consolidated_2018-08-24.xml", 701, 397),
        ("UN_consolidated_2018-10-29.xml", 703, 390),
        ("UN_consolidated_2026-02-27.xml", 730, 273),
    ],
)
def test_the_un_list(name, people, entities):
    parsed = parse_un_xml(REAL / "un" / name)
    kinds = Counter(r.kind for r in parsed.records)
    assert (kinds[EntityKind.PERSON], kinds[EntityKind.ORGANISATION]) == (people, entities)
    assert str(parsed.as_of) == name.removeprefix("UN_consolidated_").removesuffix(".xml")
    # Every record is dated, those whose date carries its zone ("2015-07-01-04:00") too.
    assert all(r.listed_on for r in parsed.records)
    assert {r.record_id: r.listed_on for r in parsed.records}["SSi.001"] == dt.date(2015, 7, 1)


def test_ofsis_dates_of_birth_said_to_be_approximate_are_rough_dates():
    records = {r.record_id: r for r in parse_uk_conlist(REAL / "uk" / "hmt_conlist_c2018-11-29_headerless.csv").records}

    def born(record_id: str) -> tuple[str | None, str | None]:
        identifiers = records[record_id].identifiers
        return identifiers.get(BIRTH_DATE), identifiers.get(ROUGH_BIRTH_DATE)

    # "DOB is approximate" in Other Information: every date of the group (ISHAQ Malik Muhammad, 00/00/1959).
    assert born("12945") == (None, "circa 1959")
    # "Date of birth 1962 is approximate": that year's row only (AKHTAR MUHAMMAD Saleh Mohammad Kakar: 1961, 1962).
    assert born("11275") == ("1961", "circa 1962")
    # ... and as OFSI wrote it once, "DOB is appoximate" (AGHA Sayed Mohammad Azim: 00/00/1966, 00/00/1969).
    assert born("6942") == (None, "circa 1966; circa 1969")
    assert sum(1 for r in records.values() if ROUGH_BIRTH_DATE in r.identifiers) == 50


def test_the_uns_approximate_dates_of_birth_and_ranges_are_rough_dates_not_exact_ones():
    records = {r.record_id: r for r in parse_un_xml(REAL / "un" / "UN_consolidated_2026-02-27.xml").records}

    def born(record_id: str) -> tuple[str | None, str | None]:
        identifiers = records[record_id].identifiers
        return identifiers.get(BIRTH_DATE), identifiers.get(ROUGH_BIRTH_DATE)

    # "APPROXIMATELY" with a year was read as that year exactly; "BETWEEN" with FROM_YEAR and TO_YEAR not at all.
    assert born("IQi.004") == (None, "circa 1957")  # ABID HAMID MAHMUD AL-TIKRITI
    assert born("CDi.030") == (None, "1973 to 1974")  # BOSCO TAGANDA: BETWEEN, FROM_YEAR and TO_YEAR
    # An exact date beside an approximate year: each as given (LEOPOLD MUJYAMBERE).
    assert born("CDi.014") == ("1962-03-17", "circa 1966")
    # BETWEEN with the NOTE "Approximately" is rough twice over, as OFAC's "circa 1979-1982" is (it read "1955 to
    # 1958", the list's word dropped): MOHAMMAD HASSAN AKHUND.
    assert born("TAi.002") == (None, "circa 1955 to 1958; circa 1945 to 1950")


def test_opensanctions_entities_targets_and_nested_exports():
    eu, _ = parse_opensanctions([REAL / "opensanctions" / "yente_t1_eu_fsf_sample.entities.ftm.json"])
    assert len(eu.records) == 6
    zala, _ = parse_opensanctions([REAL / "opensanctions" / "yente_zala_cluster.entities.ftm.json"])
    assert len(zala.records) == 14
    zakharov = next(r for r in zala.records if r.name == "Alexander Vyacheslavovich ZAKHAROV")
    assert {s.authority for s in zakharov.sanctions} >= {"US-OFAC", "GB-FCDO", "EU"}
    nested, _ = parse_opensanctions(
        [REAL / "opensanctions" / "zavod_export_wd_persons_2024-03-10" / "targets.nested.json"]
    )
    assert len(nested.records) == 5


def test_opensanctions_delta_files_give_their_operations_in_order():
    folder = REAL / "opensanctions" / "yente_t2_deltas"
    _, ops = parse_opensanctions(sorted(folder.glob("*.entities.delta.json")))
    assert [op.op for op in ops] == ["ADD", "ADD", "ADD", "MOD", "DEL", "ADD"]


def test_mitre_attack_stix_2_0_per_object_files_and_a_2_1_bundle():
    enterprise = parse_mitre_attack([REAL / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set"])
    assert len(enterprise.records) == 187 - 15
    assert enterprise.skipped == {"revoked or deprecated intrusion sets": 15}
    zirconium = next(r for r in enterprise.records if r.record_id == "G0128")
    assert {n.value for n in zirconium.names} == {"ZIRCONIUM", "APT31", "Violet Typhoon"}
    mobile = parse_mitre_attack(
        [REAL / "mitre_attack" / "mobile-attack-17.1.stix21.json"], source="mitre-attack-mobile"
    )
    apt41 = next(r for r in mobile.records if r.record_id == "G0096")
    assert {"Wicked Panda", "Brass Typhoon", "BARIUM"} <= {n.value for n in apt41.names}


def test_misp_galaxy_clusters_keep_synonyms_vendors_and_relations():
    folder = REAL / "misp_galaxy"
    parsed = parse_misp_galaxy(
        [folder / "threat-actor.json", folder / "surveillance-vendor.json", folder / "microsoft-activity-group.json"]
    )
    assert len(parsed.records) == 1_041 + 615 + 179
    ghost = next(r for r in parsed.records if r.name == "GhostEmperor")
    names = {n.value: n for n in ghost.names}
    assert {"Salt Typhoon", "RedMike", "OPERATOR PANDA", "FamousSparrow"} <= set(names)
    assert names["UNC2286"].used_by == "Mandiant"
    assert any(r.links for r in parsed.records)
    # A vendor written in brackets after a synonym is who uses it; an acronym of the name in brackets stays.
    aliases = {n.value: n.used_by for r in parsed.records for n in r.names}
    assert aliases["Hive0081"] == "IBM" and "Hive0081 (IBM)" not in aliases
    assert "Group 42 (G42)" in aliases and "NoName057(16)" in aliases


def test_ofac_dates_of_birth_given_roughly_are_kept_apart_and_whole_years_are_dates():
    records = {r.record_id: r for r in parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn").records}

    def born(record_id: str) -> tuple[str | None, str | None]:
        identifiers = records[record_id].identifiers
        return identifiers.get(BIRTH_DATE), identifiers.get(ROUGH_BIRTH_DATE)

    # "DOB circa 1962", "DOB circa 01 Jan 1961", "DOB 21 Mar 1962 to 20 Apr 1962": no reader kept them, so the card
    # showed no date of birth at all; now under a label of their own, never one the merge compares.
    assert born("8598") == (None, "circa 1962")  # BUISIR, Ibrahim
    assert born("11355") == (None, "circa 1961-01-01")
    assert born("39439") == (None, "1962-03-21 to 1962-04-20")  # SAJEDINIA, Hossein
    assert born("15962") == (None, "1961 to 1962")  # "DOB 01 Jan 1961 to 31 Dec 1962"
    assert born("11748") == ("1982", "circa 1979 to 1982")  # "DOB circa 1979-1982; alt. DOB 1982"
    assert born("23470") == (None, "1962-03 to 1963-02")  # SALAVATI: "DOB Mar 1962 to Feb 1963"
    # Never compared: the label is no strong one, so a record with only a rough date has none the merge weighs.
    # Not a strong label: only the years it spans, which a join may agree with and none contradicts (merge.py).
    assert ROUGH_BIRTH_DATE not in STRONG_LABELS
    assert strong_values(records["8598"].identifiers) == {ROUGH_BIRTH_DATE: {"1962"}}
    # A range of one whole year or month is that year or month, as OFAC's XML states one.
    assert born("25488") == ("1955", None)  # "DOB 01 Jan 1955 to 31 Dec 1955"
    assert born("20700") == ("1992-10", None)  # "DOB 01 Oct 1992 to 31 Oct 1992"
    assert sum(1 for r in records.values() if ROUGH_BIRTH_DATE in r.identifiers) == 162
    # The same in OFAC's XML and CSV of one day (uid 15960: "01 Jan 1953 to 31 Dec 1954" in both).
    xml = parse_ofac_xml(OFAC / "cons_consolidated_xml_2018-04-06.xml", source="ofac-cons").records
    csv = parse_ofac_csv([OFAC / f"cons_{kind}_2018-05.csv" for kind in ("prim", "add", "alt")], source="ofac-cons")
    csv_by_id = {r.record_id: r for r in csv.records}
    rough = {r.record_id: r.identifiers[ROUGH_BIRTH_DATE] for r in xml if ROUGH_BIRTH_DATE in r.identifiers}
    assert rough == {"15960": "1953 to 1954", "15962": "1961 to 1962"}
    assert all(csv_by_id[k].identifiers.get(ROUGH_BIRTH_DATE) == v for k, v in rough.items())


def test_places_of_birth_are_read_from_every_list_that_gives_them():
    """Where a person was born, as each list writes it: shown on the card, and its country weighed by the merge."""
    sdn = {r.record_id: r for r in parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn").records}
    # OFAC's remarks: "POB Quetta, Balochistan, Pakistan" (TURAB, Ali Muhammad Abu); "alt. POB" as another.
    assert sdn["21387"].identifiers[PLACE_OF_BIRTH] == "Quetta, Balochistan, Pakistan"
    # Every record whose remarks give one, and no other.
    said = {k for k, r in sdn.items() if re.search(r"(?:^|; )(?:alt\. )?POB ", r.remarks or "")}
    assert {k for k, r in sdn.items() if PLACE_OF_BIRTH in r.identifiers} == said
    assert len(said) > 4000
    un = {r.record_id: r for r in parse_un_xml(REAL / "un" / "UN_consolidated_2026-02-27.xml").records}
    # The UN's INDIVIDUAL_PLACE_OF_BIRTH: CITY, STATE_PROVINCE, COUNTRY (HIDAYATULLAH, a.k.a. Abu Turab).
    assert un["TAi.014"].identifiers[PLACE_OF_BIRTH] == "Arghandab District, Kandahar Province, Afghanistan"
    # ... its STREET, and its NOTE beside the place it qualifies.
    assert un["CDi.035"].identifiers[PLACE_OF_BIRTH] == "Manono Territory, Katanga Province (now Tanganyika Province)"
    assert un["LYi.023"].identifiers[PLACE_OF_BIRTH] == "(possibly Sabratha, Talil neighbourhood)"
    uk = {r.record_id: r for r in parse_uk_conlist(REAL / "uk" / "hmt_conlist_c2018-11-29_headerless.csv").records}
    # OFSI's Town of Birth and Country of Birth, one value for the group's rows; numbered choices each a place, the
    # cells' numbers read together ("(1) Beja (2) - (3) -" and "(1)-(2) Tunisia (3) Morocco": the card showed both
    # cells pasted, AL-HAMRAOUI's "Beja, Tunisia; (1) Beja (2) - (3) -, (1)-(2) Tunisia (3) Morocco").
    assert uk["6936"].identifiers[PLACE_OF_BIRTH] == "Arghandab District, Kandahar Province, Afghanistan"
    assert uk["12969"].identifiers[PLACE_OF_BIRTH] == "Zaporozhye; Simferopol, Crimea"  # KOZYURA
    assert uk["7878"].identifiers[PLACE_OF_BIRTH] == "Beja, Tunisia; Tunisia; Morocco"  # AL-HAMRAOUI
    # "(1) - (2) Shabwa" is item 1 left blank, not a run from 1 to 2 (Shabwa is in Yemen, item 2's country).
    assert uk["12012"].identifiers[PLACE_OF_BIRTH] == "Saudi Arabia; Shabwa, Yemen"  # AL OMAIRAH
    assert uk["7872"].identifiers[PLACE_OF_BIRTH].endswith("Tunis, Tunisia; Tunisia; Aras, Algeria; Algeria")
    assert not any("(1)" in r.identifiers.get(PLACE_OF_BIRTH, "") for r in uk.values())
    eu = {r.record_id: r for r in parse_eu_fsf_xml(REAL / "eu" / "eu_fsf_excerpt_export-184961_2026-08-05.xml").records}
    # The EU's birthdate city and country, each of its places; none for its "UNKNOWN" country ("00").
    assert eu["EU.502.12"].identifiers[PLACE_OF_BIRTH] == (
        "Tirin Kot District, Uruzgan Province, AFGHANISTAN; Kandahar province, AFGHANISTAN"
    )
    assert eu["EU.3886.3"].identifiers[PLACE_OF_BIRTH] == "Alrhaybat"
    csl = parse_us_csl(REAL / "csl" / "watchman_testdata_csl_SAMPLE_2019-12-03.csv").records
    assert {r.name: r.identifiers.get(PLACE_OF_BIRTH) for r in csl}["ABU TOS, Khaled"] == "Tulkarem, West Bank"
    # OFAC's CSV, legacy XML and enhanced XML of one list give every record the same places.
    csv = parse_ofac_csv(
        [OFAC / f"cons_{k}_watchman-2025-12.csv" for k in ("prim", "add", "alt", "comments")], source="ofac-cons"
    )
    places = {r.record_id: r.identifiers.get(PLACE_OF_BIRTH) for r in csv.records}
    assert sum(1 for v in places.values() if v) == 21
    for xml in (
        parse_ofac_xml(OFAC / "OFAC_CONSOLIDATED_XML_legacy_Publish-2025-12-18.xml", source="ofac-cons"),
        parse_ofac_enhanced_xml(OFAC / "OFAC_CONS_ENHANCED_XML_dataAsOf-2026-01-08.xml", source="ofac-cons"),
    ):
        assert {r.record_id: r.identifiers.get(PLACE_OF_BIRTH) for r in xml.records if r.record_id in places} == {
            k: v for k, v in places.items() if k in {r.record_id for r in xml.records}
        }


@pytest.mark.parametrize(
    ("parts", "place"),
    [
        (("Kabul", "Kabul", "Afghanistan"), "Kabul, Afghanistan"),
        (("-", "", "Pakistan"), "Pakistan"),
        ((" Tehran ,", None, "Iran"), "Tehran, Iran"),
        (("", "-", None), None),
        # Text put in the wrong field is cut, never a card's whole line.
        (("Kabul " * 100,), ("Kabul " * 100)[:299].rstrip() + "…"),
    ],
)
def test_a_place_of_birth_is_its_parts_without_blanks_placeholders_or_repeats(parts, place):
    assert birth_place(*parts) == place


def test_control_characters_in_a_place_of_birth_never_reach_the_card(tmp_path):
    # OFAC's 21387 as published, its place of birth given a bell, an escape sequence and a direction override (a NUL
    # makes the file binary, refused whole).
    row = next(
        line
        for line in (OFAC / "sdn_2024-05-03.csv").read_bytes().splitlines(keepends=True)
        if line.startswith(b"21387,")
    )
    hostile = row.replace(b"POB Quetta, Balochistan", "POB Quetta\x07, Baloch\u202eistan\x1b[31m".encode())
    (tmp_path / "sdn.csv").write_bytes(hostile)
    record = parse_ofac_csv([tmp_path / "sdn.csv"], source="ofac-sdn").records[0]
    assert record.identifiers[PLACE_OF_BIRTH] == "Quetta, Balochistan, Pakistan"


def test_the_eus_approximate_dates_of_birth_and_year_ranges_are_rough_dates():
    eu = {r.record_id: r for r in parse_eu_fsf_xml(REAL / "eu" / "eu_fsf_excerpt_export-184961_2026-08-05.xml").records}
    # circa="true" with yearRangeFrom 1953 and yearRangeTo 1958, no birthdate or year: read as nothing, so the card gave
    # Haji Ahmad Jan no date of birth.
    assert eu["EU.502.12"].identifiers.get(ROUGH_BIRTH_DATE) == "circa 1953 to 1958"
    assert BIRTH_DATE not in eu["EU.502.12"].identifiers
    # Exact dates stay exact; the Islamic-calendar restatement is not read twice.
    assert eu["EU.3092.36"].identifiers[BIRTH_DATE] == "1982-04-18; 1982-04-19"


def test_every_rough_date_read_from_the_real_lists_reads_again_as_itself():
    """A value stored under ROUGH_BIRTH_DATE is one stated_birth_date gives back unchanged: the readers that hand it ISO
    text (the UN's years, the Advanced XML's periods) get what OFAC's CSV words give."""
    sdn = parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn").records
    un = parse_un_xml(REAL / "un" / "UN_consolidated_2026-02-27.xml").records
    values = {v for r in [*sdn, *un] for v in split_values(r.identifiers.get(ROUGH_BIRTH_DATE))}
    assert len(values) > 100
    assert {v: stated_birth_date(v) for v in values} == {v: (ROUGH_BIRTH_DATE, v) for v in values}


# Hostile or malformed DOB text: none may raise, none may give a date the text does not state.
MALFORMED_BIRTH_DATES = [
    "circa",
    "DOB",
    "1962 to",
    "to 1962",
    "31 Feb 1960 to 01 Mar 1960",  # no such day
    "1970 to 1960",  # ends before it begins
    "circa 1962 to 1960",
    "circa 1982-1979",  # read "circa 1982 to 1979"
    "1962 to 1963 to 1964",
    "circa circa 1962",
    "0000",  # a placeholder, read as the year 0000
    "00/00/0000",
    "circa 0000",
    "1962-13",  # read as a month 13
    "00/13/1962",
    "1962-02-30",
    "circa 1962-02-30",
    "\u0661\u0669\u0666\u0662",  # Arabic-Indic 1962: read as a year in other digits, never equal to 1962
    "circa \u0661\u0669\u0666\u0662",
    "\uff11\uff19\uff16\uff12 to \uff11\uff19\uff16\uff15",  # full-width
    "01 Jan \u0661\u0669\u0666\u0662",
    "x" * 100_000,
    "circa " + "1" * 100_000,
    "1962 to " * 10_000,
]


@pytest.mark.parametrize("text", MALFORMED_BIRTH_DATES, ids=[t[:24] for t in MALFORMED_BIRTH_DATES])
def test_malformed_dates_of_birth_give_no_date(text):
    assert stated_birth_date(text) is None


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("circa 1979-1979", (ROUGH_BIRTH_DATE, "circa 1979")),  # read "circa 1979 to 1979"
        ("1962 to 1962", (BIRTH_DATE, "1962")),
        # Months from a January to a December are years, as OFAC's XML, stating the same as days, reads.
        ("Jan 1962 to Dec 1963", (ROUGH_BIRTH_DATE, "1962 to 1963")),
        ("Dec 9999", (BIRTH_DATE, "9999-12")),  # the last month there is: no overflow
        ("01 Dec 9999 to 31 Dec 9999", (BIRTH_DATE, "9999-12")),
    ],
)
def test_edge_dates_of_birth_read_as_stated(text, read):
    assert stated_birth_date(text) == read


def test_a_real_ofac_row_with_malformed_dob_text_keeps_its_other_details_and_gains_no_date(tmp_path):
    # OFAC SDN 8598 as published ("DOB circa 1962; POB Libya; ..."), its DOB text replaced by each malformed one.
    line = next(
        row for row in (OFAC / "sdn_2024-05-03.csv").read_bytes().splitlines(keepends=True) if row.startswith(b"8598,")
    )
    assert b"DOB circa 1962;" in line
    for number, text in enumerate(MALFORMED_BIRTH_DATES):
        path = tmp_path / f"sdn_{number}.csv"
        path.write_bytes(line.replace(b"DOB circa 1962;", f"DOB {text};".encode()))
        (record,) = parse_ofac_csv([path], source="ofac-sdn").records
        assert record.name == "BUISIR, Ibrahim"
        assert BIRTH_DATE not in record.identifiers and ROUGH_BIRTH_DATE not in record.identifiers, text[:40]
    # The last year there is, whole: the day after its end raised OverflowError, which no reader turns into DataError.
    path = tmp_path / "sdn_9999.csv"
    path.write_bytes(line.replace(b"DOB circa 1962;", b"DOB 01 Jan 9999 to 31 Dec 9999;"))
    assert parse_ofac_csv([path], source="ofac-sdn").records[0].identifiers[BIRTH_DATE] == "9999"


def test_ofac_remarks_give_each_identifier_whole_and_never_a_word_as_one():
    records = {r.record_id: r for r in parse_ofac_csv([OFAC / "sdn_2024-05-03.csv"], source="ofac-sdn").records}
    # "Passport 0285669 (Sierra Leone); alt. Passport RL 1794375 (Lebanon)": the second was read "RL".
    assert records["11494"].identifiers["Passport"] == "0285669; RL 1794375"
    # "Registration ID HRB 26136 (Germany)": was "HRB", which every German company register number starts with.
    assert records["11608"].identifiers["Registration number"] == "HRB 26136"
    # "Registration ID 6000845 Nabatieh (Lebanon)": the town where the company is registered is no part of it.
    assert records["21245"].identifiers["Registration number"] == "6000845"
    # "Identification Number IMO 4213219": the company's IMO number, once, not also a national id "IMO".
    khedri = records["28104"].identifiers
    assert khedri["IMO number"] == "4213219"
    assert "National ID" not in khedri
    # Not what a comma or a dash sets after the number: the kind of passport, its issue date in the Hijri calendar.
    assert records["10570"].identifiers["Passport"] == "D000000483"  # "Passport D000000483, Diplomatic (Syria)"
    assert split_values(records["8263"].identifiers["Passport"])[0] == "C 1415363"  # "C 1415363 - 16/2/1421H issued"
    # Burma's national ids hold letters in brackets: "12/BAHANA(N)010023" was read "12/BAHANA", its township alone,
    # which every other holder of an id from there would share.
    assert records["31172"].identifiers["National ID"] == "12/BAHANA(N)010023"
    assert records["11282"].identifiers["National ID"] == "(HWI)040182"
    # "Identification Number ISIN: RU0009177331" is the code of PJSC MOSTOTREST's shares, not a national id.
    assert records["20029"].identifiers["ISIN"] == "RU0009177331" and "National ID" not in records["20029"].identifiers
    # A country written unbracketed after the number is no part of it (OFAC's 2021 file).
    bench = parse_ofac_csv([OFAC / "sdn_watchman-bench-2021-07.csv"], source="ofac-sdn").records
    assert next(r for r in bench if r.record_id == "10274").identifiers["Passport"] == "AF465508"
    wordy = [
        (r.record_id, label, value)
        for r in records.values()
        for label in (PASSPORT, NATIONAL_ID, TAX_ID, REGISTRATION)
        for value in split_values(r.identifiers.get(label))
        if not any(c.isdigit() for c in value)
    ]
    assert wordy == []


def test_a_person_s_country_is_their_nationality_not_an_address():
    """The UN and OFSI give a person's nationality and, apart, addresses where they were: GHAILANI's (QDi.028) is a
    US custody address, Hamraoui's (QDi.140, OFSI 7878) Italian ones, though both lists state them Tanzanian and
    Tunisian; the card said "United States (per UN)" and "Italy (per UN, OFSI)"."""
    un = {r.record_id: r for r in parse_un_xml(REAL / "un" / "UN_consolidated_2026-02-27.xml").records}
    assert (un["QDi.028"].country, un["QDi.140"].country) == ("TZ", "TN")
    uk = {r.record_id: r for r in parse_uk_conlist(REAL / "uk" / "hmt_conlist_c2018-11-29_headerless.csv").records}
    assert uk["7878"].country == "TN"


def test_a_disqualification_or_a_debarment_aggregated_as_a_sanction_is_none():
    """OpenSanctions gives a UK director's disqualification (Companies House, "The Insolvency Service") and a US
    federal debarment (SAM exclusions) as "Sanction" entities: Zala Aero's LLC CST and ZAKHAROV showed "UK The
    Insolvency Service sanctions regime"."""
    parsed, _ = parse_opensanctions(
        [
            REAL / "opensanctions" / "yente_zala_cluster.entities.ftm.json",
            REAL / "opensanctions" / "yente_t1_eu_fsf_sample.entities.ftm.json",
        ]
    )
    regimes = {s.regime_name for r in parsed.records for s in r.sanctions}
    assert "The Insolvency Service" not in regimes and regimes, regimes


def test_an_ofac_remark_alias_holding_apostrophes_is_read_whole():
    # "a.k.a. 'ABU 'ABD AL-HAKIM'": the alias had ended at its first apostrophe, "ABU", an a.k.a. of many.
    parsed = parse_ofac_csv([REAL / "ofac" / "sdn_2024-05-03.csv"], source="ofac-sdn")
    names = {r.record_id: {n.value for n in r.names} for r in parsed.records}
    assert {"ABU-'UMAR"} <= names["3754"] and "ABU-" not in names["3754"]
    assert {"ABDEL' AZIZ BEN NARVAN", "BEN NARVAN ABDEL AZIZ"} <= names["7835"] and "ABDEL" not in names["7835"]
