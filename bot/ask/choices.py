"""The "which one?" choice, asked again by each candidate's own words, and the replies when nothing is found."""

from __future__ import annotations

import dataclasses
from collections import Counter

from bot.ask.common import (
    ABSENCE_NOTE,
    SUGGESTIONS,
    ask_reply,
    with_suggestions,
)
from bot.ask.reading import Question, references
from bot.cards import (
    match_candidate,
    same_subject_note,
    sanctions_summary,
)
from bot.context import Context
from bot.reply import Candidate, Reply, Status
from knowledge.authorities import AUTHORITIES
from knowledge.base import KnowledgeBase
from knowledge.names.lookup import SUGGEST_THRESHOLD, LookupStatus, Match
from knowledge.names.normalise import normalise
from knowledge.references import record_reference

__all__ = ["cannot_answer", "not_found", "read_as_card", "which_one"]


def read_as_card(question: Question, kb: KnowledgeBase, card: str) -> Question:
    """The question with its unresolved words read as one card."""
    mention = question.unresolved[0]
    chosen = next(m for m in mention.matches if m.entity == card)
    resolved = dataclasses.replace(mention, matches=(chosen,), status=LookupStatus.FOUND)
    return dataclasses.replace(question, mentions=[resolved if m is mention else m for m in question.mentions])


def _asked_again(
    question: Question, start: int, end: int, matches: tuple[Match, ...], kb: KnowledgeBase
) -> list[Candidate]:
    """Choices that ask the same question again with the words at text[start:end] replaced by each entity's name,
    or, where that name would not open it alone (OFAC lists Hassan Dahir Aweys twice; "AZIZ, Abdul" is one
    record's own name and others' alias), by a list reference of its own."""
    text = question.text
    captions = Counter(kb.entity(m.entity).caption for m in matches)
    return [
        match_candidate(
            kb, m, f"/ask {(text[:start] + _words_for(kb, m.entity, captions) + text[end:]).strip()}"
        ).model_copy(update={"detail": sanctions_summary(kb.sanctions_of(m.entity), kb.entity(m.entity))})
        for m in matches
    ]


def _words_for(kb: KnowledgeBase, entity_id: str, captions: Counter[str]) -> str:
    entity = kb.entity(entity_id)
    if captions[entity.caption] < 2 and _opens_alone(kb, entity.caption, entity_id):
        return entity.caption
    table = references(kb)
    # A reference is read as one only where no name matches it: MITRE's "G0082" is also a catalogue's alias of
    # another group, and would open that group instead.
    # A number alone is read as a list's record number only with the list's word before it ("ofac:11744").
    own = (
        record_reference(r) if r.record_id.isdigit() else r.record_id
        for r in entity.records
        if table.get(r.record_id.casefold(), ("",))[0] == entity_id
        and (kb.lookup(r.record_id).status is LookupStatus.NOT_FOUND or _opens_alone(kb, r.record_id, entity_id))
    )
    return next(own, entity.caption)


def _opens_alone(kb: KnowledgeBase, words: str, entity_id: str) -> bool:
    found = kb.lookup(words)
    return found.status is LookupStatus.FOUND and found.best is not None and found.best.entity == entity_id


def which_one(question: Question, context: Context) -> Reply:
    mention = question.unresolved[0]
    return _choice(question, context, mention.text, mention.start, mention.end, mention.matches[:5])


def _choice(
    question: Question,
    context: Context,
    words: str,
    start: int,
    end: int,
    matches: tuple[Match, ...],
    *,
    part_of_names: bool = False,
) -> Reply:
    """ "Which one?": the question asked again of each entity the words could mean, those whose names hold the words
    as typed first ("maduro": MADURO MOROS, Nicolas before a near spelling, RODRIGUEZ OREJUELA's alias "MAURO")."""
    matches = tuple(sorted(matches, key=lambda m: not _holds_the_words(m.name, words)))
    candidates = _asked_again(question, start, end, matches, context.kb)
    if len(candidates) == 1:
        caption = context.kb.entity(matches[0].entity).caption
        title = f"“{words}” is part of the name of {caption}. Is that who you mean?"
    elif part_of_names:
        # The nearest of however many names hold the words: no count, which would say these are all.
        title = f"“{words}” is part of several listed names. Which one do you mean? The nearest:"
    else:
        title = f"“{words}” could mean {len(candidates)} entities. Which one do you mean?"
    return ask_reply(
        question,
        context,
        status=Status.AMBIGUOUS,
        title=title,
        subtitle=f"I understood the question as: {question.intent.value}; pick one and I answer it."
        + (f" {note}" if (note := same_subject_note(context.kb, [c.id for c in candidates])) else ""),
        candidates=candidates,
    )


def not_found(question: Question, context: Context) -> Reply:
    kb = context.kb
    miss = next(m for m in question.misses if m.looks_like_a_name)
    start = question.text.find(miss.text)
    if miss.ambiguous and miss.matches:
        return _choice(question, context, miss.text, start, start + len(miss.text), miss.matches[:5])
    # A word the question's reading did not look up (too short to be told from a typo of another word: "Dorda") is
    # looked up as /who would, for what it may mean.
    matches = miss.matches or tuple(m for m in kb.lookup(miss.text).matches if m.score >= SUGGEST_THRESHOLD)
    # Words that are part of listed names as written ("Deripaska", "Dorda"): no "no entity matching", which would be
    # false, but the question asked again of each card holding them.
    holding = tuple(m for m in matches[:SUGGESTIONS] if _holds_the_words(m.name, miss.text))
    if holding:
        return _choice(question, context, miss.text, start, start + len(miss.text), holding, part_of_names=True)
    candidates = _asked_again(question, start, start + len(miss.text), matches[:SUGGESTIONS], kb)
    return ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title=f"No entity matching “{miss.text}” in the loaded data.",
        subtitle=None if candidates else ABSENCE_NOTE,
        candidates=candidates,
    )


def _holds_the_words(name: str, words: str) -> bool:
    """Whether a name holds every one of these words as written (once normalised)."""
    typed = normalise(words).tokens
    return bool(typed) and set(typed) <= set(normalise(name).tokens)


def cannot_answer(question: Question, context: Context) -> Reply:
    kb = context.kb
    examples = []
    newest = kb.sanctions[0] if kb.sanctions else None
    if newest is not None:
        entity = kb.entity(newest.entity)
        year = newest.listed_on.year if newest.listed_on else context.today.year
        examples = [
            f"who sanctioned {entity.caption} and why?",
            f"what is {entity.caption} accused of?",
            f"what did {AUTHORITIES[newest.authority].label.split(' (')[0]} sanction in {year}?",
        ]
    reply = ask_reply(
        question,
        context,
        status=Status.NOT_FOUND,
        title="I can't answer that from the data I have.",
        subtitle="I found no name, authority or date in it that the data holds. I answer questions about sanctioned "
        "entities: who sanctioned them and why, what they are accused of, who is behind them, what they are linked to.",
    )
    return with_suggestions(reply, examples)
