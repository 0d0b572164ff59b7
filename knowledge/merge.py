"""Joins curated entries and list records into one card per real-world entity, on strong evidence only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import NamedTuple, TypeVar

from rapidfuzz.distance import OSA

from knowledge.curated import CuratedData
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.identifiers import (
    BIRTH_DATE,
    IMO,
    NATIONAL_ID,
    PASSPORT,
    PLACE_OF_BIRTH,
    ROUGH_BIRTH_DATE,
    SEPARATOR,
    STRONG_LABELS,
    SWIFT,
    TAX_ID,
    dates_agree,
    split_values,
    strong_values,
)
from knowledge.lists.records import ListedName, ListedRecord
from knowledge.models import (
    Entity,
    EntityKind,
    Name,
    NameType,
    Predicate,
    RecordRef,
    Relation,
    Sanction,
    Source,
)
from knowledge.name_twins import NameForm, name_form, near_pairs, same_word
from knowledge.names.index import other_spellings
from knowledge.names.lookup import EXACT_ONLY_LENGTH
from knowledge.names.normalise import normalise
from knowledge.slotted import trusted

__all__ = ["SHARED_DOCUMENT", "Evidence", "LoadedList", "Merged", "merge", "regime_for_programme"]

log = logging.getLogger(__name__)
K = TypeVar("K")

# Lists on which one real-world entity has one record: two records of one of these never share a card.
SANCTIONS_LISTS = frozenset(
    {"ofac-sdn", "ofac-cons", "uk-sanctions-list", "uk-conlist", "un-sc", "eu-fsf", "opensanctions"}
)
_ATTACK_LISTS = frozenset({"mitre-attack", "mitre-attack-mobile", "mitre-attack-ics"})
# ATT&CK gives each group one id: APT38 (G0082) is not Lazarus Group (G0032), whatever synonyms a catalogue shares.
# (The CSL is not here: it lists one party once on each of its lists, the Entity List and the MEU List.)
_ONE_RECORD_EACH = SANCTIONS_LISTS | _ATTACK_LISTS
# The OFAC lists, whose designations the CSL repeats: where both are loaded, the card cites OFAC's own list.
_OFAC_LISTS = frozenset({"ofac-sdn", "ofac-cons"})
_ONE_GROUP_ROWS = frozenset({"uk-sanctions-list"})
# A card is never a person and an organisation, vessel or aircraft at once (OFSI's row for a man can give the UN
# reference of the group he leads). Lists disagree on the rest (a ship listed as an "Entity"), and a threat actor
# can be a handle or a group.
_PERSON_OR_NOT = {
    "person": "person",
    "organisation": "organisation",
    "vessel": "organisation",
    "aircraft": "organisation",
}
_KIND_FAMILY = {
    EntityKind.COMPANY: "organisation",
    EntityKind.ORGANISATION: "organisation",
    EntityKind.GOVERNMENT_BODY: "organisation",
    EntityKind.THREAT_ACTOR: "actor",
    EntityKind.OPERATION: "actor",
}
_NO_JOIN_NAMES = frozenset({NameType.WEAK, NameType.ACRONYM, NameType.OVERLAP})
# Curated identifiers and the cross-reference tokens records carry for the same ids.
_CURATED_IDS = {
    "OFAC ent_num": "ofac",
    "UK Unique ID": "uk-id",
    "OFSI Group ID": "ofsi-group",
    "UN reference number": "un",
    "EU reference number": "eu",
    "ATT&CK ID": "attack",
}


def regime_for_programme(authority: str, programme: str) -> str:
    """The regime key of a programme tag: OFAC's CYBER, CYBER2, CYBER3 and CYBER4 are all US-CYB."""
    if authority == "US-OFAC":
        return "US-CYB" if programme.upper().startswith("CYBER") else f"US-{programme.upper()}"
    if authority == "EU":
        return f"EU-{programme.upper()}"
    return programme


@dataclass(frozen=True, slots=True)
class LoadedList:
    """A list as the store has it: the source to cite, the records in use, and those delisted since."""

    source: Source
    list_name: str
    records: list[ListedRecord]
    # Records gone from the list: as last seen, the date they went, and whether that date is the publisher's.
    delisted: list[tuple[ListedRecord, dt.date, bool]] = field(default_factory=list)
    # Record id -> the as-of date of the oldest stored snapshot holding it, and whether it is the publisher's date.
    first_seen: dict[str, tuple[dt.date, bool]] = field(default_factory=dict)
    # Delisted record id -> the publisher's date of the last snapshot that still held it.
    last_held: dict[str, dt.date] = field(default_factory=dict)


@dataclass
class Merged:
    sources: dict[str, Source]
    entities: dict[str, Entity]
    sanctions: list[Sanction]
    relations: list[Relation]
    # Every join made, with its kind of evidence: what the merge report counts and audits.
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two records share a card: which records, what kind of evidence, and the words the card shows."""

    first: str
    second: str
    kind: str
    text: str


# Kinds of evidence, as the merge report counts them.
CROSS_REFERENCE = "cross-reference"
ONE_HOLDER_IDENTIFIER = "an identifier only one bank or ship holds"
SAME_NAME_CATALOGUE = "same name (catalogue or curated entry)"
SAME_NAME_THEME = "same name and same sanctions theme, each record the only holder of the name on its list"
NEAR_NAME_IDENTIFIER = "near-identical names and a shared identifier"
SHARED_DOCUMENT = "a person's passport or national id and date of birth, and a word of the name"
NEAR_NAME_UNIQUE = "near-identical names, each record the only holder of the name on its list"
SHORTER_NAME_BIRTH = "a person's name less some words and one full date of birth, each the only such record"


class _Groups:
    """Union-find over nodes ("curated:<id>" or "<list>:<record id>") that refuses joins the evidence forbids."""

    def __init__(
        self,
        members: dict[str, tuple[str, EntityKind, str | None]],
        strong: dict[str, dict[str, set[str]]],
        born_in: dict[str, tuple[tuple[str, ...], ...]],
    ):
        self.parent = {node: node for node in members}
        # A group of one is a tuple (a fifth of a set's size: most records join nothing); a join makes a set.
        self.members: dict[str, tuple[str] | set[str]] = {node: (node,) for node in members}
        self.info = members
        self.strong = {node: {label: set(v) for label, v in values.items()} for node, values in strong.items()}
        # Each record's own values (never changed): what a join's text says the two records it names both give.
        self.own = strong
        # Each group's records' places of birth, a tuple for each record that gives one.
        self.born_in = dict(born_in)
        self.evidence: list[Evidence] = []
        # Pairs of records that may be one subject, left apart: (node, other, why they may be one, why not joined,
        # whether they are probably one).
        self.near_misses: list[tuple[str, str, str, str, bool]] = []

    def find(self, node: str) -> str:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def conflict(
        self,
        a: str,
        b: str,
        *,
        same_list: frozenset[str] = frozenset(),
        by_name: bool = False,
        unattested: bool = False,
    ) -> str | None:
        """Why the groups of a and b cannot be one entity: both hold a record of one list (other than those in
        `same_list`, where the evidence says the list gives one entity several records), they are different kinds
        of thing, or an identifier differs. `by_name`: the join's evidence is a name and at most a date of birth, so
        places of birth in different countries also keep them apart; `unattested`: no identifier agrees, so different
        tax ids do too."""
        root_a, root_b = self.find(a), self.find(b)
        lists_a = {self.info[n][0] for n in self.members[root_a]}
        lists_b = {self.info[n][0] for n in self.members[root_b]}
        for name in lists_a & lists_b:
            if (name == "curated" or name in _ONE_RECORD_EACH) and name not in same_list:
                return f"{_HOLD_ONE} a {name} record"
        kinds_a = {_PERSON_OR_NOT.get(_family(self.info[n][1])) for n in self.members[root_a]} - {None}
        kinds_b = {_PERSON_OR_NOT.get(_family(self.info[n][1])) for n in self.members[root_b]} - {None}
        if kinds_a and kinds_b and kinds_a != kinds_b:
            return "a person and an organisation"
        first, second = self.strong.get(root_a, {}), self.strong.get(root_b, {})
        if (
            BIRTH_DATE in first
            and BIRTH_DATE in second
            and not dates_agree(first[BIRTH_DATE], second[BIRTH_DATE])
            # (Unless one gives as approximate a year the other states: "1961; circa 1962" is not against "1962".)
            and not _rough_shared(first, second)
        ):
            return f"{_DATES_APART} ({_values(first[BIRTH_DATE])}; {_values(second[BIRTH_DATE])})"
        if IMO in first and IMO in second and not first[IMO] & second[IMO]:
            return f"IMO numbers differ ({_values(first[IMO])}; {_values(second[IMO])})"
        taxed = TAX_ID in first and TAX_ID in second
        if unattested and taxed and "person" not in kinds_a and not first[TAX_ID] & second[TAX_ID]:
            # A company has one tax number where it is registered: OFAC's OAO RASSVET (4710004180, Luga) is not its
            # LLC RASSVET (7727461014, Moscow), whatever their names once legal forms are set aside. (Where another
            # identifier agrees, a second number is another country's: the join stands. A person may hold numbers of
            # several countries.)
            return f"{_TAX_APART} ({_values(first[TAX_ID])}; {_values(second[TAX_ID])})"
        born_a, born_b = (
            _birth_countries(self.born_in.get(root, ())) if by_name else set() for root in (root_a, root_b)
        )
        if born_a and born_b and not _same_land(born_a, born_b):
            # A name and a year of birth are many people's: "Abu Turab" born 1968 in Quetta (OFAC's 21387) is not the
            # UN's "Abu Turab" born about 1968 in Arghandab, Afghanistan (HIDAYATULLAH, TAi.014).
            return f"{_BORN_APART} ({_country_names(born_a)}; {_country_names(born_b)})"
        return None

    def same_birth_year(self, a: str, b: str) -> bool:
        """Whether the groups of a and b state a date of birth in one year (a day or a month apart)."""
        first, second = self.strong.get(self.find(a), {}), self.strong.get(self.find(b), {})
        years = {d[:4] for d in first.get(BIRTH_DATE, ())}
        return bool(years & {d[:4] for d in second.get(BIRTH_DATE, ())})

    def agreement(self, a: str, b: str) -> tuple[str, str] | None:
        """The strong identifier the groups of a and b share: (label, value), said of records a and b where they both
        give one: a card's other records must not put a date of birth in a record's mouth (OFAC's 7259 "THAER,
        Mansour", born 1974-03-21, and the UN's QDi.076 read "Date of birth 1972", the OFSI record's). Where they give
        none alike, the value the two cards share, said to be theirs (OFAC's 10937 "HAMMADOU, Abid" gives 1965-12-12;
        the 1958 its card shares with the UN's QDi.250 is another record's). Where no strong identifier agrees, a year
        of birth one of them gives only roughly (ROUGH_BIRTH_DATE), found the same way."""
        first, second = self.strong.get(self.find(a), {}), self.strong.get(self.find(b), {})
        own_a, own_b = self.own.get(a, {}), self.own.get(b, {})
        cards_share: tuple[str, str] | None = None
        for label in STRONG_LABELS:
            if label not in first or label not in second:
                continue
            shared = _shared(label, first[label], second[label])
            if not shared:
                continue
            own = _shared(label, own_a.get(label, ()), own_b.get(label, ()))
            if own:
                return label, own
            if cards_share is None:
                cards_share = label, f"{shared} (given on both cards, not by both these records)"
        if cards_share is None and (shared := _rough_shared(first, second)):
            # A year one list gives only roughly ("circa 1961", "DOB is approximate") agrees, weakly, with another's.
            own = _rough_shared(own_a, own_b)
            return ROUGH_BIRTH_DATE, own or f"{shared} (given on both cards, not by both these records)"
        return cards_share

    def join(
        self,
        a: str,
        b: str,
        kind: str,
        text: str,
        *,
        same_list: frozenset[str] = frozenset(),
        by_name: bool = False,
        unattested: bool = False,
    ) -> str | None:
        """Join the groups of a and b, saying why (`kind`, `text`); None where they are one, else why they cannot be
        (conflict)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return None
        why_not = self.conflict(a, b, same_list=same_list, by_name=by_name, unattested=unattested)
        if why_not:
            log.debug("not joining %s and %s: %s", a, b, why_not)
            return why_not
        self.parent[root_b] = root_a
        self.members[root_a] = {*self.members[root_a], *self.members.pop(root_b)}
        joined = self.strong.setdefault(root_a, {})
        for label, values in self.strong.pop(root_b, {}).items():
            joined.setdefault(label, set()).update(values)
        if born := self.born_in.pop(root_b, None):
            self.born_in[root_a] = self.born_in.get(root_a, ()) + born
        self.evidence.append(Evidence(a, b, kind, text))
        return None


_BORN_APART = "places of birth in different countries"
_TAX_APART = "tax ids differ"
_DATES_APART = "dates of birth differ"
# Why two cards that each hold a record of one list are not joined: each card says which of that list's it holds.
_HOLD_ONE = "both hold"
_A_YEAR = re.compile(r"\d{4}(?![-\d])")


def _kept_apart(
    groups: _Groups, node: str, other: str, same: str, why_not: str | None, *, named: bool, agreed: bool
) -> None:
    """Two records a join refused (`why_not`), as possibly one subject named on every "no" about either (`same`:
    why they may be one): where `named` (both lead with the name, or an identifier agrees) or places of birth or tax
    ids kept them apart; never two cards that each already hold a record of one list (each card says which).
    Probably one where an identifier `agreed` (not against places of birth apart), or dates of birth differ within
    a year: /ask then answers for both; otherwise it asks which one, saying why."""
    if not why_not or why_not.startswith(_HOLD_ONE):
        return
    if named or why_not.startswith((_BORN_APART, _TAX_APART)):
        probable = (agreed and not why_not.startswith(_BORN_APART)) or (
            why_not.startswith(_DATES_APART) and groups.same_birth_year(node, other)
        )
        groups.near_misses.append((node, other, same, why_not, probable))


def _by_name(agreed: tuple[str, str] | None, leads_both: bool) -> bool:
    """Whether a join's evidence is weak enough for places of birth in different countries to keep the two apart: an
    alias on either side, with at most a year of birth in common (OFAC's "TURAB, Abu", born 1968 in Quetta, and the
    UN's "Abu Turab" of HIDAYATULLAH, born about 1968 in Arghandab, Afghanistan). Lists do state one person's place
    of birth differently: both lead with the name (OFAC's NGOMA, Willy, 1974, born in Kinigi, Rwanda; the UN's
    in Kinshasa), or one day of birth (EL SHEIKH, 1988-07-16: Sudan; London)."""
    if leads_both:
        return False
    if agreed is None:
        return True
    label, value = agreed
    return label == ROUGH_BIRTH_DATE or (label == BIRTH_DATE and bool(_A_YEAR.match(value)))


def _shared(label: str, first: Iterable[str], second: Iterable[str]) -> str | None:
    """A value of one strong identifier two sets of values share (a date of birth as far as both state it)."""
    if label == BIRTH_DATE:
        return dates_agree(first, second)
    return min(set(first) & set(second), default=None)


def _rough_shared(first: Mapping[str, set[str]], second: Mapping[str, set[str]]) -> str | None:
    """A year of birth two sets of strong values agree on where one of them gives it only roughly (strong_values: a
    rough date's years), the earliest; never evidence against a join."""
    years_a, years_b = ({d[:4] for d in values.get(BIRTH_DATE, ())} for values in (first, second))
    rough_a, rough_b = first.get(ROUGH_BIRTH_DATE, set()), second.get(ROUGH_BIRTH_DATE, set())
    return min((rough_a & (years_b | rough_b)) | (rough_b & years_a), default=None)


def _same_land(first: set[str], second: set[str]) -> bool:
    from knowledge.birthplaces import lands

    return bool(lands(first) & lands(second))


def _country_names(codes: Iterable[str]) -> str:
    from knowledge.countries import country_name

    return ", ".join(sorted(country_name(code) or code for code in codes))


def _birth_countries(records_places: Iterable[tuple[str, ...]]) -> set[str]:
    """The countries records' places of birth are in ("Quetta, Balochistan, Pakistan": PK), from each record that
    names the country of every one of its places: a place that names none ("Quetta") or no known one ("USSR") could
    be in any country."""
    # Imported when a join first weighs places, not at start-up: pycountry takes some 50 ms to import.
    from knowledge.birthplaces import birth_country

    found: set[str] = set()
    for places in records_places:
        countries = {birth_country(place) for place in places}
        if None not in countries:
            found |= countries  # type: ignore[arg-type]
    return found


# The details of an entity a card gives every record's values of, not its first record's alone.
_POOLED = frozenset((*STRONG_LABELS, ROUGH_BIRTH_DATE, PLACE_OF_BIRTH))


def _joined_values(first: str, second: str) -> str:
    """Two lists' values of one label as one, each once, whatever its case."""
    values: dict[str, str] = {}
    for value in (*split_values(first), *split_values(second)):
        values.setdefault(value.casefold(), value)
    return SEPARATOR.join(values.values())


def _values(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _family(kind: EntityKind) -> str:
    return _KIND_FAMILY.get(kind, kind.value)


def _catalogue_compatible(
    first: tuple[str, EntityKind, str | None], second: tuple[str, EntityKind, str | None]
) -> bool:
    """Curated entries and catalogue clusters join by name: same kind of thing, countries not in conflict."""
    _, kind_a, country_a = first
    _, kind_b, country_b = second
    if _family(kind_a) != _family(kind_b):
        return False
    return not (country_a and country_b and country_a != country_b)


def _key(value: str, is_person: bool) -> str | None:
    """The name's compact form, which merging compares; None for names too short to join anything on.

    A person's words are compared in any order: the UN writes "HAQQANI NASIRUDDIN", OFAC "NASIRUDDIN HAQQANI"."""
    norm = normalise(value, strip_legal_forms=not is_person)
    compact = "".join(sorted(norm.words)) if is_person else norm.compact
    return compact if len(compact) > EXACT_ONLY_LENGTH else None


def _own_tokens(record: ListedRecord) -> set[str]:
    tokens = {f"{record.source}:{record.record_id}"}
    if record.source in ("ofac-sdn", "ofac-cons"):
        tokens.add(f"ofac:{record.record_id}")
    elif record.source == "uk-sanctions-list":
        tokens.add(f"uk-id:{record.record_id}")
    elif record.source == "uk-conlist":
        tokens.add(f"ofsi-group:{record.record_id}")
    elif record.source == "un-sc":
        tokens.add(f"un:{record.record_id}")
    elif record.source == "eu-fsf":
        tokens.add(f"eu:{record.record_id}")
    elif record.source in _ATTACK_LISTS:
        tokens.add(f"attack:{record.record_id}")
    return tokens | set(record.cross_refs)


_TOKEN_WORDS = {
    "ofac": "OFAC entry",
    "uk-id": "UK Sanctions List ID",
    "ofsi-group": "OFSI group ID",
    "un": "UN reference",
    "eu": "EU reference",
    "attack": "ATT&CK ID",
}


# Identifiers the world gives one holder only, for good: a SWIFT/BIC code is one bank's (or branch's), an IMO number
# one hull's, whatever each list calls it or the ship was renamed.
_ONE_HOLDER_LABELS = (SWIFT, IMO)


def _one_holder_values(
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], strong: dict[str, dict[str, set[str]]]
) -> dict[tuple[str, str], list[str]]:
    """Each SWIFT/BIC code and IMO number a sanctions list's record gives (`strong`: each record's strong
    identifiers), to the records that give it."""
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, values in strong.items():
        if records[node][1].list_name not in SANCTIONS_LISTS:
            continue
        for id_label in _ONE_HOLDER_LABELS:
            for value in values.get(id_label, ()):
                holders[(id_label, value)].append(node)
    return holders


def _join_on_unique_identifiers(
    groups: _Groups,
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    label: dict[str, str],
    holders: dict[tuple[str, str], list[str]],
) -> None:
    """Join sanctions-list records of two publishers that give the same SWIFT/BIC code or IMO number, whatever their
    names (the UN's FOREIGN TRADE BANK (FTB) and OFAC's FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF
    KOREA both give SWIFT/BIC FTBDKPPY), where no publisher gives it to two of its records (a bank and its branch,
    a duplicate): then which of them is meant is not known. `holders`: _one_holder_values."""
    for (id_label, value), nodes in sorted(holders.items()):
        # OFAC's two lists are one publisher: one ent_num is one entity on both, two are two.
        publishers = [_publisher(records[n][1].list_name) for n in nodes]
        if len(set(publishers)) < 2 or len(set(publishers)) != len(publishers):
            continue
        for other in nodes[1:]:
            text = f"{label[nodes[0]]} and {label[other]} both give {id_label} {value}"
            groups.join(nodes[0], other, ONE_HOLDER_IDENTIFIER, text)


def _publisher(list_name: str) -> str:
    return "ofac" if list_name in _OFAC_LISTS else list_name


def _token_text(token: str) -> str:
    prefix, _, value = token.partition(":")
    return f"{_TOKEN_WORDS.get(prefix, prefix)} {value}"


# Sanctions themes, read from a regime's or programme's words: two records of one name under one theme (both
# cyber, both DPRK) corroborate each other where neither list states an identifier.
_THEMES = (
    ("cyber", ("cyber",)),
    ("Russia", ("russia", "ukraine", "eo14024", "eo13660", "eo13661", "eo13662", "eo13685", "ukraine-eo")),
    ("North Korea", ("korea", "dprk")),
    ("Iran", ("iran", "irgc", "ifsr", "npwmd")),
    # OFAC's non-proliferation programme covers North Korean and Syrian procurement as well as Iranian.
    ("North Korea", ("npwmd",)),
    ("Syria", ("npwmd",)),
    ("counter-terrorism", ("sdgt", "isil", "qaida", "qaeda", "taliban", "terror", "afghanistan", "fto")),
    ("Syria", ("syria",)),
    ("Libya", ("libya",)),
    ("Belarus", ("belarus",)),
    ("Venezuela", ("venezuela",)),
    ("Myanmar", ("burma", "myanmar")),
    ("Iraq", ("iraq",)),
    ("Somalia", ("somalia",)),
    ("Sudan", ("sudan", "darfur")),
    ("Yemen", ("yemen",)),
    ("Congo", ("congo", "drc")),
    ("Mali", ("mali",)),
    ("Central African Republic", ("central african", "car")),
    ("narcotics", ("sdnt", "sdntk", "narcotic", "drug")),
    ("global human rights and anti-corruption", ("glomag", "magnit", "human rights", "anti-corruption")),
    ("Nicaragua", ("nicaragua",)),
    ("Haiti", ("haiti",)),
    ("Zimbabwe", ("zimbabwe",)),
    ("Lebanon", ("lebanon",)),
    ("Guinea-Bissau", ("guinea-bissau", "guinea bissau")),
    ("Western Balkans", ("balkans", "bosnia")),
    ("South Sudan", ("south sudan",)),
    ("Cuba", ("cuba",)),
)


# Sanctions themes that are a country's programme, by the ISO code lists write for a record's country.
_COUNTRY_THEMES = {
    "RU": "Russia", "IR": "Iran", "KP": "North Korea", "SY": "Syria", "BY": "Belarus", "VE": "Venezuela",
    "MM": "Myanmar", "IQ": "Iraq", "SO": "Somalia", "SD": "Sudan", "YE": "Yemen", "CD": "Congo", "ML": "Mali",
    "CF": "Central African Republic", "NI": "Nicaragua", "HT": "Haiti", "ZW": "Zimbabwe", "LB": "Lebanon",
    "LY": "Libya", "SS": "South Sudan", "GW": "Guinea-Bissau", "CU": "Cuba",
}  # fmt: skip
_COUNTRY_THEME_NAMES = frozenset(_COUNTRY_THEMES.values())


def _country_against_theme(
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    themes: dict[str, frozenset[str]],
    first: str,
    second: str,
) -> bool:
    """Whether one record's stated country is not the country of any programme the other is listed under."""
    for one, other in ((first, second), (second, first)):
        theirs = themes.get(other, set()) & _COUNTRY_THEME_NAMES
        mine = _COUNTRY_THEMES.get((records[one][0].country or "").upper())
        if mine and theirs and mine not in theirs:
            return True
    return False


def _themes(record: ListedRecord) -> set[str]:
    words = [*record.programmes, record.regime or "", record.regime_name or ""]
    words += [x.regime_name or "" for x in record.sanctions]
    text = " ".join(words).casefold()
    # Letters only: OFAC numbers its programme generations ("DPRK3", "IRAQ2"), which are one theme.
    tokens = set(re.split(r"[^a-z]+", text))
    found = set()
    for theme, needles in _THEMES:
        if any((needle in tokens) if len(needle) <= 4 else (needle in text) for needle in needles):
            found.add(theme)
    return found


def _near_person_key(value: str) -> tuple[str, ...] | None:
    """A blocking key for persons' names spelled one slip apart ("Yureyvich", "Yuryevich"): word count and heads."""
    words = sorted(normalise(value, strip_legal_forms=False).words)
    if len(words) < 3 or any(len(w) < 2 for w in words):
        return None
    return tuple(w[:3] for w in words)


def _one_slip_apart(first: str, second: str) -> bool:
    """Two persons' full names whose words, in sorted order, differ by at most one slip in long words only."""
    a = sorted(normalise(first, strip_legal_forms=False).words)
    b = sorted(normalise(second, strip_legal_forms=False).words)
    if len(a) != len(b):
        return False
    slips = 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if len(x) < 6 or len(y) < 6 or OSA.distance(x, y) > 1:
            return False
        slips += 1
    return slips == 1


# A list closed in favour of another that carries its ids: OFSI's ConList (closed 28 January 2026) gave way to the
# FCDO's UK Sanctions List, whose rows state each OFSI group ID. A group the newer list does not hold has left the
# UK's sanctions, whatever the older copy says.
_SUCCEEDED_BY = {"uk-conlist": ("uk-sanctions-list", "ofsi-group:")}
# The successor's rows must state the shared id nearly always, or its absence would prove nothing (an export that
# leaves the column out would make every older record look delisted).
_SUCCESSOR_ID_SHARE = 0.9


# Words of a snapshot's note that say the copy is only part of its list: its silence proves nothing.
_PART_NOTES = ("extract", "excerpt", "sample", "cut")
# A successor holding fewer records than this share of the older list's is not taken for the whole list.
_SUCCESSOR_SIZE_SHARE = 0.5


def _whole(loaded: LoadedList) -> bool:
    note = (loaded.source.note or "").casefold()
    return not any(word in note for word in _PART_NOTES)


def _gone_from_successor(lists: list[LoadedList]) -> dict[str, Gone]:
    """Records of a closed list that its newer successor no longer holds: gone between the two lists' dates. Only
    against a whole publisher's edition of the successor: never the bundled extract, a sample, or a list much
    smaller than the older one."""
    by_name: dict[str, LoadedList] = {}
    for loaded in lists:
        by_name.setdefault(loaded.list_name, loaded)  # the edition in use; a newer extract's records follow it
    gone: dict[str, Gone] = {}
    for older_name, (newer_name, prefix) in _SUCCEEDED_BY.items():
        older, newer = by_name.get(older_name), by_name.get(newer_name)
        if older is None or newer is None or not newer.records or not _whole(newer):
            continue
        if len(newer.records) < _SUCCESSOR_SIZE_SHARE * len(older.records):
            continue
        if older.source.date is None or newer.source.date is None or newer.source.date <= older.source.date:
            continue
        held = {ref for r in newer.records for ref in r.cross_refs if ref.startswith(prefix)}
        stating = sum(any(ref.startswith(prefix) for ref in r.cross_refs) for r in newer.records)
        if stating < _SUCCESSOR_ID_SHARE * len(newer.records):
            continue
        # The successor's records that state no reference to the older list (the UK Sanctions List's ships: no OFSI
        # group ID) hold an older record of their name all the same, a person's as a person's (the ConList typed ships
        # as entities): KUM UN SAN 3 (OFSI 13718, the UK's DPR0123) read "delisted" though the UK lists it still.
        unreferenced = {
            (r.kind is EntityKind.PERSON, key)
            for r in newer.records
            if not any(ref.startswith(prefix) for ref in r.cross_refs)
            for key in _name_keys(r)
        }
        for record in older.records:
            if f"{prefix}{record.record_id}" in held:
                continue
            person = record.kind is EntityKind.PERSON
            if unreferenced and any((person, key) in unreferenced for key in _name_keys(record)):
                continue
            gone[f"{older_name}:{record.record_id}"] = Gone(newer.source.date, True, older.source.date)
    return gone


def _name_keys(record: ListedRecord) -> set[str]:
    """A record's names (weak aliases aside) as their words in any order, whatever its kind: not `_key`, which reads a
    company's words in their order, since the ConList typed as companies the ships the UK list types as ships."""
    return {" ".join(sorted(normalise(n.value).tokens)) for n in record.names if n.type not in _NO_JOIN_NAMES} - {""}


def merge(curated: CuratedData, lists: Iterable[LoadedList], *, successors: bool = True) -> Merged:
    """One card per real-world entity. `successors`: whether a closed list's records that its successor no longer
    holds read as gone (not in a view of a past day, whose successor edition is later than that day)."""
    lists = list(lists)
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]] = {}
    successor_gone = _gone_from_successor(lists) if successors else {}
    for loaded in lists:
        for record in loaded.records:
            node = f"{loaded.list_name}:{record.record_id}"
            records[node] = (record, loaded, successor_gone.get(node))
        for record, on, known in loaded.delisted:
            gone = Gone(on, known, loaded.last_held.get(record.record_id))
            records.setdefault(f"{loaded.list_name}:{record.record_id}", (record, loaded, gone))
    info: dict[str, tuple[str, EntityKind, str | None]] = {
        f"curated:{e.id}": ("curated", e.kind, e.country) for e in curated.entities.values()
    }
    info.update({node: (loaded.list_name, r.kind, r.country) for node, (r, loaded, _) in records.items()})
    # Each record's strong values: the groups keep their own copy, pooled as records join, and read these as each
    # record's own (what a join's text says two records both give).
    strong = {node: values for node, (r, _, _) in records.items() if (values := strong_values(r.identifiers))}
    # The codes one bank or ship holds, by record, kept apart before joins pool each card's values.
    one_holder = _one_holder_values(records, strong)
    born_in = {
        node: (tuple(places),)
        for node, (r, _, _) in records.items()
        if (places := split_values(r.identifiers.get(PLACE_OF_BIRTH)))
    }
    groups = _Groups(info, strong, born_in)
    label = {f"curated:{e.id}": f"briefing entry {e.caption}" for e in curated.entities.values()}
    label.update({node: f"{loaded.source.by} {r.record_id}" for node, (r, loaded, _) in records.items()})

    # 1. Explicit cross-references: curated list ids, OFSI group ids, UN references, OpenSanctions referents.
    by_token: dict[str, list[str]] = defaultdict(list)
    for entity in curated.entities.values():
        for id_label, value in entity.identifiers.items():
            if id_label in _CURATED_IDS:
                by_token[f"{_CURATED_IDS[id_label]}:{value}"].append(f"curated:{entity.id}")
    for node, (record, _, _) in records.items():
        for token in _own_tokens(record):
            by_token[token].append(node)
    # A token one record alone gives joins nothing: kept until the end of the merge, the rest took 8 MB.
    by_token = {token: nodes for token, nodes in by_token.items() if len(nodes) > 1}
    name_forms = _NameForms.of(records, groups)
    for token, nodes in by_token.items():
        # The UK Sanctions List gives one entity a row per regime (Lukashenko: BEL0045 and GHR0050), each naming
        # the one OFSI group ID OFSI gives the entity.
        same_list = _ONE_GROUP_ROWS if token.startswith("ofsi-group:") else frozenset()
        # A UN reference another publisher quotes can be wrong: the UN's own record (KPe.035 for "un:KPe.035") is
        # the one it names, and a record whose names are another UN record's is not joined on it.
        owner = next((n for n in nodes if info[n][0] == "un-sc"), None) if token.startswith("un:") else None
        if owner is not None:
            nodes = [n for n in nodes if n == owner or not name_forms.contradicts(n, owner, groups, label, token)]
        for other in nodes[1:]:
            text = f"{label[nodes[0]]} and {label[other]} both give {_token_text(token)}"
            groups.join(nodes[0], other, CROSS_REFERENCE, text, same_list=same_list)

    _join_on_unique_identifiers(groups, records, label, one_holder)

    # 2. Names. Curated entries and catalogue clusters (no identifiers to compare) join on a name the other side
    # leads with or alone holds; a sanctions-list record joins another list's record of the same name only on a
    # strong identifier both state, or (neither stating one that differs) on a shared sanctions theme where
    # each is the only record of its list with that name.
    is_person = {node: kind is EntityKind.PERSON for node, (_, kind, _) in info.items()}
    names_of: dict[str, list[tuple[str, bool]]] = {}
    for entity in curated.entities.values():
        node = f"curated:{entity.id}"
        # A name of overlapping activity is another group's as much as this one's: it joins nothing.
        values = [n.value for n in entity.names if n.type not in _NO_JOIN_NAMES] + [entity.caption]
        names_of[node] = [(v, True) for v in values]
    for node, (record, _, _) in records.items():
        names_of[node] = [(n.value, n.type is NameType.PRIMARY) for n in record.names if n.type not in _NO_JOIN_NAMES]
        if record.kind is not EntityKind.PERSON:
            # "Islamic Revolutionary Guard Corps (IRGC)" on one list is "ISLAMIC REVOLUTIONARY GUARD CORPS" on
            # another: a name ending with its own acronym is also that name without it, and two names written as
            # one apart by a slash each of them.
            names_of[node] += [(other, lead) for value, lead in names_of[node] for other in other_spellings(value)]
    holders: dict[tuple[str, str], tuple[str, ...]] = {}
    leading_holders: dict[tuple[str, str], tuple[str, ...]] = {}
    by_key: dict[str, tuple[str, ...]] = {}
    spelled: dict[tuple[str, str], str] = {}
    # Each name's key once: normalising is the costliest step here, and both passes below need the keys.
    keys_of: dict[str, list[tuple[str, bool]]] = {}
    for node, names in names_of.items():
        keys_of[node] = []
        for value, leading in names:
            key = _key(value, is_person[node])
            if not key:
                continue
            keys_of[node].append((key, leading))
            spelled.setdefault((node, key), value)
            _hold(holders, (info[node][0], key), node)
            _hold(by_key, key, node)
            if leading:
                _hold(leading_holders, (info[node][0], key), node)
    del names_of
    # One object for each distinct set of themes (a few dozen), not a set for each record.
    theme_sets: dict[frozenset[str], frozenset[str]] = {}
    themes = {
        node: theme_sets.setdefault(found := frozenset(_themes(record)), found)
        for node, (record, _, _) in records.items()
        if record.source in SANCTIONS_LISTS
    }
    shared = {key for key, nodes in by_key.items() if len(nodes) > 1}
    for node, keyed in sorted(keys_of.items()):
        for key, leading in keyed:
            if key not in shared:
                continue
            for other in sorted(n for n in by_key[key] if n != node):
                other_list = info[other][0]
                same_list = other_list == info[node][0] and other_list in SANCTIONS_LISTS
                if same_list or _family(info[node][1]) != _family(info[other][1]):
                    continue
                name = spelled[(node, key)]
                if info[node][0] in SANCTIONS_LISTS or other_list in SANCTIONS_LISTS:
                    leads_both = all(n in leading_holders.get((info[n][0], key), ()) for n in (node, other))
                    _join_listed(groups, records, node, other, name, label, themes, holders, key, leads_both=leads_both)
                    continue
                # An alias several records of one list share ("isoon") says nothing about which one is meant;
                # a name the other record leads with, or one only it holds, does.
                usable = (
                    other_list == "curated"
                    or other in leading_holders.get((other_list, key), ())
                    or len(holders.get((other_list, key), ())) == 1
                )
                if leading and usable and _catalogue_compatible(info[node], info[other]):
                    groups.join(
                        node, other, SAME_NAME_CATALOGUE, f"{label[node]} and {label[other]}: same name “{name}”"
                    )
    # Step 2's own tables freed before the near-name steps build theirs: the merge's peak was the two at once.
    del keys_of, spelled, leading_holders, by_key, shared

    # 3. Persons' full names one slip apart on two sanctions lists ("Yureyvich", "Yuryevich"), on the same terms.
    near: dict[tuple[str, ...], list[tuple[str, str, bool]]] = defaultdict(list)
    for node, (record, loaded, _) in records.items():
        if record.kind is EntityKind.PERSON and loaded.list_name in SANCTIONS_LISTS:
            for listed_name in record.names:
                if listed_name.type not in _NO_JOIN_NAMES and (block := _near_person_key(listed_name.value)):
                    near[block].append((node, listed_name.value, listed_name.type is NameType.PRIMARY))
    for entries in near.values():
        if len({info[n][0] for n, _, _ in entries}) < 2 or len(entries) > MAX_NEAR_BLOCK:
            continue
        for (node, value, leads), (other, other_value, other_leads) in combinations(entries, 2):
            distinct = info[node][0] != info[other][0] and groups.find(node) != groups.find(other)
            if distinct and _one_slip_apart(value, other_value):
                key = _key(value, True) or ""
                other_key = _key(other_value, True) or ""
                # Unique on each list under either spelling: no other record could be the one meant.
                alone = all(
                    len(holders.get((info[n][0], k), ())) <= 1 and all(h == m for h in holders.get((info[m][0], k), ()))
                    for n, m in ((node, other), (other, node))
                    for k in (key, other_key)
                )
                name = f"{value}” ~ “{other_value}"
                both = leads and other_leads
                _join_listed(
                    groups, records, node, other, name, label, themes, holders, key, alone=alone, leads_both=both
                )

    # 4. Near-identical names on two sanctions lists, however each romanises them ("Akhmatovich", "Akhmadovitch").
    del holders, near
    _join_near_identical(groups, records, label, themes, name_forms)

    # 5. A person's travel or identity document and date of birth stated alike by two sanctions lists.
    _join_on_documents(groups, records, label, strong)

    # 6. A person's name one list writes without the patronymic or father's name another gives, born the same day.
    _join_shorter_names(groups, records, label, strong)

    # The name tables are done with: freed before the cards are built, they leave room for them (on every real
    # list this lowered the build's peak, the highest of `migrate`, from 297 MB to 270 MB).
    del name_forms, themes, by_token, label, is_person
    return _build(curated, records, groups)


@dataclass
class _NameForms:
    """Every sanctions-list record's names as merging compares them, and the pairs of records holding
    near-identical ones: computed once, read by the cross-reference check and the near-identical joins."""

    forms: list[tuple[str, NameForm]]
    written: dict[tuple[str, NameForm], tuple[str, bool]]
    pairs: list[tuple[str, str, NameForm, NameForm]]
    near: dict[str, set[str]]

    @classmethod
    def of(cls, records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], groups: _Groups) -> _NameForms:
        forms: list[tuple[str, NameForm]] = []
        written: dict[tuple[str, NameForm], tuple[str, bool]] = {}
        for node, (record, loaded, _) in records.items():
            if loaded.list_name not in SANCTIONS_LISTS:
                continue
            person = record.kind is EntityKind.PERSON
            seen: set[NameForm] = set()
            for listed_name in record.names:
                form = name_form(listed_name.value, person=person) if listed_name.type not in _NO_JOIN_NAMES else None
                if form and form not in seen:
                    seen.add(form)
                    forms.append((node, form))
                    written[(node, form)] = (listed_name.value, listed_name.type is NameType.PRIMARY)
        pairs = list(near_pairs(forms))
        near: dict[str, set[str]] = defaultdict(set)
        for node, other, _, _ in pairs:
            if _family(groups.info[node][1]) == _family(groups.info[other][1]):
                near[node].add(other)
                near[other].add(node)
        return cls(forms, written, pairs, near)

    def contradicts(self, node: str, owner: str, groups: _Groups, label: dict[str, str], token: str) -> bool:
        """Whether a record's stated reference to another list's record is contradicted by the names: none of
        theirs alike, and the record's name is that of another record of the owner's list, of the same kind
        (OFSI's 2018 row for KOREA DAESONG GENERAL TRADING CORPORATION gives "UN Ref KPe.035"; the UN's KPe.035 is
        KOREA DAESONG BANK, its trading corporation KPe.042)."""
        if owner in self.near.get(node, ()) or _family(groups.info[node][1]) != _family(groups.info[owner][1]):
            return False
        owner_list = groups.info[owner][0]
        namesakes = sorted(n for n in self.near.get(node, ()) if groups.info[n][0] == owner_list and n != owner)
        if namesakes:
            log.info(
                "%s gives %s, but its names are those of %s: not joined on it",
                label[node],
                _token_text(token),
                label[namesakes[0]],
            )
        return bool(namesakes)


def _join_near_identical(
    groups: _Groups,
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    label: dict[str, str],
    themes: dict[str, frozenset[str]],
    names: _NameForms,
) -> None:
    """Join two sanctions lists' records whose names are one name romanised two ways: on a strong identifier both
    state (unless another record of either list has the name and the identifier too: twins, or a duplicate), or
    where each is the only record of its list with the name and nothing the lists state contradicts it."""
    forms, written = names.forms, names.written
    list_of = {node: groups.info[node][0] for node, _ in forms}
    family = {node: _family(groups.info[node][1]) for node, _ in forms}
    twins: dict[str, set[str]] = defaultdict(set)
    across: dict[tuple[str, str], tuple[NameForm, NameForm]] = {}
    # A name is another record's too where that record's name holds all its words: OFAC's ~30 Sberbank records make
    # "JOINT STOCK COMPANY SBERBANK" no name only one record holds.
    postings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for node, form in forms:
        for word in form:
            postings[(list_of[node], word)].add(node)
    for node, form in forms:
        rarest_first = sorted((postings[(list_of[node], word)] for word in form), key=len)
        holders = rarest_first[0].intersection(*rarest_first[1:]) - {node}
        twins[node].update(h for h in holders if family[h] == family[node])
    for node, other, form, other_form in names.pairs:
        if family[node] != family[other]:
            continue
        if list_of[node] == list_of[other]:
            twins[node].add(other)
            twins[other].add(node)
        elif node < other:
            across.setdefault((node, other), (form, other_form))
        else:
            across.setdefault((other, node), (other_form, form))
    for (node, other), (form, other_form) in sorted(across.items()):
        if groups.find(node) == groups.find(other):
            continue
        first = records[node][0]
        (one, one_primary), (two, two_primary) = written[(node, form)], written[(other, other_form)]
        spelled = f"“{one}” ~ “{two}”" if one != two else f"“{one}”"
        pair = f"{label[node]} and {label[other]}"
        same_name = f"the same name as each list writes it ({spelled})"
        agreed = groups.agreement(node, other)
        # A record of the name its list gives the same subject is no doubt: the UK's MYA0018 and GHR0046 are Min Aung
        # Hlaing under two regimes, one OFSI group ID, on one card already. (One already on the other side's card is:
        # OFAC's 35081 PHOTON PRO LLP, on the UK's card, for OFAC's 35039 OOO FOTON PRO.)
        node_twins = [t for t in twins[node] if groups.find(t) != groups.find(node)]
        other_twins = [t for t in twins[other] if groups.find(t) != groups.find(other)]
        doubtful = [label[t] for t in sorted({*node_twins, *other_twins})]
        if agreed:
            id_label, value = agreed
            if not any(groups.agreement(t, other) for t in node_twins) and not any(
                groups.agreement(node, t) for t in other_twins
            ):
                text = f"{pair}: {same_name} and {id_label} {value}"
                by_name = _by_name(agreed, one_primary and two_primary)
                why_not = groups.join(node, other, NEAR_NAME_IDENTIFIER, text, by_name=by_name) or ""
                if not why_not or why_not.startswith(_HOLD_ONE):
                    continue  # another list's record already on either card: the card says which
            else:
                why_not = (
                    f"{', '.join(doubtful[:3])} also {'has' if len(doubtful) == 1 else 'have'} the name and {id_label}"
                )
        elif len(doubtful) > 2:
            continue  # a name many records of one list hold: which one would be a guess, and noise on every "no"
        elif doubtful:
            # One or two others of the name (the UK's two MORENETS rows, one misspelt): named on every "no".
            why_not = f"{', '.join(doubtful)} also {'has' if len(doubtful) == 1 else 'have'} the name"
        else:
            common = themes.get(node, set()) & themes.get(other, set())
            stated = themes.get(node) and themes.get(other)
            # A person's full name, alone on each list, is one person whatever regime each list names (Prigozhin:
            # Russia; Libya), and so is a company's (Evro Polis: Russia; Syria) unless a list places it in another
            # country than the other list's regime: the Russian "Institute of Applied Physics JSC" is not Iran's.
            if (
                stated
                and not common
                and first.kind is not EntityKind.PERSON
                and _country_against_theme(records, themes, node, other)
            ):
                why_not = "one list places it in another country than the other's sanctions regime"
            elif not common and (len(form) < 3 or (first.kind is not EntityKind.PERSON and not stated)):
                # Without a theme in common, a short name ("MARUF, Muhammad": al-Qa'ida's and Syria's; "MARLIN") or
                # a body named by a list that states no theme for it (Cuba's and Syria's MINISTRY OF INTERIOR) is
                # too common to be one subject on the name alone.
                why_not = "a name this common, under no sanctions theme the two lists share"
            else:
                why = f"both under {sorted(common)[0]} sanctions" if common else "no sanctions theme in conflict"
                text = f"{pair}: {same_name}, each the only record of its list with this name, {why}, and no " + (
                    "identifier in conflict"
                )
                by_name = _by_name(None, one_primary and two_primary)
                why_not = groups.join(node, other, NEAR_NAME_UNIQUE, text, by_name=by_name, unattested=True) or ""
                if not why_not or why_not.startswith(_HOLD_ONE):
                    continue  # each already joined another record of that list: the card says which
        # An alias alone ("HASSAN, Mohamed") is too weak to name on every "no"; one the evidence kept apart is named.
        _kept_apart(groups, node, other, same_name, why_not, named=one_primary and two_primary, agreed=bool(agreed))


# A block of near person names larger than this is a common name ("MOHAMMAD ALI ..."): too many to compare.
MAX_NEAR_BLOCK = 40


# The documents that name one person (a passport, a national identity card) with the date of birth on them.
_DOCUMENT_LABELS = (PASSPORT, NATIONAL_ID)
# A word of a name, as compared here: of this many letters at least ("al", "bin" name nobody).
_DOCUMENT_NAME_WORD = 4


def _join_on_documents(
    groups: _Groups,
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    label: dict[str, str],
    strong: dict[str, dict[str, set[str]]],
) -> None:
    """Join two sanctions lists' records of a person that give one passport or national id number and one date of
    birth, and share a word of their names: one man, however each list writes his name (OFAC's "ROUINE, Lazher Ben
    Khalifa Ben Ahmed" and the UN's "AL-AZHAR BEN KHALIFA BEN AHMED ROUINE", passport P182583, born 1975-11-20,
    were two cards, and "is he on the UN list?" a flat no). A number a list gives two of its records joins nothing:
    which of them is meant is not known. `strong`: each record's strong identifiers, read once for every rule."""
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, values in strong.items():
        record, loaded, _ = records[node]
        if record.kind is not EntityKind.PERSON or loaded.list_name not in SANCTIONS_LISTS or BIRTH_DATE not in values:
            continue
        for id_label in _DOCUMENT_LABELS:
            for value in values.get(id_label, ()):
                holders[(id_label, value)].append(node)
    for (id_label, value), nodes in sorted(holders.items()):
        # Each publisher's holders one card already (OFAC's SDN and Consolidated records of one ent_num), or two
        # people, a duplicate or a typing slip: then which is meant is not known.
        cards: dict[str, set[str]] = defaultdict(set)
        for node in nodes:
            cards[_publisher(records[node][1].list_name)].add(groups.find(node))
        if len(cards) < 2 or any(len(found) > 1 for found in cards.values()):
            continue
        for node, other in combinations(nodes, 2):
            born = dates_agree(strong[node][BIRTH_DATE], strong[other][BIRTH_DATE])
            shared = _name_words(records[node][0]) & _name_words(records[other][0])
            if born and shared and groups.find(node) != groups.find(other):
                text = (
                    f"{label[node]} and {label[other]}: {id_label} {value} and Date of birth {born}, and the name "
                    f"“{max(sorted(shared), key=len)}” in both"
                )
                groups.join(node, other, SHARED_DOCUMENT, text, same_list=_relisted(groups, records, node, other))


# A full date of birth, year, month and day: what a name less some words needs beside it. The first of January is
# left out: lists write it for a year alone ("01/01/1970").
_FULL_DAY = re.compile(r"^\d{4}-(?!01-01$)\d{2}-\d{2}$")


def _join_shorter_names(
    groups: _Groups,
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    label: dict[str, str],
    strong: dict[str, dict[str, set[str]]],
) -> None:
    """Join two publishers' records of a person where one's name is the other's less some words, however each
    romanises them, and both state one full date of birth: OFAC writes "GERASIMOV, Valery" (born 1955-09-08, Kazan)
    where OFSI writes "GERASIMOV Valery Vasilevich" (the same day, Kazan), and "SALEH, Ahmed Ali" where the UN writes
    AHMED ALI ABDULLAH SALEH: two cards, and "has the UK sanctioned Valery Gerasimov?" a flat no. Only where no other
    record of either publisher born that day holds the shorter name (twins, a duplicate: which is meant is not
    known); places of birth in different countries still keep them apart."""
    born_on: dict[str, list[tuple[str, list[tuple[NameForm, str]]]]] = defaultdict(list)
    for node, values in strong.items():
        record, loaded, _ = records[node]
        if record.kind is not EntityKind.PERSON or loaded.list_name not in SANCTIONS_LISTS:
            continue
        forms = [
            (form, listed.value)
            for listed in record.names
            if listed.type not in _NO_JOIN_NAMES and (form := name_form(listed.value, person=True))
        ]
        for day in values.get(BIRTH_DATE, ()):
            if forms and _FULL_DAY.match(day):
                born_on[day].append((node, forms))
    for day, born in sorted(born_on.items()):
        if len(born) < 2 or len(born) > MAX_NEAR_BLOCK:
            continue
        publisher = {node: _publisher(records[node][1].list_name) for node, _ in born}
        within: dict[str, set[str]] = defaultdict(set)
        written: dict[tuple[str, str], tuple[str, str]] = {}
        for (node, forms), (other, other_forms) in combinations(born, 2):
            if publisher[node] != publisher[other] and (names := _one_within(forms, other_forms)):
                within[node].add(other)
                within[other].add(node)
                written[(node, other)], written[(other, node)] = names, names[::-1]
        for node, others in sorted(within.items()):
            for other in sorted(others):
                if node > other or groups.find(node) == groups.find(other):
                    continue
                # The only one of its publisher's records born that day that may be the other's, either way round.
                alone = all(
                    len({groups.find(n) for n in within[m] if publisher[n] == publisher[o]}) == 1
                    for m, o in ((node, other), (other, node))
                )
                if not alone:
                    continue
                one, two = written[(node, other)]
                text = (
                    f"{label[node]} and {label[other]}: one name the other's less some words (“{one}”, “{two}”) "
                    f"and Date of birth {day}, each the only record of its list born that day with the name"
                )
                groups.join(
                    node,
                    other,
                    SHORTER_NAME_BIRTH,
                    text,
                    same_list=_relisted(groups, records, node, other),
                    by_name=True,
                    unattested=True,
                )


def _one_within(forms: list[tuple[NameForm, str]], other_forms: list[tuple[NameForm, str]]) -> tuple[str, str] | None:
    """A name of one record and one of the other's, one of them the other less some words (or the same), word for word
    as romanisations or one slip write them (same_word); None where there is none."""
    for form, value in forms:
        for other_form, other_value in other_forms:
            short, long = (form, other_form) if len(form) <= len(other_form) else (other_form, form)
            if _words_within(short, long):
                return value, other_value
    return None


def _words_within(short: NameForm, long: NameForm) -> bool:
    left = list(long)
    for word in short:
        found = next((i for i, candidate in enumerate(left) if same_word(word, candidate)), None)
        if found is None:
            return False
        del left[found]
    return True


def _relisted(
    groups: _Groups, records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], node: str, other: str
) -> frozenset[str]:
    """The lists both cards hold a record of where one card's records of the list had all left it by the first copy
    holding the other's: a list that dropped a record of someone and listed them again, no copy loaded holding both
    (OFSI's 13609 "MALONG Paul", on the UN's card, held in April 2018 and gone by November, and 13699 "AWAN Paul
    Malong", first held then, which gives the UN's passports: one man, whom "is he still sanctioned by the UK?" answered
    no). Between two copies far apart, a list may have held both for a while: the document, the date of birth and the
    name this rule asks for are what join them, not the dates. A record dropped is never the later one: of three
    records of one list dropped one after another, the two dropped stay apart."""
    relisted = set()
    mine, theirs = groups.members[groups.find(node)], groups.members[groups.find(other)]
    for name in {groups.info[n][0] for n in mine} & {groups.info[n][0] for n in theirs} & _ONE_RECORD_EACH:
        first = [n for n in mine if groups.info[n][0] == name]
        second = [n for n in theirs if groups.info[n][0] == name]
        if _all_gone_before(records, first, second) or _all_gone_before(records, second, first):
            relisted.add(name)
    return frozenset(relisted)


def _all_gone_before(
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], gone: list[str], later: list[str]
) -> bool:
    """Whether every record of `gone` had left its list by the first copy of it holding any record of `later`, all
    of which it still holds."""
    ended = []
    for node in gone:
        left = records[node][2]
        if left is None:
            return False
        ended.append(left.on)
    started = []
    for node in later:
        record, loaded, left = records[node]
        first = loaded.first_seen.get(record.record_id)
        if left is not None or first is None:
            return False
        started.append(first[0])
    return max(ended) <= min(started)


def _name_words(record: ListedRecord) -> set[str]:
    """The words of all a record's names, its weak aliases too: beside one document and one date of birth, a name the
    list gives as low quality still says it is the same person (the UN's "Al Dabbashi" of LYi.023, OFAC's "DABBASHI,
    Ahmed", passport LY53FP76, born 1988-05-07)."""
    return {
        word
        for listed in record.names
        for word in normalise(listed.value, strip_legal_forms=False).words
        if len(word) >= _DOCUMENT_NAME_WORD
    }


def _join_listed(
    groups: _Groups,
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    node: str,
    other: str,
    name: str,
    label: dict[str, str],
    themes: dict[str, frozenset[str]],
    holders: dict[tuple[str, str], tuple[str, ...]],
    key: str,
    *,
    alone: bool | None = None,
    leads_both: bool = False,
) -> None:
    """Join a sanctions-list record with another list's record of the same name, on strong evidence only.
    `leads_both`: the name is each record's primary name."""
    agreed = groups.agreement(node, other)
    pair = f"{label[node]} and {label[other]}"
    if agreed:
        id_label, value = agreed
        text = f"{pair}: same name “{name}” and {id_label} {value}"
        by_name = _by_name(agreed, leads_both)
        # A list that dropped its record of someone and listed them again under a new one (OFSI's 12440 "PAK To-Chun",
        # gone by April 2018, on the UN's card, and 13480 "CHUN Pak To", first held then): one card, on evidence
        # beyond the name and a year.
        relisted = frozenset() if by_name else _relisted(groups, records, node, other)
        why_not = groups.join(node, other, f"same name and {id_label}", text, by_name=by_name, same_list=relisted)
        # Named on every "no" about either, with why they were kept apart (the UK's "Abu Turab", born about 1968 in
        # Afghanistan, beside OFAC's, born in Pakistan): a person decides. Probably one where an identifier other
        # than a year of birth agrees.
        same = f"the same name “{name}” and {id_label} {value}"
        _kept_apart(groups, node, other, same, why_not, named=True, agreed=not by_name)
        return
    common = themes.get(node, set()) & themes.get(other, set())
    if alone is None:
        alone = all(
            _only_holder(n, holders.get((groups.info[n][0], key), ()), groups, themes, common) for n in (node, other)
        )
    if alone and common:
        theme = sorted(common)[0]
        by_name = _by_name(None, leads_both)
        text = (
            f"{pair}: same name “{name}”, both under {theme} sanctions, no identifier in conflict, "
            "and no other record of either list has this name"
        )
        why_not = groups.join(node, other, SAME_NAME_THEME, text, by_name=by_name, unattested=True)
        # Named on every "no" about either where both lead with the name (OFAC's "KIM, Won Hong", born 1945-07-17, and
        # OFSI's "KIM Won-hong", 1945-01-07: probably one man).
        same = f"the same name “{name}”, both under {theme} sanctions"
        _kept_apart(groups, node, other, same, why_not, named=leads_both, agreed=False)


def _only_holder(
    node: str, holders: tuple[str, ...], groups: _Groups, themes: dict[str, frozenset[str]], common: set[str]
) -> bool:
    """Whether no other record of the node's list holds the name; for an organisation, none under the themes the
    pair shares: Iran's "Institute of Applied Physics (IAP)" does not make Russia's two records of the name
    (OFAC's and the UK's, both Russia) doubtful. A person's name stays doubtful on any second holder."""
    if groups.info[node][1] is EntityKind.PERSON:
        return len(holders) == 1
    return not any(themes.get(h, set()) & common for h in holders if h != node)


def _hold(table: dict[K, tuple[str, ...]], key: K, node: str) -> None:
    """Add a node to the holders of a name: a tuple, not a set, because most names have one holder and a set is four
    times a one-item tuple's size (the merge's name tables were its peak). A node's names are read one after the
    other, so a node already there is the last one."""
    held = table.get(key, ())
    if held[-1:] != (node,):
        table[key] = (*held, node)


def _build(
    curated: CuratedData,
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]],
    groups: _Groups,
) -> Merged:
    sources = dict(curated.sources)
    entities: dict[str, Entity] = {}
    sanctions: list[Sanction] = list(curated.sanctions)
    relations: list[Relation] = list(curated.relations)
    entity_of: dict[str, str] = {}
    evidence: dict[str, list[str]] = defaultdict(list)
    for found in groups.evidence:
        evidence[groups.find(found.first)].append(found.text)
    for root, members in groups.members.items():
        curated_nodes = [m for m in members if m.startswith("curated:")]
        listed = sorted(
            (m for m in members if not m.startswith("curated:")),
            key=lambda m: (records[m][2] is not None, CATALOGUE[records[m][1].list_name].rank, m),
        )
        base = curated.entities[curated_nodes[0].removeprefix("curated:")] if curated_nodes else None
        entity_id = base.id if base else listed[0]
        for member in members:
            entity_of[member] = entity_id
        names = list(base.names) if base else []
        seen = {n.value.casefold() for n in names}
        refs, cited = [], list(base.sources) if base else []
        for node in listed:
            record, loaded, gone = records[node]
            sources[loaded.source.id] = loaded.source
            cited.append(loaded.source.id)
            for listed_name in record.names:
                # An empty name (a blank list cell) names nothing; it is not validated again below, so it stops here.
                if not listed_name.value.strip() or listed_name.value.casefold() in seen:
                    continue
                seen.add(listed_name.value.casefold())
                name_type = _card_name_type(record, listed_name)
                if base is not None and name_type is NameType.PRIMARY:
                    name_type = NameType.ALIAS  # the curated entry keeps its own primary name
                if names and name_type is NameType.PRIMARY:
                    name_type = NameType.ALIAS
                if name_type is NameType.ALIAS and loaded.list_name not in SANCTIONS_LISTS:
                    # A threat-intel catalogue's synonym is a name vendors track it by, often an overlapping
                    # cluster's: its word, never a reason to doubt whose own name the words are.
                    name_type = NameType.VENDOR
                names.append(
                    trusted(
                        Name,
                        value=listed_name.value,
                        type=name_type,
                        lang=listed_name.lang,
                        used_by=listed_name.used_by,
                        source=loaded.source.id,
                    )
                )
            first_held = loaded.first_seen.get(record.record_id)
            refs.append(
                trusted(
                    RecordRef,
                    list=loaded.list_name,
                    record_id=record.record_id,
                    name=record.name,
                    source=loaded.source.id,
                    remarks=record.remarks,
                    url=record.url,
                    delisted_on=gone.on if gone else None,
                    delisted_on_known=gone.known if gone else True,
                    delisted_after=gone.after if gone else None,
                    first_seen=first_held[0] if first_held else None,
                    first_seen_known=first_held[1] if first_held else True,
                    addresses=record.addresses,
                )
            )
        first = records[listed[0]][0] if listed else None
        identifiers = dict(base.identifiers) if base else {}
        for node in listed:
            for label, value in records[node][0].identifiers.items():
                if label in _POOLED and label in identifiers:
                    # Lists differ on one person's details (EL SHEIKH's place of birth: Sudan; London. THAER's date
                    # of birth: 1974-03-21 at OFAC, 1972 at the UN): the card, and a screening, has each list's.
                    identifiers[label] = _joined_values(identifiers[label], value)
                identifiers.setdefault(label, value)
        entities[entity_id] = trusted(
            Entity,
            id=entity_id,
            kind=base.kind if base else first.kind,  # type: ignore[union-attr]
            caption=base.caption if base else first.name,  # type: ignore[union-attr]
            names=tuple(names),
            country=(base.country if base else None)
            or next((records[n][0].country for n in listed if records[n][0].country), None),
            summary=base.summary if base else None,
            identifiers=identifiers,
            sources=tuple(dict.fromkeys(cited)),
            records=tuple(refs),
            countries=_stated_countries(base, [records[n] for n in listed]),
            joined_on=tuple(evidence.get(root, ())),
        )
    sanctions = _list_sanctions(sanctions, records, entity_of)
    relations += _record_links(records, entity_of)
    relations += _possibly_same(groups, records, entity_of)
    relations += _overlaps(curated, records, entity_of)
    relations += _attributions(records, entity_of)
    return Merged(
        sources=sources, entities=entities, sanctions=sanctions, relations=relations, evidence=list(groups.evidence)
    )


def _stated_countries(
    base: Entity | None, listed: list[tuple[ListedRecord, LoadedList, dt.date | None]]
) -> tuple[tuple[str, str], ...]:
    """(country, source) for the curated entry's country and each record's: one entry per country and source."""
    found: list[tuple[str, str]] = []
    if base is not None and base.country:
        written_from = next((s for s in base.sources), None)
        if written_from:
            found.append((base.country, written_from))
    for record, loaded, _ in listed:
        if record.country:
            found.append((record.country.upper(), loaded.source.id))
    return tuple(dict.fromkeys(found))


class Gone(NamedTuple):
    """When a record left its list: the as-of date of the first copy without it, and whether that date is the
    publisher's (False: only the day that copy was loaded)."""

    on: dt.date
    known: bool
    # The publisher's date of the last copy that still held it: it went between that day and `on`.
    after: dt.date | None = None


class _Designation(NamedTuple):
    """A sanction a record states, read once while merging (a pydantic model per record cost a fifth of start-up)."""

    authority: str
    regime: str | None
    regime_name: str | None
    listed_on: dt.date | None
    ended_on: dt.date | None
    reasons: str | None
    measures: tuple[str, ...]
    ended_on_known: bool = True
    ended_after: dt.date | None = None


def _end(stated: dt.date | None, gone: Gone | None) -> tuple[dt.date | None, bool, dt.date | None]:
    """When a designation ended, whether that date is known, and the last edition before it that still held the
    record: the end date the list states, unless the record has left the list before it (an end date set years
    ahead does not keep a record that went in force)."""
    if gone is None or (stated is not None and stated <= gone.on):
        return stated, True, None
    return gone.on, gone.known, gone.after


def _record_sanctions(record: ListedRecord, gone: Gone | None) -> list[_Designation]:
    # The end date the record states (the CSL's "end_date" of a Denied Persons order), else its leaving the list.
    ended, known, after = _end(record.ended_on, gone)
    if record.sanctions:
        designations = []
        for x in record.sanctions:
            end, end_known, end_after = _end(x.ended_on, gone)
            designations.append(
                _Designation(
                    x.authority, x.regime, x.regime_name, x.listed_on, end, x.reasons, x.measures, end_known, end_after
                )
            )
        return designations
    if record.authority is None:
        return []
    if record.programmes:
        by_regime: dict[str, list[str]] = defaultdict(list)
        for programme in record.programmes:
            by_regime[regime_for_programme(record.authority, programme)].append(programme)
        return [
            _Designation(
                record.authority,
                regime,
                ", ".join(tags),
                record.listed_on,
                ended,
                record.reasons,
                record.measures,
                known,
                after,
            )
            for regime, tags in by_regime.items()
        ]
    return [
        _Designation(
            record.authority,
            record.regime,
            record.regime_name,
            record.listed_on,
            ended,
            record.reasons,
            record.measures,
            known,
            after,
        )
    ]


def _list_sanctions(
    curated: list[Sanction],
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]],
    entity_of: dict[str, str],
) -> list[Sanction]:
    """Each list record's sanctions; where a curated sanction is the same designation, the two become one."""
    by_ref = {(s.entity, s.authority, s.list_ref): i for i, s in enumerate(curated) if s.list_ref}
    by_regime = {(s.entity, s.authority, s.regime): i for i, s in enumerate(curated)}
    out = list(curated)
    held_by_ofac = {
        (entity_of[node], record.record_id) for node, (record, loaded, _) in records.items()
        if loaded.list_name in _OFAC_LISTS
    }  # fmt: skip
    for node, (record, loaded, gone) in records.items():
        entity = entity_of[node]
        if loaded.list_name == "us-csl" and (entity, record.identifiers.get("OFAC ent_num")) in held_by_ofac:
            # The CSL's copy of an OFAC designation whose own list is loaded: one designation, cited from OFAC.
            continue
        for number, listed in enumerate(_record_sanctions(record, gone)):
            regime = listed.regime or f"{listed.authority}-{(listed.regime_name or 'unspecified').upper()[:30]}"
            programmes = tuple(listed.regime_name.split(", ")) if record.programmes and listed.regime_name else ()
            same = by_ref.get((entity, listed.authority, record.record_id))
            if same is None:
                same = by_regime.get((entity, listed.authority, regime))
            if same is not None and loaded.list_name in SANCTIONS_LISTS:
                # The official list wins on what it states; the curated entry keeps the action and its reasons.
                current = out[same]
                out[same] = dataclasses.replace(
                    current,
                    list_ref=record.record_id,
                    list_source=loaded.source.id,
                    programmes=programmes or current.programmes,
                    listed_on=_same_date(listed.listed_on or current.listed_on),
                    measures=listed.measures or current.measures,
                    reasons=listed.reasons or current.reasons,
                    ended_on=_same_date(listed.ended_on or current.ended_on),
                    ended_on_known=listed.ended_on_known if listed.ended_on else current.ended_on_known,
                    ended_after=_same_date(listed.ended_after if listed.ended_on else current.ended_after),
                )
                continue
            out.append(
                trusted(
                    Sanction,
                    id=f"{node}:{number}",
                    entity=entity,
                    authority=listed.authority,
                    regime=regime,
                    regime_name=listed.regime_name,
                    programmes=programmes,
                    listed_on=_same_date(listed.listed_on),
                    ended_on=_same_date(listed.ended_on),
                    ended_on_known=listed.ended_on_known,
                    ended_after=_same_date(listed.ended_after),
                    list_ref=record.record_id,
                    source=loaded.source.id,
                    measures=listed.measures,
                    reasons=listed.reasons,
                )
            )
    return out


# One object per date across every card's sanctions: the lists repeat a few hundred dates over thousands of
# designations, and the cache writer remembers (and a cached start makes) each date object it meets.
_DATES: dict[dt.date, dt.date] = {}


def _same_date(day: dt.date | None) -> dt.date | None:
    return day if day is None else _DATES.setdefault(day, day)


def _possibly_same(
    groups: _Groups, records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], entity_of: dict[str, str]
) -> list[Relation]:
    """A relation for each two cards left apart whose names are one name as two lists write it, saying why they
    may be one subject and why they were not joined: what every "no" about either card names."""
    relations = []
    seen: set[tuple[str, str]] = set()
    for node, other, same_name, why_not, probable in groups.near_misses:
        subject, target = entity_of[node], entity_of[other]
        if subject == target or (subject, target) in seen or (target, subject) in seen:
            continue
        seen.add((subject, target))
        loaded = records[other][1]
        relations.append(
            trusted(
                Relation,
                id=f"{node}:possibly-same:{other}",
                subject=subject,
                predicate=Predicate.POSSIBLY_SAME,
                object=target,
                source=loaded.source.id,
                date=loaded.source.date,
                confidence="probable" if probable else "derived",
                note=f"{same_name}; not joined: {why_not}",
            )
        )
    return relations


def _overlaps(
    curated: CuratedData, records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], entity_of: dict[str, str]
) -> list[Relation]:
    """An "overlaps with" relation for each catalogue card named by a curated entry's name of overlapping
    activity, on the word of the source that gives that name: an overlap shown as such, not merged as one."""
    leading: dict[str, set[str]] = defaultdict(set)
    for node, (record, loaded, _) in records.items():
        if loaded.list_name not in SANCTIONS_LISTS:
            leading[normalise(record.name).compact].add(entity_of[node])
    relations = []
    for entity in curated.entities.values():
        card = entity_of[f"curated:{entity.id}"]
        for name in entity.names:
            if name.type is not NameType.OVERLAP or not name.source:
                continue
            for other in sorted(leading.get(normalise(name.value).compact, set()) - {card}):
                relations.append(
                    trusted(
                        Relation,
                        id=f"curated:{entity.id}:overlaps:{other}",
                        subject=card,
                        predicate=Predicate.OVERLAPS,
                        object=other,
                        source=name.source,
                        date=curated.sources[name.source].date,
                        note=name.note,
                    )
                )
    return relations


# A sentence of an ATT&CK group's description that attributes the group, and the acronyms it writes in brackets.
_ATTRIBUTED = re.compile(r"[^.]*\battributed\b[^.]*")
_BRACKETED_ACRONYM = re.compile(r"\(([A-Za-z][A-Za-z-]{1,9})\)")
# Kinds of card a group is attributed to: a state body, whatever a list calls it; never a person, a ship or a group.
_ATTRIBUTABLE = frozenset({EntityKind.COMPANY, EntityKind.ORGANISATION, EntityKind.GOVERNMENT_BODY})
# The fewest and most words of a body's name found spelt out in an attribution ("Reconnaissance General Bureau").
_BODY_NAME_WORDS, _BODY_NAME_MOST = 3, 12


def _attributions(
    records: dict[str, tuple[ListedRecord, LoadedList, Gone | None]], entity_of: dict[str, str]
) -> list[Relation]:
    """An "attributed to" relation from each ATT&CK group to each sanctioned state body its description attributes it
    to, by the acronym it writes in brackets or the body's name of three words or more spelt out ("APT28 is a threat
    group that has been attributed to Russia's General Staff Main Intelligence Directorate (GRU) 85th Main Special
    Service Center (GTsSS) military unit 26165": the UK's CYB0012, "85th Main Special Service Centre (GTsSS)"). Only
    a sentence about the group itself counts ("X is ... attributed to", "attributed X to"), and only an acronym or
    name one card holds: a guess would tie a group to the wrong state."""
    # The sentences first, and what they could name: the lists' names are then kept only where a sentence holds them.
    claims = []
    for node, (record, loaded, _) in records.items():
        if loaded.list_name not in _ATTACK_LISTS or not record.remarks:
            continue
        own = [n.value for n in record.names]
        for sentence in _ATTRIBUTED.findall(record.remarks):
            after = sentence.partition("attributed")[2]
            if any(sentence.strip().startswith(name) for name in own) or any(
                name in after.split(" to ", 1)[0] for name in own
            ):
                claims.append((node, loaded, sentence, _BRACKETED_ACRONYM.findall(after), _spans(after)))
    if not claims:
        return []
    acronyms = {a.casefold() for *_, bracketed, _ in claims for a in bracketed}
    phrases = {phrase for *_, spans in claims for phrase, _ in spans}
    phrase_words = {word for phrase in phrases for word in phrase.split()}
    by_acronym: dict[str, set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    for node, (record, loaded, _) in records.items():
        if loaded.list_name not in SANCTIONS_LISTS or record.kind not in _ATTRIBUTABLE:
            continue
        for listed in record.names:
            if listed.type is NameType.WEAK:
                continue
            held = {a.casefold() for a in _BRACKETED_ACRONYM.findall(listed.value)}
            if len(listed.value) <= _ACRONYM_MOST and listed.value.isalpha() and listed.value.isupper():
                held.add(listed.value.casefold())
            for acronym in held & acronyms:
                by_acronym[acronym].add(entity_of[node])
            # Normalised (and remembered) only where its plain words hold enough of the sentences' words: every
            # body's name normalised had raised a first start's peak memory by 6 MB.
            if len(set(_PLAIN_WORD.findall(listed.value.casefold())) & phrase_words) < _BODY_NAME_WORDS:
                continue
            if (key := " ".join(w for w in normalise(listed.value).words if w not in held)) in phrases:
                by_name[key].add(entity_of[node])
    relations = []
    seen: set[tuple[str, str]] = set()
    for node, loaded, sentence, bracketed, spans in claims:
        group = entity_of[node]
        found = {
            owner
            for acronym in bracketed
            if len(owners := by_acronym.get(acronym.casefold(), set())) == 1
            for owner in owners
        }
        for phrase, whole in spans:
            if whole and len(owners := by_name.get(phrase, set())) == 1:
                found |= owners
        for body in sorted(found - {group}):
            if (group, body) in seen:
                continue
            seen.add((group, body))
            said = f"{loaded.source.by}: “{sentence.strip()}.”"
            relations.append(
                _list_relation(f"{node}:attributed:{body}", group, Predicate.ATTRIBUTED_TO, body, loaded, said)
            )
    return relations


def _spans(text: str) -> list[tuple[str, bool]]:
    """Each run of _BODY_NAME_WORDS to _BODY_NAME_MOST normalised words of `text`, and whether it may be a name whole,
    not the end of a longer one: "Second Technical Reconnaissance Bureau" of the PLA is not North Korea's TECHNICAL
    RECONNAISSANCE BUREAU (a word written as a name before it, not a possessive)."""
    tokens = text.split()
    words = [(word, at) for at, token in enumerate(tokens) for word in normalise(token).words]
    return [
        (" ".join(word for word, _ in words[start : start + size]), at == 0 or not _part_of_a_name(tokens[at - 1]))
        for size in range(_BODY_NAME_WORDS, _BODY_NAME_MOST + 1)
        for start in range(len(words) - size + 1)
        for at in (words[start][1],)
    ]


def _card_name_type(record: ListedRecord, listed: ListedName) -> NameType:
    """A name's type on the card: a weak alias that is the acronym the record writes in brackets after its own name
    ("85th Main Special Service Centre (GTsSS)") is the card's acronym, found typed exactly as an alias is."""
    if listed.type is NameType.WEAK and f"({listed.value})" in record.name:
        return NameType.ACRONYM
    return listed.type


def _part_of_a_name(token: str) -> bool:
    """Whether a word before a name is part of it: written as a name, not a possessive ("Russia's") nor a bracket."""
    return token[:1].isupper() and not token.endswith(("'s", "’s")) and not token.endswith(")")


_PLAIN_WORD = re.compile(r"[a-z0-9]+")


# An acronym a list writes as a name of its own ("GRU", "FSB"): letters only, in capitals, this many at most.
_ACRONYM_MOST = 6


def _record_links(
    records: dict[str, tuple[ListedRecord, LoadedList, dt.date | None]], entity_of: dict[str, str]
) -> list[Relation]:
    relations = []
    seen: set[tuple[str, str]] = set()
    for node, (record, loaded, _) in records.items():
        for link in record.links:
            target = entity_of.get(f"{loaded.list_name}:{link.target}")
            subject = entity_of[node]
            if target is None or target == subject or (subject, target) in seen or (target, subject) in seen:
                continue
            seen.add((subject, target))
            predicate = Predicate.SIMILAR_TO if link.type == "similar" else Predicate.LINKED_TO
            note = f"{loaded.source.by}: {link.type}"
            relations.append(_list_relation(f"{node}:link:{link.target}", subject, predicate, target, loaded, note))
    return relations


def _list_relation(
    relation_id: str, subject: str, predicate: Predicate, other: str, loaded: LoadedList, note: str
) -> Relation:
    """A relation a loaded list states, dated and cited as that list."""
    return trusted(
        Relation,
        id=relation_id,
        subject=subject,
        predicate=predicate,
        object=other,
        source=loaded.source.id,
        date=loaded.source.date,
        note=note,
    )
