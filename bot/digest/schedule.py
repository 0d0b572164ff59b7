"""When a subscription's digest is due: a pure function of the subscription and the clock."""

from __future__ import annotations

import datetime as dt

from bot.digest.subscriptions import Subscription

__all__ = ["due_period", "latest_slot"]

# A week back always reaches an allowed weekday when there is one.
_LOOKBACK_DAYS = 8


def latest_slot(subscription: Subscription, now: dt.datetime) -> dt.datetime | None:
    """The most recent scheduled time, in the subscription's zone, at or before `now`."""
    local_now = now.astimezone(subscription.zone)
    for back in range(_LOOKBACK_DAYS):
        day = local_now.date() - dt.timedelta(days=back)
        if day.weekday() not in subscription.weekdays:
            continue
        slot = dt.datetime.combine(day, subscription.time, tzinfo=subscription.zone)
        if slot <= local_now:
            return slot
    return None


def due_period(subscription: Subscription, now: dt.datetime, delivered: set[str]) -> str | None:
    """The period to send now, or None. After downtime this is the latest slot only: one catch-up digest,
    whose events run from the last one delivered, covers the whole gap."""
    if not subscription.enabled:
        return None
    slot = latest_slot(subscription, now)
    if slot is None:
        return None
    if subscription.created_at is not None and slot < subscription.created_at:
        return None  # subscribed after today's time: the first digest is at the next slot
    period = slot.date().isoformat()
    return None if period in delivered else period
