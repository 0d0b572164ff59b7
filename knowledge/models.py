"""The domain nouns: entity with typed names, sanction, allegation, relation and source."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from knowledge.slotted import fast_pickle

__all__ = [
    "Allegation",
    "Entity",
    "EntityKind",
    "Name",
    "NameType",
    "Predicate",
    "RecordRef",
    "Relation",
    "Sanction",
    "Source",
    "SourceKind",
]


# Validated like pydantic models (types, required fields, no unknown keys) but stored as slotted dataclasses: a
# knowledge base holds hundreds of thousands of them, and pydantic models cost four times the memory. Constraints
# go in Annotated and defaults in plain `dataclasses.field`, never `= Field(...)`: the standard dataclass fields
# then hold the true defaults, which is all knowledge/slotted.py reads (no pydantic internals). Each class's validator
# is built when the class first validates, not at import: a cached start only unpickles them, through restorers, and
# building them all took 40% of this module's import (70 ms of a 0.6 s start).
_STRICT = ConfigDict(extra="forbid", defer_build=True)


class EntityKind(StrEnum):
    COMPANY = "company"
    ORGANISATION = "organisation"
    PERSON = "person"
    THREAT_ACTOR = "threat actor"
    OPERATION = "operation"
    BOTNET = "botnet"
    GOVERNMENT_BODY = "government body"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameType(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    FORMER = "former name"
    NON_LATIN = "non-Latin script"
    VENDOR = "vendor name"
    # A name a source gives activity that overlaps this entity's, without saying they are one ("partially
    # overlaps"): found by lookup, never a reason to merge cards.
    OVERLAP = "name of overlapping activity"
    # A weak alias (OFAC's "weak a.k.a.", a very short name) matches only as an exact whole-name hit.
    WEAK = "weak alias"
    # A card's acronym, one its list writes in brackets after its name and that is not the initials of its words
    # ("85th Main Special Service Centre (GTsSS)"): an alias typed exactly, never a near spelling, never a reason to
    # merge cards (two of the UK's entities are "ICI"). The list's record stores it as a weak alias, a type every
    # version of the store's readers knows; the merge makes it the card's acronym.
    ACRONYM = "acronym"


# The names only typed exactly find: never through a near spelling of them, as a few letters are another's too.
EXACT_NAME_TYPES = frozenset({NameType.WEAK, NameType.ACRONYM})


class SourceKind(StrEnum):
    ARTICLE = "news article"
    ANNOUNCEMENT = "government announcement"
    SANCTIONS_ACTION = "sanctions action"
    ADVISORY = "advisory"
    INDICTMENT = "indictment"
    LIST = "official list"
    REPORT = "report"
    CATALOGUE = "threat-intelligence catalogue"


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Source:
    id: str
    title: str
    publisher: str
    # Who says it, in a few words for a chat line ("UK FCDO", "13-country joint advisory").
    by: str
    kind: SourceKind
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Name:
    value: Annotated[str, Field(min_length=1)]
    type: NameType = NameType.ALIAS
    lang: str | None = None
    # Who uses this name (a vendor for threat-actor names) and where we read it.
    used_by: str | None = None
    source: str | None = None
    note: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class RecordRef:
    """One official-list or catalogue record an entity's card joins, and what that record says in its own words."""

    list: str
    record_id: str
    name: str
    source: str
    remarks: str | None = None
    url: str | None = None
    delisted_on: dt.date | None = None
    # False when delisted_on is only the day a copy without the record was loaded: the publisher's date is unknown.
    delisted_on_known: bool = True
    # The publisher's date of the last edition loaded that still held the record: it went after that day.
    delisted_after: dt.date | None = None
    # The as-of date of the oldest snapshot in the store that holds the record: on the list since at least then.
    first_seen: dt.date | None = None
    # False when that snapshot's publisher states no date: first_seen is then only the day it was loaded.
    first_seen_known: bool = True
    # The addresses the record states, as the list writes them.
    addresses: tuple[str, ...] = ()


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Entity:
    id: str
    kind: EntityKind
    caption: str
    names: tuple[Name, ...]
    country: str | None = None
    summary: str | None = None
    identifiers: dict[str, str] = dataclasses.field(default_factory=dict)
    sources: tuple[str, ...] = ()
    records: tuple[RecordRef, ...] = ()
    # Every country a source states for the entity, (ISO code, source id): where sources disagree, the card
    # shows each with its source.
    countries: tuple[tuple[str, str], ...] = ()
    # Why the records above share one card, one sentence per join ("... both give UN reference KPe.033").
    joined_on: tuple[str, ...] = ()

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.type is NameType.PRIMARY:
                return name.value
        return self.caption

    @property
    def stated_countries(self) -> set[str]:
        """Every country code a source states for the entity: its country and each of `countries`."""
        return {code for code, _ in self.countries} | ({self.country} if self.country else set())


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Sanction:
    id: str
    entity: str
    authority: str
    regime: str
    # None where the list states no designation date (OFAC's legacy files do not).
    listed_on: dt.date | None
    source: str
    programmes: tuple[str, ...] = ()
    list_ref: str | None = None
    list_source: str | None = None
    measures: tuple[str, ...] = ()
    reasons: str | None = None
    ended_on: dt.date | None = None
    # False when ended_on is only the day a copy of the list without the record was loaded (no publisher's date).
    ended_on_known: bool = True
    # For a delisting seen between two editions: the date of the last one that still held it (None where the list
    # states the end date, or no dated edition held it before).
    ended_after: dt.date | None = None
    # The regime as the publisher names it, for regimes without a key of our own.
    regime_name: str | None = None

    @property
    def is_active(self) -> bool:
        """In force today: no end date, or one still to come (OpenSanctions carries end dates set in advance)."""
        return self.ended_on is None or self.ends_later

    @property
    def ends_later(self) -> bool:
        """Whether the list gives an end date that has not come yet: a listing that will end, not a delisting."""
        return self.ended_on is not None and self.ended_on > dt.datetime.now(dt.UTC).date()


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Allegation:
    id: str
    subject: str
    # Worded as the claim of whoever makes it ("The FCDO alleges that ..."), never as a fact.
    statement: str
    alleged_by: str
    date: dt.date
    source: str
    alleged_by_entities: tuple[str, ...] = ()


class Predicate(StrEnum):
    OPERATES = "operates"
    FOUNDED = "founded"
    FRONT_FOR = "is alleged to be a front for"
    LINKED_TO = "linked to"
    PART_OF = "part of"
    NAMED_IN = "named in"
    CO_DESIGNATED = "co-designated with"
    # Export-control listings of one action (the Entity List): listed together, never "designated" as sanctions are.
    CO_LISTED = "co-listed (export controls) with"
    NAMED_WITH = "named alongside"
    SAME_AS = "same as"
    SIMILAR_TO = "likely similar to"
    # Two cards the merge left apart though their names are one name as two lists write it: every "no" names it.
    POSSIBLY_SAME = "possibly the same subject as"
    OVERLAPS = "overlaps with"
    # A catalogue's attribution of a hacking group to a state body ("APT28 ... has been attributed to Russia's ...
    # (GTsSS) military unit 26165", MITRE ATT&CK): the catalogue's word, shown as such, never a merge.
    ATTRIBUTED_TO = "attributed to"

    @property
    def inverse(self) -> str:
        return _INVERSE.get(self, self.value)


_INVERSE = {
    Predicate.OPERATES: "operated by",
    Predicate.FOUNDED: "founded by",
    Predicate.FRONT_FOR: "allegedly uses as a front",
    Predicate.PART_OF: "includes",
    Predicate.ATTRIBUTED_TO: "said to be behind",
}


@fast_pickle
@dataclass(frozen=True, slots=True, config=_STRICT)
class Relation:
    id: str
    subject: str
    predicate: Predicate
    object: str
    source: str
    date: dt.date | None = None
    confidence: str = "stated"
    note: str | None = None
