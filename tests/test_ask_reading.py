"""How /ask reads a question: periods as people write them, names anywhere in it, and what it says when it can't."""

import datetime as dt

import pytest

from bot.ask import Intent, read_question
from bot.errors import UsageError
from bot.parsing import find_period
from bot.request import Request
from conftest import TODAY

D = dt.date
# The bot's clock in the tests: Wednesday 25 November 2026.
today = TODAY.date()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("what happened on 9 December 2025", D(2025, 12, 9), D(2025, 12, 9)),
        ("on December 9, 2025?", D(2025, 12, 9), D(2025, 12, 9)),
        ("the 9th of Dec 2025", D(2025, 12, 9), D(2025, 12, 9)),
        ("designations on 2025-12-09", D(2025, 12, 9), D(2025, 12, 9)),
        ("in Dec 2025", D(2025, 12, 1), D(2025, 12, 31)),
        ("what did the UK do in 2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("Q1 2025", D(2025, 1, 1), D(2025, 3, 31)),
        ("this week", D(2026, 11, 23), today),
        ("last week", D(2026, 11, 16), D(2026, 11, 22)),
        ("last month", D(2026, 10, 1), D(2026, 10, 31)),
        ("this year", D(2026, 1, 1), today),
        ("last year", D(2025, 1, 1), D(2025, 12, 31)),
        ("the last 90 days", today - dt.timedelta(days=90), today),
        ("since March", D(2026, 3, 1), today),
        ("since 2025-01-01", D(2025, 1, 1), today),
        ("between January and March 2025", D(2025, 1, 1), D(2025, 3, 31)),
        ("from Jan to Mar 2025", D(2025, 1, 1), D(2025, 3, 31)),
        ("before 2025", None, D(2024, 12, 31)),
        ("after March 2025", D(2025, 4, 1), today),
    ],
)
def test_periods_are_read_as_people_write_them_relative_to_the_day_asked(text, start, end):
    period = find_period(text, today)
    assert (period.start, period.end) == (start, end)


def test_since_a_month_not_yet_reached_this_year_means_last_years():
    assert find_period("since December", D(2026, 3, 2)).start == D(2025, 12, 1)


@pytest.mark.parametrize("text", ["may I ask who founded i-Soon", "a botnet of 260,000 devices", "march on"])
def test_words_that_only_look_like_dates_are_not_periods(text):
    assert find_period(text, today) is None


def test_an_impossible_date_is_refused_with_the_reason():
    with pytest.raises(UsageError, match="not a real date"):
        find_period("on 31 February 2025", today)


def test_several_names_in_one_question_are_all_found_longest_first(ask):
    reply = ask("are Zhao Guangzong, Ni Gaobin and Wuhan Xiaoruizhi Science and Technology linked?")
    understood = reply.facts[0].value
    assert "= Zhao Guangzong" in understood and "= Ni Gaobin" in understood
    assert "“Wuhan Xiaoruizhi Science and Technology” = Wuhan Xiaoruizhi" in understood


@pytest.mark.parametrize(
    "question",
    ["what is the group technology", "who is the national security group?", "what information is there?"],
)
def test_common_words_are_never_taken_for_a_name(ask, question):
    reply = ask(question)
    assert reply.entity is None
    assert "“" not in reply.facts[0].value


def test_a_near_spelling_of_a_long_name_is_found_and_says_it_was_fuzzy(ask):
    reply = ask("who sanctioned Integrty Technolgy Group?")
    assert reply.entity["id"] == "integrity-tech"
    assert "(fuzzy" in reply.facts[0].value


def test_a_name_in_chinese_script_is_found_inside_a_chinese_sentence(ask):
    assert ask("永信至诚被谁制裁了").entity["id"] == "integrity-tech"


def test_the_leading_words_of_one_entitys_name_written_as_a_name_stand_for_it(ask):
    reply = ask("what do Sichuan Juxinhe and Beijing Huanyu Tianqiong share")
    understood = reply.facts[0].value
    assert "“Sichuan Juxinhe” = Sichuan Juxinhe Network Technology (leading words" in understood
    assert "“Beijing Huanyu Tianqiong” = Beijing Huanyu Tianqiong Information Technology" in understood


@pytest.mark.parametrize(
    "question", ["what is the main intelligence agency of china", "who sanctions companies for fresh air"]
)
def test_leading_words_of_a_name_written_as_plain_words_are_not_a_name(ask, question):
    # "MAIN INTELLIGENCE DIRECTORATE" and "FRESH AIR FARM HOUSE" are on the bundled OFAC extract.
    assert "leading words" not in ask(question).facts[0].value


def test_a_misspelt_short_form_is_found_as_a_near_spelling_of_the_names_leading_words(ask):
    reply = ask("which regime was intergrity tech sanctioned under")
    assert reply.entity["id"] == "integrity-tech"
    assert "(fuzzy leading words" in reply.facts[0].value


def test_the_doj_is_read_as_the_us_department_of_justice_whose_statements_are_quoted(ask):
    reply = ask("how many Chinese nationals did the DOJ charge?")
    assert "“DOJ” = US Department of Justice" in reply.facts[0].value
    assert any("12 Chinese nationals" in line.text for s in reply.sections for line in s.lines)


def test_an_unknown_name_gets_did_you_mean_buttons_that_keep_the_question(ask):
    # "Sichuan" is a word of three listed names: which one is meant is asked (never "no entity matching", which
    # would be false), each button asking the question again of one of them.
    reply = ask("what is Sichuan accused of?")
    assert reply.status == "ambiguous", reply.title
    assert reply.title.startswith("“Sichuan” is part of several listed names"), reply.title
    commands = {c.command for c in reply.candidates}
    assert "/ask what is i-Soon accused of?" in commands
    # A misspelt name is no entity: said so, with what it may mean.
    reply = ask("what is Sichuan Anxn accused of?")
    assert reply.status == "not_found" and reply.title.startswith("No entity matching"), reply.title
    assert "/ask what is i-Soon accused of?" in {c.command for c in reply.candidates}


def test_an_identifier_s_number_asked_for_is_no_count(ask):
    # "the passport number of X" asks for X's passport, not how many of something there are.
    reply = ask("what is the passport number of Zhou Shuai?")
    assert "a count" not in reply.facts[0].value, reply.facts[0].value
    assert not reply.title.startswith("The loaded data has no statement"), reply.title


def test_what_it_cannot_answer_it_says_with_what_it_understood_and_working_rephrasings(ask, bot):
    reply = ask("who founded Integrity Tech?")
    assert reply.title == "The loaded data does not say who founded Integrity Technology Group."
    assert "asked: who founded, runs or operates it" in reply.facts[0].value
    assert 2 <= len(reply.actions) <= 3
    for action in reply.actions:
        assert bot.answer(action.command).status == "found"


def test_a_fact_is_quoted_with_its_claim_and_claimant_never_alone(ask):
    reply = ask("how many compromised devices did the botnet have?")
    [statements] = [s for s in reply.sections if s.title == "Statements"]
    for line in statements.lines:
        assert "260,000" in line.text and "allege" in line.text and line.sources


def test_an_empty_question_asks_for_one(ask):
    reply = ask("/ask")
    assert reply.status == "error" and "Ask me something" in reply.title


def test_a_name_several_entities_share_gets_which_one_buttons_that_keep_the_question(ask, bot):
    # "Shell Crew" is an alias of two MITRE ATT&CK groups in the bundled catalogue. "APT19" is one's own name and
    # only a catalogue's synonym of a MISP cluster: it opens the group, so the choice asks by it.
    reply = ask("who sanctioned Shell Crew?")
    assert reply.status == "ambiguous"
    assert {c.command for c in reply.candidates} == {"/ask who sanctioned APT19?", "/ask who sanctioned Deep Panda?"}
    assert "asked: who sanctioned it" in reply.facts[0].value
    assert bot.answer(reply.candidates[0].command).status in ("found", "not_found")
    assert bot.answer(reply.candidates[0].command).entity is not None


def test_a_name_the_data_does_not_hold_still_shapes_the_question(ask):
    reply = ask("who sanctioned Acme Widgets Holdings and why?")
    assert reply.status == "not_found"
    assert reply.title == "No entity matching “Acme Widgets Holdings” in the loaded data."
    assert reply.items == []


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("who sanctioned Iran Air?", "Iran Air"),
        ("is Islamic Republic of Iran Shipping Lines sanctioned?", "Islamic Republic of Iran Shipping Lines"),
        ("is Korea Kwangson Banking Corp sanctioned?", "Korea Kwangson Banking Corp"),
        ("is Central Bank of Iran sanctioned?", "Central Bank of Iran"),
    ],
)
def test_a_name_holding_a_countrys_word_that_the_data_lacks_is_missed_whole(ask, question, name):
    # The bundled extracts hold none of these: the no is about the name asked about, never about the words beside
    # the country's ("Air", "Islamic Republic"), with the country read as a filter besides.
    reply = ask(question)
    assert reply.title == f"No entity matching “{name}” in the loaded data.", reply.text
    understood = next(f.value for f in reply.facts if f.label == "Understood")
    assert "country" not in understood, understood


# --- follow-ups in a thread: a question naming no entity is about the thread's subject ---

FOLLOW_UPS = [
    ("who sanctioned them?", "sanctions", "them"),
    ("when?", "sanctions", ""),
    ("Why?", "sanctions", ""),
    ("what are they accused of?", "accused", "they"),
    ("who founded it?", "behind", "it"),
    ("is it sanctioned by the US?", "sanctions", "it"),
    ("where is this company based", "based", "this company"),
    ("what did the Justice Department say about them", "accused", "them"),
    ("and the US?", "sanctions", ""),
    ("what about Britain?", "sanctions", ""),
]


@pytest.mark.parametrize(("text", "intent", "pointer"), FOLLOW_UPS)
def test_a_follow_up_without_a_name_is_about_the_threads_subject(kb, text, intent, pointer):
    question = read_question(text, kb, today, about="curated:isoon")
    assert question.entities == ["isoon"]
    assert question.intent is Intent[intent.upper()]
    assert question.mentions[0].text == pointer and question.mentions[0].match.how == "the thread's subject"


@pytest.mark.parametrize(
    "text",
    [
        "what did the UK sanction in 2024?",  # a question of its own: no pronoun, and filters
        "what about Integrity Tech?",  # names another entity
        "what will the weather be tomorrow?",  # long, and points at nothing
        "UK sanctions?",
        # Names the data does not hold, typed in lower case as chat is: never answered about the subject.
        "is huawei sanctioned",
        "is acme ltd sanctioned?",
        "who owns ferrari",
        "what about zte?",
        "thanks!",
    ],
)
def test_a_question_of_its_own_in_a_thread_is_not_tied_to_the_threads_subject(kb, text):
    question = read_question(text, kb, today, about="curated:isoon")
    assert "isoon" not in question.entities


def test_without_a_thread_a_pronoun_names_no_one(kb):
    assert read_question("who sanctioned them?", kb, today).entities == []


def test_a_follow_up_is_answered_about_the_threads_subject_with_what_was_understood(bot):
    reply = bot.answer(Request(text="what did the DOJ say about them?", about="curated:isoon"))
    assert "“them” = i-Soon (the thread's subject" in reply.text
    assert "US Department of Justice charged 12 Chinese nationals" in reply.text
    assert "in common" not in reply.text


@pytest.mark.parametrize("until", [D(2025, 12, 9), D(2025, 3, 5), D(2024, 3, 24), D(2000, 1, 1), D(2030, 1, 1)])
@pytest.mark.parametrize("limit", [None, 1, 25])
def test_designations_up_to_a_day_are_those_the_whole_list_gives_read_from_that_day(kb, until, limit):
    # The shortcut (start reading at the first designation on or before the day; stop at the limit) against the
    # general path (every designation, filtered).
    everything = [s for s in kb.designations_where() if s.listed_on is not None and s.listed_on <= until]
    assert kb.designations_where(until=until, limit=limit) == everything[:limit]
    uk = [s for s in everything if s.authority == "GB-FCDO"]
    assert kb.designations_where(authorities=["GB-FCDO"], until=until, limit=limit) == uk[:limit]


@pytest.mark.parametrize("text", ["is huawei sanctioned", "is acme ltd sanctioned?", "was zte designated?"])
def test_a_yes_or_no_question_about_a_name_the_data_lacks_says_so_in_any_case(bot, text):
    reply = bot.answer(Request(text=f"/ask {text}"))
    assert reply.status == "not_found" and reply.title.startswith("No entity matching “")


@pytest.mark.parametrize("text", ["is it sanctioned", "who sanctioned them?"])
def test_outside_a_thread_a_pronoun_alone_is_asked_back_not_answered_with_every_designation(bot, text):
    reply = bot.answer(Request(text=f"/ask {text}"))
    assert reply.title == "I can't answer that from the data I have." and reply.items == []


# --- answers that would otherwise be a bare no ---


def test_accused_of_with_no_allegation_gives_the_designations_and_who_was_designated_with_it(ask):
    # The curated data holds no allegation against Shanghai Heiying; OFAC designated it with Zhou Shuai (facts.md).
    reply = ask("what is Shanghai Heiying accused of?")
    assert reply.title.startswith("The loaded data records no allegation against Shanghai Heiying")
    designations = [line.text for s in reply.sections if s.title.startswith("What the sanctioning") for line in s.lines]
    assert designations and "US (OFAC)" in designations[0] and "Zhou Shuai" in designations[0]


@pytest.mark.parametrize(
    "question",
    [
        "what did the NCSC say about Chinese private cyber companies?",
        "what has the NCSC said about private cyber companies in China",
    ],
)
def test_what_a_body_said_about_a_topic_named_in_words_quotes_its_statements(ask, question):
    reply = ask(question)
    assert "ecosystem" in reply.text and "UK NCSC" in reply.text


def test_where_a_listed_person_is_based_gives_the_address_the_list_states(ask):
    # OFAC's address file (bundled extract, ent_num 52828): Gulong Road, Minhang District, Shanghai.
    reply = ask("where is Zhou Shuai based?")
    assert "Gulong Road" in reply.text and "Shanghai 201102" in reply.text


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # Zhou Shuai: OFAC 52828 only (facts.md); never "sanctioned by US or UK".
        ("is Zhou Shuai sanctioned by both the US and the UK?", "No: Zhou Shuai is sanctioned by US (OFAC), but"),
        # Integrity Technology Group: OFAC 2025-01-03 and the UK 2025-12-09.
        ("is Integrity Technology Group sanctioned by the UK but not by the US?", "No: Integrity Technology Group is "),
        ("is Integrity Technology Group sanctioned by both the UK and the US?", "Yes: Integrity Technology Group"),
        ("is i-Soon sanctioned by the UK but not by the US?", "Yes: i-Soon is sanctioned by UK (FCDO), and not by"),
    ],
)
def test_both_and_but_not_are_answered_as_asked(ask, question, verdict):
    assert ask(question).title.startswith(verdict)


def test_a_threat_actor_with_no_sanction_of_its_own_names_the_sanctioned_entities_linked_to_it(ask):
    # OFAC designated Sichuan Juxinhe on 2025-01-17 for its role in Salt Typhoon (facts.md); the group itself is not.
    reply = ask("is Salt Typhoon sanctioned?")
    assert reply.title == "The loaded data records no sanction of Salt Typhoon."
    linked = [line.text for s in reply.sections if s.title == "Sanctioned entities linked to it" for line in s.lines]
    assert any(text.startswith("Sichuan Juxinhe") and "2025-01-17" in text for text in linked)
