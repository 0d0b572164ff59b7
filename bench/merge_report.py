"""python -m bench.merge_report: how the real lists merge: entities before and after, joins by kind of evidence,
and seeded samples of joins and of same-name pairs left apart, printed for a person to audit.

Run from the repository root; --real names the folder of real lists (default: shared/data/real beside the repo).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.__main__ import DEFAULT_REAL
from bench.datasets import load_real_lists
from knowledge.curated import load_curated
from knowledge.lists.identifiers import STRONG_LABELS
from knowledge.lists.records import ListedRecord
from knowledge.loading import loaded_lists, prepare_store
from knowledge.merge import merge
from knowledge.models import EntityKind, NameType
from knowledge.names.normalise import normalise
from knowledge.store.database import Store

SAMPLE = 100


def _describe(record: ListedRecord) -> str:
    ids = "; ".join(f"{label} {record.identifiers[label]}" for label in STRONG_LABELS if label in record.identifiers)
    regimes = ", ".join(record.programmes) or record.regime_name or record.regime or ""
    facts = f"{record.kind.value}; {record.country or '-'}; {regimes}; {ids or 'no ids'}"
    return f"{record.source}:{record.record_id} “{record.name}” [{facts}]"


def _person_key(value: str) -> str:
    return " ".join(sorted(normalise(value, strip_legal_forms=False).words))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.merge_report", description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--store", type=Path, help="a store the real lists are already loaded in")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    os.environ["BRIEFBOT_CACHE"] = "off"
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="briefbot-merge-") as folder:
        path = args.store or Path(folder) / "real.sqlite3"
        store = Store.open(str(path))
        if args.store is None:
            prepare_store(store, now=now)
            load_real_lists(store, args.real, now=now)
        curated = load_curated()
        lists = loaded_lists(store)
        merged = merge(curated, lists)
    records: dict[str, ListedRecord] = {}
    for loaded in lists:
        for record in loaded.records:
            records[f"{loaded.list_name}:{record.record_id}"] = record
        for record, _, _ in loaded.delisted:
            records.setdefault(f"{loaded.list_name}:{record.record_id}", record)
    before = len(records) + len(curated.entities)
    print(f"records and curated entries (no merging at all): {before:,}")
    print(f"entities after merging: {len(merged.entities):,}")
    print(f"cards joining two or more records: {sum(1 for e in merged.entities.values() if len(e.records) > 1):,}")
    kinds = Counter(e.kind for e in merged.evidence)
    print("joins by kind of evidence:")
    for kind, count in kinds.most_common():
        print(f"  {count:6,}  {kind}")
    rng = random.Random(args.seed)
    between_lists = list(merged.evidence)
    print(f"\n## {SAMPLE} random joins (seed {args.seed})")
    for number, found in enumerate(rng.sample(between_lists, min(SAMPLE, len(between_lists))), start=1):
        print(f"{number}. [{found.kind}] {found.text}")
        for node in (found.first, found.second):
            if node in records:
                print(f"     {_describe(records[node])}")
    # Same-name pairs on different lists that stayed apart: same kind family, same words in any order.
    entity_of: dict[str, str] = {}
    for entity in merged.entities.values():
        for ref in entity.records:
            entity_of[f"{ref.list}:{ref.record_id}"] = entity.id
    by_name: dict[str, list[str]] = defaultdict(list)
    for node, record in records.items():
        primary = next((n.value for n in record.names if n.type is NameType.PRIMARY), record.name)
        key = _person_key(primary) if record.kind is EntityKind.PERSON else normalise(primary).compact
        if len(key) > 3:
            by_name[key].append(node)
    apart = []
    for nodes in by_name.values():
        for i, first in enumerate(nodes):
            for second in nodes[i + 1 :]:
                a, b = records[first], records[second]
                if a.source != b.source and a.kind == b.kind and entity_of.get(first) != entity_of.get(second):
                    apart.append((first, second))
    print(f"\n## {SAMPLE} random same-name pairs of two lists left apart, of {len(apart):,} (seed {args.seed})")
    for number, (first, second) in enumerate(rng.sample(apart, min(SAMPLE, len(apart))), start=1):
        print(f"{number}. {_describe(records[first])}\n     {_describe(records[second])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
