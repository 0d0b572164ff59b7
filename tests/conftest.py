"""Shared fixtures: the knowledge base from the shipped data and a bot on a fixed clock."""

import datetime as dt

import pytest

from bot.reply import Reply
from bot.service import Bot
from knowledge.base import KnowledgeBase

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.from_curated()


@pytest.fixture(scope="session")
def bot(kb: KnowledgeBase) -> Bot:
    return Bot(kb, clock=lambda: TODAY)


@pytest.fixture(scope="session")
def ask(bot: Bot):
    def answer(text: str) -> Reply:
        return bot.answer(text)

    return answer
