"""The data sets the benchmark runs on: the curated data alone, and every real list in shared/data/real together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from knowledge.lists.refresh import refresh_files
from knowledge.store.database import Store

__all__ = ["REAL_LOADS", "load_real_lists"]

# Each list once, oldest snapshot first so the newest is in use; OFAC's snapshots without dates get theirs.
REAL_LOADS: tuple[tuple[str, tuple[str, ...], dt.date | None], ...] = (
    ("ofac-sdn", ("ofac/sdn_2024-03-22.csv",), dt.date(2024, 3, 22)),
    ("ofac-sdn", ("ofac/sdn_2024-03-25.csv",), dt.date(2024, 3, 25)),
    ("ofac-sdn", ("ofac/sdn_2024-05-03.csv",), dt.date(2024, 5, 3)),
    (
        "ofac-cons",
        tuple(f"ofac/cons_{k}_watchman-2025-12.csv" for k in ("prim", "add", "alt", "comments")),
        dt.date(2025, 12, 19),
    ),
    ("uk-sanctions-list", ("uk/fcdo_uk_sanctions_list_2025-08-11_from-ods.csv",), dt.date(2025, 8, 11)),
    ("uk-conlist", ("uk/hmt_conlist_2018-04-13.csv",), None),
    ("uk-conlist", ("uk/hmt_conlist_c2018-11-29_headerless.csv",), None),
    ("un-sc", ("un/UN_consolidated_2018-08-24.xml",), None),
    ("un-sc", ("un/UN_consolidated_2026-02-27.xml",), None),
    (
        "opensanctions",
        (
            "opensanctions/yente_zala_cluster.entities.ftm.json",
            "opensanctions/yente_t1_eu_fsf_sample.entities.ftm.json",
        ),
        None,
    ),
    ("mitre-attack", ("mitre_attack/cti-enterprise-attack-v18.1-intrusion-set",), None),
    ("mitre-attack-mobile", ("mitre_attack/mobile-attack-17.1.stix21.json",), None),
    (
        "misp-galaxy",
        tuple(f"misp_galaxy/{n}.json" for n in ("threat-actor", "surveillance-vendor", "microsoft-activity-group")),
        None,
    ),
)


def load_real_lists(store: Store, real: Path, *, now: dt.datetime, sources: set[str] | None = None) -> None:
    """Import the real files into `store`; `sources` limits it to some lists (the CI-sized slice)."""
    for source, files, as_of in REAL_LOADS:
        if sources is None or source in sources:
            # Whole published files, loaded in date order as history: a later edition that drops many records
            # (the UN list from 2018 to 2026) is the list as it is, not a cut file, so its removals are taken.
            refresh_files(store, source, [real / f for f in files], now=now, as_of=as_of, accept_removals=True)
