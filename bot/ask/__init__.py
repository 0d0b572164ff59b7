"""Questions in plain words: finds the names, reads what is asked, answers from the data only."""

from bot.ask.answers import answer
from bot.ask.reading import Intent, Question, read_question

__all__ = ["Intent", "Question", "answer", "read_question"]
