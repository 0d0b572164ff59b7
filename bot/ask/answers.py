"""Hands a read question to the module of its family, or to the choice or the polite no when none is found."""

from __future__ import annotations

from bot.ask.about import based_answer, born_answer, former_names_answer, nationality_answer, profile_answer
from bot.ask.accused import accused_answer
from bot.ask.choices import cannot_answer, not_found, read_as_card, which_one
from bot.ask.common import (
    COMMAND,
    understood,
)
from bot.ask.facts import common_answer, fact_answer, facts_answer
from bot.ask.listings import changes, delistings, designations, events
from bot.ask.one_subject import one_subject
from bot.ask.reading import HOW_SOLE_HOLDER, Intent, Question, is_body, says
from bot.ask.sanctioned import sanctions_answer
from bot.ask.statements import Statement, search_statements
from bot.ask.ties import behind_answer, linked_answer
from bot.ask.vocabulary import QUESTION_WORDS
from bot.cards import (
    entity_card,
    same_subject_note,
)
from bot.context import Context
from bot.errors import UsageError
from bot.list_dates import ages_now
from bot.reply import Fact, Reply, Status
from knowledge.authorities import AUTHORITIES
from knowledge.base import KnowledgeBase
from knowledge.models import EntityKind
from knowledge.names.lookup import GENERIC_WORDS
from knowledge.references import reference

__all__ = ["answer"]


def _for_one_subject(question: Question, context: Context, cards: list[str]) -> Reply:
    """A question about words that name one subject on several cards, answered for all of them: designations from
    every card; anything else from the card that holds an answer, the others named."""
    kb = context.kb
    if question.intent is Intent.SANCTIONS:
        reply = sanctions_answer(question, context, cards[0], also=tuple(cards[1:]))
    else:
        replies = [answer(read_as_card(question, kb, card), context) for card in cards]
        found = [r for r in replies if r.status in (Status.FOUND, Status.OK)] or replies
        reply = max(found, key=lambda r: sum(len(s.lines) for s in r.sections))
    names = "; ".join(f"{kb.entity(c).caption} ({reference(kb.entity(c))})" for c in cards)
    why = same_subject_note(kb, cards)
    note = Fact(
        label="One subject, several cards",
        value=f"“{question.unresolved[0].text}” names {len(cards)} cards that may be one subject: {names}. Answered "
        f"for all of them; {why or 'the merge left them apart.'}",
    )
    return reply.model_copy(update={"facts": [*reply.facts, note]})


def _subject(kb: KnowledgeBase, entities: list[str], intent: Intent) -> str:
    """The entity asked about: "what has the DOJ accused Wu Haibo of" asks about Wu Haibo, the DOJ is the accuser."""
    if intent in (Intent.ACCUSED, Intent.SANCTIONS, Intent.FACT, Intent.PROFILE) and len(entities) > 1:
        others = [e for e in entities if kb.entity(e).kind is not EntityKind.GOVERNMENT_BODY]
        if others:
            return others[0]
    return entities[0]


def _refuse_unknown_authority(question: Question) -> None:
    """ "Sanctioned by Narnia": an authority the data does not know is named, so no answer would be about it."""
    if question.intent is not Intent.SANCTIONS or question.authorities:
        return
    for miss in question.misses:
        before = question.text[: question.text.find(miss.text)].casefold().split()
        if before and (before[-1] == "by" or before[-2:] == ["by", "the"]):
            known = ", ".join(a.label for a in AUTHORITIES.values())
            raise UsageError(f"I don't know the authority {miss.text!r}. Authorities: {known}.", usage="/ask QUESTION")


def _said_by_about_topic(question: Question, kb: KnowledgeBase, body: str) -> list[Statement]:
    """What a body said about a topic named in words, not as an entity ("what did the NCSC say about Chinese private
    cyber companies?"): its statements holding the topic's words, or none where it is asked of the body itself."""
    mention = next((m for m in question.mentions if m.entity == body), None)
    if mention is None or not is_body(kb, body) or not says(question.text, mention.start, mention.end, by=False):
        return []
    distinctive = [w for w in question.topic if w not in QUESTION_WORDS and w not in GENERIC_WORDS]
    return [s for s in search_statements(kb, distinctive) if body in s.by_entities] if distinctive else []


def answer(question: Question, context: Context) -> Reply:
    """The reply to a read question; one reply, whatever was asked; its title first says how a family name typed
    alone was read ("“Erdogan” read as ERDOGAN, Emrah, ..."), so that no yes or no is taken for another person's."""
    reply = _answer(question, context)
    read = [m for m in question.mentions if m.entity and m.match.how == HOW_SOLE_HOLDER]
    if not read or reply.status is Status.AMBIGUOUS:
        return reply
    said = "; ".join(f"“{m.text}” read as {context.kb.entity(m.entity).caption}" for m in read)
    title = f"{said}, the only listed person of that family name: {reply.title}"
    return reply.model_copy(update={"title": title})


def _answer(question: Question, context: Context) -> Reply:
    kb = context.kb
    entities = question.entities
    intent = question.intent
    _refuse_unknown_authority(question)
    if question.unresolved and len(entities) < (2 if intent is Intent.COMMON else 1):
        cards = one_subject(kb, question.unresolved[0].matches)
        if cards and intent is not Intent.COMMON:
            return _for_one_subject(question, context, cards)
        return which_one(question, context)
    if (
        not entities
        and any(m.looks_like_a_name for m in question.misses)
        and intent
        not in (
            Intent.DESIGNATIONS,
            Intent.DELISTINGS,
            Intent.EVENTS,
        )
    ):
        return not_found(question, context)
    if len(entities) == 1 and (said := _said_by_about_topic(question, kb, entities[0])):
        return facts_answer(question, context, said, subject=None)
    if entities:
        first = _subject(kb, entities, intent)
        if intent is Intent.COMMON and len(entities) >= 2:
            return common_answer(question, context, entities[0], entities[1])
        handlers = {
            Intent.SANCTIONS: sanctions_answer,
            Intent.ACCUSED: accused_answer,
            Intent.BEHIND: behind_answer,
            Intent.LINKED: linked_answer,
            Intent.FORMER_NAMES: former_names_answer,
            Intent.BASED: based_answer,
            Intent.BORN: born_answer,
            Intent.NATIONALITY: nationality_answer,
            Intent.FACT: fact_answer,
        }
        if intent is Intent.SANCTIONED_OVER:
            return linked_answer(question, context, first, sanctioned_only=True)
        handler = handlers.get(intent)
        if handler is not None:
            return handler(question, context, first)
        return profile_answer(question, context, first)
    if intent is Intent.FACT:
        return fact_answer(question, context, None)
    if intent is Intent.EVENTS:
        return events(question, context)
    if intent is Intent.CHANGES:
        return changes(question, context)
    if intent is Intent.PROFILE and question.authorities:
        authority = AUTHORITIES[question.authorities[0]]
        if authority.entity in kb.entities:
            card = entity_card(kb, authority.entity, None, command=COMMAND, query=question.text, ages=ages_now(context))
            return card.model_copy(update={"facts": [understood(question, kb), *card.facts]})
    if intent is Intent.DESIGNATIONS:
        return designations(question, context)
    if intent is Intent.DELISTINGS:
        return delistings(question, context)
    # With nothing else understood, only words that are neither question vocabulary nor common in names may find a
    # statement: "what is the group technology" must not quote every statement about a technology group.
    distinctive = [w for w in question.topic if w not in QUESTION_WORDS and w not in GENERIC_WORDS]
    statements = search_statements(kb, distinctive)
    if statements:
        return facts_answer(question, context, statements, subject=None)
    return cannot_answer(question, context)
