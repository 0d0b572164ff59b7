"""Platform secrets, from the environment only; a missing or malformed one names the variable, never the value."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from knowledge.lists.download import on_this_machine

__all__ = ["ConfigError", "endpoint", "secret"]


class ConfigError(Exception):
    """Start-up cannot go on: the message is one line and safe to print."""


def secret(name: str, *, pattern: str, what: str) -> str:
    """The value of environment variable `name`, checked against `pattern` (a regex for its shape)."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: export it with {what}.")
    if re.fullmatch(pattern, value) is None:
        raise ConfigError(f"{name} does not look like {what} (check that the whole value was copied).")
    return value


def endpoint(name: str, default: str) -> str:
    """The platform address in environment variable `name` (a proxy, or a stand-in in tests), else `default`.

    The bot's token goes to it, so it must be encrypted (https, wss) unless it stays on this machine (loopback)."""
    value = os.environ.get(name, "").strip() or default
    parts = urlsplit(value)
    loopback = on_this_machine(parts.hostname)
    if (parts.scheme in ("https", "wss") and parts.hostname) or (parts.scheme in ("http", "ws") and loopback):
        return value
    raise ConfigError(
        f"{name} must be an https:// (or wss://) address, or http:// on this machine (loopback): "
        "the bot's token is sent to it."
    )
