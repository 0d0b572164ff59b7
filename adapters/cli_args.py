"""The `briefbot` argument tree, every command and option at every level, built without importing the heavy parts
(the store, the chat libraries, the pictures), so that help and shell completion answer at once."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from knowledge.lists.catalogue import CATALOGUE

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_USAGE",
    "KINDS",
    "SHELLS",
    "discord_parser",
    "parser",
    "slack_parser",
]

# One convention for every command, as grep's: 0 found or done, 1 nothing found (no answer, or "which one?"),
# 2 a usage or configuration error (nothing was tried), 3 a failure while doing it (store, download, disk, platform).
EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_FAILURE = 3
EXIT_INTERRUPTED = 130
KINDS = ("company", "person", "any")
SHELLS = ("bash", "zsh", "fish")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own exit code for usage errors is 2 too; this only keeps the message short and polite.
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked for: importing importlib.metadata and
    reading it took a twentieth of every start."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib import metadata

        try:
            version = metadata.version("briefbot")
        except metadata.PackageNotFoundError:
            version = "unknown (not installed)"
        sys.stdout.write(f"briefbot {version}\n")  # on standard output, as argparse's own version action writes it
        parser.exit()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    """The whole tree: `briefbot ACTION …`, with `slack` and `discord` and their own subcommands."""
    top = _Parser(
        prog="briefbot",
        description="Briefings on sanctioned entities, with sources.",
        epilog="Exit status: 0 found or done, 1 nothing found, 2 a usage or settings error, 3 a failure. Settings come "
        "from the environment, then a .env file (BRIEFBOT_ENV_FILE, else ./.env). Each command has its own --help.",
    )
    top.add_argument("--version", action=_Version)
    sub = top.add_subparsers(dest="action", required=True, metavar="COMMAND", parser_class=_Parser)

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

    sources = sub.add_parser("sources", help="what data is loaded, as of when, and the publishers' notices")
    sources.add_argument("--json", action="store_true", help="one JSON document instead of text")
    snapshots = sub.add_parser("snapshots", help="every stored snapshot of the lists: in use, held back or history")
    snapshots.add_argument("source", nargs="?", choices=list(CATALOGUE), metavar="SOURCE", help="one list only")
    snapshots.add_argument("--json", action="store_true", help="one JSON document instead of a table")
    status = sub.add_parser("status", help="the lists loaded, their editions and freshness, last refresh and digest")
    status.add_argument("--json", action="store_true", help="one JSON document instead of text")
    sub.add_parser("migrate", help="bring the store's schema up to date (the Procfile's release process)")

    digest = sub.add_parser("digest", help="the digest delivery loop, for a clock or cron process")
    digest.add_argument("run", choices=["run"], help="run the loop: wakes each minute and sends due digests")
    digest.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")

    changes = sub.add_parser("changes", help="what changed on the lists: designations added, removed, amended")
    changes.add_argument("--since", type=_date, required=True, help="events of snapshots on or after this date")
    changes.add_argument("--source", choices=[*CATALOGUE, "curated"], help="one list only")
    changes.add_argument("--json", action="store_true", help="one JSON document: the summary and the events")

    _add_refresh(sub)
    _add_briefs(sub)
    _add_screening(sub)
    _add_slack(sub.add_parser("slack", help="the Slack app: serve --http|--socket, or manifest"))
    _add_discord(sub.add_parser("discord", help="the Discord app: run, or sync [--guild ID] [--dry-run]"))
    completion = sub.add_parser(
        "completion", help='print the shell completion script, e.g. eval "$(briefbot completion bash)"'
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    return top


def _add_refresh(sub: argparse._SubParsersAction) -> None:
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
    # No defaults here: the downloader's own apply (and importing it would cost every start its HTTP modules).
    refresh.add_argument("--max-bytes", type=int, help="download size cap in bytes (default 300 MiB)")
    refresh.add_argument("--timeout", type=float, help="each read's timeout in seconds (default 60)")
    refresh.add_argument(
        "--deadline",
        type=float,
        help="each whole download's limit in seconds, retries included (default BRIEFBOT_DOWNLOAD_DEADLINE or 300)",
    )


def _add_briefs(sub: argparse._SubParsersAction) -> None:
    brief = sub.add_parser("brief", help="a briefing on an entity, TLP-marked: Markdown, PDF or a STIX 2.1 bundle")
    brief.add_argument("name", nargs="+", help="the entity, by any of its names")
    brief.add_argument("--format", choices=("md", "pdf", "stix"), default="md", help="what to write (default: md)")
    brief.add_argument(
        "--out", type=Path, metavar="FILE", help="write here (md: the pictures beside it); else stdout (not pdf)"
    )
    brief.add_argument("--force", action="store_true", help="replace files that exist (never through a link)")
    brief.add_argument(
        "--tlp",
        type=_tlp_label,
        default="clear",
        metavar="LABEL",
        help="the TLP 2.0 marking: clear (default: public-list content), green, amber, amber+strict or red",
    )
    picture = sub.add_parser("picture", help="an entity's relationship graph or timeline as a PNG")
    picture.add_argument("name", nargs="+", help="the entity, by any of its names")
    picture.add_argument("--kind", choices=("graph", "timeline"), default="graph", help="which picture")
    picture.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="where to write the PNG")
    picture.add_argument("--force", action="store_true", help="replace the file if it exists (never through a link)")


# The decisions on a possible match (bot.screening.audit.DECISIONS, not imported here: it loads the store's tables);
# a test holds the two alike.
DECISION_KEYS = ("escalate", "not-same", "watch")


def _add_screening(sub: argparse._SubParsersAction) -> None:
    screen = sub.add_parser(
        "screen", help="screen a CSV or XLSX file of names against the lists: a summary, and every row in CSV and HTML"
    )
    screen.add_argument(
        "file",
        help="a CSV or XLSX file (columns: name, and country and date of birth if any); - reads "
        "names from standard input, one a line",
    )
    screen.add_argument("--as-of", metavar="YYYY-MM-DD", help="screen against the list editions in use on that date")
    screen.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="where to write the result files")
    screen.add_argument("--json", action="store_true", help="print the summary as JSON")
    audit = sub.add_parser(
        "audit",
        help="the screening record: export it, record a decision on a possible match, or purge what is past retention",
    )
    actions = audit.add_subparsers(dest="audit_action", required=True)
    export = actions.add_parser(
        "export", help="every screening, row, decision and change of who may decide since a date, as CSV and JSON"
    )
    export.add_argument("--since", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--out", type=Path, default=Path("."), metavar="DIR")
    decide = actions.add_parser("decide", help="record a decision on one candidate of a screened row")
    decide.add_argument("screening")
    decide.add_argument("row", type=int)
    decide.add_argument("reference", help="the candidate's reference, as the result file gives it (ofac:47800)")
    decide.add_argument("--decision", required=True, choices=DECISION_KEYS)
    decide.add_argument("--reason", required=True)
    purge = actions.add_parser(
        "purge",
        help="the screenings, rows and decisions past retention (BRIEFBOT_AUDIT_RETENTION_YEARS): shows what would "
        "go; --yes deletes them",
    )
    purge.add_argument("--yes", action="store_true", help="delete them (without it, only say what would go)")


# TLP 2.0's labels, as `brief --tlp` takes them (bot.briefs.Tlp reads them; it is not imported here, to keep the
# argument tree light).
TLP_LABELS = ("clear", "green", "amber", "amber+strict", "red")


def _tlp_label(text: str) -> str:
    label = text.strip().lower().replace("-", "+").replace("_", "+").removeprefix("tlp:")
    if label not in TLP_LABELS:
        labels = ", ".join(f"TLP:{label.upper()}" for label in TLP_LABELS)
        raise argparse.ArgumentTypeError(f"{text!r} is not a TLP 2.0 label; use one of {labels}")
    return label


def _add_slack(slack: argparse.ArgumentParser) -> None:
    sub = slack.add_subparsers(dest="slack_action", required=True, metavar="COMMAND", parser_class=_Parser)
    serve = sub.add_parser("serve", help="run the app")
    mode = serve.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--http", action="store_true", help="serve signed HTTP requests at /slack/events (PORT, default 3000)"
    )
    mode.add_argument("--socket", action="store_true", help="Socket Mode: no public URL (needs SLACK_APP_TOKEN)")
    serve.add_argument("--no-digests", action="store_true", help="do not run the digest loop in this process")
    made = sub.add_parser("manifest", help="print the app manifest for Slack's 'create an app from a manifest'")
    where = made.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket", action="store_true", help="Socket Mode manifest")
    where.add_argument("--request-url", help="HTTP mode: the public https:// URL of /slack/events")


def _add_discord(discord: argparse.ArgumentParser) -> None:
    sub = discord.add_subparsers(dest="discord_action", required=True, metavar="COMMAND", parser_class=_Parser)
    sub.add_parser("run", help="connect to the gateway and answer commands (DISCORD_TOKEN)")
    sync = sub.add_parser("sync", help="register the slash commands, only if they changed")
    sync.add_argument("--guild", type=int, help="a test server's id: commands show at once there")
    sync.add_argument("--dry-run", action="store_true", help="print the JSON it would send; needs no token")


def slack_parser() -> argparse.ArgumentParser:
    """`briefbot slack …` on its own, as `adapters.slack_app.main` parses its arguments."""
    slack = _Parser(prog="briefbot slack")
    _add_slack(slack)
    return slack


def discord_parser() -> argparse.ArgumentParser:
    """`briefbot discord …` on its own, as `adapters.discord_app.main` parses its arguments."""
    discord = _Parser(prog="briefbot discord")
    _add_discord(discord)
    return discord
