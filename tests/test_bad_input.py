"""Every bad input gets a short, clear answer and never a traceback."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reply import Status

CASES = {
    "empty": ("", "usage"),
    "only spaces": ("   ", "usage"),
    "who without a name": ("/who", "usage"),
    "huge query": ("/who " + "a" * 10_000, "usage"),
    "unknown command": ("/frobnicate i-Soon", "usage"),
    "unknown authority": ("/sanctions XX", "usage"),
    "impossible date": ("/sanctions since 2025-02-30", "usage"),
    "unreadable date": ("/sanctions since yesterday", "usage"),
    "future date": ("/sanctions since 2099-01-01", "usage"),
    "ask authority unknown": ("/ask is i-Soon sanctioned by Narnia?", "usage"),
    "help for unknown command": ("/help frobnicate", "usage"),
    "slash alone": ("/", "usage"),
    "reference without its id": ("/who ofac:", "usage"),
    "related reference without its id": ("/related UN: ", "usage"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_a_short_polite_error(ask, name):
    text, kind = CASES[name]
    reply = ask(text)
    assert reply.status is Status.ERROR
    assert reply.error_kind == kind
    assert len(reply.title) < 300
    assert "Traceback" not in reply.text


def test_unknown_command_suggests_the_nearest(ask):
    assert "Did you mean /who?" in ask("/woh i-Soon").title


def test_unknown_authority_suggests_and_lists_the_known_ones(ask):
    title = ask("/sanctions ofca").title
    assert "Did you mean 'ofac'" in title
    assert "UK (FCDO)" in title


def test_a_reference_without_its_id_says_what_a_reference_is_and_opens_no_card(ask):
    reply = ask("/who ofac:")
    assert "“ofac:” is a list's prefix without a record id" in reply.title and "ofac:19509" in reply.title
    assert reply.entity is None


def test_impossible_date_says_why(ask):
    assert "2025-02-30" in ask("/sanctions since 2025-02-30").title


@pytest.mark.parametrize(
    "text",
    [
        "/who i-\x00So\x07on",
        "/who \u202ei-Soon",
        "/who i\u200b-Soon",
    ],
)
def test_control_and_bidi_characters_are_removed_before_lookup(ask, text):
    reply = ask(text)
    assert reply.entity["id"] == "isoon"
    assert "\u202e" not in reply.text and "\x00" not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "/who 🔥🔥🔥",
        "/who '; DROP TABLE entities; --",
        "/who **bold** _x_ `code`",
        "/who <!channel>",
        "/who @everyone",
        "/who <@U123ABC>",
    ],
)
def test_junk_names_are_not_found_politely(ask, text):
    reply = ask(text)
    assert reply.status is Status.NOT_FOUND
    assert reply.candidates == []
    assert len(reply.title) < 200


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_any_text_gets_a_reply_and_never_raises(bot, text):
    reply = bot.answer(text)
    assert reply.status in set(Status)
    assert reply.error_kind != "internal"
    assert reply.text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["/who ", "/related ", "/sanctions ", "/ask ", "/help "]), st.text(max_size=200))
def test_any_arguments_to_any_command_get_a_reply(bot, prefix, args):
    reply = bot.answer(prefix + args)
    assert reply.error_kind != "internal"
