"""Questions in plain words: finds the names, reads what is asked, answers from the data only."""

import gc

from bot.ask.answers import answer
from bot.ask.brief import MAX_MESSAGE_CHARS, brief_message
from bot.ask.editions import seen_added
from bot.ask.follow_up import subject_in, subject_reference
from bot.ask.mentions import name_keys
from bot.ask.reading import Intent, Question, country_programmes, read_question, references
from bot.ask.statements import statement_table
from bot.parsing import period_patterns
from knowledge.base import KnowledgeBase


def prepare(kb: KnowledgeBase) -> None:
    """Build the tables questions are read with, so that the first question after a (re)load does not wait."""
    # The tables hold a few hundred thousand objects that live as long as the knowledge base, as its own do: the
    # cyclic collector pauses while they are built and they are frozen out of its generations after, as the base
    # is when loaded, so that no later collection rescans them in the middle of a question (seen at /ask's p99).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        name_keys(kb)
        references(kb)
        statement_table(kb)
        seen_added(kb)
        country_programmes(kb)
        period_patterns()
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()


__all__ = [
    "MAX_MESSAGE_CHARS",
    "Intent",
    "Question",
    "answer",
    "brief_message",
    "prepare",
    "read_question",
    "subject_in",
    "subject_reference",
]
