"""The refresh from publishers: which lists are due, a conditional fetch of each, and what happened to each one."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from knowledge.errors import BriefbotError
from knowledge.lists.catalogue import CATALOGUE, urls_for
from knowledge.lists.download import (
    DEFAULT_ATTEMPTS,
    DEFAULT_BACKOFF_SECONDS,
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Fetched,
    Progress,
    deadline_setting,
    fetch,
)
from knowledge.lists.masking import mask_text
from knowledge.lists.refresh import RefreshResult, refresh_files
from knowledge.settings import OFF
from knowledge.settings import settings as list_settings
from knowledge.store.database import Store
from knowledge.store.refresh_state import ListStatus, RefreshState, Validators

__all__ = [
    "FetchSettings",
    "ListOutcome",
    "Outcome",
    "RefreshReport",
    "due_sources",
    "next_due",
    "refresh_due",
    "refresh_every",
    "refresh_lists",
    "scheduled_sources",
]

log = logging.getLogger(__name__)

DEFAULT_EVERY = dt.timedelta(hours=6)
# Replicas and installs that all start on the hour would all call the publisher on the hour: each next time is
# moved by up to this share of the interval, either way.
JITTER = 0.1
# After a failure the list is tried again sooner than its interval, but not at every clock tick.
RETRY_AFTER_FAILURE = dt.timedelta(hours=1)
EVERY_VARIABLE = "BRIEFBOT_REFRESH_EVERY"
PASS_LOCK = "refresh-pass"


class Outcome(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    HELD_BACK = "held back"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ListOutcome:
    source: str
    outcome: Outcome
    message: str
    result: RefreshResult | None = None


@dataclass
class RefreshReport:
    """What one refresh of several lists did, list by list; `busy` when another process was already at it."""

    outcomes: list[ListOutcome] = field(default_factory=list)
    busy: bool = False
    off: bool = False

    def of(self, outcome: Outcome) -> list[str]:
        return [o.source for o in self.outcomes if o.outcome is outcome]

    @property
    def failed(self) -> bool:
        return any(o.outcome in (Outcome.FAILED, Outcome.HELD_BACK) for o in self.outcomes)

    def lines(self) -> list[str]:
        if self.off:
            return [f"Scheduled refresh is off ({EVERY_VARIABLE}=off)."]
        if self.busy:
            return ["Another process is refreshing the lists right now; nothing was done here."]
        if not self.outcomes:
            return ["No list is due for a refresh."]
        lines = [o.message for o in self.outcomes]
        summary = [
            f"{label}: {', '.join(names)}"
            for label, names in (
                ("changed", self.of(Outcome.CHANGED)),
                ("unchanged", self.of(Outcome.UNCHANGED)),
                ("held back", self.of(Outcome.HELD_BACK)),
                ("failed", self.of(Outcome.FAILED)),
            )
            if names
        ]
        lines.append("In all: " + "; ".join(summary) + ".")
        return lines


@dataclass(frozen=True, slots=True)
class FetchSettings:
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    # Each list's whole download, retries included (BRIEFBOT_DOWNLOAD_DEADLINE, read when the settings are made).
    deadline: float = field(default_factory=deadline_setting)
    attempts: int = DEFAULT_ATTEMPTS
    backoff: float = DEFAULT_BACKOFF_SECONDS
    sleep: Callable[[float], None] = time.sleep
    progress: Callable[[str], Progress] | None = None


def refresh_every(source: str) -> dt.timedelta | None:
    """How often a list is refreshed: BRIEFBOT_REFRESH_EVERY_<LIST>, else BRIEFBOT_REFRESH_EVERY, else 6 hours;
    None when off."""
    return list_settings().refresh_interval(source)


def scheduled_sources() -> list[str]:
    """The default set, and any other list given its own address or interval in the environment."""
    own = list_settings()
    return [name for name in CATALOGUE if CATALOGUE[name].in_default_set or own.has_own_schedule(name)]


def next_due(source: str, status: ListStatus | None, every: dt.timedelta) -> dt.datetime | None:
    """When a list is next due: its interval after the last attempt (an hour after a failure), moved by a jitter
    that is fixed for that attempt, so the time does not change from one look to the next; None: due now.
    Computed from the interval set now, so a changed BRIEFBOT_REFRESH_EVERY counts at once."""
    if status is None or status.last_attempt is None:
        return None
    if status.last_error is not None and status.last_success != status.last_attempt:
        return status.last_attempt + min(every, RETRY_AFTER_FAILURE)
    seed = hashlib.blake2b(f"{source}@{status.last_attempt.isoformat()}".encode(), digest_size=8).digest()
    spread = int.from_bytes(seed, "big") / 2**64 * 2 - 1  # in [-1, 1)
    return status.last_attempt + every * (1 + JITTER * spread)


def due_sources(store: Store, *, now: dt.datetime) -> list[str]:
    """The scheduled lists whose next refresh time has come (a list never tried is due at once)."""
    statuses = RefreshState(store.engine, migrated=True).statuses()
    due = []
    for source in scheduled_sources():
        every = refresh_every(source)
        if every is None:
            continue
        when = next_due(source, statuses.get(source), every)
        if when is None or when <= now:
            due.append(source)
    return due


def refresh_due(store: Store, *, now: dt.datetime, settings: FetchSettings | None = None) -> RefreshReport:
    """The scheduled pass (`briefbot refresh --due`, the clock process): every due list, one replica at a time."""
    if list_settings().refresh_every == OFF:
        return RefreshReport(off=True)
    with store.exclusive(PASS_LOCK) as mine:
        if not mine:
            return RefreshReport(busy=True)
        return refresh_lists(store, due_sources(store, now=now), now=now, settings=settings)


def refresh_lists(
    store: Store,
    sources: list[str],
    *,
    now: dt.datetime,
    settings: FetchSettings | None = None,
    accept_removals: bool = False,
) -> RefreshReport:
    """Refresh each list from its publisher in turn; a failing one is recorded and the others go on.

    `accept_removals` is a person's decision (`briefbot refresh --accept-removals`); the scheduled pass never
    passes it, so a snapshot the removal guard holds back waits for one."""
    settings = settings or FetchSettings()
    state = RefreshState(store.engine, migrated=True)
    report = RefreshReport()
    for source in sources:
        outcome = _refresh_one(store, state, source, now=now, settings=settings, accept_removals=accept_removals)
        every = refresh_every(source) or DEFAULT_EVERY
        failed = outcome.outcome in (Outcome.FAILED, Outcome.HELD_BACK)
        error = outcome.message if failed else None
        attempt = ListStatus(source, last_attempt=now, last_success=None if failed else now, last_error=error)
        (log.warning if failed else log.info)("refresh of %s: %s", source, outcome.message)
        state.record(
            source,
            now=now,
            next_due=next_due(source, attempt, every),
            error=error,
            result=outcome.outcome.value if failed else outcome.message,
        )
        report.outcomes.append(outcome)
    return report


def _refresh_one(
    store: Store,
    state: RefreshState,
    source: str,
    *,
    now: dt.datetime,
    settings: FetchSettings,
    accept_removals: bool = False,
) -> ListOutcome:
    addresses = urls_for(source)
    current = store.in_use(source)
    in_use = current if current is not None and not current.bundled else None
    # Validators count only for the copy in use: after a manual load, the publisher's "not modified" says nothing.
    known = state.validators(source, in_use.content_hash) if in_use else {}
    try:
        with tempfile.TemporaryDirectory(prefix="briefbot-") as folder:
            fetched = [_fetch(address, Path(folder), known.get(address), settings) for address in addresses]
            if all(f.not_modified for f in fetched):
                return ListOutcome(
                    source, Outcome.UNCHANGED, f"{source}: unchanged (the publisher reports no newer copy)."
                )
            # Part of a set changed: the parts not sent again are fetched whole, so the set is read as one.
            fetched = [f if not f.not_modified else _fetch(f.url, Path(folder), None, settings) for f in fetched]
            paths = [f.path for f in fetched if f.path is not None]
            result = refresh_files(
                store,
                source,
                paths,
                now=now,
                origin=" ".join(addresses),
                last_modified=_newest_last_modified(fetched),
                accept_removals=accept_removals,
                downloaded=True,
            )
    except BriefbotError as error:
        # A publisher's address may carry a token: errors name it masked.
        return ListOutcome(source, Outcome.FAILED, f"{source}: failed: {mask_text(str(error))}")
    except Exception as error:  # an unforeseen failure of one list must not stop the others, nor go unrecorded
        log.exception("refresh of %s failed unexpectedly", source)
        return ListOutcome(source, Outcome.FAILED, f"{source}: failed: {type(error).__name__} (see the log)")
    # A snapshot the removal guard holds back is not in use: a scheduled refresh never takes it on its own.
    if result.held_back:
        return ListOutcome(source, Outcome.HELD_BACK, f"{source}: held back: {result.describe()}", result)
    state.save_validators(
        source, result.snapshot.content_hash, {f.url: Validators(f.etag, f.last_modified) for f in fetched}
    )
    outcome = Outcome.UNCHANGED if result.unchanged else Outcome.CHANGED
    return ListOutcome(source, outcome, result.describe(), result)


def _newest_last_modified(fetched: list[Fetched]) -> dt.datetime | None:
    """The publisher's date of a set of files: the newest HTTP Last-Modified among them, where they state one."""
    dates = []
    for item in fetched:
        if item.last_modified:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                stated = email.utils.parsedate_to_datetime(item.last_modified)
                dates.append(stated if stated.tzinfo else stated.replace(tzinfo=dt.UTC))
    return max(dates, default=None)


def _fetch(address: str, folder: Path, known: Validators | None, settings: FetchSettings) -> Fetched:
    filename = Path(urlparse(address).path).name or "list.download"
    return fetch(
        address,
        folder / filename,
        etag=known.etag if known else None,
        last_modified=known.last_modified if known else None,
        max_bytes=settings.max_bytes,
        timeout=settings.timeout,
        deadline=settings.deadline,
        attempts=settings.attempts,
        backoff=settings.backoff,
        sleep=settings.sleep,
        progress=settings.progress(filename) if settings.progress else None,
    )
