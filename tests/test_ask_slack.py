"""/ask on Slack at its edges: thread replies, the "Brief me on this" shortcut and suggestion buttons."""

import json
import urllib.parse

import pytest

import test_slack
from adapters.slack_app import with_suggestions
from adapters.slack_manifest import manifest
from adapters.slack_render import check_message, render_message
from ask_questions import CASES
from test_slack import post, signed

# The Slack tests' own fixtures: the Bolt app served on loopback and the stand-in Web API.
served = test_slack.served
standin = test_slack.standin


def _event(event: dict, event_id: str = "Ev1") -> bytes:
    envelope = {
        "token": "unused",
        "team_id": "T1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1,
        "event": {"team": "T1", "channel": "C1", "user": "U1", **event},
    }
    return json.dumps(envelope).encode()


def _send_event(base: str, event: dict) -> int:
    body = _event(event)
    return post(f"{base}/slack/events", body, signed(body), "application/json")[0]


def _thread(standin, *messages: dict) -> None:
    standin.answers["conversations.replies"] = (200, {"ok": True, "messages": list(messages)}, {})


def test_a_reply_in_a_thread_the_bot_answered_in_goes_through_ask_and_answers_in_the_thread(served, standin):
    base, bot = served
    _thread(standin, {"user": "U1", "text": "<@UBOT> who is i-Soon?", "ts": "1700.1"}, {"user": "UBOT", "ts": "1700.2"})
    text = "which governments have sanctioned Integrity Tech?"
    assert (
        _send_event(
            base, {"type": "message", "channel_type": "channel", "text": text, "ts": "1700.3", "thread_ts": "1700.1"}
        )
        == 200
    )
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1700.1"
    assert bot.asked == [text]
    assert "UK (FCDO)" in json.dumps(call.body["blocks"]) and "US (OFAC)" in json.dumps(call.body["blocks"])


def test_a_reply_in_a_thread_the_bot_never_joined_is_left_alone(served, standin):
    base, bot = served
    _thread(
        standin, {"user": "U1", "text": "lunch?", "ts": "1700.1"}, {"user": "U2", "text": "i-Soon?", "ts": "1700.2"}
    )
    event = {
        "type": "message",
        "channel_type": "channel",
        "text": "who is i-Soon?",
        "ts": "1700.3",
        "thread_ts": "1700.1",
    }
    assert _send_event(base, event) == 200
    standin.wait_for("conversations.replies")
    assert bot.asked == []
    assert standin.named("chat.postMessage") == []


def test_a_channel_message_outside_a_thread_is_not_a_question_for_the_bot(served, standin):
    base, bot = served
    assert (
        _send_event(base, {"type": "message", "channel_type": "channel", "text": "who is i-Soon?", "ts": "1700.4"})
        == 200
    )
    assert bot.asked == []


def test_a_dm_question_is_answered_with_rephrasings_as_buttons_that_keep_the_question(served, standin):
    base, _ = served
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "text": "who founded Integrity Tech?",
        "ts": "1700.5",
    }
    assert _send_event(base, event) == 200
    [call] = standin.wait_for("chat.postMessage")
    buttons = [e for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    values = [b["value"] for b in buttons]
    assert check_message({"text": call.body["text"], "blocks": call.body["blocks"]}) == []
    assert values and all(v.startswith("/ask ") and "Integrity Technology Group" in v for v in values)


def _shortcut(base: str, standin, text: str) -> int:
    payload = {
        "type": "message_action",
        "callback_id": "brief_message",
        "trigger_id": "1.2.3",
        "response_url": f"{standin.url}/response/brief",
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "user": {"id": "U1"},
        "message": {"type": "message", "user": "U2", "text": text, "ts": "1700.7", "thread_ts": "1700.6"},
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    return post(f"{base}/slack/events", body, signed(body), "application/x-www-form-urlencoded")[0]


def test_brief_me_on_this_answers_the_user_privately_in_the_messages_thread(served, standin):
    base, _ = served
    assert _shortcut(base, standin, "FYI the UK went after i-Soon and Integrity Tech last December") == 200
    [call] = standin.wait_for("chat.postEphemeral")
    assert call.body["user"] == "U1" and call.body["channel"] == "C1" and call.body["thread_ts"] == "1700.6"
    blocks = json.dumps(call.body["blocks"])
    assert "i-Soon (company)" in blocks and "Integrity Technology Group (company)" in blocks
    assert "UK (FCDO): UK cyber sanctions" in blocks and "designated 2025-12-09" in blocks


def test_brief_me_on_this_falls_back_to_the_response_url_where_the_bot_is_not_in_the_channel(served, standin):
    base, _ = served
    standin.answers["chat.postEphemeral"] = (200, {"ok": False, "error": "channel_not_found"}, {})
    assert _shortcut(base, standin, "anyone know who Wu Haibo is?") == 200
    [call] = standin.wait_for("/response/brief")
    assert call.body["response_type"] == "ephemeral"
    assert "as the founder of i-Soon" in json.dumps(call.body["blocks"])


def test_the_manifest_declares_the_shortcut_and_the_thread_events():
    made = manifest(socket_mode=True)
    assert {"name": "Brief me on this", "type": "message", "callback_id": "brief_message"}.items() <= made["features"][
        "shortcuts"
    ][0].items()
    assert {"message.channels", "message.groups"} <= set(made["settings"]["event_subscriptions"]["bot_events"])
    assert {"channels:history", "groups:history"} <= set(made["oauth_config"]["scopes"]["bot"])


@pytest.mark.parametrize("question", [c.question for c in CASES])
def test_every_answer_to_the_question_set_fits_slack_and_pings_no_one(bot, question):
    reply = bot.answer(question)
    assert check_message(with_suggestions(render_message(reply, shareable=False), reply)) == []


def test_a_follow_up_in_a_thread_is_about_the_entity_the_answer_posted_there_names_in_its_metadata(served, standin):
    base, bot = served
    mention = {"type": "app_mention", "text": "<@UBOT> who is i-Soon?", "ts": "1800.1"}
    assert _send_event(base, mention) == 200
    standin.wait_for("chat.postMessage")
    reply = {
        "type": "message",
        "channel_type": "channel",
        "text": "and who founded it?",
        "ts": "1800.2",
        "thread_ts": "1800.1",
    }
    assert _send_event(base, reply) == 200
    calls = standin.wait_for("chat.postMessage", count=2)
    assert calls[1].body["thread_ts"] == "1800.1"
    # What the thread is about is read back from Slack (whichever replica answered last), with the metadata.
    [read] = standin.named("conversations.replies")
    assert read.body["ts"] == "1800.1" and read.body["include_all_metadata"] in (True, "true", "1", 1)
    assert bot.asked == ["who is i-Soon?", "and who founded it?"]
    # The answer carries the stable reference of its entity, and the follow-up "it" is that entity.
    assert calls[0].body["metadata"] == {"event_type": "briefbot_answer", "event_payload": {"about": "curated:isoon"}}
    assert "Wu Haibo" in json.dumps(calls[1].body["blocks"])


def _reply_event(text: str, ts: str = "1900.3") -> dict:
    return {"type": "message", "channel_type": "channel", "text": text, "ts": ts, "thread_ts": "1900.1"}


def test_a_follow_up_in_a_thread_another_replica_answered_is_about_the_entity_of_the_answer_it_posted(served, standin):
    base, _ = served
    # The thread as Slack gives it back: the question, and the answer's metadata naming the card it was about.
    _thread(
        standin,
        {"user": "U1", "text": "<@UBOT> tell me about integrity tech", "ts": "1900.1"},
        {
            "user": "UBOT",
            "text": "Integrity Technology Group",
            "ts": "1900.2",
            "metadata": {"event_type": "briefbot_answer", "event_payload": {"about": "curated:isoon"}},
        },
    )
    assert _send_event(base, _reply_event("who sanctioned them?")) == 200
    [call] = standin.wait_for("chat.postMessage")
    [read] = standin.named("conversations.replies")
    assert read.body["include_all_metadata"] in (True, "true", "1", 1)
    blocks = json.dumps(call.body["blocks"], ensure_ascii=False)
    # The metadata wins over the opening message: the latest answer was about i-Soon.
    assert "“them” = i-Soon (the thread's subject" in blocks and "2025-12-09" in blocks
    assert call.body["blocks"][0]["text"]["text"].startswith("i-Soon is sanctioned by UK (FCDO)")


def test_without_an_answer_to_read_back_the_thread_is_about_the_one_entity_its_opening_message_names(served, standin):
    base, _ = served
    _thread(
        standin,
        {"user": "U1", "text": "<@UBOT> anything on Integrity Tech?", "ts": "1900.1"},
        {"user": "UBOT", "text": "Integrity Technology Group", "ts": "1900.2"},
    )
    assert _send_event(base, _reply_event("when?")) == 200
    [call] = standin.wait_for("chat.postMessage")
    blocks = json.dumps(call.body["blocks"])
    assert "Integrity Technology Group is sanctioned by 2 authorities" in blocks
    assert "2025-01-03" in blocks and "2025-12-09" in blocks


def test_a_mention_in_the_thread_follows_on_and_a_named_entity_becomes_the_threads_subject(served, standin):
    base, _ = served
    assert _send_event(base, {"type": "app_mention", "text": "<@UBOT> who is Wu Haibo?", "ts": "1950.1"}) == 200
    standin.wait_for("chat.postMessage")
    follow = {"type": "app_mention", "text": "<@UBOT> what is he charged with?", "ts": "1950.2", "thread_ts": "1950.1"}
    assert _send_event(base, follow) == 200
    second = standin.wait_for("chat.postMessage", count=2)[1]
    assert "“he” = Wu Haibo" in json.dumps(second.body["blocks"], ensure_ascii=False)
    assert "charged Wu Haibo" in json.dumps(second.body["blocks"])
    other = {
        "type": "message",
        "channel_type": "channel",
        "text": "and Integrity Tech?",
        "ts": "1950.3",
        "thread_ts": "1950.1",
    }
    assert _send_event(base, other) == 200
    standin.wait_for("chat.postMessage", count=3)
    last = {
        "type": "message",
        "channel_type": "channel",
        "text": "who operates it",
        "ts": "1950.4",
        "thread_ts": "1950.1",
    }
    assert _send_event(base, last) == 200
    fourth = standin.wait_for("chat.postMessage", count=4)[3]
    assert "Raptor Train" in json.dumps(fourth.body["blocks"])
    assert len(standin.named("conversations.replies")) == 3


def test_a_thread_about_no_entity_is_read_from_slack_and_its_questions_stand_as_they_are(served, standin):
    base, _ = served
    mention = {"type": "app_mention", "text": "<@UBOT> what did the UK sanction in 2024?", "ts": "1990.1"}
    assert _send_event(base, mention) == 200
    standin.wait_for("chat.postMessage")
    for number, text in enumerate(("and in 2025?", "who sanctioned them?"), start=2):
        event = {
            "type": "message",
            "channel_type": "channel",
            "text": text,
            "ts": f"1990.{number}",
            "thread_ts": "1990.1",
        }
        assert _send_event(base, event) == 200
        # One at a time: two replies read at once would each read the thread.
        standin.wait_for("chat.postMessage", count=number)
    calls = standin.wait_for("chat.postMessage", count=3)
    assert len(standin.named("conversations.replies")) == 2
    assert "thread's subject" not in json.dumps(calls[2].body["blocks"], ensure_ascii=False)
    assert "metadata" not in calls[0].body


def _dm(text: str, ts: str) -> dict:
    return {"type": "message", "channel_type": "im", "channel": "D1", "text": text, "ts": ts}


def test_a_dm_follow_up_is_about_the_latest_answer_in_the_dm(served, standin):
    base, _ = served
    assert _send_event(base, _dm("who is Yin Kecheng?", "2000.1")) == 200
    standin.wait_for("chat.postMessage")
    assert _send_event(base, _dm("who sanctioned him?", "2000.2")) == 200
    second = standin.wait_for("chat.postMessage", count=2)[1]
    blocks = json.dumps(second.body["blocks"], ensure_ascii=False)
    assert "“him” = Yin Kecheng (the thread's subject" in blocks and "2025-01-17" in blocks
    # Read from Slack at each message: another replica may have answered in the DM since.
    assert len(standin.named("conversations.history")) == 2


def test_a_dm_another_replica_answered_in_is_read_back_from_its_history(served, standin):
    base, _ = served
    # conversations.history gives the newest first.
    standin.answers["conversations.history"] = (
        200,
        {
            "ok": True,
            "messages": [
                {
                    "user": "UBOT",
                    "ts": "2100.2",
                    "metadata": {"event_type": "briefbot_answer", "event_payload": {"about": "curated:wu-haibo"}},
                },
                {"user": "U1", "text": "who is Wu Haibo?", "ts": "2100.1"},
                {
                    "user": "UBOT",
                    "ts": "2099.2",
                    "metadata": {"event_type": "briefbot_answer", "event_payload": {"about": "curated:isoon"}},
                },
            ],
        },
        {},
    )
    assert _send_event(base, _dm("what is he charged with?", "2100.3")) == 200
    [call] = standin.wait_for("chat.postMessage")
    assert "“he” = Wu Haibo" in json.dumps(call.body["blocks"], ensure_ascii=False)
