"""Turns command text into a command name and arguments, and parses the dates and windows users type."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from bot.errors import UsageError
from knowledge.names.normalise import clean_text

__all__ = [
    "MAX_INPUT_LENGTH",
    "MAX_NAME_LENGTH",
    "Period",
    "find_period",
    "parse_date",
    "period_patterns",
    "split_command",
]

# Longer than any real question; a paste of a whole document is refused rather than searched.
MAX_INPUT_LENGTH = 500
MAX_NAME_LENGTH = 200
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMMAND = re.compile(r"^/([A-Za-z][\w-]*)")


def split_command(text: str) -> tuple[str, str]:
    """("who", "i-Soon") from "/who i-Soon"; text without a leading slash is a question for /ask."""
    if len(text) > MAX_INPUT_LENGTH * 4:
        # Checked before cleaning, so a huge paste costs nothing to refuse.
        raise UsageError(_too_long(len(text)))
    cleaned = clean_text(text)
    if len(cleaned) > MAX_INPUT_LENGTH:
        raise UsageError(_too_long(len(cleaned)))
    match = _COMMAND.match(cleaned)
    if match is None:
        if cleaned.startswith("/"):
            raise UsageError("That is not a command I know. Type /help for the list.")
        return "ask", cleaned
    return match.group(1).lower(), cleaned[match.end() :].strip()


def _too_long(length: int) -> str:
    return f"That message is {length:,} characters long; please keep it under {MAX_INPUT_LENGTH} characters."


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, or a UsageError saying what is wrong with it."""
    match = _DATE.match(text.strip())
    if match is None:
        raise UsageError(f"{text!r} is not a date I can read; write dates as YYYY-MM-DD, e.g. 2025-12-09.")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise UsageError(f"{text!r} is not a real date ({error}); write dates as YYYY-MM-DD.") from None


# --- periods as people write them: "9 December 2025", "Dec 2025", "in 2024", "last month", "since March" ---

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
# One point or stretch of time, most specific shape first; each names its parts for _expression_range.
_EXPRESSION = (
    rf"(?P<iso>{_YEAR}-\d{{1,2}}-\d{{1,2}})"
    rf"|(?P<dmy>{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)"
    rf"|(?P<mdy>{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)(?![\d,])"
    rf"|(?P<quarter>q[1-4]\s+{_YEAR})"
    rf"|(?P<my>{_MONTH}(?:\s+(?:of\s+)?{_YEAR})?)"
    rf"|(?P<year>{_YEAR})(?![\d,.-]\d)"
)
_RELATIVE = (
    r"(?P<relative>today|yesterday|(?:this|last|past|previous)\s+(?:week|month|year|quarter)"
    r"|(?:in\s+)?the\s+(?:last|past)\s+(?:\d+\s+)?(?:days?|weeks?|months?|years?)"
    r"|(?:last|past)\s+\d+\s+(?:days?|weeks?|months?|years?)|recently|lately|so far this year|year to date)"
)


@dataclass(frozen=True, slots=True)
class _PeriodPatterns:
    between: re.Pattern[str]
    open: re.Pattern[str]
    single: re.Pattern[str]
    day_range: re.Pattern[str]


@functools.cache
def period_patterns() -> _PeriodPatterns:
    """Compiled at the first question that may name a period: long patterns that cost a start a tenth of a second."""
    return _PeriodPatterns(
        between=re.compile(
            rf"\b(?:between|from)\s+(?P<a>{_EXPRESSION.replace('?P<', '?P<a_')})\s+(?:and|to|until|till|through|-)\s+"
            rf"(?P<b>{_EXPRESSION.replace('?P<', '?P<b_')})\b",
            re.IGNORECASE,
        ),
        open=re.compile(
            rf"\b(?P<word>since|after|from|before|until|till|prior to|up to)\s+(?:the\s+)?"
            rf"(?P<a>{_EXPRESSION.replace('?P<', '?P<a_')}|{_RELATIVE.replace('?P<', '?P<a_')})\b",
            re.IGNORECASE,
        ),
        single=re.compile(
            rf"\b(?:(?:in|on|during|for|of|throughout)\s+)?(?:{_EXPRESSION}|{_RELATIVE})\b", re.IGNORECASE
        ),
        day_range=re.compile(
            rf"\b(?:between|from)\s+(?P<a>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:and|to|until|till|-)\s+"
            rf"(?P<b>{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?)\b",
            re.IGNORECASE,
        ),
    )


_UNITS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
# A word alone ("may", "march") is read as a month only next to a word that makes it a time.
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "jun", "aug", "sep", "oct", "dec", "nov"})


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of days, both ends included, with the words it was read from."""

    start: dt.date | None
    end: dt.date | None
    label: str
    span: tuple[int, int] = (0, 0)

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        if self.start and self.end:
            if self.start == self.end:
                return f"on {self.start.isoformat()}"
            return f"from {self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"since {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "at any date"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _latest_month(month: int, today: dt.date) -> int:
    """The year of the most recent such month: "since March" in January means last March."""
    return today.year if month <= today.month else today.year - 1


def _day_month(day: str, month: str, year: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    number = _MONTHS[month.rstrip(".").lower()]
    day_number = int(re.sub(r"\D", "", day))
    year_number = int(year) if year else _latest_month(number, today)
    try:
        date = dt.date(year_number, number, day_number)
    except ValueError as error:
        raise UsageError(f"“{day} {month}” is not a real date ({error}).") from None
    return date, date


def _expression_range(parts: dict[str, str | None], text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a date expression covers."""
    if parts.get("iso"):
        date = parse_date(text)
        return date, date
    if parts.get("dmy") or parts.get("mdy"):
        words = re.findall(r"[a-z]+\.?|\d+(?:st|nd|rd|th)?", text.lower())
        words = [w for w in words if w != "of"]
        month = next(w for w in words if w.rstrip(".") in _MONTHS)
        numbers = [w for w in words if w[0].isdigit()]
        day = numbers[0]
        year = numbers[1] if len(numbers) > 1 else None
        return _day_month(day, month, year, today)
    if parts.get("quarter"):
        quarter, year = int(text[1]), int(text.split()[-1])
        first = dt.date(year, 3 * quarter - 2, 1)
        return first, _month_end(year, 3 * quarter)
    if parts.get("my"):
        words = [w for w in re.findall(r"[a-z]+|\d+", text.lower()) if w != "of"]
        month = _MONTHS[words[0]]
        year = int(words[1]) if len(words) > 1 else _latest_month(month, today)
        return dt.date(year, month, 1), _month_end(year, month)
    if parts.get("year"):
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return _relative_range(text.lower(), today)


def _relative_range(text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    text = " ".join(text.split())
    if text == "today":
        return today, today
    if text == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    if text in ("so far this year", "year to date", "this year"):
        return dt.date(today.year, 1, 1), today
    if text in ("recently", "lately"):
        return today - dt.timedelta(days=90), today
    if text == "this month":
        return today.replace(day=1), today
    if text == "this week":
        return today - dt.timedelta(days=today.weekday()), today
    if text == "this quarter":
        return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if text in ("last month", "past month", "previous month"):
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if text in ("last week", "past week", "previous week"):
        start = today - dt.timedelta(days=today.weekday() + 7)
        return start, start + dt.timedelta(days=6)
    if text in ("last year", "past year", "previous year"):
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if text in ("last quarter", "past quarter", "previous quarter"):
        first_this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = first_this - dt.timedelta(days=1)
        return dt.date(end.year, end.month - 2, 1), end
    match = re.search(r"(\d+)?\s*(day|week|month|quarter|year)s?$", text)
    count = int(match.group(1)) if match and match.group(1) else 1
    unit = _UNITS[match.group(2)] if match else 30
    if count * unit >= (today - dt.date.min).days:
        # "the last 99999999999999999999 days" reaches before the calendar starts: no date the data holds is that old.
        raise UsageError(
            f"“{text}” reaches back further than any calendar date; ask for a period that starts after year 1, "
            "e.g. “in the last 30 days” or “since 2020”."
        )
    return today - dt.timedelta(days=count * unit), today


def _group_parts(match: re.Match[str], prefix: str = "") -> dict[str, str | None]:
    return {key[len(prefix) :]: value for key, value in match.groupdict().items() if key.startswith(prefix) and value}


def _plausible(match: re.Match[str], text: str) -> bool:
    """A lone "may" or "march" is a verb unless a year, a day or a time word stands beside it."""
    found = match.group(0).strip().lower()
    words = found.split()
    if len(words) == 1 and words[0].rstrip(".") in _AMBIGUOUS_MONTHS:
        return False
    if len(words) == 2 and words[0] in ("in", "on", "of", "for", "during") and words[1] in ("may", "march", "mar"):
        # "in March" is a month; "of may" rarely is, but a question about dates says "in".
        return words[0] in ("in", "during")
    return True


def find_period(text: str, today: dt.date) -> Period | None:
    """The period a question names, read relative to `today`, or None; dates in the future are clipped to today."""
    patterns = period_patterns()
    days = patterns.day_range.search(text)
    if days:
        # "between 1 and 10 December 2025": the first day takes the second's month and year.
        end, _ = _expression_range({"dmy": days.group("b")}, days.group("b"), today)
        try:
            start = end.replace(day=int(days.group("a")))
        except ValueError as error:
            raise UsageError(f"“{days.group(0)}” is not a real period ({error}).") from None
        return Period(min(start, end), max(start, end), days.group(0), days.span())
    between = patterns.between.search(text)
    if between:
        a_parts, b_parts = _group_parts(between, "a_"), _group_parts(between, "b_")
        b_start, b_end = _expression_range(b_parts, between.group("b"), today)
        a_text = between.group("a")
        if (a_parts.get("my") and not re.search(r"\d", a_text)) or (
            a_parts.get("dmy") and not re.search(_YEAR, a_text)
        ):
            a_text = f"{a_text} {b_start.year}"
            a_parts = _group_parts(patterns.single.search(a_text) or between, "")  # re-read with the year
        a_start, _ = _expression_range(a_parts, a_text, today)
        return Period(a_start, b_end, between.group(0), between.span())
    opened = patterns.open.search(text)
    if opened:
        parts = _group_parts(opened, "a_")
        start, end = _expression_range(parts, opened.group("a"), today)
        word = opened.group("word").lower()
        if word in ("since", "from"):
            return Period(start, today, opened.group(0), opened.span())
        if word == "after":
            return Period(end + dt.timedelta(days=1), today, opened.group(0), opened.span())
        return Period(None, start - dt.timedelta(days=1), opened.group(0), opened.span())
    for single in patterns.single.finditer(text):
        if not _plausible(single, text):
            continue
        parts = _group_parts(single)
        start, end = _expression_range(parts, _expression_text(single), today)
        return Period(start, min(end, max(start, today)), single.group(0), single.span())
    return None


def _expression_text(match: re.Match[str]) -> str:
    for value in match.groupdict().values():
        if value:
            return value
    return match.group(0)
