"""How current each list is, said on cards, /sanctions and in the age figures any reply or health check shares."""

import datetime as dt
import os

import pytest

from conftest import REAL, TODAY, run_briefbot
from knowledge.lists.freshness import list_ages
from knowledge.lists.refresh import refresh_files
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState


def test_a_card_says_as_of_when_each_list_it_draws_on_is_and_flags_an_old_one(ask):
    card = ask("/who Wuhan Xiaoruizhi")
    [dates] = [fact.value for fact in card.facts if fact.label == "Lists as of"]
    assert dates.startswith("OFAC SDN list as of 2025-11-02 (extract shipped with briefbot; possibly out of date: ")
    assert "expected every 3)" in dates
    assert "UK Sanctions List as of 2025-08-11" in dates


def test_sanctions_replies_say_as_of_when_the_lists_are(ask):
    reply = ask("/sanctions US US-CYB")
    [dates] = [fact.value for fact in reply.facts if fact.label == "Lists as of"]
    assert "OFAC SDN list as of 2025-11-02" in dates and "possibly out of date" in dates


def lists_line(reply) -> str:
    [dates] = [fact.value for fact in reply.facts if fact.label == "Lists as of"]
    return dates


def test_an_ask_answer_says_as_of_when_only_the_lists_it_drew_on_are(ask):
    # OFAC's list holds Integrity Tech; the UK's designation is read from the FCDO's notice, not from the UK list.
    dates = lists_line(ask("/ask which governments have sanctioned Integrity Tech?"))
    assert dates.startswith("OFAC SDN list as of 2025-11-02 (extract shipped with briefbot; possibly out of date: ")
    assert "UK Sanctions List" not in dates


def test_an_ask_answer_over_a_period_names_the_lists_it_searched_even_when_none_held_a_designation(ask):
    dates = lists_line(ask("/ask what did the UK designate in 2019?"))
    assert "UK Sanctions List as of 2025-08-11" in dates
    assert "OFAC" not in dates


def test_an_ask_answer_from_a_card_keeps_the_cards_one_freshness_line(ask):
    reply = ask("/ask who is Wuhan Xiaoruizhi?")
    assert sum(fact.label == "Lists as of" for fact in reply.facts) == 1


def test_a_record_of_a_newer_extract_is_dated_by_the_extract_never_by_the_older_list_in_use(real_kb):
    # With OFAC's SDN file of 3 May 2024 in use, Funnull Technology (ent 53953, designated in 2025) comes from the
    # shipped extract of 2025-11-02 alone, and is cited to it; the line said "OFAC SDN list as of 2024-05-03".
    from bot.service import Bot

    bot = Bot(real_kb, clock=lambda: TODAY)
    for question in ("/who Funnull Technology", "/ask is Funnull Technology sanctioned?"):
        dates = lists_line(bot.answer(question))
        assert dates.startswith(
            "OFAC SDN list as of 2025-11-02 (extract shipped with briefbot, newer than the copy in use, as of "
            "2024-05-03; possibly out of date: "
        ), dates
        assert "OFAC SDN list as of 2024-05-03" not in dates
    # What the file in use holds is dated by it (IRAN AIR, ent 25237, is in the file, not in the extract).
    assert lists_line(bot.answer("/who Iran Air")).startswith("OFAC SDN list as of 2024-05-03 (")
    # The US cyber designations of 2025 draw on both: the file searched, the extract for the records it lacks.
    both = lists_line(bot.answer("/sanctions US US-CYB since 2025-01-01"))
    assert "OFAC SDN list as of 2024-05-03 (" in both and "OFAC SDN list as of 2025-11-02 (extract shipped" in both


def test_a_list_is_flagged_only_past_its_cadence_and_a_successful_check_confirms_it(tmp_path, monkeypatch):
    store = Store.open(str(tmp_path / "ages.sqlite3"))
    refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY)
    october = dt.datetime(2018, 10, 29, 12, tzinfo=dt.UTC)
    assert not list_ages(store.active(), now=october + dt.timedelta(days=14))["un-sc"].stale
    assert list_ages(store.active(), now=october + dt.timedelta(days=15))["un-sc"].stale
    monkeypatch.setenv("BRIEFBOT_STALE_AFTER_DAYS_UN_SC", "30")
    assert not list_ages(store.active(), now=october + dt.timedelta(days=15))["un-sc"].stale
    monkeypatch.delenv("BRIEFBOT_STALE_AFTER_DAYS_UN_SC")
    state = RefreshState(store.engine)
    state.record("un-sc", now=TODAY - dt.timedelta(days=2), next_due=None, result="unchanged")
    age = list_ages(store.active(), now=TODAY, statuses=state.statuses())["un-sc"]
    assert (age.stale, age.age_days, age.describe()) == (False, 2, "UN Security Council list as of 2018-10-29")
    # A failed attempt confirms nothing.
    state.record("un-sc", now=TODAY, next_due=None, error="un-sc: failed: 500")
    assert list_ages(store.active(), now=TODAY + dt.timedelta(days=13), statuses=state.statuses())["un-sc"].stale


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN", "abc", "_OFAC_SDN='abc' is not a number of days"),
        ("BRIEFBOT_STALE_AFTER_DAYS_OFAC", "3", "BRIEFBOT_STALE_AFTER_DAYS_OFAC names no list"),
        ("BRIEFBOT_REFRESH_EVERY_UK", "6h", "BRIEFBOT_REFRESH_EVERY_UK names no list"),
        ("BRIEFBOT_REMOVAL_SHARE", "lots", "BRIEFBOT_REMOVAL_SHARE='lots' is not a share"),
    ],
)
def test_a_bad_list_setting_is_one_message_at_start_up_not_an_error_on_every_card(tmp_path, variable, value, said):
    env = {**os.environ, "BRIEFBOT_DB": str(tmp_path / "s.sqlite3"), variable: value}
    run = run_briefbot("ask", "/who i-Soon", env=env)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and said in run.stderr
