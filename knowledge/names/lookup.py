"""Fuzzy name lookup: recall through exact keys and a token index, then explainable weighted scoring."""

from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.models import NameType
from knowledge.names.normalise import NormalName, normalise
from knowledge.slotted import fast_pickle

__all__ = [
    "AMBIGUITY_MARGIN",
    "MATCH_THRESHOLD",
    "SUGGEST_THRESHOLD",
    "Comparison",
    "LookupResult",
    "LookupStatus",
    "Match",
    "NameIndex",
]

# An exact hit on an alias scores just under one on an entity's own name, so that the latter wins a tie.
EXACT_ALIAS_SCORE = 0.99
# A score at or above this is a confident answer; between SUGGEST and MATCH it is a "did you mean".
MATCH_THRESHOLD = 0.80
SUGGEST_THRESHOLD = 0.50
# Two different entities scoring within this of each other are a "which one?", never a silent pick.
AMBIGUITY_MARGIN = 0.04
# Words that thousands of listed names share say little about which entity is meant.
GENERIC_WEIGHT = 0.25
MIN_WEIGHT = 0.05
# A word in one name and not in the other is evidence of a different entity, however common the word:
# "Integrity Solutions Group" is not "Integrity Technology Group".
UNMATCHED_WEIGHT_FLOOR = 0.5
# A query made only of generic words ("Beijing Technology") may suggest, never answer confidently.
QUERY_WEIGHT_FLOOR = 0.6
WEAK_QUERY_CAP = 0.7
# Names this short after normalisation (OFAC's "HUA", "MSS") match only as whole exact names.
EXACT_ONLY_LENGTH = 3
# The compact form (no spaces) catches "GhostEmperor" against "Ghost Emperor"; only for short names, where a
# split or joined word is a likely typo rather than a different name.
COMPACT_FUZZY_MAX_LENGTH = 14
COMPACT_FUZZY_FLOOR = 0.8
MAX_CANDIDATE_NAMES = 32
# A token in more names than this is skipped for recall when the query has a rarer one; it still scores.
RECALL_POSTINGS_CAP = 2000
# A query of common words only ("Beijing Trading") reads at most this many names per word: it can only ever be a
# "did you mean", and reading every "trading" of a million names would make it the slowest query of all.
COMMON_ONLY_READ = 10_000
# How much of the score comes from covering the query's words, and how much from covering the name's.
QUERY_COVERAGE_SHARE = 0.7

GENERIC_WORDS = frozenset(
    """
    technology information network science group international trading trade holding holdings industry
    industrial industries services service development investment investments import export enterprise
    enterprises global new general national company bank commercial management logistics shipping energy
    security systems system solutions software digital data cyber electronic electronics engineering
    research institute center centre bureau office department ministry state
    beijing shanghai shenzhen guangzhou wuhan chengdu tianjin hangzhou sichuan hubei guangdong china chinese
    hong kong moscow russia russian iran tehran dubai
    信息 技术 科技 网络 集团 公司 北京 上海 四川 深圳 广州 武汉 中国
    """.split()
)


class LookupStatus(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@fast_pickle
@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: str
    value: str
    type: NameType
    norm: NormalName
    # The entity's own caption or primary name: an exact hit on it outranks another entity's alias.
    preferred: bool = False

    @property
    def exact_only(self) -> bool:
        return self.type is NameType.WEAK or len(self.norm.compact) <= EXACT_ONLY_LENGTH


@dataclass(frozen=True, slots=True)
class Match:
    """One entity a query may mean: the name that matched, how, and why it scored as it did."""

    entity: str
    name: str
    name_type: NameType
    how: str
    score: float
    explanation: str
    preferred: bool = False

    def describe(self) -> str:
        return f'"{self.name}" ({self.name_type.value}), {self.how} {self.score:.2f}: {self.explanation}'


@dataclass(frozen=True, slots=True)
class LookupResult:
    query: str
    status: LookupStatus
    matches: tuple[Match, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    match: bool
    explanation: str


@dataclass(slots=True)
class _Scored:
    score: float
    explanation: str


def _allowed_edits(longest: int) -> int:
    # Short words (ZHAO vs ZHOU) are different names when one letter differs; longer ones tolerate typos.
    if longest <= 4:
        return 0
    return 1 if longest <= 8 else 2


def _has_digit(token: str) -> bool:
    # Tokens are letters and digits only (normalisation removed the rest): not all letters means a digit.
    return not token.isalpha()


@lru_cache(maxsize=262_144)
def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    # Codes differ by one character and are still different names: APT31 is not APT41.
    if _has_digit(a) or _has_digit(b):
        return 0.0
    longest = max(len(a), len(b))
    allowed = _allowed_edits(longest)
    if allowed == 0:
        return 0.0
    # Optimal string alignment: a swap of two neighbouring letters (NESHTA for NESHAT) is one slip, not two.
    distance = OSA.distance(a, b, score_cutoff=allowed)
    return 1.0 - distance / longest if distance <= allowed else 0.0


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@dataclass
class NameIndex:
    """All names of all entities, indexed for lookup; built once, read by many requests."""

    names: list[IndexedName] = field(default_factory=list)
    _exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _compact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Vocabulary by (length, first letter) and (length, last letter): a typo rarely changes both ends of a
    # word, so a near word is found among far fewer candidates than all words of that length.
    _by_first: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_last: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    _weights: dict[str, float] = field(default_factory=dict)
    # Compact keys in order, for prefix completion as a user types ("isoo" -> i-Soon).
    _prefix_keys: list[str] = field(default_factory=list)
    _prefix_positions: list[int] = field(default_factory=list)
    # Short compact keys ordered by length, and where each length starts, for the joined-or-split-words fallback:
    # the keys within two letters of a query's length are one slice, not a list assembled for every query.
    _compact_short: list[str] = field(default_factory=list)
    _compact_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str, NameType, bool, bool]]) -> NameIndex:
        """Index (entity id, name, name type, is a person, is preferred) tuples; person names keep words like "Co"."""
        index = cls()
        seen: set[tuple[str, str]] = set()
        for entity, value, name_type, is_person, preferred in entries:
            norm = normalise(value, strip_legal_forms=not is_person)
            if not norm.tokens or (entity, norm.key) in seen:
                continue
            seen.add((entity, norm.key))
            index._add(IndexedName(entity, value, name_type, norm, preferred))
        index._finish()
        return index

    def _add(self, name: IndexedName) -> None:
        position = len(self.names)
        self.names.append(name)
        self._exact[name.norm.key].append(position)
        if len(name.norm.compact) > EXACT_ONLY_LENGTH:
            self._compact[name.norm.compact].append(position)
        if not name.exact_only:
            # Unique in the order written, not a set's order: that would vary with each process's hash seed.
            for token in dict.fromkeys(name.norm.tokens):
                self._postings[token].append(position)

    def _finish(self) -> None:
        self._exact = dict(self._exact)
        self._compact = dict(self._compact)
        # A stable sort: within one length, keys keep the order they came in, which breaks ties between scores.
        self._compact_short = sorted((k for k in self._compact if len(k) <= COMPACT_FUZZY_MAX_LENGTH), key=len)
        lengths = [len(key) for key in self._compact_short]
        self._compact_starts = [bisect.bisect_left(lengths, n) for n in range(COMPACT_FUZZY_MAX_LENGTH + 2)]
        self._postings = dict(self._postings)
        # Rarity counts entities, not names: four spellings of one company do not make its words common.
        total = len({name.entity for name in self.names}) + 1
        top = math.log(total / 1.5) or 1.0
        ordered = sorted((name.norm.compact, position) for position, name in enumerate(self.names))
        self._prefix_keys = [key for key, _ in ordered]
        self._prefix_positions = [position for _, position in ordered]
        for token, positions in self._postings.items():
            entities = len({self.names[p].entity for p in positions})
            weight = max(MIN_WEIGHT, min(1.0, math.log(total / (entities + 0.5)) / top))
            if token in GENERIC_WORDS:
                weight = min(weight, GENERIC_WEIGHT)
            self._weights[token] = weight
            self._by_first[(len(token), token[0])].append(token)
            self._by_last[(len(token), token[-1])].append(token)
        # Plain dicts from here on: a read of a missing key must not insert one while another thread pickles the index.
        self._by_first, self._by_last = dict(self._by_first), dict(self._by_last)

    def weight(self, token: str) -> float:
        if token in self._weights:
            return self._weights[token]
        return GENERIC_WEIGHT if token in GENERIC_WORDS else 1.0

    # --- lookup ---

    def lookup(self, query: str, *, limit: int = 5) -> LookupResult:
        """Who `query` names: found (one confident match), ambiguous (several), or not_found with suggestions."""
        norm = normalise(query)
        if not norm.tokens:
            return LookupResult(query, LookupStatus.NOT_FOUND)
        exact = self._exact_matches(norm)
        if exact:
            # The query, word for word, is one entity's own name: that entity. An alias typed word for word that
            # several entities hold ("isoon": two clusters' alias, and i-Soon spelled together) is "which one?".
            # Otherwise the one entity it is the own name of wins, and a tie is "which one?".
            by_words = [self.names[p] for p in self._exact.get(norm.key, ())]
            own = {name.entity for name in by_words if name.preferred}
            if len(own) == 1:
                mine = next(m for m in exact if m.entity in own)
                return LookupResult(query, LookupStatus.FOUND, (mine, *(m for m in exact if m is not mine))[:limit])
            leaders = [m for m in exact if m.score == exact[0].score]
            shared_alias = not own and by_words and len(exact) > 1
            status = LookupStatus.FOUND if len(leaders) == 1 and not shared_alias else LookupStatus.AMBIGUOUS
            return LookupResult(query, status, tuple(exact[:limit] if status is LookupStatus.FOUND else exact))
        scored = self._fuzzy_matches(norm)
        suggestions = tuple(m for m in scored if m.score >= SUGGEST_THRESHOLD)[:limit]
        # A near-spelling of an alias several entities hold ("i-Son" for "isoon") gives the choice; of an entity's
        # own name, it is that entity, as the name typed exactly would be.
        best_is_alias = bool(suggestions) and suggestions[0].score >= MATCH_THRESHOLD and not suggestions[0].preferred
        sharing = self._sharing(suggestions[0]) if best_is_alias else []
        if sharing:
            # The name matched is one several entities hold: each is a candidate, as an exact hit would give.
            suggestions = (
                suggestions[0],
                *sharing,
                *(m for m in suggestions[1:] if m.entity not in {s.entity for s in sharing}),
            )[: max(limit, 1 + len(sharing))]
            return LookupResult(query, LookupStatus.AMBIGUOUS, suggestions)
        if not suggestions or suggestions[0].score < MATCH_THRESHOLD:
            return LookupResult(query, LookupStatus.NOT_FOUND, suggestions)
        close = [m for m in suggestions if m.score >= max(MATCH_THRESHOLD, suggestions[0].score - AMBIGUITY_MARGIN)]
        own = [m for m in close if m.preferred]
        if len(close) > 1 and len(own) == 1:
            # Close scores, but only one is a near-spelling of the entity's own name rather than another's alias.
            suggestions = (own[0], *(m for m in suggestions if m is not own[0]))
            return LookupResult(query, LookupStatus.FOUND, suggestions)
        status = LookupStatus.FOUND if len(close) == 1 else LookupStatus.AMBIGUOUS
        return LookupResult(query, status, suggestions)

    def _sharing(self, match: Match) -> list[Match]:
        """Other entities holding the very name `match` matched on, at its score."""
        norm = normalise(match.name)
        positions = {*self._exact.get(norm.key, ()), *self._compact.get(norm.compact, ())}
        found: dict[str, Match] = {}
        for position in sorted(positions):
            name = self.names[position]
            if name.entity != match.entity and name.entity not in found:
                found[name.entity] = Match(
                    name.entity, name.value, name.type, match.how, match.score, match.explanation, name.preferred
                )
        return sorted(found.values(), key=lambda m: (not m.preferred, m.name))

    def _exact_matches(self, norm: NormalName) -> list[Match]:
        positions = {*self._exact.get(norm.key, ()), *self._compact.get(norm.compact, ())}
        best: dict[str, tuple[int, Match]] = {}
        for position in sorted(positions):
            name = self.names[position]
            rank = 0 if name.preferred else 1
            if name.entity not in best or rank < best[name.entity][0]:
                # The name type says whether it is an alias; the score says whose own name it is.
                score = 1.0 if rank == 0 else EXACT_ALIAS_SCORE
                explanation = "same name after normalisation"
                best[name.entity] = (
                    rank,
                    Match(name.entity, name.value, name.type, "exact", score, explanation, rank == 0),
                )
        return sorted((m for _, m in best.values()), key=lambda m: (-m.score, m.name))

    def _fuzzy_matches(self, norm: NormalName) -> list[Match]:
        best: dict[str, Match] = {}
        for position in self._recall(norm):
            name = self.names[position]
            scored = self._score(norm, name.norm)
            current = best.get(name.entity)
            if current is None or scored.score > current.score:
                best[name.entity] = Match(
                    name.entity, name.value, name.type, "fuzzy", scored.score, scored.explanation, name.preferred
                )
        return sorted(best.values(), key=lambda m: (-m.score, m.name))

    def _recall(self, norm: NormalName) -> list[int]:
        near = {token: self._near_tokens(token) for token in dict.fromkeys(norm.tokens)}
        sizes = {t: sum(len(self._postings[v]) for v, _ in found) for t, found in near.items()}
        has_rare = any(0 < size <= RECALL_POSTINGS_CAP for size in sizes.values())
        votes: dict[int, float] = defaultdict(float)
        for token, found in near.items():
            if has_rare and sizes[token] > RECALL_POSTINGS_CAP:
                continue
            for vocab_token, similarity in found:
                gain = self.weight(vocab_token) * similarity
                postings = self._postings[vocab_token]
                for position in postings if has_rare else postings[:COMMON_ONLY_READ]:
                    votes[position] += gain
        for position in self._compact_near(norm.compact):
            votes[position] += 1.0
        # Ties go to the name indexed first, so every process and replica keeps the same candidates.
        ranked = heapq.nsmallest(MAX_CANDIDATE_NAMES, votes.items(), key=lambda item: (-item[1], item[0]))
        return [position for position, _ in ranked]

    def _near_tokens(self, token: str) -> list[tuple[str, float]]:
        found = [(token, 1.0)] if token in self._postings else []
        if _has_digit(token):
            return found
        reach = _allowed_edits(len(token) + 2)
        seen = {token}
        for length in range(max(1, len(token) - reach), len(token) + reach + 1):
            allowed = _allowed_edits(max(length, len(token)))
            if allowed == 0 or abs(length - len(token)) > allowed:
                continue
            for bucket in (self._by_first.get((length, token[0])), self._by_last.get((length, token[-1]))):
                if not bucket:
                    continue
                for vocab_token, _, _ in process.extract(
                    token, bucket, scorer=OSA.distance, score_cutoff=allowed, limit=None
                ):
                    if vocab_token not in seen:
                        seen.add(vocab_token)
                        similarity = _token_similarity(token, vocab_token)
                        if similarity:
                            found.append((vocab_token, similarity))
        return found

    def _compact_near(self, compact: str) -> list[int]:
        if not EXACT_ONLY_LENGTH < len(compact) <= COMPACT_FUZZY_MAX_LENGTH:
            return []
        # Keys two letters shorter to two longer: all a ratio of 0.8 can reach.
        start = self._compact_starts[len(compact) - 2]
        end = self._compact_starts[min(len(compact) + 3, COMPACT_FUZZY_MAX_LENGTH + 1)]
        keys = self._compact_short[start:end]
        hits = process.extract(compact, keys, scorer=fuzz.ratio, score_cutoff=COMPACT_FUZZY_FLOOR * 100, limit=8)
        return [position for key, _, _ in hits if _digits(key) == _digits(compact) for position in self._compact[key]]

    # --- scoring ---

    def _score(self, query: NormalName, name: NormalName) -> _Scored:
        if query.key == name.key or query.compact == name.compact:
            return _Scored(1.0, "same name after normalisation")
        pairs: list[str] = []
        unmatched: list[str] = []
        query_weight = query_hit = 0.0
        name_best: dict[str, float] = dict.fromkeys(name.tokens, 0.0)
        for token in query.tokens:
            similarity, partner = max(((_token_similarity(token, n), n) for n in name.tokens), default=(0.0, ""))
            weight = self.weight(token) if similarity else max(self.weight(token), UNMATCHED_WEIGHT_FLOOR)
            query_weight += weight
            query_hit += weight * similarity
            if similarity:
                name_best[partner] = max(name_best[partner], similarity)
                pairs.append(f"{token}={partner}" if similarity == 1.0 else f"{token}~{partner} ({similarity:.2f})")
            else:
                unmatched.append(token)
        name_weight = sum(
            self.weight(t) if name_best[t] else max(self.weight(t), UNMATCHED_WEIGHT_FLOOR) for t in name.tokens
        )
        name_hit = sum(self.weight(t) * s for t, s in name_best.items())
        coverage_query = query_hit / query_weight if query_weight else 0.0
        coverage_name = name_hit / name_weight if name_weight else 0.0
        score = QUERY_COVERAGE_SHARE * coverage_query + (1 - QUERY_COVERAGE_SHARE) * coverage_name
        notes = []
        # Only where the words are split or joined differently: "Zhou Guangzong" is not "Zhao Guangzong".
        compact = 0.0 if len(query.words) == len(name.words) else self._compact_similarity(query.compact, name.compact)
        if compact > score:
            score = compact
            notes.append(f"spelled together: {query.compact}~{name.compact} ({compact:.2f})")
        if sum(self.weight(t) for t in query.tokens) < QUERY_WEIGHT_FLOOR and score > WEAK_QUERY_CAP:
            score = WEAK_QUERY_CAP
            notes.append("only common words in the query")
        missing = [t for t, s in name_best.items() if not s]
        parts = [", ".join(pairs) or "no word in common"]
        if unmatched:
            parts.append("query words not in name: " + ", ".join(unmatched))
        if missing:
            parts.append(
                "name words not in query: "
                + ", ".join(f"{t}{'*' if self.weight(t) <= GENERIC_WEIGHT else ''}" for t in missing)
            )
        return _Scored(round(score, 4), "; ".join(parts + notes))

    @staticmethod
    def _compact_similarity(a: str, b: str) -> float:
        """Names written together or apart ("GhostEmperor", "Ghost Emperor"), allowing typo-sized slips only."""
        if not (EXACT_ONLY_LENGTH < len(a) <= COMPACT_FUZZY_MAX_LENGTH and len(b) <= COMPACT_FUZZY_MAX_LENGTH):
            return 0.0
        if _digits(a) != _digits(b):
            return 0.0
        longest = max(len(a), len(b))
        allowed = _allowed_edits(longest)
        distance = OSA.distance(a, b, score_cutoff=allowed)
        if distance > allowed:
            return 0.0
        similarity = 1.0 - distance / longest
        return similarity if similarity >= COMPACT_FUZZY_FLOOR else 0.0

    def complete(self, typed: str, *, limit: int = 25) -> list[Match]:
        """Entities for a half-typed name: names starting with it first, then fuzzy matches; one per entity."""
        norm = normalise(typed)
        found: dict[str, Match] = {}
        if norm.compact:
            start = bisect.bisect_left(self._prefix_keys, norm.compact)
            for index in range(start, len(self._prefix_keys)):
                if len(found) >= limit or not self._prefix_keys[index].startswith(norm.compact):
                    break
                name = self.names[self._prefix_positions[index]]
                score = len(norm.compact) / max(len(name.norm.compact), 1)
                found.setdefault(
                    name.entity,
                    Match(name.entity, name.value, name.type, "prefix", score, "starts with it", name.preferred),
                )
            if len(found) < limit:
                for match in self.lookup(typed, limit=limit).matches:
                    found.setdefault(match.entity, match)
        return list(found.values())[:limit]

    def query_matches(self, query: str, name: str) -> Comparison:
        """Whether `name` is what `query` would find, scored as a lookup scores it (for digest watch terms)."""
        typed, listed = normalise(query), normalise(name)
        if not typed.tokens or not listed.tokens:
            return Comparison(0.0, False, "no letters or digits to compare")
        scored = self._score(typed, listed)
        return Comparison(scored.score, scored.score >= MATCH_THRESHOLD, scored.explanation)

    def compare(self, a: str, b: str, *, person: bool = False) -> Comparison:
        """Score two names against each other with the lookup's own scorer (for `briefbot match`)."""
        first = normalise(a, strip_legal_forms=not person)
        second = normalise(b, strip_legal_forms=not person)
        if not first.tokens or not second.tokens:
            return Comparison(0.0, False, "one of the names has no letters or digits to compare")
        one = self._score(first, second)
        other = self._score(second, first)
        # Symmetric: the pair scores the same whichever name comes first.
        scored = one if one.score <= other.score else other
        return Comparison(scored.score, scored.score >= MATCH_THRESHOLD, scored.explanation)
