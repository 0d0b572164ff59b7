"""The digest delivery loop: find due subscriptions, claim each period, send through a platform sender, record it."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.digest.render import DEFAULT_LINES, render_digest
from bot.digest.schedule import due_period
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription, matches
from bot.reply import Reply
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError
from knowledge.lists.freshness import list_ages
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState

__all__ = ["ChannelGone", "Composed", "DigestRunner", "SendFailed", "Sender"]

log = logging.getLogger(__name__)

# A sender that dies holding a claim loses it after this; another process then sends that digest.
DEFAULT_LEASE = dt.timedelta(minutes=5)
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF_SECONDS = 2.0
# How long one send may take when the sender does not say (its HTTP time-out); used to keep retries in the lease.
DEFAULT_SEND_TIMEOUT_S = 30.0
# The share of the lease a digest's attempts may use: the rest is margin for composing and recording it.
LEASE_SHARE = 0.8


class SendFailed(BriefbotError):
    """A send that may work if tried again (a time-out, a rate limit); `retry_after` is the platform's wish."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.attempts = 1


class ChannelGone(BriefbotError):
    """The channel no longer exists or no longer lets the bot post: its subscription is disabled."""


class Sender(Protocol):
    """What a platform adapter gives the loop: how many lines fit in one message, and how to post one."""

    max_lines: int
    # Senders may also declare `timeout` (seconds one send may take; the loop retries only while it fits the lease)
    # and `max_attempts` (1 when the platform's client retries by itself, so that only one policy applies).

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        """Post `reply` to the subscription's channel; `key` is the same for every retry of one digest."""


@dataclass(frozen=True, slots=True)
class Composed:
    reply: Reply
    first_event_id: int
    last_event_id: int
    matched: int


@dataclass
class DigestRunner:
    """One per process; any number may run against one store: claims keep each digest to one sender."""

    digests: DigestStore
    store: Store
    knowledge: Callable[[], KnowledgeBase]
    senders: Mapping[str, Sender]
    worker: str
    clock: Callable[[], dt.datetime]
    sleep: Callable[[float], None] = time.sleep
    lease: dt.timedelta = DEFAULT_LEASE
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF_SECONDS
    # Run at the start of each pass, before digests are composed: the clock process's scheduled list refresh.
    before_pass: Callable[[], object] | None = None
    # Told of each digest's outcome (sent, quiet, failed, disabled, lost): how adapters count them.
    observe: Callable[[str], None] | None = None
    monotonic: Callable[[], float] = time.monotonic

    def compose(self, subscription: Subscription, *, max_lines: int = DEFAULT_LINES, now: dt.datetime) -> Composed:
        """The digest the subscription would get now: the events after its cursor that it follows."""
        kb = self.knowledge()
        events = self.store.events(after_id=subscription.cursor)
        last = events[-1].id if events else subscription.cursor
        chosen = [e for e in events if matches(e, subscription.filters, kb)]
        since = self.digests.last_delivery(subscription.id) if subscription.id else None
        statuses = RefreshState(self.store.engine, migrated=True).statuses()
        ages = list_ages(self.store.active(), now=now, statuses=statuses)
        reply = render_digest(chosen, kb, subscription, since=since, now=now, max_lines=max_lines, ages=ages)
        first = events[0].id if events else subscription.cursor
        return Composed(reply, first, last, len(chosen))

    def run_once(self) -> list[str]:
        """Send every digest due now that no other process has claimed; returns what happened, for logs."""
        if self.before_pass is not None:
            try:
                self.before_pass()
            except Exception:  # a failing refresh must never stop the digests
                log.exception("the list refresh before the digests failed; sending the digests anyway")
        now = self.clock()
        outcomes = []
        for subscription in self.digests.enabled():
            sender = self.senders.get(subscription.platform)
            if sender is None or subscription.id is None:
                continue  # another process serves that platform
            period = due_period(subscription, now, self.digests.delivered_periods(subscription.id))
            if period is None:
                continue
            if not self.digests.claim(subscription.id, period, worker=self.worker, now=now, lease=self.lease):
                continue
            outcome = self._deliver(subscription, period, sender, now)
            if self.observe is not None:
                self.observe(outcome.split()[0])
            outcomes.append(outcome)
        return outcomes

    def _deliver(self, subscription: Subscription, period: str, sender: Sender, now: dt.datetime) -> str:
        assert subscription.id is not None
        where = f"{subscription.platform} channel {subscription.channel} (subscription {subscription.id}, {period})"
        composed = self.compose(subscription, max_lines=sender.max_lines, now=now)
        send = composed.matched > 0 or subscription.heartbeat
        if send:
            try:
                self._send(sender, subscription, composed.reply, key=f"digest:{subscription.id}:{period}")
            except ChannelGone as error:
                log.warning("digest for %s: the channel is gone (%s); subscription disabled", where, error)
                self.digests.disable(subscription.id, str(error), now=now)
                self.digests.release(subscription.id, period, worker=self.worker)
                return f"disabled {subscription.id}"
            except SendFailed as error:
                log.error("digest for %s not sent after %d attempts: %s; will retry", where, error.attempts, error)
                self.digests.release(subscription.id, period, worker=self.worker)
                return f"failed {subscription.id}"
        recorded = self.digests.record(
            subscription.id,
            period,
            worker=self.worker,
            now=self.clock(),
            first_event_id=composed.first_event_id,
            last_event_id=composed.last_event_id,
            matched=composed.matched,
            sent=send,
        )
        if not recorded:
            # Our lease ran out while sending and another process took the claim over.
            log.warning("digest for %s: claim lost before recording; the other sender records it", where)
            return f"lost {subscription.id}"
        log.info("digest for %s: %d change(s), %s", where, composed.matched, "sent" if send else "nothing to send")
        return f"{'sent' if send else 'quiet'} {subscription.id}"

    def _send(self, sender: Sender, subscription: Subscription, reply: Reply, *, key: str) -> None:
        """The only retry policy of a send (senders' clients retry nothing themselves): at most `retries`
        attempts, all inside LEASE_SHARE of the lease, so no other process takes the claim over and sends it twice."""
        budget = self.lease.total_seconds() * LEASE_SHARE
        per_attempt = float(getattr(sender, "timeout", DEFAULT_SEND_TIMEOUT_S))
        attempts = min(self.retries, int(getattr(sender, "max_attempts", self.retries)))
        started = self.monotonic()
        for attempt in range(1, attempts + 1):
            try:
                sender.send(subscription, reply, key=key)
                return
            except SendFailed as error:
                error.attempts = attempt
                if attempt == attempts:
                    raise
                wait = error.retry_after if error.retry_after is not None else self.backoff * 2 ** (attempt - 1)
                left = budget - (self.monotonic() - started)
                if wait + per_attempt > left:
                    error.args = (f"{error}; waiting {wait:.0f} s to send again would outlast the claim",)
                    raise
                log.warning("digest send attempt %d failed (%s); retrying in %.1f s", attempt, error, wait)
                self.sleep(wait)

    def run_forever(self, stop: threading.Event, *, interval: float = 60.0) -> None:
        """Wake each minute until `stop` is set; a failing pass is logged and the loop goes on."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("digest pass failed; trying again in %.0f s", interval)
            stop.wait(interval - (time.time() % interval))
