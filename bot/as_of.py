"""Questions "as of DATE": the date read off the end of a command, and the knowledge base of that day."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from bot.context import Context
from bot.errors import UsageError
from bot.parsing import parse_date
from bot.reply import Fact
from knowledge.as_of import AsOfView, AsOfViews, knowledge_as_of
from knowledge.base import KnowledgeBase

if TYPE_CHECKING:
    from knowledge.store.database import Store

__all__ = ["LABEL", "as_of_fact", "as_of_view", "split_as_of", "view_on"]

LABEL = "As of"
_AS_OF = re.compile(r"(?:^|\s+)as\s+of\s+(\S+)\s*$", re.IGNORECASE)


def split_as_of(args: str) -> tuple[str, dt.date | None]:
    """("Wuhan Xiaoruizhi", 2024-03-22) from "Wuhan Xiaoruizhi as of 2024-03-22"; the date None when none is asked."""
    match = _AS_OF.search(args)
    if match is None:
        return args, None
    return args[: match.start()].strip(), parse_date(match.group(1))


def as_of_view(kb: KnowledgeBase, store: Store | None, day: dt.date, *, today: dt.date) -> AsOfView:
    """The knowledge base of `day`, built from the store's editions; the last few are kept beside `kb`."""
    if day > today:
        raise UsageError(f"{day.isoformat()} is still to come; ask as of today ({today.isoformat()}) or before.")
    if store is None:
        raise UsageError("Answers as of a date need the store of list editions, and this bot runs without one.")
    views = kb.derived("as-of-views", lambda _kb: AsOfViews(lambda on: knowledge_as_of(store, on)))
    return views.on(day)


def view_on(context: Context, day: dt.date) -> AsOfView:
    return as_of_view(context.kb, context.store, day, today=context.today)


def as_of_fact(view: AsOfView) -> Fact:
    return Fact(label=LABEL, value=view.describe())
