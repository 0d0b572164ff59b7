"""A CI-sized benchmark run: the curated data and a small slice of the real lists. It checks that the figures
are produced and the accuracy is sane; it never asserts a timing (these machines are shared and noisy)."""

import functools
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_produces_its_figures_and_sane_accuracy(tmp_path: Path, monkeypatch, capsys):
    import bench.__main__ as bench_main
    from bench.measure import cli_start, cold_start

    # In this process (its measuring runs start processes of their own), and each start timed once rather than
    # the median of three: the test checks that every figure is produced, never its value.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setattr(bench_main, "cold_start", functools.partial(cold_start, repeats=1))
    monkeypatch.setattr(bench_main, "cli_start", functools.partial(cli_start, repeats=1))
    out = tmp_path / "bench.json"
    monkeypatch.chdir(ROOT)
    code = bench_main.main(
        [
            "--sets",
            "curated,real-slice",
            "--queries",
            "300",
            "--baseline-queries",
            "60",
            "--reach-sample",
            "300",
            "--idle-sockets",
            "200",
            "--json",
            str(out),
        ]
    )
    run = capsys.readouterr()
    assert code == 0, run.err[-2000:]
    report = json.loads(out.read_text())
    assert [s["set"] for s in report["sets"]] == ["curated", "real-slice"]
    for figures in report["sets"]:
        for key in ("names", "entities", "index_build_s", "rss_mb", "top1", "confident_on_nothing", "speedup_p50"):
            assert figures[key] is not None, key
        assert set(figures["lookup_ms"]) == {"p50", "p95", "p99"} and set(figures["who_ms"]) == {"p50", "p95", "p99"}
        # Produced, never compared: which of two timings is smaller is the machine's business, not the test's.
        for key in ("first_s", "first_exit_s", "wall_s", "imports_s"):
            assert figures["cold"][key] > 0, key
        assert figures["top1"] >= 0.85
        assert figures["confident_on_nothing"] <= 0.05
        assert figures["top1"] >= figures["baseline"]["top1"] - 0.05
        assert figures["confident_on_nothing"] <= figures["baseline"]["confident_on_nothing"]
        # Every entity tried opens from its displayed name in one choice at most.
        assert figures["reachability"]["share"] == 1.0, figures["reachability"]["dead_ends"]
    assert "| top-1 accuracy" in run.out
    connections = report["connections"]
    assert connections["idle_sockets"] == 200 and connections["requests"] > 0
    assert set(connections["health_ms_idle"]) == {"p50", "p95", "p99"} == set(connections["health_ms_none"])
    assert "idle sockets held open" in run.out
    assert "| reachable from own name, <=1 choice" in run.out


def test_the_picture_benchmark_reports_the_crowded_pictures_apart_from_the_sample(kb):
    from bench.pictures import measure_pictures

    figures = measure_pictures(kb, sample=5, most_linked=3)
    assert figures["entities"] == 8 and figures["most_links"] > 10
    for group in ("most_linked", "sample"):
        for kind in ("graph", "timeline"):
            # Produced, never compared: timings are the machine's business.
            assert set(figures[group][f"{kind}_ms"]) == {"p50", "p95", "p99"}
    assert figures["graph_kb_max"] > 0


def test_the_start_up_targets_are_printed_beside_the_figures():
    from bench.__main__ import _targets_text

    text = _targets_text(
        [
            {"set": "curated", "cli": {"cached_s": 0.45, "first_peak_mb": 90.0}},
            {"set": "real", "cli": {"cached_s": 1.2, "first_peak_mb": 180.0}, "lookup_ms": {"p50": 0.2, "p99": 2.0}},
        ],
        None,
    )
    assert "curated briefbot ask, cached start (s): 0.45 (<= 0.5) met" in text
    assert "real briefbot ask, cached start (s): 1.2 (<= 1) NOT met" in text
    assert "real briefbot ask, first start peak (MB): 180 (<= 200) met" in text
