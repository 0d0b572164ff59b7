"""A digest as a neutral reply: counts, then per authority the new designations, delistings and amendments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from bot.digest.subscriptions import Subscription, event_authority, event_regimes
from bot.list_dates import in_undated_copy, lists_fact, lists_touched
from bot.reply import Citations, Fact, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, REGIMES, is_export_control, programme_words, regime_words
from knowledge.base import KnowledgeBase, delisted_between
from knowledge.lists.catalogue import CATALOGUE, snapshot_source
from knowledge.lists.changes import OTHER_DETAILS, ChangeEvent, ChangeKind
from knowledge.lists.freshness import ListAge

__all__ = ["DEFAULT_LINES", "render_digest"]

# Lines a digest lists before it summarises; platforms with tighter limits pass their own.
DEFAULT_LINES = 40
_VALUE_SHOWN = 160
_KIND_TITLES = {
    ChangeKind.ADDED: "New designations",
    ChangeKind.REMOVED: "Delistings",
    ChangeKind.AMENDED: "Amendments",
}
_CONTROL_TITLES = {
    ChangeKind.ADDED: "New export-control listings (not sanctions)",
    ChangeKind.REMOVED: "Removed from an export-control list",
}
_CONTROL_LABELS = frozenset(a.label for a in AUTHORITIES.values() if is_export_control(a.key))


def _short(value: object) -> str:
    if value is None or value == [] or value == "":
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 1] + "…"


def _regimes_in_words(event: ChangeEvent) -> str:
    """The event's regimes and programmes in words, each once: never a key beside the programme it stands for."""
    authority = event_authority(event)
    if authority and event.programmes:
        words = [programme_words(authority, p) for p in event.programmes]
    else:
        words = [
            REGIMES[r].summary if r in REGIMES else regime_words(authority or "", r, None)
            for r in sorted(event_regimes(event))
        ]
    return "; ".join(dict.fromkeys(words))


def _line(event: ChangeEvent, cite: Citations) -> Line:
    if event.source == "curated":
        sources: list[int] = []
        what = f"briefing data: {event.record_id.split(':', 1)[0]}"
    else:
        sources = cite.add(snapshot_source(event.source, event.as_of, as_of_known=event.as_of_known))
        what = f"{CATALOGUE[event.source].by} {event.record_id}"
    regimes = _regimes_in_words(event)
    text = f"{event.entity_name} ({what}"
    text += f"; {regimes}" if regimes else ""
    text += ")"
    if event.kind is ChangeKind.ADDED and event.reasons:
        text += f" — reasons given: {_short(event.reasons)}"
    elif event.kind is ChangeKind.REMOVED:
        if not event.as_of_known:
            text += f" — not {in_undated_copy(event.as_of)}"
        elif event.previous_as_of:
            # The two editions tell only that it went between them, not on the later one's day.
            text += f" — {delisted_between(event.previous_as_of, event.as_of)}"
        else:
            text += f" — no longer listed as of {event.as_of.isoformat()}"
    elif event.kind is ChangeKind.AMENDED:
        text += " — " + "; ".join(
            f"{c.field} changed" if c.field == OTHER_DETAILS else f"{c.field}: {_short(c.before)} → {_short(c.after)}"
            for c in event.changes
        )
    return Line(text=text, sources=sources, command=f"/who {event.entity_name}")


def _confirmed_since(age: ListAge, start: dt.datetime | None) -> bool:
    """Whether the publisher was asked, successfully, about the list during the digest's window."""
    return age.confirmed is not None and (start is None or age.confirmed > start)


def render_digest(
    events: list[ChangeEvent],
    kb: KnowledgeBase,
    subscription: Subscription,
    *,
    since: dt.datetime | None,
    now: dt.datetime,
    max_lines: int = DEFAULT_LINES,
    command: str = "digest",
    ages: Mapping[str, ListAge] | None = None,
) -> Reply:
    """The digest of `events` (already filtered to what the channel follows); past `max_lines`, a summary.
    With `ages`, it says how current each list is, and never "no changes" over a list not refreshed."""
    cite = Citations(kb)
    counts = {kind: sum(1 for e in events if e.kind is kind) for kind in ChangeKind}
    window = f"since {since:%Y-%m-%d %H:%M} UTC" if since else "since you subscribed"
    filters = subscription.filters
    if filters.authorities or filters.regimes:
        # Only the lists the channel follows: an unfollowed list's date is noise here.
        ages = {
            name: age
            for name, age in (ages or {}).items()
            if name in lists_touched(filters.authorities, filters.regimes)
        }
    dates = [fact for fact in (lists_fact(ages or {}),) if fact is not None]
    if not events:
        start = since or subscription.created_at
        missed = [age for age in (ages or {}).values() if age.stale or not _confirmed_since(age, start)]
        if missed:
            # The lists not refreshed are named once, in the subtitle; the fact dates only the others.
            rest = {name: age for name, age in (ages or {}).items() if age not in missed}
            dates = [fact for fact in (lists_fact(rest),) if fact is not None]
            return Reply(
                command=command,
                query="",
                status=Status.NOT_FOUND,
                title=f"No changes recorded {window}, but not every list was refreshed in that time.",
                subtitle=f"Not refreshed: {'; '.join(a.describe() for a in missed)}. Changes there would not show.",
                facts=[Fact(label="Following", value=subscription.filters.describe()), *dates],
            )
        return Reply(
            command=command,
            query="",
            status=Status.NOT_FOUND,
            title=f"No changes on the lists you follow {window}.",
            subtitle=f"Following: {subscription.filters.describe()}.",
            facts=dates,
        )
    by_authority: dict[str, list[ChangeEvent]] = defaultdict(list)
    for event in events:
        authority = event_authority(event)
        label = AUTHORITIES[authority].label if authority in AUTHORITIES else "Threat-intelligence catalogues"
        by_authority[label].append(event)
    sections, shown = [], 0
    for label in sorted(by_authority):
        for kind in ChangeKind:
            chosen = [e for e in by_authority[label] if e.kind is kind]
            if not chosen:
                continue
            room = max(0, max_lines - shown)
            lines = [_line(e, cite) for e in chosen[:room]]
            shown += len(lines)
            if len(chosen) > len(lines):
                first = min(e.as_of for e in chosen)
                lines.append(
                    Line(
                        text=f"… and {len(chosen) - len(lines)} more: /sanctions since {first.isoformat()}",
                        command=f"/sanctions since {first.isoformat()}",
                    )
                )
            title = _KIND_TITLES[kind]
            if label in _CONTROL_LABELS:
                # An export-control list's additions are listings, never designations.
                title = _CONTROL_TITLES.get(kind, title)
            sections.append(Section(title=f"{label} — {title} ({len(chosen)})", lines=lines))
    headline = " · ".join(f"{counts[k]} {_KIND_TITLES[k].lower()}" for k in ChangeKind if counts[k])
    return Reply(
        command=command,
        query="",
        status=Status.OK,
        title=f"Sanctions digest: {len(events)} change{'s' if len(events) != 1 else ''} {window}",
        subtitle=headline,
        facts=[Fact(label="Following", value=subscription.filters.describe()), *dates],
        sections=sections,
        citations=cite.as_list(),
        items=[
            {
                "event_id": e.id,
                "source": e.source,
                "kind": e.kind.value,
                "record_id": e.record_id,
                "entity": e.entity_name,
                "as_of": e.as_of.isoformat(),
                "as_of_known": e.as_of_known,
                "fields": [c.field for c in e.changes],
            }
            for e in events
        ],
    )
