"""The entities of a cached knowledge base, each kept pickled until first read: a start answers from a few of them."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping

from knowledge.models import Entity

__all__ = ["CachedEntities", "PickledOnWrite", "pickled_entities"]


def pickled_entities(entities: Mapping[str, Entity]) -> dict[str, bytes]:
    """Each entity pickled on its own, in the base's order, so that one can be read without the others."""
    return dict(_pickles(entities))


def _pickles(entities: Mapping[str, Entity]) -> Iterator[tuple[str, bytes]]:
    for entity_id, entity in entities.items():
        yield entity_id, pickle.dumps(entity, protocol=pickle.HIGHEST_PROTOCOL)


class PickledOnWrite:
    """The entities, pickled by a cache writer as the dict `pickled_entities` makes (read back, the same), each
    entity's pickle made as the writer reaches it: all of them at once added 30 MB to the first start's peak. The
    writer must not memoize (`Pickler.fast`), or its memo would keep every pickle until the end."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self._entities = entities

    def __reduce__(self) -> tuple[type[dict], tuple[()], None, None, Iterator[tuple[str, bytes]]]:
        return dict, (), None, None, _pickles(self._entities)


class CachedEntities(Mapping[str, Entity]):
    """A read-only mapping of entity ids to entities, in the cache's order, unpickling each on first read.

    Safe for the threads that serve requests: two threads reading one entity for the first time may both unpickle
    it, but `setdefault` keeps the first one made, so every reader gets the same object."""

    def __init__(self, pickled: dict[str, bytes]) -> None:
        self._order = tuple(pickled)
        self._pickled = pickled
        self._read: dict[str, Entity] = {}

    def __getitem__(self, entity_id: str) -> Entity:
        entity = self._read.get(entity_id)
        if entity is not None:
            return entity
        # KeyError for an id the base does not hold, as a dict gives.
        entity = self._read.setdefault(entity_id, pickle.loads(self._pickled[entity_id]))
        return entity

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._pickled

    def __reduce__(self) -> tuple[type[dict], tuple[dict[str, Entity]]]:
        # Pickled (a base copied, or cached again) as the plain dict it stands for.
        return dict, (dict(self.items()),)
