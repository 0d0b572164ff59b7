"""/related, /sanctions, /ask and /help through the bot's front door."""

from bot.reply import Status


def test_related_salt_typhoon_lists_the_three_companies_and_who_named_them_when(ask):
    reply = ask("/related Salt Typhoon")
    assert reply.status is Status.FOUND
    companies = {r["name"] for r in reply.related if r["kind"] == "company"}
    assert companies == {
        "Sichuan Juxinhe Network Technology",
        "Beijing Huanyu Tianqiong Information Technology",
        "Sichuan Zhixin Ruijie Network Technology",
    }
    assert all(r["date"] and r["source"] for r in reply.related if r["kind"] == "company")
    assert "13-country joint advisory 2025-08-27" in reply.text
    assert "US Treasury (OFAC) 2025-01-17" in reply.text


def test_related_links_entities_designated_in_the_same_action(ask):
    reply = ask("/related Zhao Guangzong")
    co_designated = {r["id"] for r in reply.related if r["relation"] == "co-designated with"}
    assert co_designated == {"wuhan-xiaoruizhi", "ni-gaobin"}


def test_related_works_by_an_alias_of_an_operation(ask):
    assert ask("/related Hurricane Salt").entity["id"] == "salt-typhoon"


def test_an_overlap_the_advisory_states_is_a_relation_not_one_card(ask):
    # The Salt Typhoon advisory says the activity partially overlaps with reporting on GhostEmperor: MISP's
    # GhostEmperor cluster keeps its own card, linked to Salt Typhoon on the advisory's word.
    ghost = ask("/related GhostEmperor")
    assert ghost.entity["id"] != "salt-typhoon"
    overlaps = [r for r in ghost.related if r["id"] == "salt-typhoon"]
    assert [r["relation"] for r in overlaps] == ["overlaps with"]
    assert overlaps[0]["source"] == "advisory-2025-08-27-salt-typhoon"
    card = ask("/who Salt Typhoon")
    assert "GhostEmperor (name of overlapping activity;" in card.text
    joins = [line.text for s in card.sections if s.title == "Why these records are one card" for line in s.lines]
    assert joins and not any("GhostEmperor" in text for text in joins)
    # A catalogue's synonym is its tracking, worded as its word.
    assert "FamousSparrow (also tracked as, per MISP galaxy)" in card.text


def test_sanctions_lists_designations_newest_first_undated_list_entries_last(ask, kb):
    reply = ask("/sanctions")
    dates = [item["date"] for item in reply.items]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + [None] * (len(dates) - len(dated))
    assert len(reply.items) == len(kb.sanctions)
    assert "… and" in reply.text


def test_sanctions_filters_by_authority_regime_and_date(ask):
    reply = ask("/sanctions US US-CYB since 2025-01-01")
    assert {i["authority"] for i in reply.items} == {"US-OFAC"}
    assert {i["entity"]["id"] for i in reply.items} == {
        "integrity-tech",
        "sichuan-juxinhe",
        "yin-kecheng",
        "zhou-shuai",
        "shanghai-heiying",
    }
    assert all(i["date"] >= "2025-01-01" for i in reply.items)


def test_sanctions_in_the_last_n_days_counts_back_from_today(ask):
    # The test clock says 2026-11-25: 365 days back is 2025-11-25, so only the UK's December 2025 pair.
    reply = ask("/sanctions last 365 days")
    assert {i["entity"]["id"] for i in reply.items} == {"isoon", "integrity-tech"}


def test_sanctions_accepts_authority_words_users_type(ask):
    assert {i["authority"] for i in ask("/sanctions ofac").items} == {"US-OFAC"}
    assert {i["authority"] for i in ask("/sanctions UK cyber").items} == {"GB-FCDO"}
    # An authority's label as the error message lists it, several words long, is an authority too.
    assert ask("/sanctions UN Security Council").title == "0 designations — UN Security Council · all dates"
    assert {i["authority"] for i in ask("/sanctions UK (FCDO) since 2025-01-01").items} == {"GB-FCDO"}
    assert ask("/sanctions Other authority").status is not Status.ERROR


def test_sanctions_with_no_match_says_so(ask):
    reply = ask("/sanctions UN")
    assert reply.status is Status.NOT_FOUND
    assert reply.items == []
    assert "No designation" in reply.text


def test_ask_who_was_sanctioned_over_salt_typhoon(ask):
    reply = ask("/ask who was sanctioned over Salt Typhoon?")
    assert reply.status is Status.FOUND
    assert {r["id"] for r in reply.related} == {"sichuan-juxinhe"}
    cyber3 = "US cyber-related sanctions (EO 13694 as amended by EO 14144)"
    assert f"Sanctioned: US (OFAC): {cyber3} — designated 2025-01-17" in reply.text


def test_ask_what_integrity_tech_is_accused_of(ask):
    reply = ask("/ask what is Integrity Tech accused of?")
    assert reply.status is Status.FOUND
    assert "botnet of over 260,000" in reply.text
    assert "allegations" in reply.subtitle
    assert all(line.sources for line in reply.sections[0].lines)


def test_ask_whether_isoon_is_sanctioned_by_the_us_says_the_data_does_not_say(ask):
    reply = ask("/ask is i-Soon sanctioned by the US?")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "The loaded data records no sanction of i-Soon by US (OFAC)."
    assert "UK (FCDO)" in reply.text


def test_ask_whether_zhao_guangzong_is_sanctioned_by_the_uk_says_yes_with_the_list_reference(ask):
    reply = ask("is Zhao Guangzong sanctioned by the UK?")
    assert reply.title.startswith("Yes")
    assert "CYB0045" in reply.text


def test_ask_routes_who_is_and_related_questions(ask):
    assert ask("/ask who is Wu Haibo?").entity["id"] == "wu-haibo"
    assert "integrity-tech" in {r["id"] for r in ask("what is related to Flax Typhoon?").related}
    assert "isoon" in {i["entity"]["id"] for i in ask("/ask sanctions in the last 400 days").items}


def test_ask_without_a_supported_shape_says_it_cannot_answer(ask):
    reply = ask("/ask what will the weather be tomorrow?")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "I can't answer that from the data I have."


def test_a_question_about_an_unknown_entity_says_it_is_not_in_the_data(ask):
    reply = ask("/ask what is Sichuan Airlines accused of?")
    assert reply.status is Status.NOT_FOUND
    assert "No entity matching" in reply.title


def test_help_lists_every_command_with_its_docstring(ask, bot):
    reply = ask("/help")
    for command in bot.registry:
        assert f"{command.usage} — {command.summary}" in reply.text


def test_help_for_one_command_shows_usage_and_examples(ask):
    reply = ask("/help related")
    assert "/related NAME" in reply.text
    assert "/related Salt Typhoon" in reply.text
