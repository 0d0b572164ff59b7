"""The curated data: every reference resolves, every source is used, broken data names its file and record."""

import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from knowledge.curated import load_curated
from knowledge.errors import DataError

DATA = Path(str(resources.files("knowledge") / "data"))
ATTRIBUTION = re.compile(r"\b(alleges?|says|assessed|charged|describes|allege)\b")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def test_every_source_is_cited_by_something(kb):
    cited = set()
    for entity in kb.entities.values():
        cited.update(entity.sources)
        cited.update(n.source for n in entity.names if n.source)
    cited.update(s.source for s in kb.sanctions)
    cited.update(s.list_source for s in kb.sanctions if s.list_source)
    cited.update(a.source for a in kb.allegations)
    cited.update(r.source for r in kb.relations)
    assert cited == set(kb.sources)


def test_allegations_are_worded_as_someones_claim(kb):
    for allegation in kb.allegations:
        assert ATTRIBUTION.search(allegation.statement), allegation.id


def test_summaries_of_actors_and_people_say_whose_description_they_are(kb):
    # Who is behind an operation, or what a person did, is a government's or agency's word, never ours.
    for entity in kb.entities.values():
        if entity.summary and entity.kind.value in ("threat actor", "operation", "person"):
            assert re.match(r"(Described|Said|Named) by ", entity.summary), entity.id


def test_the_data_has_every_entity_the_foundation_asks_for(kb):
    assert {
        "isoon",
        "integrity-tech",
        "sichuan-juxinhe",
        "beijing-huanyu-tianqiong",
        "sichuan-zhixin-ruijie",
        "salt-typhoon",
        "flax-typhoon",
        "raptor-train",
        "yin-kecheng",
        "zhou-shuai",
        "shanghai-heiying",
        "wu-haibo",
        "wuhan-xiaoruizhi",
        "apt31",
        "zhao-guangzong",
        "ni-gaobin",
        "gb-fcdo",
        "gb-ncsc",
        "us-ofac",
    } <= set(kb.entities)


def test_salt_typhoon_carries_every_name_users_type(kb):
    names = {n.value for n in kb.entity("salt-typhoon").names}
    assert {"Salt Typhoon", "Hurricane Salt", "GhostEmperor", "OPERATOR PANDA", "RedMike", "UNC5807"} <= names


def test_a_sanction_citing_a_missing_source_fails_naming_file_and_record(data_copy: Path):
    path = data_copy / "sanctions.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('source = "ofac-2025-01-17"', 'source = "nowhere"', 1),
        encoding="utf-8",
    )
    with pytest.raises(
        DataError,
        match=r"sanctions\.toml: sanction 'us-2025-01-17-sichuan-juxinhe': cites unknown source 'nowhere'",
    ):
        load_curated(data_copy)


def test_an_allegation_about_an_unknown_entity_fails_naming_it(data_copy: Path):
    path = data_copy / "allegations.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('subject = "wu-haibo"', 'subject = "nobody"'),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"allegation 'doj-wu-haibo-charges': names unknown subject 'nobody'"):
        load_curated(data_copy)


def test_an_impossible_date_fails_naming_the_record(data_copy: Path):
    path = data_copy / "relations.toml"
    text = path.read_text(encoding="utf-8").replace("date = 2024-09-18", 'date = "2024-02-30"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"relations\.toml: relation 'integrity-operates-raptor-train': date"):
        load_curated(data_copy)


def test_an_unknown_field_is_rejected(data_copy: Path):
    path = data_copy / "entities.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('caption = "i-Soon"', 'caption = "i-Soon"\ncolour = "red"'),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"entities\.toml: entity 'isoon': colour: Unexpected keyword argument"):
        load_curated(data_copy)


def test_a_duplicate_id_is_rejected(data_copy: Path):
    path = data_copy / "sources.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + '\n[[source]]\nid = "doj-2025-03-05"\nby = "x"\nkind = "report"\ntitle = "t"\npublisher = "p"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="duplicate id 'doj-2025-03-05'"):
        load_curated(data_copy)


def test_broken_toml_names_the_file(data_copy: Path):
    (data_copy / "relations.toml").write_text("[[relation]\nid = ", encoding="utf-8")
    with pytest.raises(DataError, match=r"relations\.toml: cannot be read"):
        load_curated(data_copy)
