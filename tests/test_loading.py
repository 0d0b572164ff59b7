"""The cache of the built knowledge base: used when nothing changed, rebuilt when anything did."""

import datetime as dt
from pathlib import Path

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.loading import cache_path, load_knowledge, prepare_store
from knowledge.refresh import refresh_files
from knowledge.store import Store


@pytest.fixture
def cached(monkeypatch, tmp_path: Path) -> Store:
    monkeypatch.setenv("BRIEFBOT_CACHE", "on")
    monkeypatch.setenv("BRIEFBOT_CACHE_DIR", str(tmp_path / "cache"))
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    return store


def _card(kb) -> str:
    return Bot(kb, clock=lambda: TODAY).answer("/who Wuhan Xiaoruizhi").text


def test_a_second_start_loads_the_same_knowledge_from_the_cache(cached: Store):
    built = load_knowledge(cached)
    path = cache_path(cached)
    assert path is not None and path.exists()
    again = load_knowledge(cached)
    assert again is not built and _card(again) == _card(built)
    assert len(again.index.names) == len(built.index.names)


def test_a_refresh_makes_another_cache_and_drops_the_old(cached: Store):
    load_knowledge(cached)
    before = cache_path(cached)
    refresh_files(
        cached, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY, as_of=dt.date(2018, 10, 29)
    )
    after = cache_path(cached)
    assert after != before
    kb = load_knowledge(cached)
    assert any(s.source == "un-sc" for s in kb.snapshots)
    assert after.exists() and not before.exists()


def test_a_damaged_cache_file_is_rebuilt_not_trusted(cached: Store):
    built = load_knowledge(cached)
    path = cache_path(cached)
    path.write_bytes(b"not a pickle")
    assert _card(load_knowledge(cached)) == _card(built)
    assert path.read_bytes() != b"not a pickle"


def test_caching_can_be_switched_off(cached: Store, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_CACHE", "off")
    assert cache_path(cached) is None
