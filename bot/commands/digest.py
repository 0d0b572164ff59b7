"""/digest subscribe|unsubscribe|settings|preview|now: a channel's daily digest of changes on the lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.context import Context
from bot.errors import UsageError
from bot.registry import Option, command
from bot.reply import Fact, Reply, Status

if TYPE_CHECKING:
    from bot.digest.delivery import DigestRunner
    from bot.digest.store import DigestStore
    from bot.digest.subscriptions import Subscription
    from knowledge.store.database import Store

__all__ = ["DIGEST"]

USAGE = "/digest subscribe|unsubscribe|settings|preview|now"
ACTIONS = ("subscribe", "unsubscribe", "settings", "preview", "now")
# Who may change a channel's subscription is the platform's to say (the adapter passes can_manage_channel).
_MANAGING = frozenset({"subscribe", "unsubscribe", "now"})


def _stores(context: Context) -> tuple[Store, DigestStore]:
    if context.store is None or context.digests is None:
        raise UsageError("Digests need the store, and this bot runs without one.")
    return context.store, context.digests


def _channel(context: Context) -> tuple[str, str, str]:
    request = context.request
    if not request.channel:
        raise UsageError("Digests are per channel; ask in the channel that should get them.")
    return request.platform, request.workspace or "-", request.channel


def _settings_reply(subscription: Subscription, title: str) -> Reply:
    return Reply(
        command="digest",
        query="settings",
        status=Status.OK,
        title=title,
        facts=[Fact(label="Digest", value=subscription.describe())],
    )


def _runner(context: Context, store: Store, digests: DigestStore) -> DigestRunner:
    # Imported when a digest is made: the delivery code reads the store through SQLAlchemy, which /who never needs.
    from bot.digest.delivery import DigestRunner

    return DigestRunner(
        digests=digests,
        store=store,
        knowledge=lambda: context.kb,
        senders={},
        worker=f"{context.request.platform}:{context.request.user or 'command'}",
        clock=lambda: context.now,
    )


@command(
    "digest",
    usage=USAGE,
    options=(
        Option("action", "What to do", required=True, choices=ACTIONS),
        Option("settings", "For subscribe: time, time zone, filters (see /help digest)"),
    ),
    examples=(
        "/digest subscribe 08:00 Europe/London",
        "/digest subscribe 07:30 America/New_York US US-CYB mon-fri",
        '/digest subscribe UK country:CN watch:"i-Soon" heartbeat',
        "/digest preview",
    ),
)
def DIGEST(args: str, context: Context) -> Reply:
    """A daily digest of what changed on the official lists, for this channel.

    subscribe [HH:MM] [TIMEZONE] [filters]: every morning (default 08:00 UTC) the new designations, delistings
    and amendments since the last digest. Filters: authority (UK, US, UN, EU), regime key (US-CYB, GB-CYB),
    country:CN, kind (company, person, vessel…), watch:"NAME" (matched with the fuzzy lookup), weekdays
    (mon-fri, daily, mon,wed,fri), heartbeat (a short note on days without changes).
    unsubscribe · settings · preview (what the next digest would say now) · now (send it now).
    Only people allowed to manage the channel may subscribe, unsubscribe or send now.
    """
    # Imported when a digest is asked for: the subscriptions' parsing and models are no part of other commands.
    from bot.digest.subscriptions import SUBSCRIBE_USAGE, parse_subscription

    action, _, rest = args.strip().partition(" ")
    action = action.casefold()
    if action not in ACTIONS:
        raise UsageError(f"Tell me what to do: {USAGE}.", usage=USAGE)
    store, digests = _stores(context)
    platform, workspace, channel = _channel(context)
    if action in _MANAGING and not context.request.can_manage_channel:
        raise UsageError("Only someone allowed to manage this channel may change its digest.")
    current = digests.find(platform, workspace, channel)
    if action == "subscribe":
        wanted = parse_subscription(
            rest, platform=platform, workspace=workspace, channel=channel, user=context.request.user
        )
        if current is None:
            # A new subscription starts from now: its first digest tells what changes from here on.
            wanted = wanted.model_copy(update={"cursor": store.last_event_id()})
        saved = digests.save(wanted, now=context.now)
        return _settings_reply(
            saved,
            "Subscribed: this channel gets the sanctions digest." if current is None else "Digest settings updated.",
        )
    if current is None:
        return Reply(
            command="digest",
            query=action,
            status=Status.NOT_FOUND,
            title="This channel has no digest subscription.",
            subtitle=f"Start one with {SUBSCRIBE_USAGE}",
        )
    if action == "unsubscribe":
        digests.delete(platform, workspace, channel)
        return Reply(command="digest", query=action, status=Status.OK, title="Unsubscribed: no more digests here.")
    if action == "settings":
        state = "" if current.enabled else " (disabled: the bot could not post here)"
        return _settings_reply(current, f"This channel's digest{state}")
    runner = _runner(context, store, digests)
    composed = runner.compose(current, now=context.now)
    if action == "preview":
        return composed.reply.model_copy(update={"command": "digest", "query": "preview"})
    assert current.id is not None
    period = f"now:{context.now:%Y-%m-%dT%H:%M:%S}"
    if not digests.claim(current.id, period, worker=runner.worker, now=context.now, lease=runner.lease):
        raise UsageError("A digest for this channel is being sent right now.")
    delivery = {
        "subscription_id": current.id,
        "period": period,
        "worker": runner.worker,
        "first_event_id": composed.first_event_id,
        "last_event_id": composed.last_event_id,
        "matched": composed.matched,
    }
    return composed.reply.model_copy(
        update={"command": "digest", "query": "now", "in_channel": True, "delivery": delivery}
    )
