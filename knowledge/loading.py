"""Builds the knowledge base a bot answers from: the curated data merged with every list in the store."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import logging
import os
import pickle
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from platformdirs import user_cache_dir

from knowledge.base import KnowledgeBase
from knowledge.cache_files import CacheFolder, UnsafeCache
from knowledge.cached_entities import CachedEntities, PickledOnWrite
from knowledge.curated import CuratedData, curated_facts, fact_payloads, load_curated
from knowledge.lists.catalogue import snapshot_source
from knowledge.lists.ofac_links import with_linked_to
from knowledge.lists.records import ListedRecord
from knowledge.merge import LoadedList, merge
from knowledge.models import Source
from knowledge.names.index import NAME_COLUMNS, NameRecall
from knowledge.settings import settings
from knowledge.store.info import SnapshotInfo

if TYPE_CHECKING:
    from knowledge.store.database import Store

__all__ = [
    "CACHE_WRITER",
    "build_and_cache",
    "build_and_cache_apart",
    "cache_path",
    "cited",
    "load_cached",
    "load_for_serving",
    "load_knowledge",
    "loaded_lists",
    "newer_extract",
    "prepare_store",
]

log = logging.getLogger(__name__)

# Bumped when what the cache holds changes shape in a way the source hash would not show.
CACHE_FORMAT = 11
# The cache file is the knowledge base's state as successive pickles, as `_write_parts` writes it: the index, then
# everything else but these (its long lists and tables in runs after it), then the entities.
_CACHE_PARTS = ("entities", "index")
# The name of the thread that writes the cache after a build; a caller that needs the file can join it.
CACHE_WRITER = "briefbot-knowledge-cache"
# A partial cache file older than this was left by a writer that was killed.
ABANDONED_AFTER_S = 600
# How often a server waiting for a refresh elsewhere to finish caching looks for the file.
PREBUILT_POLL_S = 1.0


def prepare_store(store: Store, *, now: dt.datetime, curated: CuratedData | None = None) -> None:
    """Before answering: bundled extracts into an empty store, and any change in the curated data recorded."""
    curated = curated or load_curated()
    facts = curated_facts(curated)
    if _prepared(store, facts):
        return
    # The refresh machinery (downloads, importers) is imported only by a start that has something to prepare.
    from knowledge.lists.bundled import seed

    seed(store, now=now)
    names = {entity.id: entity.caption for entity in curated.entities.values()}
    kinds = {entity.id: entity.kind.value for entity in curated.entities.values()}
    store.sync_curated(facts, names=names, kinds=kinds, today=now.date(), now=now)


def _prepared(store: Store, facts: dict[str, dict]) -> bool:
    """Whether preparing would change nothing: every bundled list has a snapshot, and the curated facts recorded are
    those shipped. Read without the store's locks (and, on a store opened lazily, without SQLAlchemy, a tenth of a
    first start's peak memory); a store found unprepared is prepared under its locks, as before."""
    from knowledge.lists.bundled import BUNDLED

    seeded = {bundle.source for bundle in BUNDLED} <= store.snapshot_sources()
    return seeded and store.curated_payloads() == fact_payloads(facts)


def loaded_lists(store: Store) -> list[LoadedList]:
    """Each list in use, first; then, for a list whose newer shipped extract a user's older file replaced, the
    extract's records that file does not hold."""
    return _lists_in_use(store)[0]


def _lists_in_use(store: Store) -> tuple[list[LoadedList], list[SnapshotInfo]]:
    """The lists in use, as `loaded_lists` gives them, and the newer shipped extracts whose records they add."""
    lists = []
    extracts = []
    for snapshot in store.active():
        first_seen = _first_seen(store, snapshot.source)
        lists.append(
            LoadedList(
                source=cited(snapshot),
                list_name=snapshot.source,
                records=_read_links(snapshot.source, store.records(snapshot.id)),
                delisted=store.delisted(snapshot.source),
                last_held=store.last_held(snapshot.source),
                first_seen=first_seen,
            )
        )
        newer = newer_extract(store, snapshot)
        if newer is not None:
            extracts.append(newer[0])
            lists.append(newer[1])
    return lists, extracts


def cited(snapshot: SnapshotInfo) -> Source:
    """The source a stored snapshot's records cite: its list, as of its date (or the day it was loaded)."""
    return snapshot_source(snapshot.source, snapshot.as_of, note=snapshot.note, as_of_known=snapshot.as_of_known)


def newer_extract(
    store: Store, in_use: SnapshotInfo, *, by: dt.date | None = None
) -> tuple[SnapshotInfo, LoadedList] | None:
    """The records of a shipped extract newer than the user's file that replaced it, which that file does not hold:
    an older edition cannot say a later designation was never made (OFAC's 2025 cyber designations behind an SDN
    file of May 2024 answered "no entity matching"), so they stay, each cited to the extract and its date. Only a
    shipped extract: a user's own newer edition that they moved away from (`refresh --use`) stays history. `by`: only
    an extract dated on or before that day (a view as of a day)."""
    if in_use.bundled:
        return None
    newer = [
        s
        for s in store.snapshots(in_use.source)
        if s.bundled and not s.held_back and s.as_of_known and in_use.as_of < s.as_of <= (by or dt.date.max)
    ]
    if not newer:
        return None
    extract = max(newer, key=lambda s: (s.as_of, s.id))
    held = set(store.record_ids(in_use.id))
    records = [r for r in store.records(extract.id) if r.record_id not in held]
    if not records:
        return None
    return extract, LoadedList(
        source=cited(extract),
        list_name=in_use.source,
        # No first-held dates: an extract is no edition of the whole list, and "what is new on the SDN list"
        # compares editions, which its date would join.
        records=_read_links(in_use.source, records),
    )


def _read_links(source: str, records: list[ListedRecord]) -> list[ListedRecord]:
    # Read from the stored remarks at each build, not at import: a store filled before this reading links too.
    return with_linked_to(records) if source in ("ofac-sdn", "ofac-cons") else records


def _first_seen(store: Store, source: str) -> dict[str, tuple[dt.date, bool]]:
    """Each record id of a list, with the as-of date of the oldest stored snapshot that holds it, and whether that
    date is the publisher's (else it is the day an undated copy was loaded)."""
    seen: dict[str, tuple[dt.date, bool]] = {}
    for snapshot in sorted(store.snapshots(source), key=lambda s: s.as_of):
        for record_id in store.record_ids(snapshot.id):
            seen.setdefault(record_id, (snapshot.as_of, snapshot.as_of_known))
    return seen


def load_cached(store: Store) -> KnowledgeBase | None:
    """The knowledge base cached for the store as it is now, or None. A hit also means the store needs no
    `prepare_store`: the cache's name holds the store's version and the curated data's hash, so it was built after
    the same bundled extracts were seeded and the same curated data recorded, and nothing has changed since (any
    snapshot, or any recorded change, gives the store another version)."""
    cache = cache_path(store)
    return _load_cached(cache) if cache is not None else None


def load_knowledge(store: Store, curated: CuratedData | None = None) -> KnowledgeBase:
    """The knowledge base for the store as it is now: from the cache when it was built before, else built (and
    cached for the next start, for the one-shot commands; serving processes use `load_for_serving`)."""
    cache = None if curated is not None else cache_path(store)
    if cache is not None:
        kb = _load_cached(cache)
        if kb is not None:
            return kb
    kb = _frozen(lambda: _build(store, curated))
    if cache is not None and _cache_problem(cache.parent, create=True) is None:
        # Pickling the base takes longer than building the index: done on its own thread, it no longer delays the
        # first answer. Not a daemon, so a one-shot `briefbot ask` still leaves the cache for the next start.
        threading.Thread(target=_write_cache, args=(cache, kb), name=CACHE_WRITER, daemon=False).start()
    return kb


def build_and_cache(store: Store) -> KnowledgeBase | None:
    """For `briefbot migrate` and `refresh`: build the store's knowledge base and cache it before returning, so
    serving processes load it instead of building it; None when caching is off or the folder is unsafe."""
    cache = cache_path(store)
    if cache is None:
        return None
    problem = _cache_problem(cache.parent, create=True)
    if problem is not None:
        log.warning("the knowledge base is not cached: %s", problem)
        return None
    kb = _load_cached(cache)
    if kb is None:
        kb = _frozen(lambda: _build(store, None))
        _write_cache(cache, kb)
    return kb


def build_and_cache_apart(store: Store) -> bool:
    """`build_and_cache` in a child process of its own, for `briefbot refresh`: what parsing a list left in this
    process's heap would otherwise add to the build's peak (measured on the real lists: 354 MB in one process,
    against 99 MB for the refresh and 290 MB for the build apart). True when the base is cached."""
    import multiprocessing  # only `refresh` starts a child: not imported by every start

    url = store.engine.url.render_as_string(hide_password=False)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return bool(pool.apply(_build_and_cache_at, (url,)))


def _build_and_cache_at(url: str) -> bool:
    from knowledge.store.database import Store

    store = Store.open(url)
    try:
        return build_and_cache(store) is not None
    finally:
        store.engine.dispose()


def load_for_serving(store: Store, *, patience: float = 0.0) -> tuple[KnowledgeBase, str]:
    """The knowledge base a server answers from and how it got it: "prebuilt" (as `migrate` or `refresh` cached
    it) or "built" (in memory, written nowhere: pickling a base while serving doubled a process's peak memory).
    `patience` seconds are spent waiting for a refresh elsewhere to finish caching before building."""
    cache = cache_path(store)
    deadline = time.monotonic() + patience
    while cache is not None:
        kb = _load_cached(cache)
        if kb is not None:
            log.info("knowledge base loaded as prebuilt: %d entities", len(kb.entities))
            return kb, "prebuilt"
        if time.monotonic() >= deadline:
            break
        time.sleep(min(PREBUILT_POLL_S, max(0.0, deadline - time.monotonic())))
    kb = _frozen(lambda: _build(store, None))
    why = "caching is off" if cache is None else "none was prebuilt for this store (run `briefbot migrate`)"
    log.info("knowledge base built in memory, not cached, because %s: %d entities", why, len(kb.entities))
    return kb, "built"


def _load_cached(cache: Path) -> KnowledgeBase | None:
    try:
        # The folder is opened, then checked; the file is opened through it, then checked: a pickle runs code as
        # it loads, so one that others could have written, or swapped in after a check, is never read.
        with CacheFolder.open(cache.parent, create=False) as folder:
            handle = folder.open_trusted(cache.name)
            if handle is None:
                return None
            with handle:
                try:
                    return _frozen(lambda: _read_parts(handle))
                except Exception as error:  # a damaged or foreign cache file only means building anew
                    log.info("knowledge cache %s unusable (%s); building", cache.name, type(error).__name__)
                    return None
    except FileNotFoundError:
        return None
    except UnsafeCache as problem:
        log.warning("knowledge cache not loaded: %s", problem)
        return None


def _cache_problem(folder: Path, *, create: bool) -> str | None:
    try:
        CacheFolder.open(folder, create=create).close()
    except FileNotFoundError as error:
        return f"cannot open {folder} ({error.strerror or error})"
    except UnsafeCache as problem:
        return str(problem)
    return None


def cache_path(store: Store) -> Path | None:
    """Where this store's built knowledge base is cached; None when caching is off (BRIEFBOT_CACHE=off)."""
    own = settings()
    if not own.cache:
        return None
    folder = own.cache_dir or Path(user_cache_dir("briefbot"))
    digest = hashlib.sha256()
    digest.update(repr((CACHE_FORMAT, store.url, store.version())).encode())
    # The code and the curated data the base is built by: a changed file means another cache.
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *(package / "data").glob("*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return folder / f"knowledge-{digest.hexdigest()[:24]}.pickle"


def _write_cache(cache: Path, kb: KnowledgeBase) -> None:
    try:
        with CacheFolder.open(cache.parent, create=True) as folder:
            # A name of this process's and this thread's own: two writers never share a partial file.
            partial = f"{cache.stem}.{os.getpid()}.{threading.get_ident()}.tmp"
            # Readable and writable by this user only, whatever the umask: a cache others could change is never
            # loaded. Streamed to the file: the whole pickle held in memory too would add a third to the peak.
            with folder.create_new(partial) as handle:
                _write_parts(kb, handle)
            folder.replace(partial, cache.name)  # whole or not at all, even with several processes writing
            # Only then the caches of earlier stores go: until the new one is in place, none is missing.
            for name in folder.names():
                if name.startswith("knowledge-") and name.endswith(".pickle") and name != cache.name:
                    folder.unlink(name)
            _sweep_abandoned(folder)
    except (OSError, UnsafeCache, pickle.PicklingError) as error:
        log.warning("could not cache the knowledge base (%s); it is built at each start", error)


def _write_parts(kb: KnowledgeBase, handle: BinaryIO) -> None:
    """The base's state in parts, the pickler's memo cleared after each. A pickler remembers every object it
    wrote, and keeps alive every tuple a __reduce__ made for it, until cleared: one memo over the whole base
    lifted `migrate`'s peak from 297 MB (the build) to 363 MB on every real list. So the sanctions, the relations
    and the references are written in runs (`_RUN`), each a pickle of its own: in one part they still added 15 MB
    to a first start's peak. The parts share only strings, which are written again in each part (a few MB of
    duplicates once loaded); no mutable object is in two."""
    state = kb.__getstate__()
    # The entities each pickled apart: a start then unpickles only those it reads (CachedEntities).
    state["entities"] = PickledOnWrite(state["entities"])
    summed = _Summed(handle)
    pickler = pickle.Pickler(summed, protocol=pickle.HIGHEST_PROTOCOL)

    def dump(part: object) -> None:
        # Without a memo for the entities' pickles, each is freed once written; they share nothing to remember.
        pickler.fast = isinstance(part, PickledOnWrite)
        pickler.dump(part)
        pickler.clear_memo()

    # The index first, its tables and then each column of its names, made and written one at a time: its memo is
    # the largest, and what it leaves freed the later parts reuse.
    tables, columns = state["index"].cache_state()
    dump((type(state["index"]), tables))
    for column in columns:
        dump(column)
    rest = {k: v for k, v in state.items() if k not in _CACHE_PARTS}
    long = {k: v for k, v in rest.items() if isinstance(v, (list, dict)) and len(v) > _RUN}
    dump({k: _Runs(len(v), isinstance(v, dict)) if k in long else v for k, v in rest.items()})
    for values in long.values():
        items = iter(values.items() if isinstance(values, dict) else values)
        while run := list(itertools.islice(items, _RUN)):
            dump(run)
    dump(state["entities"])
    handle.write(summed.crc.to_bytes(_CRC_BYTES, "big"))


def _read_parts(handle: BinaryIO) -> KnowledgeBase:
    """The base `_write_parts` wrote, read from the file as it goes (no copy of the whole file in memory). Each
    part needs an unpickler of its own: memo numbers start again with each part."""
    summed = _Summed(handle)
    index_class, tables = pickle.load(summed)
    if not (isinstance(index_class, type) and issubclass(index_class, NameRecall)):
        raise pickle.UnpicklingError(f"a name index was expected, not {index_class!r}")
    index = index_class.from_cache_state(tables, tuple(pickle.load(summed) for _ in range(NAME_COLUMNS)))
    state = pickle.load(summed)
    for name, value in state.items():
        if isinstance(value, _Runs):
            items = [item for _ in range(-(-value.count // _RUN)) for item in pickle.load(summed)]
            if len(items) != value.count:
                raise pickle.UnpicklingError(f"{name}: {len(items)} items where {value.count} were written")
            state[name] = dict(items) if value.table else items
    state["entities"], state["index"] = pickle.load(summed), index
    # A byte changed on the disk may still unpickle (inside a string, or an entity read only when asked for, which
    # then failed on every start): the sum of what was read must be the one written after it.
    written = handle.read(_CRC_BYTES + 1)
    if len(written) > _CRC_BYTES:
        raise pickle.UnpicklingError("data after the last part")
    if written != summed.crc.to_bytes(_CRC_BYTES, "big"):
        raise pickle.UnpicklingError("the cache's checksum does not match what it holds")
    state["entities"] = CachedEntities(state["entities"])
    return KnowledgeBase.from_state(state)


# The items in each run of a long list or table of the base, as the cache holds it.
_RUN = 4096


class _Runs(NamedTuple):
    """Stands in the base's part of the cache for a list or table written after it in runs of `_RUN` items."""

    count: int
    table: bool


_CRC_BYTES = 4


class _Summed:
    """A binary file with a running CRC-32 of every byte written to it or read from it (pickle's file protocol)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.crc = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        return self._handle.write(data)

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.crc = zlib.crc32(data, self.crc)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        count = self._handle.readinto(buffer) or 0
        self.crc = zlib.crc32(memoryview(buffer)[:count], self.crc)
        return count

    def readline(self, size: int = -1) -> bytes:
        data = self._handle.readline(size)
        self.crc = zlib.crc32(data, self.crc)
        return data


def _sweep_abandoned(folder: CacheFolder) -> None:
    """Partial files of writers killed mid-write: a write takes about a second, so an old one has no writer."""
    deadline = time.time() - ABANDONED_AFTER_S
    for name in folder.names():
        if name.startswith("knowledge-") and name.endswith(".tmp"):
            with contextlib.suppress(OSError):  # another process swept it first
                if folder.modified(name) < deadline:
                    folder.unlink(name)


def _build(store: Store, curated: CuratedData | None) -> KnowledgeBase:
    curated = curated or load_curated()
    lists, extracts = _lists_in_use(store)
    merged = merge(curated, lists)
    # The lists' records are done with once merged: held while the cards and the index are built, they lifted a
    # first start's peak by 11 MiB on every real list.
    del lists
    return KnowledgeBase(
        sources=merged.sources,
        entities=merged.entities,
        sanctions=merged.sanctions,
        allegations=curated.allegations,
        relations=merged.relations,
        snapshots=store.active(),
        extracts=extracts,
    )


def _frozen(make: Callable[[], KnowledgeBase]) -> KnowledgeBase:
    # Building creates a few hundred thousand objects that live as long as the process; the cyclic collector
    # would scan them again and again meanwhile (measured: it doubled the start-up time), so it pauses, and
    # the finished base is frozen out of its generations so later collections do not rescan it either.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kb = make()
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return kb
