"""Platform secrets, from the environment only; a missing or malformed one names the variable, never the value."""

from __future__ import annotations

import os
import re

__all__ = ["ConfigError", "secret"]


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
