"""OFAC's Enhanced XML (`sanctionsData`) of its Sanctions List Service, for the SDN and the Consolidated list."""

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
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["ADDRESS_PARTS", "FORMAT", "KINDS", "LISTS", "parse_ofac_enhanced_xml", "person_name"]

# Tags this format's raw_hash, so that a change of format alone is not read as an amendment (changes.py).
FORMAT = "ofac-enhanced"
# The list each source is, as the file's filter and each entity's sanctionsLists name it.
LISTS = {"ofac-sdn": "SDN List", "ofac-cons": "Consolidated List"}
KINDS = {"individual": EntityKind.PERSON, "vessel": EntityKind.VESSEL, "aircraft": EntityKind.AIRCRAFT}
_ALIASES = {"f.k.a.": NameType.FORMER}
# The order the legacy XML and CSV print an address in, so that both formats give the same address text.
ADDRESS_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE")


def person_name(last: str | None, first: str | None, person: bool) -> str | None:
    """A name as OFAC's legacy files write it: "LAST, First" for a person, else the parts joined."""
    if person and last and first:
        return f"{last}, {first}"
    return " ".join(p for p in (first, last) if p) or None


def _date(text: str | None, where: str) -> dt.date | None:
    with shape_errors(where):
        return dt.date.fromisoformat(text[:10]) if text else None


def _names(entity: Element, person: bool) -> list[ListedName]:
    names: list[ListedName] = []
    for name in xml_children(xml_child(entity, "names"), "name"):
        primary = xml_text(name, "isPrimary") == "true"
        if primary:
            kind = NameType.PRIMARY
        elif xml_text(name, "isLowQuality") == "true":
            kind = NameType.WEAK  # OFAC's "weak a.k.a.": matched only as a whole name
        else:
            kind = _ALIASES.get((xml_text(name, "aliasType") or "").lower(), NameType.ALIAS)
        for translation in xml_children(xml_child(name, "translations"), "translation"):
            latin = xml_text(translation, "script") == "Latin"
            value = (
                person_name(
                    xml_text(translation, "formattedLastName"), xml_text(translation, "formattedFirstName"), person
                )
                if latin
                else None
            ) or xml_text(translation, "formattedFullName")
            if value:
                names.append(ListedName(value=value, type=kind if latin else NameType.NON_LATIN))
    # The primary name first, as every other importer gives it.
    return sorted(names, key=lambda n: n.type is not NameType.PRIMARY)


def _addresses(entity: Element) -> tuple[list[str], str | None]:
    addresses, country = [], None
    for address in xml_children(xml_child(entity, "addresses"), "address"):
        state = xml_text(address, "country")
        for translation in xml_children(xml_child(address, "translations"), "translation"):
            if xml_text(translation, "script") != "Latin":
                continue  # the legacy formats carry the Latin address only
            parts = {
                xml_text(part, "type"): xml_text(part, "value")
                for part in xml_children(xml_child(translation, "addressParts"), "addressPart")
            }
            if not state and parts.get("REGION"):
                # A region in place of a country (Gaza): OFAC's legacy files print it so in the country field.
                state = f"Region: {parts['REGION']}"
            text = [parts[k] for k in ADDRESS_PARTS if parts.get(k)] + ([state] if state else [])
            if text:
                addresses.append(", ".join(p for p in text if p))
            break
        else:
            if state:
                addresses.append(state)
        country = country or country_code(state)
    return addresses, country


def _listed_on(entity: Element, where: str) -> dt.date | None:
    """The day the entity went on the list(s) it is on, where the file states one day for all of them.

    Each sanctionsList's datePublished is the day the entity was added to it (the Advanced XML's entry event);
    "Consolidated List" is the day OFAC began that aggregate (2014-10-10), not a designation. An entity on two
    lists on two days (an SSI listing in 2014, an SDN designation in 2022) has no one date this format can tie to
    its programmes, so none is given rather than a wrong one."""
    days = {
        _date(item.get("datePublished"), where)
        for item in xml_children(xml_child(entity, "sanctionsLists"), "sanctionsList")
        if xml_text(item) != LISTS["ofac-cons"]
    } - {None}
    return days.pop() if len(days) == 1 else None


def _remarks(entity: Element) -> str | None:
    """The remarks, with each relationship written as the legacy files write it ("(Linked To: HAMAS)"), which
    ofac_links.py reads as a link to that record."""
    parts = [xml_text(xml_child(entity, "generalInfo"), "remarks")]
    for relation in xml_children(xml_child(entity, "relationships"), "relationship"):
        related = xml_text(relation, "relatedEntity")
        if related:
            parts.append(f"(Linked To: {related})")
    return "; ".join(p for p in parts if p) or None


def _record(entity: Element, source: str, name_of_file: str) -> ListedRecord:
    uid = (entity.get("id") or "").strip()
    if not uid:
        raise DataError(f"{name_of_file}: an <entity> has no id.")
    where = f"{name_of_file}: entity {uid}"
    info = xml_child(entity, "generalInfo")
    kind = KINDS.get((xml_text(info, "entityType") or "").lower(), EntityKind.COMPANY)
    names = _names(entity, kind is EntityKind.PERSON)
    if not names or names[0].type is not NameType.PRIMARY:
        raise DataError(f"{where} has no primary name.")
    addresses, country = _addresses(entity)
    identifiers = {"OFAC ent_num": uid}
    for feature in xml_children(xml_child(entity, "features"), "feature"):
        label, value = xml_text(feature, "type"), xml_text(feature, "value")
        if label in ("Nationality Country", "Citizenship Country"):
            country = country or country_code(value)
        ofac_identifier(identifiers, label or "", value)
    for document in xml_children(xml_child(entity, "identityDocuments"), "identityDocument"):
        ofac_identifier(identifiers, xml_text(document, "type") or "", xml_text(document, "documentNumber"))
    return ListedRecord(
        source=source,
        record_id=uid,
        kind=kind,
        name=names[0].value,
        names=tuple(names),
        country=country,
        authority="US-OFAC",
        programmes=tuple(
            p
            for p in (xml_text(x) for x in xml_children(xml_child(entity, "sanctionsPrograms"), "sanctionsProgram"))
            if p
        ),
        listed_on=_listed_on(entity, where),
        remarks=_remarks(entity),
        addresses=tuple(addresses),
        identifiers=identifiers,
        raw_hash=f"{FORMAT}:{raw_hash(xml_bytes(entity))}",
    )


def parse_ofac_enhanced_xml(path: Path, *, source: str) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if xml_name(root.tag) != "sanctionsData":
        raise DataError(
            f"{path.name}: the root element is <{xml_name(root.tag)}>, not OFAC's Enhanced <sanctionsData>."
        )
    info = xml_child(root, "publicationInfo")
    as_of = _date(xml_text(info, "dataAsOf"), f"{path.name}: dataAsOf")
    # The file names the list(s) it was exported for; a Consolidated file loaded as the SDN list (or the reverse)
    # would label every card with the wrong list.
    stated = {
        xml_text(x) for x in xml_children(xml_child(xml_child(info, "filters"), "sanctionsLists"), "sanctionsList")
    }
    wanted = LISTS.get(source)
    if wanted and stated and wanted not in stated:
        other = next((name for name, title in LISTS.items() if title in stated), None)
        hint = f" Load it with --source {other}." if other else ""
        raise DataError(
            f"{path.name}: this Enhanced XML is OFAC's {', '.join(sorted(stated))}, not the {wanted}.{hint}"
        )
    entities = xml_children(xml_child(root, "entities"), "entity")
    if not entities:
        raise DataError(f"{path.name}: the file holds no <entity> (empty or cut off?).")
    records = [_record(entity, source, path.name) for entity in entities]
    reject_duplicates(records, path.name, "entity id")
    return ParsedList(source=source, records=records, as_of=as_of, tail_id=records[-1].record_id)
