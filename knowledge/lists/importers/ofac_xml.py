"""OFAC's SDN.XML schema (`sdnList`), used for both the SDN and the Consolidated list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element

from knowledge.errors import DataError
from knowledge.lists.identifiers import ofac_identifier
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    parse_xml,
    raw_hash,
    read_bytes,
    reject_duplicates,
    shape_errors,
    xml_bytes,
    xml_child,
    xml_children,
    xml_name,
    xml_text,
)
from knowledge.lists.importers.ofac_enhanced_xml import KINDS, person_name
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["FORMAT", "HASH_TAG", "parse_ofac_xml"]

# Tags this format's raw_hash, so that a change of format alone is not read as an amendment (changes.py).
FORMAT = "ofac-xml"
# The raw_hash is of the entry with each of its lists' items (ids, a.k.a.s, programmes, addresses) in one order: OFAC
# reorders them from one edition to the next (215 records of 2025-12-18's file against 2025-10-22's, every item the
# same), which is no amendment. Tagged apart from FORMAT, so that a store's records hashed in published order are
# compared field by field once, not all "amended".
HASH_TAG = f"{FORMAT}-sorted"
# Typed details outside idList, under the names the Enhanced XML gives the same details (see ofac_identifier).
_DETAILS = (
    ("dateOfBirthList", "dateOfBirthItem", "dateOfBirth", "Birthdate"),
    ("placeOfBirthList", "placeOfBirthItem", "placeOfBirth", "Place of Birth"),
    ("nationalityList", "nationality", "country", "Nationality Country"),
    ("citizenshipList", "citizenship", "country", "Citizenship Country"),
)
_VESSEL = (
    ("callSign", "Vessel Call Sign"),
    ("vesselType", "VESSEL TYPE"),
    ("vesselFlag", "Vessel Flag"),
    ("vesselOwner", "Vessel Owner"),
)


def _full_name(element: Element, person: bool) -> str | None:
    return person_name(xml_text(element, "lastName"), xml_text(element, "firstName"), person)


def _sorted_lists(entry: Element) -> list[bytes]:
    """The entry's parts as published, each list's items sorted by their bytes (see HASH_TAG)."""
    parts: list[bytes] = []
    for child in entry:
        if xml_name(child.tag).endswith("List"):
            parts.append(xml_name(child.tag).encode())
            parts += sorted(xml_bytes(item) for item in child)
        else:
            parts.append(xml_bytes(child))
    return parts


def parse_ofac_xml(path: Path, *, source: str) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if xml_name(root.tag) != "sdnList":
        raise DataError(f"{path.name}: the root element is <{xml_name(root.tag)}>, not OFAC's <sdnList>.")
    info = xml_child(root, "publshInformation")
    published = xml_text(info, "Publish_Date")
    with shape_errors(f"{path.name}: Publish_Date {published!r}"):
        as_of = dt.datetime.strptime(published, "%m/%d/%Y").date() if published else None
    stated = xml_text(info, "Record_Count")
    records = []
    for number, entry in enumerate(xml_children(root, "sdnEntry"), start=1):
        uid = xml_text(entry, "uid")
        if uid is None:
            raise DataError(f"{path.name}: sdnEntry #{number} has no uid.")
        kind = KINDS.get((xml_text(entry, "sdnType") or "").lower(), EntityKind.COMPANY)
        person = kind is EntityKind.PERSON
        name = _full_name(entry, person)
        if name is None:
            raise DataError(f"{path.name}: sdnEntry {uid} has no name.")
        names = [ListedName(value=name, type=NameType.PRIMARY)]
        for aka in xml_children(xml_child(entry, "akaList"), "aka"):
            value = _full_name(aka, person)
            if value:
                weak = (xml_text(aka, "category") or "").lower() == "weak"
                former = (xml_text(aka, "type") or "").lower().startswith("f.k.a")
                names.append(
                    ListedName(
                        value=value, type=NameType.WEAK if weak else NameType.FORMER if former else NameType.ALIAS
                    )
                )
        addresses, country = [], None
        for address in xml_children(xml_child(entry, "addressList"), "address"):
            parts = [
                xml_text(address, f)
                for f in ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")
            ]
            if any(parts):
                addresses.append(", ".join(p for p in parts if p))
            country = country or country_code(xml_text(address, "country"))
        identifiers = {"OFAC ent_num": uid}
        ofac_identifier(identifiers, "Title", xml_text(entry, "title"))
        for listing, item, field, label in _DETAILS:
            for detail in xml_children(xml_child(entry, listing), item):
                value = xml_text(detail, field)
                if field == "country":
                    country = country or country_code(value)
                ofac_identifier(identifiers, label, value)
        for ident in xml_children(xml_child(entry, "idList"), "id"):
            ofac_identifier(identifiers, xml_text(ident, "idType") or "", xml_text(ident, "idNumber"))
        vessel = xml_child(entry, "vesselInfo")
        for field, label in _VESSEL:
            ofac_identifier(identifiers, label, xml_text(vessel, field))
        records.append(
            ListedRecord(
                source=source,
                record_id=uid,
                kind=kind,
                name=name,
                names=tuple(names),
                country=country,
                authority="US-OFAC",
                programmes=tuple(
                    p.text.strip() for p in xml_children(xml_child(entry, "programList"), "program") if p.text
                ),
                remarks=xml_text(entry, "remarks"),
                addresses=tuple(addresses),
                identifiers=identifiers,
                raw_hash=f"{HASH_TAG}:{raw_hash(*_sorted_lists(entry))}",
            )
        )
    reject_duplicates(records, path.name, "uid")
    stated_count = int(stated) if stated and stated.isdigit() else None
    if stated_count is not None and stated_count != len(records):
        raise DataError(f"{path.name}: states {stated_count} records but holds {len(records)} (truncated file?).")
    return ParsedList(source=source, records=records, as_of=as_of, stated_count=stated_count)
