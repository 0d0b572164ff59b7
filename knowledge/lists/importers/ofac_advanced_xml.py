"""OFAC's Advanced XML (`Sanctions`, sdn_advanced / cons_advanced), with the day of each designation."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections import defaultdict
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
from knowledge.lists.importers.ofac_enhanced_xml import ADDRESS_PARTS, KINDS, LISTS, person_name
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["FORMAT", "HASH_TAG", "parse_ofac_advanced_xml"]

# Tags this format's raw_hash, so that a change of format alone is not read as an amendment (changes.py).
FORMAT = "ofac-advanced"
# The tag of a raw_hash over the whole published record: the party, its entries, its documents, the locations it
# cites and the reference values all of them cite. A hash over the party and its entries alone (FORMAT's) left a new
# passport number or address out, which a digest trusting the hash (changes.py) then never reported. Another tag than
# FORMAT's, so that a store's records hashed the old way are compared field by field once, not all "amended".
HASH_TAG = f"{FORMAT}-whole"
_ALIASES = {"f.k.a.": NameType.FORMER}
# Features whose value is a place (VersionLocation), read as text or as a country.
_ADDRESS, _PLACE = "Location", "Place of Birth"


def _cited(elements: list[Element], values: dict[str, dict[str, Element]]) -> list[bytes]:
    """The reference values the elements cite ("FeatureTypeID" of FeatureTypeValues, "CountryID" of CountryValues),
    and those these cite in turn (a party subtype's PartyTypeID), as published: their texts are the record's too."""
    found: dict[tuple[str, str], Element] = {}
    pending = [e for element in elements for e in element.iter()]
    while pending:
        element = pending.pop()
        for attribute, value in element.attrib.items():
            if not attribute.endswith("ID") or attribute == "ID":
                continue
            cited = values.get(f"{attribute[:-2]}Values", {}).get(value)
            if cited is not None and (attribute, value) not in found:
                found[(attribute, value)] = cited
                pending.append(cited)
    return [xml_bytes(found[key]) for key in sorted(found)]


def _values(root: Element) -> dict[str, dict[str, Element]]:
    """ReferenceValueSets as {set name: {ID: element}} ("ListValues" -> {"91512": <List>Consolidated List}...)."""
    sets = xml_child(root, "ReferenceValueSets")
    return {xml_name(s.tag): {v.get("ID", ""): v for v in s} for s in (sets if sets is not None else [])}


def _day(element: Element | None) -> dt.date | None:
    """The day an element's Year, Month and Day state; None where one is missing or they name no day."""
    if element is None:
        return None
    parts = [xml_text(element, p) for p in ("Year", "Month", "Day")]
    try:
        return dt.date(*(int(p) for p in parts)) if all(parts) else None  # type: ignore[arg-type]
    except ValueError:  # "31 February", "Month 13", "Year 0": no day, and none made up of the rest
        return None


def _period(version: Element) -> str | None:
    """A feature's DatePeriod as OFAC states it: one day, a month, or a year (1 Jan to 31 Dec); a range as
    "1955-01-01 to 1958-12-31", which identifiers.stated_birth_date reads as the CSV's "DOB 1955 to 1958"."""
    period = xml_child(version, "DatePeriod")
    start = _day(xml_child(xml_child(period, "Start"), "From"))
    stated_end = xml_child(xml_child(period, "End"), "To")
    end = _day(stated_end)
    if start is None or (end is None and stated_end is not None):
        # An end stated but no day: the start alone would be a day the list did not give.
        return None
    if end is None or end == start:
        return start.isoformat()
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    last = monthrange(end.year, end.month)[1]  # not end + 1 day: 9999-12-31 has none after it
    if (start.year, start.month, start.day) == (end.year, end.month, 1) and end.day == last:
        return f"{start.year:04d}-{start.month:02d}"
    # A range ("1955 to 1958", "21 Mar 1962 to 20 Apr 1962"): no one date of it is the date, and a wrong one would
    # contradict other lists'; a date of birth so given is a rough one.
    return f"{start.isoformat()} to {end.isoformat()}"


def _locations(root: Element, values: dict[str, dict[str, Element]]) -> dict[str, tuple[str, str | None]]:
    """Location ID -> (its text as the legacy files print an address, its country)."""
    types = {k: (v.text or "") for k, v in values.get("LocPartTypeValues", {}).items()}
    countries = {k: (v.text or "").strip() for k, v in values.get("CountryValues", {}).items()}
    out = {}
    for location in xml_children(xml_child(root, "Locations"), "Location"):
        parts = {
            types.get(part.get("LocPartTypeID", ""), ""): xml_text(xml_child(part, "LocationPartValue"), "Value")
            for part in xml_children(location, "LocationPart")
        }
        stated = xml_child(location, "LocationCountry")
        country = countries.get(stated.get("CountryID", "")) if stated is not None else None
        if not country and parts.get("REGION"):
            country = f"Region: {parts['REGION']}"  # as the legacy files print a region without a country
        text = [parts[k] for k in ADDRESS_PARTS if parts.get(k)] + ([country] if country else [])
        out[location.get("ID", "")] = (", ".join(t for t in text if t), country)
    return out


def _names(identity: Element, name_parts: dict[str, str], aliases: dict[str, str], person: bool) -> list[ListedName]:
    groups = {
        g.get("ID", ""): name_parts.get(g.get("NamePartTypeID", ""), "")
        for g in identity.iter()
        if xml_name(g.tag) == "NamePartGroup"
    }
    names = []
    for alias in xml_children(identity, "Alias"):
        if alias.get("Primary") == "true":
            kind = NameType.PRIMARY
        elif alias.get("LowQuality") == "true":
            kind = NameType.WEAK
        else:
            kind = _ALIASES.get(aliases.get(alias.get("AliasTypeID", ""), "").lower(), NameType.ALIAS)
        for documented in xml_children(alias, "DocumentedName"):
            parts: dict[str, str] = {}
            for part in documented.iter():
                if xml_name(part.tag) == "NamePartValue" and part.text and part.text.strip():
                    parts[groups.get(part.get("NamePartGroupID", ""), "")] = part.text.strip()
            value = person_name(parts.get("Last Name"), parts.get("First Name"), person) or " ".join(parts.values())
            if value:
                names.append(ListedName(value=value, type=kind))
    return sorted(names, key=lambda n: n.type is not NameType.PRIMARY)


def _programmes(entries: list[Element], values: dict[str, dict[str, Element]]) -> tuple[str, ...]:
    """The programme tags of a party's entries ("SDGT", "NS-PLC"): its measures of the type "Program"."""
    programme_type = next((k for k, v in values.get("SanctionsTypeValues", {}).items() if v.text == "Program"), "1")
    found = [
        text
        for entry in entries
        for measure in xml_children(entry, "SanctionsMeasure")
        if measure.get("SanctionsTypeID") == programme_type and (text := xml_text(measure, "Comment"))
    ]
    return tuple(dict.fromkeys(found))


def _listed_on(entries: list[Element], lists: dict[str, str]) -> dt.date | None:
    """The day the party went on the list(s) it is on, from the entry events, where they state one day for all.

    An entry is the party's place on one list, and its events the day it was put there ("Created"). The
    "Consolidated List" entry dates OFAC's aggregate (2014-10-10), not a designation. Every entry repeats all the
    party's programmes, so a party on two lists on two days (SSI in 2014, SDN in 2022) has no day this format ties
    to a programme: none is given rather than a wrong one."""
    days = {
        day
        for entry in entries
        if lists.get(entry.get("ListID", "")) != LISTS["ofac-cons"]
        for event in xml_children(entry, "EntryEvent")
        if (day := _day(xml_child(event, "Date")))
    }
    return days.pop() if len(days) == 1 else None


def parse_ofac_advanced_xml(path: Path, *, source: str) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if xml_name(root.tag) != "Sanctions":
        raise DataError(f"{path.name}: the root element is <{xml_name(root.tag)}>, not OFAC's Advanced <Sanctions>.")
    with shape_errors(f"{path.name}: DateOfIssue"):
        as_of = _day(xml_child(root, "DateOfIssue"))
    values = _values(root)
    text_of = {name: {k: (v.text or "").strip() for k, v in found.items()} for name, found in values.items()}
    party_types = text_of.get("PartyTypeValues", {})
    sub_types = {k: (v.text or "", v.get("PartyTypeID", "")) for k, v in values.get("PartySubTypeValues", {}).items()}
    features = text_of.get("FeatureTypeValues", {})
    locations = _locations(root, values)
    location_elements = {
        location.get("ID", ""): location for location in xml_children(xml_child(root, "Locations"), "Location")
    }
    # Documents and entries are kept apart from the parties they belong to: gather them by identity and profile.
    documents: dict[str, list[Element]] = defaultdict(list)
    for document in xml_children(xml_child(root, "IDRegDocuments"), "IDRegDocument"):
        documents[document.get("IdentityID", "")].append(document)
    entries: dict[str, list[Element]] = defaultdict(list)
    for entry in xml_children(xml_child(root, "SanctionsEntries"), "SanctionsEntry"):
        entries[entry.get("ProfileID", "")].append(entry)
    wanted = LISTS.get(source)
    records, off_list = [], 0
    for party in xml_children(xml_child(root, "DistinctParties"), "DistinctParty"):
        uid = (party.get("FixedRef") or "").strip()
        profile = xml_child(party, "Profile")
        if not uid or profile is None:
            raise DataError(f"{path.name}: a DistinctParty without its FixedRef or Profile.")
        where = f"{path.name}: party {uid}"
        with shape_errors(where):
            sub_type, party_type = sub_types.get(profile.get("PartySubTypeID", ""), ("", ""))
            kind_text = sub_type if sub_type in ("Vessel", "Aircraft") else party_types.get(party_type, "")
            kind = KINDS.get(kind_text.lower(), EntityKind.COMPANY)
            identities = xml_children(profile, "Identity")
            names = [
                n
                for identity in identities
                for n in _names(
                    identity,
                    text_of.get("NamePartTypeValues", {}),
                    text_of.get("AliasTypeValues", {}),
                    kind is EntityKind.PERSON,
                )
            ]
            if not names or names[0].type is not NameType.PRIMARY:
                raise DataError(f"{where} has no primary name.")
            identifiers = {"OFAC ent_num": uid}
            addresses, country = [], None
            for feature in xml_children(profile, "Feature"):
                label = features.get(feature.get("FeatureTypeID", ""), "")
                for version in xml_children(feature, "FeatureVersion"):
                    places = [
                        locations.get(v.get("LocationID", ""), ("", None))
                        for v in xml_children(version, "VersionLocation")
                    ]
                    if label == _ADDRESS:
                        addresses += [text for text, _ in places if text]
                        country = country or next((country_code(c) for _, c in places if country_code(c)), None)
                        continue
                    detail = xml_child(version, "VersionDetail")
                    reference = detail.get("DetailReferenceID") if detail is not None else None
                    value = (
                        text_of.get("DetailReferenceValues", {}).get(reference or "")
                        or xml_text(detail)
                        or _period(version)
                        or ", ".join(text for text, _ in places if text)
                    )
                    if label in ("Nationality Country", "Citizenship Country"):
                        country = country or country_code(value)
                    ofac_identifier(identifiers, label, value)
            own_documents = [d for identity in identities for d in documents.get(identity.get("ID", ""), [])]
            for document in own_documents:
                label = text_of.get("IDRegDocTypeValues", {}).get(document.get("IDRegDocTypeID", ""), "")
                ofac_identifier(identifiers, label, xml_text(document, "IDRegistrationNo"))
            mine = entries.get(profile.get("ID", ""), [])
            cited_locations = [
                location_elements[key]
                for key in dict.fromkeys(
                    v.get("LocationID", "") for v in party.iter() if xml_name(v.tag) == "VersionLocation"
                )
                if key in location_elements
            ]
            published = [party, *mine, *own_documents, *cited_locations]
            if wanted and not any(text_of.get("ListValues", {}).get(e.get("ListID", "")) == wanted for e in mine):
                off_list += 1
            records.append(
                ListedRecord(
                    source=source,
                    record_id=uid,
                    kind=kind,
                    name=names[0].value,
                    names=tuple(names),
                    country=country,
                    authority="US-OFAC",
                    programmes=_programmes(mine, values),
                    listed_on=_listed_on(mine, text_of.get("ListValues", {})),
                    remarks=xml_text(party, "Comment"),
                    addresses=tuple(addresses),
                    identifiers=identifiers,
                    raw_hash=f"{HASH_TAG}:{raw_hash(*(xml_bytes(e) for e in published), *_cited(published, values))}",
                )
            )
    if not records:
        raise DataError(f"{path.name}: the file holds no <DistinctParty> (empty or cut off?).")
    # Each party of an export is on the list it was exported for; most off it means the other list's file.
    if wanted and off_list * 2 > len(records):
        other = next(name for name in LISTS if name != source)
        raise DataError(
            f"{path.name}: {off_list:,} of {len(records):,} parties are not on OFAC's {wanted}; this looks like "
            f"the other list's Advanced XML. Load it with --source {other}."
        )
    reject_duplicates(records, path.name, "FixedRef")
    return ParsedList(source=source, records=records, as_of=as_of, tail_id=records[-1].record_id)
