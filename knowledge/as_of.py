"""The knowledge base as it stood on a past date: each list from the edition in use that day, the curated facts
dated by then."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from knowledge.base import KnowledgeBase
from knowledge.curated import CuratedData, load_curated
from knowledge.lists.catalogue import CATALOGUE, CATALOGUES, snapshot_source
from knowledge.lists.ofac_links import with_linked_to
from knowledge.lists.records import ListedRecord, replaced
from knowledge.merge import LoadedList, merge
from knowledge.store.database import SnapshotInfo, Store

__all__ = ["AsOfView", "AsOfViews", "EditionUse", "How", "choose_editions", "knowledge_as_of"]

# Each view of the full lists holds a knowledge base of a few hundred MB: only the last few asked are kept.
VIEWS_KEPT = 2


class How(StrEnum):
    """How a list's content on the day was found."""

    # The edition in use that day: the newest stored edition published on or before it.
    EDITION = "edition"
    # No edition that old is stored: the records of the earliest later edition whose listing date is on or before
    # the day (records without a stated listing date cannot be placed, and are left out, said).
    DERIVED = "derived"
    # A threat-intelligence catalogue, not a list of designations: its edition in use now.
    CATALOGUE = "catalogue"


@dataclass(frozen=True, slots=True)
class EditionUse:
    source: str
    snapshot: SnapshotInfo
    how: How
    # For a derived view: how many records of the later edition were left out for want of a listing date.
    undated_left_out: int = 0

    def describe(self) -> str:
        title = CATALOGUE[self.source].title if self.source in CATALOGUE else self.source
        if self.how is How.EDITION:
            return f"{title}, edition {self.snapshot.dated}"
        if self.how is How.CATALOGUE:
            return f"{title}, {self.snapshot.dated} (a catalogue, not a list of designations: the edition in use now)"
        left = (
            f"; {self.undated_left_out:,} of its records state no listing date and are left out"
            if self.undated_left_out
            else ""
        )
        return (
            f"{title}: no edition this old is stored; derived from the listing dates in its edition "
            f"{self.snapshot.dated}{left}"
        )


@dataclass(frozen=True, slots=True)
class AsOfView:
    """A knowledge base of what was listed on `day`, and the editions it was read from."""

    day: dt.date
    kb: KnowledgeBase
    editions: tuple[EditionUse, ...]

    def describe(self) -> str:
        """ "2024-03-22, from the editions of …" for a reply's first lines: lists first, catalogues after."""
        lists = [e.describe() for e in self.editions if e.how is not How.CATALOGUE]
        catalogues = [CATALOGUE[e.source].by for e in self.editions if e.how is How.CATALOGUE]
        if not lists:
            text = f"{self.day.isoformat()}, from the curated data alone: the store holds no edition of any list"
        else:
            text = f"{self.day.isoformat()}, from the editions of: " + "; ".join(lists)
        if catalogues:
            text += f". Catalogues (not lists of designations) as in use now: {', '.join(dict.fromkeys(catalogues))}"
        return text

    def versions(self) -> dict[str, str]:
        """Each list's edition behind the view, as a screening records it."""
        return {e.source: f"{e.snapshot.content_hash[:12]} {e.snapshot.dated} ({e.how.value})" for e in self.editions}


def _usable(store: Store, source: str) -> list[SnapshotInfo]:
    """The editions a list's history is made of, oldest first: the user's own (the bundled extract only while
    there is none), never a held-back one, as the store's delistings count them."""
    history = [s for s in store.snapshots(source) if s.held_back is None]
    own = [s for s in history if not s.bundled]
    return sorted(own or history, key=lambda s: (s.as_of, s.id))


def choose_editions(store: Store, day: dt.date) -> list[tuple[SnapshotInfo, How, list[SnapshotInfo]]]:
    """For each stored list: the edition that answers for `day`, how, and the editions up to it (its history)."""
    chosen = []
    for source in sorted({s.source for s in store.snapshots()}):
        history = _usable(store, source)
        if not history:
            continue
        if source in CATALOGUES:
            in_use = [s for s in history if s.active] or history[-1:]
            chosen.append((in_use[0], How.CATALOGUE, []))
            continue
        # An undated copy's day is the day it was loaded: its publisher issued it then or before, never after.
        earlier = [s for s in history if s.as_of <= day]
        if earlier:
            chosen.append((earlier[-1], How.EDITION, earlier))
        else:
            chosen.append((history[0], How.DERIVED, []))
    return chosen


def _listed_by(record: ListedRecord, day: dt.date) -> ListedRecord | None:
    """The record as it stood on `day`, from a later edition's dates; None when it cannot be placed there."""
    if record.sanctions:
        kept = tuple(s for s in record.sanctions if s.listed_on is not None and s.listed_on <= day)
        return replaced(record, sanctions=kept) if kept else None
    if record.listed_on is None or record.listed_on > day:
        return None
    return record


def _history(store: Store, editions: list[SnapshotInfo]) -> tuple[dict, list, dict]:
    """first seen, delisted (as last seen, the day found gone, known) and last held, over `editions` alone."""
    first_seen: dict[str, tuple[dt.date, bool]] = {}
    last_seen: dict[str, int] = {}
    gone_on: dict[str, tuple[dt.date, bool]] = {}
    for snapshot in editions:
        present = store.record_ids(snapshot.id)
        for record_id in list(last_seen):
            if record_id not in present and record_id not in gone_on:
                gone_on[record_id] = (snapshot.as_of, snapshot.as_of_known)
        for record_id in present:
            first_seen.setdefault(record_id, (snapshot.as_of, snapshot.as_of_known))
            last_seen[record_id] = snapshot.id
            gone_on.pop(record_id, None)
    by_id = {s.id: s for s in editions}
    delisted = []
    last_held = {}
    for record_id, (day, known) in gone_on.items():
        record = store.record(last_seen[record_id], record_id)
        if record is not None:
            delisted.append((record, day, known))
            held = by_id[last_seen[record_id]]
            if held.as_of_known:
                last_held[record_id] = held.as_of
    return first_seen, delisted, last_held


def _loaded(store: Store, snapshot: SnapshotInfo, how: How, history: list[SnapshotInfo], day: dt.date):
    records = store.records(snapshot.id)
    left_out = 0
    first_seen: dict[str, tuple[dt.date, bool]] = {}
    delisted: list = []
    last_held: dict[str, dt.date] = {}
    if how is How.DERIVED:
        placed = [_listed_by(r, day) for r in records]
        left_out = sum(1 for r in records if r.listed_on is None and not r.sanctions)
        records = [r for r in placed if r is not None]
    elif how is How.EDITION:
        first_seen, delisted, last_held = _history(store, history)
    if snapshot.source in ("ofac-sdn", "ofac-cons"):
        records = with_linked_to(records)
    loaded = LoadedList(
        source=snapshot_source(snapshot.source, snapshot.as_of, note=snapshot.note, as_of_known=snapshot.as_of_known),
        list_name=snapshot.source,
        records=records,
        delisted=delisted,
        last_held=last_held,
        first_seen=first_seen,
    )
    return loaded, EditionUse(snapshot.source, snapshot, how, left_out)


def _curated_on(curated: CuratedData, day: dt.date) -> CuratedData:
    """The curated facts as they stood on `day`: designations made by then (one ended later was still in force),
    allegations made by then."""
    sanctions = []
    for sanction in curated.sanctions:
        if sanction.listed_on is not None and sanction.listed_on > day:
            continue
        if sanction.ended_on is not None and sanction.ended_on > day:
            sanction = dataclasses.replace(sanction, ended_on=None, ended_after=None)
        sanctions.append(sanction)
    allegations = [a for a in curated.allegations if a.date <= day]
    return dataclasses.replace(curated, sanctions=sanctions, allegations=allegations)


def knowledge_as_of(store: Store, day: dt.date, curated: CuratedData | None = None) -> AsOfView:
    """What the bot would have known on `day` from the editions stored: built afresh (seconds on the full lists)."""
    curated = _curated_on(curated or load_curated(), day)
    loaded = [_loaded(store, snapshot, how, history, day) for snapshot, how, history in choose_editions(store, day)]
    # A successor's edition later than `day`, or one derived from listing dates, says nothing of what had left the
    # older list by then: no record reads as gone through it.
    merged = merge(curated, [list_ for list_, _ in loaded], successors=False)
    kb = KnowledgeBase(
        sources=merged.sources,
        entities=merged.entities,
        sanctions=merged.sanctions,
        allegations=curated.allegations,
        relations=merged.relations,
        snapshots=[use.snapshot for _, use in loaded],
    )
    return AsOfView(day=day, kb=kb, editions=tuple(use for _, use in loaded))


class AsOfViews:
    """The last few as-of views asked for, kept beside the knowledge base of now (and gone with it)."""

    def __init__(self, build: Callable[[dt.date], AsOfView], *, kept: int = VIEWS_KEPT) -> None:
        self._build = build
        self._kept = kept
        self._views: OrderedDict[dt.date, AsOfView] = OrderedDict()
        self._lock = threading.Lock()

    def on(self, day: dt.date) -> AsOfView:
        with self._lock:
            if day in self._views:
                self._views.move_to_end(day)
                return self._views[day]
        view = self._build(day)
        with self._lock:
            self._views[day] = view
            while len(self._views) > self._kept:
                self._views.popitem(last=False)
        return view
