# PYTHON_ARGCOMPLETE_OK (tells argcomplete that this command completes its own arguments)
"""The `briefbot` command line: one-shot questions, an interactive console, name matching and sources."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import logging
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from adapters.cli_args import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    KINDS,
    parser,
)

if TYPE_CHECKING:
    from bot.digest.store import DigestStore
    from bot.reply import Reply
    from bot.request import Request
    from bot.service import Bot
    from knowledge.base import KnowledgeBase
    from knowledge.store.database import Store

# Only what every command needs is imported above: each command imports its own parts when it runs, so that
# `briefbot ask` never loads the chat libraries, the pictures or the PDF writer, and `--help` answers at once.

__all__ = ["EXIT_FAILURE", "EXIT_NOT_FOUND", "EXIT_OK", "EXIT_USAGE", "main"]

log = logging.getLogger(__name__)


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
    tree = parser()
    if "_ARGCOMPLETE" in os.environ:
        # The shell asks for completions (Tab, after `briefbot completion SHELL` was loaded): argcomplete answers
        # from the argument tree and exits, before anything else is imported.
        import argcomplete

        argcomplete.autocomplete(tree)
    args = tree.parse_args(argv)
    if args.action == "completion":
        return _completion(args.shell)
    problem = _settings_problem(args) or _output_problem(args)
    if problem:
        print(f"briefbot: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "slack":
        from adapters.slack_app import run as run_slack

        return run_slack(args)
    if args.action == "discord":
        from adapters.discord_app import run as run_discord

        return run_discord(args)
    from knowledge.errors import BriefbotError, UsageError

    try:
        return _with_store(args)
    except UsageError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_FAILURE


def _settings_problem(args: argparse.Namespace) -> str | None:
    """Every setting read and checked before anything is loaded: a bad one is one line naming it."""
    from adapters.logs import configure_logging
    from adapters.tokens import ConfigError
    from knowledge.errors import UsageError
    from knowledge.lists.settings import check_list_settings

    try:
        configure_logging(server=_serves(args))
        check_list_settings()
    except (ConfigError, UsageError) as error:
        return str(error)
    return None


def _output_problem(args: argparse.Namespace) -> str | None:
    """Binary output is never written to a terminal, where it would garble the screen: said before any work."""
    if args.action == "brief" and args.format == "pdf" and args.out is None and sys.stdout.isatty():
        return (
            "a PDF is binary and is not written to a terminal; give --out FILE.pdf, or redirect the output "
            "(briefbot brief … --format pdf > FILE.pdf)."
        )
    return None


def _completion(shell: str) -> int:
    """The completion script of `shell` for the `briefbot` command, from argcomplete (which completes from this same
    argument tree each time Tab is pressed)."""
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["briefbot"], shell=shell))
    return EXIT_OK


def _with_store(args: argparse.Namespace) -> int:
    from bot.service import Bot, utc_now
    from knowledge.loading import load_cached, load_knowledge, prepare_store
    from knowledge.store.lazy import OnFirstUse, open_store

    if args.action in ("migrate", "refresh", "changes", "snapshots", "digest", "screen", "audit"):
        return _on_store(args)
    # A cached start skips preparing the store: the cache is only found when nothing was left to prepare. On SQLite
    # it reads the store without SQLAlchemy, which is imported only when something needs more (a build, a write).
    store = open_store()
    kb = load_cached(store)
    if kb is None:
        prepare_store(store, now=utc_now())
        kb = load_knowledge(store)
    bot = Bot(kb, store=store, digests=OnFirstUse(lambda: _digests(store)))
    if args.action in ("brief", "picture"):
        return _brief_or_picture(args, bot)
    if args.action == "ask":
        return _ask(args, bot)
    if args.action == "chat":
        from adapters.console import run_console

        return run_console(bot, request=console_request)
    if args.action == "match":
        return _match(args, kb)
    from adapters.cli_lists import print_sources, print_status

    if args.action == "status":
        return print_status(args, bot)
    return print_sources(args, kb, store)


def _on_store(args: argparse.Namespace) -> int:
    """The commands that work on the store itself, opened at once."""
    from bot.service import utc_now
    from knowledge.loading import load_knowledge, prepare_store
    from knowledge.store.database import Store

    store = Store.open()
    if args.action == "migrate":
        return _migrate(store)
    prepare_store(store, now=utc_now())
    if args.action in ("screen", "audit"):
        from adapters import screen_cli

        return screen_cli.run(args, store, lambda: load_knowledge(store))
    return _store_action(args, store)


def _digests(store: Store) -> DigestStore:
    from bot.digest.store import DigestStore

    return DigestStore(store.engine)


def _store_action(args: argparse.Namespace, store: Store) -> int:
    """The commands that work on the store itself (prepared: bundled extracts seeded, curated data recorded)."""
    if args.action == "refresh":
        from adapters.cli_refresh import run_refresh

        return run_refresh(args, store)
    if args.action == "changes":
        from adapters.cli_lists import print_changes

        return print_changes(args, store)
    if args.action == "snapshots":
        from adapters.cli_lists import print_snapshots

        return print_snapshots(args, store)
    from adapters.digest_worker import run_digests

    return run_digests(store, once=args.once)


def _serves(args: argparse.Namespace) -> bool:
    """Whether the command runs as a server (logging at INFO by default) rather than a one-shot command."""
    if args.action == "slack":
        return args.slack_action == "serve"
    if args.action == "discord":
        return args.discord_action == "run"
    return args.action == "digest"


def _migrate(store: Store) -> int:
    """The release step: the schema brought up to date, then the knowledge base built and cached, so serving
    processes load it rather than build it."""
    from bot.digest.store import DigestStore
    from bot.service import utc_now
    from knowledge.loading import build_and_cache, prepare_store

    digests = DigestStore(store.engine)
    print(f"store schema: knowledge v{store.schema_version()}, digest v{digests.schema_version()}; up to date.")
    prepare_store(store, now=utc_now())
    kb = build_and_cache(store)
    if kb is not None:
        print(f"knowledge base built and cached for serving: {len(kb.entities):,} entities.")
    return EXIT_OK


def _exit_code(reply: Reply) -> int:
    """0 for an answer, 1 for none (not found, or "which one?"), 2 for a usage error, 3 for a failure."""
    from bot.reply import Status

    if reply.status is Status.ERROR:
        return EXIT_USAGE if reply.error_kind == "usage" else EXIT_FAILURE
    return EXIT_NOT_FOUND if reply.status in (Status.NOT_FOUND, Status.AMBIGUOUS) else EXIT_OK


def console_request(text: str) -> Request:
    """A request typed at this machine: its own console channel, which whoever runs it may manage."""
    from bot.request import Request

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
    from bot.parsing import MAX_NAME_LENGTH
    from knowledge.names.normalise import clean_text

    for label, name in (("first", first), ("second", second)):
        if len(name) > MAX_NAME_LENGTH:
            return f"the {label} name is {len(name):,} characters long; names here are under {MAX_NAME_LENGTH}."
        if not clean_text(name):
            return f'the {label} name is empty; give two names, e.g. briefbot match "i-Soon" "I SOON".'
        if not any(char.isalnum() for char in clean_text(name)):
            return f"the {label} name ({name!r}) has no letters or digits to compare."
    return None


def _brief_or_picture(args: argparse.Namespace, bot: Bot) -> int:
    """The entity resolved as /who resolves it; "not found" and "which one?" answered as /who answers them."""
    from adapters.brief_files import OutputError, write_brief, write_picture
    from bot.reply import Status

    reply = bot.answer(console_request("/who " + " ".join(args.name)))
    if reply.status is not Status.FOUND or not reply.entity:
        print(_offering_this_command(reply, args, bot.kb).text, file=sys.stderr)
        return _exit_code(reply)
    try:
        if args.action == "picture":
            written = write_picture(bot.kb, reply.entity["id"], kind=args.kind, out=args.out, force=args.force)
        else:
            from bot.briefs import Tlp

            written = write_brief(
                bot.kb,
                reply.entity["id"],
                fmt=args.format,
                out=args.out,
                stdout=sys.stdout,
                force=args.force,
                store=bot.store,
                tlp=Tlp.parse(args.tlp),
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
    from knowledge.references import reference

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
