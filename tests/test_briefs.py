"""Briefs through `briefbot brief`: the Markdown with its pictures, the PDF read back by pypdf, STIX checked by
OASIS's validator in strict mode and parsed by the stix2 library without custom content."""

import datetime as dt
import io
import json
import re

import pytest
import stix2
from PIL import Image
from pypdf import PdfReader
from stix2validator import ValidationOptions, validate_string

from bot.briefs import Tlp, brief_markdown, brief_pdf, brief_stix, build_brief
from bot.cards import entity_card
from bot.list_dates import LABEL
from bot.service import Bot
from conftest import run_briefbot
from knowledge.curated import load_curated
from knowledge.lists.freshness import list_ages

# A fixed moment, years after the bundled extracts' dates: every list they hold is then possibly out of date.
LATER = dt.datetime(2031, 1, 2, 3, 4, tzinfo=dt.UTC)
STRICT = ValidationOptions(version="2.1", strict=True, strict_types=True, strict_properties=True)


def squeezed(text: str) -> str:
    # Line breaks fall where the PDF's lines end: compare without white space where a test needs a whole long text.
    return "".join(text.split())


def stix_errors(bundle: dict) -> list[str]:
    """What OASIS's validator in strict mode (warnings as errors, no custom types or properties) and the stix2
    library without custom content find wrong with the bundle."""
    raw = json.dumps(bundle)
    result = validate_string(raw, STRICT)
    found = [str(e) for r in getattr(result, "object_results", [result]) for e in r.errors + r.warnings]
    try:
        stix2.parse(raw, allow_custom=False)
    except Exception as error:  # the library raises several kinds; any is a failure here
        found.append(f"stix2.parse: {error}")
    return found


@pytest.fixture(scope="module")
def isoon_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    for fmt, name in (("md", "i-soon.md"), ("pdf", "i-soon.pdf"), ("stix", "i-soon.json")):
        run = run_briefbot("brief", "i-Soon", "--format", fmt, "--out", str(folder / name))
        assert run.returncode == 0, run.stderr
    return folder


def test_the_markdown_brief_has_the_cards_facts_numbered_sources_and_its_pictures_beside_it(isoon_files, kb):
    text = (isoon_files / "i-soon.md").read_text(encoding="utf-8")
    assert text.startswith("**TLP:CLEAR** (disclosure is not limited)\n\n# i-Soon — Sichuan Anxun Information")
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
    text = squeezed(reader.pages[0].extract_text())
    assert len(reader.pages) == 3
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
    assert [len(page.images) for page in reader.pages] == [0, 1, 1]


def test_the_stix_bundle_passes_the_oasis_validator_and_keeps_allegations_as_allegations(isoon_files):
    raw = (isoon_files / "i-soon.json").read_text(encoding="utf-8")
    assert stix_errors(json.loads(raw)) == []
    objects = json.loads(raw)["objects"]
    by_name = {o.get("name"): o for o in objects}
    isoon = by_name["i-Soon"]
    [(extension_id, aliases)] = isoon["extensions"].items()
    declared = next(o for o in objects if o["id"] == extension_id)
    assert declared["type"] == "extension-definition" and declared["extension_types"] == ["property-extension"]
    assert aliases["extension_type"] == "property-extension" and "四川安洵信息技术有限公司" in aliases["aliases"]
    assert all(ref["source_name"] and ref["description"] for ref in isoon["external_references"])
    assert any("designated 2025-12-09" in ref["description"] for ref in isoon["external_references"])
    assert by_name["Integrity Technology Group"]["labels"] == ["sanctioned"]
    relations = [o for o in objects if o["type"] == "relationship"]
    assert relations and all(o["external_references"] for o in relations)
    assert {o["source_ref"] for o in relations} | {o["target_ref"] for o in relations} <= {o["id"] for o in objects}
    notes = [o for o in objects if o["type"] == "note"]
    assert notes and all(" alleges " in n["content"] or "alleg" in n["abstract"].casefold() for n in notes)


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_curated_bundle_passes_the_strict_validator_and_parses_without_custom_content(kb, entity_id):
    bundle = brief_stix(kb, build_brief(kb, entity_id, now=LATER))
    assert stix_errors(bundle) == []
    kinds = {o["type"] for o in bundle["objects"]}
    assert "intrusion-set" in kinds or "identity" in kinds or "campaign" in kinds
    assert not any(key.startswith("x_") for o in bundle["objects"] for key in o)


def test_operates_is_exported_as_the_relationships_stix_names_not_related_to(kb):
    bundle = brief_stix(kb, build_brief(kb, "integrity-tech", now=LATER))
    by_id = {o["id"]: o for o in bundle["objects"]}
    named = {
        (by_id[o["source_ref"]]["type"], by_id[o["source_ref"]]["name"], o["relationship_type"],
         by_id[o["target_ref"]]["type"], by_id[o["target_ref"]]["name"])
        for o in bundle["objects"] if o["type"] == "relationship"
    }  # fmt: skip
    company = "Integrity Technology Group"
    # The company operates the Raptor Train botnet (per the FBI-led advisory): as STIX 2.1's table has it, the
    # company's threat-actor persona uses the infrastructure and is attributed to the company's identity.
    assert ("threat-actor", company, "uses", "infrastructure", "Raptor Train") in named
    assert ("threat-actor", company, "attributed-to", "identity", company) in named
    assert not any(kind == "related-to" and "Raptor Train" in (a, b) for _, a, kind, _, b in named)


@pytest.mark.parametrize("tlp", list(Tlp))
def test_every_stix_object_carries_the_chosen_tlp_2_marking(kb, tlp):
    bundle = brief_stix(kb, build_brief(kb, "isoon", now=LATER, tlp=tlp))
    [marking] = [o for o in bundle["objects"] if o["type"] == "marking-definition"]
    assert marking["name"] == tlp.value
    [extension] = marking["extensions"].values()
    assert extension["tlp_2_0"] == tlp.value.removeprefix("TLP:").lower()
    assert all(o["object_marking_refs"] == [marking["id"]] for o in bundle["objects"] if o is not marking)
    assert stix_errors(bundle) == []


def pdf_of(kb, entity_id: str) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(brief_pdf(build_brief(kb, entity_id))))
    return len(reader.pages), squeezed("".join(page.extract_text() for page in reader.pages))


def pages_and_first_page_of(kb, entity_id: str) -> tuple[int, str]:
    """The number of pages and the first page's text, from one rendering (a PDF brief takes seconds)."""
    reader = PdfReader(io.BytesIO(brief_pdf(build_brief(kb, entity_id))))
    return len(reader.pages), squeezed(reader.pages[0].extract_text())


@pytest.mark.parametrize("entity_id", sorted(load_curated().entities))
def test_every_curated_brief_has_its_text_on_one_pdf_page_then_its_two_pictures(kb, entity_id):
    pages, text = pages_and_first_page_of(kb, entity_id)
    assert pages == 3
    card = build_brief(kb, entity_id).card
    assert squeezed(card.title) in text
    listed = [c for c in card.citations if squeezed(f"[{c.number}] {c.title}") in text]
    assert listed == card.citations or squeezed(f"And {len(card.citations) - len(listed)} more sources") in text


def test_a_crowded_real_bank_is_one_page_that_says_what_it_left_to_the_markdown_brief(real_kb):
    bank = next(e for e in sorted(real_kb.entities) if real_kb.entity(e).caption == "KOREA DAESONG BANK")
    assert len({link.other for link in real_kb.links_of(bank)}) >= 20
    pages, text = pages_and_first_page_of(real_kb, bank)
    assert pages == 3
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
    assert pages == 3 and squeezed("[Arabic script not drawn]") in text


def test_the_same_data_gives_the_same_pdf_and_bundle(kb):
    first, second = build_brief(kb, "integrity-tech", now=LATER), build_brief(kb, "integrity-tech", now=LATER)
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


def test_the_pdf_text_extracts_as_words_not_letter_by_letter(kb):
    reader = PdfReader(io.BytesIO(brief_pdf(build_brief(kb, "integrity-tech", now=LATER))))
    text = reader.pages[0].extract_text()
    # Read as written, white space and all: the words, the Chinese name, no NUL between letters.
    assert "\x00" not in text and "I n t e g r i t y" not in text
    assert "Integrity Technology Group — Integrity Technology Group Incorporated" in text
    assert "Beijing-based technology company" in text and "北京永信至诚科技股份有限公司" in text
    words = text.split()
    assert sum(len(word) == 1 and word.isalpha() for word in words) < len(words) / 20


def card_freshness(kb, entity_id: str, now: dt.datetime) -> str:
    """The /who card's "Lists as of" line at `now`, as the card command builds it."""
    card = entity_card(kb, entity_id, None, command="who", query=entity_id, ages=list_ages(kb.snapshots, now=now))
    return next(f.value for f in card.facts if f.label == LABEL)


def test_the_briefs_say_what_the_card_says_of_the_lists_freshness(kb):
    freshness = card_freshness(kb, "integrity-tech", LATER)
    assert "possibly out of date: not confirmed with the publisher for" in freshness
    brief = build_brief(kb, "integrity-tech", now=LATER)
    assert brief.freshness == freshness
    markdown = brief_markdown(brief)
    assert f"- **Lists as of:** {freshness}" in markdown.replace("\\", "")
    # The closing line too, which used to give only the newest source's date.
    assert f"Lists as of: {freshness}." in markdown.splitlines()[-3].replace("\\", "")
    text = squeezed(PdfReader(io.BytesIO(brief_pdf(brief))).pages[0].extract_text())
    assert text.count(squeezed(f"Lists as of: {freshness}")) == 2


def test_a_long_card_is_cut_on_the_pdf_page_but_never_its_freshness_line(real_kb):
    bank = next(e for e in sorted(real_kb.entities) if real_kb.entity(e).caption == "KOREA DAESONG BANK")
    brief = build_brief(real_kb, bank, now=LATER)
    assert brief.freshness and "possibly out of date" in brief.freshness
    text = squeezed(PdfReader(io.BytesIO(brief_pdf(brief))).pages[0].extract_text())
    assert squeezed("— see the Markdown brief.") in text
    assert squeezed(f"Lists as of: {brief.freshness}") in text


def tlp_marks(page) -> list[tuple[str, float]]:
    """The TLP labels on a PDF page, with how far up the page each stands (0 bottom, 1 top)."""
    found: list[tuple[str, float]] = []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):
        if text.strip().startswith("TLP:"):
            found.append((text.strip(), (cm[5] + tm[5]) / height))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("tlp", list(Tlp))
def test_the_chosen_tlp_marking_stands_at_the_top_and_bottom_of_every_pdf_page_and_the_markdown(kb, tlp):
    brief = build_brief(kb, "isoon", now=LATER, tlp=tlp)
    reader = PdfReader(io.BytesIO(brief_pdf(brief)))
    for page in reader.pages:
        marks = [(label, place) for label, place in tlp_marks(page) if label == tlp.value]
        assert any(place > 0.9 for _, place in marks) and any(place < 0.1 for _, place in marks), marks
    lines = brief_markdown(brief).strip().splitlines()
    assert lines[0].startswith(f"**{tlp.value}**") and lines[-1].startswith(f"**{tlp.value}**")


def test_the_briefs_carry_their_production_date(kb):
    brief = build_brief(kb, "isoon", now=LATER)
    assert "_Produced by briefbot on 2031-01-02 03:04 UTC._" in brief_markdown(brief)
    reader = PdfReader(io.BytesIO(brief_pdf(brief)))
    assert "Produced by briefbot on 2031-01-02 03:04 UTC." in reader.pages[0].extract_text()
    assert reader.metadata.creation_date == LATER


def placed_width_points(page) -> float:
    """The width in points at which the page's one image is drawn (its `cm` before `Do`)."""
    content = page.get_contents().get_data().decode("latin-1")
    [width] = re.findall(r"q ([\d.]+) 0 0 [\d.]+ [\d.]+ [\d.]+ cm /I\d+ Do Q", content)
    return float(width)


@pytest.mark.parametrize("entity_id", ["integrity-tech", "apt31"])
def test_the_pdf_relationship_picture_is_printed_with_legible_text(kb, entity_id):
    brief = build_brief(kb, entity_id, now=LATER)
    page = PdfReader(io.BytesIO(brief_pdf(brief))).pages[1]
    graph = brief.printed_graph
    points_per_pixel = placed_width_points(page) / graph.width
    smallest = min(text.size for text in graph.texts) * points_per_pixel
    assert smallest >= 6, f"the graph's smallest text prints at {smallest:.1f} pt"


def test_a_crowded_graph_is_printed_with_fewer_boxes_and_legible_text(real_kb):
    bank = next(e for e in sorted(real_kb.entities) if real_kb.entity(e).caption == "KOREA DAESONG BANK")
    brief = build_brief(real_kb, bank, now=LATER)
    page = PdfReader(io.BytesIO(brief_pdf(brief))).pages[1]
    graph = brief.printed_graph
    assert min(text.size for text in graph.texts) * placed_width_points(page) / graph.width >= 6
    assert any(text.text.startswith("And ") and "more not drawn" in text.text for text in graph.texts)


def test_the_timeline_of_a_threat_actor_shows_the_dated_designations_its_card_cites(kb):
    brief = build_brief(kb, "apt31", now=LATER)
    cited = {c.date for c in brief.card.citations if "designation" in c.title.casefold()}
    assert dt.date(2024, 3, 25) in cited
    drawn = [text.text for text in brief.timeline.texts]
    assert "No dated events recorded in the loaded data." not in drawn
    assert any("2024-03-25" in text for text in drawn)
    timeline = next(s for s in brief.card.sections if s.title == "Timeline")
    assert any(line.text.startswith("2024-03-25 — UK FCDO: sanctions action") for line in timeline.lines)


def test_brief_takes_a_tlp_marking_and_refuses_an_unknown_one(tmp_path):
    out = tmp_path / "i-soon.md"
    run = run_briefbot("brief", "i-Soon", "--format", "md", "--tlp", "amber+strict", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("**TLP:AMBER+STRICT**")
    refused = run_briefbot("brief", "i-Soon", "--tlp", "purple", "--out", str(tmp_path / "x.md"))
    assert refused.returncode == 2 and "'purple' is not a TLP 2.0 label" in refused.stderr
    assert "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED" in refused.stderr
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize("entity_id", ["integrity-tech", "isoon", "apt31"])
def test_a_brief_made_with_the_bots_store_says_what_its_who_card_says_of_freshness(kb, seeded_store, entity_id):
    bot = Bot(kb, store=seeded_store, clock=lambda: LATER)
    card = bot.answer(f"/who {kb.entity(entity_id).caption}")
    [said] = [fact.value for fact in card.facts if fact.label == LABEL]
    assert build_brief(kb, entity_id, store=seeded_store, now=LATER).freshness == said
