"""What a command handler gets besides its arguments: the knowledge base, today's date and the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge.base import KnowledgeBase

if TYPE_CHECKING:
    from bot.digest.store import DigestStore
    from bot.registry import Registry
    from bot.request import Request
    from knowledge.store.database import Store

__all__ = ["Context"]


@dataclass(frozen=True, slots=True)
class Context:
    kb: KnowledgeBase
    now: dt.datetime
    request: Request
    registry: Registry
    # The store and the digest tables; None where the bot runs without them (then /digest says so).
    store: Store | None = None
    digests: DigestStore | None = None

    @property
    def today(self) -> dt.date:
        return self.now.date()
