"""Finds the one entity a user means, or builds the polite "not found" and "which one?" replies."""

from __future__ import annotations

import dataclasses

from bot.cards import IDENTIFIER_MATCH, REFERENCE_MATCH, regime_text, same_subject_note
from bot.context import Context
from bot.errors import UsageError
from bot.parsing import MAX_NAME_LENGTH
from bot.reply import Candidate, Reply, Status
from knowledge.base import KnowledgeBase
from knowledge.countries import country_name
from knowledge.identifier_lookup import identifier_holders
from knowledge.lists.identifiers import BIRTH_DATE, IMO, REGISTRATION, ROUGH_BIRTH_DATE, split_values
from knowledge.models import Entity, NameType
from knowledge.names.lookup import LookupStatus, Match
from knowledge.references import LIST_WORDS, reference, typed_reference

__all__ = ["candidate_label", "resolve"]

# Platforms cut a button's label near this length: the part that tells candidates apart comes first.
LABEL_CAPTION = 30
LABEL_LENGTH = 75


def resolve(name: str, context: Context, *, command: str, usage: str) -> Match | Reply:
    """The match for `name`, or a reply saying it was not found (with suggestions) or is ambiguous."""
    name = name.strip()
    if not name:
        raise UsageError(f"Tell me a name: {usage}", usage=usage)
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(
            f"That name is {len(name):,} characters long; names here are under {MAX_NAME_LENGTH}.",
            usage=usage,
        )
    typed = typed_reference(name)
    if typed is not None and typed.endswith(":"):
        raise UsageError(
            f"“{name}” is a list's prefix without a record id; a reference is the prefix and the id together, as the "
            "“which one?” choices show them (ofac:19509, uk:DPR0165, un:KPe.033).",
            usage=usage,
        )
    if typed is not None:
        return _by_reference(typed, context, command=command)
    result = context.kb.lookup(name)
    if result.status is LookupStatus.FOUND and result.best is not None:
        return result.best
    if result.status is not LookupStatus.AMBIGUOUS and (held := identifier_holders(context.kb, name)):
        # No name, but a number a card gives (a passport, an IMO number): that card, or which one of those giving it.
        matches = tuple(
            Match(e, f"{label} {value}", NameType.ALIAS, IDENTIFIER_MATCH, 1.0, f"{label} {value}")
            for e, label, value in held
        )
        if len(matches) == 1:
            return matches[0]
        result = dataclasses.replace(result, status=LookupStatus.AMBIGUOUS, matches=matches)
    candidates = _candidates(context.kb, result.matches, command)
    if result.status is LookupStatus.AMBIGUOUS:
        return Reply(
            command=command,
            query=name,
            status=Status.AMBIGUOUS,
            title=f"“{name}” could mean {len(candidates)} entities. Which one do you mean?",
            subtitle=same_subject_note(context.kb, [c.id for c in candidates]),
            candidates=candidates,
        )
    if not any(c.isalnum() for c in name):
        title = "A name needs letters or digits; I found none in that."
    else:
        title = f"No entity matching “{name}” in the loaded data."
    subtitle = (
        "Absence here is not proof that no sanction exists; the loaded lists say as of when they are current."
        if not candidates
        else None
    )
    if name.isdigit():
        # A bare number may be a list's record number as well as a document's: the list says which.
        subtitle = f"A list's record number is typed with its list, as the cards show it (ofac:{name}, ofsi:{name})."
    return Reply(
        command=command,
        query=name,
        status=Status.NOT_FOUND,
        title=title,
        subtitle=subtitle,
        candidates=candidates,
    )


def _by_reference(ref: str, context: Context, *, command: str) -> Match | Reply:
    entity_id = context.kb.by_reference(ref)
    if entity_id is None:
        return Reply(
            command=command,
            query=ref,
            status=Status.NOT_FOUND,
            title=f"No card has the reference “{ref}” in the loaded data.",
            subtitle="A reference is a list and its id, as the “which one?” choices show them (ofac:19509, "
            "uk:DPR0165, un:KPe.033); the list may not be loaded, or the record may have left it.",
        )
    return Match(entity_id, ref, NameType.PRIMARY, REFERENCE_MATCH, 1.0, "opened by its reference", True)


def _name_use(entity: Entity, match: Match) -> str:
    """How the candidate holds the matched name: its type, and who uses it where the source says."""
    own = next((n for n in entity.names if n.value == match.name), None)
    words = f"“{match.name}” is its {match.name_type.value}"
    if own is not None and own.used_by:
        words += f", used by {own.used_by}"
    return words


def candidate_label(kb: KnowledgeBase, entity: Entity) -> tuple[str, str]:
    """(label, detail): the label a button shows, the reference first after a short caption; the rest after."""
    ref = reference(entity)
    caption = entity.caption if len(entity.caption) <= LABEL_CAPTION else entity.caption[: LABEL_CAPTION - 1] + "…"
    parts = [entity.kind.value]
    codes = list(dict.fromkeys(code for code, _ in entity.countries)) or ([entity.country] if entity.country else [])
    if codes:
        parts.append("/".join(country_name(c) or c for c in codes[:2]))
    for label in (BIRTH_DATE, ROUGH_BIRTH_DATE, REGISTRATION, IMO):
        values = split_values(entity.identifiers.get(label))
        if values:
            short = {BIRTH_DATE: "born", ROUGH_BIRTH_DATE: "born", REGISTRATION: "reg.", IMO: "IMO"}[label]
            parts.append(f"{short} {values[0]}")
            break
    label = f"{caption} · {ref} · " + " · ".join(parts)
    lists = ", ".join(dict.fromkeys(f"{LIST_WORDS.get(r.list, r.list)} {r.record_id}" for r in entity.records[:3]))
    detail = [lists or "briefing entry"]
    sanctions = kb.sanctions_of(entity.id)
    if sanctions:
        detail.append("; ".join(dict.fromkeys(regime_text(s) for s in sanctions[:3])))
    return label, " — ".join(detail)


def _candidates(kb: KnowledgeBase, matches: tuple[Match, ...], command: str) -> list[Candidate]:
    candidates = []
    for match in matches:
        entity = kb.entity(match.entity)
        label, detail = candidate_label(kb, entity)
        candidates.append(
            Candidate(
                id=match.entity,
                name=label,
                score=round(match.score, 2),
                matched=match.name,
                command=f"/{command} {reference(entity)}",
                detail=f"{_name_use(entity, match)}; {detail}",
            )
        )
    return candidates
