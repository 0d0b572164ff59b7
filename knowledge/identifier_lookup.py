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
# A label typed before the number ("IMO 8316168", "passport no. F654645") says which identifier it is.
_TYPED_LABELS = (
    (re.compile(r"^imo\b", re.I), IMO),
    (re.compile(r"^passport\b", re.I), PASSPORT),
    (re.compile(r"^(?:swift|bic)\b", re.I), SWIFT),
    (re.compile(r"^(?:tax id|inn|tin)\b", re.I), TAX_ID),
    (re.compile(r"^(?:national id|id card)\b", re.I), NATIONAL_ID),
    (re.compile(r"^(?:registration|reg\.?|ogrn)\b", re.I), REGISTRATION),
)
_AFTER_LABEL = re.compile(r"^\W*(?:(?:no|number|code)\b\.?)?\W*", re.I)
# What a list writes after a number ("(Yemen)").
_AFTER = re.compile(r"\s*\(.*$")
# A number of digits alone this short may be a list's record number (OFAC's 47168) as well as a passport's: none is
# searched under it. One with letters ("F654645") needs a few digits.
MIN_DIGITS_ALONE = 7
MIN_CHARACTERS = 5
MIN_DIGITS = 3
# A SWIFT/BIC code: a bank's four letters, its country's two, two letters or digits for the place, and maybe a branch.
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def _key(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", _AFTER.sub("", value).upper())


def _searchable(key: str, label: str | None) -> bool:
    if label == SWIFT or (label is None and _BIC.match(key)):
        return bool(_BIC.match(key))
    if key.isdigit():
        return len(key) >= MIN_DIGITS_ALONE
    return len(key) >= MIN_CHARACTERS and sum(c.isdigit() for c in key) >= MIN_DIGITS


def _index(kb: KnowledgeBase) -> dict[str, list[tuple[str, str, str]]]:
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for entity in kb.entities.values():
        for label in SEARCHED_LABELS:
            for value in split_values(entity.identifiers.get(label)):
                key = _key(value)
                if _searchable(key, label):
                    found[key].append((entity.id, label, value))
    return dict(found)


def identifier_holders(kb: KnowledgeBase, text: str) -> list[tuple[str, str, str]]:
    """(entity id, label, value as the card gives it) of each card holding the identifier `text`, typed with or
    without its label, spaces or dashes, of that label first where one is typed; none where the text is too short or
    has too few digits to be one (a bare five-digit number may be a list's record number)."""
    text = text.strip()
    typed = None
    for pattern, label in _TYPED_LABELS:
        if found := pattern.match(text):
            typed, text = label, text[found.end() :]
            text = text[_AFTER_LABEL.match(text).end() :]
            break
    key = _key(text)
    if not _searchable(key, typed):
        return []
    index = kb.derived("identifier_lookup.index", _index)
    # A bank's head office written with its branch code "XXX" ("SABRRUMMXXX") is the eight-letter code too.
    held = index.get(key, []) or (index.get(key[:8], []) if len(key) == 11 and key.endswith("XXX") else [])
    # The label typed first; another's where none of that label holds it (lists label one number otherwise: a
    # passport number one list gives as a national id).
    labelled = [h for h in held if typed in (None, h[1])] or held
    return list({entity: (entity, label, value) for entity, label, value in labelled}.values())
