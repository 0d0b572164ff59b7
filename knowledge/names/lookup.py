"""Who a name means: exact keys first, then recalled candidates scored and ranked, found, ambiguous or not found."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from knowledge.models import EXACT_NAME_TYPES, NameType
from knowledge.names.index import ACRONYM_LENGTHS, COMMON_ONLY_READ, IndexedName, NameRecall, Near
from knowledge.names.normalise import NormalName, normalise, normalise_unremembered
from knowledge.names.romanise import iso9_reading, script_reading
from knowledge.names.scoring import (
    EXACT_ONLY_LENGTH,
    Prepared,
    prepare,
    score_names,
    score_prepared,
    token_similarity,
)
from knowledge.names.tables import GENERIC_WORDS, PARTICLES

__all__ = [
    "AMBIGUITY_MARGIN",
    "EXACT_ONLY_LENGTH",
    "GENERIC_WORDS",
    "LEGAL_FORM_ASIDE_SCORE",
    "MATCH_THRESHOLD",
    "SUGGEST_THRESHOLD",
    "WEAK_NAME_SCORE",
    "Comparison",
    "IndexedName",
    "LookupResult",
    "LookupStatus",
    "Match",
    "NameIndex",
]

# Names others track an entity by, not its own: a catalogue's synonym, a name of overlapping activity.
_TRACKING = frozenset({NameType.VENDOR, NameType.OVERLAP})
# An exact hit on an alias scores just under one on an entity's own name, so that the latter wins a tie.
EXACT_ALIAS_SCORE = 0.99
# A name that is the query only once its legal form is set aside ("MSD DMCC" for "M.S.D."), where another entity
# holds the query as a whole name: offered after that entity, never before.
LEGAL_FORM_ASIDE_SCORE = 0.98
_ASIDE = "same name once its legal form is set aside; another entity holds the whole name typed"
# A score at or above this is a confident answer; between SUGGEST and MATCH it is a "did you mean".
MATCH_THRESHOLD = 0.80
SUGGEST_THRESHOLD = 0.50
# A one-word query that is only the initials of a listed name: offered, below MATCH_THRESHOLD, never picked.
INITIALS_SCORE = 0.75
# Two different entities scoring within this of each other are a "which one?", never a silent pick.
AMBIGUITY_MARGIN = 0.04
# Names of this many letters at most are found as written only, never by a near spelling.
SHORT_NAME_LETTERS = 4
# A weak alias (OFAC's "low quality" ones: "John", "George") typed exactly: offered, below MATCH_THRESHOLD, never
# picked; lists give them to help a human reviewer, and alone they say nothing of who is meant.
WEAK_NAME_SCORE = 0.75
# Words that say nothing of who is meant when one name has them and another not ("al", "van"); "bin" and "bint" say
# whose son or daughter, and count.
_PARENTAGE = frozenset({"bin", "bint"})
_LOOSE_PARTICLES = PARTICLES - _PARENTAGE


class LookupStatus(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


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


@dataclass(slots=True)
class Comparison:
    """How alike two names are (`briefbot match`), and why. Never changed once made; not a frozen class, whose
    __init__ sets each field through object.__setattr__ (a fortieth of comparing two short names)."""

    score: float
    match: bool
    explanation: str


class NameIndex(NameRecall):
    """All names of all entities, indexed for lookup; built once, read by many requests."""

    # --- lookup ---

    def lookup(self, query: str, *, limit: int = 5, read_script: bool = True) -> LookupResult:
        """Who `query` names: found (one confident match), ambiguous (several), or not_found with suggestions. A
        person's name in Hangul or Chinese characters is also read as its standard romanisation writes it, and one in
        ISO 9's marked letters as BGN/PCGN writes it."""
        reading = (script_reading(query) or iso9_reading(query)) if read_script else None
        if reading is not None:
            return self._read_in_script(query, reading, limit)
        norm = normalise(query)
        if not norm.tokens:
            return LookupResult(query, LookupStatus.NOT_FOUND)
        return self._with_turned(self._as_written(query, norm, limit), norm, limit)

    def _as_written(self, query: str, norm: NormalName, limit: int) -> LookupResult:
        """The lookup of the query's words as typed."""
        found = self._exact_matches(norm)
        # A weak alias typed exactly is offered as a near spelling would be, never taken for the answer.
        weak = [hit.match for hit in found if hit.match.name_type is NameType.WEAK]
        strong = [hit for hit in found if hit.match.name_type is not NameType.WEAK]
        acronym = self._acronym_matches(norm, {hit.match.entity for hit in strong}, limit)
        whole = [hit for hit in strong if hit.whole]
        if whole:
            return self._whole_name(query, norm, whole, [hit.match for hit in strong if not hit.whole], acronym, limit)
        # From here, names the query is only once legal forms are set aside ("MSD" of "MSD DMCC"), if any.
        exact = [hit.match for hit in strong]
        if exact and acronym:
            # The query is one entity's own name word for word: that entity, the acronym's meanings after it.
            # Otherwise, an alias or another name's acronym: "which one?", the best first.
            own = {self.names[p].entity for p in self._exact.get(norm.key, ()) if self.names[p].preferred}
            if len(own) == 1:
                mine = next(m for m in exact if m.entity in own)
                others = (*(m for m in exact if m is not mine), *acronym)
                return LookupResult(query, LookupStatus.FOUND, (mine, *others)[:limit])
            both = sorted((*exact, *acronym), key=lambda m: (-m.score, m.name))
            return LookupResult(query, LookupStatus.AMBIGUOUS, tuple(both[: max(limit, len(exact))]))
        if exact:
            # The query, word for word, is one entity's own name: that entity. An alias typed word for word that
            # several entities hold is "which one?". Otherwise the one entity it is the own name of wins, and a tie
            # is "which one?".
            by_words = [self.names[p] for p in self._exact.get(norm.key, ())]
            own = {name.entity for name in by_words if name.preferred}
            if len(own) == 1:
                mine = next(m for m in exact if m.entity in own)
                return LookupResult(query, LookupStatus.FOUND, (mine, *(m for m in exact if m is not mine))[:limit])
            leaders = [m for m in exact if m.score == exact[0].score]
            shared_alias = not own and by_words and len(exact) > 1
            # One word that is only an alias here ("NICOLAS", a trafficker's a.k.a.) but part of other entities'
            # own names ("MADURO MOROS, Nicolas"): which one, those named so offered after it.
            owners = self._own_names_holding(norm, {m.entity for m in exact}) if not own else []
            status = (
                LookupStatus.FOUND if len(leaders) == 1 and not shared_alias and not owners else LookupStatus.AMBIGUOUS
            )
            found = exact[:limit] if status is LookupStatus.FOUND else [*exact, *owners[:MAX_HOLDERS_ADDED]]
            return LookupResult(query, status, tuple(found))
        fuzzy = self._fuzzy_matches(norm, limit)
        scored = fuzzy.matches
        if acronym or weak:
            # An acronym is one more candidate, weighed as a near spelling is ("PSB" is also in PSB Lizing OOO). Each
            # entity by its best: a weak alias typed exactly never hides the entity's own name near-spelt ("Musa
            # Hilal", OFAC's weak "Musa Hilal" and its own "HILAL, Musa").
            # A tie goes to the name typed exactly, a weak alias before an acronym's initials.
            best: dict[str, Match] = {}
            for match in (*scored, *acronym, *weak):
                if match.entity not in best or match.score >= best[match.entity].score:
                    best[match.entity] = match
            scored = sorted(best.values(), key=lambda m: (-m.score, m.name))
        suggestions = tuple(m for m in scored if m.score >= SUGGEST_THRESHOLD)[:limit]
        # A near-spelling of an alias several entities hold ("i-Son" for "isoon") gives the choice; of an entity's
        # own name, it is that entity, as the name typed exactly would be.
        # A near spelling as close to one entity's own name ("salt typhon": Salt Typhoon) as to another's alias (MISP's
        # GhostEmperor lists "Salt Typhoon" as a synonym) is the own name's, decided below.
        best_is_alias = (
            bool(suggestions)
            and suggestions[0].score >= MATCH_THRESHOLD
            and not suggestions[0].preferred
            and not any(m.preferred and m.score >= suggestions[0].score for m in suggestions)
        )
        sharing = self._sharing(suggestions[0]) if best_is_alias else []
        if sharing:
            # The name matched is one several entities hold: each is a candidate, as an exact hit would give.
            suggestions = (
                suggestions[0],
                *sharing,
                *(m for m in suggestions[1:] if m.entity not in {s.entity for s in sharing}),
            )[: max(limit, 1 + len(sharing))]
            return LookupResult(query, LookupStatus.AMBIGUOUS, fuzzy.offering(suggestions, limit))
        if not suggestions or suggestions[0].score < MATCH_THRESHOLD:
            return LookupResult(query, LookupStatus.NOT_FOUND, suggestions)
        close = [m for m in suggestions if m.score >= max(MATCH_THRESHOLD, suggestions[0].score - AMBIGUITY_MARGIN)]
        own = [m for m in close if m.preferred]
        if len(close) > 1 and len(own) == 1:
            # Close scores, but only one is a near-spelling of the entity's own name rather than another's alias.
            suggestions = (own[0], *(m for m in suggestions if m is not own[0]))
        elif len(close) > 1:
            return LookupResult(query, LookupStatus.AMBIGUOUS, fuzzy.offering(suggestions, limit))
        if self._contradicting(fuzzy, suggestions[0]):
            # A near spelling ("Petion" for "Putin") or a part of a longer name ("Felix B. Maduro S.A." for "Maduro")
            # is no confident answer while another entity's name holds every word typed ("PUTIN, Vladimir
            # Vladimirovich", "MADURO MOROS, Nicolas"): which one, each offered.
            return LookupResult(query, LookupStatus.AMBIGUOUS, fuzzy.offering(suggestions, limit))
        if (in_order := _given_names_in_order(norm, suggestions)) is not None:
            # The given names typed in the order of another close name's, not of the best one's: father and son share
            # them in turn ("Ibrahim Sabawi al-Tikriti" is the UN's IBRAHIM SABAWI IBRAHIM HASAN AL-TIKRITI, born 1983,
            # not his father "AL-TIKRITI, Sab'awi Ibrahim Hassan", which scored more): which one, that one first.
            ordered = (in_order, *(m for m in suggestions if m is not in_order))
            return LookupResult(query, LookupStatus.AMBIGUOUS, fuzzy.offering(ordered, limit))
        if len(normalise(suggestions[0].name).compact) <= SHORT_NAME_LETTERS:
            # A near spelling of a name this short is another word ("Tesla" is one letter from OFAC's alias "TESA" of
            # IRAN CENTRIFUGE TECHNOLOGY COMPANY): offered, never a confident answer.
            return LookupResult(query, LookupStatus.NOT_FOUND, suggestions)
        if suggestions[0].entity in fuzzy.fatherless:
            # "Mohammed bin Salman" says whose son he is; "SALMAN, Muhammad" does not, and Salman there may be
            # anyone's surname: offered, never a confident answer.
            status = LookupStatus.AMBIGUOUS if len(suggestions) > 1 else LookupStatus.NOT_FOUND
            return LookupResult(query, status, suggestions)
        return LookupResult(query, LookupStatus.FOUND, suggestions)

    def _contradicting(self, fuzzy: _Fuzzy, chosen: Match) -> bool:
        """Whether another entity's name holds the words typed as well as `chosen` does; an alias holding them
        only as well as an entity's own name ("Salt Typhoon", a synonym in MISP's GhostEmperor) does not."""
        mine = fuzzy.best_covers.get(chosen.entity, ())
        return any(
            not chosen.preferred or self.names[cover.position].preferred or cover.words != mine
            for cover in fuzzy.rivals(chosen)
        )

    def _read_in_script(self, query: str, reading: str, limit: int) -> LookupResult:
        """A name in Hangul or Han: as written where that is found (the lists' own names in the script), else as its
        romanisation reads it ("김정은": "Gim Jeongeun")."""
        written = self.lookup(query, limit=limit, read_script=False)
        if written.status is LookupStatus.FOUND:
            return written
        read = self.lookup(reading, limit=limit, read_script=False)
        if read.status is LookupStatus.NOT_FOUND and not read.matches:
            return written
        matches = tuple(replace(m, explanation=f"read as “{reading}”: {m.explanation}") for m in read.matches)
        return LookupResult(query, read.status, matches)

    def _own_names_holding(self, norm: NormalName, skip: set[str]) -> list[Match]:
        """For a one-word query: other entities whose own name holds the word as written, best known first."""
        if len(norm.tokens) != 1:
            return []
        found: dict[str, Match] = {}
        for position in self._postings.get(norm.tokens[0], ())[:COMMON_ONLY_READ]:
            name = self.names[position]
            if name.preferred and name.entity not in skip and name.entity not in found:
                found[name.entity] = Match(
                    name.entity,
                    name.value,
                    name.type,
                    "part of its name",
                    INITIALS_SCORE,
                    f"“{norm.tokens[0]}” is a word of this entity's own name",
                    True,
                )
        return sorted(found.values(), key=lambda m: m.name)

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

    def _whole_name(
        self,
        query: str,
        norm: NormalName,
        whole: list[_Exact],
        aside: list[Match],
        acronym: list[Match],
        limit: int,
    ) -> LookupResult:
        """The query is a whole listed name, own name or alias, of `whole`: that entity, or "which one?" between all
        that hold it. Before any near match: a name equal only once its legal form is set aside (`aside`: "MSD
        DMCC" for the alias "M.S.D."), an acronym's initials, a name holding the word among others."""
        # An acronym the list writes after a name ("... Corps (IRGC)") is a listed name too; initials are not.
        given = [m for m in acronym if m.score >= EXACT_ALIAS_SCORE]
        near = [m for m in acronym if m.score < EXACT_ALIAS_SCORE]
        holders = sorted((*(hit.match for hit in whole), *given), key=lambda m: (-m.score, m.name))
        # Written word for word (an acronym the list writes is): "i-Soon" is i-Soon's own name so, and only written
        # together ("isoon") a catalogue's alias of two clusters.
        word_for_word = {hit.match.entity for hit in whole if hit.word_for_word} | {m.entity for m in given}
        aside = [
            Match(m.entity, m.name, m.name_type, m.how, min(m.score, LEGAL_FORM_ASIDE_SCORE), _ASIDE, m.preferred)
            for m in aside
        ]
        others = [*aside, *near]
        if len(holders) == 1 and len(whole) == 1 and whole[0].lone_word_of_person:
            # One word that is only a person's alias here ("NICOLAS", a trafficker's a.k.a.), as a given name is,
            # but part of other entities' own names ("MADURO MOROS, Nicolas"): which one, those named so after it.
            owners = self._own_names_holding(norm, {m.entity for m in (*holders, *others)})
            if owners:
                return LookupResult(query, LookupStatus.AMBIGUOUS, (*holders, *others, *owners[:MAX_HOLDERS_ADDED]))
        if len(holders) == 1:
            if aside and (not word_for_word or whole[0].acronym_aside):
                # The one holder's name is the words only written together or apart ("SBER BANK", an alias of
                # BPS-SBERBANK, Belarus, for "Sberbank"), or only once the acronym after it is set aside ("Institute
                # of Applied Physics (IAP)", Iran); others are the words exactly once a legal form is set aside (JOINT
                # STOCK COMPANY SBERBANK; JSC "INSTITUTE OF APPLIED PHYSICS", Russia): as likely meant, so which one.
                return LookupResult(query, LookupStatus.AMBIGUOUS, (*holders, *others)[:limit])
            return LookupResult(query, LookupStatus.FOUND, (*holders, *others)[:limit])
        if word_for_word:
            # One entity holds the name word for word, the others only written together or apart: it, where the
            # name is its own or none of theirs ("isoon" is an alias as typed, and i-Soon's own name, joined).
            lead = [m for m in holders if m.entity in word_for_word]
            sure = len(lead) == 1 and (lead[0].preferred or not any(m.preferred for m in holders))
        else:
            # None holds it word for word ("i so on"): the one entity whose own name it is, joined.
            lead = [m for m in holders if m.preferred]
            sure = len(lead) == 1
        own = [m for m in holders if m.preferred]
        if not sure and len(own) == 1 and all(m.name_type in _TRACKING for m in holders if m is not own[0]):
            # One entity's own name, the others' only as a catalogue's synonym ("Salt Typhoon", a synonym in MISP's
            # GhostEmperor) or a name of overlapping activity: the entity it is the own name of, the others after.
            lead, sure = own, True
        if sure:
            rest = [m for m in holders if m is not lead[0]]
            return LookupResult(query, LookupStatus.FOUND, (lead[0], *rest, *others)[:limit])
        # Every entity holding the name is offered, however many: the one meant may be any of them.
        return LookupResult(query, LookupStatus.AMBIGUOUS, (*holders, *others)[: max(limit, len(holders))])

    def _exact_matches(self, norm: NormalName) -> list[_Exact]:
        """One hit per entity holding `norm` as a name, word for word or written together: its best such name (a
        whole name before one equal only once legal forms are set aside; an own name, an alias, a weak alias)."""
        positions = {*self._exact.get(norm.key, ()), *self._compact.get(norm.compact, ())}
        best: dict[str, tuple[tuple[bool, bool, bool, int], _Exact]] = {}
        for position in sorted(positions):
            name = self.names[position]
            rank = 0 if name.preferred else 2 if name.type is NameType.WEAK else 1
            # The whole listed name, every word as written, legal forms too ("M.S.D."), not only the words before a
            # legal form ("MSD DMCC"), nor the same words with another legal form written ("JSC ..." for "PJSC ...").
            whole = name.norm.whole == norm.whole
            word_for_word = name.norm.key == norm.key
            # The spelling the index adds without the acronym a list writes after the name ("FOREIGN TRADE BANK" of
            # "FOREIGN TRADE BANK (FTB)"): its own spelling differs from the name's.
            acronym_aside = not name.person and name.norm.key != normalise(name.value).key
            order = (rank == 2, not whole, not word_for_word, rank, acronym_aside)
            if name.entity not in best or order < best[name.entity][0]:
                # The name type says whether it is an alias; the score says whose own name it is.
                score = (1.0, EXACT_ALIAS_SCORE, WEAK_NAME_SCORE)[rank]
                explanation = "same name after normalisation"
                if rank == 2:
                    explanation += "; a weak alias (the list's own word: low quality), offered, never picked alone"
                match = Match(name.entity, name.value, name.type, "exact", score, explanation, rank == 0)
                lone = name.person and rank == 1 and len(name.norm.tokens) == 1
                best[name.entity] = (order, _Exact(match, whole, word_for_word, lone, acronym_aside))
        return sorted((hit for _, hit in best.values()), key=lambda hit: (-hit.match.score, hit.match.name))

    def _fathered(self, query: Prepared, entities: set[str], parentage: set[str]) -> set[str]:
        """Those of `entities` with another name that says whose son or daughter, as the query does, and matches it so
        (OFAC's AL-KAWARI, 'Abd al-Latif Bin 'Abdallah, whose best name for the query lacks "bin"); not one that says
        it the other way round ("Mohamad Rafi bin Udin" for "Udin bin Rafi"). One pass over the names holding the
        words, for all of them."""
        return {
            self.names[p].entity
            for word in parentage
            for p in self._postings.get(word, ())
            if self.names[p].entity in entities
            and score_prepared(query, self.names[p].norm, explain=False).score >= MATCH_THRESHOLD
        }

    def _with_turned(self, result: LookupResult, norm: NormalName, limit: int) -> LookupResult:
        """`result`, with the persons whose name is the query's words with the family name at the other end
        (_turned_names) as candidates too: a name typed either way may be either ("Abu Turab": the UN's alias of
        HIDAYATULLAH and OFAC's "TURAB, Abu" of two other men). They only widen a choice: a confident answer another
        of them holds becomes "which one?"; nothing found becomes the one holder, where there is one; in a choice they
        stand by their score, before near spellings."""
        turned = self._turned_names(norm, "," in result.query)
        if not turned:
            return result
        holders = {m.entity for m in turned}
        if result.status is LookupStatus.FOUND:
            chosen = result.matches[0]
            if holders <= {chosen.entity}:
                return result
            rivals = [m for m in turned if m.entity != chosen.entity]
            others = [m for m in result.matches[1:] if m.entity not in holders]
            return LookupResult(result.query, LookupStatus.AMBIGUOUS, (chosen, *rivals, *others))
        if result.status is LookupStatus.NOT_FOUND:
            # A holder the lookup offered only weakly is that holder, by its name turned around.
            status = LookupStatus.FOUND if len(turned) == 1 else LookupStatus.AMBIGUOUS
            rest = [m for m in result.matches if m.entity not in holders]
            return LookupResult(result.query, status, (*turned, *rest)[: max(limit, len(turned))])
        shown = {m.entity for m in result.matches}
        added = [m for m in turned if m.entity not in shown]
        if not added:
            return result
        # Sorted stably: the name as typed first among equals.
        matches = sorted((*result.matches, *added), key=lambda m: -m.score)
        return LookupResult(result.query, LookupStatus.AMBIGUOUS, tuple(matches[: max(limit, len(added))]))

    def _turned_names(self, norm: NormalName, comma: bool = False) -> list[Match]:
        """A match per person whose name is the query's words turned around at one place, each side's order kept, as
        lists write a family name first or last ("TURAB, Abu" at OFAC, "Abu Turab" at the UN; OFSI's "NGOMA Willy"):
        "Mohammed bin Salman" is OFAC's "BIN SALMAN, Mohammed", never "Salman bin Mohammed" (his father). Its own name
        before an alias; never a weak alias ("low quality": offered only when typed as written)."""
        tokens = norm.tokens
        # A query ending with a particle ("Omar bin", "Mohammed Abu") is not a name turned around: the particle
        # belongs to the word after it, and there is none; unless typed as OFAC writes a name, family name first and
        # a comma after it ("Turab, Abu": `comma`).
        if not 2 <= len(tokens) <= MAX_TURNED_WORDS or norm.key != " ".join(tokens):
            return []
        if tokens[-1] in PARTICLES and not comma:
            return []
        best: dict[str, Match] = {}
        for cut in range(1, len(tokens)):
            for position in self._exact.get(" ".join((*tokens[cut:], *tokens[:cut])), ()):
                name = self.names[position]
                if not name.person or name.type is NameType.WEAK:
                    continue
                score = 1.0 if name.preferred else EXACT_ALIAS_SCORE
                if name.entity not in best or score > best[name.entity].score:
                    best[name.entity] = Match(
                        name.entity, name.value, name.type, "exact", score, _TURNED, name.preferred
                    )
        return sorted(best.values(), key=lambda m: (-m.score, m.name))

    def _acronym_matches(self, norm: NormalName, skip: set[str], limit: int) -> list[Match]:
        """Entities a one-word query names by acronym, best first: one a list writes after the entity's own name
        (as good as that name), or after an alias; else the initials of one of its names (ACRONYM_SIMILARITY)."""
        key = norm.compact
        # The query is the acronym alone: one word, no legal form or title beside it ("PSB OOO" is a company).
        if len(norm.tokens) != 1 or norm.whole != key or len(key) not in ACRONYM_LENGTHS or not key.isalpha():
            return []
        best: dict[str, Match] = {}
        for given, table in ((True, self._given_acronyms), (False, self._initials)):
            for position in table.get(key, ()):
                name = self.names[position]
                if name.entity in skip:
                    continue
                if given:
                    score = 1.0 if name.preferred else EXACT_ALIAS_SCORE
                    explanation = f"{key.upper()} is the acronym the list writes after this name"
                else:
                    # Initials alone are a suggestion, never a confident answer: "CIA" is the initials of a
                    # Colombian company on OFAC's list, and that is not what someone typing it means.
                    score = INITIALS_SCORE
                    explanation = f"{key.upper()} is the initials of this name"
                if name.entity not in best or score > best[name.entity].score:
                    best[name.entity] = Match(
                        name.entity, name.value, name.type, "acronym", score, explanation, given and name.preferred
                    )
        return sorted(best.values(), key=lambda m: (-m.score, m.name))[:limit]

    def _fuzzy_matches(self, norm: NormalName, limit: int) -> _Fuzzy:
        """The `limit` best entities for `norm`, best first, each by its best scoring name, explained; and what
        else scoring the recalled names showed (see _Fuzzy)."""
        best: dict[str, tuple[float, int]] = {}
        covering: dict[str, tuple[float, int]] = {}
        covers: dict[int, tuple[float, ...]] = {}
        whole: set[str] = set()
        words = tuple(dict.fromkeys(t for t in norm.tokens if t not in _LOOSE_PARTICLES))
        positions, near = self.recall(norm)
        # The query's words weighed once, and their similarities to candidates' words remembered across candidates.
        query = prepare(norm, self.weight, _known_similarity(near, self._postings))
        for position in positions:
            name = self.names[position]
            if name.type in EXACT_NAME_TYPES:
                continue  # a weak alias or an acronym matches only typed exactly (its compact key recalls it too)
            score = score_prepared(query, name.norm, explain=False, organisation=not name.person).score
            current = best.get(name.entity)
            if current is None or score > current[0]:
                best[name.entity] = (score, position)
            # How well the name holds each word typed: itself (1.0), a near spelling of it, or not at all (0.0).
            tokens = set(name.norm.tokens) - _LOOSE_PARTICLES
            cover = covers[position] = tuple(
                1.0 if word in tokens else max((near.get(word, {}).get(t, 0.0) for t in tokens), default=0.0)
                for word in words
            )
            if score >= SUGGEST_THRESHOLD and all(cover):
                held = covering.get(name.entity)
                if held is None or score > held[0]:
                    covering[name.entity] = (score, position)
                if tokens == set(words):
                    whole.add(name.entity)

        def order(item: tuple[float, int]) -> tuple[float, str]:
            return -item[0], self.names[item[1]].value

        ranked = [position for _, position in sorted(best.values(), key=order)[:limit]]
        parentage = set(words) & _PARENTAGE
        unsaid = {
            self.names[position].entity
            for position in ranked
            if parentage and parentage.isdisjoint(self.names[position].norm.tokens)
        }
        fatherless = unsaid - self._fathered(query, unsaid, parentage) if unsaid else set()
        explained: dict[int, Match] = {}

        def explain(position: int) -> Match:
            if position not in explained:
                name = self.names[position]
                scored = score_prepared(query, name.norm, organisation=not name.person)
                explained[position] = Match(
                    name.entity, name.value, name.type, "fuzzy", scored.score, scored.explanation, name.preferred
                )
            return explained[position]

        coverers = [
            _Cover(self.names[position].entity, position, covers[position])
            for _, position in sorted(covering.values(), key=order)
        ]
        best_covers = {entity: covers[position] for entity, (_, position) in best.items()}
        return _Fuzzy([explain(position) for position in ranked], coverers, best_covers, whole, fatherless, explain)

    def near(self, query: str, *, limit: int = 5) -> tuple[Match, ...]:
        """The entities whose names are near the query, best first, whether or not one holds it exactly (a lookup
        of a name held exactly gives those holding it): a screening looks past an exact hit that no longer stands.
        The query as written: no reading of another script, no names turned, as `lookup` tries."""
        norm = normalise(query)
        if not norm.tokens:
            return ()
        return tuple(m for m in self._fuzzy_matches(norm, limit).matches if m.score >= SUGGEST_THRESHOLD)

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
        scored = score_names(typed, listed, self.weight)
        return Comparison(scored.score, scored.score >= MATCH_THRESHOLD, scored.explanation)

    def compare(self, a: str, b: str, *, person: bool = False) -> Comparison:
        """Score two names against each other with the lookup's own scorer (for `briefbot match`)."""
        if a.isascii() and b.isascii():
            return self._compare(a, b, person)
        compared = self._compare(*_read_scripts(a, b), person)
        # A name in ISO 9's marked letters also as BGN/PCGN writes it; the better reading counts, since the same
        # letters are Czech, Croatian or Latvian ones too ("Čapek" is "Capek" as written).
        read_a, read_b = iso9_reading(a), iso9_reading(b)
        if read_a is None and read_b is None:
            return compared
        read = self._compare(*_read_scripts(read_a or a, read_b or b), person)
        return read if read.score > compared.score else compared

    def _compare(self, a: str, b: str, person: bool) -> Comparison:
        # An organisation's names normalised as a lookup normalises its query; neither remembered (two names compared
        # once gain nothing from the cache, and pay for its key and its entry).
        first = normalise_unremembered(a, strip_legal_forms=not person)
        second = normalise_unremembered(b, strip_legal_forms=not person)
        if not first.tokens or not second.tokens:
            return Comparison(0.0, False, "one of the names has no letters or digits to compare")
        # Symmetric: the pair scores the same whichever name comes first (the explanation names them in order).
        scored = score_names(first, second, self.weight, symmetric=True, partial_names=person, labels=_COMPARED)
        return Comparison(scored.score, scored.score >= MATCH_THRESHOLD, scored.explanation)


# How compare's explanations name the two names.
_COMPARED = ("first", "second")


def _read_scripts(a: str, b: str) -> tuple[str, str]:
    """A person's name in Hangul or Han against one in Latin letters: as its romanisation reads it."""
    if a.isascii() == b.isascii():
        return a, b
    return (a if a.isascii() else script_reading(a) or a), (b if b.isascii() else script_reading(b) or b)


# How much less than the best a name whose given names are in the order typed may score to be offered before it.
ORDER_MARGIN = 0.06


def _given_names(value: str) -> list[str]:
    """A person's given names in their order, the family name left out: the words after the comma of "SURNAME, Given
    Father", else all but the last word; particles aside."""
    _, comma, given = value.partition(",")
    words = normalise(given if comma else value, strip_legal_forms=False).tokens
    return [w for w in (words if comma else words[:-1]) if w not in PARTICLES]


def _crossed(typed: tuple[str, ...], value: str) -> bool | None:
    """Whether two or more given names of a name are typed in another order than its own (None: fewer typed)."""
    given = _given_names(value)
    shared = [w for w in dict.fromkeys(typed) if w in given]
    if len(shared) < 2:
        return None
    positions = [given.index(w) for w in shared]
    return positions != sorted(positions)


def _given_names_in_order(norm: NormalName, suggestions: tuple[Match, ...]) -> Match | None:
    """A close name holding the typed given names in their order where the best one holds them crossed; else None."""
    if not suggestions or _crossed(norm.tokens, suggestions[0].name) is not True:
        return None
    floor = suggestions[0].score - ORDER_MARGIN
    return next(
        (m for m in suggestions[1:] if m.score >= floor and _crossed(norm.tokens, m.name) is False),
        None,
    )


def _known_similarity(near: Near, vocabulary: dict[str, list[int]]) -> Callable[[str, str], float]:
    """Word similarity from what recall found: every indexed word near a query word the index lacks (a likely
    typo) is in `near` already; a query word the index holds was not searched for typos, so its pairs are
    computed here, for the few candidate names only."""

    def similar(query_word: str, name_word: str) -> float:
        found = near.get(query_word)
        if found is not None and name_word in found:
            return found[name_word]
        if found is None or name_word not in vocabulary:
            return token_similarity(query_word, name_word)
        if query_word not in vocabulary:
            return 0.0
        # Only where the typo search would have looked: a length within two letters, a first or last letter kept.
        if abs(len(query_word) - len(name_word)) > 2 or (
            query_word[0] != name_word[0] and query_word[-1] != name_word[-1]
        ):
            return 0.0
        return token_similarity(query_word, name_word)

    return similar


# At most this many holders of every word typed are added to a "which one?" beyond its usual length.
MAX_HOLDERS_ADDED = 5
# A name of more words than this is not turned around (see _turned_names): lists write such names one way.
MAX_TURNED_WORDS = 6
_TURNED = "the same words with the family name at the other end, as another list writes it"


@dataclass(frozen=True, slots=True)
class _Exact:
    """An entity holding the query as a name: the match; whether the name is whole, legal form and all, as typed
    (else equal only once legal forms are set aside); whether word for word (else only written together or apart:
    "isoon", "i-Soon"); whether it is one word, a person's alias ("NICOLAS"); whether the name is the query only once
    the acronym the list writes after it is set aside ("Institute of Applied Physics (IAP)")."""

    match: Match
    whole: bool
    word_for_word: bool
    lone_word_of_person: bool
    acronym_aside: bool = False


@dataclass(frozen=True, slots=True)
class _Cover:
    """A recalled name holding every word typed, each as written or as a near spelling, and how well (1.0: itself)."""

    entity: str
    position: int
    words: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _Fuzzy:
    """What scoring a query's recalled names found: the best matches, explained; the names holding every word typed
    (loose particles aside), best first, one per entity; how well each entity's best name holds each word; the
    entities with a name of exactly the words typed; and those whose best name lacks the "bin" or "bint" typed."""

    matches: list[Match]
    coverers: list[_Cover]
    best_covers: dict[str, tuple[float, ...]]
    whole: set[str]
    fatherless: set[str]
    explain: Callable[[int], Match]

    def rivals(self, chosen: Match) -> list[_Cover]:
        """Other entities' names holding every word typed at least as well as `chosen` holds it, where `chosen`
        is a near spelling ("Petion" for "Putin") or a part of a longer name ("Felix B. Maduro S.A." for
        "Maduro"); none where it is exactly the words typed, or matched another way (an acronym, a weak alias)."""
        if chosen.how != "fuzzy" or chosen.entity in self.whole:
            return []
        mine = self.best_covers.get(chosen.entity, ())
        found = [
            cover
            for cover in self.coverers
            if cover.entity != chosen.entity and all(map(operator.ge, cover.words, mine))
        ]
        # The names holding the words as typed first, then near spellings; by score within each (sorted is stable).
        return sorted(found, key=lambda cover: -sum(cover.words))

    def offering(self, suggestions: tuple[Match, ...], limit: int) -> tuple[Match, ...]:
        """A "which one?": the suggestions, then each name holding every word typed as well as the best one
        does, not among them yet (explained only once needed: most queries never ask)."""
        shown = {m.entity for m in suggestions}
        rivals = self.rivals(suggestions[0]) if suggestions else []
        added: list[Match] = []
        for cover in rivals:
            if len(added) >= MAX_HOLDERS_ADDED:
                break
            if cover.entity not in shown:
                added.append(self.explain(cover.position))
        # The names holding every word exactly as typed come first, the near spelling that brought them after:
        # someone who typed "Putin" means a Putin before the vessel PETION, whatever the scores. (A typo typed,
        # "Vladimr Putin", is held by no name as written: the order stays the scores'.)
        holders = {cover.entity for cover in rivals if min(cover.words, default=0.0) >= 1.0}
        if suggestions and min(self.best_covers.get(suggestions[0].entity, ()), default=0.0) >= 1.0:
            holders.add(suggestions[0].entity)  # the best holds them as typed too: it keeps its place
        offered = (*suggestions[: max(limit, len(suggestions))], *added)
        return (*(m for m in offered if m.entity in holders), *(m for m in offered if m.entity not in holders))
