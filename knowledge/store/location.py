"""Where the store is: its SQLAlchemy URL, and the file of an SQLite store, found without importing SQLAlchemy."""

from __future__ import annotations

import re
from pathlib import Path

from platformdirs import user_data_dir

from knowledge.settings import settings

__all__ = ["database_url", "sqlite_file"]

# An SQLite URL whose path SQLAlchemy reads as written and renders back unchanged (a test holds it to that): any
# other character (%, ?, @, :, non-ASCII…) is escaped or parsed by SQLAlchemy, so such a URL is left to it.
_PLAIN_SQLITE = re.compile(r"sqlite:///([A-Za-z0-9 ._/+~-]+)")


def database_url(location: str | None = None) -> str:
    """The store's SQLAlchemy URL: `location`, else BRIEFBOT_DB, else a file in the user's data directory."""
    location = location or settings().db or ""
    if "://" in location:
        return location
    path = Path(location) if location else Path(user_data_dir("briefbot")) / "briefbot.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite store named by a plain `sqlite:///PATH` URL, where SQLAlchemy would open that same
    file and render the URL as given; None for any other URL."""
    match = _PLAIN_SQLITE.fullmatch(url)
    return Path(match.group(1)) if match else None
