"""/sanctions [AUTHORITY] [REGIME] [since DATE | last N days]: designations in a window, newest first."""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz, process

from bot.cards import listed_date, sanction_item, sanction_text
from bot.context import Context
from bot.coverage import coverage_text, sanctions_only
from bot.errors import UsageError
from bot.list_dates import ages_now, lists_fact, lists_touched, undated_section
from bot.parsing import parse_date
from bot.registry import Option, command
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, REGIMES, find_authority, find_regime, is_export_control
from knowledge.models import Sanction

__all__ = ["SANCTIONS", "parse_filters"]

USAGE = "/sanctions [AUTHORITY] [REGIME] [since YYYY-MM-DD | last N days]"
# How many designations a reply lists before it says "and N more".
SHOWN = 25
MAX_DAYS = 36_500
_LAST = re.compile(r"^(?:last|past) (\d+) days?$")
# Words people put around filters ("designations by the UK in the last 30 days") that change nothing.
_FILLER = frozenset({"in", "the", "by", "over", "from", "of", "under", "all", "list", "show"})


def parse_filters(
    args: str, today: dt.date, loaded_regimes: frozenset[str] = frozenset()
) -> tuple[str | None, list[str] | None, dt.date | None]:
    """(authority key, regime keys, since) from the words after /sanctions; any loaded regime key is accepted."""
    words = args.split()
    authority: str | None = None
    regimes: list[str] | None = None
    since: dt.date | None = None
    i = 0
    while i < len(words):
        word = words[i]
        lowered = word.casefold()
        if lowered in _FILLER:
            i += 1
            continue
        if lowered == "since":
            if i + 1 >= len(words):
                raise UsageError("“since” needs a date, e.g. since 2025-01-01.", usage=USAGE)
            since = parse_date(words[i + 1])
            i += 2
            continue
        window = _LAST.match(" ".join(words[i : i + 3]).casefold())
        if window:
            days = int(window.group(1))
            if not 1 <= days <= MAX_DAYS:
                raise UsageError(f"“last {days} days” is out of range; use 1 to {MAX_DAYS:,} days.", usage=USAGE)
            since = today - dt.timedelta(days=days)
            i += 3
            continue
        named = _authority_at(words, i) if authority is None else None
        if named is not None:
            authority, length = named
            i += length
            continue
        found_regimes = [r.key for r in find_regime(word, authority)]
        for key in (word.upper(), f"US-{word.upper()}"):
            if not found_regimes and key in loaded_regimes:
                found_regimes = [key]
        if found_regimes:
            regimes = found_regimes
            i += 1
            continue
        raise UsageError(_unknown_word(word), usage=USAGE)
    if since is not None and since > today:
        raise UsageError(
            f"{since.isoformat()} is in the future; nothing has been designated since then yet.", usage=USAGE
        )
    return authority, regimes, since


def _authority_at(words: list[str], start: int) -> tuple[str, int] | None:
    """(authority key, words used) for an authority named at `start`, its label of several words included
    ("UN Security Council", "Other authority"); the longest reading first."""
    for length in range(4, 0, -1):
        found = find_authority(" ".join(words[start : start + length]))
        if found is not None:
            return found.key, length
    return None


def _unknown_word(word: str) -> str:
    known = [w for a in AUTHORITIES.values() for w in (a.key, *a.words)] + list(REGIMES)
    guesses = process.extract(word, known, scorer=fuzz.WRatio, score_cutoff=70, limit=2)
    hint = f" Did you mean {' or '.join(repr(g) for g, _, _ in guesses)}?" if guesses else ""
    authorities = ", ".join(a.label for a in AUTHORITIES.values() if a.key != "OTHER")
    # The export-control lists go by their words ("entity list"); the keys listed are the sanctions regimes'.
    regimes = ", ".join(key for key, regime in REGIMES.items() if not is_export_control(regime.authority))
    return f"I don't know the authority or regime {word!r}.{hint} Authorities: {authorities}. Regimes: {regimes}."


def _lists_used(found: list[Sanction], authorities: list[str], regimes: list[str] | None) -> set[str]:
    drawn_on = {s.list_source for s in found if s.list_source}
    return lists_touched(authorities, regimes or ()) | drawn_on


@command(
    "sanctions",
    usage=USAGE,
    options=(
        Option("authority", "Who designated", choices=tuple(AUTHORITIES)),
        Option("regime", "Regime or programme key", choices=tuple(REGIMES)),
        Option("since", "Only designations on or after this date (YYYY-MM-DD)"),
    ),
    examples=("/sanctions UK", "/sanctions US US-CYB since 2025-01-01", "/sanctions last 90 days"),
)
def SANCTIONS(args: str, context: Context) -> Reply:
    """Designations in a window, newest first, by authority and regime.

    Authorities: UK (FCDO), US (OFAC), UN, EU; export controls, listed apart: BIS (the Entity List), DDTC.
    Regimes by key (GB-CYB, US-CYB) or word (cyber).
    Windows: "since 2025-01-01" or "last 30 days".
    """
    authority, regimes, since = parse_filters(args, context.today, context.kb.regime_keys())
    found = context.kb.designations(authority=authority, regimes=regimes, since=since, until=context.today)
    # Export-control listings (the Entity List) are not sanctions: shown when their authority is asked for by name.
    controls = authority is not None and is_export_control(authority)
    left_out = 0 if controls else len(found) - len(found := sanctions_only(found))
    noun = "export-control listing" if controls else "designation"
    cite = Citations(context.kb)
    lines = []
    for sanction in found[:SHOWN]:
        entity = context.kb.entity(sanction.entity)
        lines.append(
            Line(
                text=f"{listed_date(sanction)} — {entity.caption} — {sanction_text(sanction)}",
                sources=cite.cite(sanction.source, sanction.list_source),
                command=f"/who {entity.caption}",
            )
        )
    if len(found) > SHOWN:
        oldest = listed_date(found[SHOWN - 1])
        lines.append(
            Line(text=f"… and {len(found) - SHOWN} more, older than {oldest}. Narrow the window with “since”.")
        )
    title = "Export-control listings (not sanctions), newest first" if controls else "Designations, newest first"
    sections = [Section(title=title, lines=lines)] if lines else []
    if left_out:
        sections.append(
            Section(
                title="Not counted",
                lines=[
                    Line(
                        text=f"{left_out:,} export-control listing{'s' if left_out != 1 else ''} (the Entity List "
                        "and the other lists of BIS and DDTC) match as well: they are not sanctions. Ask /sanctions "
                        "BIS or /sanctions DDTC to see them."
                    )
                ],
            )
        )
    # A window leaves out what the lists do not date: say how many, rather than let the count read as complete.
    undated, held_in = (
        context.kb.undated_where(authorities=[authority] if authority else [], regimes=regimes or [])
        if since
        else (0, [])
    )
    if undated:
        sections.append(undated_section(undated, held_in, context.kb, cite))
    window = []
    if authority:
        window.append(AUTHORITIES[authority].label)
    if regimes:
        window.append(", ".join(regimes))
    window.append(f"since {since.isoformat()}" if since else "all dates")
    return Reply(
        command="sanctions",
        query=args,
        status=Status.OK if found else Status.NOT_FOUND,
        title=f"{len(found)} {noun}{'s' if len(found) != 1 else ''} — {' · '.join(window)}",
        subtitle=None
        if found
        else " ".join(
            filter(
                None,
                (
                    f"No {noun} in the loaded data matches these filters.",
                    coverage_text(context.kb, [authority] if authority else []),
                ),
            )
        ),
        # The lists this answer rests on: those of the authorities asked about, and those its designations come from.
        facts=[
            fact
            for fact in (lists_fact(ages_now(context), _lists_used(found, [authority] if authority else [], regimes)),)
            if fact is not None
        ],
        sections=sections,
        citations=cite.as_list(),
        items=[sanction_item(context.kb, s, date=s.listed_on.isoformat() if s.listed_on else None) for s in found],
    )
