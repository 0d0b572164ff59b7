"""`briefbot digest run`: the standalone delivery loop for a clock or cron process, with the senders it can build."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading

from adapters.health import health_port, start_health_server
from adapters.serving import start_serving
from adapters.settings import setting
from adapters.tokens import ConfigError
from bot.digest.delivery import DigestRunner, Sender
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from bot.reply import Reply
from bot.service import utc_now
from knowledge.lists.schedule import Outcome, refresh_due
from knowledge.loading import build_and_cache_apart, cache_path
from knowledge.store.database import Store

__all__ = ["ConsoleSender", "run_digests"]

log = logging.getLogger(__name__)


class ConsoleSender:
    """Digests for the local console channel (subscribed from `briefbot chat`) are printed."""

    max_lines = 40

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        print(reply.text, flush=True)
        print(flush=True)


def _senders() -> dict[str, Sender]:
    """The console always; Slack when SLACK_BOT_TOKEN is set. Discord digests go out from the gateway process,
    which holds the connection they are sent on."""
    senders: dict[str, Sender] = {"cli": ConsoleSender()}
    if setting("SLACK_BOT_TOKEN") is not None:
        from adapters.slack_app import SlackSender, make_client, slack_settings_for_sending

        # No retries in the client: the digest loop's own policy is the only one, bounded by the claim's lease.
        senders["slack"] = SlackSender(make_client(slack_settings_for_sending(), retries=False))
    return senders


def run_digests(store: Store, *, once: bool) -> int:
    """Run the loop until SIGTERM or Ctrl-C (or one pass with --once); returns the exit code."""
    try:
        senders = _senders()
        port = None if once else health_port()
    except ConfigError as error:
        print(f"briefbot digest: {error}", file=sys.stderr)
        return 2
    serving = start_serving(store)
    live = serving.live.start()

    def refresh_lists_due() -> None:
        # The same pass as `briefbot refresh --due`; its downloads end by their deadline.
        try:
            report = refresh_due(store, now=utc_now())
        except Exception:  # a failing refresh must never stop the loop
            log.exception("the scheduled list refresh failed")
            return
        level = logging.WARNING if report.failed else logging.INFO
        for line in report.lines() if report.outcomes else []:
            log.log(level, "%s", line)
        if report.of(Outcome.CHANGED):
            # Built and cached in a child process, as `briefbot refresh` does: every replica then loads it.
            if cache_path(store) is not None:
                build_and_cache_apart(store)
            live.check()

    refreshing: list[threading.Thread] = []

    def start_refresh() -> None:
        # Apart from the digests: a slow publisher delays the lists, never this minute's digests. One pass at a time.
        if refreshing and refreshing[-1].is_alive():
            return
        refreshing[:] = [threading.Thread(target=refresh_lists_due, name="list-refresh", daemon=True)]
        refreshing[0].start()

    runner = DigestRunner(
        digests=DigestStore(store.engine),
        store=store,
        knowledge=lambda: live.current,
        senders=senders,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        clock=utc_now,
        before_pass=start_refresh,
        observe=serving.metrics.observe_digest,
    )
    if port is not None:
        try:
            start_health_server(serving.health, port=port)
        except ConfigError as error:
            print(f"briefbot digest: {error}", file=sys.stderr)
            return 1
    if once:
        for outcome in runner.run_once():
            log.info("%s", outcome)
        for thread in refreshing:
            thread.join()  # a cron pass still refreshes the lists; each download ends by its deadline
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("briefbot digest loop running; Ctrl-C or SIGTERM stops it.", file=sys.stderr)
    try:
        runner.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0
