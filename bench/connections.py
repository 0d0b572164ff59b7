"""/health latency of a real health port with thousands of idle sockets held open, against none, in one run."""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.measure import percentiles

__all__ = ["measure_connections", "report"]

ROOT = Path(__file__).resolve().parents[1]
IDLE = 2_500
REQUESTS = 300
START_S = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _health(port: int) -> float:
    """One GET /health on a new connection, as a load balancer's check makes it; milliseconds to the whole answer."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"/health answered {response.status}")
    finally:
        connection.close()
    return (time.perf_counter() - start) * 1000


def _rss_mb(pid: int) -> float | None:
    """The process's resident memory in MB, where /proc tells it (Linux); None elsewhere."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


@contextlib.contextmanager
def _clock_process(port: int) -> Iterator[int]:
    """`briefbot digest run` (the clock process) with its health port, on a store of its own."""
    with tempfile.TemporaryDirectory(prefix="briefbot-connections-") as folder:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BRIEFBOT_DB": str(Path(folder) / "store.sqlite3"),
            "BRIEFBOT_HEALTH_PORT": str(port),
            "BRIEFBOT_CACHE": "off",
            "SLACK_BOT_TOKEN": "",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "digest", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + START_S
            while True:
                try:
                    _health(port)
                    break
                except (OSError, RuntimeError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the clock process's health port never answered") from None
                    time.sleep(0.2)
            yield process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextlib.contextmanager
def _held(port: int, count: int) -> Iterator[None]:
    """`count` sockets connected to `port` and left silent."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count + 256:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(count + 256, hard), hard))
    held = []
    try:
        for _ in range(count):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        yield
    finally:
        for sock in held:
            sock.close()


def measure_connections(*, idle: int = IDLE, requests: int = REQUESTS) -> dict:
    """/health timed `requests` times with no other socket open, with `idle` held open, and with none again."""
    port = _free_port()
    with _clock_process(port) as pid:
        for _ in range(20):
            _health(port)  # warm-up
        before = [_health(port) for _ in range(requests)]
        rss_before = _rss_mb(pid)
        with _held(port, idle):
            during = [_health(port) for _ in range(requests)]
            rss_during = _rss_mb(pid)
        after = [_health(port) for _ in range(requests)]
    none = before + after
    return {
        "idle_sockets": idle,
        "requests": len(during),
        "health_ms_none": percentiles(none),
        "health_ms_idle": percentiles(during),
        "p50_ratio": round(percentiles(during)["p50"] / max(percentiles(none)["p50"], 1e-9), 2),
        "rss_mb_none": rss_before,
        "rss_mb_idle": rss_during,
    }


def report(figures: dict) -> str:
    none, idle = figures["health_ms_none"], figures["health_ms_idle"]
    return (
        f"\nHealth port (the clock process), GET /health on a new connection each, {figures['requests']} times: "
        f"p50 / p99 {none['p50']:.2f} / {none['p99']:.2f} ms with no idle socket; "
        f"{idle['p50']:.2f} / {idle['p99']:.2f} ms with {figures['idle_sockets']:,} idle sockets held open "
        f"(p50 ratio {figures['p50_ratio']})"
        + (
            f"; resident memory {figures['rss_mb_none']} MB, {figures['rss_mb_idle']} MB with them"
            if figures.get("rss_mb_none") is not None
            else ""
        )
    )


if __name__ == "__main__":
    print(report(measure_connections()))
