"""The name index: exact keys, a token index with rarity weights, and recall of the names a query may mean."""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Self

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.models import EXACT_NAME_TYPES, NameType
from knowledge.names.normalise import NormalName, normalise
from knowledge.names.romanise import (
    READINGS_APART,
    iso9_unmarked,
    joined_key,
    key_readings,
    name_keys,
    other_readings,
    roman_fold,
)
from knowledge.names.romanise import clear_caches as clear_romanisation_caches
from knowledge.names.scoring import (
    COMPACT_FUZZY_FLOOR,
    COMPACT_FUZZY_MAX_LENGTH,
    EXACT_ONLY_LENGTH,
    GENERIC_WEIGHT,
    ROMAN_SIMILARITY,
    SKELETON_MIN_LENGTH,
    allowed_edits,
    has_digit,
    skeleton,
    token_similarity,
    unleet,
)
from knowledge.names.tables import GENERIC_WORDS, NICKNAMES
from knowledge.slotted import fast_pickle

__all__ = [
    "ACRONYM_LENGTHS",
    "NEAR_CACHE_SIZE",
    "IndexedName",
    "NameRecall",
    "Near",
    "acronyms",
    "given_acronym",
    "in_order",
]

MIN_WEIGHT = 0.05
MAX_CANDIDATE_NAMES = 32
CANDIDATE_VOTE_SHARE = 0.5
# A token in more names than this is skipped for recall when the query has a rarer one; it still scores.
RECALL_POSTINGS_CAP = 2000
# A query of common words only ("Beijing Trading") reads at most this many names per word: it can only ever be a
# "did you mean", and reading every "trading" of a million names would make it the slowest query of all.
COMMON_ONLY_READ = 10_000
# Words whose near spellings are remembered per index: a server answers the same words again and again. Bounded,
# so that a long-running server does not grow: when full, the oldest half is forgotten.
NEAR_CACHE_SIZE = 20_000
# Acronyms looked for: 3 to 6 letters ("IRGC", "KCNA"); shorter ones name too many things, longer ones are words.
ACRONYM_LENGTHS = range(3, 7)
# A name followed by its acronym in brackets, at the end: "Islamic Revolutionary Guard Corps (IRGC)".
_GIVEN_ACRONYM = re.compile(r"^(.*\S)\s*\(\s*([A-Z][A-Z.&-]*[A-Z]\.?)\s*\)\s*$")
# Joined-or-split-word candidates kept per query.
COMPACT_CANDIDATES = 8

# The shared forms nicknames stand for ("william" for "bill"): words of these groups are indexed by their form.
_NICKNAME_TARGETS = frozenset(NICKNAMES.values())
# A query word -> the indexed words near it and how near (1.0 for itself).
Near = dict[str, dict[str, float]]


@fast_pickle
@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: str
    value: str
    type: NameType
    norm: NormalName
    # The entity's own caption or primary name: an exact hit on it outranks another entity's alias.
    preferred: bool = False
    # A person's name (else an organisation's, a vessel's, a group's): a lone letter in it may be an initial.
    person: bool = False

    @property
    def exact_only(self) -> bool:
        return self.type in EXACT_NAME_TYPES or len(self.norm.compact) <= EXACT_ONLY_LENGTH


def _by_ends() -> dict[tuple[int, str], list[str]]:
    return defaultdict(list)


@dataclass
class NameRecall:
    """All names of all entities, indexed for recall; built once, read by many requests."""

    names: list[IndexedName] = field(default_factory=list)
    _exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _compact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Vocabulary by (length, first letter) and (length, last letter): a typo rarely changes both ends of a
    # word, so a near word is found among far fewer candidates than all words of that length.
    _by_first: dict[tuple[int, str], list[str]] = field(default_factory=_by_ends)
    _by_last: dict[tuple[int, str], list[str]] = field(default_factory=_by_ends)
    # Spelling skeletons (Muhammad, Mohammed: "mhmd") and nickname groups, for variants beyond a typo's reach.
    _by_skeleton: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_nickname: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Words by romanisation key (romanise.name_keys: RI and LEE, Kuang and Guang, Ivanoff and Ivanov), and the names
    # whose Korean or Chinese given name, written in syllables, is one key joined ("Song Chol": songchol).
    _by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_joined_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _by_fold: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _weights: dict[str, float] = field(default_factory=dict)
    # Compact keys in order, for prefix completion as a user types ("isoo" -> i-Soon).
    _prefix_keys: list[str] = field(default_factory=list)
    _prefix_positions: list[int] = field(default_factory=list)
    # Short compact keys by (length, first letter) and (length, last letter), for the joined-or-split-words
    # fallback: like the typo search, only keys sharing an end with the query are compared.
    _compact_by_first: dict[tuple[int, str], list[str]] = field(default_factory=_by_ends)
    _compact_by_last: dict[tuple[int, str], list[str]] = field(default_factory=_by_ends)
    # Acronyms of organisations' names: one a list writes after the name ("Islamic Revolutionary Guard Corps
    # (IRGC)"), and the initials of a name of three words or more ("Islamic Revolutionary Guard Corps": irgc).
    _given_acronyms: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _initials: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Remembered near spellings of query words (bounded; never pickled with the index).
    _near_cache: dict[str, dict[str, float]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str, NameType, bool, bool]]):
        """Index (entity id, name, name type, is a person, is preferred) tuples; person names keep words like "Co"."""
        index = cls()
        seen: set[tuple[str, str]] = set()
        for entity, value, name_type, is_person, preferred in entries:
            norm = normalise(value, strip_legal_forms=not is_person)
            # An organisation's name is also the names it is written as (other_spellings): "Foreign Trade Bank" is
            # else three words of four of "FOREIGN TRADE BANK (FTB)", and a name holding the three in another order
            # (VTB's former BANK FOR FOREIGN TRADE) comes nearer.
            spellings = [norm] if is_person else [norm, *(normalise(other) for other in other_spellings(value))]
            for spelled in spellings:
                if not spelled.tokens or (entity, spelled.key) in seen:
                    continue
                seen.add((entity, spelled.key))
                index._add(IndexedName(entity, value, name_type, spelled, preferred, is_person))
        index._finish()
        return index

    def __getstate__(self) -> dict:
        # The names as columns, and the tables keyed by each name's whole key left out (rebuilt when loaded, in tens
        # of milliseconds): pickled as objects, each name's two argument tuples and two keys sat in the pickler's
        # memo until the index was written, which lifted a first start's peak memory.
        tables, columns = self.cache_state()
        return {**tables, "names": tuple(columns)}

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        self._restore(state, state.pop("names"))

    def cache_state(self) -> tuple[dict, Iterator[object]]:
        """The index as the knowledge cache writes it: its tables, then its names' columns one by one, each made only
        when asked for, so that each can be written (and freed) before the next is made."""
        return {k: v for k, v in self.__dict__.items() if k not in _KEY_TABLES and k != "names"}, _columns(self.names)

    @classmethod
    def from_cache_state(cls, tables: dict, columns: tuple) -> Self:
        """The index `cache_state` gave."""
        index = cls.__new__(cls)
        index._restore(tables, columns)
        return index

    def _restore(self, tables: dict, columns: tuple) -> None:
        self.__dict__.update(tables)
        self.names = _from_columns(columns, self._postings)
        self._near_cache = {}
        self._key_tables()

    def clear_caches(self) -> None:
        """Forget remembered near spellings and normalised names (the benchmark times a first query this way)."""
        self._near_cache.clear()
        normalise.cache_clear()
        clear_romanisation_caches()
        token_similarity.cache_clear()
        skeleton.cache_clear()

    def _add(self, name: IndexedName) -> None:
        position = len(self.names)
        self.names.append(name)
        if not name.person:
            given, initials = acronyms(name.value, name.norm)
            if given:
                self._given_acronyms[given].append(position)
            if initials and initials != given:
                self._initials[initials].append(position)
        if not name.exact_only:
            # Unique in the order written, not a set's order: that would vary with each process's hash seed.
            for token in dict.fromkeys(name.norm.tokens):
                self._postings[token].append(position)

    def _key_tables(self) -> None:
        """The tables keyed by each name's whole key (exact and compact look-ups, the joined-or-split-words
        fallback, prefix completion), made from the names: at the build, and when loaded from a cache."""
        exact: dict[str, list[int]] = defaultdict(list)
        compact: dict[str, list[int]] = defaultdict(list)
        for position, name in enumerate(self.names):
            exact[name.norm.key].append(position)
            if len(name.norm.compact) > EXACT_ONLY_LENGTH:
                compact[name.norm.compact].append(position)
        self._exact, self._compact = dict(exact), dict(compact)
        # Within one length, keys keep the order they came in, which breaks ties between scores.
        by_first, by_last = _by_ends(), _by_ends()
        for key in self._compact:
            if len(key) <= COMPACT_FUZZY_MAX_LENGTH:
                by_first[(len(key), key[0])].append(key)
                by_last[(len(key), key[-1])].append(key)
        self._compact_by_first, self._compact_by_last = _side_by_side(by_first, by_last)
        ordered = sorted((name.norm.compact, position) for position, name in enumerate(self.names))
        self._prefix_keys = [key for key, _ in ordered]
        self._prefix_positions = [position for _, position in ordered]

    def _finish(self) -> None:
        self._key_tables()
        self._given_acronyms, self._initials = dict(self._given_acronyms), dict(self._initials)
        self._postings = dict(self._postings)
        # Rarity counts entities, not names: four spellings of one company do not make its words common.
        total = len({name.entity for name in self.names}) + 1
        top = math.log(total / 1.5) or 1.0
        for token, positions in self._postings.items():
            entities = len({self.names[p].entity for p in positions})
            weight = max(MIN_WEIGHT, min(1.0, math.log(total / (entities + 0.5)) / top))
            if token in GENERIC_WORDS:
                weight = min(weight, GENERIC_WEIGHT)
            self._weights[token] = weight
            self._by_first[(len(token), token[0])].append(token)
            self._by_last[(len(token), token[-1])].append(token)
            if len(token) >= SKELETON_MIN_LENGTH and token.isalpha():
                self._by_skeleton[skeleton(token)].append(token)
            if len(token) > EXACT_ONLY_LENGTH and token.isalpha():
                folded = roman_fold(token)
                if folded != token:
                    self._by_fold[folded].append(token)
                # A Russian word as ISO 9 typed without its marks writes it ("Zhirov": "Zirov"): found typed so.
                unmarked = iso9_unmarked(token)
                if unmarked is not None:
                    self._by_fold[unmarked].append(token)
            if token in NICKNAMES or token in _NICKNAME_TARGETS:
                self._by_nickname[NICKNAMES.get(token, token)].append(token)
        keyed: set[tuple[str, str]] = set()
        for position, name in enumerate(self.names):
            if name.exact_only:
                continue
            tokens = name.norm.tokens
            keys = name_keys(tokens)
            for token, key in zip(tokens, keys, strict=True):
                for alternative in key.split(READINGS_APART) if key else ():
                    if (alternative, token) not in keyed:
                        keyed.add((alternative, token))
                        self._by_key[alternative].append(token)
            if keys and keys[0] and keys[0][0] != "=":
                for joined in _joined_runs(keys):
                    self._by_joined_key[joined].append(position)
        self._by_key, self._by_joined_key = dict(self._by_key), dict(self._by_joined_key)
        # Plain dicts from here on: a read of a missing key must not insert one while another thread pickles the index.
        self._by_first, self._by_last = dict(self._by_first), dict(self._by_last)
        self._by_skeleton, self._by_nickname = dict(self._by_skeleton), dict(self._by_nickname)
        self._by_fold = dict(self._by_fold)

    def holders_written_together(self, compact: str) -> set[str]:
        """The entities with a name of these letters once its words are written together ("AL HOUTHI, Abdul Malik"
        and "AL-HOUTHI ABDULMALIK": "alhouthiabdulmalik")."""
        return {self.names[p].entity for p in self._compact.get(compact, ())}

    def holders_of(self, words: Iterable[str], *, most: int = 200) -> set[str]:
        """The entities with a name holding every one of these normalised words, as written; none where a word is
        held by more than `most` names (too common to say anything)."""
        found: set[str] | None = None
        for word in words:
            positions = self._postings.get(word, [])
            if not positions or len(positions) > most:
                return set()
            entities = {self.names[p].entity for p in positions}
            found = entities if found is None else found & entities
        return found or set()

    def weight(self, token: str) -> float:
        found = self._weights.get(token)
        if found is not None:
            return found
        return GENERIC_WEIGHT if token in GENERIC_WORDS else 1.0

    # --- recall ---

    def recall(self, norm: NormalName) -> tuple[list[int], Near]:
        """The names worth scoring for `norm`, best first, and the near spellings of its words found on the way."""
        near = {token: self.near_tokens(token) for token in dict.fromkeys(norm.tokens)}
        keys = name_keys(norm.tokens)
        if any(keys):
            near = self._near_by_key(norm.tokens, keys, near)
        sizes = {t: sum(len(self._postings[v]) for v in found) for t, found in near.items()}
        has_rare = any(0 < size <= RECALL_POSTINGS_CAP for size in sizes.values())
        votes: dict[int, float] = {}
        for token, found in near.items():
            if has_rare and sizes[token] > RECALL_POSTINGS_CAP:
                continue
            # Common words read a bounded number of names between all their spellings, nearest spellings first
            # (Muhammad has dozens, each in thousands of names).
            budget = COMMON_ONLY_READ
            # One query word votes once for a name, by its best spelling there: a name that writes the word many
            # ways ("Husain Salimi; Hosain Salimi; Hussain Salimi") is not more like the query for it, and summed,
            # its votes raised the floor over "NASRALLAH, Hasan", which holds both words of "Hasan Nasrallah".
            gains: dict[int, float] = {}
            for vocab_token, similarity in sorted(found.items(), key=lambda item: -item[1]):
                gain = self.weight(vocab_token) * similarity
                postings = self._postings[vocab_token]
                if not has_rare:
                    postings = postings[:budget]
                    budget -= len(postings)
                if gains:
                    get = gains.get
                    for position in postings:
                        if get(position, 0.0) < gain:
                            gains[position] = gain
                else:  # the word's first spelling: one call rather than a loop
                    gains = dict.fromkeys(postings, gain)
                if budget <= 0:
                    break
            if votes:
                get = votes.get
                for position, gain in gains.items():
                    votes[position] = get(position, 0.0) + gain
            else:  # the first word's names all start at its gains
                votes = gains
        # A name with far fewer of the query's words than the best one cannot outscore it: not scored at all.
        floor = max(votes.values(), default=0.0) * CANDIDATE_VOTE_SHARE
        joined = self._compact_near(norm.compact)
        if keys and keys[0] and keys[0][0] != "=":
            # A Korean or Chinese given name written in syllables here and as one word there, or the other way.
            joined = [*joined, *self._joined_near(keys)]
        for position in joined:
            votes[position] = votes.get(position, 0.0) + 1.0
        return _best_candidates(votes, floor, set(joined)), near

    def _near_by_key(self, tokens: tuple[str, ...], keys: tuple[str, ...], near: Near) -> Near:
        """`near` with, for each word, the indexed words of its romanisation key (a copy: `near` is remembered)."""
        out = dict(near)
        for token, key in zip(tokens, keys, strict=True):
            if not key:
                continue
            alike = [word for alternative in key.split(READINGS_APART) for word in self._by_key.get(alternative, ())]
            if not alike:
                continue
            found = out[token]
            added = {word: ROMAN_SIMILARITY for word in alike if found.get(word, 0.0) < ROMAN_SIMILARITY}
            if added:
                out[token] = {**found, **added}
        return out

    def _joined_near(self, keys: tuple[str, ...]) -> list[int]:
        found: list[int] = []
        for key in keys:
            for alternative in key.split(READINGS_APART):
                found += self._by_joined_key.get(alternative, ())
        for joined in _joined_runs(keys):
            for word in self._by_key.get(joined, ()):
                found += self._postings.get(word, ())[:MAX_CANDIDATE_NAMES]
        return list(dict.fromkeys(found))[:MAX_CANDIDATE_NAMES]

    def near_tokens(self, token: str) -> dict[str, float]:
        """Indexed words within a typo of `token`, or spelled alike, or its nicknames, with their similarity."""
        found = self._near_cache.get(token)
        if found is None:
            found = self._find_near(token)
            if len(self._near_cache) >= NEAR_CACHE_SIZE:
                # Oldest half out (dicts keep insertion order): bounded, and the words asked lately stay.
                for old in list(self._near_cache)[: NEAR_CACHE_SIZE // 2]:
                    del self._near_cache[old]
            self._near_cache[token] = found
        return found

    def _find_near(self, token: str) -> dict[str, float]:
        found = {token: 1.0} if token in self._postings else {}
        if has_digit(token):
            # Only a letter written as a look-alike digit ("kh0r0shev") has near words; codes match exactly.
            plain = unleet(token)
            if plain == token or not plain.isalpha():
                return found
            alike = [plain, *self._within_typos(plain)]
            for vocab_token in alike:
                if vocab_token in self._postings and (similarity := token_similarity(token, vocab_token)):
                    found[vocab_token] = similarity
            return found
        # A word the index holds is taken as written: its typo neighbours are other names' words, which the scan
        # would find at a cost every query pays; a word the index lacks is likely a typo, and is searched for.
        alike = [] if token in self._postings else self._within_typos(token)
        if len(token) >= SKELETON_MIN_LENGTH:
            alike += self._by_skeleton.get(skeleton(token), ())
        if not found and len(token) > EXACT_ONLY_LENGTH:
            # Another romanisation's spelling of an indexed word (Ivanoff, Iouri, Sa'eed).
            unmarked = iso9_unmarked(token)
            for folded in (roman_fold(token), *other_readings(token), *((unmarked,) if unmarked else ())):
                alike += self._by_fold.get(folded, ())
                if folded in self._postings:
                    alike.append(folded)
        given = NICKNAMES.get(token, token)
        if given != token or token in _NICKNAME_TARGETS:
            alike += self._by_nickname.get(given, ())
            alike += self._within_typos(given) if given != token else []
        for vocab_token in alike:
            if vocab_token not in found:
                similarity = token_similarity(token, vocab_token)
                if similarity:
                    found[vocab_token] = similarity
        return found

    def _within_typos(self, token: str) -> list[str]:
        near: list[str] = []
        reach = allowed_edits(len(token) + 2)
        for length in range(max(1, len(token) - reach), len(token) + reach + 1):
            allowed = allowed_edits(max(length, len(token)))
            if allowed == 0 or abs(length - len(token)) > allowed:
                continue
            for bucket in (self._by_first.get((length, token[0])), self._by_last.get((length, token[-1]))):
                if bucket:
                    hits = process.extract(token, bucket, scorer=OSA.distance, score_cutoff=allowed, limit=None)
                    near += [vocab_token for vocab_token, _, _ in hits]
        return near

    def _compact_near(self, compact: str) -> list[int]:
        if not EXACT_ONLY_LENGTH < len(compact) <= COMPACT_FUZZY_MAX_LENGTH:
            return []
        # Keys two letters shorter to two longer (all a ratio of 0.8 can reach) sharing the query's first or last
        # letter: a joined or split word keeps its ends. Each bucket is read where it lies, never copied: at a million
        # names the buckets of a common first letter hold tens of thousands of keys.
        first, last = compact[0], compact[-1]
        hits: list[tuple[float, int, int, int, str]] = []
        for length in range(len(compact) - 2, min(len(compact) + 2, COMPACT_FUZZY_MAX_LENGTH) + 1):
            for kind, bucket in enumerate(
                (self._compact_by_first.get((length, first)), self._compact_by_last.get((length, last)))
            ):
                if not bucket:
                    continue
                for key, score, number in process.extract(
                    compact, bucket, scorer=fuzz.ratio, score_cutoff=COMPACT_FUZZY_FLOOR * 100, limit=None
                ):
                    # A key with the query's first letter was met in the first bucket already.
                    if kind == 0 or key[0] != first:
                        hits.append((-score, length, kind, number, key))
        # Best first; among equals, the key met first (by length, then as indexed), as before the buckets.
        ordered = [key for *_, key in heapq.nsmallest(COMPACT_CANDIDATES, hits)]
        digits = _digits(compact)
        return [position for key in ordered if _digits(key) == digits for position in self._compact[key]]


def given_acronym(value: str) -> tuple[str, str] | None:
    """(the name, its acronym) where a name ends with its own acronym in brackets ("... Corps (IRGC)"); else None.

    Only an acronym of the name itself: "Hive0081 (IBM)" names the vendor that calls the group so, and "IBM" must
    not find it. Its letters must be initials of the name's words, in order (words such as "of" and "the" may be
    left out: "Islamic State of Iraq and the Levant (ISIL)")."""
    written = _GIVEN_ACRONYM.match(value)
    if not written:
        return None
    key = normalise(written.group(2)).compact
    spelled = key.isalpha() and len(key) in ACRONYM_LENGTHS
    if not spelled or not in_order(key, [t[0] for t in normalise(written.group(1)).tokens]):
        return None
    return written.group(1), key


# Two names a list writes as one, apart by a slash: "NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES".
_SLASHED = re.compile(r"\s+/\s+")


def other_spellings(value: str) -> list[str]:
    """The names an organisation's listed name also is: without the acronym written after it ("FOREIGN TRADE BANK
    (FTB)": "FOREIGN TRADE BANK"), and each of two names written as one apart by a slash."""
    found = [part for part in _SLASHED.split(value) if part.strip()] if _SLASHED.search(value) else []
    found += [given[0] for written in (value, *found) if (given := given_acronym(written))]
    return found


def acronyms(value: str, norm: NormalName) -> tuple[str, str]:
    """An organisation's acronym as its list writes it, in brackets at the end of the name ("... Corps (IRGC)"),
    and the initials of its name's words (of three words or more); "" for none. Both of ACRONYM_LENGTHS letters."""
    given = ""
    written = _GIVEN_ACRONYM.match(value)
    if written:
        norm = normalise(written.group(1))
        given = (given_acronym(value) or ("", ""))[1]
    tokens = norm.tokens
    initials = "".join(token[0] for token in tokens) if len(tokens) >= 3 and norm.compact.isascii() else ""
    return given, initials if initials.isalpha() and len(initials) in ACRONYM_LENGTHS else ""


def in_order(letters: Iterable[str], initials: Iterable[str]) -> bool:
    """Whether each letter is the initial of a later word than the one before it."""
    remaining = iter(initials)
    return all(any(letter == initial for initial in remaining) for letter in letters)


# Made from the names when a pickled index is loaded (NameRecall._key_tables), and the near-spelling cache: never
# pickled.
_KEY_TABLES = frozenset(
    {"_exact", "_compact", "_compact_by_first", "_compact_by_last", "_prefix_keys", "_prefix_positions", "_near_cache"}
)
# An index's names as pickled: entity ids, values, and words (each name's joined by spaces), each column one string
# with the names apart (a tuple where a value holds that separator); name types, legal forms, whole names (None where
# it is the words joined), and whether each is preferred and a person's. One object per column, not one or more per
# name: the pickler remembers every object until the index is written, which was the most of a first start's peak.
_Column = str | tuple[str, ...]
_Columns = tuple[
    int, _Column, _Column, tuple[NameType, ...], _Column, tuple[str, ...], tuple[str | None, ...], bytes, bytes
]
_APART = "\x1e"  # the record separator, which cleaned text never holds


def _column(values: list[str]) -> _Column:
    return tuple(values) if any(_APART in value for value in values) else _APART.join(values)


def _values(column: _Column) -> list[str] | tuple[str, ...]:
    return column.split(_APART) if isinstance(column, str) else column


def _words_column(words: list[tuple[str, ...]]) -> str | tuple[tuple[str, ...], ...]:
    # Normalised words hold no space; should one ever, the words go as they are.
    if any(" " in word for each in words for word in each):
        return tuple(words)
    return _column([" ".join(each) for each in words])


def _words(column: str | tuple[tuple[str, ...], ...]) -> Iterable[tuple[str, ...]] | tuple[tuple[str, ...], ...]:
    if not isinstance(column, str):
        return column
    return (tuple(spelled.split(" ")) if spelled else () for spelled in column.split(_APART))


def _columns(names: list[IndexedName]) -> Iterator[object]:
    """The names as a few columns (`_Columns`), made one at a time; no key or compact key (each is its words
    joined)."""
    yield len(names)
    yield _column([n.entity for n in names])
    yield _column([n.value for n in names])
    yield tuple(n.type for n in names)
    yield _words_column([n.norm.words for n in names])
    yield tuple(n.norm.legal for n in names)
    yield tuple(None if n.norm.whole == n.norm.compact else n.norm.whole for n in names)
    yield bytes(n.preferred for n in names)
    yield bytes(n.person for n in names)


# How many columns `_columns` makes.
NAME_COLUMNS = 9


def _from_columns(columns: _Columns, tokens: Iterable[str]) -> list[IndexedName]:
    # NormalName.of makes every normalised name (normalise, and its pickles), so it makes each again from the same
    # words, legal form and whole name. Each word is the one string the index's tables hold (`tokens`), as it was.
    count, entities, values, kinds, words, legals, wholes, preferred, person = columns
    if count == 0:
        return []
    same: dict[str, str] = {token: token for token in tokens}
    ids: dict[str, str] = {}
    restore, normal = IndexedName._from_pickle, NormalName.of  # type: ignore[attr-defined]
    names = [
        restore(
            ids.setdefault(entity, entity),
            value,
            kind,
            normal(tuple(same.setdefault(word, word) for word in spelled), legal, whole or ""),
            bool(one_preferred),
            bool(one_person),
        )
        for entity, value, kind, spelled, legal, whole, one_preferred, one_person in zip(
            _values(entities), _values(values), kinds, _words(words), legals, wholes, preferred, person, strict=True
        )
    ]
    if len(names) != count:
        raise ValueError(f"the index holds {len(names)} names where {count} were written")
    return names


def _side_by_side(
    by_first: dict[tuple[int, str], list[str]], by_last: dict[tuple[int, str], list[str]]
) -> tuple[dict[tuple[int, str], list[str]], dict[tuple[int, str], list[str]]]:
    """The two bucketings of the same keys, each key copied once, bucket after bucket, so that the keys one scan
    reads lie side by side in memory: a key made when its name was normalised lies among that name's other
    objects, and at a million names reading a bucket of such keys cost 4 to 5 times as much (cache misses).
    Order within each bucket is kept; it breaks ties. Costs one short string per key (about 64 bytes)."""
    copies: dict[str, str] = {}
    for bucket in sorted(by_first):
        for key in by_first[bucket]:
            copies[key] = (key + " ")[:-1]  # a new string object; slicing a whole string would return itself
    return (
        {bucket: [copies[key] for key in by_first[bucket]] for bucket in sorted(by_first)},
        {bucket: [copies[key] for key in keys] for bucket, keys in by_last.items()},
    )


def _best_candidates(votes: dict[int, float], floor: float, kept: set[int]) -> list[int]:
    """The MAX_CANDIDATE_NAMES names with the most votes, less those under `floor` that are not `kept`. Ties go to
    the name indexed first, so every process and replica keeps the same candidates."""

    def order(item: tuple[int, float]) -> tuple[float, int]:
        return -item[1], item[0]

    # Names at or over the floor outrank every name under it, and only they are kept, unless a kept name under
    # the floor is among the best: then all are ranked. Most of a query's votes go to names under the floor.
    over = [item for item in votes.items() if item[1] >= floor]
    if len(over) >= MAX_CANDIDATE_NAMES or all(votes[position] >= floor for position in kept):
        return [position for position, _ in heapq.nsmallest(MAX_CANDIDATE_NAMES, over, key=order)]
    ranked = heapq.nsmallest(MAX_CANDIDATE_NAMES, votes.items(), key=order)
    return [position for position, vote in ranked if vote >= floor or position in kept]


def _joined_runs(keys: tuple[str, ...]) -> list[str]:
    """The keys of two or three side-by-side syllable words joined, the family letter once ("ksong", "kchol":
    "ksongchol")."""
    runs = []
    for reading in key_readings(keys):
        for start in range(len(reading) - 1):
            for end in range(start + 2, min(start + 3, len(reading)) + 1):
                parts = reading[start:end]
                if all(parts):
                    runs.append(joined_key(parts))
    return runs


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
