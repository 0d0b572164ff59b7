"""The cards holding an identifier typed as it is written on them: a passport, national id, IMO, registration, tax
or SWIFT/BIC number (a /who of "F654645" or "IMO 8316168" had said "no entity matching" about a listed number)."""

from __future__ import annotations

import re
from collections import defaultdict

from knowledge.base import KnowledgeBase
from knowledge.lists.identifiers import IMO, NATIONAL_ID, PASSPORT, REGISTRATION, SWIFT, TAX_ID, split_values

__all__ = ["SEARCHED_LABELS", "identifier_holders"]

# The identifiers searched: those that name one holder (a date of birth names many).
SEARCHED_LABELS = (PASSPORT, NATIONAL_ID, IMO, REGISTRATION, TAX_ID, SWIFT)
# A label typed before the number ("IMO 8316168", "passport no. F654645"), and what a list writes after it ("(Yemen)").
_LABEL_WORDS = re.compile(
    r"^(?:imo|passport|swift(?:/bic)?|bic|tax id|inn|national id|registration)(?:\s+(?:no|number))?\.?:?\s*", re.I
)
_AFTER = re.compile(r"\s*\(.*$")
# Fewer characters than this, or fewer digits, say too little to name one holder.
MIN_CHARACTERS = 5
MIN_DIGITS = 3


def _key(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", _AFTER.sub("", value).upper())


def _index(kb: KnowledgeBase) -> dict[str, list[tuple[str, str, str]]]:
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for entity in kb.entities.values():
        for label in SEARCHED_LABELS:
            for value in split_values(entity.identifiers.get(label)):
                key = _key(value)
                if len(key) >= MIN_CHARACTERS and sum(c.isdigit() for c in key) >= MIN_DIGITS:
                    found[key].append((entity.id, label, value))
    return dict(found)


def identifier_holders(kb: KnowledgeBase, text: str) -> list[tuple[str, str, str]]:
    """(entity id, label, value as the card gives it) of each card holding the identifier `text`, typed with or
    without its label, spaces or dashes; none where the text is too short or has too few digits to be one."""
    key = _key(_LABEL_WORDS.sub("", text.strip()))
    if len(key) < MIN_CHARACTERS or sum(c.isdigit() for c in key) < MIN_DIGITS:
        return []
    held = kb.derived("identifier_lookup.index", _index).get(key, [])
    return list({entity: (entity, label, value) for entity, label, value in held}.values())
