"""The brief as a STIX 2.1 bundle: identities, intrusion sets, campaigns, their relationships, sanctions and
allegations as sourced external references and notes, for OpenCTI and MISP to import."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from bot.briefs.content import Brief
from bot.cards import sanction_text
from bot.coverage import sanctions_only
from knowledge.authorities import is_export_control
from knowledge.base import KnowledgeBase, Link
from knowledge.models import Entity, EntityKind, NameType, Predicate, Sanction, Source

__all__ = ["brief_stix"]

# Ids are UUIDv5 of our own ids under this namespace: the same entity gets the same STIX id in every export,
# so a second import updates the first instead of duplicating it.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "briefbot")
_IDENTITY_CLASS = {
    EntityKind.PERSON: "individual",
    EntityKind.COMPANY: "organization",
    EntityKind.ORGANISATION: "organization",
    EntityKind.GOVERNMENT_BODY: "organization",
}


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _type(entity: Entity) -> str:
    if entity.kind is EntityKind.THREAT_ACTOR:
        return "intrusion-set"
    if entity.kind is EntityKind.OPERATION:
        return "campaign"
    if entity.kind is EntityKind.BOTNET:
        return "infrastructure"
    return "identity"


def _reference(source: Source, *, description: str | None = None, external_id: str | None = None) -> dict[str, Any]:
    reference: dict[str, Any] = {"source_name": source.publisher, "description": description or source.title}
    if source.url:
        reference["url"] = source.url
    if external_id:
        reference["external_id"] = external_id
    return reference


def _sanction_reference(kb: KnowledgeBase, sanction: Sanction) -> dict[str, Any]:
    return _reference(kb.source(sanction.source), description=sanction_text(sanction), external_id=sanction.list_ref)


def _object(kb: KnowledgeBase, entity: Entity, common: dict[str, Any]) -> dict[str, Any]:
    kind = _type(entity)
    obj: dict[str, Any] = {"type": kind, "id": _id(kind, entity.id), **common, "name": entity.caption}
    aliases = sorted({n.value for n in entity.names if n.type is not NameType.WEAK and n.value != entity.caption})
    if kind == "identity":
        obj["identity_class"] = _IDENTITY_CLASS.get(entity.kind, "unknown")
        if entity.kind is EntityKind.GOVERNMENT_BODY:
            obj["sectors"] = ["government"]
        if aliases:
            # Identities have no aliases property in STIX 2.1; OpenCTI reads x_opencti_aliases.
            obj["x_opencti_aliases"] = aliases
    elif kind == "infrastructure":
        obj["infrastructure_types"] = ["botnet"]
    elif aliases:
        obj["aliases"] = aliases
    if entity.summary:
        obj["description"] = entity.summary
    sanctions = kb.sanctions_of(entity.id)
    references = [_sanction_reference(kb, s) for s in sanctions]
    references += [_reference(kb.source(s)) for s in entity.sources if s not in {x.source for x in sanctions}]
    if references:
        obj["external_references"] = references
    # An export-control listing (the Entity List) is labelled as one, never as a sanction.
    labels = []
    for chosen, live, ended in (
        (sanctions_only(sanctions), "sanctioned", "delisted"),
        ([s for s in sanctions if is_export_control(s.authority)], "export-controlled", "export-control-ended"),
    ):
        if chosen:
            labels.append(live if any(s.is_active for s in chosen) else ended)
    if labels:
        obj["labels"] = labels
    return obj


def _relationship(
    kb: KnowledgeBase, centre: Entity, other: Entity, link: Link, common: dict[str, Any]
) -> dict[str, Any]:
    source, target, kind = _id(_type(centre), centre.id), _id(_type(other), other.id), "related-to"
    # The one relation STIX names outright: an intrusion set attributed to whoever operates it.
    if link.predicate is Predicate.OPERATES:
        if link.label == Predicate.OPERATES.value and _type(other) == "intrusion-set" and _type(centre) == "identity":
            source, target, kind = target, source, "attributed-to"
        elif _type(centre) == "intrusion-set" and _type(other) == "identity":
            kind = "attributed-to"
    when = f" on {link.date.isoformat()}" if link.date else ""
    cited = kb.source(link.source)
    relation: dict[str, Any] = {
        "type": "relationship",
        "id": _id("relationship", f"{centre.id}|{link.label}|{other.id}|{link.source}"),
        **common,
        "relationship_type": kind,
        "source_ref": source,
        "target_ref": target,
        "description": f"{centre.caption} {link.label} {other.caption}{when}, per {cited.by}"
        + (f" ({link.note})." if link.predicate is Predicate.POSSIBLY_SAME else "."),
        "external_references": [_reference(cited)],
    }
    if link.date:
        relation["start_time"] = f"{link.date.isoformat()}T00:00:00Z"
    return relation


def brief_stix(kb: KnowledgeBase, brief: Brief) -> dict[str, Any]:
    """A bundle of the entity, everything linked to it, the links, and its allegations as notes."""
    stamp = f"{brief.as_of.isoformat()}T00:00:00.000Z"
    author = {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", "briefbot"),
        "created": stamp,
        "modified": stamp,
        "name": "briefbot",
        "identity_class": "system",
        "description": "Every object cites the documents it rests on in its external references.",
    }
    common = {"spec_version": "2.1", "created": stamp, "modified": stamp, "created_by_ref": author["id"]}
    centre = kb.entity(brief.entity_id)
    objects = [author, _object(kb, centre, common)]
    by_other: dict[str, list[Link]] = defaultdict(list)
    for link in kb.links_of(centre.id):
        by_other[link.other].append(link)
    for other_id, links in by_other.items():
        other = kb.entity(other_id)
        objects.append(_object(kb, other, common))
        objects += [_relationship(kb, centre, other, link, common) for link in links]
    for allegation in kb.allegations_of(centre.id):
        objects.append(
            {
                "type": "note",
                "id": _id("note", allegation.id),
                **common,
                "abstract": f"Allegation by {allegation.alleged_by}, {allegation.date.isoformat()}",
                "content": allegation.statement,
                "authors": [allegation.alleged_by],
                "object_refs": [_id(_type(centre), centre.id)],
                "external_references": [_reference(kb.source(allegation.source))],
            }
        )
    unique = {obj["id"]: obj for obj in objects}
    return {"type": "bundle", "id": _id("bundle", f"{centre.id}|{stamp}"), "objects": list(unique.values())}
