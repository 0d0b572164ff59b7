"""The rows to screen, from pasted lines, a CSV or an XLSX file: a name, and a country and birth date if given."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.errors import UsageError
from bot.screening.text_encoding import decode_text
from knowledge.countries import country_code
from knowledge.shown import one_line

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NAME_LENGTH",
    "InputRow",
    "RowsRead",
    "has_csv_header",
    "read_file",
    "read_pasted",
    "text_lines",
]

# Larger than any customer list a chat upload carries; a bigger file is refused unread, so it costs nothing.
MAX_FILE_BYTES = 20 * 1024 * 1024
# A name longer than this is a pasted paragraph, not a name: the row is set aside, said.
MAX_NAME_LENGTH = 200
_ZIP_MAGIC = b"PK\x03\x04"
_SEPARATORS = re.compile(r"\t|;|\|")
_PASTED = "pasted lines"
# Header words, compared lower-cased with _ and - read as spaces.
_NAME_HEADERS = frozenset(
    {
        "name",
        "names",
        "full name",
        "entity",
        "entity name",
        "company",
        "company name",
        "customer",
        "customer name",
        "counterparty",
        "supplier",
        "party",
        "person",
        "legal name",
        "beneficiary",
        "beneficiary name",
        "client",
        "client name",
        "account name",
        "account holder",
        "party name",
        "counterparty name",
        "supplier name",
        "vendor",
        "vendor name",
        "payee",
        "payee name",
        "organisation",
        "organization",
        "business name",
        "individual",
        # A company's name as other languages head it.
        "raison sociale", "société", "societe", "entreprise", "razón social", "razon social", "empresa",
        "ragione sociale", "società", "firma", "firmenname", "unternehmen", "denominação social",
        "denominacao social", "empresa nome", "bedrijfsnaam", "bedrijf",
    }
)  # fmt: skip
_COUNTRY_HEADERS = frozenset({"country", "nationality", "citizenship", "jurisdiction", "country of incorporation"})
_BIRTH_HEADERS = frozenset({"dob", "date of birth", "birth date", "birthdate", "born", "birth"})
# A person's name in parts, one column each (English, Spanish, French, German, Italian, Portuguese and Dutch headings):
# joined, given names first, the family names last. Bare "first" and "last" are not among them: they head dates too.
_GIVEN_HEADERS = frozenset(
    {
        "first name", "first names", "first name(s)", "firstname", "fname", "given name", "given names",
        "given name(s)", "given", "forename", "forenames", "forename(s)", "other names", "other name(s)",
        "other forenames", "nombre", "nombres", "vorname", "vornamen", "prénom", "prenom", "prénoms", "nome",
        "voornaam", "voornamen",
    }
)  # fmt: skip
_MIDDLE_HEADERS = frozenset(
    {"middle name", "middle names", "middle name(s)", "middlename", "middle", "middle initial", "patronymic"}
)
_FAMILY_HEADERS = frozenset(
    {
        "last name", "last names", "last name(s)", "lastname", "lname", "surname", "surnames", "surname(s)",
        "family name", "family names", "family name(s)", "family", "second surname", "second last name", "apellido",
        "apellidos", "primer apellido", "segundo apellido", "apellido paterno", "apellido materno", "nachname",
        "familienname", "nom", "nom de famille", "cognome", "sobrenome", "apelido", "achternaam",
    }
)  # fmt: skip
# Words that make a header cell of one's own wording a country or a birth column ("Country of residence").
_COUNTRY_WORDS = frozenset({"country", "nationality", "citizenship", "jurisdiction"})
_BIRTH_WORDS = frozenset({"dob", "birth", "birthdate", "born"})
# Rows looked at before reading any: enough to tell a header from data and a column of names from one of numbers.
_SAMPLE_ROWS = 50


@dataclass(frozen=True, slots=True)
class _NameColumns:
    """A person's name in parts (`parts`, given names first), and the column of whole names or companies beside them
    (`whole`): a row holding both is screened by both. `named`: the given names are a bare "Name" column beside a
    surname, which may hold the whole name."""

    parts: tuple[int, ...]
    whole: int | None = None
    named: bool = False


# Where a row's name, country and birth are: the name one column, or a person's name in parts.
_Columns = tuple[int | _NameColumns, int | None, int | None]


@dataclass(frozen=True, slots=True)
class InputRow:
    """One row as given: its number in the input (a file's row as a spreadsheet numbers it, the header and blank rows
    counted; a pasted line's), the name, and the optional details."""

    number: int
    name: str
    country: str | None = None
    birth: str | None = None
    # A second name the row holds, screened too: a person's name in parts beside a company's ("Acme Ltd", "John Smith").
    other_name: str | None = None

    @property
    def shown(self) -> str:
        """The row's names as a reader finds them in the input, and as the record keeps them."""
        return f"{self.name} / {self.other_name}" if self.other_name else self.name

    @property
    def digest(self) -> str:
        """The SHA-256 of the row's cells: what proves, later, which row was screened."""
        text = "\x1f".join((self.shown, self.country or "", self.birth or ""))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True)
class RowsRead:
    """The rows read, what was set aside and why, and how the input was read."""

    rows: list[InputRow]
    # Data rows found, blank ones aside: the rows over the limit are counted here, never silently dropped.
    total: int
    limit: int
    set_aside: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # SHA-256 of the input exactly as received.
    digest: str = ""
    # The number of the first row left out by the limit (None when none was): where the rest of the input starts.
    stopped_at: int | None = None
    source: str = _PASTED

    @property
    def over_limit(self) -> int:
        return self.total - len(self.rows) - len(self.set_aside)


def _cell(value: object) -> str:
    """A cell as text, each of its lines on one line (a cell written over lines, Alt+Enter in Excel, keeps its line
    breaks as "\n": a name cell may hold two names so, each screened; any other cell is read on one line)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # a spreadsheet's date cell: the day, as a date of birth is written
    text = str(value)
    if "\n" not in text and "\r" not in text:
        return one_line(text).strip()
    return "\n".join(line for part in text_lines(text) if (line := one_line(part).strip()))


def _flat(text: str | None) -> str | None:
    """A cell on one line: its lines joined by spaces."""
    return text.replace("\n", " ") if text else text


# Names a name cell may hold, one a line: a row is screened by two names at most.
_NAMES_A_CELL = 2


def _header_key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _columns(
    first: list[str], later: list[list[str]]
) -> tuple[int | _NameColumns | None, int | None, int | None] | None:
    """(name, country, birth) column positions when `first` is a header row, the name's None when no header word
    names it, a person's name in parts where it is (_name_parts); None when the row is data."""
    keys = [_header_key(cell) for cell in first]
    name: int | _NameColumns | None = _name_parts(keys, later)
    if name is None:
        # A column of account numbers under "Customer" beside "Customer Name" is no name.
        name = next((n for n, key in enumerate(keys) if key in _NAME_HEADERS and _holds_words(later, n)), None)
    country = next((n for n, key in enumerate(keys) if key in _COUNTRY_HEADERS), None)
    birth = next((n for n, key in enumerate(keys) if key in _BIRTH_HEADERS), None)
    if name is None and country is None and birth is None:
        return _columns_by_word(keys)
    return name, country, birth


def _name_parts(keys: list[str], later: list[list[str]]) -> _NameColumns | None:
    """A person's name in parts, where the header has a column of given names and one of family names ("First
    name", "Middle name", "Last name", "Second surname"; a bare "Name" beside "Surname" is the given name), each
    holding words, not numbers; the column of whole names or companies beside them, if any ("Company", "Full
    name"; "Name" beside "First name"), is read first. None where there are no parts. Read from one part alone,
    "Rafael" for CARO QUINTERO, Rafael, a listed person is never found."""
    family = [n for n, key in enumerate(keys) if key in _FAMILY_HEADERS and _holds_words(later, n)]
    given = [n for n, key in enumerate(keys) if key in _GIVEN_HEADERS and _holds_words(later, n)]
    bare = [n for n, key in enumerate(keys) if key in ("name", "names") and _holds_words(later, n)]
    named = not given and bool(family) and bool(bare)
    if named:
        given = bare[:1]
    elif given and not family and bare:
        family = bare[:1]  # German "Vorname", "Name": the bare Name is the family name
    if not family or not given:
        return None
    middle = [n for n, key in enumerate(keys) if key in _MIDDLE_HEADERS and _holds_words(later, n)]
    parts = (*given, *middle, *family)
    # A column of customer numbers under "Customer" is no name: the parts are then the names.
    whole = next(
        (n for n, key in enumerate(keys) if key in _NAME_HEADERS and n not in parts and _holds_words(later, n)), None
    )
    return _NameColumns(parts, whole, named)


def _holds_words(later: list[list[str]], position: int) -> bool:
    """Whether a column under a header holds words, not mostly numbers (of the rows sampled; any, where none are)."""
    return not _mostly(_column(later, position), _numeric)


def _names_of(row: list[str], columns: _NameColumns) -> tuple[str, str | None]:
    """A row's name, and a second one where it holds both a whole name (a company) and a person's name in parts;
    the parts joined, given names first. A surname a bare "Name" already holds, with more words beside it, is left
    out ("ZHAO Guangzong" beside "Zhao" is ZHAO Guangzong, not doubled: 0.78, no match); a name that repeats a word
    keeps it ("Heriberto", "Lazcano", "Lazcano" is LAZCANO LAZCANO, Heriberto)."""

    def cell(position: int) -> str:
        return row[position] if position < len(row) else ""

    given = cell(columns.parts[0]).split()
    held = {word.casefold() for word in given}
    joined = [cell(columns.parts[0])] if given else []
    for position in columns.parts[1:]:
        part = cell(position)
        words = part.split()
        if not part or (columns.named and len(given) > len(words) and {w.casefold() for w in words} <= held):
            continue
        joined.append(part)
    person = " ".join(joined)
    whole = cell(columns.whole) if columns.whole is not None else ""
    if whole and person and person.casefold() != whole.casefold():
        return whole, person
    return whole or person, None


def _parts_note(first: list[str], columns: _NameColumns) -> str:
    parts = " and ".join(f"“{first[position]}”" for position in columns.parts)
    if columns.whole is None:
        return f"Each name was read from the columns {parts}, joined."
    return (
        f"Each row was screened by the column “{first[columns.whole]}” and by the columns {parts}, joined: a row "
        "holding both is screened by both names, its verdict the graver."
    )


def _columns_by_word(keys: list[str]) -> tuple[int | None, int | None, int | None] | None:
    """A header in words of its own ("Supplier legal name", "Town", "Country of residence"): a header when a cell
    holds the word "name", which a row of names almost never does ("Country Garden Holdings" is a name, not a
    header); the other columns then by their words."""
    words = [set(key.split()) for key in keys]
    name = next((n for n, held in enumerate(words) if held & {"name", "names"}), None)
    if name is None:
        return None
    country = next((n for n, held in enumerate(words) if n != name and held & _COUNTRY_WORDS), None)
    # "Country of birth" is the country column: the birth column is another ("Birth date"), never the same one.
    birth = next((n for n, held in enumerate(words) if n not in (name, country) and held & _BIRTH_WORDS), None)
    return name, country, birth


def _unnamed_name_column(first: list[str], later: list[list[str]], taken: set[int | None], read: RowsRead) -> int:
    """The column of names under a header that names a country or birth column but no name column: the one of
    words, never one of numbers."""
    wordy = [
        p
        for p in range(len(first))
        if p not in taken and not _mostly(_column(later, p), _numeric) and _mostly(_column(later, p), _wordy)
    ]
    if not wordy:
        raise UsageError(
            "The header names a country or date-of-birth column but no name column, and no other column holds words; "
            "call the column of names “name” (or full name, entity, company, customer, client, beneficiary, "
            "counterparty)."
        )
    read.notes.append(f"No column is headed “name”, so the names were read from column “{first[wordy[0]]}”.")
    return wordy[0]


def _mostly(cells: list[str], test: Callable[[str], bool]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and sum(1 for c in filled if test(c)) * 2 > len(filled)


def _numeric(cell: str) -> bool:
    return sum(c.isdigit() for c in cell) > sum(c.isalpha() for c in cell)


def _wordy(cell: str) -> bool:
    return sum(c.isalpha() for c in cell) >= 2 and not _numeric(cell)


def _column(sample: list[list[str]], position: int) -> list[str]:
    return [row[position] if position < len(row) else "" for row in sample]


def _guessed_columns(first: list[str], later: list[list[str]], read: RowsRead) -> tuple[_Columns, bool] | None:
    """For a first row no header word names: (columns, whether it is a header), or None to read name, country,
    birth. It is a header when all its cells are words while a later column is mostly numbers ("Account No")."""
    width = max(len(row) for row in (first, *later))
    numeric = [p for p in range(width) if _mostly(_column(later, p), _numeric)]
    header = (
        len(first) > 1
        and all(not c or not _numeric(c) for c in first)
        and any(p < len(first) and first[p] and not _numeric(first[p]) for p in numeric)
    )
    sample = later if header else [first, *later]
    if not header and not _mostly(_column(sample, 0), _numeric):
        return None
    wordy = [p for p in range(width) if p not in numeric and _mostly(_column(sample, p), _wordy)]
    if not wordy:
        said = ", ".join(
            f"“{first[p]}”" if header and p < len(first) and first[p] else f"number {p + 1}" for p in numeric
        )
        raise UsageError(
            f"No column holds names: {'columns' if len(numeric) > 1 else 'column'} {said} "
            f"{'hold' if len(numeric) > 1 else 'holds'} numbers, and numbers are not screened as names. Head the "
            "column of names “name” and upload the file again."
        )
    name = wordy[0]
    label = f"“{first[name]}”" if header and name < len(first) and first[name] else f"number {name + 1}"
    read.notes.append(
        f"No column is headed “name”, so the names were read from column {label}, the one holding words"
        + (f"; the first row, “{', '.join(c for c in first if c)}”, was read as a header." if header else ".")
    )
    return (name, None, None), header


# Header words of columns of people's names a file may hold beside the one screened (a director, a contact).
_OTHER_NAME_WORDS = frozenset(
    {"name", "names", "director", "directors", "contact", "owner", "owners", "shareholder", "shareholders", "ubo",
     "signatory", "alias", "aliases", "aka", "beneficiary", "representative", "officer", "officers", "manager"}
)  # fmt: skip


def _names_left_out(first: list[str], later: list[list[str]], columns: _Columns) -> list[int]:
    """Columns whose header words say they hold names (a director's, a contact's) and that are not screened: said, so
    a name in them is never taken as screened ("Company name, Director": the director had been passed over unsaid)."""
    name_at, country_at, birth_at = columns
    used = {*name_at.parts, name_at.whole} if isinstance(name_at, _NameColumns) else {name_at}
    return [
        n
        for n, cell in enumerate(first)
        if n not in used | {country_at, birth_at}
        and not _OTHER_NAME_WORDS.isdisjoint(_header_key(cell).split())
        and _holds_words(later, n)
        and any(n < len(row) and row[n] for row in later)
    ]


# Rows above a header a file may give a title or an export's date ("Customer list, 31 May 2024").
_TITLE_ROWS = 5


def _after_title(sample: list[tuple[int, list[str]]], read: RowsRead) -> list[tuple[int, list[str]]]:
    """The rows from a file's header on, where a title stands above it: the first rows are no header and one cell
    each, a later one of the first few names a column of names. The rows above it are not screened, said ("Customer
    list export" over "Country, Customer Name" had "China" screened as each row's name)."""
    if _columns(sample[0][1], [row for _, row in sample[1:]]) is not None:
        return sample
    for at in range(1, min(_TITLE_ROWS, len(sample) - 1) + 1):
        if len([c for c in sample[at - 1][1] if c]) > 1:
            return sample  # a title is one cell; a row of several is data (a headerless file)
        found = _columns(sample[at][1], [row for _, row in sample[at + 1 :]])
        if found is not None and found[0] is not None:
            titles = "; ".join(f"row {number}, “{', '.join(c for c in row if c)}”" for number, row in sample[:at])
            read.notes.append(f"Above the header, {titles}: read as a title, not screened.")
            return sample[at:]
    return sample


def _one_name(row: list[str], *, pairs_only: bool) -> list[str]:
    """A headerless "SURNAME, Given" line split at its comma is one name again, unless its second cell is a country
    or holds a digit (a date of birth, read as before)."""
    filled = [c for c in row if c]
    second = filled[-1]
    if pairs_only and len(filled) == 2 and row[0] and not any(c.isdigit() for c in second) and not country_code(second):
        return [", ".join(filled)]
    return row


def _rows(cells: Iterable[list[str]], *, limit: int, read: RowsRead) -> None:
    """Fill `read` from rows of cells: the header, if any, decides the columns; else name, country, birth."""
    # Each row by its number in the input, blank ones counted though never screened: "Row 5" is the fifth row of the
    # file as a spreadsheet shows it, wherever the blank rows were (counted without them, a row after a blank one was
    # reported as the row above it).
    numbered = ((number, [_cell(c) for c in cells_of_row]) for number, cells_of_row in enumerate(cells, 1))
    filled = ((number, row) for number, row in numbered if any(row))
    sample = list(itertools.islice(filled, _SAMPLE_ROWS))
    if not sample:
        return
    if read.source != _PASTED:
        sample = _after_title(sample, read)
    first, later = sample[0][1], [row for _, row in sample[1:]]
    header_columns = _columns(first, later)
    header = header_columns is not None
    columns: _Columns | None = None
    if header_columns is not None:
        name_at, country_at, birth_at = header_columns
        if name_at is None:
            name_at = _unnamed_name_column(first, later, {country_at, birth_at}, read)
        elif isinstance(name_at, _NameColumns):
            read.notes.append(_parts_note(first, name_at))
        columns = (name_at, country_at, birth_at)
        left = _names_left_out(first, later, columns)
        if left:
            read.notes.append(
                f"{'Columns' if len(left) > 1 else 'Column'} {' and '.join(f'“{first[n]}”' for n in left)} "
                f"{'look' if len(left) > 1 else 'looks'} like names and {'were' if len(left) > 1 else 'was'} not "
                "screened: one name a row is (two where a person's name in parts stands beside a company's); screen "
                "them in a file of their own."
            )
    if columns is None and later:
        guessed = _guessed_columns(first, later, read)
        if guessed is not None:
            columns, header = guessed
    if columns is None and read.source != _PASTED and len([c for c in first if c]) > 1:
        # A file's first row may be a header in words no rule knows: it is screened, and the reader told so.
        read.notes.append(
            f"No header was recognised, so the first row (row {sample[0][0]}), “{', '.join(c for c in first if c)}”, "
            "was screened as a name like the others; if it is a header, call the column of names “name” and upload the "
            "file again."
        )
    # Without a header, a line of two cells whose second is no country is a name with a comma in it.
    pairs_only = columns is None and all(len([c for c in row if c]) <= 2 for _, row in sample)
    for number, row in itertools.chain(sample[1:] if header else sample, filled):
        name_at, country_at, birth_at = columns or (0, 1, 2)
        if columns is None:
            row = _one_name(row, pairs_only=pairs_only)
        read.total += 1

        def at(position: int | None, row: list[str] = row) -> str | None:
            return (row[position] or None) if position is not None and position < len(row) else None

        name, other_name = _names_of(row, name_at) if isinstance(name_at, _NameColumns) else (at(name_at) or "", None)
        if "\n" in name:
            # Two names in one cell, one a line ("Acme Ltd⏎ZHAO Guangzong"): each screened, as two names a row are;
            # read as one string, neither was found. More than a row can screen is refused, never cut.
            lines = name.split("\n")
            if len(lines) > _NAMES_A_CELL or other_name:
                raise UsageError(
                    f"Row {number}'s name cell holds {len(lines)} names, one a line (“{' / '.join(lines)[:80]}”), "
                    f"and a row is screened by {_NAMES_A_CELL} names at most: put each name on a row of its own and "
                    "screen the file again."
                )
            name, other_name = lines
        other_name, country, birth = _flat(other_name), _flat(at(country_at)), _flat(at(birth_at))
        if not name:
            why = "only a country, no name" if country and not birth else "no name"
            read.set_aside.append((number, why))
            continue
        if len(name) > MAX_NAME_LENGTH or len(other_name or "") > MAX_NAME_LENGTH:
            read.set_aside.append(
                (
                    number,
                    f"a name of {max(len(name), len(other_name or '')):,} characters (names here are under "
                    f"{MAX_NAME_LENGTH})",
                )
            )
            continue
        if len(read.rows) < limit:
            read.rows.append(InputRow(number, name, country, birth, other_name))
        elif read.stopped_at is None:
            read.stopped_at = number


def read_pasted(text: str, *, limit: int) -> RowsRead:
    """Rows from lines pasted in chat: one name a line, a country and a date of birth after a tab, ; or |."""
    read = RowsRead(rows=[], total=0, limit=limit, digest=hashlib.sha256(text.encode()).hexdigest())
    _rows(_pasted_cells(text), limit=limit, read=read)
    if read.total == 0:
        raise UsageError(
            "There are no names to screen: paste one name a line, optionally followed by ; country ; date of birth."
        )
    return read


def _pasted_cells(text: str) -> Iterator[list[str]]:
    return (_SEPARATORS.split(line) for line in text_lines(text))


def text_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: broken at a line feed, a carriage return or both, never at the other breaks
    str.splitlines knows (a form feed, U+2028), after which every row number would be one past the editor's."""
    return _LINE_BREAKS.split(text)


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def has_csv_header(data: bytes) -> bool:
    """Whether the text's first line that holds anything is a CSV header naming a column of names ("name,country,
    dob"): a file piped in, not names pasted one a line. Text in any encoding decode_text reads."""
    try:
        text, _ = decode_text(data)
    except UsageError:
        return False
    first = next((line for line in text_lines(text) if line.strip()), "")
    cells = next(csv.reader([first], delimiter=_delimiter(first)), [])
    # A header as a file's is read: its own words, names in parts; one cell only where it is a name column's word.
    if len(cells) == 1:
        return _header_key(cells[0]) in _NAME_HEADERS
    found = _columns(cells, [])
    return found is not None and found[0] is not None


def _delimiter(line: str) -> str:
    return max(",;\t|", key=line.count)


def _csv_cells(text: str) -> Iterator[list[str]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # A quote inside a quoted cell is written twice by every CSV writer (RFC 4180, Excel): the sniffer says so only
    # where its sample holds one, and a later "JSC ""Rostec"", Moscow" was cut at its quotes into three cells. The
    # quote mark is the double quote whatever the sniffer guesses: a cell in apostrophes ('Abd al-Rahman') made it
    # take the apostrophe, and "'t Hart BV" was then refused as a stray quote.
    records = csv.reader(io.StringIO(text, newline=""), dialect, doublequote=True, quotechar='"')
    return _no_rows_swallowed(records, dialect.delimiter)


def _no_rows_swallowed(records: Any, delimiter: str) -> Iterator[list[str]]:
    """The records, refused with a sentence where a stray quote mark made later rows part of one cell: a record over
    several lines that is not as wide as the header (the rows swallowed to the file's end or to another quote), in a
    file of one column (names never run over lines), that keeps a quote mark in a cell, or whose later lines are rows'
    worth of cells ("Acme Ltd,UK⏎ZHAO Guangzong,China"). Screened so, the rows swallowed were never screened and
    said nothing; a cell written over lines of another kind (an address) is read as it is."""
    # (`records` is csv's reader: its line count tells how many lines of the file a record spanned.)
    width = 0
    line = 0
    for number, record in enumerate(records, 1):
        spanned, line = records.line_num - line, records.line_num
        width = width or len(record)
        broken = next((cell for cell in record if "\n" in cell or "\r" in cell), None) if spanned > 1 else None
        if broken is not None:
            later = [text for text in text_lines(broken)[1:] if text]
            # A quote mark left in a cell, or a later line of a row's worth of delimiters, is a row swallowed.
            row_like = any('"' in cell for cell in record) or (
                width > 1 and any(text.count(delimiter) == width - 1 for text in later)
            )
            if later and (width == 1 or len(record) != width or row_like):
                raise UsageError(
                    f"Row {number} opens a quote mark that runs on over {len(later)} more line"
                    f"{'s' if len(later) > 1 else ''} (“{one_line(broken)[:60]}…”), so the rows there would be read "
                    "as one cell and never screened. Remove the stray quote mark, or close it, and screen the file "
                    "again."
                )
        yield record


def _xlsx_cells(data: bytes, read: RowsRead) -> Iterator[list[str]]:
    try:
        import openpyxl
    except ImportError:  # the package is a dependency; a broken install still gets a sentence, not a traceback
        raise UsageError("Reading XLSX files needs openpyxl, which is not installed; upload a CSV.") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UsageError(
            f"That is not an XLSX workbook I can read ({type(error).__name__}); save it again or upload a CSV."
        ) from None
    # Hidden sheets (lookups, lists for drop-downs) are no one's names: a hidden first sheet had been the one screened.
    sheets = [name for name in book.sheetnames if book[name].sheet_state == "visible"]
    if not sheets:
        raise UsageError("The workbook has no visible sheet.")
    if len(sheets) > 1:
        # The first sheet's rows are counted only for a refusal: it is read whole once, to be screened.
        counts = {name: _filled_rows(book[name]) for name in sheets[1:]}
        if any(count > 1 for count in counts.values()):
            # Only one sheet is screened, and one left out unsaid would be names never screened ("no match" for
            # names on a second sheet, or a cover sheet screened instead of the names).
            counts[sheets[0]] = _filled_rows(book[sheets[0]])
            said = ", ".join(
                f"“{name}” ({counts[name]:,} row{'s' if counts[name] != 1 else ''})" for name in sheets if counts[name]
            )
            raise UsageError(
                f"The workbook holds rows on more than its first sheet: {said}. One sheet is screened at a time: save "
                "each sheet of names as a workbook or CSV of its own and screen each."
            )
        read.notes.append(f"Only the first sheet, “{sheets[0]}”, was read; the workbook's other sheets hold no rows.")
    for values in _sheet_rows(book[sheets[0]]):
        yield list(values)
    book.close()


def _sheet_rows(sheet) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    # The size a sheet states (its <dimension>) is read as where its rows end, and writers other than Excel state a
    # wrong one: every row is read, however many it says (36 of 40 listed names had been left out, unsaid).
    sheet.reset_dimensions()
    return sheet.iter_rows(values_only=True)


def _filled_rows(sheet) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for values in _sheet_rows(sheet) if any(v is not None and str(v).strip() for v in values))


def read_file(data: bytes, filename: str, *, limit: int, max_bytes: int = MAX_FILE_BYTES) -> RowsRead:
    """Rows from an uploaded file: XLSX (by its content, whatever its name) or CSV in any common encoding; a file over
    `max_bytes` is refused unread (a chat upload's limit unless the caller, the command line, gives its own)."""
    if not data.strip():
        raise UsageError(f"“{filename}” is empty: there are no names to screen.")
    if len(data) > max_bytes:
        where = (
            " Split it, or screen it with `briefbot screen FILE` on the command line."
            if max_bytes == MAX_FILE_BYTES
            else " Split it."
        )
        raise UsageError(
            f"“{filename}” is {len(data):,} bytes; files here may be {max_bytes:,} bytes at most "
            f"({max_bytes // 1024 // 1024} MB).{where}"
        )
    read = RowsRead(rows=[], total=0, limit=limit, digest=hashlib.sha256(data).hexdigest(), source=filename)
    if data.startswith(_ZIP_MAGIC):
        _rows(_xlsx_cells(data, read), limit=limit, read=read)
    elif data.startswith(b"%PDF") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UsageError(
            f"“{filename}” is a PDF or an old Excel (.xls) file; save the names as CSV or XLSX and upload that."
        )
    else:
        text, note = decode_text(data)
        if note:
            read.notes.append(note)
        if filename.lower().endswith(".txt"):
            # A plain list of names, as pasted: "ZHAO, Guangzong" is one name, not two cells.
            _rows(_pasted_cells(text), limit=limit, read=read)
            return _checked(read, filename)
        try:
            _rows(_csv_cells(text), limit=limit, read=read)
        except csv.Error as error:
            raise UsageError(f"“{filename}” is not a CSV file I can read ({error}).") from None
    return _checked(read, filename)


def _checked(read: RowsRead, filename: str) -> RowsRead:
    if read.total == 0:
        raise UsageError(f"“{filename}” holds no rows of names (only a header, or blank lines).")
    return read
