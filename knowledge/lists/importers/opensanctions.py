"""OpenSanctions FollowTheMoney data: entities.ftm.json lines, nested targets, and ADD/MOD/DEL delta files."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import DataError
from knowledge.lists.identifiers import (
    BIRTH_DATE,
    IMO,
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    REGISTRATION,
    SWIFT,
    add_identifier,
    birth_date,
    birth_place,
)
from knowledge.lists.importers.common import ParsedList, decode_text, load_json, raw_hash, read_bytes, shape_errors
from knowledge.lists.records import ListedName, ListedRecord, ListedSanction, sanction_json
from knowledge.models import EntityKind, NameType

__all__ = ["DeltaOp", "parse_opensanctions"]

SOURCE = "opensanctions"
_KINDS = {
    "Person": EntityKind.PERSON,
    "Company": EntityKind.COMPANY,
    "Organization": EntityKind.ORGANISATION,
    "LegalEntity": EntityKind.ORGANISATION,
    "PublicBody": EntityKind.GOVERNMENT_BODY,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
_NAME_PROPS = (
    ("name", NameType.PRIMARY),
    ("alias", NameType.ALIAS),
    ("previousName", NameType.FORMER),
    ("weakAlias", NameType.WEAK),
)
# A referent's prefix says which list it comes from; these are the lists briefbot also imports.
_REFERENTS = (
    (re.compile(r"^ofac-(\d+)$"), "ofac"),
    (re.compile(r"^gb-hmt-(\d+)$"), "ofsi-group"),
    (re.compile(r"^un-sc-.*?-([A-Z]{2}[ie]\.\d+)$"), "un"),
)
# Datasets whose "Sanction" entities are no sanction: a UK director's disqualification (Companies House, "The
# Insolvency Service") and a US federal debarment (SAM exclusions) read as "UK ... sanctions regime" on Zala Aero's
# card.
_NOT_SANCTIONS = frozenset({"gb_coh_disqualified", "us_sam_exclusions"})
_AUTHORITY_PREFIXES = (("us-ofac", "US-OFAC"), ("ofac", "US-OFAC"), ("gb-", "GB-FCDO"), ("un-", "UN-SC"), ("eu-", "EU"))


@dataclass(frozen=True, slots=True)
class DeltaOp:
    op: str
    record_id: str
    record: ListedRecord | None


def _date(values: list[str] | None) -> dt.date | None:
    for value in values or []:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _not_a_sanction(datasets: list[str]) -> bool:
    """Whether a "Sanction" entity comes only from datasets of other measures (_NOT_SANCTIONS)."""
    return bool(datasets) and set(datasets) <= _NOT_SANCTIONS


def _authority(sanction_id: str, datasets: list[str]) -> str:
    for candidate in (sanction_id, *datasets):
        for prefix, key in _AUTHORITY_PREFIXES:
            if candidate.replace("_", "-").startswith(prefix):
                return key
    return "OTHER"


def _sanction(data: dict[str, Any], datasets: list[str]) -> ListedSanction:
    props = data.get("properties", {})
    program = (props.get("program") or props.get("programId") or [None])[0]
    return ListedSanction(
        authority=_authority(data.get("id", ""), datasets),
        regime_name=program or (props.get("authority") or [None])[0],
        listed_on=_date(props.get("listingDate")) or _date(props.get("startDate")),
        ended_on=_date(props.get("endDate")),
        reasons=(props.get("reason") or [None])[0],
        measures=tuple(props.get("provisions", [])),
    )


def _record(data: dict[str, Any], sanctions: list[ListedSanction], where: str) -> ListedRecord | None:
    schema = data.get("schema")
    kind = _KINDS.get(schema or "")
    if kind is None:
        return None
    entity_id = data.get("id")
    if not entity_id:
        raise DataError(f"{where}: an entity without an id.")
    props = data.get("properties", {})
    names = []
    for prop, name_type in _NAME_PROPS:
        for value in props.get(prop, []):
            if isinstance(value, str) and value.strip():
                names.append(ListedName(value=value.strip(), type=name_type))
    caption = data.get("caption") or (names[0].value if names else None)
    if not caption:
        raise DataError(f"{where}: entity {entity_id} has no name.")
    if not any(n.type is NameType.PRIMARY for n in names):
        names.insert(0, ListedName(value=caption, type=NameType.PRIMARY))
    countries = props.get("country") or props.get("nationality") or props.get("jurisdiction") or []
    cross_refs = []
    for referent in data.get("referents", []):
        for pattern, prefix in _REFERENTS:
            match = pattern.match(referent)
            if match:
                cross_refs.append(f"{prefix}:{match.group(1)}")
    for nested in props.get("sanctions", []):
        if isinstance(nested, dict) and not _not_a_sanction(nested.get("datasets") or data.get("datasets", [])):
            sanctions.append(_sanction(nested, data.get("datasets", [])))
    return ListedRecord(
        source=SOURCE,
        record_id=entity_id,
        kind=kind,
        name=caption,
        names=tuple({n.value.casefold(): n for n in reversed(names)}.values())[::-1],
        country=countries[0].upper()
        if countries and isinstance(countries[0], str) and len(countries[0]) == 2
        else None,
        remarks=(props.get("notes") or [None])[0],
        identifiers={"OpenSanctions id": entity_id, **_strong_identifiers(props)},
        cross_refs=tuple(cross_refs),
        sanctions=tuple(sanctions),
        url=f"https://www.opensanctions.org/entities/{entity_id}/",
        raw_hash=raw_hash(json.dumps(data, sort_keys=True), sorted(sanction_json(s) for s in sanctions)),
    )


# FollowTheMoney properties holding strong identifiers, and the label each is kept under.
_STRONG_PROPS = (
    ("passportNumber", PASSPORT),
    ("idNumber", NATIONAL_ID),
    ("imoNumber", IMO),
    ("registrationNumber", REGISTRATION),
    ("swiftBic", SWIFT),
)


def _strong_identifiers(props: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in props.get("birthDate", []):
        if isinstance(value, str):
            add_identifier(found, BIRTH_DATE, birth_date(value[:10]))
    for value in props.get("birthPlace", []):
        if isinstance(value, str):
            add_identifier(found, PLACE_OF_BIRTH, birth_place(value))
    for prop, label in _STRONG_PROPS:
        for value in props.get(prop, []):
            if isinstance(value, str):
                add_identifier(found, label, value)
    return found


def _lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = decode_text(read_bytes(path), path.name, fallback=None)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = load_json(line, f"{path.name}: line {number}")
        if not isinstance(value, dict):
            raise DataError(f"{path.name}: line {number}: expected a JSON object per line (FollowTheMoney lines).")
        out.append((number, value))
    return out


def parse_opensanctions(paths: list[Path]) -> tuple[ParsedList, list[DeltaOp]]:
    """Records of entity files, and the operations of delta files, in the order given."""
    records: dict[str, ListedRecord] = {}
    ops: list[DeltaOp] = []
    newest: list[dt.date] = []
    for path in paths:
        lines = _lines(path)
        if not lines:
            raise DataError(f"{path.name}: no entities in the file.")
        if "op" in lines[0][1]:
            for number, line in lines:
                where = f"{path.name}: line {number}"
                op = str(line.get("op", "")).upper()
                entity = line.get("entity") or {}
                if op not in ("ADD", "MOD", "DEL") or not isinstance(entity, dict) or not entity.get("id"):
                    raise DataError(f"{where}: a delta line needs op ADD, MOD or DEL and an entity id.")
                with shape_errors(where):
                    record = None if op == "DEL" else _record(entity, [], where)
                    ops.append(DeltaOp(op, str(entity["id"]), record))
            continue
        if "schema" not in lines[0][1]:
            raise DataError(f"{path.name}: line {lines[0][0]}: no 'schema' key: not FollowTheMoney JSON lines.")
        sanctions: dict[str, list[ListedSanction]] = {}
        by_id: dict[str, dict[str, Any]] = {}
        for number, line in lines:
            entity_id = line.get("id")
            if not entity_id or not isinstance(entity_id, str):
                raise DataError(f"{path.name}: line {number}: an entity without an id.")
            if entity_id in by_id:
                raise DataError(f"{path.name}: line {number}: duplicate entity id {entity_id!r}.")
            by_id[entity_id] = line
            with shape_errors(f"{path.name}: line {number}"):
                if line.get("schema") == "Sanction":
                    targets = line.get("properties", {}).get("entity", [])  # read (and its shape checked) either way
                    for target in targets if not _not_a_sanction(line.get("datasets", [])) else ():
                        sanctions.setdefault(target, []).append(_sanction(line, line.get("datasets", [])))
            seen = line.get("last_seen")
            if isinstance(seen, str) and (day := _date([seen])):
                newest.append(day)
        for number, line in lines:
            if line.get("target") is False:
                continue
            where = f"{path.name}: line {number}"
            with shape_errors(where):
                record = _record(line, sanctions.get(line["id"], []), where)
            if record is not None:
                records[record.record_id] = record
    return ParsedList(source=SOURCE, records=list(records.values()), as_of=max(newest) if newest else None), ops
