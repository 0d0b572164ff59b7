"""The labelled analyst questions of shared/data/questions/ask_dev.tsv, each asked as `briefbot ask` asks it on every
real list, graded by the rule of that folder's README; prints the pass count and each failure.

python -m bench.questions [--store STORE] [--questions TSV] [--real DIR] [--lines N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.datasets import load_real_lists
from knowledge.store.database import Store

__all__ = ["Graded", "Row", "grade", "main", "read_rows"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONS = ROOT.parent / "shared" / "data" / "questions" / "ask_dev.tsv"
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"
# Lines of a failing answer printed under it: enough to see how the question was read.
SHOWN_LINES = 6


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled question: terms (each a tuple of alternatives) the answer must hold, and must not."""

    question: str
    must: tuple[tuple[str, ...], ...]
    must_not: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Graded:
    row: Row
    text: str
    missing: tuple[str, ...]
    forbidden: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.forbidden


def _terms(cell: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(a.strip() for a in term.split("/") if a.strip()) for term in cell.split("|") if term.strip())


def read_rows(path: Path) -> list[Row]:
    """The rows of the question file; its `#` header and blank lines skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [*line.split("\t"), "", "", ""][:3]
        rows.append(Row(cells[0].strip(), _terms(cells[1]), _terms(cells[2])))
    return rows


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def _holds(text: str, term: str) -> bool:
    """Whether the plain answer holds the term; a term of digits only stands alone, never inside a longer number,
    date or id ("15" is not in "2024-03-15" nor in "150")."""
    term = _plain(term)
    if not term.isdigit():
        return term in text
    alone = rf"(?<!\w)(?<!\d[.,/:-]){re.escape(term)}(?!\w)(?![.,/:-]\d)"
    return re.search(alone, text) is not None


def grade(row: Row, answer: str) -> Graded:
    """The README's rule: every must term (one of its alternatives) present, no must_not term present,
    case-insensitive with runs of whitespace collapsed."""
    text = _plain(answer)
    missing = tuple("/".join(term) for term in row.must if not any(_holds(text, a) for a in term))
    forbidden = tuple(a for term in row.must_not for a in term if _holds(text, a))
    return Graded(row, answer, missing, forbidden)


def _answers(rows: list[Row], store_path: str) -> list[str]:
    """Each question asked as `briefbot ask "<question>"` asks it: the console's request, the bot's plain text."""
    from adapters.cli import console_request
    from bot.service import Bot
    from knowledge.loading import load_knowledge

    store = Store.open(store_path)
    # As the console builds it: the store beside the knowledge base (what changed between editions is read there).
    bot = Bot(load_knowledge(store), store=store)
    return [bot.answer(console_request(row.question)).text for row in rows]


def _report(results: list[Graded], lines: int) -> str:
    passed = sum(g.passed for g in results)
    out = [f"{passed}/{len(results)} questions pass"]
    for number, graded in enumerate(results, start=1):
        if graded.passed:
            continue
        out.append(f"\nFAIL {number}: {graded.row.question}")
        if graded.missing:
            out.append("  missing: " + " | ".join(graded.missing))
        if graded.forbidden:
            out.append("  forbidden present: " + " | ".join(graded.forbidden))
        out += [f"  > {line}" for line in graded.text.splitlines()[:lines]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.questions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="a store with the real lists loaded already (else they are loaded afresh)")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="the labelled questions (TSV)")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="the real lists, when no --store is given")
    parser.add_argument("--lines", type=int, default=SHOWN_LINES, help="lines of each failing answer shown")
    args = parser.parse_args(argv)
    rows = read_rows(args.questions)
    if args.store:
        answers = _answers(rows, args.store)
    else:
        # A store of its own, built as the benchmark builds its real set, and no cache of it left behind.
        os.environ["BRIEFBOT_CACHE"] = "off"
        from knowledge.loading import prepare_store

        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "real.sqlite3")
            now = dt.datetime.now(dt.UTC)
            store = Store.open(path)
            prepare_store(store, now=now)
            load_real_lists(store, args.real, now=now)
            store.engine.dispose()
            answers = _answers(rows, path)
    results = [grade(row, text) for row, text in zip(rows, answers, strict=True)]
    print(_report(results, args.lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
