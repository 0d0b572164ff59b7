"""What an entity is accused of or charged with, and by whom; its designations where no one alleges anything."""

from __future__ import annotations

from collections import defaultdict

from bot.ask.common import (
    ABSENCE_NOTE,
    ALLEGATION_NOTE,
    ask_reply,
    entity_json,
    statement_line,
    suggest,
    with_suggestions,
)
from bot.ask.reading import Intent, Question
from bot.ask.statements import search_statements
from bot.cards import (
    allegation_line,
    listed_date,
    sanction_text,
)
from bot.context import Context
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, designation_label, listing_verb
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import is_snapshot_source
from knowledge.models import Entity, NameType, Predicate, SourceKind

__all__ = ["accused_answer", "names_in_text", "written_from"]


def names_in_text(entity: Entity) -> tuple[str, ...]:
    """Names distinctive enough to find the entity inside another entity's statement."""
    names = {entity.caption, *(n.value for n in entity.names if n.type is not NameType.WEAK)}
    return tuple(n for n in names if len(n) >= 5)


def accused_answer(question: Question, context: Context, entity_id: str) -> Reply:
    kb = context.kb
    entity = kb.entity(entity_id)
    allegations = kb.allegations_of(entity_id)
    cite = Citations(kb)
    sections = []
    charges = [
        a
        for a in allegations
        if kb.source(a.source).kind is SourceKind.INDICTMENT or "charged" in a.statement.casefold()
    ]
    shown = charges if question.charges and charges else allegations
    # Whose word is asked for: "what did the DOJ say about i-Soon", or "what has the DOJ accused Wu Haibo of".
    accusers = question.claimant_ids or {e for e in question.entities if e != entity_id}
    by_accuser = [a for a in shown if accusers & set(a.alleged_by_entities)]
    none_by_them = bool(question.claimant_ids) and not by_accuser
    if by_accuser:
        shown = by_accuser
    lines = [allegation_line(a, cite) for a in shown]
    if lines:
        title_of = "Charges" if question.charges and charges else "Allegations"
        sections.append(Section(title=f"{title_of} by others" if none_by_them else title_of, lines=lines))
    reasons = [
        s
        for s in kb.sanctions_of(entity_id)
        if s.reasons and AUTHORITIES.get(s.authority) and AUTHORITIES[s.authority].entity in question.claimant_ids
    ]
    if reasons:
        sections.append(
            Section(
                title="Reasons they gave for sanctioning it",
                lines=[
                    Line(
                        text=(
                            f"{designation_label(s)}, {listed_date(s)}"
                            f"{'' if s.is_active else ', since delisted'}: “{s.reasons}”"
                        ),
                        sources=cite.cite(s.source),
                    )
                    for s in reasons
                ],
            )
        )
    elsewhere = (
        [
            s
            for s in search_statements(kb, [n for n in names_in_text(entity)], mentioning=names_in_text(entity))
            if s.subject != entity_id and s.origin == "allegation"
        ]
        if not allegations
        else []
    )
    if elsewhere:
        sections.append(
            Section(title="Named in allegations about others", lines=[statement_line(s, cite, kb) for s in elsewhere])
        )
    who = list(dict.fromkeys(a.alleged_by for a in shown))
    claimed = "; ".join(kb.entity(e).caption for e in sorted(question.claimant_ids))
    if none_by_them:
        title = f"The loaded data records no allegation by {claimed} about {entity.caption}" + (
            "; it records the reasons they gave for sanctioning it." if reasons else "."
        )
        subtitle = ("It records these by others. " + ALLEGATION_NOTE) if lines else ABSENCE_NOTE
        status = Status.FOUND if reasons else Status.NOT_FOUND
    elif question.charges and not charges:
        title = f"The loaded data records no charges against {entity.caption}."
        subtitle = ("It records these allegations: " + ALLEGATION_NOTE) if lines else ABSENCE_NOTE
        status = Status.NOT_FOUND
    elif lines:
        noun = "charge" if question.charges else "allegation"
        plural = "s" if len(lines) != 1 else ""
        title = f"What {entity.caption} is accused of — {len(lines)} {noun}{plural}, by {'; '.join(who)}"
        subtitle = ALLEGATION_NOTE
        status = Status.FOUND
    else:
        title = f"The loaded data records no allegation against {entity.caption}."
        subtitle = (
            ABSENCE_NOTE if not elsewhere else "It is named in these allegations about others; " + ALLEGATION_NOTE
        )
        status = Status.NOT_FOUND
        # No one's allegation, but a designation is an authority's finding: say what the lists state of it, and
        # whom it was designated with, rather than a bare no.
        listed = _designation_lines(kb, entity, cite)
        if listed:
            sections.append(Section(title="What the sanctioning authorities state (designations)", lines=listed))
            subtitle = "It records these designations, each worded as the authority's own. " + ABSENCE_NOTE
    reply = ask_reply(
        question,
        context,
        status=status,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
    )
    return reply if status is Status.FOUND else with_suggestions(reply, suggest(kb, entity, skip=Intent.ACCUSED))


def _designation_lines(kb: KnowledgeBase, entity: Entity, cite: Citations) -> list[Line]:
    """Each designation of the entity, with the reasons its authority gave and those designated in the same action."""
    with_it: dict[str, list[str]] = defaultdict(list)
    for link in kb.links_of(entity.id):
        if link.predicate in (Predicate.CO_DESIGNATED, Predicate.CO_LISTED):
            with_it[link.source].append(kb.entity(link.other).caption)
    lines = []
    for sanction in kb.sanctions_of(entity.id):
        text = sanction_text(sanction)
        text += f" — reasons given: {sanction.reasons}" if sanction.reasons else " — no reason stated in the data"
        if with_it.get(sanction.source):
            together = ", ".join(sorted(set(with_it[sanction.source])))
            text += f"; {listing_verb(sanction.authority)} in the same action as {together}"
        lines.append(Line(text=text, sources=cite.cite(sanction.source, sanction.list_source)))
    return lines


def written_from(entity: Entity) -> list[str]:
    """The documents a curated entry was written from; the list snapshots joined to it where there are none."""
    return [s for s in entity.sources if not is_snapshot_source(s)] or list(entity.sources)
