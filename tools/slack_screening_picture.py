"""Draws the README's picture of a screening in Slack from the Block Kit messages the app posts.

    python tools/slack_screening_picture.py docs/pictures/slack-screening.png

The bundled lists, a store of its own in a temporary folder; the messages are the app's own (render_message and
decision_messages), drawn as Slack lays them out: a header, sections, fields, and rows of buttons.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from adapters.slack_render import render_message
from adapters.slack_screening import decision_messages
from bot.pictures.canvas import Weight, fit_lines, font
from bot.screening.audit import AuditStore
from bot.screening.service import Screener, Who
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store

WIDTH, MARGIN, TEXT = 1000, 28, 15
INK, GREY, LINE, BUTTON = (29, 28, 29), (97, 96, 97), (221, 221, 221), (255, 255, 255)
NAMES = "ZHAO Guangzong; China\nWuhan Xiaoruizhi; China\nIntegrity Technology Group\nBank of China; China\nJohn Smith"


def _plain(text: str) -> str:
    """Slack's mrkdwn as read on screen: bold and code marks gone, links as their words."""
    text = re.sub(r"<[^|>]+\|([^>]+)>", r"\1", text)
    return text.replace("*", "").replace("`", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class Page:
    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH, 4000), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN

    def text(self, text: str, *, size: int = TEXT, weight: Weight = Weight.REGULAR, colour=INK, indent=0) -> None:
        width = WIDTH - 2 * MARGIN - indent - 60
        for paragraph in _plain(text).splitlines() or [""]:
            for line in fit_lines(paragraph, size=size, width=width, lines=12, weight=weight) or [""]:
                self.draw.text((MARGIN + 60 + indent, self.y), line, font=font(weight, size), fill=colour)
                self.y += int(size * 1.45)

    def buttons(self, labels: list[str]) -> None:
        x = MARGIN + 60
        for label in labels:
            width = int(font(Weight.BOLD, 13).getlength(label)) + 28
            self.draw.rounded_rectangle((x, self.y, x + width, self.y + 30), radius=5, fill=BUTTON, outline=LINE)
            colour = (224, 30, 90) if label.startswith("Same") else INK
            self.draw.text((x + 14, self.y + 7), label, font=font(Weight.BOLD, 13), fill=colour)
            x += width + 8
        self.y += 40

    def author(self, name: str, when: str) -> None:
        self.draw.rounded_rectangle((MARGIN, self.y, MARGIN + 40, self.y + 40), radius=6, fill=(29, 53, 87))
        self.draw.text((MARGIN + 60, self.y), name, font=font(Weight.BOLD, TEXT), fill=INK)
        after = MARGIN + 60 + int(font(Weight.BOLD, TEXT).getlength(name)) + 10
        self.draw.text((after, self.y + 2), when, font=font(Weight.REGULAR, 12), fill=GREY)
        self.y += 24

    def message(self, message: dict) -> None:
        for block in message.get("blocks") or [{"type": "section", "text": {"text": message["text"]}}]:
            if block["type"] == "header":
                self.text(block["text"]["text"], size=18, weight=Weight.BOLD)
            elif block["type"] == "section":
                if "text" in block:
                    self.text(block["text"]["text"])
                for field in block.get("fields", []):
                    self.text(field["text"])
                self.y += 4
            elif block["type"] == "context":
                self.text(" ".join(e.get("text", "") for e in block["elements"]), size=12, colour=GREY)
            elif block["type"] == "actions":
                self.buttons([e["text"]["text"] for e in block["elements"]])
            elif block["type"] == "divider":
                self.draw.line((MARGIN + 60, self.y + 4, WIDTH - MARGIN, self.y + 4), fill=LINE)
                self.y += 10

    def rule(self, title: str) -> None:
        self.y += 6
        self.draw.line((MARGIN, self.y, WIDTH - MARGIN, self.y), fill=LINE)
        self.draw.text((MARGIN, self.y + 6), title, font=font(Weight.BOLD, 13), fill=GREY)
        self.y += 30


def main(out: Path) -> None:
    now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "store.sqlite3"))
        prepare_store(store, now=now)
        kb = load_knowledge(store)
        screener = Screener(lambda: kb, clock=lambda: now, store=store, audit=AuditStore(store.engine))
        outcome = screener.screen_pasted(NAMES, Who("slack", "U1", "T1", "C1"))
        store.engine.dispose()
    page = Page()
    page.author("briefbot", "09:00")
    page.message(render_message(outcome.reply, shareable=False))
    page.rule("Thread")
    page.author("briefbot", "09:00")
    page.text("The result, every row: CSV for the spreadsheet, HTML to read.")
    page.buttons([name.rsplit(".", 1)[1].upper() + " · " + name for name in outcome.files])
    for message in decision_messages(outcome):
        page.author("briefbot", "09:00")
        page.message(message)
    # What the app posts once a member of the deciding group has sent the modal with a reason.
    page.author("briefbot", "09:14")
    page.text(
        "Recorded: Not the same on row 2 (Wuhan Xiaoruizhi → curated:wuhan-xiaoruizhi) by @ana: Wuhan Xiaoruizhi "
        "Bakery, registration 420100-77; not the listed company"
    )
    page.image.crop((0, 0, WIDTH, page.y + MARGIN)).save(out, optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
