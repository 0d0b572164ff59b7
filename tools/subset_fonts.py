"""Makes the small Noto subsets the pictures and PDFs are set in, from the full OFL fonts.

Run by a developer when the covered characters should change, e.g.:
    python tools/subset_fonts.py /usr/share/fonts/opentype/noto --text-from knowledge/data --text-from DATA_DIR
    python tools/subset_fonts.py --core /usr/share/fonts/truetype/noto
(the full fonts come with Debian's fonts-noto-cjk and fonts-noto-core). Needs fontTools, which the bot itself does
not. --core makes only the Noto Sans (Latin, Greek, Cyrillic in full) and Noto Sans Arabic subsets, for the names
Noto Sans CJK lacks letters of (Ukrainian і, Turkish ı) and for Arabic and Persian script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parents[1] / "bot" / "pictures" / "fonts"
# Index of "Noto Sans CJK SC" in Noto's .ttc collections (JP, KR, SC, TC, HK, then the Mono faces).
SC_INDEX = 2
# Latin with its extensions, Greek, Cyrillic, general punctuation, arrows and the few shapes the pictures use.
BASE = (
    set(range(0x20, 0x250))
    | set(range(0x370, 0x530))
    | set(range(0x2000, 0x2070))
    | {0x20AC, 0x2116, 0x2190, 0x2192, 0x2022, 0x25CF, 0x25A0, 0x25C6, 0x25B2, 0x2026}
    | set(range(0x3000, 0x3040))
    | set(range(0xFF00, 0xFF70))
)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or code >= 0x20000


def _gb2312_level_one() -> set[int]:
    """The 3,755 most common simplified characters (GB 2312 level 1, rows 16-55)."""
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _chars_in(folders: list[Path]) -> set[int]:
    found: set[int] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                found |= {ord(c) for c in path.read_text(encoding="utf-8", errors="ignore") if _is_cjk(c)}
    return found


def _subset(source: Path, unicodes: set[int], target: Path) -> None:
    """The Simplified Chinese face of a Noto Sans CJK collection, cut to `unicodes`, with TrueType outlines."""
    font = TTCollection(str(source)).fonts[SC_INDEX]
    _write(font, ["kern", "liga", "locl", "palt"], unicodes, target, outlines=to_truetype)


def to_truetype(font) -> None:  # type: ignore[no-untyped-def]
    """Cubic CFF outlines as quadratic TrueType ones (within a thousandth of an em). fpdf2 embeds a CID-keyed CFF
    font with an encoding CMap of its own, which common PDF readers (pypdf among them) do not parse, so they read
    each two-byte character as two characters ("\0I\0n\0t…"); a TrueType font is written with Identity-H, which
    every reader knows."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        outlines[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = outlines
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _write(font, features: list[str], unicodes: set[int], target: Path, outlines=None) -> None:  # type: ignore[no-untyped-def]
    options = subset.Options()
    options.layout_features = features
    options.name_IDs = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if outlines is not None:
        outlines(font)
    font.save(str(target))
    covered = sorted(font.getBestCmap())
    target.with_suffix(".chars").write_text("".join(chr(c) for c in covered), encoding="utf-8")
    print(f"{target.name}: {len(covered)} characters, {target.stat().st_size:,} bytes")


# Noto Sans: Latin with its extensions (Vietnamese too), Greek, Cyrillic with its supplement, punctuation.
LGC = (
    set(range(0x20, 0x250))
    | set(range(0x250, 0x2B0))
    | set(range(0x2B0, 0x370))
    | set(range(0x370, 0x530))
    | set(range(0x1E00, 0x1F00))
    | set(range(0x2000, 0x2070))
    | {0x20AC, 0x2116, 0x2026, 0x2022}
)
# Noto Sans Arabic: Arabic, its supplement and presentation forms (Persian and Urdu letters are in these), digits.
ARABIC = (
    set(range(0x600, 0x700))
    | set(range(0x750, 0x780))
    | set(range(0x8A0, 0x900))
    | set(range(0xFB50, 0xFE00))
    | set(range(0xFE70, 0xFF00))
    | {0x20, 0x2E, 0x2C, 0x2D, 0x200C, 0x200D, 0x200E, 0x200F}
    | set(range(0x30, 0x3A))
)


def _subset_ttf(source: Path, unicodes: set[int], target: Path) -> None:
    from fontTools.ttLib import TTFont

    # Every layout feature: Arabic needs its joining forms (init, medi, fina), ligatures and mark placement.
    _write(TTFont(str(source)), ["*"], unicodes, target)


def _core(source: Path) -> None:
    for weight in ("Regular", "Bold"):
        _subset_ttf(source / f"NotoSans-{weight}.ttf", LGC, OUT / f"NotoSans-{weight}.ttf")
        _subset_ttf(source / f"NotoSansArabic-{weight}.ttf", ARABIC, OUT / f"NotoSansArabic-{weight}.ttf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="folder with NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc")
    parser.add_argument("--text-from", type=Path, action="append", default=[], help="add the CJK characters used here")
    parser.add_argument("--core", action="store_true", help="source holds fonts-noto-core's NotoSans*.ttf instead")
    args = parser.parse_args()
    if args.core:
        _core(args.source)
        return
    han = _gb2312_level_one() | _chars_in(args.text_from)
    # Regular carries the Chinese names; bold sets only headings and captions, which fall back to regular.
    _subset(args.source / "NotoSansCJK-Regular.ttc", BASE | han, OUT / "NotoSansSC-Regular.ttf")
    _subset(args.source / "NotoSansCJK-Bold.ttc", BASE, OUT / "NotoSansSC-Bold.ttf")


if __name__ == "__main__":
    main()
