"""A record of an official list or catalogue, as its importer parses it: the unit the store keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from functools import cache
from typing import Any, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from knowledge.models import EntityKind, NameType
from knowledge.shown import clean_input, one_line

__all__ = [
    "ListedName",
    "ListedRecord",
    "ListedSanction",
    "RecordLink",
    "read_record",
    "record_json",
    "replaced",
    "sanction_json",
]

# Slotted dataclasses validated like pydantic models (types, required fields, no unknown keys): building a knowledge
# base reads every stored record at once, and as pydantic models the 25,891 real ones took 110 MB, a third of the
# first start's peak (each model carries a __dict__ and a set of the fields it was given).
# Their validators are built when first used (defer_build): a cached start reads no record, and building them took a
# thirtieth of it.
_STRICT = ConfigDict(extra="forbid", defer_build=True)
# Fields whose few values recur on thousands of records (an authority, a regime, a country, a programme): one
# string object each, not one per record.
_SHARED = frozenset(
    {"authority", "regime", "regime_name", "country", "lang", "used_by", "source", "type", "programmes", "measures"}
)
T = TypeVar("T")


def _shared(value: str) -> str:
    return sys.intern(value) if type(value) is str else value


class _Shown:
    __slots__ = ()  # else every record would carry a __dict__ besides its slots

    # List data is shown in Slack, Discord, terminals, pictures and files: control and invisible characters go at
    # the door, on import and on every load (stores written before keep what they had). A name is one line.
    @field_validator("*", mode="before")
    @classmethod
    def _shown(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            value = one_line(value) if info.field_name in ("name", "value") else clean_input(value)
            # An importer may give an enum member (a str subclass), which cannot be interned and need not be.
            return _shared(value) if info.field_name in _SHARED else value
        if isinstance(value, (list, tuple)) and value and all(isinstance(item, str) for item in value):
            cleaned = [clean_input(item) for item in value]  # programmes, measures, addresses
            return [_shared(item) for item in cleaned] if info.field_name in _SHARED else cleaned
        if isinstance(value, dict) and all(isinstance(item, str) for item in value.values()):
            # Identifiers: a place of birth or a passport's text is shown as a name is, on one line.
            return {label: one_line(item) for label, item in value.items()}
        return value


@dataclass(frozen=True, slots=True, config=_STRICT)
class ListedName(_Shown):
    value: str
    type: NameType = NameType.ALIAS
    lang: str | None = None
    used_by: str | None = None


@dataclass(frozen=True, slots=True, config=_STRICT)
class RecordLink(_Shown):
    """A link a record states to another record of the same list (MISP's "similar", OFAC's "Linked To")."""

    target: str
    type: str


@dataclass(frozen=True, slots=True, config=_STRICT)
class ListedSanction(_Shown):
    """A sanction an aggregated record states (OpenSanctions); single-list records use their own fields."""

    authority: str
    regime: str | None = None
    regime_name: str | None = None
    listed_on: dt.date | None = None
    ended_on: dt.date | None = None
    reasons: str | None = None
    measures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, config=_STRICT)
class ListedRecord(_Shown):
    source: str
    record_id: str
    kind: EntityKind
    name: str
    names: tuple[ListedName, ...] = ()
    country: str | None = None
    authority: str | None = None
    programmes: tuple[str, ...] = ()
    regime: str | None = None
    regime_name: str | None = None
    listed_on: dt.date | None = None
    ended_on: dt.date | None = None
    measures: tuple[str, ...] = ()
    reasons: str | None = None
    remarks: str | None = None
    addresses: tuple[str, ...] = ()
    identifiers: dict[str, str] = dataclasses.field(default_factory=dict)
    # Ids of the same entity on other lists, written "<list>:<id>" (e.g. "un:QDi.006", "ofsi-group:16460").
    cross_refs: tuple[str, ...] = ()
    links: tuple[RecordLink, ...] = ()
    sanctions: tuple[ListedSanction, ...] = ()
    url: str | None = None
    # A digest of the record's rows as published, so that a change in a detail we do not model (a date of
    # birth, a passport) still shows as an amendment.
    raw_hash: str | None = None


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def read_record(payload: str | bytes) -> ListedRecord:
    """A record from the JSON the store keeps, validated (and its text cleaned) as an importer's would be."""
    return _adapter(ListedRecord).validate_json(payload)


def record_json(record: ListedRecord) -> str:
    """The JSON the store keeps for a record: fields left at their defaults are not written."""
    return _adapter(ListedRecord).dump_json(record, exclude_defaults=True).decode()


def sanction_json(sanction: ListedSanction) -> str:
    """A sanction as JSON, every field written (what an OpenSanctions record's raw hash digests)."""
    return _adapter(ListedSanction).dump_json(sanction).decode()


def replaced(item: T, **changes: Any) -> T:
    """A copy of a record (or a part of one) with some fields changed, the values already valid: not validated
    again, as pydantic's model_copy did not."""
    values = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}  # type: ignore[arg-type]
    copy = object.__new__(type(item))
    for name, value in {**values, **changes}.items():
        object.__setattr__(copy, name, value)
    return copy
