"""The knowledge base: every entity, sanction, allegation, relation and source, with lookups over them."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, islice
from typing import Any, TypeVar

from knowledge.authorities import (
    REGIMES,
    designation_label,
    is_export_control,
    listing_verb,
    order_lapsed,
    regime_words,
)
from knowledge.curated import CuratedData, load_curated
from knowledge.errors import BriefbotError
from knowledge.models import (
    Allegation,
    Entity,
    EntityKind,
    NameType,
    Predicate,
    Relation,
    Sanction,
    Source,
    SourceKind,
)
from knowledge.names.lookup import Comparison, LookupResult, NameIndex
from knowledge.names.normalise import normalise
from knowledge.references import entity_references, sanction_reference
from knowledge.slotted import fast_pickle, trusted
from knowledge.store.info import SnapshotInfo

__all__ = ["ORDER_ENDED", "KnowledgeBase", "Link", "TimelineEvent", "delisted_between", "regime_label"]

# An action that names more entities than this is a mass listing: linking each to each says nothing.
MAX_CO_LISTED = 25
_CO_NAMING_SOURCES = (SourceKind.ADVISORY, SourceKind.INDICTMENT)


_Derived = TypeVar("_Derived")


# How a timeline says an export-control order reached the end date its list gives.
ORDER_ENDED = "order ended"


def delisted_between(after: dt.date, on: dt.date) -> str:
    """A delisting seen only as a record held by one edition and gone from the next: dated by both."""
    return f"delisted between {after.isoformat()} and {on.isoformat()} (by the editions loaded)"


def regime_label(sanction: Sanction) -> str:
    """A regime's readable name: ours for the keys we know, else the programme or the publisher's words."""
    regime = REGIMES.get(sanction.regime)
    if regime:
        return regime.label
    return regime_words(sanction.authority, sanction.regime, sanction.regime_name, sanction.programmes)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Link:
    """A relation seen from one entity: the other end, the words for it, when and on whose word."""

    other: str
    label: str
    date: dt.date | None
    source: str
    predicate: Predicate
    # The relation's own words, where it has them (why two cards may be one subject).
    note: str | None = None
    # For two cards that may be one subject: whether probably (a date of birth a day or a month off).
    probable: bool = False


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: dt.date
    actor: str
    text: str
    source: str
    # For what happened between two editions of a list: the earlier one's date (`date` is the later one's).
    after: dt.date | None = None

    @property
    def when(self) -> str:
        return f"{self.after.isoformat()} to {self.date.isoformat()}" if self.after else self.date.isoformat()


# The tables of each entity's facts, made from the lists (KnowledgeBase._by_entity), never pickled.
_PER_ENTITY = ("_sanctions_by_entity", "_allegations_by_entity", "_relations_of")


class KnowledgeBase:
    """Read-only facts with their sources, and the name index over them."""

    def __init__(
        self,
        *,
        sources: dict[str, Source],
        entities: dict[str, Entity],
        sanctions: Iterable[Sanction],
        allegations: Iterable[Allegation],
        relations: Iterable[Relation],
        snapshots: Iterable[SnapshotInfo] = (),
        extracts: Iterable[SnapshotInfo] = (),
    ) -> None:
        self.sources = dict(sources)
        self.entities = dict(entities)
        self.snapshots = list(snapshots)
        # Shipped extracts newer than a list's snapshot in use, whose records that snapshot lacks are held too
        # (knowledge.loading.newer_extract): what such a record really comes from.
        self.extracts = list(extracts)
        self.sanctions = sorted(sanctions, key=lambda s: (s.listed_on or dt.date.min, s.id), reverse=True)
        self.allegations = list(allegations)
        self.relations = [*relations, *self._derived_relations()]
        self._by_entity()
        self.index = NameIndex.build(self.all_names())
        # Typed references (`ofac:19509`, `uk:DPR0165`) to the card holding that record.
        self._by_reference: dict[str, str] = {}
        for entity in self.entities.values():
            for ref in entity_references(entity):
                self._by_reference.setdefault(ref, entity.id)

    def _by_entity(self) -> None:
        """Each entity's sanctions, allegations and relations, in order: made from the lists at the build and when
        loaded from a cache (pickled, their lists had lifted the cache writer's memo, and a first start's peak)."""
        sanctions: dict[str, list[Sanction]] = defaultdict(list)
        for sanction in self.sanctions:
            sanctions[sanction.entity].append(sanction)
        allegations: dict[str, list[Allegation]] = defaultdict(list)
        for allegation in sorted(self.allegations, key=lambda a: (a.date, a.id)):
            allegations[allegation.subject].append(allegation)
        # Each entity's relations, in order, each once; its links are made from them when asked for. A cached base
        # then holds no link objects: there were two per relation, a fifth of the objects a cached start loaded.
        relations: dict[str, list[Relation]] = defaultdict(list)
        for relation in self.relations:
            relations[relation.subject].append(relation)
            if relation.object != relation.subject:
                relations[relation.object].append(relation)
        # Plain dicts: a read of a missing key must not insert one while another thread pickles the base.
        self._sanctions_by_entity = dict(sanctions)
        self._allegations_by_entity = dict(allegations)
        self._relations_of = dict(relations)

    def all_names(self) -> Iterator[tuple[str, str, NameType, bool, bool]]:
        for entity in self.entities.values():
            is_person = entity.kind is EntityKind.PERSON
            # The caption is what every card shows: typing it back must find this card before any other. Its type
            # is the type the entity's names give it (a card named after an alias says so).
            caption_type = next((n.type for n in entity.names if n.value == entity.caption), NameType.PRIMARY)
            yield entity.id, entity.caption, caption_type, is_person, True
            for name in entity.names:
                yield entity.id, name.value, name.type, is_person, name.type is NameType.PRIMARY

    @classmethod
    def from_curated(cls, data: CuratedData | None = None) -> KnowledgeBase:
        data = data or load_curated()
        return cls(
            sources=data.sources,
            entities=data.entities,
            sanctions=data.sanctions,
            allegations=data.allegations,
            relations=data.relations,
        )

    def _derived_relations(self) -> list[Relation]:
        """Entities designated in one action, or named in one advisory or indictment, are related through it."""
        derived: list[Relation] = []
        by_action: dict[tuple[str, dt.date, str, bool], set[str]] = defaultdict(set)
        for sanction in self.sanctions:
            # One source, one day, one regime: one action. An undated list entry belongs to no known action.
            if sanction.listed_on is not None:
                export = is_export_control(sanction.authority)
                by_action[(sanction.source, sanction.listed_on, sanction.regime, export)].add(sanction.entity)
        by_document: dict[str, set[str]] = defaultdict(set)
        for allegation in self.allegations:
            if self.sources[allegation.source].kind in _CO_NAMING_SOURCES:
                by_document[allegation.source].add(allegation.subject)
        groups = [
            (Predicate.CO_LISTED if export else Predicate.CO_DESIGNATED, source, date, members)
            for (source, date, _, export), members in by_action.items()
        ]
        groups += [(Predicate.NAMED_WITH, source, self.sources[source].date, m) for source, m in by_document.items()]
        for predicate, source, date, members in groups:
            if len(members) > MAX_CO_LISTED:
                continue
            for first, second in combinations(sorted(members), 2):
                derived.append(
                    trusted(
                        Relation,
                        id=f"derived:{predicate.name.lower()}:{source}:{first}:{second}",
                        subject=first,
                        predicate=predicate,
                        object=second,
                        source=source,
                        date=date,
                        confidence="derived",
                    )
                )
        return derived

    # --- reading ---

    def entity(self, entity_id: str) -> Entity:
        try:
            return self.entities[entity_id]
        except KeyError:
            raise BriefbotError(f"There is no entity with the id {entity_id!r}.") from None

    def by_reference(self, ref: str) -> str | None:
        """The id of the entity a typed reference (`ofac:19509`, `uk:DPR0165`, `curated:isoon`) opens, or None."""
        return self._by_reference.get(ref.strip().casefold())

    def source(self, source_id: str) -> Source:
        return self.sources[source_id]

    def sanctions_of(self, entity_id: str) -> list[Sanction]:
        return self._sanctions_by_entity.get(entity_id, [])

    def allegations_of(self, entity_id: str) -> list[Allegation]:
        return self._allegations_by_entity.get(entity_id, [])

    def links_of(self, entity_id: str) -> list[Link]:
        """Every relation of the entity, one per (other entity, label, source), earliest first."""
        unique = {(link.other, link.label, link.source): link for link in _links(entity_id, self._relations_of)}
        return sorted(unique.values(), key=lambda link: (link.date or dt.date.min, link.other))

    def possibly_same(self, entity_id: str) -> list[Link]:
        """The cards that may be this entity's subject, left apart by the merge: each with why (its note)."""
        return [link for link in self.links_of(entity_id) if link.predicate is Predicate.POSSIBLY_SAME]

    def regime_keys(self) -> frozenset[str]:
        return frozenset(s.regime for s in self.sanctions)

    def lookup(self, query: str) -> LookupResult:
        return self.index.lookup(query)

    def compare(self, first: str, second: str, *, person: bool = False) -> Comparison:
        return self.index.compare(first, second, person=person)

    def designations(
        self,
        *,
        authority: str | None = None,
        regimes: Iterable[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Sanction]:
        """Designations in a window, newest first, optionally of one authority and some regimes."""
        wanted = set(regimes) if regimes is not None else None
        return [
            s
            for s in self.sanctions
            if (authority is None or s.authority == authority)
            and (wanted is None or s.regime in wanted)
            and (since is None or (s.listed_on is not None and s.listed_on >= since))
            and (until is None or s.listed_on is None or s.listed_on <= until)
        ]

    def __getstate__(self) -> dict[str, Any]:
        # Derived tables are rebuilt on first use after loading, and the per-entity tables when loaded; leaving them
        # out also keeps a table being added by a request from changing the state while a cache writer pickles it
        # (dict.copy is atomic).
        state = self.__dict__.copy()
        for made_again in ("_derived_tables", *_PER_ENTITY):
            state.pop(made_again, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._by_entity()

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> KnowledgeBase:
        """A base from what __getstate__ gave (as pickling restores one), for a cache written in parts."""
        kb = cls.__new__(cls)
        kb.__setstate__(state)
        return kb

    def derived(self, key: str, build: Callable[[KnowledgeBase], _Derived]) -> _Derived:
        """A table derived from this knowledge base (e.g. the question reader's), built on first use and kept."""
        # Not in __init__: a base unpickled from the cache has no such attribute until a request asks for it.
        tables: dict[str, Any] | None = self.__dict__.get("_derived_tables")
        if tables is None:
            tables = self.__dict__.setdefault("_derived_tables", {})
        if key not in tables:
            tables[key] = build(self)
        return tables[key]

    def undated_where(
        self,
        *,
        authorities: Iterable[str] = (),
        regimes: Iterable[str] = (),
        countries: Iterable[str] = (),
        kinds: Iterable[EntityKind] = (),
        name_words: Iterable[str] = (),
        name_endings: tuple[str, ...] = (),
        name_kinds: Iterable[EntityKind] = (),
    ) -> tuple[int, list[str]]:
        """(how many, their sources): the designations that match these filters but have no date their list
        states, which a question about a period can neither count nor rule out (OFAC's legacy files date none)."""
        wanted_authorities, wanted_regimes = set(authorities), set(regimes)
        wanted_countries, wanted_kinds = {c.upper() for c in countries}, set(kinds)
        if name_words or name_endings:
            # A word of the names is no part of the table kept by filter: the undated designations are read.
            undated = [
                s
                for s in self.designations_where(
                    authorities=authorities,
                    regimes=regimes,
                    countries=countries,
                    kinds=kinds,
                    name_words=name_words,
                    name_endings=name_endings,
                    name_kinds=name_kinds,
                )
                if s.listed_on is None
            ]
            return len(undated), sorted({s.list_source or s.source for s in undated})
        count, sources = 0, set()
        for (authority, regime, country, kind), (n, held_in) in self.derived("base.undated", _undated).items():
            if wanted_authorities and authority not in wanted_authorities:
                continue
            if wanted_regimes and regime not in wanted_regimes:
                continue
            if wanted_countries and country not in wanted_countries:
                continue
            if wanted_kinds and kind not in wanted_kinds:
                continue
            count += n
            sources |= held_in
        return count, sorted(sources)

    def designations_where(
        self,
        *,
        authorities: Iterable[str] = (),
        regimes: Iterable[str] = (),
        countries: Iterable[str] = (),
        kinds: Iterable[EntityKind] = (),
        name_words: Iterable[str] = (),
        name_endings: tuple[str, ...] = (),
        name_kinds: Iterable[EntityKind] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = None,
    ) -> list[Sanction]:
        """Designations newest first, filtered by authority, regime, the entity's country and kind, a word one of its
        names holds or ends a word of (normalised: "bank" for "BANK MELLI IRAN" and "GAZPROMBANK"), or else its kind
        being one of `name_kinds` (a government body whatever its name), and dates.

        An empty filter allows all; with a date bound, designations whose date the list does not state are left out.
        `limit`: the newest this many only (the list stops being read there).
        """
        wanted_authorities, wanted_regimes = set(authorities), set(regimes)
        wanted_countries, wanted_kinds = {c.upper() for c in countries}, set(kinds)
        wanted_words, wanted_name_kinds = frozenset(name_words), frozenset(name_kinds)
        dated = since is not None or until is not None
        found = []
        # Newest first: a bound `until` starts the reading at the first designation on or before it.
        days = self.derived("base.newest-first-days", _newest_first_days) if until else []
        for sanction in islice(self.sanctions, bisect_left(days, -until.toordinal()) if until else 0, None):
            if wanted_authorities and sanction.authority not in wanted_authorities:
                continue
            if wanted_regimes and sanction.regime not in wanted_regimes:
                continue
            if dated and sanction.listed_on is None:
                continue
            if since is not None and sanction.listed_on is not None and sanction.listed_on < since:
                # Newest first, the undated last: nothing further on is on or after `since`.
                break
            if until is not None and sanction.listed_on is not None and sanction.listed_on > until:
                continue
            if wanted_countries or wanted_kinds:
                entity = self.entities[sanction.entity]
                if wanted_countries and (entity.country or "").upper() not in wanted_countries:
                    continue
                if wanted_kinds and entity.kind not in wanted_kinds:
                    continue
            if (wanted_words or name_endings) and not self.names_hold(
                sanction.entity, wanted_words, name_endings, wanted_name_kinds
            ):
                continue
            found.append(sanction)
            if limit is not None and len(found) >= limit:
                break
        return found

    def names_hold(
        self,
        entity_id: str,
        words: frozenset[str],
        endings: tuple[str, ...] = (),
        kinds: frozenset[EntityKind] = frozenset(),
    ) -> bool:
        """Whether one of the entity's names holds one of these words, or a word ending so, as names are normalised
        for matching; or the entity is of one of `kinds`, whatever its names."""
        entity = self.entities[entity_id]
        if entity.kind in kinds:
            return True
        return any(
            not words.isdisjoint(spelled) or (endings and any(word.endswith(endings) for word in spelled))
            for spelled in (normalise(name.value).words for name in entity.names)
        )

    def timeline(self, entity_id: str) -> list[TimelineEvent]:
        """Dated events about the entity across governments: designations, delistings, charges, advisories."""
        events: list[TimelineEvent] = []
        covered: set[str] = set()
        for sanction in self.sanctions_of(entity_id):
            authority = designation_label(sanction)
            regime = regime_label(sanction)
            ref = f", {sanction_reference(sanction)}" if sanction.list_ref else ""
            if sanction.listed_on is not None:
                # An export-control listing (the Entity List) is listed, never designated as a sanction.
                verb = listing_verb(sanction.authority)
                events.append(TimelineEvent(sanction.listed_on, authority, f"{verb} ({regime}{ref})", sanction.source))
            if sanction.ended_on:
                # Without the publisher's date, the mark sits on the day a copy without the record was loaded.
                if sanction.ends_later:
                    what = "listing ends (date set in advance)"
                elif order_lapsed(sanction):
                    what = f"{ORDER_ENDED} (the end date the list gives)"
                elif sanction.ended_on_known and sanction.ended_after:
                    # Editions tell only that the record went between them, never on the day the later one came.
                    what = delisted_between(sanction.ended_after, sanction.ended_on)
                elif sanction.ended_on_known:
                    what = "delisted"
                else:
                    what = "delisted: not in the copy of the list loaded on this day (publisher's date unknown)"
                after = sanction.ended_after if sanction.ended_on_known else None
                events.append(TimelineEvent(sanction.ended_on, authority, what, sanction.source, after))
            covered.add(sanction.source)
        for allegation in self.allegations_of(entity_id):
            if allegation.source in covered:
                continue
            covered.add(allegation.source)
            source = self.sources[allegation.source]
            events.append(
                TimelineEvent(allegation.date, allegation.alleged_by, f"{source.kind.value}: {source.title}", source.id)
            )
        # The dated documents the card cites besides: those its entry was written from and those its dated links
        # rest on (the designations that name a threat actor which is not itself designated). Lists and catalogues
        # are editions, not events.
        linked = [link.source for link in self.links_of(entity_id) if link.date is not None]
        for source_id in (*self.entities[entity_id].sources, *linked):
            source = self.sources.get(source_id)
            if source_id in covered or source is None or source.date is None or source.kind in _EDITIONS:
                continue
            covered.add(source_id)
            events.append(TimelineEvent(source.date, source.by, f"{source.kind.value}: {source.title}", source.id))
        return sorted(events, key=lambda e: (e.date, e.actor))


_EDITIONS = frozenset({SourceKind.LIST, SourceKind.CATALOGUE})


def _links(entity_id: str, relations_of: dict[str, list[Relation]]) -> Iterator[Link]:
    """The entity's relations seen from it, in the order they were made: a relation to itself gives both ends."""
    for relation in relations_of.get(entity_id, ()):
        ends = [(relation.object, relation.predicate.value)] if relation.subject == entity_id else []
        if relation.object == entity_id:
            ends.append((relation.subject, relation.predicate.inverse))
        for other, label in ends:
            probable = relation.confidence == "probable"
            yield Link(other, label, relation.date, relation.source, relation.predicate, relation.note, probable)


def _undated(kb: KnowledgeBase) -> dict[tuple[str, str, str, EntityKind], tuple[int, set[str]]]:
    """The undated designations counted by authority, regime, the entity's country and kind, with the sources that
    hold them: a period question reads a few thousand keys, not every designation."""
    table: dict[tuple[str, str, str, EntityKind], tuple[int, set[str]]] = {}
    for sanction in kb.sanctions:
        if sanction.listed_on is None:
            entity = kb.entities[sanction.entity]
            key = (sanction.authority, sanction.regime, (entity.country or "").upper(), entity.kind)
            n, held_in = table.get(key, (0, set()))
            table[key] = (n + 1, held_in | {sanction.list_source or sanction.source})
    return table


def _newest_first_days(kb: KnowledgeBase) -> list[float]:
    """The designations' days as an ascending key in the order they are kept (newest first, the undated last)."""
    return [-s.listed_on.toordinal() if s.listed_on else float("inf") for s in kb.sanctions]
