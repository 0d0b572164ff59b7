"""What the store holds, for `briefbot sources`, `snapshots`, `status` and `changes`: as text, or one JSON document."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from adapters.cli_args import EXIT_OK
from bot.commands.status import status_reply
from bot.service import Bot, utc_now
from bot.status import StatusReport, status_report
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import CATALOGUE, is_snapshot_source
from knowledge.lists.changes import ChangeEvent
from knowledge.lists.masking import mask_text
from knowledge.notices import notices_text
from knowledge.store.database import SnapshotInfo, Store
from knowledge.store.refresh_state import ListStatus

__all__ = ["print_changes", "print_snapshots", "print_sources", "print_status"]


def _json(document: object) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def print_status(args: argparse.Namespace, bot: Bot) -> int:
    """`briefbot status`: what /status says in chat, or its figures as JSON."""
    report = status_report(bot.kb, now=utc_now(), store=bot.store, digests=bot.digests)
    if args.json:
        _json(report.as_json())
    else:
        print(status_reply(report).text)
    return EXIT_OK


def print_sources(args: argparse.Namespace, kb: KnowledgeBase, store: Store) -> int:
    """`briefbot sources`: the lists in use with their licences, the curated data, the counts and the notices."""
    report = status_report(kb, now=utc_now(), store=store)
    curated_sources = sorted(
        (s for s in kb.sources.values() if not is_snapshot_source(s.id)), key=lambda s: (s.date is None, s.date, s.id)
    )
    # A card is curated when something other than a list snapshot describes it, or no list does.
    curated_cards = sum(1 for e in kb.entities.values() if not e.records or not all(map(is_snapshot_source, e.sources)))
    counts = {
        "entities": len(kb.entities),
        "names": len(kb.index.names),
        "sanctions": len(kb.sanctions),
        "relations": len(kb.relations),
    }
    if args.json:
        lists = []
        for state in report.lists:
            entry = CATALOGUE[state.source]
            snapshot = state.snapshot
            lists.append(
                {
                    **state.as_json(),
                    "origin": mask_text(snapshot.origin) if snapshot else None,
                    "note": snapshot.note if snapshot else None,
                    "licence": entry.licence,
                    "acknowledgement": entry.acknowledgement,
                }
            )
        _json(
            {
                "lists": lists,
                "curated": {
                    "cards": curated_cards,
                    "allegations": len(kb.allegations),
                    "documents": [
                        {"id": s.id, "date": s.date.isoformat() if s.date else None, "by": s.by, "title": s.title}
                        for s in curated_sources
                    ],
                },
                "counts": counts,
                "notices": notices_text(),
            }
        )
        return EXIT_OK
    _sources_text(report, kb)
    print(
        f"\nCurated briefing data: {curated_cards} cards, "
        f"{len(kb.allegations)} allegations, citing {len(curated_sources)} documents"
    )
    for source in curated_sources:
        when = source.date.isoformat() if source.date else "undated"
        print(f"  {when}  {source.by}: {source.title}")
    print(
        f"\nIn all: {counts['entities']:,} entities, {counts['names']:,} names, {counts['sanctions']:,} sanctions, "
        f"{counts['relations']:,} relations"
    )
    print("\nNotices")
    print(notices_text())
    return EXIT_OK


def _sources_text(report: StatusReport, kb: KnowledgeBase) -> None:
    print("Official lists and catalogues in use")
    if not kb.snapshots:
        print("  none: run `briefbot refresh` to load them")
    for state in report.lists:
        entry, snapshot, age = CATALOGUE[state.source], state.snapshot, state.age
        if snapshot is None:
            print(f"  {state.source:18} {entry.title}: not loaded yet")
        else:
            print(f"  {snapshot.source:18} {entry.title}")
            print(
                f"  {'':18} {snapshot.dated}, {snapshot.record_count:,} records, imported "
                f"{snapshot.fetched_at:%Y-%m-%d %H:%M} UTC from {mask_text(snapshot.origin)}; licence: {entry.licence}"
            )
            if entry.acknowledgement:
                print(f"  {'':18} acknowledgement: {entry.acknowledgement}")
            if snapshot.note:
                print(f"  {'':18} note: {snapshot.note}")
            if age is not None and age.stale:
                print(f"  {'':18} {age.describe()}")
        print(f"  {'':18} {_refresh_status(state.refresh)}")
        for held in state.held_back:
            print(
                f"  {held.source:18} HELD BACK: snapshot {held.id} ({held.dated}, {held.record_count:,} records, "
                f"imported {held.fetched_at:%Y-%m-%d %H:%M} UTC) is not in use: {held.held_back}"
            )


def _refresh_status(status: ListStatus | None) -> str:
    """The refresh history line of `briefbot sources`: last attempt, last success, last error, next due."""
    if status is None or status.last_attempt is None:
        return "refresh from the publisher: never tried"

    def when(value: dt.datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"

    text = f"last attempt {when(status.last_attempt)}; last success {when(status.last_success)}"
    if status.last_error:
        text += f"; last error: {status.last_error}"
    if status.next_due:
        text += f"; next due {when(status.next_due)}"
    return text


def _event_json(event: ChangeEvent) -> dict[str, object]:
    return {
        "id": event.id,
        "source": event.source,
        "kind": event.kind.value,
        "record_id": event.record_id,
        "entity_name": event.entity_name,
        "changed_fields": [c.model_dump(mode="json") for c in event.changes],
        "as_of": event.as_of.isoformat(),
        "as_of_known": event.as_of_known,
        "previous_as_of": event.previous_as_of.isoformat() if event.previous_as_of else None,
        "programmes": list(event.programmes),
    }


def print_changes(args: argparse.Namespace, store: Store) -> int:
    """`briefbot changes --since DATE`: the change events, one a line, or one JSON document."""
    events = store.events(since=args.since, source=args.source)
    summary = f"{len(events)} change(s) since {args.since}" + (f" on {args.source}." if args.source else ".")
    if args.json:
        document = {
            "since": args.since.isoformat(),
            "source": args.source,
            "count": len(events),
            "events": [_event_json(event) for event in events],
        }
        print(json.dumps(document, ensure_ascii=False))
        return EXIT_OK
    for event in events:
        fields = f" ({', '.join(c.field for c in event.changes)})" if event.changes else ""
        kind = event.kind.value
        # A copy with no publisher's date is dated by its load day, marked so it is not read as the list's date.
        day = f"{event.as_of}{'' if event.as_of_known else '*'}"
        print(f"{day:11}  {event.source:18} {kind:8} {event.record_id:12} {event.entity_name}{fields}")
    if any(not event.as_of_known for event in events):
        print("* the day a copy of the list was loaded; its publisher's date is unknown")
    print(summary)
    return EXIT_OK


def print_snapshots(args: argparse.Namespace, store: Store) -> int:
    """`briefbot snapshots [SOURCE]`: every stored snapshot, as a table or one JSON document."""
    found = store.snapshots(args.source)
    if args.json:
        _json({"source": args.source, "snapshots": [_snapshot_json(snap) for snap in found]})
        return EXIT_OK
    if not found:
        print(f"No snapshots of {args.source} are stored." if args.source else "No snapshots are stored.")
        return EXIT_OK
    print(f"{'id':>5}  {'source':18} {'as of':12} {'loaded':16} {'records':>8}  status")
    for snap in found:
        as_of = snap.as_of.isoformat() if snap.as_of_known else "unknown"
        status = snap.status + (" (bundled extract)" if snap.bundled else "")
        loaded = f"{snap.fetched_at:%Y-%m-%d %H:%M}"
        print(f"{snap.id:>5}  {snap.source:18} {as_of:12} {loaded:16} {snap.record_count:>8,}  {status}")
        if snap.held_back:
            print(f"{'':7}held back because {snap.held_back}")
    return EXIT_OK


def _snapshot_json(snap: SnapshotInfo) -> dict[str, object]:
    return {
        "id": snap.id,
        "source": snap.source,
        "as_of": snap.as_of.isoformat() if snap.as_of_known else None,
        "loaded_at": snap.fetched_at.isoformat(timespec="seconds"),
        "records": snap.record_count,
        "status": snap.status,
        "bundled_extract": snap.bundled,
        "origin": mask_text(snap.origin),
        "note": snap.note,
        "held_back": snap.held_back,
    }
