"""The Slack app manifest for "create an app from a manifest": commands, scopes, events, Socket Mode or HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["DEFAULT_COMMANDS", "RESERVED", "SCREENING_COMMANDS", "ManifestError", "check_command_names", "manifest"]

# Slack keeps these for its own built-in commands; a manifest naming one is rejected whole.
RESERVED = frozenset(
    """
    /who /status /remind /topic /search /feed /msg /dm /away /active /me /shrug /invite /leave /join /kick /remove
    /mute /dnd /open /archive /collapse /expand /rename /apps /shortcuts /star /call /giphy /part /prefs /feedback
    /help /keys /pinned /saved
    """.split()
)
# Bot command -> Slack command. On Slack, /who is typed /whois or /brief who.
DEFAULT_COMMANDS: dict[str, str] = {
    "brief": "/brief",
    "who": "/whois",
    "related": "/related",
    "sanctions": "/sanctions",
    "digest": "/digest",
    "ask": "/ask",
    "screen": "/screen",
}
# Commands with listeners of their own (adapters/slack_screening.py), not the bot's text commands.
SCREENING_COMMANDS = frozenset({"screen"})
_DESCRIPTIONS = {
    "brief": ("Brief me: /brief who i-Soon, /brief related Salt Typhoon, or just /brief i-Soon", "[command] NAME"),
    "who": ("The briefing card of a sanctioned entity, with sources", "NAME"),
    "related": ("What an entity or operation is linked to", "NAME"),
    "sanctions": ("Designations in a window: authority, regime, since", "[UK|US|UN] [REGIME] [since YYYY-MM-DD]"),
    "digest": ("This channel's daily sanctions digest", "subscribe|unsubscribe|settings|preview|now"),
    "ask": ("Ask in plain words: who was sanctioned over Salt Typhoon?", "QUESTION"),
    "screen": ("Screen names against the lists, one a line; or upload a CSV/XLSX saying “screen”", "NAMES | deciders"),
}


class ManifestError(ValueError):
    """A command name Slack would refuse; the message says which and why."""


def check_command_names(commands: Mapping[str, str]) -> None:
    for bot_command, slack_command in commands.items():
        if not slack_command.startswith("/") or len(slack_command) > 32 or " " in slack_command:
            raise ManifestError(
                f"{slack_command!r} (for {bot_command}) is not a Slack command name: "
                "'/' and up to 31 characters, no spaces."
            )
        if slack_command.lower() in RESERVED:
            raise ManifestError(
                f"{slack_command} is one of Slack's built-in commands, and Slack rejects a manifest that names one; "
                f"choose another name for {bot_command} (on Slack, /who is typed /whois or /brief who)."
            )


def _check_request_url(url: str) -> None:
    """Slack sends events and commands to HTTPS addresses only, and to a public host name: it refuses others."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(
            f"the request URL must be a public https:// address (Slack calls no other), such as "
            f"https://briefbot.example.org/slack/events; got {url!r}."
        )
    if not parts.path.rstrip("/").endswith("/slack/events"):
        raise ManifestError(f"the request URL must end in /slack/events, where the app listens; got {url!r}.")


def manifest(
    *, commands: Mapping[str, str] = DEFAULT_COMMANDS, socket_mode: bool, request_url: str | None = None
) -> dict[str, Any]:
    """The app manifest; in HTTP mode every request goes to `request_url` (…/slack/events)."""
    check_command_names(commands)
    if not socket_mode and not request_url:
        raise ManifestError("HTTP mode needs the public request URL of the app, ending in /slack/events.")
    if request_url:
        _check_request_url(request_url)
    url = {} if socket_mode else {"url": request_url}
    return {
        "display_information": {
            "name": "briefbot",
            "description": "Sourced briefings on sanctioned entities and the operations they are tied to.",
            "background_color": "#1d3557",
        },
        "features": {
            "bot_user": {"display_name": "briefbot", "always_online": True},
            "app_home": {"messages_tab_enabled": True, "messages_tab_read_only_enabled": False},
            "slash_commands": [
                {
                    "command": slack_command,
                    "description": _DESCRIPTIONS[bot_command][0],
                    "usage_hint": _DESCRIPTIONS[bot_command][1],
                    # /screen deciders @group needs the group's id, which Slack gives only in escaped text.
                    "should_escape": bot_command in SCREENING_COMMANDS,
                    **url,
                }
                for bot_command, slack_command in commands.items()
            ],
            "shortcuts": [
                {
                    "name": "Brief me on this",
                    "type": "message",
                    "callback_id": "brief_message",
                    "description": "Sourced briefs on the sanctioned entities this message names, just for you",
                }
            ],
        },
        "oauth_config": {
            "scopes": {
                "bot": [
                    "commands",
                    "chat:write",
                    # Pictures and exported briefs are uploaded as files; exports go to the asker's DM.
                    "files:write",
                    "im:write",
                    "app_mentions:read",
                    "im:history",
                    # Thread replies to the bot in channels, and reading a thread to see whether it takes part.
                    "channels:history",
                    "groups:history",
                    "users:read",
                    "channels:read",
                    "groups:read",
                    # /screen: the CSV or XLSX files shared to be screened, and who is in the user groups that may
                    # decide on hits.
                    "files:read",
                    "usergroups:read",
                ]
            }
        },
        "settings": {
            "event_subscriptions": {
                "bot_events": ["app_mention", "message.im", "message.channels", "message.groups"],
                **({"request_url": request_url} if request_url else {}),
            },
            "interactivity": {"is_enabled": True, **url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
