"""OFAC's legacy CSV set: sdn.csv or cons_prim.csv with its add, alt and comments companions, joined on ent_num."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

from knowledge.errors import DataError
from knowledge.lists.identifiers import ofac_remark_identifiers
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    decode_text,
    ends_mid_line,
    raw_hash,
    read_bytes,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import EntityKind, NameType

__all__ = ["aliases_in_remarks", "parse_ofac_csv"]

NULL = "-0-"
# OFAC ends every file it publishes with a DOS end-of-file byte: a file without it did not arrive whole.
END_OF_FILE = b"\x1a"
# The column count tells the files apart, whatever they are called: main, address, alias, remarks continued.
MAIN_COLUMNS, ADD_COLUMNS, ALT_COLUMNS, COMMENTS_COLUMNS = 12, 6, 5, 2
_KINDS = {"individual": EntityKind.PERSON, "vessel": EntityKind.VESSEL, "aircraft": EntityKind.AIRCRAFT}
_ALT_TYPES = {"aka": NameType.ALIAS, "fka": NameType.FORMER, "nka": NameType.ALIAS}
# A name in quotes after "a.k.a.", which may hold apostrophes itself ('ABU 'ABD AL-HAKIM', 'ABDEL' AZIZ BEN NARVAN): it
# ends at a quote before the remark's next separator or its end, not at the first apostrophe ("ABU").
_REMARK_ALIAS = re.compile(r"\b([afn])\.k\.a\.,?\s+'(.+?)'(?=\s*(?:[;,)]|\.?\s*$))", re.IGNORECASE)
_NATIONALITY = re.compile(r"\b(?:nationality|citizen|Nationality of Registration)\s+([A-Z][A-Za-z ,.'-]+?)(?:;|\.$|$)")
_PARENTHESISED = re.compile(r"\(([A-Z][A-Za-z .'-]+)\)")


def _value(cell: str) -> str | None:
    cell = cell.strip()
    return None if not cell or cell == NULL else cell


def looks_cut(path: Path, data: bytes) -> str | None:
    """What an OFAC file says against its own completeness: its end-of-file mark, or its last line, missing."""
    if not data.rstrip(b" \t").endswith(END_OF_FILE):
        return f"{path.name} lacks the end-of-file mark (Ctrl-Z) OFAC ends its files with"
    return ends_mid_line(data, path.name)


def _rows(path: Path) -> tuple[int, list[tuple[int, list[str]]], str | None]:
    """(column count, [(line number, cells)], what says the file may be cut) of one file, strictly parsed."""
    data = read_bytes(path)
    text = decode_text(data, path.name)
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise DataError(f"{path.name}: line {reader.line_num}: {error} (truncated file?).") from error
    if not rows:
        raise DataError(f"{path.name}: the file has no rows.")
    width = len(rows[0][1])
    if width not in (MAIN_COLUMNS, ADD_COLUMNS, ALT_COLUMNS, COMMENTS_COLUMNS):
        raise DataError(
            f"{path.name}: line {rows[0][0]} has {width} columns; an OFAC legacy CSV has 12 (sdn/cons_prim), "
            "6 (add), 5 (alt) or 2 (comments). Is this another list's file?"
        )
    for line, cells in rows:
        if len(cells) != width:
            raise DataError(
                f"{path.name}: line {line}: expected {width} columns, found {len(cells)} (truncated file?)."
            )
        if not cells[0].strip().isdigit():
            what = "an ent_num" if not cells[0].strip() else f"a numeric ent_num (found {cells[0][:30]!r})"
            raise DataError(f"{path.name}: line {line}: a record without {what}; is this an OFAC file?")
    return width, rows, looks_cut(path, data)


def aliases_in_remarks(remarks: str | None) -> list[ListedName]:
    """The a.k.a./f.k.a./n.k.a. names OFAC writes into remarks when it has no alias row for them."""
    found = []
    for prefix, value in _REMARK_ALIAS.findall(remarks or ""):
        found.append(ListedName(value=value.strip(), type=NameType.FORMER if prefix.lower() == "f" else NameType.ALIAS))
    return found


def _country(remarks: str | None, addresses: list[tuple[str, str | None]]) -> str | None:
    for _, country in addresses:
        code = country_code(country)
        if code:
            return code
    for pattern in (_NATIONALITY, _PARENTHESISED):
        for candidate in pattern.findall(remarks or ""):
            code = country_code(candidate)
            if code:
                return code
    return None


def parse_ofac_csv(paths: list[Path], *, source: str) -> ParsedList:
    """Parse an OFAC legacy CSV set; companion rows whose ent_num is not in the main file are skipped and counted."""
    by_width: dict[int, list[tuple[Path, list[tuple[int, list[str]]]]]] = defaultdict(list)
    doubts = []
    for path in paths:
        width, rows, doubt = _rows(path)
        by_width[width].append((path, rows))
        if doubt:
            doubts.append(doubt)
    mains = by_width.get(MAIN_COLUMNS, [])
    if len(mains) != 1:
        names = ", ".join(p.name for p in paths)
        raise DataError(f"{names}: expected exactly one main OFAC file (12 columns, e.g. sdn.csv); found {len(mains)}.")
    main_path, main_rows = mains[0]

    first_line: dict[str, int] = {}
    for line, cells in main_rows:
        ent = cells[0].strip()
        if ent in first_line:
            raise DataError(
                f"{main_path.name}: line {line}: duplicate ent_num {ent} (first at line {first_line[ent]})."
            )
        if _value(cells[1]) is None:
            raise DataError(f"{main_path.name}: line {line}: record {ent} has no name.")
        first_line[ent] = line

    skipped: dict[str, int] = defaultdict(int)
    companion_rows: dict[str, list[list[str]]] = defaultdict(list)
    addresses: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    aliases: dict[str, list[ListedName]] = defaultdict(list)
    continued: dict[str, str] = defaultdict(str)
    for width, files in by_width.items():
        if width == MAIN_COLUMNS:
            continue
        for path, rows in files:
            for _, cells in rows:
                ent = cells[0].strip()
                if ent not in first_line:
                    skipped[f"{path.name}: rows for ent_nums not in {main_path.name}"] += 1
                    continue
                companion_rows[ent].append(cells)
                if width == ADD_COLUMNS:
                    parts = [p for p in (_value(c) for c in cells[2:5]) if p]
                    if parts:
                        addresses[ent].append((", ".join(parts), _value(cells[4])))
                elif width == ALT_COLUMNS:
                    alt_name = _value(cells[3])
                    if alt_name:
                        kind = _ALT_TYPES.get((_value(cells[2]) or "aka").lower(), NameType.ALIAS)
                        aliases[ent].append(ListedName(value=alt_name, type=kind))
                else:
                    continued[ent] += cells[1]

    records = []
    for _, cells in main_rows:
        ent = cells[0].strip()
        remarks = (_value(cells[11]) or "") + continued.get(ent, "")
        names = [ListedName(value=cells[1].strip(), type=NameType.PRIMARY)]
        seen = {names[0].value.casefold()}
        for alias in [*aliases.get(ent, []), *aliases_in_remarks(remarks)]:
            if alias.value.casefold() not in seen:
                seen.add(alias.value.casefold())
                names.append(alias)
        programmes = tuple(p.strip() for p in (_value(cells[3]) or "").split("] [") if p.strip())
        identifiers = {"OFAC ent_num": ent, **ofac_remark_identifiers(remarks)}
        for label, column in (
            ("title", 4),
            ("call sign", 5),
            ("vessel type", 6),
            ("vessel tonnage", 7),
            ("vessel GRT", 8),
            ("vessel flag", 9),
            ("vessel owner", 10),
        ):
            value = _value(cells[column])
            if value:
                identifiers[label] = value
        records.append(
            ListedRecord(
                source=source,
                record_id=ent,
                kind=_KINDS.get((_value(cells[2]) or "").lower(), EntityKind.COMPANY),
                name=names[0].value,
                names=tuple(names),
                country=_country(remarks, addresses.get(ent, [])),
                authority="US-OFAC",
                programmes=programmes,
                remarks=remarks or None,
                addresses=tuple(a for a, _ in addresses.get(ent, [])),
                identifiers=identifiers,
                raw_hash=raw_hash(cells, sorted(companion_rows.get(ent, []))),
            )
        )
    return ParsedList(
        source=source,
        records=records,
        skipped=dict(skipped),
        looks_cut="; ".join(doubts) or None,
        tail_id=main_rows[-1][1][0].strip(),
    )
