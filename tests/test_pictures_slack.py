"""Pictures and exports on Slack, through the real Bolt app and the stand-in Web API's file upload endpoints."""

import io
import json
import urllib.parse

from PIL import Image

import test_slack
from adapters.slack_render import add_picture_buttons, check_message, render_message
from test_slack import command, post, signed

# test_slack's fixtures: the Bolt app behind the production server and the stand-in Web API.
served = test_slack.served
standin = test_slack.standin


def click(base: str, standin, value: str, action_id: str, *, number: int = 2) -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "response_url": f"{standin.url}/response/{number}",
        "actions": [{"action_id": action_id, "value": value, "type": "button"}],
        "trigger_id": "1.2.3",
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    assert post(f"{base}/slack/events", body, signed(body), "application/x-www-form-urlencoded")[0] == 200


def uploaded_files(standin, count: int) -> list[bytes]:
    return [call.body["bytes"] for call in standin.wait_for("/upload/", count=count)]


def test_an_ephemeral_related_answer_offers_to_post_its_picture_and_export(served, standin):
    base, _ = served
    command(base, standin, "/related", "Salt Typhoon")
    [call] = standin.wait_for("/response/1")
    assert check_message(call.body) == []
    buttons = {e["value"] for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert {"graph:salt-typhoon", "timeline:salt-typhoon", "export:salt-typhoon"} <= buttons


def test_the_picture_button_uploads_the_png_into_the_channel(served, standin):
    base, _ = served
    click(base, standin, "graph:isoon", "briefbot_picture_graph")
    [complete] = standin.wait_for("files.completeUploadExternal")
    [png] = uploaded_files(standin, 1)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1200 and "i-Soon" in image.text["Title"]
    assert complete.body["channel_id"] == "C1"
    [asked] = standin.named("files.getUploadURLExternal")
    assert int(asked.body["length"]) == len(png) and asked.body["filename"].endswith(".png")


def test_export_sends_markdown_pdf_and_pictures_to_the_users_dm(served, standin):
    base, _ = served
    click(base, standin, "export:integrity-tech", "briefbot_picture_export")
    [complete] = standin.wait_for("files.completeUploadExternal")
    assert standin.named("conversations.open")[0].body["users"] == "U1"
    assert complete.body["channel_id"] == "DU1"
    files = uploaded_files(standin, 4)
    markdown = next(f for f in files if f.startswith(b"**TLP:CLEAR**") and b"\n# Integrity Technology Group" in f)
    assert b"integrity-technology-group-graph.png" in markdown
    # The freshness line the card gives.
    assert b"**Lists as of:**" in markdown and b"TLP:CLEAR" in markdown
    assert any(f.startswith(b"%PDF") for f in files)
    [told] = standin.wait_for("/response/2")
    assert "direct messages" in told.body["text"]


def test_a_mention_gets_its_related_picture_in_the_same_thread(served, standin):
    base, _ = served
    event = {
        "token": "unused",
        "team_id": "T1",
        "type": "event_callback",
        "event_id": "Ev2",
        "event_time": 1,
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> /related i-Soon",
            "ts": "1700.2",
            "channel": "C1",
            "team": "T1",
        },
    }
    body = json.dumps(event).encode()
    assert post(f"{base}/slack/events", body, signed(body), "application/json")[0] == 200
    [complete] = standin.wait_for("files.completeUploadExternal")
    assert complete.body["thread_ts"] == "1700.2" and complete.body["channel_id"] == "C1"
    assert Image.open(io.BytesIO(uploaded_files(standin, 1)[0])).width >= 1200


def test_a_channel_the_bot_cannot_post_in_gets_a_polite_word(served, standin):
    base, _ = served
    standin.answers["files.completeUploadExternal"] = (200, {"ok": False, "error": "not_in_channel"}, {})
    click(base, standin, "timeline:isoon", "briefbot_picture_timeline")
    [told] = standin.wait_for("/response/2")
    assert "invite me" in told.body["text"]


def test_a_stale_button_says_so(served, standin):
    base, _ = served
    click(base, standin, "graph:no-such-entity", "briefbot_picture_graph")
    [told] = standin.wait_for("/response/2")
    assert "could not make that" in told.body["text"] and "no-such-entity" in told.body["text"]


def test_buttons_fit_a_card_that_fills_slacks_fifty_blocks(ask):
    reply = ask("/who i-Soon")
    full = render_message(reply, command_text="/who i-Soon")
    full = {**full, "blocks": full["blocks"][:1] + [{"type": "divider"}] * 49}
    message = add_picture_buttons(full, reply)
    assert len(message["blocks"]) == 50 and message["blocks"][-1]["type"] == "actions"
