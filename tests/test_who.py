"""/who: the briefing card, on every entity of the curated data."""

import datetime as dt
import re

import pytest

from bot.reply import Status
from bot.resolve import candidate_label
from bot.service import Bot
from conftest import TODAY
from knowledge.curated import load_curated


def test_the_isoon_card_shows_the_uk_sanction_of_9_december_2025_with_its_source(ask):
    reply = ask("/who i-Soon")
    assert reply.status is Status.FOUND
    assert reply.entity["id"] == "isoon"
    sanctions = reply.entity["sanctions"]
    assert [(s["authority"], s["regime"], s["date"]) for s in sanctions] == [("GB-FCDO", "GB-CYB", "2025-12-09")]
    uk_cyber = "UK cyber sanctions, The Cyber (Sanctions) (EU Exit) Regulations 2020"
    assert f"UK (FCDO) · {uk_cyber} · designated 2025-12-09" in reply.text
    assert "(GB-CYB)" not in reply.text
    assert sanctions[0]["source"] in {c.id for c in reply.citations}


def test_the_isoon_card_words_allegations_as_allegations_with_who_and_source(ask):
    reply = ask("/who i-Soon")
    allegations = reply.entity["allegations"]
    texts = [a["text"] for a in allegations]
    assert any("The FCDO alleges that i-Soon attacked the IT systems of over 80 governments" in t for t in texts)
    assert all(a["alleged_by"] and a["source"] for a in allegations)
    section = next(s for s in reply.sections if s.title == "Allegations")
    assert all(line.sources for line in section.lines)


def test_the_card_says_which_name_matched_and_how(ask):
    reply = ask("/who 四川安洵信息技术有限公司")
    assert reply.entity["id"] == "isoon"
    assert reply.entity["matched"] == {"name": "四川安洵信息技术有限公司", "how": "exact", "score": 0.99}
    assert "Matched “四川安洵信息技术有限公司” (non-Latin script, exact, score 0.99" in reply.text


def test_the_card_has_a_dated_timeline_across_governments(ask):
    reply = ask("/who Integrity Technology Group")
    timeline = next(s for s in reply.sections if s.title == "Timeline")
    dates = [line.text[:10] for line in timeline.lines]
    assert dates == sorted(dates)
    assert any("US (OFAC)" in line.text for line in timeline.lines)
    assert any("UK (FCDO)" in line.text for line in timeline.lines)


def test_a_former_name_finds_the_company_and_is_shown_as_former(ask):
    reply = ask("/who Beijing Yongxin Zhicheng Technology Co., Ltd.")
    assert reply.entity["id"] == "integrity-tech"
    assert "Beijing Yongxin Zhicheng Technology Co., Ltd. (former name)" in reply.text


def test_the_card_of_salt_typhoon_lists_the_three_advisory_companies_as_related(ask):
    reply = ask("/who Salt Typhoon")
    related = {r["id"] for r in reply.related}
    assert {"sichuan-juxinhe", "beijing-huanyu-tianqiong", "sichuan-zhixin-ruijie"} <= related


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_card_cites_a_source_for_every_sanction_allegation_and_link(ask, kb, entity_id):
    reply = ask(f"/who {kb.entity(entity_id).caption}")
    assert reply.status is Status.FOUND and reply.entity["id"] == entity_id
    cited = {c.number for c in reply.citations}
    for section in reply.sections:
        if section.title in ("Sanctions", "Allegations", "Related", "Timeline", "Summary"):
            for line in section.lines:
                if not line.text.startswith("No "):
                    assert line.sources, f"{entity_id}: {section.title}: {line.text}"
                    assert set(line.sources) <= cited
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", reply.text.split("\nSources\n")[0])}
    assert marks == cited


def test_the_json_reply_keeps_the_documented_shape(ask):
    data = ask("/who i-Soon").to_json()
    assert {"command", "query", "status", "entity", "candidates", "related", "items", "text"} <= set(data)
    assert {"id", "name", "kind", "aliases", "sanctions", "allegations"} <= set(data["entity"])
    assert {"authority", "regime", "date", "source"} <= set(data["entity"]["sanctions"][0])
    assert {"text", "alleged_by", "date", "source"} <= set(data["entity"]["allegations"][0])
    assert {"id", "name", "relation"} <= set(data["related"][0])


def test_who_opens_the_record_whose_alias_is_typed_exactly(shared_names):
    reply = shared_names.answer("/who M.S.D.")
    assert reply.status is Status.FOUND, reply.text
    assert (reply.entity["id"], reply.entity["name"]) == ("ofac-sdn:42337", "MURAD EN SONS DIAMONDS")
    assert reply.entity["matched"] == {"name": "M.S.D.", "how": "exact", "score": 0.99}


def test_who_offers_every_record_holding_the_name_typed_each_opened_by_its_list_reference(shared_names):
    reply = shared_names.answer("/who AZIZ Abdul")
    assert reply.status is Status.AMBIGUOUS, reply.text
    assert [c.command for c in reply.candidates] == ["/who ofac:25597", "/who ofac:18650", "/who ofac:19671"]
    assert all(c.matched == "AZIZ, Abdul" for c in reply.candidates)
    for candidate in reply.candidates:
        assert shared_names.answer(candidate.command).entity["id"] == candidate.id


def test_ask_offers_the_same_choice_and_each_choice_answers_rather_than_asking_again(shared_names):
    reply = shared_names.answer("/ask is AZIZ Abdul sanctioned?")
    assert reply.status is Status.AMBIGUOUS, reply.text
    assert {c.id for c in reply.candidates} == {"ofac-sdn:25597", "ofac-sdn:18650", "ofac-sdn:19671"}
    # The own name "AZIZ, Abdul" would give the choice again: its choice asks by the record's reference.
    answered = [shared_names.answer(c.command) for c in reply.candidates]
    assert [a.status for a in answered] == [Status.FOUND] * 3
    assert [a.entity["id"] for a in answered if a.entity] == [c.id for c in reply.candidates]


def test_a_summary_marks_each_delisted_designation_beside_one_in_force():
    # A list that dropped a record and listed the same subject again (OFSI's Paul Malong: 13609, then 13699): the
    # summary must not read as two listings in force; OFAC's undated listings likewise.
    from bot.cards import sanctions_summary
    from knowledge.models import Sanction

    def designation(ref: str, listed: dt.date | None, ended: dt.date | None, authority: str = "GB-FCDO") -> Sanction:
        return Sanction(
            id=ref, entity="e", authority=authority, regime="south-sudan", listed_on=listed, source="s", ended_on=ended
        )

    relisted = [
        designation("13609", dt.date(2018, 2, 3), dt.date(2018, 11, 29)),
        designation("13699", dt.date(2018, 7, 18), None),
    ]
    assert "designated 2018-02-03 (delisted), designated 2018-07-18 |" in sanctions_summary(relisted) + " |"
    undated = [
        designation("1", None, dt.date(2020, 1, 1), "US-OFAC"),
        designation("2", dt.date(2021, 5, 1), None, "US-OFAC"),
    ]
    assert "designated 2021-05-01; listing date not stated in the list (delisted)" in sanctions_summary(undated)
    both_undated = [designation("1", None, dt.date(2020, 1, 1), "US-OFAC"), designation("2", None, None, "US-OFAC")]
    assert "listing date not stated in the list (some since delisted)" in sanctions_summary(both_undated)
    # All ended: the authority's entry says so once.
    ended = sanctions_summary([designation("13609", dt.date(2018, 2, 3), dt.date(2018, 11, 29))])
    assert "(delisted): " in ended and "2018-02-03 (delisted)" not in ended


def test_a_card_shows_a_date_of_birth_the_list_gives_only_roughly(real_kb):
    bot = Bot(real_kb, clock=lambda: TODAY)
    # OFAC SDN 8598 "DOB circa 1962": no reader kept it, and the card showed no date of birth at all.
    reply = bot.answer("/who BUISIR, Ibrahim")
    assert "Date of birth (approximate): circa 1962" in reply.text
    assert "born circa 1962" in candidate_label(real_kb, real_kb.entity(reply.entity["id"]))[0]
    # Beside the date other lists give the same person (OFAC 7849; the UK's IRQ0068 and the UN's IQi.007: 1962).
    assert "Date of birth: 1962\nDate of birth (approximate): circa 1962\n" in bot.answer("/who ofac:7849").text
