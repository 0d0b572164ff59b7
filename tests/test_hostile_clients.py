"""Hostile clients of the Slack slack_web process, which runs in a process of its own on loopback: every header and
payload checked before use, a 4xx and one log line for anything malformed, never a 500 or a traceback."""

import json
import time
import urllib.parse

import pytest

from bench.slack_standin import slack_signature
from conftest import SECRET, Served, _command_body, _post

EVENTS = "/slack/events"


def _new_log(served: Served, before: int) -> list[str]:
    return served.log.read_text(errors="replace").splitlines()[before:]


def _lines(served: Served) -> int:
    return len(served.log.read_text(errors="replace").splitlines())


def _signed(body: bytes, content_type: str) -> dict[str, str]:
    return {**slack_signature(body, SECRET), "Content-Type": content_type}


def test_a_timestamp_of_five_thousand_digits_is_refused_with_one_line(slack_web):
    body = _command_body(slack_web.standin, "i-Soon", 26)
    before = _lines(slack_web)
    for stamp in ("9" * 5000, str(int(time.time())) + "0" * 40):
        headers = {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": "v0=" + "0" * 64,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        assert _post(f"{slack_web.base}{EVENTS}", body, headers) == 401
    new = _new_log(slack_web, before)
    assert [line for line in new if "refused" in line and "timestamp not a number" in line] == new[-2:]
    assert not any("Traceback" in line or "ValueError" in line for line in new)


def _interaction(payload: dict) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


BLOCK_ACTIONS = {
    "type": "block_actions",
    "team": {"id": "T1"},
    "user": {"id": "U1"},
    "channel": {"id": "C1"},
    "response_url": "http://127.0.0.1:9/response",
    "trigger_id": "1.2.3",
}
MALFORMED = {
    "actions: []": {**BLOCK_ACTIONS, "actions": []},
    "actions: a string": {**BLOCK_ACTIONS, "actions": "run_0"},
    "an action that is a number": {**BLOCK_ACTIONS, "actions": [7]},
    "an action_id that is a list": {**BLOCK_ACTIONS, "actions": [{"action_id": ["run_0"], "value": "/who x"}]},
    "an action value that is an object": {**BLOCK_ACTIONS, "actions": [{"action_id": "run_0", "value": {}}]},
    "view: a string": {**BLOCK_ACTIONS, "view": "a view"},
    "a view_submission with a string view": {"type": "view_submission", "view": "x", "user": {"id": "U1"}},
    "user: a string": {**BLOCK_ACTIONS, "user": "U1", "actions": [{"action_id": "run_0", "value": "/who x"}]},
    "type: a number": {**BLOCK_ACTIONS, "type": 5},
    "authorizations: []": {**BLOCK_ACTIONS, "authorizations": []},
    "a shortcut whose callback_id is a number": {"type": "message_action", "callback_id": 3, "user": {"id": "U1"}},
    "a message that is a list": {"type": "message_action", "callback_id": "brief", "message": []},
}


@pytest.mark.parametrize("what", list(MALFORMED))
def test_a_signed_payload_of_the_wrong_shape_is_a_400_never_a_500(slack_web, what):
    body = _interaction(MALFORMED[what])
    before = _lines(slack_web)
    assert _post(f"{slack_web.base}{EVENTS}", body, _signed(body, "application/x-www-form-urlencoded")) == 400
    time.sleep(0.3)  # anything Bolt would log comes after the answer
    new = _new_log(slack_web, before)
    assert len([line for line in new if "refused" in line]) == 1, new
    assert not any("Traceback" in line for line in new)


EVENTS_API = {
    "an event that is a string": {"type": "event_callback", "team_id": "T1", "event": "message"},
    "an event whose text is a number": {
        "type": "event_callback",
        "team_id": "T1",
        "event": {"type": "message", "channel": "D1", "user": "U1", "text": 5, "ts": "1.2", "channel_type": "im"},
    },
    "authorizations: [1]": {"type": "event_callback", "authorizations": [1], "event": {"type": "app_mention"}},
}


@pytest.mark.parametrize("what", list(EVENTS_API))
def test_a_signed_event_of_the_wrong_shape_is_a_400(slack_web, what):
    body = json.dumps(EVENTS_API[what]).encode()
    before = _lines(slack_web)
    assert _post(f"{slack_web.base}{EVENTS}", body, _signed(body, "application/json")) == 400
    time.sleep(0.3)
    new = _new_log(slack_web, before)
    assert len([line for line in new if "refused" in line]) == 1 and not any("Traceback" in line for line in new)


def test_an_unknown_signed_command_logs_one_line_not_bolts_suggestions(slack_web):
    form = urllib.parse.parse_qs(_command_body(slack_web.standin, "i-Soon", 27).decode())
    form["command"] = ["/nosuchcommand"]
    body = urllib.parse.urlencode({key: values[0] for key, values in form.items()}).encode()
    before = _lines(slack_web)
    assert _post(f"{slack_web.base}{EVENTS}", body, _signed(body, "application/x-www-form-urlencoded")) == 404
    time.sleep(0.3)
    new = _new_log(slack_web, before)
    assert len(new) == 1 and "Unhandled request" in new[0] and "/nosuchcommand" in new[0], new
