"""Subscriptions, claims and deliveries in the store's database: each digest claimed under a lease, recorded once."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.digest.subscriptions import DigestFilters, Subscription
from knowledge.store.migrations import Migration, migrate, schema_version
from knowledge.store.transactions import writing

__all__ = ["DigestStore"]

metadata = sa.MetaData()
subscriptions = sa.Table(
    "digest_subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(20), nullable=False),
    sa.Column("workspace", sa.String(200), nullable=False),
    sa.Column("channel", sa.String(200), nullable=False),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("disabled_reason", sa.Text),
    sa.Column("cursor", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("platform", "workspace", "channel", name="uq_digest_channel"),
)
claims = sa.Table(
    "digest_claims",
    metadata,
    # One row per (subscription, period): the unique key is what stops two senders sending the same digest.
    sa.Column(
        "subscription_id", sa.Integer, sa.ForeignKey("digest_subscriptions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("period", sa.String(40), primary_key=True),
    sa.Column("worker", sa.String(100), nullable=False),
    sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("done", sa.Boolean, nullable=False),
)
deliveries = sa.Table(
    "digest_deliveries",
    metadata,
    sa.Column(
        "subscription_id", sa.Integer, sa.ForeignKey("digest_subscriptions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("period", sa.String(40), primary_key=True),
    sa.Column("worker", sa.String(100), nullable=False),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_event_id", sa.Integer, nullable=False),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("matched", sa.Integer, nullable=False),
    # False where nothing was sent (no changes, no heartbeat): the period is still done.
    sa.Column("sent", sa.Boolean, nullable=False),
)


def _create_v1(connection: Connection) -> None:
    metadata.create_all(connection)


COMPONENT = "digest"
MIGRATIONS: list[Migration] = [(1, _create_v1)]


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything here is UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class DigestStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        migrate(engine, COMPONENT, MIGRATIONS)

    def schema_version(self) -> int:
        return schema_version(self.engine, COMPONENT)

    # --- subscriptions ---

    def save(self, subscription: Subscription, *, now: dt.datetime) -> Subscription:
        """Create or replace the channel's subscription; a replaced one keeps its place in the event stream."""
        settings = subscription.model_dump_json(
            include={"time", "timezone", "weekdays", "filters", "heartbeat", "created_by"}
        )
        key = (subscriptions.c.platform == subscription.platform) & (
            subscriptions.c.workspace == subscription.workspace
        )
        key &= subscriptions.c.channel == subscription.channel
        with writing(self.engine) as connection:
            existing = connection.execute(sa.select(subscriptions.c.id).where(key)).scalar()
            values = {"settings": settings, "enabled": True, "disabled_reason": None, "updated_at": now}
            if existing is None:
                connection.execute(
                    subscriptions.insert().values(
                        platform=subscription.platform,
                        workspace=subscription.workspace,
                        channel=subscription.channel,
                        cursor=subscription.cursor,
                        created_at=now,
                        **values,
                    )
                )
            else:
                connection.execute(subscriptions.update().where(subscriptions.c.id == existing).values(**values))
        found = self.find(subscription.platform, subscription.workspace, subscription.channel)
        assert found is not None
        return found

    def find(self, platform: str, workspace: str, channel: str) -> Subscription | None:
        query = sa.select(subscriptions).where(
            (subscriptions.c.platform == platform)
            & (subscriptions.c.workspace == workspace)
            & (subscriptions.c.channel == channel)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _subscription(row) if row else None

    def get(self, subscription_id: int) -> Subscription | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
        return _subscription(row) if row else None

    def delete(self, platform: str, workspace: str, channel: str) -> bool:
        with writing(self.engine) as connection:
            result = connection.execute(
                subscriptions.delete().where(
                    (subscriptions.c.platform == platform)
                    & (subscriptions.c.workspace == workspace)
                    & (subscriptions.c.channel == channel)
                )
            )
        return result.rowcount > 0

    def enabled(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(subscriptions).where(subscriptions.c.enabled).order_by(subscriptions.c.id)
            )
            return [_subscription(row) for row in rows]

    def disable(self, subscription_id: int, reason: str, *, now: dt.datetime) -> None:
        with writing(self.engine) as connection:
            connection.execute(
                subscriptions.update()
                .where(subscriptions.c.id == subscription_id)
                .values(enabled=False, disabled_reason=reason, updated_at=now)
            )

    # --- claims and deliveries ---

    def claim(self, subscription_id: int, period: str, *, worker: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take the (subscription, period) to send it: a new claim, or one whose sender's lease ran out."""
        try:
            with writing(self.engine) as connection:
                connection.execute(
                    claims.insert().values(
                        subscription_id=subscription_id,
                        period=period,
                        worker=worker,
                        lease_until=now + lease,
                        done=False,
                    )
                )
            return True
        except sa.exc.IntegrityError:
            pass
        # Someone holds or held it: take it over only if not done and the lease has expired (compare-and-set).
        with writing(self.engine) as connection:
            taken = connection.execute(
                claims.update()
                .where(
                    (claims.c.subscription_id == subscription_id)
                    & (claims.c.period == period)
                    & ~claims.c.done
                    & (claims.c.lease_until < now)
                )
                .values(worker=worker, lease_until=now + lease)
            )
        return taken.rowcount == 1

    def record(
        self,
        subscription_id: int,
        period: str,
        *,
        worker: str,
        now: dt.datetime,
        first_event_id: int,
        last_event_id: int,
        matched: int,
        sent: bool,
    ) -> bool:
        """Mark the claim done, record the delivery and move the cursor, all at once; False if the claim was lost."""
        with writing(self.engine) as connection:
            done = connection.execute(
                claims.update()
                .where(
                    (claims.c.subscription_id == subscription_id)
                    & (claims.c.period == period)
                    & (claims.c.worker == worker)
                    & ~claims.c.done
                )
                .values(done=True)
            )
            if done.rowcount != 1:
                return False
            connection.execute(
                deliveries.insert().values(
                    subscription_id=subscription_id,
                    period=period,
                    worker=worker,
                    delivered_at=now,
                    first_event_id=first_event_id,
                    last_event_id=last_event_id,
                    matched=matched,
                    sent=sent,
                )
            )
            connection.execute(
                subscriptions.update()
                .where((subscriptions.c.id == subscription_id) & (subscriptions.c.cursor < last_event_id))
                .values(cursor=last_event_id)
            )
        return True

    def release(self, subscription_id: int, period: str, *, worker: str) -> None:
        """Give a claim back after a failed send, so that the next pass may try again at once."""
        with writing(self.engine) as connection:
            connection.execute(
                claims.delete().where(
                    (claims.c.subscription_id == subscription_id)
                    & (claims.c.period == period)
                    & (claims.c.worker == worker)
                    & ~claims.c.done
                )
            )

    def delivered_periods(self, subscription_id: int) -> set[str]:
        with self.engine.connect() as connection:
            return set(
                connection.scalars(
                    sa.select(deliveries.c.period).where(deliveries.c.subscription_id == subscription_id)
                )
            )

    def last_delivery(self, subscription_id: int) -> dt.datetime | None:
        with self.engine.connect() as connection:
            value = connection.scalar(
                sa.select(sa.func.max(deliveries.c.delivered_at)).where(deliveries.c.subscription_id == subscription_id)
            )
        return _utc(value) if value else None

    def last_sent(self) -> dt.datetime | None:
        """When a digest was last sent to any channel (periods with nothing to send are not counted)."""
        with self.engine.connect() as connection:
            value = connection.scalar(sa.select(sa.func.max(deliveries.c.delivered_at)).where(deliveries.c.sent))
        return _utc(value) if value else None

    def deliveries(self) -> list[sa.Row]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(sa.select(deliveries).order_by(deliveries.c.subscription_id, deliveries.c.period))
            )


def _subscription(row: sa.Row) -> Subscription:
    settings = json.loads(row.settings)
    settings["filters"] = DigestFilters(**settings.get("filters", {}))
    return Subscription(
        id=row.id,
        platform=row.platform,
        workspace=row.workspace,
        channel=row.channel,
        enabled=row.enabled,
        cursor=row.cursor,
        created_at=_utc(row.created_at),
        **settings,
    )
