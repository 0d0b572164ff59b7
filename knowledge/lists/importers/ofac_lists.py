"""Tells OFAC's SDN list from its Consolidated (non-SDN) list, which share one file format, by their programmes."""

from __future__ import annotations

import re

from knowledge.errors import DataError
from knowledge.lists.importers.common import ParsedList

__all__ = ["refuse_non_sdn"]

# Programme tags OFAC uses only for its non-SDN lists: NS- is "non-SDN" (NS-PLC, NS-ISA, NS-MBS), FSE the Foreign
# Sanctions Evaders, 561 the Part 561 list, CMIC the Chinese military companies, CAPTA and MBS the
# correspondent-account and menu-based lists. An SDN record may carry one of them beside an SDN programme
# ([SDGT] [NS-PLC]); a record under these alone is not on the SDN list. (The Sectoral Sanctions Identifications
# carry SDN programme tags, UKRAINE-EO13662 and RUSSIA-EO14024, so they cannot tell the lists apart.)
_NON_SDN = re.compile(r"^(NS-|FSE-|561|CMIC|CAPTA|MBS)", re.IGNORECASE)
# The real SDN files hold no record under non-SDN programmes alone; OFAC's Consolidated files hold 12-33 %. A few
# such records are let through, so one odd entry (or two in a small extract) cannot block the list's refresh.
_MOST_SDN_LIKE = 0.01
_FEWEST_REFUSED = 5


def _non_sdn_only(programmes: tuple[str, ...]) -> bool:
    return bool(programmes) and all(_NON_SDN.match(p.strip(" []")) for p in programmes)


def refuse_non_sdn(parsed: ParsedList, names: str) -> None:
    """Refuses files loaded as the SDN list that are OFAC's Consolidated (non-SDN) list, which would label its
    records "OFAC SDN" on every card."""
    outside = [r for r in parsed.records if _non_sdn_only(r.programmes)]
    if len(outside) < _FEWEST_REFUSED or len(outside) <= _MOST_SDN_LIKE * len(parsed.records):
        return
    tags = sorted({p for r in outside for p in r.programmes})
    shown = ", ".join(tags[:4]) + (", …" if len(tags) > 4 else "")
    raise DataError(
        f"{names}: this looks like OFAC's Consolidated (non-SDN) list, not the SDN list: {len(outside):,} of "
        f"{len(parsed.records):,} records are under non-SDN programmes only ({shown}). "
        "Load it with --source ofac-cons."
    )
