"""Measures one data set in a process of its own (so its resident memory is its own); prints JSON.

python -m bench.dataset_run SET STORE QUERIES BASELINE_QUERIES TOTAL_NAMES [REACH_SAMPLE]
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time

from bench.measure import baseline, briefbot_answer, percentiles, run_interleaved, run_lookups
from bench.queries import ask_questions, make_queries, nothing_queries, synthetic_names
from bench.reachability import measure_reachability
from bot.ask import prepare as prepare_questions
from bot.service import Bot
from knowledge.base import KnowledgeBase
from knowledge.loading import load_knowledge
from knowledge.models import NameType
from knowledge.names.lookup import NameIndex
from knowledge.names.normalise import normalise
from knowledge.store.database import Store

NOTHING_SHARE = 0.2


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(
    name: str, store_path: str, query_count: int, baseline_count: int, total_names: int, reach_sample: int = 5000
) -> dict:
    started = time.perf_counter()
    kb = KnowledgeBase.from_curated() if store_path == "-" else load_knowledge(Store.open(store_path))
    load_s = time.perf_counter() - started
    entries = list(kb.all_names())
    started = time.perf_counter()
    index = NameIndex.build(entries)
    build_s = time.perf_counter() - started
    queries = make_queries(kb, query_count)
    nothing = nothing_queries(index, max(1, int(query_count * NOTHING_SHARE)))
    if total_names > len(index.names):
        grown = entries + [
            (entity, value, NameType.PRIMARY, False, True) for entity, value in synthetic_names(index, total_names)
        ]
        started = time.perf_counter()
        index = NameIndex.build(grown)
        build_s = time.perf_counter() - started
    figures: dict = {
        "set": name,
        "entities": len({n.entity for n in index.names}),
        "names": len(index.names),
        "load_s": round(load_s, 3),
        "index_build_s": round(build_s, 3),
    }
    # The index starts as a freshly started server's does: no word's near spellings remembered yet.
    index.clear_caches()
    ours = run_lookups(briefbot_answer(index), queries, nothing, fresh=normalise.cache_clear)
    figures["lookup_ms"] = percentiles(ours.latencies_ms)
    figures["lookup_ms_by_path"] = {path: percentiles(times) for path, times in sorted(ours.by_path_ms.items())}
    figures["queries_by_path"] = {path: len(times) for path, times in sorted(ours.by_path_ms.items())}
    figures["top1"] = ours.top1
    figures["confident_on_nothing"] = ours.confident_on_nothing
    figures["top1_by_kind"] = ours.by_kind
    if total_names <= len(kb.index.names):
        bot = Bot(kb, clock=lambda: dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
        who = []
        for query in queries:
            start = time.perf_counter()
            bot.answer(f"/who {query.text}")
            who.append((time.perf_counter() - start) * 1000)
        figures["who_ms"] = percentiles(who)
        reach = measure_reachability(bot, sample=reach_sample)
        figures["reachability"] = {
            "tried": reach.tried,
            "reached": reach.reached,
            "share": reach.share,
            "dead_ends": reach.dead_ends[:20],
            "twin_candidates": reach.twins[:20],
        }
        # The question reader's tables, built once per knowledge base (the servers build them before answering).
        start = time.perf_counter()
        prepare_questions(kb)
        figures["ask_tables_ms"] = round((time.perf_counter() - start) * 1000, 1)
        asked = []
        for question in ask_questions(queries):
            start = time.perf_counter()
            bot.answer(f"/ask {question}")
            asked.append((time.perf_counter() - start) * 1000)
        figures["ask_ms"] = percentiles(asked)
    step = max(1, len(queries) // max(baseline_count, 1))
    sample, sample_nothing = queries[::step][:baseline_count], nothing[:: max(1, step)][: max(1, baseline_count // 5)]
    # Ours and the baseline take turns on each query, so a busy moment of the machine costs both alike.
    both = run_interleaved(
        {"ours": briefbot_answer(index), "baseline": baseline(index)},
        sample,
        sample_nothing,
        fresh=normalise.cache_clear,
    )
    theirs, mine_on_sample = both["baseline"], both["ours"]
    figures["baseline"] = {
        "queries": len(sample) + len(sample_nothing),
        "lookup_ms": percentiles(theirs.latencies_ms),
        "top1": theirs.top1,
        "confident_on_nothing": theirs.confident_on_nothing,
        "ours_on_same_sample": {
            "top1": mine_on_sample.top1,
            "confident_on_nothing": mine_on_sample.confident_on_nothing,
            "lookup_ms": percentiles(mine_on_sample.latencies_ms),
        },
    }
    ours_p50 = figures["baseline"]["ours_on_same_sample"]["lookup_ms"]["p50"]
    theirs_p50 = figures["baseline"]["lookup_ms"]["p50"]
    figures["speedup_p50"] = round(theirs_p50 / ours_p50, 1) if ours_p50 else None
    figures["rss_mb"] = _rss_mb()
    figures["queries"] = len(queries) + len(nothing)
    return figures


if __name__ == "__main__":
    set_name, store, count, base_count, total = (
        sys.argv[1],
        sys.argv[2],
        int(sys.argv[3]),
        int(sys.argv[4]),
        int(sys.argv[5]),
    )
    reach = int(sys.argv[6]) if len(sys.argv) > 6 else 5000
    print(json.dumps(main(set_name, store, count, base_count, total, reach)))
