"""The removal guard: a snapshot that would delist too much, or that looks cut off, is held back, never used."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from knowledge.settings import settings

__all__ = ["DEFAULT_MIN_REMOVALS", "DEFAULT_SHARE", "RemovalPolicy", "check_removals"]

# A list loses a handful of designations on a busy day (OFAC: 15 in six weeks of 2024); a cut file loses thousands.
DEFAULT_SHARE = 0.02
DEFAULT_MIN_REMOVALS = 50
SHARE_VARIABLE = "BRIEFBOT_REMOVAL_SHARE"
MIN_VARIABLE = "BRIEFBOT_REMOVAL_MIN"


@dataclass(frozen=True, slots=True)
class RemovalPolicy:
    """Hold back a snapshot that removes more than `share` of the list in use and at least `minimum` records."""

    share: float = DEFAULT_SHARE
    minimum: int = DEFAULT_MIN_REMOVALS

    @classmethod
    def from_environment(cls) -> RemovalPolicy:
        """The policy set by BRIEFBOT_REMOVAL_SHARE (a fraction, or a percentage such as "2%") and
        BRIEFBOT_REMOVAL_MIN (a count); the defaults where they are unset."""
        own = settings()
        return cls(share=own.removal_share, minimum=own.removal_min)


def check_removals(
    before: Set[str],
    after: Set[str],
    *,
    positions: Mapping[str, int] | None = None,
    looks_cut: str | None = None,
    policy: RemovalPolicy | None = None,
) -> str | None:
    """Why a snapshot going from `before` (the record ids in use) to `after` must be held back; None if it may go.

    `positions` are the places of the records in use in their file: when exactly the last ones are missing, the new
    file ends where the old one went on, the mark of a file cut at a row boundary. `looks_cut` is what the file
    itself says against its completeness (an end-of-file mark missing); then no removal at all is taken unasked.
    The scheduled refresh calls this too and never overrides it; only `briefbot refresh --accept-removals` does.
    """
    policy = policy or RemovalPolicy()
    removed = before - after
    if not removed:
        return None
    share = len(removed) / len(before)
    figures = f"it would remove {len(removed):,} of the {len(before):,} records in use ({share:.1%})"
    if len(removed) >= policy.minimum and share > policy.share:
        limit = f"{policy.share:.0%} (and at least {policy.minimum:,})"
        return f"{figures}, over the guard's {limit}: a cut or damaged file"
    if looks_cut:
        return f"{figures} while {looks_cut}"
    if positions and removed <= positions.keys():
        kept = [positions[r] for r in before - removed if r in positions]
        if kept and min(positions[r] for r in removed) > max(kept):
            return f"{figures}, exactly the last {len(removed):,} of the list in use: the file looks cut off there"
    return None
