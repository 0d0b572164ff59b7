"""HM Treasury / OFSI's Consolidated List (ConList.csv): one row per name, grouped by Group ID; Windows-1252."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections import defaultdict
from pathlib import Path

from knowledge.errors import DataError
from knowledge.lists.identifiers import (
    BIRTH_DATE,
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    ROUGH_BIRTH_DATE,
    add_identifier,
    birth_date,
    birth_place,
    identifiers_in_text,
)
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    decode_text,
    ends_mid_line,
    parse_day_first,
    raw_hash,
    read_bytes,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["LEGACY_HEADER", "parse_uk_conlist"]

SOURCE = "uk-conlist"
# The pre-2022 header: files whose two header lines were cut off are read with it.
LEGACY_HEADER = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,"
    "Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,"
    "Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID"
).split(",")
_KINDS = {"individual": EntityKind.PERSON, "entity": EntityKind.COMPANY, "ship": EntityKind.VESSEL}
_PRIMARY = ("primary name", "prime alias")
_SLUG = re.compile(r"[^A-Z0-9]+")
_UN_REF = re.compile(r"UN Ref:?\s*([A-Z]{2}[ie]\.\d+)")
# OFSI numbers the parts of a cell that gives several ("(1) Beja (2) -", "(1)-(2) Tunisia"): an item, or a run of them.
# A run is written without spaces ("(2)-(6)"); "(1) - (2) Shabwa" is item 1 left blank ("-"), then item 2.
_NUMBERED_ITEM = re.compile(r"\((\d+)\)(?:-\((\d+)\))?\s*((?:(?!\(\d+\)).)*)")
_MOST_NUMBERED = 20


def _regime_key(name: str) -> str:
    return "GB-" + _SLUG.sub("-", name.upper()).strip("-")[:40]


def parse_uk_conlist(path: Path) -> ParsedList:
    data = read_bytes(path)
    text = decode_text(data, path.name)
    reader = csv.reader(io.StringIO(text), strict=True)
    as_of: dt.date | None = None
    try:
        first = next(reader)
        if first and first[0].strip() == "Last Updated":
            as_of = parse_day_first(first[1] if len(first) > 1 else "")
            header = [h.strip() for h in next(reader)]
            first_data = None
        elif first and first[0].strip() == "Name 6":
            header, first_data = [h.strip() for h in first], None
        elif len(first) == len(LEGACY_HEADER):
            header, first_data = LEGACY_HEADER, first
        else:
            raise DataError(
                f"{path.name}: line 1 is neither OFSI's 'Last Updated' line nor its header, and has {len(first)} "
                f"columns, not {len(LEGACY_HEADER)}. Is this another list's file?"
            )
        for needed in ("Name 6", "Group ID", "Group Type", "Regime"):
            if needed not in header:
                raise DataError(f"{path.name}: the header has no {needed!r} column: not an OFSI ConList.")
        rows = []
        # Lazily, so reader.line_num names the line being read.
        for cells in itertools.chain([first_data] if first_data else [], reader):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                found = len(cells)
                raise DataError(
                    f"{path.name}: line {reader.line_num}: expected {len(header)} columns, found {found} (truncated?)."
                )
            rows.append((reader.line_num, dict(zip(header, (c.strip() for c in cells), strict=True))))
    except StopIteration:
        raise DataError(f"{path.name}: the file ends before its first record.") from None
    except csv.Error as error:
        raise DataError(f"{path.name}: line {reader.line_num}: {error} (truncated file?).") from error

    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line, row in rows:
        if not row["Group ID"]:
            raise DataError(f"{path.name}: line {line}: a record without a Group ID.")
        groups[row["Group ID"]].append(row)
    records = []
    newest: list[dt.date] = []
    for group_id, group in groups.items():
        # Publishers reorder a group's rows between editions; a record must depend on their content only.
        group.sort(key=lambda r: (r.get("Alias Type", "").lower() not in _PRIMARY, sorted(r.items())))
        kind = _KINDS.get(group[0]["Group Type"].lower(), EntityKind.COMPANY)
        names = []
        for row in group:
            parts = [row.get(f"Name {i}", "") for i in (1, 2, 3, 4, 5)]
            surname = row["Name 6"]
            given = " ".join(p for p in parts if p)
            value = (
                f"{surname} {given}".strip()
                if kind is EntityKind.PERSON
                else " ".join(p for p in (given, surname) if p)
            )
            if not value:
                continue
            alias_type = row.get("Alias Type", "").lower()
            weak = row.get("Alias Quality", "").lower().startswith("low")
            name_type = NameType.PRIMARY if alias_type in _PRIMARY else NameType.WEAK if weak else NameType.ALIAS
            names.append(ListedName(value=value, type=name_type))
            script = row.get("Name Non-Latin Script", "")
            if script:
                names.append(ListedName(value=script, type=NameType.NON_LATIN))
        if not names:
            raise DataError(f"{path.name}: Group ID {group_id} has no name in any of its rows.")
        names = list({n.value.casefold(): n for n in reversed(names)}.values())[::-1]
        primary = next((n.value for n in names if n.type is NameType.PRIMARY), names[0].value)
        listed = [d for d in (parse_day_first(r.get("Listed On")) for r in group) if d]
        newest += [d for d in (parse_day_first(r.get("Last Updated")) for r in group) if d]
        regimes = sorted({r["Regime"] for r in group if r["Regime"]})
        other = group[0].get("Other Information", "")
        un_refs = _UN_REF.findall(other)
        # A person's country is their nationality; an address is only where they were (in custody, abroad).
        place, nationality = country_code(group[0].get("Country")), country_code(group[0].get("Nationality"))
        country = (nationality or place) if kind is EntityKind.PERSON else (place or nationality)
        records.append(
            ListedRecord(
                source=SOURCE,
                record_id=group_id,
                kind=kind,
                name=primary,
                names=tuple(names),
                country=country,
                authority="GB-FCDO",
                regime=_regime_key(regimes[0]) if regimes else None,
                regime_name="; ".join(regimes) or None,
                listed_on=min(listed) if listed else None,
                remarks=other or None,
                addresses=tuple(
                    dict.fromkeys(
                        ", ".join(
                            p
                            for p in [r.get(f"Address {i}", "") for i in range(1, 7)]
                            + [r.get("Post/Zip Code", ""), r.get("Country", "")]
                            if p
                        )
                        for r in group
                        if any(r.get(f"Address {i}") for i in range(1, 7))
                    )
                ),
                identifiers={"OFSI Group ID": group_id, **_strong_identifiers(group)},
                raw_hash=raw_hash(sorted(tuple(sorted(r.items())) for r in group)),
                cross_refs=(f"ofsi-group:{group_id}", *(f"un:{ref}" for ref in un_refs)),
            )
        )
    return ParsedList(
        source=SOURCE,
        records=records,
        as_of=as_of or (max(newest) if newest else None),
        looks_cut=ends_mid_line(data, path.name),
        tail_id=rows[-1][1]["Group ID"] if rows else None,
    )


# OFSI writes documents as prose ("Passport No: 592667 (Qatari passport issued on 3 May 2007)"): a number is a
# run of at least five letters and digits holding a digit.
_DOCUMENT_NUMBER = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,}\b")


# OFSI says in prose that a date of birth is only approximate: every one of the group's ("DOB is approximate", "Date of
# birth is approximate", "Year of birth approximate", "DOB is appoximate" as written once), or one year's ("Date of
# birth:1957 is approximate").
_EVERY_BIRTH_DATE_ROUGH = re.compile(r"\b(?:DOB|(?:date|year) of birth) (?:is )?appr?oximate\b", re.IGNORECASE)
_ROUGH_BIRTH_YEAR = re.compile(r"\bdate of birth:? ?(\d{4}) is approximate\b", re.IGNORECASE)


def _birth_places(town: str, country: str) -> list[str | None]:
    """The places of birth a row gives: one town and country, or several numbered alike in both cells ("(1) Beja (2) -
    (3) -" and "(1)-(2) Tunisia (3) Morocco": Beja, Tunisia; Tunisia; Morocco); a cell not numbered goes with each."""
    towns, countries = _numbered(town), _numbered(country)
    if towns is None and countries is None:
        return [birth_place(town, country)]
    numbers = sorted({*(towns or {}), *(countries or {})})
    return [
        birth_place(town if towns is None else towns.get(n), country if countries is None else countries.get(n))
        for n in numbers
    ]


def _numbered(cell: str) -> dict[int, str] | None:
    """A cell's numbered items ("(1) Beja (2) -", "(1)-(2) Tunisia (3) Morocco"), by number; None where not numbered."""
    if "(1)" not in cell:
        return None
    items: dict[int, str] = {}
    # Numbers written together share the text after the last of them ("(1) (2) (4) Libyan Arab Jamahirya").
    waiting: list[int] = []
    for first, last, text in _NUMBERED_ITEM.findall(cell):
        start = int(first)
        waiting += range(start, min(int(last or first), start + _MOST_NUMBERED) + 1)
        if text := text.strip(" ,;"):
            items.update(dict.fromkeys(waiting, text))
            waiting = []
    return items


def _strong_identifiers(group: list[dict[str, str]]) -> dict[str, str]:
    """Birth dates (those said to be approximate as rough ones, as the UN's "APPROXIMATELY" are) and places,
    passport and national id numbers, IMO and SWIFT codes of a group's rows."""
    text = " ".join(dict.fromkeys(r.get("Other Information", "") for r in group))
    found = identifiers_in_text(text)
    every_rough, years_said_rough = _EVERY_BIRTH_DATE_ROUGH.search(text), set(_ROUGH_BIRTH_YEAR.findall(text))
    for row in group:
        date = birth_date(row.get("DOB", ""))
        rough = date and (every_rough or date[:4] in years_said_rough)
        # (A date birth_date read, "circa" before it: what stated_birth_date gives for it.)
        add_identifier(found, *((ROUGH_BIRTH_DATE, f"circa {date}") if rough else (BIRTH_DATE, date)))
        for place in _birth_places(row.get("Town of Birth", ""), row.get("Country of Birth", "")):
            add_identifier(found, PLACE_OF_BIRTH, place)
        for column, label in (("Passport Details", PASSPORT), ("NI Number", NATIONAL_ID)):
            text = re.sub(r"\b(?:19|20)\d\d\b", " ", row.get(column, ""))  # years of issue are not numbers
            for number in _DOCUMENT_NUMBER.findall(text.upper()):
                add_identifier(found, label, number)
    return found
