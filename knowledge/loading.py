"""Builds the knowledge base a bot answers from: the curated data merged with every list in the store."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

from knowledge.base import KnowledgeBase
from knowledge.curated import CuratedData, curated_facts, load_curated
from knowledge.lists.bundled import seed
from knowledge.lists.catalogue import snapshot_source
from knowledge.merge import LoadedList, merge
from knowledge.models import Source
from knowledge.store.database import SnapshotInfo, Store

__all__ = ["CACHE_WRITER", "cache_path", "load_knowledge", "loaded_lists", "prepare_store"]

log = logging.getLogger(__name__)

# Bumped when what the cache holds changes shape in a way the source hash would not show.
CACHE_FORMAT = 2
# The name of the thread that writes the cache after a build; a caller that needs the file can join it.
CACHE_WRITER = "briefbot-knowledge-cache"
# A partial cache file older than this was left by a writer that was killed.
ABANDONED_AFTER_S = 600


def prepare_store(store: Store, *, now: dt.datetime, curated: CuratedData | None = None) -> None:
    """Before answering: bundled extracts into an empty store, and any change in the curated data recorded."""
    seed(store, now=now)
    curated = curated or load_curated()
    names = {entity.id: entity.caption for entity in curated.entities.values()}
    kinds = {entity.id: entity.kind.value for entity in curated.entities.values()}
    store.sync_curated(curated_facts(curated), names=names, kinds=kinds, today=now.date(), now=now)


def _citation(snapshot: SnapshotInfo) -> Source:
    """The citation of a snapshot; one whose publisher's date is unknown says so instead of passing off its load day."""
    source = snapshot_source(snapshot.source, snapshot.as_of, note=snapshot.note)
    if snapshot.as_of_known:
        return source
    title = source.title.rsplit(", as of ", 1)[0]
    return dataclasses.replace(source, title=f"{title}, {snapshot.dated}", date=None)


def loaded_lists(store: Store) -> list[LoadedList]:
    return [
        LoadedList(
            source=_citation(snapshot),
            list_name=snapshot.source,
            records=store.records(snapshot.id),
            delisted=store.delisted(snapshot.source),
            first_seen=_first_seen(store, snapshot.source),
        )
        for snapshot in store.active()
    ]


def _first_seen(store: Store, source: str) -> dict[str, dt.date]:
    """Each record id of a list, with the as-of date of the oldest stored snapshot that holds it."""
    seen: dict[str, dt.date] = {}
    for snapshot in sorted(store.snapshots(source), key=lambda s: s.as_of):
        for record_id in store.record_ids(snapshot.id):
            seen.setdefault(record_id, snapshot.as_of)
    return seen


def load_knowledge(store: Store, curated: CuratedData | None = None) -> KnowledgeBase:
    """The knowledge base for the store as it is now: from the cache when it was built before, else built."""
    cache = None if curated is not None else cache_path(store)
    if cache is not None and cache.exists():
        try:
            return _frozen(lambda: pickle.loads(cache.read_bytes()))
        except Exception as error:  # a damaged or foreign cache file only means building anew
            log.info("knowledge cache %s unusable (%s); building", cache.name, type(error).__name__)
    kb = _frozen(lambda: _build(store, curated))
    if cache is not None:
        # Pickling the base takes longer than building the index: done on its own thread, it no longer delays the
        # first answer. Not a daemon, so a one-shot `briefbot ask` still leaves the cache for the next start.
        threading.Thread(target=_write_cache, args=(cache, kb), name=CACHE_WRITER, daemon=False).start()
    return kb


def cache_path(store: Store) -> Path | None:
    """Where this store's built knowledge base is cached; None when caching is off (BRIEFBOT_CACHE=off)."""
    if os.environ.get("BRIEFBOT_CACHE", "").lower() in ("off", "0", "no"):
        return None
    folder = Path(os.environ.get("BRIEFBOT_CACHE_DIR") or user_cache_dir("briefbot"))
    digest = hashlib.sha256()
    digest.update(repr((CACHE_FORMAT, str(store.engine.url), store.version())).encode())
    # The code and the curated data the base is built by: a changed file means another cache.
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *(package / "data").glob("*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return folder / f"knowledge-{digest.hexdigest()[:24]}.pickle"


def _write_cache(cache: Path, kb: KnowledgeBase) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        # A name of this process's and this thread's own: two writers never share a partial file.
        partial = cache.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_bytes(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(cache)  # whole or not at all, even with several processes writing
        # Only then the caches of earlier stores go: until the new one is in place, none is missing.
        for old in cache.parent.glob("knowledge-*.pickle"):
            if old != cache:
                old.unlink(missing_ok=True)
        _sweep_abandoned(cache.parent)
    except (OSError, pickle.PicklingError) as error:
        log.warning("could not cache the knowledge base (%s); it is built at each start", error)


def _sweep_abandoned(folder: Path) -> None:
    """Partial files of writers killed mid-write: a write takes about a second, so an old one has no writer."""
    deadline = time.time() - ABANDONED_AFTER_S
    for partial in folder.glob("knowledge-*.tmp"):
        with contextlib.suppress(OSError):  # another process swept it first
            if partial.stat().st_mtime < deadline:
                partial.unlink()


def _build(store: Store, curated: CuratedData | None) -> KnowledgeBase:
    curated = curated or load_curated()
    merged = merge(curated, loaded_lists(store))
    return KnowledgeBase(
        sources=merged.sources,
        entities=merged.entities,
        sanctions=merged.sanctions,
        allegations=curated.allegations,
        relations=merged.relations,
        snapshots=store.active(),
    )


def _frozen(make: Callable[[], KnowledgeBase]) -> KnowledgeBase:
    # Building creates a few hundred thousand objects that live as long as the process; the cyclic collector
    # would scan them again and again meanwhile (measured: it doubled the start-up time), so it pauses, and
    # the finished base is frozen out of its generations so later collections do not rescan it either.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kb = make()
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return kb
