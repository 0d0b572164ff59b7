"""One screening: who ran it, on what input, against which list editions, and each row's verdict."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from bot.screening.engine import Hit, ScreenedRow, Verdict

__all__ = ["PriorDecision", "Screening"]


@dataclass(frozen=True, slots=True)
class PriorDecision:
    """A person's earlier decision on a name against an entity, still standing: the entity's record has not changed."""

    decision: str
    decided_by: str
    decided_at: dt.datetime
    reason: str
    screening_id: str

    def describe(self) -> str:
        return f"{self.decision} — decided by {self.decided_by} on {self.decided_at:%Y-%m-%d}: {self.reason}"


@dataclass(slots=True)
class Screening:
    id: str
    started_at: dt.datetime
    platform: str
    user: str | None
    channel: str | None
    source: str
    as_of: dt.date | None
    # Each list's edition screened against: "ofac-sdn" -> "3f2a9c… as of 2024-03-25".
    versions: dict[str, str]
    editions_text: str
    input_digest: str
    total: int
    limit: int
    rows: list[ScreenedRow]
    set_aside: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The first row the limit left out, where the rest of the input starts (None when none was).
    stopped_at: int | None = None
    # (row number, entity reference) -> the decision that still stands for that name and entity.
    prior: dict[tuple[int, str], PriorDecision] = field(default_factory=dict)

    @property
    def over_limit(self) -> int:
        return self.total - len(self.rows) - len(self.set_aside)

    @property
    def stopped_where(self) -> str:
        """Where the rows the limit left out start, as a reader finds them (", from row 10,437 on"), if known."""
        return f", from row {self.stopped_at:,} on" if self.stopped_at is not None else ""

    def counts(self) -> Counter[Verdict]:
        return Counter(row.verdict for row in self.rows)

    def to_decide(self) -> list[tuple[ScreenedRow, Hit]]:
        """Each possible match's candidate no standing decision covers, in row order; duplicates once."""
        return [
            (row, hit)
            for row in self.rows
            if row.verdict is Verdict.POSSIBLE and row.duplicate_of is None
            for hit in row.hits
            if (row.row.number, hit.reference) not in self.prior
        ]

    def headline(self) -> str:
        counts = self.counts()
        parts = [
            f"{counts[Verdict.MATCH]:,} match{'es' if counts[Verdict.MATCH] != 1 else ''}",
            f"{counts[Verdict.POSSIBLE]:,} possible match{'es' if counts[Verdict.POSSIBLE] != 1 else ''}",
            f"{counts[Verdict.NO_MATCH]:,} no match",
        ]
        screened = f"Screened {len(self.rows):,} row{'s' if len(self.rows) != 1 else ''}"
        if len(self.rows) != self.total:
            screened += f" of {self.total:,}"
        return f"{screened}: " + ", ".join(parts)
