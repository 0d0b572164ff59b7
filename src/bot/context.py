"""What a command handler gets besides its arguments: the knowledge base, today's date and the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge.base import KnowledgeBase

if TYPE_CHECKING:
    from bot.registry import Registry
    from bot.request import Request

__all__ = ["Context"]


@dataclass(frozen=True, slots=True)
class Context:
    kb: KnowledgeBase
    today: dt.date
    request: Request
    registry: Registry
