"""Digest subscriptions: what a channel follows, when it wants it, and which change events match."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from bot.errors import UsageError
from knowledge.authorities import AUTHORITIES, find_authority, find_regime
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import LIST_AUTHORITY
from knowledge.lists.changes import ChangeEvent
from knowledge.merge import regime_for_programme
from knowledge.models import EntityKind

__all__ = [
    "DEFAULT_TIME",
    "DigestFilters",
    "Subscription",
    "event_authority",
    "event_regimes",
    "matches",
    "parse_subscription",
]

DEFAULT_TIME = dt.time(8, 0)
DEFAULT_TIMEZONE = "UTC"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SUBSCRIBE_USAGE = (
    "/digest subscribe [HH:MM] [TIMEZONE] [UK|US|UN|EU] [REGIME e.g. US-CYB] [country:CN] [company|person|vessel…] "
    '[watch:"NAME"] [mon-fri|daily|mon,wed,fri] [heartbeat]'
)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_KIND_WORDS = {kind.value: kind.value for kind in EntityKind} | {
    "companies": "company",
    "people": "person",
    "persons": "person",
    "individual": "person",
    "vessels": "vessel",
    "ships": "vessel",
    "ship": "vessel",
}


class DigestFilters(BaseModel):
    """What a channel follows: every category given must match; within one, any value may."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    authorities: tuple[str, ...] = ()
    regimes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    watch: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.authorities:
            parts.append("authority " + " or ".join(AUTHORITIES[a].label for a in self.authorities))
        if self.regimes:
            parts.append("regime " + " or ".join(self.regimes))
        if self.countries:
            parts.append("country " + " or ".join(self.countries))
        if self.kinds:
            parts.append("kind " + " or ".join(self.kinds))
        if self.watch:
            parts.append("watching " + ", ".join(f"“{w}”" for w in self.watch))
        return "; ".join(parts) or "everything on the lists"


class Subscription(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = None
    platform: str
    workspace: str
    channel: str
    time: dt.time = DEFAULT_TIME
    timezone: str = DEFAULT_TIMEZONE
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    filters: DigestFilters = Field(default_factory=DigestFilters)
    heartbeat: bool = False
    enabled: bool = True
    # The last change event a delivered digest covered; the next digest starts after it.
    cursor: int = 0
    created_by: str | None = None
    created_at: dt.datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        days = "every day" if len(self.weekdays) == 7 else ", ".join(WEEKDAYS[d].title() for d in self.weekdays)
        heartbeat = "; a short note on days without changes" if self.heartbeat else "; nothing on days without changes"
        return f"{self.time:%H:%M} {self.timezone}, {days}; {self.filters.describe()}{heartbeat}"


def _weekdays(word: str) -> tuple[int, ...] | None:
    word = word.casefold()
    if word in ("daily", "everyday"):
        return tuple(range(7))
    if word in ("weekdays", "workdays"):
        return (0, 1, 2, 3, 4)
    if word == "weekends":
        return (5, 6)
    ranged = re.fullmatch(r"([a-z]{3})-([a-z]{3})", word)
    if ranged and {ranged.group(1), ranged.group(2)} <= set(WEEKDAYS):
        start, end = WEEKDAYS.index(ranged.group(1)), WEEKDAYS.index(ranged.group(2))
        return tuple(range(start, end + 1)) if start <= end else (*range(start, 7), *range(0, end + 1))
    listed = word.split(",")
    if all(day in WEEKDAYS for day in listed):
        return tuple(sorted({WEEKDAYS.index(day) for day in listed}))
    return None


def parse_subscription(args: str, *, platform: str, workspace: str, channel: str, user: str | None) -> Subscription:
    """A subscription from the words after /digest subscribe; a UsageError says which word is wrong."""
    try:
        words = shlex.split(args)
    except ValueError:
        raise UsageError("A quotation mark is not closed.", usage=SUBSCRIBE_USAGE) from None
    settings: dict = {"platform": platform, "workspace": workspace, "channel": channel, "created_by": user}
    found: dict[str, list[str]] = {"authorities": [], "regimes": [], "countries": [], "kinds": [], "watch": []}
    for word in words:
        lowered = word.casefold()
        if _TIME.match(word):
            hour, minute = word.split(":")
            settings["time"] = dt.time(int(hour), int(minute))
        elif re.fullmatch(r"\d{1,2}:\d{2}", word):
            raise UsageError(f"{word!r} is not a time of day; use HH:MM from 00:00 to 23:59.", usage=SUBSCRIBE_USAGE)
        elif "/" in word or lowered in ("utc", "gmt"):
            try:
                ZoneInfo(word if lowered not in ("utc", "gmt") else "UTC")
            except (ZoneInfoNotFoundError, ValueError, OSError):
                # OSError: a folder of zones (America/Argentina) rather than a zone; its message names a path.
                raise UsageError(
                    f"{word!r} is not a time zone I know; use an IANA name such as Europe/London.",
                    usage=SUBSCRIBE_USAGE,
                ) from None
            settings["timezone"] = word if lowered not in ("utc", "gmt") else "UTC"
        elif lowered.startswith("country:") and len(word) == len("country:") + 2:
            found["countries"].append(word[-2:].upper())
        elif lowered.startswith("watch:") and word[6:].strip():
            found["watch"].append(word[6:].strip())
        elif lowered == "heartbeat":
            settings["heartbeat"] = True
        elif (days := _weekdays(word)) is not None:
            settings["weekdays"] = days
        elif lowered in _KIND_WORDS:
            found["kinds"].append(_KIND_WORDS[lowered])
        elif (authority := find_authority(word)) is not None:
            found["authorities"].append(authority.key)
        elif regimes := find_regime(word):
            found["regimes"] += [r.key for r in regimes]
        elif re.fullmatch(r"[A-Z]{2}-[A-Z0-9-]+", word.upper()):
            found["regimes"].append(word.upper())
        else:
            raise UsageError(f"I don't understand {word!r} in a subscription.", usage=SUBSCRIBE_USAGE)
    filters = DigestFilters(**{k: tuple(dict.fromkeys(v)) for k, v in found.items()})
    return Subscription(**settings, filters=filters)


def event_authority(event: ChangeEvent) -> str | None:
    return event.authority or LIST_AUTHORITY.get(event.source)


def event_regimes(event: ChangeEvent) -> set[str]:
    authority = event_authority(event)
    regimes = {regime_for_programme(authority, p) for p in event.programmes} if authority else set()
    return regimes | ({event.regime} if event.regime else set())


def matches(event: ChangeEvent, filters: DigestFilters, kb: KnowledgeBase) -> bool:
    """Whether a change event is one the channel follows; watch terms match the name with the lookup's scorer."""
    if filters.authorities and event_authority(event) not in filters.authorities:
        return False
    if filters.regimes and not (event_regimes(event) & set(filters.regimes)):
        return False
    if filters.countries and event.country not in filters.countries:
        return False
    if filters.kinds and event.entity_kind not in filters.kinds:
        return False
    return not filters.watch or any(kb.index.query_matches(term, event.entity_name).match for term in filters.watch)
