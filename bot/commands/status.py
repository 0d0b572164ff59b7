"""/status: which lists are loaded, their editions and freshness, the last refresh and the last digest."""

from __future__ import annotations

import datetime as dt

from bot.context import Context
from bot.registry import command
from bot.reply import Fact, Line, Reply, Section, Status
from bot.status import ListState, StatusReport, status_report
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.masking import mask_text

__all__ = ["STATUS", "status_reply"]


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


def _list_line(state: ListState) -> Line:
    title = CATALOGUE[state.source].title
    snapshot, age = state.snapshot, state.age
    if snapshot is None:
        text = f"{title}: not loaded"
    else:
        # The age's own words name the list and its edition, and say when it is possibly out of date.
        text = age.describe() if age is not None else f"{title}, {snapshot.dated}"
        text += f" — {snapshot.record_count:,} records, imported {_when(snapshot.fetched_at)}"
    refresh = state.refresh
    if refresh is not None and refresh.last_attempt is not None:
        text += f"; refreshed {_when(refresh.last_success)}, last tried {_when(refresh.last_attempt)}"
        if refresh.last_error:
            text += f" (failed: {mask_text(refresh.last_error)})"
    for held in state.held_back:
        text += f"; HELD BACK: snapshot {held.id} ({held.dated}) waits for a decision: {held.held_back}"
    return Line(text=text)


def status_reply(report: StatusReport, *, query: str = "") -> Reply:
    """The report as a reply: one line a list, then the last refresh and the last digest."""
    stale = report.stale
    title = f"{len([s for s in report.lists if s.snapshot])} lists loaded, {report.entities:,} entities" + (
        f"; {len(stale)} possibly out of date" if stale else "; all within their expected interval"
    )
    facts = []
    last = report.last_refresh
    if last is not None:
        outcome = f"failed: {mask_text(last.last_error)}" if last.last_error else "succeeded"
        facts.append(Fact(label="Last refresh", value=f"{_when(last.last_attempt)} ({last.source}, {outcome})"))
    else:
        facts.append(Fact(label="Last refresh", value="never from a publisher (bundled extracts or files only)"))
    if report.subscriptions is not None:
        facts.append(
            Fact(
                label="Last digest",
                value=f"{_when(report.last_digest)} ({report.subscriptions} channel subscription"
                f"{'' if report.subscriptions == 1 else 's'})",
            )
        )
    lines = [_list_line(state) for state in report.lists] or [Line(text="No list is loaded.")]
    return Reply(
        command="status",
        query=query,
        status=Status.OK,
        title=title,
        facts=facts,
        sections=[Section(title="Lists", lines=lines)],
        items=[state.as_json() for state in report.lists],
    )


@command("status", usage="/status", examples=("/status",))
def STATUS(args: str, context: Context) -> Reply:
    """What is loaded and how fresh: each list's edition and age, the last refresh and the last digest."""
    report = status_report(context.kb, now=context.now, store=context.store, digests=context.digests)
    return status_reply(report, query=args)
