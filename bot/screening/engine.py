"""Screens rows against the knowledge base: no match, possible match or match, with the entity, its lists and why."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.cards import regime_text
from bot.screening.rows import InputRow
from knowledge.authorities import designation_label, listing_verb
from knowledge.base import KnowledgeBase, delisted_between
from knowledge.countries import country_code, country_name
from knowledge.lists.catalogue import CATALOGUES
from knowledge.lists.identifiers import BIRTH_DATE, ROUGH_BIRTH_DATE, birth_date, rough_span, split_values
from knowledge.models import Entity, RecordRef, Sanction
from knowledge.names.lookup import MATCH_THRESHOLD, SUGGEST_THRESHOLD, LookupStatus, Match
from knowledge.references import LIST_WORDS, reference

__all__ = ["CERTAIN_SCORE", "Hit", "ScreenedRow", "Verdict", "record_digest", "screen_rows"]

# A name equal to a listed one (an alias 0.99, equal once legal forms are set aside 0.98): a match. Below it, a
# near spelling is never called a match without a person's decision.
CERTAIN_SCORE = 0.98
# Candidates each row may show: a screener decides on each, so a long tail helps no one.
MAX_HITS = 5
# Candidates asked of the name index: enough that threat-catalogue entries, dropped here, leave the listed ones.
LOOKUP_LIMIT = 50
# Progress is reported every this many rows.
PROGRESS_EVERY = 250
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# A row's date written with digits only, day and month in either order ("05/10/1976" is 5 October or 10 May).
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")


class Verdict(StrEnum):
    NO_MATCH = "no match"
    POSSIBLE = "possible match"
    MATCH = "match"


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed entity a row may name: which name matched, how, why, and on which lists it stands."""

    reference: str
    caption: str
    kind: str
    matched: str
    how: str
    score: float
    why: str
    lists: tuple[str, ...]
    checks: tuple[str, ...]
    # A digest of the entity's listed record: a decision holds until it changes.
    record_digest: str


@dataclass(frozen=True, slots=True)
class ScreenedRow:
    row: InputRow
    verdict: Verdict
    hits: tuple[Hit, ...] = ()
    note: str | None = None
    # The first row with the same name, country and date of birth: screened once, said on each copy.
    duplicate_of: int | None = None


def record_digest(kb: KnowledgeBase, entity: Entity) -> str:
    """What a decision was made against: the entity's names, records and designations (not their citations)."""
    state = {
        "names": sorted({(n.value, n.type.value) for n in entity.names}),
        "records": sorted(
            (r.list, r.record_id, r.name, str(r.delisted_on or ""), r.remarks or "") for r in entity.records
        ),
        "sanctions": sorted(
            (
                s.authority,
                s.regime,
                str(s.listed_on or ""),
                str(s.ended_on or ""),
                s.list_ref or "",
                ",".join(s.programmes),
                ",".join(s.measures),
                s.reasons or "",
            )
            for s in kb.sanctions_of(entity.id)
        ),
        "identifiers": sorted(entity.identifiers.items()),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def _screened_on(kb: KnowledgeBase, entity: Entity) -> bool:
    """Whether the entity stands, or stood, on a list of designations (not only in a threat catalogue)."""
    return bool(kb.sanctions_of(entity.id)) or any(r.list not in CATALOGUES for r in entity.records)


def _stands(kb: KnowledgeBase, entity: Entity, on: dt.date) -> bool:
    """Whether a designation of the entity stands on the day: one not ended by then, or a listed record no
    designation states that was not delisted by then (a look-back "as of" a day when an order that has since ended
    was in force is a match)."""
    if any(s.ended_on is None or s.ended_on > on for s in kb.sanctions_of(entity.id)):
        return True
    return any(r.delisted_on is None or r.delisted_on > on for r in _records_unstated(kb, entity))


def _records_unstated(kb: KnowledgeBase, entity: Entity) -> list[RecordRef]:
    """The entity's records on lists of designations that none of its designations states (by list reference)."""
    stated = {s.list_ref for s in kb.sanctions_of(entity.id)}
    return [r for r in entity.records if r.list not in CATALOGUES and r.record_id not in stated]


def _designation(sanction: Sanction, on: dt.date) -> str:
    """A designation in a few words: who, under what, since when, until when (ended by the screening's day, or an
    end the list sets after it), and its list reference."""
    text = f"{designation_label(sanction)}: {regime_text(sanction)}"
    if sanction.listed_on:
        # An export-control listing (the Entity List, a Denied Persons order) is listed, never designated.
        text += f", {listing_verb(sanction.authority)} {sanction.listed_on.isoformat()}"
    ended = sanction.ended_on
    if ended and sanction.ended_on_known and sanction.ended_after:
        # Seen only as held by one edition and gone from the next: dated by both, as a card dates it, never as
        # ended on the later's day (a screening as of 2018-09-01 read "ended 2026-02-27").
        text += f", {delisted_between(sanction.ended_after, ended)}"
    elif ended and not sanction.ended_on_known:
        text += f", not in the copy of the list loaded on {ended.isoformat()} (publisher's date unknown)"
    elif ended:
        # An end the list gives: to come on the screening's day (a look-back, or an order running on), or past.
        text += f", {'ends' if ended > on else 'ended'} {ended.isoformat()}"
    return text + (f" (ref {sanction.list_ref})" if sanction.list_ref else "")


def _lists(kb: KnowledgeBase, entity: Entity, on: dt.date) -> tuple[str, ...]:
    lines = [_designation(s, on) for s in kb.sanctions_of(entity.id)]
    records = [
        f"{LIST_WORDS.get(r.list, r.list)} {r.record_id}" + (f" (delisted {r.delisted_on})" if r.delisted_on else "")
        for r in _records_unstated(kb, entity)
    ]
    return tuple(dict.fromkeys([*lines, *records]))


def _checks(entity: Entity, row: InputRow) -> tuple[list[str], bool]:
    """What the row's country and date of birth say against the entity's: the words, and whether they tell the two
    apart. A differing date of birth does; a differing country does unless the year of birth agrees (a list's
    countries are often only an address)."""
    words: list[str] = []
    country_differs = birth_differs = birth_agrees = False
    if row.country:
        code = country_code(row.country)
        theirs = entity.stated_countries
        if code is None:
            words.append(f"country “{row.country}” not recognised, not compared")
        elif not theirs:
            words.append("the lists give no country to compare")
        elif code in theirs:
            words.append(f"country agrees ({country_name(code) or code})")
        else:
            country_differs = True
            listed = ", ".join(sorted(country_name(c) or c for c in theirs))
            words.append(f"country differs: the row says {country_name(code) or code}, the lists {listed}")
    if row.birth:
        years = set(_YEAR.findall(row.birth))
        listed_dates = split_values(entity.identifiers.get(BIRTH_DATE))
        theirs = {y for value in listed_dates for y in _YEAR.findall(value)}
        # A date given only roughly ("circa 1962", "1958 to 1960"): a year within its years agrees with it.
        rough = split_values(entity.identifiers.get(ROUGH_BIRTH_DATE))
        spans = [span for value in rough if (span := rough_span(value))]
        within = sorted(y for y in years if any(first <= int(y) <= last for first, last in spans))
        listed_births = "; ".join([*listed_dates, *(v if v.startswith("circa") else f"{v} (a range)" for v in rough)])
        if not years:
            words.append(f"date of birth “{row.birth}” not read, not compared")
        elif not theirs and not rough:
            words.append("the lists give no date of birth to compare")
        elif (day := _row_day(row.birth)) and day in listed_dates:
            birth_agrees = True
            words.append(f"date of birth agrees ({day})")
        elif (
            day
            and day[:4] in theirs
            and not within
            and not any(day.startswith(v) for v in listed_dates if len(v) < len(day))
        ):
            # The year agrees only through a list's full date of another day (no list gives that year or month alone,
            # nor a rough date spanning it: MUTHANA's "1993 to 1995"): not the date the row gives.
            birth_differs = True
            words.append(f"date of birth differs: the row says {row.birth}, the lists {listed_births}")
        elif years & theirs:
            birth_agrees = True
            words.append(f"year of birth agrees ({', '.join(sorted(years & theirs))})")
        elif within:
            birth_agrees = True
            words.append(f"year of birth within the lists' approximate date ({', '.join(within)}; {'; '.join(rough)})")
        else:
            birth_differs = True
            words.append(f"date of birth differs: the row says {row.birth}, the lists {listed_births}")
    return words, birth_differs or (country_differs and not birth_agrees)


def _row_day(text: str) -> str | None:
    """A row's date of birth as an ISO day where it names one beyond doubt: ISO ("1976-10-05") or with the month in
    words ("5 Oct 1976"); digits only ("05/10/1976") where the order of day and month cannot matter or only one
    order is a date (a day past 12, the same number twice). None for a year, a month or a doubtful order: the year
    alone is then compared."""
    # A spreadsheet's date cell exported with its midnight ("1963-05-14 00:00:00") is that day.
    text = _MIDNIGHT.sub("", text.strip())
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        first, second, year = (int(part) for part in numeric.groups())
        if first <= 12 and second <= 12 and first != second:
            return None
        day, month = (second, first) if second > 12 else (first, second)
        text = f"{year:04d}-{month:02d}-{day:02d}"
    found = birth_date(text)
    return found if found is not None and len(found) == len("1976-10-05") else None


def _hit(kb: KnowledgeBase, match: Match, row: InputRow, on: dt.date) -> tuple[Hit, bool]:
    entity = kb.entity(match.entity)
    checks, differs = _checks(entity, row)
    hit = Hit(
        reference=reference(entity),
        caption=entity.caption,
        kind=entity.kind.value,
        matched=match.name,
        how=f"{match.name_type.value}, {match.how}",
        score=round(match.score, 2),
        why=match.explanation,
        lists=_lists(kb, entity, on),
        checks=tuple(checks),
        record_digest=record_digest(kb, entity),
    )
    return hit, differs


def screen_row(kb: KnowledgeBase, row: InputRow, on: dt.date) -> ScreenedRow:
    """One row's verdict, the listings judged standing on the day `on` (the screening's "as of" day, or its own). A
    row holding a second name (a person beside a company) is screened by both: the graver verdict, both names' hits."""
    first = _screen_name(kb, row, row.name, on)
    if not row.other_name:
        return first
    second = _screen_name(kb, row, row.other_name, on)
    # The graver's hits first: the hit that made a match is never cut by the other name's (BANK ROSSIYA had been, by
    # five possible hits for its contact "Ahmed Ali").
    graver, other = (first, second) if _GRAVITY[first.verdict] >= _GRAVITY[second.verdict] else (second, first)
    verdict = graver.verdict
    shown = {hit.reference for hit in graver.hits}
    hits = (*graver.hits, *(hit for hit in other.hits if hit.reference not in shown))
    notes = [f"“{name}”: {said.note}" for name, said in ((row.name, first), (row.other_name, second)) if said.note]
    return ScreenedRow(row, verdict, hits[:MAX_HITS], note="; ".join(notes) or None)


# Which of two verdicts is graver: a row screened by two names takes the graver.
_GRAVITY = {Verdict.NO_MATCH: 0, Verdict.POSSIBLE: 1, Verdict.MATCH: 2}


def _screen_name(kb: KnowledgeBase, row: InputRow, name: str, on: dt.date) -> ScreenedRow:
    """A confident lookup of an equal name is a match unless the row's details differ or none of the entity's
    listings stands on the day; a near spelling, several candidates, a differing detail or a listing that has ended
    is a possible match for a person to decide; no match only when no listed entity comes near enough."""
    # Catalogue entries are dropped below, so ask for many: five of them must not push a listed entity out.
    result = kb.index.lookup(name, limit=LOOKUP_LIMIT)
    listed = [m for m in result.matches if _screened_on(kb, kb.entity(m.entity))]
    near = [m for m in listed if m.score >= MATCH_THRESHOLD][:MAX_HITS]
    if not near:
        below = next((m for m in listed if m.score >= SUGGEST_THRESHOLD), None)
        notes = (
            [f"closest: {below.name} ({below.score:.2f}), below the {MATCH_THRESHOLD:.2f} a possible match needs"]
            if below
            else []
        )
        if row.country and country_code(row.country) is None:
            # Said so a misread column shows: the verdict rests on the name alone.
            notes.append(f"country not recognised: “{row.country}”, not compared")
        return ScreenedRow(row, Verdict.NO_MATCH, note="; ".join(notes) or None)
    hits = [_hit(kb, m, row, on) for m in near]
    best, differs = hits[0]
    sure = (
        result.status is LookupStatus.FOUND
        and result.best is not None
        and result.best.entity == near[0].entity
        and best.score >= CERTAIN_SCORE
    )
    # A name whose every listing has ended (delisted, or an order past its end date) is no hit as it stands: a person
    # decides, told why (it was a match, and an order that ended in 2020 read as current).
    ended = not _stands(kb, kb.entity(near[0].entity), on)
    if sure and not differs and not ended:
        return ScreenedRow(row, Verdict.MATCH, (best,))
    note = None
    if sure and ended:
        note = "the name is a listed name, but every listing of this entity on the lists loaded has ended: decide"
        if differs:
            note += "; the row's details differ too"
        standing = _standing_near(kb, name, {m.entity for m in near}, on)
        hits += [_hit(kb, m, row, on) for m in standing if m.score >= MATCH_THRESHOLD][: MAX_HITS - len(hits)]
        below = next((m for m in standing if m.score < MATCH_THRESHOLD), None)
        if below is not None and len(hits) == 1:
            note += f"; closest standing listed name: {below.name} ({below.score:.2f})"
    elif sure and differs:
        note = "the name is a listed name, but the row's details differ: decide"
    elif result.status is LookupStatus.AMBIGUOUS:
        holders = "1 listed entity holds" if len(hits) == 1 else f"{len(hits)} listed entities hold"
        note = f"{holders} this name or one near it: decide"
    if ended and not sure:
        # A near spelling of an ended entity: said too, as the exact name is.
        ending = f"every listing of {best.caption} on the lists loaded has ended"
        note = f"{note}; {ending}" if note else ending
    return ScreenedRow(row, Verdict.POSSIBLE, tuple(hit for hit, _ in hits), note=note)


def _standing_near(kb: KnowledgeBase, name: str, shown: set[str], on: dt.date) -> list[Match]:
    """The listed entities near a name whose exact hit no longer stands, whose own listings stand: shown beside it, or
    the note would steer a reviewer to clear the row ("AL NASER WINGS AIRLINES", an expired Denied Persons order,
    is near OFAC's standing "AL-NASER AIRLINES")."""
    found = []
    for match in kb.index.near(name, limit=LOOKUP_LIMIT):
        entity = kb.entity(match.entity)
        if match.entity not in shown and _screened_on(kb, entity) and _stands(kb, entity, on):
            found.append(match)
    return found


def screen_rows(
    kb: KnowledgeBase,
    rows: list[InputRow],
    *,
    on: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> list[ScreenedRow]:
    """Every row's verdict; a row repeating an earlier one (same name, country, birth) is screened once."""
    seen: dict[tuple[str, str, str], ScreenedRow] = {}
    out = []
    for done, row in enumerate(rows, 1):
        key = (" ".join(row.shown.casefold().split()), (row.country or "").casefold(), row.birth or "")
        first = seen.get(key)
        if first is None:
            screened = seen[key] = screen_row(kb, row, on)
        else:
            screened = ScreenedRow(row, first.verdict, first.hits, first.note, duplicate_of=first.row.number)
        out.append(screened)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    return out
