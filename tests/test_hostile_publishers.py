"""Hostile publishers on loopback: a trickled body, 304 to no validators, a redirect off http(s), endless gzip."""

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time

from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from conftest import REAL, run_briefbot
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState

UN_AUGUST = (REAL / "un" / "UN_consolidated_2018-08-24.xml").read_bytes()
UN_PATH = "/un/consolidated.xml"


def _clean(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr and "AssertionError" not in result.stderr, result.stderr
    return result.stdout + result.stderr


def test_a_publisher_that_trickles_bytes_cannot_hold_refresh_due_past_its_deadline(publisher, tmp_path):
    publisher.fail(UN_PATH, "drip")
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3"), "BRIEFBOT_DOWNLOAD_DEADLINE": "3"}
    started = time.monotonic()
    ran = run_briefbot("refresh", "--due", "--timeout", "5", env=env)
    assert time.monotonic() - started < 60
    assert ran.returncode == 3 and "did not finish within 3 s" in _clean(ran)
    assert "In all: failed: un-sc." in ran.stdout


def test_the_deadline_is_settable_on_the_command_line_and_refused_when_nonsense(publisher, tmp_path):
    publisher.fail(UN_PATH, "drip")
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3")}
    url = f"{publisher.url}{UN_PATH}"
    ran = run_briefbot("refresh", "--source", "un-sc", "--url", url, "--deadline", "2", env=env)
    assert ran.returncode == 3 and "did not finish within 2 s" in _clean(ran)
    bad = run_briefbot("refresh", "--due", env={**env, "BRIEFBOT_DOWNLOAD_DEADLINE": "soon"})
    assert bad.returncode == 2 and "BRIEFBOT_DOWNLOAD_DEADLINE='soon'" in _clean(bad)


def test_a_trickling_publisher_never_holds_back_the_digests_of_the_clock_process(publisher, tmp_path):
    publisher.fail(UN_PATH, "drip")
    db = tmp_path / "clock.sqlite3"
    store = Store.open(str(db))
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    DigestStore(store.engine).save(
        Subscription(
            platform="cli", workspace="local", channel="console", time=dt.time(0, 0), timezone="UTC", heartbeat=True
        ),
        now=yesterday,
    )
    store.engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "BRIEFBOT_DB": str(db), "BRIEFBOT_HEALTH_PORT": str(port), "SLACK_BOT_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "digest", "run"],
        env={**env, "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        waited = time.monotonic()
        while not lines and time.monotonic() - waited < 90 and process.poll() is None:
            time.sleep(0.2)
        assert lines, "no digest while the publisher trickled"
        # The refresh runs beside the digests, so it may ask the publisher just after the first digest is out.
        while not publisher.requests_to(UN_PATH) and time.monotonic() - waited < 90 and process.poll() is None:
            time.sleep(0.2)
        assert publisher.requests_to(UN_PATH), "the refresh never started"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_304_to_a_request_without_validators_is_refused_not_a_crash(publisher, tmp_path):
    publisher.fail(UN_PATH, "304-always")
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3")}
    ran = run_briefbot("refresh", "--source", "un-sc", "--url", f"{publisher.url}{UN_PATH}", env=env)
    assert ran.returncode == 3 and "304 Not Modified to a request for the whole file" in _clean(ran)


def test_a_304_to_a_request_without_validators_never_marks_a_list_fresh(publisher, tmp_path):
    publisher.fail(UN_PATH, "304-always")
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3")}
    ran = run_briefbot("refresh", "--due", env=env)
    assert ran.returncode == 3 and "In all: failed: un-sc." in _clean(ran)
    store = Store.open(env["BRIEFBOT_DB"])
    status = RefreshState(store.engine, migrated=True).statuses()["un-sc"]
    assert status.last_success is None and "304" in (status.last_error or "")
    assert not publisher.requests_to(UN_PATH)[0].headers.get("If-None-Match")


def test_a_redirect_to_anything_but_http_or_https_is_not_followed(publisher, tmp_path):
    connections: list[tuple[str, int]] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)

    def accept() -> None:
        while True:
            try:
                connections.append(listener.accept()[1])
            except TimeoutError:
                continue
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        target = f"ftp://127.0.0.1:{listener.getsockname()[1]}/consolidated.xml"
        publisher.fail(UN_PATH, "redirect", location=target)
        env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3")}
        ran = run_briefbot("refresh", "--source", "un-sc", "--url", f"{publisher.url}{UN_PATH}", env=env)
    finally:
        listener.close()
    assert ran.returncode == 3 and "not an http or https address; not followed" in _clean(ran)
    assert connections == []


def test_bytes_after_a_gzip_body_count_against_the_size_cap(publisher, tmp_path):
    publisher.serve(UN_PATH, UN_AUGUST)
    publisher.fail(UN_PATH, "gzip-tail")
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3")}
    url = f"{publisher.url}{UN_PATH}"
    ran = run_briefbot("refresh", "--source", "un-sc", "--url", url, "--max-bytes", "4000000", env=env)
    assert ran.returncode == 3 and "passed the 4,000,000-byte cap" in _clean(ran)
