"""Turns command text into a command name and arguments, and parses the dates and windows users type."""

from __future__ import annotations

import datetime as dt
import re

from bot.errors import UsageError
from knowledge.names.normalise import clean_text

__all__ = ["MAX_INPUT_LENGTH", "MAX_NAME_LENGTH", "parse_date", "split_command"]

# Longer than any real question; a paste of a whole document is refused rather than searched.
MAX_INPUT_LENGTH = 500
MAX_NAME_LENGTH = 200
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMMAND = re.compile(r"^/([A-Za-z][\w-]*)")


def split_command(text: str) -> tuple[str, str]:
    """("who", "i-Soon") from "/who i-Soon"; text without a leading slash is a question for /ask."""
    if len(text) > MAX_INPUT_LENGTH * 4:
        # Checked before cleaning, so a huge paste costs nothing to refuse.
        raise UsageError(_too_long(len(text)))
    cleaned = clean_text(text)
    if len(cleaned) > MAX_INPUT_LENGTH:
        raise UsageError(_too_long(len(cleaned)))
    match = _COMMAND.match(cleaned)
    if match is None:
        if cleaned.startswith("/"):
            raise UsageError("That is not a command I know. Type /help for the list.")
        return "ask", cleaned
    return match.group(1).lower(), cleaned[match.end() :].strip()


def _too_long(length: int) -> str:
    return f"That message is {length:,} characters long; please keep it under {MAX_INPUT_LENGTH} characters."


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, or a UsageError saying what is wrong with it."""
    match = _DATE.match(text.strip())
    if match is None:
        raise UsageError(f"{text!r} is not a date I can read; write dates as YYYY-MM-DD, e.g. 2025-12-09.")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise UsageError(f"{text!r} is not a real date ({error}); write dates as YYYY-MM-DD.") from None
