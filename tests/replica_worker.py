"""A replica for the multi-process tests: delivers digests, claims and hangs, or answers lookups while watching.

python tests/replica_worker.py deliver URL NOW OUT | claim-and-hang URL NOW | watch URL QUERY SECONDS
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time

from bot.digest.delivery import DigestRunner
from bot.digest.schedule import due_period
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Reply
from knowledge.base import KnowledgeBase
from knowledge.live import LiveKnowledge
from knowledge.names.lookup import LookupStatus
from knowledge.store.database import Store


class FileSender:
    """Appends one line per digest sent: the shared record of who sent what (O_APPEND keeps lines whole)."""

    max_lines = 40

    def __init__(self, path: str) -> None:
        self.path = path

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(f"{key} {os.getpid()}\n")


def _runner(url: str, now: dt.datetime, sender: FileSender | None) -> DigestRunner:
    store = Store.open(url)
    kb = KnowledgeBase.from_curated()
    return DigestRunner(
        digests=DigestStore(store.engine),
        store=store,
        knowledge=lambda: kb,
        senders={"slack": sender} if sender else {},
        worker=f"replica-{os.getpid()}",
        clock=lambda: now,
    )


def main(argv: list[str]) -> None:
    action, url = argv[0], argv[1]
    if action == "deliver":
        now = dt.datetime.fromisoformat(argv[2])
        _runner(url, now, FileSender(argv[3])).run_once()
    elif action == "claim-and-hang":
        now = dt.datetime.fromisoformat(argv[2])
        runner = _runner(url, now, None)
        for subscription in runner.digests.enabled():
            period = due_period(subscription, now, set())
            runner.digests.claim(subscription.id, period, worker=runner.worker, now=now, lease=runner.lease)
        print("claimed", flush=True)
        time.sleep(600)  # the test kills this process here, claims held and nothing sent
    elif action == "watch":
        live = LiveKnowledge(Store.open(url), interval=0.2).start()
        deadline = time.monotonic() + float(argv[3])
        while time.monotonic() < deadline:
            try:
                status = live.current.lookup(argv[2]).status.value
            except Exception as error:  # a lookup must never fail, even mid-reload
                status = f"error: {error!r}"
            print(json.dumps({"status": status, "version": list(live.version)}), flush=True)
            if status == LookupStatus.FOUND.value:
                break
            time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1:])
