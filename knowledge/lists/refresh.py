"""Refreshes a list into the store from files, an address or the publisher: parsed whole, then swapped in atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from rapidfuzz import fuzz, process

from knowledge.errors import BriefbotError, DataError, UsageError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.download import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Progress, deadline_setting, download
from knowledge.lists.guard import RemovalPolicy, check_removals
from knowledge.lists.importers.common import ParsedList
from knowledge.lists.importers.mitre_attack import DOMAINS, domain_of
from knowledge.lists.importers.mitre_attack import SOURCE as SOURCE_OF_ATTACK
from knowledge.lists.importers.ofac_lists import refuse_non_sdn
from knowledge.lists.importers.opensanctions import parse_opensanctions
from knowledge.lists.masking import mask_text, mask_url
from knowledge.lists.records import ListedRecord
from knowledge.store.database import MAX_RECORD_ID, SnapshotInfo, Store

__all__ = ["RefreshResult", "detect_source", "refresh", "refresh_files", "use_snapshot"]

log = logging.getLogger(__name__)

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
    amended: int = 0
    note: str | None = None
    # What the list in use before was: None (first load), "bundled" (the shipped sample) or "loaded".
    replaced: str | None = None
    # Why the snapshot was held back by the removal guard (not in use, no change events); None when it was not.
    held_back: str | None = None
    # True when the content matched a stored snapshot, which went back in use.
    restored: bool = False

    def describe(self) -> str:
        snap = self.snapshot
        if self.held_back:
            return (
                f"{self.source}: HELD BACK, not put in use: {self.held_back}. The list in use is unchanged and no "
                f"change was announced. If the file is right, take it with `briefbot refresh --use {snap.id} "
                "--accept-removals` (or repeat this refresh with --accept-removals)."
            )
        if self.unchanged:
            imported = f"{snap.fetched_at:%Y-%m-%d}"
            said = f"{self.source}: unchanged (same content as snapshot {snap.id}, {snap.dated}, imported {imported})"
            return f"{said}; {self.note}." if self.note else f"{said}."
        if self.restored:
            parts = [f"{self.source}: snapshot {snap.id} ({snap.dated}, {snap.record_count:,} records) is back in use"]
        else:
            parts = [f"{self.source}: {snap.record_count:,} records {snap.dated}"]
        if self.replaced == "loaded":
            parts.append(
                f"{self.added:,} added, {self.removed:,} removed, {self.amended:,} amended against the list in use "
                "before"
            )
        elif self.replaced == "bundled":
            parts.append("replaces the bundled extract")
        elif not self.restored:
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


# trade.gov's CSL as JSON: {"results": [{"source": "Entity List (EL) - Bureau of Industry and Security", …}]}.
_CSL_JSON = re.compile(r'"(?:source_list_url|federal_register_notice|source_information_url)"\s*:')


def _attack_list(text: str, name: str) -> str:
    """The ATT&CK list a bundle or folder is, by its domain (Enterprise where nothing says which)."""
    return SOURCE_OF_ATTACK + DOMAINS[domain_of(text, name) or "enterprise-attack"]


def detect_source(paths: list[Path]) -> str:
    """Which list a set of files is, from their first bytes; asks for --source where that cannot tell."""
    first = paths[0]
    if first.is_dir():
        # MITRE's cti repository: one folder of per-object files for each domain, named after it.
        return _attack_list("", first.name)
    try:
        head = first.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    except OSError as error:
        raise DataError(f"{first.name}: cannot be read ({error.strerror or error}).") from error
    text = head.decode("utf-8", "replace")
    if text.startswith("<"):
        if "<sanctionsData" in text:
            # OFAC's Enhanced XML names the list it was exported for in its first lines.
            stated = text.split("</filters>")[0]
            if ">Consolidated List</sanctionsList>" in stated or ">SDN List</sanctionsList>" in stated:
                return "ofac-cons" if ">Consolidated List</sanctionsList>" in stated else "ofac-sdn"
            return "ofac-cons" if "cons" in first.name.lower() else "ofac-sdn"
        if re.search(r"<Sanctions[\s>]", text):
            # OFAC's Advanced XML states no list up front; OFAC names the Consolidated export cons_advanced.xml.
            return "ofac-cons" if "cons" in first.name.lower() else "ofac-sdn"
        if re.search(r"<export[\s>]", text) and "fpi/fsd/export" in text:
            return "eu-fsf"
        for tag, source in (
            ("<sdnList", "ofac-sdn"),
            ("<CONSOLIDATED_LIST", "un-sc"),
            ("<Designation", "uk-sanctions-list"),
        ):
            if tag in text:
                return "ofac-cons" if source == "ofac-sdn" and "cons" in first.name.lower() else source
    elif text.startswith("{"):
        if '"type": "bundle"' in text or '"type":"bundle"' in text:
            return _attack_list(text, first.name)
        if _CSL_JSON.search(text):
            return "us-csl"
        if '"values"' in text or '"authors"' in text:
            return "misp-galaxy"
        if '"schema"' in text or '"op"' in text:
            return "opensanctions"
    elif text.startswith("[") and _CSL_JSON.search(text):
        return "us-csl"
    elif "source_list_url" in text.split("\n", 1)[0] and "federal_register_notice" in text.split("\n", 1)[0]:
        # The CSL's CSV header (28 columns, 29 with the _id trade.gov added later): before the ConList's count.
        return "us-csl"
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
    current = store.in_use("opensanctions")
    if current is None:
        names = ", ".join(p.name for p in paths)
        raise DataError(
            f"{names}: OpenSanctions delta files need a full export loaded first: refresh with entities.ftm.json."
        )
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
    last_modified: dt.date | dt.datetime | None = None,
    accept_removals: bool = False,
    policy: RemovalPolicy | None = None,
    downloaded: bool = False,
) -> RefreshResult:
    """Import one snapshot from local files; on any error the store is as it was.

    The list's date is `as_of` (the user's), else the one the file states, else `last_modified` (the publisher's
    HTTP Last-Modified, from the download), else unknown. A snapshot the removal guard holds back is stored but
    not used; only `accept_removals` (the user's explicit word, never a scheduled run's) takes it.
    """
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file.")
    source = _known(source) if source else detect_source(paths)
    # A second refresh of the same list waits for the first, then finds its content stored ("unchanged").
    with store.exclusive(f"refresh:{source}", wait=REFRESH_LOCK_WAIT) as mine:
        if not mine:
            raise DataError(f"Another process is refreshing {source} right now; try again when it has finished.")
        return _refresh_locked(
            store,
            source,
            paths,
            now=now,
            as_of=as_of,
            origin=origin,
            bundled=bundled,
            last_modified=last_modified,
            accept_removals=accept_removals,
            policy=policy or RemovalPolicy.from_environment(),
            downloaded=downloaded,
        )


def use_snapshot(
    store: Store,
    snapshot_id: int,
    *,
    now: dt.datetime,
    accept_removals: bool = False,
    policy: RemovalPolicy | None = None,
) -> RefreshResult:
    """Go back to (or take) a stored snapshot: `briefbot refresh --use ID`, with change events and the guard."""
    chosen = store.snapshot(snapshot_id)
    if chosen is None:
        raise UsageError(f"There is no snapshot {snapshot_id}; `briefbot snapshots` lists them.")
    with store.exclusive(f"refresh:{chosen.source}") as mine:
        if not mine:
            raise DataError(f"Another process is refreshing {chosen.source} right now; try again when it has finished.")
        return _restore(store, chosen, now=now, accept_removals=accept_removals, policy=policy or RemovalPolicy())


def _parse(store: Store, source: str, paths: list[Path]) -> ParsedList:
    """The files parsed, and checked whole: every refusal names the file and the record or line."""
    names = ", ".join(p.name for p in paths)
    try:
        parsed = _apply_deltas(store, paths) if source == "opensanctions" else None
        parsed = parsed or CATALOGUE[source].parse(paths)
    except BriefbotError:
        raise
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError, OSError) as error:
        # An importer met a shape it does not check for, or a path it cannot read (a folder given for a file): still
        # a refusal of the file, never a traceback.
        text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        detail = text.splitlines()[0][:160] if text else type(error).__name__
        raise DataError(f"{names}: cannot be read as {source} ({detail}).") from None
    if not parsed.records:
        raise DataError(f"{names}: no records of {source} in the file (empty or cut off?).")
    if parsed.stated_count is not None and parsed.stated_count != len(parsed.records):
        raise DataError(f"{names}: the file states {parsed.stated_count} records but holds {len(parsed.records)}.")
    if source == "ofac-sdn":
        refuse_non_sdn(parsed, names)
    for number, record in enumerate(parsed.records, start=1):
        if not record.record_id.strip():
            raise DataError(f"{names}: record #{number} ({record.name[:60]!r}) has an empty id.")
        if len(record.record_id) > MAX_RECORD_ID:
            raise DataError(
                f"{names}: record #{number} ({record.name[:60]!r}) has an id of {len(record.record_id):,} characters, "
                f"{record.record_id[:40]!r}…; a published id is at most {MAX_RECORD_ID}."
            )
    return parsed


def _list_date(
    as_of: dt.date | None, parsed: ParsedList, last_modified: dt.date | dt.datetime | None
) -> dt.date | None:
    if as_of is not None:
        return as_of
    if parsed.as_of is not None:
        return parsed.as_of
    if isinstance(last_modified, dt.datetime):
        return last_modified.astimezone(dt.UTC).date() if last_modified.tzinfo else last_modified.date()
    return last_modified


def _hold_reason(
    store: Store, previous: SnapshotInfo, before: set[str], parsed: ParsedList, policy: RemovalPolicy
) -> str | None:
    """What the removal guard, and the file's own signs of being cut, say against putting it in use."""
    after = {r.record_id for r in parsed.records}
    # The places of the records in use matter only when something goes: most refreshes skip reading them.
    positions = store.positions(previous.id) if before - after else {}
    reason = check_removals(before, after, positions=positions, looks_cut=parsed.looks_cut, policy=policy)
    if reason is None and parsed.looks_cut and parsed.tail_id:
        # A cut inside the last row damages that row's record (a shortened id, a cut name) without removing any.
        new_tail = next(r for r in reversed(parsed.records) if r.record_id == parsed.tail_id)
        old_tail = store.record(previous.id, parsed.tail_id)
        if old_tail != new_tail:
            change = "is new" if old_tail is None else "differs from the list in use"
            reason = f"its last record {parsed.tail_id!r} {change} while {parsed.looks_cut}"
    return reason


def _refresh_locked(
    store: Store,
    source: str,
    paths: list[Path],
    *,
    now: dt.datetime,
    as_of: dt.date | None,
    origin: str | None,
    bundled: bool,
    last_modified: dt.date | dt.datetime | None,
    accept_removals: bool,
    policy: RemovalPolicy,
    downloaded: bool,
) -> RefreshResult:
    parsed = _parse(store, source, paths)
    content_hash = _content_hash(paths)
    same = store.find(source, content_hash)
    if same is not None:
        if same.active:
            return RefreshResult(source, same, unchanged=True)
        in_use = store.in_use(source)
        if _older_edition(same, in_use):
            # An older edition loaded again stays history, as it would if it were new: putting it back would
            # announce as delisted everything designated since. `--use` goes back to it on purpose.
            note = (
                f"it is older than the list in use ({in_use.dated}), so it stays history; "
                f"`briefbot refresh --use {same.id}` puts it back"
            )
            return RefreshResult(source, same, unchanged=True, note=note)
        return _restore(store, same, now=now, accept_removals=accept_removals, policy=policy)
    day = _list_date(as_of, parsed, last_modified)
    previous = store.in_use(source)
    before = store.record_ids(previous.id) if previous else set()
    held = None
    takes_over = previous is None or previous.bundled or (day or now.date()) >= previous.as_of
    if previous is not None and not previous.bundled and not bundled and takes_over and not accept_removals:
        held = _hold_reason(store, previous, before, parsed, policy)
    elif parsed.looks_cut and downloaded and not accept_removals:
        # A publisher's download with nothing of the user's to compare it with (a first load, or the shipped
        # extract in use): the file's own sign of being cut is enough, or a truncated list would go into use
        # unchecked. A file a person loads by hand is theirs to judge (many extracts lack OFAC's end mark).
        held = f"the download looks cut off ({parsed.looks_cut}); take it with --accept-removals"
    if held:
        log.warning("%s: snapshot held back: %s", source, held)
    snapshot = store.add_snapshot(
        source,
        parsed.records,
        as_of=day or now.date(),
        as_of_known=day is not None,
        content_hash=content_hash,
        origin=mask_text(origin or ", ".join(p.name for p in paths)),
        fetched_at=now,
        bundled=bundled,
        held_back=held,
    )
    after = {r.record_id for r in parsed.records}
    note = None
    if previous is not None and previous.bundled and snapshot.active and previous.as_of > snapshot.as_of:
        # The user's list replaces the shipped extract whatever the dates; what the newer extract holds and this
        # file does not stays shown, cited to the extract (knowledge.loading), and the user is told so.
        note = (
            f"the bundled extract ({previous.dated}) is newer than this file: {len(before - after):,} of its records "
            "are not in it; they stay shown, cited to the extract and its date, until a newer copy of the list is "
            "loaded"
        )
    return RefreshResult(
        source,
        snapshot,
        unchanged=False,
        skipped=parsed.skipped,
        added=len(after - before),
        removed=len(before - after),
        amended=store.amended_count(snapshot.id, now) if snapshot.active else 0,
        note=note,
        replaced=None if previous is None else "bundled" if previous.bundled else "loaded",
        held_back=held,
    )


def _older_edition(stored: SnapshotInfo, in_use: SnapshotInfo | None) -> bool:
    """Whether a stored snapshot is an earlier edition than the one in use, by the publishers' own dates (a copy
    whose date is unknown, such as a cut file dated only by its load day, proves nothing either way)."""
    if in_use is None or in_use.bundled or not (stored.as_of_known and in_use.as_of_known):
        return False
    return stored.as_of < in_use.as_of


def _restore(
    store: Store, chosen: SnapshotInfo, *, now: dt.datetime, accept_removals: bool, policy: RemovalPolicy
) -> RefreshResult:
    """A stored snapshot back in use (its content loaded again, or chosen by id), guarded like a new one."""
    if chosen.active:
        return RefreshResult(chosen.source, chosen, unchanged=True)
    previous = store.in_use(chosen.source)
    before = store.record_ids(previous.id) if previous else set()
    after = store.record_ids(chosen.id)
    if not accept_removals:
        held = chosen.held_back
        if held is None and previous is not None and not previous.bundled:
            # Only the share: a stored snapshot was checked whole when it came, and going back to an older one
            # removes the newest designations, which publishers append at the end, like a cut would.
            held = check_removals(before, after, policy=policy)
        if held:
            log.warning("%s: snapshot %s held back: %s", chosen.source, chosen.id, held)
            return RefreshResult(chosen.source, chosen, unchanged=False, held_back=held)
    restored = store.use_snapshot(chosen.id, now=now)
    return RefreshResult(
        chosen.source,
        restored,
        unchanged=False,
        added=len(after - before),
        removed=len(before - after),
        amended=store.amended_count(restored.id, now),
        replaced=None if previous is None else "bundled" if previous.bundled else "loaded",
        restored=True,
    )


def _download(
    address: str,
    target: Path,
    max_bytes: int,
    timeout: float,
    deadline: float,
    progress: Callable[[str], Progress] | None,
    filename: str,
) -> Path:
    """The download, with any credential in the address masked out of its error."""
    try:
        return download(
            address,
            target,
            max_bytes=max_bytes,
            timeout=timeout,
            deadline=deadline,
            progress=progress(filename) if progress else None,
        )
    except BriefbotError as error:
        raise type(error)(mask_text(str(error))) from None
    except ValueError as error:
        # urllib refuses some addresses (user info it cannot use, a bad port) with a message that repeats them.
        raise UsageError(
            f"{mask_url(address)}: not an address that can be downloaded ({type(error).__name__})."
        ) from None


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
    deadline: float | None = None,
    accept_removals: bool = False,
) -> list[RefreshResult]:
    """Refresh one list from files or from one address. From the publishers' own addresses, list by list, is
    `knowledge.lists.schedule.refresh_lists`, with conditional requests and retries."""
    if files and url:
        raise UsageError("Give either --file or --url, not both.")
    if files:
        return [refresh_files(store, source, files, now=now, as_of=as_of, accept_removals=accept_removals)]
    if not url:
        raise UsageError("Give --file or --url; from the publishers, use knowledge.lists.schedule.refresh_lists.")
    if not source:
        raise DataError("--url needs --source: an address does not say which list it is.")
    name = _known(source)
    with tempfile.TemporaryDirectory(prefix="briefbot-") as folder:
        filename = Path(urlparse(url).path).name or f"{name}.download"
        deadline = deadline_setting() if deadline is None else deadline
        path = _download(url, Path(folder) / filename, max_bytes, timeout, deadline, progress, filename)
        return [refresh_files(store, name, [path], now=now, as_of=as_of, origin=url, accept_removals=accept_removals)]
