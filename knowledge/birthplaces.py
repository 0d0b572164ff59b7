"""Places of birth as lists write them: the country one names, and the countries one birthplace may be written under."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from knowledge.countries import country_code

__all__ = ["birth_country", "lands"]


@lru_cache(maxsize=4096)
def birth_country(place: str) -> str | None:
    """The country a place of birth ends with ("Arghandab District, Kandahar Province, Afghanistan": AF); none where
    the place is unsure or a choice ("Iraq/Syria", "Mosul, Iraq or Aleppo, Syria", "(possibly Pakistan)", "(1) X (2)
    Y"), names two countries ("Iraq, Syria", "Georgia (USA)"), or ends with a code ("Los Angeles, CA": a US state as
    often as a country) or a name that is not one country alone ("Congo")."""
    if _NUMBERED_CHOICE.search(place) or _UNSURE.search(place):
        return None
    parts = [part.strip() for part in place.split(",")]
    last = parts[-1]
    if len(last.strip(". ")) <= 2 and last.casefold() != "uk":
        return None
    if last.casefold().startswith("congo"):
        return "CD" if "democratic" in last.casefold() else None
    if last.casefold() == "democratic republic of the" and len(parts) > 1 and parts[-2].casefold() == "congo":
        return "CD"  # OFAC's "Kinshasa, Congo, Democratic Republic of the"
    code = _PLACE_COUNTRIES.get(last.casefold()) or country_code(last)
    if code is None:
        return None
    # Another country named beside it ("Iraq, Syria"; "Georgia (USA)"; "Baghdad, Iraq and Damascus, Syria"), not a
    # part of the same land ("Hong Kong, China") nor a code-like part ("Ye, Burma"; "Altstatten, SG, Switzerland").
    inner = last.partition("(")[2].rstrip(")")
    for part in (*parts[:-1], inner):
        if part.casefold() == "congo" and code == "CD":
            continue
        named = [country_code(side) for side in (part, *re.split(r"\s+and\s+", part)) if len(side.strip(". ")) > 2]
        if any(other and _land(other) != _land(code) for other in named):
            return None
    return code


# Words that make a place of birth unsure or a choice, whatever its parts (a rename, "Leningrad (now St
# Petersburg)", is neither).
_UNSURE = re.compile(r"\b(?:or|possibly|probably|perhaps|either|presumably)\b|/|\?", re.IGNORECASE)
# Countries as the lists write them in places of birth that ISO's names do not give.
_PLACE_COUNTRIES = {
    "bosnia-herzegovina": "BA",
    "serbia and montenegro": "RS",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "the philippines": "PH",
    "phillipines": "PH",
}
# OFSI numbers or letters a choice of places: "(1) Zaporozhye(2) Simferopol, Crimea", "(a) Najaf, Iraq (b) Tehran".
_NUMBERED_CHOICE = re.compile(r"\(\w\)|(?:^|\s)\w\)")


def lands(countries: Iterable[str]) -> set[str]:
    """Countries as compared for a place of birth: those one birthplace may be written under by two lists (a state
    and the one it was part of when the person was born, or a disputed land and its claimants) count as one."""
    return {_land(code) for code in countries}


def _land(code: str) -> str:
    return _ONE_LAND.get(code, code)


# Each group one land: the Soviet Union; Yugoslavia; Czechoslovakia; Sudan; Ethiopia; China with Hong Kong, Macao and
# Taiwan; Israel, Palestine and Jordan (OFAC's "Aqbat Jabr, Jordan" is in the West Bank); British India; Korea;
# Morocco and Western Sahara; Indonesia and Timor-Leste; Malaysia and Singapore; South Africa and Namibia.
_ONE_LAND = {
    code: group[0]
    for group in (
        ("RU", "UA", "BY", "MD", "GE", "AM", "AZ", "KZ", "UZ", "TM", "KG", "TJ", "EE", "LV", "LT"),
        ("RS", "ME", "XK", "BA", "HR", "SI", "MK"),
        ("CZ", "SK"),
        ("SD", "SS"),
        ("ET", "ER"),
        ("CN", "HK", "MO", "TW"),
        ("IL", "PS", "JO"),
        ("IN", "PK", "BD"),
        ("KP", "KR"),
        ("MA", "EH"),
        ("ID", "TL"),
        ("MY", "SG"),
        ("ZA", "NA"),
    )
    for code in group
}
