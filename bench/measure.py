"""Measurements: lookup latency and accuracy against the plain rapidfuzz baseline, and cold start in a new process."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process, utils
from rapidfuzz.fuzz import WRatio

from bench.queries import Query
from knowledge.names.lookup import LookupStatus, NameIndex

__all__ = [
    "BASELINE_CONFIDENT",
    "Accuracy",
    "baseline",
    "briefbot_answer",
    "cli_start",
    "cold_start",
    "percentiles",
    "refresh_peak",
    "run_interleaved",
    "run_lookups",
]

# The score at which a plain WRatio search is usually taken as a hit; used for its "confident" answers.
BASELINE_CONFIDENT = 90.0


@dataclass
class Accuracy:
    top1: float
    confident_on_nothing: float
    by_kind: dict[str, float]
    latencies_ms: list[float]
    # Each query's time by the path that answered it: "exact" (a key hit) or "fuzzy" (recall and scoring).
    by_path_ms: dict[str, list[float]] = field(default_factory=dict)


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


Answer = Callable[[str], tuple[str | None, bool, str]]


def run_lookups(
    answer: Answer, queries: list[Query], nothing: list[Query], *, fresh: Callable[[], None] | None = None
) -> Accuracy:
    """Time `answer` (query -> (top entity, confident, path)) on every query; score the tops and the false alarms.
    `fresh` runs before each query, untimed: it empties the normalisation caches, so no query is timed with its
    text already normalised (the query generator normalised every one of them)."""
    return run_interleaved({"ours": answer}, queries, nothing, fresh=fresh)["ours"]


def run_interleaved(
    answers: dict[str, Answer], queries: list[Query], nothing: list[Query], *, fresh: Callable[[], None] | None = None
) -> dict[str, Accuracy]:
    """Several answerers on the same queries, one after the other on each query, so that a busy moment of a
    shared machine falls on all of them alike."""
    found: dict[str, list] = {name: [] for name in answers}
    misses: dict[str, list] = {name: [] for name in answers}
    latencies: dict[str, list[float]] = {name: [] for name in answers}
    paths: dict[str, dict[str, list[float]]] = {name: {} for name in answers}
    for query in [*queries, *nothing]:
        for name, answer in answers.items():
            if fresh is not None:
                fresh()
            start = time.perf_counter()
            top, confident, path = answer(query.text)
            elapsed = (time.perf_counter() - start) * 1000
            latencies[name].append(elapsed)
            paths[name].setdefault(path, []).append(elapsed)
            if query.answers:
                found[name].append((query, top, confident))
            else:
                misses[name].append((query, confident))
    results = {}
    for name in answers:
        top1, confident, by_kind = _score(found[name], misses[name])
        results[name] = Accuracy(round(top1, 4), round(confident, 4), by_kind, latencies[name], paths[name])
    return results


def briefbot_answer(index: NameIndex) -> Answer:
    def answer(text: str) -> tuple[str | None, bool, str]:
        result = index.lookup(text)
        path = "exact" if result.best is not None and result.best.how == "exact" else "fuzzy"
        return (result.best.entity if result.best else None), result.status is LookupStatus.FOUND, path

    return answer


def baseline(index: NameIndex) -> Answer:
    """The plain approach: rapidfuzz extractOne with WRatio over every name."""
    choices = [utils.default_process(name.value) for name in index.names]
    entities = [name.entity for name in index.names]

    def answer(text: str) -> tuple[str | None, bool, str]:
        best = process.extractOne(utils.default_process(text), choices, scorer=WRatio, processor=None)
        if best is None:
            return None, False, "scan"
        return entities[best[2]], best[1] >= BASELINE_CONFIDENT, "scan"

    return answer


_COLD = """
import json, resource, sys, time
start = time.perf_counter()
from knowledge.store.database import Store
from knowledge.loading import load_knowledge
from knowledge.base import KnowledgeBase
from bot.service import Bot
if sys.argv[2] == "imports":
    print(json.dumps({"answered_at": time.time(), "seconds": time.perf_counter() - start}))
    sys.exit(0)
kb = load_knowledge(Store.open(sys.argv[1])) if sys.argv[1] != "-" else KnowledgeBase.from_curated()
reply = Bot(kb).answer("/who i-Soon")
answered = {"answered_at": time.time(), "seconds": time.perf_counter() - start, "status": reply.status.value,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
import threading
for thread in threading.enumerate():  # a cache written after the answer is part of the process's peak
    if thread is not threading.current_thread() and not thread.daemon:
        thread.join()
answered["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(answered), flush=True)
"""

# `briefbot refresh` of one list into a copy of the store, as an operator runs it, with its peak memory.
_REFRESH = """
import json, resource, sys
from adapters.cli import main
code = main(["refresh", "--source", sys.argv[1], *[a for f in sys.argv[3:] for a in ("--file", f)],
             "--as-of", sys.argv[2]])
print(json.dumps({"code": code, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _start(store_path: Path | None, cache: str, mode: str = "answer") -> dict[str, float]:
    """One new process: seconds from launching it to its first answer (its own clock cannot see the interpreter
    start), and to its exit, which comes later where it writes the cache after answering."""
    env = {**os.environ, "BRIEFBOT_CACHE": "on", "BRIEFBOT_CACHE_DIR": cache}
    launched, started = time.time(), time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", _COLD, str(store_path) if store_path else "-", mode],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    exited = time.perf_counter() - started
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    if mode == "answer" and figures["status"] != "found":
        raise RuntimeError(f"a cold start answered {figures['status']!r} to /who i-Soon, not a card")
    return {**figures, "to_answer": figures["answered_at"] - launched, "to_exit": exited}


def cold_start(store_path: Path | None, *, repeats: int = 3) -> dict[str, float]:
    """New processes until their first answer, medians of `repeats`: first starts (each with an empty cache, so
    they build the knowledge base), later starts (loading the cache), and processes that only import the code,
    the floor every start pays, measured in the same run so that a busy machine shows as a busy floor."""
    firsts, later, floor = [], [], []
    with tempfile.TemporaryDirectory(prefix="briefbot-cache-") as caches:
        for number in range(repeats):
            firsts.append(_start(store_path, str(Path(caches) / f"first-{number}")))
        for _ in range(repeats):
            later.append(_start(store_path, str(Path(caches) / f"first-{repeats - 1}")))
            floor.append(_start(store_path, str(Path(caches) / "unused"), "imports"))
    return {
        "first_rss_mb": round(statistics.median(r["peak_rss_mb"] for r in firsts), 1),
        "first_s": round(statistics.median(r["to_answer"] for r in firsts), 3),
        "first_exit_s": round(statistics.median(r["to_exit"] for r in firsts), 3),
        "wall_s": round(statistics.median(r["to_answer"] for r in later), 3),
        "in_process_s": round(statistics.median(r["seconds"] for r in later), 3),
        "imports_s": round(statistics.median(r["to_answer"] for r in floor), 3),
        "rss_mb": round(statistics.median(r["peak_rss_mb"] for r in later), 1),
    }


# `briefbot ask "/who i-Soon"` as a user types it, in a process of its own: its exit code and peak memory, the
# cache writer (a thread the interpreter joins at exit) included.
_CLI = """
import atexit, json, resource, sys
def report():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stderr.write("\\nBENCH " + json.dumps({"peak_rss_mb": peak}) + "\\n")
atexit.register(report)  # after the non-daemon cache writer is joined
from adapters.cli import main
sys.exit(main(["ask", "/who i-Soon"]))
"""


def _cli_ask(env: dict[str, str]) -> dict[str, float]:
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", _CLI], capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - started
    if output.returncode != 0 or not output.stdout.startswith("i-Soon"):
        raise RuntimeError(f"briefbot ask failed in the benchmark ({output.returncode}): {output.stderr[-500:]}")
    report = json.loads(output.stderr.rsplit("BENCH ", 1)[1])
    return {"seconds": seconds, "peak_rss_mb": report["peak_rss_mb"]}


def cli_start(store_path: Path | None, *, repeats: int = 3) -> dict[str, float]:
    """`briefbot ask "/who i-Soon"` from launch to exit, medians of `repeats`: first starts (an empty cache, so they
    build the knowledge base and write the cache before exiting) with their peak memory, and cached starts. Without
    `store_path`, each first start has a new store, which seeds itself with the bundled extracts."""
    firsts, later = [], []
    with tempfile.TemporaryDirectory(prefix="briefbot-cli-") as folder:
        env = {**os.environ, "BRIEFBOT_CACHE": "on"}
        for number in range(repeats):
            store = str(store_path) if store_path else str(Path(folder) / f"store-{number}.sqlite3")
            cache = str(Path(folder) / f"cache-{number}")
            firsts.append(_cli_ask({**env, "BRIEFBOT_DB": store, "BRIEFBOT_CACHE_DIR": cache}))
        for _ in range(repeats):
            later.append(_cli_ask({**env, "BRIEFBOT_DB": store, "BRIEFBOT_CACHE_DIR": cache}))
    return {
        "first_s": round(statistics.median(r["seconds"] for r in firsts), 3),
        "first_peak_mb": round(statistics.median(r["peak_rss_mb"] for r in firsts), 1),
        "cached_s": round(statistics.median(r["seconds"] for r in later), 3),
        "cached_peak_mb": round(statistics.median(r["peak_rss_mb"] for r in later), 1),
    }


def refresh_peak(store_path: Path, source: str, files: list[Path], as_of: str) -> float:
    """Peak resident memory (MB) of `briefbot refresh` loading `files` into a copy of the store at `store_path`."""
    with tempfile.TemporaryDirectory(prefix="briefbot-refresh-") as folder:
        copy = Path(folder) / "store.sqlite3"
        shutil.copyfile(store_path, copy)
        env = {**os.environ, "BRIEFBOT_DB": str(copy), "BRIEFBOT_CACHE": "on", "BRIEFBOT_CACHE_DIR": folder}
        output = subprocess.run(
            [sys.executable, "-c", _REFRESH, source, as_of, *map(str, files)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        figures = json.loads(output.stdout.strip().splitlines()[-1])
        if figures["code"] != 0:
            raise RuntimeError(f"briefbot refresh failed in the benchmark: {output.stderr[-500:]}")
        return round(figures["peak_rss_mb"], 1)
