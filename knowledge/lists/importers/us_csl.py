"""trade.gov's Consolidated Screening List (CSV or JSON): each source list under the body that keeps it.

The CSL brings together the export screening lists of Commerce (BIS: Entity List, Denied Persons, Unverified,
Military End-User), State (DDTC's ITAR debarments, ISN's nonproliferation sanctions) and the Treasury (OFAC's SDN and
non-SDN lists). BIS's and DDTC's listings are export controls, never sanctions: their records carry the authority
whose `measure` says so (knowledge/authorities.py), and the list each is on as its regime ("Entity List").

The JSON reader follows the documented shape of trade.gov's API and bulk JSON ({"results": [...]}, addresses and
ids as objects, names and dates as arrays); no real JSON file was at hand, so it is tested on the real CSV rows
converted field by field."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import DataError
from knowledge.lists.identifiers import (
    BIRTH_DATE,
    PLACE_OF_BIRTH,
    add_identifier,
    birth_date,
    birth_place,
    ofac_identifier,
)
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    decode_text,
    ends_mid_line,
    load_json,
    raw_hash,
    read_bytes,
    shape_errors,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["COLUMNS", "SOURCE", "SUBLISTS", "Sublist", "parse_us_csl", "sublist_of"]

SOURCE = "us-csl"
# The CSV's columns as trade.gov published them in 2019 (a later `_id` first column is read when present).
COLUMNS = (
    "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
    "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url",
    "ids",
)  # fmt: skip
_REQUIRED = ("source", "name")
# The CSV writes several values in one cell, separated so.
_MANY = "; "
_LIST_FIELDS = (
    "programs",
    "addresses",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "places_of_birth",
    "nationalities",
    "ids",
)


@dataclass(frozen=True, slots=True)
class Sublist:
    """One of the lists the CSL brings together: its code, the authority that keeps it, and its name."""

    code: str
    authority: str
    name: str


# By the code in brackets in the `source` column ("Entity List (EL) - Bureau of Industry and Security").
SUBLISTS = {
    s.code: s
    for s in (
        Sublist("EL", "US-BIS", "Entity List"),
        Sublist("DPL", "US-BIS", "Denied Persons List"),
        Sublist("UVL", "US-BIS", "Unverified List"),
        Sublist("MEU", "US-BIS", "Military End-User List"),
        Sublist("DTC", "US-DDTC", "ITAR Debarred list"),
        Sublist("ISN", "US-ISN", "Nonproliferation Sanctions"),
        Sublist("SDN", "US-OFAC", "SDN List"),
        Sublist("SSI", "US-OFAC", "Sectoral Sanctions Identifications List"),
        Sublist("FSE", "US-OFAC", "Foreign Sanctions Evaders List"),
        Sublist("PLC", "US-OFAC", "Palestinian Legislative Council List"),
        Sublist("CAP", "US-OFAC", "CAPTA List"),
        Sublist("MBS", "US-OFAC", "Non-SDN Menu-Based Sanctions List"),
        Sublist("CMIC", "US-OFAC", "Non-SDN Chinese Military-Industrial Complex Companies List"),
        Sublist("561", "US-OFAC", "Part 561 List"),
    )
}
# Where trade.gov adds a list under a new code, its department still tells whose it is.
_DEPARTMENTS = (
    ("bureau of industry and security", "US-BIS"),
    ("debarred", "US-DDTC"),
    ("treasury", "US-OFAC"),
)
_CODE = re.compile(r"\(([^)]+)\)")
_KINDS = {"individual": EntityKind.PERSON, "vessel": EntityKind.VESSEL, "aircraft": EntityKind.AIRCRAFT}
# BIS's and State's lists state no type: a name with one of these words, or a digit, is an organisation's.
_ORGANISATION = re.compile(
    r"\d|&|\(|\b(?:ltd|limited|inc|incorporated|corp|corporation|co|company|llc|gmbh|s\.?a|srl|llp|plc|jsc|ojsc|ao|oao|"
    r"ooo|group|industr\w*|institute|university|academy|bureau|center|centre|laborator\w*|regiment|airlines?|"
    r"aviation|trading|technolog\w*|electronics?|systems?|international|enterprises?|holdings?|services?|"
    r"engineering|research|ministry|department|bank|factory|plant|works|shipping|logistics|import|export|"
    r"solutions|network\w*|aerospace|contracting|technik|digital|office|agency|committee|organi[sz]ation|"
    r"school|hospital|firm)\b",
    re.IGNORECASE,
)
_MOST_WORDS_OF_A_PERSON = 5


def sublist_of(source: str) -> Sublist:
    """The list a row is on, from its `source` column."""
    found = _CODE.search(source)
    code = (found.group(1) if found else "").upper().removesuffix(" LIST").removeprefix("NS-").strip()
    if code in SUBLISTS:
        return SUBLISTS[code]
    lowered = source.casefold()
    for word, authority in _DEPARTMENTS:
        if word in lowered:
            return Sublist(code or "OTHER", authority, source.split(" (")[0].split(" - ")[0].strip())
    raise DataError(f"a source list the CSL does not name a known body for: {source[:120]!r}.")


def _kind(stated: str, name: str) -> EntityKind:
    if stated.strip():
        return _KINDS.get(stated.strip().casefold(), EntityKind.COMPANY)
    words = len(name.split())
    if _ORGANISATION.search(name) or words == 1 or words > _MOST_WORDS_OF_A_PERSON:
        return EntityKind.COMPANY
    return EntityKind.PERSON


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _csv_rows(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or ()]
    missing = [c for c in (*_REQUIRED, "source_list_url") if c not in header]
    if missing:
        raise DataError(f"{name}: not the Consolidated Screening List's CSV (no {', '.join(missing)} column).")
    rows = []
    for number, row in enumerate(reader, start=1):
        cells = sum(1 for k, v in row.items() if k is not None and v is not None) + len(row.get(None) or ())
        if cells != len(header):
            raise DataError(f"{name}: row {number} has {cells} cells, not {len(header)} (a cut or damaged row?).")
        values: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in row.items()}
        for field in _LIST_FIELDS:
            values[field] = _split(values.get(field, ""))
        values["ids"] = [_csv_id(part) for part in values["ids"]]
        values["addresses"] = [{"address": part} for part in values["addresses"]]
        values["_line"] = number
        rows.append(values)
    return rows


def _csv_id(text: str) -> dict[str, str]:
    """ "US, 80-0890696, Tax ID No." or "5030056754, Tax ID No.": country (where given), number, type."""
    parts = [p.strip() for p in text.split(", ")]
    if len(parts) >= 3 and re.fullmatch(r"[A-Z]{2}", parts[0]):
        return {"country": parts[0], "number": ", ".join(parts[1:-1]), "type": parts[-1]}
    if len(parts) >= 2:
        return {"number": ", ".join(parts[:-1]), "type": parts[-1]}
    return {"number": text, "type": ""}


def _json_rows(text: str, name: str) -> list[dict[str, Any]]:
    data = load_json(text, name)
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise DataError(f'{name}: not the Consolidated Screening List\'s JSON (no "results" array).')
    rows = []
    for number, item in enumerate(results, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{name}: result #{number} is not an object.")
        values: dict[str, Any] = {}
        for key, value in item.items():
            if key in _LIST_FIELDS:
                listed = value if isinstance(value, list) else _split(value) if isinstance(value, str) else []
                values[key] = listed
            else:
                values[key] = "" if value is None else value if isinstance(value, str) else str(value)
        for field in _LIST_FIELDS:
            values.setdefault(field, [])
        values["addresses"] = [a if isinstance(a, dict) else {"address": str(a)} for a in values["addresses"]]
        values["ids"] = [i if isinstance(i, dict) else _csv_id(str(i)) for i in values["ids"]]
        values["_line"] = number
        rows.append(values)
    return rows


def _address(address: dict[str, Any]) -> tuple[str, str | None]:
    parts = [str(address.get(k) or "").strip() for k in ("address", "city", "state", "postal_code", "country")]
    text = ", ".join(p for p in parts if p)
    country = parts[4] or (text.rsplit(", ", 1)[-1] if ", " in text else "")
    return text, (country.upper() if re.fullmatch(r"[A-Za-z]{2}", country) else country_code(country))


def _record_id(sublist: Sublist, rows: list[dict[str, Any]]) -> str:
    """The list's code and OFAC's entry number where the row has one; else a digest of the name, the same whichever
    format the list is read from (trade.gov's own JSON ids are not in its CSV)."""
    number = str(rows[0].get("entity_number") or "").strip()
    if number:
        return f"{sublist.code}-{number}"
    return f"{sublist.code}-{raw_hash(' '.join(str(rows[0]['name']).casefold().split()))[:12]}"


def _record(sublist: Sublist, rows: list[dict[str, Any]], tag: str, where: str) -> ListedRecord:
    first = rows[0]
    name = " ".join(str(first["name"]).split())
    names = [ListedName(value=name, type=NameType.PRIMARY)]
    seen = {name.casefold()}
    addresses: list[str] = []
    country = None
    identifiers: dict[str, str] = {}
    programmes: list[str] = []
    for row in rows:
        for alias in row["alt_names"]:
            alias = " ".join(str(alias).split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                names.append(ListedName(value=alias, type=NameType.ALIAS))
        for address in row["addresses"]:
            text, code = _address(address)
            if text and text not in addresses:
                addresses.append(text)
            country = country or code
        for born in row["dates_of_birth"]:
            add_identifier(identifiers, BIRTH_DATE, birth_date(str(born)))
        for born in row["places_of_birth"]:
            add_identifier(identifiers, PLACE_OF_BIRTH, birth_place(str(born)))
        for document in row["ids"]:
            ofac_identifier(identifiers, str(document.get("type") or ""), str(document.get("number") or "") or None)
        programmes += [str(p).strip() for p in row["programs"] if str(p).strip()]
        for stated in (*row["citizenships"], *row["nationalities"]):
            country = country or country_code(str(stated))
    number = str(first.get("entity_number") or "").strip()
    if number:
        identifiers["OFAC ent_num"] = number
    programmes = list(dict.fromkeys(programmes))
    ofac = sublist.authority == "US-OFAC"
    notice = str(first.get("federal_register_notice") or "")
    measures = tuple(
        f"{label}: {' '.join(str(first.get(field) or '').split()).rstrip('.')}"
        for label, field in (("licence requirement", "license_requirement"), ("licence policy", "license_policy"))
        if first.get(field)
    )
    remarks = "; ".join(
        p
        for p in (
            str(first.get("remarks") or ""),
            f"Federal Register: {notice}" if notice else "",
            f"on the {sublist.name}" if ofac else "",
        )
        if p
    )
    with shape_errors(where):
        start = dt.date.fromisoformat(first["start_date"][:10]) if first.get("start_date") else None
        end = dt.date.fromisoformat(first["end_date"][:10]) if first.get("end_date") else None
    return ListedRecord(
        source=SOURCE,
        record_id=_record_id(sublist, rows),
        kind=_kind(str(first.get("type") or ""), name),
        name=name,
        names=tuple(names),
        country=country,
        authority=sublist.authority,
        # OFAC's rows keep their programme tags, read as the OFAC lists read them; the others are named by list.
        programmes=tuple(programmes) if ofac else (),
        regime=None if ofac else sublist.authority if sublist.code == "ISN" else f"{sublist.authority}-{sublist.code}",
        regime_name=None if ofac else (", ".join(programmes) if sublist.authority == "US-ISN" else sublist.name),
        listed_on=start,
        ended_on=end,
        measures=measures,
        remarks=remarks or None,
        addresses=tuple(addresses),
        identifiers=identifiers,
        cross_refs=(f"ofac:{number}",) if ofac and number else (),
        url=str(first.get("source_information_url") or "") or None,
        raw_hash=f"{tag}:{raw_hash(*(sorted((k, repr(v)) for k, v in r.items() if k != '_line') for r in rows))}",
    )


def _records(rows: Iterable[dict[str, Any]], name: str, tag: str) -> list[ListedRecord]:
    """One record per party and list: the Entity List repeats a party on a row for each of its addresses."""
    grouped: dict[tuple[str, str], tuple[Sublist, list[dict[str, Any]]]] = {}
    for row in rows:
        where = f"{name}: row {row['_line']}"
        for field in _REQUIRED:
            if not str(row.get(field) or "").strip():
                raise DataError(f"{where}: no {field}.")
        try:
            sublist = sublist_of(str(row["source"]))
        except DataError as error:
            raise DataError(f"{where}: {error}") from None
        number = str(row.get("entity_number") or "").strip()
        key = (sublist.code, number or " ".join(str(row["name"]).casefold().split()))
        grouped.setdefault(key, (sublist, []))[1].append(row)
    records = [_record(s, group, tag, f"{name}: row {group[0]['_line']}") for s, group in grouped.values()]
    seen: dict[str, ListedRecord] = {}
    for record in records:
        if record.record_id in seen:
            raise DataError(f"{name}: two parties share the id {record.record_id!r}.")
        seen[record.record_id] = record
    return records


def parse_us_csl(path: Path) -> ParsedList:
    """The CSL from its CSV or its JSON, told apart by the first character. The files state no date of their
    own: the snapshot is dated the day it is loaded, and said so."""
    data = read_bytes(path)
    text = decode_text(data, path.name, fallback=None)
    looks_cut = None
    if text.lstrip()[:1] in ("{", "["):
        rows, tag = _json_rows(text, path.name), "csl-json"
    else:
        rows, tag, looks_cut = _csv_rows(text, path.name), "csl-csv", ends_mid_line(data, path.name)
    if not rows:
        raise DataError(f"{path.name}: the file holds no rows (empty or cut off?).")
    records = _records(rows, path.name, tag)
    return ParsedList(source=SOURCE, records=records, as_of=None, looks_cut=looks_cut, tail_id=records[-1].record_id)
