"""/screen on Slack at its edges: signed commands, events, buttons and a modal to the real Bolt app on loopback, the
Web API a local stand-in; decisions enforced by user group, shown on the next screening, and exported."""

import json
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from adapters.health import make_server
from adapters.slack_app import SlackSettings, create_app, wsgi_app
from adapters.slack_manifest import manifest
from bench.slack_standin import StandIn, slack_standin
from bot.screening.audit import AuditStore
from bot.service import Bot
from conftest import TODAY
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store
from test_slack import SECRET, TOKEN, command, post, signed

GROUP = "S0COMPLY1"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    opened = Store.open(str(tmp_path_factory.mktemp("slack-screening") / "store.sqlite3"))
    prepare_store(opened, now=TODAY)
    return opened


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with slack_standin() as running:
        yield running


@pytest.fixture
def served(standin: StandIn, store: Store):
    settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, app_token=None, api_url=f"{standin.url}/api/")
    bot = Bot(load_knowledge(store), clock=lambda: TODAY, store=store)
    app = create_app(bot, settings, client=WebClient(token=TOKEN, base_url=settings.api_url))
    server = make_server(wsgi_app(app, signing_secret=SECRET), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)


def interact(base: str, payload: dict) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    return post(f"{base}/slack/events", body, signed(body), "application/x-www-form-urlencoded")


def event(base: str, inner: dict) -> int:
    body = json.dumps(
        {
            "token": "unused",
            "team_id": "T1",
            "type": "event_callback",
            "event_id": "Ev9",
            "event_time": 1,
            "event": inner,
        }
    ).encode()
    return post(f"{base}/slack/events", body, signed(body), "application/json")[0]


def shared(name: str, url: str, *, text: str = "screen", ts: str = "1700.5") -> dict:
    """The message event of a file shared in channel C1 with `text`."""
    return {
        "type": "message",
        "subtype": "file_share",
        "user": "U1",
        "text": text,
        "ts": ts,
        "channel": "C1",
        "team": "T1",
        "files": [{"name": name, "size": 60, "url_private_download": url}],
    }


def blocks_of(call) -> list:
    blocks = call.body.get("blocks", [])
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def screen(base: str, standin: StandIn, text: str, *, to_decide: int = 1, channel: str = "C1") -> tuple:
    """/screen TEXT in `channel`: the summary (the updated "Screening…" message), the uploads, and the decision
    buttons (in `to_decide` messages, posted last)."""
    assert command(base, standin, "/screen", text, channel_id=channel)[0] == 200
    [summary] = standin.wait_for("chat.update")
    standin.wait_for("files.completeUploadExternal")
    standin.wait_for("chat.postMessage", count=1 + to_decide)
    buttons = [
        element
        for call in standin.named("chat.postMessage")
        for block in blocks_of(call)
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    return summary, buttons


def click(base: str, standin: StandIn, button: dict, user: str, *, channel: str = "C1") -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "channel": {"id": channel},
        "message": {"ts": "1700000000.000200", "thread_ts": "1700000000.000100"},
        "response_url": f"{standin.url}/response/9",
        "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button"}],
        "trigger_id": "9.9.9",
    }
    assert interact(base, payload)[0] == 200


def submit(base: str, metadata: str, user: str, reason: str) -> tuple[int, bytes]:
    return interact(
        base,
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": user},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "briefbot_decision",
                "private_metadata": metadata,
                "state": {"values": {"reason": {"reason": {"type": "plain_text_input", "value": reason}}}},
            },
        },
    )


def set_deciders(base: str, standin: StandIn, *, admin: bool) -> str:
    standin.answers["users.info"] = (200, {"ok": True, "user": {"id": "U1", "is_admin": admin}}, {})
    standin.answers["conversations.info"] = (200, {"ok": True, "channel": {"id": "C1", "creator": "U0"}}, {})
    command(base, standin, "/screen", f"deciders <!subteam^{GROUP}|@compliance>")
    [said] = standin.wait_for("/response/1")
    return said.body["text"]


def test_pasted_names_get_a_summary_the_files_and_buttons_for_each_possible_match(served, standin):
    summary, buttons = screen(served, standin, "Wuhan Xiaoruizhi\nBank of China\nZHAO Guangzong; China\n; Russia")
    header = blocks_of(summary)[0]["text"]["text"]
    assert header == "Screened 3 rows of 4: 1 match, 1 possible match, 1 no match"
    uploads = [c.body["bytes"] for c in standin.named("/upload/")]
    table = next(u for u in uploads if u.startswith("\ufeffrow,".encode()))
    assert b"Zhao Guangzong" in table and b"only a country, no name" in table
    assert any(u.startswith(b"<!doctype html>") for u in uploads)
    assert [b["text"]["text"] for b in buttons] == ["Not the same", "Same: escalate", "Watch"]
    assert json.loads(buttons[0]["value"])["n"] == "Wuhan Xiaoruizhi"


def test_a_decision_is_refused_where_no_one_is_set_to_decide(served, standin, store):
    _, buttons = screen(served, standin, "Wuhan Xiaoruizhi")
    click(served, standin, buttons[0], "U2")
    [refused] = standin.wait_for("/response/9")
    assert "No one may decide on screening hits in this channel yet" in refused.body["text"]
    assert standin.named("views.open") == []


def test_only_someone_who_manages_the_channel_sets_who_decides(served, standin):
    assert "Only someone allowed to manage this channel" in set_deciders(served, standin, admin=False)


def test_a_member_of_the_group_decides_through_the_modal_and_the_next_screening_shows_it(served, standin, store):
    assert "From now on, members of" in set_deciders(served, standin, admin=True)
    standin.answers["usergroups.users.list"] = (200, {"ok": True, "users": ["U2"]}, {})
    _, buttons = screen(served, standin, "Wuhan Xiaoruizhi")
    # Someone outside the group: told so, no modal.
    click(served, standin, buttons[0], "U3")
    [refused] = standin.wait_for("/response/9")
    assert refused.body["text"] == f"Only members of <!subteam^{GROUP}> may decide here."
    # A member: the modal asks why.
    click(served, standin, buttons[0], "U2")
    [opened] = standin.wait_for("views.open")
    view = json.loads(opened.body["view"]) if isinstance(opened.body["view"], str) else opened.body["view"]
    assert view["callback_id"] == "briefbot_decision" and view["blocks"][1]["block_id"] == "reason"
    # A forged submission by a non-member is refused again, and an empty reason is asked for.
    status, answer = submit(served, view["private_metadata"], "U3", "not them")
    assert status == 200 and json.loads(answer)["response_action"] == "errors"
    status, answer = submit(served, view["private_metadata"], "U2", "   ")
    assert "reason" in json.loads(answer)["errors"]["reason"]
    assert submit(served, view["private_metadata"], "U2", "A bakery in Wuhan, not the listed firm")[0] == 200
    recorded = standin.wait_for("chat.postMessage", count=3)[-1]
    assert "Recorded: *Not the same* on row 1" in recorded.body["text"] and "<@U2>" in recorded.body["text"]
    # The next screening of the name shows the decision and asks nothing.
    standin.calls.clear()
    summary, buttons = screen(served, standin, "wuhan xiaoruizhi", to_decide=0)
    assert "standing decision: Not the same — decided by U2" in json.dumps(blocks_of(summary), ensure_ascii=False)
    assert buttons == []
    decisions = [r for kind, r in AuditStore(store.engine).export(since=TODAY) if kind == "decision"]
    assert [(d["decided_by"], d["decision"], d["platform"]) for d in decisions] == [("U2", "not-same", "slack")]


def test_a_csv_shared_with_the_word_screen_is_screened_in_its_thread(served, standin):
    standin.files["customers.csv"] = b"name,country\nZHAO Guangzong,China\nBank of China,China\n"
    assert event(served, shared("customers.csv", f"{standin.url}/files/customers.csv")) == 200
    [summary] = standin.wait_for("chat.update")
    assert blocks_of(summary)[0]["text"]["text"] == "Screened 2 rows: 1 match, 0 possible matches, 1 no match"
    [download] = standin.named("/files/")
    assert download.headers["Authorization"] == f"Bearer {TOKEN}"
    assert standin.named("chat.postMessage")[0].body["thread_ts"] == "1700.5"


def test_long_work_shows_its_progress_in_the_summary_message(served, standin, monkeypatch):
    from adapters import slack_screening

    monkeypatch.setattr(slack_screening, "PROGRESS_EVERY_S", 0)
    standin.files["many.csv"] = ("name\n" + "\n".join(f"Northwind Trading {n} Ltd" for n in range(600))).encode()
    assert event(served, shared("many.csv", f"{standin.url}/files/many.csv")) == 200
    updates = standin.wait_for("chat.update", count=4)
    assert [u.body["text"] for u in updates[:3]] == [
        "Screening… 250 of 600 rows done",
        "Screening… 500 of 600 rows done",
        "Screening… 600 of 600 rows done",
    ]
    assert updates[3].body["text"].startswith("Screened 600 rows")


def test_a_file_held_elsewhere_is_never_fetched_with_the_token(served, standin):
    assert event(served, shared("x.csv", "http://203.0.113.9/x.csv", ts="1700.6")) == 200
    [said] = standin.wait_for("chat.postMessage")
    assert "is not a file Slack holds" in said.body["text"]
    assert standin.named("/files/") == []


def test_an_empty_file_is_answered_in_a_sentence(served, standin):
    standin.files["empty.csv"] = b""
    assert event(served, shared("empty.csv", f"{standin.url}/files/empty.csv", text="<@UBOT> screen")) == 200
    [said] = standin.wait_for("chat.update")
    assert said.body["text"] == "Nothing was screened: “empty.csv” is empty: there are no names to screen."


def test_the_manifest_declares_screen_with_escaped_groups_and_the_scopes_it_needs():
    made = manifest(socket_mode=True)
    screen_command = next(c for c in made["features"]["slash_commands"] if c["command"] == "/screen")
    assert screen_command["should_escape"] is True
    assert {"files:read", "usergroups:read"} <= set(made["oauth_config"]["scopes"]["bot"])


def test_deciders_and_decisions_made_in_a_dm_govern_only_that_dm(served, standin):
    # Slack counts a DM as its user's own: anyone sets who decides there, for that DM alone.
    dm, channel = "D0ANALYST", "C0OTHER"
    standin.answers["usergroups.users.list"] = (200, {"ok": True, "users": ["U2"]}, {})
    command(served, standin, "/screen", f"deciders <!subteam^{GROUP}|@compliance>", channel_id=dm)
    [said] = standin.wait_for("/response/1")
    assert said.body["text"].startswith("From now on, members of")
    _, buttons = screen(served, standin, "Wuhan Xiaoruizhi; Oman", channel=dm)
    click(served, standin, buttons[0], "U2", channel=dm)
    [opened] = standin.wait_for("views.open")
    view = json.loads(opened.body["view"]) if isinstance(opened.body["view"], str) else opened.body["view"]
    assert submit(served, view["private_metadata"], "U2", "An Omani shipping agent, not the listed firm")[0] == 200
    standin.wait_for("chat.postMessage", count=3)
    # The same row in a channel: the DM's decision does not stand there, and the DM's deciders do not decide there.
    standin.calls.clear()
    summary, buttons = screen(served, standin, "Wuhan Xiaoruizhi; Oman", channel=channel)
    assert "standing decision" not in json.dumps(blocks_of(summary), ensure_ascii=False)
    click(served, standin, buttons[0], "U2", channel=channel)
    [refused] = standin.wait_for("/response/9")
    assert "No one may decide on screening hits in this channel yet" in refused.body["text"]
    assert standin.named("views.open") == []
