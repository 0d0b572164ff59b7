"""How current the lists behind a reply are, for cards, /sanctions and digests: one fact, from the knowledge layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from bot.context import Context
from bot.reply import Citations, Fact, Line, Section
from knowledge.authorities import REGIMES
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import CATALOGUE, CATALOGUES
from knowledge.lists.freshness import ListAge, list_ages

if TYPE_CHECKING:
    from knowledge.store.database import Store

__all__ = ["LABEL", "ages_now", "in_undated_copy", "list_ages_now", "lists_fact", "lists_touched", "undated_section"]

LABEL = "Lists as of"


def ages_now(context: Context) -> dict[str, ListAge]:
    """Each list in use and how old it is now; the store's refresh history counts where the bot has a store."""
    return list_ages_now(context.kb, context.store, context.now)


def list_ages_now(kb: KnowledgeBase, store: Store | None, now: dt.datetime) -> dict[str, ListAge]:
    """The same outside a command (a brief written to a file): the store's refresh history counts where given."""
    statuses = store.refresh_statuses() if store is not None else {}
    return list_ages(kb.snapshots, now=now, statuses=statuses, extracts=kb.extracts)


def lists_touched(authorities: Iterable[str] = (), regimes: Iterable[str] = ()) -> set[str]:
    """The lists an answer filtered by these authorities and regimes draws on: each list that carries their
    designations, and the aggregated ones that carry any authority's; with no filter, every list of designations
    (never the threat-intelligence catalogues, which designate no one)."""
    wanted = set(authorities) | {REGIMES[key].authority for key in regimes if key in REGIMES}
    return {
        name
        for name, entry in CATALOGUE.items()
        if name not in CATALOGUES and (not wanted or not entry.authorities or wanted & set(entry.authorities))
    }


def lists_fact(ages: Mapping[str, ListAge], sources: Iterable[str] | None = None) -> Fact | None:
    """ "Lists as of: OFAC SDN list as of 2024-03-25 — possibly out of date …" for the lists named (default: all),
    by name ("ofac-sdn") or by the citation of the copy a record was read from ("ofac-sdn@2025-11-02"): a record of
    a newer shipped extract is dated by the extract, never by the older copy in use beside it."""
    said: dict[tuple[str, dt.date], str] = {}
    for source in ages if sources is None else sources:
        in_use = ages.get(source.partition("@")[0])
        if in_use is None:
            continue
        copy = in_use.cited(source)
        said[(copy.source, copy.as_of)] = copy.describe(beside=None if copy is in_use else in_use)
    if not said:
        return None
    return Fact(label=LABEL, value="; ".join(said[key] for key in sorted(said)))


def in_undated_copy(day: dt.date) -> str:
    """Where a list states no date: the day a copy was loaded, said as that and never as the list's own date."""
    return f"in the copy of the list loaded on {day.isoformat()} (publisher's date unknown)"


def undated_section(count: int, sources: list[str], kb: KnowledgeBase, cite: Citations) -> Section:
    """For a question about a period: the designations it matches but cannot place in time, said, not dropped."""
    names = list(dict.fromkeys(kb.source(source).by for source in sources))
    lists = " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))
    one = count == 1
    them, states = ("it" if one else "them"), ("states" if len(sources) == 1 else "state")
    text = (
        f"{count:,} more designation{'' if one else 's'} {'matches' if one else 'match'} all but the dates: {lists} "
        f"{states} no designation date for {them}, so this period can neither include nor rule {them} out. Ask "
        f"again without the dates to see {them}."
    )
    return Section(title="Not counted", lines=[Line(text=text, sources=cite.cite(*sources))])
