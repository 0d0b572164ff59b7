"""The list extracts shipped in the package, loaded into an empty store so a fresh install answers from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.lists.refresh import RefreshResult
    from knowledge.store.database import Store

__all__ = ["BUNDLED", "Bundle", "seed"]


@dataclass(frozen=True, slots=True)
class Bundle:
    source: str
    folder: str
    as_of: dt.date | None
    # Files in the folder, in the order the importer takes them; empty means the folder itself.
    files: tuple[str, ...] = ()


BUNDLED = (
    # The late-2025 OFAC copy states no date: its newest entry is of late October 2025.
    Bundle(
        "ofac-sdn",
        "ofac-sdn",
        dt.date(2025, 11, 2),
        ("sdn_cyber.csv", "alt_cyber.csv", "add_cyber.csv", "sdn_comments_cyber.csv"),
    ),
    Bundle("uk-sanctions-list", "uk-sanctions-list", dt.date(2025, 8, 11), ("uk_sanctions_list_cyber.csv",)),
    Bundle(
        "misp-galaxy",
        "misp-galaxy",
        dt.date(2026, 8, 6),
        ("threat-actor.json", "surveillance-vendor.json", "microsoft-activity-group.json"),
    ),
    Bundle("mitre-attack", "mitre-attack", None),
)


def _folder(name: str) -> Path:
    return Path(str(resources.files("knowledge") / "data" / "lists" / name))


def seed(store: Store, *, now: dt.datetime) -> list[RefreshResult]:
    """Load each bundled extract whose list has no snapshot yet; lists the user refreshed are left alone."""
    # Imported here: the table of extracts is read by every first start, the refresh machinery only by a seeding.
    from knowledge.lists.refresh import refresh_files

    loaded = {snapshot.source for snapshot in store.snapshots()}
    results = []
    for bundle in BUNDLED:
        if bundle.source in loaded:
            continue
        folder = _folder(bundle.folder)
        paths = [folder / name for name in bundle.files] or [folder]
        results.append(
            refresh_files(
                store,
                bundle.source,
                paths,
                now=now,
                as_of=bundle.as_of,
                origin=f"bundled extract ({bundle.folder})",
                bundled=True,
            )
        )
    return results
