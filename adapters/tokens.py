"""Platform secrets and addresses, from the settings (the environment or `.env`); a missing or malformed one names
the variable, never the value."""

from __future__ import annotations

from urllib.parse import urlsplit

from adapters.settings import setting
from knowledge.errors import UsageError

__all__ = ["ConfigError", "endpoint", "secret"]


class ConfigError(Exception):
    """Start-up cannot go on: the message is one line and safe to print."""


def _read(name: str) -> object:
    try:
        return setting(name)
    except UsageError as error:
        raise ConfigError(str(error)) from None


def secret(name: str, *, what: str) -> str:
    """The value of the secret setting `name` (its shape checked when the settings were read)."""
    value = _read(name)
    if value is None:
        raise ConfigError(f"{name} is not set: export it (or put it in the .env file) with {what}.")
    return value.get_secret_value()  # type: ignore[attr-defined]


def endpoint(name: str, default: str) -> str:
    """The platform address in setting `name` (a proxy, or a stand-in in tests), else `default`.

    The bot's token goes to it, so it must be encrypted (https, wss) unless it stays on this machine (loopback)."""
    from knowledge.lists.download import on_this_machine  # its HTTP modules, only where an address is checked

    value = str(_read(name) or "").strip() or default
    parts = urlsplit(value)
    loopback = on_this_machine(parts.hostname)
    if (parts.scheme in ("https", "wss") and parts.hostname) or (parts.scheme in ("http", "ws") and loopback):
        return value
    raise ConfigError(
        f"{name} must be an https:// (or wss://) address, or http:// on this machine (loopback): "
        "the bot's token is sent to it."
    )
