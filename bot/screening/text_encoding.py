"""How a file of names is read as text: UTF-8, UTF-16 with its mark or without, and the Windows code pages Excel
saves a CSV in, told by how their words are written; a line or a few in another code page read as they are."""

from __future__ import annotations

import re

from bot.errors import UsageError

__all__ = ["decode_text"]


def decode_text(data: bytes) -> tuple[str, str | None]:
    """The text of a file, and a note where it was not UTF-8; a UsageError for what is not text at all."""
    for bom, encoding in ((_UTF8_BOM, "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as error:
                mixed = _utf8_but_some_lines(data[len(bom) :], marked=True) if bom == _UTF8_BOM else None
                if mixed is not None:
                    return mixed
                raise UsageError(f"The file says it is {encoding.upper()} but is not ({error.reason}).") from None
    # UTF-16 without its byte-order mark, where every other byte of Latin text is NUL: tried before UTF-8, which reads
    # such text too (NUL is a character), every line end then counted twice.
    if data.count(b"\x00") * _UTF16_NUL_SHARE >= len(data):
        return _utf16(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROLS.search(text):
        return text, None
    if b"\x00" in data:
        # Text in another script in UTF-16 without its mark holds fewer NULs (Cyrillic: its spaces and line ends) and
        # reads as UTF-8 too, as control characters: read as UTF-16 where that is text.
        try:
            return _utf16(data)
        except UsageError:
            if text is None:
                raise
    if text is not None:
        return text, None
    mixed = _utf8_but_some_lines(data)
    if mixed is not None:
        return mixed
    return _code_page_text(data)


def _code_page_text(data: bytes) -> tuple[str, str]:
    """Text not in UTF-8, as Excel on Windows saves a CSV: in the system's code page, most often Western European
    (Windows-1252), else one of a script whose words are written wholly in letters past ASCII, as Western European
    names are not: read as Western European, every Russian, Arabic or Chinese name was garbled ("四川安洵" in GBK as
    "ËÄ´¨°²ä") and found nothing. A UsageError where the script cannot be told."""
    western = _decoded(data, "cp1252")
    # Western European names hold a few accented letters among plain ones (Müller, Gonçalves, Þórður), and few of
    # its signs from 0xA1 to 0xBF (¹, ¼, «) among them, a quarter of the bytes of GBK's characters; and no byte
    # Windows-1252 leaves undefined (Shift-JIS's first bytes).
    past_ascii = _past_ascii(data)
    signs = len(data.translate(None, _NOT_LATIN_1_SIGNS)) * _SIGNS_SHARE >= past_ascii
    if (
        western is not None
        and not (signs and past_ascii * _PAST_ASCII_SHARE >= len(_ASCII_LETTER.findall(western)))
        and not _words_past_ascii(western)
    ):
        return western, _read_as("Windows-1252 (Western European)")
    readings = {
        language: text
        for language, read in (
            ("Windows-1251 (Cyrillic)", _cyrillic),
            ("Windows-1256 (Arabic)", _arabic),
            ("Windows-1255 (Hebrew)", _hebrew),
            ("GBK (Chinese)", _chinese),
            ("Windows-949 (Korean)", _korean),
        )
        if (text := read(data)) is not None
    }
    cyrillic = readings.pop("Windows-1251 (Cyrillic)", None)
    if cyrillic is not None and (not readings or _cyrillic_rather(data, readings)):
        return cyrillic, _read_as("Windows-1251 (Cyrillic), as its words are written")
    if cyrillic is not None:
        readings.clear()  # Cyrillic or another script alike: not told
    # Arabic in Windows-1256 reads as GBK characters too; Chinese never as Arabic letters (GBK writes it with bytes
    # that are signs there, 0xA1 to 0xBF).
    if "Windows-1256 (Arabic)" in readings:
        readings.pop("GBK (Chinese)", None)
    if len(readings) == 1:
        ((language, text),) = readings.items()
        return text, _read_as(f"{language}, as its words are written")
    raise UsageError(
        "The file is not UTF-8, and I cannot tell which alphabet its names are written in (they are not Western "
        "European letters): save it as CSV UTF-8 (in Excel: Save As, “CSV UTF-8”) and screen it again."
    )


def _cyrillic_rather(data: bytes, readings: dict[str, str]) -> bool:
    """Whether text that reads as Cyrillic and as another script too is Cyrillic: in capitals only (a name, which no
    other script's bytes are, but for a few GBK characters: 0xC0 to 0xDF); or its small letters (bytes from 0xE0 on)
    most of its letters, as in Cyrillic text, a third of GBK's second bytes, and Arabic's commonest letters (ل م ن ه
    و ي) only, with a capital (Hebrew, which reads as Cyrillic small letters, has none)."""
    small = len(data.translate(None, _BELOW_SMALL_CYRILLIC))
    if not small:
        return True
    capitals = small < _past_ascii(data)
    return small * 2 >= _past_ascii(data) and (capitals or "Windows-1255 (Hebrew)" not in readings)


def _read_as(code_page: str) -> str:
    return (
        f"The file is not UTF-8; it was read as {code_page}. If names look wrong in the results, save the file as CSV "
        "UTF-8 and screen it again."
    )


def _past_ascii(data: bytes) -> int:
    return len(data.translate(None, _ASCII_BYTES))


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cyrillic(data: bytes) -> str | None:
    """The text as Windows-1251 writes it, where that is Cyrillic text: its bytes past ASCII letters but a few signs
    (« », №, dashes), and few words mixing them with ASCII letters ("Mьller" is Windows-1252's Müller) or shaped as
    no Cyrillic word is."""
    if len(data.translate(None, _ASCII_OR_CYRILLIC)) * _FEW > _past_ascii(data):
        return None
    text = _decoded(data, "cp1251")
    if text is None:
        return None
    words = _CYRILLIC_RUN.findall(text)
    odd = len(_LATIN_AND_CYRILLIC_WORD.findall(text)) + sum(1 for word in words if not _cyrillic_shaped(word))
    return text if odd * _ODD_WORDS <= len(words) else None


def _cyrillic_shaped(word: str) -> bool:
    """Whether a run of Cyrillic letters is shaped as a word is: in capitals (a name, or an abbreviation: ФСБ); or
    small letters, after a capital or not, or several such parts (ТрансКомплект), with a vowel, but for a short
    abbreviation (кв, стр). Arabic in Windows-1256 read as Windows-1251 is not ("ЗбгбЛгжд", "гСжЗд")."""
    if len(word) < 2 or _CYRILLIC_CAPITALS.fullmatch(word):
        return True
    if _CYRILLIC_SMALL.fullmatch(word) and len(word) <= _ABBREVIATION_LENGTH:
        return True
    return _CYRILLIC_PARTS.fullmatch(word) is not None and _CYRILLIC_VOWEL.search(word) is not None


def _arabic(data: bytes) -> str | None:
    """The text as Windows-1256 writes it, where that is Arabic or Persian text: its characters past ASCII Arabic
    letters but a few."""
    return _in_script(data, "cp1256", _ARABIC_LETTER)


def _hebrew(data: bytes) -> str | None:
    """The text as Windows-1255 writes it, where that is Hebrew text."""
    return _in_script(data, "cp1255", _HEBREW_LETTER)


def _korean(data: bytes) -> str | None:
    """The text as Windows-949 (EUC-KR) writes it, where that is Korean text, in Hangul."""
    return _in_script(data, "cp949", _HANGUL_SYLLABLE)


def _in_script(data: bytes, encoding: str, letter: re.Pattern[str]) -> str | None:
    text = _decoded(data, encoding)
    if text is None:
        return None
    past = _past_ascii_characters(text)
    return text if past and (past - len(letter.findall(text))) * _FEW <= past else None


def _chinese(data: bytes) -> str | None:
    """The text as GBK writes it, where that is Chinese text: its characters GB2312's (the common ones) but one in
    four at most (Western European text read as GBK is characters of GBK's extension, whose second byte is ASCII's)."""
    text = _decoded(data, "gbk")
    if text is None:
        return None
    past = _past_ascii_characters(text)
    uncommon = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return text if past and uncommon * 4 <= past else None


def _past_ascii_characters(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


_ASCII_BYTES = bytes(range(0x80))
_BELOW_SMALL_CYRILLIC = bytes(range(0xE0))
# ASCII and the bytes Windows-1251 reads as Cyrillic letters (А to я, Ё, ё, and Ukrainian, Belarusian, Serbian and
# Macedonian letters).
_ASCII_OR_CYRILLIC = _ASCII_BYTES + bytes(
    code for code in range(0x80, 0x100) if "\u0400" <= bytes([code]).decode("cp1251", "replace") <= "\u04ff"
)
# "A few": one in twenty (of the bytes or characters past ASCII); of the Cyrillic words, one in five may be odd (an
# abbreviation, a Latin letter typed for a Cyrillic one), where Arabic read so is odd in most words.
_FEW = 20
_ODD_WORDS = 5
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
# Hebrew's letters, not its vowel points (which Windows-1255 writes with the bytes of Arabic's letters in
# Windows-1256).
_HEBREW_LETTER = re.compile(r"[\u05d0-\u05ea]")
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_LATIN_AND_CYRILLIC_WORD = re.compile(r"\w*(?:[a-zA-Z]\w*[\u0400-\u04ff]|[\u0400-\u04ff]\w*[a-zA-Z])\w*")
_SMALL = "а-яёіїєґўђѓљњќћџѕј"
_CAPITALS = "А-ЯЁІЇЄҐЎЂЃЉЊЌЋЏЅЈ"
_CYRILLIC_CAPITALS = re.compile(f"[{_CAPITALS}]+")
_CYRILLIC_SMALL = re.compile(f"[{_SMALL}]+")
_CYRILLIC_PARTS = re.compile(f"[{_SMALL}]+|[{_CAPITALS}]?[{_SMALL}]+|(?:[{_CAPITALS}][{_SMALL}]{{2,}})+")
_CYRILLIC_VOWEL = re.compile("[аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ]")
_ABBREVIATION_LENGTH = 3
# Every byte but Latin-1's signs (0xA1 to 0xBF); text a fifth of whose bytes past ASCII are those signs, or more, is
# no Western European text.
_NOT_LATIN_1_SIGNS = bytes(code for code in range(0x100) if not 0xA1 <= code <= 0xBF)
_SIGNS_SHARE = 5
# ... where its bytes past ASCII are as many as a third of its ASCII letters, or more.
_PAST_ASCII_SHARE = 3
_ASCII_LETTER = re.compile(r"[a-zA-Z]")
# A word of two letters or more none of which is ASCII: in Windows-1252, a Cyrillic, Arabic or Chinese word misread.
_PAST_ASCII_WORD = re.compile(r"(?<!\w)[^\W\d_a-zA-Z]{2,}(?!\w)")
# A word of two letters or more, one of them past ASCII (a letter alone may be an initial of either kind).
_WORD_PAST_ASCII = re.compile(r"\w*[^\W\d_a-zA-Z]\w*(?<=\w\w)")


def _words_past_ascii(text: str) -> bool:
    """Whether most words of two letters or more of `text` holding a letter past ASCII are of such letters only."""
    wholly = len(_PAST_ASCII_WORD.findall(text))
    return wholly > 0 and wholly * 2 >= len(_WORD_PAST_ASCII.findall(text))


_UTF8_BOM = b"\xef\xbb\xbf"


def _utf8_but_some_lines(data: bytes, *, marked: bool = False) -> tuple[str, str] | None:
    """A UTF-8 file some lines of which are not (a row typed or pasted in from Windows): each line read as what it
    is, the others as Windows-1252, and a note naming them; None where no line shows UTF-8's own characters (nor the
    file's mark, `marked`). Read as Windows-1252 throughout, every UTF-8 name outside ASCII was garbled ("四川安洵"
    as "å››å·å®‰æ´µ") and found nothing."""
    lines = data.splitlines(keepends=True)
    read: list[str] = []
    not_utf8: list[int] = []
    shows_utf8 = marked
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(number)
            text = _windows_1252(line)
        else:
            shows_utf8 = shows_utf8 or not line.isascii()
        read.append(text)
    if not shows_utf8:
        return None
    shown = ", ".join(map(str, not_utf8[:_LINES_NAMED]))
    more = f" and {len(not_utf8) - _LINES_NAMED:,} more" if len(not_utf8) > _LINES_NAMED else ""
    lines_named, those = (
        (f"Line {shown} is", "that line") if len(not_utf8) == 1 else (f"Lines {shown}{more} are", "those lines")
    )
    return "".join(read), (
        f"{lines_named} not UTF-8, as the rest of the file is, and read as Windows-1252 (Western European): check the "
        f"names of {those} in the results, or save the file as CSV UTF-8 and screen it again."
    )


# Lines named in the note of a file partly not UTF-8; the rest are counted.
_LINES_NAMED = 10


def _windows_1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1")


# Control characters no text of names holds (tab and line ends aside): UTF-8 that reads so is UTF-16 read wrongly.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A file this share of whose bytes (one in four or more) is NUL is UTF-16; a stray NUL in UTF-8 text is not.
_UTF16_NUL_SHARE = 4


def _utf16(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text[:2000]):
            return text, f"The file is UTF-16 without a byte-order mark; it was read as {encoding.upper()}."
    raise UsageError("That file is not text (it holds NUL bytes): upload a CSV or an XLSX file of names.")
