"""The `briefbot` command line: one-shot questions, an interactive console, name matching and sources."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TextIO

from adapters import screen_cli
from adapters.console import run_console
from adapters.logs import configure_logging
from adapters.tokens import ConfigError
from bot.digest.store import DigestStore
from bot.parsing import MAX_NAME_LENGTH
from bot.reply import Reply, Status
from bot.request import Request
from bot.service import Bot, utc_now
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError, UsageError
from knowledge.lists.catalogue import CATALOGUE, is_snapshot_source
from knowledge.lists.changes import ChangeEvent
from knowledge.lists.download import DEADLINE_VARIABLE, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, deadline_setting
from knowledge.lists.freshness import list_ages
from knowledge.lists.masking import mask_text
from knowledge.lists.refresh import RefreshResult, refresh, use_snapshot
from knowledge.lists.schedule import FetchSettings, Outcome, refresh_due, refresh_lists
from knowledge.lists.settings import check_list_settings
from knowledge.loading import build_and_cache, build_and_cache_apart, cache_path, load_knowledge, prepare_store
from knowledge.names.normalise import clean_text
from knowledge.notices import notices_text
from knowledge.references import reference
from knowledge.store.database import SnapshotInfo, Store
from knowledge.store.refresh_state import ListStatus, RefreshState

__all__ = ["main"]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
KINDS = ("company", "person", "any")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own exit code for usage errors is 2 too; this only keeps the message short and polite.
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"briefbot: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="briefbot", description="Briefings on sanctioned entities, with sources.")
    parser.add_argument("--version", action="version", version=f"briefbot {_version()}")
    sub = parser.add_subparsers(dest="action", required=True, parser_class=_Parser)

    ask = sub.add_parser("ask", help='answer one command or question, e.g. briefbot ask "/who i-Soon"')
    ask.add_argument("text", nargs="+", help="a command such as /who NAME, or a question")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")

    sub.add_parser("chat", help="interactive console (line editing, history, /help; Ctrl-D leaves)")

    match = sub.add_parser("match", help="score two names against each other, or many pairs from a CSV file")
    match.add_argument("names", nargs="*", metavar="NAME", help="two names to compare")
    match.add_argument("--kind", choices=KINDS, default="any", help="what the names are (default: any)")
    match.add_argument(
        "--pairs",
        type=Path,
        metavar="FILE.csv",
        help="CSV of name1,name2[,kind] rows, or with a header naming name1, name2 and kind or schema (name_bench)",
    )
    match.add_argument("--json", action="store_true", help="print JSON (always so with --pairs)")

    sub.add_parser("sources", help="what data is loaded, as of when, and the publishers' notices")
    snapshots = sub.add_parser("snapshots", help="every stored snapshot of the lists: in use, held back or history")
    snapshots.add_argument("source", nargs="?", choices=list(CATALOGUE), metavar="SOURCE", help="one list only")
    sub.add_parser("migrate", help="bring the store's schema up to date (the Procfile's release process)")

    digest = sub.add_parser("digest", help="the digest delivery loop, for a clock or cron process")
    digest.add_argument("run", choices=["run"], help="run the loop: wakes each minute and sends due digests")
    digest.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")

    changes = sub.add_parser("changes", help="what changed on the lists: designations added, removed, amended")
    changes.add_argument("--since", type=_date, required=True, help="events of snapshots on or after this date")
    changes.add_argument("--source", choices=[*CATALOGUE, "curated"], help="one list only")
    changes.add_argument("--json", action="store_true", help="one JSON document: the summary and the events")

    refresh = sub.add_parser("refresh", help="load a new snapshot of a list from files, an address or its publisher")
    refresh.add_argument("--source", choices=list(CATALOGUE), help="which list (guessed from files if omitted)")
    refresh.add_argument(
        "--file",
        type=Path,
        action="append",
        dest="files",
        metavar="PATH",
        help="a file of the list; repeat for OFAC's add/alt/comments companions",
    )
    refresh.add_argument("--url", help="download the list from this address instead of the publisher's")
    refresh.add_argument(
        "--due",
        action="store_true",
        help="refresh from the publishers every list whose interval has passed (BRIEFBOT_REFRESH_EVERY), for cron",
    )
    refresh.add_argument("--as-of", type=_date, help="the list's date, where the file does not state one (YYYY-MM-DD)")
    refresh.add_argument(
        "--use", type=int, metavar="SNAPSHOT_ID", help="put a stored snapshot back in use (see `briefbot snapshots`)"
    )
    refresh.add_argument(
        "--accept-removals",
        action="store_true",
        help="take a snapshot the removal guard holds back (it would delist many records, or looks cut off)",
    )
    refresh.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="download size cap in bytes")
    refresh.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="download timeout in seconds")
    refresh.add_argument(
        "--deadline",
        type=float,
        help=f"each whole download's limit in seconds, retries included (default {DEADLINE_VARIABLE} or 300)",
    )
    _add_brief_parsers(sub)
    screen_cli.add_parsers(sub)
    slack = sub.add_parser("slack", help="the Slack app: serve --http|--socket, or manifest", add_help=False)
    slack.add_argument("rest", nargs=argparse.REMAINDER)
    discord = sub.add_parser("discord", help="the Discord app: run, or sync [--guild ID] [--dry-run]", add_help=False)
    discord.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _version() -> str:
    try:
        return metadata.version("briefbot")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _utf8_console(argv: Sequence[str] | None) -> list[str]:
    """Read and write UTF-8, replacing what cannot be decoded or encoded, whatever the console's encoding; and
    the arguments as UTF-8, bytes that are not being replaced rather than carried on as lone surrogates."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = sys.argv[1:] if argv is None else list(argv)
    return [arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for arg in args]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` console script; returns the process exit code."""
    try:
        return _main(_utf8_console(argv))
    except BrokenPipeError:
        # The reader left (`briefbot ... | head`): not an error. Point stdout at nothing so the
        # interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        configure_logging(server=_serves(args))
        check_list_settings()
    except (ConfigError, UsageError) as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "slack":
        from adapters.slack_app import main as slack_main

        return slack_main(args.rest)
    if args.action == "discord":
        from adapters.discord_app import main as discord_main

        return discord_main(args.rest)
    try:
        store = Store.open()
        if args.action == "migrate":
            return _migrate(store)
        prepare_store(store, now=utc_now())
        if args.action in screen_cli.ACTIONS:
            return screen_cli.run(args, store, lambda: load_knowledge(store))
        if args.action == "refresh":
            return _refresh(args, store)
        if args.action == "changes":
            return _changes(args, store)
        if args.action == "snapshots":
            return _snapshots(args, store)
        if args.action == "digest":
            from adapters.digest_worker import run_digests

            return run_digests(store, once=args.once)
        kb = load_knowledge(store)
        digests = DigestStore(store.engine)
    except UsageError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if args.action in ("brief", "picture"):
        return _brief_or_picture(args, Bot(kb, store=store, digests=digests))
    if args.action in ("ask", "chat"):
        bot = Bot(kb, store=store, digests=digests)
        return _ask(args, bot) if args.action == "ask" else run_console(bot, request=console_request)
    if args.action == "match":
        return _match(args, kb)
    # Snapshots the removal guard held back since the one in use was taken: they wait for a person's decision.
    in_use = {s.source: s for s in kb.snapshots}
    held = [
        s
        for s in store.snapshots()
        if s.held_back and (s.source not in in_use or s.fetched_at >= in_use[s.source].fetched_at)
    ]
    return _sources(args, kb, store, held)


def _serves(args: argparse.Namespace) -> bool:
    """Whether the command runs as a server (logging at INFO by default) rather than a one-shot command."""
    if args.action in ("slack", "discord"):
        return bool(args.rest) and args.rest[0] in ("serve", "run")
    return args.action == "digest"


def _migrate(store: Store) -> int:
    """The release step: the schema brought up to date, then the knowledge base built and cached, so serving
    processes load it rather than build it."""
    digests = DigestStore(store.engine)
    print(f"store schema: knowledge v{store.schema_version()}, digest v{digests.schema_version()}; up to date.")
    prepare_store(store, now=utc_now())
    kb = build_and_cache(store)
    if kb is not None:
        print(f"knowledge base built and cached for serving: {len(kb.entities):,} entities.")
    return EXIT_OK


def _exit_code(reply: Reply) -> int:
    if reply.status is not Status.ERROR:
        return EXIT_OK
    return EXIT_USAGE if reply.error_kind == "usage" else EXIT_FAILURE


def console_request(text: str) -> Request:
    """A request typed at this machine: its own console channel, which whoever runs it may manage."""
    return Request(
        text=text, platform="cli", user=getpass.getuser(), workspace="local", channel="console", can_manage_channel=True
    )


def _ask(args: argparse.Namespace, bot: Bot) -> int:
    reply = bot.answer(console_request(" ".join(args.text)))
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2))
    else:
        print(reply.text)
    bot.delivered(reply)
    return _exit_code(reply)


def _match(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    if args.pairs is not None:
        if args.names:
            print("briefbot match: give either two names or --pairs FILE.csv, not both.", file=sys.stderr)
            return EXIT_USAGE
        return _match_pairs(args.pairs, kb, sys.stdout)
    if len(args.names) != 2:
        print(
            f'briefbot match: give exactly two names, e.g. briefbot match "i-Soon" "I SOON" (got {len(args.names)}).',
            file=sys.stderr,
        )
        return EXIT_USAGE
    first, second = args.names
    problem = _names_problem(first, second)
    if problem:
        print(f"briefbot match: {problem}", file=sys.stderr)
        return EXIT_USAGE
    result = _compare(kb, first, second, args.kind)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        verdict = "match" if result["match"] else "no match"
        print(f"{verdict} (score {result['score']:.2f}): {result['explanation']}")
    return EXIT_OK


def _compare(kb: KnowledgeBase, first: str, second: str, kind: str) -> dict[str, object]:
    comparison = kb.compare(first, second, person=kind == "person")
    return {"score": comparison.score, "match": comparison.match, "explanation": comparison.explanation}


def _match_pairs(path: Path, kb: KnowledgeBase, out: TextIO) -> int:
    """One JSON line per pair; a bad row gets a JSON line that says what is wrong, and the rest go on."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        print(f"briefbot match: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    bad = 0
    with handle:
        try:
            columns: list[int] | None = None
            by_schema = False
            for line_number, row in enumerate(csv.reader(handle), start=1):
                cells = [cell.strip() for cell in row]
                if line_number == 1 and {"name1", "name2"} <= {c.casefold() for c in cells}:
                    # A header names the columns (name_bench's own files: case_group,schema,name1,name2,…).
                    header = [c.casefold() for c in cells]
                    columns, by_schema = _pair_columns(header), "kind" not in header and "schema" in header
                    continue
                if not any(cells):
                    continue
                if columns is not None:
                    cells = [cells[i] if 0 <= i < len(cells) else "" for i in columns]
                    if by_schema:  # a vessel or an aircraft is compared as any name
                        cells[2] = _SCHEMA_KINDS.get(cells[2].casefold(), "any")
                problem = _row_problem(cells)
                if problem:
                    bad += 1
                    out.write(json.dumps({"line": line_number, "error": problem}, ensure_ascii=False) + "\n")
                    continue
                kind = cells[2].casefold() if len(cells) > 2 and cells[2] else "any"
                result = {"line": line_number, "name1": cells[0], "name2": cells[1], "kind": kind}
                result.update(_compare(kb, cells[0], cells[1], kind))
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
        except (UnicodeDecodeError, csv.Error) as error:
            print(f"briefbot match: {path} is not a UTF-8 CSV file ({error}).", file=sys.stderr)
            return EXIT_USAGE
    if bad:
        print(
            f'briefbot match: {bad} row(s) of {path} could not be compared; see their "error" lines.',
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


# FollowTheMoney schema names, as name_bench writes them, for the kinds `match` compares as.
_SCHEMA_KINDS = {"person": "person", "company": "company", "organization": "company", "legalentity": "company"}


def _pair_columns(header: list[str]) -> list[int]:
    """Where name1, name2 and the kind (or FollowTheMoney "schema") are in a header row; -1 for no kind column."""
    kind = next((header.index(c) for c in ("kind", "schema") if c in header), -1)
    return [header.index("name1"), header.index("name2"), kind]


def _row_problem(cells: list[str]) -> str | None:
    if len(cells) < 2 or not cells[0] or not cells[1]:
        return "a row needs two names: name1,name2[,kind]"
    if len(cells) > 3:
        return f"a row has at most 3 columns (name1,name2,kind); this one has {len(cells)}"
    if len(cells) == 3 and cells[2] and cells[2].casefold() not in KINDS:
        return f"unknown kind {cells[2]!r}; use one of {', '.join(KINDS)}"
    return _names_problem(cells[0], cells[1])


def _names_problem(first: str, second: str) -> str | None:
    """What is wrong with the two names to compare, naming which: too long, empty, or nothing to compare."""
    for label, name in (("first", first), ("second", second)):
        if len(name) > MAX_NAME_LENGTH:
            return f"the {label} name is {len(name):,} characters long; names here are under {MAX_NAME_LENGTH}."
        if not clean_text(name):
            return f'the {label} name is empty; give two names, e.g. briefbot match "i-Soon" "I SOON".'
        if not any(char.isalnum() for char in clean_text(name)):
            return f"the {label} name ({name!r}) has no letters or digits to compare."
    return None


def _sources(args: argparse.Namespace, kb: KnowledgeBase, store: Store, held_back: list[SnapshotInfo]) -> int:
    print("Official lists and catalogues in use")
    if not kb.snapshots:
        print("  none: run `briefbot refresh` to load them")
    statuses = RefreshState(store.engine, migrated=True).statuses()
    ages = list_ages(kb.snapshots, now=utc_now(), statuses=statuses)
    for snapshot in kb.snapshots:
        entry = CATALOGUE[snapshot.source]
        print(f"  {snapshot.source:18} {entry.title}")
        print(
            f"  {'':18} {snapshot.dated}, {snapshot.record_count:,} records, imported "
            f"{snapshot.fetched_at:%Y-%m-%d %H:%M} UTC from {mask_text(snapshot.origin)}; licence: {entry.licence}"
        )
        if entry.acknowledgement:
            print(f"  {'':18} acknowledgement: {entry.acknowledgement}")
        if snapshot.note:
            print(f"  {'':18} note: {snapshot.note}")
        if ages[snapshot.source].stale:
            print(f"  {'':18} {ages[snapshot.source].describe()}")
        print(f"  {'':18} {_refresh_status(statuses.get(snapshot.source))}")
    never_loaded = sorted(statuses.keys() - {s.source for s in kb.snapshots})
    for source in never_loaded:
        print(f"  {source:18} {CATALOGUE[source].title}: not loaded yet")
        print(f"  {'':18} {_refresh_status(statuses[source])}")
    for held in held_back:
        print(
            f"  {held.source:18} HELD BACK: snapshot {held.id} ({held.dated}, {held.record_count:,} records, imported "
            f"{held.fetched_at:%Y-%m-%d %H:%M} UTC) is not in use: {held.held_back}"
        )
    curated_sources = [s for s in kb.sources.values() if not is_snapshot_source(s.id)]
    # A card is curated when something other than a list snapshot describes it, or no list does.
    curated_cards = sum(1 for e in kb.entities.values() if not e.records or not all(map(is_snapshot_source, e.sources)))
    print(
        f"\nCurated briefing data: {curated_cards} cards, "
        f"{len(kb.allegations)} allegations, citing {len(curated_sources)} documents"
    )
    for source in sorted(curated_sources, key=lambda s: (s.date is None, s.date, s.id)):
        when = source.date.isoformat() if source.date else "undated"
        print(f"  {when}  {source.by}: {source.title}")
    print(
        f"\nIn all: {len(kb.entities):,} entities, {len(kb.index.names):,} names, {len(kb.sanctions):,} sanctions, "
        f"{len(kb.relations):,} relations"
    )
    print("\nNotices")
    print(notices_text())
    return EXIT_OK


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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _progress(filename: str) -> Callable[[int, int | None], None]:
    def show(received: int, total: int | None) -> None:
        if sys.stderr.isatty():
            of = f" of {total / 1e6:.1f} MB" if total else ""
            print(f"\r  {filename}: {received / 1e6:.1f} MB{of}", end="", file=sys.stderr, flush=True)

    return show


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


def _changes(args: argparse.Namespace, store: Store) -> int:
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


def _snapshots(args: argparse.Namespace, store: Store) -> int:
    found = store.snapshots(args.source)
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


def _refresh(args: argparse.Namespace, store: Store) -> int:
    if args.due and (args.files or args.url or args.source or args.use is not None or args.accept_removals):
        print(
            "briefbot refresh: --due takes every list that is due, and never accepts removals on its own; "
            "give no --source, --file, --url, --use or --accept-removals with it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.as_of and not (args.files or args.url):
        print(
            "briefbot refresh: --as-of dates a file or address you give (--file, --url); from the publisher the "
            "list's date is the one it states.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.due or not (args.files or args.url or args.use is not None):
        return _refresh_from_publishers(args, store)
    try:
        if args.use is not None:
            if args.files or args.url or args.source:
                raise UsageError("--use takes a stored snapshot; give no --file, --url or --source with it.")
            results = [use_snapshot(store, args.use, now=utc_now(), accept_removals=args.accept_removals)]
        else:
            results = refresh(
                store,
                args.source,
                now=utc_now(),
                files=args.files,
                url=args.url,
                as_of=args.as_of,
                progress=_progress,
                max_bytes=args.max_bytes,
                timeout=args.timeout,
                deadline=args.deadline,
                accept_removals=args.accept_removals,
            )
    except BriefbotError as error:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(f"briefbot refresh: {mask_text(str(error))} Nothing was changed.", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILURE
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for result in results:
        print(result.describe())
        # For cron and job logs (BRIEFBOT_LOG_LEVEL=INFO); the terminal has the line above already.
        log.info("refresh: %s", result.describe())
    _cache_new_base(store, changed=any(_changed(result) for result in results))
    # A held-back snapshot needs a person's decision: a cron job's exit status says so.
    return EXIT_FAILURE if any(result.held_back for result in results) else EXIT_OK


def _changed(result: RefreshResult) -> bool:
    return not result.unchanged and not result.held_back


def _refresh_from_publishers(args: argparse.Namespace, store: Store) -> int:
    """Each list on its own: what changed, what was unchanged, what was held back and what failed, list by list."""
    try:
        deadline = args.deadline or deadline_setting()
        settings = FetchSettings(max_bytes=args.max_bytes, timeout=args.timeout, deadline=deadline, progress=_progress)
        if args.due:
            # A scheduled pass never takes a held-back snapshot on its own.
            report = refresh_due(store, now=utc_now(), settings=settings)
        else:
            sources = [args.source] if args.source else [s for s in CATALOGUE if CATALOGUE[s].in_default_set]
            report = refresh_lists(
                store, sources, now=utc_now(), settings=settings, accept_removals=args.accept_removals
            )
    except BriefbotError as error:
        print(f"briefbot refresh: {mask_text(str(error))}", file=sys.stderr)
        return EXIT_FAILURE
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for line in report.lines():
        print(line)
        log.info("refresh: %s", line)
    _cache_new_base(store, changed=bool(report.of(Outcome.CHANGED)))
    return EXIT_FAILURE if report.failed else EXIT_OK


def _cache_new_base(store: Store, *, changed: bool) -> None:
    # A refresh is a batch job: building the new knowledge base here, and caching it, spares the next start on
    # this machine the build, and serving processes load it rather than build it themselves.
    if changed and cache_path(store) is not None and build_and_cache_apart(store):
        print("The knowledge base for the next start is cached.")


def _add_brief_parsers(sub: argparse._SubParsersAction) -> None:
    brief = sub.add_parser("brief", help="a one-page briefing on an entity: Markdown, PDF or a STIX 2.1 bundle")
    brief.add_argument("name", nargs="+", help="the entity, by any of its names")
    brief.add_argument("--format", choices=("md", "pdf", "stix"), default="md", help="what to write (default: md)")
    brief.add_argument("--out", type=Path, metavar="FILE", help="write here (md: the pictures beside it); else stdout")
    brief.add_argument("--force", action="store_true", help="replace files that exist (never through a link)")
    picture = sub.add_parser("picture", help="an entity's relationship graph or timeline as a PNG")
    picture.add_argument("name", nargs="+", help="the entity, by any of its names")
    picture.add_argument("--kind", choices=("graph", "timeline"), default="graph", help="which picture")
    picture.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="where to write the PNG")
    picture.add_argument("--force", action="store_true", help="replace the file if it exists (never through a link)")


def _brief_or_picture(args: argparse.Namespace, bot: Bot) -> int:
    """The entity resolved as /who resolves it; "not found" and "which one?" answered as /who answers them."""
    from adapters.brief_files import OutputError, write_brief, write_picture

    reply = bot.answer(console_request("/who " + " ".join(args.name)))
    if reply.status is not Status.FOUND or not reply.entity:
        print(_offering_this_command(reply, args, bot.kb).text, file=sys.stderr)
        return _exit_code(reply) if reply.status is Status.ERROR else EXIT_USAGE
    try:
        if args.action == "picture":
            written = write_picture(bot.kb, reply.entity["id"], kind=args.kind, out=args.out, force=args.force)
        else:
            written = write_brief(
                bot.kb, reply.entity["id"], fmt=args.format, out=args.out, stdout=sys.stdout, force=args.force
            )
    except OutputError as error:
        print(f"briefbot {args.action}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as error:  # stdout closed or full
        print(f"briefbot {args.action}: cannot write: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _offering_this_command(reply: Reply, args: argparse.Namespace, kb: KnowledgeBase) -> Reply:
    """The "which one?" choices as this same command on each candidate's reference, not as /who."""
    options = f"--kind {args.kind}" if args.action == "picture" else f"--format {args.format}"
    if args.out:
        options += f" --out {shlex.quote(str(args.out))}"
    candidates = [
        c.model_copy(update={"command": f"briefbot {args.action} {reference(kb.entity(c.id))} {options}"})
        for c in reply.candidates
    ]
    return reply.model_copy(update={"candidates": candidates})


if __name__ == "__main__":
    sys.exit(main())
