"""Measurements: lookup latency and accuracy against the plain rapidfuzz baseline, and cold start in a new process."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process, utils
from rapidfuzz.fuzz import WRatio

from bench.queries import Query
from knowledge.lookup import LookupStatus, NameIndex

__all__ = ["BASELINE_CONFIDENT", "Accuracy", "baseline", "cold_start", "percentiles", "run_lookups"]

# The score at which a plain WRatio search is usually taken as a hit; used for its "confident" answers.
BASELINE_CONFIDENT = 90.0


@dataclass
class Accuracy:
    top1: float
    confident_on_nothing: float
    by_kind: dict[str, float]
    latencies_ms: list[float]


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {"p50": round(statistics.median(ordered), 3), "p95": round(at(0.95), 3), "p99": round(at(0.99), 3)}


def _score(
    answers: list[tuple[Query, str | None, bool]], nothing: list[tuple[Query, bool]]
) -> tuple[float, float, dict[str, float]]:
    by_kind: dict[str, list[bool]] = {}
    for query, top, _ in answers:
        by_kind.setdefault(query.kind, []).append(top in query.answers)
    hits = [hit for values in by_kind.values() for hit in values]
    confident = sum(1 for _, was in nothing if was) / max(len(nothing), 1)
    return sum(hits) / max(len(hits), 1), confident, {k: round(sum(v) / len(v), 3) for k, v in by_kind.items()}


def run_lookups(
    answer: Callable[[str], tuple[str | None, bool]], queries: list[Query], nothing: list[Query]
) -> Accuracy:
    """Time `answer` (query -> (top entity, confident)) on every query; score the tops and the false alarms."""
    answers, misses, latencies = [], [], []
    for query in [*queries, *nothing]:
        start = time.perf_counter()
        top, confident = answer(query.text)
        latencies.append((time.perf_counter() - start) * 1000)
        if query.answers:
            answers.append((query, top, confident))
        else:
            misses.append((query, confident))
    top1, confident, by_kind = _score(answers, misses)
    return Accuracy(round(top1, 4), round(confident, 4), by_kind, latencies)


def briefbot_answer(index: NameIndex) -> Callable[[str], tuple[str | None, bool]]:
    def answer(text: str) -> tuple[str | None, bool]:
        result = index.lookup(text)
        return (result.best.entity if result.best else None), result.status is LookupStatus.FOUND

    return answer


def baseline(index: NameIndex) -> Callable[[str], tuple[str | None, bool]]:
    """The plain approach: rapidfuzz extractOne with WRatio over every name."""
    choices = [utils.default_process(name.value) for name in index.names]
    entities = [name.entity for name in index.names]

    def answer(text: str) -> tuple[str | None, bool]:
        best = process.extractOne(utils.default_process(text), choices, scorer=WRatio, processor=None)
        if best is None:
            return None, False
        return entities[best[2]], best[1] >= BASELINE_CONFIDENT

    return answer


_COLD = """
import json, resource, sys, time
start = time.perf_counter()
from knowledge.store import Store
from knowledge.loading import load_knowledge
from knowledge.base import KnowledgeBase
from bot.service import Bot
kb = load_knowledge(Store.open(sys.argv[1])) if sys.argv[1] != "-" else KnowledgeBase.from_curated()
reply = Bot(kb).answer("/who i-Soon")
print(json.dumps({"seconds": time.perf_counter() - start, "status": reply.status.value,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_start(store_path: Path | None, *, repeats: int = 3) -> dict[str, float]:
    """A new process until its first answer: the first start builds the knowledge base and caches it; the
    median of `repeats` later starts loads it from the cache."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="briefbot-cache-") as cache:
        env = {**os.environ, "BRIEFBOT_CACHE": "on", "BRIEFBOT_CACHE_DIR": cache}
        for _ in range(repeats + 1):
            started = time.perf_counter()
            output = subprocess.run(
                [sys.executable, "-c", _COLD, str(store_path) if store_path else "-"],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            wall = time.perf_counter() - started
            runs.append({**json.loads(output.stdout.strip().splitlines()[-1]), "wall": wall})
    first, later = runs[0], runs[1:]
    return {
        "first_s": round(first["wall"], 3),
        "wall_s": round(statistics.median(r["wall"] for r in later), 3),
        "in_process_s": round(statistics.median(r["seconds"] for r in later), 3),
        "rss_mb": round(statistics.median(r["rss_mb"] for r in later), 1),
    }
