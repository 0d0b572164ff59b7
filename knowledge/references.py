"""Stable references to one card that a user can type: `ofac:19509`, `uk:DPR0165`, `un:KPe.033`, `curated:isoon`."""

from __future__ import annotations

import re

from knowledge.models import Entity, RecordRef, Sanction

__all__ = [
    "LIST_PREFIXES",
    "LIST_WORDS",
    "entity_references",
    "record_reference",
    "reference",
    "sanction_reference",
    "typed_reference",
]

# The short prefix of each list's references, and the words a candidate line names the list with.
LIST_PREFIXES = {
    "ofac-sdn": "ofac",
    "ofac-cons": "ofac",
    "uk-sanctions-list": "uk",
    "uk-conlist": "ofsi",
    "un-sc": "un",
    "eu-fsf": "eu",
    "opensanctions": "os",
    "us-csl": "csl",
    "mitre-attack": "attack",
    "mitre-attack-mobile": "attack",
    "mitre-attack-ics": "attack",
    "misp-galaxy": "misp",
}
LIST_WORDS = {
    "ofac-sdn": "OFAC SDN",
    "ofac-cons": "OFAC Consolidated (non-SDN)",
    "uk-sanctions-list": "UK Sanctions List",
    "uk-conlist": "OFSI ConList",
    "un-sc": "UN",
    "eu-fsf": "EU FSF",
    "opensanctions": "OpenSanctions",
    "us-csl": "trade.gov CSL",
    "mitre-attack": "ATT&CK Enterprise",
    "mitre-attack-mobile": "ATT&CK Mobile",
    "mitre-attack-ics": "ATT&CK ICS",
    "misp-galaxy": "MISP galaxy",
}
# Whose reference a designation written from a press release gives, where no loaded list holds it yet.
_AUTHORITY_LISTS = {"US-OFAC": "OFAC", "GB-FCDO": "UK Sanctions List", "UN-SC": "UN", "EU": "EU FSF"}
CURATED_PREFIX = "curated"
# A reference is a known prefix, a colon and an id without spaces (a space after the colon is forgiven).
_SHAPE = re.compile(r"^\s*([A-Za-z-]+):\s*(\S*)\s*$")
_KNOWN = frozenset({*LIST_PREFIXES.values(), *LIST_PREFIXES, CURATED_PREFIX})


def record_reference(record: RecordRef) -> str:
    return f"{LIST_PREFIXES.get(record.list, record.list)}:{record.record_id}"


def reference(entity: Entity) -> str:
    """The one reference a candidate line offers: the curated id, else the record the card is named after."""
    if entity.records and entity.id == f"{entity.records[0].list}:{entity.records[0].record_id}":
        return record_reference(entity.records[0])
    if ":" in entity.id:
        for record in entity.records:
            if entity.id == f"{record.list}:{record.record_id}":
                return record_reference(record)
    return f"{CURATED_PREFIX}:{entity.id}"


def entity_references(entity: Entity) -> set[str]:
    """Every reference that opens this card, folded: each record's, the entity id, and the offered one."""
    found = {reference(entity), entity.id}
    for record in entity.records:
        found.add(record_reference(record))
        found.add(f"{record.list}:{record.record_id}")
    return {ref.casefold() for ref in found}


def typed_reference(text: str) -> str | None:
    """The reference `text` is written as, as the index holds it ("ofac: 19509" is "ofac:19509"), or None for a
    name; "ofac:" alone, a known prefix with its id left off, is the prefix and its colon."""
    match = _SHAPE.match(text)
    if not match or match.group(1).casefold() not in _KNOWN:
        return None
    return f"{match.group(1)}:{match.group(2)}"


def sanction_reference(sanction: Sanction) -> str:
    """A designation's list reference with the list named ("OFAC SDN ref 17022", "OFAC Consolidated (non-SDN) ref
    …"): OFAC's SDN and non-SDN lists share one numbering and one authority. "" for none."""
    if not sanction.list_ref:
        return ""
    name, at, _ = (sanction.list_source or sanction.source).partition("@")
    words = LIST_WORDS.get(name) if at else _AUTHORITY_LISTS.get(sanction.authority)
    return f"{words or 'list'} ref {sanction.list_ref}"
