"""The Slack app at its edges: the real Bolt app on loopback, signed requests, a stand-in Web API."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient

from adapters.health import Health, make_server
from adapters.metrics import Metrics
from adapters.slack_app import SlackSender, SlackSettings, command_text, create_app, wsgi_app
from adapters.slack_manifest import RESERVED, ManifestError, manifest
from adapters.slack_render import check_message, render_message
from adapters.tokens import ConfigError
from bench.slack_standin import StandIn, slack_signature, slack_standin
from bot.digest.delivery import ChannelGone, SendFailed
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Candidate, Citation, Fact, Line, Reply, Section, Status
from bot.service import Bot
from conftest import TODAY
from knowledge.curated import load_curated

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"[:16] + "0123456789abcdef"
TOKEN = "xoxb-1234567890-test-token"


class CountingBot(Bot):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def answer(self, request):
        self.asked.append(request.text if not isinstance(request, str) else request)
        return super().answer(request)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with slack_standin() as running:
        yield running


@pytest.fixture
def served(standin: StandIn, kb, seeded_store):
    """The Bolt app behind the production server on a free loopback port, its Web API client pointed at the
    stand-in."""
    settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, app_token=None, api_url=f"{standin.url}/api/")
    bot = CountingBot(kb, clock=lambda: TODAY, store=seeded_store, digests=DigestStore(seeded_store.engine))
    app = create_app(bot, settings, client=WebClient(token=TOKEN, base_url=settings.api_url))
    health = Health(seeded_store, lambda: kb, Metrics(), lambda: TODAY)
    application = wsgi_app(app, health, signing_secret=SECRET)
    server = make_server(application, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", bot
    finally:
        server.close()
        thread.join(timeout=10)


def signed(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    return slack_signature(body, secret, timestamp=timestamp)


def post(url: str, body: bytes, headers: dict[str, str], content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={**headers, "Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def command(base: str, standin: StandIn, name: str, text: str, **extra: str) -> tuple[int, bytes]:
    form = {
        "token": "unused",
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "U1",
        "command": name,
        "text": text,
        "response_url": f"{standin.url}/response/1",
        "trigger_id": "1.2.3",
        **extra,
    }
    body = urllib.parse.urlencode(form).encode()
    return post(f"{base}/slack/events", body, signed(body), "application/x-www-form-urlencoded")


def test_a_signed_whois_gets_the_card_through_response_url(served, standin):
    base, bot = served
    status, _ = command(base, standin, "/whois", "i-Soon")
    assert status == 200
    [call] = standin.wait_for("/response/1")
    assert call.body["response_type"] == "ephemeral"
    assert call.body["blocks"][0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "i-Soon — Sichuan Anxun Information Technology Co., Ltd.",
            "emoji": False,
        },
    }
    text = json.dumps(call.body["blocks"])
    assert "designated 2025-12-09" in text and "The FCDO alleges that i-Soon" in text
    assert check_message(call.body) == []
    share = call.body["blocks"][-1]["elements"][0]
    assert share["action_id"] == "briefbot_share" and share["value"] == "/who i-Soon"
    assert bot.asked == ["/who i-Soon"]


@pytest.mark.parametrize(
    ("slack_command", "text", "asked"),
    [
        ("/brief", "who i-Soon", "/who i-Soon"),
        ("/brief", "i-Soon", "/who i-Soon"),
        ("/brief", "related Salt Typhoon", "/related Salt Typhoon"),
        ("/related", "Salt Typhoon", "/related Salt Typhoon"),
        ("/sanctions", "UK since 2025-01-01", "/sanctions UK since 2025-01-01"),
        ("/ask", "is i-Soon sanctioned by the US?", "/ask is i-Soon sanctioned by the US?"),
    ],
)
def test_each_slack_command_maps_to_the_bots(served, standin, slack_command, text, asked):
    base, bot = served
    assert command(base, standin, slack_command, text)[0] == 200
    standin.wait_for("/response/1")
    assert bot.asked == [asked]


@pytest.mark.parametrize(
    "tamper",
    ["wrong signature", "stale timestamp", "no signature header", "no timestamp header", "tampered body"],
)
def test_requests_not_signed_by_slack_get_401_and_run_nothing(served, standin, tamper):
    base, bot = served
    body = urllib.parse.urlencode(
        {
            "command": "/whois",
            "text": "i-Soon",
            "team_id": "T1",
            "user_id": "U1",
            "channel_id": "C1",
            "response_url": f"{standin.url}/response/1",
        }
    ).encode()
    headers = signed(body)
    if tamper == "wrong signature":
        headers = signed(body, secret="0" * 32)
    elif tamper == "stale timestamp":
        headers = signed(body, timestamp=int(time.time()) - 60 * 10)
    elif tamper == "no signature header":
        headers.pop("X-Slack-Signature")
    elif tamper == "no timestamp header":
        headers.pop("X-Slack-Request-Timestamp")
    elif tamper == "tampered body":
        body = body.replace(b"i-Soon", b"i-Sooo")
    status, _ = post(f"{base}/slack/events", body, headers, "application/x-www-form-urlencoded")
    assert status == 401
    assert bot.asked == []
    assert standin.named("/response/") == []


def test_share_in_channel_posts_the_same_card_visibly(served, standin):
    base, _ = served
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "response_url": f"{standin.url}/response/2",
        "actions": [{"action_id": "briefbot_share", "value": "/who i-Soon", "type": "button"}],
        "trigger_id": "1.2.3",
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    assert post(f"{base}/slack/events", body, signed(body), "application/x-www-form-urlencoded")[0] == 200
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["channel"] == "C1"
    blocks = json.loads(call.body["blocks"]) if isinstance(call.body["blocks"], str) else call.body["blocks"]
    assert blocks[0]["text"]["text"].startswith("i-Soon")
    assert all(e.get("action_id") != "briefbot_share" for b in blocks if b["type"] == "actions" for e in b["elements"])


def test_a_mention_is_answered_in_its_thread_through_ask(served, standin):
    base, bot = served
    event = {
        "token": "unused",
        "team_id": "T1",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": 1,
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> who is i-Soon?",
            "ts": "1700.1",
            "channel": "C1",
            "team": "T1",
        },
    }
    body = json.dumps(event).encode()
    assert post(f"{base}/slack/events", body, signed(body), "application/json")[0] == 200
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1700.1"
    assert bot.asked == ["who is i-Soon?"]


def test_digest_subscribe_uses_slacks_own_facts_on_who_may_manage_the_channel(served, standin):
    base, _ = served
    standin.answers["users.info"] = (200, {"ok": True, "user": {"id": "U1", "is_admin": False}}, {})
    standin.answers["conversations.info"] = (200, {"ok": True, "channel": {"id": "C1", "creator": "U2"}}, {})
    command(base, standin, "/digest", "subscribe 08:00")
    [refused] = standin.wait_for("/response/1")
    assert "Only someone allowed to manage this channel" in json.dumps(refused.body)
    standin.answers["conversations.info"] = (200, {"ok": True, "channel": {"id": "C1", "creator": "U1"}}, {})
    command(base, standin, "/digest", "subscribe 08:00", response_url=f"{standin.url}/response/3")
    [accepted] = standin.wait_for("/response/3")
    assert "Subscribed" in json.dumps(accepted.body)


def test_a_digest_sent_now_is_recorded_only_once_slack_took_the_post(served, standin):
    base, bot = served
    standin.answers["conversations.info"] = (200, {"ok": True, "channel": {"id": "C7", "creator": "U1"}}, {})
    command(base, standin, "/digest", "subscribe 08:00", channel_id="C7", response_url=f"{standin.url}/response/6")
    standin.wait_for("/response/6")
    subscription = bot.digests.find("slack", "T1", "C7")
    standin.answers["7"] = (500, {"ok": False}, {})
    command(base, standin, "/digest", "now", channel_id="C7", response_url=f"{standin.url}/response/7")
    standin.wait_for("/response/7")
    command(base, standin, "/digest", "now", channel_id="C7", response_url=f"{standin.url}/response/8")
    [posted] = standin.wait_for("/response/8")
    # The second try was allowed at once (the refused post gave its claim back), and only it is recorded.
    assert posted.body["response_type"] == "in_channel"
    deadline = time.monotonic() + 10
    while not [d for d in bot.digests.deliveries() if d.subscription_id == subscription.id]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len([d for d in bot.digests.deliveries() if d.subscription_id == subscription.id]) == 1


def test_the_health_endpoint_answers(served):
    base, _ = served
    with urllib.request.urlopen(f"{base}/health", timeout=10) as response:
        assert json.load(response) == {"status": "ok"}


def _subscription() -> Subscription:
    return Subscription(platform="slack", workspace="T1", channel="C9")


def test_the_digest_sender_posts_with_chat_post_message(standin):
    sender = SlackSender(WebClient(token=TOKEN, base_url=f"{standin.url}/api/"))
    sender.send(_subscription(), Reply(command="digest", query="", status=Status.OK, title="Sanctions digest"), key="k")
    [call] = standin.named("chat.postMessage")
    assert call.body["channel"] == "C9" and call.headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_channel_that_is_gone_and_a_rate_limit_are_told_apart(standin):
    sender = SlackSender(WebClient(token=TOKEN, base_url=f"{standin.url}/api/"))
    reply = Reply(command="digest", query="", status=Status.OK, title="Sanctions digest")
    standin.answers["chat.postMessage"] = (200, {"ok": False, "error": "channel_not_found"}, {})
    with pytest.raises(ChannelGone, match="channel_not_found"):
        sender.send(_subscription(), reply, key="k")
    standin.answers["chat.postMessage"] = (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"})
    with pytest.raises(SendFailed) as raised:
        sender.send(_subscription(), reply, key="k")
    assert raised.value.retry_after == 7.0


def test_the_manifest_parses_and_names_no_reserved_command():
    for made in (
        manifest(socket_mode=True),
        manifest(socket_mode=False, request_url="https://bot.example/slack/events"),
    ):
        parsed = json.loads(json.dumps(made))
        commands = [c["command"] for c in parsed["features"]["slash_commands"]]
        assert "/whois" in commands and "/brief" in commands
        assert not set(commands) & RESERVED
        assert {"commands", "chat:write", "app_mentions:read", "im:history"} <= set(
            parsed["oauth_config"]["scopes"]["bot"]
        )
    assert manifest(socket_mode=True)["settings"]["socket_mode_enabled"] is True


def test_the_manifest_generator_refuses_a_reserved_name_and_says_why():
    with pytest.raises(ManifestError, match="/who is one of Slack's built-in commands"):
        manifest(commands={"who": "/who"}, socket_mode=True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-not-a-bot-token-123"}, "SLACK_BOT_TOKEN does not look like a bot token"),
        ({"SLACK_BOT_TOKEN": TOKEN}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "not hex!"}, "SLACK_SIGNING_SECRET does not look like"),
    ],
)
def test_a_missing_or_malformed_token_names_the_variable_never_the_value(monkeypatch, env, message):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        SlackSettings.from_env(socket_mode=False)
    assert message in str(raised.value)
    assert all(value not in str(raised.value) for value in env.values())


def test_socket_mode_needs_the_app_token(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN is not set"):
        SlackSettings.from_env(socket_mode=True)


def test_brief_is_a_catch_all_and_a_shortcut_for_who():
    assert command_text("brief", "who i-Soon") == "/who i-Soon"
    assert command_text("brief", "i-Soon") == "/who i-Soon"
    assert command_text("brief", "") == "/help"
    assert command_text("who", "i-Soon") == "/who i-Soon"


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_curated_card_fits_slack_and_pings_no_one(ask, kb, entity_id):
    for text in (f"/who {kb.entity(entity_id).caption}", f"/related {kb.entity(entity_id).caption}"):
        message = render_message(ask(text), command_text=text)
        assert check_message(message) == []


@pytest.mark.parametrize(
    "text", ["/who <!channel>", "/who <@U123|boss>", "/who <https://evil.example|bank>", "/sanctions", "/help"]
)
def test_hostile_or_long_replies_fit_and_ping_no_one(ask, text):
    assert check_message(render_message(ask(text), command_text=text)) == []


_text = st.text(min_size=0, max_size=400)


@settings(max_examples=150, deadline=None)
@given(
    title=_text,
    lines=st.lists(_text, max_size=120),
    sections=st.integers(min_value=0, max_value=60),
    facts=st.lists(st.tuples(_text, _text), max_size=15),
    names=st.lists(_text, max_size=8),
)
def test_random_replies_stay_within_slacks_limits(title, lines, sections, facts, names):
    reply = Reply(
        command="who",
        query=title,
        status=Status.AMBIGUOUS if names else Status.FOUND,
        title=title or "x",
        subtitle=title,
        facts=[Fact(label=a, value=b) for a, b in facts],
        sections=[Section(title=title, lines=[Line(text=t, sources=[1]) for t in lines]) for _ in range(sections)],
        candidates=[
            Candidate(id=str(i), name=n, score=0.9, matched=n, command=f"/who {n}") for i, n in enumerate(names)
        ],
        citations=[Citation(number=1, id="s", title=title, publisher=title, by="b", kind="k")],
    )
    assert check_message(render_message(reply, command_text="/who " + title)) == []
