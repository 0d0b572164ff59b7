"""/who NAME as of DATE: answers from the list editions in use on that date, and says which."""

import datetime as dt

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store

OFAC_EDITIONS = (("sdn_2024-03-22.csv", dt.date(2024, 3, 22)), ("sdn_2024-03-25.csv", dt.date(2024, 3, 25)))


@pytest.fixture(scope="module")
def editions_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """A store holding the two real OFAC SDN editions either side of the APT31 designations of 25 March 2024."""
    store = Store.open(str(tmp_path_factory.mktemp("as-of") / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    for name, day in OFAC_EDITIONS:
        refresh_files(store, "ofac-sdn", [REAL / "ofac" / name], now=TODAY, as_of=day)
    return Bot(load_knowledge(store), store=store, clock=lambda: TODAY)


@pytest.fixture(scope="module")
def bundled_bot(seeded_store: Store) -> Bot:
    return Bot(load_knowledge(seeded_store), store=seeded_store, clock=lambda: TODAY)


def sanctions_fact(reply) -> str:
    return next(f.value for f in reply.facts if f.label == "Sanctions")


def as_of_fact(reply) -> str:
    return next(f.value for f in reply.facts if f.label == "As of")


def test_the_day_before_the_designation_shows_no_ofac_designation_from_the_edition_of_that_day(editions_bot):
    reply = editions_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-22")
    assert reply.status == "found"
    assert "OFAC" not in sanctions_fact(reply)
    assert "edition as of 2024-03-22" in as_of_fact(reply)


def test_the_day_of_the_designation_shows_it_from_the_edition_of_that_day(editions_bot):
    reply = editions_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-25")
    assert "US (OFAC): US cyber-related sanctions" in sanctions_fact(reply)
    assert "edition as of 2024-03-25" in as_of_fact(reply)
    assert "OFAC Specially Designated Nationals (SDN) list, as of 2024-03-25" in reply.text


def test_without_a_date_the_card_is_todays_and_says_no_as_of(editions_bot):
    reply = editions_bot.answer("/who Wuhan Xiaoruizhi")
    assert "US (OFAC)" in sanctions_fact(reply)
    assert not any(f.label == "As of" for f in reply.facts)


def test_a_list_with_no_edition_that_old_is_derived_from_its_listing_dates_and_says_so(editions_bot):
    before = as_of_fact(editions_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-22"))
    assert "UK Sanctions List: no edition this old is stored; derived from the listing dates" in before
    assert "UK (FCDO)" not in sanctions_fact(editions_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-22"))
    assert "UK (FCDO)" in sanctions_fact(editions_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-25"))


def test_the_bundled_extract_alone_still_places_the_designation_by_its_date(bundled_bot):
    before = bundled_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-22")
    after = bundled_bot.answer("/who Wuhan Xiaoruizhi as of 2024-03-25")
    assert "OFAC" not in sanctions_fact(before)
    # The bundled OFAC copy states no listing dates: the view says how many records it could not place.
    assert "state no listing date and are left out" in as_of_fact(before)
    assert "US (OFAC)" in sanctions_fact(after)


def test_a_date_still_to_come_is_refused_politely(editions_bot):
    reply = editions_bot.answer("/who Wuhan Xiaoruizhi as of 2030-01-01")
    assert reply.status == "error"
    assert "still to come" in reply.title


def test_an_unreadable_date_says_how_to_write_it(editions_bot):
    reply = editions_bot.answer("/who Wuhan Xiaoruizhi as of 22/03/2024")
    assert reply.status == "error"
    assert "YYYY-MM-DD" in reply.title


def test_a_bot_without_a_store_says_it_cannot_answer_as_of_a_date(kb):
    reply = Bot(kb, clock=lambda: TODAY).answer("/who Wuhan Xiaoruizhi as of 2024-03-22")
    assert reply.status == "error"
    assert "store" in reply.title


def test_an_unknown_name_as_of_a_date_is_not_found_and_never_a_confident_no(editions_bot):
    reply = editions_bot.answer("/who Zzyzx Qwerty Holdings as of 2024-03-22")
    assert reply.status == "not_found"
    assert any(f.label == "As of" for f in reply.facts)


def test_a_screening_as_of_a_date_uses_the_editions_of_that_date(editions_bot):
    from bot.screening.engine import Verdict
    from bot.screening.service import Screener, Who

    screener = Screener(lambda: editions_bot.kb, clock=lambda: TODAY, store=editions_bot.store)
    name = "Wuhan Xiaoruizhi Science and Technology Company, Limited"
    before = screener.screen_pasted(f"{name}\nas of 2024-03-22", Who())
    after = screener.screen_pasted(f"{name}\nas of 2024-03-25", Who())
    assert before.screening.rows[0].verdict is Verdict.NO_MATCH
    assert after.screening.rows[0].verdict is Verdict.MATCH
    assert "ofac-sdn" in after.screening.versions and "2024-03-25" in after.screening.versions["ofac-sdn"]
    assert next(f.value for f in before.reply.facts if f.label == "As of") == "2024-03-22"


def test_a_name_held_today_only_by_undated_records_is_never_a_bare_not_found_as_of_a_date(bundled_bot):
    # The bundled OFAC extract states no listing date for BOGACHEV; no edition of 2024 is stored, so the view of
    # that day cannot place him: the answer says so and shows today's card, never "No entity matching".
    reply = bundled_bot.answer("/who BOGACHEV, Evgeniy Mikhaylovich as of 2024-01-01")
    assert reply.status.value == "found"
    assert reply.subtitle.startswith("Not found in the list editions in use on 2024-01-01; today's data holds it")
    assert "cannot tell whether it was listed on 2024-01-01" in reply.subtitle


@pytest.fixture(scope="module")
def un_editions_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """A store holding the real UN editions of 24 August 2018 and 27 February 2026, loaded as the benchmark does."""
    from bench.datasets import load_real_lists

    store = Store.open(str(tmp_path_factory.mktemp("un-editions") / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    load_real_lists(store, REAL, now=TODAY, sources={"un-sc"})
    return Bot(load_knowledge(store), store=store, clock=lambda: TODAY)


def test_a_listing_dated_before_the_day_by_a_later_edition_is_shown_between_two_editions(un_editions_bot):
    # SEKA BALUKU (CDi.036) is not in the 2018 edition; the 2026 edition dates his listing 2020-02-06.
    reply = un_editions_bot.answer("/who Seka Baluku as of 2024-01-01")
    assert reply.status == "found"
    assert not (reply.subtitle or "").startswith("Not found in the list editions in use")
    assert "UN Security Council DRC sanctions — designated 2020-02-06" in sanctions_fact(reply)
    assert "(delisted)" not in sanctions_fact(reply)
    said = as_of_fact(reply)
    assert "UN Security Council Consolidated List, edition as of 2018-08-24, with the records of its edition" in said
    assert "listed by the listing date that edition gives (the editions loaded do not include one of this day)" in said
    # The designation is cited to the edition that dates it, not to the 2018 one that lacks it.
    assert "UN Security Council Consolidated List, as of 2026-02-27" in reply.text
    assert "UN Security Council Consolidated List, as of 2018-08-24" not in reply.text


def test_a_later_editions_listing_dated_after_the_day_is_left_out_of_the_view(un_editions_bot):
    # MICHEL RUKUNDA (CDi.041): listed 2024-02-20 by the 2026 edition's word.
    before = un_editions_bot.answer("/who Michel Rukunda as of 2024-01-01")
    after = un_editions_bot.answer("/who Michel Rukunda as of 2024-03-01")
    assert before.subtitle.startswith("Not found in the list editions in use on 2024-01-01")
    assert "designated 2024-02-20" in sanctions_fact(after)
    assert not (after.subtitle or "").startswith("Not found")


def test_a_record_gone_by_the_later_edition_reads_as_held_then_and_gone_by_it_never_as_listed_on_the_day(
    un_editions_bot,
):
    # RAFIDAIN BANK (IQe.003) is in the 2018 edition and not in the 2026 one: when it went, the editions cannot tell.
    reply = un_editions_bot.answer("/who Rafidain Bank as of 2024-01-01")
    assert "delisted between 2018-08-24 and 2026-02-27 (by the editions loaded)" in reply.text
    assert "whether still listed on this day unknown" in as_of_fact(reply)


def test_a_screening_dates_a_delisting_the_editions_bracket_by_both_never_by_the_later_alone(un_editions_bot):
    # RAFIDAIN BANK (IQe.003): in the UN edition of 2018-08-24, gone from that of 2026-02-27. A screening as of
    # 2018-09-01 said its UN designation "ended 2026-02-27", years after the day and a day no edition gives.
    from bot.screening.service import Screener, Who

    screener = Screener(lambda: un_editions_bot.kb, clock=lambda: TODAY, store=un_editions_bot.store)
    screened = screener.screen_pasted("RAFIDAIN BANK\nas of 2018-09-01", Who())
    text = screened.reply.text
    assert "ended 2026-02-27" not in text
    assert "delisted between 2018-08-24 and 2026-02-27 (by the editions loaded)" in text


def test_a_screening_between_two_editions_matches_a_listing_the_later_edition_dates_before_the_day(un_editions_bot):
    from bot.screening.engine import Verdict
    from bot.screening.service import Screener, Who

    screener = Screener(lambda: un_editions_bot.kb, clock=lambda: TODAY, store=un_editions_bot.store)
    screened = screener.screen_pasted("SEKA BALUKU\nas of 2024-01-01", Who())
    assert screened.screening.rows[0].verdict is Verdict.MATCH
    version = screened.screening.versions["un-sc"]
    assert "2018-08-24 (between)" in version and "2026-02-27" in version
