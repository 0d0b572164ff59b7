"""The brief as a PDF: one A4 page of the card's facts and sections beside the graph, the timeline, numbered sources."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.briefs.content import Brief
from bot.pictures.canvas import legible

__all__ = ["brief_pdf"]

FONT = "NotoSansSC"
# Noto Sans has the Latin and Cyrillic letters Noto Sans CJK lacks (Ukrainian і, Turkish ı). Arabic script is not
# set: fpdf2 shapes it only with uharfbuzz, which briefbot does not depend on, so it is named, not drawn unjoined.
FALLBACK = "NotoSans"
PAGE_MARGIN = 10
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
_TEXT_WIDTH = PAGE_WIDTH - 2 * PAGE_MARGIN
# The sections run in the left column, the relationship picture stands in the right one.
GUTTER = 5
RIGHT_COLUMN = 82
LEFT_COLUMN = _TEXT_WIDTH - RIGHT_COLUMN - GUTTER
MORE = "see the Markdown brief"


@dataclass(frozen=True, slots=True)
class _Budget:
    """How much of a long card one page holds: lines per section, sources listed, fact length, picture heights."""

    lines: int | None
    sources: int | None
    fact_chars: int | None
    graph_height: float
    timeline_height: float
    body: float = 7.5
    small: float = 6.5


# Tried in turn until the brief fits one page: the whole card first, then less of each long part. The last always
# fits: a section title per section and a few sources.
_BUDGETS = (
    _Budget(None, None, None, 120, 62),
    _Budget(None, None, None, 105, 52, 7, 6),
    _Budget(None, None, None, 95, 46, 6.5, 6),
    _Budget(12, 30, 400, 95, 46, 6.5, 6),
    _Budget(8, 20, 300, 90, 45, 6.5, 6),
    _Budget(5, 14, 200, 85, 42, 6.5, 6),
    _Budget(3, 8, 140, 80, 40, 6.5, 6),
    _Budget(1, 5, 100, 70, 38, 6.5, 6),
    _Budget(0, 3, 80, 60, 34, 6.5, 6),
)


def _fonts(pdf: FPDF) -> None:
    fonts = resources.files("bot.pictures") / "fonts"
    for style, weight in (("", "Regular"), ("B", "Bold")):
        with resources.as_file(fonts / f"NotoSansSC-{weight}.otf") as path:
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


def _picture(pdf: FPDF, picture, x: float, y: float, width: float, most_height: float) -> float:
    """The picture at (x, y), `width` wide unless that makes it taller than `most_height`; returns its bottom."""
    height = width * picture.height / picture.width
    if height > most_height:
        width, height = most_height * picture.width / picture.height, most_height
    pdf.image(
        io.BytesIO(picture.png), x=x, y=y, w=width, h=height, title=picture.description, alt_text=picture.description
    )
    return y + height


def _render(brief: Brief, budget: _Budget) -> FPDF:
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
    _line(pdf, card.title, size=13, style="B")
    pdf.ln(0.5)
    for fact in card.facts:
        _line(pdf, f"{fact.label}: {_cut(fact.value, budget.fact_chars)}", size=budget.body)
    pdf.ln(1.5)
    top = pdf.get_y()
    graph_bottom = _picture(
        pdf, brief.graph, PAGE_MARGIN + LEFT_COLUMN + GUTTER, top, RIGHT_COLUMN, budget.graph_height
    )
    pdf.set_y(top)
    for section in card.sections:
        _line(pdf, section.title, size=budget.body + 1, style="B", width=LEFT_COLUMN)
        shown = section.lines if budget.lines is None else section.lines[: budget.lines]
        for line in shown:
            marks = "".join(f"[{n}]" for n in line.sources)
            text = f"• {line.text}{' ' + marks if marks else ''}"
            _line(pdf, text, size=budget.body, x=PAGE_MARGIN + 2, width=LEFT_COLUMN - 2)
        if len(shown) < len(section.lines):
            rest = len(section.lines) - len(shown)
            _line(pdf, f"… and {rest} more — {MORE}.", size=budget.body, x=PAGE_MARGIN + 2, width=LEFT_COLUMN - 2)
        pdf.ln(1)
    pdf.set_y(max(pdf.get_y(), graph_bottom) + 2)
    pdf.set_y(_picture(pdf, brief.timeline, PAGE_MARGIN, pdf.get_y(), _TEXT_WIDTH, budget.timeline_height) + 2)
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
    _line(
        pdf,
        f"Made by briefbot from the data as of {brief.as_of.isoformat()}. Allegations are the named party's claims, "
        "not established facts.",
        size=budget.small,
    )
    return pdf


def brief_pdf(brief: Brief) -> bytes:
    """One page: the first budget whose layout fits, so a short card is shown whole and a long one says what it left
    to the Markdown brief. Each budget holds less than the one before, so the first that fits is found by bisection
    (a long card would otherwise be laid out up to nine times)."""
    laid: dict[int, FPDF] = {}

    def fits(number: int) -> bool:
        laid[number] = _render(brief, _BUDGETS[number])
        return laid[number].page_no() == 1

    low, high = 0, len(_BUDGETS) - 1
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    pdf = laid.get(low) or _render(brief, _BUDGETS[low])
    return bytes(pdf.output())
