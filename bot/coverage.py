"""What a "no" rests on: which lists of each authority are loaded and as of when, and the export-control listings
that are not sanctions. Every answer that says "no sanction" calls these, so that one place words it."""

from __future__ import annotations

from collections.abc import Iterable

from bot.reply import Citations, Line, Section
from knowledge.authorities import AUTHORITIES, is_export_control
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import CATALOGUE
from knowledge.models import Sanction
from knowledge.store.info import SnapshotInfo

__all__ = [
    "EXPORT_CONTROLS_TITLE",
    "coverage_text",
    "export_control_lines",
    "lists_loaded",
    "no_sanction_note",
    "sanctions_only",
]

EXPORT_CONTROLS_TITLE = "Export controls (not sanctions)"
# The lists that carry any authority's designations, aggregated: named once, after the authorities' own.
_AGGREGATED = ("opensanctions",)


def sanctions_only(sanctions: Iterable[Sanction]) -> list[Sanction]:
    """The designations that are sanctions: an export-control listing (the Entity List) is never counted as one."""
    return [s for s in sanctions if not is_export_control(s.authority)]


def _sanction_authorities() -> list[str]:
    return [key for key, a in AUTHORITIES.items() if key != "OTHER" and not is_export_control(key)]


def lists_loaded(kb: KnowledgeBase, authority: str) -> list[tuple[str, bool]]:
    """The lists of `authority` in use, each as "UK Sanctions List as of 2025-08-11" (said where a copy is cut),
    and whether that copy is only part of its list (an excerpt or a sample)."""
    in_use = {s.source: s for s in kb.snapshots}
    return [
        (f"{CATALOGUE[name].by} {in_use[name].dated}{cut}", bool(cut))
        for name, entry in CATALOGUE.items()
        if authority in entry.authorities and name in in_use
        for cut in (_cut(in_use[name].note) or _few(in_use[name], entry.whole_at_least),)
    ]


def _few(snapshot: SnapshotInfo, whole_at_least: int) -> str:
    """A copy the user loaded holding too few records to be the whole list. (The bundled extracts are left out: their
    "Lists as of" line says "extract shipped with briefbot"; their "no" says nothing more, as before.)"""
    if snapshot.bundled or snapshot.record_count >= whole_at_least:
        return ""
    return f" (only {snapshot.record_count:,} records: part of the list)"


def coverage_text(kb: KnowledgeBase, authorities: Iterable[str] = ()) -> str:
    """ "Lists loaded: UK (FCDO): UK Sanctions List as of 2026-01-28; European Union: no EU list is loaded." for
    the authorities named (default: every sanctioning authority)."""
    in_use = {s.source: s for s in kb.snapshots}
    parts = []
    for key in list(dict.fromkeys(authorities)) or _sanction_authorities():
        authority = AUTHORITIES.get(key)
        if authority is None or key == "OTHER":
            continue
        loaded = [title for title, _ in lists_loaded(kb, key)]
        parts.append(
            f"{authority.label}: {', '.join(loaded)}"
            if loaded
            else f"no {authority.short or authority.label} list is loaded"
        )
    aggregated = [f"{CATALOGUE[n].by} {in_use[n].dated}" for n in _AGGREGATED if n in in_use]
    if aggregated:
        parts.append(f"aggregated, any authority: {', '.join(aggregated)}")
    return "Lists loaded: " + "; ".join(parts) + "." if parts else ""


def _cut(note: str | None) -> str:
    """A snapshot's note where it says the copy is cut (an excerpt or a sample), so a "no" says what it rests on."""
    return f" ({note})" if note and any(w in note.casefold() for w in ("excerpt", "sample", "cut")) else ""


def export_control_lines(kb: KnowledgeBase, entity_id: str, cite: Citations) -> list[Line]:
    """The entity's export-control listings, each said to be one ("on the Entity List (export controls), US
    Commerce BIS"), for an answer that counts no sanction."""
    from bot.cards import sanction_text  # the card words a listing; cards imports this module

    return [
        Line(text=sanction_text(s), sources=cite.cite(s.source, s.list_source))
        for s in kb.sanctions_of(entity_id)
        if is_export_control(s.authority)
    ]


def no_sanction_note(
    kb: KnowledgeBase, entity_id: str, cite: Citations, authorities: Iterable[str] = ()
) -> tuple[str, list[Section]]:
    """For an answer that says "no sanction": the coverage sentence, and a section of the export-control listings
    the entity has (which are not sanctions), if any."""
    text = coverage_text(kb, authorities)
    lines = export_control_lines(kb, entity_id, cite)
    return text, [Section(title=EXPORT_CONTROLS_TITLE, lines=lines)] if lines else []
