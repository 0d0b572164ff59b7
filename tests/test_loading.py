"""The cache of the built knowledge base: used when nothing changed, rebuilt when anything did."""

import datetime as dt
import os
import pickle
import stat
import threading
import time
from pathlib import Path

import pytest

from bot.service import Bot
from conftest import REAL, TODAY, run_briefbot
from knowledge import loading
from knowledge.lists.refresh import refresh_files
from knowledge.loading import CACHE_WRITER, cache_path, load_knowledge, prepare_store
from knowledge.store.database import Store


@pytest.fixture
def cached(monkeypatch, tmp_path: Path) -> Store:
    monkeypatch.setenv("BRIEFBOT_CACHE", "on")
    monkeypatch.setenv("BRIEFBOT_CACHE_DIR", str(tmp_path / "cache"))
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    return store


def _card(kb) -> str:
    return Bot(kb, clock=lambda: TODAY).answer("/who Wuhan Xiaoruizhi").text


def _cache_written() -> None:
    for thread in threading.enumerate():
        if thread.name == CACHE_WRITER:
            thread.join(timeout=60)


def test_a_second_start_loads_the_same_knowledge_from_the_cache(cached: Store):
    built = load_knowledge(cached)
    _cache_written()
    path = cache_path(cached)
    assert path is not None and path.exists()
    again = load_knowledge(cached)
    assert again is not built and _card(again) == _card(built)
    assert len(again.index.names) == len(built.index.names)


def test_a_refresh_makes_another_cache_and_drops_the_old(cached: Store):
    load_knowledge(cached)
    _cache_written()
    before = cache_path(cached)
    refresh_files(
        cached, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY, as_of=dt.date(2018, 10, 29)
    )
    after = cache_path(cached)
    assert after != before
    kb = load_knowledge(cached)
    _cache_written()
    assert any(s.source == "un-sc" for s in kb.snapshots)
    assert after.exists() and not before.exists()


def test_a_damaged_cache_file_is_rebuilt_not_trusted(cached: Store):
    built = load_knowledge(cached)
    _cache_written()
    path = cache_path(cached)
    path.write_bytes(b"not a pickle")
    assert _card(load_knowledge(cached)) == _card(built)
    _cache_written()
    assert path.read_bytes() != b"not a pickle"


def test_the_first_answer_does_not_wait_for_the_cache_to_be_written(cached: Store, monkeypatch):
    release = threading.Event()
    write = loading._write_cache

    def held_write(cache: Path, kb) -> None:
        release.wait(timeout=60)
        write(cache, kb)

    monkeypatch.setattr(loading, "_write_cache", held_write)
    kb = load_knowledge(cached)
    assert "WUHAN XIAORUIZHI" in _card(kb).upper()
    path = cache_path(cached)
    assert path is not None and not path.exists()
    release.set()
    _cache_written()
    assert path.exists()


def test_a_one_shot_command_leaves_the_cache_behind_for_the_next_start(tmp_path: Path):
    env = {"BRIEFBOT_DB": str(tmp_path / "s.sqlite3"), "BRIEFBOT_CACHE": "on"}
    env["BRIEFBOT_CACHE_DIR"] = str(tmp_path / "c")
    first = run_briefbot("ask", "/who Wuhan Xiaoruizhi", env=env)
    assert first.returncode == 0, first.stderr
    written = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert len(written) == 1 and written[0].startswith("knowledge-") and written[0].endswith(".pickle")
    again = run_briefbot("ask", "/who Wuhan Xiaoruizhi", env=env)
    assert again.stdout == first.stdout


def test_caching_can_be_switched_off(cached: Store, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_CACHE", "off")
    assert cache_path(cached) is None


def test_a_partial_file_left_by_a_killed_writer_is_swept_but_a_fresh_one_is_not(cached: Store):
    folder = cache_path(cached).parent
    folder.mkdir(parents=True)
    abandoned, in_progress = folder / "knowledge-old.1.2.tmp", folder / "knowledge-new.3.4.tmp"
    abandoned.write_bytes(b"half a pickle")
    in_progress.write_bytes(b"half a pickle")
    an_hour_ago = time.time() - 3600
    os.utime(abandoned, (an_hour_ago, an_hour_ago))
    load_knowledge(cached)
    _cache_written()
    assert not abandoned.exists() and in_progress.exists()


def test_a_refresh_from_the_command_line_leaves_the_next_starts_cache_in_place(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "s.sqlite3"))
    monkeypatch.setenv("BRIEFBOT_CACHE", "on")
    monkeypatch.setenv("BRIEFBOT_CACHE_DIR", str(tmp_path / "c"))
    un = str(REAL / "un" / "UN_consolidated_2018-10-29.xml")
    run = run_briefbot("refresh", "--source", "un-sc", "--file", un)
    assert run.returncode == 0, run.stderr
    assert "knowledge base for the next start is cached" in run.stdout
    path = cache_path(Store.open(str(tmp_path / "s.sqlite3")))
    assert path is not None and path.exists()
    again = run_briefbot("refresh", "--source", "un-sc", "--file", un)
    assert "unchanged" in again.stdout and "cached" not in again.stdout


class _Planted:
    """A pickle that runs code as it loads: here it only leaves a file behind, to show that it ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_folder_swapped_in_between_the_check_and_the_open_is_never_read(cached: Store, monkeypatch, tmp_path: Path):
    built = load_knowledge(cached)
    _cache_written()
    path = cache_path(cached)
    folder = path.parent
    # The attacker's folder: writable by others, as a folder another user controls would be to this one.
    planted = tmp_path / "planted"
    planted.mkdir()
    marker = tmp_path / "the planted pickle ran"
    (planted / path.name).write_bytes(pickle.dumps(_Planted(marker)))
    planted.chmod(0o777)
    genuine = os.stat(folder)
    swapped: list[str] = []

    def swap_after(check):
        # The race made certain: the folders are swapped right after the cache folder's check, before any open.
        def checked(*args, **kwargs):
            info = check(*args, **kwargs)
            if not swapped and stat.S_ISDIR(info.st_mode) and info.st_ino == genuine.st_ino:
                swapped.append(check.__name__)
                folder.rename(tmp_path / "moved-away")
                planted.rename(folder)
            return info

        return checked

    monkeypatch.setattr(os, "stat", swap_after(os.stat))
    monkeypatch.setattr(os, "fstat", swap_after(os.fstat))
    kb = load_knowledge(cached)
    monkeypatch.undo()
    _cache_written()
    assert swapped and stat.S_IMODE(os.stat(folder).st_mode) == 0o777
    assert not marker.exists()
    assert _card(kb) == _card(built)


def test_a_symbolic_link_in_place_of_the_cache_file_is_not_followed(cached: Store, tmp_path: Path, caplog):
    load_knowledge(cached)
    _cache_written()
    path = cache_path(cached)
    elsewhere = tmp_path / "elsewhere.pickle"
    marker = tmp_path / "the linked pickle ran"
    elsewhere.write_bytes(pickle.dumps(_Planted(marker)))
    elsewhere.chmod(0o600)
    path.unlink()
    path.symlink_to(elsewhere)
    with caplog.at_level("WARNING"):
        kb = load_knowledge(cached)
    _cache_written()
    assert not marker.exists()
    assert "WUHAN XIAORUIZHI" in _card(kb).upper()
    assert "knowledge cache not loaded" in caplog.text


def test_the_records_a_build_reads_are_slotted_and_share_their_recurring_strings(cached: Store):
    # A build holds every stored record at once: as pydantic models (a __dict__ and a set of given fields each)
    # the real lists' records took 107 MB; slotted, with one object per programme or authority, 46 MB.
    ofac = next(s for s in cached.active() if s.source == "ofac-sdn")
    records = cached.records(ofac.id)
    assert len(records) > 1
    assert not any(hasattr(r, "__dict__") or hasattr(r.names[0], "__dict__") for r in records)
    programmes = {p: {id(q) for r in records for q in r.programmes if q == p} for r in records for p in r.programmes}
    assert programmes and all(len(objects) == 1 for objects in programmes.values())
    assert len({id(r.authority) for r in records}) == 1


def test_the_lists_records_are_freed_before_the_cards_and_the_index_are_built(tmp_path: Path, monkeypatch):
    # Before: the build held every list's records while it made the cards' index, 11 MiB of a first start's peak on
    # every real list.
    import gc

    from knowledge import base
    from knowledge.lists.records import ListedRecord

    store = Store.open(str(tmp_path / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(
        store, "un-sc", [REAL / "un" / "UN_consolidated_2018-10-29.xml"], now=TODAY, as_of=dt.date(2018, 10, 29)
    )
    alive: list[int] = []
    build = base.NameIndex.build

    def counting(names):
        gc.collect()
        alive.append(sum(isinstance(thing, ListedRecord) for thing in gc.get_objects()))
        return build(names)

    monkeypatch.setattr(base.NameIndex, "build", counting)
    kb = loading._build(store, None)
    assert alive == [0] and len(kb.entities) > 1000
