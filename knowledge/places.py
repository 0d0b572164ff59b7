"""Places a name gives: the first-level subdivisions of ISO 3166-2 (through pycountry) named in an entity's name."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

from knowledge.countries import country_code

__all__ = ["name_words", "place_named"]

# The words ISO 3166-2 writes around a subdivision's own name ("Tianjin Shi", "Sichuan Sheng", "Horad Minsk"):
# a company names "Tianjin", never "Tianjin Shi".
_GENERIC = frozenset(
    "sheng shi zizhiqu huizu zhuangzu uygur sar oblast kray respublika avtonomnyy avtonomnaya okrug voblasc horad "
    "province region state governorate municipality district city".split()
)
_SHORTEST = 4


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def name_words(text: str) -> list[str]:
    """A name's words as `place_named` compares them (folded, lower case): "Tianjin Huaying" -> tianjin, huaying."""
    return re.findall(r"[a-z0-9]+", _fold(text).replace("'", ""))


@cache
def _subdivisions(code: str) -> dict[tuple[str, ...], str]:
    """A country's first-level subdivisions by their own words, generic words dropped, each with its ISO name.
    A subdivision named as a country or territory of its own ("Taiwan Sheng", "Hong Kong SAR") is left out:
    ISO 3166-1 gives those their own codes, and a name holding one does not place it in `code`."""
    found: dict[tuple[str, ...], str] = {}
    for subdivision in pycountry.subdivisions.get(country_code=code) or ():
        if subdivision.parent_code is not None:
            continue
        words = tuple(w for w in name_words(subdivision.name) if w not in _GENERIC)
        if not words or sum(map(len, words)) < _SHORTEST or country_code(" ".join(words)) not in (None, code):
            continue
        found[words] = subdivision.name
    return found


def place_named(names: list[str], code: str) -> str | None:
    """The place in country `code` that one of `names` names as whole words ("Tianjin Huaying Haitai … Co. Ltd"
    -> "Tianjin"), else None. For organisations only: a person's name holding a place name says nothing of where
    they are."""
    places = _subdivisions(code.upper())
    for name in names:
        words = name_words(name)
        for place in places:
            width = len(place)
            if any(tuple(words[i : i + width]) == place for i in range(len(words) - width + 1)):
                return " ".join(place).title()
    return None
