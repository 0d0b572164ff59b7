"""Who sanctioned an entity, when, under which regime and why; "both", "but not"; the no that names near misses."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from bot.ask.common import (
    ABSENCE_NOTE,
    ask_reply,
    entity_json,
    suggest,
    with_suggestions,
)
from bot.ask.editions import list_of, removed_text
from bot.ask.listings import coverage_lines
from bot.ask.reading import Intent, Question
from bot.cards import (
    POSSIBLY_SAME_TITLE,
    allegation_line,
    listed_date,
    possibly_same_lines,
    regime_text,
    related_lines,
    sanction_item,
    sanction_text,
)
from bot.context import Context
from bot.coverage import EXPORT_CONTROLS_TITLE, no_sanction_note, sanctions_only
from bot.reply import Citations, Line, Reply, Section, Status
from knowledge.authorities import AUTHORITIES, REGIMES, designation_label, is_export_control
from knowledge.base import KnowledgeBase
from knowledge.lists.identifiers import BIRTH_DATE, ROUGH_BIRTH_DATE, rough_span, split_values
from knowledge.lists.importers.uk_sanctions_list import DESIGNATION_SOURCE
from knowledge.models import EXACT_NAME_TYPES, Entity, EntityKind, NameType, Predicate, Sanction
from knowledge.names.lookup import GENERIC_WORDS
from knowledge.names.normalise import normalise
from knowledge.references import LIST_WORDS, reference

__all__ = ["sanctions_answer"]


# A "no" names other cards the authority sanctions whose names hold the asked one's distinctive words (of this many
# letters at least: shorter ones are too common), at most this many.
NAMESAKE_WORD = 4


MAX_NAMESAKES = 3
# The names of an entity searched for namesakes, its own first: some hold hundreds of aliases.
MAX_NAMES_SEARCHED = 12
# An alias's distinctive words name namesakes only where at most this many names hold each of them.
MOST_ALIAS_HOLDERS = 10
# A name written together names namesakes only if this long ("kimwonhong"): shorter ones are many people's.
MIN_TOGETHER = 9
# A name of this many distinctive words or more is also looked for less one of them, through a word at most this many
# names hold (_shorter_name_holders).
MIN_WORDS_SHORTENED = 3
MOST_SHORTENED_HOLDERS = 300
# A person's first few names are compared with the first few names of the holders of their longest words (this many
# words each, held by at most MOST_NEAR_HOLDERS names): a name scoring this much as two persons' is named on a "no".
MAX_NAMES_NEAR = 3
NEAR_WORDS_SEARCHED = 2
MOST_NEAR_HOLDERS = 20
NEAR_NAME_SCORE = 0.9
# Where the loaded data holds no sanction by the authority asked about, the ones by others it does hold.
BY_OTHERS_TITLE = "Sanctions by others in the loaded data"


_WHY = re.compile(r"\b(?:why|reasons?|grounds|for what)\b", re.IGNORECASE)


_CRAFT = frozenset({EntityKind.VESSEL, EntityKind.AIRCRAFT})
_ACTORS = frozenset({EntityKind.THREAT_ACTOR, EntityKind.OPERATION, EntityKind.BOTNET})


def _craft_and_actor(entity: Entity, other: Entity) -> bool:
    """A ship or an aircraft is no hacking group or campaign: Star Blizzard (MISP: "Callisto Group") is not the UK's
    tanker CALLISTO (RUS2227). (A company may be: the ConList typed ships as entities.)"""
    kinds = {entity.kind, other.kind}
    return bool(kinds & _CRAFT) and bool(kinds & _ACTORS)


def _namesakes(
    kb: KnowledgeBase, entity: Entity, authorities: set[str], cite: Citations, lists: tuple[str, ...] = ()
) -> tuple[list[Line], str | None, bool]:
    """Cards the asked authority sanctions that hold one of this one's names with its words written together or
    apart, or whose names hold every distinctive word of one of its names ("Wagner Group" and OFAC's PRIVATE
    MILITARY COMPANY 'WAGNER'), and for a person those named by one of its names less a word or spelt otherwise, unless
    born in other years: a "no" must not hide a listing the merge could not join (of the `lists` asked, if any). With
    them, what a "no"'s title says of them: that a card which may be the same entity is sanctioned, where the merge
    found one may be; else which card's name holds the words, for the reader to judge (GAZPROM NEFT's holds
    "gazprom", and it is not PUBLIC JOINT STOCK COMPANY GAZPROM); None where there are none. Last, whether the title
    may say it first: a card the merge found may be the same, or one card named by this one's own name, written
    together or apart or at the start of its name."""
    # First the cards the merge found may be the same subject (one name as two lists write it), with why.
    lines = possibly_same_lines(entity.id, kb, cite, authorities)
    links = kb.possibly_same(entity.id)
    named = {link.other for link in links}
    # The authorities asked about whose listing of each such card is in force: what the title may say "is sanctioned",
    # each by the keeper of its list (the UK's OFSI or FCDO).
    same = [
        held
        for link in links
        if (held := [designation_label(s) for s in kb.sanctions_of(link.other) if _in_force(s, authorities, lists)])
    ]
    # Each card named: its keepers' labels, why it is named ("also holds “wagner”"), what it holds ("“wagner”"), and
    # whether a title may say it first (None: where its name begins with one of this one's own, _begins_with). Said
    # first only by this one's own name (not an alias, which others share: "Abu Abdul Rahman"), written together or
    # apart or at the start of the other's name: "Hamas including Izz al-Din al-Qassam Brigades" for HAMAS; never "The
    # Headquarters for Enjoining Right and Forbidding Evil", whose name holds "evil", for EVIL CORP, nor a name only
    # close to it or less a word of it ("Maaruf Mohamed" for BALWI, Muhammad Ma'ruf, another man).
    own = _own_names(entity)
    others: list[tuple[Entity, list[str], str, str, bool | None]] = []
    # First the cards holding one of its names written together or apart ("Abdulmalik al-Houthi", the UK's, and OFAC's
    # "AL HOUTHI, Abdul Malik"): its words, joined, are theirs.
    together = [
        (f"is “{value}” as another list writes it", f"“{value}” as another list writes it", other_id, value in own)
        for value in _names_searched(entity)
        if len(compact := normalise(value).compact) >= MIN_TOGETHER
        for other_id in sorted(kb.index.holders_written_together(compact))
    ]
    holders = [
        (f"also holds “{' '.join(words)}”", f"“{' '.join(words)}”", other_id, None)
        for number, words in enumerate(_name_words(entity))
        for other_id in _word_holders(kb, words, alias=number > 0)
    ]
    # Then the cards named by one of its names less a word (OFAC's "BOZIZE, Francois" for the UN's FRANÇOIS YANGOUVONDA
    # BOZIZÉ, "SALEH, Ahmed Ali" for AHMED ALI ABDULLAH SALEH): a list may leave out a middle name or a patronymic.
    # (A person's only: a company's name less a word is another company's, "GAZPROMBANK" less "gazprombank".)
    shorter = [
        (f"is part of “{value}”", f"part of “{value}”", other_id, False)
        for value in (_names_searched(entity) if entity.kind is EntityKind.PERSON else ())
        for other_id in _shorter_name_holders(kb, value)
    ]
    # Last, a person's cards whose names score as the same name spelt otherwise, found through a rare word they share
    # (OFAC's "LUKASHENKA, Alyaksandr Ryhorovich" for the UK's "Lukashenko Alexander Ryhorovich": a flat no).
    near = [
        (f"is close to “{value}”", f"a name close to “{value}”", other_id, False)
        for value in (_names_searched(entity)[:MAX_NAMES_NEAR] if entity.kind is EntityKind.PERSON else ())
        for other_id in _near_name_holders(kb, entity.id, value)
    ]
    by_name_alone = {other_id for _, _, other_id, _ in (*shorter, *near)}
    for why, held, other_id, leads in (*together, *holders, *shorter, *near):
        if other_id == entity.id or other_id in named:
            continue
        named.add(other_id)
        other = kb.entity(other_id)
        if (other.kind is EntityKind.PERSON) != (entity.kind is EntityKind.PERSON) or _craft_and_actor(entity, other):
            continue
        if other_id in by_name_alone and _born_apart(entity, other):
            # A name less a word, or spelt otherwise, of someone born in other years: a father ("QADHAFI, Muammar",
            # 1942, for Hannibal, 1975), a son, a namesake; not named.
            continue
        theirs = [s for s in kb.sanctions_of(other_id) if _in_force(s, authorities, lists)]
        if not theirs:
            continue
        # Every keeper whose listing of it is in force (the UK's FCDO list beside OFSI's former one), each once, by its
        # first listing.
        by_keeper: dict[str, Sanction] = {}
        for sanction in theirs:
            by_keeper.setdefault(designation_label(sanction), sanction)
        others.append((other, list(by_keeper), why, held, leads))
        listings = _joined(f"{label} ({listed_date(sanction)})" for label, sanction in by_keeper.items())
        lines.append(
            Line(
                text=f"{other.caption} ({reference(other)}), whose name {why}, is sanctioned "
                f"by {listings}; nothing in the lists says whether it is the same entity",
                sources=cite.cite(*{s.list_source or s.source for s in theirs}),
                command=f"/who {reference(other)}",
            )
        )
        if len(lines) >= MAX_NAMESAKES:
            break
    if same:
        cards = (
            "a card that may be the same entity is"
            if len(same) == 1
            else f"{len(same)} cards that may be the same entity are"
        )
        return lines, f"{cards} sanctioned by {_joined(a for held in same for a in held)}", True
    if len(others) == 1:
        other, labels, why, _, leads = others[0]
        said = f"{other.caption}, whose name {why}, is sanctioned by {_joined(labels)}"
        return lines, said, _begins_with(other, own) if leads is None else leads
    if others:
        phrases = list(dict.fromkeys(held for _, _, _, held, _ in others))
        held = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
        return (
            lines,
            f"{len(others)} cards whose names also hold {held} are sanctioned by "
            f"{_joined(label for _, labels, *_ in others for label in labels)}",
            False,
        )
    return lines, None, False


def _attributed_bodies(kb: KnowledgeBase, entity_id: str, authorities: set[str], lists: tuple[str, ...]) -> str:
    """Who attributes the group to which sanctioned bodies, by whom sanctioned ("MITRE ATT&CK Enterprise attributes it
    to 85th Main Special Service Centre (GTsSS), sanctioned by UK (FCDO)"), or "" where none is."""
    bodies: dict[str, list[str]] = defaultdict(list)
    for link in kb.links_of(entity_id):
        if link.predicate is not Predicate.ATTRIBUTED_TO or link.label != Predicate.ATTRIBUTED_TO.value:
            continue
        held = [s for s in kb.sanctions_of(link.other) if _in_force(s, authorities, lists)]
        if held:
            labels = _joined(dict.fromkeys(designation_label(s) for s in held))
            bodies[kb.source(link.source).by].append(f"{kb.entity(link.other).caption}, sanctioned by {labels}")
    return "; ".join(f"{by} attributes it to " + " and to ".join(named) for by, named in bodies.items())


def _regimes_named(kb: KnowledgeBase, keys: list[str]) -> str:
    """The regimes asked about in words, each once ("the UK's Russia regime" is read as its key and as the list's own
    name of it): a known regime's label, else the words its designations give it."""
    labels: dict[str, None] = {}
    for key in keys:
        if key in REGIMES:
            labels[REGIMES[key].label] = None
        elif held := next((s for s in kb.sanctions if s.regime == key), None):
            labels[regime_text(held)] = None
    return " or ".join(labels) if len(labels) <= MAX_REGIMES_NAMED else "the regimes asked about"


# Regimes named one by one in a title; more are "the regimes asked about" (the Understood line lists them).
MAX_REGIMES_NAMED = 3


def _own_names(entity: Entity) -> set[str]:
    """The entity's caption and primary names: what it is called, not an alias another may share."""
    return {entity.caption, *(n.value for n in entity.names if n.type is NameType.PRIMARY)}


def _begins_with(other: Entity, names: set[str]) -> bool:
    """Whether one of a card's names begins with every word of one of `names`, in their order."""
    mine = {normalise(value).tokens for value in names} - {()}
    return any(
        tokens[: len(words)] == words
        for name in other.names
        if name.type not in EXACT_NAME_TYPES
        for tokens in (normalise(name.value).tokens,)
        for words in mine
    )


def _un_source_lines(kb: KnowledgeBase, entity: Entity, cite: Citations) -> list[Line]:
    """Where the UK Sanctions List gives the UN as the source of its designation of the entity: what it says."""
    if "UN" not in split_values(entity.identifiers.get(DESIGNATION_SOURCE, "").replace("|", "; ")):
        return []
    return [
        Line(
            text=f"The UK Sanctions List ({ref.record_id}) gives the UN as the source of its designation of "
            f"{entity.caption}; no record of the UN's list, as loaded, is on this card",
            sources=cite.cite(ref.source),
        )
        for ref in entity.records
        if ref.list == "uk-sanctions-list"
    ]


def _born_apart(entity: Entity, other: Entity) -> bool:
    """Whether both state years of birth (exact or rough) and none is within a year of one of the other's."""
    mine, theirs = _birth_years(entity), _birth_years(other)
    return bool(mine and theirs) and all(abs(a - b) > 1 for a in mine for b in theirs)


def _birth_years(entity: Entity) -> set[int]:
    """Every year the entity's dates of birth, exact or rough, state or span."""
    years: set[int] = set()
    for value in split_values("; ".join(entity.identifiers.get(label, "") for label in (BIRTH_DATE, ROUGH_BIRTH_DATE))):
        if span := rough_span(value):
            years.update(range(span[0], span[1] + 1))
    return years


def _in_force(sanction: Sanction, authorities: set[str], lists: tuple[str, ...]) -> bool:
    """Whether a designation in force is one of the authorities', and of the lists asked about, if any."""
    return (
        sanction.authority in authorities and sanction.is_active and (not lists or list_of(sanction).startswith(lists))
    )


def _word_holders(kb: KnowledgeBase, words: list[str], *, alias: bool) -> list[str]:
    """The entities whose names hold these words, those with a name of just these words first (the UK's "Aung Aung"
    before OFAC's "ZAW, Aung Kyaw"). An alias's words only where few names hold them ("7TH BRIGADE" of KANIYAT MILITIA
    names every brigade), and one word of it only for a card named so ("AL-KANIYAT": the UK's al-Kaniyat; not
    "G-PEOPLE" of VIV ANSANM, whose "people" is in many names)."""
    named = {
        other_id: _named_so(kb.entity(other_id), words)
        for other_id in kb.index.holders_of(words, most=MOST_ALIAS_HOLDERS if alias else 200)
    }
    kept = [other_id for other_id, so in named.items() if not alias or len(words) > 1 or so]
    return sorted(kept, key=lambda other_id: (not named[other_id], other_id))


def _shorter_name_holders(kb: KnowledgeBase, value: str) -> list[str]:
    """The entities with a name of the distinctive words of `value` but one (three words or more, so two are left),
    every word of it in `value` (a short one too: "PAN, Aleksandr Vladimirovich" is no part of "Dvornikov Aleksandr
    Vladimirovich"), found through the rarest word left that few names hold."""
    found: list[str] = []
    words = _distinctive(value)
    if len(words) < MIN_WORDS_SHORTENED:
        return found
    typed = set(normalise(value).tokens)
    for left_out in dict.fromkeys(words):
        rest = list(words)
        rest.remove(left_out)
        # The longest word first: long words are the rarest, and the first one few names hold bounds the search.
        for word in sorted(set(rest), key=len, reverse=True):
            if candidates := kb.index.holders_of([word], most=MOST_SHORTENED_HOLDERS):
                found += sorted(c for c in candidates if c not in found and _named_within(kb.entity(c), rest, typed))
                break
    return found


def _near_name_holders(kb: KnowledgeBase, entity_id: str, value: str) -> list[str]:
    """The persons with a name (of their first few) compared as a match to `value` (NEAR_NAME_SCORE), among the
    holders of its longest distinctive words that few names hold (a bound on the comparisons a "no" makes)."""
    found: list[str] = []
    for word in sorted(set(_distinctive(value)), key=len, reverse=True)[:NEAR_WORDS_SEARCHED]:
        for other_id in sorted(kb.index.holders_of([word], most=MOST_NEAR_HOLDERS)):
            other = kb.entity(other_id)
            if other_id == entity_id or other_id in found or other.kind is not EntityKind.PERSON:
                continue
            scores = (kb.index.compare(value, name.value, person=True).score for name in other.names[:MAX_NAMES_NEAR])
            if any(score >= NEAR_NAME_SCORE for score in scores):
                found.append(other_id)
    return found


def _named_within(entity: Entity, words: list[str], typed: set[str]) -> bool:
    """Whether one of the entity's names is these distinctive words (_named_so), every word of it in `typed`, its
    articles and particles too: a list leaving words out of a name adds none, and the UK's "Al Abdullah Saleh", a
    Syrian whose family name is Al Abdullah, is no part of "SALEH Ahmed Ali Abdullah", whose Abdullah is his father."""
    return any(
        sorted(_distinctive(name.value)) == sorted(words) and set(normalise(name.value).tokens) <= typed
        for name in entity.names
    )


def _named_so(entity: Entity, words: list[str]) -> bool:
    """Whether one of the entity's names is these distinctive words, in any order, each as often."""
    return any(sorted(_distinctive(name.value)) == sorted(words) for name in entity.names)


def _distinctive(name: str) -> list[str]:
    return [w for w in normalise(name).tokens if len(w) >= NAMESAKE_WORD and w not in GENERIC_WORDS]


def _names_searched(entity: Entity) -> list[str]:
    """The names a "no" looks for namesakes under: the entity's own first, no weak alias, at most MAX_NAMES_SEARCHED."""
    return [entity.caption, *(n.value for n in entity.names if n.type not in EXACT_NAME_TYPES)][:MAX_NAMES_SEARCHED]


def _name_words(entity: Entity) -> list[list[str]]:
    """The distinctive words of each of the entity's names, its own name first, each set once: a "no" looks for other
    cards holding any of them (OFAC's KANIYAT MILITIA is also "AL-KANIYAT", the UK's al-Kaniyat). One word of a
    person's name ("Jong" of KIM Jong Un) names many others: a person's name needs two."""
    found: list[list[str]] = []
    for value in _names_searched(entity):
        words = _distinctive(value)
        if words and words not in found and (entity.kind is not EntityKind.PERSON or len(words) > 1):
            found.append(words)
    return found


def _joined(labels_given: Iterable[str]) -> str:
    """Authorities' labels, each once: "UK (FCDO) and UN Security Council"."""
    labels = list(dict.fromkeys(labels_given))
    return " and ".join(labels) if len(labels) < 3 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _combined_verdict(question: Question, entity: Entity, every: list[Sanction]) -> tuple[str, list[Sanction]] | None:
    """The answer to "is it sanctioned by both A and B?" or "by A but not B?", and the designations it rests on;
    None for a question about any one authority."""
    if not question.yes_no or not (question.combine == "all" or question.excluded):
        return None
    active = {s.authority for s in every if s.is_active}
    asked = [*question.authorities, *question.excluded]
    shown = [s for s in every if s.authority in asked]

    def labels(keys: list[str]) -> str:
        return " and ".join(AUTHORITIES[k].label for k in keys)

    barred = [a for a in question.excluded if a in active]
    missing = [a for a in question.authorities if a not in active]
    if barred:
        return f"No: {entity.caption} is sanctioned by {labels(barred)} as well.", shown
    if missing:
        held = [a for a in question.authorities if a in active]
        by = f"sanctioned by {labels(held)}, but" if held else "not sanctioned by any of them:"
        return f"No: {entity.caption} is {by} the loaded data records no sanction by {labels(missing)}.", shown
    if question.excluded:
        only = f"and not by {labels(question.excluded)} in the loaded data"
        return f"Yes: {entity.caption} is sanctioned by {labels(question.authorities)}, {only}.", shown
    return f"Yes: {entity.caption} is sanctioned by {labels(question.authorities)}, each.", shown


def sanctions_answer(question: Question, context: Context, entity_id: str, *, also: tuple[str, ...] = ()) -> Reply:
    """Who sanctioned it; `also`: other cards of the same subject, whose designations are its own too."""
    if question.authorities and all(is_export_control(a) for a in question.authorities):
        return _export_controls_answer(question, context, entity_id, also)
    kb = context.kb
    entity = kb.entity(entity_id)
    held = [s for card in (entity_id, *also) for s in sanctions_only(kb.sanctions_of(card))]
    every = sorted(held, key=lambda s: (s.listed_on or dt.date.min, s.authority))
    wanted = set(question.authorities)
    matching = [s for s in every if not wanted or s.authority in wanted]
    # Asked of one list ("is Gazprombank on the SDN list?"): its designations only; another list's of the same
    # authority (OFAC's non-SDN Consolidated list) is no "yes", and is shown among the others.
    on = ""
    if question.lists:
        matching = [s for s in matching if list_of(s).startswith(tuple(question.lists))]
        on = " on the " + " or ".join(f"{LIST_WORDS.get(n, n)} list" for n in question.lists)
    under = ""
    if question.regimes:
        # Asked of a regime ("under the Russia regime"): its designations only; the authority's under another regime
        # are no "yes" (the UK lists Prigozhin under its Libya regime), and are shown among the others.
        matching = [s for s in matching if s.regime in question.regimes]
        under = " under " + _regimes_named(kb, question.regimes)
    cite = Citations(kb)

    def line(sanction: Sanction) -> Line:
        reasons = f" — reasons given: {sanction.reasons}" if sanction.reasons else " — no reason stated in the data"
        removed = removed_text(kb, sanction)
        ended = f" ({removed})" if removed else ""
        return Line(
            text=sanction_text(sanction) + ended + reasons, sources=cite.cite(sanction.source, sanction.list_source)
        )

    by = " by " + " or ".join(AUTHORITIES[a].label for a in question.authorities) if wanted else ""
    sections = []
    if matching:
        # The designation quoted for "is it sanctioned?" is one still in force, the newest (sanctions are kept
        # newest first), never one since delisted.
        in_force = [s for s in matching if s.is_active]
        active = bool(in_force)
        # One mention per authority and date: OFAC's programmes of one record are one undated listing.
        mentions = list(
            dict.fromkeys(
                f"{designation_label(s)} ({listed_date(s)}{'' if s.is_active else ', delisted'})" for s in matching
            )
        )
        dated = " and ".join(mentions) if len(mentions) < 3 else ", ".join(mentions[:-1]) + " and " + mentions[-1]
        if wanted and question.yes_no:
            # Delisted: by the keepers of the lists that delisted it (OFSI's former list, not the FCDO's, for the UK),
            # each of them: "or" would say the data does not know which.
            delisted_by = _joined(designation_label(s) for s in matching)
            title = (
                f"Yes: {entity.caption} is sanctioned by {designation_label(in_force[0])}: {_designated(in_force[0])}."
                if active
                else f"{entity.caption} was sanctioned by {delisted_by}, and delisted."
            )
        else:
            count = len({s.authority for s in matching})
            # One authority may list through two keepers (the UK's FCDO list and OFSI's former one): counted once.
            listings = f", in {len(mentions)} listings" if len(mentions) > count else ""
            dated = f"{count} authorities{listings}: {dated}" if count > 1 else dated
            title = (
                f"{entity.caption} is sanctioned by {dated}."
                if active
                else f"{entity.caption} was sanctioned by {dated}."
            )
        subtitle = None
        sections.append(Section(title="Sanctions", lines=[line(s) for s in matching]))
        if not active:
            # Every listing asked about has ended: as good as a "no", which must not hide a listing in force on a
            # card the merge could not join (OFAC's NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES had been).
            namesakes, said, _ = _namesakes(kb, entity, wanted or set(AUTHORITIES), cite, tuple(question.lists))
            if namesakes:
                sections.append(Section(title=POSSIBLY_SAME_TITLE, lines=namesakes))
            if said:
                # The title too: "delisted" alone reads as "no longer sanctioned" (OFSI's dropped 13611 "RIAK Malek
                # Reuben", whom the UK lists as RIAK RENGU on a card the merge could not join).
                title = f"{title[:-1]}; {said} (below)."
    else:
        # Asked of one authority, or of any where the card holds no sanction at all ("is APT38 sanctioned?": OFAC
        # lists it as an a.k.a. of BLUENOROFF, a card of its own).
        namesakes, said, leads = (
            _namesakes(kb, entity, wanted or set(AUTHORITIES), cite, tuple(question.lists))
            if wanted or not every
            else ([], None, False)
        )
        title = f"The loaded data records no sanction of {entity.caption}{on or by}{under}."
        coverage = coverage_lines(kb, question.authorities, cite)
        if coverage:
            # No list of that authority is loaded: "no sanction recorded" would read as "not sanctioned".
            title = f"{title[:-1]}: {_lower_first(coverage[0].text)}"
        elif said:
            # A listing on a card the merge could not join is no "no" (the UN's BANK SEPAH AND BANK SEPAH
            # INTERNATIONAL, asked "is Bank Sepah on the UN list?"): the title says so, not only a section below it,
            # naming the authority that lists it (of those asked) and, unless the merge found it may be this one,
            # the card itself, so that a namesake is never put as "may be the same" (GAZPROM NEFT for Gazprom).
            if not leads:
                title = f"{title[:-1]} on its card; {said} (below)."
            else:
                # What is listed comes first: a title opening on "no sanction" reads as a no, whatever follows it.
                title = f"{_upper_first(said)} (below); {_lower_first(title[:-1])} on its card."
        # The sanctions by others are introduced by their section's own title, not by a sentence that the
        # "Understood" line would come between.
        subtitle = None if every else "It records no sanction of it at all. " + ABSENCE_NOTE
        loaded, controls = no_sanction_note(kb, entity_id, cite, question.authorities)
        # Where the title already says no list of the authority is loaded, the lists loaded are not said twice.
        subtitle = " ".join(filter(None, (None if coverage else loaded, subtitle))) or None
        if every:
            others_title = "Its designations in the loaded data" if under else BY_OTHERS_TITLE
            sections.append(Section(title=others_title, lines=[line(s) for s in every]))
        if namesakes:
            sections.append(Section(title=POSSIBLY_SAME_TITLE, lines=namesakes))
        if "UN-SC" in wanted and (given := _un_source_lines(kb, entity, cite)):
            # The UN's export carries no ships: the UK's list saying it gives effect to a UN designation is the data's
            # word that the UN designated it (XIN GUANG HAI, the UK's DPR0112).
            sections.append(Section(title="Another list on a UN designation", lines=given))
            title = f"{title[:-1]}; the UK Sanctions List gives the UN as the source of its designation (below)."
        if not every and entity.kind in (EntityKind.THREAT_ACTOR, EntityKind.OPERATION):
            # A group's name is rarely designated; the companies and people sanctioned over it are (Salt Typhoon:
            # Sichuan Juxinhe, OFAC 2025-01-17): a bare no would hide them.
            linked = [line for other, line in related_lines(entity_id, kb, cite)[0] if kb.sanctions_of(other)]
            if linked:
                sections.append(Section(title="Sanctioned entities linked to it", lines=linked))
            if attributed := _attributed_bodies(kb, entity_id, wanted or set(AUTHORITIES), tuple(question.lists)):
                # "Has the UK sanctioned APT28?": not by that name, but the body a catalogue attributes it to is; a
                # bare "no" would hide the UK's GTsST and GTsSS.
                title = f"{title[:-1]}; {attributed} (below)."
        sections += controls
    verdict = _combined_verdict(question, entity, every)
    if verdict is not None:
        # "Both A and B?", "A but not B?": a yes for one authority is no answer to the question asked.
        title, shown = verdict
        subtitle = None
        sections = [Section(title="Sanctions", lines=[line(s) for s in shown])] + [
            s for s in sections if s.title not in ("Sanctions", BY_OTHERS_TITLE)
        ]
    if _WHY.search(question.text) and matching:
        sources = {s.source for s in matching}
        claims = [a for a in kb.allegations_of(entity_id) if a.source in sources]
        if claims:
            sections.append(
                Section(
                    title="What the sanctioning authorities allege (their allegations)",
                    lines=[allegation_line(a, cite) for a in claims],
                )
            )
    reply = ask_reply(
        question,
        context,
        status=Status.FOUND if matching else Status.NOT_FOUND,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
        items=[
            {
                "entity": {"id": entity.id, "name": entity.caption},
                "authority": s.authority,
                "regime": s.regime,
                "date": s.listed_on.isoformat() if s.listed_on else None,
                "reasons": s.reasons,
                "source": s.source,
            }
            for s in matching
        ],
    )
    return reply if matching else with_suggestions(reply, suggest(kb, entity, skip=Intent.SANCTIONS))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _export_controls_answer(question: Question, context: Context, entity_id: str, also: tuple[str, ...]) -> Reply:
    """ "Is Huawei on the Entity List?": the export-control listings asked about, never worded as sanctions, and a
    no that says whether those lists are loaded at all."""
    kb = context.kb
    entity = kb.entity(entity_id)
    wanted = set(question.authorities)
    cite = Citations(kb)
    listed = [s for card in (entity_id, *also) for s in kb.sanctions_of(card) if s.authority in wanted]
    by = " or ".join(AUTHORITIES[a].label for a in question.authorities)
    sections = []
    if listed:
        title = f"Yes: {entity.caption} is listed by {by}: export controls, not sanctions."
        subtitle = None
    else:
        title = f"The loaded data records no listing of {entity.caption} by {by}."
        coverage = coverage_lines(kb, question.authorities, cite)
        subtitle = " ".join(line.text for line in coverage) or ABSENCE_NOTE
    lines = [Line(text=sanction_text(s), sources=cite.cite(s.source, s.list_source)) for s in listed]
    if lines:
        sections.append(Section(title=EXPORT_CONTROLS_TITLE, lines=lines))
    others = sanctions_only(kb.sanctions_of(entity_id))
    if others:
        sections.append(
            Section(
                title="Sanctions (not export controls)",
                lines=[Line(text=sanction_text(s), sources=cite.cite(s.source, s.list_source)) for s in others],
            )
        )
    return ask_reply(
        question,
        context,
        status=Status.FOUND if listed else Status.NOT_FOUND,
        title=title,
        subtitle=subtitle,
        sections=sections,
        citations=cite.as_list(),
        entity=entity_json(entity),
        items=[sanction_item(kb, s) for s in listed],
    )


def _designated(sanction: Sanction) -> str:
    # OFAC's lists date no listing: "designated date not stated" would read as if that were a date.
    return f"designated {listed_date(sanction)}" if sanction.listed_on else "the list gives no listing date"
