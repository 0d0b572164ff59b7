"""Each kind of /ask question, in several wordings, on the real lists (tests/conftest.py's real_kb), and on two real
OFAC SDN editions for what the lists do not date. Expected facts were read from the raw files in shared/data/real."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store


@pytest.fixture(scope="module")
def real(real_kb):
    bot = Bot(real_kb, clock=lambda: TODAY)
    return bot.answer


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory):
    """The bundled data and OFAC's SDN list as of 2024-03-22, 2024-03-25 and 2024-05-03 (whole files, as published)."""
    store = Store.open(str(tmp_path_factory.mktemp("editions") / "sdn.sqlite3"))
    prepare_store(store, now=TODAY)
    for day in ("2024-03-22", "2024-03-25", "2024-05-03"):
        path = REAL / Path(f"ofac/sdn_{day}.csv")
        refresh_files(store, "ofac-sdn", [path], now=TODAY, as_of=dt.date.fromisoformat(day), accept_removals=True)
    bot = Bot(load_knowledge(store), clock=lambda: TODAY, store=store)
    return bot.answer


# --- the vocabulary: words of the trade are never names ---


@pytest.mark.parametrize(
    "question",
    [
        "what did the UN Security Council designate in 2025?",
        "what has the Security Council listed in 2025?",
        "which designations did the United Nations make in 2025?",
    ],
)
def test_an_authority_in_several_words_is_the_authority_never_a_name(real, question):
    reply = real(question)
    assert "no entity matching" not in reply.text.casefold()
    # UN_consolidated_2026-02-27.xml: HTe.002 VIV ANSANM listed 2025-07-08.
    assert "viv ansanm" in reply.text.casefold()
    assert "by UN Security Council" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "which Chinese individuals are on the OFAC SDN list under cyber sanctions?",
        "chinese people on the SDN list for cyber",
    ],
)
def test_the_sdn_list_is_ofacs_list(real, question):
    reply = real(question)
    text = reply.text
    assert "No entity matching" not in text
    # sdn_2024-05-03.csv 47814 ZHAO, Guangzong and 47818 NI, Gaobin: CYBER2, nationality China.
    assert "ZHAO, Guangzong" in text or "Zhao Guangzong" in text
    assert "list ofac-sdn" in text


def test_a_verb_of_the_trade_is_not_looked_up_as_a_name(real):
    reply = real("which UK cyber designations concern Chinese entities?")
    assert "KONTSERN" not in reply.text and "Which one" not in reply.text
    assert "Wuhan Xiaoruizhi" in reply.text


# --- programmes as each list writes them, counts, combinations ---


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many North Korean entities are on the UN list?", "75 entities (not individuals) listed"),
        ("how many DPRK individuals does the UN list?", "80 individuals listed"),
        ("number of North Korean individuals on the UN list", "80 individuals listed"),
    ],
)
def test_a_count_is_a_number(real, question, expected):
    # UN_consolidated_2026-02-27.xml: 75 ENTITY and 80 INDIVIDUAL records of UN_LIST_TYPE DPRK.
    assert expected in real(question).text


@pytest.mark.parametrize(
    "question",
    [
        "what did OFAC designate under Russia sanctions in 2022?",
        "which people has the US sanctioned under the Russia programme?",
    ],
)
def test_a_country_before_sanctions_is_the_programme_named_after_it(real, question):
    reply = real(question)
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "US-RUSSIA-EO14024" in understood
    assert "country Russia" not in understood


def test_both_authorities_means_entities_each_of_them_sanctions(real):
    reply = real("which entities did both the UK and the US sanction?")
    assert "by UK (FCDO) and US (OFAC)" in reply.text
    for item in reply.items[:20]:
        entity = item["entity"]["id"]
        assert {"GB-FCDO", "US-OFAC"} <= {s.authority for s in real.__self__.kb.sanctions_of(entity)}


def test_but_not_rules_the_other_authority_out(real):
    reply = real("which companies has the US sanctioned but not the UK under cyber sanctions?")
    assert "not by UK (FCDO)" in reply.text
    kb = real.__self__.kb
    for item in reply.items:
        assert "GB-FCDO" not in {s.authority for s in kb.sanctions_of(item["entity"]["id"])}


# --- honest coverage ---


@pytest.mark.parametrize(
    "question",
    [
        "has the EU sanctioned Integrity Technology Group?",
        "is Wuhan Xiaoruizhi on the EU list?",
        "what did the EU designate in 2024?",
    ],
)
def test_an_authority_whose_list_is_not_loaded_is_said_to_be_not_loaded(real, question):
    text = real(question).text
    assert "no eu sanctions list is loaded" in text.casefold()
    assert "UK Sanctions List" in text  # what is loaded, named
    assert "sanctioned by European Union" not in text


# --- one subject on two cards ---


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # One card now: the merge joins them on the names as each list writes them.
        ("is the Internet Research Agency sanctioned by the UK?", "RUS0706"),
        ("when did the UK sanction Yevgeniy Prigozhin and under which regime?", "LIB0071"),
        ("has the UK sanctioned Ramzan Kadyrov?", "RUS0109"),
    ],
)
def test_a_subject_on_two_lists_is_answered_not_asked_back(real, question, expected):
    reply = real(question)
    assert reply.status == "found"
    assert expected in reply.text


def test_two_cards_the_merge_left_apart_as_possibly_one_subject_are_answered_for_both_saying_why(real):
    # TOTOONOV, Aleksandr Borisovich: OFAC 16674 (born 1957-03-03) and the UK's RUS0146 (OFSI: 1957-04-03).
    reply = real("who sanctioned TOTOONOV, Aleksandr Borisovich?")
    assert reply.status == "found", reply.text
    assert "16674" in reply.text and "RUS0146" in reply.text
    assert "One subject, several cards" in reply.text and "dates of birth differ" in reply.text


def test_a_yes_for_a_list_that_dates_no_listing_says_so_in_words(real):
    # OFAC's SDN list dates none of its listings: the title read "designated date not stated", as if that were a date.
    reply = real("is Saleh Mohammad Kakar sanctioned by the US?")
    assert reply.text.startswith(
        "Yes: KAKAR, Saleh Mohammad is sanctioned by US (OFAC): the list gives no listing date."
    ), reply.text


def test_a_choice_between_two_listings_of_one_list_says_what_each_is_listed_under(real):
    # sdn_2024-05-03.csv lists HASSAN DAHIR AWEYS twice: 7006 (SDGT) and 11744 (SOMALIA); two listings, not one card.
    reply = real("is Hassan Dahir Aweys sanctioned by the US?")
    assert reply.status == "ambiguous"
    details = " ".join(c.detail or "" for c in reply.candidates)
    assert "Somalia sanctions" in details and "Specially Designated Global Terrorists" in details


# --- periods ---


def test_a_huge_period_is_a_clear_error(real):
    reply = real("what was designated in the last 99999999999999999999 days?")
    assert reply.status == "error" and reply.error_kind == "usage"
    assert "further than any calendar date" in reply.text


# --- what the editions loaded say where the list says nothing ---


@pytest.mark.parametrize(
    "question",
    [
        "what did OFAC designate under Russia sanctions on 25 March 2024?",
        "who did the US add to the SDN list on 25 March 2024 under the Russia programme?",
    ],
)
def test_an_addition_between_two_editions_is_dated_by_them(editions, question):
    text = editions(question).text
    # sdn_2024-03-25.csv holds 47926-48125 (Bitpapa, Echelon, Kaigorodov ...); sdn_2024-03-22.csv does not.
    assert "added between 2024-03-22 and 2024-03-25, by the copies loaded" in text
    assert "BITPAPA" in text.upper() and "KAIGORODOV" in text.upper()
    assert "Xiaoruizhi" not in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The 2024-03-25 edition has 23 ent_nums the 2024-03-22 one lacks, and lacks none of its.
        (
            "what changed on the SDN list between 22 and 25 March 2024?",
            "from the edition of 2024-03-22 to that of 2024-03-25: 23 added, 0 removed",
        ),
        # The newest two: 450 ent_nums added by 2024-05-03, 15 gone (ICE PEARL NAVIGATION, JW JEWEL…).
        ("what is new on the SDN list?", "from the edition of 2024-03-25 to that of 2024-05-03: 450 added, 15 removed"),
    ],
)
def test_what_changed_between_two_editions(editions, question, expected):
    assert expected in editions(question).text


@pytest.mark.parametrize("question", ["who sanctioned 김정은?", "who is 김정은"])
def test_a_name_in_hangul_is_read_as_a_name_in_ask_as_in_who(real, question):
    # OFAC 20157 KIM, Jong Un: three Hangul characters are a name, read through their romanisation.
    reply = real(question)
    assert reply.status == "found", reply.text
    assert "KIM, Jong Un" in reply.text


def test_what_was_removed_from_a_named_list_between_two_editions_is_its_delistings(editions):
    # sdn_2024-03-25.csv → sdn_2024-05-03.csv: 15 records gone, among them JW JEWEL (25690) and ICE PEARL NAVIGATION.
    reply = editions("what was removed from the SDN list between 25 March and 3 May 2024?")
    assert reply.title.startswith("15 delistings"), reply.text
    assert "ICE PEARL NAVIGATION" in reply.text


def test_a_period_between_two_editions_counts_their_additions_saying_the_copies_cannot_date_them(editions):
    # 450 records are in the edition of 3 May 2024 and not in that of 25 March: April may hold any of them.
    reply = editions("who was added to the SDN list in April 2024?")
    assert reply.status != "not_found", reply.text
    assert "added between 2024-03-25 and 2024-05-03" in reply.text
    assert "cannot say whether inside it" in reply.text


# --- a country question never drops what the data cannot place ---


def test_designations_whose_records_state_no_country_are_shown_apart_not_dropped(real):
    reply = real("which UK cyber designations concern Chinese entities?")
    placed, _, apart = reply.text.partition("Not placed in any country by the data:")
    for name in ("i-Soon", "Integrity Technology Group", "Wuhan Xiaoruizhi", "Zhao Guangzong", "Ni Gaobin"):
        assert name in placed
    # The UK list's summary export states no country: its GRU officers are neither counted as Chinese nor hidden.
    assert "may or may not concern China" in apart and "MORGACHEV Sergey Aleksandrovich" in apart
    assert "MORGACHEV" not in placed


def test_a_country_some_vessel_flies_the_flag_of_is_a_country_not_that_vessel(real):
    # ofac/sdn_2024-05-03.csv: URDANETA's "Vessel Flag Venezuela" made "Venezuela" a reference to that vessel, and
    # "entities in Venezuela" answered its card instead of the country's designations.
    for question in ("which designations concern entities in Venezuela?", "which vessels fly the flag of Panama?"):
        reply = real(question)
        assert "vessel flag" not in reply.text, reply.text[:300]
    assert "country Venezuela" in real("which designations concern entities in Venezuela?").text


def test_an_organisation_whose_name_gives_a_place_is_answered_there_saying_why(real):
    # uk/fcdo_uk_sanctions_list_2025-08-11_from-ods.csv: CYB0003 "Tianjin Huaying Haitai Science and Technology
    # Development Co. Ltd", no country column; Tianjin is CN-TJ in ISO 3166-2.
    reply = real("which UK cyber designations concern Chinese entities?")
    placed, _, apart = reply.text.partition("Not placed in any country by the data:")
    line = next(line for line in placed.splitlines() if "Huaying Haitai" in line)
    assert "China by the place its name gives (Tianjin); no record states a country" in line
    assert "Huaying Haitai" not in apart
    # A person's name says nothing of where they are; nor does a Russian question take a name's Chinese city.
    russian = real("which UK cyber designations concern Russian entities?").text
    assert "by the place its name gives" not in russian


@pytest.mark.parametrize(
    ("question", "caption"),
    [
        # ISO 3166-2 names Falcon a Venezuelan state; FALCON SYSTEMS (UK list, no country) is no Venezuelan firm.
        ("which designations concern entities in Venezuela?", "FALCON SYSTEMS"),
        # Saha is a Russian republic, and SAHA the Iranian aircraft maker's acronym.
        ("which designations concern entities in Russia?", "IRAN AIRCRAFT INDUSTRIES"),
        # Karbala is an Iraqi governorate; GHORB KARBALA is the IRGC's Iranian construction arm.
        ("which designations concern entities in Iraq?", "GHORB KARBALA"),
    ],
)
def test_a_place_name_the_data_does_not_bear_out_places_nothing(real_kb, question, caption):
    from bot.ask import read_question
    from bot.ask.listings import matching

    found, _ = matching(read_question(question, real_kb, TODAY.date()), real_kb)
    assert caption not in {real_kb.entity(s.entity).caption for s in found}


def test_units_are_what_is_not_an_individual_and_a_country_none_places_is_not_a_no(real):
    # The UK list's GRU units state no country (CYB0009 GTsST, CYB0012 GTsSS, CYB0097 161st TsPS).
    reply = real("which Russian GRU units has the UK sanctioned for cyber activity?")
    assert reply.status != "not_found", reply.text
    for ref in ("CYB0009", "CYB0012", "CYB0097"):
        assert ref in reply.text
    assert "(person)" not in reply.text
    # Where the data places none in the country, the title says so, and never "no designation matches".
    iran = real("which Iranian units has the UK sanctioned for cyber activity?")
    assert iran.status != "not_found", iran.text
    assert iran.title.startswith("None placed in Iran by the data; 7 designations that state no country"), iran.title
    assert "No designation in the loaded data matches" not in iran.text


def test_a_country_count_says_how_many_more_the_data_places_nowhere(real):
    title = real("how many Chinese entities has the UK sanctioned under the cyber regime?").text.split("\n")[0]
    # i-Soon, Integrity Technology Group, Wuhan Xiaoruizhi; Tianjin Huaying Haitai by the place its name gives.
    assert title.startswith("4 entities (not individuals) listed — UK (FCDO)")
    assert title.endswith("more listed whose country the data does not state")


# --- a part of a name never answers for the whole ---


@pytest.mark.parametrize(
    ("question", "not_said"),
    [
        # UN list 2026-02-27: PAK Bong Nam's alias "Lui Wai Ming"; "Wai Ming" of another surname is not him.
        ("is Chan Wai Ming sanctioned?", "PAK, Bong Nam"),
        ("has the UK sanctioned Lau Wai Ming?", "PAK, Bong Nam"),
        # "Gref" alone is a malware vendor's name in MITRE's catalogue; German Gref is on the OFAC and UK lists.
        ("who is German Gref?", "Matched “GREF” (vendor name"),
        # A lower-case "is" is no edge of the name "IS BANK, AO".
        ("is Bank of China sanctioned?", "IS BANK"),
        # SDN 2024-05-03: KUMGANG BANK (ent 20571); "Kumgang" comes near it, but "Group" beside it, a word that ends
        # names, makes another name, which no list holds.
        ("is Kumgang Group sanctioned?", "KUMGANG BANK"),
        ("is Korea Kumgang Group sanctioned?", "KUMGANG BANK"),
        # A question's first word has the capital of any sentence: "Is Bank" is not IS BANK, AO (SDN ent 22507).
        ("Is Bank Melli sanctioned?", "IS BANK"),
        ("Is Bank of China sanctioned?", "IS BANK"),
        # Typed in lower case, "herman" beside "gref" is a name's word still: GREF, Herman Oskarovich (SDN 34796),
        # never the threat group whose vendor name "GREF" is, with "no sanction recorded".
        ("is herman gref sanctioned?", "Ke3chang"),
        # ... and so in sentence case, or beside an authority's capitals: only the first word, or no name's, has one.
        ("Is herman gref sanctioned?", "Ke3chang"),
        ("has the UK sanctioned herman gref?", "Ke3chang"),
        # In lower case, "norilsk" beside "nickel" (a Microsoft name of the threat group Ke3chang) makes a name the
        # data lacks; "rusal" beside "united company" one that is not UNITED COMPANY OJSC (consolidated ref 20001).
        ("is norilsk nickel sanctioned", "Ke3chang"),
        ("Is united company rusal sanctioned?", "UNITED COMPANY OJSC"),
        # A command's verb in sentence case is no name ("Confirm" had come near LIMITED LIABILITY COMPANY CONFERUM).
        ("Confirm Iran Air is sanctioned", "CONFERUM"),
    ],
)
def test_a_part_of_a_name_beside_another_word_of_it_never_answers_for_the_whole(real, question, not_said):
    reply = real(question)
    assert not_said not in reply.text.split("Did you mean")[0], reply.text


# --- a country's word in a name is part of the name; one that stands apart is a filter ---


@pytest.mark.parametrize(
    ("question", "name", "read_as"),
    [
        # OFAC SDN list 2024-05-03: ent 306 BANCO NACIONAL DE CUBA; "BANCO NACIONAL" alone is an alias of BANCO
        # CORPORATIVO SA (ent 26549, a Nicaraguan bank), which the words beside "Cuba's" had answered for.
        ("is Cuba's Banco Nacional sanctioned?", "BANCO NACIONAL DE CUBA", "“Cuba's Banco Nacional” = BANCO NACIONAL"),
        # ent 17018 PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA; "Sberbank" alone is the name of ent 18715 JOINT
        # STOCK COMPANY SBERBANK, the Ukrainian subsidiary (sberbank.ua).
        ("is Russian Sberbank sanctioned?", "SBERBANK OF RUSSIA", "“Russian Sberbank” ="),
        # ent 25237 IRAN AIR, typed as chat is: "iran" is a word of questions, and "air" alone came near 5 names.
        ("who sanctioned iran air?", "IRAN AIR", "“iran air” = IRAN AIR"),
        ("is Syrian Arab Airlines sanctioned?", "SYRIAN ARAB AIRLINES", "“Syrian Arab Airlines” ="),
        ("is Islamic Republic of Iran Shipping Lines sanctioned?", "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES", "="),
        # ent 15603 FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA: "Korea" names both Koreas, and
        # a name holding it had never counted as holding North Korea, so "Foreign Trade Bank" answered for VTB
        # (BANK FOR FOREIGN TRADE, Russia) with North Korea as a filter.
        ("is Foreign Trade Bank of the DPRK sanctioned?", "FOREIGN TRADE BANK OF THE DEMOCRATIC", "DPRK” ="),
    ],
)
def test_a_countrys_word_in_a_listed_name_is_read_as_that_name_never_as_a_filter(real, question, name, read_as):
    reply = real(question)
    assert reply.status == "found", reply.text
    assert name in reply.entity["name"], reply.text
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert read_as in understood and "country" not in understood, understood


@pytest.mark.parametrize(
    ("question", "missed"),
    [
        # No loaded list holds Bank of China or Bank of America: the no is about them, never about "Bank" in China
        # or "Bank" sanctioned by the US.
        ("is Bank of China sanctioned?", "Bank of China"),
        ("is Bank of America sanctioned?", "Bank of America"),
        ("Is Bank of China sanctioned?", "Bank of China"),
        # No loaded name is "Central Bank of Iran" (the SDN's alias of BANK MARKAZI JOMHOURI ISLAMI IRAN is in its
        # alternate names file, which this set does not load): "Central Bank" near the central banks of Russia, Iraq
        # and Syria had been offered with Iran as a filter ("is the CENTRAL BANK OF IRAQ of Iran sanctioned?").
        ("is the Central Bank of Iran sanctioned?", "Central Bank of Iran"),
        ("is the central bank of iran sanctioned?", "central bank of iran"),
    ],
)
def test_a_name_the_data_lacks_is_missed_whole_with_the_countrys_word_in_it(real, question, missed):
    reply = real(question)
    assert reply.title.startswith(f"No entity matching “{missed}”"), reply.text
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "country" not in understood and "by US" not in understood, understood


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("banks in China", "China"),
        ("Chinese companies sanctioned by the UK", "China"),
        ("which chinese banks are sanctioned?", "China"),
        # Sandworm, the threat actor: no listed name holds "Russian" with it, so "Russian" is a filter.
        ("is Russian Sandworm sanctioned?", "Russia"),
    ],
)
def test_a_countrys_word_that_stands_apart_stays_a_country_filter(real, question, country):
    reply = real(question)
    assert f"country {country}" in reply.text, reply.text
    assert "No entity matching" not in reply.text, reply.text


def _copy_rows(folder: Path, name: str, keep: Callable[[int, bytes], bool]) -> Path:
    """The rows of a real file (`name`, under REAL) that `keep` (row number, row) keeps, copied as they are."""
    rows = (REAL / name).read_bytes().splitlines(keepends=True)
    kept = [row for number, row in enumerate(rows) if keep(number, row)]
    assert kept, name
    (folder / Path(name).name).write_bytes(b"".join(kept))
    return folder / Path(name).name


def _ofac_rows_bot(folder: Path, sdn: tuple[bytes, ...], cons: tuple[bytes, ...]):
    """A bot on the real rows of these entities (by ent_num) of the SDN file of 2024-05-03 and of the consolidated
    list of 2025-12-19 (its primary and alternate-names files), copied as they are (no header)."""

    def extract(name: str, ents: tuple[bytes, ...]) -> Path:
        return _copy_rows(folder, f"ofac/{name}", lambda _, row: row.split(b",", 1)[0] in ents)

    store = Store.open(str(folder / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, "ofac-sdn", [extract("sdn_2024-05-03.csv", sdn)], now=TODAY, as_of=dt.date(2024, 5, 3))
    files = [extract(f"cons_{kind}_watchman-2025-12.csv", cons) for kind in ("prim", "alt")]
    refresh_files(store, "ofac-cons", files, now=TODAY, as_of=dt.date(2025, 12, 19))
    return Bot(load_knowledge(store), clock=lambda: TODAY).answer


@pytest.fixture(scope="module")
def two_russian_banks(tmp_path_factory: pytest.TempPathFactory):
    """VTB Bank (SDN ent 17013) and the Central Bank of the Russian Federation (consolidated list ref 31695, a.k.a.
    "BANK OF RUSSIA")."""
    return _ofac_rows_bot(tmp_path_factory.mktemp("russian-banks"), (b"17013",), (b"31695",))


def test_a_name_held_only_written_together_is_no_surer_than_names_equal_once_a_legal_form_is_set_aside(
    tmp_path_factory: pytest.TempPathFactory,
):
    # Consolidated list 2025-12-19: "SBER BANK" is an alias of ref 18714 OPEN JOINT STOCK COMPANY BPS-SBERBANK
    # (Belarus); ref 18715 JOINT STOCK COMPANY SBERBANK (Ukraine) and ref 17018's alias PJSC SBERBANK (Sberbank of
    # Russia) are "Sberbank" once their legal forms are set aside. "Sberbank" had answered for the Belarusian bank.
    ask = _ofac_rows_bot(tmp_path_factory.mktemp("sberbanks"), (b"17018", b"18715"), (b"18714", b"18715", b"17018"))
    reply = ask("is Sberbank sanctioned?")
    assert reply.status != "found", reply.text
    for name in ("BPS-SBERBANK", "JOINT STOCK COMPANY SBERBANK", "SBERBANK OF RUSSIA"):
        assert name in reply.text, reply.text


@pytest.mark.parametrize(
    "question", ["who sanctioned kim jong un?", "is kim jong un sanctioned", "has the un sanctioned kim jong un?"]
)
def test_un_in_lower_case_is_a_syllable_of_a_name_unless_written_as_the_authority(real, question):
    # SDN 2024-05-03 ent 20157 "KIM, Jong Un": "un" had been read as the UN, and "kim jong" asked as "which one?".
    reply = real(question)
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "= KIM, Jong Un" in understood, understood
    assert ("by UN Security Council" in understood) == question.startswith("has the un"), understood


@pytest.mark.parametrize(
    "question", ["is zservers on both the uk and us lists?", "has the us or uk sanctioned zservers"]
)
def test_us_in_lower_case_joined_to_another_authority_is_the_us(real, question):
    # "is zservers on both the uk and us lists?" answered for the UK alone: "us" after "and" was read as a pronoun.
    understood = next(f.value for f in real(question).facts if f.label == "Understood")
    assert "US (OFAC)" in understood and "UK (FCDO)" in understood, understood


def test_vessels_removed_from_the_sdn_are_delistings(real):
    # "which vessels did OFAC remove from the SDN in 2024" listed 36 designations (additions): "from the SDN" was no
    # list to be removed from.
    understood = next(f.value for f in real("which vessels did OFAC remove from the SDN in 2024").facts)
    assert "asked: delistings matching filters" in understood, understood


def test_a_name_the_data_lacks_with_a_kind_word_in_it_is_missed_whole_never_a_listing_of_that_kind(real):
    # "company" of "united company rusal" had been a filter: every designation of a company answered a yes-or-no.
    reply = real("Is united company rusal sanctioned?")
    assert reply.title.startswith("No entity matching “united company rusal”"), reply.title
    # An adverb is question vocabulary, never part of the name.
    assert real("is gazprom neft really sanctioned").status == "found"


def test_a_name_beside_the_country_its_entity_is_of_is_that_entity_and_the_country_a_filter(two_russian_banks):
    # "Bank of Russia" is the central bank's alias; "VTB" beside it makes another name, VTB Bank's, of Russia. The
    # central bank had been answered for.
    reply = two_russian_banks("is VTB Bank of Russia sanctioned?")
    assert reply.status == "found" and "VTB BANK" in reply.entity["name"], reply.text
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "“VTB Bank” = VTB BANK" in understood and "country Russia" in understood, understood
    central = two_russian_banks("is Bank of Russia sanctioned?")
    assert central.status == "found" and "CENTRAL BANK OF THE RUSSIAN FEDERATION" in central.entity["name"]


def test_a_listed_name_typed_exactly_beside_a_country_keeps_its_entity_whose_record_states_none(real):
    # SDN 2024-05-03 ent 22486 CENTRAL REPUBLIC BANK (the Donetsk bank, by its website): its record states no
    # country; typed exactly, the name is that bank's (only a near name is set aside, as in "Central Bank of Iran").
    reply = real("is Central Republic Bank of Kyrgyzstan sanctioned?")
    assert reply.status == "found" and reply.entity["name"] == "CENTRAL REPUBLIC BANK", reply.text
    # ... and the answer says the records do not place it there, never letting it read as a Kyrgyz bank's.
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "country Kyrgyzstan · no country stated for CENTRAL REPUBLIC BANK in its records" in understood, understood


def test_banks_are_the_entities_a_name_says_are_banks(real):
    # Every designation of an entity of Iran had been listed for "which banks": no list has a sector field, but a
    # bank's name says it is one (UK list 2025-08-11: INU0048 ANSAR BANK, INU0038 MEHR BANK).
    reply = real("which banks in Iran are sanctioned?")
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "country Iran" in understood and "sector banks" in understood, understood
    assert "ANSAR BANK" in reply.text and "MEHR BANK" in reply.text, reply.text
    every = real("which entities in Iran are sanctioned?")
    shown = [line for section in reply.sections for line in section.lines if not line.text.startswith("…")]
    assert shown and all("BANK" in line.text.upper() or "BANCO" in line.text.upper() for line in shown), reply.text
    assert int(reply.title.split()[0]) < int(every.title.split()[0]), (reply.title, every.title)
    # A name joined to the word is a bank's too (UK list RUS1072 Gazprombank).
    russian = real("which banks in Russia has the UK sanctioned?")
    assert "Gazprombank" in russian.text, russian.text
    # A bank's own name keeps the word: "Bank Melli" is the bank, never a sector of nothing.
    assert real("is Bank Melli Iran sanctioned?").status == "found"


def test_a_name_beside_the_country_in_capitals_throughout_is_still_read_with_the_name_word_beside_it(two_russian_banks):
    # Capitals mark no name here, but "VTB" is a word of listed names: "BANK OF RUSSIA" is still not the name asked.
    reply = two_russian_banks("IS VTB BANK OF RUSSIA SANCTIONED?")
    assert reply.status == "found" and "VTB BANK" in reply.entity["name"], reply.text


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # SDN 2024-05-03: ent 25019 BANK MELLAT and ent 25580 BANK SEPAH state no country (their addresses are in the
        # address file, which this set does not load); the name asked is theirs exactly, and "of Iran" had made it
        # "No entity matching “Bank Mellat of Iran”".
        ("is Bank Mellat of Iran sanctioned?", "BANK MELLAT"),
        ("Is Bank Sepah of Iran sanctioned?", "BANK SEPAH"),
        # "UK" names an authority as well as a place: the UK's designation of BANK ROSSIYA (SDN ent 16681, registered
        # in Russia), never a British Bank Rossiya the data lacks.
        ("UK's Bank Rossiya designation?", "BANK ROSSIYA"),
    ],
)
def test_a_listed_name_beside_a_place_it_may_be_of_is_that_entity(real, question, name):
    reply = real(question)
    assert reply.status == "found" and reply.entity["name"] == name, reply.text


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # A sentence's first word has a capital whatever it is: "Check", "Lookup" are in no listed name, and "Check
        # Bank Mellat" had been "No entity matching “Check Bank Mellat”".
        ("Check Bank Mellat", "BANK MELLAT"),
        ("Lookup Gazprom Neft", "GAZPROM NEFT"),
        # Capitals on every word, or on every letter, say nothing either ("No entity matching “Bank Mellat
        # Currently”").
        ("Is Bank Mellat Currently Sanctioned?", "BANK MELLAT"),
        ("IS BANK MELLAT CURRENTLY SANCTIONED?", "BANK MELLAT"),
        # "Up" of "look up" is the command's too: "UP", a word of listed names, had been read as the name's, and
        # "No entity matching “UP GAZPROM NEFT”" answered for a sanctioned company (UK list RUS2383).
        ("LOOK UP GAZPROM NEFT", "GAZPROM NEFT"),
    ],
)
def test_a_name_beside_a_word_whose_capital_says_nothing_is_that_name(real, question, name):
    reply = real(question)
    assert reply.status == "found" and reply.entity["name"] == name, reply.text


def test_names_joined_by_and_are_each_read_never_as_the_leading_words_of_a_third(real):
    # UN list 2026-02-27, IRe.007 BANK SEPAH AND BANK SEPAH INTERNATIONAL: "Bank Sepah and Bank" are its leading
    # words, but "Mellat" beside them makes BANK MELLAT (SDN ent 25019), which had been missed.
    reply = real("who sanctioned Bank Sepah and Bank Mellat?")
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "“Bank Sepah” = BANK SEPAH" in understood and "“Bank Mellat” = BANK MELLAT" in understood, understood


@pytest.fixture(scope="module")
def foreign_trade_banks(tmp_path_factory: pytest.TempPathFactory):
    """The real rows of VTB Bank (SDN 2024-05-03 and the consolidated list of 2025-12-19, ent 17013, f.k.a. "OJSC CJSC
    BANK FOR FOREIGN TRADE"), of the SDN's FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA (ent 15603)
    and of FOREIGN TRADE BANK (FTB) (UK list 2025-08-11 DPR0134, and the OFSI list of 2018-11-29, which gives its
    country), copied as they are (the UK list's file with its header, the others have none)."""
    folder = tmp_path_factory.mktemp("foreign-trade-banks")

    def extract(name: str, keep: Callable[[int, bytes], bool]) -> Path:
        return _copy_rows(folder, name, keep)

    def vtb(_: int, row: bytes) -> bool:
        return row.startswith(b"17013,")

    def sdn(_: int, row: bytes) -> bool:
        return row.startswith((b"17013,", b"15603,"))

    def uk(number: int, row: bytes) -> bool:
        return number == 0 or row.startswith(b"DPR0134,")

    def ofsi(_: int, row: bytes) -> bool:
        return row.startswith(b"FOREIGN TRADE BANK (FTB),")

    store = Store.open(str(folder / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, "ofac-sdn", [extract("ofac/sdn_2024-05-03.csv", sdn)], now=TODAY, as_of=dt.date(2024, 5, 3))
    cons = [extract(f"ofac/cons_{kind}_watchman-2025-12.csv", vtb) for kind in ("prim", "add", "alt")]
    refresh_files(store, "ofac-cons", cons, now=TODAY, as_of=dt.date(2025, 12, 19))
    uk_list = extract("uk/fcdo_uk_sanctions_list_2025-08-11_from-ods.csv", uk)
    refresh_files(store, "uk-sanctions-list", [uk_list], now=TODAY, as_of=dt.date(2025, 8, 11))
    refresh_files(store, "uk-conlist", [extract("uk/hmt_conlist_c2018-11-29_headerless.csv", ofsi)], now=TODAY)
    return Bot(load_knowledge(store), clock=lambda: TODAY).answer


def test_a_name_beside_a_country_is_the_entity_of_that_country_among_those_it_comes_near(foreign_trade_banks):
    # "Foreign Trade Bank" comes nearest VTB's former name BANK FOR FOREIGN TRADE (its words in another order), which
    # had been answered, with North Korea as a filter; FOREIGN TRADE BANK (FTB), of North Korea, comes near too.
    reply = foreign_trade_banks("is Foreign Trade Bank of North Korea sanctioned?")
    assert "VTB" not in reply.text and "FOREIGN TRADE BANK (FTB)" in reply.text, reply.text


def test_a_weak_near_match_of_the_place_is_offered_never_answered(real):
    # SDN ent 23015 (2024-05-03) CENTRAL BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA is the only central bank
    # "Central Bank" comes near that the place fits, but only at 0.66: a choice, never the answer.
    reply = real("is the Central Bank of North Korea sanctioned?")
    assert reply.status != "found", reply.text


@pytest.mark.parametrize(
    "question",
    ["WHICH BANKS IN IRAN ARE SANCTIONED?", "WHICH COMPANIES IN IRAN HAS OFAC SANCTIONED?"],
)
def test_a_question_in_capitals_throughout_reads_its_words_as_in_lower_case(real, question):
    # Every word has a capital: "BANKS" had been looked up as a name, answering "No entity matching “BANKS”".
    reply = real(question)
    assert "country Iran" in reply.text and "No entity matching" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "country"),
    [
        # A country of two words, neither a question word alone, written with capitals: read as a name before ("no
        # entity matching “Hong Kong”", "“South” could mean 5 entities"), and "South Africa" answered for the SDN's
        # K2016212771 SOUTH AFRICA PTY LTD.
        ("entities in Hong Kong sanctioned by OFAC", "Hong Kong"),
        ("Hong Kong companies sanctioned by OFAC", "Hong Kong"),
        ("companies in South Africa sanctioned by OFAC", "South Africa"),
        ("companies in Sri Lanka", "Sri Lanka"),
        ("companies in South Korea", "South Korea"),
        # Three words: "United Arab Emirates" had answered "No entity matching", and lower case "united" alone had
        # answered for UNITED COMPANY OJSC (cons ref 20001).
        ("which entities in the United Arab Emirates are sanctioned?", "United Arab Emirates"),
        ("which companies in the united arab emirates has OFAC sanctioned?", "United Arab Emirates"),
        # A country's initials with full stops.
        ("which companies in the U.A.E. are sanctioned?", "United Arab Emirates"),
        # The possessive's "'s" is not read: "People's" had been "people", and "Republic of Korea" South Korea's name.
        ("which companies in the Democratic People's Republic of Korea are sanctioned?", "North Korea"),
    ],
)
def test_a_country_of_several_words_standing_apart_is_a_filter_never_a_name(real, question, country):
    reply = real(question)
    assert reply.entity is None and f"country {country}" in reply.text, reply.text
    assert "No entity matching" not in reply.text and "Which one do you mean?" not in reply.text, reply.text


def test_any_country_is_read_by_its_name_or_nationality_word(real):
    for question in ("which Dutch entities are sanctioned?", "which designations concern entities in the Netherlands?"):
        reply = real(question)
        assert "country Netherlands" in reply.text and "No entity matching" not in reply.text, reply.text
    # A country's name that is also a given name stays a name.
    assert "country Jordan" not in real("is Jordan Smith sanctioned?").text


def test_a_listing_ended_everywhere_still_names_the_cards_in_force_that_may_be_the_same_subject(real):
    # OFSI ConList 2018-11-29 group 11234 "NAQDI Mohammad Reza", left by the UK list of 2025: "was sanctioned …,
    # delisted" is as good as a no, and must not hide OFAC's NAQDI, Mohammad Reza (SDN 12057), a card the merge left
    # apart but names as possibly the same.
    reply = real("who sanctioned ofsi:11234?")
    assert "delisted" in reply.title, reply.title
    possibly = [line.text for s in reply.sections if s.title.startswith("Possibly the same") for line in s.lines]
    assert any("ofac:12057" in text for text in possibly), reply.text
