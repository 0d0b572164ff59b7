"""Fuzz-like: real files cut at random row boundaries and mid-row (seeded) never yield removals in use."""

import random
from pathlib import Path

import pytest

from conftest import REAL, TODAY
from knowledge.errors import DataError
from knowledge.lists.changes import ChangeKind
from knowledge.lists.refresh import refresh_files
from knowledge.store.database import Store

SEED = 20_261_201
# (list, real file, cuts at row boundaries, cuts at a random byte): fewer for the big files, to keep the suite quick.
FILES = [
    ("ofac-cons", REAL / "ofac" / "cons_prim_2018-05.csv", 10, 10),
    ("uk-sanctions-list", REAL / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv", 6, 6),
    ("uk-conlist", REAL / "uk" / "hmt_conlist_2018-04-13.csv", 3, 3),
    ("opensanctions", REAL / "opensanctions" / "yente_zala_cluster.entities.ftm.json", 10, 10),
    ("un-sc", REAL / "un" / "UN_consolidated_2018-08-24.xml", 2, 2),
    ("ofac-cons", REAL / "ofac" / "OFAC_CONS_ENHANCED_XML_dataAsOf-2026-01-08.xml", 2, 2),
]


def _cuts(data: bytes, rows: int, bytes_: int, rng: random.Random) -> list[tuple[str, bytes]]:
    ends = [n + 1 for n, byte in enumerate(data) if byte == 0x0A and n + 1 < len(data)]
    cuts = [(f"after byte {end} (a row boundary)", data[:end]) for end in rng.sample(ends, min(rows, len(ends)))]
    # Near the end too: a cut that loses only the last few rows is the one a share alone would let through.
    cuts += [(f"last {k} rows gone", data[: ends[-k]]) for k in (1, 3) if len(ends) > k]
    cuts += [(f"at byte {n}", data[:n]) for n in (rng.randrange(1, len(data) - 1) for _ in range(bytes_))]
    return cuts


@pytest.mark.parametrize(("source", "path", "rows", "bytes_"), FILES, ids=[f[0] for f in FILES])
def test_no_cut_of_a_real_file_ever_yields_removals_in_use(source: str, path: Path, rows: int, bytes_: int, tmp_path):
    store = Store.open(str(tmp_path / "fuzz.sqlite3"))
    full = refresh_files(store, source, [path], now=TODAY)
    listed = store.record_ids(full.snapshot.id)
    rng = random.Random(f"{SEED}-{source}")
    outcomes = {"refused": 0, "held back": 0, "taken, removing nothing": 0}
    for label, data in _cuts(path.read_bytes(), rows, bytes_, rng):
        cut = tmp_path / f"cut{path.suffix}"
        cut.write_bytes(data)
        try:
            result = refresh_files(store, source, [cut], now=TODAY)
        except DataError:
            outcomes["refused"] += 1
            continue
        if result.held_back or result.unchanged:
            outcomes["held back" if result.held_back else "taken, removing nothing"] += 1
            continue
        assert result.removed == 0, f"{path.name} cut {label} removed {result.removed}"
        outcomes["taken, removing nothing"] += 1
        [in_use] = [s for s in store.active() if s.source == source]
        assert listed <= store.record_ids(in_use.id), f"{path.name} cut {label} lost records"
    assert [e for e in store.events() if e.kind is ChangeKind.REMOVED] == []
    assert store.delisted(source) == []
    assert outcomes["refused"] + outcomes["held back"] > 0
