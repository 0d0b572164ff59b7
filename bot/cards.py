"""Builds the briefing card and the related-entity lines, every line carrying the sources it rests on."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from bot.coverage import EXPORT_CONTROLS_TITLE, no_sanction_note, sanctions_only
from bot.list_dates import in_undated_copy, lists_fact
from bot.reply import Candidate, Citations, Fact, Line, Reply, Section, Status
from knowledge.authorities import (
    AUTHORITIES,
    designation_label,
    is_export_control,
    listing_verb,
    order_lapsed,
    regime_words,
)
from knowledge.base import KnowledgeBase, Link, delisted_between
from knowledge.countries import country_name
from knowledge.lists.catalogue import is_snapshot_source
from knowledge.lists.freshness import ListAge
from knowledge.lists.identifiers import BIRTH_DATE, ROUGH_BIRTH_DATE
from knowledge.models import Allegation, Entity, NameType, Predicate, Sanction
from knowledge.names.lookup import Match
from knowledge.references import reference, sanction_reference

POSSIBLY_SAME_TITLE = "Possibly the same subject, on another card"
# The `how` of a match made by a typed reference (`ofac:19509`) rather than by a name.
REFERENCE_MATCH = "reference"
# How a card found by a number it gives (a passport, an IMO number) is said to have been found.
IDENTIFIER_MATCH = "identifier"

__all__ = [
    "IDENTIFIER_MATCH",
    "POSSIBLY_SAME_TITLE",
    "REFERENCE_MATCH",
    "allegation_line",
    "entity_card",
    "listed_date",
    "match_candidate",
    "possibly_same_lines",
    "regime_text",
    "related_lines",
    "same_subject_note",
    "sanction_item",
    "sanction_text",
    "sanctions_summary",
]


def regime_text(sanction: Sanction) -> str:
    """The designation's regime and programmes in words, each once."""
    return regime_words(sanction.authority, sanction.regime, sanction.regime_name, sanction.programmes)


def listed_date(sanction: Sanction) -> str:
    return sanction.listed_on.isoformat() if sanction.listed_on else "date not stated"


def _first_seen(sanction: Sanction, entity: Entity | None) -> tuple[dt.date, bool] | None:
    """When the store's oldest snapshot of the list first held the record this sanction was read from, and whether
    that is the publisher's date (else the day an undated copy was loaded)."""
    if entity is None or sanction.list_ref is None:
        return None
    return next(
        (
            (r.first_seen, r.first_seen_known)
            for r in entity.records
            if r.first_seen and r.record_id == sanction.list_ref and r.source in (sanction.source, sanction.list_source)
        ),
        None,
    )


def since_text(seen: tuple[dt.date, bool]) -> str:
    """Where a list gives no designation date: the oldest copy here that holds the record, dated only as honestly
    as that copy is (an undated copy loaded today says nothing of today's list)."""
    day, known = seen
    if known:
        return f"on the list since at least {day.isoformat()}"
    return f"held {in_undated_copy(day)}"


def _when(sanction: Sanction, entity: Entity | None) -> str:
    if sanction.listed_on:
        # An export-control listing is "listed", never "designated" as a sanction is.
        verb = listing_verb(sanction.authority)
        return f"{verb} {sanction.listed_on.isoformat()}"
    seen = _first_seen(sanction, entity)
    since = f"; {since_text(seen)}" if seen else ""
    return f"listing date not stated in the list{since}"


def delisted_text(day: dt.date, *, known: bool, after: dt.date | None = None) -> str:
    """A delisting, dated only where the publisher's date is known; else the day a copy without it was loaded.
    With `after`, the last edition that held it: the record went between the two, not on the later's day."""
    if known and after:
        return f"DELISTED: {delisted_between(after, day)}"
    if known:
        return f"DELISTED: no longer on the list as of {day.isoformat()}"
    return f"DELISTED: not {in_undated_copy(day)}"


def sanction_text(sanction: Sanction, *, with_authority: bool = True, entity: Entity | None = None) -> str:
    """A designation in one line; an export-control listing as one ("on the Entity List (export controls), US
    Commerce BIS"), never worded as a sanction."""
    if is_export_control(sanction.authority):
        parts = [f"on the {regime_text(sanction)}, {AUTHORITIES[sanction.authority].body}"]
    else:
        parts = [designation_label(sanction)] if with_authority else []
        parts.append(regime_text(sanction))
    parts.append(_when(sanction, entity))
    if sanction.ends_later:
        parts.append(f"listing ends {sanction.ended_on.isoformat()} (date set in advance by the list)")
    elif order_lapsed(sanction):
        parts.append(f"ENDED: the order's end date the list gives, {sanction.ended_on.isoformat()}")
    elif sanction.ended_on:
        parts.append(delisted_text(sanction.ended_on, known=sanction.ended_on_known, after=sanction.ended_after))
    if sanction.list_ref:
        parts.append(sanction_reference(sanction))
    if sanction.measures:
        parts.append(", ".join(sanction.measures))
    return " · ".join(parts)


def allegation_line(allegation: Allegation, cite: Citations) -> Line:
    """An allegation as a line: the statement, worded as its maker's claim, with who makes it, when, and its source."""
    return Line(
        text=f"{allegation.statement} ({allegation.alleged_by}, {allegation.date.isoformat()})",
        sources=cite.cite(allegation.source),
    )


def match_candidate(kb: KnowledgeBase, match: Match, command: str) -> Candidate:
    """A "did you mean" or "which one?" choice: the entity a match found, and the command choosing it runs."""
    caption = kb.entity(match.entity).caption
    return Candidate(id=match.entity, name=caption, score=round(match.score, 2), matched=match.name, command=command)


def sanction_item(kb: KnowledgeBase, sanction: Sanction, **dates: object) -> dict[str, object]:
    """One designation in a reply's machine-readable items, with the dates the answer is about."""
    return {
        "entity": {"id": sanction.entity, "name": kb.entity(sanction.entity).caption},
        "authority": sanction.authority,
        "regime": sanction.regime,
        **dates,
        "list_ref": sanction.list_ref,
        "source": sanction.source,
    }


def _listed_label(sanctions: list[Sanction]) -> str:
    """How a line heads another entity's listings: "Sanctioned" where one is a sanction, "Export controls" where all
    are export-control listings (an Entity List party is not sanctioned)."""
    return "Sanctioned" if sanctions_only(sanctions) else "Export controls"


def sanctions_summary(sanctions: list[Sanction], entity: Entity | None = None) -> str:
    """One entry per authority: its regimes in words and its dates, "date not stated" said once."""
    if not sanctions:
        return "none recorded in the loaded data"
    by_authority: dict[str, list[Sanction]] = defaultdict(list)
    for sanction in sorted(sanctions, key=lambda s: (s.listed_on or dt.date.min, s.authority)):
        by_authority[designation_label(sanction)].append(sanction)
    entries = []
    for authority, chosen in by_authority.items():
        regimes = "; ".join(dict.fromkeys(regime_text(s) for s in chosen))
        dates = sorted({s.listed_on for s in chosen if s.listed_on})
        key = chosen[0].authority
        verb = listing_verb(key)
        # A designation delisted beside one in force (a list's record dropped, then the same subject listed again)
        # says so: the entry alone would read as two listings in force.
        active = {s.listed_on for s in chosen if s.is_active}
        ended_on = {s.listed_on for s in chosen if not s.is_active} - active if active else set()
        when = ", ".join(f"{verb} {d.isoformat()}{' (delisted)' if d in ended_on else ''}" for d in dates)
        if any(s.listed_on is None for s in chosen):
            seen = sorted({d for s in chosen if s.listed_on is None and (d := _first_seen(s, entity))})
            undated = "listing date not stated in the list"
            if seen:
                undated += f", {since_text(seen[0])}"
            if active:
                # Undated listings (OFAC's) delisted beside one in force: said, as for a dated one.
                undated_ended = [s for s in chosen if s.listed_on is None and not s.is_active]
                if undated_ended:
                    every = len(undated_ended) == sum(1 for s in chosen if s.listed_on is None)
                    undated += " (delisted)" if every else " (some since delisted)"
            when = f"{when}; {undated}" if when else undated
        ended = " (delisted)" if not any(s.is_active for s in chosen) else ""
        if is_export_control(key):
            ended = " (ended)" if ended else ""
            entries.append(f"on the {regimes}, {AUTHORITIES[key].body}{ended} — {when}")
        else:
            entries.append(f"{authority}{ended}: {regimes} — {when}")
    return " | ".join(entries)


def _match_text(match: Match) -> str:
    if match.how == REFERENCE_MATCH:
        return f"Opened by its reference “{match.name}”"
    if match.how == IDENTIFIER_MATCH:
        return f"Opened by the number it gives: {match.name}"
    return f"Matched “{match.name}” ({match.name_type.value}, {match.how}, score {match.score:.2f})"


def _country_value(entity: Entity, kb: KnowledgeBase) -> str | None:
    """The country in words; where sources state different countries, each with the source that states it."""
    stated = list(entity.countries) or ([(entity.country, "")] if entity.country else [])
    codes = list(dict.fromkeys(code for code, _ in stated))
    if not codes:
        return None
    if len(codes) == 1:
        return country_name(codes[0]) or codes[0]
    return "; ".join(
        f"{country_name(code) or code} (per "
        + ", ".join(dict.fromkeys(kb.source(src).by for c, src in stated if c == code and src))
        + ")"
        for code in codes
    )


def _name_line(entity: Entity, kb: KnowledgeBase, cite: Citations) -> list[Line]:
    lines = []
    for name in entity.names:
        detail = [name.type.value]
        source = kb.sources.get(name.source or "")
        if name.type is NameType.VENDOR and source is not None:
            # A threat-intel catalogue's synonyms are its own tracking, often an overlap: its word, not an identity.
            detail = [f"also tracked as, per {source.by}"]
        if name.lang:
            detail.append(name.lang)
        if name.used_by:
            detail.append(f"used by {name.used_by}")
        if name.note:
            detail.append(name.note)
        lines.append(Line(text=f"{name.value} ({'; '.join(detail)})", sources=cite.cite(name.source)))
    return lines


def related_lines(entity_id: str, kb: KnowledgeBase, cite: Citations) -> tuple[list[tuple[str, Line]], list[dict]]:
    """(other entity id, line) per related entity: each relation with its dates and who says so."""
    grouped: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
    for link in kb.links_of(entity_id):
        if link.predicate is not Predicate.POSSIBLY_SAME:  # those have a section of their own
            grouped[link.other][link.label].append(link)
    lines, related = [], []
    for other_id, by_label in grouped.items():
        other = kb.entity(other_id)
        how = "; ".join(
            f"{label} (per "
            + ", ".join(f"{kb.source(k.source).by}{' ' + k.date.isoformat() if k.date else ''}" for k in links)
            + ")"
            for label, links in by_label.items()
        )
        text = f"{other.caption} ({other.kind.value}) — {how}"
        sanctions = kb.sanctions_of(other_id)
        sources = [k.source for links in by_label.values() for k in links]
        if sanctions:
            text += f". {_listed_label(sanctions)}: {sanctions_summary(sanctions)}"
            sources += [s.source for s in sanctions]
        lines.append((other_id, Line(text=text, sources=cite.cite(*sources), command=f"/who {other.caption}")))
        for label, links in by_label.items():
            related.extend(
                {
                    "id": other_id,
                    "name": other.caption,
                    "kind": other.kind.value,
                    "relation": label,
                    "date": link.date.isoformat() if link.date else None,
                    "source": link.source,
                    "sanctioned": bool(sanctions_only(sanctions)),
                }
                for link in links
            )
    return lines, related


def possibly_same_lines(
    entity_id: str, kb: KnowledgeBase, cite: Citations, authorities: set[str] | None = None
) -> list[Line]:
    """A line per card that may be this one's subject on another list, left apart by the merge: its reference, its
    sanctions (by `authorities` only, where given; a card with none of theirs is left out), and why it may be the
    same and was not joined. Every "no" shows these."""
    lines = []
    for link in kb.possibly_same(entity_id):
        other = kb.entity(link.other)
        sanctions = [s for s in kb.sanctions_of(link.other) if authorities is None or s.authority in authorities]
        if authorities is not None and not sanctions:
            continue
        lists = ", ".join(dict.fromkeys(kb.source(r.source).by for r in other.records)) or "the curated data"
        text = f"{other.caption} ({reference(other)}, {lists}) may be the same subject: {link.note}"
        if sanctions:
            text += f". {_listed_label(sanctions)}: {sanctions_summary(sanctions)}"
        sources = [link.source, *(s.list_source or s.source for s in sanctions)]
        lines.append(Line(text=text, sources=cite.cite(*sources), command=f"/who {reference(other)}"))
    return lines


def same_subject_note(kb: KnowledgeBase, entity_ids: list[str]) -> str | None:
    """For a "which one?": which of the candidates may be one subject on two cards, and why, or None."""
    shown = set(entity_ids)
    pairs = []
    for entity_id in entity_ids:
        for link in kb.possibly_same(entity_id):
            if link.other in shown and entity_id < link.other:
                pairs.append(
                    f"{reference(kb.entity(entity_id))} and {reference(kb.entity(link.other))} may be one subject on "
                    f"two cards ({link.note})"
                )
    return "; ".join(pairs) + "." if pairs else None


# Catalogue bookkeeping ids: shown with their record, not among the card's headline facts.
_INTERNAL_IDENTIFIERS = frozenset({"MISP galaxy", "STIX id", "UN DATAID", "OpenSanctions id"})
# Remarks longer than this are cut in a card line; the whole text stays in the list.
REMARKS_SHOWN = 400


def _join_sources(entity: Entity, kb: KnowledgeBase, text: str) -> list[str]:
    """The lists whose records a join sentence names ("OFAC SDN list 47800 and UK Sanctions List CYB0044 …"): each
    gives its side of the evidence, and no other list is cited for it."""
    named = [r.source for r in entity.records if f"{kb.source(r.source).by} {r.record_id}" in text]
    return named or [r.source for r in entity.records]


def _record_lines(entity: Entity, kb: KnowledgeBase, cite: Citations) -> list[Line]:
    """Which list records the card joins, and what each says in its own words."""
    lines = []
    for ref in entity.records:
        text = f"{kb.source(ref.source).by} {ref.record_id}: {ref.name}"
        if ref.delisted_on:
            text += " — " + delisted_text(ref.delisted_on, known=ref.delisted_on_known, after=ref.delisted_after)
        if ref.remarks:
            remarks = ref.remarks if len(ref.remarks) <= REMARKS_SHOWN else ref.remarks[:REMARKS_SHOWN].rstrip() + "…"
            text += f" — {remarks}"
        lines.append(Line(text=text, sources=cite.cite(ref.source)))
    return lines


def entity_card(
    kb: KnowledgeBase,
    entity_id: str,
    match: Match | None,
    *,
    command: str,
    query: str,
    ages: Mapping[str, ListAge] | None = None,
) -> Reply:
    """The /who card: names, sanctions by authority, allegations, relations, timeline and sources; with `ages`,
    how current each list it draws on is."""
    entity = kb.entity(entity_id)
    cite = Citations(kb)
    every = kb.sanctions_of(entity_id)
    sanctions = sanctions_only(every)
    controls = [s for s in every if s not in sanctions]
    allegations = kb.allegations_of(entity_id)
    facts = [Fact(label="Kind", value=entity.kind.value)]
    country = _country_value(entity, kb)
    if country:
        facts.append(Fact(label="Country", value=country))
    facts.append(Fact(label="Sanctions", value=sanctions_summary(sanctions, entity)))
    if controls:
        facts.append(Fact(label="Export controls", value=sanctions_summary(controls, entity)))
    shown = [label for label in entity.identifiers if label not in _INTERNAL_IDENTIFIERS]
    if BIRTH_DATE in shown and ROUGH_BIRTH_DATE in shown:
        # The date of birth one list gives roughly beside the one another gives, not lines apart.
        shown.remove(ROUGH_BIRTH_DATE)
        shown.insert(shown.index(BIRTH_DATE) + 1, ROUGH_BIRTH_DATE)
    facts += [Fact(label=label, value=entity.identifiers[label]) for label in shown]
    dates = lists_fact(ages or {}, (ref.source for ref in entity.records))
    if dates is not None:
        facts.append(dates)

    sections = []
    if entity.summary:
        # The summary was written from the documents the curated entry names, not from the lists joined to it.
        written_from = [source for source in entity.sources if not is_snapshot_source(source)]
        sections.append(Section(title="Summary", lines=[Line(text=entity.summary, sources=cite.cite(*written_from))]))
    sections.append(Section(title="Names", lines=_name_line(entity, kb, cite)))
    sanction_lines = [
        Line(
            text=sanction_text(s, entity=entity) + (f" — reasons given: {s.reasons}" if s.reasons else ""),
            sources=cite.cite(s.source, s.list_source),
        )
        for s in sorted(sanctions, key=lambda s: (s.authority, s.listed_on or dt.date.min))
    ]
    if sanction_lines:
        sections.append(Section(title="Sanctions", lines=sanction_lines))
    else:
        coverage, _ = no_sanction_note(kb, entity_id, cite)
        text = "No sanction of this entity is recorded in the loaded data." + (f" {coverage}" if coverage else "")
        sections.append(Section(title="Sanctions", lines=[Line(text=text)]))
    if controls:
        control_lines = [
            Line(text=sanction_text(s, entity=entity), sources=cite.cite(s.source, s.list_source))
            for s in sorted(controls, key=lambda s: (s.authority, s.listed_on or dt.date.min))
        ]
        sections.append(Section(title=EXPORT_CONTROLS_TITLE, lines=control_lines))
    elsewhere = possibly_same_lines(entity_id, kb, cite)
    if elsewhere:
        sections.append(Section(title=POSSIBLY_SAME_TITLE, lines=elsewhere))
    if allegations:
        sections.append(
            Section(
                title="Allegations",
                lines=[allegation_line(a, cite) for a in allegations],
            )
        )
    if entity.records:
        sections.append(Section(title="From the official lists and catalogues", lines=_record_lines(entity, kb, cite)))
    if entity.joined_on:
        sections.append(
            Section(
                title="Why these records are one card",
                lines=[
                    Line(text=text, sources=cite.cite(*_join_sources(entity, kb, text))) for text in entity.joined_on
                ],
            )
        )
    lines, related = related_lines(entity_id, kb, cite)
    if lines:
        sections.append(Section(title="Related", lines=[line for _, line in lines]))
    timeline = kb.timeline(entity_id)
    if timeline:
        sections.append(
            Section(
                title="Timeline",
                lines=[Line(text=f"{e.when} — {e.actor}: {e.text}", sources=cite.cite(e.source)) for e in timeline],
            )
        )
    primary = entity.primary_name
    return Reply(
        command=command,
        query=query,
        status=Status.FOUND,
        title=entity.caption if primary == entity.caption else f"{entity.caption} — {primary}",
        subtitle=_match_text(match) if match else None,
        facts=facts,
        sections=sections,
        citations=cite.as_list(),
        entity={
            "id": entity.id,
            "name": entity.caption,
            "kind": entity.kind.value,
            "country": entity.country,
            "aliases": [n.value for n in entity.names if n.type is not NameType.PRIMARY],
            "names": [{"value": n.value, "type": n.type.value} for n in entity.names],
            "matched": {"name": match.name, "how": match.how, "score": match.score} if match else None,
            "records": [
                {"list": r.list, "record_id": r.record_id, "name": r.name, "source": r.source} for r in entity.records
            ],
            "sanctions": [
                {
                    "authority": s.authority,
                    "regime": s.regime,
                    "programmes": list(s.programmes),
                    "date": s.listed_on.isoformat() if s.listed_on else None,
                    "ended": s.ended_on.isoformat() if s.ended_on else None,
                    "ended_date_known": s.ended_on_known if s.ended_on else None,
                    # Where the end is known only as between two editions: the earlier one's date.
                    "ended_after": s.ended_after.isoformat() if s.ended_after else None,
                    "list_ref": s.list_ref,
                    "source": s.source,
                }
                for s in sanctions
            ],
            "allegations": [
                {
                    "text": a.statement,
                    "alleged_by": a.alleged_by,
                    "date": a.date.isoformat(),
                    "source": a.source,
                }
                for a in allegations
            ],
        },
        related=related,
    )
