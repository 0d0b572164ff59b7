"""What every importer shares: the parsed-list result, text decoding, safe XML and country names."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pydantic import ValidationError

from knowledge import countries
from knowledge.errors import DataError
from knowledge.lists.records import ListedRecord

__all__ = [
    "ParsedList",
    "country_code",
    "decode_text",
    "ends_mid_line",
    "load_json",
    "parse_day_first",
    "parse_xml",
    "raw_hash",
    "read_bytes",
    "reject_duplicates",
    "shape_errors",
    "xml_bytes",
    "xml_child",
    "xml_children",
    "xml_name",
    "xml_text",
]


@dataclass
class ParsedList:
    """The records of one snapshot of one list, with what the file says of itself."""

    source: str
    records: list[ListedRecord]
    as_of: dt.date | None = None
    # Counts of rows skipped on purpose, by reason (companion rows whose ent_num is not in the main file).
    skipped: dict[str, int] = field(default_factory=dict)
    stated_count: int | None = None
    # What the file says against its own completeness, short of proof (an end-of-file mark missing, a last line
    # without its line break); None when nothing does. A snapshot that looks cut never delists unasked.
    looks_cut: str | None = None
    # The record the file's last row belongs to: the one a cut inside the last row would damage.
    tail_id: str | None = None


def raw_hash(*parts: object) -> str:
    """A short stable digest of a record's published rows or element."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path.name}: cannot be read ({error.strerror or error}).") from error
    if not data.strip(b" \t\r\n\x1a"):
        raise DataError(f"{path.name}: the file is empty.")
    return data


def decode_text(data: bytes, name: str, *, fallback: str | None = "cp1252") -> str:
    """Text of a publisher's file: UTF-8 (with or without BOM), else the publisher's legacy encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise DataError(f"{name}: the file is UTF-16 or binary, not a text list in the expected encoding.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if fallback is None:
            raise DataError(f"{name}: not valid UTF-8 at byte {error.start}.") from error
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError as second:
            raise DataError(f"{name}: neither UTF-8 nor {fallback} (byte {second.start}).") from second
    # OFAC ends its files with a DOS end-of-file mark (Ctrl-Z).
    return text.rstrip("\x1a")


def ends_mid_line(data: bytes, name: str) -> str | None:
    """A line-based file whose last row has no line break, unlike its others: what a cut inside that row leaves."""
    body = data.rstrip(b"\x1a")
    if b"\n" in body.rstrip(b"\r\n") and not body.endswith(b"\n"):
        return f"{name} ends inside a line (no line break after its last row)"
    return None


def load_json(text: str, where: str) -> object:
    """JSON, refused politely when it is malformed or nested too deeply to be a list's data."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{where}: not JSON at line {error.lineno} ({error.msg}); truncated file?") from error
    except RecursionError:
        raise DataError(f"{where}: the JSON is nested too deeply to be a list's data.") from None


@contextlib.contextmanager
def shape_errors(where: str) -> Iterator[None]:
    """A record of an unexpected shape (a list where an object belongs, a number for a name) refused by name."""
    try:
        yield
    except DataError:
        raise
    except ValidationError as error:
        first = error.errors()[0]
        at = ".".join(str(part) for part in first.get("loc", ()))
        place = f" in {at}" if at else ""
        raise DataError(f"{where}: unexpected data{place}: {first.get('msg', 'invalid')}.") from None
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError) as error:
        detail = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
        raise DataError(f"{where}: unexpected data ({detail}).") from None


def parse_xml(data: bytes, name: str) -> Element:
    """Parsed XML, refusing entity declarations and external references (XXE, entity-expansion bombs)."""
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise DataError(
            f"{name}: refused: the XML declares entities or external references ({type(error).__name__})."
        ) from error
    except ParseError as error:
        line, column = error.position
        raise DataError(
            f"{name}: not well-formed XML at line {line}, column {column} (truncated or not XML?)."
        ) from error


def xml_name(tag: str) -> str:
    """An element's name without its namespace: OFAC has served one schema under several namespaces."""
    return tag.rsplit("}", 1)[-1]


def xml_bytes(element: Element) -> bytes:
    """An element as published, for its raw_hash: without the whitespace after it, which differs for the last
    element of a file (a record that moves to the end of its list is not amended)."""
    tail, element.tail = element.tail, None
    try:
        return tostring(element)
    finally:
        element.tail = tail


def xml_child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if xml_name(child.tag) == name), None)


def xml_children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element if xml_name(c.tag) == name]


def xml_text(element: Element | None, name: str | None = None) -> str | None:
    """The stripped text of `element` (or of its child `name`); None where it is absent or blank."""
    node = element if name is None else xml_child(element, name)
    text = (node.text or "").strip() if node is not None else ""
    return text or None


def reject_duplicates(records: list[ListedRecord], name: str, what: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.record_id in seen:
            raise DataError(f"{name}: duplicate {what} {record.record_id!r}.")
        seen.add(record.record_id)


_DAY_FIRST = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def parse_day_first(text: str | None) -> dt.date | None:
    """A DD/MM/YYYY or DD-MM-YYYY date; None for empty or unknown parts such as 00/00/1980."""
    match = _DAY_FIRST.match((text or "").strip())
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def country_code(name: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a country name or nationality word as lists print it; None where it is none."""
    return countries.country_code(name)
