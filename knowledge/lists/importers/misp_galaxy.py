"""MISP galaxy clusters (threat actors, surveillance vendors, Microsoft activity groups) with synonyms and relations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from knowledge.errors import DataError
from knowledge.lists.importers.common import (
    ParsedList,
    country_code,
    decode_text,
    load_json,
    raw_hash,
    read_bytes,
    reject_duplicates,
    shape_errors,
)
from knowledge.lists.records import ListedName, ListedRecord, RecordLink
from knowledge.models import EntityKind, NameType
from knowledge.names.index import in_order

__all__ = ["parse_misp_galaxy"]

SOURCE = "misp-galaxy"
_KINDS = {"surveillance-vendor": EntityKind.COMPANY}

# A synonym with the vendor that uses it in brackets: "Hive0081 (IBM)", "TG-2884 (SCWX CTU)".
_ATTRIBUTED = re.compile(r"^(.*\S)\s+\(([^()]+)\)$")


def _attributed(synonym: str) -> tuple[str, str | None]:
    """A synonym and the vendor it is attributed to, where the brackets name one: not an acronym of the name
    ("Group 42 (G42)" stays whole), so that "IBM" never finds a group one of IBM's names is for."""
    found = _ATTRIBUTED.match(synonym)
    if not found:
        return synonym, None
    name, inside = found.group(1), found.group(2).strip()
    initials = [w[0].casefold() for w in re.findall(r"[^\W_]+", name)] + [c for c in name if c.isdigit()]
    letters = [c.casefold() for c in inside if c.isalnum()]
    if letters and in_order(letters, initials):
        return synonym, None
    return name, inside


def _record(value: dict[str, Any], galaxy: str, where: str) -> ListedRecord:
    uuid, name = value.get("uuid"), value.get("value")
    if not uuid or not name:
        raise DataError(f"{where}: a cluster without a uuid or a value.")
    meta = value.get("meta") or {}
    names = [ListedName(value=name, type=NameType.PRIMARY, used_by=meta.get(f"origin:{name}"))]
    for synonym in meta.get("synonyms", []):
        if isinstance(synonym, str) and synonym.strip() and synonym != name:
            alias, vendor = _attributed(synonym.strip())
            used_by = meta.get(f"origin:{synonym}") or vendor
            names.append(ListedName(value=alias, type=NameType.ALIAS, used_by=used_by))
    # The cluster's own field first; else the state the CFR's catalogue suspects of sponsoring it.
    country = meta.get("country") or meta.get("cfr-suspected-state-sponsor")
    if isinstance(country, list):
        country = country[0] if country else None
    return ListedRecord(
        source=SOURCE,
        record_id=uuid,
        kind=_KINDS.get(galaxy, EntityKind.THREAT_ACTOR),
        name=name,
        names=tuple({n.value.casefold(): n for n in reversed(names)}.values())[::-1],
        country=country.upper() if isinstance(country, str) and len(country) == 2 else country_code(country),
        remarks=value.get("description"),
        identifiers={"MISP galaxy": f"{galaxy} {uuid}"},
        links=tuple(
            RecordLink(target=r["dest-uuid"], type=r.get("type", "related"))
            for r in value.get("related", [])
            if isinstance(r, dict) and r.get("dest-uuid")
        ),
        url=(meta.get("refs") or [None])[0],
        # Tagged with its galaxy, which the record's kind and label are read from but the value does not hold: a
        # cluster moved to another galaxy is amended, though its value is unchanged (changes.py trusts a hash).
        raw_hash=f"misp-{galaxy}:{raw_hash(json.dumps(value, sort_keys=True))}",
    )


def parse_misp_galaxy(paths: list[Path]) -> ParsedList:
    records = []
    for path in paths:
        cluster = load_json(decode_text(read_bytes(path), path.name, fallback=None), path.name)
        if not isinstance(cluster, dict) or not isinstance(cluster.get("values"), list) or "type" not in cluster:
            raise DataError(f"{path.name}: not a MISP galaxy cluster file (no 'type' and 'values').")
        for number, value in enumerate(cluster["values"], start=1):
            where = f"{path.name}: value #{number}"
            if not isinstance(value, dict):
                raise DataError(f"{where}: a cluster must be a JSON object, not {type(value).__name__}.")
            with shape_errors(where):
                records.append(_record(value, str(cluster["type"]), where))
    reject_duplicates(records, ", ".join(p.name for p in paths), "cluster uuid")
    return ParsedList(source=SOURCE, records=records)
