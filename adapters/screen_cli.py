"""`briefbot screen FILE` and `briefbot audit export|decide|purge`: screening and its record on the command line."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from adapters.cli_args import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from bot.parsing import parse_date
from bot.screening.audit import DECISIONS, AuditStore
from bot.screening.report import neutralise
from bot.screening.rows import MAX_FILE_BYTES, has_csv_header
from bot.screening.service import Screener, Who
from bot.screening.text_encoding import decode_text
from bot.service import Bot, utc_now
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError
from knowledge.store.database import Store

__all__ = ["ACTIONS", "RETENTION_VARIABLE", "audit_store", "retention_years", "run", "screener_for"]

ACTIONS = ("screen", "audit")
RETENTION_VARIABLE = "BRIEFBOT_AUDIT_RETENTION_YEARS"
# The command line screens whole files: a limit only against a mistaken multi-gigabyte input.
CLI_ROW_LIMIT = 200_000
# ... and bytes: ten times a chat upload's (a 50,000-row file is about 3 MB; 200,000 rows of long cells fit).
CLI_MAX_BYTES = 10 * MAX_FILE_BYTES


def retention_years() -> int:
    """How many years the screening record is kept at least: BRIEFBOT_AUDIT_RETENTION_YEARS, ten by default."""
    from adapters.settings import setting

    return int(setting(RETENTION_VARIABLE))


def audit_store(store: Store) -> AuditStore:
    return AuditStore(store.engine, retention_years=retention_years())


def screener_for(bot: Bot) -> Screener:
    """The screener a chat app uses: the bot's knowledge base, clock and store, the record beside it."""
    audit = audit_store(bot.store) if bot.store is not None else None
    return Screener(lambda: bot.kb, clock=bot.clock, store=bot.store, audit=audit)


def _new_file(path: Path, data: bytes) -> None:
    """A new file, never one replaced nor written through a link: a result is evidence."""
    with open(path, "xb") as out:
        out.write(data)


def _progress(done: int, total: int) -> None:
    if total >= 1000:
        print(f"\rscreened {done:,} of {total:,} rows", end="" if done < total else "\n", file=sys.stderr)


def _screen(args: argparse.Namespace, screener: Screener) -> int:
    who = Who(platform="cli", user=getpass.getuser())
    if args.file == "-":
        data, name = sys.stdin.buffer.read(), "standard input"
    else:
        path = Path(args.file)
        if not path.is_file():
            print(f"briefbot: {path} is not a file.", file=sys.stderr)
            return EXIT_USAGE
        data, name = path.read_bytes(), path.name
    # The folder the results go to, made and tried before screening: a screening is recorded once done, and one whose
    # files then cannot be written would be evidence no one has.
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=args.out):
            pass
    except OSError as error:
        print(f"briefbot: cannot write the results to {args.out}: {error.strerror or error}.", file=sys.stderr)
        return EXIT_USAGE
    if args.file == "-" and not has_csv_header(data):
        # Names piped in one a line, in whatever encoding a file of them would be read in (UTF-16 from Windows tools),
        # as of the day asked, as a pasted list's last line would say it.
        text = decode_text(data)[0].rstrip() + (f"\nas of {args.as_of}" if args.as_of else "")
        outcome = screener.screen_pasted(text, who, progress=_progress)
    else:
        # A CSV piped in ("cat customers.csv | briefbot screen -") is a file, its header its columns; read line by line,
        # its header was screened as a customer and "SALEH, Ahmed Ali,YE" as one name.
        outcome = screener.screen_upload(
            data, name, who, as_of=args.as_of, limit=CLI_ROW_LIMIT, max_bytes=CLI_MAX_BYTES, progress=_progress
        )
    written = []
    try:
        for name, data in outcome.files.items():
            _new_file(args.out / name, data)
            written.append(str(args.out / name))
    except OSError as error:
        if isinstance(error, FileExistsError):
            raise
        print(
            f"briefbot: the screening is recorded as {outcome.screening.id}, but its results could not be written to "
            f"{args.out}: {error.strerror or error}. `briefbot audit export` exports the record.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    if args.json:
        print(json.dumps({**outcome.reply.to_json(), "files": written}, ensure_ascii=False, indent=2))
    else:
        print(outcome.reply.text)
        print("\nWritten: " + ", ".join(written))
    return EXIT_OK


def _export_cell(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _export(args: argparse.Namespace, audit: AuditStore, day: dt.date) -> int:
    since = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    records = [{"record": kind, **record} for kind, record in audit.export(since=since)]
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"briefbot-audit-since-{day.isoformat()}-{utc_now():%Y%m%dT%H%M%S}"
    meta = {"since": day.isoformat(), "exported_at": utc_now().isoformat(), "retention_years": audit.retention_years}
    _new_file(
        args.out / f"{stem}.json", json.dumps({**meta, "records": records}, ensure_ascii=False, indent=1).encode()
    )
    columns = list(dict.fromkeys(key for record in records for key in record))
    with open(args.out / f"{stem}.csv", "x", newline="", encoding="utf-8-sig") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        for record in records:
            # A screened name or a reason is someone's text: a spreadsheet must not run it as a formula.
            writer.writerow({k: neutralise(_export_cell(v)) for k, v in record.items()})
    kinds = {
        "screening": ("screening", "screenings"),
        "row": ("row", "rows"),
        "decision": ("decision", "decisions"),
        "deciders": ("change of deciders", "changes of deciders"),
    }
    counts = {kind: sum(1 for r in records if r["record"] == kind) for kind in kinds}
    said = {kind: f"{n:,} {kinds[kind][n != 1]}" for kind, n in counts.items()}
    print(
        f"Exported {said['screening']} ({said['row']}), {said['decision']} and {said['deciders']} since "
        f"{day.isoformat()}: {args.out / stem}.csv, {args.out / stem}.json"
    )
    return EXIT_OK


# Records a purge lists one a line before "and N more": enough to check by eye, not a dump of the record.
PURGE_SHOWN = 50


def _purge(args: argparse.Namespace, audit: AuditStore) -> int:
    purge = audit.purge(now=utc_now(), apply=args.yes)
    years = audit.retention_years
    kept = f"past retention ({years} year{'' if years == 1 else 's'}: made before {purge.before:%Y-%m-%d})"
    if purge.empty:
        print(f"Nothing in the screening record is {kept}.")
        return EXIT_OK
    lines = [
        f"screening {s['id']} of {s['started_at'][:10]} ({s['platform']}, {s['total_rows']:,} rows), kept until "
        f"{s['retain_until']}"
        for s in purge.screenings
    ] + [
        f"decision {d['id']} on screening {d['screening_id']} by {d['decided_by']} of {d['decided_at'][:10]}, kept "
        f"until {d['retain_until']}"
        for d in purge.decisions
    ]
    for line in lines[:PURGE_SHOWN]:
        print(f"  {line}")
    if len(lines) > PURGE_SHOWN:
        print(f"  and {len(lines) - PURGE_SHOWN:,} more")
    screenings, decisions = len(purge.screenings), len(purge.decisions)
    counted = (
        f"{screenings:,} screening{'' if screenings == 1 else 's'} ({purge.rows:,} row{'' if purge.rows == 1 else 's'})"
        f" and {decisions:,} decision{'' if decisions == 1 else 's'} {kept}"
    )
    if purge.done:
        print(f"Deleted {counted}.")
    else:
        print(f"Would delete {counted}. Nothing was deleted: run `briefbot audit purge --yes` to delete them.")
    return EXIT_OK


def run(args: argparse.Namespace, store: Store, knowledge: Callable[[], KnowledgeBase]) -> int:
    """The `screen` and `audit` actions; errors are said in a sentence, never a traceback."""
    try:
        audit = audit_store(store)
        if args.action == "audit" and args.audit_action == "export":
            # The date as parse_date reads it ("2025-1-5", " 2025-01-05"), never the text again.
            return _export(args, audit, parse_date(args.since))
        if args.action == "audit" and args.audit_action == "purge":
            return _purge(args, audit)
        kb = knowledge()
        screener = Screener(lambda: kb, clock=utc_now, store=store, audit=audit)
        if args.action == "audit":
            decision = screener.decide(
                screening_id=args.screening,
                row_number=args.row,
                reference=args.reference,
                decision=args.decision,
                reason=args.reason,
                who=Who(platform="cli", user=getpass.getuser()),
            )
            print(
                f"Recorded: {DECISIONS[decision.decision]} on row {decision.row_number} ({decision.entity_reference}) "
                f"by {decision.decided_by} at {decision.decided_at:%Y-%m-%d %H:%M} UTC."
            )
            return EXIT_OK
        return _screen(args, screener)
    except FileExistsError as error:
        print(f"briefbot: {error.filename} exists; nothing was replaced.", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as error:
        # A full disk or a folder one may not write to, for an export: said, never a traceback.
        where = f" ({error.filename})" if error.filename else ""
        print(f"briefbot: could not write{where}: {error.strerror or error}.", file=sys.stderr)
        return EXIT_FAILURE
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_USAGE
