"""The command registry: each command declared once, its docstring its help text on every platform."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from bot.context import Context
    from bot.reply import Reply

__all__ = ["Command", "Option", "Registry", "command"]

Handler = Callable[[str, "Context"], "Reply"]


@dataclass(frozen=True, slots=True)
class Option:
    """One argument of a command, as platforms with typed options (Discord) declare it."""

    name: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    handler: Handler
    options: tuple[Option, ...] = ()
    examples: tuple[str, ...] = ()
    subcommands: tuple[str, ...] = field(default=())

    @property
    def help(self) -> str:
        return inspect.cleandoc(self.handler.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.help.splitlines()[0] if self.help else self.name


def command(
    name: str, *, usage: str, options: Iterable[Option] = (), examples: Iterable[str] = ()
) -> Callable[[Handler], Command]:
    """Declare a command: `@command("who", usage="/who NAME")` over a handler whose docstring is its help."""

    def declare(handler: Handler) -> Command:
        return Command(name, usage, handler, tuple(options), tuple(examples))

    return declare


class Registry:
    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = {c.name: c for c in commands}

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def suggest(self, name: str) -> list[str]:
        hits = process.extract(name, list(self._commands), scorer=fuzz.ratio, score_cutoff=50, limit=2)
        return [hit for hit, _, _ in hits]
