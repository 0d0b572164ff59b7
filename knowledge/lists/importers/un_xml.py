"""The UN Security Council Consolidated List XML (CONSOLIDATED_LIST of INDIVIDUAL and ENTITY)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

from knowledge.errors import DataError
from knowledge.lists.identifiers import (
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    add_identifier,
    birth_date,
    birth_place,
    identifiers_in_text,
    stated_birth_date,
)
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

__all__ = ["parse_un_xml"]

SOURCE = "un-sc"
_QUALITY = {"good": NameType.ALIAS, "a.k.a.": NameType.ALIAS, "low": NameType.WEAK, "f.k.a.": NameType.FORMER}
_SLUG = re.compile(r"[^A-Z0-9]+")
_XSD_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})?")


def _text(element: Element, path: str) -> str:
    return " ".join((element.findtext(path) or "").split())


def _record(element: Element, kind: EntityKind, path: Path, number: int) -> ListedRecord:
    reference = _text(element, "REFERENCE_NUMBER")
    where = f"{path.name}: {element.tag} #{number}"
    if not reference:
        raise DataError(f"{where}: a record without a REFERENCE_NUMBER.")
    parts = [_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    if not name:
        raise DataError(f"{where} ({reference}): no name.")
    names = [ListedName(value=name, type=NameType.PRIMARY)]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListedName(value=original, type=NameType.NON_LATIN))
    alias_tag = "INDIVIDUAL_ALIAS" if kind is EntityKind.PERSON else "ENTITY_ALIAS"
    for alias in element.iterfind(alias_tag):
        value = _text(alias, "ALIAS_NAME")
        if value and value.casefold() not in {n.value.casefold() for n in names}:
            names.append(ListedName(value=value, type=_QUALITY.get(_text(alias, "QUALITY").lower(), NameType.ALIAS)))
    address_tag = "INDIVIDUAL_ADDRESS" if kind is EntityKind.PERSON else "ENTITY_ADDRESS"
    addresses, place, nationality = [], None, None
    for address in element.iterfind(address_tag):
        fields = [_text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
        if any(fields):
            addresses.append(", ".join(f for f in fields if f))
        place = place or country_code(_text(address, "COUNTRY"))
    for stated in element.iterfind("NATIONALITY/VALUE"):
        nationality = nationality or country_code(" ".join((stated.text or "").split()))
    # A person's country is their nationality; an address is only where they were (GHAILANI's: in US custody).
    country = (nationality or place) if kind is EntityKind.PERSON else (place or nationality)
    list_type = _text(element, "UN_LIST_TYPE")
    listed = _text(element, "LISTED_ON")
    return ListedRecord(
        source=SOURCE,
        record_id=reference,
        kind=kind,
        name=name,
        names=tuple(names),
        country=country,
        authority="UN-SC",
        regime=("UN-" + _SLUG.sub("-", list_type.upper()).strip("-")) if list_type else None,
        regime_name=list_type or None,
        # An XML Schema date may carry its zone ("2015-07-01-04:00", New York): the day is still the first ten.
        listed_on=dt.date.fromisoformat(listed[:10]) if _XSD_DATE.fullmatch(listed) else None,
        reasons=_text(element, "COMMENTS1") or None,
        addresses=tuple(addresses),
        identifiers={
            "UN reference number": reference,
            "UN DATAID": _text(element, "DATAID"),
            **_strong_identifiers(element),
        },
        cross_refs=(f"un:{reference}",),
        raw_hash=raw_hash(tostring(element)),
    )


def _strong_identifiers(element: Element) -> dict[str, str]:
    """Birth dates (exact or a year; rough ones apart) and places, passport and national id numbers, IMO and SWIFT
    codes in the comments."""
    found = identifiers_in_text(_text(element, "COMMENTS1"))
    for born in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        kinds = {_text(kind, ".") for kind in born.iterfind("TYPE_OF_DATE")}
        date = birth_date(_text(born, "DATE")[:10] or _text(born, "YEAR"))
        # "APPROXIMATELY 1966" is "circa 1966"; "BETWEEN 1973 and 1974" a range, and with the NOTE "Approximately"
        # a rough one ("circa 1955 to 1958", as OFAC's "circa 1979-1982" reads): none a date the merge compares. A
        # BETWEEN without both its years is no date.
        if "BETWEEN" in kinds:
            approximately = _text(born, "NOTE").casefold() == "approximately" or "APPROXIMATELY" in kinds
            years = f"{_text(born, 'FROM_YEAR')} to {_text(born, 'TO_YEAR')}"
            given = stated_birth_date(f"circa {years}" if approximately else years)
        elif date and "APPROXIMATELY" in kinds:
            given = stated_birth_date(f"circa {date}")
        else:
            given = stated_birth_date(date) if date else None
        if given:
            add_identifier(found, *given)
    for born in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_text(born, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
        # The NOTE qualifies the place ("possibly Sabratha", "(now Tanganyika Province)"): kept beside it, in brackets.
        if note := _text(born, "NOTE").strip("() "):
            last = max((i for i, part in enumerate(parts) if part), default=None)
            if last is None:
                parts.append(f"({note})")
            else:
                parts[last] = f"{parts[last]} ({note})"
        add_identifier(found, PLACE_OF_BIRTH, birth_place(*parts))
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        kind = _text(document, "TYPE_OF_DOCUMENT").casefold()
        label = PASSPORT if "pas" in kind else NATIONAL_ID if "national" in kind else None
        if label:
            add_identifier(found, label, _without_leading_country(_text(document, "NUMBER")))
    return found


def _without_leading_country(number: str) -> str:
    """A document number without the country the UN writes before it ("Libya B/002210", "Jordan 654781": OFAC gives
    "B/002210" for HANNIBAL MUAMMAR QADHAFI, whose passport and date of birth then join the two records)."""
    words = number.split()
    for count in range(min(_MOST_COUNTRY_WORDS, len(words) - 1), 0, -1):
        rest = words[count:]
        if rest and rest[0].casefold() in ("number", "no.", "no"):
            rest = rest[1:]
        if rest and any(c.isdigit() for c in rest[0]) and country_code(" ".join(words[:count])):
            return " ".join(rest)
    return number


# A country's name written before a document number: at most this many words ("Central African Republic").
_MOST_COUNTRY_WORDS = 4


def parse_un_xml(path: Path) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if root.tag != "CONSOLIDATED_LIST":
        raise DataError(f"{path.name}: the root element is <{root.tag}>, not the UN's <CONSOLIDATED_LIST>.")
    records = []
    for kind, tag in ((EntityKind.PERSON, "INDIVIDUALS/INDIVIDUAL"), (EntityKind.ORGANISATION, "ENTITIES/ENTITY")):
        for number, element in enumerate(root.iterfind(tag), start=1):
            with shape_errors(f"{path.name}: {element.tag} #{number}"):
                records.append(_record(element, kind, path, number))
    if not records:
        raise DataError(f"{path.name}: no INDIVIDUAL or ENTITY records (truncated file?).")
    reject_duplicates(records, path.name, "REFERENCE_NUMBER")
    generated = root.get("dateGenerated", "")
    with shape_errors(f"{path.name}: dateGenerated {generated[:40]!r}"):
        as_of = dt.date.fromisoformat(generated[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", generated) else None
    return ParsedList(source=SOURCE, records=records, as_of=as_of)
