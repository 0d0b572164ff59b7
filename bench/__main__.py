"""python -m bench: lookup speed, memory, start-up and accuracy, against a plain rapidfuzz baseline; a table and JSON.

Run from the repository root. Data sets: curated (a), real (b: every list in shared/data/real), million (c: b grown
to about 1,000,000 names), real-slice (a small slice of b, for CI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.datasets import load_real_lists
from bench.measure import cli_start, cold_start, refresh_peak
from bench.name_pairs import LOGIC_V2_DEV_F1, PAIRS_IN_REAL, load_pairs, measure_pairs
from bench.romanisation import measure_variants, variants
from bench.romanisation import report as romanisation_report
from knowledge.base import KnowledgeBase
from knowledge.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"
SLICE = {"uk-sanctions-list", "mitre-attack", "mitre-attack-mobile", "misp-galaxy"}


def _machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def _run_set(name: str, store: str, queries: int, baseline_queries: int, names: int, reach: int) -> dict:
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.dataset_run",
            name,
            store,
            str(queries),
            str(baseline_queries),
            str(names),
            str(reach),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        },
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


# A list re-imported to measure `briefbot refresh`: the largest one the real-slice set holds too.
REFRESHED = ("uk-sanctions-list", ("uk/fcdo_uk_sanctions_list_2025-08-11_from-ods.csv",), "2025-08-12")
# The targets, printed beside the figures.
TARGETS = {"f1": 0.87, "precision": 0.90, "p50_ms": 0.5, "p99_ms": 3.0, "million_p99_ms": 40.0, "pair_us": 40.0}
# `briefbot ask "/who i-Soon"` from the cache, by data set, and a first start's peak memory on the real lists.
CLI_CACHED_S = {"curated": 0.5, "real": 1.0}
FIRST_START_PEAK_MB = 200.0


def _cold(figures: dict, key: str) -> str:
    return f"{figures['cold'][key]:.2f}" if figures.get("cold") else "—"


def _path(figures: dict, path: str) -> str:
    times = figures.get("lookup_ms_by_path", {}).get(path)
    if not times:
        return "—"
    return "{p50:.2f} / {p99:.2f}".format(**times) + f" ({figures['queries_by_path'][path]:,})"


def _cli(figures: dict, *keys: str) -> str:
    cli = figures.get("cli")
    return " / ".join(f"{cli[key]:g}" for key in keys) if cli else "—"


def _memory(figures: dict) -> str:
    cold = figures.get("cold")
    first = f"{cold['first_rss_mb']:.0f}" if cold else "—"
    refreshed = f"{figures['refresh_rss_mb']:.0f}" if figures.get("refresh_rss_mb") else "—"
    return f"{first} / {refreshed}"


def _table(results: list[dict]) -> str:
    rows = [
        ("names / entities", lambda r: f"{r['names']:,} / {r['entities']:,}"),
        ("index build (s)", lambda r: f"{r['index_build_s']:.2f}"),
        ("first start to 1st answer, building (s)", lambda r: _cold(r, "first_s")),
        ("  … to exit, cache written after (s)", lambda r: _cold(r, "first_exit_s")),
        ("later start to 1st answer, cached (s)", lambda r: _cold(r, "wall_s")),
        ("  floor: a process that only imports (s)", lambda r: _cold(r, "imports_s")),
        # The process a user starts; the million set has none, so its measuring process stands in.
        ("briefbot ask, cached start to exit (s)", lambda r: _cli(r, "cached_s")),
        ("briefbot ask, first start to exit (s)", lambda r: _cli(r, "first_s")),
        ("briefbot ask, peak memory: first / cached (MB)", lambda r: _cli(r, "first_peak_mb", "cached_peak_mb")),
        ("resident memory (MB)", lambda r: f"{(r['cold']['rss_mb'] if r.get('cold') else r['rss_mb']):.0f}"),
        ("peak memory: first start / refresh (MB)", _memory),
        ("lookup p50 / p95 / p99 (ms)", lambda r: "{p50:.2f} / {p95:.2f} / {p99:.2f}".format(**r["lookup_ms"])),
        ("  exact path p50 / p99 (ms) (queries)", lambda r: _path(r, "exact")),
        ("  fuzzy path p50 / p99 (ms) (queries)", lambda r: _path(r, "fuzzy")),
        (
            "/who p50 / p95 / p99 (ms)",
            lambda r: "{p50:.2f} / {p95:.2f} / {p99:.2f}".format(**r["who_ms"]) if "who_ms" in r else "—",
        ),
        (
            "/ask p50 / p95 / p99 (ms)",
            lambda r: "{p50:.2f} / {p95:.2f} / {p99:.2f}".format(**r["ask_ms"]) if "ask_ms" in r else "—",
        ),
        ("  /ask tables, built once per knowledge base (ms)", lambda r: f"{r.get('ask_tables_ms', '—')}"),
        ("top-1 accuracy", lambda r: f"{r['top1']:.3f}"),
        (
            "reachable from own name, <=1 choice",
            lambda r: "{share:.2%} of {tried:,}".format(**r["reachability"]) if "reachability" in r else "—",
        ),
        ("confident on must-find-nothing", lambda r: f"{r['confident_on_nothing']:.3f}"),
        (
            "interleaved sample: ours / baseline p50 (ms)",
            lambda r: (
                f"{r['baseline']['ours_on_same_sample']['lookup_ms']['p50']:.2f} / "
                f"{r['baseline']['lookup_ms']['p50']:.2f}"
            ),
        ),
        (
            "interleaved sample: ours / baseline p99 (ms)",
            lambda r: (
                f"{r['baseline']['ours_on_same_sample']['lookup_ms']['p99']:.2f} / "
                f"{r['baseline']['lookup_ms']['p99']:.2f}"
            ),
        ),
        (
            "baseline top-1 / confident-nothing",
            lambda r: f"{r['baseline']['top1']:.3f} / {r['baseline']['confident_on_nothing']:.3f}",
        ),
        (
            "ours on the baseline's sample",
            lambda r: "{top1:.3f} / {confident_on_nothing:.3f}".format(**r["baseline"]["ours_on_same_sample"]),
        ),
        ("speed-up over baseline (p50)", lambda r: f"{r['speedup_p50']}x"),
        ("queries (baseline's)", lambda r: f"{r['queries']:,} ({r['baseline']['queries']:,})"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [
        f"| {'figure':{width}} | " + " | ".join(r["set"] for r in results) + " |",
        f"|{'-' * (width + 2)}|" + "|".join("---" for _ in results) + "|",
    ]
    lines += [f"| {label:{width}} | " + " | ".join(show(r) for r in results) + " |" for label, show in rows]
    return "\n".join(lines)


def _pictures(stores: dict[str, str], folder: str) -> dict:
    """Picture times on the largest real set measured (the curated data when none was)."""
    from bench.pictures import measure_pictures
    from knowledge.loading import load_knowledge

    name = next((n for n in ("real", "real-slice") if n in stores), "curated")
    store = Store.open(stores.get(name) or str(Path(folder) / "curated.sqlite3"))
    if name == "curated":
        from knowledge.loading import prepare_store

        prepare_store(store, now=dt.datetime.now(dt.UTC))
    return {"set": name, **measure_pictures(load_knowledge(store))}


def _romanised(stores: dict[str, str]) -> dict | None:
    """Per family, what lookups make of listed people's names in other romanisations (bench.romanisation)."""
    from knowledge.loading import load_knowledge

    name = next((n for n in ("real", "real-slice") if n in stores), None)
    if name is None:
        return None
    print("measuring romanisations…", file=sys.stderr, flush=True)
    kb = load_knowledge(Store.open(stores[name]))
    return {"set": name, "families": measure_variants(kb.index, variants(kb))}


def _pairs_text(pairs: dict) -> str:
    return (
        f"\nName pairs ({pairs['pairs']} labelled, name_bench dev half): F1 {pairs['f1']:.3f} "
        f"(precision {pairs['precision']:.3f}, recall {pairs['recall']:.3f}) at the default verdict; "
        f"logic-v2 {LOGIC_V2_DEV_F1:.3f}; rapidfuzz WRatio at its best threshold "
        f"({pairs['baseline_best_threshold']:.0f}) {pairs['baseline_best_f1']:.3f}.\n"
        f"Pair scoring p50 {pairs['pair_us_p50']:.1f} µs (normalisation included, "
        f"caches emptied before each pair); WRatio {pairs['baseline_pair_us_p50']:.1f} µs, interleaved."
    )


def _targets_text(results: list[dict], pairs: dict | None) -> str:
    """Each target of the issue with the figure measured in this run, and whether it is met."""
    lines = ["\nTargets:"]

    def check(label: str, value: float, limit: float, *, at_least: bool = False) -> None:
        met = value >= limit if at_least else value <= limit
        lines.append(f"  {label}: {value:.3g} ({'>=' if at_least else '<='} {limit:g}) {'met' if met else 'NOT met'}")

    if pairs:
        check("name pairs F1", pairs["f1"], TARGETS["f1"], at_least=True)
        check("name pairs precision", pairs["precision"], TARGETS["precision"], at_least=True)
        check("pair scoring p50 (µs)", pairs["pair_us_p50"], TARGETS["pair_us"])
    for figures in results:
        cli = figures.get("cli")
        if cli and figures["set"] in CLI_CACHED_S:
            check(f"{figures['set']} briefbot ask, cached start (s)", cli["cached_s"], CLI_CACHED_S[figures["set"]])
        if cli and figures["set"] == "real":
            check("real briefbot ask, first start peak (MB)", cli["first_peak_mb"], FIRST_START_PEAK_MB)
        if figures["set"] == "real":
            check("real lookup p50 (ms)", figures["lookup_ms"]["p50"], TARGETS["p50_ms"])
            check("real lookup p99 (ms)", figures["lookup_ms"]["p99"], TARGETS["p99_ms"])
        if figures["set"] == "million":
            check("million lookup p99 (ms)", figures["lookup_ms"]["p99"], TARGETS["million_p99_ms"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", default="curated,real,million", help="comma-separated: curated, real, million, real-slice"
    )
    parser.add_argument("--queries", type=int, default=2000, help="queries per data set (plus 20%% must-find-nothing)")
    parser.add_argument("--baseline-queries", type=int, default=500, help="queries the (slow) baseline runs on")
    parser.add_argument(
        "--reach-sample", type=int, default=5000, help="entities opened from their own name (all when fewer)"
    )
    parser.add_argument("--million", type=int, default=1_000_000, help="names in the grown data set")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="the folder of real lists")
    parser.add_argument("--slack", action="store_true", help="also measure the Slack HTTP endpoint (8 clients)")
    parser.add_argument("--pictures", action="store_true", help="also time the relationship and timeline pictures")
    parser.add_argument(
        "--idle-sockets", type=int, default=2500, help="idle sockets held against the health port (0: not measured)"
    )
    parser.add_argument(
        "--screening", type=int, metavar="ROWS", help="also screen ROWS rows (10000 is the issue's) beside /who"
    )
    parser.add_argument("--pairs", type=Path, help="labelled name pairs (default: name_bench's dev half in --real)")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "latest.json", help="where to write the figures"
    )
    args = parser.parse_args(argv)
    if args.screening and not {"real", "real-slice"} & set(args.sets.split(",")):
        parser.error("--screening screens against the real lists: give --sets with real or real-slice")
    # Lookups and Slack are timed with the knowledge base built, never cached: a cache's writing thread would share
    # the interpreter with the timed code, and nothing is left in the user's cache directory. cold_start turns the
    # cache on, in a folder of its own, for the starts it measures.
    os.environ["BRIEFBOT_CACHE"] = "off"
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    now = dt.datetime.now(dt.UTC)
    results = []
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        stores: dict[str, str] = {}
        for name in sets:
            if name in ("real", "million", "real-slice") and name not in stores:
                path = Path(folder) / f"{name}.sqlite3"
                load_real_lists(
                    Store.open(str(path)), args.real, now=now, sources=SLICE if name == "real-slice" else None
                )
                stores[name] = str(path)
            store = "-" if name == "curated" else stores[name]
            names = args.million if name == "million" else 0
            baseline_queries = min(args.baseline_queries, 200) if name == "million" else args.baseline_queries
            print(f"measuring {name}…", file=sys.stderr, flush=True)
            figures = _run_set(name, store, args.queries, baseline_queries, names, args.reach_sample)
            if name != "million":
                figures["cold"] = cold_start(None if name == "curated" else Path(store))
                # The command a user types; on the curated set, a new store of the bundled extracts.
                figures["cli"] = cli_start(None if name == "curated" else Path(store))
            if name in ("real", "real-slice"):
                source, files, as_of = REFRESHED
                figures["refresh_rss_mb"] = refresh_peak(Path(store), source, [args.real / f for f in files], as_of)
            results.append(figures)
        slack = None
        if args.slack:
            from bench.slack_load import measure_slack
            from knowledge.loading import load_knowledge

            slack = measure_slack(
                load_knowledge(
                    Store.open(stores.get("real") or stores.get("real-slice") or str(Path(folder) / "empty.sqlite3"))
                )
            )
        pictures = _pictures(stores, folder) if args.pictures else None
        screening = None
        if args.screening:
            from bench.screening import measure_screening

            print("measuring screening…", file=sys.stderr, flush=True)
            screening = measure_screening(stores.get("real") or stores["real-slice"], rows=args.screening)
        romanised = _romanised(stores)
    connections = None
    if args.idle_sockets > 0:
        from bench.connections import measure_connections

        print("measuring the health port under idle sockets…", file=sys.stderr, flush=True)
        connections = measure_connections(idle=args.idle_sockets)
    print("measuring name pairs…", file=sys.stderr, flush=True)
    pairs_file = args.pairs or args.real / PAIRS_IN_REAL
    pairs = None
    if pairs_file.exists():
        pairs = measure_pairs(KnowledgeBase.from_curated(), load_pairs(pairs_file)).as_json()
    report = {
        "when": now.isoformat(timespec="seconds"),
        "machine": _machine(),
        "sets": results,
        "name_pairs": pairs,
        "slack_http": slack,
        "romanisations": romanised,
        "connections": connections,
    }
    if pictures:
        report["pictures"] = pictures
    if screening:
        report["screening"] = screening
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))
    print(f"\n{report['machine']}; {report['when']}\n")
    print(_table(results))
    if slack:
        print(
            f"\nSlack HTTP, {slack['clients']} clients, {slack['requests']} signed /whois requests: "
            f"{slack['requests_per_second']} requests/s; acknowledgement p50 {slack['ack_ms']['p50']:.1f} ms, "
            f"p99 {slack['ack_ms']['p99']:.1f} ms"
        )
    if connections:
        from bench.connections import report as connections_report

        print(connections_report(connections))
    if pictures:
        print(
            f"\nPictures ({pictures['set']}, {pictures['entities']} entities, up to {pictures['most_links']} links): "
            "graph p50 / p95 / p99 {p50:.0f} / {p95:.0f} / {p99:.0f} ms; ".format(**pictures["graph_ms"])
            + "timeline {p50:.0f} / {p95:.0f} / {p99:.0f} ms".format(**pictures["timeline_ms"])
        )
        for group in ("most_linked", "sample"):
            print(
                f"  {group.replace('_', ' ')}: "
                + "; ".join(
                    f"{kind} p50 / p95 {pictures[group][kind + '_ms']['p50']:.0f} / "
                    f"{pictures[group][kind + '_ms']['p95']:.0f} ms"
                    for kind in ("graph", "timeline")
                )
            )
    if screening:
        from bench.screening import report as screening_report

        print(screening_report(screening))
    if romanised:
        print(f"\nListed people's names as other romanisation systems write them ({romanised['set']} lists):")
        print(romanisation_report(romanised["families"]))
    if pairs:
        print(_pairs_text(pairs))
    print(_targets_text(results, pairs))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
