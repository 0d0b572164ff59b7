"""Requests per second and time-to-acknowledge of the Slack HTTP endpoint under concurrent clients on loopback."""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request

from slack_sdk import WebClient

from adapters.health import make_server
from adapters.slack_app import SlackSettings, create_app, wsgi_app
from bench.measure import percentiles
from bench.slack_standin import StandIn, slack_signature, slack_standin
from bot.service import Bot
from knowledge.base import KnowledgeBase

__all__ = ["measure_slack"]

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-0000000000-bench-token"
QUERIES = ("i-Soon", "Salt Typhoon", "Wuhan Xiaoruizhi", "Integrty Technology", "Zhao Guangzong", "Sichuan Airlines")


def load(urls: list[str], standin: StandIn, *, clients: int = 8, per_client: int = 100) -> dict:
    """Signed /whois requests from `clients` threads at once, spread over `urls`; time to each acknowledgement."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(number: int) -> None:
        mine = []
        barrier.wait()
        for i in range(per_client):
            form = {
                "command": "/whois",
                "text": QUERIES[(number + i) % len(QUERIES)],
                "team_id": "T1",
                "channel_id": "C1",
                "user_id": "U1",
                "response_url": f"{standin.url}/response/{number}-{i}",
            }
            body = urllib.parse.urlencode(form).encode()
            headers = {**slack_signature(body, SECRET), "Content-Type": "application/x-www-form-urlencoded"}
            request = urllib.request.Request(urls[(number + i) % len(urls)], data=body, headers=headers, method="POST")
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    total = clients * per_client
    standin.wait_for("/response/", count=total, timeout=300)
    return {
        "clients": clients,
        "requests": total,
        "requests_per_second": round(total / wall, 1),
        "ack_ms": percentiles(latencies),
    }


def measure_slack(kb: KnowledgeBase, *, clients: int = 8, requests_per_client: int = 100) -> dict:
    """Signed /whois requests from `clients` threads at once; the time until Slack would see the acknowledgement."""
    with slack_standin() as standin:
        settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, app_token=None, api_url=f"{standin.url}/api/")
        app = create_app(Bot(kb), settings, client=WebClient(token=TOKEN, base_url=settings.api_url))
        server = make_server(wsgi_app(app, signing_secret=SECRET), host="127.0.0.1", port=0)
        threading.Thread(target=server.run, daemon=True).start()
        # The server thread is a daemon: it ends with the benchmark (closing it under load only prints noise).
        return load(
            [f"http://127.0.0.1:{server.effective_port}/slack/events"],
            standin,
            clients=clients,
            per_client=requests_per_client,
        )
