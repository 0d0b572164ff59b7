"""Change detection between consecutive snapshots of a list, and between versions of the curated data."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from knowledge.lists.identifiers import STRONG_LABELS, split_values
from knowledge.lists.records import ListedRecord, ListedSanction
from knowledge.models import NameType

__all__ = ["OTHER_DETAILS", "ChangeEvent", "ChangeKind", "FieldChange", "diff_facts", "diff_records"]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    AMENDED = "amended"


class FieldChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    before: Any = None
    after: Any = None


class ChangeEvent(BaseModel):
    """One change on one list: a designation added, removed (delisted) or amended, with what changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = None
    source: str
    kind: ChangeKind
    record_id: str
    entity_name: str
    as_of: dt.date
    previous_as_of: dt.date | None = None
    # False when as_of is only the load day of a copy whose publisher's date is unknown (set when read back).
    as_of_known: bool = True
    entity_kind: str | None = None
    country: str | None = None
    authority: str | None = None
    programmes: tuple[str, ...] = ()
    regime: str | None = None
    reasons: str | None = None
    changes: tuple[FieldChange, ...] = Field(default_factory=tuple)


# A change in a published detail that records do not model (a date of birth, a passport number).
OTHER_DETAILS = "other listed details"

# What an analyst calls each part of a record when it changes.
_FIELDS = {
    "names": lambda r: sorted(n.value for n in r.names),
    "programmes": lambda r: sorted(r.programmes),
    "regime": lambda r: r.regime_name or r.regime,
    "addresses": lambda r: sorted(r.addresses),
    "remarks": lambda r: r.remarks,
    "reasons": lambda r: r.reasons,
    "type": lambda r: r.kind.value,
    "country": lambda r: r.country,
    "measures": lambda r: sorted(r.measures),
    "listing date": lambda r: r.listed_on.isoformat() if r.listed_on else None,
    "end date": lambda r: r.ended_on.isoformat() if r.ended_on else None,
    "links": lambda r: sorted(f"{link.type}: {link.target}" for link in r.links),
    "references on other lists": lambda r: sorted(r.cross_refs),
    "designations": lambda r: sorted(_designation(s) for s in r.sanctions),
    "web page": lambda r: r.url,
}

# Between two formats, the names both can state: OFAC's Enhanced XML gives names in other scripts, its CSV none.
_ACROSS_FORMATS = {"names": lambda r: sorted(n.value for n in r.names if n.type is not NameType.NON_LATIN)}


def _format(record: ListedRecord) -> str:
    """The format a record was read from, where its importer tags its raw_hash with one ("ofac-enhanced:…")."""
    tag, colon, _ = (record.raw_hash or "").partition(":")
    return tag if colon else ""


def _designation(sanction: ListedSanction) -> str:
    values = [getattr(sanction, field.name) for field in dataclasses.fields(sanction)]
    return " · ".join(", ".join(v) if isinstance(v, tuple) else str(v) for v in values if v not in (None, ()))


def _identifier_changes(old: ListedRecord, new: ListedRecord) -> list[FieldChange]:
    """One change per identifier label (a vessel's call sign and flag, a date of birth, a passport): each named as
    the list names it, so an amendment shows every detail that changed, not only the names and remarks. A label's
    values are compared as a set: the same values listed in another order (OFAC reorders a record's ids from one
    edition to the next) are no change."""
    return [
        FieldChange(field=label, before=old.identifiers.get(label), after=new.identifiers.get(label))
        for label in sorted(old.identifiers.keys() | new.identifiers.keys())
        if set(split_values(old.identifiers.get(label))) != set(split_values(new.identifiers.get(label)))
    ]


def _event(
    record: ListedRecord, kind: ChangeKind, as_of: dt.date, previous: dt.date | None, **extra: Any
) -> ChangeEvent:
    return ChangeEvent(
        source=record.source,
        kind=kind,
        record_id=record.record_id,
        entity_name=record.name,
        as_of=as_of,
        previous_as_of=previous,
        entity_kind=record.kind.value,
        country=record.country,
        authority=record.authority,
        programmes=record.programmes,
        regime=record.regime,
        reasons=record.reasons,
        **extra,
    )


def diff_records(
    before: Mapping[str, ListedRecord],
    after: Mapping[str, ListedRecord],
    *,
    as_of: dt.date,
    previous_as_of: dt.date | None,
) -> list[ChangeEvent]:
    """Added, removed and amended records, keyed by the list's own record id, in a stable order."""
    events = []
    for record_id in sorted(after.keys() - before.keys()):
        events.append(_event(after[record_id], ChangeKind.ADDED, as_of, previous_as_of))
    for record_id in sorted(before.keys() - after.keys()):
        events.append(_event(before[record_id], ChangeKind.REMOVED, as_of, previous_as_of))
    for record_id in sorted(before.keys() & after.keys()):
        old, new = before[record_id], after[record_id]
        # The same published rows (one raw_hash, which names its format) are no change on the list, whatever an
        # importer reads of them now that it did not before: a reading corrected between two loads is not an amendment.
        if old == new or (old.raw_hash is not None and old.raw_hash == new.raw_hash):
            continue
        # A list loaded in another of its publisher's formats (OFAC's CSV, then its Enhanced XML) is not amended
        # by what one format states and the other cannot (a listing date), nor by the other bytes it is written in.
        same_format = _format(old) == _format(new)
        fields = _FIELDS if same_format else {**_FIELDS, **_ACROSS_FORMATS}
        changes = []
        for field, read in fields.items():
            was, now = read(old), read(new)
            if was != now and (same_format or (was not in (None, []) and now not in (None, []))):
                changes.append(FieldChange(field=field, before=was, after=now))
        # Across formats, only the strong identifiers both state (each compared as a set of values, as every label
        # is): the formats word the others differently (OFAC's directive texts), which is no change.
        changes += [
            c
            for c in _identifier_changes(old, new)
            if same_format or (c.field in STRONG_LABELS and c.before and c.after)
        ]
        if not changes and same_format and old.raw_hash != new.raw_hash:
            changes.append(FieldChange(field=OTHER_DETAILS))
        if changes:
            events.append(_event(new, ChangeKind.AMENDED, as_of, previous_as_of, changes=tuple(changes)))
    return events


def diff_facts(
    before: Mapping[str, dict[str, Any]],
    after: Mapping[str, dict[str, Any]],
    *,
    as_of: dt.date,
    names: Mapping[str, str],
    kinds: Mapping[str, str] | None = None,
) -> list[ChangeEvent]:
    """Changes in the curated data: a sanction, allegation or relation added, removed or reworded."""
    events = []

    def event(fact_id: str, fact: dict[str, Any], kind: ChangeKind, changes: Iterable[FieldChange] = ()) -> ChangeEvent:
        subject = fact.get("entity") or fact.get("subject") or ""
        return ChangeEvent(
            source="curated",
            kind=kind,
            record_id=fact_id,
            entity_name=names.get(subject, subject),
            entity_kind=(kinds or {}).get(subject),
            as_of=as_of,
            authority=fact.get("authority"),
            programmes=tuple(fact.get("programmes", ())),
            regime=fact.get("regime"),
            reasons=fact.get("reasons") or fact.get("statement"),
            changes=tuple(changes),
        )

    for fact_id in sorted(after.keys() - before.keys()):
        events.append(event(fact_id, after[fact_id], ChangeKind.ADDED))
    for fact_id in sorted(before.keys() - after.keys()):
        events.append(event(fact_id, before[fact_id], ChangeKind.REMOVED))
    for fact_id in sorted(before.keys() & after.keys()):
        old, new = before[fact_id], after[fact_id]
        if old != new:
            changed = [
                FieldChange(field=k, before=old.get(k), after=new.get(k))
                for k in sorted(old.keys() | new.keys())
                if old.get(k) != new.get(k)
            ]
            events.append(event(fact_id, new, ChangeKind.AMENDED, changed))
    return events
