"""The summary a channel sees of one screening: the counts, the matches and possible matches, what was set aside."""

from __future__ import annotations

from bot.reply import Fact, Line, Reply, Section, Status
from bot.screening.engine import ScreenedRow, Verdict
from bot.screening.result import Screening

__all__ = ["MAX_LINES", "hit_line", "summary_reply"]

# Lines per section in chat; the file attached holds every row.
MAX_LINES = 15


def hit_line(screening: Screening, screened: ScreenedRow) -> str:
    row = screened.row
    parts = []
    for hit in screened.hits:
        text = f"{hit.caption} ({hit.reference}; matched “{hit.matched}”, {hit.how} {hit.score:.2f})"
        if hit.lists:
            more = f" (+{len(hit.lists) - 2} more)" if len(hit.lists) > 2 else ""
            text += " — " + "; ".join(hit.lists[:2]) + more
        if hit.checks:
            text += " — " + "; ".join(hit.checks)
        prior = screening.prior.get((row.number, hit.reference))
        if prior is not None:
            text += f" — standing decision: {prior.describe()}"
        parts.append(text)
    extra = f" ({screened.note})" if screened.note else ""
    return f"Row {row.number} “{row.shown}”{extra}: " + " | ".join(parts)


def _section(screening: Screening, verdict: Verdict, title: str) -> Section | None:
    chosen = [r for r in screening.rows if r.verdict is verdict and r.duplicate_of is None]
    if not chosen:
        return None
    lines = [Line(text=hit_line(screening, r)) for r in chosen[:MAX_LINES]]
    if len(chosen) > MAX_LINES:
        lines.append(Line(text=f"… and {len(chosen) - MAX_LINES:,} more in the attached file."))
    return Section(title=title, lines=lines)


def summary_reply(screening: Screening, *, recorded: bool) -> Reply:
    facts = [Fact(label="Lists", value=screening.editions_text)]
    if screening.as_of is not None:
        facts.insert(0, Fact(label="As of", value=screening.as_of.isoformat()))
    facts.append(Fact(label="Input", value=f"{screening.source}, SHA-256 {screening.input_digest[:16]}…"))
    if screening.over_limit:
        facts.append(
            Fact(
                label="Not screened",
                value=f"{screening.over_limit:,} rows after the first {screening.limit:,} (the limit)"
                f"{screening.stopped_where}: screen them in another file",
            )
        )
    duplicates = sum(1 for r in screening.rows if r.duplicate_of is not None)
    if duplicates:
        facts.append(
            Fact(
                label="Duplicates",
                value=f"{duplicates:,} row{' repeats' if duplicates == 1 else 's repeat'} an earlier row and "
                f"share{'s' if duplicates == 1 else ''} its verdict",
            )
        )
    if screening.prior:
        decided = len({number for number, _ in screening.prior})
        left = len(screening.to_decide())
        facts.append(
            Fact(
                label="Decided before",
                value=f"{decided:,} row{'s' if decided != 1 else ''} with a standing decision (shown on the line); "
                f"{left:,} candidate{'s' if left != 1 else ''} still to decide",
            )
        )
    if recorded:
        facts.append(Fact(label="Record", value=f"screening {screening.id}, kept in the audit record"))
    sections = [
        s
        for s in (
            _section(screening, Verdict.MATCH, "Matches"),
            _section(screening, Verdict.POSSIBLE, "Possible matches: decide on each"),
        )
        if s is not None
    ]
    if screening.set_aside:
        lines = [Line(text=f"Row {n}: {why}") for n, why in screening.set_aside[:MAX_LINES]]
        if len(screening.set_aside) > MAX_LINES:
            lines.append(Line(text=f"… and {len(screening.set_aside) - MAX_LINES:,} more in the attached file."))
        sections.append(Section(title="Not screened", lines=lines))
    if screening.notes:
        sections.append(Section(title="Notes", lines=[Line(text=note) for note in screening.notes]))
    return Reply(
        command="screen",
        query=screening.source,
        status=Status.OK,
        title=screening.headline(),
        subtitle="A match or possible match is a name on a list, not a finding about the person or company: a "
        "person decides. No match means no listed name came near, in these editions.",
        facts=facts,
        sections=sections,
        items=[
            {
                "row": r.row.number,
                "name": r.row.shown,
                "verdict": r.verdict.value,
                "entities": [{"id": h.reference, "name": h.caption, "score": h.score} for h in r.hits],
            }
            for r in screening.rows
        ],
        in_channel=True,
    )
