"""Drawing primitives for the pictures: the bundled fonts, fitted text that records where it went, PNG bytes."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

__all__ = ["Canvas", "DrawnText", "Picture", "Weight", "covers", "font", "text_image"]

BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ELLIPSIS = "…"
# zlib level 3: half of level 6's time on these flat-colour pictures, for files about a tenth larger.
PNG_COMPRESSION = 3
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Weight(StrEnum):
    REGULAR = "Regular"
    BOLD = "Bold"


@functools.cache
def _font_file(weight: Weight) -> bytes:
    # Read once per process: the fonts ship inside the package and never change while it runs.
    return (resources.files("bot.pictures") / "fonts" / f"NotoSansSC-{weight.value}.otf").read_bytes()


@functools.cache
def _coverage(weight: Weight) -> frozenset[str]:
    text = (resources.files("bot.pictures") / "fonts" / f"NotoSansSC-{weight.value}.chars").read_text("utf-8")
    return frozenset(text)


def covers(text: str, weight: Weight = Weight.REGULAR) -> bool:
    """Whether the bundled font draws every character of `text` (else a reader would see empty boxes)."""
    return set(text) <= _coverage(weight)


@functools.cache
def font(weight: Weight, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_font_file(weight)), size=size)


def _usable_weight(text: str, weight: Weight) -> Weight:
    # The bold subset is Latin, Greek and Cyrillic only: Chinese script falls back to the regular face.
    return weight if covers(text, weight) else Weight.REGULAR


@dataclass(frozen=True, slots=True)
class DrawnText:
    """A piece of text as drawn: what, where (its box on the picture), in which face and colour, on what ground."""

    text: str
    x: int
    y: int
    weight: Weight
    size: int
    colour: tuple[int, int, int]
    ground: tuple[int, int, int]
    box: tuple[int, int, int, int]


# Rendered text masks kept for reuse: a crowded picture repeats the same relation, date and tag texts dozens of
# times, and every picture repeats the kinds and authorities. Bounded, and each entry is a few kilobytes.
_MASKS_KEPT = 2048


@functools.lru_cache(maxsize=_MASKS_KEPT)
def _mask(text: str, weight: Weight, size: int) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The text's coverage as an 8-bit mask, and its box relative to the drawing origin."""
    face = font(weight, size)
    left, top, right, bottom = face.getbbox(text)
    mask = Image.new("L", (max(right - left, 1), max(bottom - top, 1)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=face, fill=255)
    return mask, (left, top, right, bottom)


def _paint(image: Image.Image, x: int, y: int, text: str, weight: Weight, size: int, colour: tuple[int, int, int]):
    mask, (left, top, right, bottom) = _mask(text, weight, size)
    image.paste(colour, (x + left, y + top), mask)
    return (x + left, y + top, x + right, y + bottom)


def text_image(drawn: DrawnText) -> Image.Image:
    """The same text drawn alone on its ground, the size of its box: what the picture must show at that box."""
    left, top, right, bottom = drawn.box
    image = Image.new("RGB", (max(right - left, 1), max(bottom - top, 1)), drawn.ground)
    _paint(image, drawn.x - left, drawn.y - top, drawn.text, drawn.weight, drawn.size, drawn.colour)
    return image


@dataclass(frozen=True, slots=True)
class Picture:
    """A rendered PNG, with the text it shows (its text layer) and the names it is about."""

    png: bytes
    width: int
    height: int
    title: str
    texts: tuple[DrawnText, ...] = field(default=())
    # Shown to screen readers and kept in the PNG's own text chunks.
    description: str = ""

    @property
    def filename_stem(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.title.casefold()).strip("-")[:60] or "picture"


class Canvas:
    """An RGB image that records each text it draws, so tests and alt text can read the picture back."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("RGB", (width, height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[DrawnText] = []

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        *,
        size: int,
        weight: Weight = Weight.REGULAR,
        colour: tuple[int, int, int] = INK,
        ground: tuple[int, int, int] = BACKGROUND,
    ) -> float:
        """Draws one line; returns its advance width."""
        weight = _usable_weight(text, weight)
        x, y = round(xy[0]), round(xy[1])
        box = _paint(self.image, x, y, text, weight, size, colour)
        self.texts.append(DrawnText(text, x, y, weight, size, colour, ground, box))
        return _word_width(text, size, weight)

    def png(self, *, title: str, description: str) -> Picture:
        return Picture(
            png=encode_png(self.image, {"Title": title, "Description": description}),
            width=self.image.width,
            height=self.image.height,
            title=title,
            texts=tuple(self.texts),
            description=description,
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(image: Image.Image, texts: dict[str, str]) -> bytes:
    """An RGB image as PNG, with `texts` as iTXt chunks.

    Written here rather than by Pillow: Pillow tries five row filters per row, which on these flat pictures costs
    three times the compression itself and saves nothing; every row here is stored unfiltered.
    """
    width, height = image.size
    raw = image.tobytes()
    stride = width * 3
    rows = b"".join(b"\x00" + raw[start : start + stride] for start in range(0, len(raw), stride))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    chunks = [_chunk(b"IHDR", header)]
    chunks += [_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode()) for key, value in texts.items()]
    chunks += [_chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESSION)), _chunk(b"IEND", b"")]
    return _PNG_SIGNATURE + b"".join(chunks)


@functools.cache
def _word_width(word: str, size: int, weight: Weight) -> float:
    return font(_usable_weight(word, weight), size).getlength(word)


_KERNING_ROOM = 3


def text_width(text: str, *, size: int, weight: Weight = Weight.REGULAR) -> float:
    return font(_usable_weight(text, weight), size).getlength(text)


def fit_lines(text: str, *, size: int, width: float, lines: int, weight: Weight = Weight.REGULAR) -> list[str]:
    """`text` wrapped at spaces (or anywhere, for Chinese script) into at most `lines` lines, the last cut with …."""
    if text_width(text, size=size, weight=weight) <= width:
        return [text]
    words = text.split(" ")
    out: list[str] = []
    current = ""
    # Lines are measured word by word (cached), with room kept for the kerning a whole line may add.
    space = _word_width(" ", size, weight)
    current_width = 0.0
    for word in words:
        added = _word_width(word, size, weight) + (space if current else 0.0)
        if current_width + added <= width - _KERNING_ROOM:
            current = f"{current} {word}" if current else word
            current_width += added
            continue
        if current:
            out.append(current)
        current = word
        while len(out) <= lines and len(current) > 1 and text_width(current, size=size, weight=weight) > width:
            # A word wider than the line (or unspaced Chinese script) breaks where it must.
            cut = _longest_fitting(current, size=size, width=width, weight=weight)
            out.append(current[:cut])
            current = current[cut:]
        current_width = text_width(current, size=size, weight=weight)
    if current:
        out.append(current)
    if len(out) <= lines:
        return out
    kept = out[:lines]
    last = kept[-1]
    cut = _longest_fitting(last, size=size, width=width, weight=weight, suffix=ELLIPSIS)
    kept[-1] = last[:cut].rstrip() + ELLIPSIS
    return kept


def _longest_fitting(text: str, *, size: int, width: float, weight: Weight, suffix: str = "") -> int:
    """How many leading characters of `text`, with `suffix` after them, fit `width` (at least one), by bisection:
    long unspaced names would cost a measurement per character otherwise."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + suffix, size=size, weight=weight) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def fit_line(text: str, *, size: int, width: float, weight: Weight = Weight.REGULAR) -> str:
    return fit_lines(text, size=size, width=width, lines=1, weight=weight)[0] if text else ""
