"""The start-up shortcuts give what the general paths give: ASCII normalisation, trusted construction, pickling."""

import concurrent.futures
import dataclasses
import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REAL, TODAY
from knowledge import loading
from knowledge.base import KnowledgeBase, Link
from knowledge.cached_entities import CachedEntities, pickled_entities
from knowledge.errors import BriefbotError
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge, loaded_lists, prepare_store
from knowledge.models import Entity, EntityKind, Name, NameType, Predicate, Relation, Sanction
from knowledge.names import scoring
from knowledge.names.normalise import (
    NormalName,
    _ascii_words,
    _fold,
    _joined_letters,
    _latin,
    _latin_table,
    _respelled,
    _spelled,
    _split,
    _to_latin,
    _words_of,
)
from knowledge.names.scoring import score_names, token_similarity
from knowledge.names.tables import NICKNAMES
from knowledge.slotted import fast_pickle, trusted
from knowledge.store.database import Store

# Words that exercise every rule of normalisation: legal forms alone and in phrases, stopwords, abbreviations.
_WORDS = [
    *"co ltd limited inc company plc gmbh joint stock public open private the of and tech intl grp".split(),
    *"sichuan anxun information technology group zhao guangzong apt31 salt typhoon".split(),
]
_SEPARATORS = [" ", "  ", "-", ".", ", ", "'", "`", "_", "\t", "\x01", "/", "(", ")", "&"]


def _general(text: str, strip: bool):
    return _words_of(_split(_fold(text, strip_legal_forms=strip)), strip_legal_forms=strip)


def _ascii(text: str, strip: bool):
    return _words_of(_ascii_words(text), strip_legal_forms=strip)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60), st.booleans())
def test_ascii_text_normalises_the_same_through_the_fast_path(text, strip):
    assert _ascii(text, strip) == _general(text, strip)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_ascii_names_with_legal_forms_normalise_the_same_through_the_fast_path(parts, upper, strip):
    text = "".join(word + separator for word, separator in parts)
    text = text.upper() if upper else text
    assert _ascii(text, strip) == _general(text, strip)


def test_every_ascii_name_of_the_bundled_lists_normalises_the_same_through_the_fast_path(seeded_store: Store):
    names = {n.value for loaded in loaded_lists(seeded_store) for r in loaded.records for n in r.names}
    ascii_names = [name for name in names if name.isascii()]
    assert len(ascii_names) > 2000
    for name in ascii_names:
        for strip in (True, False):
            assert _ascii(name, strip) == _general(name, strip), name


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_words_are_found_in_one_pass_as_folding_and_splitting_find_them(text):
    assert _ascii_words(text) == _split(_fold(text, strip_legal_forms=True))


@settings(max_examples=600, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x800),
            st.characters(min_codepoint=0x1D00, max_codepoint=0x2100),
            st.characters(),
        ),
        max_size=30,
    )
)
def test_text_read_through_the_transliteration_table_reads_as_character_by_character(text):
    assert _to_latin(text) == "".join(_latin(char) for char in text)


def test_names_in_the_scripts_of_the_lists_are_transliterated_by_the_table_alone():
    # Cyrillic (with a soft sign), Arabic, Greek, accented Latin: nothing left for the character-by-character path.
    for name, latin in [("зеленський", "zelenskiy"), ("ελλάδα", "ellada"), ("erdoğan", "erdogan"), ("محمد", "mhmd")]:
        assert name.translate(_latin_table()) == _to_latin(name) == latin


# Words each rule of _spelled rewrites or joins, beside words it leaves alone.
_SPELLING_WORDS = [
    *"ibn ben bn el ul abd al forty 4 twenty one fourth 4th 1st 20 a b c x john smith bin".split(),
    *"olaf scholz ahmed rostec ab 1990 ço 二".split(),
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_SPELLING_WORDS), max_size=7), st.booleans())
def test_words_with_nothing_to_respell_skip_the_respelling_and_lose_nothing(words, join_letters):
    expected = _respelled(words)
    if join_letters and len(expected) > 1:
        expected = _joined_letters(expected)
    assert _spelled(list(words), join_letters=join_letters) == expected


_LETTERS = "aeiohmdsn1"
_WORD = st.one_of(st.text(alphabet=_LETTERS, min_size=1, max_size=14), st.sampled_from(sorted(NICKNAMES)))


@st.composite
def _variant(draw: st.DrawFn, word: str) -> str:
    """`word` after a few edits: words on either side of a typo's and a spelling variant's reach."""
    variant = list(word)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(variant)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
        if edit == "insert" or not variant:
            variant.insert(at, draw(st.sampled_from(_LETTERS)))
        elif edit == "delete":
            del variant[min(at, len(variant) - 1)]
        elif edit == "replace":
            variant[min(at, len(variant) - 1)] = draw(st.sampled_from(_LETTERS))
        elif at < len(variant) - 1:
            variant[at], variant[at + 1] = variant[at + 1], variant[at]
    return "".join(variant) or word


@st.composite
def _two_names(draw: st.DrawFn) -> tuple[NormalName, NormalName]:
    first = draw(st.lists(_WORD, min_size=1, max_size=4))
    second = [draw(_variant(word)) for word in first if draw(st.booleans())] + draw(st.lists(_WORD, max_size=2))
    order = draw(st.permutations(second or first))
    return NormalName.of(tuple(first)), NormalName.of(tuple(order))


@settings(max_examples=1500, deadline=None)
@given(_two_names(), st.booleans(), st.booleans())
# Found by this test: "ia" is "jia" once the glide is folded, which token_similarity, for words this short, never says.
@example((NormalName.of(("1", "1", "ia", "jim")), NormalName.of(("jia",))), False, False)
def test_the_word_pairs_told_apart_early_change_no_score(names, person, symmetric):
    first, second = names
    options = {"symmetric": symmetric, "partial_names": person}
    quick = score_names(first, second, lambda _: 1.0, **options)
    assert quick == score_names(first, second, lambda _: 1.0, lambda a, b: token_similarity(a, b), **options)


def test_the_word_similarity_is_asked_only_about_words_that_may_be_alike(monkeypatch: pytest.MonkeyPatch):
    # Not a shortcut that never applies: of four pairs of words, one equal and two nothing alike.
    asked: list[tuple[str, str]] = []
    letters_similarity = scoring._letters_similarity

    def counted(a: str, b: str) -> float:
        asked.append((a, b))
        return letters_similarity(a, b)

    monkeypatch.setattr(scoring, "_letters_similarity", counted)
    token_similarity.cache_clear()
    score_names(NormalName.of(("vladimir", "putin")), NormalName.of(("vladimir", "pudin")), lambda _: 1.0)
    assert asked == [("putin", "pudin")]
    assert token_similarity.cache_info().currsize == 0


def test_folds_are_asked_only_for_words_no_closer_pair_takes(monkeypatch: pytest.MonkeyPatch):
    # Folding is the slow step: "vladimir" and "sergeevich", paired as written, are never folded; "iouri" and
    # "yuriy", nothing alike as written, are (and are one name as two romanisations write it).
    folded: list[str] = []
    fold = scoring.roman_fold

    def counted(word: str) -> str:
        folded.append(word)
        return fold(word)

    monkeypatch.setattr(scoring, "roman_fold", counted)
    scored = score_names(
        NormalName.of(("iouri", "vladimir", "sergeevich")),
        NormalName.of(("yuriy", "vladimir", "sergeevich")),
        lambda _: 1.0,
    )
    assert sorted(set(folded)) == ["iouri", "yuriy"]
    assert "iouri~yuriy" in scored.explanation


@pytest.fixture(scope="module")
def merged_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Curated data, the bundled extracts, an OpenSanctions file (sanctions stated per record) and a UN list with
    records delisted between two editions: every path the merge builds objects on."""
    store = Store.open(str(tmp_path_factory.mktemp("merged") / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(
        store, "opensanctions", [REAL / "opensanctions" / "yente_t1_eu_fsf_sample.entities.ftm.json"], now=TODAY
    )
    for edition in ("2018-08-24", "2018-10-29"):
        path = REAL / "un" / f"UN_consolidated_{edition}.xml"
        refresh_files(store, "un-sc", [path], now=TODAY, as_of=dt.date.fromisoformat(edition))
    return load_knowledge(store)


def test_the_merge_covers_every_kind_of_record(merged_kb: KnowledgeBase):
    lists = {ref.list for entity in merged_kb.entities.values() for ref in entity.records}
    assert {"ofac-sdn", "uk-sanctions-list", "mitre-attack", "misp-galaxy", "opensanctions", "un-sc"} <= lists
    assert any(ref.delisted_on for entity in merged_kb.entities.values() for ref in entity.records)


def test_every_entity_the_merge_builds_is_what_validation_builds(merged_kb: KnowledgeBase):
    for entity in merged_kb.entities.values():
        # asdict turns the nested names and records into dicts, so validation checks them too.
        assert Entity(**dataclasses.asdict(entity)) == entity, entity.id


def test_every_sanction_and_relation_the_merge_builds_is_what_validation_builds(merged_kb: KnowledgeBase):
    for sanction in merged_kb.sanctions:
        assert Sanction(**dataclasses.asdict(sanction)) == sanction, sanction.id
    for relation in merged_kb.relations:
        assert Relation(**dataclasses.asdict(relation)) == relation, relation.id


def test_a_blank_alias_in_a_catalogue_is_left_out_of_the_card_not_a_failed_start(tmp_path: Path):
    # A real ATT&CK object with blank aliases added: the importer keeps them, and the merge, which does not
    # validate names again, must drop them rather than put a blank name on a card.
    original = REAL / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set"
    source = original / "intrusion-set--4283ae19-69c7-4347-a35e-b56f08eb660b.json"
    bundle = json.loads(source.read_text(encoding="utf-8"))
    group = next(o for o in bundle["objects"] if o["type"] == "intrusion-set")
    group["aliases"] = [*group["aliases"], "", "   "]
    folder = tmp_path / "attack"
    folder.mkdir()
    (folder / source.name).write_text(json.dumps(bundle), encoding="utf-8")
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, "mitre-attack", [folder], now=TODAY)
    kb = load_knowledge(store)
    card = next(e for e in kb.entities.values() if any(r.record_id == "G0128" for r in e.records))
    assert card.names and all(name.value.strip() for name in card.names)
    assert Entity(**dataclasses.asdict(card)) == card


def test_trusted_construction_still_refuses_a_missing_or_unknown_field():
    with pytest.raises(TypeError, match="needs 'value'"):
        trusted(Name, type=NameType.ALIAS)
    with pytest.raises(TypeError, match="no field colour"):
        trusted(Name, value="i-Soon", colour="red")
    assert trusted(Entity, id="x", kind=EntityKind.COMPANY, caption="X", names=()).identifiers == {}


def test_a_pickled_knowledge_base_comes_back_equal_and_answers_the_same(merged_kb: KnowledgeBase):
    again = pickle.loads(pickle.dumps(merged_kb, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.entities == merged_kb.entities
    assert again.sanctions == merged_kb.sanctions
    assert again.relations == merged_kb.relations
    assert again.index.names == merged_kb.index.names
    assert again.snapshots == merged_kb.snapshots
    for query in ("Wuhan Xiaoruizhi", "GhostEmperor", "Zhao Guangzong"):
        assert again.lookup(query) == merged_kb.lookup(query)


def test_the_cache_writer_remembers_no_object_per_name_nor_per_date(merged_kb: KnowledgeBase):
    # The pickler keeps every object it wrote, and every argument tuple it made, until the part is written: an
    # object per name (two, with its normalised form) and one per date had lifted a first start's peak memory.
    pickled = pickle.dumps(merged_kb.index, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"IndexedName" not in pickled and b"NormalName" not in pickled
    assert "_exact" not in merged_kb.index.__getstate__() and "_sanctions_by_entity" not in merged_kb.__getstate__()
    listed = [sanction for sanction in merged_kb.sanctions if sanction.list_ref]
    dates = [day for sanction in listed for day in (sanction.listed_on, sanction.ended_on) if day]
    assert len({id(day) for day in dates}) == len(set(dates)) < len(dates)


def _through_cache(kb: KnowledgeBase, cache: Path) -> KnowledgeBase:
    with cache.open("wb") as handle:
        loading._write_parts(kb, handle)
    with cache.open("rb") as handle:
        return loading._read_parts(handle)


def test_the_cache_written_in_parts_comes_back_equal_and_answers_the_same(merged_kb: KnowledgeBase, tmp_path):
    cache = tmp_path / "knowledge.pickle"
    again = _through_cache(merged_kb, cache)
    assert vars(again).keys() == vars(merged_kb).keys() - {"_derived_tables"}
    for name in ("sources", "entities", "sanctions", "relations", "snapshots", "_relations_of", "_by_reference"):
        assert getattr(again, name) == getattr(merged_kb, name), name
    # Made again when loaded, not pickled: each entity's facts, and the index's tables keyed by whole names.
    assert again._sanctions_by_entity == merged_kb._sanctions_by_entity
    assert again._allegations_by_entity == merged_kb._allegations_by_entity
    assert vars(again.index) == vars(merged_kb.index) | {"_near_cache": {}}
    assert list(again.entities) == list(merged_kb.entities)  # the base's order, which cards and /ask follow
    assert all(again.links_of(entity) == merged_kb.links_of(entity) for entity in merged_kb.entities)
    assert again.index.names == merged_kb.index.names
    # Objects within one part stay shared: a card's sanctions are the very objects of the list of sanctions.
    some = next(iter(again._sanctions_by_entity.values()))[0]
    assert any(sanction is some for sanction in again.sanctions)
    for query in ("Wuhan Xiaoruizhi", "GhostEmperor", "Zhao Guangzong"):
        assert again.lookup(query) == merged_kb.lookup(query)
    with cache.open("ab") as handle:
        handle.write(pickle.dumps("more"))
    with cache.open("rb") as handle, pytest.raises(pickle.UnpicklingError, match="after the last part"):
        loading._read_parts(handle)


def test_a_byte_changed_anywhere_in_the_cache_is_caught_when_it_is_loaded(merged_kb: KnowledgeBase, tmp_path):
    # Before: one byte changed inside an entity's pickle loaded without a word (entities are read when asked for)
    # and that card then failed on every start; one inside a string would have shown the changed text.
    cache = tmp_path / "knowledge.pickle"
    _through_cache(merged_kb, cache)
    data = bytearray(cache.read_bytes())
    caption = next(iter(merged_kb.entities.values())).caption.encode()
    for at in (data.find(caption), data.rfind(caption)):  # its first and last place in the file
        changed = bytearray(data)
        changed[at] ^= 0x01
        cache.write_bytes(bytes(changed))
        with cache.open("rb") as handle, pytest.raises(pickle.UnpicklingError, match="checksum"):
            loading._read_parts(handle)
    cache.write_bytes(bytes(data[:-1]))  # cut short by one byte
    with cache.open("rb") as handle, pytest.raises(pickle.UnpicklingError):
        loading._read_parts(handle)


def test_fast_pickling_refuses_a_class_of_one_field():
    @dataclasses.dataclass(frozen=True, slots=True)
    class One:
        value: str

    with pytest.raises(TypeError, match="two fields or more"):
        fast_pickle(One)


def test_a_cached_base_unpickles_only_the_entities_read(merged_kb: KnowledgeBase, tmp_path):
    again = _through_cache(merged_kb, tmp_path / "knowledge.pickle")
    assert isinstance(again.entities, CachedEntities)
    assert again.lookup("Wuhan Xiaoruizhi").best is not None
    assert again.entities._read == {}  # a lookup reads the index, never an entity
    first = again.entity("isoon")
    assert again.entities._read == {"isoon": first}
    assert again.entity("isoon") is first
    with pytest.raises(BriefbotError):
        again.entity("no-such-entity")
    assert "isoon" in again.entities and "no-such-entity" not in again.entities
    # Copied or cached again, the base holds the plain dict the entities stand for.
    assert type(pickle.loads(pickle.dumps(again)).entities) is dict


def test_threads_reading_one_cached_entity_first_all_get_the_same_object(merged_kb: KnowledgeBase):
    entities = CachedEntities(pickled_entities(merged_kb.entities))
    ids = list(merged_kb.entities)[:200]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: [entities[entity_id] for entity_id in ids], range(8)))
    assert all(all(a is b for a, b in zip(got, seen[0], strict=True)) for got in seen)
    assert seen[0] == [merged_kb.entities[entity_id] for entity_id in ids]


def test_fast_pickling_restores_by_the_class_s_own_function():
    link = Link("curated:isoon", "linked to", None, "curated", Predicate.LINKED_TO, "note", True)
    assert b"Link._from_pickle" in pickle.dumps(link, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(pickle.dumps(link, protocol=pickle.HIGHEST_PROTOCOL)) == link
