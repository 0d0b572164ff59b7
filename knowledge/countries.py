"""Country names for the ISO 3166 codes the data uses; a code we do not know is shown as it is."""

__all__ = ["country_name"]

_NAMES = {
    "CN": "China",
    "GB": "United Kingdom",
    "US": "United States",
    "RU": "Russia",
    "IR": "Iran",
    "KP": "North Korea",
    "UN": "United Nations",
    "EU": "European Union",
    "BY": "Belarus",
    "SY": "Syria",
    "VN": "Vietnam",
    "IN": "India",
    "PK": "Pakistan",
    "IL": "Israel",
    "UA": "Ukraine",
    "KR": "South Korea",
    "TR": "Turkey",
    "AE": "United Arab Emirates",
    "LB": "Lebanon",
    "NL": "Netherlands",
    "DE": "Germany",
    "FR": "France",
}


def country_name(code: str | None) -> str | None:
    if code is None:
        return None
    return _NAMES.get(code.upper(), code)
