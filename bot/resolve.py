"""Finds the one entity a user means, or builds the polite "not found" and "which one?" replies."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UsageError
from bot.parsing import MAX_NAME_LENGTH
from bot.reply import Candidate, Reply, Status
from knowledge.names.lookup import LookupStatus, Match

__all__ = ["resolve"]


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
    result = context.kb.lookup(name)
    if result.status is LookupStatus.FOUND and result.best is not None:
        return result.best
    candidates = [
        Candidate(
            id=m.entity,
            name=context.kb.entity(m.entity).caption,
            score=round(m.score, 2),
            matched=m.name,
            command=f"/{command} {context.kb.entity(m.entity).caption}",
        )
        for m in result.matches
    ]
    if result.status is LookupStatus.AMBIGUOUS:
        return Reply(
            command=command,
            query=name,
            status=Status.AMBIGUOUS,
            title=f"“{name}” could mean {len(candidates)} entities. Which one do you mean?",
            candidates=candidates,
        )
    if not any(c.isalnum() for c in name):
        title = "A name needs letters or digits; I found none in that."
    else:
        title = f"No entity matching “{name}” in the loaded data."
    return Reply(
        command=command,
        query=name,
        status=Status.NOT_FOUND,
        title=title,
        subtitle="Absence here is not proof that no sanction exists; the loaded lists say as of when they are current."
        if not candidates
        else None,
        candidates=candidates,
    )
