"""Running as a service: the Slack web process under idle connections and junk, health, readiness, metrics, logs,
start-up failures, input hygiene, bounded retries and the knowledge-base cache, through the real processes."""

import dataclasses
import io
import json
import logging
import os
import pickle
import re
import socket
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Annotated

import pydantic
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from prometheus_client.parser import text_string_to_metric_families
from pydantic import Field

from adapters.slack_app import SlackSender, SlackSettings, make_client
from bench.slack_standin import StandIn, slack_signature, slack_standin
from bot.digest.delivery import DigestRunner, SendFailed
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Reply, Status
from bot.request import Request
from bot.service import Bot
from conftest import (
    SECRET,
    TODAY,
    TOKEN,
    Served,
    _command_body,
    _free_port,
    _get,
    _post,
    _process,
    _wait_until_up,
    run_briefbot,
)
from discord_standin import HELLO, discord_standin, gateway_answer
from knowledge import loading
from knowledge.loading import cache_path, load_for_serving, prepare_store
from knowledge.slotted import trusted
from knowledge.store.database import Store
from socket_standin import socket_standin

IDLE_CONNECTIONS = 500


def _signed_command(served: Served, text: str, n: int) -> int:
    body = _command_body(served.standin, text, n)
    headers = {**slack_signature(body, SECRET), "Content-Type": "application/x-www-form-urlencoded"}
    return _post(f"{served.base}/slack/events", body, headers)


def test_five_hundred_idle_connections_do_not_starve_the_web_process(slack_web):
    port = int(slack_web.base.rsplit(":", 1)[1])
    idle = []
    try:
        for _ in range(IDLE_CONNECTIONS):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        assert _get(f"{slack_web.base}/health")[0] == 200
        assert _signed_command(slack_web, "i-Soon", 500) == 200
        [answer] = slack_web.standin.wait_for("/response/500", timeout=60)
        assert "Sichuan Anxun" in json.dumps(answer.body)
        assert _get(f"{slack_web.base}/ready")[0] == 200
    finally:
        for connection in idle:
            connection.close()


JUNK = {
    "a payload that is not JSON": (b"payload=not-json", "application/x-www-form-urlencoded"),
    "a JSON array": (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    "binary": (bytes(range(256)) * 4, "application/octet-stream"),
    "100,000-deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
}


@pytest.mark.parametrize("what", list(JUNK))
def test_junk_is_refused_with_one_log_line_and_no_traceback(slack_web, what):
    body, content_type = JUNK[what]
    before = slack_web.log.read_text(errors="replace").count("refused")
    unsigned = _post(f"{slack_web.base}/slack/events", body, {"Content-Type": content_type})
    assert unsigned == 401
    signed = {**slack_signature(body, SECRET), "Content-Type": content_type}
    assert _post(f"{slack_web.base}/slack/events", body, signed) == 400
    text = slack_web.log.read_text(errors="replace")
    assert text.count("refused") == before + 2
    assert "Traceback" not in text


def test_a_timestamp_that_is_not_a_number_is_refused_before_anything_else(slack_web):
    body = _command_body(slack_web.standin, "i-Soon", 7)
    headers = {
        "X-Slack-Request-Timestamp": "soon",
        "X-Slack-Signature": "v0=" + "0" * 64,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert _post(f"{slack_web.base}/slack/events", body, headers) == 401
    assert "timestamp not a number" in slack_web.log.read_text()
    assert "Traceback" not in slack_web.log.read_text()


def test_readiness_tells_the_store_the_knowledge_and_each_lists_age(slack_web):
    status, body = _get(f"{slack_web.base}/ready")
    report = json.loads(body)
    assert status == 200 and report["status"] == "ready" and report["store"] == "reachable"
    assert report["knowledge"].endswith("entities")
    assert report["lists"] and all("as_of" in age and "loaded_on" in age for age in report["lists"].values())


def _metrics(base: str) -> dict[str, list]:
    status, body = _get(f"{base}/metrics")
    assert status == 200
    return {family.name: family.samples for family in text_string_to_metric_families(body.decode())}


def test_metrics_count_requests_lookups_refusals_and_report_the_knowledge(slack_web):
    assert _signed_command(slack_web, "Wuhan Xiaoruizhi", 8) == 200
    slack_web.standin.wait_for("/response/8", timeout=60)
    _post(f"{slack_web.base}/slack/events", b"junk", {"Content-Type": "application/json"})
    metrics = _metrics(slack_web.base)
    requests = {
        tuple(sorted(s.labels.items())): s.value for s in metrics["briefbot_requests"] if s.name.endswith("_total")
    }
    assert requests[(("command", "who"), ("platform", "slack"), ("status", "found"))] >= 1
    assert any(s.labels["outcome"] == "found" and s.value >= 1 for s in metrics["briefbot_lookups"])
    assert any(s.labels == {"command": "who", "platform": "slack"} for s in metrics["briefbot_request_seconds"])
    assert any(s.labels["reason"] == "unsigned" for s in metrics["briefbot_refused_requests"])
    size = {s.labels["kind"]: s.value for s in metrics["briefbot_knowledge_size"]}
    assert size["entities"] > 100 and size["names"] > size["entities"]
    assert {s.labels["list"] for s in metrics["briefbot_list_age_seconds"]}
    assert any(s.labels["outcome"] == "built" for s in metrics["briefbot_refreshes"])


def _start_failure(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    return run_briefbot("slack", "serve", "--http", "--no-digests", env={**base, **env})


def _one_line(result: subprocess.CompletedProcess[str], code: int = 3) -> str:
    assert result.returncode == code
    [line] = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
    return line


def test_start_up_failures_are_one_line_naming_the_problem():
    assert "cannot reach the Slack API" in _one_line(_start_failure({"PORT": "3000"}))
    # A setting that cannot be read is a configuration error, told before anything is tried.
    assert "PORT='abc' is not a port number" in _one_line(_start_failure({"PORT": "abc"}), code=2)
    with slack_standin() as standin:
        standin.answers["auth.test"] = (200, {"ok": False, "error": "invalid_auth"}, {})
        refused = _one_line(_start_failure({"SLACK_API_URL": f"{standin.url}/api/", "PORT": "3000"}))
        assert "invalid_auth" in refused
        standin.answers.pop("auth.test")
        with socket.socket() as taken:
            taken.bind(("0.0.0.0", 0))
            taken.listen()
            busy = str(taken.getsockname()[1])
            in_use = _one_line(_start_failure({"SLACK_API_URL": f"{standin.url}/api/", "PORT": busy}))
    assert f"cannot listen on port {busy}" in in_use


def test_the_digest_worker_has_health_readiness_and_metrics_on_its_port_and_logs_json(seeded_store, tmp_path):
    port = _free_port()
    log = tmp_path / "stderr.log"
    env = {"BRIEFBOT_HEALTH_PORT": str(port), "BRIEFBOT_LOG_FORMAT": "json", "SLACK_BOT_TOKEN": ""}
    with _process(["digest", "run"], env, log) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/health", process, log)
        status, body = _get(f"{base}/ready")
        assert status == 200 and json.loads(body)["store"] == "reachable"
        assert "briefbot_knowledge_size" in _metrics(base)
        assert _get(f"{base}/slack/events")[0] == 404
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any("health" in line["message"] for line in lines)


def test_log_lines_go_to_the_stderr_of_the_moment_not_a_closed_one(monkeypatch):
    # A command run in-process (a test, a tool) set up logging on the sys.stderr of then; once that stream was
    # closed and replaced, a later warning printed "--- Logging error ---" instead of its line.
    from adapters.logs import configure_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    first, second = io.StringIO(), io.StringIO()
    try:
        monkeypatch.setattr(sys, "stderr", first)
        configure_logging(server=False)
        first.close()
        monkeypatch.setattr(sys, "stderr", second)
        logging.getLogger("briefbot.test").warning("a warning after the first stream closed")
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    assert "a warning after the first stream closed" in second.getvalue()
    assert "Logging error" not in second.getvalue()


def test_a_bad_log_setting_is_refused_naming_the_variable():
    result = run_briefbot("sources", env={"BRIEFBOT_LOG_LEVEL": "chatty"})
    assert result.returncode == 2 and "BRIEFBOT_LOG_LEVEL" in result.stderr


def test_the_version_is_printed():
    result = run_briefbot("--version")
    assert result.returncode == 0 and result.stdout.startswith("briefbot ")


# --- input hygiene ---

INVISIBLE = ["\u00ad", "\u061c", "\u200b", "\u2066", "\ufeff", "\U000e0041", "\U000e007f", "\u3164", "\u115f", "\ud800"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_and_lone_surrogates_never_reach_a_command(ask, char):
    reply = ask(f"/who i-{char}Soon{char}")
    assert reply.status is Status.FOUND and reply.entity is not None
    assert char not in reply.text and char not in json.dumps(reply.to_json(), ensure_ascii=False)
    reply.text.encode("utf-8")


def test_a_request_copied_without_validation_is_still_cleaned(bot):
    request = Request(text="/who i-Soon").model_copy(update={"text": "/who i-\u2066Soon\ud800"})
    reply = bot.answer(request)
    assert reply.entity is not None and "\u2066" not in reply.text and "\ud800" not in reply.text


def test_the_cli_reads_and_writes_utf8_whatever_the_console_says():
    question = b"/who " + "安洵".encode() + b" \xff\xfe i-Soon"
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "ask", question],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii:strict", "LC_ALL": "C", "LANG": "C"},
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    assert "安洵".encode() in result.stdout or b"i-Soon" in result.stdout
    result.stdout.decode("utf-8")


# --- retries and zones ---


def _subscription() -> Subscription:
    return Subscription(platform="slack", workspace="T1", channel="C9")


def test_the_digest_client_leaves_retrying_to_the_loop_and_reads_retry_after_in_any_case():
    with slack_standin() as standin:
        settings = SlackSettings(bot_token=TOKEN, signing_secret=None, app_token=None, api_url=f"{standin.url}/api/")
        sender = SlackSender(make_client(settings, retries=False))
        standin.answers["chat.postMessage"] = (429, {"ok": False, "error": "ratelimited"}, {"retry-after": "7"})
        reply = Reply(command="digest", query="", status=Status.OK, title="Sanctions digest")
        with pytest.raises(SendFailed) as raised:
            sender.send(_subscription(), reply, key="k")
        assert raised.value.retry_after == 7.0
        assert len(standin.named("chat.postMessage")) == 1


class _RateLimited:
    max_lines = 40
    timeout = 30.0

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self.calls = 0

    def send(self, subscription, reply, *, key):
        self.calls += 1
        raise SendFailed("ratelimited", retry_after=self.retry_after)


def test_a_retry_after_longer_than_the_claim_is_not_waited_for(seeded_store):
    waits: list[float] = []
    sender = _RateLimited(retry_after=400)
    runner = DigestRunner(
        digests=DigestStore(seeded_store.engine),
        store=seeded_store,
        knowledge=lambda: None,
        senders={"slack": sender},
        worker="w",
        clock=lambda: TODAY,
        sleep=waits.append,
    )
    reply = Reply(command="digest", query="", status=Status.OK, title="t")
    with pytest.raises(SendFailed, match="outlast the claim"):
        runner._send(sender, _subscription(), reply, key="k")
    assert sender.calls == 1 and waits == []
    assert sum(waits) + sender.calls * sender.timeout <= runner.lease.total_seconds()


def test_a_zone_folder_is_refused_with_the_usage(seeded_store, kb):
    bot = Bot(kb, clock=lambda: TODAY, store=seeded_store, digests=DigestStore(seeded_store.engine))
    request = Request(
        text="/digest subscribe America/Argentina", platform="cli", channel="c-zone", can_manage_channel=True
    )
    reply = bot.answer(request)
    assert reply.status is Status.ERROR and reply.error_kind == "usage"
    assert "America/Argentina" in reply.title and reply.subtitle and reply.subtitle.startswith("Usage:")


# --- the knowledge-base cache ---


@pytest.fixture
def cache_store(monkeypatch, tmp_path: Path) -> Store:
    monkeypatch.setenv("BRIEFBOT_CACHE", "on")
    monkeypatch.setenv("BRIEFBOT_CACHE_DIR", str(tmp_path / "cache"))
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    return store


def test_a_cache_in_a_folder_others_can_write_is_never_loaded(cache_store, caplog):
    assert loading.build_and_cache(cache_store) is not None
    path = cache_path(cache_store)
    assert path is not None and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    assert load_for_serving(cache_store)[1] == "prebuilt"
    path.parent.chmod(0o777)
    try:
        with caplog.at_level(logging.WARNING):
            assert load_for_serving(cache_store)[1] == "built"
        assert "writable by other users" in caplog.text
    finally:
        path.parent.chmod(0o700)


def test_serving_processes_load_what_migrate_built_and_write_nothing(tmp_path):
    env = {"BRIEFBOT_CACHE": "on", "BRIEFBOT_CACHE_DIR": str(tmp_path / "cache"), "BRIEFBOT_DB": str(tmp_path / "s.db")}
    first = run_briefbot("digest", "run", "--once", env={**env, "BRIEFBOT_LOG_LEVEL": "INFO"})
    assert first.returncode == 0 and "built in memory" in first.stderr
    assert not list((tmp_path / "cache").glob("knowledge-*"))
    migrated = run_briefbot("migrate", env=env)
    assert migrated.returncode == 0 and "cached for serving" in migrated.stdout
    second = run_briefbot("digest", "run", "--once", env={**env, "BRIEFBOT_LOG_LEVEL": "INFO"})
    assert second.returncode == 0 and "loaded as prebuilt" in second.stderr


@pydantic.dataclasses.dataclass(frozen=True, slots=True)
class _Pinned:
    name: Annotated[str, Field(min_length=1)]
    count: int = 3
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)


def test_the_pydantic_behaviour_fast_construction_relies_on():
    # knowledge/slotted.py reads only the standard dataclass fields of a pydantic dataclass and sets its slots
    # directly: if a pydantic release changes what the standard dataclass machinery sees, this fails before a
    # knowledge base is built wrong.
    assert [(f.name, f.default, f.default_factory) for f in dataclasses.fields(_Pinned)] == [
        ("name", dataclasses.MISSING, dataclasses.MISSING),
        ("count", 3, dataclasses.MISSING),
        ("tags", dataclasses.MISSING, tuple),
    ]
    made = trusted(_Pinned, name="x")
    assert made == _Pinned(name="x") and made.count == 3 and made.tags == ()
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.count = 4  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        _Pinned(name="")  # validated construction keeps the Annotated constraint


def test_a_model_with_a_field_object_as_default_is_refused_by_fast_construction():
    @pydantic.dataclasses.dataclass(frozen=True, slots=True)
    class Old:
        name: str
        count: int = Field(default=3)

    with pytest.raises(TypeError, match="Annotated"):
        trusted(Old, name="x")


def test_discord_starts_without_the_intents_and_voice_warnings(bot, caplog):
    from adapters.discord_app import BriefbotClient

    with caplog.at_level(logging.WARNING):
        client = BriefbotClient(bot)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("discord")] == []
    assert client.intents.guilds and not client.intents.message_content and not client.intents.members


def test_the_constraints_file_pins_every_dependency_within_its_range():
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (root / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    for text in [*project["dependencies"], *project["optional-dependencies"]["postgres"]]:
        requirement = Requirement(text)
        pinned = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(pinned), f"{requirement} excludes the pinned {pinned}"


def test_a_sender_whose_client_retries_by_itself_is_tried_once_per_pass(seeded_store):
    waits: list[float] = []
    sender = _RateLimited(retry_after=1)
    sender.max_attempts = 1  # as the Discord sender declares: discord.py waits out rate limits itself
    runner = DigestRunner(
        digests=DigestStore(seeded_store.engine),
        store=seeded_store,
        knowledge=lambda: None,
        senders={"discord": sender},
        worker="w",
        clock=lambda: TODAY,
        sleep=waits.append,
    )
    with pytest.raises(SendFailed):
        runner._send(sender, _subscription(), Reply(command="digest", query="", status=Status.OK, title="t"), key="k")
    assert sender.calls == 1 and waits == []


APP_TOKEN = "xapp-1234567890-test"


def _socket_env(standin: StandIn, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": f"{standin.url}/api/", **extra}


def _wait_for(condition, what: str, log: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} within 60 s: {log.read_text()}")
        time.sleep(0.3)


def test_socket_mode_is_ready_once_connected_and_not_ready_when_slack_drops_it(seeded_store, tmp_path):
    port = _free_port()
    log = tmp_path / "stderr.log"
    with slack_standin() as standin, socket_standin() as websocket:
        standin.answers["apps.connections.open"] = (200, {"ok": True, "url": websocket.url}, {})
        env = _socket_env(standin, BRIEFBOT_HEALTH_PORT=str(port))
        with _process(["slack", "serve", "--socket", "--no-digests"], env, log) as process:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/health", process, log)
            _wait_for(lambda: _get(f"{base}/ready")[0] == 200, "ready", log)
            assert json.loads(_get(f"{base}/ready")[1])["socket"] == "ok"
            assert "briefbot_knowledge_size" in _metrics(base)
            websocket.drop()
            # Alive, and saying it cannot answer, while slack_sdk tries to reconnect.
            _wait_for(lambda: _get(f"{base}/ready")[0] == 503, "unready after the drop", log)
            body = _get(f"{base}/ready")[1]
            assert json.loads(body)["socket"] == "not ready" and json.loads(body)["store"] == "reachable"
            assert _get(f"{base}/health")[0] == 200 and process.poll() is None
    # The app-level token was checked before anything was loaded.
    assert standin.named("apps.connections.open")[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"


def _after_loading(result: subprocess.CompletedProcess[str]) -> str:
    """A failure told after loading: the process's ordinary INFO log before it, then the one line of the problem
    (none of slack_sdk's own error lines, no traceback)."""
    assert result.returncode == 3 and "Traceback" not in result.stderr and TOKEN not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert not any(" ERROR " in line for line in lines)
    [problem] = [line for line in lines if not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ", line)]
    assert problem == lines[-1]
    return problem


def _socket_failure(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_briefbot("slack", "serve", "--socket", "--no-digests", env=env)


def test_socket_mode_start_up_failures_are_one_line_naming_the_problem():
    unreachable = _one_line(_socket_failure(_socket_env(StandIn(url="http://127.0.0.1:9"))))
    assert "cannot reach the Slack API at http://127.0.0.1:9/api/" in unreachable
    with slack_standin() as standin:
        standin.answers["auth.test"] = (200, {"ok": False, "error": "invalid_auth"}, {})
        assert "Slack refused SLACK_BOT_TOKEN: invalid_auth" in _one_line(_socket_failure(_socket_env(standin)))
        standin.answers.pop("auth.test")
        standin.answers["apps.connections.open"] = (200, {"ok": False, "error": "invalid_auth"}, {})
        refused = _one_line(_socket_failure(_socket_env(standin)))
        assert "Slack refused SLACK_APP_TOKEN: invalid_auth (apps.connections.open" in refused
        assert APP_TOKEN not in refused
        # Slack answers, but its WebSocket address cannot be reached: told after loading, not retried forever.
        standin.answers["apps.connections.open"] = (200, {"ok": True, "url": f"ws://127.0.0.1:{_free_port()}/"}, {})
        socket_down = _after_loading(_socket_failure(_socket_env(standin)))
        assert "cannot open the Socket Mode connection to Slack" in socket_down and "refused" in socket_down
    # No app-level token, or not one: the variable is named (exit status 2, as for every token), never its value.
    for value, message in (("", "SLACK_APP_TOKEN is not set"), ("xoxb-not-an-app-token", "SLACK_APP_TOKEN does not")):
        result = _socket_failure({"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": value})
        assert result.returncode == 2 and "Traceback" not in result.stderr
        [line] = result.stderr.strip().splitlines()
        assert message in line and "xoxb-not" not in line


DISCORD_TOKEN = "A" * 24 + ".abcdef." + "B" * 27


def _discord_env(api: str, gateway: str, **extra: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_URL": api, "DISCORD_GATEWAY_URL": gateway, **extra}


def test_the_discord_worker_has_health_readiness_and_metrics_on_its_port(seeded_store, tmp_path):
    port = _free_port()
    log = tmp_path / "stderr.log"
    with discord_standin() as api, socket_standin(greeting=(HELLO,)) as gateway:
        gateway.answer = gateway_answer(gateway.url)
        env = _discord_env(api.url, gateway.url, BRIEFBOT_HEALTH_PORT=str(port))
        with _process(["discord", "run"], env, log) as process:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/health", process, log)
            _wait_for(lambda: _get(f"{base}/ready")[0] == 200, "ready", log)
            ready = json.loads(_get(f"{base}/ready")[1])
            assert ready["gateway"] == "ok" and ready["store"] == "reachable" and ready["lists"]
            metrics = _metrics(base)
            size = {s.labels["kind"]: s.value for s in metrics["briefbot_knowledge_size"]}
            assert size["entities"] == int(ready["knowledge"].split()[0]) and size["names"] > size["entities"]
            ages = {s.labels["list"]: s.value for s in metrics["briefbot_list_age_seconds"]}
            assert set(ages) == set(ready["lists"]) and all(age >= 0 for age in ages.values())
            assert any(s.labels["outcome"] == "built" and s.value == 1 for s in metrics["briefbot_refreshes"])
            assert "briefbot_digests" in metrics and "briefbot_requests" in metrics
            assert _get(f"{base}/slack/events")[0] == 404
            gateway.drop()
            # discord.py keeps is_ready() true while it reconnects: readiness looks at the socket itself.
            _wait_for(lambda: _get(f"{base}/ready")[0] == 503, "unready after the drop", log)
            assert json.loads(_get(f"{base}/ready")[1])["gateway"] == "not ready"
            assert _get(f"{base}/health")[0] == 200 and process.poll() is None
    assert api.paths[0].endswith("/users/@me")
    assert DISCORD_TOKEN not in log.read_text()


def test_discord_start_up_failures_are_one_line_naming_the_problem():
    closed = f"ws://127.0.0.1:{_free_port()}/"
    with discord_standin() as api:
        api.accepts = False
        refused = _after_loading(run_briefbot("discord", "run", env=_discord_env(api.url, closed)))
        assert "Discord refused DISCORD_TOKEN" in refused
        api.accepts = True
        no_gateway = _after_loading(run_briefbot("discord", "run", env=_discord_env(api.url, closed)))
        assert f"cannot reach the Discord gateway at {closed}" in no_gateway
    no_api = _after_loading(run_briefbot("discord", "run", env=_discord_env("http://127.0.0.1:9/api/v10", closed)))
    assert "cannot reach Discord" in no_api
    for problem in (refused, no_gateway, no_api):
        assert DISCORD_TOKEN not in problem


def test_a_mistyped_command_is_counted_as_unknown_never_under_its_own_name(kb):
    from prometheus_client import generate_latest

    from adapters.metrics import Metrics
    from bot.commands import ALL

    metrics = Metrics(commands=[command.name for command in ALL])
    bot = Bot(kb, clock=lambda: TODAY, observers=[metrics.observe_answer])
    bot.answer("/frobnicate-7 x")
    bot.answer("/who i-Soon")
    scraped = generate_latest(metrics.registry).decode()
    assert "frobnicate" not in scraped
    assert 'command="unknown"' in scraped and 'command="who"' in scraped


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_API_URL", "http://slack.example.org/api/"),
        ("SLACK_API_URL", "ftp://127.0.0.1/api/"),
        ("DISCORD_API_URL", "http://discord.example.org/api/v10"),
        ("DISCORD_GATEWAY_URL", "ws://gateway.example.org/"),
    ],
)
def test_a_platform_address_the_token_would_cross_a_network_unencrypted_is_refused(variable, value):
    from adapters.tokens import ConfigError, endpoint

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(variable, value)
        with pytest.raises(ConfigError, match=f"{variable} must be an https://"):
            endpoint(variable, "https://default.example.org/")
        for allowed in ("https://proxy.example.org/api/", "http://127.0.0.1:8080/api/", "ws://localhost:9/"):
            patch.setenv(variable, allowed)
            assert endpoint(variable, "https://default.example.org/") == allowed
