"""The brief as a PDF: one A4 page of the card's facts, sections and numbered sources, then the relationship picture
and the timeline each on a landscape page of its own, every page marked with its TLP label at top and bottom."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.briefs.content import Brief, Tlp
from bot.list_dates import LABEL
from bot.pictures import Picture
from bot.pictures.canvas import legible

__all__ = ["brief_pdf"]

FONT = "NotoSansSC"
# Noto Sans has the Latin and Cyrillic letters Noto Sans CJK lacks (Ukrainian і, Turkish ı). Arabic script is not
# set: fpdf2 shapes it only with uharfbuzz, which briefbot does not depend on, so it is named, not drawn unjoined.
FALLBACK = "NotoSans"
PAGE_MARGIN = 10
PAGE_WIDTH = 210
# Room above and below the text for the TLP marking.
MARKED_MARGIN = 18
_TEXT_WIDTH = PAGE_WIDTH - 2 * PAGE_MARGIN
MORE = "see the Markdown brief"
# FIRST's TLP 2.0 colours: the label in its colour on black, in 12-point type or larger.
_TLP_INK = {
    Tlp.CLEAR: (255, 255, 255),
    Tlp.GREEN: (51, 255, 0),
    Tlp.AMBER: (255, 192, 0),
    Tlp.AMBER_STRICT: (255, 192, 0),
    Tlp.RED: (255, 43, 43),
}
TLP_POINTS = 12


@dataclass(frozen=True, slots=True)
class _Budget:
    """How much of a long card the first page holds: lines per section, sources listed, fact length."""

    lines: int | None
    sources: int | None
    fact_chars: int | None
    body: float = 8
    small: float = 7


# Tried in turn until the text fits the first page: the whole card first, then less of each long part. The last
# always fits: a section title per section and a few sources.
_BUDGETS = (
    _Budget(None, None, None),
    _Budget(None, None, None, 7.5, 6.5),
    _Budget(None, None, None, 7, 6),
    _Budget(12, 30, 400, 7, 6),
    _Budget(8, 20, 300, 7, 6),
    _Budget(5, 14, 200, 7, 6),
    _Budget(3, 8, 140, 7, 6),
    _Budget(1, 5, 100, 7, 6),
    _Budget(0, 3, 80, 7, 6),
)


class _MarkedPDF(FPDF):
    """An A4 document whose every page carries the TLP label top right and bottom right, and its page number."""

    def __init__(self, tlp: Tlp) -> None:
        super().__init__(format="A4")
        self.tlp = tlp

    def _marking(self, y: float) -> None:
        self.set_font(FONT, "B", TLP_POINTS)
        width = self.get_string_width(self.tlp.value) + 4
        self.set_xy(self.w - PAGE_MARGIN - width, y)
        self.set_fill_color(0, 0, 0)
        self.set_text_color(*_TLP_INK[self.tlp])
        self.cell(width, 6, self.tlp.value, fill=True, align="C")
        self.set_text_color(0, 0, 0)

    def header(self) -> None:
        self._marking(7)
        # The page's text starts below the marking, not beside it.
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_font(FONT, "", 7)
        self.set_xy(PAGE_MARGIN, self.h - 12)
        # The trailing space keeps the marking a word of its own for a reader that joins the two on one line.
        self.cell(60, 4, f"Page {self.page_no()} of {{nb}} ")
        self._marking(self.h - 13)


def _fonts(pdf: FPDF) -> None:
    fonts = resources.files("bot.pictures") / "fonts"
    for style, weight in (("", "Regular"), ("B", "Bold")):
        with resources.as_file(fonts / f"NotoSansSC-{weight}.ttf") as path:
            pdf.add_font(FONT, style, str(path))
        with resources.as_file(fonts / f"NotoSans-{weight}.ttf") as path:
            pdf.add_font(FALLBACK, style, str(path))
    # Chinese script is only in the regular face: bold text that has it falls back there.
    pdf.set_fallback_fonts([FONT, FALLBACK], exact_match=False)


def _line(pdf: FPDF, text: str, *, size: float, style: str = "", x: float = PAGE_MARGIN, width: float = _TEXT_WIDTH):
    pdf.set_font(FONT, style, size)
    pdf.set_x(x)
    text = legible(text, (FONT, FALLBACK))
    pdf.multi_cell(width, size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _cut(text: str, chars: int | None) -> str:
    return text if chars is None or len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _picture_page(pdf: FPDF, picture: Picture, heading: str) -> None:
    """The picture alone on a landscape page, as large as the page holds."""
    pdf.add_page(orientation="L")
    _line(pdf, heading, size=11, style="B", width=pdf.w - 2 * PAGE_MARGIN)
    top = pdf.get_y() + 2
    room_width, room_height = pdf.w - 2 * PAGE_MARGIN, pdf.h - MARKED_MARGIN - top
    scale = min(room_width / picture.width, room_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    pdf.image(
        io.BytesIO(picture.png),
        x=(pdf.w - width) / 2,
        y=top,
        w=width,
        h=height,
        title=picture.description,
        alt_text=picture.description,
    )


def _render(brief: Brief, budget: _Budget) -> tuple[FPDF, bool]:
    """The whole document, and whether the card's text fitted its first page."""
    card = brief.card
    pdf = _MarkedPDF(brief.tlp)
    pdf.set_margins(PAGE_MARGIN, MARKED_MARGIN)
    pdf.set_auto_page_break(True, margin=MARKED_MARGIN)
    # Stamped with the time it was made, which it prints: the same brief made at the same time gives the same bytes.
    pdf.set_creation_date(brief.made_at.astimezone(dt.UTC))
    pdf.set_producer("briefbot")
    pdf.set_title(card.title)
    pdf.set_subject(f"{brief.tlp.value}; produced {brief.made_on}")
    pdf.set_lang("en")
    _fonts(pdf)
    pdf.add_page()
    _line(pdf, card.title, size=13, style="B")
    _line(pdf, f"Produced by briefbot on {brief.made_on}. {brief.tlp.value}: {brief.tlp.meaning}.", size=budget.small)
    pdf.ln(1)
    for fact in card.facts:
        # How current the lists are is never cut: it is what tells a reader how far to trust the rest.
        value = fact.value if fact.label == LABEL else _cut(fact.value, budget.fact_chars)
        _line(pdf, f"{fact.label}: {value}", size=budget.body)
    pdf.ln(1.5)
    for section in card.sections:
        _line(pdf, section.title, size=budget.body + 1, style="B")
        shown = section.lines if budget.lines is None else section.lines[: budget.lines]
        for line in shown:
            marks = "".join(f"[{n}]" for n in line.sources)
            _line(pdf, f"• {line.text}{' ' + marks if marks else ''}", size=budget.body, x=PAGE_MARGIN + 2,
                  width=_TEXT_WIDTH - 2)  # fmt: skip
        if len(shown) < len(section.lines):
            rest = len(section.lines) - len(shown)
            _line(pdf, f"… and {rest} more — {MORE}.", size=budget.body, x=PAGE_MARGIN + 2, width=_TEXT_WIDTH - 2)
        pdf.ln(1)
    _line(pdf, "Sources", size=budget.body + 1, style="B")
    listed = card.citations if budget.sources is None else card.citations[: budget.sources]
    for c in listed:
        when = f", {c.date.isoformat()}" if c.date else ""
        where = f" {c.url}" if c.url else ""
        _line(pdf, f"[{c.number}] {c.title}. {c.publisher}{when}.{where}", size=budget.small, x=PAGE_MARGIN + 2)
    if len(listed) < len(card.citations):
        _line(
            pdf, f"And {len(card.citations) - len(listed)} more sources — {MORE}.", size=budget.small, x=PAGE_MARGIN + 2
        )
    pdf.ln(1)
    _line(pdf, brief.closing + " The relationship picture and the timeline follow.", size=budget.small)
    fits = pdf.page_no() == 1
    _picture_page(pdf, brief.printed_graph or brief.graph, f"Related to {brief.card.entity['name']}")
    _picture_page(pdf, brief.timeline, f"Timeline of {brief.card.entity['name']}")
    return pdf, fits


def brief_pdf(brief: Brief) -> bytes:
    """The card's text on the first page: the first budget whose layout fits, so a short card is shown whole and a
    long one says what it left to the Markdown brief. Each budget holds less than the one before, so the first that
    fits is found by bisection (a long card would otherwise be laid out up to nine times)."""
    laid: dict[int, tuple[FPDF, bool]] = {}

    def fits(number: int) -> bool:
        laid[number] = _render(brief, _BUDGETS[number])
        return laid[number][1]

    low, high = 0, len(_BUDGETS) - 1
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    pdf, _ = laid.get(low) or _render(brief, _BUDGETS[low])
    return bytes(pdf.output())
