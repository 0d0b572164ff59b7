"""Strong identifiers read from list fields (birth dates, passports, IMO and registration numbers) and compared."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "BIRTH_DATE",
    "IMO",
    "ISIN",
    "NATIONAL_ID",
    "PASSPORT",
    "PLACE_OF_BIRTH",
    "REGISTRATION",
    "ROUGH_BIRTH_DATE",
    "SEPARATOR",
    "STRONG_LABELS",
    "SWIFT",
    "TAX_ID",
    "add_identifier",
    "birth_date",
    "birth_place",
    "dates_agree",
    "identifiers_in_text",
    "ofac_identifier",
    "ofac_remark_identifiers",
    "rough_span",
    "rough_years",
    "split_values",
    "stated_birth_date",
    "strong_values",
]

BIRTH_DATE = "Date of birth"
# A birth date a list gives only roughly ("circa 1962") or as a range ("1958 to 1960"): shown as given, under a label of
# its own, never one the merge compares (no one day or year of it is the date). A screening weighs a row's year against
# its span: within agrees, outside is a possible match to decide, never a dismissal.
ROUGH_BIRTH_DATE = "Date of birth (approximate)"
PASSPORT = "Passport"
# Where a person was born, as the list writes it ("Quetta, Balochistan, Pakistan"): shown, never evidence for a join;
# its country keeps apart two records the merge would join on little more than a name (merge._by_name).
PLACE_OF_BIRTH = "Place of birth"
NATIONAL_ID = "National ID"
IMO = "IMO number"
REGISTRATION = "Registration number"
TAX_ID = "Tax ID"
SWIFT = "SWIFT/BIC"
# Labels whose values name one real-world entity: two records sharing one (with the same name) are the same.
STRONG_LABELS = (BIRTH_DATE, PASSPORT, NATIONAL_ID, TAX_ID, IMO, REGISTRATION, SWIFT)
# A record holds several values of one label ("alt. Passport"): joined with this, split again to compare.
SEPARATOR = "; "
# An identifier shorter than this ("1", "A") is a placeholder, not an identifier.
MIN_ID_LENGTH = 4

_MONTHS = {m: i for i, m in enumerate(("jan feb mar apr may jun jul aug sep oct nov dec").split(), start=1)}
_OFAC_DATE = re.compile(r"^(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4})$")
# An identifier as OFAC writes it after its label, up to the country in brackets or the dates after it: groups of
# letters and digits ("Passport RL 1794375 (Lebanon) expires 08 Feb 2012", "Registration ID HRB 26136",
# "National ID No. CNIC: 35202-5400413-9"). Not what a comma or a dash sets after it ("Passport D000000483,
# Diplomatic", "Passport C 1415363 - 16/2/1421H": the kind of passport, its issue date in the Hijri calendar).
# Letters in brackets just before digits are the number's own (Burma's "12/BAHANA(N)010023", "(HWI)040182": the
# township, the holder's status, the number), not a country. A value without a digit is no identifier.
_INLINE = r"\([A-Za-z]+\)(?=\d)"
_ID_VALUE = (
    rf"((?:[A-Za-z0-9]|{_INLINE})(?:[^;()]|{_INLINE})*?)"
    r"(?=\s*\((?![A-Za-z]+\)\d)|\s+(?:expires|issued|and)\b|,\s|\s+-\s|$)"
)
# "Identification Number IMO 5342883": a company's IMO number, which _IMO reads as one, not a national id.
_IMO_VALUE = re.compile(r"IMO \d{7}")
# "Identification Number ISIN: RU0009177331": the code of a company's shares, not a national id.
ISIN = "ISIN"
_ISIN_VALUE = re.compile(r"ISIN:? ([A-Z]{2}[A-Z0-9]{9}\d)")
# A country written after the number without its brackets ("Passport AF465508 Colombia"): a name, not a code.
_UNBRACKETED_COUNTRY = re.compile(r"^(.*\d.*?)\s+((?:[A-Z][a-z]+)(?: [A-Z][a-z]+){0,2})$")
# OFAC's remarks: "DOB 17 Apr 1993; ... Passport 2018278055 (Russia); alt. Passport ...; IMO 9116412".
_OFAC_PATTERNS = (
    (re.compile(r"^(?:alt\. )?Passport (?:No\.?:? )?" + _ID_VALUE), PASSPORT),
    (
        re.compile(
            r"^(?:alt\. )?(?:National ID No\.:?|Cedula No\.|Identification Number|Personal ID Card|C\.U\.R\.P\.|"
            r"D\.N\.I\.) " + _ID_VALUE
        ),
        NATIONAL_ID,
    ),
    (re.compile(r"^(?:alt\. )?(?:Tax ID No\.|NIT #|R\.F\.C\.|V\.A\.T\. Number) " + _ID_VALUE), TAX_ID),
    (
        re.compile(
            r"^(?:alt\. )?(?:Registration Number|Registration ID|Business Registration Number|Company Number|"
            r"Commercial Registry Number|Unified Social Credit Code(?: \(USCC\))?|Legal Entity Number|"
            r"Economic Register Number|Government Gazette Number) " + _ID_VALUE
        ),
        REGISTRATION,
    ),
)
# Anywhere in a list's free text, these name one ship or one bank whatever the sentence around them.
_IMO = re.compile(r"\bIMO(?: number| No\.?)?:?\s*(\d{7})\b", re.IGNORECASE)
_SWIFT = re.compile(r"\bSWIFT(?:/BIC)?(?: code)?:?\s*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")
# The same code in the groups some lists space it in ("SWIFT/BIC BFEA RU MM", "SWIFT: DCBK KPPY": bank, country,
# place), read only after "SWIFT/BIC" or "SWIFT:" and ending with its groups: "SWIFT CODE BKID IR TH" and "SWIFT BANK
# CODE" must not read as codes "CODEBKID", "BANKCODE" (a code joins the cards of the one bank holding it).
_SWIFT_SPACED = re.compile(r"\bSWIFT(?:/BIC:?|:)\s*([A-Z]{4} [A-Z]{2} ?[A-Z0-9]{2})\b")


def birth_date(text: str) -> str | None:
    """A birth date as ISO text at the precision given: "17 Apr 1993" -> 1993-04-17, "1980" -> 1980. None for what is
    no date: a day or month that does not exist ("1962-13", "31 Feb 1960"), the year 0000 (a placeholder), digits of
    other scripts (Arabic-Indic, full-width: no list writes a date so, and kept as given they would never compare
    equal to the same date in ASCII digits)."""
    text = " ".join(text.split()).strip(" .")
    if not text.isascii():
        return None
    iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if iso:
        year, month, day = iso.groups()
        return text if _exists(int(year), int(month or 1), int(day or 1)) else None
    day_first = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if day_first:
        day, month, year = (int(p) for p in day_first.groups())
        if month == 0:
            return f"{year:04d}" if _exists(year, 1, 1) else None
        if day == 0:
            return f"{year:04d}-{month:02d}" if _exists(year, month, 1) else None
        return dt.date(year, month, day).isoformat() if _exists(year, month, day) else None
    ofac = _OFAC_DATE.fullmatch(text)
    if ofac:
        day, month, year = ofac.groups()
        if month and month.lower() not in _MONTHS:
            return None
        number = _MONTHS[month.lower()] if month else 1
        if not _exists(int(year), number, int(day or 1)):
            return None
        if not month:
            return year
        if not day:
            return f"{year}-{number:02d}"
        return dt.date(int(year), number, int(day)).isoformat()
    return None


def _exists(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the calendar and the year is one (0000 is a placeholder for "not known")."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def stated_birth_date(text: str) -> tuple[str, str] | None:
    """A date of birth as a list states it, as (label, value): a date at the precision given under BIRTH_DATE; a rough
    one ("circa 1962", "circa 01 Jan 1961", "circa 1979-1982") or a range ("1958 to 1960", "21 Mar 1962 to 20 Apr
    1962", OFAC's words) under ROUGH_BIRTH_DATE, its dates in ISO form, whole years and months as such ("01 Jan 1962
    to 31 Dec 1963", "Jan 1962 to Dec 1963": "1962 to 1963"); a range of one whole year or month is that year or
    month ("01 Oct 1992 to 31 Oct 1992": 1992-10), as OFAC's XML states one. None for a range that ends before it
    begins ("1970 to 1960", "circa 1982-1979") or any part that is no date: no date is made up of what is left.
    Reads its own values again as they are ("circa 1979 to 1982")."""
    text = " ".join(text.split()).strip(" .")
    circa = re.fullmatch(r"circa (.+)", text, re.IGNORECASE)
    stated = circa.group(1) if circa else text
    # OFAC writes a rough span of years with a hyphen ("circa 1979-1982"), any other range with "to".
    hyphened = circa and re.fullmatch(r"\d{4}-\d{4}", stated, re.ASCII)
    ends = stated.split("-") if hyphened else stated.split(" to ")
    dates = [birth_date(end) for end in ends] if len(ends) <= 2 else []
    if not dates or not all(dates):
        return None
    if len(dates) == 2:
        start, end = dates
        if _first_day(start) > _last_day(end):  # type: ignore[arg-type]
            return None
        start, end = _whole_periods(start, end)  # type: ignore[arg-type]
        dates = [start] if start == end else [start, end]
    value = " to ".join(dates)  # type: ignore[arg-type]
    if circa:
        return ROUGH_BIRTH_DATE, f"circa {value}"
    return (BIRTH_DATE, value) if len(dates) == 1 else (ROUGH_BIRTH_DATE, value)


def _first_day(date: str) -> dt.date:
    """The first day of an ISO date at any precision ("1962" -> 1962-01-01)."""
    year, month, day = [*date.split("-"), "01", "01"][:3]
    return dt.date(int(year), int(month), int(day))


def _last_day(date: str) -> dt.date:
    """The last day of an ISO date at any precision ("1962" -> 1962-12-31, "1960-02" -> 1960-02-29)."""
    parts = [int(p) for p in date.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    return dt.date(year, month, parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1])


def _whole_periods(start: str, end: str) -> tuple[str, str]:
    """A range of days from a first of January to a 31 December as years, from a first of a month to a month's last day
    as months, of months from a January to a December as years: how OFAC's XML, stating every date as a range of
    days, writes a year or a month, and so the CSV's "Jan 1962 to Dec 1963" reads as the XML's same range does."""
    if len(start) == len(end) == 10:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if first.day == 1 and last == _last_day(end[:7]):
            start, end = start[:7], end[:7]
    if len(start) == len(end) == 7 and start[5:] == "01" and end[5:] == "12":
        return start[:4], end[:4]
    return start, end


def add_identifier(identifiers: dict[str, str], label: str, value: str | None) -> None:
    """Add one value of `label`, keeping the values already there (a record may have several passports)."""
    if not value or not value.strip():
        return
    value = value.strip()
    values = split_values(identifiers.get(label))
    if value not in values:
        identifiers[label] = SEPARATOR.join([*values, value])


def birth_place(*parts: str | None) -> str | None:
    """A place of birth from the parts a list gives it in (town, region, country), as one value: blank parts, the
    placeholders some lists leave ("-"), and a part the one before it repeats ("Kabul, Kabul") are dropped; a place
    longer than MAX_PLACE is cut (no town is named so: it is text put in the wrong field)."""
    kept: list[str] = []
    for part in parts:
        part = " ".join((part or "").split()).strip(" ,;")
        if part and part.strip("-. ") and (not kept or kept[-1].casefold() != part.casefold()):
            kept.append(part)
    place = ", ".join(kept)
    return (place if len(place) <= MAX_PLACE else place[: MAX_PLACE - 1].rstrip() + "…") or None


MAX_PLACE = 300


def split_values(joined: str | None) -> list[str]:
    return [v for v in (joined or "").split(SEPARATOR) if v]


def identifiers_in_text(text: str | None) -> dict[str, str]:
    """IMO numbers and SWIFT/BIC codes written in a record's free text (UN comments, OFSI's other information)."""
    found: dict[str, str] = {}
    for value in _IMO.findall(text or ""):
        add_identifier(found, IMO, value)
    for value in _SWIFT.findall(text or ""):
        add_identifier(found, SWIFT, value)
    for value in _SWIFT_SPACED.findall(text or ""):
        add_identifier(found, SWIFT, value.replace(" ", ""))
    return found


def ofac_remark_identifiers(remarks: str | None) -> dict[str, str]:
    """Birth dates, passports, national ids, registration numbers, IMO and SWIFT codes of OFAC's remarks."""
    found = identifiers_in_text(remarks)
    for segment in (remarks or "").split(";"):
        segment = segment.strip().rstrip(".")
        dob = re.match(r"^(?:alt\. )?DOB (.+)$", segment)
        if dob:
            if given := stated_birth_date(dob.group(1)):
                add_identifier(found, *given)
            continue
        if born := re.match(r"^(?:alt\. )?POB (.+)$", segment):
            add_identifier(found, PLACE_OF_BIRTH, birth_place(born.group(1)))
            continue
        for pattern, label in _OFAC_PATTERNS:
            match = pattern.match(segment)
            if match:
                # A place written before the bracketed country is no part of the number ("6000845 Nabatieh (Lebanon)").
                value = _without_country(match.group(1).strip(), segment[match.end(1) :].lstrip().startswith("("))
                isin = _ISIN_VALUE.fullmatch(value)
                if isin:
                    add_identifier(found, ISIN, isin.group(1))
                elif any(c.isdigit() for c in value) and not _IMO_VALUE.fullmatch(value):
                    add_identifier(found, label, value)
                break
    return found


def _without_country(value: str, country_follows: bool = False) -> str:
    """An identifier without the name of a country written after it unbracketed ("AF465508 Colombia"), or of a place
    where a bracketed country follows (`country_follows`)."""
    found = _UNBRACKETED_COUNTRY.match(value)
    if found and country_follows:
        return found.group(1)
    if found and len(found.group(2)) >= MIN_ID_LENGTH:
        # Imported here: pycountry takes some 50 ms to import, which the readers of this module that never meet such
        # a value (merging, change detection) need not pay.
        from knowledge.countries import country_code

        if country_code(found.group(2)):
            return found.group(1)
    return value


# OFAC's XML formats give as typed fields what its CSV writes into remarks; these read as the same labels.
_OFAC_FIELD_LABELS = {
    "birthdate": BIRTH_DATE,
    "place of birth": PLACE_OF_BIRTH,
    "nationality country": "Nationality",
    "citizenship country": "Citizenship",
    "title": "title",
    "vessel call sign": "call sign",
    "vessel type": "vessel type",
    "vessel flag": "vessel flag",
    "vessel owner": "vessel owner",
}


def ofac_identifier(identifiers: dict[str, str], kind: str, value: str | None) -> None:
    """Add one typed detail of OFAC's XML (an id document, a feature) under the label its CSV remarks give it, so
    that every OFAC format yields the same identifiers; other details keep OFAC's own label."""
    kind, value = " ".join(kind.split()), " ".join((value or "").split())
    # Web addresses are contact details, not identifiers (and would crowd the card).
    if not kind or not value or value.lower().startswith(("http://", "https://", "www.")):
        return
    label = _OFAC_FIELD_LABELS.get(kind.lower())
    if label == BIRTH_DATE:
        if given := stated_birth_date(value):
            add_identifier(identifiers, *given)
        return
    if label:
        add_identifier(identifiers, label, value)
        return
    found = ofac_remark_identifiers(f"{kind} {value}")
    for found_label, found_value in found.items():
        for one in split_values(found_value):
            add_identifier(identifiers, found_label, one)
    if not found:
        add_identifier(identifiers, kind.rstrip(" -:"), value)


def _plain(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def strong_values(identifiers: Mapping[str, str]) -> dict[str, set[str]]:
    """Each strong label's values in comparable form (upper case, letters and digits only; dates as given), and under
    ROUGH_BIRTH_DATE the years a rough date of birth spans (rough_years): evidence a date may agree with, never one it
    contradicts."""
    out: dict[str, set[str]] = {}
    for label in STRONG_LABELS:
        values = split_values(identifiers.get(label))
        if label == BIRTH_DATE:
            comparable = set(values)
        else:
            comparable = {p for p in (_plain(v) for v in values) if len(p) >= MIN_ID_LENGTH and p.strip("0") != ""}
        if comparable:
            out[label] = comparable
    rough = {year for value in split_values(identifiers.get(ROUGH_BIRTH_DATE)) for year in rough_years(value)}
    if rough:
        out[ROUGH_BIRTH_DATE] = rough
    return out


# A rough date of birth spanning more years than this says too little to agree with anything.
MAX_ROUGH_YEARS = 5


def rough_span(value: str) -> tuple[int, int] | None:
    """The first and last year a rough date of birth spans ("circa 1961": 1961, 1961; "1958 to 1960": 1958, 1960)."""
    years = [int(year) for year in re.findall(r"\b\d{4}\b", value)]
    return (years[0], years[-1]) if years else None


def rough_years(value: str) -> set[str]:
    """The years a rough date of birth spans ("circa 1961": 1961; "1958 to 1960": 1958, 1959, 1960); none where they
    are more than MAX_ROUGH_YEARS."""
    span = rough_span(value)
    if span is None or span[1] - span[0] >= MAX_ROUGH_YEARS:
        return set()
    return {f"{year:04d}" for year in range(span[0], span[1] + 1)}


def dates_agree(first: Iterable[str], second: Iterable[str]) -> str | None:
    """A birth date two records share: one both state, else one as far as both state it ("1980" and "1980-03-01"
    agree on "1980": a card must not say the other list gave the day). The earliest such, whatever the order the
    dates come in (sets differ in order from one process to the next)."""
    first, second = set(first), set(second)
    if both := first & second:
        return min(both)
    shared = [a if len(a) <= len(b) else b for a in first for b in second if a.startswith(b) or b.startswith(a)]
    return min(shared, default=None)
