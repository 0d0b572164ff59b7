"""MITRE ATT&CK STIX data: intrusion sets (groups) with their aliases, from 2.0 per-object files or 2.1 bundles.

Each ATT&CK domain (Enterprise, Mobile, ICS) is a list of its own, so that loading one never replaces another's
groups; a group two domains describe (APT41) is one card, joined on its ATT&CK ID.
No country is read: ATT&CK states none in a field, and its descriptions name victims as often as sponsors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from knowledge.errors import DataError
from knowledge.lists.catalogue import DOMAINS
from knowledge.lists.importers.common import (
    ParsedList,
    decode_text,
    load_json,
    raw_hash,
    read_bytes,
    reject_duplicates,
    shape_errors,
)
from knowledge.lists.records import ListedName, ListedRecord, replaced
from knowledge.models import EntityKind, NameType

__all__ = ["DOMAINS", "SOURCE", "domain_of", "parse_mitre_attack"]

SOURCE = "mitre-attack"
# Each ATT&CK domain and the suffix of its list's name: "mitre-attack" (Enterprise), "mitre-attack-mobile"…
# The name each domain's bundle gives its x-mitre-collection object.
_COLLECTIONS = {"enterprise att&ck": "enterprise-attack", "mobile att&ck": "mobile-attack", "ics att&ck": "ics-attack"}


def domain_of(text: str, name: str) -> str | None:
    """The ATT&CK domain a bundle is, from its collection's name (the first object of MITRE's bundles), else from
    the file or folder name (MITRE's cti repository keeps each domain in a folder named after it); None if neither."""
    found = re.search(r'"name"\s*:\s*"((?:Enterprise|Mobile|ICS) ATT&CK)"', text)
    if found:
        return _COLLECTIONS[found.group(1).casefold()]
    lowered = name.casefold()
    for domain in ("mobile-attack", "ics-attack", "enterprise-attack"):
        if domain in lowered:
            return domain
    return None


_CITATION = re.compile(r"\(Citation:[^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def _files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        found += sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not found:
        raise DataError("no ATT&CK JSON files in " + ", ".join(p.name for p in paths) + ".")
    return found


def _record(obj: dict[str, Any], where: str, source: str) -> ListedRecord:
    attack_id = next(
        (r.get("external_id") for r in obj.get("external_references", []) if r.get("source_name") == "mitre-attack"),
        None,
    )
    if not attack_id or not obj.get("name"):
        raise DataError(f"{where}: intrusion set {obj.get('id', '?')} has no ATT&CK ID or no name.")
    url = next(
        (r.get("url") for r in obj.get("external_references", []) if r.get("source_name") == "mitre-attack"), None
    )
    names = [ListedName(value=obj["name"], type=NameType.PRIMARY)]
    names += [ListedName(value=a, type=NameType.ALIAS) for a in obj.get("aliases", []) if a != obj["name"]]
    description = _LINK.sub(r"\1", _CITATION.sub("", obj.get("description", ""))).strip()
    return ListedRecord(
        source=source,
        record_id=attack_id,
        kind=EntityKind.THREAT_ACTOR,
        name=obj["name"],
        names=tuple(names),
        remarks=description or None,
        identifiers={"ATT&CK ID": attack_id, "STIX id": obj.get("id", "")},
        url=url,
        raw_hash=raw_hash(json.dumps(obj, sort_keys=True)),
    )


def _union(first: ListedRecord, second: ListedRecord) -> ListedRecord:
    """One group described by two ATT&CK domains (APT41 is G0096 in Enterprise and in Mobile): all its names."""
    names = {n.value.casefold(): n for n in (*first.names, *second.names)}
    # Both objects are the record: a change in the second (a new alias) is an amendment, which one hash over the
    # first alone would hide from the digest (changes.py trusts an unchanged hash).
    return replaced(first, names=tuple(names.values()), raw_hash=raw_hash(first.raw_hash, second.raw_hash))


def _check_domain(bundle: dict[str, Any], name: str, source: str) -> None:
    """A bundle of one domain refused as another's list: Mobile loaded as Enterprise would delist every Enterprise
    group."""
    stated = next(
        (
            _COLLECTIONS.get(str(obj.get("name", "")).casefold())
            for obj in bundle["objects"]
            if isinstance(obj, dict) and obj.get("type") == "x-mitre-collection"
        ),
        None,
    )
    if stated is not None and SOURCE + DOMAINS[stated] != source:
        raise DataError(
            f"{name}: this is the ATT&CK {stated} bundle, not the list {source}. Load it with --source "
            f"{SOURCE + DOMAINS[stated]}."
        )


def parse_mitre_attack(paths: list[Path], *, source: str = SOURCE) -> ParsedList:
    records, skipped, modified = [], 0, []
    for path in _files(paths):
        in_file: list[ListedRecord] = []
        bundle = load_json(decode_text(read_bytes(path), path.name, fallback=None), path.name)
        if (
            not isinstance(bundle, dict)
            or bundle.get("type") != "bundle"
            or not isinstance(bundle.get("objects"), list)
        ):
            raise DataError(f"{path.name}: not a STIX bundle (no 'type': 'bundle' with 'objects').")
        _check_domain(bundle, path.name, source)
        for number, obj in enumerate(bundle["objects"], start=1):
            if not isinstance(obj, dict) or obj.get("type") != "intrusion-set":
                continue
            if obj.get("revoked") or obj.get("x_mitre_deprecated"):
                skipped += 1
                continue
            where = f"{path.name}: object #{number} ({str(obj.get('id', '?'))[:80]})"
            with shape_errors(where):
                in_file.append(_record(obj, where, source))
                if isinstance(obj.get("modified"), str):
                    modified.append(dt.date.fromisoformat(obj["modified"][:10]))
        reject_duplicates(in_file, path.name, "ATT&CK ID")
        records += in_file
    if not records:
        raise DataError("no current intrusion sets in " + ", ".join(p.name for p in paths) + ".")
    merged: dict[str, ListedRecord] = {}
    for record in records:
        merged[record.record_id] = _union(merged[record.record_id], record) if record.record_id in merged else record
    records = list(merged.values())
    return ParsedList(
        source=source,
        records=records,
        as_of=max(modified) if modified else None,
        skipped={"revoked or deprecated intrusion sets": skipped} if skipped else {},
    )
