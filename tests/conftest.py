"""Shared fixtures: the knowledge base from the shipped data and a bot on a fixed clock."""

import datetime as dt
import os
from pathlib import Path

import pytest

from bot.reply import Reply
from bot.service import Bot
from knowledge.base import KnowledgeBase
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store import Store

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
# The real third-party files the importers are tested on (read-only, beside the repository).
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def private_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test process, and the CLI runs it starts, use a store of their own, never the user's."""
    path = tmp_path_factory.mktemp("store") / "briefbot.sqlite3"
    os.environ["BRIEFBOT_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def seeded_store(private_store: Path) -> Store:
    store = Store.open(str(private_store))
    prepare_store(store, now=TODAY)
    return store


@pytest.fixture(scope="session")
def kb(seeded_store: Store) -> KnowledgeBase:
    """What a fresh install answers from: the curated data and the bundled list extracts."""
    return load_knowledge(seeded_store)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store for one test."""
    return Store.open(str(tmp_path / "test.sqlite3"))


@pytest.fixture(scope="session")
def bot(kb: KnowledgeBase) -> Bot:
    return Bot(kb, clock=lambda: TODAY)


@pytest.fixture(scope="session")
def ask(bot: Bot):
    def answer(text: str) -> Reply:
        return bot.answer(text)

    return answer
