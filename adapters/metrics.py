"""Prometheus metrics of one process: requests, lookups, digests, reloads, list ages and the knowledge base's size."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.reply import Reply
from bot.request import Request
from knowledge.base import KnowledgeBase
from knowledge.lists.freshness import store_list_ages
from knowledge.store.database import Store

__all__ = ["LOOKUP_COMMANDS", "Metrics"]

log = logging.getLogger(__name__)

# The commands whose outcome is a lookup: found, ambiguous, not found.
LOOKUP_COMMANDS = frozenset({"who", "related"})
# Most answers take milliseconds; a slow lookup or a cold store can take seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Every metric of one process, in a registry of its own (none in prometheus_client's global one)."""

    def __init__(self, registry: CollectorRegistry | None = None, *, commands: Iterable[str] = ()) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        # Label values must be few: a command users mistyped is counted as "unknown", never under its own name.
        self.commands = frozenset(commands)
        self.requests = Counter(
            "briefbot_requests", "Requests answered, by command, platform and status.",
            ["command", "platform", "status"], registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "briefbot_request_seconds", "Time to answer a request, by command and platform.",
            ["command", "platform"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.lookups = Counter(
            "briefbot_lookups", "Name lookups (/who, /related) by outcome.", ["outcome"], registry=self.registry
        )
        self.digests = Counter(
            "briefbot_digests", "Digests by outcome: sent, quiet, failed, disabled, lost.", ["outcome"],
            registry=self.registry,
        )  # fmt: skip
        self.refused = Counter(
            "briefbot_refused_requests", "HTTP requests refused before the bot saw them, by reason.", ["reason"],
            registry=self.registry,
        )  # fmt: skip
        self.reloads = Counter(
            "briefbot_refreshes",
            "Refreshed lists taken up by this process, by outcome: prebuilt (loaded as built by refresh), "
            "built (built here in memory), failed.",
            ["outcome"],
            registry=self.registry,
        )

    def observe_answer(self, request: Request, reply: Reply, seconds: float) -> None:
        """A Bot observer: count and time each answer."""
        command = reply.command if reply.command in self.commands else "unknown"
        self.requests.labels(command, request.platform, reply.status.value).inc()
        self.latency.labels(command, request.platform).observe(seconds)
        if command in LOOKUP_COMMANDS:
            self.lookups.labels(reply.status.value).inc()

    def observe_digest(self, outcome: str) -> None:
        self.digests.labels(outcome).inc()

    def observe_reload(self, outcome: str) -> None:
        self.reloads.labels(outcome).inc()

    def watch(
        self, knowledge: Callable[[], KnowledgeBase | None], store: Store, clock: Callable[[], dt.datetime]
    ) -> None:
        """Report the knowledge base's size and each list's age, read at each scrape."""
        self.registry.register(_KnowledgeCollector(knowledge, store, clock))


class _KnowledgeCollector(Collector):
    def __init__(
        self, knowledge: Callable[[], KnowledgeBase | None], store: Store, clock: Callable[[], dt.datetime]
    ) -> None:
        self.knowledge = knowledge
        self.store = store
        self.clock = clock

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # read at scrape time: nothing to describe at registration, when the store may be slow

    def collect(self) -> Iterator[GaugeMetricFamily]:
        kb = self.knowledge()
        size = GaugeMetricFamily(
            "briefbot_knowledge_size", "The knowledge base in use, by what it holds.", labels=["kind"]
        )
        if kb is not None:
            size.add_metric(["entities"], len(kb.entities))
            size.add_metric(["names"], len(kb.index.names))
            size.add_metric(["sanctions"], len(kb.sanctions))
        yield size
        age = GaugeMetricFamily(
            "briefbot_list_age_seconds", "Seconds since the as-of date of each list in use.", labels=["list"]
        )
        loaded = GaugeMetricFamily(
            "briefbot_list_loaded_seconds", "Seconds since each list in use was loaded into the store.", labels=["list"]
        )
        try:
            for entry in store_list_ages(self.store, now=self.clock()).values():
                age.add_metric([entry.source], entry.age_seconds)
                loaded.add_metric([entry.source], entry.loaded_seconds_ago)
        except Exception as error:  # an unreachable store must not fail the whole scrape
            log.warning("metrics: list ages unavailable (%s)", type(error).__name__)
        yield age
        yield loaded
