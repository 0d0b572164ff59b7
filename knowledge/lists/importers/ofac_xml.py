"""OFAC's SDN.XML schema (`sdnList`), used for both the SDN and the Consolidated list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

from knowledge.errors import DataError
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    parse_xml,
    raw_hash,
    read_bytes,
    reject_duplicates,
    shape_errors,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["parse_ofac_xml"]

_KINDS = {"individual": EntityKind.PERSON, "vessel": EntityKind.VESSEL, "aircraft": EntityKind.AIRCRAFT}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _text(element: Element | None, name: str) -> str | None:
    child = None if element is None else _child(element, name)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _full_name(element: Element, person: bool) -> str | None:
    last, first = _text(element, "lastName"), _text(element, "firstName")
    if person and last and first:
        return f"{last}, {first}"  # OFAC's own way of writing a person's name
    return " ".join(p for p in (first, last) if p) or None


def parse_ofac_xml(path: Path, *, source: str) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if _local(root.tag) != "sdnList":
        raise DataError(f"{path.name}: the root element is <{_local(root.tag)}>, not OFAC's <sdnList>.")
    info = _child(root, "publshInformation")
    published = _text(info, "Publish_Date")
    with shape_errors(f"{path.name}: Publish_Date {published!r}"):
        as_of = dt.datetime.strptime(published, "%m/%d/%Y").date() if published else None
    stated = _text(info, "Record_Count")
    records = []
    for number, entry in enumerate(_children(root, "sdnEntry"), start=1):
        uid = _text(entry, "uid")
        if uid is None:
            raise DataError(f"{path.name}: sdnEntry #{number} has no uid.")
        kind = _KINDS.get((_text(entry, "sdnType") or "").lower(), EntityKind.COMPANY)
        person = kind is EntityKind.PERSON
        name = _full_name(entry, person)
        if name is None:
            raise DataError(f"{path.name}: sdnEntry {uid} has no name.")
        names = [ListedName(value=name, type=NameType.PRIMARY)]
        for aka in _children(_child(entry, "akaList"), "aka"):
            value = _full_name(aka, person)
            if value:
                weak = (_text(aka, "category") or "").lower() == "weak"
                former = (_text(aka, "type") or "").lower().startswith("f.k.a")
                names.append(
                    ListedName(
                        value=value, type=NameType.WEAK if weak else NameType.FORMER if former else NameType.ALIAS
                    )
                )
        addresses, country = [], None
        for address in _children(_child(entry, "addressList"), "address"):
            parts = [
                _text(address, f)
                for f in ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")
            ]
            if any(parts):
                addresses.append(", ".join(p for p in parts if p))
            country = country or country_code(_text(address, "country"))
        for nationality in _children(_child(entry, "nationalityList"), "nationality"):
            country = country or country_code(_text(nationality, "country"))
        identifiers = {"OFAC ent_num": uid}
        for ident in _children(_child(entry, "idList"), "id"):
            kind_of_id, number_of_id = _text(ident, "idType"), _text(ident, "idNumber")
            if kind_of_id and number_of_id and not number_of_id.startswith("http"):
                identifiers.setdefault(kind_of_id.rstrip(" -:"), number_of_id)
        records.append(
            ListedRecord(
                source=source,
                record_id=uid,
                kind=kind,
                name=name,
                names=tuple(names),
                country=country,
                authority="US-OFAC",
                programmes=tuple(p.text.strip() for p in _children(_child(entry, "programList"), "program") if p.text),
                remarks=_text(entry, "remarks"),
                addresses=tuple(addresses),
                identifiers=identifiers,
                raw_hash=raw_hash(tostring(entry)),
            )
        )
    reject_duplicates(records, path.name, "uid")
    stated_count = int(stated) if stated and stated.isdigit() else None
    if stated_count is not None and stated_count != len(records):
        raise DataError(f"{path.name}: states {stated_count} records but holds {len(records)} (truncated file?).")
    return ParsedList(source=source, records=records, as_of=as_of, stated_count=stated_count)
