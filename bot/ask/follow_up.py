"""Follow-ups in a conversation: a question naming no entity ("who sanctioned them?") is about the thread's subject."""

from __future__ import annotations

from bot.ask.mentions import Mention, Token, find_mentions
from bot.ask.vocabulary import AUTHORITY_WORDS, COUNTRY_WORDS, KIND_WORDS, QUESTION_WORDS
from bot.reply import Reply
from knowledge.base import KnowledgeBase
from knowledge.models import Entity, NameType
from knowledge.names.lookup import LookupStatus, Match
from knowledge.names.normalise import clean_text
from knowledge.references import reference

__all__ = ["HOW_THREAD", "follow_up_mention", "subject_in", "subject_reference"]

HOW_THREAD = "the thread's subject"
# Words that point back at what was just talked about.
PRONOUNS = frozenset("it its itself they them their theirs themselves he him his she her hers".split())
_POINTERS = frozenset({"this", "that", "these", "those"})
# Words that carry a question on from the last.
_GOING_ON = frozenset({"and", "also", "or", "what about", "how about"})
# A question this short with no name, filter or pronoun ("when?", "why?", "any charges?") follows on from the thread;
# a longer one is a question of its own.
MAX_BARE_WORDS = 4
# The opening message of a thread is read this far for the one entity it names.
MAX_OPENING_CHARS = 2000


def subject_reference(reply: Reply, kb: KnowledgeBase) -> str | None:
    """The stable reference of the one entity an answer is about, for the platform to keep with the answer."""
    entity_id = (reply.entity or {}).get("id")
    if not entity_id or entity_id not in kb.entities:
        return None
    return reference(kb.entity(entity_id))


def subject_in(text: str, kb: KnowledgeBase) -> str | None:
    """The stable reference of the one entity a message names (a thread's opening message); None for none or several."""
    mentions, _ = find_mentions(clean_text(text)[:MAX_OPENING_CHARS], kb)
    named = {m.entity for m in mentions if m.entity}
    return reference(kb.entity(named.pop())) if len(named) == 1 else None


def _pointer(tokens: list[Token], taken: set[int]) -> tuple[int, int] | None:
    """The words that point back at the subject: a pronoun ("them"), or "this company"."""
    for i, token in enumerate(tokens):
        if i in taken:
            continue
        if token.plain in PRONOUNS:
            return i, i
        if token.plain in _POINTERS and i + 1 < len(tokens) and tokens[i + 1].plain in KIND_WORDS:
            return i, i + 1
    return None


def _bare(tokens: list[Token], taken: set[int]) -> bool:
    """A short question with no filter of its own: "when?", "why?", "and the founder?"; or one that goes on from
    the last with an authority only: "and the UK?", "what about the US?"."""
    words = [t.plain for i, t in enumerate(tokens) if i not in taken]
    goes_on = bool(words) and (words[0] in _GOING_ON or " ".join(words[:2]) in _GOING_ON)
    filters = {*COUNTRY_WORDS, *KIND_WORDS} | (set() if goes_on else set(AUTHORITY_WORDS))
    # Every word must be the vocabulary of questions: "is huawei sanctioned" names something the data lacks (in
    # lower case, as chat is typed) and must be answered as such, never about the thread's subject.
    only_asking = all(w in QUESTION_WORDS or w in _GOING_ON for w in words)
    return len(tokens) <= MAX_BARE_WORDS and not taken and only_asking and not any(w in filters for w in words)


def follow_up_mention(text: str, tokens: list[Token], taken: set[int], subject: Entity) -> Mention | None:
    """The thread's subject as a mention: over the words pointing back at it, or after a bare question; else None."""
    match = Match(
        subject.id,
        subject.caption,
        NameType.PRIMARY,
        HOW_THREAD,
        1.0,
        "the entity the thread's earlier answer was about",
        preferred=True,
    )
    found = _pointer(tokens, taken)
    if found is not None:
        first, last = found
        start, end = tokens[first].start, tokens[last].end
        return Mention(start, end, text[start:end], (match,), LookupStatus.FOUND, first, last)
    if _bare(tokens, taken):
        return Mention(len(text), len(text), "", (match,), LookupStatus.FOUND, len(tokens), len(tokens) - 1)
    return None
