"""The command line's help at every level, its exit codes, its checks before any work, and its shell completion."""

import argparse
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.cli_args import EXIT_FAILURE, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, parser
from adapters.console import command_completer
from conftest import run_briefbot


def _paths(tree: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the tree: (), ("ask",), ("slack",), ("slack", "serve"), …"""
    found = [path]
    for action in tree._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _paths(child, (*path, name))
    return found


PATHS = _paths(parser())


def test_the_tree_has_every_command_and_the_chat_apps_subcommands():
    assert {("slack", "serve"), ("slack", "manifest"), ("discord", "run"), ("discord", "sync")} <= set(PATHS)
    assert {("status",), ("completion",), ("sources",), ("snapshots",), ("ask",), ("brief",)} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "briefbot")
def test_help_works_at_every_level(path, capsys):
    with pytest.raises(SystemExit) as leaving:
        main([*path, "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {' '.join(('briefbot', *path))}")
    assert "unrecognized arguments" not in out


def test_help_one_level_under_the_chat_apps_works_in_a_process_of_its_own():
    for app, subcommand in (("slack", "serve"), ("discord", "sync")):
        run = run_briefbot(app, "--help")
        assert run.returncode == 0 and run.stderr == "", run.stderr
        assert run.stdout.startswith(f"usage: briefbot {app}") and subcommand in run.stdout


def test_an_unknown_subcommand_of_a_chat_app_is_a_usage_error():
    run = run_briefbot("slack", "serv")
    assert run.returncode == EXIT_USAGE and "invalid choice: 'serv'" in run.stderr and "Traceback" not in run.stderr


# --- one exit-code convention ---


def test_ask_exits_0_found_1_not_found_or_which_one_2_usage(capsys):
    assert main(["ask", "/who i-Soon"]) == EXIT_OK
    assert main(["ask", "/who Qwxzyv Plorkton Holdings"]) == EXIT_NOT_FOUND
    assert "No entity matching" in capsys.readouterr().out
    assert main(["ask", "/who Ali"]) == EXIT_NOT_FOUND
    assert "Which one do you mean?" in capsys.readouterr().out
    assert main(["ask", "/frobnicate"]) == EXIT_USAGE


def test_brief_and_picture_exit_1_for_a_name_not_found_as_ask_does(tmp_path):
    brief = run_briefbot("brief", "Qwxzyv Plorkton Holdings")
    picture = run_briefbot("picture", "Qwxzyv Plorkton Holdings", "--out", str(tmp_path / "x.png"))
    assert (brief.returncode, picture.returncode) == (EXIT_NOT_FOUND, EXIT_NOT_FOUND)
    assert "No entity matching" in brief.stderr and "No entity matching" in picture.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_failure_to_write_exits_3():
    assert run_briefbot("picture", "i-Soon", "--out", "/dev/full", "--force").returncode == EXIT_FAILURE


# --- checks before any work ---


def test_a_pdf_is_never_written_to_a_terminal():
    leader, follower = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "adapters.cli", "brief", "i-Soon", "--format", "pdf"],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
        os.close(follower)
        written = b""
        try:
            while chunk := os.read(leader, 4096):
                written += chunk
        except OSError:  # the terminal's other end is closed: all was read
            pass
    finally:
        os.close(leader)
    assert run.returncode == EXIT_USAGE
    assert "a PDF is binary and is not written to a terminal; give --out FILE.pdf" in run.stderr
    assert b"%PDF" not in written


def test_a_pdf_to_a_pipe_is_written():
    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "brief", "i-Soon", "--format", "pdf"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == EXIT_OK and run.stdout.startswith(b"%PDF")


def test_discord_run_without_a_token_says_so_before_loading_anything():
    env = {key: value for key, value in os.environ.items() if key != "DISCORD_TOKEN"}
    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "discord", "run"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**env, "BRIEFBOT_LOG_LEVEL": "INFO"},
    )
    assert run.returncode == EXIT_USAGE
    assert run.stderr.strip() == (
        "briefbot discord: DISCORD_TOKEN is not set: export it (or put it in the .env file) with a bot token from "
        "the Developer Portal."
    )


def test_a_slack_manifest_for_plain_http_is_refused():
    run = run_briefbot("slack", "manifest", "--request-url", "http://bot.example.org/slack/events")
    assert run.returncode == EXIT_USAGE and run.stdout == ""
    assert "must be a public https:// address" in run.stderr
    good = run_briefbot("slack", "manifest", "--request-url", "https://bot.example.org/slack/events")
    assert good.returncode == EXIT_OK and '"url": "https://bot.example.org/slack/events"' in good.stdout


# --- shell completion ---


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_is_printed_for_each_shell(shell):
    run = run_briefbot("completion", shell)
    assert run.returncode == EXIT_OK and "briefbot" in run.stdout and "_ARGCOMPLETE" in run.stdout


def test_tab_completes_commands_and_options_from_the_tree(tmp_path: Path):
    def complete(line: str) -> set[str]:
        out = tmp_path / "completions"
        env = {
            **os.environ,
            "_ARGCOMPLETE": "1",
            "COMP_LINE": line,
            "COMP_POINT": str(len(line)),
            "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
        }
        subprocess.run([sys.executable, "-m", "adapters.cli"], env=env, timeout=60, check=True, capture_output=True)
        return {word.strip() for word in out.read_text().split("\x0b")}

    assert complete("briefbot sl") == {"slack"}
    assert {"serve", "manifest"} <= complete("briefbot slack ")
    assert "--request-url" in complete("briefbot slack manifest --")
    assert {"bash", "zsh", "fish"} <= complete("briefbot completion ")


# --- each command imports what it needs ---

_IMPORTED = """
import json, sys
from adapters.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""
# The chat libraries, the web server, the metrics, the pictures and the PDF writer: none of them answers a question.
_NOT_FOR_ASK = {"slack_bolt", "slack_sdk", "discord", "aiohttp", "waitress", "prometheus_client", "PIL", "fpdf"}


def _imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    return _answered_and_imported(*args, env=env)[1]


def _answered_and_imported(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """What the command printed, and the top-level packages it imported."""
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    *printed, imported = run.stdout.strip().splitlines()
    return "\n".join(printed), set(json.loads(imported))


def test_ask_imports_no_chat_library_picture_or_pdf_writer():
    imported = _imported("ask", "/who i-Soon")
    assert "knowledge" in imported and not imported & _NOT_FOR_ASK


def test_a_cached_ask_on_sqlite_imports_no_sqlalchemy_and_answers_as_the_first_start(tmp_path: Path):
    cached = {
        "BRIEFBOT_DB": str(tmp_path / "store.sqlite3"),
        "BRIEFBOT_CACHE": "on",
        "BRIEFBOT_CACHE_DIR": str(tmp_path / "cache"),
    }
    first, imported_first = _answered_and_imported("ask", "/who i-Soon", env=cached)
    again, imported_again = _answered_and_imported("ask", "/who i-Soon", env=cached)
    # The first start builds the store and the cache through SQLAlchemy; a cached one reads the store with sqlite3.
    assert "sqlalchemy" in imported_first and "sqlalchemy" not in imported_again
    assert again == first and "Sichuan Anxun" in again
    # A command that needs more of the store than a card (the digest tables, the snapshots) opens it.
    uncached = {**cached, "BRIEFBOT_CACHE": "off"}
    for command in ("/status", "/digest settings"):
        answer, imported = _answered_and_imported("ask", command, env=cached)
        assert answer == _answered_and_imported("ask", command, env=uncached)[0] and "sqlalchemy" in imported


def test_help_and_completion_import_neither_the_store_nor_the_chat_libraries():
    for args in (("--help",), ("slack", "--help"), ("discord", "run", "--help"), ("completion", "bash")):
        imported = _imported(*args)
        assert not imported & {"sqlalchemy", *_NOT_FOR_ASK}, args


def test_tab_in_the_console_completes_the_commands():
    complete = command_completer(["who", "related", "sanctions", "status"])
    assert [complete("/s", n) for n in range(3)] == ["/sanctions ", "/status ", None]
    assert complete("/wh", 0) == "/who " and complete("who", 0) is None
