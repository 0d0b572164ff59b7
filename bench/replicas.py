"""Replicas on one PostgreSQL: Slack HTTP throughput with 1, 2 and 3 replicas, and delivering 10,000 digests.

python -m bench.replicas [--pg URL]   (run from the repository root)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.slack_load import SECRET, TOKEN, load
from bench.slack_standin import slack_standin
from bot.digest.delivery import DigestRunner
from bot.digest.store import DigestStore, subscriptions
from bot.digest.subscriptions import Subscription
from bot.reply import Reply
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
_REPLICA = """
import sys
from adapters.health import make_server
from slack_sdk import WebClient
from adapters.slack_app import SlackSettings, create_app, wsgi_app
from bot.digest.store import DigestStore
from bot.service import Bot
from knowledge.loading import load_knowledge
from knowledge.store.database import Store
url, api, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store.open(url)
settings = SlackSettings(bot_token="%s", signing_secret="%s", app_token=None, api_url=api)
app = create_app(Bot(load_knowledge(store), store=store, digests=DigestStore(store.engine)), settings,
                 client=WebClient(token=settings.bot_token, base_url=api))
server = make_server(wsgi_app(app, signing_secret=settings.signing_secret), host="127.0.0.1", port=port)
print("ready", flush=True)
server.run()
""".replace("%s", TOKEN, 1).replace("%s", SECRET, 1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slack_replicas(url: str, count: int, *, clients: int = 8, per_client: int = 60) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with slack_standin() as standin:
        ports = [_free_port() for _ in range(count)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", _REPLICA, url, f"{standin.url}/api/", str(port)],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for port in ports
        ]
        try:
            for process in processes:
                assert process.stdout.readline().strip() == "ready"
            result = load(
                [f"http://127.0.0.1:{port}/slack/events" for port in ports],
                standin,
                clients=clients,
                per_client=per_client,
            )
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
    return {"replicas": count, **result}


class _NullSender:
    max_lines = 40

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        pass


def digest_loop(url: str, count: int = 10_000) -> dict:
    store = Store.open(url)
    digests = DigestStore(store.engine)
    now = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    settings = json.dumps(
        {"time": "08:00:00", "timezone": "UTC", "weekdays": [0, 1, 2, 3, 4, 5, 6], "filters": {}, "heartbeat": True}
    )
    with store.engine.begin() as connection:
        connection.execute(
            subscriptions.insert(),
            [
                {
                    "platform": "slack",
                    "workspace": "T1",
                    "channel": f"C{n}",
                    "settings": settings,
                    "enabled": True,
                    "cursor": 0,
                    "created_at": now - dt.timedelta(days=2),
                    "updated_at": now - dt.timedelta(days=2),
                }
                for n in range(count)
            ],
        )
    kb = load_knowledge(store)
    runner = DigestRunner(
        digests=digests,
        store=store,
        knowledge=lambda: kb,
        senders={"slack": _NullSender()},
        worker="bench",
        clock=lambda: now,
    )
    started = time.perf_counter()
    outcomes = runner.run_once()
    seconds = time.perf_counter() - started
    return {
        "subscriptions": count,
        "delivered": len(outcomes),
        "seconds": round(seconds, 1),
        "per_second": round(len(outcomes) / seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas")
    parser.add_argument(
        "--pg", default=os.environ.get("BRIEFBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(args.pg)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.pg}?options=-csearch_path%3D{schema}"
    try:
        prepare_store(Store.open(url), now=dt.datetime.now(dt.UTC))
        results = [slack_replicas(url, n) for n in (1, 2, 3)]
        for result in results:
            ack, rate = result["ack_ms"], result["requests_per_second"]
            print(
                f"Slack HTTP, {result['replicas']} replica(s) on one PostgreSQL, 8 clients: {rate} requests/s, "
                f"acknowledgement p50 {ack['p50']:.1f} ms, p99 {ack['p99']:.1f} ms"
            )
        loop = digest_loop(url)
        done, due, seconds, rate = loop["delivered"], loop["subscriptions"], loop["seconds"], loop["per_second"]
        print(
            f"Digest loop: {done:,} of {due:,} due digests delivered in {seconds} s ({rate}/s; claims, "
            "composing and recording on PostgreSQL, a sender that does nothing)"
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
