"""The relationship and timeline pictures: decoded and read back, for every curated entity and a crowded real one."""

import io
from dataclasses import replace
from importlib import resources
from itertools import combinations

import pytest
from PIL import Image, ImageChops, features

from bot.pictures import MAX_NEIGHBOURS, Picture, relationship_picture, text_image, timeline_picture
from bot.pictures.canvas import legible
from conftest import run_briefbot
from knowledge.curated import load_curated
from knowledge.models import NameType

MIN_WIDTH = 1200
CURATED = sorted(load_curated().entities)


def decoded(picture: Picture) -> Image.Image:
    image = Image.open(io.BytesIO(picture.png))
    image.load()
    return image


def shows(picture: Picture, text: str) -> bool:
    """The text is drawn, whole and uncovered: the picture's pixels at its box are those of the text drawn alone."""
    image = decoded(picture).convert("RGB")
    for drawn in picture.texts:
        if drawn.text == text:
            alone = text_image(drawn)
            if ImageChops.difference(image.crop(drawn.box), alone).getbbox() is None:
                return True
    return False


def not_blank(image: Image.Image) -> bool:
    """Drawn on, in colour: a score of colours (text edges are drawn in a few steps only) and a share of the
    pixels off the white ground."""
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
    ground = max(colours)[0] if colours else 0
    return len(colours) > 20 and ground < 0.97 * image.width * image.height


def overlapping(picture: Picture) -> list[tuple[str, str]]:
    def meets(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    return [(a.text, b.text) for a, b in combinations(picture.texts, 2) if meets(a.box, b.box)]


def outside(picture: Picture) -> list[str]:
    return [
        t.text
        for t in picture.texts
        if t.box[0] < 0 or t.box[1] < 0 or t.box[2] > picture.width or t.box[3] > picture.height
    ]


@pytest.mark.parametrize("entity_id", CURATED)
def test_every_curated_relationship_picture_is_wide_readable_and_shows_the_name(kb, entity_id):
    picture = relationship_picture(kb, entity_id)
    image = decoded(picture)
    assert image.format == "PNG" and image.size == (picture.width, picture.height)
    assert image.width >= MIN_WIDTH
    assert not_blank(image)
    caption = kb.entity(entity_id).caption
    assert shows(picture, f"Related to {caption}")
    assert caption in image.text["Title"]
    assert overlapping(picture) == [] and outside(picture) == []


@pytest.mark.parametrize("entity_id", CURATED)
def test_every_curated_timeline_labels_each_event_with_its_date(kb, entity_id):
    picture = timeline_picture(kb, entity_id)
    image = decoded(picture)
    assert image.width >= MIN_WIDTH
    assert shows(picture, f"Timeline of {kb.entity(entity_id).caption}")
    for event in kb.timeline(entity_id):
        assert shows(picture, event.date.isoformat())
    assert overlapping(picture) == [] and outside(picture) == []


def test_the_isoon_graph_shows_its_chinese_name_its_neighbours_and_each_link(kb):
    picture = relationship_picture(kb, "isoon")
    assert shows(picture, "四川安洵信息技术有限")
    for name in ("Integrity Technology Group", "Wu Haibo"):
        assert shows(picture, name)
    assert shows(picture, "co-designated with") and shows(picture, "2025-12-09 · UK FCDO")
    assert shows(picture, "UK") and shows(picture, "US")


def test_the_integrity_timeline_has_a_lane_per_authority_and_marks_the_designations(kb):
    picture = timeline_picture(kb, "integrity-tech")
    assert shows(picture, "UK (FCDO)") and shows(picture, "US (OFAC)")
    assert shows(picture, "designated (UK cyber)")
    assert shows(picture, "2025-01-03") and shows(picture, "2024-09-18")


def test_the_more_not_drawn_line_names_a_card_its_name_alone_would_not_open_by_its_reference(real_kb):
    # TOTOONOV, Aleksandr Borisovich is OFAC's 16674 and the UK's RUS0146, two cards (dates of birth differ):
    # typed, the name is a choice of the two, so the footer gives the reference.
    related = len({link.other for link in real_kb.links_of("ofac-sdn:16674")})
    picture = relationship_picture(real_kb, "ofac-sdn:16674", limit=0)
    assert shows(picture, f"And {related} more not drawn: /related ofac:16674 lists them all.")
    # KOREA DAESONG BANK (OFAC 12312) is one card with the UN's KPe.035 now: its name opens it.
    related = len({link.other for link in real_kb.links_of("ofac-sdn:12312")})
    picture = relationship_picture(real_kb, "ofac-sdn:12312", limit=10)
    assert shows(picture, f"And {related - 10} more not drawn: /related KOREA DAESONG BANK lists them all.")
    # NATIONAL IRANIAN TANKER COMPANY is one record's whole name, and the other's only with LLC after it: 131
    # records are "Linked To" the first, which its name alone opens.
    picture = relationship_picture(real_kb, "ofac-sdn:15117")
    assert shows(picture, "And 106 more not drawn: /related NATIONAL IRANIAN TANKER COMPANY lists them all.")


def test_a_crowded_entity_shows_the_limit_and_says_how_many_more(kb):
    crowded = max(kb.entities, key=lambda e: len({link.other for link in kb.links_of(e)}))
    related = len({link.other for link in kb.links_of(crowded)})
    assert related > 10
    picture = relationship_picture(kb, crowded, limit=10)
    caption = kb.entity(crowded).caption
    assert shows(picture, f"And {related - 10} more not drawn: /related {caption} lists them all.")
    assert overlapping(picture) == [] and outside(picture) == []
    shown = min(related, MAX_NEIGHBOURS)
    full = relationship_picture(kb, crowded)
    assert shows(full, f"{shown} of {related} related entities; each link says what, when and on whose word")


def test_the_same_data_gives_the_same_bytes(kb):
    assert relationship_picture(kb, "isoon").png == relationship_picture(kb, "isoon").png
    assert timeline_picture(kb, "integrity-tech").png == timeline_picture(kb, "integrity-tech").png


def test_an_entity_with_no_links_or_dates_still_gets_a_picture_that_says_so(kb):
    lonely = next(e for e in sorted(kb.entities) if not kb.links_of(e) and not kb.timeline(e))
    graph, timeline = relationship_picture(kb, lonely), timeline_picture(kb, lonely)
    assert shows(graph, "No links recorded in the loaded data.")
    assert shows(timeline, "No dated events recorded in the loaded data.")


def test_the_picture_command_writes_the_same_png_in_a_new_process(tmp_path, kb):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    for out in (first, second):
        run = run_briefbot("picture", "i-Soon", "--kind", "graph", "--out", str(out))
        assert run.returncode == 0, run.stderr
    assert first.read_bytes() == second.read_bytes() == relationship_picture(kb, "isoon").png
    run = run_briefbot("picture", "Integrity Tech", "--kind", "timeline", "--out", str(tmp_path / "t.png"))
    assert run.returncode == 0 and Image.open(tmp_path / "t.png").width >= MIN_WIDTH


def test_the_picture_command_asks_which_one_or_says_not_found_politely(tmp_path):
    run = run_briefbot("picture", "Sichuan", "--out", str(tmp_path / "x.png"))
    assert run.returncode == 1 and "i-Soon" in run.stderr and "Traceback" not in run.stderr
    # Each choice is this command again on the candidate's reference, ready to paste; not /who.
    assert f"→ briefbot picture curated:isoon --kind graph --out {tmp_path / 'x.png'}" in run.stderr
    assert "→ /who" not in run.stderr
    assert not (tmp_path / "x.png").exists()
    run = run_briefbot("picture", "i-Soon", "--out", str(tmp_path / "no" / "such" / "x.png"))
    assert run.returncode == 3 and "cannot write" in run.stderr and "Traceback" not in run.stderr


def _font_cmap(family: str, weight: str) -> set[int]:
    from fontTools.ttLib import TTFont

    from bot.pictures.canvas import FAMILIES

    path = resources.files("bot.pictures") / "fonts" / f"{family}-{weight}.{FAMILIES[family]}"
    return set(TTFont(io.BytesIO(path.read_bytes())).getBestCmap())


def tofu(picture: Picture) -> list[str]:
    """Texts with a character the font they are drawn in has no glyph for (a reader would see an empty box), read
    from each font file's own character map."""
    from bot.pictures.canvas import face_of

    found = []
    for drawn in picture.texts:
        face = face_of(drawn.text, drawn.weight)
        if face is None or not {ord(c) for c in drawn.text} <= _font_cmap(face[0], face[1].value):
            found.append(drawn.text)
    return found


def _first_native(kb, test) -> tuple[str, str]:
    for entity_id in sorted(kb.entities):
        for name in kb.entity(entity_id).names:
            if name.type is NameType.NON_LATIN and test(name.value) and kb.links_of(entity_id):
                return entity_id, name.value
    raise AssertionError("no such name on the real lists")


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(lambda v: all("\u0600" <= c <= "\u06ff" or c == " " for c in v), id="arabic"),
        pytest.param(lambda v: any(c in "پچژگی" for c in v) and " " in v, id="persian"),
    ],
)
def test_names_in_arabic_script_are_drawn_whole_and_shaped(real_kb, script):
    entity_id, native = _first_native(real_kb, script)
    picture = relationship_picture(real_kb, entity_id)
    assert tofu(picture) == []
    if not features.check("raqm"):
        # Without complex text layout Arabic script would be drawn unjoined and left to right: it is left out.
        assert not any(set(t.text) & set(native) - {" "} for t in picture.texts)
        return
    assert any(shows(picture, line) for line in (native, *native.split(" "))) or shows(picture, native)
    drawn = next(t for t in picture.texts if set(t.text) & set(native) - {" "})
    # Joined letters: shaped Arabic is narrower than its letters set one by one in their isolated forms.
    alone = sum(text_image(replace(drawn, text=c)).width for c in drawn.text if c != " ")
    assert text_image(drawn).width < alone


def test_ukrainian_and_turkish_letters_have_glyphs_and_other_scripts_are_named_not_boxed(real_kb):
    ukrainian = next(e for e in sorted(real_kb.entities) if "і" in real_kb.entity(e).caption)
    for draw in (relationship_picture, timeline_picture):
        picture = draw(real_kb, ukrainian)
        assert tofu(picture) == []
    assert shows(relationship_picture(real_kb, ukrainian), f"Related to {real_kb.entity(ukrainian).caption}")
    assert legible("Sath-ı Müdafaa") == "Sath-ı Müdafaa"
    # Hangul (North Korean names) is in none of the bundled fonts.
    assert legible("KOREA DAESONG BANK (조선대성은행)") == "KOREA DAESONG BANK ([Hangul script not drawn])"


def test_every_timeline_lane_names_an_authority_or_source(real_kb):
    entity_id = next(
        e for e in sorted(real_kb.entities) if any(s.authority == "OTHER" for s in real_kb.sanctions_of(e))
    )
    picture = timeline_picture(real_kb, entity_id)
    assert not any(t.text.startswith("Other authority") for t in picture.texts)
    assert shows(picture, "Other authorities, per") or any("per OpenSanctions" in t.text for t in picture.texts)
    assert tofu(picture) == []


def test_a_delisting_dated_after_its_list_is_shown_as_an_end_date_set_in_advance(real_kb):
    def ahead(entity_id: str) -> list:
        return [
            s
            for s in real_kb.sanctions_of(entity_id)
            # Not a record gone between two editions (a ConList group the newer UK list no longer holds): that
            # delisting is dated by the newer list, after the older one's date, and happened.
            if s.ended_on and s.ended_on > (real_kb.source(s.source).date or s.ended_on) and s.ended_after is None
        ]

    entity_id = next(e for e in sorted(real_kb.entities) if ahead(e))
    picture = timeline_picture(real_kb, entity_id)
    for sanction in ahead(entity_id):
        assert shows(picture, sanction.ended_on.isoformat())
    assert any(t.text.startswith("listing ends (date set in advance") for t in picture.texts)
    assert overlapping(picture) == [] and tofu(picture) == []


def test_the_other_tag_says_whose_data_reports_it(real_kb):
    entity_id = next(
        e
        for e in sorted(real_kb.entities)
        if any(s.authority == "OTHER" and s.is_active for s in real_kb.sanctions_of(e)) and real_kb.links_of(e)
    )
    picture = relationship_picture(real_kb, entity_id)
    assert shows(picture, "other")
    assert shows(picture, 'Tag "other": governments the data does not name one by one, per OpenSanctions.')
    assert overlapping(picture) == [] and outside(picture) == [] and tofu(picture) == []


def test_an_end_date_still_to_come_is_a_listing_that_ends_on_the_card_not_a_delisting(real_kb):
    import datetime as dt

    from bot.request import Request
    from bot.service import Bot
    from knowledge.references import reference

    today = dt.date.today()
    later = [s for s in real_kb.sanctions if s.ended_on and s.ended_on > today]
    assert later and all(s.is_active and s.ends_later for s in later)
    entity = real_kb.entities[later[0].entity]
    card = Bot(real_kb).answer(Request(text=f"/who {reference(entity)}")).text
    assert f"listing ends {later[0].ended_on.isoformat()} (date set in advance by the list)" in card
    assert f"DELISTED: no longer on the list as of {later[0].ended_on.isoformat()}" not in card
