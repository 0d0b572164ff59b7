"""Questions in plain words: finds the names, reads what is asked, answers from the data only."""

from bot.ask.answers import answer
from bot.ask.brief import MAX_MESSAGE_CHARS, brief_message
from bot.ask.reading import Intent, Question, read_question

__all__ = ["MAX_MESSAGE_CHARS", "Intent", "Question", "answer", "brief_message", "read_question"]
