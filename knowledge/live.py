"""Keeps a process's knowledge base current: when another process loads a new snapshot, build anew and swap."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from knowledge.base import KnowledgeBase
from knowledge.loading import load_knowledge
from knowledge.store.database import Store

__all__ = ["LiveKnowledge"]

log = logging.getLogger(__name__)

# How often a replica asks the store whether the lists changed: one cheap query.
DEFAULT_INTERVAL = 5.0


class LiveKnowledge:
    """The current knowledge base of a process; a refresh anywhere reaches it within `interval` seconds.

    The new base is built whole, off the request path, then swapped in with one assignment: a request sees the
    old base or the new one, never a half-built index."""

    def __init__(
        self,
        store: Store,
        *,
        interval: float = DEFAULT_INTERVAL,
        on_swap: Callable[[KnowledgeBase], None] | None = None,
        loader: Callable[[Store], KnowledgeBase] = load_knowledge,
    ) -> None:
        self.store = store
        self.interval = interval
        self.on_swap = on_swap
        self.loader = loader
        self.version = store.version()
        self.current = loader(store)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """Rebuild and swap if the store changed since the base was built; True if it swapped."""
        version = self.store.version()
        if version == self.version:
            return False
        fresh = self.loader(self.store)
        self.current, self.version = fresh, version
        if self.on_swap is not None:
            self.on_swap(fresh)
        log.info("knowledge reloaded: lists now %s", version)
        return True

    def start(self) -> LiveKnowledge:
        def watch() -> None:
            while not self._stop.wait(self.interval):
                try:
                    self.check()
                except Exception:
                    log.exception("could not reload the knowledge base; keeping the one in use")

        self._thread = threading.Thread(target=watch, name="live-knowledge", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
