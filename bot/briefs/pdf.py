"""The brief as a PDF: an A4 page of the card's facts, sections and numbered sources, then the two pictures."""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.briefs.content import Brief

__all__ = ["brief_pdf"]

FONT = "NotoSansSC"
PAGE_MARGIN = 14
BODY = 8.5
SMALL = 7.5
# Millimetres per picture pixel: a 1600-pixel picture across the 182 mm text width.
_TEXT_WIDTH = 210 - 2 * PAGE_MARGIN


def _fonts(pdf: FPDF) -> None:
    fonts = resources.files("bot.pictures") / "fonts"
    for style, weight in (("", "Regular"), ("B", "Bold")):
        with resources.as_file(fonts / f"NotoSansSC-{weight}.otf") as path:
            pdf.add_font(FONT, style, str(path))
    # Chinese script is only in the regular face: bold text that has it falls back there.
    pdf.set_fallback_fonts([FONT], exact_match=False)


def _line(pdf: FPDF, text: str, *, size: float = BODY, style: str = "", indent: float = 0) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_x(PAGE_MARGIN + indent)
    pdf.multi_cell(_TEXT_WIDTH - indent, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _picture(pdf: FPDF, png: bytes, width: int, height: int, title: str) -> None:
    shown_height = _TEXT_WIDTH * height / width
    if pdf.get_y() + shown_height > pdf.h - PAGE_MARGIN:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=PAGE_MARGIN, w=_TEXT_WIDTH, h=shown_height, title=title, alt_text=title)
    pdf.ln(3)


def brief_pdf(brief: Brief) -> bytes:
    card = brief.card
    pdf = FPDF(format="A4")
    pdf.set_margins(PAGE_MARGIN, PAGE_MARGIN)
    pdf.set_auto_page_break(True, margin=PAGE_MARGIN)
    # Stamped with the data's date, not the clock's: the same data gives the same bytes.
    pdf.set_creation_date(dt.datetime.combine(brief.as_of, dt.time(), tzinfo=dt.UTC))
    pdf.set_producer("briefbot")
    pdf.set_title(card.title)
    pdf.set_lang("en")
    _fonts(pdf)
    pdf.add_page()
    _line(pdf, card.title, size=15, style="B")
    pdf.ln(1)
    for fact in card.facts:
        _line(pdf, f"{fact.label}: {fact.value}")
    for section in card.sections:
        pdf.ln(1.5)
        _line(pdf, section.title, size=10, style="B")
        for line in section.lines:
            marks = "".join(f"[{n}]" for n in line.sources)
            _line(pdf, f"• {line.text}{' ' + marks if marks else ''}", indent=2)
    pdf.ln(2)
    _picture(pdf, brief.graph.png, brief.graph.width, brief.graph.height, brief.graph.description)
    _picture(pdf, brief.timeline.png, brief.timeline.width, brief.timeline.height, brief.timeline.description)
    _line(pdf, "Sources", size=10, style="B")
    for c in card.citations:
        when = f", {c.date.isoformat()}" if c.date else ""
        where = f" {c.url}" if c.url else ""
        _line(pdf, f"[{c.number}] {c.title}. {c.publisher}{when}.{where}", size=SMALL, indent=2)
    pdf.ln(1)
    _line(
        pdf,
        f"Made by briefbot from the data as of {brief.as_of.isoformat()}. Allegations are the named party's claims, "
        "not established facts.",
        size=SMALL,
    )
    return bytes(pdf.output())
