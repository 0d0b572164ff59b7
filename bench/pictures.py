"""Picture rendering times: the relationship graph and the timeline, for the most linked entities and a sample."""

from __future__ import annotations

import random
import time

from bench.measure import percentiles
from bot.pictures import relationship_picture, timeline_picture
from knowledge.base import KnowledgeBase

__all__ = ["measure_pictures"]

# The most linked entities are the slowest to draw; a seeded sample of the rest stands for a typical question.
MOST_LINKED = 20
SAMPLE = 80
SEED = 16


def measure_pictures(kb: KnowledgeBase, *, sample: int = SAMPLE, most_linked: int = MOST_LINKED) -> dict:
    """p50/p95/p99 milliseconds per picture kind, for the most linked entities and a seeded sample apart (the
    crowded pictures are the slow ones: mixed in, the sample would hide them), and for both together."""
    linked = {entity_id: len({link.other for link in kb.links_of(entity_id)}) for entity_id in kb.entities}
    crowded = sorted(linked, key=lambda e: (-linked[e], e))[:most_linked]
    rest = sorted(set(kb.entities) - set(crowded))
    sampled = random.Random(SEED).sample(rest, min(sample, len(rest)))
    chosen = crowded + sampled
    # One untimed picture of each kind first: the fonts are read once per process, not once per picture.
    relationship_picture(kb, chosen[0])
    timeline_picture(kb, chosen[0])
    figures: dict = {"entities": len(chosen), "most_links": max((linked[e] for e in chosen), default=0)}
    groups: dict[str, dict] = {"most_linked": {}, "sample": {}}
    for kind, draw in (("graph", relationship_picture), ("timeline", timeline_picture)):
        times: dict[str, float] = {}
        sizes = []
        for entity_id in chosen:
            start = time.perf_counter()
            picture = draw(kb, entity_id)
            times[entity_id] = (time.perf_counter() - start) * 1000
            sizes.append(len(picture.png))
        figures[f"{kind}_ms"] = percentiles(list(times.values()))
        figures[f"{kind}_kb_max"] = round(max(sizes) / 1024)
        groups["most_linked"][f"{kind}_ms"] = percentiles([times[e] for e in crowded])
        groups["sample"][f"{kind}_ms"] = percentiles([times[e] for e in sampled])
    return {**figures, **groups}
