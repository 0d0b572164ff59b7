"""Screening's front door for every platform: rows in, a recorded screening, its summary and files out; decisions."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bot.as_of import as_of_view, split_as_of
from bot.errors import UsageError
from bot.parsing import parse_date
from bot.reply import Reply
from bot.screening.audit import DECISIONS, AuditStore, Decision, Place, RecordKeptError, row_key
from bot.screening.engine import screen_rows
from bot.screening.report import csv_bytes, file_names, html_bytes
from bot.screening.result import Screening
from bot.screening.rows import MAX_FILE_BYTES, RowsRead, read_file, read_pasted, text_lines
from bot.screening.summary import summary_reply
from knowledge.base import KnowledgeBase
from knowledge.store.database import Store

__all__ = [
    "MAX_PASTED_ROWS",
    "MAX_REASON_LENGTH",
    "MAX_UPLOADED_ROWS",
    "Screener",
    "ScreeningOutcome",
    "Who",
]

log = logging.getLogger(__name__)

# A paste in chat is a few hundred names at most; a longer list belongs in a file.
MAX_PASTED_ROWS = 500
# An uploaded file's rows screened in one go; the rest are counted and named in the reply, never dropped unsaid.
MAX_UPLOADED_ROWS = 10_000
# A decision's reason is a sentence or two; the record keeps it whole up to this.
MAX_REASON_LENGTH = 1000
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Who:
    """Who asks, where: the record keeps it with every screening and decision."""

    platform: str = "cli"
    user: str | None = None
    workspace: str | None = None
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    screening: Screening
    reply: Reply
    files: dict[str, bytes]


class Screener:
    """Screens against the knowledge base of now (or of a past date, from the store's editions) and records it."""

    def __init__(
        self,
        kb: Callable[[], KnowledgeBase],
        *,
        clock: Callable[[], dt.datetime],
        store: Store | None = None,
        audit: AuditStore | None = None,
    ) -> None:
        self._kb = kb
        self._clock = clock
        self._store = store
        self.audit = audit

    def now(self) -> dt.datetime:
        return self._clock()

    def _view(self, day: dt.date | None) -> tuple[KnowledgeBase, dict[str, str], str]:
        kb = self._kb()
        if day is None:
            versions = {
                s.source: f"{s.content_hash[:12]} {s.dated}" + (" (bundled extract)" if s.bundled else "")
                for s in kb.snapshots
            }
            text = "; ".join(f"{source} {version}" for source, version in sorted(versions.items()))
            return kb, versions, text or "the curated data alone"
        view = as_of_view(kb, self._store, day, today=self._clock().date())
        return view.kb, view.versions(), view.describe()

    def screen_pasted(self, text: str, who: Who, *, progress: Progress | None = None) -> ScreeningOutcome:
        """/screen with names pasted one a line; "as of DATE" on a line of its own (or after the last name)."""
        # Leading blank lines kept: a row goes by its line in what was given (`screen - < FILE`, a paste).
        lines = text_lines(text.rstrip())
        day = None
        if lines:
            last, day = split_as_of(lines[-1])
            lines[-1] = last
        read = read_pasted("\n".join(lines), limit=MAX_PASTED_ROWS)
        return self._run(read, who, day, progress)

    def screen_upload(
        self,
        data: bytes,
        filename: str,
        who: Who,
        *,
        as_of: str | None = None,
        limit: int = MAX_UPLOADED_ROWS,
        max_bytes: int = MAX_FILE_BYTES,
        progress: Progress | None = None,
    ) -> ScreeningOutcome:
        day = parse_date(as_of) if as_of else None
        read = read_file(data, filename, limit=limit, max_bytes=max_bytes)
        return self._run(read, who, day, progress)

    def _run(self, read: RowsRead, who: Who, day: dt.date | None, progress: Progress | None) -> ScreeningOutcome:
        kb, versions, editions = self._view(day)
        started = self._clock()
        screened = screen_rows(kb, read.rows, on=day or started.date(), progress=progress)
        screening = Screening(
            id=uuid.uuid4().hex[:12],
            started_at=started,
            platform=who.platform,
            user=who.user,
            channel=who.channel,
            source=read.source,
            as_of=day,
            versions=versions,
            editions_text=editions,
            input_digest=read.digest,
            total=read.total,
            limit=read.limit,
            rows=screened,
            set_aside=read.set_aside,
            notes=read.notes,
            stopped_at=read.stopped_at,
        )
        if self.audit is not None:
            keys = {r.row.number: row_key(r.row.shown, r.row.country, r.row.birth) for r in screened}
            candidates = {(keys[r.row.number], h.reference, h.record_digest) for r in screened for h in r.hits}
            standing = self.audit.standing(candidates, place=Place(who.platform, who.workspace, who.channel))
            screening.prior = {
                (r.row.number, h.reference): standing[(keys[r.row.number], h.reference)]
                for r in screened
                for h in r.hits
                if (keys[r.row.number], h.reference) in standing
            }
            self.audit.add_screening(screening, workspace=who.workspace)
        else:
            screening.notes.append("This bot keeps no screening record (it runs without a store).")
        csv_name, html_name = file_names(screening)
        files = {csv_name: csv_bytes(screening), html_name: html_bytes(screening)}
        return ScreeningOutcome(screening, summary_reply(screening, recorded=self.audit is not None), files)

    def decide(
        self, *, screening_id: str, row_number: int, reference: str, decision: str, reason: str, who: Who
    ) -> Decision:
        """Record a person's decision; the adapter has checked that they may decide in this channel."""
        reason = " ".join(reason.split())
        if not reason:
            raise UsageError("A decision needs a reason: a few words on why, for the record.")
        if len(reason) > MAX_REASON_LENGTH:
            raise UsageError(f"That reason is {len(reason):,} characters; keep it under {MAX_REASON_LENGTH:,}.")
        if decision not in DECISIONS:
            raise UsageError(f"“{decision}” is not a decision; the choices are {', '.join(DECISIONS.values())}.")
        if self.audit is None:
            raise UsageError("Decisions need the screening record, and this bot runs without a store.")
        try:
            return self.audit.add_decision(
                screening_id=screening_id,
                row_number=row_number,
                entity_reference=reference,
                decision=decision,
                reason=reason,
                decided_by=who.user or "unknown",
                platform=who.platform,
                now=self._clock(),
            )
        except RecordKeptError as error:
            raise UsageError(str(error)) from None
