"""The Discord app at its edges: discord.py's real command tree, callbacks with a stand-in interaction, embeds."""

import asyncio
import re
import threading
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters import discord_app
from adapters.discord_app import (
    ActionButton,
    BriefbotClient,
    ChoiceMenu,
    DiscordSender,
    _name_autocomplete,
    command_payload,
    needs_sync,
)
from adapters.discord_render import LIMITS, check_embeds, render_embeds
from adapters.tokens import ConfigError
from bot.digest.delivery import ChannelGone, SendFailed
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Candidate, Citation, Fact, Line, Reply, Section, Status
from bot.service import Bot
from conftest import TODAY
from knowledge.curated import load_curated

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture(scope="module")
def client(kb, seeded_store) -> BriefbotClient:
    bot = Bot(kb, clock=lambda: TODAY, store=seeded_store, digests=DigestStore(seeded_store.engine))
    return BriefbotClient(bot)


class Responses:
    """Records what a command sends, as discord.py's InteractionResponse and Webhook would send it."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.deferred: list[dict[str, Any]] = []

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self.sent.append({"content": content, **kwargs})

    async def defer(self, **kwargs: Any) -> None:
        self.deferred.append(kwargs)


def interaction(client: BriefbotClient, *, manage: bool = True, guild: int | None = 42) -> SimpleNamespace:
    response = Responses()
    followup = Responses()
    followup.send = followup.send_message  # type: ignore[method-assign]
    return SimpleNamespace(
        client=client,
        user=SimpleNamespace(id=7),
        guild_id=guild,
        channel_id=99,
        permissions=discord.Permissions(manage_channels=manage),
        response=response,
        followup=followup,
        channel=SimpleNamespace(send=response.send_message),
    )


def run(coroutine):
    return asyncio.run(coroutine)


def _walk(options: list[dict[str, Any]]):
    for option in options:
        yield option
        yield from _walk(option.get("options", []))


def test_the_registered_json_follows_discords_rules(client):
    payload = [c for c in command_payload(client.tree) if c.get("type", 1) == 1]
    assert {c["name"] for c in payload} == {"who", "related", "sanctions", "ask", "status", "help", "digest", "screen"}
    assert len(payload) <= 100
    for command in payload:
        assert NAME.match(command["name"]) and command["name"] == command["name"].lower()
        assert 1 <= len(command["description"]) <= 100
        assert len(command.get("options", [])) <= 25
        required_done = False
        for option in command.get("options", []):
            if option["type"] > 2:  # not a subcommand: required options come first
                assert not (required_done and option.get("required")), command["name"]
                required_done = required_done or not option.get("required")
        for option in _walk(command.get("options", [])):
            assert NAME.match(option["name"]) and 1 <= len(option["description"]) <= 100
            assert len(option.get("choices", [])) <= 25
            assert all(1 <= len(choice["name"]) <= 100 for choice in option.get("choices", []))
            assert not (option.get("autocomplete") and option.get("choices"))
    who = next(c for c in payload if c["name"] == "who")
    assert who["options"][0] == {**who["options"][0], "name": "name", "required": True, "autocomplete": True}
    digest = next(c for c in payload if c["name"] == "digest")
    assert [o["name"] for o in digest["options"]] == ["subscribe", "unsubscribe", "settings", "preview", "now"]


def test_descriptions_come_from_the_commands_help_text(client, bot):
    payload = {c["name"]: c["description"] for c in command_payload(client.tree) if c.get("type", 1) == 1}
    for command in bot.registry:
        assert payload[command.name] == command.summary[:100]


def test_who_answers_with_an_ephemeral_embed_and_a_share_button(client):
    call = interaction(client)
    run(client.tree.get_command("who").callback(call, "i-Soon"))
    [sent] = call.response.sent
    assert sent["ephemeral"] is True
    assert sent["allowed_mentions"].everyone is False and sent["allowed_mentions"].users is False
    [embed] = sent["embeds"]
    assert embed.title.startswith("i-Soon")
    assert any(f.name == "Sanctions" and "2025-12-09" in f.value for f in embed.fields)
    assert check_embeds(sent["embeds"]) == []
    *_, share = sent["view"].children
    assert share.custom_id == "briefbot:share:/who i-Soon" and share.item.label == "Share in channel"


def test_an_ambiguous_or_unknown_name_gets_a_menu_of_its_candidates(client):
    call = interaction(client)
    run(client.tree.get_command("who").callback(call, "Sichuan"))
    [menu] = [item for item in call.response.sent[0]["view"].children if isinstance(item, ChoiceMenu)]
    assert menu.custom_id == "briefbot:choose"
    assert any(option.label.startswith("i-Soon") for option in menu.item.options)
    assert all(option.description and option.value.startswith("/who ") for option in menu.item.options)


def test_a_choice_from_the_menu_is_answered_by_any_process_with_that_card(client):
    asked = interaction(client)
    # A near spelling of i-Soon's name written together, which two catalogue clusters also hold: a choice.
    run(client.tree.get_command("who").callback(asked, "i-Son"))
    [menu] = [item for item in asked.response.sent[0]["view"].children if isinstance(item, ChoiceMenu)]
    [isoon] = [option for option in menu.item.options if option.label.startswith("i-Soon")]
    # Another process gets the click: it has only the message's component to rebuild the menu from.
    match = re.fullmatch(ChoiceMenu.__discord_ui_compiled_template__, menu.custom_id)
    rebuilt = run(ChoiceMenu.from_custom_id(None, discord.ui.Select(custom_id=menu.custom_id, options=[isoon]), match))
    call = interaction(client)
    call.data = {"custom_id": menu.custom_id, "component_type": 3, "values": [isoon.value]}
    run(rebuilt.callback(call))
    embed = call.response.sent[0]["embeds"][0]
    assert embed.title.startswith("i-Soon") and "could mean" not in embed.title


def test_slow_work_defers_first_and_follows_up(client, monkeypatch):
    monkeypatch.setattr(discord_app, "FAST_REPLY_SECONDS", 0)
    call = interaction(client)
    run(client.tree.get_command("related").callback(call, "Salt Typhoon"))
    assert call.response.deferred == [{"ephemeral": True, "thinking": True}]
    assert call.response.sent == []
    [sent] = call.followup.sent
    assert "Sichuan Juxinhe" in "".join(f.value for f in sent["embeds"][0].fields)


def test_sanctions_takes_its_choices(client):
    call = interaction(client)
    authority = discord.app_commands.Choice(name="US (OFAC)", value="US-OFAC")
    regime = discord.app_commands.Choice(name="US cyber (US-CYB)", value="US-CYB")
    run(client.tree.get_command("sanctions").callback(call, authority, regime, "2025-01-01"))
    assert call.response.sent[0]["embeds"][0].title.startswith("5 designations")


def test_digest_subscribe_needs_the_right_to_manage_the_channel(client):
    refused = interaction(client, manage=False)
    run(client.tree.get_command("digest").get_command("subscribe").callback(refused, "08:00"))
    assert "manage this channel" in refused.response.sent[0]["embeds"][0].title
    allowed = interaction(client, manage=True)
    run(client.tree.get_command("digest").get_command("subscribe").callback(allowed, "08:00 Europe/London"))
    assert allowed.response.sent[0]["embeds"][0].title.startswith("Subscribed")
    settings_call = interaction(client, manage=False)
    run(client.tree.get_command("digest").get_command("settings").callback(settings_call))
    assert "08:00 Europe/London" in settings_call.response.sent[0]["embeds"][0].description


def test_autocomplete_finds_isoon_from_isoo_with_at_most_25_choices(client, bot):
    complete = _name_autocomplete(bot)
    choices = run(complete(interaction(client), "isoo"))
    assert choices[0].value == "i-Soon"
    many = run(complete(interaction(client), "a"))
    assert 0 < len(many) <= 25
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in many)
    assert run(complete(interaction(client), "")) == []


def test_a_share_button_click_posts_the_card_in_the_channel(client):
    call = interaction(client)
    button = ActionButton("share", "/who i-Soon", "Share in channel")
    run(button.callback(call))
    posted, confirmation = call.response.sent
    assert posted["embeds"][0].title.startswith("i-Soon")
    assert confirmation == {"content": "Shared in the channel.", "ephemeral": True}


def test_buttons_are_rebuilt_from_their_custom_id_by_any_process():
    match = re.fullmatch(ActionButton.__discord_ui_compiled_template__, "briefbot:run:/who Salt Typhoon")
    button = run(ActionButton.from_custom_id(None, discord.ui.Button(label="Salt Typhoon"), match))
    assert (button.action, button.command) == ("run", "/who Salt Typhoon")


def test_sync_happens_only_when_the_commands_changed(client):
    wanted = command_payload(client.tree)
    registered = [{**c, "id": "1", "version": "2", "application_id": "3"} for c in wanted]
    assert not needs_sync(wanted, registered)
    changed = [dict(c) for c in registered]
    changed[0]["description"] = "something else"
    assert needs_sync(wanted, changed)


def test_dry_run_prints_the_json_without_a_token(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert discord_app.main(["sync", "--dry-run"]) == 0
    assert {c["name"] for c in __import__("json").loads(capsys.readouterr().out)} >= {"who", "digest"}


@pytest.mark.parametrize(
    ("value", "message"), [(None, "DISCORD_TOKEN is not set"), ("not-a-token", "DISCORD_TOKEN does not look like")]
)
def test_a_missing_or_malformed_token_stops_start_up_naming_the_variable(monkeypatch, capsys, value, message):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    if value:
        monkeypatch.setenv("DISCORD_TOKEN", value)
    assert discord_app.main(["run"]) == 2
    err = capsys.readouterr().err
    assert message in err and (value is None or value not in err)
    with pytest.raises(ConfigError):
        discord_app._token()


class _Loop:
    """A real event loop on a thread, as the gateway client has, for the digest sender to call into."""

    def __enter__(self) -> asyncio.AbstractEventLoop:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        return self.loop

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


def _sender_with(loop: asyncio.AbstractEventLoop, send) -> DiscordSender:
    channel = SimpleNamespace(send=send)
    return DiscordSender(SimpleNamespace(loop=loop, get_channel=lambda _id: channel))  # type: ignore[arg-type]


def test_the_digest_sender_posts_with_channel_send_and_no_mentions():
    sent: list[dict[str, Any]] = []

    async def send(**kwargs: Any) -> None:
        sent.append(kwargs)

    with _Loop() as loop:
        _sender_with(loop, send).send(
            Subscription(platform="discord", workspace="1", channel="5"),
            Reply(command="digest", query="", status=Status.OK, title="Sanctions digest"),
            key="k",
        )
    assert sent[0]["embeds"][0].title == "Sanctions digest"
    assert sent[0]["allowed_mentions"].everyone is False


@pytest.mark.parametrize(
    ("error", "expected"),
    [(discord.NotFound, ChannelGone), (discord.Forbidden, ChannelGone), (discord.HTTPException, SendFailed)],
)
def test_a_channel_that_disappeared_or_denies_the_bot_is_told_apart_from_a_passing_failure(error, expected):
    async def send(**kwargs: Any) -> None:
        raise error(SimpleNamespace(status=404, reason="Not Found"), {"message": "Unknown Channel", "code": 10003})

    with _Loop() as loop, pytest.raises(expected):
        _sender_with(loop, send).send(
            Subscription(platform="discord", workspace="1", channel="5"),
            Reply(command="digest", query="", status=Status.OK, title="x"),
            key="k",
        )


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_curated_card_fits_discord_and_pings_no_one(ask, kb, entity_id):
    for text in (f"/who {kb.entity(entity_id).caption}", f"/related {kb.entity(entity_id).caption}"):
        assert check_embeds(render_embeds(ask(text))) == []


@pytest.mark.parametrize(
    "text", ["/who @everyone", "/who <@123>", "/who [bank](https://evil.example)", "/sanctions", "/help"]
)
def test_hostile_or_long_replies_fit_and_ping_no_one(ask, text):
    assert check_embeds(render_embeds(ask(text))) == []


_text = st.text(max_size=1500)


@settings(max_examples=150, deadline=None)
@given(
    title=_text,
    lines=st.lists(_text, max_size=60),
    sections=st.integers(min_value=0, max_value=40),
    facts=st.lists(st.tuples(_text, _text), max_size=10),
    names=st.lists(st.text(max_size=200), max_size=8),
)
def test_random_replies_stay_within_discords_limits(title, lines, sections, facts, names):
    reply = Reply(
        command="who",
        query=title,
        status=Status.FOUND,
        title=title or "x",
        subtitle=title,
        facts=[Fact(label=a, value=b) for a, b in facts],
        sections=[
            Section(title=title or "s", lines=[Line(text=t, sources=[1]) for t in lines]) for _ in range(sections)
        ],
        candidates=[
            Candidate(id=str(i), name=n, score=0.9, matched=n, command=f"/who {n}") for i, n in enumerate(names)
        ],
        citations=[Citation(number=1, id="s", title=title, publisher=title, by="b", kind="k")],
    )
    embeds = render_embeds(reply)
    assert check_embeds(embeds) == []
    assert sum(len(e) for e in embeds) <= LIMITS["total"]
