"""Every entity reachable from its displayed name: a /who of the caption opens it, or offers it as one choice."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.reply import Status
from bot.service import Bot

__all__ = ["Reachability", "measure_reachability"]

# At least this many entities are tried (all of them when there are fewer), drawn with a fixed seed.
SAMPLE = 5_000


@dataclass
class Reachability:
    tried: int
    reached: int
    # Entities whose caption does not lead to them in one choice, and "which one?" replies with twin candidates.
    dead_ends: list[str] = field(default_factory=list)
    twins: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return round(self.reached / self.tried, 4) if self.tried else 1.0


def _reaches(bot: Bot, entity_id: str, caption: str, twins: list[str]) -> bool:
    reply = bot.answer(f"/who {caption}")
    if reply.status is Status.FOUND:
        return bool(reply.entity) and reply.entity["id"] == entity_id
    if reply.status is not Status.AMBIGUOUS:
        return False
    labels = [c.name for c in reply.candidates]
    if len(set(labels)) != len(labels):
        twins.append(caption)
    for candidate in reply.candidates:
        if candidate.id == entity_id:
            chosen = bot.answer(candidate.command)
            return chosen.status is Status.FOUND and bool(chosen.entity) and chosen.entity["id"] == entity_id
    return False


def measure_reachability(bot: Bot, *, sample: int = SAMPLE, seed: int = 5) -> Reachability:
    """Open each entity (or a seeded sample) from its displayed name, through the bot's front door."""
    entities = sorted(bot.kb.entities.values(), key=lambda e: e.id)
    chosen = entities if len(entities) <= sample else random.Random(seed).sample(entities, sample)
    result = Reachability(tried=len(chosen), reached=0)
    for entity in chosen:
        if _reaches(bot, entity.id, entity.caption, result.twins):
            result.reached += 1
        else:
            result.dead_ends.append(f"{entity.id} ({entity.caption})")
    return result
