"""The brief as a STIX 2.1 bundle: identities, intrusion sets, campaigns, their relationships, sanctions and
allegations as sourced external references and notes, for OpenCTI and MISP to import. Valid for OASIS's validator
in strict mode and for `stix2.parse` without custom content: an identity's aliases go in a declared extension, and
every object carries the brief's TLP 2.0 marking."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from bot.briefs.content import Brief, Tlp
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


# OASIS's TLP 2.0 marking definitions (cti-stix-common-objects, extension-definition-specifications/tlp-2.0),
# reproduced as published: consumers know them by these ids.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
_TLP_MARKINGS = {
    Tlp.CLEAR: ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    Tlp.GREEN: ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    Tlp.AMBER: ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    Tlp.AMBER_STRICT: ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    Tlp.RED: ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}


def _id(kind: str, key: str) -> str:
    """A UUIDv4-form id made from a digest of our own id, not drawn at random: STIX asks SDOs for UUIDv4, and the
    same entity must keep the same id in every export."""
    digest = uuid.uuid5(NAMESPACE, f"{kind}:{key}").bytes
    return f"{kind}--{uuid.UUID(bytes=digest, version=4)}"


def tlp_marking(tlp: Tlp) -> dict[str, Any]:
    marking_id, value = _TLP_MARKINGS[tlp]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": tlp.value,
        "extensions": {TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": value}},
    }


# STIX 2.1 gives identities no aliases property: their other names go in this declared property extension.
ALIASES_EXTENSION = _id("extension-definition", "identity-aliases")


def _aliases_extension(common: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "extension-definition",
        "id": ALIASES_EXTENSION,
        **common,
        "name": "Identity aliases",
        "description": "The other names an identity is known by, as the aliases property of other STIX objects.",
        "schema": "A property extension holding one property, aliases: a list of strings, each another name by "
        "which the identity is known (former names, names in other scripts, spellings of other lists).",
        "version": "1.0.0",
        "extension_types": ["property-extension"],
    }


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
            obj["extensions"] = {ALIASES_EXTENSION: {"extension_type": "property-extension", "aliases": aliases}}
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


def _persona(operator: Entity, common: dict[str, Any]) -> dict[str, Any]:
    """The operator of an intrusion set, campaign or botnet as a STIX threat actor: STIX relates those to a threat
    actor, and a threat actor to the identity it is (attributed-to)."""
    return {
        "type": "threat-actor",
        "id": _id("threat-actor", operator.id),
        **common,
        "name": operator.caption,
        "description": f"{operator.caption} in its role as operator of what this bundle links it to; the "
        "identity it is attributed to is the organisation or person itself, with its sanctions and sources.",
    }


def _operates(operator: Entity, operated: Entity) -> list[tuple[str, str, str]] | None:
    """`operator` operates `operated` as STIX 2.1's relationship table has it: (source id, type, target id) each,
    through the operator's threat-actor persona where the operator is an identity; None where STIX has no such
    relationship."""
    actor, target = _type(operator), _type(operated)
    operator_id, operated_id = _id(actor, operator.id), _id(target, operated.id)
    if actor == "identity":
        persona = _id("threat-actor", operator.id)
        attributed = (persona, "attributed-to", operator_id)
        if target in ("intrusion-set", "campaign"):
            return [(operated_id, "attributed-to", persona), attributed]
        if target == "infrastructure":
            return [(persona, "uses", operated_id), attributed]
        return None
    if actor == "intrusion-set" and target == "campaign":
        return [(operated_id, "attributed-to", operator_id)]
    if actor in ("intrusion-set", "campaign") and target == "infrastructure":
        return [(operator_id, "uses", operated_id)]
    return None


def _relationships(
    kb: KnowledgeBase, centre: Entity, other: Entity, link: Link, common: dict[str, Any]
) -> list[dict[str, Any]]:
    """The link as STIX relationships: the one STIX names where it has one ("operates"), else related-to."""
    triples: list[tuple[str, str, str]] | None = None
    if link.predicate is Predicate.OPERATES:
        # The link is seen from the centre: "operates" when the centre operates, "operated by" when it is operated.
        operator, operated = (centre, other) if link.label == Predicate.OPERATES.value else (other, centre)
        triples = _operates(operator, operated)
    if triples is None:
        triples = [(_id(_type(centre), centre.id), "related-to", _id(_type(other), other.id))]
    when = f" on {link.date.isoformat()}" if link.date else ""
    cited = kb.source(link.source)
    description = f"{centre.caption} {link.label} {other.caption}{when}, per {cited.by}" + (
        f" ({link.note})." if link.predicate is Predicate.POSSIBLY_SAME else "."
    )
    relations = []
    for source_ref, kind, target_ref in triples:
        relation: dict[str, Any] = {
            "type": "relationship",
            "id": _id("relationship", f"{source_ref}|{kind}|{target_ref}|{link.source}"),
            **common,
            "relationship_type": kind,
            "source_ref": source_ref,
            "target_ref": target_ref,
            "description": description,
            "external_references": [_reference(cited)],
        }
        if link.date:
            relation["start_time"] = f"{link.date.isoformat()}T00:00:00Z"
        relations.append(relation)
    return relations


def brief_stix(kb: KnowledgeBase, brief: Brief) -> dict[str, Any]:
    """A bundle of the entity, everything linked to it, the links, and its allegations as notes, every object
    marked with the brief's TLP label."""
    stamp = f"{brief.as_of.isoformat()}T00:00:00.000Z"
    marking = tlp_marking(brief.tlp)
    author = {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", "briefbot"),
        "created": stamp,
        "modified": stamp,
        "name": "briefbot",
        "identity_class": "system",
        "description": "Every object cites the documents it rests on in its external references.",
        "object_marking_refs": [marking["id"]],
    }
    common = {
        "spec_version": "2.1",
        "created": stamp,
        "modified": stamp,
        "created_by_ref": author["id"],
        "object_marking_refs": [marking["id"]],
    }
    centre = kb.entity(brief.entity_id)
    objects = [marking, author, _object(kb, centre, common)]
    by_other: dict[str, list[Link]] = defaultdict(list)
    for link in kb.links_of(centre.id):
        by_other[link.other].append(link)
    for other_id, links in by_other.items():
        other = kb.entity(other_id)
        objects.append(_object(kb, other, common))
        for link in links:
            relations = _relationships(kb, centre, other, link, common)
            personas = {r["source_ref"] for r in relations if r["source_ref"].startswith("threat-actor--")}
            for operator in (centre, other):
                if _id("threat-actor", operator.id) in personas:
                    objects.append(_persona(operator, common))
            objects += relations
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
    if any(ALIASES_EXTENSION in obj.get("extensions", {}) for obj in objects):
        objects.insert(2, _aliases_extension(common))
    unique = {obj["id"]: obj for obj in objects}
    return {"type": "bundle", "id": _id("bundle", f"{centre.id}|{stamp}"), "objects": list(unique.values())}
