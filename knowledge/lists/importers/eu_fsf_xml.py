"""The EU's consolidated list of financial sanctions, as its Financial Sanctions Files (FSF) serve it in XML 1.1."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from knowledge.errors import DataError
from knowledge.lists.identifiers import (
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    REGISTRATION,
    TAX_ID,
    add_identifier,
    birth_date,
    birth_place,
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
    xml_bytes,
    xml_children,
    xml_name,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["FORMAT", "SOURCE", "parse_eu_fsf_xml"]

SOURCE = "eu-fsf"
# Tags this format's raw_hash, as the OFAC importers tag theirs.
FORMAT = "eu-fsf-1.1"
_KINDS = {"P": EntityKind.PERSON, "E": EntityKind.COMPANY}
# The FSF's identification type codes, as the labels the merge compares across lists.
_DOCUMENTS = {"passport": PASSPORT, "id": NATIONAL_ID, "regnumber": REGISTRATION, "fiscalcode": TAX_ID}
_NOT_A_COUNTRY = {"", "00"}
_LATIN = re.compile(r"^[\u0000-\u024F\u1E00-\u1EFF\u2000-\u206F]*$")


def _words(text: str | None) -> str:
    """Text without the doubled and trailing spaces the file carries ("Tionscail  Ceimiceán Parchin")."""
    return " ".join((text or "").split())


def _day(text: str | None, where: str) -> dt.date | None:
    with shape_errors(where):
        return dt.date.fromisoformat(text[:10]) if text else None


def _names(entity: Element) -> list[ListedName]:
    """Every name alias with its language, the caption first. The file marks no alias as the main one: the caption
    is a Latin name in English (or no language stated), given in parts where one is, the fullest of those."""
    names: list[ListedName] = []
    seen: set[str] = set()
    aliases = xml_children(entity, "nameAlias")

    def rank(numbered: tuple[int, Element]) -> tuple[bool, bool, bool, int, int]:
        number, alias = numbered
        whole = _words(alias.get("wholeName"))
        in_parts = bool(alias.get("lastName") or alias.get("firstName"))
        english = (alias.get("nameLanguage") or "EN").upper() == "EN"
        return (not _LATIN.match(whole), not in_parts, not english, -len(whole.split()) if in_parts else 0, number)

    for _, alias in sorted(enumerate(aliases), key=rank):
        value = _words(alias.get("wholeName")) or _words(
            " ".join(alias.get(part, "") for part in ("firstName", "middleName", "lastName"))
        )
        if not value or value.casefold() in seen:
            continue
        seen.add(value.casefold())
        if not names:
            kind = NameType.PRIMARY
        elif not _LATIN.match(value):
            kind = NameType.NON_LATIN
        elif alias.get("strong") == "false":
            kind = NameType.WEAK  # the EU's "weak" alias: matched only as a whole name
        else:
            kind = NameType.ALIAS
        names.append(ListedName(value=value, type=kind, lang=(alias.get("nameLanguage") or "").lower() or None))
    return names


def _regulations(entity: Element, where: str) -> tuple[tuple[str, ...], list[str]]:
    """The programmes the entity is listed under, and each regulation as "2025/206 (L 202500206) of 2025-01-31"."""
    programmes, texts = [], []
    for regulation in xml_children(entity, "regulation"):
        programme = (regulation.get("programme") or "").strip()
        if programme:
            programmes.append(programme)
        number = _words(regulation.get("numberTitle"))
        if not number:
            continue
        published = _day(regulation.get("publicationDate"), where)
        in_force = _day(regulation.get("entryIntoForceDate"), where)
        who = regulation.get("organisationType") or ""
        text = " ".join(
            p for p in (who.capitalize(), f"{regulation.get('regulationType') or 'regulation'}", number) if p
        )
        if published:
            text += f" of {published.isoformat()}"
        if in_force:
            text += f", in force {in_force.isoformat()}"
        texts.append(text)
    return tuple(dict.fromkeys(programmes)), texts


def _births(entity: Element, identifiers: dict[str, str]) -> None:
    """Dates (approximate ones and year ranges as rough dates) and places of birth."""
    for born in xml_children(entity, "birthdate"):
        if (born.get("calendarType") or "GREGORIAN").upper() != "GREGORIAN":
            # An Islamic-calendar date is restated in another element in Gregorian when the EU knows it.
            continue
        value = born.get("birthdate") or born.get("year") or ""
        date = birth_date(value) if value else None
        start, end = born.get("yearRangeFrom"), born.get("yearRangeTo")
        stated = date or (f"{start} to {end}" if start and end and not value else None)
        # circa="true" is the EU's "approximately" (read as the UN's is), and a year range its "between".
        circa = (born.get("circa") or "").casefold() == "true"
        if stated and (given := stated_birth_date(f"circa {stated}" if circa else stated)):
            add_identifier(identifiers, *given)
        known = (born.get("countryIso2Code") or "") not in _NOT_A_COUNTRY
        country = born.get("countryDescription") if known else ""
        parts = (born.get(k) for k in ("city", "place", "region"))
        add_identifier(identifiers, PLACE_OF_BIRTH, birth_place(*parts, country))


def _addresses(entity: Element) -> list[str]:
    addresses = []
    for address in xml_children(entity, "address"):
        parts = [_words(address.get(k)) for k in ("street", "poBox", "city", "zipCode", "region", "place")]
        country = address.get("countryDescription") if address.get("countryIso2Code") not in _NOT_A_COUNTRY else ""
        text = ", ".join(p for p in (*parts, _words(country)) if p and p != "-")
        if text:
            addresses.append(text)
    return addresses


def _country(entity: Element) -> str | None:
    """The citizenship the EU states, else the country of an address, else of birth."""
    for tag in ("citizenship", "address", "birthdate"):
        for element in xml_children(entity, tag):
            code = (element.get("countryIso2Code") or "").strip().upper()
            if code not in _NOT_A_COUNTRY:
                return code if len(code) == 2 else country_code(element.get("countryDescription"))
    return None


def _record(entity: Element, name_of_file: str, number: int) -> ListedRecord:
    reference = (entity.get("euReferenceNumber") or "").strip()
    logical = (entity.get("logicalId") or "").strip()
    where = f"{name_of_file}: sanctionEntity #{number} ({reference or logical or 'no reference'})"
    if not reference and not logical:
        raise DataError(f"{where}: a listing without an EU reference number or logicalId.")
    subject = next(iter(xml_children(entity, "subjectType")), None)
    kind = _KINDS.get((subject.get("classificationCode") or "") if subject is not None else "", EntityKind.COMPANY)
    names = _names(entity)
    if not names:
        raise DataError(f"{where}: no name.")
    programmes, regulations = _regulations(entity, where)
    if not programmes:
        raise DataError(f"{where}: no programme (a <regulation> with its programme attribute).")
    identifiers = {"EU reference number": reference} if reference else {}
    identifiers["EU logical id"] = logical
    united = (entity.get("unitedNationId") or "").strip()
    if united:
        identifiers["UN reference number"] = united
    _births(entity, identifiers)
    for document in xml_children(entity, "identification"):
        label = _DOCUMENTS.get((document.get("identificationTypeCode") or "").lower())
        if label:
            add_identifier(identifiers, label, _words(document.get("number")))
    if regulations:
        identifiers["EU regulation"] = "; ".join(regulations)
    details = _words(entity.get("designationDetails"))
    remarks = [_words(r.text) for r in xml_children(entity, "remark")]
    return ListedRecord(
        source=SOURCE,
        record_id=reference or logical,
        kind=kind,
        name=names[0].value,
        names=tuple(names),
        country=_country(entity),
        authority="EU",
        programmes=programmes,
        listed_on=_day(entity.get("designationDate"), where),
        remarks="; ".join(p for p in (details, *remarks) if p) or None,
        addresses=tuple(_addresses(entity)),
        identifiers=identifiers,
        # The UN reference of a listing the EU took over from the UN: what joins the two records on one card.
        cross_refs=(f"un:{united}",) if united else (),
        raw_hash=f"{FORMAT}:{raw_hash(xml_bytes(entity))}",
    )


def parse_eu_fsf_xml(path: Path) -> ParsedList:
    root = parse_xml(read_bytes(path), path.name)
    if xml_name(root.tag) != "export":
        raise DataError(f"{path.name}: the root element is <{xml_name(root.tag)}>, not the EU FSF's <export>.")
    generated = root.get("generationDate", "")
    as_of = _day(generated, f"{path.name}: generationDate {generated[:40]!r}") if generated else None
    entities = xml_children(root, "sanctionEntity")
    if not entities:
        raise DataError(f"{path.name}: the file holds no <sanctionEntity> (empty or cut off?).")
    records = []
    for number, entity in enumerate(entities, start=1):
        with shape_errors(f"{path.name}: sanctionEntity #{number}"):
            records.append(_record(entity, path.name, number))
    reject_duplicates(records, path.name, "EU reference number")
    return ParsedList(source=SOURCE, records=records, as_of=as_of, tail_id=records[-1].record_id)
