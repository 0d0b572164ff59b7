"""The FCDO UK Sanctions List: the summary export, and the full CSV and XML exports with aliases and reasons."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

from knowledge.errors import DataError
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    decode_text,
    ends_mid_line,
    parse_day_first,
    parse_xml,
    raw_hash,
    read_bytes,
    reject_duplicates,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType
from knowledge.names.index import given_acronym
from knowledge.names.normalise import normalise
from knowledge.names.tables import GENERIC_WORDS, LEGAL_FORMS

__all__ = ["DESIGNATION_SOURCE", "SUMMARY_COLUMNS", "parse_uk_sanctions_list", "uk_regime_key"]

SOURCE = "uk-sanctions-list"
# The summary's "Designation source": "UK", "UN" or "UK|UN".
DESIGNATION_SOURCE = "Designation source"
SUMMARY_COLUMNS = (
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
)
# The columns of the full export this parser reads; the file has 58, in the publisher's order.
FULL_REQUIRED = ("Unique ID", "Name 6", "Name type", "Regime Name", "Designation Type", "Date Designated")
_KINDS = {"individual": EntityKind.PERSON, "entity": EntityKind.COMPANY, "ship": EntityKind.VESSEL}
_REPORT_DATE = re.compile(r"^Report Date:\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_PREFIX = re.compile(r"^([A-Z]+)\d")


def uk_regime_key(unique_id: str) -> str | None:
    """GB-CYB for CYB0044: the Unique ID's letters name the regime."""
    match = _PREFIX.match(unique_id)
    return f"GB-{match.group(1)}" if match else None


def _kind(value: str, where: str) -> EntityKind:
    kind = _KINDS.get(value.strip().lower())
    if kind is None:
        raise DataError(f"{where}: unknown designation type {value!r} (expected Individual, Entity or Ship).")
    return kind


def _measures(text: str, separator: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.strip() for m in text.split(separator) if m.strip()))


def parse_uk_sanctions_list(path: Path) -> ParsedList:
    """Any of the FCDO's three exports, told apart by their first bytes and header."""
    data = read_bytes(path)
    if data.lstrip().startswith(b"<"):
        return _parse_xml(path, data)
    text = decode_text(data, path.name)
    lines = text.splitlines()
    parsed = _parse_csv(path, text, lines)
    parsed.looks_cut = ends_mid_line(data, path.name)
    return parsed


def _parse_csv(path: Path, text: str, lines: list[str]) -> ParsedList:
    report = _REPORT_DATE.match(lines[0]) if lines else None
    if report:
        try:
            as_of = dt.datetime.strptime(" ".join(report.groups()), "%d %b %Y").date()
        except ValueError:
            raise DataError(f"{path.name}: line 1: {lines[0][:40]!r} is not a report date.") from None
        return _parse_full_csv(path, "\n".join(lines[1:]), as_of, first_line=2)
    try:
        header = next(csv.reader([lines[0]]), []) if lines else []
    except csv.Error as error:
        raise DataError(f"{path.name}: line 1: {error}; not a UK Sanctions List header.") from None
    if tuple(h.strip() for h in header) == SUMMARY_COLUMNS:
        return _parse_summary(path, text)
    if "Unique ID" in header and "Name 6" in header:
        return _parse_full_csv(path, text, None, first_line=1)
    raise DataError(
        f"{path.name}: line 1 is not a UK Sanctions List header (expected the summary's 'Unique ID,OFSI Group ID,"
        "Name,...' or the full export's 'Report Date:' line). Is this another list's file?"
    )


def _csv_rows(path: Path, text: str, first_line: int) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    rows = []
    try:
        width = len(reader.fieldnames or [])
        for row in reader:
            line = reader.line_num + first_line - 1
            if None in row or len([v for v in row.values() if v is not None]) != width:
                raise DataError(f"{path.name}: line {line}: expected {width} columns (truncated file?).")
            rows.append((line, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as error:
        raise DataError(f"{path.name}: line {reader.line_num + first_line - 1}: {error} (truncated file?).") from error
    return rows


# Names in brackets at the end of an entity's name in the summary, which has one name cell: another name of it ("Main
# Centre for Special Technologies (GTsST) ('SANDWORM')", "Chosun Expo (APT 38)", "MZKT (Minsk Wheel Tractor Plant)"),
# or what says which of several it is ("AL-HARAMAIN (ALBANIA BRANCH)", "AL-HARAMAIN FOUNDATION (PAKISTAN)"), or a
# legal form ("VTB Bank (Public Joint-Stock Company)"). Brackets inside a name ("LEADER (HONG KONG) INTERNATIONAL")
# are part of it.
_LAST_BRACKETS = re.compile(r"\s*\(([^()]+)\)\s*$")
_QUOTED = re.compile(r"^['‘’\"“”](.+)['‘’\"“”]$")


def _summary_names(name: str, kind: str) -> tuple[ListedName, ...]:
    """The summary's name cell as the record's names: the cell whole, and for an entity, the other names its closing
    brackets give, and the name before them where they give another name or a legal form ("Sandworm" finds the UK's
    GTsST, "Crimean Railway" its "Crimean Railway (Federal State United Enterprise)")."""
    names = [ListedName(value=name, type=NameType.PRIMARY)]
    if kind.casefold() == "individual":
        return tuple(names)
    rest, others, legal, acronyms = name, [], False, []
    while found := _LAST_BRACKETS.search(rest):
        rest = rest[: found.start()]
        inner = found.group(1).strip()
        quoted = _QUOTED.match(inner)
        if _unread_acronym(inner, rest):
            acronyms.append(inner)
        elif quoted or _another_name(inner):
            # (Not the name spelt out: "PJSC Sberbank (Public Joint-Stock Company Sberbank)" is one name twice, and
            # "PJSC Sberbank" alone is also OFAC's name of Sberbank's Ukrainian bank, once legal forms are set aside.)
            if quoted or normalise(inner).tokens != normalise(rest).tokens:
                others.append(quoted.group(1) if quoted else inner)
        elif _legal_words_only(inner):
            legal = True
    if (others or legal) and rest.strip():
        names += [ListedName(value=value, type=NameType.ALIAS) for value in (rest.strip(), *reversed(others))]
    # Stored as a weak alias, a type every version reads; the merge makes it the card's acronym (merge._card_name_type).
    names += [ListedName(value=value, type=NameType.WEAK) for value in reversed(acronyms)]
    return tuple(names)


def _unread_acronym(inner: str, name: str) -> bool:
    """Whether closing brackets hold the list's acronym of the name, one the lookup cannot read as the initials of its
    words ("85th Main Special Service Centre (GTsSS)", "FAR EASTERN SHIPPING COMPANY (FESCO)", unlike "Islamic
    Revolutionary Guard Corps (IRGC)"): one word of a few letters, two of them capitals, not a country, a legal form
    or an everyday word ("NGO")."""
    words = normalise(inner, strip_legal_forms=False).tokens
    return (
        len(words) == 1
        and 2 < len(words[0]) <= _ACRONYM_LETTERS
        and words[0].isalpha()
        and sum(letter.isupper() for letter in inner) >= 2
        and words[0] not in GENERIC_WORDS
        and not _legal_words_only(inner)
        and country_code(inner) is None
        and given_acronym(f"{name.strip()} ({inner})") is None
    )


def _legal_words_only(inner: str) -> bool:
    """Whether brackets hold a legal form and everyday words only ("Public Joint-Stock Company")."""
    words = normalise(inner, strip_legal_forms=False).tokens
    return bool(words) and all(w in _LEGAL_FORM_WORDS or w in GENERIC_WORDS for w in words)


def _another_name(inner: str) -> bool:
    """Whether words in closing brackets are another name of the entity: not a country or a branch, a legal form, a
    number or a letter alone, nor an acronym (a word of a few letters: the lookup reads those as the initials of the
    name before them, where they are)."""
    words = normalise(inner).tokens
    if not words or (len(words) == 1 and len(words[0]) <= _ACRONYM_LETTERS):
        return False
    legal_only = normalise(f"name {inner}").tokens == ("name",)
    return (
        not legal_only
        and country_code(inner) is None
        and "branch" not in words
        and any(
            word.isalpha() and len(word) > 1 and word not in GENERIC_WORDS and word not in _LEGAL_FORM_WORDS
            for word in words
        )
    )


# Every word of the legal forms' spellings ("federal state unitary enterprise", "public joint stock company"): a
# bracket made of them and everyday words ("Crimean Railway (Federal State United Enterprise)") names no one.
_LEGAL_FORM_WORDS = frozenset(
    word for spellings in LEGAL_FORMS.values() for spelling in spellings for word in spelling.replace(".", " ").split()
) | {"united"}


# An acronym's most letters, as companies' and groups' names are shortened ("GTsST", "SPCEX").
_ACRONYM_LETTERS = 6


def _parse_summary(path: Path, text: str) -> ParsedList:
    records = []
    for line, row in _csv_rows(path, text, 1):
        unique_id = row["Unique ID"]
        where = f"{path.name}: line {line}"
        if not unique_id:
            raise DataError(f"{where}: a record without a Unique ID.")
        name = row["Name"] or f"(no name given, {unique_id})"
        group = row["OFSI Group ID"]
        records.append(
            ListedRecord(
                source=SOURCE,
                record_id=unique_id,
                kind=_kind(row["Type"], where),
                name=name,
                names=_summary_names(name, row["Type"]) if row["Name"] else (),
                authority="GB-FCDO",
                regime=uk_regime_key(unique_id),
                regime_name=row["Regime Name"] or None,
                listed_on=parse_day_first(row["Date Designated"]),
                measures=_measures(row["Sanctions Imposed"], ","),
                identifiers={
                    "UK Unique ID": unique_id,
                    **({"OFSI Group ID": group} if group else {}),
                    # "UN" where the UK gives effect to a UN designation (its UN ships, which the UN's own list
                    # export does not carry): what a "no" about the UN must not hide.
                    **({DESIGNATION_SOURCE: row["Designation source"]} if row["Designation source"] else {}),
                },
                cross_refs=(f"ofsi-group:{group}",) if group else (),
                raw_hash=raw_hash(sorted(row.items())),
            )
        )
    reject_duplicates(records, path.name, "Unique ID")
    return ParsedList(source=SOURCE, records=records, tail_id=records[-1].record_id if records else None)


def _joined_name(parts: list[str], kind: EntityKind) -> str:
    surname, given = parts[-1], [p for p in parts[:-1] if p]
    if kind is EntityKind.PERSON and surname and given:
        return f"{surname} {' '.join(given)}"  # the FCDO writes people surname first: "ZHAO Guangzong"
    return " ".join(p for p in [*given, surname] if p)


def _parse_full_csv(path: Path, text: str, as_of: dt.date | None, *, first_line: int) -> ParsedList:
    rows = _csv_rows(path, text, first_line)
    missing = [c for c in FULL_REQUIRED if rows and c not in rows[0][1]]
    if missing or not rows:
        raise DataError(
            f"{path.name}: not the full UK Sanctions List export (missing columns: {', '.join(missing) or 'all rows'})."
        )
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in rows:
        if not row["Unique ID"]:
            raise DataError(f"{path.name}: line {line}: a record without a Unique ID.")
        grouped[row["Unique ID"]].append((line, row))
    records = []
    for unique_id, group in grouped.items():
        line, first = group[0]
        where = f"{path.name}: line {line}"
        kind = _kind(first["Designation Type"], where)
        names: list[ListedName] = []
        for _, row in group:
            value = _joined_name([row.get(f"Name {i}", "") for i in (1, 2, 3, 4, 5, 6)], kind)
            name_type = NameType.PRIMARY if row["Name type"].lower().startswith("primary name") else NameType.ALIAS
            if value and row["Name type"].lower() == "primary name variation":
                name_type = NameType.ALIAS
            if value and row.get("Alias strength", "").lower().startswith("low"):
                name_type = NameType.WEAK
            if value:
                names.append(ListedName(value=value, type=name_type))
            script = row.get("Name non-latin script", "")
            if script:
                names.append(
                    ListedName(value=script, type=NameType.NON_LATIN, lang=row.get("Non-latin script language") or None)
                )
        names = _unique(names)
        primary = next((n.value for n in names if n.type is NameType.PRIMARY), names[0].value if names else unique_id)
        group_id = first.get("OFSI Group ID", "")
        un_ref = first.get("UN Reference Number", "")
        country = country_code(first.get("Address Country")) or country_code(first.get("Nationality(/ies)"))
        records.append(
            ListedRecord(
                source=SOURCE,
                record_id=unique_id,
                kind=kind,
                name=primary,
                names=tuple(names),
                country=country,
                authority="GB-FCDO",
                regime=uk_regime_key(unique_id),
                regime_name=first["Regime Name"] or None,
                listed_on=parse_day_first(first["Date Designated"]),
                measures=_measures(first.get("Sanctions Imposed", ""), "|"),
                reasons=first.get("UK Statement of Reasons") or None,
                remarks=first.get("Other Information") or None,
                addresses=tuple(_addresses(group)),
                raw_hash=raw_hash(sorted(tuple(sorted(r.items())) for _, r in group)),
                identifiers={"UK Unique ID": unique_id, **({"OFSI Group ID": group_id} if group_id else {})},
                cross_refs=tuple(
                    r for r in (f"ofsi-group:{group_id}" if group_id else "", f"un:{un_ref}" if un_ref else "") if r
                ),
            )
        )
    return ParsedList(source=SOURCE, records=records, as_of=as_of, tail_id=rows[-1][1]["Unique ID"])


def _unique(names: list[ListedName]) -> list[ListedName]:
    seen: dict[str, ListedName] = {}
    for name in names:
        seen.setdefault(name.value.casefold(), name)
    return list(seen.values())


def _addresses(group: list[tuple[int, dict[str, str]]]) -> list[str]:
    found = []
    for _, row in group:
        parts = [row.get(f"Address Line {i}", "") for i in range(1, 7)]
        parts += [row.get("Address Postal Code", ""), row.get("Address Country", "")]
        joined = ", ".join(p for p in parts if p)
        if joined and joined not in found:
            found.append(joined)
    return found


def _find(element: Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _parse_xml(path: Path, data: bytes) -> ParsedList:
    root = parse_xml(data, path.name)
    designations = list(root.iter("Designation"))
    if not designations:
        raise DataError(f"{path.name}: no <Designation> elements: not a UK Sanctions List XML export.")
    records = []
    last_updated: list[dt.date] = []
    for number, designation in enumerate(designations, start=1):
        unique_id = _find(designation, "UniqueID")
        where = f"{path.name}: Designation #{number}"
        if not unique_id:
            raise DataError(f"{where}: a record without a UniqueID.")
        kind = _kind(_find(designation, "IndividualEntityShip"), f"{where} ({unique_id})")
        names = []
        for name in designation.iterfind(".//Names/Name"):
            value = _joined_name([_find(name, f"Name{i}") for i in (1, 2, 3, 4, 5, 6)], kind)
            if value:
                primary = _find(name, "NameType").lower() == "primary name"
                names.append(ListedName(value=value, type=NameType.PRIMARY if primary else NameType.ALIAS))
        for non_latin in designation.iterfind(".//NonLatinNames/NonLatinName"):
            value = _find(non_latin, "NameNonLatinScript")
            if value:
                names.append(
                    ListedName(
                        value=value, type=NameType.NON_LATIN, lang=_find(non_latin, "NonLatinScriptLanguage") or None
                    )
                )
        names = _unique(names)
        if updated := parse_day_first(_find(designation, "LastUpdated")):
            last_updated.append(updated)
        primary_name = next(
            (n.value for n in names if n.type is NameType.PRIMARY), names[0].value if names else unique_id
        )
        group_id = _find(designation, "OFSIGroupID")
        un_ref = _find(designation, "UNReferenceNumber")
        records.append(
            ListedRecord(
                source=SOURCE,
                record_id=unique_id,
                kind=kind,
                name=primary_name,
                names=tuple(names),
                country=country_code(_find(designation, ".//Addresses/Address/AddressCountry")),
                authority="GB-FCDO",
                regime=uk_regime_key(unique_id),
                regime_name=_find(designation, "RegimeName") or None,
                listed_on=parse_day_first(_find(designation, "DateDesignated")),
                measures=_measures(_find(designation, "SanctionsImposed"), "|"),
                reasons=_find(designation, "UKStatementofReasons") or None,
                remarks=_find(designation, "OtherInformation") or None,
                raw_hash=raw_hash(tostring(designation)),
                identifiers={"UK Unique ID": unique_id, **({"OFSI Group ID": group_id} if group_id else {})},
                cross_refs=tuple(
                    r for r in (f"ofsi-group:{group_id}" if group_id else "", f"un:{un_ref}" if un_ref else "") if r
                ),
            )
        )
    reject_duplicates(records, path.name, "UniqueID")
    return ParsedList(source=SOURCE, records=records, as_of=max(last_updated) if last_updated else None)
