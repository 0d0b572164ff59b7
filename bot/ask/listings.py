"""Questions about many designations at once: a list filtered by authority, list, programme, kind, country and
period; delistings; what happened in a period."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from bot.ask.common import ABSENCE_NOTE, MAX_ITEMS, SHOWN, ask_reply, kinds_label, sector_filters
from bot.ask.editions import SeenAdded, added_text, editions, list_of, seen_added
from bot.ask.reading import Question, country_programmes
from bot.ask.vocabulary import LIST_AUTHORITY, SECTOR_KINDS, SECTOR_NAME_WORDS
from bot.cards import listed_date, sanction_item, sanction_text
from bot.context import Context
from bot.coverage import lists_loaded
from bot.list_dates import undated_section
from bot.parsing import Period
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, REGIMES, is_export_control
from knowledge.base import KnowledgeBase
from knowledge.countries import country_name
from knowledge.lists.catalogue import CATALOGUE
from knowledge.models import EntityKind, NameType, Sanction, SourceKind
from knowledge.places import name_words, place_named
from knowledge.references import sanction_reference

__all__ = ["changes", "coverage_lines", "delistings", "designations", "events", "matching"]

# --- no entity: designations and events ---


_EVERY_BUT_PERSON = frozenset(k for k in EntityKind if k is not EntityKind.PERSON)
# Kinds whose name may say where they are ("Tianjin … Co. Ltd"); a vessel "TIANJIN STAR" may fly any flag.
_PLACED_BY_NAME = frozenset({EntityKind.COMPANY, EntityKind.ORGANISATION, EntityKind.GOVERNMENT_BODY})
# Authorities whose lists an entity can be on: what "only the UK" rules the others out of.
_LISTING_AUTHORITIES = ("US-OFAC", "GB-FCDO", "UN-SC", "EU")


def _kinds_text(kinds: list[EntityKind]) -> str:
    return "entity (not an individual)" if set(kinds) == _EVERY_BUT_PERSON else kinds_label(kinds)


def _filters_label(question: Question) -> str:
    parts = []
    if question.authorities:
        joined = " and " if question.combine == "all" else " or "
        said = joined.join(AUTHORITIES[a].label for a in question.authorities)
        parts.append(f"only {said}" if question.combine == "only" else said)
    if question.excluded:
        parts.append("not " + " or ".join(AUTHORITIES[a].label for a in question.excluded))
    if question.lists:
        parts.append(", ".join(question.lists))
    if question.regimes:
        parts.append(", ".join(REGIMES[r].label if r in REGIMES else r for r in question.regimes))
    if question.countries:
        parts.append(", ".join(country_name(c) or c for c in question.countries))
    if question.kinds:
        parts.append(_kinds_text(question.kinds))
    for sector in question.sectors:
        kinds = SECTOR_KINDS[sector]
        typed = f", or typed as {kinds_label(list(kinds))}" if kinds else ""
        parts.append(f"{sector} (a name holding “{'”, “'.join(SECTOR_NAME_WORDS[sector][:4])}”…{typed})")
    parts.append(question.period.describe() if question.period else "all dates")
    return " · ".join(parts)


def _who_of(kb: KnowledgeBase, entity_id: str) -> str:
    entity = kb.entity(entity_id)
    return f"{entity.caption} ({entity.kind.value})"


def _designation_line(
    kb: KnowledgeBase, sanction: Sanction, cite: Citations, who: str, added: SeenAdded | None = None
) -> Line:
    when = added_text(added) if added else listed_date(sanction)
    return Line(
        text=f"{when} — {who} — {sanction_text(sanction)}",
        sources=cite.cite(sanction.source, sanction.list_source),
        command=f"/who {kb.entity(sanction.entity).caption}",
    )


def coverage_lines(kb: KnowledgeBase, authorities: list[str], cite: Citations) -> list[Line]:
    """For each authority asked about whose lists are not loaded, or loaded only in part: said so, with what is
    loaded, so that no "none found" reads as "none designated"."""
    lines = []
    for key in authorities:
        authority = AUTHORITIES.get(key)
        if authority is None or key == "OTHER":
            continue
        kind = "export-control" if is_export_control(key) else "sanctions"
        loaded = lists_loaded(kb, key)
        if loaded:
            cut = [title for title, part in loaded if part]
            # (Part of a list says nothing where another list of the authority is whole: OFAC's SDN list beside a
            # sample of the Consolidated Screening List.)
            if cut and len(cut) == len(loaded):
                lines.append(
                    Line(
                        text=f"The {authority.label} {kind} list loaded is only part of it ({'; '.join(cut)}): "
                        "what it does not hold, the data cannot say."
                    )
                )
            continue
        held = [s for s in kb.sanctions if s.authority == key]
        also = (
            f" It holds {len(held)} {authority.label} designation{'s' if len(held) != 1 else ''} only as "
            "other publishers' records, which say nothing of the rest."
            if held
            else ""
        )
        lines.append(
            Line(
                text=f"No {authority.short or authority.label} {kind} list is loaded, so the data cannot say what "
                f"is or is not on it.{also} Lists loaded: {', '.join(_lists_in_use(kb))}.",
                sources=cite.cite(*{s.source for s in held}),
            )
        )
    return lines


def _lists_in_use(kb: KnowledgeBase) -> list[str]:
    in_use = {s.source for s in kb.snapshots}
    return [entry.by for name, entry in CATALOGUE.items() if name in in_use and entry.authorities]


def _in_countries(kb: KnowledgeBase, sanction: Sanction, countries: set[str], programmes: set[str]) -> bool:
    return (kb.entity(sanction.entity).country or "").upper() in countries or sanction.regime in programmes


def matching(question: Question, kb: KnowledgeBase) -> tuple[list[Sanction], dict[str, SeenAdded]]:
    """The designations a question's filters select, newest first, and those of them dated only by the editions
    loaded (a period holds an addition whose window between two editions meets it)."""
    found, added, _, _ = _matching(question, kb)
    return found, added


def _matching(
    question: Question, kb: KnowledgeBase
) -> tuple[list[Sanction], dict[str, SeenAdded], list[Sanction], dict[str, str]]:
    """`matching`, the designations the other filters select whose entity no record places in any country (a
    country question cannot say whether they belong, so they are shown apart, never dropped in silence), and why
    an entity no record places is in the answer, by entity."""
    unplaced: list[Sanction] = []
    period = question.period
    sectors = sector_filters(question)
    filters = {"authorities": question.authorities, "regimes": question.regimes, "kinds": question.kinds, **sectors}
    found = kb.designations_where(
        **filters, since=period.start if period else None, until=period.end if period else None
    )
    added: dict[str, SeenAdded] = {}
    if period is not None:
        kinds, regimes = set(question.kinds), set(question.regimes)
        words, endings, sector_kinds = (
            frozenset(sectors["name_words"]),
            sectors["name_endings"],
            frozenset(sectors["name_kinds"]),
        )
        for seen in seen_added(kb):
            sanction = seen.sanction
            # Added after the copy of `after` and by that of `by`: in the period if that window meets it ("in April
            # 2024" holds what came between the editions of 25 March and 3 May; each line says so).
            if (period.end is not None and seen.after >= period.end) or (
                period.start is not None and seen.by < period.start
            ):
                continue
            if question.authorities and sanction.authority not in question.authorities:
                continue
            if (regimes and sanction.regime not in regimes) or (kinds and kb.entity(sanction.entity).kind not in kinds):
                continue
            if question.sectors and not kb.names_hold(sanction.entity, words, endings, sector_kinds):
                continue
            found.append(sanction)
            added[sanction.id] = seen
    placed: dict[str, str] = {}
    if question.countries:
        # A country's entities, and those its programmes list ("North Korean entities on the UN list": its DPRK
        # regime's, whatever country each record states).
        countries = {c.upper() for c in question.countries}
        programmes = {r for c in countries for _, r in country_programmes(kb).get(c, ())}
        kept: list[Sanction] = []
        for s in found:
            if _in_countries(kb, s, countries, programmes):
                kept.append(s)
            elif not kb.entity(s.entity).country and s.regime not in programmes:
                place = _place_in_name(kb, s.entity, countries)
                if place is not None:
                    kept.append(s)
                    placed[s.entity] = place
                else:
                    unplaced.append(s)
        found = kept
    if question.lists:
        found = [s for s in found if list_of(s).startswith(tuple(question.lists))]
        unplaced = [s for s in unplaced if list_of(s).startswith(tuple(question.lists))]
    return _combined(question, kb, found), added, _combined(question, kb, unplaced), placed


def _place_in_name(kb: KnowledgeBase, entity_id: str, countries: set[str]) -> str | None:
    """For an organisation no record places: "China, by the place its name gives (Tianjin)" when one of its names
    names a subdivision of an asked country ("Tianjin Huaying Haitai … Co. Ltd" on the UK list, which states no
    country). Only ever adds to a country's answer, each line saying why; a person's or a vessel's name says
    nothing of where they are."""
    entity = kb.entity(entity_id)
    if entity.kind not in _PLACED_BY_NAME:
        return None
    names = [n.value for n in entity.names if n.type is not NameType.NON_LATIN] or [entity.caption]
    for code in sorted(countries):
        place = place_named(names, code)
        if place is not None and _borne_out(kb, place, code):
            return f"{country_name(code) or code} by the place its name gives ({place}); no record states a country"
    return None


def _borne_out(kb: KnowledgeBase, place: str, code: str) -> bool:
    """Whether most organisations whose records state a country and whose names hold `place` are in `code`: ISO
    3166-2 names common words somewhere ("Falcon" and "Central" are Venezuelan and Ghanaian regions, "Maritime" a
    Togolese one, "Saha" a Russian republic and an Iranian aircraft maker's acronym), which say nothing of a place."""
    by_word, country_of = kb.derived("ask.placed_name_words", _placed_name_words)
    holders = set.intersection(*(by_word.get(word, set()) for word in place.casefold().split()))
    return sum(1 for entity in holders if country_of[entity] == code) * 2 > len(holders)


def _placed_name_words(kb: KnowledgeBase) -> tuple[dict[str, set[str]], dict[str, str]]:
    """The organisations whose records state a country: those whose names hold each word, and each one's country."""
    by_word: dict[str, set[str]] = defaultdict(set)
    country_of: dict[str, str] = {}
    for entity in kb.entities.values():
        if entity.kind in _PLACED_BY_NAME and entity.country:
            country_of[entity.id] = entity.country.upper()
            for name in entity.names:
                for word in name_words(name.value):
                    by_word[word].add(entity.id)
    return dict(by_word), country_of


def _unplaced_section(
    question: Question, kb: KnowledgeBase, unplaced: list[Sanction], cite: Citations, *, more: bool
) -> Section:
    """The designations the other filters select whose records state no country (the UK list's summary export
    states none): listed apart, so that a country question never hides one it cannot place."""
    where = " or ".join(country_name(c) or c for c in question.countries)
    entities = len({s.entity for s in unplaced})
    # One short line each: the names are what the reader checks; the card has the rest.
    lines = [
        Line(
            text=f"{_who_of(kb, s.entity)} — {listed_date(s)}" + (f" · {sanction_reference(s)}" if s.list_ref else ""),
            sources=cite.cite(s.source, s.list_source),
            command=f"/who {kb.entity(s.entity).caption}",
        )
        for s in unplaced[:SHOWN]
    ]
    if len(unplaced) > SHOWN:
        lines.append(Line(text=f"… and {len(unplaced) - SHOWN} more."))
    return Section(
        title=f"Not placed in any country by the data: {len(unplaced)}{' more' if more else ''} designation"
        f"{'s' if len(unplaced) != 1 else ''} of {entities} {_noun(question.kinds, entities)} under these filters, "
        f"which may or may not concern {where}",
        lines=lines,
    )


def _combined(question: Question, kb: KnowledgeBase, found: list[Sanction]) -> list[Sanction]:
    """The designations of entities that meet how the authorities combine: all of them, not the excluded, only."""
    if question.combine == "any":
        return found

    def by(entity_id: str) -> set[str]:
        return {s.authority for s in kb.sanctions_of(entity_id) if s.is_active}

    if question.combine == "all":
        wanted = set(question.authorities)
        return [s for s in found if wanted <= by(s.entity)]
    if question.combine == "not":
        return [s for s in found if not by(s.entity) & set(question.excluded)]
    others = set(_LISTING_AUTHORITIES) - set(question.authorities)
    return [s for s in found if not by(s.entity) & others]


def _noun(kinds: list[EntityKind], count: int) -> str:
    one = count == 1
    if kinds == [EntityKind.PERSON]:
        return "individual" if one else "individuals"
    if set(kinds) == _EVERY_BUT_PERSON:
        return "entity (not an individual)" if one else "entities (not individuals)"
    return "entity" if one else "entities"


def _count_title(question: Question, kb: KnowledgeBase, found: list[Sanction]) -> str:
    """ "How many": the entities counted, those still listed apart from those whose listing ended."""
    active = {s.entity for s in found if s.is_active}
    ended = {s.entity for s in found} - active
    noun = _noun(question.kinds, len(active))
    more = f"; {len(ended)} more whose listing ended" if ended else ""
    return f"{len(active)} {noun} listed — {_filters_label(question)}{more}"


def designations(question: Question, context: Context) -> Reply:
    kb = context.kb
    period = question.period
    filters = {
        "authorities": question.authorities,
        "regimes": question.regimes,
        "countries": question.countries,
        "kinds": question.kinds,
        **sector_filters(question),
    }
    found, added, unplaced, placed = _matching(question, kb)
    cite = Citations(kb)
    lines = [
        _designation_line(
            kb,
            s,
            cite,
            _who_of(kb, s.entity) + (f" — {placed[s.entity]}" if s.entity in placed else ""),
            added.get(s.id),
        )
        for s in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        lines.append(Line(text=f"… and {len(found) - SHOWN} more."))
    title_of = (
        "Designations, newest first"
        if not added
        else "Designations, newest first; then additions seen between editions"
    )
    sections = [Section(title=title_of, lines=lines)] if lines else []
    if unplaced:
        sections.append(_unplaced_section(question, kb, unplaced, cite, more=bool(found)))
    coverage = coverage_lines(kb, question.authorities, cite)
    if coverage:
        sections.insert(0, Section(title="Coverage", lines=coverage))
    undated, held_in = kb.undated_where(**filters) if period else (0, [])
    undated -= len(added)
    if undated > 0 and question.combine == "any" and not question.lists:
        sections.append(undated_section(undated, held_in, kb, cite))
    subtitle = None
    straddling = [a for a in added.values() if period and not (period.contains(a.by) and period.contains(a.after))]
    if straddling:
        # "In April 2024" against editions of 25 March and 3 May: the copies cannot say which day, so not whether
        # inside the period; counted, and said so, rather than answered with a zero.
        subtitle = (
            f"{len(straddling)} of them were added between two editions loaded whose dates straddle the period "
            "(each line gives the two dates): the copies loaded cannot say whether inside it."
        )
    if not found and unplaced:
        # Not a "no": the records below state no country, and any of them may be the country's.
        where = " or ".join(country_name(c) or c for c in question.countries)
        subtitle = (
            f"None that the data places in {where}: {_filters_label(question)}. The designations below state no "
            f"country, so the data cannot say whether they concern {where}."
        )
    elif not found:
        subtitle = "No designation in the loaded data matches: " + _filters_label(question) + "."
        if coverage:
            subtitle += " " + coverage[0].text
        if period:
            # Only the newest action before the period is shown: the list is read no further than that.
            until = period.start - dt.timedelta(days=1) if period.start else None
            before = [s for s in kb.designations_where(**filters, until=until, limit=SHOWN) if s.listed_on is not None]
            if before:
                latest = before[0]
                same_day = [s for s in before if s.listed_on == latest.listed_on and s.source == latest.source]
                sections.append(
                    Section(
                        title="The most recent before that",
                        lines=[_designation_line(kb, s, cite, kb.entity(s.entity).caption) for s in same_day],
                    )
                )
    entities = len({s.entity for s in found})
    title = (
        f"{len(found)} matching designation{'s' if len(found) != 1 else ''} of {entities} "
        f"{_noun(question.kinds, entities)} — {_filters_label(question)}"
    )
    if not found and unplaced:
        title = (
            f"None placed in {' or '.join(country_name(c) or c for c in question.countries)} by the data; "
            f"{len(unplaced)} designation{'s' if len(unplaced) != 1 else ''} that state no country — "
            f"{_filters_label(question)}"
        )
    if question.bodies and found:
        # "Which GRU units has the UK sanctioned?": the lists say whose unit a designated body is only in words the
        # filters do not read; all that match the rest are listed, and the title says so, never that they are the GRU's.
        bodies = " or ".join(dict.fromkeys(question.bodies))
        title += f" (the lists loaded do not say which are {bodies}'s)"
    if question.count:
        title = _count_title(question, kb, found)
        if unplaced:
            unplaced_entities = len({s.entity for s in unplaced if s.is_active})
            title += f"; {unplaced_entities} more listed whose country the data does not state"
    return ask_reply(
        question,
        context,
        status=Status.OK if found or unplaced else Status.NOT_FOUND,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        items=[
            sanction_item(
                kb,
                s,
                date=s.listed_on.isoformat() if s.listed_on else None,
                **(
                    {"added_between": [added[s.id].after.isoformat(), added[s.id].by.isoformat()]}
                    if s.id in added
                    else {}
                ),
            )
            for s in found[:MAX_ITEMS]
        ],
    )


def delistings(question: Question, context: Context) -> Reply:
    """Designations that have ended, newest end first, filtered as designations are and by the end's date."""
    kb = context.kb
    period = question.period
    every = kb.designations_where(
        authorities=question.authorities,
        regimes=question.regimes,
        countries=question.countries,
        kinds=question.kinds,
        **sector_filters(question),
    )
    found = sorted(
        # Within a period, only ends the publisher dated: a load day says nothing of when a record left.
        (
            s
            for s in every
            if s.ended_on and not s.is_active and (period is None or (s.ended_on_known and period.contains(s.ended_on)))
        ),
        key=lambda s: (s.ended_on, s.id),
        reverse=True,
    )
    cite = Citations(kb)
    lines = [
        Line(
            text=f"{_ended_when(s)} — {_who_of(kb, s.entity)} — {sanction_text(s)}",
            sources=cite.cite(s.source, s.list_source),
            command=f"/who {kb.entity(s.entity).caption}",
        )
        for s in found[:SHOWN]
        if s.ended_on
    ]
    if len(found) > SHOWN:
        lines.append(Line(text=f"… and {len(found) - SHOWN} more, ended earlier."))
    subtitle = None
    if not found:
        subtitle = (
            "No designation in the loaded data ended that matches: " + _filters_label(question) + ". Only lists "
            "loaded more than once (or that state end dates) can show delistings."
        )
    return ask_reply(
        question,
        context,
        status=Status.OK if found else Status.NOT_FOUND,
        title=f"{len(found)} delisting{'s' if len(found) != 1 else ''} — {_filters_label(question)}",
        subtitle=subtitle,
        sections=[Section(title="Delistings, newest first", lines=lines)] if lines else [],
        citations=cite.as_list(),
        items=[
            sanction_item(
                kb, s, ended=s.ended_on.isoformat() if s.ended_on else None, ended_date_known=s.ended_on_known
            )
            for s in found[:MAX_ITEMS]
        ],
    )


def _ended_when(sanction: Sanction) -> str:
    """When a delisting happened, as exactly as the data knows: a day, two editions' days, or not at all."""
    if not sanction.ended_on_known:
        return "undated"
    if sanction.ended_after:
        return f"{sanction.ended_after.isoformat()} to {sanction.ended_on.isoformat()}"
    return sanction.ended_on.isoformat()


def events(question: Question, context: Context) -> Reply:
    kb = context.kb
    period = question.period
    if period is None:
        return designations(question, context)
    cite = Citations(kb)
    events: list[tuple[dt.date, Line]] = []
    by_action: dict[tuple[str, dt.date], list[Sanction]] = defaultdict(list)
    for sanction in kb.designations_where(authorities=question.authorities, since=period.start, until=period.end):
        if sanction.listed_on is not None:
            by_action[(sanction.source, sanction.listed_on)].append(sanction)
    covered = set()
    for (source_id, day), sanctions in by_action.items():
        names = ", ".join(kb.entity(s.entity).caption for s in sanctions[:10])
        more = f" and {len(sanctions) - 10} more" if len(sanctions) > 10 else ""
        authority = AUTHORITIES[sanctions[0].authority].label
        events.append(
            (day, Line(text=f"{day.isoformat()} — {authority} designated {names}{more}", sources=cite.cite(source_id)))
        )
        covered.add(source_id)
    for source in kb.sources.values():
        if source.id in covered or source.kind in (SourceKind.LIST, SourceKind.CATALOGUE):
            continue
        if source.date is not None and period.contains(source.date):
            events.append(
                (
                    source.date,
                    Line(
                        text=f"{source.date.isoformat()} — {source.by}: {source.kind.value}: {source.title}",
                        sources=cite.cite(source.id),
                    ),
                )
            )
    events.sort(key=lambda e: e[0])
    lines = [line for _, line in events][:SHOWN]
    return ask_reply(
        question,
        context,
        status=Status.OK if lines else Status.NOT_FOUND,
        title=f"What happened {period.describe()}: {len(events)} event{'s' if len(events) != 1 else ''} in the data",
        subtitle=None if lines else "The loaded data records no designation or document dated then. " + ABSENCE_NOTE,
        sections=[Section(title="Events", lines=lines)] if lines else [],
        citations=cite.as_list(),
    )


def _compared(kb: KnowledgeBase, list_name: str, period: Period | None) -> tuple[dt.date, dt.date] | None:
    """The two editions a question compares: the newest on or before the period's start and the newest in it; the
    two newest loaded where no period is given."""
    days = editions(kb).get(list_name, [])
    if len(days) < 2:
        return None
    if period is None:
        return days[-2], days[-1]
    inside = [d for d in days if period.contains(d)]
    base = [d for d in days if period.start is not None and d <= period.start]
    first = base[-1] if base else (inside[0] if inside else None)
    last = inside[-1] if inside else None
    if first is None or last is None or first >= last:
        return None
    return first, last


def changes(question: Question, context: Context) -> Reply:
    """What changed on a list between two editions loaded: each addition, removal and amendment the store recorded."""
    kb = context.kb
    cite = Citations(kb)
    names = question.lists or [n for n, a in LIST_AUTHORITY.items() if a in question.authorities]
    names = [n for n in names if n in editions(kb)]
    sections, counts = [], []
    for name in names:
        compared = _compared(kb, name, question.period)
        if compared is None:
            counts.append(f"{name}: fewer than two editions loaded in that period, nothing to compare")
            continue
        first, last = compared
        events = (
            [e for e in context.store.events(source=name, since=first) if first < e.as_of <= last]
            if context.store is not None
            else []
        )
        by_kind = Counter(e.kind.value for e in events)
        said = ", ".join(f"{by_kind[k]} {k}" for k in ("added", "removed", "amended"))
        counts.append(f"{name} from the edition of {first.isoformat()} to that of {last.isoformat()}: {said}")
        source = next((s.id for s in kb.sources.values() if s.id.startswith(f"{name}@")), None)
        for kind in ("added", "removed", "amended"):
            chosen = [e for e in events if e.kind.value == kind]
            if not chosen:
                continue
            lines = [
                Line(
                    text=f"{e.as_of.isoformat()} — {e.entity_name} (ref {e.record_id})"
                    + (f" — {', '.join(c.field for c in e.changes)}" if e.changes else ""),
                    sources=cite.cite(source) if source else [],
                )
                for e in chosen[:SHOWN]
            ]
            if len(chosen) > SHOWN:
                lines.append(Line(text=f"… and {len(chosen) - SHOWN} more."))
            sections.append(Section(title=f"{name}: {len(chosen)} {kind}", lines=lines))
    if context.store is None:
        counts.append("the change records are kept in the store, which this bot runs without")
    coverage = coverage_lines(kb, question.authorities, cite)
    return ask_reply(
        question,
        context,
        status=Status.OK if sections else Status.NOT_FOUND,
        title="What changed — " + "; ".join(counts) if counts else "No list of that authority is loaded.",
        subtitle="Each edition as its publisher dated it; only the editions loaded are compared.",
        sections=[*([Section(title="Coverage", lines=coverage)] if coverage else []), *sections],
        citations=cite.as_list(),
    )
