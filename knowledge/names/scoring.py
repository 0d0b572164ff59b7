"""Scoring two normalised names: words paired at most once each, weighed by rarity, with the reasons written out."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz.distance import OSA

from knowledge.names.normalise import NormalName
from knowledge.names.romanise import (
    FOLD_MARKS,
    NO_KEYS,
    READINGS_APART,
    iso9_typed,
    iso9_unmarked,
    joined_key,
    key_readings,
    keyed_words,
    keys_meet,
    name_keys,
    other_readings,
    roman_fold,
)
from knowledge.names.tables import NEUTRAL_LEGAL_CLASSES, NICKNAMES, PARTICLES

__all__ = [
    "ACRONYM_SIMILARITY",
    "COMPACT_FUZZY_FLOOR",
    "COMPACT_FUZZY_MAX_LENGTH",
    "EXACT_ONLY_LENGTH",
    "SIMILARITY_CACHE_SIZE",
    "Prepared",
    "Scored",
    "allowed_edits",
    "has_digit",
    "prepare",
    "score_names",
    "score_prepared",
    "skeleton",
    "token_similarity",
    "unleet",
]

# Names this short after normalisation (OFAC's "HUA", "MSS") match only as whole exact names.
EXACT_ONLY_LENGTH = 3
# The compact form (no spaces) catches "GhostEmperor" against "Ghost Emperor"; only for short names, where a
# split or joined word is a likely typo rather than a different name.
COMPACT_FUZZY_MAX_LENGTH = 14
COMPACT_FUZZY_FLOOR = 0.8
# How much of the score comes from covering the query's words (or, comparing two names, the better covered
# name's), and how much from covering the other's: a partial name ("Vladimir Putin") is the same person as
# the full one ("Vladimir Vladimirovich Putin"), while the longer name's extra words still cost a little.
MAIN_COVERAGE_SHARE = 0.7
# Two organisations' names: a short name inside a long one ("Central Republic Bank", "Central Bank of the
# Democratic People's Republic of Korea") is less often the same organisation than a partial person's name.
ORGANISATION_MAIN_SHARE = 0.6
# A word in one name and not in the other is evidence of a different entity, however common the word:
# "Integrity Solutions Group" is not "Integrity Technology Group".
UNMATCHED_WEIGHT_FLOOR = 0.5
# Particles (al-, bin, van, de) join a name's parts and say little about who is meant.
PARTICLE_WEIGHT = 0.15
# An initial ("N. Nazarbayev") stands for a word but says less than the word.
INITIAL_WEIGHT = 0.4
INITIAL_SIMILARITY = 0.9
# Spelling variants of one name in Latin script (Muhammad, Mohammed) and nicknames (Bill, William).
SKELETON_SIMILARITY = 0.9
SKELETON_MIN_LENGTH = 5
SKELETON_MAX_DISTANCE_SHARE = 0.5
# ... between words of nearly one length: "everyone" and "Evron" share a skeleton and are not one name.
SKELETON_LENGTH_GAP = 2
NICKNAME_SIMILARITY = 0.9
# One letter written twice ("Jong-uun") and digits for look-alike letters ("I9or Sech1n").
DOUBLED_SIMILARITY = 0.9
LEET_SIMILARITY = 0.9
_LEET = str.maketrans("0134579", "oieastg")
# Comparing two names, the longer one's words the other lacks (a middle name, a patronymic) count this share of
# a word: a partial name is the usual way a person is named.
EXTRA_WORD_SHARE = 0.5
# Two companies' names, one with a distinctive word more ("Banco Santander Chile S.A."): often a subsidiary or
# a sister company, not the same one.
QUALIFIER_PENALTY = 0.15
# ... but one word alone ("Shamsuddin") against a name of this many words is too little to say who it is.
LONE_WORD_AGAINST = 3
# Initialisms against the words they abbreviate ("PLA", "People's Liberation Army"), and words written
# together ("Goodwill", "Good Will"): runs of up to this many words.
ACRONYM_SIMILARITY = 0.9
MAX_JOINED_WORDS = 6
# A part that differs among shared parts (another surname, clan or father's name, another number or kind of
# company) is evidence of another entity: the score loses this share.
CONFLICT_PENALTY = 0.25
# A query whose words are all common ones (each in many listed names) that leaves out a listed name's more
# distinctive word ("Scientific Central" for "Central Scientific Research Institute Burevestnik") names no one in
# particular: its score loses this share, which keeps the order of the candidates.
COMMON_WORD_WEIGHT = 0.7
COMMON_ONLY_PENALTY = 0.15
# A query made only of generic words ("Beijing Technology") may suggest, never answer confidently.
QUERY_WEIGHT_FLOOR = 0.6
WEAK_QUERY_CAP = 0.7
GENERIC_WEIGHT = 0.25
SIMILARITY_CACHE_SIZE = 65_536
# One word as two romanisation systems write it (RI/LEE, Kuang-tsung/Guangzong, Iouri/Yuriy, Sa'eed/Sa'id): as
# alike as a spelling variant, never as the word itself.
ROMAN_SIMILARITY = 0.9
# One distinctive word misspelt (a slip more than a typo: "Troost", "Rost"; "Asad", "Ssad") where the rest of the
# name agrees, at least this many words of it matched as written or as a spelling variant, one of them distinctive,
# and nothing else differs: the pair is as alike as this, and the score at most the cap (a match, never as sure as
# the name written right).
MISSPELT_SIMILARITY = 0.7
MISSPELT_CAP = 0.86
# Two slips in one word may as well be another surname ("Ivanova", "Isakova"): offered, never a confident answer.
MISSPELT_FAR_CAP = 0.79
MISSPELT_AGREEING = 2
MISSPELT_MIN_LENGTH = 4
MISSPELT_SHORT = 4
# ISO 9 typed without its marks loses letters (ž, č, š, ŝ, û, â, ë typed z, c, s, s, u, a, e: "Yashin" is typed "Asin",
# which is a name of its own): a word alike only so is evidence where at least this many words of the name are written
# as that system writes the other name's (the name typed so throughout), and the score at most UNMARKED_ALONE_CAP
# otherwise (offered, never a confident answer).
UNMARKED_AGREEING = 2
UNMARKED_ALONE_CAP = 0.79
# Family letters of the keys of Korean and Chinese syllables (romanise.name_keys).
_SYLLABLE_KEYS = frozenset("kc")
# Folding changes a word's length by at most this many letters (Wjatscheslawowitsch, Vyacheslavovich).
_FOLD_LENGTH_GAP = 4

_VOWELS = frozenset("aeiouy")
_BIN = frozenset({"bin", "bint"})
_BEN = "ben"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_PARTICLES_OR_LETTERS = PARTICLES | _LETTERS | _BIN
_DOUBLED = re.compile(r"(.)\1+")
_FIRST_GROUP = operator.itemgetter(1)
_NO_VOWELS = str.maketrans("", "", "".join(_VOWELS))
# The first letter of a word's skeleton by the word's first letter (the letter itself where not here), but for a word
# starting with p (ph is f): two words whose skeletons start apart are no spelling variants, told without them.
_SKELETON_STARTS = dict.fromkeys(_VOWELS | {"j"}, "a") | {"c": "k", "q": "k", "x": "k", "w": "v"}

Similarity = Callable[[str, str], float]
Weight = Callable[[str], float]


@dataclass(slots=True)
class Scored:
    score: float
    explanation: str


def allowed_edits(longest: int) -> int:
    # Short words (ZHAO vs ZHOU) are different names when one letter differs; longer ones tolerate typos.
    if longest <= 4:
        return 0
    return 1 if longest <= 8 else 2


def has_digit(token: str) -> bool:
    # Tokens are letters and digits only (normalisation removed the rest): not all letters means a digit.
    return not token.isalpha()


@lru_cache(maxsize=SIMILARITY_CACHE_SIZE)
def skeleton(word: str) -> str:
    """The consonants of a word as pronounced, doubled letters once: Muhammad and Mohammed are both "mhmd"."""
    # The letters written for one sound, in this order (one call after another, not a loop over a table: a tenth of
    # a skeleton).
    word = (
        word.replace("ph", "f")
        .replace("ck", "k")
        .replace("q", "k")
        .replace("c", "k")
        .replace("w", "v")
        .replace("x", "ks")
        .replace("j", "y")
        .replace("dh", "d")
    )
    # Its first letter (a vowel as "a"), then its consonants, a letter repeated once (across vowels too: "Babak" is
    # "bk"); a translation and a substitution rather than a loop over its letters, a third of the time.
    head = "a" if word[0] in _VOWELS else word[0]
    return _DOUBLED.sub(_FIRST_GROUP, head + word[1:].translate(_NO_VOWELS))


@lru_cache(maxsize=SIMILARITY_CACHE_SIZE)
def token_similarity(a: str, b: str) -> float:
    """How alike two words are, 0 to 1: typos, transliteration variants, nicknames; codes only when equal."""
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):  # has_digit(a) or has_digit(b), without two calls
        # Codes and numbers differ by one character and are still different names: APT31 is not APT41. A digit
        # between letters is a letter written as a look-alike digit.
        leet_a, leet_b = unleet(a), unleet(b)
        if (leet_a != a or leet_b != b) and leet_a.isalpha() and leet_b.isalpha():
            return LEET_SIMILARITY * token_similarity(leet_a, leet_b)
        return 0.0
    written = _letters_similarity(a, b)
    # As alike as one word as two romanisations write it, unless alike already (a lone letter, the only word
    # _letters_similarity finds nothing alike to the same word doubled, is never folded: _may_fold).
    if written < ROMAN_SIMILARITY and (may := _may_fold(a, b)) and _folds_alike(a, b, may == _FOLD_ANY):
        return ROMAN_SIMILARITY
    return written


def _letters_similarity(a: str, b: str) -> float:
    """token_similarity of two words of letters, not equal, as written: typos, spelling variants, nicknames."""
    # Letters written once keep a word's first and last letter: those are compared before the letters are.
    if a[0] == b[0] and a[-1] == b[-1] and abs(len(a) - len(b)) <= 2 and _undoubled(a) == _undoubled(b):
        return DOUBLED_SIMILARITY if min(len(a), len(b)) > 1 else 0.0
    plain = _plain_similarity(a, b)
    given_a, given_b = NICKNAMES.get(a, a), NICKNAMES.get(b, b)
    if given_a == a and given_b == b:
        return plain
    # "Bill" is "William"; "Eugene" is "Evgeny", spelled "Evgeniy".
    nickname = NICKNAME_SIMILARITY * _plain_similarity(given_a, given_b)
    return plain if plain >= nickname else nickname


# Letters no fold or reading writes, adds or removes (romanise.roman_fold, other_readings), nor a spelling variant's
# skeleton; and the lip letters, which they write for one another (ph, f; w, v; -off, -ov) but never add or remove. A
# word's fold signature is those it holds, the lips as p: two words alike once folded, or one a reading of the other,
# hold the same of them, and start with one of them (the same, the lips as one) or neither, unless a typo between
# folds this long changes them (a typo is as alike as a spelling variant from ten letters on: 1 - 1/10; _folds_alike
# looks for one only between words of lengths SKELETON_LENGTH_GAP apart at most), and one typo changes two letters of
# a signature at most (one lost, one gained).
_KEPT_BY_FOLDS = "bglmnr"
_LIPS = "pfvw"
_STARTS = {letter: letter for letter in _KEPT_BY_FOLDS} | dict.fromkeys(_LIPS, "p")
# A word's signature by one translation of its bytes (the letters of _KEPT_BY_FOLDS kept, its lips as p, any other
# byte _NOT_SIGNATURE) and one removal: translate's own deletion builds its table at every call, twice the cost.
_NOT_SIGNATURE = b"."
_SIGNATURE_BYTES = bytes(
    code if chr(code) in _KEPT_BY_FOLDS else ord("p") if chr(code) in _LIPS else _NOT_SIGNATURE[0]
    for code in range(256)
)
_FOLD_TYPO_LENGTH = 10
# What _may_fold says of two words: never alike once folded; alike only as a typo between their folds; or either.
_FOLD_NEVER, _FOLD_TYPO, _FOLD_ANY = 0, 1, 2
# What two words' lengths say of folding them (_fold_lengths): never alike once folded; alike only if they start
# alike (no typo between their folds: too far apart, or a word too short); that, or a typo between folds their x's
# make long enough (x is folded to ks); or either, whatever their starts.
_LENGTHS_NEVER, _LENGTHS_START, _LENGTHS_X, _LENGTHS_LONG = 0, 1, 2, 3


def _fold_lengths(length_a: int, length_b: int) -> int:
    """What two words' lengths say of folding them (_LENGTHS_...): a fold changes a word's length by a few letters,
    words of three letters or fewer are compared as written unless one has four, and a typo between folds is looked
    for only between words of lengths SKELETON_LENGTH_GAP apart at most, of more than three letters."""
    gap = length_a - length_b
    if not (-_FOLD_LENGTH_GAP <= gap <= _FOLD_LENGTH_GAP and length_a > 2 and length_b > 2):
        return _LENGTHS_NEVER
    if length_a < 4 and length_b < 4:
        return _LENGTHS_NEVER
    if not (-SKELETON_LENGTH_GAP <= gap <= SKELETON_LENGTH_GAP and length_a > 3 and length_b > 3):
        return _LENGTHS_START
    return _LENGTHS_LONG if max(length_a, length_b) >= _FOLD_TYPO_LENGTH else _LENGTHS_X


def _may_fold(a: str, b: str) -> int:
    """Whether two words may be one word as two romanisations write it (_FOLD_ANY), or a typo apart once folded only
    (_FOLD_TYPO), or neither, before their folds are computed: by their lengths (_fold_lengths), and a first letter and
    a signature a fold keeps, as above."""
    length_a, length_b = len(a), len(b)
    lengths = (
        _FOLD_LENGTHS[length_a][length_b]
        if length_a < _REACH_TABLE_SIZE and length_b < _REACH_TABLE_SIZE
        else _fold_lengths(length_a, length_b)
    )
    if lengths == _LENGTHS_NEVER:
        return _FOLD_NEVER
    same_start = _STARTS.get(a[0]) == _STARTS.get(b[0])
    if not same_start and (lengths == _LENGTHS_START or (lengths == _LENGTHS_X and "x" not in a and "x" not in b)):
        return _FOLD_NEVER
    signature_a = a.encode().translate(_SIGNATURE_BYTES).replace(_NOT_SIGNATURE, b"")
    signature_b = b.encode().translate(_SIGNATURE_BYTES).replace(_NOT_SIGNATURE, b"")
    # The same letters, as sets (a strip by the other's letters leaves nothing of either).
    if same_start and not signature_a.strip(signature_b) and not signature_b.strip(signature_a):
        return _FOLD_ANY
    if (lengths == _LENGTHS_LONG or (lengths == _LENGTHS_X and ("x" in a or "x" in b))) and _typo_between_folds(
        a, b, signature_a, signature_b
    ):
        return _FOLD_TYPO
    return _FOLD_NEVER


def _typo_between_folds(a: str, b: str, signature_a: bytes, signature_b: bytes) -> bool:
    """Whether two words' folds may be a typo apart, of one slip per ten letters at most (SKELETON_SIMILARITY): words
    this long once folded at most (x is folded to ks), whose signatures differ by two letters a slip at most."""
    slips = (max(len(a), len(b)) + a.count("x") + b.count("x")) // _FOLD_TYPO_LENGTH
    return bool(slips) and len(frozenset(signature_a) ^ frozenset(signature_b)) <= 2 * slips


# What _folds_alike says of two words: not alike; alike; alike only as ISO 9 typed without its marks writes one.
_FOLDS_APART, _FOLDS_ALIKE, _FOLDS_UNMARKED = 0, 1, 2


def _folds_alike(a: str, b: str, readable: bool = True) -> int:
    """The same word as another system spells it, or a spelling variant of it once folded (_FOLDS_ALIKE), or only as
    ISO 9 typed without its marks writes one of them (_FOLDS_UNMARKED, a lossy reading); `readable`: _may_fold found
    the words may be a reading of each other (else their readings are not computed)."""
    # A word without FOLD_MARKS is its own fold, and has no other reading.
    marked_a, marked_b = FOLD_MARKS.search(a) is not None, FOLD_MARKS.search(b) is not None
    if not (marked_a or marked_b):
        return _FOLDS_APART
    fold_a = roman_fold(a) if marked_a else a
    fold_b = roman_fold(b) if marked_b else b
    # Equal once folded, or spelling variants of each other (their skeletons agree); a typo away once folded is
    # not enough ("nhasse" is not "nhate"), nor a longer name that holds the word ("Viktoriya" is not "Viktor").
    if fold_a != a or fold_b != b:
        if fold_a == fold_b:
            return _FOLDS_ALIKE
        if (
            abs(len(a) - len(b)) <= SKELETON_LENGTH_GAP
            and min(len(a), len(b)) > 3
            and _plain_similarity(fold_a, fold_b) >= SKELETON_SIMILARITY
        ):
            return _FOLDS_ALIKE
    if not readable:
        return _FOLDS_APART
    # One word read as German or French spellings of Cyrillic write it (Zarewa, Tsareva; Jiroff, Zhirov): equal only.
    if (marked_a and fold_b in other_readings(a)) or (marked_b and fold_a in other_readings(b)):
        return _FOLDS_ALIKE
    # ... or as ISO 9 typed without its marks writes it (Zirov, Zhirov).
    if (marked_a and fold_b == iso9_unmarked(a)) or (marked_b and fold_a == iso9_unmarked(b)):
        return _FOLDS_UNMARKED
    return _FOLDS_APART


def _reaches(longest: int, shortest: int) -> tuple[int, int]:
    """The edits a typo may make between words of these lengths, and the edits a spelling variant may."""
    allowed = allowed_edits(longest)
    # A spelling variant may be further than a typo: half the letters, if the skeletons agree.
    reach = max(allowed, int(longest * SKELETON_MAX_DISTANCE_SHARE)) if shortest >= SKELETON_MIN_LENGTH else allowed
    return allowed, reach


# _reaches of words up to this long, by the two words' lengths: a look-up rather than a call per pair of words.
_REACH_TABLE_SIZE = 48
_REACHES = tuple(
    tuple(_reaches(max(i, j), min(i, j)) for j in range(_REACH_TABLE_SIZE)) for i in range(_REACH_TABLE_SIZE)
)


# The edits a spelling variant may make between plain words of these lengths (_reaches), 0 where their lengths alone
# are further apart than that: a pair of words (_pair_words) told nothing alike by one look-up.
_VARIANT_REACH = tuple(
    tuple(reach if abs(i - j) <= reach else 0 for j, (_, reach) in enumerate(row)) for i, row in enumerate(_REACHES)
)


# _fold_lengths of plain words (_plain_lengths: 0 for any other word), by their lengths: a look-up rather than a call.
_FOLD_LENGTHS = tuple(
    tuple(_fold_lengths(i, j) if i and j else _LENGTHS_NEVER for j in range(_REACH_TABLE_SIZE))
    for i in range(_REACH_TABLE_SIZE)
)


def _plain_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    longest, shortest = (len(a), len(b)) if len(a) >= len(b) else (len(b), len(a))
    allowed, reach = _REACHES[longest][shortest] if longest < _REACH_TABLE_SIZE else _reaches(longest, shortest)
    # The distance is at least the difference in length: no need to compute it when that is already too far.
    if reach == 0 or longest - shortest > reach:
        return 0.0
    # Optimal string alignment: a swap of two neighbouring letters (NESHTA for NESHAT) is one slip, not two.
    distance = OSA.distance(a, b, score_cutoff=reach)
    if distance > reach:
        return 0.0
    typo = 1.0 - distance / longest if distance <= allowed else 0.0
    if typo >= SKELETON_SIMILARITY or shortest < SKELETON_MIN_LENGTH or longest - shortest > SKELETON_LENGTH_GAP:
        return typo
    start, other_start = a[0], b[0]
    if (
        start != other_start
        and start != "p"
        and other_start != "p"
        and _SKELETON_STARTS.get(start, start) != _SKELETON_STARTS.get(other_start, other_start)
    ):
        return typo
    spelled = skeleton(a)
    return SKELETON_SIMILARITY if len(spelled) >= 3 and spelled == skeleton(b) else typo


def unleet(word: str) -> str:
    """A word with look-alike digits between letters read as letters: "sech1n" is "sechin"."""
    if not any(c.isalpha() for c in word[1:-1] or word):
        return word
    # Only digits with a letter on both sides: "sech1n", not "apt41" or "2004".
    chars = list(word)
    for i in range(1, len(chars) - 1):
        if chars[i].isdigit() and chars[i - 1].isalpha() and chars[i + 1].isalpha():
            chars[i] = chars[i].translate(_LEET)
    return "".join(chars)


def _plain_lengths(tokens: tuple[str, ...]) -> list[int]:
    """Each word's length where it is plain (letters only, no nickname, within the reach table), else 0: two plain
    words that do not both start and end alike are, to token_similarity, a typo or a spelling variant of each other
    or nothing alike, and are nothing alike when further apart than a variant may be."""
    return [n if (n := len(t)) < _REACH_TABLE_SIZE and t.isalpha() and t not in NICKNAMES else 0 for t in tokens]


def _undoubled(word: str) -> str:
    # The letter itself as the replacement: a template (r"\1") is expanded in Python at every call, 3 times slower.
    return _DOUBLED.sub(_FIRST_GROUP, word)


class _Profile(NamedTuple):
    """A name's words as the scorer weighs them; a lookup computes its query's once for all its candidates. (A named
    tuple: made for every name scored, and a tuple is made at a half of a class's cost.)"""

    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    # What a word costs when the other name lacks it: its weight, at least UNMATCHED_WEIGHT_FLOOR for a word.
    costs: tuple[float, ...]
    initials: tuple[bool, ...]
    has_bin: bool
    total_weight: float
    # Each word's romanisation key (romanise.name_keys): words of two names with one key are one word.
    keys: tuple[str, ...]
    # Whether any word has a key (most names' none): keys are compared only between two such names.
    keyed: bool

    @classmethod
    def of(cls, tokens: tuple[str, ...], weight: Weight) -> _Profile:
        if _PARTICLES_OR_LETTERS.isdisjoint(tokens):
            # Most names: no particle, no initial, so no bin either; every word weighed as it is.
            weights = tuple(map(weight, tokens))
            if tokens and min(weights) >= UNMATCHED_WEIGHT_FLOOR:
                costs = weights  # no common word: each costs its weight
            else:
                costs = tuple([max(token_weight, UNMATCHED_WEIGHT_FLOOR) for token_weight in weights])
            count = len(tokens)
            if count < len(NO_KEYS) and (_KEYED_WORDS or _load_keyed_words()).isdisjoint(tokens):
                # ... and most hold no word a key starts from.
                return _new_tuple(
                    cls, (tokens, weights, costs, _NO_INITIALS[count], False, sum(weights), NO_KEYS[count], False)
                )
            keys = name_keys(tokens)
            return _new_tuple(cls, (tokens, weights, costs, (False,) * count, False, sum(weights), keys, any(keys)))
        weights, costs, initials = [], [], []
        for token in tokens:
            if token in PARTICLES:
                weights.append(PARTICLE_WEIGHT)
                costs.append(PARTICLE_WEIGHT)
                initials.append(False)
            elif len(token) == 1 and token in _LETTERS:
                weights.append(INITIAL_WEIGHT)
                costs.append(INITIAL_WEIGHT)
                initials.append(True)
            else:
                token_weight = weight(token)
                weights.append(token_weight)
                costs.append(max(token_weight, UNMATCHED_WEIGHT_FLOOR))
                initials.append(False)
        keys = name_keys(tokens)
        return _new_tuple(
            cls,
            (
                tokens,
                tuple(weights),
                tuple(costs),
                tuple(initials),
                not _BIN.isdisjoint(tokens),
                sum(weights),
                keys,
                any(keys),
            ),
        )


_new_tuple = tuple.__new__

# No word an initial, for names as long as romanise.NO_KEYS's: made once rather than for each name.
_NO_INITIALS = tuple((False,) * len(keys) for keys in NO_KEYS)

# romanise.keyed_words, once built: most names hold none of them, and have no key (told without a call).
_KEYED_WORDS: frozenset[str] = frozenset()


def _load_keyed_words() -> frozenset[str]:
    global _KEYED_WORDS
    _KEYED_WORDS = keyed_words()
    return _KEYED_WORDS


class _Side:
    """One name's words during one comparison: which are matched, and how well."""

    # (A class of its own rather than a dataclass: made twice for every pair of names, by one call.)
    __slots__ = ("matched", "profile", "tokens")

    def __init__(self, profile: _Profile) -> None:
        self.profile = profile
        self.tokens = tokens = profile.tokens
        self.matched = [0.0] * len(tokens)

    def coverage(self, extra_share: float = 1.0) -> float:
        total = hit = 0.0
        profile = self.profile
        # (zip's `strict` check left out here and in tally: the tuples are one name's, of one length by construction,
        # and a keyword makes zip a tenth of a tally.)
        for token_weight, cost, similarity in zip(profile.weights, profile.costs, self.matched):  # noqa: B905
            if similarity:
                total += token_weight
                hit += token_weight * similarity
            else:
                total += cost * extra_share
        return hit / total if total else 0.0

    def tally(self) -> tuple[float, list[str], float, float]:
        """In one pass: coverage(), the words left unmatched (particles aside), and the largest weight of a matched
        word and of an unmatched one (-1 where there is none)."""
        total = hit = 0.0
        unmatched: list[str] = []
        top_matched = top_missing = -1.0
        profile = self.profile
        for token, token_weight, cost, similarity in zip(  # noqa: B905
            self.tokens, profile.weights, profile.costs, self.matched
        ):
            if similarity:
                total += token_weight
                hit += token_weight * similarity
                if token_weight > top_matched:
                    top_matched = token_weight
            else:
                total += cost
                if token not in PARTICLES:
                    unmatched.append(token)
                if token_weight > top_missing:
                    top_missing = token_weight
        return (hit / total if total else 0.0), unmatched, top_matched, top_missing


@dataclass(slots=True)
class Prepared:
    """A name made ready to be scored against many others (a lookup's query against its candidates): its words'
    weights, and every similarity of its words to other names' words, remembered once computed, since the
    candidates of one query share many words (token_similarity, the default, remembers its own)."""

    norm: NormalName
    profile: _Profile
    weight: Weight
    similar: Similarity
    known: dict[str, dict[str, float]]


def prepare(norm: NormalName, weight: Weight, similar: Similarity = token_similarity) -> Prepared:
    """`norm` ready for score_prepared; keep it no longer than one request (it remembers what it computed)."""
    # token_similarity remembers its own answers: rows of remembered similarities only for another similarity.
    known = {} if similar is token_similarity else {token: {} for token in norm.tokens}
    return Prepared(norm, _Profile.of(norm.tokens, weight), weight, similar, known)


def _after_bin(tokens: tuple[str, ...]) -> list[bool | None]:
    """Each word's role: after "bin", a father's name (True); not (False); or either (None): the family name a listing
    puts first, before the given names ("HIR, Zulkifli Bin Abdul", "BEN ATTIA, Nabil Ben Mohamed Ben Ali"), which
    another writing puts after "bin" ("Zulkifli bin Hir", "Nabil Ben Attia"). A name whose second word is "bin"
    ("Muhammad bin Salman") puts no family name first."""
    roles: list[bool | None] = [i > 0 and tokens[i - 1] in _BIN for i in range(len(tokens))]
    if len(tokens) > 2 and tokens[0] not in _BIN and tokens[1] not in _BIN:
        if tokens[0] == _BEN:
            roles[1] = None  # "ben" first is read as a given name (normalise), but "BEN ATTIA" is a family name
        elif not _BIN.isdisjoint(tokens[2:]):
            roles[0] = None
    return roles


def _readings_of(keys: tuple[str, ...]) -> list[frozenset[str]]:
    """Each word's key split into its readings (none for a word without a key): two words' keys meet (keys_meet) where
    their readings share one."""
    return [frozenset(key.split(READINGS_APART)) if key else _NO_READINGS for key in keys]


_NO_READINGS: frozenset[str] = frozenset()


def _roles_differ(role: bool | None, other: bool | None) -> bool:
    return role is not None and other is not None and role != other


def _pair_words(
    one: _Side,
    other: _Side,
    query: Prepared,
    explain: bool = True,
    organisation: bool = False,
    written: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[list[str], frozenset[tuple[int, int]]]:
    """Pair each word of `one` (the prepared name's) with at most one of `other`, best pairs first; the pairs, as
    the explanation says, and those of them alike only as ISO 9 typed without its marks writes a word, standing alone
    (_unmarked_alone), if any. In an `organisation`'s name (`other`), a lone letter is no initial of a word of `one`;
    the pairs `written` are compared as written only (neither folded nor read otherwise)."""
    roles = _after_bin(one.tokens) if one.profile.has_bin and other.profile.has_bin else None
    other_roles = _after_bin(other.tokens) if roles is not None else None
    candidates = []
    one_tokens, other_tokens = one.tokens, other.tokens
    one_initials, other_initials = one.profile.initials, other.profile.initials
    one_keys, other_keys = one.profile.keys, other.profile.keys
    similar, known = query.similar, query.known
    # Scored with token_similarity itself, the pairs of plain words it would find nothing alike (most pairs of words
    # of two names) are told apart here, by their lengths and one distance, without its cache and its steps; whether
    # another romanisation writes two of them alike is asked once the pairs as written are taken (_alike_once_folded).
    quick = similar is token_similarity
    # Pairs of words perhaps alike only as ISO 9 typed without its marks writes one of them (_unmarked_alone).
    unmarked: list[tuple[int, int]] = []
    # Pairs of words of letters (plain ones and nicknames) less alike as written than a fold makes two words, of
    # lengths a fold may make alike: the pairs _alike_once_folded asks about once the pairs as written are taken (most
    # pairs of names have none).
    foldable: list[tuple[int, int]] = []
    if quick:
        one_lengths, other_lengths = _plain_lengths(one_tokens), _plain_lengths(other_tokens)
    # Keys are compared only where both names have some (most names have none); equal keys meet, and so do keys of
    # several readings sharing one (keys_meet: each word's readings split once here, not for each pair of words).
    keyed = one.profile.keyed and other.profile.keyed
    readings = keyed and READINGS_APART in "".join((*one_keys, *other_keys))
    if readings:
        readings_one, readings_other = _readings_of(one_keys), _readings_of(other_keys)
    for i, a in enumerate(one_tokens):
        initial = one_initials[i]
        key = one_keys[i] if keyed else ""
        if readings:
            word_readings = readings_one[i]
        if quick:
            length = one_lengths[i]
            variant_reach = _VARIANT_REACH[length]
            fold_lengths = _FOLD_LENGTHS[length]
        else:
            row = known[a]
        for j, b in enumerate(other_tokens):
            # A father's name (after "bin") is not the person's own: "Salman bin Muhammad" is not "Muhammad bin
            # Salman".
            if roles is not None and _roles_differ(roles[i], other_roles[j]):  # type: ignore[index]
                continue
            if a == b:
                similarity = 1.0
            elif initial or other_initials[j]:
                # A company's lone letter ("S. Group Airlines") names no word typed in full ("Sichuan Airlines"):
                # a person's initial ("D. Khoroshev") stands for a given name; a company's is a name of its own.
                letter_for_word = organisation and not initial
                similarity = (
                    INITIAL_SIMILARITY if a[0] == b[0] and a.isalpha() and b.isalpha() and not letter_for_word else 0.0
                )
            elif quick:
                other_length = other_lengths[j] if length else 0
                if (
                    other_length
                    and (a[0] != b[0] or a[-1] != b[-1])
                    and (not (reach := variant_reach[other_length]) or OSA.distance(a, b, score_cutoff=reach) > reach)
                ):
                    # Nothing alike as written, unless their keys say they are one word (or a fold does, asked later).
                    if not key or (
                        key != other_keys[j] and (not readings or word_readings.isdisjoint(readings_other[j]))
                    ):
                        if fold_lengths[other_length]:
                            foldable.append((i, j))
                        continue
                    similarity = ROMAN_SIMILARITY
                elif (length and other_length) or (
                    a.isalpha() and b.isalpha() and len(a) < _REACH_TABLE_SIZE and len(b) < _REACH_TABLE_SIZE
                ):  # plain words or a nickname: alike as written, or once folded (asked later)
                    similarity = _letters_similarity(a, b)
                    if (
                        similarity < ROMAN_SIMILARITY
                        and _FOLD_LENGTHS[len(a)][len(b)]
                        and not (
                            key
                            and (key == other_keys[j] or (readings and not word_readings.isdisjoint(readings_other[j])))
                        )
                    ):
                        foldable.append((i, j))
                else:
                    similarity = token_similarity(a, b)
                    if similarity == ROMAN_SIMILARITY:
                        if written and (i, j) in written:
                            similarity = _letters_similarity(a, b)
                        else:
                            unmarked.append((i, j))  # perhaps alike only as ISO 9 typed without its marks writes one
            else:
                similarity = row.get(b)
                if similarity is None:
                    similarity = row[b] = similar(a, b)
                if written and (i, j) in written:
                    similarity = _letters_similarity(a, b)
            if (
                key
                and similarity < ROMAN_SIMILARITY
                and (key == other_keys[j] or (readings and not word_readings.isdisjoint(readings_other[j])))
            ):
                similarity = ROMAN_SIMILARITY
            if similarity:
                candidates.append((-similarity, abs(i - j), i, j))
    pairs: list[str] = []
    alone: frozenset[tuple[int, int]] = frozenset()
    one_matched, other_matched = one.matched, other.matched
    if candidates or quick:
        candidates.sort()
        # The word of `other` each word of `one` is paired with, for the explanation.
        partners = [-1] * len(one_tokens)
        initials: list[tuple[int, int]] = []
        folding = quick
        while True:
            for negative, _, i, j in candidates:
                if one_matched[i] or other_matched[j]:
                    continue
                one_matched[i] = other_matched[j] = -negative
                partners[i] = j
                if -negative < 1.0 and (one_initials[i] or other_initials[j]):
                    initials.append((i, j))
            if not folding:
                break
            folding = False
            if not foldable:
                break
            folded_pairs = _alike_once_folded(one, other, foldable, unmarked, written)
            if not folded_pairs:
                break
            # Words one romanisation apart that the pairs taken may have taken otherwise: paired again with them.
            candidates = sorted(candidates + folded_pairs)
            one_matched[:] = [0.0] * len(one_matched)
            other_matched[:] = [0.0] * len(other_matched)
            initials.clear()
        initial_rows = {i for i, _ in initials} if initials else ()
        if initials:
            # An initial stands for a word beside a word matched as written: beside a near spelling only
            # ("Maria Hossein", "HOSSENI, M. Ali") it could stand for anyone.
            full_words = sum(1 for i, s in enumerate(one_matched) if s == 1.0 and i not in initial_rows)
            # Initials standing for words of the other name both ways ("Oluwole A." and "Abeni O.") are two people.
            crossed = len({one_initials[i] for i, _ in initials}) > 1
            for i, j in initials:
                if full_words and not crossed:
                    pairs.append(f"{one_tokens[i]}={other_tokens[j]} (initial)")
                else:  # an initial alone, beside no word matched as written, could stand for anyone
                    one_matched[i] = other_matched[j] = 0.0
        # Scored by another similarity, any pair as alike as a fold makes two words may be so only as ISO 9 typed
        # without its marks writes one, where ISO 9 so typed writes one of them otherwise (most pairs so alike are
        # typos and spelling variants, of words it writes as they are).
        if not quick and ROMAN_SIMILARITY in one_matched:
            unmarked = [
                (i, partners[i])
                for i, similarity in enumerate(one_matched)
                if similarity == ROMAN_SIMILARITY
                and (iso9_unmarked(one_tokens[i]) is not None or iso9_unmarked(other_tokens[partners[i]]) is not None)
            ]
        if unmarked:
            alone = _unmarked_alone(one, other, partners, unmarked, keyed and readings)
        if explain:
            for i, similarity in enumerate(one_matched):
                if similarity and i not in initial_rows:
                    a, partner = one_tokens[i], other_tokens[partners[i]]
                    pairs.append(f"{a}={partner}" if similarity == 1.0 else f"{a}~{partner} ({similarity:.2f})")
    # A run needs an unpaired word on one side and two on the other.
    one_free, other_free = one_matched.count(0.0), other_matched.count(0.0)
    if one_free and other_free > 1:
        pairs += _join_runs(one, other)
        one_free, other_free = one_matched.count(0.0), other_matched.count(0.0)
    if other_free and one_free > 1:
        pairs += _join_runs(other, one, reverse=True)
    return pairs, alone


def _unmarked_alone(
    one: _Side, other: _Side, partners: list[int], maybe: list[tuple[int, int]], readings: bool
) -> frozenset[tuple[int, int]]:
    """Of the pairs `maybe` (word positions), those paired that are alike only as ISO 9 typed without its marks writes
    one of their words (a lossy reading: "Asin" for "Yashin"), where fewer than UNMARKED_AGREEING words of the name so
    typed are what that system writes of their partners ("Ilya" typed so is "Ila": "Asin Ilya" is not "Yashin Ilya"
    typed so, where "Sukin Ivan" is "Shchukin Ivan"); none otherwise. `readings`: keys of several readings compared
    (keys_meet)."""
    one_matched, one_tokens, other_tokens = one.matched, one.tokens, other.tokens
    one_keys, other_keys = one.profile.keys, other.profile.keys
    # The pairs alike so, by the name typed so: True for `one`'s words, False for `other`'s.
    typed: dict[bool, list[tuple[int, int]]] = {}
    for i, j in maybe:
        if not one_matched[i] or partners[i] != j:
            continue  # not paired so
        a, b = one_tokens[i], other_tokens[j]
        if iso9_unmarked(a) is None and iso9_unmarked(b) is None:
            continue  # neither written in BGN/PCGN as ISO 9 typed without its marks writes otherwise
        # Alike another way: as written (typos, spelling variants, nicknames), by their keys, or once folded.
        if not (a.isalpha() and b.isalpha()) or _letters_similarity(a, b) >= ROMAN_SIMILARITY:
            continue
        key = one_keys[i]
        if key and (key == other_keys[j] or (readings and keys_meet(key, other_keys[j]))):
            continue
        if _folds_alike(a, b) == _FOLDS_UNMARKED:
            typed.setdefault(roman_fold(a) == iso9_unmarked(b), []).append((i, j))
    alone: list[tuple[int, int]] = []
    for one_typed, found in typed.items():
        agreeing = 0
        for i, similarity in enumerate(one_matched):
            if similarity:
                a, b = one_tokens[i], other_tokens[partners[i]]
                agreeing += roman_fold(a) == iso9_typed(b) if one_typed else roman_fold(b) == iso9_typed(a)
        if agreeing < UNMARKED_AGREEING:
            alone += found
    return frozenset(alone)


def _alike_once_folded(
    one: _Side,
    other: _Side,
    foldable: list[tuple[int, int]],
    unmarked: list[tuple[int, int]],
    written: frozenset[tuple[int, int]],
) -> list[tuple[float, int, int, int]]:
    """Of the pairs `foldable` (_pair_words: words of letters shorter than _REACH_TABLE_SIZE, less alike as written or
    by their keys than ROMAN_SIMILARITY, of lengths a fold may make alike), those their folds make ROMAN_SIMILARITY
    alike, where the pairs taken leave both words paired no more closely than that: folds are asked last, since most
    never need be. A pair a fold makes alike is taken after every pair more alike, and before less alike ones only if
    both its words are free then; a word paired more closely than a fold pairs it is taken whatever the folds say (so
    is every copy of a word both names hold as often, each paired as written). The pairs alike only as ISO 9 typed
    without its marks writes one word are added to `unmarked` too; the pairs `written` are never folded."""
    one_matched, other_matched, one_tokens, other_tokens = one.matched, other.matched, one.tokens, other.tokens
    found = []
    for i, j in foldable:
        if one_matched[i] > ROMAN_SIMILARITY or other_matched[j] > ROMAN_SIMILARITY:
            continue
        a, b = one_tokens[i], other_tokens[j]
        # (_may_fold's tests without a call: their lengths, their first letters, then their signatures.)
        lengths = _FOLD_LENGTHS[len(a)][len(b)]
        same_start = _STARTS.get(a[0]) == _STARTS.get(b[0])
        if not same_start and (lengths == _LENGTHS_START or (lengths == _LENGTHS_X and "x" not in a and "x" not in b)):
            continue
        signature = a.encode().translate(_SIGNATURE_BYTES).replace(_NOT_SIGNATURE, b"")
        other_signature = b.encode().translate(_SIGNATURE_BYTES).replace(_NOT_SIGNATURE, b"")
        if same_start and not signature.strip(other_signature) and not other_signature.strip(signature):
            readable = True
        elif (lengths == _LENGTHS_LONG or (lengths == _LENGTHS_X and ("x" in a or "x" in b))) and (
            _typo_between_folds(a, b, signature, other_signature)
        ):
            readable = False
        else:
            continue
        if (alike := _folds_alike(a, b, readable)) and not (written and (i, j) in written):
            found.append((-ROMAN_SIMILARITY, abs(i - j), i, j))
            if alike == _FOLDS_UNMARKED:
                unmarked.append((i, j))
    return found


def _join_runs(one: _Side, other: _Side, *, reverse: bool = False) -> list[str]:
    """Unpaired words of `one` that are several words of `other` joined ("Goodwill", "Good Will") or their
    initials ("PLA", "People's Liberation Army")."""
    found: list[str] = []
    tokens = other.tokens
    # The other name's unpaired words, computed again only once a run of them is paired, and the first letters of
    # those followed by another unpaired word: a run of one word is neither joined words nor an initialism.
    free: list[int] = []
    starts: set[str] | None = None
    for i, word in enumerate(one.tokens):
        if one.matched[i] or len(word) < 2 or not word.isalpha():
            continue
        if starts is None:
            free = [k for k, similarity in enumerate(other.matched) if not similarity]
            if len(free) < 2:
                break
            starts = {tokens[k][0] for k, after in pairwise(free) if after == k + 1}
        # A word keyed as Korean or Chinese syllables may start otherwise as another system writes it (Guangzong,
        # Kuang-tsung).
        key = one.profile.keys[i]
        syllables = bool(key) and key[0] != "="
        if word[0] not in starts and not syllables:
            continue
        for position, start in enumerate(free):
            # A joined word and an initialism both start with the first letter of the run's first word.
            if tokens[start][0] != word[0] and not syllables:
                continue
            words = [tokens[start]]
            for k in free[position + 1 : position + MAX_JOINED_WORDS]:
                if k != start + len(words):
                    break  # not side by side
                words.append(tokens[k])
                joined = "".join(words)
                similarity, how = 0.0, "joined"
                if len(word) == len(words) and "".join(w[0] for w in words) == word:
                    similarity, how = ACRONYM_SIMILARITY, "initials"
                elif abs(len(joined) - len(word)) <= 2:
                    similarity = token_similarity(word, joined)
                if syllables and similarity < ROMAN_SIMILARITY and _joined_keys(one, i, other, start, len(words)):
                    similarity, how = ROMAN_SIMILARITY, "joined, as another romanisation writes it"
                if similarity:
                    one.matched[i] = similarity
                    for matched in range(start, start + len(words)):
                        other.matched[matched] = similarity
                    written = " ".join(words)
                    found.append(f"{written}={word} ({how})" if reverse else f"{word}={written} ({how})")
                    break
                if len(words) >= len(word) and len(joined) > len(word) + 2:
                    break
            if one.matched[i]:
                starts = None
                break
    return found


def _joined_keys(one: _Side, i: int, other: _Side, start: int, count: int) -> bool:
    """Whether the key of word `i` of `one` is the keys of `count` words of `other` from `start`, joined (a given name
    written as one word, "Seongcheol", or in syllables, "Song Chol"); the family letter of each key is written once."""
    key = one.profile.keys[i]
    if not key or key[0] == "=":
        return False
    parts = other.profile.keys[start : start + count]
    if not all(parts):
        return False
    if READINGS_APART not in key and READINGS_APART not in parts[0]:
        # joined_key writes every letter of each part but the family letter of all but the first, and reads a
        # junction letter for letter: a key of another length or family letter is not the run's (told without it).
        if len(key) != sum(map(len, parts)) - len(parts) + 1 or key[0] != parts[0][0]:
            return False
        return key == joined_key(parts)
    # A name read both as Korean and as Chinese: the run is joined in one language's reading.
    wanted = set(key.split(READINGS_APART))
    return any(joined_key(reading) in wanted for reading in key_readings(tuple(parts)))


def score_names(
    first: NormalName,
    second: NormalName,
    weight: Weight,
    similar: Similarity = token_similarity,
    *,
    symmetric: bool = False,
    partial_names: bool = False,
    labels: tuple[str, str] = ("query", "name"),
    explain: bool = True,
) -> Scored:
    """How well `second` matches `first`, 0 to 1, and why. Directed (a query against a listed name: the query's
    words count most) unless `symmetric` (two names compared: the better covered name's words count most);
    `partial_names` (people's names) makes the extra words of a fuller form of the name cost less. Without
    `explain`, the explanation is left empty (a lookup explains only the matches it shows)."""
    # (Passed by position: a call with keywords costs more, and this is the path of every comparison of two names.)
    return score_prepared(prepare(first, weight, similar), second, symmetric, partial_names, labels, explain)


def score_prepared(
    query: Prepared,
    second: NormalName,
    symmetric: bool = False,
    partial_names: bool = False,
    labels: tuple[str, str] = ("query", "name"),
    explain: bool = True,
    *,
    organisation: bool = False,
    written: frozenset[tuple[int, int]] = frozenset(),
) -> Scored:
    """score_names for a name made ready by prepare(), which a lookup scores against each of its candidates;
    `organisation`: `second` is an organisation's name, whose lone letters are no initials of the query's words;
    `written`: pairs of words (their positions) compared as written only (_unmarked_alone)."""
    first, weight = query.norm, query.weight
    legal_conflict = bool(
        first.legal
        and second.legal
        and first.legal != second.legal
        and first.legal not in NEUTRAL_LEGAL_CLASSES
        and second.legal not in NEUTRAL_LEGAL_CLASSES
    )
    if first.key == second.key or first.compact == second.compact or first.whole == second.whole:
        if legal_conflict:
            return Scored(
                round(1.0 - CONFLICT_PENALTY, 4),
                f"same name after normalisation; legal forms differ: {first.legal}/{second.legal}",
            )
        return Scored(1.0, "same name after normalisation")
    one = _Side(query.profile)
    other = _Side(_Profile.of(second.tokens, weight))
    pairs, unmarked = _pair_words(one, other, query, explain, organisation, written)
    coverage_one, only_one, top_matched_one, _ = one.tally()
    coverage_other, only_other, _, top_missing_other = other.tally()
    misspelt = ""
    misspelt_cap = MISSPELT_CAP
    # (_misspelt's quickest tests first, without a call: one word left on each side, ending alike, and
    # MISSPELT_AGREEING words paired on either side.)
    if (
        len(only_one) == 1
        and len(only_other) == 1
        and only_one[0][-1] == only_other[0][-1]
        and len(one.tokens) - one.matched.count(0.0) >= MISSPELT_AGREEING
        and len(other.tokens) - other.matched.count(0.0) >= MISSPELT_AGREEING
        and _misspelt(one, other, only_one[0], only_other[0])
    ):
        if OSA.distance(only_one[0], only_other[0], score_cutoff=1) > 1:
            misspelt_cap = MISSPELT_FAR_CAP
        # One distinctive word misspelt where the rest of the name agrees: the pair, as alike as a misspelling is.
        misspelt = f"{only_one[0]}~{only_other[0]} (misspelt, the rest agreeing)"
        one.matched[one.tokens.index(only_one[0])] = MISSPELT_SIMILARITY
        other.matched[other.tokens.index(only_other[0])] = MISSPELT_SIMILARITY
        pairs.append(misspelt)
        coverage_one, only_one, top_matched_one, _ = one.tally()
        coverage_other, only_other, _, top_missing_other = other.tally()
    notes = []
    qualifier_note = ""
    if symmetric:
        # The better covered name leads; the other's extra words (none of them against a word of the first)
        # are a fuller form of the same name.
        if coverage_one >= coverage_other:
            main, extra, main_only, extra_only = one, other, only_one, only_other
        else:
            main, extra, main_only, extra_only = other, one, only_other, only_one
            coverage_one, coverage_other = coverage_other, coverage_one
        if partial_names and not main_only:
            coverage_other = extra.coverage(EXTRA_WORD_SHARE)
        lone_against = len(extra_only) >= LONE_WORD_AGAINST - 1 and len(extra.tokens) > 1
        if lone_against and len([t for t in main.tokens if t not in PARTICLES]) == 1:
            notes.append("one word against a longer name")
        if not partial_names and (first.legal or second.legal) and not main_only:
            qualifiers = [t for t in extra_only if weight(t) > GENERIC_WEIGHT]
            if qualifiers:
                qualifier_note = f"a qualifying word in one company's name only: {', '.join(qualifiers)}"
    share = ORGANISATION_MAIN_SHARE if symmetric and not partial_names else MAIN_COVERAGE_SHARE
    score = share * coverage_one + (1 - share) * coverage_other
    if notes:
        score = min(score, WEAK_QUERY_CAP)
    if qualifier_note:
        score *= 1 - QUALIFIER_PENALTY
        notes.append(qualifier_note)
    # Only where the words are split or joined differently: "Zhou Guangzong" is not "Zhao Guangzong".
    if len(first.words) != len(second.words):
        compact = _compact_similarity(first.compact, second.compact)
        if compact > score:
            score = compact
            notes.append(f"spelled together: {first.compact}~{second.compact} ({compact:.2f})")
    conflict = bool(only_one and only_other and top_matched_one >= 0.0 and not notes)
    if conflict:
        score *= 1 - CONFLICT_PENALTY
        if explain:
            notes.append(f"a differing part among shared ones: {'/'.join(only_one)} vs {'/'.join(only_other)}")
    if legal_conflict:
        score *= 1 - CONFLICT_PENALTY
        notes.append(f"legal forms differ: {first.legal}/{second.legal}")
    # A query of common words only that leaves out a distinctive word of the name.
    if not symmetric and 0.0 <= top_matched_one < COMMON_WORD_WEIGHT and top_missing_other >= COMMON_WORD_WEIGHT:
        score *= 1 - COMMON_ONLY_PENALTY
        notes.append("only common words in the query, and the name's distinctive ones missing")
    # The first name made only of common words caps the score; the second only where the names are compared.
    weak_first = one.profile.total_weight < QUERY_WEIGHT_FLOOR
    weak = weak_first or (symmetric and other.profile.total_weight < QUERY_WEIGHT_FLOOR)
    if weak and score > WEAK_QUERY_CAP:
        score = WEAK_QUERY_CAP
        notes.append(f"only common words in the {labels[0] if weak_first else labels[1]}")
    if misspelt and score > misspelt_cap:
        score = misspelt_cap
    if unmarked:
        # A word alike only as ISO 9 typed without its marks writes it, the rest of the name not typed so: offered at
        # most, unless the name compared without that reading scores more.
        plain = score_prepared(
            query,
            second,
            symmetric,
            partial_names,
            labels,
            explain,
            organisation=organisation,
            written=written | unmarked,
        )
        if plain.score >= UNMARKED_ALONE_CAP or plain.score >= score:
            return plain
        if score > UNMARKED_ALONE_CAP:
            score = UNMARKED_ALONE_CAP
            notes.append(
                "a word alike only as ISO 9 typed without its marks writes it, the rest of the name not typed so"
            )
    if not explain:
        return Scored(round(score, 4), "")
    parts = [", ".join(pairs) or "no word in common"]
    if only_one:
        parts.append(f"{labels[0]} words not in {labels[1]}: " + ", ".join(only_one))
    if only_other:
        parts.append(
            f"{labels[1]} words not in {labels[0]}: "
            + ", ".join([f"{t}{'*' if weight(t) <= GENERIC_WEIGHT else ''}" for t in only_other])
        )
    return Scored(round(score, 4), "; ".join(parts + notes))


def _misspelt(one: _Side, other: _Side, a: str, b: str) -> bool:
    """Whether `a` and `b`, the one word each name leaves unpaired, are one distinctive word misspelt: a few letters
    apart (one more slip than a typo may make), neither a number or code, and the rest of both names agreeing, at
    least MISSPELT_AGREEING words of it, one of them distinctive. A near miss on the only distinctive word is
    another name ("Mark Carney", "Mark Cooney"), and so is one in a short word ("Hai", "Wai")."""
    # Fewer words paired than MISSPELT_AGREEING on either side: nothing to agree (the quickest test, first).
    matched, other_matched = one.matched, other.matched
    if (
        len(matched) - matched.count(0.0) < MISSPELT_AGREEING
        or len(other_matched) - other_matched.count(0.0) < MISSPELT_AGREEING
    ):
        return False
    # A word's last letter marks another word (Ivanov, Ivanova; Constructors, Construction; Rahim, Rahman).
    if min(len(a), len(b)) < MISSPELT_MIN_LENGTH or a[-1] != b[-1] or not (a.isalpha() and b.isalpha()):
        return False
    if a in one.tokens[one.tokens.index(a) + 1 :] or b in other.tokens[other.tokens.index(b) + 1 :]:
        return False  # the word twice in a name: which one is misspelt is not known
    # One syllable of a Korean or Chinese name for another is another name (Song-su, Kyong-su).
    if one.profile.keys[one.tokens.index(a)][:1] in _SYLLABLE_KEYS or other.profile.keys[other.tokens.index(b)][:1] in (
        _SYLLABLE_KEYS
    ):
        return False
    # One slip in a short word (which a typo may not make), two in a longer one (where one is a typo already).
    reach = 1 if max(len(a), len(b)) <= MISSPELT_SHORT else 2
    if OSA.distance(a, b, score_cutoff=reach) > reach:
        return False
    for side in (one, other):
        agreeing = [
            weight
            for token, weight, similarity in zip(side.tokens, side.profile.weights, side.matched, strict=True)
            if similarity and token not in PARTICLES and not side.profile.initials[side.tokens.index(token)]
        ]
        if (
            len(agreeing) < MISSPELT_AGREEING
            or max(agreeing) < COMMON_WORD_WEIGHT
            or min(s for s in side.matched if s) < SKELETON_SIMILARITY
        ):
            return False
    return True


def _compact_similarity(a: str, b: str) -> float:
    """Names written together or apart ("GhostEmperor", "Ghost Emperor"), allowing typo-sized slips only."""
    if not (EXACT_ONLY_LENGTH < len(a) <= COMPACT_FUZZY_MAX_LENGTH and len(b) <= COMPACT_FUZZY_MAX_LENGTH):
        return 0.0
    if _digits(a) != _digits(b):
        return 0.0
    longest = max(len(a), len(b))
    allowed = allowed_edits(longest)
    distance = OSA.distance(a, b, score_cutoff=allowed)
    if distance > allowed:
        return 0.0
    similarity = 1.0 - distance / longest
    return similarity if similarity >= COMPACT_FUZZY_FLOOR else 0.0


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
