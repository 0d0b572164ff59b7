"""Brief me on this message: the entities any text names, each in a few sourced lines."""

from __future__ import annotations

from bot.ask.mentions import find_mentions
from bot.cards import allegation_line, entity_card, match_candidate, sanctions_summary
from bot.context import Context
from bot.list_dates import ages_now
from bot.reply import Action, Citations, Fact, Line, Reply, Section, Status
from knowledge.names.normalise import clean_text

__all__ = ["MAX_MESSAGE_CHARS", "brief_message"]

COMMAND = "brief"
# A message longer than this is read up to here: a pasted report names its subjects early, and reading a whole
# document would cost more than a chat answer may.
MAX_MESSAGE_CHARS = 4000
# Entities briefed in one reply; more are named with their commands.
MAX_BRIEFED = 5
ALLEGATIONS_SHOWN = 2


def brief_message(text: str, context: Context) -> Reply:
    """One entity: its card. Several: a short sourced brief of each. None: say so, with near names."""
    kb = context.kb
    cleaned = clean_text(text)
    cut = len(cleaned) > MAX_MESSAGE_CHARS
    cleaned = cleaned[:MAX_MESSAGE_CHARS]
    mentions, misses = find_mentions(cleaned, kb)
    found = list(dict.fromkeys(m.entity for m in mentions if m.entity))
    read = f"Read the first {MAX_MESSAGE_CHARS:,} characters of the message." if cut else None
    names = "; ".join(f"“{m.text}” = {kb.entity(m.entity).caption}" for m in mentions if m.entity)
    understood = Fact(label="Names found in the message", value=names or "none")
    if not found:
        near = [m for miss in misses for m in miss.matches][:3]
        return Reply(
            command=COMMAND,
            query=cleaned[:200],
            status=Status.NOT_FOUND,
            title="I found no entity from the loaded data named in this message.",
            subtitle=read or "I look for every name and alias the data holds; absence is not proof of anything.",
            facts=[understood],
            candidates=[match_candidate(kb, m, f"/who {kb.entity(m.entity).caption}") for m in near],
        )
    if len(found) == 1:
        mention = next(m for m in mentions if m.entity == found[0])
        card = entity_card(kb, found[0], mention.match, command=COMMAND, query=cleaned[:200], ages=ages_now(context))
        return card.model_copy(update={"facts": [understood, *card.facts], "subtitle": read or card.subtitle})
    cite = Citations(kb)
    sections = []
    for entity_id in found[:MAX_BRIEFED]:
        entity = kb.entity(entity_id)
        sanctions = kb.sanctions_of(entity_id)
        lines = [
            Line(
                text=f"Sanctions: {sanctions_summary(sanctions)}",
                sources=cite.cite(*(s.source for s in sanctions)),
                command=f"/who {entity.caption}",
            )
        ]
        lines += [allegation_line(a, cite) for a in kb.allegations_of(entity_id)[:ALLEGATIONS_SHOWN]]
        sections.append(Section(title=f"{entity.caption} ({entity.kind.value})", lines=lines))
    more = found[MAX_BRIEFED:]
    if more:
        sections.append(
            Section(
                title="Also named",
                lines=[Line(text=kb.entity(e).caption, command=f"/who {kb.entity(e).caption}") for e in more],
            )
        )
    return Reply(
        command=COMMAND,
        query=cleaned[:200],
        status=Status.FOUND,
        title=f"This message names {len(found)} entities from the data",
        subtitle=read or "Allegations are the named sources' claims, not established facts.",
        facts=[understood],
        sections=sections,
        citations=cite.as_list(),
        actions=[
            Action(label=f"Brief me on {kb.entity(e).caption}"[:75], command=f"/who {kb.entity(e).caption}")
            for e in found[:MAX_BRIEFED]
        ],
    )
