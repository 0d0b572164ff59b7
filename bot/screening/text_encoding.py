"""How a file of names is read as text: UTF-8, UTF-16, or the Windows code page its words are written in."""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.errors import UsageError

__all__ = ["decode_text"]


def decode_text(data: bytes) -> tuple[str, str | None]:
    """The text of a file, and a note where it was not UTF-8; a UsageError for what is not text at all, or text whose
    alphabet cannot be told."""
    if data.startswith(_UTF8_BOM):
        marked = data[len(_UTF8_BOM) :]
        text = _decoded(marked, "utf-8")
        return (text, None) if text is not None else _not_utf8(marked, marked_utf8=True)
    for bom in (b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            try:
                return data.decode("utf-16"), None
            except UnicodeDecodeError as error:
                raise UsageError(f"The file says it is UTF-16 but is not ({error.reason}).") from None
    # UTF-16 without its byte-order mark, where every other byte of Latin text is NUL: tried before UTF-8, which reads
    # such text too (NUL is a character), every line end then counted twice.
    if data.count(b"\x00") * _UTF16_NUL_SHARE >= len(data):
        return _utf16(data)
    text = _decoded(data, "utf-8")
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
    return _not_utf8(data)


def _not_utf8(data: bytes, *, marked_utf8: bool = False) -> tuple[str, str]:
    """A file not all UTF-8: a UTF-8 file with a line or a few typed in elsewhere (on Windows), each line read as what
    it is; or a file in one Windows code page (_code_page). Read as Windows-1252 throughout, the first had every UTF-8
    name outside ASCII garbled ("四川安洵" as "å››å·å®‰æ´µ"), found by nothing."""
    lines = data.splitlines(keepends=True)
    read = [_decoded(line, "utf-8") for line in lines]
    not_utf8 = [number for number, text in enumerate(read) if text is None]
    if not (marked_utf8 or _shows_utf8(read, _BY_CHANCE * len(not_utf8))):
        # Told from the file's start (its first _SAMPLE_BYTES, whole lines) where that holds more than ASCII, unless
        # the rest does not read so.
        start = data[: data.rfind(b"\n", 0, _SAMPLE_BYTES) + 1]
        if start.isascii():
            start = data
        encoding, language = _code_page(start)
        text = _decoded(data, encoding)
        if text is None:
            encoding, language = _code_page(data)
            text = data.decode(encoding)
        return text, _read_as(language)
    shown = ", ".join(str(number + 1) for number in not_utf8[:_LINES_NAMED])
    more = f" and {len(not_utf8) - _LINES_NAMED:,} more" if len(not_utf8) > _LINES_NAMED else ""
    lines_named, those = (
        (f"Line {shown} is", "that line") if len(not_utf8) == 1 else (f"Lines {shown}{more} are", "those lines")
    )
    try:
        encoding, language = _code_page(b"".join(lines[number] for number in not_utf8))
    except UsageError:
        raise UsageError(
            f"{lines_named} not UTF-8, as the rest of the file is, and I cannot tell which alphabet {those} "
            "are written in: save the file as CSV UTF-8 (in Excel: Save As, “CSV UTF-8”) and screen it again."
        ) from None
    text = "".join(line if line is not None else lines[number].decode(encoding) for number, line in enumerate(read))
    return text, (
        f"{lines_named} not UTF-8, as the rest of the file is, and read as {language}: check the names of {those} "
        "in the results, or save the file as CSV UTF-8 and screen it again."
    )


def _shows_utf8(read: list[str | None], wanted: int) -> bool:
    """Whether the lines read as UTF-8 show more than `wanted` letters past ASCII in words of one script, two such
    letters or more. A line of a file in a code page reads as UTF-8 now and then by chance, in letters of scripts mixed
    (郑伟 in GBK is "֣ΰ", 谢强 "лǿ", "JOSÉ’S" in Windows-1252 "JOSɒS"); a UTF-8 file's words are in one script."""
    shown = 0
    for text in read:
        if text is None or text.isascii():
            continue
        for word in _WORD.findall(text):
            letters = [c for c in word if c.isalpha()]
            past = [c for c in letters if not c.isascii()]
            if len(past) < 2:
                continue
            scripts = {_script(c) for c in past} | ({"LATIN"} if len(past) < len(letters) else set())
            if len(scripts) == 1:
                shown += len(past)
                if shown > wanted:
                    return True
    return False


def _script(letter: str) -> str:
    """A letter's script, as the first word of its Unicode name gives it (LATIN, CYRILLIC, CJK), Japanese kana and
    Han one script."""
    script = unicodedata.name(letter, "").partition(" ")[0]
    return _JAPANESE.get(script, script)


def _read_as(language: str) -> str:
    told = "" if language == _WESTERN else ", as its words are written"
    return (
        f"The file is not UTF-8; it was read as {language}{told}. If names look wrong in the results, save the file "
        "as CSV UTF-8 and screen it again."
    )


def _code_page(data: bytes) -> tuple[str, str]:
    """The Windows code page text not in UTF-8 is written in, as Excel on Windows saves a CSV, and its name: most often
    Western European (Windows-1252); else the one of a script whose words are written wholly in letters past ASCII
    (read as Western European, every Russian, Arabic or Chinese name was garbled, "四川安洵" in GBK as "ËÄ´¨°²ä",
    found by nothing). A UsageError where the script cannot be told: a refusal, never a guess."""
    western = _decoded(data, "cp1252")
    if _central_european(data, western):
        return "cp1250", "Windows-1250 (Central European)"
    if western is not None and not _misread_as_western(data, western):
        # Arabic among French names (Windows-1256 writes French's letters where Windows-1252 does): a word or more of
        # letters past ASCII only, read as Arabic, and no word of both.
        if _past_ascii_words(western)[1] and _arabic_among_latin(data):
            return "cp1256", _ARABIC
        return "cp1252", _WESTERN
    readings = {language: encoding for encoding, language, reads in _SCRIPTS if reads(data)}
    if len(readings) == 1:
        ((language, encoding),) = readings.items()
        return encoding, language
    # Cyrillic in capitals (a name) reads as Arabic letters too, and Arabic text holds the bytes of Cyrillic's small
    # letters (0xE0 on), its commonest letters (ل م ن ه و ي). (Chinese in GBK may hold none in a few names.)
    if readings.keys() == {_CYRILLIC, _ARABIC} and not data.translate(None, _BELOW_SMALL_CYRILLIC):
        return "cp1251", _CYRILLIC
    raise UsageError(
        "The file is not UTF-8, and I cannot tell which alphabet its names are written in (they are not Western "
        "European letters): save it as CSV UTF-8 (in Excel: Save As, “CSV UTF-8”) and screen it again."
    )


def _misread_as_western(data: bytes, western: str) -> bool:
    """Whether text read as Windows-1252 is no Western European text: most of its words of letters past ASCII are of
    such letters only, as Cyrillic, Arabic and Hebrew words read so are (a Western name holds a few accented letters
    among plain ones: Müller, Gonçalves, Þórður); or a quarter of its runs of bytes past ASCII are two bytes or more
    holding one of the signs of _SIGNS (», ª, ¹, †, ‰), as half of GBK's characters and Shift-JIS's are read (a
    Western name's sign stands alone: «Société», Nº)."""
    if _words_wholly_past_ascii(western):
        return True
    runs = _PAST_ASCII_RUN.findall(data)
    with_signs = sum(1 for run in runs if len(run) > 1 and run.translate(None, _NOT_LATIN_1_SIGNS))
    return with_signs > 0 and with_signs * 4 >= len(runs)


def _words_wholly_past_ascii(text: str) -> bool:
    """Whether most words of two letters or more holding a letter past ASCII hold no ASCII letter."""
    past_ascii, wholly = _past_ascii_words(text)
    return wholly > 0 and wholly * 2 >= past_ascii


def _past_ascii_words(text: str) -> tuple[int, int]:
    """The words of two letters or more of `text` holding a letter past ASCII, and those of them holding no ASCII
    letter or digit, counted."""
    # (Word by word, each tested once: a pattern of words inside words took minutes over one long word.)
    past_ascii = [word for word in _WORD.findall(text) if len(word) > 1 and not word.isascii()]
    return len(past_ascii), sum(1 for word in past_ascii if not _ASCII_LETTER_OR_DIGIT.search(word))


def _central_european(data: bytes, western: str | None) -> bool:
    """Whether text is Polish, Czech, Slovak, Croatian, Serbian, Slovenian, Hungarian or Romanian in Windows-1250,
    where Windows-1252 reads it with signs between letters (ł, ą, ż, ş as ³, ¹, ¿, º: "Bia³ystok"), a Serbo-Croatian
    -ić as -iæ ("Mladiæ" is no match for MLADIC), or cannot read it (ź, ť); and Windows-1250 reads it with none."""
    if western is not None and not (_SIGN_BETWEEN_LETTERS.search(western) or _IC_ENDING.search(western)):
        return False
    central = _decoded(data, "cp1250")
    # Latin text as Western names are: a few letters past ASCII among plain ones (Cyrillic, Arabic or Chinese text
    # reads as words of such letters only there).
    return (
        central is not None
        and not _words_wholly_past_ascii(central)
        and not _SIGN_BETWEEN_LETTERS.search(central)
        and not _PUNCTUATION_BETWEEN_LETTERS.search(central)
        and _past_ascii(data) > 0
    )


def _arabic_among_latin(data: bytes) -> bool:
    """Whether text is Arabic and Latin (French) in Windows-1256: words of Arabic letters, two or more, beside Latin
    ones, and no word mixing them ("Peña" is "Peٌa" there)."""
    text = _decoded(data, "cp1256")
    if text is None or len(_ARABIC_LETTER.findall(text)) < 2:
        return False
    return not any(
        _ARABIC_BLOCK.search(token) and _LATIN_LETTER.search(token) for token in _TOKEN_APART.split(text) if token
    )


def _cyrillic(data: bytes) -> bool:
    """Whether text is Cyrillic in Windows-1251: its bytes past ASCII letters but a few (punctuation aside: « », №,
    dashes), and few words mixing them with ASCII letters ("Mьller" is Windows-1252's Müller) or shaped as no Cyrillic
    word is (_cyrillic_shaped)."""
    if len(data.translate(None, _ASCII_CYRILLIC_OR_PUNCTUATION)) * _FEW > _past_ascii(data):
        return False
    text = _decoded(data, "cp1251")
    if text is None:
        return False
    words = _CYRILLIC_RUN.findall(text)
    mixed = sum(1 for word in _WORD.findall(text) if _ASCII_LETTER.search(word) and _CYRILLIC_LETTER.search(word))
    odd = mixed + sum(1 for word in words if not _cyrillic_shaped(word))
    return odd * _ODD_WORDS <= len(words)


def _cyrillic_shaped(word: str) -> bool:
    """Whether a run of Cyrillic letters is shaped as a word is: in capitals (a name, or an abbreviation: ФСБ); or
    small letters, after a capital or not, or several such parts (ТрансКомплект), with a vowel, but for a short
    abbreviation (кв, стр). Arabic in Windows-1256 read as Windows-1251 is not ("ЗбгбЛгжд", "гСжЗд")."""
    if len(word) < 2 or _CYRILLIC_CAPITALS.fullmatch(word):
        return True
    if _CYRILLIC_SMALL.fullmatch(word) and len(word) <= _ABBREVIATION_LENGTH:
        return True
    return _CYRILLIC_PARTS.fullmatch(word) is not None and _CYRILLIC_VOWEL.search(word) is not None


def _arabic(data: bytes) -> bool:
    """Whether text is Arabic or Persian in Windows-1256: its characters past ASCII Arabic letters but a few."""
    return _in_script(data, "cp1256", _ARABIC_LETTER)


def _hebrew(data: bytes) -> bool:
    """Whether text is Hebrew in Windows-1255 (which Russian in small letters in Windows-1251 reads as too)."""
    return _in_script(data, "cp1255", _HEBREW_LETTER)


def _korean(data: bytes) -> bool:
    """Whether text is Korean Hangul in EUC-KR (Windows-949's common syllables, not its extension, which reads most
    double-byte text: Shift-JIS, Big5). Every common syllable reads as GB2312's characters too: Korean text is refused
    as Korean or Chinese alike, not read as Chinese."""
    return _in_script(data, "euc_kr", _HANGUL_SYLLABLE)


def _chinese(data: bytes) -> bool:
    """Whether text is Chinese in GBK: half of its characters (of the first _CHARACTERS_WEIGHED) or more of the 3,755
    commonest, GB2312's first level (first byte 0xB0 to 0xD7), as names in Chinese are, but for a few of the second
    (琪, 鑫); Cyrillic, Arabic and Western European text read as GBK is characters of the second level and beyond
    ("Виктор" is 耠觑铕)."""
    text = _decoded(data, "gbk")
    if text is None:
        return False
    characters = list(itertools.islice((c for c in text if not c.isascii()), _CHARACTERS_WEIGHED))
    common = sum(1 for c in characters if 0xB0 <= c.encode("gbk")[0] <= 0xD7)
    return bool(characters) and common * 2 >= len(characters)


def _in_script(data: bytes, encoding: str, letter: re.Pattern[str]) -> bool:
    text = _decoded(data, encoding)
    if text is None:
        return False
    past = _past_ascii_characters(text)
    return past > 0 and (past - len(letter.findall(text))) * _FEW <= past


_WESTERN = "Windows-1252 (Western European)"
_CYRILLIC = "Windows-1251 (Cyrillic)"
_ARABIC = "Windows-1256 (Arabic)"
# The scripts a file not in Western European text may be written in, as the Windows of their countries save it.
_SCRIPTS = (
    ("cp1251", _CYRILLIC, _cyrillic),
    ("cp1256", _ARABIC, _arabic),
    ("cp1255", "Windows-1255 (Hebrew)", _hebrew),
    ("gbk", "GBK (Chinese)", _chinese),
    ("euc_kr", "EUC-KR (Korean)", _korean),
)


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _past_ascii(data: bytes) -> int:
    return len(data.translate(None, _ASCII_BYTES))


def _past_ascii_characters(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


_UTF8_BOM = b"\xef\xbb\xbf"
# Letters of UTF-8 a UTF-8 file with some lines not UTF-8 shows (_shows_utf8), more than this many a line not UTF-8.
_WORD = re.compile(r"\w+")
_JAPANESE = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK"}
_BY_CHANCE = 2
# The start of a file its code page is told from: thousands of names, in a tenth of a second.
_SAMPLE_BYTES = 256 * 1024
# Lines named in the note of a file partly not UTF-8; the rest are counted.
_LINES_NAMED = 10
# Control characters no text of names holds (tab and line ends aside): UTF-8 that reads so is UTF-16 read wrongly.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A file this share of whose bytes (one in four or more) is NUL is UTF-16; a stray NUL in UTF-8 text is not.
_UTF16_NUL_SHARE = 4

_ASCII_BYTES = bytes(range(0x80))
_BELOW_SMALL_CYRILLIC = bytes(range(0xE0))
# ASCII, the bytes Windows-1251 reads as Cyrillic letters (А to я, Ё, ё, and Ukrainian, Belarusian, Serbian and
# Macedonian letters), and the punctuation Russian text uses (« » „ “ ” – — … №).
_ASCII_CYRILLIC_OR_PUNCTUATION = (
    _ASCII_BYTES
    + bytes(code for code in range(0x80, 0x100) if "\u0400" <= bytes([code]).decode("cp1251", "replace") <= "\u04ff")
    + "«»„“”–—…№".encode("cp1251")
)
# Every byte but the signs of Windows-1252 no Western name holds beside a letter: Latin-1's (0xA1 to 0xBF) and
# € ‚ „ † ‡ ˆ ‰ ‹ ˜ ™ › (Shift-JIS's first bytes read so), not its quotes, dashes and letters (O’Brien, Š).
_NOT_LATIN_1_SIGNS = bytes(
    code
    for code in range(0x100)
    if not (0xA1 <= code <= 0xBF or code in b"\x80\x82\x84\x86\x87\x88\x89\x8b\x98\x99\x9b")
)
_PAST_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
# "A few": one in twenty (bytes or characters past ASCII not of the script); one in five of the Cyrillic words may be
# odd (an abbreviation, a Latin letter typed for a Cyrillic one), where Arabic read so is odd in most words.
_FEW = 20
_ODD_WORDS = 5
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_ASCII_LETTER = re.compile(r"[a-zA-Z]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_SMALL = "а-яёіїєґўђѓљњќћџѕј"
_CAPITALS = "А-ЯЁІЇЄҐЎЂЃЉЊЌЋЏЅЈ"
_CYRILLIC_CAPITALS = re.compile(f"[{_CAPITALS}]+")
_CYRILLIC_SMALL = re.compile(f"[{_SMALL}]+")
_CYRILLIC_PARTS = re.compile(f"[{_CAPITALS}]?[{_SMALL}]+|(?:[{_CAPITALS}][{_SMALL}]{{2,}})+")
_CYRILLIC_VOWEL = re.compile("[аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ]")
# Characters of a file weighed to tell whether it is Chinese: enough for any file, without a loop over a large one.
_CHARACTERS_WEIGHED = 20_000
# Small-letter abbreviations without a vowel (кв, стр, пр) are this long at most.
_ABBREVIATION_LENGTH = 3
# Arabic and Persian letters, not the vowel marks names are written without (which GBK characters read as in
# Windows-1256: 王娜 as "حُؤب").
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3]")
# Hebrew's letters, not its vowel points (which Windows-1255 writes with the bytes of Arabic's letters in
# Windows-1256).
_HEBREW_LETTER = re.compile(r"[\u05d0-\u05ea]")
_ARABIC_BLOCK = re.compile(r"[\u0600-\u06ff]")
# A sign of Latin-1 between two letters (Windows-1252's reading of Central European letters), and -ić read so.
_LATIN = "a-zA-Z\u00c0-\u024f"
_SIGN_BETWEEN_LETTERS = re.compile(f"(?<=[{_LATIN}])[\u00a1-\u00bf](?=[{_LATIN}])")
# ... or Windows' punctuation but the apostrophe (O’Brien): Shift-JIS read as Windows-1250 ("Ť‘ŤŰŚ").
_PUNCTUATION_BETWEEN_LETTERS = re.compile(
    f"(?<=[{_LATIN}])[\u201a\u201e\u2026\u2020\u2021\u2030\u2039\u2018\u201c\u201d\u2022\u2013\u2014\u203a\u2122](?=[{_LATIN}])"
)
_IC_ENDING = re.compile(f"(?<=[a-zA-Z])i\u00e6(?![{_LATIN}])")
_LATIN_LETTER = re.compile(f"[{_LATIN}]")
# What parts a name's words from each other: spaces, a CSV's delimiters, punctuation.
_TOKEN_APART = re.compile(r"[\s,;|\t\"'()/.\-]+")

_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
# In a word of two letters or more past ASCII (a letter alone may be an initial of either kind), what makes it not
# wholly so.
_ASCII_LETTER_OR_DIGIT = re.compile(r"[\da-zA-Z_]")


def _utf16(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _decoded(data, encoding)
        if text is not None and (text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text[:2000])):
            return text, f"The file is UTF-16 without a byte-order mark; it was read as {encoding.upper()}."
    raise UsageError("That file is not text (it holds NUL bytes): upload a CSV or an XLSX file of names.")
