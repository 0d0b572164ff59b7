"""Briefs through `briefbot brief`: the Markdown with its pictures, the PDF read back by pypdf, STIX checked by
OASIS's validator."""

import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader
from stix2validator import ValidationOptions, validate_string

from bot.briefs import brief_pdf, brief_stix, build_brief
from conftest import run_briefbot
from knowledge.curated import load_curated


def squeezed(text: str) -> str:
    # pypdf reads fpdf2's CFF-font text back with a NUL or space between letters (poppler's pdftotext reads it
    # cleanly): compare without either.
    return "".join(text.replace("\x00", "").split())


@pytest.fixture(scope="module")
def isoon_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    for fmt, name in (("md", "i-soon.md"), ("pdf", "i-soon.pdf"), ("stix", "i-soon.json")):
        run = run_briefbot("brief", "i-Soon", "--format", fmt, "--out", str(folder / name))
        assert run.returncode == 0, run.stderr
    return folder


def test_the_markdown_brief_has_the_cards_facts_numbered_sources_and_its_pictures_beside_it(isoon_files, kb):
    text = (isoon_files / "i-soon.md").read_text(encoding="utf-8")
    assert text.startswith("# i-Soon — Sichuan Anxun Information Technology Co., Ltd.")
    assert "The FCDO alleges that i-Soon" in text
    assert "designated 2025-12-09" in text
    for picture in ("i-soon-graph.png", "i-soon-timeline.png"):
        assert f"]({picture})" in text
        assert Image.open(isoon_files / picture).width >= 1200
    card = build_brief(kb, "isoon").card
    for citation in card.citations:
        assert f"{citation.number}. " in text and citation.publisher in text
    assert all(f"[{n}]" in text.replace("\\", "") for c in card.citations for n in [c.number])


def test_the_pdf_brief_names_the_entity_its_links_and_every_source(isoon_files, kb):
    reader = PdfReader(isoon_files / "i-soon.pdf")
    text = squeezed("".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) == 1
    for expected in (
        "i-Soon",
        "Sichuan Anxun Information Technology Co., Ltd.",
        "四川安洵信息技术有限公司",
        "The FCDO alleges that i-Soon",
        "Integrity Technology Group",
    ):
        assert squeezed(expected) in text
    for citation in build_brief(kb, "isoon").card.citations:
        assert squeezed(f"[{citation.number}] {citation.title}") in text
    assert len(reader.pages[-1].images) + len(reader.pages[0].images) >= 1


def test_the_stix_bundle_passes_the_oasis_validator_and_keeps_allegations_as_allegations(isoon_files):
    raw = (isoon_files / "i-soon.json").read_text(encoding="utf-8")
    result = validate_string(raw, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for r in getattr(result, "results", [result]) for e in r.errors]
    objects = json.loads(raw)["objects"]
    by_name = {o.get("name"): o for o in objects}
    isoon = by_name["i-Soon"]
    assert isoon["type"] == "identity" and "四川安洵信息技术有限公司" in isoon["x_opencti_aliases"]
    assert all(ref["source_name"] and ref["description"] for ref in isoon["external_references"])
    assert any("designated 2025-12-09" in ref["description"] for ref in isoon["external_references"])
    assert by_name["Integrity Technology Group"]["labels"] == ["sanctioned"]
    relations = [o for o in objects if o["type"] == "relationship"]
    assert relations and all(o["external_references"] for o in relations)
    assert {o["source_ref"] for o in relations} | {o["target_ref"] for o in relations} <= {o["id"] for o in objects}
    notes = [o for o in objects if o["type"] == "note"]
    assert notes and all(" alleges " in n["content"] or "alleg" in n["abstract"].casefold() for n in notes)


@pytest.mark.parametrize("name", ["salt-typhoon", "apt31", "integrity-tech"])
def test_threat_actor_and_company_bundles_validate(kb, name):
    bundle = brief_stix(kb, build_brief(kb, name))
    assert validate_string(json.dumps(bundle), ValidationOptions(version="2.1")).is_valid
    kinds = {o["type"] for o in bundle["objects"]}
    assert "intrusion-set" in kinds or "identity" in kinds


def pdf_of(kb, entity_id: str) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(brief_pdf(build_brief(kb, entity_id))))
    return len(reader.pages), squeezed("".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_curated_brief_is_one_pdf_page_with_its_name_and_sources(kb, entity_id):
    pages, text = pdf_of(kb, entity_id)
    assert pages == 1
    card = build_brief(kb, entity_id).card
    assert squeezed(card.title) in text
    listed = [c for c in card.citations if squeezed(f"[{c.number}] {c.title}") in text]
    assert listed == card.citations or squeezed(f"And {len(card.citations) - len(listed)} more sources") in text


def test_a_crowded_real_bank_is_one_page_that_says_what_it_left_to_the_markdown_brief(real_kb):
    bank = next(e for e in sorted(real_kb.entities) if real_kb.entity(e).caption == "KOREA DAESONG BANK")
    assert len({link.other for link in real_kb.links_of(bank)}) >= 20
    pages, text = pdf_of(real_kb, bank)
    assert pages == 1
    assert squeezed("KOREA DAESONG BANK") in text and squeezed("KDBKKPPY") in text
    assert squeezed("— see the Markdown brief.") in text
    for citation in build_brief(real_kb, bank).card.citations[:3]:
        assert squeezed(f"[{citation.number}] {citation.title}") in text


def test_a_name_in_a_script_the_pdf_font_lacks_is_named_not_boxed(real_kb):
    arabic = next(
        e
        for e in sorted(real_kb.entities)
        if any("\u0600" <= c <= "\u06ff" for n in real_kb.entity(e).names for c in n.value)
    )
    pages, text = pdf_of(real_kb, arabic)
    assert pages == 1 and squeezed("[Arabic script not drawn]") in text


def test_the_same_data_gives_the_same_pdf_and_bundle(kb):
    first, second = build_brief(kb, "integrity-tech"), build_brief(kb, "integrity-tech")
    assert brief_pdf(first) == brief_pdf(second)
    assert brief_stix(kb, first) == brief_stix(kb, second)


def test_brief_of_an_unknown_name_says_so_and_writes_nothing(tmp_path):
    out = tmp_path / "x.pdf"
    run = run_briefbot("brief", "Nonexistent Widget Makers of Atlantis", "--format", "pdf", "--out", str(out))
    assert run.returncode == 1 and "No entity matching" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_brief_of_a_name_several_entities_hold_offers_each_as_a_brief_command(tmp_path):
    run = run_briefbot("brief", "Ali", "--format", "pdf")
    assert run.returncode == 1 and "Which one do you mean?" in run.stderr
    assert "→ briefbot brief ofac:26137 --format pdf" in run.stderr and "→ /who" not in run.stderr
