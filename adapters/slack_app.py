"""The Slack app: slash commands, buttons, mentions and DMs through Bolt, digests by chat.postMessage."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import socket
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from adapters import slack_screening
from adapters.cli_args import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, slack_parser
from adapters.health import Health, health_port, make_server, port_from_env, start_health_server, with_health
from adapters.metrics import Metrics
from adapters.serving import Serving, start_serving
from adapters.settings import setting
from adapters.slack_guard import guarded
from adapters.slack_manifest import (
    DEFAULT_COMMANDS,
    SCREENING_COMMANDS,
    ManifestError,
    check_command_names,
    manifest,
)
from adapters.slack_pictures import attach_related_picture, on_picture_action
from adapters.slack_render import (
    LIMITS,
    PICTURE_ACTION,
    RUN_ACTION,
    SHARE_ACTION,
    add_picture_buttons,
    render_message,
)
from adapters.tokens import ConfigError, endpoint, secret
from bot.ask import subject_in, subject_reference
from bot.digest.delivery import ChannelGone, DigestRunner, SendFailed
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Reply
from bot.request import Request
from bot.service import Bot, utc_now
from knowledge.errors import BriefbotError, UsageError

__all__ = ["SlackSender", "SlackSettings", "create_app", "main", "run", "wsgi_app"]

log = logging.getLogger(__name__)

SLACK_API = "https://slack.com/api/"
PLATFORM = "slack"
# Errors after which posting to the channel will never work again.
_GONE = frozenset({"channel_not_found", "is_archived", "not_in_channel", "account_inactive", "restricted_action"})
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>\s*")
# /status is one of Slack's own commands: there the bot's is typed /brief status.
_BOT_COMMANDS = ("who", "related", "sanctions", "ask", "digest", "status", "help")
# The message shortcut "Brief me on this" (declared in the manifest with this callback id).
BRIEF_SHORTCUT = "brief_message"
# Suggested rephrasings become buttons after the candidates' (whose ids count from 0).
_SUGGESTION_ACTION_START = 10
# Messages read to learn whether the bot takes part in a thread (its parent and the first replies), and what the
# thread (or a DM) is about: the latest answer about an entity among them.
_THREAD_READ = 100
# Pages of a thread read at most for its latest answer: threads of thousands of replies are read in part.
_THREAD_PAGES = 20
_THREADS_REMEMBERED = 10_000
# The metadata event an answer carries in a thread: {"about": stable reference of the entity it is about}.
SUBJECT_EVENT = "briefbot_answer"


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str = SLACK_API
    commands: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_COMMANDS))

    @classmethod
    def from_env(cls, *, socket_mode: bool) -> SlackSettings:
        """Tokens from the environment only; a missing or malformed one stops start-up naming the variable."""
        bot_token = secret("SLACK_BOT_TOKEN", what="a bot token (xoxb-…)")
        if socket_mode:
            app_token = secret("SLACK_APP_TOKEN", what="an app-level token (xapp-…)")
            signing = None
        else:
            app_token = None
            signing = secret("SLACK_SIGNING_SECRET", what="the app's signing secret (hex)")
        api_url = endpoint("SLACK_API_URL", SLACK_API)
        return cls(
            bot_token, signing, app_token, api_url if api_url.endswith("/") else api_url + "/", _commands_from_env()
        )


def slack_settings_for_sending() -> SlackSettings:
    """Enough to post digests: the bot token (and SLACK_API_URL), without the serving secrets."""
    token = secret("SLACK_BOT_TOKEN", what="a bot token (xoxb-…)")
    api_url = endpoint("SLACK_API_URL", SLACK_API)
    return SlackSettings(token, None, None, api_url if api_url.endswith("/") else api_url + "/")


def _commands_from_env() -> dict[str, str]:
    """BRIEFBOT_SLACK_COMMANDS="who=/whois related=/bb-related …" renames commands; the rest keep their names."""
    commands = dict(DEFAULT_COMMANDS)
    try:
        pairs = str(setting("BRIEFBOT_SLACK_COMMANDS")).split()
    except UsageError as error:
        raise ConfigError(str(error)) from None
    for pair in pairs:
        bot_command, _, slack_command = pair.partition("=")
        if bot_command not in commands or not slack_command:
            raise ConfigError(
                f"BRIEFBOT_SLACK_COMMANDS: {pair!r} is not command=/name with a command of {', '.join(commands)}."
            )
        commands[bot_command] = slack_command
    try:
        check_command_names(commands)
    except ManifestError as error:
        raise ConfigError(f"BRIEFBOT_SLACK_COMMANDS: {error}") from error
    return commands


def command_text(bot_command: str, text: str) -> str:
    """The bot's command text for a Slack command: /brief who X, /brief X (= who X), /whois X, /related X…"""
    text = text.strip()
    if bot_command != "brief":
        return f"/{bot_command} {text}".strip()
    first, _, rest = text.partition(" ")
    if first.lstrip("/").casefold() in _BOT_COMMANDS:
        return f"/{first.lstrip('/').casefold()} {rest}".strip()
    return f"/who {text}" if text else "/help"


class SlackBriefbot:
    """Turns Slack payloads into bot requests and replies into Block Kit; stateless, so any replica answers."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        # Threads this process has seen the bot take part in; any replica learns it from Slack itself
        # (conversations.replies), so nothing is lost by forgetting. What a thread is about is never kept here:
        # another replica may have answered in it since, so it is read from the thread's messages each time.
        self._joined: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._joined_lock = threading.Lock()

    def can_manage(self, client: WebClient, user: str, channel: str) -> bool:
        """Slack's own facts: a DM is its user's; otherwise workspace admins and owners, and the channel's creator."""
        if channel.startswith("D"):
            return True
        try:
            profile = client.users_info(user=user).get("user", {})
            if profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"):
                return True
            info = client.conversations_info(channel=channel).get("channel", {})
            return info.get("creator") == user
        except SlackApiError as error:
            log.warning("could not check who may manage channel %s: %s", channel, error.response.get("error"))
            return False

    def answer(
        self,
        text: str,
        *,
        team: str | None,
        channel: str | None,
        user: str | None,
        client: WebClient,
        about: str | None = None,
    ) -> Reply:
        manage = (
            text.startswith("/digest") and bool(channel and user) and self.can_manage(client, user or "", channel or "")
        )
        request = Request(
            text=text,
            platform=PLATFORM,
            user=user,
            workspace=team,
            channel=channel,
            can_manage_channel=manage,
            about=about,
        )
        return self.bot.answer(request)

    # --- listeners ---

    def on_command(
        self, bot_command: str, body: dict[str, Any], respond: Callable[..., Any], client: WebClient
    ) -> None:
        text = command_text(bot_command, body.get("text", ""))
        reply = self.answer(
            text, team=body.get("team_id"), channel=body.get("channel_id"), user=body.get("user_id"), client=client
        )
        posted = respond(
            **add_picture_buttons(render_message(reply, command_text=text), reply),
            response_type="in_channel" if reply.in_channel else "ephemeral",
        )
        # A digest sent now counts once Slack has taken it.
        self.bot.delivered(reply, accepted=getattr(posted, "status_code", HTTPStatus.OK) == HTTPStatus.OK)

    def on_run(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        text = body["actions"][0]["value"]
        reply = self.answer(text, **self._where(body), client=client)
        respond(
            **add_picture_buttons(render_message(reply, command_text=text), reply),
            response_type="ephemeral",
            replace_original=True,
        )

    def on_share(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        # The button carries the command, not the card: any replica can render it again, identically.
        text = body["actions"][0]["value"]
        where = self._where(body)
        reply = self.answer(text, **where, client=client)
        try:
            client.chat_postMessage(
                channel=where["channel"],
                unfurl_links=False,
                unfurl_media=False,
                **render_message(reply, shareable=False),
            )
        except SlackApiError as error:
            problem = error.response.get("error")
            log.info("share in %s failed: %s", where["channel"], problem)
            respond(
                text="I can't post in this channel; invite me first (/invite @briefbot).",
                response_type="ephemeral",
                replace_original=False,
            )

    def on_mention(
        self, event: dict[str, Any], say: Callable[..., Any], client: WebClient, context: Mapping[str, Any]
    ) -> None:
        channel, thread = event.get("channel", ""), event.get("thread_ts") or event.get("ts") or ""
        # A mention inside an existing thread may point back at what the thread is about ("@briefbot who owns it?").
        about = None
        if event.get("thread_ts"):
            about = self._thread_about(client, channel, thread, context.get("bot_user_id"))
        self._remember(channel, thread)
        question = _MENTION.sub("", event.get("text", ""), count=1)
        reply = self.answer(
            question, team=event.get("team"), channel=channel, user=event.get("user"), client=client, about=about
        )
        # Slash commands do not work in threads: mentions answer in the thread they were asked in.
        self._post_in_thread(reply, say, client, channel, thread)

    def on_message(
        self, event: dict[str, Any], say: Callable[..., Any], client: WebClient, context: Mapping[str, Any]
    ) -> None:
        """DMs, and replies in a channel thread the bot takes part in, go through /ask and answer in the thread."""
        if event.get("bot_id") or event.get("subtype"):
            return
        bot_user = context.get("bot_user_id")
        text = event.get("text", "")
        channel, thread = event.get("channel", ""), event.get("thread_ts")
        about = None
        if event.get("channel_type") != "im":
            # A mention is answered by on_mention already; a message outside a thread is not addressed to the bot.
            if not thread or thread == event.get("ts") or (bot_user and f"<@{bot_user}" in text):
                return
            messages = self.joined_thread(client, channel, thread, bot_user)
            if messages is None:
                return
            about = self._subject_of(messages, bot_user)
        else:
            # A DM is one conversation: outside a thread, a follow-up is about the latest answer in it.
            about = self._thread_about(client, channel, thread or "", bot_user)
        reply = self.answer(
            _MENTION.sub("", text, count=1),
            team=event.get("team"),
            channel=channel,
            user=event.get("user"),
            client=client,
            about=about,
        )
        self._post_in_thread(reply, say, client, channel, thread)

    def _post_in_thread(
        self, reply: Reply, say: Callable[..., Any], client: WebClient, channel: str, thread: str | None
    ) -> None:
        """Posts the answer in the thread, with the stable reference of the entity it is about as the message's
        metadata: a later "who sanctioned them?" there, answered by any replica, reads it back."""
        about = subject_reference(reply, self.bot.kb)
        extra: dict[str, Any] = {}
        if about:
            extra["metadata"] = {"event_type": SUBJECT_EVENT, "event_payload": {"about": about}}
        posted = say(
            thread_ts=thread,
            unfurl_links=False,
            **extra,
            **with_suggestions(add_picture_buttons(render_message(reply, shareable=False), reply), reply),
        )
        # A "/digest now" asked in a DM or thread counts once Slack has taken the post, as a slash command's does.
        self.bot.delivered(reply, accepted=_accepted(posted))
        attach_related_picture(client, self.bot.kb, reply, channel=channel, thread_ts=thread)

    def on_picture(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        on_picture_action(self.bot.kb, body, respond, client, store=self.bot.store)

    def _remember(self, channel: str, thread: str) -> None:
        """Remembers that the bot takes part in the thread."""
        with self._joined_lock:
            self._joined[(channel, thread)] = None
            self._joined.move_to_end((channel, thread))
            while len(self._joined) > _THREADS_REMEMBERED:
                self._joined.popitem(last=False)

    def joined_thread(
        self, client: WebClient, channel: str, thread: str, bot_user: str | None
    ) -> list[dict[str, Any]] | None:
        """The thread's messages, oldest first, where the bot was mentioned in it or wrote in it (only then is a
        reply there a question for it); None where it takes no part."""
        if not bot_user:
            return None
        messages = self._read_thread(client, channel, thread)
        with self._joined_lock:
            known = (channel, thread) in self._joined
        if known or any(m.get("user") == bot_user or f"<@{bot_user}" in m.get("text", "") for m in messages):
            self._remember(channel, thread)
            return messages
        return None

    def _thread_about(self, client: WebClient, channel: str, thread: str, bot_user: str | None) -> str | None:
        """The stable reference of the entity the thread (or a DM) is about, read from Slack so that whichever
        replica answered last is heard: the latest answer's metadata, or the one entity the opening message names."""
        return self._subject_of(self._read_thread(client, channel, thread), bot_user, opening=bool(thread))

    def _subject_of(self, messages: list[dict[str, Any]], bot_user: str | None, *, opening: bool = True) -> str | None:
        """From messages oldest first: the latest answer's metadata; else, where `opening`, the one entity the
        first message names."""
        for message in reversed(messages):
            if bot_user and message.get("user") != bot_user:
                continue  # only the bot's own answers say what it answered about; another app's could claim anything
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == SUBJECT_EVENT and (metadata.get("event_payload") or {}).get("about"):
                return str(metadata["event_payload"]["about"])
        first = messages[0].get("text", "") if messages and opening else ""
        if not first or (messages[0].get("user") == bot_user and bot_user):
            return None
        return subject_in(_MENTION.sub("", first, count=1), self.bot.kb)

    @staticmethod
    def _read_thread(client: WebClient, channel: str, thread: str) -> list[dict[str, Any]]:
        """The thread's messages oldest first, to its latest (a page at a time, so a long thread's latest answer
        is read too); for thread "" (a DM outside threads) the latest of the DM."""
        try:
            if thread:
                messages: list[dict[str, Any]] = []
                cursor = None
                for _ in range(_THREAD_PAGES):
                    answer = client.conversations_replies(
                        channel=channel, ts=thread, limit=_THREAD_READ, include_all_metadata=True, cursor=cursor
                    )
                    messages += answer.get("messages", [])
                    cursor = (answer.get("response_metadata") or {}).get("next_cursor")
                    if not cursor:
                        break
                return messages
            answer = client.conversations_history(channel=channel, limit=_THREAD_READ, include_all_metadata=True)
            return list(reversed(answer.get("messages", [])))
        except SlackApiError as error:
            log.info("could not read thread %s in %s: %s", thread, channel, error.response.get("error"))
            return []

    def on_brief_shortcut(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        """ "Brief me on this": the entities any message names, answered privately in the message's thread."""
        message = body.get("message") or {}
        where = self._where(body)
        request = Request(
            text=message.get("text", ""),
            platform=PLATFORM,
            user=where["user"],
            workspace=where["team"],
            channel=where["channel"],
        )
        reply = self.bot.brief(request)
        rendered = with_suggestions(render_message(reply, shareable=False), reply)
        try:
            client.chat_postEphemeral(
                channel=where["channel"] or "",
                user=where["user"] or "",
                thread_ts=message.get("thread_ts") or message.get("ts"),
                **rendered,
            )
        except SlackApiError as error:
            # Not in the channel: the shortcut's own response URL still reaches the user, privately.
            log.info("ephemeral brief in %s failed: %s", where["channel"], error.response.get("error"))
            respond(response_type="ephemeral", replace_original=False, **rendered)

    @staticmethod
    def _where(body: dict[str, Any]) -> dict[str, str | None]:
        return {
            "team": (body.get("team") or {}).get("id"),
            "channel": (body.get("channel") or {}).get("id"),
            "user": (body.get("user") or {}).get("id"),
        }


def _accepted(posted: Any) -> bool:
    """Whether chat.postMessage (through `say`) took the post: its answer's "ok", where there is one."""
    getter = getattr(posted, "get", None)
    return bool(getter("ok", True)) if callable(getter) else True


def with_suggestions(message: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The reply's suggested questions and briefs as buttons: a click runs the command, as a candidate's does."""
    buttons = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": action.label[: LIMITS["button_text"]]},
            "value": action.command[: LIMITS["button_value"]],
            "action_id": f"{RUN_ACTION}_{_SUGGESTION_ACTION_START + i}",
        }
        for i, action in enumerate(reply.actions)
        if action.command.startswith(("/ask ", "/who "))
    ][: LIMITS["actions_elements"]]
    if not buttons:
        return message
    blocks = list(message.get("blocks", []))
    if len(blocks) >= LIMITS["blocks"]:
        blocks = blocks[: LIMITS["blocks"] - 1]
    return {**message, "blocks": [*blocks, {"type": "actions", "elements": buttons}]}


def _ack(ack: Callable[..., Any]) -> None:
    ack()


def make_client(settings: SlackSettings, *, retries: bool = True) -> WebClient:
    """The Web API client; `retries=False` for digests, whose loop is the one retry policy of each send."""
    handlers = (
        [RateLimitErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)]
        if retries
        else []
    )
    return WebClient(token=settings.bot_token, base_url=settings.api_url, retry_handlers=handlers)


def create_app(bot: Bot, settings: SlackSettings, *, client: WebClient | None = None) -> App:
    """The Bolt app: every command acknowledged at once, the answer following through response_url (lazy)."""
    client = client or make_client(settings)
    # Creating an App with a token calls auth.test on the Web API at `client`'s base URL.
    # The token comes with the client: Bolt takes it from there.
    app = App(
        signing_secret=settings.signing_secret or "socket-mode-needs-no-signing-secret",
        client=client,
        process_before_response=False,
    )
    bolt_log = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _OneLineUnhandled) for f in bolt_log.filters):
        bolt_log.addFilter(_OneLineUnhandled())
    handler = SlackBriefbot(bot)
    # /screen, its files and its decisions first: their own listeners, in their own module.
    slack_screening.register(
        app, bot, token=settings.bot_token, api_url=settings.api_url, can_manage=handler.can_manage
    )
    for bot_command, slack_command in settings.commands.items():
        if bot_command in SCREENING_COMMANDS:
            continue
        app.command(slack_command)(ack=_ack, lazy=[partial(_lazy_command, handler, bot_command)])
    app.action(re.compile(rf"^{RUN_ACTION}_\d+$"))(ack=_ack, lazy=[partial(_lazy, handler.on_run)])
    app.action(SHARE_ACTION)(ack=_ack, lazy=[partial(_lazy, handler.on_share)])
    app.action(re.compile(rf"^{PICTURE_ACTION}_\w+$"))(ack=_ack, lazy=[partial(_lazy, handler.on_picture)])
    app.shortcut(BRIEF_SHORTCUT)(ack=_ack, lazy=[partial(_lazy, handler.on_brief_shortcut)])
    app.event("app_mention")(handler.on_mention)
    app.event("message")(handler.on_message)
    return app


class _OneLineUnhandled(logging.Filter):
    """Bolt logs each request no listener takes with six lines of coding suggestions; anyone holding the signing
    secret could fill the log with them. One line says what came."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Unhandled request"):
            record.msg, record.args = "%s", (message.splitlines()[0][:200],)
        return True


def _lazy_command(
    handler: SlackBriefbot, bot_command: str, body: dict[str, Any], respond: Callable[..., Any], client: WebClient
) -> None:
    handler.on_command(bot_command, body, respond, client)


def _lazy(method: Callable[..., None], body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
    method(body, respond, client)


class SlackSender:
    """Posts digests with chat.postMessage; Slack's rate limits come back as retries with its Retry-After.
    Give it a client made with `make_client(settings, retries=False)`: the digest loop does the retrying."""

    max_lines = 40

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.timeout = float(client.timeout)

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        try:
            self.client.chat_postMessage(
                channel=subscription.channel,
                unfurl_links=False,
                unfurl_media=False,
                **render_message(reply, shareable=False),
            )
        except SlackApiError as error:
            problem = error.response.get("error", "unknown_error")
            if problem in _GONE:
                raise ChannelGone(problem) from error
            retry_after = _retry_after(error.response.headers) if problem == "ratelimited" else None
            raise SendFailed(problem, retry_after=retry_after) from error
        except OSError as error:
            raise SendFailed(f"network: {error}") from error


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    """Slack's Retry-After in seconds, whatever the case of the header's name; None when absent or not a number."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(text))
            except (TypeError, ValueError):
                return None
    return None


def wsgi_app(
    app: App, health: Health | None = None, *, signing_secret: str, metrics: Metrics | None = None
) -> Callable[..., Iterable[bytes]]:
    """Bolt's handler at /slack/events behind the signature and shape checks; with `health`, /health, /ready and
    /metrics beside it (benchmarks and tests of Bolt alone go without)."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    slack = SlackRequestHandler(app, path="/slack/events")
    on_refused = (lambda reason: metrics.refused.labels(reason).inc()) if metrics else (lambda reason: None)
    checked = guarded(slack, signing_secret=signing_secret, on_refused=on_refused)
    return checked if health is None else with_health(health, checked)


def _start_digests(serving: Serving, bot: Bot, client: WebClient) -> threading.Event:
    runner = DigestRunner(
        digests=DigestStore(serving.store.engine),
        store=serving.store,
        knowledge=lambda: bot.kb,
        senders={PLATFORM: SlackSender(client)},
        worker=f"slack:{socket.gethostname()}:{os.getpid()}",
        clock=utc_now,
        observe=serving.metrics.observe_digest,
    )
    stop = threading.Event()
    threading.Thread(target=runner.run_forever, args=(stop,), name="digests", daemon=True).start()
    return stop


def _ask_slack(settings: SlackSettings, method: str, variable: str, token: str) -> dict[str, Any]:
    """One call of the Web API before serving, tried once; ConfigError in one line naming `variable` when Slack
    refuses it or cannot be reached."""
    api_url = settings.api_url
    # Its own client: one try, and slack_sdk's own error line kept out of the log (the caller tells it once).
    quiet = logging.getLogger(f"{__name__}.start_up")
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(token=token, base_url=api_url, retry_handlers=[], logger=quiet, timeout=15)
    try:
        answer = client.api_call(method).data
        return answer if isinstance(answer, dict) else {}
    except SlackApiError as error:
        problem = error.response.get("error", "unknown_error") if isinstance(error.response.data, dict) else "?"
        raise ConfigError(f"Slack refused {variable}: {problem} ({method} at {api_url}).") from error
    except OSError as error:
        reason = getattr(error, "reason", None) or error
        reason = getattr(reason, "strerror", None) or reason
        raise ConfigError(f"cannot reach the Slack API at {api_url}: {reason}.") from error


def check_slack(settings: SlackSettings) -> None:
    """Ask Slack who the token is (auth.test) before serving; ConfigError in one line when that fails."""
    _ask_slack(settings, "auth.test", "SLACK_BOT_TOKEN", settings.bot_token)


def check_socket_mode(settings: SlackSettings) -> None:
    """Ask Slack for a Socket Mode address with the app-level token (apps.connections.open) before loading
    anything, so a refused or revoked token is told within a second; the address itself is not used."""
    assert settings.app_token is not None
    answer = _ask_slack(settings, "apps.connections.open", "SLACK_APP_TOKEN", settings.app_token)
    if not answer.get("url"):
        raise ConfigError(f"Slack gave no Socket Mode address (apps.connections.open at {settings.api_url}).")


def _connect_socket(handler: Any, sdk_log: logging.Logger) -> None:
    """The first Socket Mode connection: made, or ConfigError in one line saying why. slack_sdk only logs a
    failed connection and keeps retrying; at start-up that would be a process alive that never answers."""
    errors: list[Exception] = []
    handler.client.on_error_listeners.append(errors.append)
    # Until connected: its error lines (several per failure) become the one line below, and no reconnecting
    # thread races the exit (a successful connect turns reconnecting back on by itself).
    sdk_log.setLevel(logging.CRITICAL)
    handler.client.auto_reconnect_enabled = False
    try:
        handler.connect()
        problem = None if handler.client.is_connected() else (errors[-1] if errors else "not connected")
    except (SlackApiError, OSError, KeyError) as error:
        problem = error.response.get("error") if isinstance(error, SlackApiError) else error
    handler.client.on_error_listeners.remove(errors.append)
    if problem is not None:
        handler.close()
        raise ConfigError(f"cannot open the Socket Mode connection to Slack: {problem}.")
    sdk_log.setLevel(logging.NOTSET)


def main(argv: list[str]) -> int:
    """`briefbot slack serve --http|--socket` and `briefbot slack manifest`; returns the exit code."""
    return run(slack_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """`briefbot slack …` with its arguments parsed: every setting checked before anything is loaded."""
    try:
        if args.slack_action == "manifest":
            commands = _commands_from_env()
            print(
                json.dumps(manifest(commands=commands, socket_mode=args.socket, request_url=args.request_url), indent=2)
            )
            return EXIT_OK
        settings = SlackSettings.from_env(socket_mode=args.socket)
    except (ConfigError, ManifestError) as error:
        print(f"briefbot slack: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _serve(args, settings)
    except (ConfigError, BriefbotError) as error:
        print(f"briefbot slack: {error}", file=sys.stderr)
        return EXIT_FAILURE


def _serve(args: argparse.Namespace, settings: SlackSettings) -> int:
    """Every start-up check before the knowledge base is loaded, so a mistake is told within a second."""
    port = None if args.socket else port_from_env("PORT", 3000)
    extra_port = health_port() if args.socket else None
    check_slack(settings)
    if args.socket:
        check_socket_mode(settings)
    client = make_client(settings)
    server = None
    if port is not None:
        # Bound before loading, so a port in use is told at once; requests wait until the app is ready.
        server_app: list[Callable[..., Iterable[bytes]]] = []
        server = make_server(lambda environ, start: server_app[0](environ, start), port=port)
    serving = start_serving()
    bot = serving.bot()
    serving.live.start()
    app = create_app(bot, settings, client=client)
    if not args.no_digests:
        _start_digests(serving, bot, make_client(settings, retries=False))
    if args.socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        sdk_log = logging.getLogger(f"{__name__}.socket_mode")
        handler = SocketModeHandler(app, settings.app_token, logger=sdk_log)
        serving.health.checks["socket"] = handler.client.is_connected
        if extra_port is not None:
            start_health_server(serving.health, port=extra_port)
        log.info("connecting to Slack in Socket Mode")
        _connect_socket(handler, sdk_log)
        log.info("connected to Slack in Socket Mode")
        # Later drops are slack_sdk's to mend: it reconnects by itself, and /ready says "not ready" meanwhile.
        threading.Event().wait()
        return EXIT_OK
    assert server is not None and settings.signing_secret is not None
    server_app.append(wsgi_app(app, serving.health, signing_secret=settings.signing_secret, metrics=serving.metrics))
    log.info("serving Slack HTTP requests on port %d", port)
    server.run()
    return EXIT_OK
