"""Joins curated entries and list records into one card per real-world entity, on strong evidence only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from knowledge.curated import CuratedData
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.records import ListedRecord
from knowledge.models import (
    Entity,
    EntityKind,
    Name,
    NameType,
    Predicate,
    RecordRef,
    Relation,
    Sanction,
    Source,
)
from knowledge.names.lookup import EXACT_ONLY_LENGTH
from knowledge.names.normalise import normalise
from knowledge.slotted import trusted

__all__ = ["LoadedList", "Merged", "merge", "regime_for_programme"]

log = logging.getLogger(__name__)

# Lists on which one real-world entity has one record: two records of one of these never share a card.
SANCTIONS_LISTS = frozenset({"ofac-sdn", "ofac-cons", "uk-sanctions-list", "uk-conlist", "un-sc", "opensanctions"})
_KIND_FAMILY = {
    EntityKind.COMPANY: "organisation",
    EntityKind.ORGANISATION: "organisation",
    EntityKind.GOVERNMENT_BODY: "organisation",
    EntityKind.THREAT_ACTOR: "actor",
    EntityKind.OPERATION: "actor",
}
# Curated identifiers and the cross-reference tokens records carry for the same ids.
_CURATED_IDS = {
    "OFAC ent_num": "ofac",
    "UK Unique ID": "uk-id",
    "OFSI Group ID": "ofsi-group",
    "UN reference number": "un",
    "ATT&CK ID": "attack",
}


def regime_for_programme(authority: str, programme: str) -> str:
    """The regime key of a programme tag: OFAC's CYBER, CYBER2, CYBER3 and CYBER4 are all US-CYB."""
    if authority == "US-OFAC":
        return "US-CYB" if programme.upper().startswith("CYBER") else f"US-{programme.upper()}"
    return programme


@dataclass(frozen=True, slots=True)
class LoadedList:
    """A list as the store has it: the source to cite, the records in use, and those delisted since."""

    source: Source
    list_name: str
    records: list[ListedRecord]
    delisted: list[tuple[ListedRecord, dt.date]] = field(default_factory=list)


@dataclass
class Merged:
    sources: dict[str, Source]
    entities: dict[str, Entity]
    sanctions: list[Sanction]
    relations: list[Relation]


class _Groups:
    """Union-find over nodes ("curated:<id>" or "<list>:<record id>") that refuses joins the evidence forbids."""

    def __init__(self, members: dict[str, tuple[str, EntityKind, str | None]]) -> None:
        self.parent = {node: node for node in members}
        self.members = {node: {node} for node in members}
        self.info = members

    def find(self, node: str) -> str:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: str, b: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        lists_a = [self.info[n][0] for n in self.members[root_a]]
        lists_b = [self.info[n][0] for n in self.members[root_b]]
        for name in set(lists_a) & set(lists_b):
            if name == "curated" or name in SANCTIONS_LISTS:
                log.debug("not joining %s and %s: both hold a %s record", a, b, name)
                return False
        self.parent[root_b] = root_a
        self.members[root_a] |= self.members.pop(root_b)
        return True


def _compatible(first: tuple[str, EntityKind, str | None], second: tuple[str, EntityKind, str | None]) -> bool:
    _, kind_a, country_a = first
    _, kind_b, country_b = second
    if _KIND_FAMILY.get(kind_a, kind_a.value) != _KIND_FAMILY.get(kind_b, kind_b.value):
        return False
    if country_a and country_b and country_a != country_b:
        return False
    # A sanctions-list record joins by name only where both countries are known to agree.
    sanctions_side = first[0] in SANCTIONS_LISTS or second[0] in SANCTIONS_LISTS
    return not sanctions_side or bool(country_a and country_b)


def _key(value: str, is_person: bool) -> str | None:
    """The name's compact form, which merging compares; None for names too short to join anything on."""
    compact = normalise(value, strip_legal_forms=not is_person).compact
    return compact if len(compact) > EXACT_ONLY_LENGTH else None


def _own_tokens(record: ListedRecord) -> set[str]:
    tokens = {f"{record.source}:{record.record_id}"}
    if record.source in ("ofac-sdn", "ofac-cons"):
        tokens.add(f"ofac:{record.record_id}")
    elif record.source == "uk-sanctions-list":
        tokens.add(f"uk-id:{record.record_id}")
    elif record.source == "uk-conlist":
        tokens.add(f"ofsi-group:{record.record_id}")
    elif record.source == "un-sc":
        tokens.add(f"un:{record.record_id}")
    elif record.source == "mitre-attack":
        tokens.add(f"attack:{record.record_id}")
    return tokens | set(record.cross_refs)


def merge(curated: CuratedData, lists: Iterable[LoadedList]) -> Merged:
    lists = list(lists)
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]] = {}
    for loaded in lists:
        for record in loaded.records:
            records[f"{loaded.list_name}:{record.record_id}"] = (record, loaded, None)
        for record, gone in loaded.delisted:
            records.setdefault(f"{loaded.list_name}:{record.record_id}", (record, loaded, gone))
    info: dict[str, tuple[str, EntityKind, str | None]] = {
        f"curated:{e.id}": ("curated", e.kind, e.country) for e in curated.entities.values()
    }
    info.update({node: (loaded.list_name, r.kind, r.country) for node, (r, loaded, _) in records.items()})
    groups = _Groups(info)

    # 1. Explicit cross-references: curated list ids, OFSI group ids, UN references, OpenSanctions referents.
    by_token: dict[str, list[str]] = defaultdict(list)
    for entity in curated.entities.values():
        for label, value in entity.identifiers.items():
            if label in _CURATED_IDS:
                by_token[f"{_CURATED_IDS[label]}:{value}"].append(f"curated:{entity.id}")
    for node, (record, _, _) in records.items():
        for token in _own_tokens(record):
            by_token[token].append(node)
    for nodes in by_token.values():
        for other in nodes[1:]:
            groups.join(nodes[0], other)

    # 2. Names: a primary name (or curated name) equal to a name of the other side, unique within that side's list.
    is_person = {node: kind is EntityKind.PERSON for node, (_, kind, _) in info.items()}
    names_of: dict[str, list[tuple[str, bool]]] = {}
    for entity in curated.entities.values():
        node = f"curated:{entity.id}"
        values = [n.value for n in entity.names if n.type is not NameType.WEAK] + [entity.caption]
        names_of[node] = [(v, True) for v in values]
    for node, (record, _, _) in records.items():
        names_of[node] = [(n.value, n.type is NameType.PRIMARY) for n in record.names if n.type is not NameType.WEAK]
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    leading_holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_key: dict[str, set[str]] = defaultdict(set)
    # Each name's key once: normalising is the costliest step here, and both passes below need the keys.
    keys_of: dict[str, list[tuple[str, bool]]] = {}
    for node, names in names_of.items():
        keys_of[node] = [(key, leading) for value, leading in names if (key := _key(value, is_person[node]))]
        for key, leading in keys_of[node]:
            holders[(info[node][0], key)].add(node)
            by_key[key].add(node)
            if leading:
                leading_holders[(info[node][0], key)].add(node)
    shared = {key for key, nodes in by_key.items() if len(nodes) > 1}
    for node, keyed in sorted(keys_of.items()):
        for key, leading in keyed:
            if not leading or key not in shared:
                continue
            for other in sorted(by_key[key] - {node}):
                other_list = info[other][0]
                # An alias several records of one list share ("isoon") says nothing about which one is meant;
                # a name the other record leads with, or one only it holds, does.
                usable = (
                    other_list == "curated"
                    or other in leading_holders[(other_list, key)]
                    or len(holders[(other_list, key)]) == 1
                )
                if usable and _compatible(info[node], info[other]):
                    groups.join(node, other)

    return _build(curated, records, groups)


def _build(
    curated: CuratedData,
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]],
    groups: _Groups,
) -> Merged:
    sources = dict(curated.sources)
    entities: dict[str, Entity] = {}
    sanctions: list[Sanction] = list(curated.sanctions)
    relations: list[Relation] = list(curated.relations)
    entity_of: dict[str, str] = {}
    for members in groups.members.values():
        curated_nodes = [m for m in members if m.startswith("curated:")]
        listed = sorted(
            (m for m in members if not m.startswith("curated:")),
            key=lambda m: (records[m][2] is not None, CATALOGUE[records[m][1].list_name].rank, m),
        )
        base = curated.entities[curated_nodes[0].removeprefix("curated:")] if curated_nodes else None
        entity_id = base.id if base else listed[0]
        for member in members:
            entity_of[member] = entity_id
        names = list(base.names) if base else []
        seen = {n.value.casefold() for n in names}
        refs, cited = [], list(base.sources) if base else []
        for node in listed:
            record, loaded, gone = records[node]
            sources[loaded.source.id] = loaded.source
            cited.append(loaded.source.id)
            for listed_name in record.names:
                # An empty name (a blank list cell) names nothing; it is not validated again below, so it stops here.
                if not listed_name.value.strip() or listed_name.value.casefold() in seen:
                    continue
                seen.add(listed_name.value.casefold())
                name_type = listed_name.type
                if base is not None and name_type is NameType.PRIMARY:
                    name_type = NameType.ALIAS  # the curated entry keeps its own primary name
                if names and name_type is NameType.PRIMARY:
                    name_type = NameType.ALIAS
                names.append(
                    trusted(
                        Name,
                        value=listed_name.value,
                        type=name_type,
                        lang=listed_name.lang,
                        used_by=listed_name.used_by,
                        source=loaded.source.id,
                    )
                )
            refs.append(
                trusted(
                    RecordRef,
                    list=loaded.list_name,
                    record_id=record.record_id,
                    name=record.name,
                    source=loaded.source.id,
                    remarks=record.remarks,
                    url=record.url,
                    delisted_on=gone,
                )
            )
        first = records[listed[0]][0] if listed else None
        identifiers = dict(base.identifiers) if base else {}
        for node in listed:
            for label, value in records[node][0].identifiers.items():
                identifiers.setdefault(label, value)
        entities[entity_id] = trusted(
            Entity,
            id=entity_id,
            kind=base.kind if base else first.kind,  # type: ignore[union-attr]
            caption=base.caption if base else first.name,  # type: ignore[union-attr]
            names=tuple(names),
            country=(base.country if base else None)
            or next((records[n][0].country for n in listed if records[n][0].country), None),
            summary=base.summary if base else None,
            identifiers=identifiers,
            sources=tuple(dict.fromkeys(cited)),
            records=tuple(refs),
        )
    sanctions = _list_sanctions(sanctions, records, entity_of)
    relations += _record_links(records, entity_of)
    return Merged(sources=sources, entities=entities, sanctions=sanctions, relations=relations)


class _Designation(NamedTuple):
    """A sanction a record states, read once while merging (a pydantic model per record cost a fifth of start-up)."""

    authority: str
    regime: str | None
    regime_name: str | None
    listed_on: dt.date | None
    ended_on: dt.date | None
    reasons: str | None
    measures: tuple[str, ...]


def _record_sanctions(record: ListedRecord, gone: dt.date | None) -> list[_Designation]:
    if record.sanctions:
        return [
            _Designation(x.authority, x.regime, x.regime_name, x.listed_on, x.ended_on or gone, x.reasons, x.measures)
            for x in record.sanctions
        ]
    if record.authority is None:
        return []
    if record.programmes:
        by_regime: dict[str, list[str]] = defaultdict(list)
        for programme in record.programmes:
            by_regime[regime_for_programme(record.authority, programme)].append(programme)
        return [
            _Designation(
                record.authority, regime, ", ".join(tags), record.listed_on, gone, record.reasons, record.measures
            )
            for regime, tags in by_regime.items()
        ]
    return [
        _Designation(
            record.authority, record.regime, record.regime_name, record.listed_on, gone, record.reasons, record.measures
        )
    ]


def _list_sanctions(
    curated: list[Sanction],
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]],
    entity_of: dict[str, str],
) -> list[Sanction]:
    """Each list record's sanctions; where a curated sanction is the same designation, the two become one."""
    by_ref = {(s.entity, s.authority, s.list_ref): i for i, s in enumerate(curated) if s.list_ref}
    by_regime = {(s.entity, s.authority, s.regime): i for i, s in enumerate(curated)}
    out = list(curated)
    for node, (record, loaded, gone) in records.items():
        entity = entity_of[node]
        for number, listed in enumerate(_record_sanctions(record, gone)):
            regime = listed.regime or f"{listed.authority}-{(listed.regime_name or 'unspecified').upper()[:30]}"
            programmes = tuple(listed.regime_name.split(", ")) if record.programmes and listed.regime_name else ()
            same = by_ref.get((entity, listed.authority, record.record_id))
            if same is None:
                same = by_regime.get((entity, listed.authority, regime))
            if same is not None and loaded.list_name in SANCTIONS_LISTS:
                # The official list wins on what it states; the curated entry keeps the action and its reasons.
                current = out[same]
                out[same] = dataclasses.replace(
                    current,
                    list_ref=record.record_id,
                    list_source=loaded.source.id,
                    programmes=programmes or current.programmes,
                    listed_on=listed.listed_on or current.listed_on,
                    measures=listed.measures or current.measures,
                    reasons=listed.reasons or current.reasons,
                    ended_on=listed.ended_on or current.ended_on,
                )
                continue
            out.append(
                trusted(
                    Sanction,
                    id=f"{node}:{number}",
                    entity=entity,
                    authority=listed.authority,
                    regime=regime,
                    regime_name=listed.regime_name,
                    programmes=programmes,
                    listed_on=listed.listed_on,
                    ended_on=listed.ended_on,
                    list_ref=record.record_id,
                    source=loaded.source.id,
                    measures=listed.measures,
                    reasons=listed.reasons,
                )
            )
    return out


def _record_links(
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]], entity_of: dict[str, str]
) -> list[Relation]:
    relations = []
    seen: set[tuple[str, str]] = set()
    for node, (record, loaded, _) in records.items():
        for link in record.links:
            target = entity_of.get(f"{loaded.list_name}:{link.target}")
            subject = entity_of[node]
            if target is None or target == subject or (subject, target) in seen or (target, subject) in seen:
                continue
            seen.add((subject, target))
            relations.append(
                trusted(
                    Relation,
                    id=f"{node}:link:{link.target}",
                    subject=subject,
                    predicate=Predicate.SIMILAR_TO if link.type == "similar" else Predicate.LINKED_TO,
                    object=target,
                    source=loaded.source.id,
                    date=loaded.source.date,
                    note=f"{loaded.source.by}: {link.type}",
                )
            )
    return relations
