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
from typing import TYPE_CHECKING, NamedTuple

from knowledge.base import KnowledgeBase
from knowledge.curated import CuratedData, load_curated
from knowledge.lists.catalogue import CATALOGUE, CATALOGUES
from knowledge.lists.ofac_links import with_linked_to
from knowledge.lists.records import ListedRecord, replaced
from knowledge.loading import cited, newer_extract
from knowledge.merge import LoadedList, merge
from knowledge.store.info import SnapshotInfo

if TYPE_CHECKING:
    from knowledge.store.database import Store

__all__ = ["AsOfView", "AsOfViews", "Choice", "EditionUse", "How", "choose_editions", "knowledge_as_of"]

# Each view of the full lists holds a knowledge base of a few hundred MB: only the last few asked are kept.
VIEWS_KEPT = 2


class How(StrEnum):
    """How a list's content on the day was found."""

    # The edition in use that day: the newest stored edition published on or before it.
    EDITION = "edition"
    # The day falls between two stored editions: the earlier, with the records of the later one whose listing date
    # is on or before the day (by the later edition's word: no edition of the day itself is stored). A record of
    # the earlier absent from the later reads as held then and gone by the later, not as listed on the day.
    BETWEEN = "between"
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
    # For a view between two editions: the later one, whose dated records were added.
    later: SnapshotInfo | None = None
    # A shipped extract dated after the edition and by the day, whose records the edition lacks were added.
    extract: SnapshotInfo | None = None

    def describe(self) -> str:
        title = CATALOGUE[self.source].title if self.source in CATALOGUE else self.source
        if self.how is How.EDITION:
            return f"{title}, edition {self.snapshot.dated}" + (
                f", with the records of the extract shipped with briefbot ({self.extract.dated}) it lacks"
                if self.extract is not None
                else ""
            )
        if self.how is How.CATALOGUE:
            return f"{title}, {self.snapshot.dated} (a catalogue, not a list of designations: the edition in use now)"
        left = (
            f"; {self.undated_left_out:,} of its records state no listing date and are left out"
            if self.undated_left_out
            else ""
        )
        if self.how is How.BETWEEN and self.later is not None:
            return (
                f"{title}, edition {self.snapshot.dated}, with the records of its edition {self.later.dated} listed "
                f"by the listing date that edition gives (the editions loaded do not include one of this day){left}; "
                f"a record of the earlier edition absent from the later was held then and gone by the later, "
                f"whether still listed on this day unknown"
            )
        return (
            f"{title}: no edition this old is stored; derived from the listing dates in its edition "
            f"{self.snapshot.dated}{left}"
        )

    def version(self) -> str:
        """The edition(s) behind this list's part of the view, as a screening records it."""
        text = f"{self.snapshot.content_hash[:12]} {self.snapshot.dated} ({self.how.value})"
        for added in (self.later, self.extract):
            if added is not None:
                text += f" + {added.content_hash[:12]} {added.dated}"
        return text


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
        return {e.source: e.version() for e in self.editions}


def _usable(store: Store, source: str) -> list[SnapshotInfo]:
    """The editions a list's history is made of, oldest first: the user's own (the bundled extract only while
    there is none), never a held-back one, as the store's delistings count them."""
    history = [s for s in store.snapshots(source) if s.held_back is None]
    own = [s for s in history if not s.bundled]
    return sorted(own or history, key=lambda s: (s.as_of, s.id))


class Choice(NamedTuple):
    """The edition that answers for a day, how, the editions up to it (its history), and the next one after it."""

    snapshot: SnapshotInfo
    how: How
    history: list[SnapshotInfo]
    later: SnapshotInfo | None = None


def choose_editions(store: Store, day: dt.date) -> list[Choice]:
    """For each stored list: the edition that answers for `day`, how, its history and the edition after `day`."""
    chosen = []
    for source in sorted({s.source for s in store.snapshots()}):
        history = _usable(store, source)
        if not history:
            continue
        if source in CATALOGUES:
            in_use = [s for s in history if s.active] or history[-1:]
            chosen.append(Choice(in_use[0], How.CATALOGUE, []))
            continue
        # An undated copy's day is the day it was loaded: its publisher issued it then or before, never after.
        earlier = [s for s in history if s.as_of <= day]
        later = [s for s in history if s.as_of > day]
        if not earlier:
            chosen.append(Choice(history[0], How.DERIVED, []))
        elif later and earlier[-1].as_of < day:
            # Listings made after the earlier edition and by the day are only known from a later edition's dates.
            chosen.append(Choice(earlier[-1], How.BETWEEN, earlier, later[0]))
        else:
            chosen.append(Choice(earlier[-1], How.EDITION, earlier))
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


def _placed(records: list[ListedRecord], day: dt.date) -> tuple[list[ListedRecord], int]:
    """The records a later edition dates on or before `day`, and how many state no listing date to place them by."""
    placed = [_listed_by(r, day) for r in records]
    left_out = sum(1 for r in records if r.listed_on is None and not r.sanctions)
    return [r for r in placed if r is not None], left_out


def _loaded(store: Store, choice: Choice, day: dt.date) -> tuple[list[LoadedList], EditionUse]:
    """The list's part of the view: one loaded list per edition read (two between editions, each cited as itself)."""
    snapshot, how, history, later = choice
    records = store.records(snapshot.id)
    left_out = 0
    first_seen: dict[str, tuple[dt.date, bool]] = {}
    delisted: list = []
    last_held: dict[str, dt.date] = {}
    added: list[ListedRecord] = []
    if how is How.DERIVED:
        records, left_out = _placed(records, day)
    elif how in (How.EDITION, How.BETWEEN):
        first_seen, delisted, last_held = _history(store, history)
    if how is How.BETWEEN and later is not None:
        held = {r.record_id for r in records}
        # A record the later edition no longer holds went between the two, on a day the editions cannot tell.
        kept = store.record_ids(later.id)
        for record in records:
            if record.record_id not in kept:
                delisted.append((record, later.as_of, later.as_of_known))
                if snapshot.as_of_known:
                    last_held[record.record_id] = snapshot.as_of
        records = [r for r in records if r.record_id in kept]
        added, left_out = _placed([r for r in store.records(later.id) if r.record_id not in held], day)
    if snapshot.source in ("ofac-sdn", "ofac-cons"):
        linked = with_linked_to(records + added)
        records, added = linked[: len(records)], linked[len(records) :]
    lists = [
        LoadedList(
            source=cited(snapshot),
            list_name=snapshot.source,
            records=records,
            delisted=delisted,
            last_held=last_held,
            first_seen=first_seen,
        )
    ]
    if later is not None:
        lists.append(LoadedList(source=cited(later), list_name=snapshot.source, records=added))
    # As the knowledge of today does: an older file never hides what a shipped extract of the day or before holds.
    extract = newer_extract(store, snapshot, by=day) if how is How.EDITION else None
    if extract is not None:
        lists.append(extract[1])
    return lists, EditionUse(snapshot.source, snapshot, how, left_out, later, extract[0] if extract else None)


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
    loaded = [_loaded(store, choice, day) for choice in choose_editions(store, day)]
    # A successor's edition later than `day`, or one derived from listing dates, says nothing of what had left the
    # older list by then: no record reads as gone through it.
    merged = merge(curated, [list_ for lists, _ in loaded for list_ in lists], successors=False)
    kb = KnowledgeBase(
        sources=merged.sources,
        entities=merged.entities,
        sanctions=merged.sanctions,
        allegations=curated.allegations,
        relations=merged.relations,
        snapshots=[use.snapshot for _, use in loaded],
        extracts=[use.extract for _, use in loaded if use.extract is not None],
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
