"""Builds the knowledge base a bot answers from: the curated data merged with every list in the store."""

from __future__ import annotations

from knowledge.base import KnowledgeBase
from knowledge.catalogue import snapshot_source
from knowledge.curated import CuratedData, load_curated
from knowledge.merge import LoadedList, merge
from knowledge.store import Store

__all__ = ["load_knowledge", "loaded_lists"]


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
