"""Builds the knowledge base a bot answers from: the curated data merged with every list in the store."""

from __future__ import annotations

import datetime as dt
import gc

from knowledge.base import KnowledgeBase
from knowledge.bundled import seed
from knowledge.catalogue import snapshot_source
from knowledge.curated import CuratedData, curated_facts, load_curated
from knowledge.merge import LoadedList, merge
from knowledge.store import Store

__all__ = ["load_knowledge", "loaded_lists", "prepare_store"]


def prepare_store(store: Store, *, now: dt.datetime, curated: CuratedData | None = None) -> None:
    """Before answering: bundled extracts into an empty store, and any change in the curated data recorded."""
    seed(store, now=now)
    curated = curated or load_curated()
    names = {entity.id: entity.caption for entity in curated.entities.values()}
    store.sync_curated(curated_facts(curated), names=names, today=now.date(), now=now)


def loaded_lists(store: Store) -> list[LoadedList]:
    return [
        LoadedList(
            source=snapshot_source(snapshot.source, snapshot.as_of, note=snapshot.note),
            list_name=snapshot.source,
            records=store.records(snapshot.id),
            delisted=store.delisted(snapshot.source),
        )
        for snapshot in store.active()
    ]


def load_knowledge(store: Store, curated: CuratedData | None = None) -> KnowledgeBase:
    # Building creates a few hundred thousand objects that live as long as the process; the cyclic collector
    # would scan them again and again meanwhile (measured: it doubled the start-up time), so it pauses, and
    # the finished base is frozen out of its generations so later collections do not rescan it either.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        curated = curated or load_curated()
        merged = merge(curated, loaded_lists(store))
        kb = KnowledgeBase(
            sources=merged.sources,
            entities=merged.entities,
            sanctions=merged.sanctions,
            allegations=curated.allegations,
            relations=merged.relations,
            snapshots=store.active(),
        )
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return kb
