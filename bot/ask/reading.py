"""Reads a question: the entities it names, its filters (authority, regime, country, kind, period), its intent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.ask.follow_up import HOW_THREAD, PRONOUNS, follow_up_mention
from bot.ask.mentions import (
    MAX_PHRASE_WORDS,
    Mention,
    Miss,
    Token,
    find_mentions,
    no_authority,
    phrase_words,
    tokenise,
)
from bot.ask.vocabulary import (
    AUTHORITY_WORDS,
    BODY_WORDS,
    COUNTRY_WORDS,
    ENTITY_WORDS,
    KIND_WORDS,
    LIST_WORDS,
    NATION_WORDS,
    PLACE_WORDS,
    QUESTION_WORDS,
    REGIME_CUES,
    SECTOR_WORDS,
)
from bot.cards import REFERENCE_MATCH, regime_text
from bot.parsing import Period, find_period
from knowledge.authorities import AUTHORITIES, REGIMES, find_regime
from knowledge.base import KnowledgeBase
from knowledge.identifier_lookup import identifier_holders
from knowledge.models import Entity, EntityKind, NameType
from knowledge.name_twins import romanisation_fold
from knowledge.names.lookup import LookupStatus, Match
from knowledge.names.normalise import normalise
from knowledge.names.tables import NICKNAMES, PARTICLES

__all__ = ["Intent", "Question", "country_programmes", "is_body", "read_question", "references", "says"]


class Intent(StrEnum):
    PROFILE = "profile"
    SANCTIONS = "who sanctioned it, when, under which regime and why"
    SANCTIONED_OVER = "who was sanctioned over it"
    ACCUSED = "what it is accused of, and by whom"
    BEHIND = "who founded, runs or operates it"
    LINKED = "what it is linked to"
    COMMON = "what they have in common"
    FORMER_NAMES = "its former and other names"
    BASED = "where it is based"
    BORN = "when and where they were born"
    NATIONALITY = "their nationality"
    FACT = "a fact in a sourced statement"
    EVENTS = "what happened in a period"
    DESIGNATIONS = "designations matching filters"
    DELISTINGS = "delistings matching filters"
    CHANGES = "what changed between two editions of a list"
    UNKNOWN = "nothing I recognise"


# Asked about designations that ended: "which entities were delisted since April", "what did OFAC lift in 2024".
_DELISTED = re.compile(
    r"\b(?:de-?list\w*|unlisted|lift(?:ed|s)?|"
    r"remov(?:e|ed|es|ing|al) (?:\w+ ){0,2}?from (?:the |its |their )?(?:(?:sanctions? |\w+ )?lists?|sdn|conlist)\b|"
    r"taken off (?:the |its |their )?(?:sanctions? )?lists?|no longer (?:listed|sanctioned|designated|on the lists?))"
)
_SANCTION = r"(?:sanction\w*|designat\w*|listed|listing|black-?list\w*|penali[sz]\w*|asset freezes?|frozen|froze)"
_OVER = re.compile(
    _SANCTION + r"\b(?:\s+\S+){0,4}?\s+(?:over|for|in connection with|because of|in relation to|regarding|"
    r"due to|about|tied to|linked to|connected (?:to|with)|related to|involved in|"
    r"(?:their |its |a )?roles? in)\s+(?:the\s+)?qxq",
)
_SANCTIONED_LINKED = re.compile(
    r"\bsanctioned\s+(?:\w+\s+)?(?:(?:are|is|were|was|have been)\s+)?(?:linked|tied|connected|related|associated)"
)
_CO_DESIGNATED = re.compile(
    r"\bco-?(?:designat|sanction|list)\w*"
    r"|\b(?:designated|sanctioned|listed) (?:together |along |at the same time )?with\b"
)
_FACT = re.compile(r"\bhow (?:many|much|large|big|long)\b|\bnumber of\b|\bhow many\b")
_ACCUSATION = re.compile(
    r"\b(?:accus\w*|alleg\w*|charg\w*|indict\w*|blam\w*|suspect\w*|crimes?|wrongdoing|prosecut\w*|"
    r"what (?:did|does|has|have) qxq (?:do|done))\b"
)
_ATTACKS = re.compile(r"\b(?:attack\w*|hack\w*|target\w*|espionage|spy\w*|breach\w*|compromis\w*)\b")
_CHARGES = re.compile(r"\b(?:charg\w*|indict\w*|prosecut\w*)\b")
_SANCTIONS = re.compile(
    r"\b" + _SANCTION + r"\b|\b(?:regimes?|reasons?|why|measures|programmes?|programs?|list ref\w*)\b"
    r"|\bon (?:the |a |any )?(?:\w+ )?(?:sanctions? )?lists?\b"
)
_BEHIND = re.compile(
    r"\b(?:(?:co-?)?found(?:ed|er|ers|ing)?|set (?:it )?up|established|created|runs?|running|ran|"
    r"operat(?:e|es|ed|or|ors|ing)|controls?|controlled|controlling|manag(?:e|es|ed|er|ers|ing)|owns?|owned|owners?|"
    r"behind|in charge|leads?|heads?|parent)\b"
)
_LINKED = re.compile(
    r"\b(?:link\w*|tie[sd]?|connect\w*|relat\w*|associat\w*|affiliat\w*|partners?|work(?:s|ed)? (?:with|for)|"
    r"involved|named (?:with|alongside))\b"
)
_COMMON = re.compile(
    r"\b(?:common|share[sd]?|both|between|similar\w*|compare\w*|comparison|differ\w*|same|to do with|relationship)\b"
)
_FORMER = re.compile(
    r"\b(?:former\w*|previous\w*|old names?|used to be|renamed|other names?|alias\w*|aka|a\.k\.a|also known|"
    r"names?|called|spell\w*|known as)\b"
)
_BASED = re.compile(
    r"\b(?:where|based|located|locat\w*|headquarter\w*|hq|which country|what country|country|nationality|"
    r"nationalities|citizen\w*|birthplaces?|place of birth)\b"
)
# "when was X born?", "where was X born?", "X's date of birth": a birth asked about, not a designation's date or where
# X is based; "what nationality is X?", "is X a citizen of Cyprus?": a nationality.
_BIRTH = re.compile(r"\bborn\b|\bbirth")
_NATIONALITY = re.compile(r"\b(?:nationalit\w*|citizen\w*)\b")
_EVENTS = re.compile(r"\b(?:happen\w*|events?|news|going on|announce\w*|took place)\b")
# Asked what changed on a list: the additions, removals and amendments between two editions loaded.
_CHANGES = re.compile(r"\b(?:what(?:'s| is| has| have)? (?:changed|new)|changes?|amend\w*|additions and removals)\b")
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b")
# "the IMO number of NS LEADER", "his passport number": an identifier asked for, no count.
_ID_NUMBER = re.compile(
    r"\b(imo|passport|tax id|tax|id|identification|registration|national id|swift|phone|telephone|account|call sign)"
    r"\s+(?:number|no\.?)(?=\s|$|[?.,])"
)


def _counts(text: str) -> bool:
    """Whether the question asks for a count ("how many", "the number of"), an identifier's number aside."""
    return bool(_COUNT.search(_ID_NUMBER.sub(r"\1", text)))


# How several authorities combine: all of them ("both the UK and the US", "by the UN and by the EU"), or some but
# not others ("the US but not the UK", "only the UK").
_BOTH = re.compile(r"\bboth\b|\b(?:by|from) (?:the )?\S+ and (?:by|from)\b|\ball (?:of )?(?:the )?(?:three|two|four)\b")
_NOT = re.compile(r"\b(?:but|and) not\b|\bnot (?:by|from|on)\b|\bwithout\b|\bexcept\b")
_ONLY = re.compile(r"\bonly\b|\balone\b|\bexclusively\b")
_WHEN = re.compile(r"^(?:and |so |but )?(?:since )?when\b")
_YES_NO = re.compile(r"^(?:is|are|was|were|has|have|had|did|does|do)\b|\bwhether\b")
_PROFILE = re.compile(r"\b(?:who|what)(?:'s| is| are| was| were)\b|\b(?:tell me|brief|about|profile|summary)\b")
# A government body named after these words is who says something, not whom the question is about.
_SOURCE_WORDS = ("by", "from", "according to", "per", "says", "said")
# ... and so is one followed by a verb or noun of saying: "what did the Justice Department say about i-Soon",
# "the FCDO's allegations against X", "what has the DOJ charged Wu Haibo with".
_SAYS_AFTER = re.compile(
    r"^(?:['’]s?)?\s+(?:\w+\s+){0,2}?(?:say|says|said|saying|allege\w*|accus\w*|charg\w*|claim\w*|assess\w*|"
    r"stat(?:e|es|ed|ement|ements)|describ\w*|report\w*|think|thinks|believ\w*|conclu\w*|indict\w*|prosecut\w*|"
    r"views?|position|case|allegations?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Question:
    """What was understood from a question: every part of it says which words it came from."""

    text: str
    tokens: list[Token]
    mentions: list[Mention]
    misses: list[Miss]
    intent: Intent
    authorities: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    kinds: list[EntityKind] = field(default_factory=list)
    # Sectors asked about that entities' names say ("banks"): SECTOR_NAME_WORDS.
    sectors: list[str] = field(default_factory=list)
    period: Period | None = None
    yes_no: bool = False
    charges: bool = False
    # Words that are neither names, filters nor question vocabulary: what the question is about ("leak", "devices").
    topic: list[str] = field(default_factory=list)
    # Who says something, as written and as the bodies the data quotes: "the Justice Department" in "what did the
    # Justice Department say about i-Soon" is whose word is asked for, not a second entity.
    claimants: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # The lists named ("the SDN list"), as the catalogue names them.
    lists: list[str] = field(default_factory=list)
    # How the authorities combine: "any" of them, "all" of them ("both A and B"), or some and "not" the others.
    combine: str = "any"
    # The authorities after "not" ("the US but not the UK"): their designations rule an entity out.
    excluded: list[str] = field(default_factory=list)
    # "How many": the answer is a number.
    count: bool = False
    # Body words the data names ("GRU"), kept apart from the topic's other words.
    bodies: list[str] = field(default_factory=list)

    @property
    def claimant_ids(self) -> set[str]:
        return {entity for _, bodies in self.claimants for entity in bodies}

    @property
    def entities(self) -> list[str]:
        seen: dict[str, None] = {}
        for mention in self.mentions:
            if mention.entity:
                seen.setdefault(mention.entity)
        return list(seen)

    @property
    def unresolved(self) -> list[Mention]:
        return [m for m in self.mentions if m.entity is None]


def _references(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """List references and identifiers ("CYB0045", OFAC's "52747") to (entity, what the reference is)."""
    table: dict[str, tuple[str, str]] = {}
    for sanction in kb.sanctions:
        if sanction.list_ref:
            table.setdefault(sanction.list_ref.casefold(), (sanction.entity, f"{sanction.authority} list reference"))
    for entity in kb.entities.values():
        for label, value in entity.identifiers.items():
            if label not in _DESCRIBING:
                table.setdefault(value.casefold(), (entity.id, label))
    return table


# Details that describe an entity rather than tell it apart: "Venezuela" is some vessel's flag and "Crude Oil Tanker"
# hundreds' type, never a reference to one of them ("entities in Venezuela" read as the vessel URDANETA).
_DESCRIBING = frozenset({"title", "vessel flag", "vessel type", "vessel owner", "vessel GRT", "vessel tonnage"})


def references(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    return kb.derived("ask.references", _references)


# A chat's way of addressing people or a channel: "@here", "@channel", "@everyone", "<!here>", "<@U024BE7LH>".
_ADDRESSING = re.compile(r"<[!@#][^<>]*>|(?<![\w@])@(?:here|channel|everyone)\b", re.IGNORECASE)
# The list word of a typed reference, just before the record id: "ofac:" of "ofac:8100".
_REFERENCE_PREFIX = re.compile(r"(?<![\w:])([A-Za-z][\w-]*):$")
# A word just before a number that says it is a list's record number: "OFAC 26165", "SDN entry 26165", "ref #26165".
_REFERENCE_WORD = re.compile(
    r"\b(?:ofac|sdn|ofsi|un|uk|eu|ent[_ ]?num|entry|entries|ref|reference|record|group id|id|no|number)\W*$|#\s*$",
    re.IGNORECASE,
)


def _by_reference(
    text: str, tokens: list[Token], kb: KnowledgeBase, mentions: list[Mention], misses: list[Miss]
) -> tuple[list[Mention], list[Miss]]:
    """A word no name matched may be a list reference or identifier: "tell me about CYB0045", or a reference typed
    as a card gives it, "is ofac:8100 sanctioned by the UN?", whose list word is part of the reference: it never
    asks about that list's authority (the question above was answered "Yes: … is sanctioned by US (OFAC)")."""
    table = references(kb)
    kept_misses = []
    for miss in misses:
        start = text.find(miss.text)
        prefix = _REFERENCE_PREFIX.search(text, 0, start) if start > 0 else None
        typed = f"{prefix.group(1)}:{miss.text}" if prefix else None
        entity_id = kb.by_reference(typed) if typed else None
        found = (entity_id, "reference") if entity_id else table.get(miss.text.casefold())
        if found is not None and not entity_id and miss.text.isdigit() and not _REFERENCE_WORD.search(text, 0, start):
            # A bare number is a list's record number only where the question says so ("OFAC 26165"): "GRU unit
            # 26165" is no question about OFAC's 26165, a Mexican trafficker.
            found = None
        if found is None:
            # A passport, IMO, SWIFT/BIC or tax number, typed with its label or not ("is IMO 9172040 sanctioned?"),
            # as /who finds it.
            held = identifier_holders(kb, miss.text)
            if len(held) != 1:
                kept_misses.append(miss)
                continue
            found = (held[0][0], held[0][1])
        entity, what = found
        if entity_id and prefix and typed:
            start = prefix.start(1)
            match = Match(entity, typed, NameType.ALIAS, REFERENCE_MATCH, 1.0, "opened by its reference")
            end = start + len(typed)
        else:
            match = Match(entity, miss.text, NameType.ALIAS, what, 1.0, f"the {what} of the entity")
            end = start + len(miss.text)
        inside = [i for i, token in enumerate(tokens) if start <= token.start < end] or [0]
        mentions.append(Mention(start, end, miss.text, (match,), LookupStatus.FOUND, inside[0], inside[-1]))
    mentions.sort(key=lambda m: m.start)
    return mentions, kept_misses


def _phrase_hits(tokens: list[Token], table: dict[str, str], used: set[int]) -> list[tuple[str, set[int]]]:
    """The phrases of `table` in the question, longest first where they overlap ("United Arab Emirates", not
    "Arab"), none of their words in `used`."""
    hits = []
    read: set[int] = set()
    for i, token in enumerate(tokens):
        if i in used or i in read:
            continue
        if count := phrase_words(tokens, i, table, used):
            read.update(range(i, i + count))
            hits.append((table[" ".join(t.plain for t in tokens[i : i + count])], set(range(i, i + count))))
        elif token.plain in table:
            if no_authority(tokens, i):
                continue
            hits.append((table[token.plain], {i}))
    return hits


def _shape(text: str, mentions: list[Mention]) -> str:
    """The question with every name replaced by "qxq", lower-cased, an identifier's "number" left out ("the IMO
    number of qxq" asks for its IMO): what the intent patterns read."""
    out, last = [], 0
    for mention in mentions:
        out.append(text[last : mention.start])
        out.append(" qxq ")
        last = mention.end
    out.append(text[last:])
    return _ID_NUMBER.sub(r"\1", " ".join("".join(out).lower().replace("’", "'").split()))


# What a question naming an entity asks, by the first of these cues its words hold: the more specific first.
_NAMED_CUES = (
    (_FACT, Intent.FACT),
    (_OVER, Intent.SANCTIONED_OVER),
    (_SANCTIONED_LINKED, Intent.SANCTIONED_OVER),
    (_ACCUSATION, Intent.ACCUSED),
    (_CO_DESIGNATED, Intent.LINKED),
    # "was X delisted?", "is X still sanctioned?": its designations, each in force or ended, answer it.
    (_DELISTED, Intent.SANCTIONS),
    (_SANCTIONS, Intent.SANCTIONS),
    (_BEHIND, Intent.BEHIND),
    (_LINKED, Intent.LINKED),
    (_FORMER, Intent.FORMER_NAMES),
    (_BASED, Intent.BASED),
    (_ATTACKS, Intent.ACCUSED),
)


def _intent(shape: str, named: int, *, filters: bool, period: bool) -> Intent:
    if named >= 2 and (_COMMON.search(shape) or _LINKED.search(shape)):
        return Intent.COMMON
    if not named and _ACCUSATION.search(shape):
        return Intent.FACT
    counting_designations = bool(_FACT.search(shape) and re.search(r"\b" + _SANCTION, shape))
    if named:
        if counting_designations:
            # "how many governments have sanctioned X": the designations answer it, each with its source.
            return Intent.SANCTIONS
        return next((intent for cue, intent in _NAMED_CUES if cue.search(shape)), Intent.PROFILE)
    if _FACT.search(shape) and not counting_designations:
        return Intent.FACT
    if _EVENTS.search(shape) and period:
        return Intent.EVENTS
    if _DELISTED.search(shape):
        return Intent.DELISTINGS
    if re.search(r"\b" + _SANCTION, shape) or filters or period:
        return Intent.DESIGNATIONS
    return Intent.UNKNOWN


def _refine(
    intent: Intent,
    shape: str,
    mentions: list[Mention],
    kinds: list[EntityKind],
    kb: KnowledgeBase,
    *,
    yes_no: bool,
    authorities: list[str],
) -> Intent:
    """General rules over the first reading: what the named things and the filters imply together."""
    entities = list(dict.fromkeys(m.entity for m in mentions if m.entity))
    if len(entities) >= 2 and intent is Intent.PROFILE:
        # Two names and no other cue: "Integrity Tech and Raptor Train?" asks how they relate.
        return Intent.COMMON
    if entities and kinds and kb.entity(entities[0]).kind not in kinds:
        # "salt typhoon companies": the kind asked for is not the named entity's, so it asks about its links.
        if intent is Intent.SANCTIONS:
            return Intent.SANCTIONED_OVER
        if intent in (Intent.PROFILE, Intent.FORMER_NAMES):
            # "which companies did the advisory name over Salt Typhoon": "name" is the advisory's verb here.
            return Intent.LINKED
    if entities and yes_no and authorities and intent is Intent.PROFILE:
        return Intent.SANCTIONS
    return intent


def _with_thread_subject(
    text: str, tokens: list[Token], mentions: list[Mention], in_period: set[int], subject: Entity, kb: KnowledgeBase
) -> list[Mention]:
    """The thread's subject added where the question names nothing else it could be about (a body that says
    something, "what did the DOJ say about them", is no such thing)."""
    bodies = {a.entity for a in AUTHORITIES.values()}
    about_something = [
        m for m in mentions if m.entity is None or (m.entity not in bodies and not is_body(kb, m.entity))
    ]
    if about_something:
        return mentions
    taken = set(in_period) | {i for m in mentions for i in range(m.first_token, m.last_token + 1)}
    mention = follow_up_mention(text, tokens, taken, subject)
    return sorted([*mentions, mention], key=lambda m: m.start) if mention else mentions


def is_body(kb: KnowledgeBase, entity_id: str) -> bool:
    return kb.entity(entity_id).kind is EntityKind.GOVERNMENT_BODY


def says(text: str, start: int, end: int, *, by: bool = True) -> bool:
    """Whether the body named at text[start:end] is who says something: after "according to" (or "by", where `by`)
    or before a verb or noun of saying."""
    before = " ".join(text[:start].casefold().split()[-3:])
    words = _SOURCE_WORDS if by else tuple(w for w in _SOURCE_WORDS if w != "by")
    return before.endswith(tuple(f"{w} the" for w in words) + words) or bool(_SAYS_AFTER.match(text[end:]))


def _government_bodies(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Each country's government bodies in the data: what "the US" says is what any of them says."""
    bodies: dict[str, list[str]] = {}
    for entity in kb.entities.values():
        if entity.kind is EntityKind.GOVERNMENT_BODY and entity.country:
            bodies.setdefault(entity.country, []).append(entity.id)
    return {country: tuple(ids) for country, ids in bodies.items()}


def _bodies(kb: KnowledgeBase, authority: str, *, nation: bool) -> tuple[str, ...]:
    """The bodies an authority word stands for as a claimant: the whole country's for "the UK", else its own."""
    found = AUTHORITIES[authority]
    if nation:
        return kb.derived("ask.government-bodies", _government_bodies).get(found.country, (found.entity,))
    return (found.entity,)


def _vocabulary_positions(tokens: list[Token]) -> set[int]:
    """Words the vocabulary explains before any name is looked up: an authority or list written in several words
    ("the Security Council", "the SDN list") and the short forms of bodies ("GRU"): never names of their own."""
    explained: set[int] = set()
    for i, token in enumerate(tokens):
        pair = f"{token.plain} {tokens[i + 1].plain}" if i + 1 < len(tokens) else ""
        if pair in AUTHORITY_WORDS or pair in LIST_WORDS:
            explained.update((i, i + 1))
        elif token.plain in LIST_WORDS or token.plain in BODY_WORDS:
            explained.add(i)
    return explained


def _names_a_programme(tokens: list[Token], first: int, last: int) -> bool:
    """Whether a country's word names a programme: "Russia sanctions", "the Iran regime", "under Russia"."""
    after = tokens[last + 1].plain if last + 1 < len(tokens) else ""
    before = [t.plain for t in tokens[max(0, first - 2) : first]]
    return after in REGIME_CUES or before[-1:] == ["under"] or before == ["under", "the"]


def _country_programmes(kb: KnowledgeBase) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each country's code to the regimes the lists name after it, as each list writes them ("RUSSIA-EO14024",
    "Russia", "DPRK3", "North Korea (Democratic People's Republic of Korea)")."""
    found: dict[str, dict[tuple[str, str], None]] = {}
    seen: set[str] = set()
    for sanction in kb.sanctions:
        if sanction.regime in seen:
            continue
        seen.add(sanction.regime)
        # The programme's words as shown, too: OFAC's UKRAINE-EO13661 is its "Ukraine-/Russia-related sanctions",
        # and "the Russia program" means it as well.
        words = " ".join(
            [sanction.regime_name or "", *sanction.programmes, sanction.regime.split("-", 1)[-1], regime_text(sanction)]
        )
        plain = " " + " ".join(re.sub(r"[^a-z]+", " ", words.casefold()).split()) + " "
        for word, code in COUNTRY_WORDS.items():
            if f" {word} " in plain:
                found.setdefault(code, {})[(sanction.authority, sanction.regime)] = None
    return {code: tuple(regimes) for code, regimes in found.items()}


def _regime_names(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """The regimes the lists name in two words or more ("Global Human Rights", "Chemical Weapons", "Iran (Nuclear)"),
    by those words as a question's are read, to the regimes each names; one word ("Russia", "Cyber") is read elsewhere
    (a country's programmes, the cyber word)."""
    found: dict[str, dict[str, None]] = {}
    for sanction in kb.sanctions:
        if sanction.regime_name:
            words = " ".join(token.plain for token in tokenise(sanction.regime_name))
            if 1 < len(words.split()) <= MAX_PHRASE_WORDS:
                found.setdefault(words, {})[sanction.regime] = None
    return {words: tuple(regimes) for words, regimes in found.items()}


def regime_names(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """A regime's words to the regimes they name (_regime_names), made once per knowledge base."""
    return kb.derived("ask.regime-names", _regime_names)


def country_programmes(kb: KnowledgeBase) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each country's code to the (authority, regime) pairs the lists name after it."""
    return kb.derived("ask.country-programmes", _country_programmes)


# Verbs of sanctioning in the active voice: the words before them name who sanctions ("which agency sanctioned
# i-Soon?" asks who sanctioned i-Soon, not for sanctioned agencies linked to it), unless "by" follows (the passive:
# "agencies sanctioned by the UK").
_SANCTIONING = frozenset({"sanctioned", "designated", "listed", "blacklisted", "sanction", "designate", "list"})
_AUXILIARIES = frozenset({"has", "have", "had", "did", "does", "do"})


def _names_the_sanctioner(tokens: list[Token], i: int) -> bool:
    """Whether the word at `i` ("agency") names a government body as the one who sanctioned (see _SANCTIONING)."""
    if SECTOR_WORDS.get(tokens[i].plain) != "government bodies":
        return False
    after = i + 1
    while after < len(tokens) and tokens[after].plain in _AUXILIARIES:
        after += 1
    if after >= len(tokens) or tokens[after].plain not in _SANCTIONING:
        return False
    return after + 1 < len(tokens) and tokens[after + 1].plain != "by"


# "Sdn Bhd" (Sendirian Berhad, a Malaysian private company) names no list.
_LEGAL_AFTER_SDN = frozenset({"bhd", "berhad"})

# The fewest letters of a word typed alone that the one listed name holding it is taken to mean ("Dorda").
SOLE_HOLDER_LETTERS = 5
# How a word read so is said to have been found.
HOW_SOLE_HOLDER = "the only listed name holding the word"


def _sole_holders(
    text: str, kb: KnowledgeBase, mentions: list[Mention], misses: list[Miss]
) -> tuple[list[Mention], list[Miss]]:
    """A word meant as a name that no name is, but the names of one person alone hold as a family name ("is khoroshev
    on the SDN?": KHOROSHEV, Dmitry Yuryevich; "when did britain sanction netyksho"): read as that person, the question
    then read as about them (it had been "Is that who you mean?", a question back for every surname typed alone).
    Never several words (the rest of a name typed may be someone else's), a short word, a given name or a place's, or
    one several entities' names hold (_family_word)."""
    kept_misses = []
    for miss in misses:
        typed = normalise(miss.text).tokens
        holders = (
            kb.index.holders_of(typed)
            if miss.looks_like_a_name
            and len(typed) == 1
            and len(typed[0]) >= SOLE_HOLDER_LETTERS
            and typed[0].isalpha()
            and typed[0] not in NICKNAMES
            and typed[0] not in PLACE_WORDS
            and not miss.places
            else set()
        )
        found = kb.index.lookup(miss.text, limit=20).matches if len(holders) == 1 else ()
        match = next((m for m in found if m.entity in holders), None)
        if match is not None and (
            not _family_word(kb.entity(match.entity), typed[0])
            # Another's name holding the word as another romanisation writes it ("yegorov": YEGOROV Igor, and the
            # UK's EGOROV Maxim and EGOROV Nikolay) makes it no one person's.
            or any(
                m.entity != match.entity
                and romanisation_fold(typed[0]) in {romanisation_fold(w) for w in normalise(m.name).tokens}
                for m in found
            )
        ):
            match = None
        if match is None:
            kept_misses.append(miss)
            continue
        start = text.find(miss.text)
        read = dataclasses.replace(match, how=HOW_SOLE_HOLDER)
        mention = Mention(
            start, start + len(miss.text), miss.text, (read,), LookupStatus.FOUND, miss.first_token, miss.last_token
        )
        mentions = sorted([*mentions, mention], key=lambda m: m.start)
    return mentions, kept_misses


def _family_word(entity: Entity, word: str) -> bool:
    """Whether a word is a person's family name as a list writes it: before the comma of "SURNAME, Given", or in
    capitals beside given names that are not ("NETYKSHO Viktor Borisovich"). Never a given name ("Gregory" of
    "DIMITRY, Gregory Vasili", "Itamar" of "BEN-GVIR Itamar"), an alias's word ("CAIRO, Aziz"), a word of a name all in
    capitals (which of its words is the family name, the order does not say), nor any word of an organisation's name,
    which may be a place or an everyday word ("GMI PROJECTS HAMBURG GMBH", "JENNIFER NAVIGATION LIMITED")."""
    if entity.kind is not EntityKind.PERSON:
        return False
    for name in [n.value for n in entity.names if n.type is NameType.PRIMARY] or [entity.caption]:
        family, comma, _ = name.partition(",")
        if not comma:
            written = name.split()
            capitals = [w for w in written if w.isupper()]
            if not capitals or len(capitals) == len(written):
                continue
            family = " ".join(capitals)
        if word in (w for w in normalise(family).tokens if w not in PARTICLES):
            return True
    return False


def _combination(text: str, authorities: list[str], said_at: dict[str, int]) -> tuple[str, list[str]]:
    """How the authorities named combine, and those ruled out: "both the UK and the US" asks for entities every one
    of them sanctions; "the US but not the UK" rules out the UK's; "only the UK" rules out every other."""
    if len(authorities) >= 2 and _BOTH.search(text):
        return "all", []
    negation = _NOT.search(text)
    if negation and authorities:
        excluded = [a for a in authorities if said_at.get(a, -1) > negation.start()]
        if excluded and len(excluded) < len(authorities):
            return "not", excluded
    if authorities and _ONLY.search(text):
        return "only", []
    return "any", []


def read_question(text: str, kb: KnowledgeBase, today: dt.date, *, about: str | None = None) -> Question:
    """Everything the question says that the data can answer; deterministic, and each part explainable.

    `about`: the stable reference of the entity the conversation is about (a thread's earlier answer); a question
    that names no entity but points back at it ("who sanctioned them?", "when?") is about it.
    """
    # Words that address people in a chat ("@here", Slack's "<!channel>", "<@U024BE7LH>") ask about no one: read as
    # the subject, "@here is Putin sanctioned?" had said no entity matches "@here" and offered commands holding it.
    text = " ".join(_ADDRESSING.sub(" ", text).split()) or text
    period = find_period(text, today)
    tokens = tokenise(text)
    in_period = {i for i, t in enumerate(tokens) if period.span[0] <= t.start < period.span[1]} if period else set()
    explained = _vocabulary_positions(tokens)
    # A regime named by its words ("the Global Human Rights regime"): a filter, never a name to look up.
    regime_hits = _phrase_hits(tokens, regime_names(kb), explained)
    explained |= {i for _, positions in regime_hits for i in positions}
    mentions, misses = find_mentions(text, kb, skip=frozenset(in_period | explained), tokens=tokens)
    bodies_at = {i for i in explained if tokens[i].plain in BODY_WORDS}
    if bodies_at and not mentions and _YES_NO.match(text.strip().casefold()):
        # "is the GRU sanctioned?": the body asked about is the subject, looked up as a name (OFAC's FEDERAL SECURITY
        # SERVICE is "FSB"), never every designation on the lists; its short form is a topic word only in a listing
        # ("which GRU units has the UK sanctioned?").
        explained -= bodies_at
        mentions, misses = find_mentions(text, kb, skip=frozenset(in_period | explained), tokens=tokens)
    mentions, misses = _by_reference(text, tokens, kb, mentions, misses)
    mentions, misses = _sole_holders(text, kb, mentions, misses)
    subject = kb.by_reference(about) if about else None
    if subject and not any(m.looks_like_a_name for m in misses):
        mentions = _with_thread_subject(text, tokens, mentions, in_period, kb.entity(subject), kb)
    authority_entities = {a.entity for a in AUTHORITIES.values()}
    # A place's word in a name the data lacks ("Bank of China") is part of what is asked about, never a filter.
    used = set(in_period) | {i for miss in misses for i in miss.places}
    kept, said_by = [], []
    for mention in mentions:
        # "OFAC" or "the FCDO" in a question about sanctions is the authority, not a card to show.
        word = mention.text.casefold()
        if mention.entity in authority_entities and word in AUTHORITY_WORDS:
            continue
        a_body = mention.entity is not None and is_body(kb, mention.entity)
        (said_by if a_body and says(text, mention.start, mention.end) else kept).append(mention)
    if not kept:
        # A body is whose word is asked for only when the question is about something else.
        kept, said_by = said_by, []
    claimants = [(m.text, (m.entity,)) for m in said_by if m.entity]
    for mention in [*kept, *said_by]:
        used.update(range(mention.first_token, mention.last_token + 1))
    authorities: list[str] = []
    said_at: dict[str, int] = {}
    # Authorities read as claimants, by their place in `claimants`: a question about sanctions gives them back.
    claiming: dict[int, str] = {}
    for key, positions in _phrase_hits(tokens, AUTHORITY_WORDS, used):
        used.update(positions)
        first, last = min(positions), max(positions)
        words = text[tokens[first].start : tokens[last].end]
        if kept and says(text, tokens[first].start, tokens[last].end, by=bool(_ACCUSATION.search(text.casefold()))):
            # "what did the UK say about i-Soon": the UK's word is asked for, not its sanctions.
            claiming[len(claimants)] = str(key)
            claimants.append((words, _bodies(kb, str(key), nation=words.casefold() in NATION_WORDS)))
        elif key not in authorities:
            authorities.append(str(key))
            said_at[str(key)] = tokens[first].start
    lists: list[str] = []
    for (authority, list_name), positions in _phrase_hits(tokens, LIST_WORDS, set()):
        after = max(positions) + 1
        if after < len(tokens) and tokens[after].plain in _LEGAL_AFTER_SDN:
            continue  # "NAVA HOBBIES SDN BHD": Malaysia's Sendirian Berhad, a company's legal form, no list
        used.update(positions)
        if list_name not in lists:
            lists.append(list_name)
        if authority not in authorities:
            authorities.append(authority)
            said_at[authority] = tokens[min(positions)].start
    countries: list[str] = []
    programme_countries: list[str] = []
    for code, positions in _phrase_hits(tokens, COUNTRY_WORDS, used):
        used.update(positions)
        if _names_a_programme(tokens, min(positions), max(positions)):
            # "under Russia sanctions": the programme the list names after Russia, not entities of Russia.
            programme_countries.append(str(code))
        elif code not in countries:
            countries.append(str(code))
    kinds: list[EntityKind] = []
    sectors: list[str] = []
    regimes: list[str] = list(dict.fromkeys(r for named, _ in regime_hits for r in named))
    topic: list[str] = []
    bodies: list[str] = []
    # A word of a name the data lacks ("company" of "united company rusal") names no kind to filter by.
    within_misses = {i for m in misses if m.last_token > m.first_token for i in range(m.first_token, m.last_token + 1)}
    for i, token in enumerate(tokens):
        if i in used:
            continue
        if i in within_misses and (token.plain in KIND_WORDS or token.plain in SECTOR_WORDS):
            topic.append(token.plain)
        elif token.plain in SECTOR_WORDS and not _names_the_sanctioner(tokens, i):
            if SECTOR_WORDS[token.plain] not in sectors:
                sectors.append(SECTOR_WORDS[token.plain])
            topic.append(token.plain)
        elif token.plain in KIND_WORDS:
            kinds.extend(k for k in KIND_WORDS[token.plain] if k not in kinds)
            topic.append(token.plain)
        elif token.plain in ENTITY_WORDS and not kinds and _counts(text.casefold()):
            # Counted, "entities" are the lists' "Entity" type, whatever is not an individual, as the lists' own
            # totals count them; elsewhere "which entities were delisted" means any listed subject.
            kinds.extend(k for k in EntityKind if k is not EntityKind.PERSON and k not in kinds)
            topic.append(token.plain)
        elif token.plain in ("cyber", "cyber-related"):
            regimes.extend(r.key for r in find_regime("cyber") if r.key not in regimes)
            topic.append(token.plain)
        elif token.plain in BODY_WORDS:
            bodies.append(token.text)
            topic.append(token.plain)
        else:
            topic.append(token.plain)
    combine, excluded = _combination(text.casefold(), authorities, said_at)
    authorities = [a for a in authorities if a not in excluded]
    if authorities and regimes:
        # "the UK's cyber regime" is the UK's own: the US regime of the same word is not meant.
        regimes = [r for r in regimes if r in REGIMES and REGIMES[r].authority in authorities] or regimes
    for code in programme_countries:
        named = country_programmes(kb).get(code, ())
        regimes.extend(r for a, r in named if r not in regimes and (not authorities or a in authorities))

    shape = _shape(text, kept)
    named = len({m.entity or m.text for m in kept})
    # Filtered by an authority at most; by nothing at all.
    only_authorities = not (countries or regimes or kinds or sectors or period or lists)
    unfiltered = only_authorities and not authorities
    # (Filtered by more than an authority, the words are what the filters are about: "are Venezuelan officials
    # sanctioned by the US?" asks for designations of Venezuela, "officials" no name.)
    # A kind's word beside a name typed as one, or a number, is part of what is asked about: "has the UK sanctioned
    # GRU unit 26165?" asks about a unit, not for the UK's 2,241 designations of entities.
    named_kind = bool(kinds) and any(m.capitalised or sum(c.isdigit() for c in m.text) >= 3 for m in misses)
    if (
        not named
        and _YES_NO.match(shape)
        and misses
        and not (countries or regimes or sectors or period or (kinds and not named_kind))
    ):
        # "is huawei sanctioned", "is abramovic sanctioned by the uk", "is jeremy on the SDN?" (an authority or a list
        # at most): a yes-or-no question about no known entity asks
        # about the words the data lacks, typed in lower case as chat is; answered "no entity matching" (with what it
        # may mean), never with the designations of all (the UK's 7,472, for a name misspelt).
        misses = [dataclasses.replace(m, asked_about=True) if n == 0 else m for n, m in enumerate(misses)]
    unplaced = next((m for m in misses if m.looks_like_a_name), None)
    if not named and unplaced is not None:
        # A name the data does not hold still shapes the question: "who sanctioned Acme Ltd" asks about sanctions.
        start = text.find(unplaced.text)
        shape = _shape(text, [Mention(start, start + len(unplaced.text), unplaced.text, (), LookupStatus.NOT_FOUND)])
        named = 1
    intent = _intent(
        shape, named, filters=bool(authorities or countries or regimes or sectors), period=period is not None
    )
    if intent is Intent.UNKNOWN and not kept and authorities and _PROFILE.search(shape):
        intent = Intent.PROFILE
    intent = _refine(intent, shape, kept, kinds, kb, yes_no=bool(_YES_NO.search(shape)), authorities=authorities)
    if intent is Intent.PROFILE and authorities and [m.match.how for m in kept] == [HOW_THREAD]:
        # "And the UK?" after an answer about an entity asks whether the UK sanctioned it.
        intent = Intent.SANCTIONS
    subjects = list(dict.fromkeys(m.entity for m in kept if m.entity))
    if named and intent in (Intent.PROFILE, Intent.BASED) and _BIRTH.search(shape):
        intent = Intent.BORN
    elif named and intent is Intent.BASED and _NATIONALITY.search(shape):
        intent = Intent.NATIONALITY
    elif (
        intent is Intent.PROFILE
        and len(subjects) == 1
        and countries
        and _YES_NO.match(shape)
        and not (authorities or regimes or kinds or sectors or period or lists)
    ):
        # "Is Deripaska Russian?", "is Huawei Chinese?": whether the lists place it there, not its whole card.
        person = kb.entity(subjects[0]).kind is EntityKind.PERSON
        intent = Intent.NATIONALITY if person else Intent.BASED
    if intent is Intent.PROFILE and _WHEN.match(shape) and all(w in QUESTION_WORDS for w in topic):
        # A bare "when?" about an entity asks when it was designated: the dates the data records are designations.
        intent = Intent.SANCTIONS
    counting = bool(_COUNT.search(shape))
    if not named and (authorities or lists) and _CHANGES.search(shape) and intent is not Intent.DELISTINGS:
        # "What changed on the SDN list between 25 March and 3 May": the editions compared, not designations.
        intent = Intent.CHANGES
    elif not named and counting and intent in (Intent.FACT, Intent.UNKNOWN) and (authorities or lists or regimes):
        # "How many North Korean entities are on the UN list": a count of designations, not a quoted statement.
        intent = Intent.DESIGNATIONS
    if not named and unfiltered and any(t.plain in PRONOUNS for t in tokens):
        # "is it sanctioned?" outside a thread: "it" is no one the data can name; asking back beats listing every
        # designation on the lists.
        intent = Intent.UNKNOWN
    if claimants and kept and intent in (Intent.PROFILE, Intent.COMMON, Intent.UNKNOWN):
        # "What did the Justice Department say about i-Soon" asks for the Department's word on i-Soon: its claims.
        intent = Intent.ACCUSED
    if claiming and intent in (Intent.SANCTIONS, Intent.SANCTIONED_OVER, Intent.DESIGNATIONS):
        # "What reasons has the UK stated for sanctioning i-Soon": the UK is whose sanctions are asked about.
        authorities += [key for key in claiming.values() if key not in authorities]
        claimants = [c for i, c in enumerate(claimants) if i not in claiming]
    return Question(
        text=text,
        tokens=tokens,
        mentions=kept,
        misses=misses,
        intent=intent,
        authorities=authorities,
        regimes=regimes,
        countries=countries,
        kinds=kinds,
        sectors=sectors,
        period=period,
        yes_no=bool(_YES_NO.search(shape)),
        charges=bool(_CHARGES.search(shape)),
        topic=topic,
        claimants=claimants,
        lists=lists,
        combine=combine,
        excluded=excluded,
        count=counting,
        bodies=bodies,
    )
