"""Screening 10,000 rows against the real lists: rows per second and peak memory, beside /who on the same names.

Each measurement runs in a process of its own, so its peak resident memory is its own:
python -m bench.screening MODE STORE ROWS   (MODE: screen or who; prints JSON)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from knowledge.base import KnowledgeBase

__all__ = ["GOAL_S", "bench_rows", "measure_screening", "screening_text"]

ROOT = Path(__file__).resolve().parents[1]
# The goal for 10,000 rows on this machine.
GOAL_S = 30.0
SEED = 28
# Names everyone has and companies everyone knows, none of them a listed name as written: the false friends.
_GIVEN = ("John", "Maria", "Wei", "Min-jun", "Ahmed", "Olga", "Jose", "Fatima", "Hiroshi", "Anna", "David", "Li")
_FAMILY = ("Smith", "Garcia", "Wang", "Kim", "Hassan", "Ivanova", "Silva", "Khan", "Tanaka", "Muller", "Brown", "Chen")
_FIRMS = ("Northwind", "Bluewater", "Greenfield", "Redstone", "Silverline", "Oakridge", "Brightpath", "Lakeside")
_TRADES = ("Trading", "Logistics", "Consulting", "Foods", "Textiles", "Software", "Dental Care", "Bakery")
_FORMS = ("Ltd", "GmbH", "LLC", "S.A.", "Co., Ltd.", "Pty Ltd", "AB", "Inc.")
_PLACES = ("Leeds", "Porto", "Osaka", "Dayton", "Ghent", "Perth", "Tampere", "Quito")


def _listed_names(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Listed names as their own list writes them, and names of entities on several lists as another list writes
    them (the spelling a customer file copied from that list would hold)."""
    own, others = [], []
    for entity in kb.entities.values():
        listed = [r for r in entity.records if r.list in ("ofac-sdn", "uk-sanctions-list", "un-sc", "uk-conlist")]
        if not listed:
            continue
        own.append(listed[0].name)
        spellings = {r.name for r in listed[1:]} - {listed[0].name}
        others.extend(sorted(spellings))
    return own, others


def bench_rows(kb: KnowledgeBase, count: int) -> list[tuple[str, str]]:
    """`count` distinct rows, (kind, name): 40% listed names, 30% other lists' spellings of them, 30% false friends."""
    chance = random.Random(SEED)
    own, others = _listed_names(kb)
    friends = [f"{g} {m}. {f}" for g in _GIVEN for m in "ABCDEFGHJKLMNPRSTW" for f in _FAMILY] + [
        f"{place} {firm} {trade} {form}" for place in _PLACES for firm in _FIRMS for trade in _TRADES for form in _FORMS
    ]
    wanted = {"listed": int(count * 0.4), "other list's spelling": int(count * 0.3)}
    wanted["false friend"] = count - sum(wanted.values())
    pools = {"listed": own, "other list's spelling": others, "false friend": friends}
    # Each row a name of its own: a repeated row is screened once, which would flatter the speed.
    rows = [(kind, name) for kind, n in wanted.items() for name in chance.sample(sorted(set(pools[kind])), n)]
    chance.shuffle(rows)
    return rows


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _measure(mode: str, store_path: str, count: int) -> dict:
    from bot.screening.audit import AuditStore
    from bot.screening.service import Screener, Who
    from bot.service import Bot
    from knowledge.loading import load_knowledge
    from knowledge.store.database import Store

    store = Store.open(store_path)
    kb = load_knowledge(store)
    rows = bench_rows(kb, count)
    loaded_mb = _peak_mb()
    now = dt.datetime.now(dt.UTC)
    figures: dict = {"mode": mode, "rows": len(rows), "loaded_mb": loaded_mb}
    started = time.perf_counter()
    if mode == "who":
        bot = Bot(kb, clock=lambda: now)
        statuses = Counter(bot.answer(f"/who {name}").status.value for _, name in rows)
        figures["statuses"] = dict(statuses)
    else:
        # The whole path a chat upload takes: reading the CSV, screening, the record written, the files made.
        with tempfile.TemporaryDirectory(prefix="briefbot-bench-audit-") as folder:
            audit = AuditStore(Store.open(str(Path(folder) / "audit.sqlite3")).engine)
            screener = Screener(lambda: kb, clock=lambda: now, audit=audit)
            outcome = screener.screen_upload(screening_text(rows).encode(), "bench.csv", Who())
        verdicts: dict[str, Counter] = {}
        for (kind, _), row in zip(rows, outcome.screening.rows, strict=True):
            verdicts.setdefault(kind, Counter())[row.verdict.value] += 1
        figures["verdicts"] = {kind: dict(c) for kind, c in verdicts.items()}
    figures["seconds"] = round(time.perf_counter() - started, 2)
    figures["peak_mb"] = _peak_mb()
    return figures


def screening_text(rows: list[tuple[str, str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name"])
    writer.writerows([name] for _, name in rows)
    return out.getvalue()


def _run(mode: str, store: str, count: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.screening", mode, store, str(count)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])},
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_screening(store: str, *, rows: int = 10_000, runs: int = 3) -> dict:
    """Median seconds, rows per second and peak memory of screening and of /who on the same rows, alternating runs
    (a busy moment of the shared machine costs both alike)."""
    results: dict[str, list[dict]] = {"screen": [], "who": []}
    for _ in range(runs):
        for mode in ("screen", "who"):
            results[mode].append(_run(mode, store, rows))
    summary = {}
    for mode, found in results.items():
        seconds = statistics.median(r["seconds"] for r in found)
        summary[mode] = {
            "rows": rows,
            "runs": runs,
            "median_s": seconds,
            "rows_per_s": round(rows / seconds, 1),
            "peak_mb": statistics.median(r["peak_mb"] for r in found),
            "loaded_mb": statistics.median(r["loaded_mb"] for r in found),
            "all_s": [r["seconds"] for r in found],
        }
    summary["screen"]["verdicts"] = results["screen"][0]["verdicts"]
    summary["who"]["statuses"] = results["who"][0]["statuses"]
    summary["goal_s"] = GOAL_S
    return summary


def report(figures: dict) -> str:
    screen, who = figures["screen"], figures["who"]
    lines = [
        f"\nScreening {screen['rows']:,} rows (median of {screen['runs']} runs, each in its own process):",
        f"  /screen: {screen['median_s']:.1f} s, {screen['rows_per_s']:,.0f} rows/s, peak {screen['peak_mb']:.0f} MB "
        f"(knowledge base loaded: {screen['loaded_mb']:.0f} MB); goal under {figures['goal_s']:.0f} s: "
        + ("met" if screen["median_s"] < figures["goal_s"] else "NOT met"),
        f"  /who on the same names: {who['median_s']:.1f} s, {who['rows_per_s']:,.0f} rows/s, peak "
        f"{who['peak_mb']:.0f} MB; screening / who time ratio {screen['median_s'] / who['median_s']:.2f}",
    ]
    for kind, counts in sorted(screen["verdicts"].items()):
        lines.append(f"  {kind}: " + ", ".join(f"{n:,} {verdict}" for verdict, n in sorted(counts.items())))
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("BRIEFBOT_CACHE", "off")
    print(json.dumps(_measure(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
