"""Cards from the official lists merged with the curated data, through the front door."""

import datetime as dt
import os
import subprocess

import pytest

from bot.cards import entity_card
from bot.pictures.timeline import timeline_picture
from bot.request import Request
from bot.service import Bot
from conftest import REAL, TODAY, run_briefbot
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge
from knowledge.store.database import Store

OFAC = REAL / "ofac"


def test_wuhan_xiaoruizhi_joins_ofac_47800_uk_cyb0044_and_the_curated_card(ask):
    reply = ask("/who Wuhan Xiaoruizhi")
    assert reply.entity["id"] == "wuhan-xiaoruizhi"
    joined = {(r["list"], r["record_id"]) for r in reply.entity["records"]}
    assert joined == {("ofac-sdn", "47800"), ("uk-sanctions-list", "CYB0044")}
    sanctions = {(s["authority"], s["list_ref"]): s for s in reply.entity["sanctions"]}
    assert sanctions[("US-OFAC", "47800")]["programmes"] == ["CYBER2"]
    assert sanctions[("GB-FCDO", "CYB0044")]["date"] == "2024-03-25"
    assert len(reply.entity["sanctions"]) == 2  # the list entries and the curated actions are one designation each
    assert "UK Sanctions List CYB0044: WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY LIMITED" in reply.text
    assert "UK Sanctions List, as of 2025-08-11" in reply.text


def test_a_fresh_install_answers_zhao_guangzong_from_official_data_and_says_as_of_when(ask):
    reply = ask("/who Zhao Guangzong")
    cited = {c.id for c in reply.citations}
    assert {"ofac-sdn@2025-11-02", "uk-sanctions-list@2025-08-11"} <= cited
    assert "OFAC Specially Designated Nationals (SDN) list, as of 2025-11-02" in reply.text


@pytest.mark.parametrize(
    ("query", "entity", "ent_num", "programme"),
    [
        ("Integrity Technology Group", "integrity-tech", "50543", "CYBER2"),
        ("Sichuan Juxinhe", "sichuan-juxinhe", "52749", "CYBER3"),
        ("Yin Kecheng", "yin-kecheng", "52747", "CYBER3"),
        ("Zhou Shuai", "zhou-shuai", "52828", "CYBER3"),
        ("Shanghai Heiying", "shanghai-heiying", "52829", "CYBER3"),
    ],
)
def test_the_2025_ofac_entries_land_on_their_curated_cards(query, entity, ent_num, programme, tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(
        store,
        "ofac-sdn",
        [
            OFAC / "sdn_cyber_extract_gitmatch-2025.csv",
            OFAC / "alt_watchman-2025-01.csv",
            OFAC / "add_watchman-2025-01.csv",
        ],
        now=TODAY,
        as_of=dt.date(2025, 11, 2),
    )
    reply = Bot(load_knowledge(store), clock=lambda: TODAY).answer(f"/who {query}")
    assert reply.entity["id"] == entity
    us = [s for s in reply.entity["sanctions"] if s["authority"] == "US-OFAC"]
    assert [(s["list_ref"], s["programmes"]) for s in us] == [(ent_num, [programme])]
    assert ("ofac-sdn", ent_num) in {(r["list"], r["record_id"]) for r in reply.entity["records"]}
    if entity == "integrity-tech":
        assert "beijing integrity technology company, limited" in {a.casefold() for a in reply.entity["aliases"]}


def test_the_tco_zhou_collision_is_not_merged_with_zhou_shuai(ask):
    reply = ask("/who Zhou Shuai")
    assert all("ZHOU, Yun" not in r["name"] for r in reply.entity["records"])


# GhostEmperor and RedMike are names of overlapping activity, offered with MISP's GhostEmperor (test_lookup.py);
# MISP gives FamousSparrow as a synonym of both its clusters.
@pytest.mark.parametrize("query", ["Hurricane Salt", "Salt Typhon"])
def test_names_from_the_catalogues_and_the_mistranslation_lead_to_salt_typhoon(ask, query):
    reply = ask(f"/who {query}")
    assert reply.entity["id"] == "salt-typhoon"


def test_salt_typhoon_joins_its_attack_group_and_misp_clusters(ask):
    lists = {r["list"] for r in ask("/who Salt Typhoon").entity["records"]}
    assert lists == {"mitre-attack", "misp-galaxy"}


def test_an_alias_shared_by_clusters_of_different_actors_is_never_merged(kb):
    houndstooth = next(e for e in kb.entities.values() if e.caption == "Houndstooth Typhoon")
    isoon = kb.entity("isoon")
    assert houndstooth.id != isoon.id
    assert {r.name for r in isoon.records} == {"I-Soon"}


def test_a_record_gone_between_two_editions_reads_as_delisted_between_them(tmp_path):
    # OFAC's editions of 25 March and 3 May 2024: 15 records of the first are not in the second. Neither edition
    # says when they went, only that it was between the two.
    store = Store.open(str(tmp_path / "s.sqlite3"))
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-25.csv"], now=TODAY, as_of=dt.date(2024, 3, 25))
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    gone_id = sorted(r.record_id for r, _, _ in store.delisted("ofac-sdn"))[0]
    kb = load_knowledge(store)
    entity = next(e for e in kb.entities.values() if any(r.record_id == gone_id for r in e.records))
    card = entity_card(kb, entity.id, None, command="who", query=entity.caption)
    assert f"OFAC SDN list {gone_id}: " in card.text
    between = "delisted between 2024-03-25 and 2024-05-03 (by the editions loaded)"
    assert f"DELISTED: {between}" in card.text
    assert "no longer on the list as of 2024-05-03" not in card.text
    timeline = next(s for s in card.sections if s.title == "Timeline")
    assert f"2024-03-25 to 2024-05-03 — US (OFAC): {between}" in [line.text for line in timeline.lines]
    assert not [line for line in timeline.lines if line.text.startswith("2024-05-03")]
    picture = timeline_picture(kb, entity.id)
    assert f"2024-03-25 to 2024-05-03 US (OFAC) {between}" in picture.description
    ended = [(s["ended"], s["ended_after"]) for s in card.entity["sanctions"] if s["list_ref"] == gone_id]
    assert ended and set(ended) == {("2024-05-03", "2024-03-25")}
    assert "(delisted)" in card.text
    # Asked in plain words, the delistings are listed, never the designations.
    bot = Bot(kb, clock=lambda: TODAY)
    for question in (
        "which entities were delisted since April 2024?",
        "what did OFAC delist in May 2024?",
        "what did OFAC lift in 2024?",
        "has OFAC removed anyone from the list since 2024-04-01?",
    ):
        reply = bot.answer(Request(text=f"/ask {question}"))
        assert reply.title.startswith("15 delistings"), (question, reply.title)
        assert {item["ended"] for item in reply.items} == {"2024-05-03"}
        assert gone_id in {item["list_ref"] for item in reply.items}
        assert all(line.text.startswith("2024-03-25 to 2024-05-03 — ") for line in reply.sections[0].lines)
    nothing = bot.answer(Request(text="/ask what did OFAC delist in 2023?"))
    assert nothing.title.startswith("0 delistings") and nothing.items == []


def test_sanctions_filter_by_regime_key_across_official_data(ask):
    reply = ask("/sanctions US US-CYB")
    assert {i["authority"] for i in reply.items} == {"US-OFAC"}
    assert {i["regime"] for i in reply.items} == {"US-CYB"}
    assert len(reply.items) > 100


def test_sanctions_accept_a_loaded_regime_key(ask):
    reply = ask("/sanctions RUSSIA-EO14024")
    assert reply.items and {i["regime"] for i in reply.items} == {"US-RUSSIA-EO14024"}


def test_refresh_and_sources_from_the_command_line(tmp_path):
    env = {**os.environ, "BRIEFBOT_DB": str(tmp_path / "cli.sqlite3")}

    def briefbot(*args: str) -> subprocess.CompletedProcess[str]:
        return run_briefbot(*args, env=env)

    run = briefbot("refresh", "--source", "un-sc", "--file", str(REAL / "un" / "UN_consolidated_2018-10-29.xml"))
    assert run.returncode == 0, run.stderr
    assert "un-sc: 1,093 records as of 2018-10-29" in run.stdout
    again = briefbot("refresh", "--file", str(REAL / "un" / "UN_consolidated_2018-10-29.xml"))
    assert "unchanged" in again.stdout
    bad = briefbot("refresh", "--source", "un-sc", "--file", str(REAL / "ofac" / "sdn_2024-03-22.csv"))
    assert bad.returncode == 3
    assert "sdn_2024-03-22.csv" in bad.stderr and "Nothing was changed." in bad.stderr
    sources = briefbot("sources")
    assert "un-sc" in sources.stdout and "as of 2018-10-29, 1,093 records" in sources.stdout
    assert "ofac-sdn" in sources.stdout  # the bundled extract, loaded on first use
