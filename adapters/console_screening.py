"""/screen and /decide in the console: names pasted after /screen (a blank line ends them) or a file's path."""

from __future__ import annotations

import getpass
import re
import shlex
from collections.abc import Callable
from pathlib import Path

from adapters.screen_cli import screener_for
from bot.as_of import split_as_of
from bot.screening.audit import DECISIONS
from bot.screening.service import Screener, Who
from bot.service import Bot
from knowledge.errors import BriefbotError

__all__ = ["ConsoleScreening", "is_screening"]

_COMMAND = re.compile(r"^\s*/(screen|decide)\b", re.IGNORECASE)
USAGE = (
    "Usage: /screen, then one name a line (optionally ; country ; date of birth) and a blank line to finish; "
    "/screen FILE.csv|FILE.xlsx; /screen NAME. Add “as of YYYY-MM-DD” to the /screen line for the lists of that date.\n"
    "Decide on a possible match: /decide SCREENING ROW REFERENCE not-same|escalate|watch REASON"
)


def is_screening(line: str) -> bool:
    return _COMMAND.match(line) is not None


class ConsoleScreening:
    """Screens in the console, writing the result files into the current folder; the record as on any platform."""

    def __init__(self, bot: Bot, *, folder: Path | None = None) -> None:
        self._bot = bot
        self._screener: Screener | None = None
        self._folder = folder or Path.cwd()

    @property
    def screener(self) -> Screener:
        if self._screener is None:
            self._screener = screener_for(self._bot)
        return self._screener

    def handle(self, line: str, read_line: Callable[[], str]) -> str:
        """The text to print for a /screen or /decide line; further lines of names are read with `read_line`."""
        who = Who(platform="cli", user=getpass.getuser())
        try:
            if line.strip().lower().startswith("/decide"):
                return self._decide(line, who)
            return self._screen(line.strip()[len("/screen") :].strip(), read_line, who)
        except BriefbotError as error:
            return f"{error}\n{USAGE}"

    def _screen(self, rest: str, read_line: Callable[[], str], who: Who) -> str:
        target, day = split_as_of(rest)
        as_of = f"\nas of {day.isoformat()}" if day else ""
        path = Path(target).expanduser() if target else None
        if path is not None and path.is_file():
            outcome = self.screener.screen_upload(
                path.read_bytes(), path.name, who, as_of=day.isoformat() if day else None
            )
        else:
            lines = [target] if target else []
            while not target:
                try:
                    text = read_line()
                except EOFError:
                    break
                if not text.strip():
                    break
                lines.append(text)
            outcome = self.screener.screen_pasted("\n".join(lines) + as_of, who)
        written = []
        for name, data in outcome.files.items():
            with open(self._folder / name, "xb") as out:  # never replaces a file: a result is evidence
                out.write(data)
            written.append(name)
        decide = ""
        if outcome.screening.to_decide() and self.screener.audit is not None:
            decide = f"\nDecide with: /decide {outcome.screening.id} ROW REFERENCE not-same|escalate|watch REASON"
        return f"{outcome.reply.text}\n\nWritten: {', '.join(written)}{decide}"

    def _decide(self, line: str, who: Who) -> str:
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        if len(words) < 6 or words[4] not in DECISIONS:
            return USAGE
        decision = self.screener.decide(
            screening_id=words[1],
            row_number=int(words[2]) if words[2].isdigit() else -1,
            reference=words[3],
            decision=words[4],
            reason=" ".join(words[5:]),
            who=who,
        )
        return (
            f"Recorded: {DECISIONS[decision.decision]} on row {decision.row_number} ({decision.entity_reference}) by "
            f"{decision.decided_by} at {decision.decided_at:%Y-%m-%d %H:%M} UTC."
        )
