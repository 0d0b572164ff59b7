"""Countries: names in words for ISO 3166 codes, and codes for the names and nationality words lists print."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

__all__ = ["country_code", "country_name", "country_words", "is_nationality_word"]

# Codes the data uses that are not countries, and countries whose ISO name is not the one people use.
_NAMES = {
    "UN": "United Nations",
    "EU": "European Union",
    "XK": "Kosovo",
    "RU": "Russia",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "SY": "Syria",
    "VN": "Vietnam",
    "TW": "Taiwan",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "MD": "Moldova",
    "LA": "Laos",
    "TZ": "Tanzania",
    "PS": "Palestine",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "TR": "Turkey",
    "GB": "United Kingdom",
    "US": "United States",
    "MK": "North Macedonia",
    "FM": "Micronesia",
    "VA": "Holy See",
}

# Nationality words and the lists' own spellings that pycountry does not hold (it has names, not demonyms).
_WORDS = {
    "afghan": "AF",
    "albanian": "AL",
    "algerian": "DZ",
    "american": "US",
    "angolan": "AO",
    "argentine": "AR",
    "argentinian": "AR",
    "armenian": "AM",
    "australian": "AU",
    "austrian": "AT",
    "azerbaijani": "AZ",
    "bahraini": "BH",
    "bangladeshi": "BD",
    "belarusian": "BY",
    "belgian": "BE",
    "bosnian": "BA",
    "brazilian": "BR",
    "british": "GB",
    "bulgarian": "BG",
    "burmese": "MM",
    "burma": "MM",
    "cambodian": "KH",
    "canadian": "CA",
    "chadian": "TD",
    "chilean": "CL",
    "chinese": "CN",
    "colombian": "CO",
    "congolese": "CD",
    "croatian": "HR",
    "cuban": "CU",
    "cypriot": "CY",
    "czech": "CZ",
    "danish": "DK",
    "dprk": "KP",
    "democratic people's republic of korea": "KP",
    "democratic peoples republic of korea": "KP",
    "north korea": "KP",
    "korea, north": "KP",
    "korea north": "KP",
    "north korean": "KP",
    "south korea": "KR",
    "korea, south": "KR",
    "south korean": "KR",
    "republic of korea": "KR",
    "dutch": "NL",
    "ecuadorian": "EC",
    "egyptian": "EG",
    "emirati": "AE",
    "eritrean": "ER",
    "estonian": "EE",
    "ethiopian": "ET",
    "filipino": "PH",
    "finnish": "FI",
    "french": "FR",
    "georgian": "GE",
    "german": "DE",
    "ghanaian": "GH",
    "greek": "GR",
    "guatemalan": "GT",
    "haitian": "HT",
    "honduran": "HN",
    "hungarian": "HU",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iran": "IR",
    "iraqi": "IQ",
    "irish": "IE",
    "israeli": "IL",
    "italian": "IT",
    "ivorian": "CI",
    "jamaican": "JM",
    "japanese": "JP",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kazakhstani": "KZ",
    "kenyan": "KE",
    "kosovo": "XK",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "lao": "LA",
    "laos": "LA",
    "latvian": "LV",
    "lebanese": "LB",
    "liberian": "LR",
    "libyan": "LY",
    "lithuanian": "LT",
    "macedonian": "MK",
    "malaysian": "MY",
    "malian": "ML",
    "maltese": "MT",
    "mauritanian": "MR",
    "mexican": "MX",
    "moldovan": "MD",
    "moldova": "MD",
    "mongolian": "MN",
    "montenegrin": "ME",
    "moroccan": "MA",
    "mozambican": "MZ",
    "nepali": "NP",
    "nicaraguan": "NI",
    "nigerian": "NG",
    "nigerien": "NE",
    "norwegian": "NO",
    "omani": "OM",
    "pakistani": "PK",
    "palestinian": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "panamanian": "PA",
    "paraguayan": "PY",
    "peruvian": "PE",
    "polish": "PL",
    "portuguese": "PT",
    "qatari": "QA",
    "romanian": "RO",
    "russian": "RU",
    "russia": "RU",
    "russian federation": "RU",
    "rwandan": "RW",
    "saudi": "SA",
    "saudi arabian": "SA",
    "senegalese": "SN",
    "serbian": "RS",
    "singaporean": "SG",
    "slovak": "SK",
    "slovenian": "SI",
    "somali": "SO",
    "south african": "ZA",
    "south sudanese": "SS",
    "spanish": "ES",
    "sri lankan": "LK",
    "sudanese": "SD",
    "swedish": "SE",
    "swiss": "CH",
    "syrian": "SY",
    "syria": "SY",
    "syrian arab republic": "SY",
    "taiwanese": "TW",
    "taiwan": "TW",
    "tajik": "TJ",
    "tajikistani": "TJ",
    "tanzanian": "TZ",
    "thai": "TH",
    "tunisian": "TN",
    "turkish": "TR",
    "turkey": "TR",
    "turkmen": "TM",
    "ugandan": "UG",
    "ukrainian": "UA",
    "crimea": "UA",
    "region: crimea": "UA",
    "uk": "GB",
    "united kingdom": "GB",
    "usa": "US",
    "united states": "US",
    "uruguayan": "UY",
    "uzbek": "UZ",
    "uzbekistani": "UZ",
    "venezuelan": "VE",
    "venezuela": "VE",
    "bolivia": "BO",
    "vietnamese": "VN",
    "vietnam": "VN",
    "viet nam": "VN",
    "yemeni": "YE",
    "zambian": "ZM",
    "zimbabwean": "ZW",
    "hong kong": "HK",
    "macau": "MO",
    "congo, democratic republic of the": "CD",
    "congo (democratic republic)": "CD",
    "democratic republic of the congo": "CD",
    "the democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "côte d'ivoire": "CI",
    "the gambia": "GM",
    "gambia, the": "GM",
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "the netherlands": "NL",
    "netherlands": "NL",
    "united arab emirates": "AE",
    "uae": "AE",
    "czech republic": "CZ",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "brunei": "BN",
    "vatican": "VA",
    "micronesia": "FM",
    "tanzania": "TZ",
    "palestine": "PS",
    "occupied palestinian territory": "PS",
    "iran (islamic republic of)": "IR",
    "iran, islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "state of libya": "LY",
    "libyan arab jamahiriya": "LY",
    "drc": "CD",
    "region: gaza": "PS",
    "region: west bank": "PS",
    "state of palestine": "PS",
    "cote d ivoire": "CI",
    "congo, republic of the": "CG",
    "burundian": "BI",
    "qatarian": "QA",
    "palestinian territories": "PS",
    "occupied palestinian territories": "PS",
    "north macedonia, the republic of": "MK",
    "afgan": "AF",
}

_NUMBERED = re.compile(r"^(?:\(?\d+\)|\(?[a-z]\))(?:\s*(?:-|to)\s*\(?\d+\))?\s*")
_NEXT_NUMBER = re.compile(r"\s\(?\d+\)|\s\(?[a-z]\)")
# Words around a country in list cells that are not part of it ("Afghanistan (since 2009)", "1) Saudi Arabia").
_NOT_A_COUNTRY = frozenset({"", "-0-", "unknown", "none", "n/a", "stateless"})


def country_name(code: str | None) -> str | None:
    """The country's name in words ("IQ" -> "Iraq"); a code nobody knows is shown as it is."""
    if code is None:
        return None
    code = code.strip().upper()
    if code in _NAMES:
        return _NAMES[code]
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=8192)
def country_code(text: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a country as lists print it: a name, a code, or a nationality word."""
    if not text:
        return None
    cleaned = " ".join(text.replace("\u2019", "'").split()).strip(" .,;").casefold()
    # OFSI's numbered lists ("1) Saudi Arabia 2) Qatar", "(1)-(2) Tunisia (3) Libya"): the first one named.
    numbered = _NUMBERED.match(cleaned)
    if numbered:
        cleaned = _NEXT_NUMBER.split(cleaned[numbered.end() :])[0].strip(" .,;")
    if cleaned in _NOT_A_COUNTRY:
        return None
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    if "(" in cleaned and (before := cleaned.split("(")[0].strip()) and before != cleaned:
        return country_code(before)
    try:
        return pycountry.countries.lookup(cleaned).alpha_2
    except LookupError:
        return None


# Country names and nationality words that are also given names, surnames or everyday words: "is Jordan Smith
# sanctioned?" and "who is German Gref?" name no country.
_AMBIGUOUS_NAMES = frozenset(
    {"jordan", "chad", "georgia", "guinea", "niger", "turkey", "togo", "peru", "mali", "israel", "lao", "panama"}
    | {"german", "french", "english", "welsh", "scottish", "polish"}
)


@lru_cache(maxsize=1)
def country_words() -> dict[str, str]:
    """Every country's name as people write it (ISO 3166's short and common names, of one to three words) and
    nationality words, lower-cased, to its code; names that are also given names or everyday words left out."""
    words: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None), _NAMES.get(country.alpha_2)):
            if name and "," not in name and "(" not in name and len(name.split()) <= 3:
                words.setdefault(name.casefold(), country.alpha_2)
    words.update(_WORDS)
    return {word: code for word, code in words.items() if word not in _AMBIGUOUS_NAMES}


# How nationality words end ("Russian", "Chinese", "Turkish", "Iraqi", "Dutch", "North Korean"; "Cypriot", "Filipino",
# "Greek", "Kazakh", "Kyrgyz", "Slovak", "Swiss", "Turkmen", "Argentine", "Nigerien"), and the countries' names that
# end so but that pycountry writes otherwise ("Brunei Darussalam").
_NATIONALITY_ENDING = re.compile(r"(?:an|ese|ish|i|ch|ot|ino|eek|akh|yz|ak|iss|men|ine|ien|ik|ek)$")
_NAMES_ENDING_SO = frozenset({"brunei", "vatican"})


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    names = {n for c in pycountry.countries for n in (c.name, getattr(c, "common_name", None)) if n}
    return frozenset(n.casefold() for n in names | set(_NAMES.values())) | _NAMES_ENDING_SO


def is_nationality_word(word: str) -> bool:
    """Whether a place's word is a nationality's ("russian", "north korean"), not a country's name ("Iran", "Oman",
    "Sudan" end alike): an adjective, which comes before what it describes."""
    word = word.casefold()
    names = _country_names()
    return word not in names and word.split()[-1] not in names and bool(_NATIONALITY_ENDING.search(word))
