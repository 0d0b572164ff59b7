"""The Discord app: slash commands with autocomplete through discord.py's command tree, embeds, digests."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import discord
from discord import app_commands

from adapters import discord_screening
from adapters.cli_args import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, discord_parser
from adapters.discord_pictures import PictureButton, add_picture_buttons, attach_picture
from adapters.discord_render import reference_in, render_embeds
from adapters.health import health_port, start_health_server
from adapters.serving import start_serving
from adapters.settings import setting
from adapters.tokens import ConfigError, endpoint, secret
from bot.ask import subject_in, subject_reference
from bot.digest.delivery import ChannelGone, DigestRunner, SendFailed
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.registry import Command
from bot.reply import Reply, Status
from bot.request import Request, clean_input
from bot.service import Bot, utc_now
from knowledge.authorities import AUTHORITIES, REGIMES
from knowledge.store.database import Store

__all__ = [
    "ChoiceMenu",
    "DiscordSender",
    "build_tree",
    "choice_options",
    "command_payload",
    "main",
    "needs_sync",
    "run",
]

log = logging.getLogger(__name__)

PLATFORM = "discord"
# Answers faster than this go out at once; slower ones defer first ("briefbot is thinking…") and follow up.
FAST_REPLY_SECONDS = 1.5
AUTOCOMPLETE_CHOICES = 25
_CUSTOM_ID = 100
_DESCRIPTION = 100
_SELECT_VALUE = 100
_SELECT_OPTIONS = 25
CHOICE_MENU = "briefbot:choose"
NO_MENTIONS = discord.AllowedMentions.none()
BRIEF_MENU = "Brief me on this"
# A mention of the bot as Discord writes it into the message text: <@id> or <@!id>.
_MENTION = re.compile(r"<@!?\d+>")


def _description(text: str) -> str:
    return text if len(text) <= _DESCRIPTION else text[: _DESCRIPTION - 1] + "…"


def _where(interaction: discord.Interaction) -> Request:
    permissions = interaction.permissions
    return Request(
        text="",
        platform=PLATFORM,
        user=str(interaction.user.id),
        workspace=str(interaction.guild_id) if interaction.guild_id else "dm",
        channel=str(interaction.channel_id) if interaction.channel_id else None,
        # Discord's own facts: managing the channel (or the server) is what may change its digest; a DM is yours.
        can_manage_channel=interaction.guild_id is None or permissions.manage_channels or permissions.manage_guild,
    )


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"briefbot:(?P<action>run|share):(?P<command>.+)"
):
    """A button that carries its command: any process, even after a restart, can answer the click."""

    def __init__(
        self, action: str, command: str, label: str, *, style: discord.ButtonStyle = discord.ButtonStyle.secondary
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label[:80], style=style, custom_id=f"briefbot:{action}:{command}"[:_CUSTOM_ID])
        )
        self.action = action
        self.command = command

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ActionButton:
        return cls(match["action"], match["command"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Bot = interaction.client.briefbot  # type: ignore[attr-defined]
        if self.action == "run":
            await respond(interaction, bot, self.command)
            return
        reply = await asyncio.to_thread(bot.answer, _where(interaction).model_copy(update={"text": self.command}))
        try:
            embeds = render_embeds(reply, reference=subject_reference(reply, bot.kb))
            await interaction.channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)  # type: ignore[union-attr]
            await interaction.response.send_message("Shared in the channel.", ephemeral=True)
        except discord.HTTPException:
            await interaction.response.send_message("I can't post in this channel.", ephemeral=True)


class ChoiceMenu(discord.ui.DynamicItem[discord.ui.Select], template=r"briefbot:choose"):
    """The "which one?" choices as one menu: each option a candidate's label and, under it, what tells it apart
    (how it holds the name, its lists, programmes); its value the command that opens exactly that card, so any
    process, even after a restart, can answer the choice."""

    def __init__(self, options: list[discord.SelectOption], placeholder: str | None = None) -> None:
        super().__init__(
            discord.ui.Select(custom_id=CHOICE_MENU, placeholder=placeholder, options=options, min_values=1)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> ChoiceMenu:
        return cls(list(item.options), item.placeholder)

    async def callback(self, interaction: discord.Interaction) -> None:
        chosen = (interaction.data or {}).get("values") or self.item.values  # type: ignore[union-attr]
        if chosen:
            await respond(interaction, interaction.client.briefbot, chosen[0])  # type: ignore[attr-defined]


def choice_options(reply: Reply) -> list[discord.SelectOption]:
    """A menu option per candidate, within Discord's limits (100 characters for label, description and value;
    25 options); a candidate whose command is longer than a value may be is left out rather than cut."""
    return [
        discord.SelectOption(
            label=_description(f"{c.name} ({c.score:.2f})"),
            description=_description(c.detail) if c.detail else None,
            value=c.command,
        )
        for c in reply.candidates
        if len(c.command) <= _SELECT_VALUE
    ][:_SELECT_OPTIONS]


def view_for(reply: Reply, command: str | None) -> discord.ui.View | None:
    view = discord.ui.View(timeout=None)
    options = choice_options(reply)
    if options:
        placeholder = "Which one do you mean?" if reply.status is Status.AMBIGUOUS else "Did you mean…"
        view.add_item(ChoiceMenu(options, placeholder))
    for action in reply.actions[:5]:
        # Suggested questions and briefs; a button's id carries its command, so one too long for it is left out.
        if action.command.startswith(("/ask ", "/who ")) and len(f"briefbot:run:{action.command}") <= _CUSTOM_ID:
            view.add_item(ActionButton("run", action.command, action.label))
    if (
        command
        and not reply.in_channel
        and reply.status is not Status.ERROR
        and len(f"briefbot:share:{command}") <= _CUSTOM_ID
    ):
        view.add_item(ActionButton("share", command, "Share in channel", style=discord.ButtonStyle.primary))
    return view if view.children else None


async def respond(interaction: discord.Interaction, bot: Bot, text: str) -> None:
    """Answer at once if quick; else defer, then follow up. Ephemeral unless the reply is for the channel."""
    request = _where(interaction).model_copy(update={"text": text})
    work = asyncio.ensure_future(asyncio.to_thread(bot.answer, request))
    done, _ = await asyncio.wait({work}, timeout=FAST_REPLY_SECONDS)
    if not done:
        await interaction.response.defer(ephemeral=True, thinking=True)
    reply = await work
    # The footer's reference: a reply to this answer ("who sanctioned them?") is about its entity.
    embeds = render_embeds(reply, reference=subject_reference(reply, bot.kb))
    payload: dict[str, Any] = {"embeds": embeds, "allowed_mentions": NO_MENTIONS}
    await asyncio.to_thread(attach_picture, payload, reply, bot.kb)
    view = add_picture_buttons(view_for(reply, text), reply)
    if view is not None:
        payload["view"] = view
    try:
        if done:
            await interaction.response.send_message(ephemeral=not reply.in_channel, **payload)
        else:
            await interaction.followup.send(ephemeral=not reply.in_channel, **payload)
    except discord.DiscordException:
        await asyncio.to_thread(partial(bot.delivered, reply, accepted=False))
        raise
    # Discord took the message (a refusal raises): a digest sent now counts from here.
    await asyncio.to_thread(bot.delivered, reply)


def _payload(reply: Reply, *, reference: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"embeds": render_embeds(reply, reference=reference), "allowed_mentions": NO_MENTIONS}
    view = view_for(reply, None)
    if view is not None:
        payload["view"] = view
    return payload


def brief_menu(bot: Bot) -> app_commands.ContextMenu:
    """The message context menu "Brief me on this": the entities a message names, answered to the user alone."""

    async def brief(interaction: discord.Interaction, message: discord.Message) -> None:
        request = _where(interaction).model_copy(update={"text": message.content or ""})
        work = asyncio.ensure_future(asyncio.to_thread(bot.brief, request))
        done, _ = await asyncio.wait({work}, timeout=FAST_REPLY_SECONDS)
        if not done:
            await interaction.response.defer(ephemeral=True, thinking=True)
        payload = _payload(await work)
        if done:
            await interaction.response.send_message(ephemeral=True, **payload)
        else:
            await interaction.followup.send(ephemeral=True, **payload)

    return app_commands.ContextMenu(name=BRIEF_MENU, callback=brief)


async def answer_mention(bot: Bot, message: discord.Message, me: discord.abc.User | None) -> bool:
    """A message that mentions the bot, a DM to it, or a reply to one of its answers goes through /ask; the answer
    replies to it, its footer opening with the stable reference of the entity it is about. True if answered."""
    if message.author.bot or me is None:
        return False
    direct = message.guild is None
    mentioned = any(user.id == me.id for user in message.mentions)
    # A reply that does not ping the bot arrives without its text (no message-content intent): nothing to answer.
    if not direct and not mentioned and not (message.content or "").strip():
        return False
    replying, about = await _replied_subject(bot, message, me)
    if not direct and not replying and not mentioned:
        return False
    question = _MENTION.sub(" ", message.content or "").strip() or "/help"
    request = Request(
        text=question,
        platform=PLATFORM,
        user=str(message.author.id),
        workspace=str(message.guild.id) if message.guild else "dm",
        channel=str(message.channel.id),
        about=about,
    )
    reply = await asyncio.to_thread(bot.answer, request)
    await message.reply(mention_author=False, **_payload(reply, reference=subject_reference(reply, bot.kb)))
    return True


async def _replied_subject(bot: Bot, message: discord.Message, me: discord.abc.User) -> tuple[bool, str | None]:
    """Whether the message replies to one of the bot's answers, and the stable reference of the entity that answer
    was about: read from the answer itself (its footer), whichever process sent it; for an answer without one,
    the one entity the question it answered names."""
    reference = getattr(message, "reference", None)
    target = await _referenced(message, reference)
    if target is None or getattr(getattr(target, "author", None), "id", None) != me.id:
        return False, None
    # Only the bot's own messages are read for it (checked above): another's footer could claim anything.
    about = reference_in(list(getattr(target, "embeds", None) or []))
    if about:
        return True, about
    question = await _referenced(message, getattr(target, "reference", None))
    text = _MENTION.sub(" ", getattr(question, "content", "") or "")
    return True, (await asyncio.to_thread(subject_in, text, bot.kb) if text.strip() else None)


async def _referenced(message: discord.Message, reference: Any) -> Any:
    """The message a reference points at: as Discord sent it along, else fetched; None if it cannot be had."""
    if reference is None:
        return None
    if getattr(reference, "resolved", None) is not None:
        return reference.resolved
    if not getattr(reference, "message_id", None):
        return None
    try:
        return await message.channel.fetch_message(reference.message_id)
    except discord.DiscordException:
        return None


def _name_autocomplete(bot: Bot) -> Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]:
    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        current = clean_input(current)  # autocomplete does not go through Bot.answer, which cleans requests
        if not current.strip():
            return []
        matches = bot.kb.index.complete(current[:200], limit=AUTOCOMPLETE_CHOICES)
        choices = []
        for match in matches:
            caption = bot.kb.entity(match.entity).caption[:100]
            label = caption if match.name == caption else f"{caption} — {match.name}"
            choices.append(app_commands.Choice(name=label[:100], value=caption))
        return choices

    return complete


def _lookup_command(bot: Bot, command: Command, autocomplete: Any) -> app_commands.Command:
    """/who or /related: one `name` option, completed from the knowledge base's names as the user types."""

    @app_commands.describe(name=_description(command.options[0].description))
    @app_commands.autocomplete(name=autocomplete)
    async def callback(interaction: discord.Interaction, name: str) -> None:
        await respond(interaction, bot, f"/{command.name} {name}")

    return app_commands.Command(name=command.name, description=_description(command.summary), callback=callback)


def _digest_action(bot: Bot, action: str, description: str) -> app_commands.Command:
    async def callback(interaction: discord.Interaction) -> None:
        await respond(interaction, bot, f"/digest {action}")

    return app_commands.Command(name=action, description=description, callback=callback)


def _digest_group(bot: Bot, command: Command) -> app_commands.Group:
    group = app_commands.Group(name="digest", description=_description(command.summary))

    @app_commands.describe(settings="HH:MM, time zone and filters, e.g. 08:00 Europe/London US US-CYB mon-fri")
    async def subscribe(interaction: discord.Interaction, settings: str | None = None) -> None:
        await respond(interaction, bot, f"/digest subscribe {settings or ''}".strip())

    group.add_command(
        app_commands.Command(
            name="subscribe", description="Get the daily sanctions digest in this channel", callback=subscribe
        )
    )
    for action, description in (
        ("unsubscribe", "Stop this channel's digest"),
        ("settings", "Show this channel's digest settings"),
        ("preview", "What the next digest would say now"),
        ("now", "Send the digest now"),
    ):
        group.add_command(_digest_action(bot, action, description))
    return group


def build_tree(client: discord.Client, bot: Bot) -> app_commands.CommandTree:
    """Every bot command as a Discord slash command; descriptions come from the commands' own help text."""
    tree = app_commands.CommandTree(client)
    registry = {command.name: command for command in bot.registry}
    autocomplete = _name_autocomplete(bot)
    for name in ("who", "related"):
        tree.add_command(_lookup_command(bot, registry[name], autocomplete))

    authority_choices = [
        app_commands.Choice(name=a.label, value=a.key) for a in AUTHORITIES.values() if a.key != "OTHER"
    ]
    regime_choices = [app_commands.Choice(name=f"{r.label} ({r.key})", value=r.key) for r in REGIMES.values()]

    @app_commands.describe(
        authority="Who designated", regime="Regime", since="Only designations on or after (YYYY-MM-DD)"
    )
    @app_commands.choices(authority=authority_choices, regime=regime_choices)
    async def sanctions(
        interaction: discord.Interaction,
        authority: app_commands.Choice[str] | None = None,
        regime: app_commands.Choice[str] | None = None,
        since: str | None = None,
    ) -> None:
        words = [choice.value for choice in (authority, regime) if choice] + ([f"since {since}"] if since else [])
        await respond(interaction, bot, " ".join(["/sanctions", *words]))

    @app_commands.describe(question=_description(registry["ask"].options[0].description))
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await respond(interaction, bot, f"/ask {question}")

    @app_commands.describe(command="A command to explain")
    @app_commands.choices(command=[app_commands.Choice(name=n, value=n) for n in registry])
    async def help_command(interaction: discord.Interaction, command: app_commands.Choice[str] | None = None) -> None:
        await respond(interaction, bot, f"/help {command.value}" if command else "/help")

    async def status(interaction: discord.Interaction) -> None:
        await respond(interaction, bot, "/status")

    for name, callback in (("sanctions", sanctions), ("ask", ask), ("status", status), ("help", help_command)):
        tree.add_command(
            app_commands.Command(name=name, description=_description(registry[name].summary), callback=callback)
        )
    tree.add_command(_digest_group(bot, registry["digest"]))
    tree.add_command(brief_menu(bot))
    tree.add_command(discord_screening.ScreenGroup(bot))
    return tree


def command_payload(tree: app_commands.CommandTree) -> list[dict[str, Any]]:
    """What `sync` would send: the JSON of every command."""
    return [command.to_dict(tree) for command in tree.get_commands()]


_COMPARED = ("name", "description", "type", "required", "autocomplete", "choices", "options")


def _comparable(command: dict[str, Any]) -> dict[str, Any]:
    kept = {k: command[k] for k in _COMPARED if command.get(k) not in (None, [], False)}
    if "options" in kept:
        kept["options"] = [_comparable(o) for o in kept["options"]]
    if "choices" in kept:
        kept["choices"] = [{"name": c["name"], "value": c["value"]} for c in kept["choices"]]
    return kept


def needs_sync(wanted: list[dict[str, Any]], registered: list[dict[str, Any]]) -> bool:
    """Whether Discord's commands differ from ours in anything a user sees; registering is rate-limited."""

    def key(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted((_comparable(c) for c in commands), key=lambda c: c["name"])

    return key(wanted) != key(registered)


def _intents() -> discord.Intents:
    """No privileged intent. Guilds keeps the channel and guild cache (and discord.py's state) whole; without it
    discord.py warns at every start. Guild and DM messages bring mentions of the bot and DMs, whose text reaches
    the bot without the message-content intent."""
    return discord.Intents(guilds=True, guild_messages=True, dm_messages=True)


def _without_voice() -> None:
    """The bot never joins voice: tell discord.py so, instead of letting it warn at each start that PyNaCl (and in
    2.7, davey) is missing. Only these two flags are changed; every other warning still shows."""
    for flag in ("warn_nacl", "warn_dave"):
        if hasattr(discord.VoiceClient, flag):
            setattr(discord.VoiceClient, flag, False)


class BriefbotClient(discord.Client):
    def __init__(self, bot: Bot, *, store: Store | None = None, on_digest: Callable[[str], None] | None = None) -> None:
        _without_voice()
        # No reply may ping anyone.
        super().__init__(intents=_intents(), allowed_mentions=NO_MENTIONS)
        self.briefbot = bot
        self.store = store
        self.on_digest = on_digest
        self.tree = build_tree(self, bot)
        self._stop_digests = threading.Event()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton, ChoiceMenu, PictureButton, discord_screening.DecisionButton)
        if self.store is not None:
            runner = DigestRunner(
                digests=DigestStore(self.store.engine),
                store=self.store,
                knowledge=lambda: self.briefbot.kb,
                senders={PLATFORM: DiscordSender(self)},
                worker=f"discord:{socket.gethostname()}:{os.getpid()}",
                clock=utc_now,
                observe=self.on_digest,
            )
            threading.Thread(target=runner.run_forever, args=(self._stop_digests,), name="digests", daemon=True).start()

    async def on_message(self, message: discord.Message) -> None:
        await answer_mention(self.briefbot, message, self.user)

    async def close(self) -> None:
        self._stop_digests.set()
        await super().close()


class DiscordSender:
    """Sends digests with channel.send on the client's event loop, from the digest loop's thread."""

    max_lines = 25
    timeout = 60.0
    # discord.py retries rate limits and server errors itself, waiting as Discord says: that is the one retry
    # policy of a Discord send, so the digest loop makes one attempt (a failure is tried on its next pass).
    max_attempts = 1

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _send(self, channel_id: int, reply: Reply) -> None:
        channel = self.client.get_channel(channel_id) or await self.client.fetch_channel(channel_id)
        await channel.send(embeds=render_embeds(reply), allowed_mentions=NO_MENTIONS)  # type: ignore[union-attr]

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        future = asyncio.run_coroutine_threadsafe(self._send(int(subscription.channel), reply), self.client.loop)
        try:
            future.result(timeout=self.timeout)
        except (discord.NotFound, discord.Forbidden) as error:
            raise ChannelGone(f"{type(error).__name__}: {error.text or error.status}") from error
        except TimeoutError as error:
            # Stopped, not left running: a send that went on after the loop gave up could post the digest twice.
            future.cancel()
            raise SendFailed(f"no answer from Discord within {self.timeout:.0f} s") from error
        except (discord.HTTPException, OSError) as error:
            raise SendFailed(str(error)) from error


def _endpoints_from_env() -> None:
    """DISCORD_API_URL and DISCORD_GATEWAY_URL, for a proxy or a stand-in on loopback (the tests' way of running
    the real worker without reaching Discord); unset, discord.py's own addresses."""
    if setting("DISCORD_API_URL"):
        discord.http.Route.BASE = endpoint("DISCORD_API_URL", "").rstrip("/")
    if setting("DISCORD_GATEWAY_URL"):
        gateway = endpoint("DISCORD_GATEWAY_URL", "")
        websocket = discord.gateway.DiscordWebSocket
        # The address type discord.py uses (yarl's URL, through aiohttp), without importing it here.
        websocket.DEFAULT_GATEWAY = type(websocket.DEFAULT_GATEWAY)(gateway)


def _gateway_open(client: discord.Client) -> bool:
    """Ready for /ready: the first READY seen and the gateway socket open now (discord.py keeps is_ready() true
    while it reconnects after a drop)."""
    return client.is_ready() and not client.is_closed() and client.ws is not None and client.ws.open


async def _check_gateway(client: discord.Client) -> None:
    """One WebSocket handshake with the gateway before connecting: discord.py 2.7 cannot retry a first
    connection that failed (it reads the sequence of the socket it never had, and dies with a traceback), so an
    unreachable gateway is told here, in one line. Later drops are discord.py's to mend, with its back-off."""
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        opened = await asyncio.wait_for(client.http.ws_connect(str(gateway.with_query(v=10, encoding="json"))), 30)
    except Exception as error:  # any failure to open it (refused, no DNS, TLS, a non-WebSocket answer) means: say so
        raise ConfigError(f"cannot reach the Discord gateway at {gateway}: {error or type(error).__name__}.") from error
    await opened.close()


def _token() -> str:
    return secret("DISCORD_TOKEN", what="a bot token from the Developer Portal")


async def _sync(tree: app_commands.CommandTree, client: discord.Client, token: str, guild_id: int | None) -> str:
    await client.login(token)
    try:
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        wanted = [c.to_dict(tree) for c in tree.get_commands(guild=guild)]
        registered = [c.to_dict() for c in await tree.fetch_commands(guild=guild)]
        if not needs_sync(wanted, registered):
            return "Commands unchanged; nothing to sync."
        synced = await tree.sync(guild=guild)
        where = f"to guild {guild_id}" if guild_id else "globally (they may take up to an hour to show)"
        return f"Synced {len(synced)} commands {where}."
    finally:
        await client.close()


def main(argv: list[str]) -> int:
    """`briefbot discord run` and `briefbot discord sync [--guild ID] [--dry-run]`; returns the exit code."""
    return run(discord_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """`briefbot discord …` with its arguments parsed: the token and addresses are checked before the knowledge
    base is loaded, so a missing token is said within a second."""
    action, dry_run = args.discord_action, args.discord_action == "sync" and args.dry_run
    try:
        port = health_port() if action == "run" else None
        token = None if dry_run else _token()
        _endpoints_from_env()
    except ConfigError as error:
        print(f"briefbot discord: {error}", file=sys.stderr)
        return EXIT_USAGE
    serving = start_serving()
    live = serving.live
    bot = serving.bot()
    client = BriefbotClient(
        bot, store=serving.store if action == "run" else None, on_digest=serving.metrics.observe_digest
    )
    if token is None:
        print(json.dumps(command_payload(client.tree), indent=2))
        return EXIT_OK
    if action == "sync":
        print(asyncio.run(_sync(client.tree, client, token, args.guild)))
        return EXIT_OK

    if port is not None:
        serving.health.checks["gateway"] = partial(_gateway_open, client)
        try:
            start_health_server(serving.health, port=port)
        except ConfigError as error:
            print(f"briefbot discord: {error}", file=sys.stderr)
            return EXIT_FAILURE
    live.start()

    async def connect() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            # Graceful shutdown: close the gateway connection and stop the digest loop.
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(client.close()))
        async with client:
            await client.login(token)
            await _check_gateway(client)
            await client.connect()

    try:
        asyncio.run(connect())
    except discord.LoginFailure:
        print("briefbot discord: Discord refused DISCORD_TOKEN (check it in the Developer Portal).", file=sys.stderr)
        return EXIT_FAILURE
    except discord.HTTPException as error:
        print(
            f"briefbot discord: Discord answered {error.status} at login: {error.text or 'no reason given'}.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (ConfigError, discord.GatewayNotFound, OSError) as error:
        message = str(error) if isinstance(error, ConfigError) else f"cannot reach Discord: {error}."
        print(f"briefbot discord: {message}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
