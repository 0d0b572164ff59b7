"""Refreshes a list into the store from files, an address or the publisher: parsed whole, then swapped in atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from rapidfuzz import fuzz, process

from knowledge.errors import DataError
from knowledge.lists.catalogue import CATALOGUE, urls_for
from knowledge.lists.download import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Progress, download
from knowledge.lists.importers.common import ParsedList
from knowledge.lists.importers.opensanctions import parse_opensanctions
from knowledge.lists.records import ListedRecord
from knowledge.store.database import SnapshotInfo, Store

__all__ = ["RefreshResult", "detect_source", "refresh", "refresh_files"]

# How long a refresh waits for another refresh of the same list before giving up.
REFRESH_LOCK_WAIT = 600.0


@dataclass
class RefreshResult:
    source: str
    snapshot: SnapshotInfo
    unchanged: bool
    skipped: dict[str, int] = field(default_factory=dict)
    added: int = 0
    removed: int = 0
    note: str | None = None
    # What the list in use before was: None (first load), "bundled" (the shipped sample) or "loaded".
    replaced: str | None = None

    def describe(self) -> str:
        snap = self.snapshot
        if self.unchanged:
            imported = f"{snap.fetched_at:%Y-%m-%d}"
            return f"{self.source}: unchanged (same content as the snapshot of {snap.as_of}, imported {imported})."
        parts = [f"{self.source}: {snap.record_count:,} records as of {snap.as_of}"]
        if self.replaced == "loaded":
            parts.append(f"+{self.added:,} / -{self.removed:,} against the list in use before")
        elif self.replaced == "bundled":
            parts.append("replaces the bundled extract")
        else:
            parts.append("first load of this list")
        if not snap.active:
            parts.append("kept as history (a newer snapshot stays in use)")
        for reason, count in self.skipped.items():
            parts.append(f"skipped {count:,}: {reason}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts) + "."


def _known(source: str) -> str:
    if source in CATALOGUE:
        return source
    guesses = process.extract(source, list(CATALOGUE), scorer=fuzz.ratio, limit=1, score_cutoff=60)
    hint = f" Did you mean {guesses[0][0]!r}?" if guesses else ""
    raise DataError(f"There is no list called {source!r}.{hint} Lists: {', '.join(CATALOGUE)}.")


def detect_source(paths: list[Path]) -> str:
    """Which list a set of files is, from their first bytes; asks for --source where that cannot tell."""
    first = paths[0]
    if first.is_dir():
        return "mitre-attack"
    try:
        head = first.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    except OSError as error:
        raise DataError(f"{first.name}: cannot be read ({error.strerror or error}).") from error
    text = head.decode("utf-8", "replace")
    if text.startswith("<"):
        for tag, source in (
            ("<sdnList", "ofac-sdn"),
            ("<CONSOLIDATED_LIST", "un-sc"),
            ("<Designation", "uk-sanctions-list"),
        ):
            if tag in text:
                return "ofac-cons" if source == "ofac-sdn" and "cons" in first.name.lower() else source
    elif text.startswith("{"):
        if '"type": "bundle"' in text or '"type":"bundle"' in text:
            return "mitre-attack"
        if '"values"' in text or '"authors"' in text:
            return "misp-galaxy"
        if '"schema"' in text or '"op"' in text:
            return "opensanctions"
    elif text.startswith(("Report Date:", "Unique ID,")):
        return "uk-sanctions-list"
    elif text.startswith(("Last Updated,", "Name 6,")) or text.count(",", 0, text.find("\n")) == 28:
        return "uk-conlist"
    elif re.match(r"^\d+,", text):
        return "ofac-cons" if any("cons" in p.name.lower() for p in paths) else "ofac-sdn"
    raise DataError(f"{first.name}: cannot tell which list this is; name it with --source ({', '.join(CATALOGUE)}).")


def _content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    files = sorted(p for path in paths for p in ([*sorted(path.glob("*.json"))] if path.is_dir() else [path]))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _apply_deltas(store: Store, paths: list[Path]) -> ParsedList | None:
    """OpenSanctions delta files applied, in order, to the snapshot in use; None if the files are not deltas."""
    parsed, ops = parse_opensanctions(paths)
    if not ops:
        return None
    current = next((s for s in store.active() if s.source == "opensanctions"), None)
    if current is None:
        raise DataError("OpenSanctions delta files need a full export loaded first: refresh with entities.ftm.json.")
    records: dict[str, ListedRecord] = {r.record_id: r for r in store.records(current.id)}
    for record in parsed.records:
        records[record.record_id] = record
    for op in ops:
        if op.op == "DEL":
            records.pop(op.record_id, None)
        elif op.record is not None:
            records[op.record_id] = op.record
    return ParsedList(source="opensanctions", records=list(records.values()), as_of=parsed.as_of)


def refresh_files(
    store: Store,
    source: str | None,
    paths: list[Path],
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    origin: str | None = None,
    bundled: bool = False,
) -> RefreshResult:
    """Import one snapshot from local files; on any error the store is as it was."""
    for path in paths:
        if not path.exists():
            raise DataError(f"{path}: no such file.")
    source = _known(source) if source else detect_source(paths)
    # A second refresh of the same list waits for the first, then finds its content stored ("unchanged").
    with store.exclusive(f"refresh:{source}", wait=REFRESH_LOCK_WAIT) as mine:
        if not mine:
            raise DataError(f"Another process is refreshing {source} right now; try again when it has finished.")
        return _refresh_locked(store, source, paths, now=now, as_of=as_of, origin=origin, bundled=bundled)


def _refresh_locked(
    store: Store,
    source: str,
    paths: list[Path],
    *,
    now: dt.datetime,
    as_of: dt.date | None,
    origin: str | None,
    bundled: bool,
) -> RefreshResult:
    parsed = _apply_deltas(store, paths) if source == "opensanctions" else None
    try:
        parsed = parsed or CATALOGUE[source].parse(paths)
    except ValueError as error:
        raise DataError(str(error)) from error
    if parsed.stated_count is not None and parsed.stated_count != len(parsed.records):
        raise DataError(f"{source}: the file states {parsed.stated_count} records but holds {len(parsed.records)}.")
    content_hash = _content_hash(paths)
    same = store.find(source, content_hash)
    if same is not None:
        return RefreshResult(source, same, unchanged=True)
    note = None
    day = as_of or parsed.as_of
    if day is None:
        day = now.date()
        note = "the file states no date; its as-of date is the import date (set one with --as-of)"
    previous = next((s for s in store.active() if s.source == source), None)
    before = store.record_ids(previous.id) if previous else set()
    snapshot = store.add_snapshot(
        source,
        parsed.records,
        as_of=day,
        content_hash=content_hash,
        origin=origin or ", ".join(p.name for p in paths),
        fetched_at=now,
        note=note,
        bundled=bundled,
    )
    after = {r.record_id for r in parsed.records}
    return RefreshResult(
        source,
        snapshot,
        unchanged=False,
        skipped=parsed.skipped,
        added=len(after - before),
        removed=len(before - after),
        note=note,
        replaced=None if previous is None else "bundled" if previous.bundled else "loaded",
    )


def refresh(
    store: Store,
    source: str | None,
    *,
    now: dt.datetime,
    files: list[Path] | None = None,
    url: str | None = None,
    as_of: dt.date | None = None,
    progress: Callable[[str], Progress] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[RefreshResult]:
    """Refresh from files, from one address, or every named list from its publisher's official addresses."""
    if files and url:
        raise DataError("Give either --file or --url, not both.")
    if files:
        return [refresh_files(store, source, files, now=now, as_of=as_of)]
    sources = [_known(source)] if source else list(CATALOGUE)
    if url and not source:
        raise DataError("--url needs --source: an address does not say which list it is.")
    results = []
    for name in sources:
        addresses = (url,) if url else urls_for(name)
        with tempfile.TemporaryDirectory(prefix="briefbot-") as folder:
            paths = []
            for address in addresses:
                filename = Path(urlparse(address).path).name or f"{name}.download"
                paths.append(
                    download(
                        address,
                        Path(folder) / filename,
                        max_bytes=max_bytes,
                        timeout=timeout,
                        progress=progress(filename) if progress else None,
                    )
                )
            results.append(refresh_files(store, name, paths, now=now, as_of=as_of, origin=" ".join(addresses)))
    return results
