"""Text fit to show: what users cannot see, and what would steer a terminal, taken out of list data and input."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_input", "one_line"]

# Invisible characters not caught by category Cf: the Hangul fillers, the unassigned code points of the tag block
# (U+E0000, U+E0002–U+E001F), the combining grapheme joiner, the Braille blank, the Khmer inherent vowels, the
# variation selectors and the noncharacters U+FFFE and U+FFFF.
_INVISIBLE_LETTERS = re.compile(
    "[\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f\u034f\u2800\u17b4\u17b5\ufe00-\ufe0f"
    "\U000e0100-\U000e01ef\ufffe\uffff]"
)
# Terminal escape sequences (colours, cursor moves, titles) whole, then any other control character: a list or a
# user must not be able to recolour, move or retitle the terminal that shows their text.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85]+")


def _visible(char: str) -> bool:
    # Cf: format characters (soft hyphen, zero-width joiners, bidi marks and isolates, U+061C, tags…);
    # Cs: lone surrogates, which no reply could be encoded with.
    return unicodedata.category(char) not in ("Cf", "Cs")


def clean_input(text: str) -> str:
    """`text` without control characters, format characters, tag characters, fillers and lone surrogates: what
    users cannot see is neither searched for nor echoed back, and nothing reaches a terminal as a command."""
    # The common case, clean text, costs two passes in C: every string of every list record comes through here.
    if text.isprintable() and (text.isascii() or not _INVISIBLE_LETTERS.search(text)):
        return text
    text = _CONTROL.sub("", _ANSI.sub("", text))
    if text.isascii():
        return text
    return _INVISIBLE_LETTERS.sub("", "".join(filter(_visible, text)))


def one_line(text: str) -> str:
    """`text` cleaned as `clean_input` cleans it, on one line: a name from a list is never two lines."""
    return _LINE_BREAKS.sub(" ", clean_input(text))
