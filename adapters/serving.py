"""What every long-running process starts with: the store, its live knowledge base, metrics and health."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from adapters.health import Health
from adapters.metrics import Metrics
from bot.ask import prepare as prepare_questions
from bot.commands import ALL
from bot.digest.store import DigestStore
from bot.service import Bot, utc_now
from knowledge.base import KnowledgeBase
from knowledge.live import LiveKnowledge
from knowledge.loading import load_for_serving, prepare_store
from knowledge.store.database import Store

__all__ = ["RELOAD_PATIENCE_S", "Serving", "start_serving"]

log = logging.getLogger(__name__)

# After a refresh elsewhere, how long a server waits for that refresh to cache the new knowledge base before it
# builds one itself (building it here too would hold two bases in memory at once for a while).
RELOAD_PATIENCE_S = 120.0


@dataclass
class Serving:
    store: Store
    live: LiveKnowledge
    metrics: Metrics
    health: Health

    def bot(self) -> Bot:
        """A bot on the live knowledge base: a refresh anywhere reaches its answers within seconds."""
        bot = Bot(
            self.live.current,
            store=self.store,
            digests=DigestStore(self.store.engine),
            observers=[self.metrics.observe_answer],
        )
        self.live.on_swap = lambda kb: setattr(bot, "kb", kb)
        return bot


def _serving_loader(metrics: Metrics) -> Callable[[Store], KnowledgeBase]:
    first = True

    def load(store: Store) -> KnowledgeBase:
        nonlocal first
        try:
            kb, how = load_for_serving(store, patience=0.0 if first else RELOAD_PATIENCE_S)
        except Exception:
            metrics.observe_reload("failed")
            raise
        first = False
        metrics.observe_reload(how)
        # The question reader's tables are built before a knowledge base answers, not by its first question.
        prepare_questions(kb)
        return kb

    return load


def start_serving(store: Store | None = None) -> Serving:
    """Open the store (unless given one already prepared), bring it up to date and load the knowledge base
    `migrate` or `refresh` built."""
    if store is None:
        store = Store.open()
        prepare_store(store, now=utc_now())
    metrics = Metrics(commands=[command.name for command in ALL])
    live = LiveKnowledge(store, loader=_serving_loader(metrics))
    metrics.watch(lambda: live.current, store, utc_now)
    return Serving(store, live, metrics, Health(store, lambda: live.current, metrics, utc_now))
