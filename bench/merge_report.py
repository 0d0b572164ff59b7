"""python -m bench.merge_report: how the real lists merge: entities before and after, joins by kind of evidence,
the pairs of one name left on two cards (same date of birth; each alone on its list) and whether every "no" names
them, and a seeded sample of the joins on near-identical names, printed for a person to audit.

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
from knowledge.lists.identifiers import BIRTH_DATE, STRONG_LABELS, split_values
from knowledge.lists.records import ListedRecord
from knowledge.loading import loaded_lists, prepare_store
from knowledge.merge import NEAR_NAME_IDENTIFIER, NEAR_NAME_UNIQUE, SANCTIONS_LISTS, SHARED_DOCUMENT, merge
from knowledge.models import EXACT_NAME_TYPES, EntityKind, Predicate
from knowledge.name_twins import name_form, near_pairs
from knowledge.store.database import Store

SAMPLE = 100


def _describe(record: ListedRecord) -> str:
    ids = "; ".join(f"{label} {record.identifiers[label]}" for label in STRONG_LABELS if label in record.identifiers)
    regimes = ", ".join(record.programmes) or record.regime_name or record.regime or ""
    facts = f"{record.kind.value}; {record.country or '-'}; {regimes}; {ids or 'no ids'}"
    return f"{record.source}:{record.record_id} “{record.name}” [{facts}]"


def _near_name_pairs(
    records: dict[str, ListedRecord],
) -> tuple[dict[str, set[str]], dict[tuple[str, str], None]]:
    """Every two sanctions-list records of one kind whose names are near-identical: within a list (twins) and
    across two lists."""
    forms = []
    for node, record in records.items():
        if record.source not in SANCTIONS_LISTS:
            continue
        seen = set()
        for listed in record.names:
            form = name_form(listed.value, person=record.kind is EntityKind.PERSON)
            if listed.type not in EXACT_NAME_TYPES and form and form not in seen:
                seen.add(form)
                forms.append((node, form))
    twins: dict[str, set[str]] = defaultdict(set)
    across: dict[tuple[str, str], None] = {}
    for node, other, _, _ in near_pairs(forms):
        if _kind(records[node]) != _kind(records[other]):
            continue
        if records[node].source == records[other].source:
            twins[node].add(other)
            twins[other].add(node)
        else:
            across[tuple(sorted((node, other)))] = None
    return twins, across


def _kind(record: ListedRecord) -> str:
    return "person" if record.kind is EntityKind.PERSON else record.kind.value


def _birth_dates(record: ListedRecord) -> set[str]:
    return {d for d in split_values(record.identifiers.get(BIRTH_DATE)) if len(d) == 10}


def _apart(pair: tuple[str, str], entity_of: dict[str, str]) -> bool:
    return entity_of.get(pair[0]) != entity_of.get(pair[1])


def _shown(pair: tuple[str, str], entity_of: dict[str, str], possibly_same: set[frozenset[str]]) -> bool:
    return frozenset((entity_of.get(pair[0]), entity_of.get(pair[1]))) in possibly_same


def _same_birth_date(records, across, entity_of, possibly_same) -> None:
    """Near-identical names and one full date of birth, left on two cards: each with why (goal: none unexplained)."""
    pairs = [p for p in across if _birth_dates(records[p[0]]) & _birth_dates(records[p[1]])]
    apart = [p for p in pairs if _apart(p, entity_of)]
    print(
        f"\nsame full date of birth and near-identical names, two lists: {len(pairs):,} pairs; "
        f"on two cards: {len(apart)}"
    )
    for first, second in apart:
        shown = "shown as possibly the same" if _shown((first, second), entity_of, possibly_same) else "NOT SHOWN"
        print(f"  - {_describe(records[first])}\n    {_describe(records[second])}\n    ({shown})")


def _name_unique(records, twins, across, entity_of, possibly_same) -> None:
    """OFAC/UK Sanctions List pairs each the only holder of a near-identical name on its list, left on two cards."""
    ofac, uk = {"ofac-sdn", "ofac-cons"}, "uk-sanctions-list"
    pairs = [
        p
        for p in across
        if not twins[p[0]]
        and not twins[p[1]]
        and {records[p[0]].source, records[p[1]].source} & ofac
        and uk in {records[p[0]].source, records[p[1]].source}
    ]
    apart = [p for p in pairs if _apart(p, entity_of)]
    shown = [p for p in apart if _shown(p, entity_of, possibly_same)]
    share = len(apart) / len(pairs) if pairs else 0.0
    print(
        f"\nname-unique OFAC/UK pairs: {len(pairs):,}; on two cards: {len(apart)} ({share:.1%}, goal under 8%); "
        f"shown as possibly the same on every no: {len(shown)}"
    )
    for first, second in apart:
        mark = "" if (first, second) in shown else "  (not shown)"
        print(f"  - {_describe(records[first])}\n    {_describe(records[second])}{mark}")


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
    multi = sum(1 for e in merged.entities.values() if len({r.list for r in e.records}) > 1)
    print(f"multi-list cards (records of two or more lists): {multi:,}")
    kinds = Counter(e.kind for e in merged.evidence)
    print("joins by kind of evidence:")
    for kind, count in kinds.most_common():
        print(f"  {count:6,}  {kind}")
    entity_of: dict[str, str] = {}
    for entity in merged.entities.values():
        for ref in entity.records:
            entity_of[f"{ref.list}:{ref.record_id}"] = entity.id
    possibly_same = {
        frozenset((r.subject, r.object)) for r in merged.relations if r.predicate is Predicate.POSSIBLY_SAME
    }
    twins, across = _near_name_pairs(records)
    _same_birth_date(records, across, entity_of, possibly_same)
    _name_unique(records, twins, across, entity_of, possibly_same)
    rng = random.Random(args.seed)
    new_kinds = {NEAR_NAME_IDENTIFIER, NEAR_NAME_UNIQUE, SHARED_DOCUMENT}
    new_joins = [e for e in merged.evidence if e.kind in new_kinds]
    print(f"\n## {SAMPLE} random joins on near-identical names, of {len(new_joins):,} (seed {args.seed}), to review")
    for number, found in enumerate(rng.sample(new_joins, min(SAMPLE, len(new_joins))), start=1):
        print(f"{number}. [{found.kind}] {found.text}")
        for node in (found.first, found.second):
            if node in records:
                print(f"     {_describe(records[node])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
