"""Several replicas on one PostgreSQL: digests once across processes, a killed sender, live reload, stateless Slack."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench.slack_standin import slack_signature, slack_standin
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from conftest import REAL, SECRET, TODAY, TOKEN, _free_port, _post, _process, _wait_until_up, pg_schema
from knowledge.lists.refresh import refresh_files
from knowledge.store.database import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).with_name("replica_worker.py")
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pg_url(pg_problem):
    if pg_problem:
        pytest.skip(pg_problem)
    with pg_schema("replica") as url:
        yield url


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _subscribe(url: str, count: int) -> DigestStore:
    store = Store.open(url)
    digests = DigestStore(store.engine)
    for number in range(count):
        subscription = Subscription(platform="slack", workspace="T1", channel=f"C{number}", heartbeat=True)
        digests.save(subscription, now=NOW - dt.timedelta(days=2))
    return digests


def test_three_processes_racing_the_delivery_loop_deliver_each_of_100_digests_once(pg_url, tmp_path):
    digests = _subscribe(pg_url, 100)
    sent = tmp_path / "sent.txt"
    racers = [
        subprocess.Popen([sys.executable, str(WORKER), "deliver", pg_url, NOW.isoformat(), str(sent)], env=_env())
        for _ in range(3)
    ]
    assert [racer.wait(timeout=300) for racer in racers] == [0, 0, 0]
    keys = Counter(line.split()[0] for line in sent.read_text().splitlines())
    assert len(keys) == 100 and set(keys.values()) == {1}
    assert len(digests.deliveries()) == 100
    assert len({line.split()[1] for line in sent.read_text().splitlines()}) >= 1


def test_a_replica_killed_holding_claims_has_its_digests_sent_once_after_the_lease(pg_url, tmp_path):
    digests = _subscribe(pg_url, 10)
    hanging = subprocess.Popen(
        [sys.executable, str(WORKER), "claim-and-hang", pg_url, NOW.isoformat()],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert hanging.stdout.readline().strip() == "claimed"
    hanging.send_signal(signal.SIGKILL)
    hanging.wait(timeout=30)
    sent = tmp_path / "sent.txt"
    during_lease = (NOW + dt.timedelta(minutes=2)).isoformat()
    subprocess.run(
        [sys.executable, str(WORKER), "deliver", pg_url, during_lease, str(sent)], env=_env(), check=True, timeout=120
    )
    assert not sent.exists()
    after_lease = (NOW + dt.timedelta(minutes=6)).isoformat()
    for _ in range(2):
        subprocess.run(
            [sys.executable, str(WORKER), "deliver", pg_url, after_lease, str(sent)],
            env=_env(),
            check=True,
            timeout=120,
        )
    keys = Counter(line.split()[0] for line in sent.read_text().splitlines())
    assert len(keys) == 10 and set(keys.values()) == {1}
    assert len(digests.deliveries()) == 10


def test_a_refresh_in_one_process_is_seen_by_another_with_lookups_answering_throughout(pg_url):
    store = Store.open(pg_url)
    refresh_files(store, "un-sc", [REAL / "un" / "UN_consolidated_2018-08-24.xml"], now=TODAY)
    watcher = subprocess.Popen(
        [sys.executable, str(WORKER), "watch", pg_url, "AEROCARIBBEAN AIRLINES", "120"],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    first = json.loads(watcher.stdout.readline())
    assert first["status"] == "not_found"
    refresh_files(store, "ofac-sdn", [REAL / "ofac" / "sdn_2024-03-22.csv"], now=TODAY, as_of=dt.date(2024, 3, 22))
    refreshed = time.monotonic()
    lines = [first] + [json.loads(line) for line in watcher.stdout]
    seen_after = time.monotonic() - refreshed
    assert watcher.wait(timeout=30) == 0
    assert lines[-1]["status"] == "found"
    assert all(not line["status"].startswith("error") for line in lines)
    # "Within seconds": the watcher checks every 0.2 s and then builds a 14,500-record base.
    assert seen_after < 60


def test_only_one_refresh_of_a_list_runs_at_a_time(pg_url):
    first, second = Store.open(pg_url), Store.open(pg_url)
    with first.exclusive("refresh:ofac-sdn") as mine:
        assert mine
        with second.exclusive("refresh:ofac-sdn") as theirs:
            assert not theirs
    with second.exclusive("refresh:ofac-sdn") as now_mine:
        assert now_mine


def test_migrations_from_replicas_starting_together_run_once(pg_url):
    stores = [
        subprocess.Popen(
            [sys.executable, "-c", f"from knowledge.store.database import Store; Store.open({pg_url!r})"], env=_env()
        )
        for _ in range(3)
    ]
    assert [p.wait(timeout=120) for p in stores] == [0, 0, 0]
    assert Store.open(pg_url).schema_version() == SCHEMA_VERSION


def test_any_slack_replica_answers_a_share_click_for_a_card_another_rendered(pg_url):
    import threading
    import urllib.parse

    from slack_sdk import WebClient

    from adapters.health import make_server
    from adapters.slack_app import SlackSettings, create_app, wsgi_app
    from bot.service import Bot
    from knowledge.loading import load_knowledge, prepare_store
    from test_slack import SECRET, TOKEN, post, signed

    store = Store.open(pg_url)
    prepare_store(store, now=TODAY)
    with slack_standin() as standin:
        replicas = []
        for _ in range(2):
            replica_store = Store.open(pg_url)  # each replica its own process state: own connections, own base
            bot = Bot(
                load_knowledge(replica_store),
                clock=lambda: TODAY,
                store=replica_store,
                digests=DigestStore(replica_store.engine),
            )
            settings = SlackSettings(
                bot_token=TOKEN, signing_secret=SECRET, app_token=None, api_url=f"{standin.url}/api/"
            )
            app = create_app(bot, settings, client=WebClient(token=TOKEN, base_url=settings.api_url))
            application = wsgi_app(app, signing_secret=SECRET)
            server = make_server(application, host="127.0.0.1", port=0)
            threading.Thread(target=server.run, daemon=True).start()
            replicas.append(f"http://127.0.0.1:{server.effective_port}/slack/events")
        form = {
            "command": "/whois",
            "text": "Wuhan Xiaoruizhi",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "response_url": f"{standin.url}/response/a",
        }
        body = urllib.parse.urlencode(form).encode()
        assert post(replicas[0], body, signed(body), "application/x-www-form-urlencoded")[0] == 200
        [card] = standin.wait_for("/response/a")
        share = card.body["blocks"][-1]["elements"][0]
        payload = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U1"},
            "channel": {"id": "C1"},
            "response_url": f"{standin.url}/response/b",
            "trigger_id": "1",
            "actions": [{"action_id": share["action_id"], "value": share["value"], "type": "button"}],
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        assert post(replicas[1], body, signed(body), "application/x-www-form-urlencoded")[0] == 200
        [posted] = standin.wait_for("chat.postMessage")
        blocks = json.loads(posted.body["blocks"]) if isinstance(posted.body["blocks"], str) else posted.body["blocks"]
        assert blocks[0] == card.body["blocks"][0]  # the same card, rendered again by the other replica


def _slack_replica(standin, port: int, log: Path):
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{standin.url}/api/",
        "PORT": str(port),
    }
    return _process(["slack", "serve", "--http", "--no-digests"], env, log)


def _thread_event(base: str, event: dict, event_id: str) -> int:
    envelope = {
        "team_id": "T1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1,
        "event": {"team": "T1", "channel": "C1", "user": "U1", **event},
    }
    body = json.dumps(envelope).encode()
    return _post(f"{base}/slack/events", body, {**slack_signature(body, SECRET), "Content-Type": "application/json"})


def test_in_a_thread_two_slack_replicas_answered_in_a_follow_up_is_about_the_latest_answer_whoever_gave_it(
    seeded_store, tmp_path
):
    with slack_standin() as standin:
        ports = [_free_port(), _free_port()]
        with (
            _slack_replica(standin, ports[0], tmp_path / "a.log") as a,
            _slack_replica(standin, ports[1], tmp_path / "b.log") as b,
        ):
            replica_a, replica_b = (f"http://127.0.0.1:{port}" for port in ports)
            _wait_until_up(f"{replica_a}/health", a, tmp_path / "a.log")
            _wait_until_up(f"{replica_b}/health", b, tmp_path / "b.log")
            opening = {"type": "app_mention", "text": "<@UBOT> who is i-Soon?", "ts": "1800000000.000001"}
            assert _thread_event(replica_a, opening, "Ev1") == 200
            [first] = standin.wait_for("chat.postMessage", timeout=60)
            assert first.body["metadata"]["event_payload"]["about"] == "curated:isoon"

            def reply(text: str, ts: str) -> dict:
                return {
                    "type": "message",
                    "channel_type": "channel",
                    "text": text,
                    "ts": ts,
                    "thread_ts": opening["ts"],
                }

            other = reply("tell me about Integrity Technology Group", "1800000000.000003")
            assert _thread_event(replica_b, other, "Ev2") == 200
            second = standin.wait_for("chat.postMessage", count=2, timeout=60)[1]
            assert second.body["thread_ts"] == opening["ts"]
            integrity = second.body["metadata"]["event_payload"]["about"]
            assert integrity != "curated:isoon"
            follow_up = reply("who sanctioned them?", "1800000000.000005")
            assert _thread_event(replica_a, follow_up, "Ev3") == 200
            third = standin.wait_for("chat.postMessage", count=3, timeout=60)[2]
    blocks = json.dumps(third.body["blocks"], ensure_ascii=False)
    assert "“them” = Integrity Technology Group (the thread's subject" in blocks
    assert third.body["metadata"]["event_payload"]["about"] == integrity
    assert "i-Soon" not in third.body["blocks"][0]["text"]["text"]
