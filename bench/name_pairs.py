"""Pairwise name scoring on labelled pairs (name_bench): precision, recall, F1 and time per pair, beside rapidfuzz.

python -m bench.name_pairs [CSV] prints the figures and, with --errors, every pair the verdict gets wrong; with
--pin FILE, it writes each pair's score and verdict to FILE (tests hold the scorer to them: see write_pinned).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import utils
from rapidfuzz.fuzz import WRatio

from knowledge.base import KnowledgeBase

__all__ = ["LOGIC_V2_DEV_F1", "PAIRS_IN_REAL", "PairFigures", "load_pairs", "measure_pairs", "pinned_rows"]

ROOT = Path(__file__).resolve().parents[1]
PAIRS_IN_REAL = Path("name_bench") / "name_bench_dev.csv"
DEFAULT_PAIRS = ROOT.parent / "shared" / "data" / "real" / PAIRS_IN_REAL
# nomenklatura 4.17.4's logic-v2 at its 0.70 threshold on the dev half, as SOURCES.md beside the file records it.
LOGIC_V2_DEV_F1 = 0.803
# Schemata whose names are people's: the scorer keeps words such as "Co" that are legal forms in company names.
PERSON_SCHEMATA = frozenset({"Person"})
# Rounds of timing: every pair is scored this many times by each scorer, the two interleaved.
TIMING_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class Pair:
    first: str
    second: str
    person: bool
    truth: bool
    group: str


@dataclass
class PairFigures:
    pairs: int
    precision: float
    recall: float
    f1: float
    pair_us: float
    baseline_f1: float
    baseline_threshold: float
    baseline_pair_us: float
    wrong: list[tuple[Pair, float, str]]

    def as_json(self) -> dict:
        return {
            "pairs": self.pairs,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "logic_v2_f1": LOGIC_V2_DEV_F1,
            "pair_us_p50": self.pair_us,
            "baseline_best_f1": self.baseline_f1,
            "baseline_best_threshold": self.baseline_threshold,
            "baseline_pair_us_p50": self.baseline_pair_us,
        }


def load_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Pair(row["name1"], row["name2"], row["schema"] in PERSON_SCHEMATA, row["is_match"] == "true", row["case_group"])
        for row in rows
    ]


def _f1(verdicts: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    true_pos = sum(1 for said, truth in verdicts if said and truth)
    said = sum(1 for s, _ in verdicts if s)
    real = sum(1 for _, t in verdicts if t)
    precision = true_pos / said if said else 0.0
    recall = true_pos / real if real else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def measure_pairs(kb: KnowledgeBase, pairs: list[Pair]) -> PairFigures:
    """Our verdict and the best threshold of plain WRatio; both timed on the same pairs, interleaved."""
    ours_us: list[float] = []
    theirs_us: list[float] = []
    results = []
    baseline_scores = []
    for round_number in range(TIMING_ROUNDS):
        for pair in pairs:
            # Normalisation is part of what is timed: its caches are emptied before each pair.
            kb.index.clear_caches()
            start = time.perf_counter()
            comparison = kb.compare(pair.first, pair.second, person=pair.person)
            ours_us.append((time.perf_counter() - start) * 1e6)
            start = time.perf_counter()
            score = WRatio(utils.default_process(pair.first), utils.default_process(pair.second))
            theirs_us.append((time.perf_counter() - start) * 1e6)
            if round_number == 0:
                results.append(comparison)
                baseline_scores.append(score)
    precision, recall, f1 = _f1([(c.match, p.truth) for c, p in zip(results, pairs, strict=True)])
    best_f1, best_threshold = max(
        (_f1([(s >= threshold, p.truth) for s, p in zip(baseline_scores, pairs, strict=True)])[2], threshold)
        for threshold in range(50, 101)
    )
    wrong = [(p, c.score, c.explanation) for c, p in zip(results, pairs, strict=True) if c.match != p.truth]
    return PairFigures(
        len(pairs),
        precision,
        recall,
        f1,
        round(statistics.median(ours_us), 1),
        best_f1,
        float(best_threshold),
        round(statistics.median(theirs_us), 1),
        wrong,
    )


def pinned_rows(kb: KnowledgeBase, pairs: list[Pair]) -> list[dict[str, str]]:
    """Each pair's score and verdict by its data row in the CSV: what tests/fixtures/name_bench_dev_scores.csv
    pins, so that making the scorer faster cannot change a score. A change meant to change scores writes the
    file again with --pin, and the test then shows what changed."""
    rows = []
    for number, pair in enumerate(pairs):
        comparison = kb.compare(pair.first, pair.second, person=pair.person)
        rows.append({"row": str(number), "score": repr(comparison.score), "match": str(comparison.match).lower()})
    return rows


def write_pinned(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["row", "score", "match"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.name_pairs", description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--errors", action="store_true", help="print every pair the verdict gets wrong")
    parser.add_argument("--pin", type=Path, help="write each pair's score and verdict to this CSV")
    args = parser.parse_args(argv)
    if args.pin:
        write_pinned(args.pin, pinned_rows(KnowledgeBase.from_curated(), load_pairs(args.csv)))
        return 0
    figures = measure_pairs(KnowledgeBase.from_curated(), load_pairs(args.csv))
    if args.errors:
        for pair, score, explanation in figures.wrong:
            label = "MISS" if pair.truth else "FALSE"
            print(f"{label} {score:.2f} [{pair.group}] {pair.first!r} / {pair.second!r}: {explanation}")
    print(
        f"{figures.pairs} pairs: F1 {figures.f1:.3f} (P {figures.precision:.3f}, R {figures.recall:.3f}); "
        f"logic-v2 {LOGIC_V2_DEV_F1:.3f}; rapidfuzz WRatio at its best threshold {figures.baseline_threshold:.0f}: "
        f"F1 {figures.baseline_f1:.3f}; per pair p50 {figures.pair_us:.1f} µs, WRatio {figures.baseline_pair_us:.1f} µs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
