"""`briefbot refresh`: a new snapshot of a list from files, an address, a stored snapshot or its publisher."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from adapters.cli_args import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from bot.service import utc_now
from knowledge.errors import BriefbotError, UsageError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.download import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, deadline_setting
from knowledge.lists.masking import mask_text
from knowledge.lists.refresh import RefreshResult, refresh, use_snapshot
from knowledge.lists.schedule import FetchSettings, Outcome, refresh_due, refresh_lists
from knowledge.loading import build_and_cache_apart, cache_path
from knowledge.store.database import Store

__all__ = ["run_refresh"]

log = logging.getLogger(__name__)


def _progress(filename: str) -> Callable[[int, int | None], None]:
    def show(received: int, total: int | None) -> None:
        if sys.stderr.isatty():
            of = f" of {total / 1e6:.1f} MB" if total else ""
            print(f"\r  {filename}: {received / 1e6:.1f} MB{of}", end="", file=sys.stderr, flush=True)

    return show


def run_refresh(args: argparse.Namespace, store: Store) -> int:
    """Refresh as the arguments ask; 0 done, 2 a usage error, 3 a list failed or a snapshot was held back."""
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
                max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
                timeout=args.timeout or DEFAULT_TIMEOUT,
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
        settings = FetchSettings(
            max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
            timeout=args.timeout or DEFAULT_TIMEOUT,
            deadline=deadline,
            progress=_progress,
        )
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
