"""A record of an official list or catalogue, as its importer parses it: the unit the store keeps."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from knowledge.models import EntityKind, NameType
from knowledge.shown import clean_input, one_line

__all__ = ["ListedName", "ListedRecord", "ListedSanction", "RecordLink"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # List data is shown in Slack, Discord, terminals, pictures and files: control and invisible characters go at
    # the door, on import and on every load (stores written before keep what they had). A name is one line.
    @field_validator("*", mode="before")
    @classmethod
    def _shown(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            return one_line(value) if info.field_name in ("name", "value") else clean_input(value)
        if isinstance(value, (list, tuple)) and value and all(isinstance(item, str) for item in value):
            return [clean_input(item) for item in value]  # programmes, measures, addresses
        return value


class ListedName(_Model):
    value: str
    type: NameType = NameType.ALIAS
    lang: str | None = None
    used_by: str | None = None


class RecordLink(_Model):
    """A link a record states to another record of the same list (MISP's "similar", OFAC's "Linked To")."""

    target: str
    type: str


class ListedSanction(_Model):
    """A sanction an aggregated record states (OpenSanctions); single-list records use their own fields."""

    authority: str
    regime: str | None = None
    regime_name: str | None = None
    listed_on: dt.date | None = None
    ended_on: dt.date | None = None
    reasons: str | None = None
    measures: tuple[str, ...] = ()


class ListedRecord(_Model):
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
    identifiers: dict[str, str] = Field(default_factory=dict)
    # Ids of the same entity on other lists, written "<list>:<id>" (e.g. "un:QDi.006", "ofsi-group:16460").
    cross_refs: tuple[str, ...] = ()
    links: tuple[RecordLink, ...] = ()
    sanctions: tuple[ListedSanction, ...] = ()
    url: str | None = None
    # A digest of the record's rows as published, so that a change in a detail we do not model (a date of
    # birth, a passport) still shows as an amendment.
    raw_hash: str | None = None
