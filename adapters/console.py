"""The interactive console: line editing and history through readline, /help, Ctrl-D to leave."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from platformdirs import user_data_dir

from adapters.console_screening import ConsoleScreening, is_screening
from bot.ask.follow_up import subject_reference
from bot.request import Request
from bot.service import Bot

__all__ = ["command_completer", "run_console"]

PROMPT = "briefbot> "
HISTORY_LENGTH = 1000
_LEAVE = frozenset({"/quit", "/exit", "quit", "exit"})


def _history_file() -> Path:
    return Path(user_data_dir("briefbot")) / "console_history"


def command_completer(names: Iterable[str]) -> Callable[[str, int], str | None]:
    """readline's completer for the first word of a line: Tab after "/su" gives "/subscribe"… from the commands."""
    commands = sorted(f"/{name}" for name in names)

    def complete(text: str, state: int) -> str | None:
        matches = [command + " " for command in commands if command.startswith(text)] if text.startswith("/") else []
        return matches[state] if state < len(matches) else None

    return complete


def _load_history(commands: Iterable[str]) -> object | None:
    try:
        import readline
    except ImportError:  # Windows without pyreadline: the console still works, without history.
        return None
    path = _history_file()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    # Tab completes the commands; "/" is part of a word, so "/wh" completes as one.
    readline.set_completer(command_completer(commands))
    readline.set_completer_delims(" \t\n")
    readline.parse_and_bind("bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete")
    return readline


def _save_history(readline: object | None) -> None:
    if readline is None:
        return
    path = _history_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)  # type: ignore[attr-defined]
    except OSError:
        # No writable home (a container, a CI job): history is a convenience, not worth an error.
        pass


def run_console(bot: Bot, *, request: Callable[[str], Request] = Request.of_text) -> int:
    """Read commands until Ctrl-D or /quit, printing each reply; returns the exit code."""
    interactive = sys.stdin.isatty()
    readline = _load_history(command.name for command in bot.registry) if interactive else None
    if interactive:
        print("briefbot console — type /help for commands, Ctrl-D to leave.")
    about: str | None = None
    screening = ConsoleScreening(bot)
    try:
        while True:
            try:
                line = input(PROMPT if interactive else "")
            except EOFError:
                break
            except KeyboardInterrupt:
                print()
                continue
            if not line.strip():
                continue
            if line.strip().casefold() in _LEAVE:
                break
            if is_screening(line):
                print(screening.handle(line, lambda: input("")))
                print()
                continue
            # A follow-up ("who sanctioned them?") is about the entity of the last answer that had one, as in a
            # Slack thread.
            asked = request(line)
            reply = bot.answer(asked.model_copy(update={"about": about}) if about else asked)
            about = subject_reference(reply, bot.kb) or about
            print(reply.text)
            print()
            bot.delivered(reply)
    finally:
        _save_history(readline)
    return 0
