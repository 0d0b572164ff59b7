"""Finds the entities a question names, anywhere in it: exact names first, then near spellings of longer ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.ask.vocabulary import QUESTION_WORDS
from knowledge.base import KnowledgeBase
from knowledge.names.lookup import LookupResult, LookupStatus, Match
from knowledge.names.normalise import NormalName, is_han, normalise

__all__ = ["Mention", "Miss", "Token", "find_mentions", "name_keys", "tokenise"]

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
_TOKEN = re.compile(r"[^\s?!,;:\"“”()\[\]{}]+")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
# Words allowed inside a multi-word name but never at its ends ("Ministry of State Security").
_INNER_WORDS = frozenset({"of", "and", "the", "for", "&", "de"})
# Question words that also end or fill names ("Integrity Technology Group", "Sandworm Team"): part of a near
# spelling's span when they stand next to its other words, never a name alone.
_NAME_PART_WORDS = frozenset({"group", "company", "network", "state", "team", "unit", "bureau", "technology"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def plain(self) -> str:
        return self.text.casefold()


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

    @property
    def looks_like_a_name(self) -> bool:
        """Meant as a name: written as one, or close to a listed name ("weather" is neither)."""
        return self.capitalised or bool(self.matches and self.matches[0].score >= NEAR_NAME)


@dataclass(frozen=True, slots=True)
class _NameKeys:
    """Every normalised name key and compact key the knowledge base holds: is this span some name at all?"""

    keys: frozenset[str]
    compacts: frozenset[str]
    han: frozenset[str] = field(default_factory=frozenset)


def _normal_names(kb: KnowledgeBase) -> Iterator[NormalName]:
    """Every name as the lookup normalised it: read from its index where it keeps them, else normalised again."""
    indexed = getattr(kb.index, "names", None)
    if indexed and all(isinstance(getattr(n, "norm", None), NormalName) for n in indexed[:1]):
        yield from (n.norm for n in indexed)
        return
    for _, value, _, is_person, _ in kb.all_names():
        yield normalise(value, strip_legal_forms=not is_person)


def _build_keys(kb: KnowledgeBase) -> _NameKeys:
    keys, compacts, han = set(), set(), set()
    for norm in _normal_names(kb):
        if not norm.tokens:
            continue
        keys.add(norm.key)
        compacts.add(norm.compact)
        if not norm.compact.isascii() and any(is_han(c) for c in norm.compact):
            han.add(norm.compact)
    return _NameKeys(frozenset(keys), frozenset(compacts), frozenset(han))


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
            tokens.append(Token(stripped, start + lead, start + lead + len(stripped)))
    return tokens


def _may_end_a_name(token: Token) -> bool:
    """A name starts and ends with a word of its own, a name word ("Group"), or a capitalised one ("North")."""
    if token.plain in _INNER_WORDS:
        return False
    if token.plain not in QUESTION_WORDS or token.plain in _NAME_PART_WORDS or token.text[:1].isupper():
        return True
    # A letter or two is an initial or a split name ("i soon"), rarely a question word at a name's edge.
    return len(token.plain) <= 2


def _is_vocabulary(token: Token) -> bool:
    return token.plain in QUESTION_WORDS or token.plain in _INNER_WORDS


def find_mentions(
    text: str, kb: KnowledgeBase, *, skip: frozenset[int] = frozenset()
) -> tuple[list[Mention], list[Miss]]:
    """Entity mentions in `text`, longest non-overlapping first, and near misses for a "did you mean".

    Tokens at the positions in `skip` (words already read as an authority, a country or a date) are never a name.
    """
    names = name_keys(kb)
    tokens = tokenise(text)
    found: list[Mention] = []
    taken: set[int] = set(skip)
    _exact_spans(text, tokens, names, kb, found, taken)
    _han_spans(text, tokens, names, kb, found, taken)
    misses = _fuzzy_spans(text, tokens, kb, found, taken)
    found.sort(key=lambda m: m.start)
    return found, misses


def _span_text(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]


def _exact_spans(
    text: str, tokens: list[Token], names: _NameKeys, kb: KnowledgeBase, found: list[Mention], taken: set[int]
) -> None:
    # Longest spans first, so "Integrity Technology Group" wins over "Integrity" and over "Group".
    for length in range(min(MAX_NAME_WORDS, len(tokens)), 0, -1):
        for first in range(len(tokens) - length + 1):
            last = first + length - 1
            span = range(first, last + 1)
            if any(i in taken for i in span):
                continue
            if all(_is_vocabulary(tokens[i]) for i in span):
                continue
            if not (_may_end_a_name(tokens[first]) and _may_end_a_name(tokens[last])):
                continue
            words = _span_text(text, tokens, first, last)
            norm = normalise(words)
            if norm.key not in names.keys and norm.compact not in names.compacts:
                continue
            result = kb.lookup(words)
            if result.status is LookupStatus.NOT_FOUND or not result.matches or result.matches[0].how != "exact":
                continue
            exact = tuple(m for m in result.matches if m.how == "exact")
            found.append(Mention(tokens[first].start, tokens[last].end, words, exact, result.status, first, last))
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
) -> int:
    """Parts of a stretch that name an entity the whole stretch came near; the lookups left in the budget."""
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
            if length == 1 and len(tokens[first].text) < FUZZY_SINGLE_MIN_LETTERS:
                continue
            words = _span_text(text, tokens, first, last)
            if near_names and max(kb.index.query_matches(words, n).score for n in near_names) < PART_PROMISE:
                continue
            budget -= 1
            result = kb.lookup(words)
            close = _accepted(result, length)
            if close:
                found.append(Mention(tokens[first].start, tokens[last].end, words, close, result.status, first, last))
                taken.update(span)
    return budget


def _accepted(result: LookupResult, length: int) -> tuple[Match, ...]:
    """The confident matches of a lookup of a span, or none: the bar is higher than /who's, as said above."""
    bar = FUZZY_SINGLE_ACCEPT if length == 1 else FUZZY_ACCEPT
    if result.status is LookupStatus.NOT_FOUND or not result.matches or result.matches[0].score < bar:
        return ()
    return tuple(m for m in result.matches if m.score >= bar)


def _fuzzy_spans(
    text: str, tokens: list[Token], kb: KnowledgeBase, found: list[Mention], taken: set[int]
) -> list[Miss]:
    """Near spellings: each stretch of non-question words is looked up whole; its parts are scored only against
    the names the whole stretch came near (cheap), and a part that scores is confirmed by a lookup of its own."""
    misses: list[Miss] = []
    budget = MAX_FUZZY_LOOKUPS
    for first_run, last_run in _runs(tokens, taken):
        length = last_run - first_run + 1
        nearest: list[Match] = []
        if length > 1 or len(tokens[first_run].text) >= FUZZY_SINGLE_MIN_LETTERS:
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
            nearest = list(result.matches)
        budget = _parts(text, tokens, kb, found, taken, (first_run, last_run), nearest, budget)
        left = [i for i in range(first_run, last_run + 1) if i not in taken]
        if left:
            words = _span_text(text, tokens, left[0], left[-1])
            # Written as a name: a capital, or letters and digits together ("APT99"); a bare number is not one.
            capitalised = any(
                tokens[i].text[:1].isupper() or (not tokens[i].text.isalpha() and not tokens[i].text.isdigit())
                for i in left
            )
            nearest.sort(key=lambda m: -m.score)
            misses.append(Miss(words, tuple(nearest[:5]), capitalised))
    return misses
