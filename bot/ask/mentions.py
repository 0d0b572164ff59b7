"""Finds the entities a question names, anywhere in it: exact names first, then near spellings of longer ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from bot.ask.vocabulary import AUTHORITY_WORDS, CLAIMANT_WORDS, COUNTRY_WORDS, PLACE_WORDS, QUESTION_WORDS
from knowledge.base import KnowledgeBase
from knowledge.countries import is_nationality_word
from knowledge.models import NameType
from knowledge.names.lookup import LookupResult, LookupStatus, Match
from knowledge.names.normalise import NormalName, is_han, normalise
from knowledge.names.romanise import script_reading

__all__ = ["Mention", "Miss", "Token", "find_mentions", "name_keys", "no_authority", "phrase_words", "tokenise"]

# No listed name is longer than this many words; longer spans are never looked up.
MAX_NAME_WORDS = 8
# A lower-case word this close to a listed name is taken as a misspelt name, worth a "did you mean".
NEAR_NAME = 0.8
# A near spelling is taken as a mention only when the lookup is this sure: a question has many words that are not
# names, and a wrong entity is the worst answer. An exact name needs no such bar.
FUZZY_ACCEPT = 0.86
# A single word is looked up fuzzily only when long enough for a typo in it to be told from another word.
FUZZY_SINGLE_MIN_LETTERS = 6
FUZZY_SINGLE_ACCEPT = 0.9
# Fuzzy lookups per question, the longest spans first: the bound that keeps /ask within its time budget.
MAX_FUZZY_LOOKUPS = 5
# A part of a stretch is looked up only if it scores this well against a name the whole stretch came near.
PART_PROMISE = 0.8
MAX_HAN_NAME = 24
# A name's leading words stand for it ("Sichuan Juxinhe" for "Sichuan Juxinhe Network Technology") when there are at
# least this many of them and no other entity's name starts with them: one word ("Sichuan") is too common a start.
MIN_LEADING_WORDS = 2
# The distinctive core of a name in Chinese script (永信至诚 in 北京永信至诚科技股份有限公司), at least this many
# characters: two Chinese words, as two leading words above.
MIN_HAN_CORE = 4
# Trade words that end Chinese company names after the legal form ("technology", "information", "network"...):
# generic, so never part of a name's distinctive core.
_HAN_TRADE_WORDS = ("科技", "技术", "信息", "网络", "集团", "控股", "实业", "贸易", "发展", "咨询", "服务", "软件")
HOW_LEADING = "leading words"
HOW_HAN_CORE = "core of the Chinese name"
_TOKEN = re.compile(r"[^\s?!,;:\"“”()\[\]{}]+")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
# Words allowed inside a multi-word name but never at its ends ("Ministry of State Security").
_INNER_WORDS = frozenset({"of", "and", "the", "for", "&", "de"})
# Question words that also end or fill names ("Integrity Technology Group", "Sandworm Team"): part of a near
# spelling's span when they stand next to its other words, never a name alone.
_NAME_PART_WORDS = frozenset(
    {
        "group",
        "company",
        "network",
        "state",
        "team",
        "unit",
        "bureau",
        "technology",
        "organisation",
        "organization",
        "agency",
    }
)
# The claimants' short forms by their first word, so that most questions need no look at them at all.
_CLAIMANT_FIRST = frozenset(words.split()[0] for words in CLAIMANT_WORDS)
_CLAIMANT_LONGEST = max(len(words.split()) for words in CLAIMANT_WORDS)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    # The word case-folded, once: every reading step compares it, many times per question.
    plain: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the question that names an entity, or could name any of several (then `entity` is None)."""

    start: int
    end: int
    text: str
    matches: tuple[Match, ...]
    status: LookupStatus
    first_token: int = 0
    last_token: int = 0

    @property
    def entity(self) -> str | None:
        return self.matches[0].entity if self.status is LookupStatus.FOUND else None

    @property
    def match(self) -> Match:
        return self.matches[0]


@dataclass(frozen=True, slots=True)
class Miss:
    """Words that look like a name but match none confidently, with the nearest names for a "did you mean"."""

    text: str
    matches: tuple[Match, ...]
    capitalised: bool
    # Whom a yes-or-no question asks about ("is huawei sanctioned"), however it is written.
    asked_about: bool = False
    # The words, looked up as /who would, name several entities ("Putin"): a "which one?", never "no entity".
    ambiguous: bool = False
    # Where the words are in the question, and the country's words among them ("China" of "Bank of China"): part of
    # the name asked about, never a filter.
    first_token: int = -1
    last_token: int = -1
    places: tuple[int, ...] = ()

    @property
    def looks_like_a_name(self) -> bool:
        """Meant as a name: written as one, asked about, or close to a listed name ("weather" is none of these)."""
        return self.capitalised or self.asked_about or bool(self.matches and self.matches[0].score >= NEAR_NAME)


@dataclass(frozen=True, slots=True)
class _NameKeys:
    """Every normalised name key and compact key the knowledge base holds: is this span some name at all?"""

    keys: frozenset[str]
    compacts: frozenset[str]
    han: frozenset[str] = field(default_factory=frozenset)
    # Every word some listed name holds: a word none holds is no part of a name the data has ("Check", "Currently").
    words: frozenset[str] = field(default_factory=frozenset)
    # Leading words of one entity's name (key) and Han-script cores of one entity's name -> (entity, full name).
    leading: dict[str, tuple[str, str, NameType]] = field(default_factory=dict)
    han_cores: dict[str, tuple[str, str, NameType]] = field(default_factory=dict)
    # The same leading words by entity, so that a near spelling's check reads one entity's, not all of them.
    leading_by_entity: dict[str, list[tuple[str, tuple[str, str, NameType]]]] = field(default_factory=dict)

    def leading_of(self, entity: str) -> list[tuple[str, tuple[str, str, NameType]]]:
        """The leading words that stand for `entity` alone, with the name each starts."""
        return self.leading_by_entity.get(entity, [])


def _normal_names(kb: KnowledgeBase) -> Iterator[NormalName]:
    """Every name as the lookup normalised it: read from its index where it keeps them, else normalised again."""
    indexed = getattr(kb.index, "names", None)
    if indexed and all(isinstance(getattr(n, "norm", None), NormalName) for n in indexed[:1]):
        yield from (n.norm for n in indexed)
        return
    for _, value, _, is_person, _ in kb.all_names():
        yield normalise(value, strip_legal_forms=not is_person)


def _build_keys(kb: KnowledgeBase) -> _NameKeys:
    keys, compacts, han, words = set(), set(), set(), set()
    for norm in _normal_names(kb):
        if not norm.tokens:
            continue
        keys.add(norm.key)
        words.update(norm.words)
        compacts.add(norm.compact)
        if not norm.compact.isascii() and any(is_han(c) for c in norm.compact):
            han.add(norm.compact)
    leading, han_cores = _short_forms(kb, frozenset(keys), frozenset(han))
    by_entity: dict[str, list[tuple[str, tuple[str, str, NameType]]]] = {}
    for key, named in leading.items():
        by_entity.setdefault(named[0], []).append((key, named))
    return _NameKeys(
        frozenset(keys), frozenset(compacts), frozenset(han), frozenset(words), leading, han_cores, by_entity
    )


def _leading_keys(norm: NormalName) -> Iterator[str]:
    """The leading words of a name that may stand for it: two or more, fewer than all, each a word of its own."""
    words = norm.words
    for length in range(MIN_LEADING_WORDS, len(words)):
        lead = words[:length]
        # Every word distinctive ("Sichuan Juxinhe"), never question vocabulary ("North Korean", "Cyber Army").
        if lead[0] in _NAME_PART_WORDS or any(w in QUESTION_WORDS or w in _INNER_WORDS for w in (lead[0], lead[-1])):
            continue
        if any(w in QUESTION_WORDS and w not in _INNER_WORDS for w in lead):
            continue
        yield " ".join(lead)


def _han_cores(norm: NormalName) -> Iterator[str]:
    """A Chinese name without its legal form (gone already) and trade words: its ends from MIN_HAN_CORE characters
    (北京永信至诚 gives 北京永信至诚, 京永信至诚, 永信至诚), since a place name often leads it."""
    core = norm.compact
    trimmed = True
    while trimmed:
        trimmed = False
        for word in _HAN_TRADE_WORDS:
            if core.endswith(word) and len(core) - len(word) >= MIN_HAN_CORE:
                core, trimmed = core[: -len(word)], True
    if core == norm.compact:
        return
    for start in range(len(core) - MIN_HAN_CORE + 1):
        yield core[start:]


def _short_forms(
    kb: KnowledgeBase, keys: frozenset[str], han: frozenset[str]
) -> tuple[dict[str, tuple[str, str, NameType]], dict[str, tuple[str, str, NameType]]]:
    """Leading words and Han cores that exactly one entity's names give, and that are no name of their own."""
    leading: dict[str, dict[str, tuple[str, str, NameType] | None]] = {}
    cores: dict[str, dict[str, tuple[str, str, NameType]]] = {}
    for entity, value, name_type, is_person, _ in kb.all_names():
        norm = normalise(value, strip_legal_forms=not is_person)
        if not norm.tokens:
            continue
        if norm.compact in han:
            for core in _han_cores(norm):
                cores.setdefault(core, {}).setdefault(entity, (entity, value, name_type))
        else:
            # A person's names are counted (no company is taken by words a person's name starts with), never given:
            # people's names are written in either order, and a forename is no one's short form.
            for key in _leading_keys(norm):
                leading.setdefault(key, {}).setdefault(entity, (entity, value, name_type) if not is_person else None)
    given = {
        k: named for k, e in leading.items() if len(e) == 1 and k not in keys and (named := next(iter(e.values())))
    }
    return given, {k: next(iter(e.values())) for k, e in cores.items() if len(e) == 1 and k not in han}


def _short_form_match(named: tuple[str, str, NameType], how: str, words: str, kb: KnowledgeBase) -> Match:
    """The entity a short form stands for, scored as its lookup would score the words against the whole name."""
    entity, value, name_type = named
    score = kb.index.query_matches(words, value).score
    explanation = f"the {how} of “{value}”, which no other entity's name shares"
    return Match(entity, value, name_type, how, score, explanation, preferred=name_type is NameType.PRIMARY)


def name_keys(kb: KnowledgeBase) -> _NameKeys:
    return kb.derived("ask.name-keys", _build_keys)


def tokenise(text: str) -> list[Token]:
    """Words with their places in the text; a trailing full stop or possessive is not part of the word."""
    tokens = []
    for found in _TOKEN.finditer(text):
        word, start = found.group(0), found.start()
        stripped = word.rstrip(".'’")
        if stripped.lower().endswith(("'s", "’s")):
            stripped = stripped[:-2]
        stripped = _POSSESSIVE.sub("", stripped) if stripped.endswith(("'", "’")) else stripped
        lead = len(stripped) - len(stripped.lstrip("'‘’.-"))
        stripped = stripped[lead:]
        if stripped:
            tokens.append(Token(stripped, start + lead, start + lead + len(stripped), stripped.casefold()))
    return tokens


def _may_end_a_name(token: Token) -> bool:
    """A name starts and ends with a word of its own, a name word ("Group"), or a capitalised one ("North")."""
    if token.plain in _INNER_WORDS:
        return False
    if token.plain not in QUESTION_WORDS or token.plain in _NAME_PART_WORDS or token.text[:1].isupper():
        return True
    # A lone letter is an initial or a split name ("i soon"); a lower-case question word of two letters is not a
    # name's edge ("is Bank of China" had opened IS BANK, AO), written as a name it may be ("IS Bank").
    return len(token.plain) == 1


def _sentence_case(token: Token) -> bool:
    """A question word with a capital first letter only ("Is", "Which"), as the first word of a sentence has."""
    return token.plain in QUESTION_WORDS and token.text[:1].isupper() and not token.text.isupper()


# Authorities written as a pronoun or a syllable of a name too ("tell us", "kim jong un"): "US" is a pronoun as often
# as a country, and names the US, as "UN" the UN, only in capitals or after "the" or "by" ("has the un sanctioned…").
_AUTHORITY_SYLLABLES = {"un": ("UN",), "us": ("US", "U.S")}


def no_authority(tokens: list[Token], i: int) -> bool:
    """Whether word `i` is "un" or "us" in lower case, not after "the" or "by" nor joined by "and" or "or" to another
    authority ("the uk and us"): a word, no authority ("who sanctioned kim jong un?" had asked which "kim jong"; "is
    zservers on both the uk and us lists?" had answered for the UK alone)."""
    token = tokens[i]
    if token.plain not in _AUTHORITY_SYLLABLES or token.text in _AUTHORITY_SYLLABLES[token.plain]:
        return False
    if i and tokens[i - 1].plain in ("the", "by"):
        return False
    joined = (i > 1 and tokens[i - 1].plain in _JOINING and tokens[i - 2].plain in AUTHORITY_WORDS) or (
        i + 2 < len(tokens) and tokens[i + 1].plain in _JOINING and tokens[i + 2].plain in AUTHORITY_WORDS
    )
    return not joined


_JOINING = ("and", "or", "nor", "&")


def _is_vocabulary(token: Token) -> bool:
    # A country's name or nationality word ("Dutch", "Nigerian") is read as the country, never looked up alone as a
    # name; a name that holds one ("Bank of China") is still found whole.
    return token.plain in QUESTION_WORDS or token.plain in _INNER_WORDS or token.plain in COUNTRY_WORDS


def find_mentions(
    text: str, kb: KnowledgeBase, *, skip: frozenset[int] = frozenset(), tokens: list[Token] | None = None
) -> tuple[list[Mention], list[Miss]]:
    """Entity mentions in `text`, longest non-overlapping first, and near misses for a "did you mean".

    Tokens at the positions in `skip` (words already read as an authority, a country or a date) are never a name;
    `tokens`: the text's words where the caller has them already.
    """
    names = name_keys(kb)
    tokens = tokenise(text) if tokens is None else tokens
    found: list[Mention] = []
    taken: set[int] = set(skip)
    # A question typed in capitals throughout ("WHICH BANKS IN IRAN ARE SANCTIONED?") says nothing by its capitals:
    # its words are read as names only where lower-case ones would be.
    shouted = not any(char.islower() for char in text) and any(char.isupper() for char in text)
    lowered = _in_lower_case(tokens, skip)
    unmarked = frozenset() if lowered else _capitals_marking_nothing(tokens, shouted)
    phrases = _place_phrases(tokens, skip)
    _exact_spans(text, tokens, names, kb, found, taken, phrases, unmarked, lowered)
    places, budget = _place_spans(
        text, tokens, names, kb, found, taken, _place_positions(tokens, skip, phrases), shouted
    )
    _claimant_spans(tokens, kb, found, taken)
    _han_spans(text, tokens, names, kb, found, taken)
    misses = _fuzzy_spans(text, tokens, kb, found, taken, budget, shouted, lowered)
    misses = _missed_places(text, tokens, places, misses, taken, found, kb)
    found.sort(key=lambda m: m.start)
    return found, misses


def _span_text(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]


def _exact_spans(
    text: str,
    tokens: list[Token],
    names: _NameKeys,
    kb: KnowledgeBase,
    found: list[Mention],
    taken: set[int],
    places: list[range],
    unmarked: frozenset[int],
    lowered: bool,
) -> None:
    """Spans of the question that are a listed name exactly, longest first; `places`: the places written in several
    words ("United Arab Emirates"), which no span cuts through ("united" is not UNITED COMPANY OJSC there);
    `unmarked`: the words whose capital says nothing of a name (see _capitals_marking_nothing); `lowered`: the
    question writes no word as a name (_in_lower_case), and any word beside a span that may be a name's counts."""
    # Each word's part in a name worked out once, not once per span it is in.
    vocabulary = [_is_vocabulary(t) for t in tokens]
    may_end = [_may_end_a_name(t) for t in tokens]
    for i in range(len(tokens)):
        if no_authority(tokens, i):
            vocabulary[i], may_end[i] = False, True
    if tokens and _sentence_case(tokens[0]):
        # The question's first word has its capital as any sentence's: "Is Bank Melli sanctioned?" is not about IS
        # BANK, AO; written in capitals ("IS Bank"), it may be a name's.
        may_end[0] = False
    # The words of spans set aside for a word of a name beside them: no shorter span of them stands for the whole.
    held: set[int] = set()
    # Longest spans first, so "Integrity Technology Group" wins over "Integrity" and over "Group".
    for length in range(min(MAX_NAME_WORDS, len(tokens)), 0, -1):
        for first in range(len(tokens) - length + 1):
            last = first + length - 1
            if not (may_end[first] and may_end[last]):
                continue
            span = range(first, last + 1)
            if any(i in taken for i in span) or all(vocabulary[first : last + 1]) or held.issuperset(span):
                continue
            if any(
                place.start <= last and first < place.stop and not first <= place.start < place.stop <= last + 1
                for place in places
            ):
                continue
            words = _span_text(text, tokens, first, last)
            norm = normalise(words)
            # Several words of a name beside a word whose capital says nothing ("Check Bank Mellat", "IS BANK MELLAT
            # CURRENTLY SANCTIONED?") are that name, unless a listed name holds the word ("VTB BANK OF RUSSIA"). One
            # word is never taken beside a capital: "Herman Gref" is not the malware vendor GREF.
            plain = unmarked if length > 1 else frozenset()
            # Leading words are taken only written as a name ("Golden Sun" yes, "golden sun" no): they are often
            # plain words, and a wrong entity is the worst answer. Lower-case ones are left to the near spellings,
            # unless a shorter name inside them would be taken instead ("sichuan silence" is not "Silence"). Beside
            # another word of a name they are not the name's start: "Bank Sepah and Bank" of "Bank Sepah and Bank
            # Mellat" is two banks, not BANK SEPAH AND BANK SEPAH INTERNATIONAL alone.
            if (
                norm.key in names.leading
                and norm.key not in names.keys
                and (all(not tokens[i].text[:1].islower() for i in span) or _holds_a_name(tokens, span, names))
                and not _beside_a_name(text, tokens, span, taken, unmarked=plain, known=names.words, caseless=lowered)
            ):
                match = _short_form_match(names.leading[norm.key], HOW_LEADING, words, kb)
                found.append(
                    Mention(tokens[first].start, tokens[last].end, words, (match,), LookupStatus.FOUND, first, last)
                )
                taken.update(span)
                continue
            if norm.key not in names.keys and norm.compact not in names.compacts:
                continue
            result = kb.lookup(words)
            if result.status is LookupStatus.NOT_FOUND or not result.matches or result.matches[0].how != "exact":
                continue
            if length == 1 and result.status is LookupStatus.AMBIGUOUS:
                # One word of a longer name ("Nicolas" of "Nicolas Maduro") that alone names several entities: the
                # whole name is looked up with the near spellings, not this word.
                continue
            if _beside_a_name(text, tokens, span, taken, unmarked=plain, known=names.words, caseless=lowered):
                # Words beside a word of a name ("Gref" of "German Gref" is also a malware vendor's name; "Bank of
                # Russia" of "VTB Bank of Russia" is the central bank's alias): the whole name is looked up with the
                # near spellings, never these words nor fewer of them ("united" of "united company rusal" is UNITED
                # COMPANY OJSC's), which would answer about another entity.
                held.update(span)
                continue
            exact = tuple(m for m in result.matches if m.how == "exact")
            found.append(Mention(tokens[first].start, tokens[last].end, words, exact, result.status, first, last))
            taken.update(span)


def _in_lower_case(tokens: list[Token], skip: frozenset[int]) -> bool:
    """Whether the question writes no word as a name, as chat often does: no capital but on words of the question's
    vocabulary ("Is herman gref sanctioned?", "has the UK sanctioned herman gref?") or read already (a date)."""
    return all(
        i in skip
        or not any(char.isupper() for char in token.text)
        or _is_vocabulary(token)
        or token.plain in AUTHORITY_WORDS
        for i, token in enumerate(tokens)
    )


def _capitals_marking_nothing(tokens: list[Token], shouted: bool) -> frozenset[int]:
    """The words whose capital says nothing of a name: every word of a question in capitals throughout or with a
    capital on every word ("Is Bank Mellat Currently Sanctioned?"), else a first word in sentence case, as any
    sentence's ("Check Bank Mellat")."""
    # Title case leaves the short words in lower case ("Is Bank Mellat Still Sanctioned by the UK?").
    long_words = [token.text for token in tokens if len(token.text) > 3 and token.text[:1].isalpha()]
    if shouted or (len(long_words) > 2 and all(word[:1].isupper() for word in long_words)):
        return frozenset(range(len(tokens)))
    if tokens and tokens[0].text[:1].isupper() and tokens[0].text[1:].islower():
        return frozenset({0})
    return frozenset()


def _place_phrases(tokens: list[Token], skip: frozenset[int]) -> list[range]:
    """The places the question writes in several words ("North Korea", "United Arab Emirates"), as word ranges."""
    phrases: list[range] = []
    i = 0
    while i < len(tokens):
        count = phrase_words(tokens, i, PLACE_WORDS, skip) if i not in skip else 0
        if count:
            phrases.append(range(i, i + count))
        i += count or 1
    return phrases


def _holds_a_name(tokens: list[Token], span: range, names: _NameKeys) -> bool:
    """Whether some shorter run of words inside the span is a name of its own."""
    return any(
        normalise(" ".join(t.text for t in tokens[first:stop])).key in names.keys
        for first in span
        for stop in range(first + 1, span.stop + 1)
        if stop - first < len(span)
    )


@dataclass(frozen=True, slots=True)
class _Place:
    """Words of a name around a country's word that no listed name matched whole: a near miss, if written as one."""

    first: int
    last: int
    places: tuple[int, ...]
    written_as_name: bool
    nearest: tuple[Match, ...]
    # Its words held back from the near spellings: a name found in them stood for the whole and was set aside.
    claimed: bool = False
    # The places its words name, by code, and whether written inside the name ("Bank of China") or apart ("Chinese").
    codes: frozenset[str] = frozenset()
    inside_a_name: bool = False


# The most words a phrase of the vocabulary holds ("democratic republic of the congo").
MAX_PHRASE_WORDS = 6


def phrase_words(tokens: list[Token], first: int, table: dict[str, str], skip: set[int] | frozenset[int]) -> int:
    """How many words from `first` make the longest phrase of two words or more in `table` ("North Korea", "United
    Arab Emirates"), none of them in `skip`; 0 where none does."""
    for count in range(min(MAX_PHRASE_WORDS, len(tokens) - first), 1, -1):
        if " ".join(t.plain for t in tokens[first : first + count]) in table and skip.isdisjoint(
            range(first, first + count)
        ):
            return count
    return 0


def _place_positions(tokens: list[Token], skip: frozenset[int], phrases: list[range]) -> dict[int, str]:
    """The words of the question that name a place ("China", "North Korean", and those of `phrases`, the places of
    several words: "United Arab Emirates"), by position, to the place."""
    places: dict[int, str] = {
        i: PLACE_WORDS[" ".join(t.plain for t in tokens[phrase.start : phrase.stop])]
        for phrase in phrases
        for i in phrase
    }
    for i, token in enumerate(tokens):
        # A short one counts only in capitals: "us" is a pronoun as often as a country.
        if (
            i not in skip
            and i not in places
            and token.plain in PLACE_WORDS
            and (len(token.plain) > 2 or token.text.isupper())
        ):
            places[i] = PLACE_WORDS[token.plain]
    return places


def _name_word(token: Token) -> bool:
    return not _is_vocabulary(token) or token.plain in _NAME_PART_WORDS


def _place_stretch(
    tokens: list[Token], place: int, places: dict[int, str], found: list[Mention], taken: set[int]
) -> tuple[int, int, list[Mention]] | None:
    """The words of a name around a place's word: name words and inner words ("Bank of China"), or a name already
    found beside it, alone or through inner words ("Cuba's Banco Nacional"); None where no name word is beside it."""
    at = {i: m for m in found for i in range(m.first_token, m.last_token + 1)}
    first = last = place
    joined: list[Mention] = []
    for step in (-1, 1):
        i, named = place + step, False
        while 0 <= i < len(tokens):
            mention = at.get(i)
            if mention is not None:
                # A name found beside the place's word is what that word may belong to; one further away is not.
                if not named:
                    joined.append(mention)
                    first, last = min(first, mention.first_token), max(last, mention.last_token)
                break
            if i in taken or not (i in places or tokens[i].plain in _INNER_WORDS or _name_word(tokens[i])):
                break
            if step < 0:
                first = i
            else:
                last = i
            named = named or not _is_vocabulary(tokens[i])
            i += step
    while first < place and tokens[first].plain in _INNER_WORDS:
        first += 1
    while last > place and tokens[last].plain in _INNER_WORDS:
        last -= 1
    inside = range(first, last + 1)
    if not joined and not any(not _is_vocabulary(tokens[i]) and i not in places for i in inside):
        return None
    return first, last, joined


# The codes of the place words that name an authority too ("UK", "American"): no country code, never a place's.
_AUTHORITY_CODES = frozenset(AUTHORITY_WORDS.values())


def _foreign(kb: KnowledgeBase, mention: Mention, place: _Place) -> bool:
    """Whether no entity a mention may name is of the place, as its sources state ("Central Bank" beside "of Iran":
    the central banks of Russia, Iraq, Syria) or, where they state none, as the name matched holds it ("CENTRAL BANK
    OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"). An entity of no stated country is of the place where it is said
    apart ("Russian Sandworm"), or where the name asked is its words exactly ("Bank Mellat of Iran": BANK MELLAT, whose
    SDN row states no country); not where the place is written inside a name only near it ("Central Bank of Iran"). A
    word that also names an authority ("UK's Gazprom Neft") may say who sanctioned: never a place to be foreign to."""
    return bool(mention.matches) and all(_foreign_match(kb, match, place) for match in mention.matches)


def _foreign_match(kb: KnowledgeBase, match: Match, place: _Place) -> bool:
    """Whether the entity of one match is not of the place (see _foreign)."""
    if not place.codes.isdisjoint(_AUTHORITY_CODES):
        return False
    entity = kb.entity(match.entity)
    stated = entity.stated_countries if entity is not None else set()
    stated = stated or _places_held(match.name)
    if stated:
        return stated.isdisjoint(place.codes)
    return place.inside_a_name and match.how not in ("exact", HOW_LEADING)


def _of_the_place(kb: KnowledgeBase, mention: Mention, place: _Place) -> Mention:
    """A mention beside a place's word, its entities narrowed to those of the place where some are: "Foreign Trade
    Bank of North Korea" is FOREIGN TRADE BANK (FTB), of North Korea, never VTB BANK, whose former name BANK FOR
    FOREIGN TRADE the words come nearest, with North Korea as a filter."""
    kept = tuple(m for m in mention.matches if not _foreign_match(kb, m, place))
    # Only a match as close as any near spelling taken is answered for: "Central Bank" is 0.66 of the DPRK's
    # CENTRAL BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA, a choice among others still.
    if not kept or kept[0] == mention.matches[0] or kept[0].score < FUZZY_ACCEPT:
        return mention
    status = LookupStatus.FOUND if len({m.entity for m in kept}) == 1 else LookupStatus.AMBIGUOUS
    return replace(mention, matches=kept, status=status)


def _places_held(name: str) -> set[str]:
    """The places a listed name holds a word for, by code ("BANCO NACIONAL DE CUBA": Cuba)."""
    words = normalise(name).words
    spelled = (
        " ".join(words[i : i + count])
        for count in range(1, MAX_PHRASE_WORDS + 1)
        for i in range(len(words) - count + 1)
    )
    # A word may name several places ("Korea": both Koreas), its codes written apart by spaces.
    return {code for word in spelled for code in PLACE_WORDS.get(word, "").split()}


def _holds_the_place(name: str, codes: frozenset[str]) -> bool:
    """Whether a listed name holds a word for one of these places ("BANCO NACIONAL DE CUBA" holds Cuba)."""
    return not codes.isdisjoint(_places_held(name))


def _place_spans(
    text: str,
    tokens: list[Token],
    names: _NameKeys,
    kb: KnowledgeBase,
    found: list[Mention],
    taken: set[int],
    places: dict[int, str],
    shouted: bool,
) -> tuple[list[_Place], int]:
    """A place's word with the name words beside it, read whole where a listed name holding that place matches
    them: "Bank of Kunlun", "Iran Air", and "Cuba's Banco Nacional" (BANCO NACIONAL DE CUBA, where "Banco
    Nacional" alone is another bank's alias). Elsewhere the place's word stands apart, a filter ("banks in
    China"). `places`: the place words by position (_place_positions). Returns the stretches no listed name
    matched, and the near-spelling lookups left; `shouted`: the question is in capitals throughout, which mark no
    name."""
    budget = MAX_FUZZY_LOOKUPS
    missed: list[_Place] = []
    done: set[int] = set()
    for place in sorted(places):
        if place in done or place in taken:
            continue
        stretch = _place_stretch(tokens, place, places, found, taken)
        if stretch is None:
            # The place's word stands apart, a filter: never a name to look up, even where its words are no
            # vocabulary one by one ("Hong Kong", "South Africa", "Sri Lanka" had answered "no entity matching").
            taken.add(place)
            continue
        first, last, joined = stretch
        inside = range(first, last + 1)
        done.update(i for i in inside if i in places)
        codes = frozenset(code for i in inside for code in places.get(i, "").split())
        words = " ".join(tokens[i].text for i in inside)
        norm = normalise(words)
        # Written as a name: every word but "of", "and" has a capital (or is of a script without them).
        written = all(
            (tokens[i].text[:1].isupper() and not shouted) or _caseless(tokens[i].text)
            for i in inside
            if tokens[i].plain not in _INNER_WORDS
        )
        close: tuple[Match, ...] = ()
        nearest: tuple[Match, ...] = ()
        result = None
        if norm.key in names.keys or norm.compact in names.compacts:
            result = kb.lookup(words)
            if result.status is not LookupStatus.NOT_FOUND and result.matches and result.matches[0].how == "exact":
                close = tuple(m for m in result.matches if m.how == "exact")
        if not close and (written or joined) and budget > 0:
            # A near spelling only of words meant as a name: "chinese banks" is no name, "Chinese Banks" may be.
            budget -= 1
            result = kb.lookup(words)
            # The place's word is part of the name only where the listed name holds it: "Russian Sandworm" is
            # Sandworm of Russia, never a name of its own.
            close = tuple(m for m in _accepted(result, len(inside)) if _holds_the_place(m.name, codes))
            nearest = tuple(result.matches[:5])
        if not close and _trailing_nationality(tokens, inside, places):
            # A nationality's word after the name words ("is Deripaska Russian?") describes the name, never ends it
            # (an adjective comes first: "Russian Sandworm", "Aeroflot Russian Airlines"): a filter, the name words
            # looked up on their own (whole, "Deripaska Russian" had answered "no entity matching").
            taken.update(i for i in inside if i in places)
            continue
        if not close or result is None:
            # A name found beside the place's word stands for the whole only where its entity is of that place ("VTB
            # Bank of Russia": VTB Bank, Russian); elsewhere the whole is a name the data lacks ("Central Bank of
            # Iran" is none of the central banks "Central Bank" names), missed whole, never answered as another's.
            place_words = tuple(i for i in inside if i in places)
            # Written inside the name: after "of", "de" ("Bank of China", "Banco Nacional de Cuba").
            within = any(tokens[i].plain in _INNER_WORDS for i in inside if i < place_words[0])
            stretch_missed = _Place(first, last, place_words, written, nearest, False, codes, within)
            foreign = [m for m in joined if _foreign(kb, m, stretch_missed)]
            for mention in foreign:
                found.remove(mention)
                taken.difference_update(range(mention.first_token, mention.last_token + 1))
                taken.update(inside)
            if foreign:
                stretch_missed = replace(stretch_missed, written_as_name=True, claimed=True)
            missed.append(stretch_missed)
            continue
        for mention in joined:
            found.remove(mention)
            taken.difference_update(range(mention.first_token, mention.last_token + 1))
        # As the lookup judged, unless the names it put first do not hold the place.
        status = result.status if close[0] == result.matches[0] else LookupStatus.AMBIGUOUS
        if len({m.entity for m in close}) == 1:
            status = LookupStatus.FOUND
        span = _span_text(text, tokens, first, last)
        found.append(Mention(tokens[first].start, tokens[last].end, span, close, status, first, last))
        taken.update(inside)
    return missed, budget


def _trailing_nationality(tokens: list[Token], inside: range, places: dict[int, str]) -> bool:
    """Whether a stretch's place words all come after its name words and are a nationality's (is_nationality_word)."""
    at = [i for i in inside if i in places]
    phrase = " ".join(tokens[i].plain for i in at)
    return (
        at[0] > inside.start
        and at[-1] == inside.stop - 1
        and at == list(range(at[0], inside.stop))
        and is_nationality_word(phrase)
    )


def _missed_places(
    text: str,
    tokens: list[Token],
    places: list[_Place],
    misses: list[Miss],
    taken: set[int],
    found: list[Mention],
    kb: KnowledgeBase,
) -> list[Miss]:
    """A name written around a place's word that the data does not hold is missed whole ("Bank of China"), never
    as the words beside the place's word ("Bank"), which would answer no to a question not asked, nor as a name
    near them of another place's entities ("Central Bank" of "Central Bank of Iran")."""
    for place in places:
        inside = range(place.first, place.last + 1)
        named = (
            [] if place.claimed else [m for m in found if place.first <= m.first_token and m.last_token <= place.last]
        )
        foreign = bool(named) and all(_foreign(kb, m, place) for m in named)
        if named and not foreign:
            for mention in named:
                found[found.index(mention)] = _of_the_place(kb, mention, place)
            continue
        # Typed in lower case, a place inside a name is a name's still where the name found beside it is another
        # place's ("central bank of iran").
        if not (place.written_as_name or (foreign and place.inside_a_name)):
            continue
        for mention in named:
            found.remove(mention)
            taken.difference_update(range(mention.first_token, mention.last_token + 1))
        if not place.claimed and any(i in taken for i in inside):
            continue
        within = [m for m in misses if place.first <= m.first_token and m.last_token <= place.last]
        if any(m.ambiguous for m in within):
            # The words beside the place's word name several entities ("Chinese Huawei"): a "which one?" stays.
            continue
        # The names nearest the whole and those nearest its words: "did you mean" keeps both.
        best: dict[str, Match] = {}
        for near in sorted([*place.nearest, *(n for m in within for n in m.matches)], key=lambda n: -n.score):
            best.setdefault(near.entity, near)
        nearest = tuple(best.values())[:5]
        words = _span_text(text, tokens, place.first, place.last)
        whole = Miss(words, nearest, True, first_token=place.first, last_token=place.last, places=place.places)
        misses = [m for m in misses if m not in within] + [whole]
    return sorted(misses, key=lambda m: m.first_token)


def _claimant_spans(tokens: list[Token], kb: KnowledgeBase, found: list[Mention], taken: set[int]) -> None:
    """A claimant's common short form ("the DOJ") is the body its statements name, when the data holds it."""
    for length in range(min(_CLAIMANT_LONGEST, len(tokens)), 0, -1):
        for first in range(len(tokens) - length + 1):
            if tokens[first].plain not in _CLAIMANT_FIRST:
                continue
            span = range(first, first + length)
            words = " ".join(tokens[i].plain for i in span)
            if words not in CLAIMANT_WORDS or any(i in taken for i in span):
                continue
            result = kb.lookup(CLAIMANT_WORDS[words])
            if result.status is not LookupStatus.FOUND:
                continue
            best = result.matches[0]
            explanation = f"“{words}” is the common short form of {CLAIMANT_WORDS[words]}"
            match = Match(best.entity, best.name, best.name_type, "common short form", 1.0, explanation, best.preferred)
            last = first + length - 1
            text = " ".join(tokens[i].text for i in span)
            found.append(
                Mention(tokens[first].start, tokens[last].end, text, (match,), LookupStatus.FOUND, first, last)
            )
            taken.update(span)


def _han_spans(
    text: str, tokens: list[Token], names: _NameKeys, kb: KnowledgeBase, found: list[Mention], taken: set[int]
) -> None:
    """Chinese is written without spaces: a name is any run of characters inside a word that is a stored name."""
    if not names.han:
        return
    for position, token in enumerate(tokens):
        if position in taken or not any(is_han(c) for c in token.text):
            continue
        word = token.text
        for length in range(min(len(word), MAX_HAN_NAME), 1, -1):
            hit = next((i for i in range(len(word) - length + 1) if word[i : i + length] in names.han), None)
            core = next((i for i in range(len(word) - length + 1) if word[i : i + length] in names.han_cores), None)
            if hit is None and core is not None:
                piece = word[core : core + length]
                match = _short_form_match(names.han_cores[piece], HOW_HAN_CORE, piece, kb)
                start = token.start + core
                found.append(Mention(start, start + length, piece, (match,), LookupStatus.FOUND, position, position))
                taken.add(position)
                break
            if hit is None:
                continue
            piece = word[hit : hit + length]
            result = kb.lookup(piece)
            if result.matches and result.status is not LookupStatus.NOT_FOUND:
                start = token.start + hit
                found.append(Mention(start, start + length, piece, result.matches, result.status, position, position))
                taken.add(position)
                break


def _runs(tokens: list[Token], taken: set[int]) -> list[tuple[int, int]]:
    """Stretches of words that are not question vocabulary: where an unrecognised name can be."""
    runs, first = [], None
    for i, token in enumerate(tokens):
        continues = first is not None and (token.plain in _INNER_WORDS or token.plain in _NAME_PART_WORDS)
        inside = i not in taken and (not _is_vocabulary(token) or continues)
        if inside and first is None:
            first = i
        if not inside and first is not None:
            runs.append((first, i - 1))
            first = None
    if first is not None:
        runs.append((first, len(tokens) - 1))
    trimmed = []
    for first, last in runs:
        while last > first and tokens[last].plain in _INNER_WORDS:
            last -= 1
        trimmed.append((first, last))
    return trimmed


def _parts(
    text: str,
    tokens: list[Token],
    kb: KnowledgeBase,
    found: list[Mention],
    taken: set[int],
    run: tuple[int, int],
    nearest: list[Match],
    budget: int,
    lowered: bool,
) -> int:
    """Parts of a stretch that name an entity the whole stretch came near; the lookups left in the budget; `lowered`:
    the question is in lower case throughout, where a word beside a part counts as a name's whatever its case ("is
    norilsk nickel sanctioned": "nickel" alone is a threat group's name, "norilsk nickel" another's the data lacks)."""
    first_run, last_run = run
    near_names = [m.name for m in nearest]
    for length in range(min(MAX_NAME_WORDS, last_run - first_run), 0, -1):
        for first in range(first_run, last_run - length + 2):
            last = first + length - 1
            span = range(first, last + 1)
            if budget <= 0 or any(i in taken for i in span):
                continue
            if tokens[first].plain in _INNER_WORDS or tokens[last].plain in _INNER_WORDS:
                continue
            if length == 1 and _name_letters(tokens[first].text) < FUZZY_SINGLE_MIN_LETTERS:
                continue
            words = _span_text(text, tokens, first, last)
            if near_names and max(kb.index.query_matches(words, n).score for n in near_names) < PART_PROMISE:
                continue
            budget -= 1
            result = kb.lookup(words)
            close = _accepted(result, length)
            if close and _beside_a_name(text, tokens, span, taken, name_parts=True, caseless=lowered):
                # "Chan Wai Ming": "Wai Ming" comes near the alias "Lui Wai Ming"; "German Gref": "Gref" is a
                # malware vendor's name; "Kumgang Group": "Kumgang" comes near KUMGANG BANK. The word written as a
                # name beside the part is part of the name asked about: no part stands for the whole, which is left
                # as a near miss.
                continue
            if close:
                found.append(Mention(tokens[first].start, tokens[last].end, words, close, result.status, first, last))
                taken.update(span)
    return budget


def _beside_a_name(
    text: str,
    tokens: list[Token],
    span: range,
    taken: set[int],
    *,
    name_parts: bool = False,
    unmarked: frozenset[int] = frozenset(),
    known: frozenset[str] = frozenset(),
    caseless: bool = False,
) -> bool:
    """Whether a word next to `span`, with no stop between them (a comma, a bracket), is written as a name (a capital)
    and may be one: no question vocabulary, and of no other mention. Then it is part of the name asked about ("German
    Gref", "Chan Wai Ming"), and the span alone never stands for the whole ("Zhao Guangzong, Ni Gaobin" are two).
    `name_parts`: a word that ends names ("Group", "Company") counts too, for a span only near a name: "APT41 Group"
    is APT41, but "Kumgang Group" is not KUMGANG BANK. `unmarked`: words whose capital, or lack of one, says nothing,
    which count only where some listed name holds them (`known`); `caseless`: any word that may be a name's counts,
    whatever its case (a question in lower case: "herman gref" is not the malware vendor GREF)."""
    word = _name_word if name_parts else (lambda token: not _is_vocabulary(token))
    before, after = span.start - 1, span.stop
    return any(
        0 <= i < len(tokens)
        and i not in taken
        and word(tokens[i])
        and (_capital(tokens[i].text) or caseless or i in unmarked)
        and (i not in unmarked or known.issuperset(normalise(tokens[i].text).words))
        and not text[tokens[min(i, edge)].end : tokens[max(i, edge)].start].strip(" -")
        for i, edge in ((before, span.start), (after, span.stop - 1))
    )


def _accepted(result: LookupResult, length: int) -> tuple[Match, ...]:
    """The confident matches of a lookup of a span, or none: the bar is higher than /who's, as said above."""
    bar = FUZZY_SINGLE_ACCEPT if length == 1 else FUZZY_ACCEPT
    if result.status is LookupStatus.NOT_FOUND or not result.matches or result.matches[0].score < bar:
        return ()
    if result.status is LookupStatus.AMBIGUOUS:
        # The lookup found the best rivalled ("Nicolas Maduro": the father, and the son whose name holds both
        # words): the choice /who offers, whole.
        return result.matches
    return tuple(m for m in result.matches if m.score >= bar)


def _near_leading_words(
    words: str, length: int, result: LookupResult, names: _NameKeys, kb: KnowledgeBase
) -> Match | None:
    """A near spelling of the leading words of the one name the lookup came near ("intergrity tech"), held to the
    bar of any near spelling; the words must stand for that entity alone, as an exact short form must."""
    if length < MIN_LEADING_WORDS:
        return None
    near = {m.entity for m in result.matches if m.score >= NEAR_NAME}
    if len(near) != 1:
        return None
    typed = normalise(words).words
    for key, named in names.leading_of(near.pop()):
        # Leading words spelt right but not written as a name are plain words ("fresh air"): see _exact_spans.
        if key == " ".join(typed):
            return None
        score = kb.index.query_matches(words, key).score if len(key.split()) == len(typed) else 0.0
        if score >= FUZZY_ACCEPT:
            entity, value, name_type = named
            explanation = f"a near spelling of “{key}”, the leading words of “{value}”, which no other name shares"
            return Match(
                entity, value, name_type, f"fuzzy {HOW_LEADING}", score, explanation, name_type is NameType.PRIMARY
            )
    return None


def _fuzzy_spans(
    text: str,
    tokens: list[Token],
    kb: KnowledgeBase,
    found: list[Mention],
    taken: set[int],
    budget: int,
    shouted: bool,
    lowered: bool,
) -> list[Miss]:
    """Near spellings: each stretch of non-question words is looked up whole; its parts are scored only against
    the names the whole stretch came near (cheap), and a part that scores is confirmed by a lookup of its own;
    `budget`: the lookups left; `shouted`, `lowered`: the question is in capitals, or in lower case, throughout, and
    its case marks no name."""
    misses: list[Miss] = []
    names = name_keys(kb)
    for first_run, last_run in _runs(tokens, taken):
        length = last_run - first_run + 1
        nearest: list[Match] = []
        ambiguous = False
        if length > 1 or _name_letters(tokens[first_run].text) >= FUZZY_SINGLE_MIN_LETTERS:
            words = _span_text(text, tokens, first_run, last_run)
            budget -= 1
            result = kb.lookup(words)
            close = _accepted(result, length)
            if close:
                found.append(
                    Mention(
                        tokens[first_run].start, tokens[last_run].end, words, close, result.status, first_run, last_run
                    )
                )
                taken.update(range(first_run, last_run + 1))
                continue
            near_lead = _near_leading_words(words, length, result, names, kb)
            if near_lead is not None:
                found.append(
                    Mention(
                        tokens[first_run].start,
                        tokens[last_run].end,
                        words,
                        (near_lead,),
                        LookupStatus.FOUND,
                        first_run,
                        last_run,
                    )
                )
                taken.update(range(first_run, last_run + 1))
                continue
            nearest = list(result.matches)
            ambiguous = result.status is LookupStatus.AMBIGUOUS
        elif budget > 0:
            # A short word is never taken on a near spelling, but where /who would ask "which one?" ("Putin": the
            # listed Putins and the vessel PETION), so does /ask, rather than say no entity matches.
            budget -= 1
            result = kb.lookup(_span_text(text, tokens, first_run, last_run))
            if result.status is LookupStatus.AMBIGUOUS:
                nearest, ambiguous = list(result.matches), True
        budget = _parts(text, tokens, kb, found, taken, (first_run, last_run), nearest, budget, lowered)
        left = [i for i in range(first_run, last_run + 1) if i not in taken]
        if left:
            words = _span_text(text, tokens, left[0], left[-1])
            # Written as a name: a capital, or letters and digits together ("APT99"); a bare number is not one.
            capitalised = any(
                (_capital(tokens[i].text) and not shouted)
                or (not tokens[i].text.isalpha() and not tokens[i].text.isdigit())
                or _caseless(tokens[i].text)
                for i in left
            )
            whole = left == list(range(first_run, last_run + 1))
            if not (whole and ambiguous):
                nearest.sort(key=lambda m: -m.score)
            misses.append(
                Miss(
                    words,
                    tuple(nearest[:5]),
                    capitalised,
                    ambiguous=whole and ambiguous,
                    first_token=left[0],
                    last_token=left[-1],
                )
            )
    return misses


def _capital(word: str) -> bool:
    """Whether a word is written as a name: a capital first, or after an article written in lower case ("al-Majid",
    "el-Sisi", "d'Estaing")."""
    return word[:1].isupper() or bool(_ARTICLE_BEFORE_CAPITAL.match(word))


# A lower-case article joined to a capitalised word, as Arabic and French names write it.
_ARTICLE_BEFORE_CAPITAL = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ul|d|l)[-'’][A-Z]")


def _name_letters(word: str) -> int:
    """How long a word is as a name: a name in Hangul or Chinese characters ("김정은", three characters) counts the
    letters of its romanisation, as the lookup reads it."""
    reading = script_reading(word)
    return len(reading) if reading else len(word)


def _caseless(word: str) -> bool:
    # Scripts without capitals (Hangul, Chinese, Arabic): a name in them is written as a name however it is typed.
    return word.isalpha() and not word.isascii() and word.upper() == word.lower()
