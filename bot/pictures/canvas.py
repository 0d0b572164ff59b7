"""Drawing primitives for the pictures: the bundled fonts, fitted text that records where it went, PNG bytes."""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

from PIL import Image, ImageDraw, ImageFont, features
from PIL.PngImagePlugin import PngInfo

from knowledge.shown import one_line

__all__ = ["Canvas", "DrawnText", "Picture", "Weight", "drawable", "font", "legible", "text_image"]

BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ELLIPSIS = "…"
# zlib level 3: half of level 6's time on these flat-colour pictures, for files about a tenth larger.
PNG_COMPRESSION = 3
# Text edges are drawn in this many steps between the ground and the ink, so a picture holds a few hundred colours
# at most and is kept as one byte per pixel (a palette) instead of three: a third of the data to draw and compress.
# Eight steps look as smooth as 256 at these type sizes.
LEVELS = 8
# Palette entries text edges leave free for the shapes' own colours; past that an edge takes the nearest colour.
_SHAPE_RESERVE = 40


class Weight(StrEnum):
    REGULAR = "Regular"
    BOLD = "Bold"


# The bundled faces, in the order tried: Noto Sans CJK SC (Latin, Cyrillic, Chinese script), Noto Sans for the
# letters CJK SC lacks (Ukrainian і, Turkish ı, Vietnamese), Noto Sans Arabic (Arabic and Persian script).
FAMILIES = {"NotoSansSC": "ttf", "NotoSans": "ttf", "NotoSansArabic": "ttf"}
_BASE = "NotoSansSC"
_ARABIC = "NotoSansArabic"


@functools.cache
def _font_file(family: str, weight: Weight) -> bytes:
    # Read once per process: the fonts ship inside the package and never change while it runs.
    return (resources.files("bot.pictures") / "fonts" / f"{family}-{weight.value}.{FAMILIES[family]}").read_bytes()


@functools.cache
def _coverage(family: str, weight: Weight) -> frozenset[str]:
    text = (resources.files("bot.pictures") / "fonts" / f"{family}-{weight.value}.chars").read_text("utf-8")
    return frozenset(text)


@functools.cache
def _shaping() -> bool:
    # Arabic letters join and run right to left: unshaped they would be unreadable, so Arabic script is drawn only
    # where Pillow has its complex text layout (raqm with FriBiDi, in Pillow's wheels and most systems).
    return features.check("raqm")


@functools.lru_cache(maxsize=8192)
def face_of(text: str, weight: Weight = Weight.REGULAR) -> tuple[str, Weight] | None:
    """The first bundled face that draws every character of `text`: in `weight` if one does, else regular."""
    chars = set(text)
    for wanted in (weight, Weight.REGULAR):
        for family in FAMILIES:
            if family == _ARABIC and not _shaping():
                continue
            if chars <= _coverage(family, wanted):
                return family, wanted
    return None


def drawable(text: str) -> bool:
    """Whether a bundled face draws every character of `text` (else a reader would see empty boxes)."""
    return face_of(text) is not None


# A run of non-ASCII characters, with the spaces between them: a name or phrase in one script.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+(?:\s+[^\x00-\x7f]+)*")


@functools.lru_cache(maxsize=4096)
def legible(text: str, families: tuple[str, ...] | None = None) -> str:
    """`text` as it can be drawn: a run in a script no bundled face has is replaced by a note naming the script left
    out, never drawn as empty boxes. `families`: the faces a document falls back through glyph by glyph (the PDF);
    by default, the pictures' rule of one face per text."""
    # A line break or a control character from list data has no glyph, and stops the shaper (raqm) outright.
    text = one_line(text)
    if families is None:
        if drawable(text):
            return text
        covered = _coverage(_BASE, Weight.REGULAR)
    else:
        covered = frozenset().union(*(_coverage(family, Weight.REGULAR) for family in families))
        if set(text) <= covered:
            return text

    def keep_or_name(match: re.Match[str]) -> str:
        run = match.group()
        if set(run) <= covered:
            return run
        missing = next(c for c in run if c not in covered)
        script = unicodedata.name(missing, "unknown").split()[0].title()
        return f"[{script} script not drawn]"

    return _NON_ASCII_RUN.sub(keep_or_name, text)


@functools.cache
def font(weight: Weight, size: int, family: str = _BASE) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_font_file(family, weight)), size=size)


def _font_for(text: str, weight: Weight, size: int) -> ImageFont.FreeTypeFont:
    family, usable = face_of(text, weight) or (_BASE, Weight.REGULAR)
    return font(usable, size, family)


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
_TO_LEVEL = [(value * (LEVELS - 1) + 127) // 255 for value in range(256)]


@functools.lru_cache(maxsize=_MASKS_KEPT)
def _mask(text: str, weight: Weight, size: int) -> tuple[Image.Image, Image.Image, tuple[int, int, int, int]]:
    """The text's coverage in LEVELS steps (0 = none) as palette pixels, the pixels it touches as a mask, and its
    box relative to the drawing origin."""
    face = _font_for(text, weight, size)
    left, top, right, bottom = face.getbbox(text)
    coverage = Image.new("L", (max(right - left, 1), max(bottom - top, 1)), 0)
    ImageDraw.Draw(coverage).text((-left, -top), text, font=face, fill=255)
    steps = coverage.point(_TO_LEVEL)
    levels = Image.frombytes("P", steps.size, steps.tobytes())
    touched = steps.point([0] + [255] * 255)
    return levels, touched, (left, top, right, bottom)


@functools.lru_cache(maxsize=_MASKS_KEPT)
def _coloured(
    text: str, weight: Weight, size: int, entries: tuple[int, ...]
) -> tuple[Image.Image, Image.Image, tuple[int, int, int, int]]:
    """The text's pixels as the palette `entries` (one per level) colour them: kept, since a picture repeats its
    texts in the same colours and pictures drawn alike give their colours the same entries."""
    levels, touched, box = _mask(text, weight, size)
    return levels.point(list(entries) + [0] * (256 - LEVELS)), touched, box


def _blend(colour: tuple[int, int, int], ground: tuple[int, int, int], level: int) -> tuple[int, int, int]:
    r, g, b = (round(under + (over - under) * level / (LEVELS - 1)) for over, under in zip(colour, ground, strict=True))
    return (r, g, b)


def text_image(drawn: DrawnText) -> Image.Image:
    """The same text drawn alone on its ground, the size of its box: what the picture must show at that box."""
    left, top, right, bottom = drawn.box
    canvas = Canvas(max(right - left, 1), max(bottom - top, 1), ground=drawn.ground)
    canvas.text((drawn.x - left, drawn.y - top), drawn.text, size=drawn.size, weight=drawn.weight,
                colour=drawn.colour, ground=drawn.ground)  # fmt: skip
    return canvas.image.convert("RGB")


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
    """A palette image that records each text it draws, so tests and alt text can read the picture back."""

    def __init__(self, width: int, height: int, *, ground: tuple[int, int, int] = BACKGROUND) -> None:
        # Shapes name RGB colours; Pillow gives each a palette entry in drawing order, so the bytes are repeatable.
        self.image = Image.new("P", (width, height), ground)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[DrawnText] = []
        self._edges: dict[tuple[tuple[int, int, int], tuple[int, int, int]], tuple[int, ...]] = {}

    def _entry(self, colour: tuple[int, int, int]) -> int:
        palette = self.image.palette
        assert palette is not None
        known = palette.colors.get(colour)
        if known is not None:
            return known
        if len(palette.colors) < 256 - _SHAPE_RESERVE:
            return palette.getcolor(colour, self.image)
        # A full palette (never seen on the real lists): the nearest colour already there.
        nearest = min(palette.colors, key=lambda known: sum((a - b) ** 2 for a, b in zip(known, colour, strict=True)))
        return palette.colors[nearest]

    def _lookup(self, colour: tuple[int, int, int], ground: tuple[int, int, int]) -> tuple[int, ...]:
        """Level -> palette entry, for text in `colour` on `ground`."""
        key = (colour, ground)
        if key not in self._edges:
            self._edges[key] = tuple(self._entry(_blend(colour, ground, level)) for level in range(LEVELS))
        return self._edges[key]

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
        text = legible(text)
        weight = (face_of(text, weight) or (_BASE, Weight.REGULAR))[1]
        x, y = round(xy[0]), round(xy[1])
        pixels, touched, (left, top, right, bottom) = _coloured(text, weight, size, self._lookup(colour, ground))
        self.image.paste(pixels, (x + left, y + top), touched)
        box = (x + left, y + top, x + right, y + bottom)
        self.texts.append(DrawnText(text, x, y, weight, size, colour, ground, box))
        return _width(text, size, weight)

    def heading(self, title: str, subtitle: str, *, margin: int) -> None:
        """The picture's title, cut to fit one line, and its subtitle below it: the same place in every picture."""
        width = self.image.width - 2 * margin
        fitted = fit_line(title, size=40, width=width, weight=Weight.BOLD)
        self.text((margin, 22), fitted, size=40, weight=Weight.BOLD)
        self.text((margin, 78), subtitle, size=22, colour=MUTED)

    def png(self, *, title: str, description: str) -> Picture:
        return Picture(
            png=encode_png(self.image, {"Title": title, "Description": description}),
            width=self.image.width,
            height=self.image.height,
            title=title,
            texts=tuple(self.texts),
            description=description,
        )


def encode_png(image: Image.Image, texts: dict[str, str]) -> bytes:
    """The palette image as PNG by Pillow, with `texts` as international text (iTXt) chunks. Pillow stores a
    palette image's rows unfiltered, which on these flat pictures compresses as well as trying filters per row."""
    info = PngInfo()
    for key, value in texts.items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_COMPRESSION, pnginfo=info)
    return out.getvalue()


@functools.lru_cache(maxsize=16384)
def _width(text: str, size: int, weight: Weight) -> float:
    return _font_for(text, weight, size).getlength(text)


_KERNING_ROOM = 3


def text_width(text: str, *, size: int, weight: Weight = Weight.REGULAR) -> float:
    return _width(legible(text), size, weight)


def fit_lines(text: str, *, size: int, width: float, lines: int, weight: Weight = Weight.REGULAR) -> list[str]:
    """`text` wrapped at spaces (or anywhere, for Chinese script) into at most `lines` lines, the last cut with …."""
    text = legible(text)
    if _width(text, size, weight) <= width:
        return [text]
    out = _wrapped(text, size=size, width=width, lines=lines, weight=weight)
    if any(_width(line, size, weight) > width for line in out):
        # A line drawn in another face than the whole text (a Latin line of a Chinese name) measured wider: wrap
        # again measuring each candidate line itself.
        out = _wrapped(text, size=size, width=width, lines=lines, weight=weight, exact=True)
    if len(out) <= lines:
        return out
    kept = out[:lines]
    last = kept[-1]
    cut = _longest_fitting(last, size=size, width=width, weight=weight, suffix=ELLIPSIS)
    kept[-1] = last[:cut].rstrip() + ELLIPSIS
    return kept


def _wrapped(text: str, *, size: int, width: float, lines: int, weight: Weight, exact: bool = False) -> list[str]:
    # Lines are measured word by word in the whole text's face (cached), with room kept for the kerning a whole
    # line may add; `exact` measures each candidate line as it would be drawn.
    face = _font_for(text, weight, size)
    out: list[str] = []
    current = ""
    space = face.getlength(" ")
    current_width = 0.0
    for word in text.split(" "):
        if exact:
            candidate = f"{current} {word}" if current else word
            fits = _width(candidate, size, weight) <= width - _KERNING_ROOM
        else:
            added = _face_width(word, face) + (space if current else 0.0)
            fits = current_width + added <= width - _KERNING_ROOM
        if fits:
            current = f"{current} {word}" if current else word
            current_width += 0.0 if exact else added
            continue
        if current:
            out.append(current)
        current = word
        while len(out) <= lines and len(current) > 1 and _width(current, size, weight) > width:
            # A word wider than the line (or unspaced Chinese script) breaks where it must.
            cut = _longest_fitting(current, size=size, width=width, weight=weight)
            out.append(current[:cut])
            current = current[cut:]
        current_width = _face_width(current, face)
    if current:
        out.append(current)
    return out


@functools.lru_cache(maxsize=16384)
def _face_width(word: str, face: ImageFont.FreeTypeFont) -> float:
    return face.getlength(word)


def _longest_fitting(text: str, *, size: int, width: float, weight: Weight, suffix: str = "") -> int:
    """How many leading characters of `text`, with `suffix` after them, fit `width` (at least one), by bisection:
    long unspaced names would cost a measurement per character otherwise."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle] + suffix, size, weight) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def fit_line(text: str, *, size: int, width: float, weight: Weight = Weight.REGULAR) -> str:
    return fit_lines(text, size=size, width=width, lines=1, weight=weight)[0] if text else ""
