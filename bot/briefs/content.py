"""What a brief holds: the entity's card, word for word as /who shows it, and its two pictures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.cards import entity_card
from bot.pictures import Picture, relationship_picture, timeline_picture
from bot.reply import Reply
from knowledge.base import KnowledgeBase

__all__ = ["Brief", "build_brief"]


@dataclass(frozen=True, slots=True)
class Brief:
    entity_id: str
    card: Reply
    graph: Picture
    timeline: Picture

    @property
    def as_of(self) -> dt.date:
        """The newest dated source the brief cites: what its files are stamped with, so the same data gives the
        same bytes whenever it is made."""
        dates = [c.date for c in self.card.citations if c.date is not None]
        return max(dates, default=dt.date(2000, 1, 1))

    @property
    def stem(self) -> str:
        """A file name stem from the entity's caption: letters and digits, the rest as hyphens."""
        # The id is list data too (`opensanctions:../../x`): it goes through the same filter, never as it is.
        for text in (self.card.entity["name"], self.entity_id):
            name = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.casefold())
            if stem := "-".join(part for part in name.split("-") if part)[:60]:
                return stem
        return "entity"


def build_brief(kb: KnowledgeBase, entity_id: str) -> Brief:
    card = entity_card(kb, entity_id, None, command="brief", query=kb.entity(entity_id).caption)
    return Brief(entity_id, card, relationship_picture(kb, entity_id), timeline_picture(kb, entity_id))
