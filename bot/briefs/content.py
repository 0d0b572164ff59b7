"""What a brief holds: the entity's card, word for word as /who shows it, its two pictures, when it was made and the
TLP marking its reader chose."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.cards import entity_card
from bot.list_dates import LABEL, list_ages_now
from bot.pictures import Picture, relationship_picture, timeline_picture
from bot.reply import Reply
from knowledge.base import KnowledgeBase
from knowledge.store.database import Store

__all__ = ["PRINTED_NEIGHBOURS", "Brief", "Tlp", "build_brief"]

# Eight rows a side: the picture then fits a landscape A4 page with its smallest text at 6 points or more.
PRINTED_NEIGHBOURS = 16


class Tlp(StrEnum):
    """The Traffic Light Protocol 2.0 labels (FIRST), as they are written on a document."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"

    @classmethod
    def parse(cls, text: str) -> Tlp:
        """`clear`, `TLP:AMBER+STRICT`, `amber-strict`…: the label named, else ValueError naming the five."""
        wanted = text.strip().upper().replace("-", "+").replace("_", "+").removeprefix("TLP:")
        for label in cls:
            if label.value.removeprefix("TLP:") == wanted:
                return label
        raise ValueError(f"{text!r} is not a TLP 2.0 label; use one of {', '.join(label.value for label in cls)}.")

    @property
    def meaning(self) -> str:
        """Who may see it, in FIRST's words cut short: printed beside the marking."""
        return _MEANING[self]


_MEANING = {
    Tlp.CLEAR: "disclosure is not limited",
    Tlp.GREEN: "limited disclosure, recipients may share it within their community",
    Tlp.AMBER: "limited disclosure, recipients may share it on a need-to-know basis within their organisation "
    "and its clients",
    Tlp.AMBER_STRICT: "limited disclosure, recipients may share it on a need-to-know basis within their "
    "organisation only",
    Tlp.RED: "for the eyes and ears of individual recipients only, no further disclosure",
}


@dataclass(frozen=True, slots=True)
class Brief:
    entity_id: str
    card: Reply
    graph: Picture
    timeline: Picture
    # When the brief was made (UTC), printed on it: the data's own dates are in the card's "Lists as of" line.
    made_at: dt.datetime
    tlp: Tlp = Tlp.CLEAR
    # The relationship picture for a printed page: at most PRINTED_NEIGHBOURS related entities, so that its text
    # stays legible on paper (the rest are counted in its footer); the same picture where there are no more.
    printed_graph: Picture | None = None

    @property
    def as_of(self) -> dt.date:
        """The newest dated source the brief cites: what its STIX objects are stamped with, so the same data gives
        the same objects whenever they are exported."""
        dates = [c.date for c in self.card.citations if c.date is not None]
        return max(dates, default=dt.date(2000, 1, 1))

    @property
    def made_on(self) -> str:
        return f"{self.made_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"

    @property
    def freshness(self) -> str | None:
        """The card's "Lists as of" line, word for word: how current each list it draws on is."""
        return next((f.value for f in self.card.facts if f.label == LABEL), None)

    @property
    def closing(self) -> str:
        """The closing line of every brief: when it was made, how current its lists are (the card's own words),
        and how to read its allegations."""
        lists = f" Lists as of: {self.freshness}." if self.freshness else " It draws on no official list."
        return (
            f"Produced by briefbot on {self.made_on}; the newest source it cites is dated {self.as_of.isoformat()}."
            f"{lists} Allegations are the named party's claims, not established facts."
        )

    @property
    def stem(self) -> str:
        """A file name stem from the entity's caption: letters and digits, the rest as hyphens."""
        # The id is list data too (`opensanctions:../../x`): it goes through the same filter, never as it is.
        for text in (self.card.entity["name"], self.entity_id):
            name = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.casefold())
            if stem := "-".join(part for part in name.split("-") if part)[:60]:
                return stem
        return "entity"


def build_brief(
    kb: KnowledgeBase,
    entity_id: str,
    *,
    now: dt.datetime | None = None,
    store: Store | None = None,
    tlp: Tlp = Tlp.CLEAR,
) -> Brief:
    """The brief as of `now` (default: the clock), with the card's freshness line as /who gives it: the store's
    refresh history counts where there is a store, as it does for the card."""
    now = now or dt.datetime.now(dt.UTC)
    ages = list_ages_now(kb, store, now)
    card = entity_card(kb, entity_id, None, command="brief", query=kb.entity(entity_id).caption, ages=ages)
    graph = relationship_picture(kb, entity_id)
    printed = graph
    if len({link.other for link in kb.links_of(entity_id)}) > PRINTED_NEIGHBOURS:
        printed = relationship_picture(kb, entity_id, limit=PRINTED_NEIGHBOURS)
    return Brief(entity_id, card, graph, timeline_picture(kb, entity_id), now, tlp, printed)
