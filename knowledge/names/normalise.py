"""Name normalisation for matching: case, Unicode, scripts, punctuation, titles, numbers and legal forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

from knowledge.names.tables import (
    ABBREVIATIONS,
    HAN_LEGAL_FORMS,
    LEGAL_FORMS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PARTICLE_SPELLINGS,
    STOPWORDS,
    TENS_WORDS,
    TITLE_GIVEN_NAMES,
    TITLES,
)
from knowledge.slotted import fast_pickle

__all__ = ["NORMALISE_CACHE_SIZE", "NormalName", "clean_text", "is_han", "normalise", "normalise_unremembered"]

# Names remembered normalised: enough for every name of a million-name index to be normalised once at build and
# the recent queries of a long-running server, bounded so that it does not grow with every new query.
NORMALISE_CACHE_SIZE = 131_072

# Bidirectional overrides and invisible formatting characters: a user pasting a name must not be able to
# reorder or hide what the bot echoes back.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_WORD = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff]+")
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(st|nd|rd|th|er|e|eme|o|a|º|ª)$")
# Hangul syllables: a Korean name is read syllable by syllable, as its romanised spelling is ("Kim Jong Un").
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# Forms of up to this many words are looked for; a short one-word form ("as", "sa", "ao") only at either end of
# a name, where legal forms stand, so that the word "as" inside a name is never taken for a Norwegian company.
_LONGEST_FORM = 8
_SHORT_FORM = 3


def clean_text(text: str) -> str:
    """Text with control characters and invisible bidi or formatting characters removed, spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def is_han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


def _to_latin(text: str) -> str:
    if text.isascii():
        return text  # most listed names: nothing to transliterate, and no per-character loop to pay for
    # Characters of the scripts most names are written in: one translate through the table. Any other (Han, Hangul,
    # symbols of other blocks) one by one.
    text = text.translate(_latin_table())
    return text if text.isascii() else "".join([_latin(char) for char in text])


def _latin(char: str) -> str:
    """One character as the matcher reads it: itself (ASCII, Han), nothing (a mark), a space (not a letter), a
    syllable apart (Hangul), or its letters in Latin script."""
    # Han is kept as written: its transliteration is ambiguous, so Chinese names match through stored names.
    if char.isascii() or is_han(char):
        return char
    category = unicodedata.category(char)
    if category.startswith("M"):
        return ""
    if not category.startswith("L"):
        # Symbols and emoji are not part of a name (anyascii would spell 🔥 as "fire").
        return " "
    if _HANGUL_FIRST <= ord(char) <= _HANGUL_LAST:
        # Each syllable a word of its own, kept as written: one syllable differing is another name (김정은,
        # 김종은), and romanisations of Korean differ too much to match across scripts.
        return f" {char} "
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    # The Cyrillic soft and hard signs transliterate to an apostrophe, which is not a word break:
    # Зеленський is one word, "zelenskiy".
    return decomposed if decomposed.isascii() else _APOSTROPHES.sub("", anyascii(char))


# Latin-1 to Arabic and NKo, Thai, Khmer, Latin and Greek extended, general punctuation: where listed names not in
# ASCII are written (Cyrillic, Arabic, Greek, accented Latin), 2,800 characters.
_TABLE_BLOCKS = ((0x80, 0x800), (0xE00, 0xE80), (0x1780, 0x1800), (0x1E00, 0x2070))


@cache
def _latin_table() -> dict[int, str]:
    """_latin of every character of _TABLE_BLOCKS: built once, on the first name not in ASCII (about 10 ms), it
    reads a Cyrillic name in one translate rather than a few microseconds a character."""
    return {code: _latin(chr(code)) for start, end in _TABLE_BLOCKS for code in range(start, end)}


@fast_pickle
@dataclass(slots=True, unsafe_hash=True)
class NormalName:
    """A name as the matcher sees it: its words (for the exact keys), its tokens (for fuzzy matching), and the
    class of its legal form ("llc", "jsc"; empty when it has none), which the scorer compares. Never changed once
    made: normalise hands one to every caller of the same text. (Not a frozen class so that `of` assigns its slots as
    any class does: a frozen one's setters took a tenth of normalising a short name.)"""

    words: tuple[str, ...]
    tokens: tuple[str, ...]
    key: str
    compact: str
    legal: str = ""
    # Every word joined, legal forms included ("siemensag"): a name written as one word still matches.
    whole: str = ""

    @classmethod
    def of(cls, words: tuple[str, ...], legal: str = "", whole: str = "") -> NormalName:
        compact = "".join(words)
        # Chinese is written without spaces: a run of Han characters is matched on its character pairs, so
        # that 四川安洵 finds 四川安洵信息技术. ASCII words have none to split.
        tokens = words if compact.isascii() else tuple(token for word in words for token in _han_bigrams(word))
        # Built slot by slot, without the dataclass's __init__ and its call of keywords and defaults.
        name = _new(cls)
        name.words = words
        name.tokens = tokens
        name.key = " ".join(words)
        name.compact = compact
        name.legal = legal
        name.whole = whole if whole and whole != compact else compact
        return name


_new = object.__new__


def _han_bigrams(word: str) -> tuple[str, ...]:
    if len(word) < 3 or not is_han(word[0]):
        return (word,)
    return tuple(word[i : i + 2] for i in range(len(word) - 1))


def normalise_unremembered(text: str, *, strip_legal_forms: bool = True) -> NormalName:
    """Tokens of `text` for matching: `i-Soon`, `ISOON` and `I SOON` all share the compact key `isoon`. normalise
    is this, remembered; this is for two names compared once (`briefbot match`), which gain nothing from the cache
    but pay for its key and its entry, and would push out the names lookups remember."""
    # Most listed names are ASCII: nothing to fold to Unicode's compatibility forms, no bidi or format characters
    # to remove, no script to transliterate, no Han legal form. The real lists' 40,000 names: 0.20 s -> 0.13 s.
    if text.isascii():
        words = _ascii_words(text)
        # Most names: letters only, and no word any step below reads or drops (the name is its words), told by one
        # set operation rather than a test per step.
        if (_WORDS_READ or _words_read()).isdisjoint(words) and (whole := "".join(words)).isalpha():
            return _plain_name(tuple(words), whole)
        return _words_of(words, strip_legal_forms)
    return _words_of(_split(_fold(text, strip_legal_forms=strip_legal_forms)), strip_legal_forms)


normalise = lru_cache(maxsize=NORMALISE_CACHE_SIZE)(normalise_unremembered)


def _plain_name(words: tuple[str, ...], whole: str) -> NormalName:
    """NormalName.of for ASCII words of letters that _words_of keeps: words and tokens one, whole and compact one."""
    name = _new(NormalName)
    name.words = name.tokens = words
    name.key = " ".join(words)
    name.compact = name.whole = whole
    name.legal = ""
    return name


# Every word some step of _words_of reads or drops (a particle or number word, "abd", a lone letter, a legal form's
# first word, a title, a stopword, an abbreviation), once built: _words_of keeps a name of none of them as it is.
_WORDS_READ: frozenset[str] = frozenset()


def _words_read() -> frozenset[str]:
    global _WORDS_READ
    _WORDS_READ = (
        _RESPELLED | _ONE_LETTER_WORDS | frozenset(_legal_first_words()) | TITLES | _STOPWORDS_OR_ABBREVIATIONS
    )
    return _WORDS_READ


def _ascii_words(text: str) -> list[str]:
    # What _fold and _split make of ASCII text, in one pass over its bytes: apostrophes dropped ("O'Neil" is
    # "oneil"), letters folded to lower case, and every other character not a letter or a digit a space. (UTF-8,
    # the default codec, is ASCII's bytes for ASCII text, and the quickest to name.)
    return text.replace("%", " percent").encode().translate(_ASCII_FOLD, b"'`").decode().split()


# Byte by byte: a letter or a digit as itself in lower case, anything else a space (ASCII text has no byte past 127).
_ASCII_FOLD = bytes(ord(chr(code).lower()) if code < 128 and chr(code).isalnum() else ord(" ") for code in range(256))


def _fold(text: str, *, strip_legal_forms: bool) -> str:
    text = clean_text(text).casefold()
    text = _APOSTROPHES.sub("", text).replace("%", " percent")
    text = _to_latin(text).casefold()
    if strip_legal_forms:
        for form in HAN_LEGAL_FORMS:
            text = text.replace(form, " ")
    return text


def _split(text: str) -> list[str]:
    return _NON_WORD.sub(" ", text).replace("_", " ").split()


def _words_of(split: list[str], strip_legal_forms: bool) -> NormalName:
    words = _spelled(split, strip_legal_forms)
    whole = "".join(words)
    legal = ""
    if strip_legal_forms:
        words, legal = _take_legal_forms(words)
    if words and words[0] in TITLES:
        words = _without_titles(words)
    # Most names have no stopword and no abbreviation: their words are their tokens.
    if _STOPWORDS_OR_ABBREVIATIONS.isdisjoint(words):
        return NormalName.of(tuple(words), legal, whole)
    tokens = [ABBREVIATIONS.get(w, w) for w in words if w not in STOPWORDS]
    return NormalName.of(tuple(tokens) or tuple(words), legal, whole)


# Number words, ordinals and tens as digits, in one table: one look-up per word rather than three.
_NUMBERS = {word: str(value) for table in (TENS_WORDS, ORDINAL_WORDS, NUMBER_WORDS) for word, value in table.items()}
# Words _spelled may write otherwise, or join with the next ("abd al"); a word with a digit may be too.
_RESPELLED = frozenset(PARTICLE_SPELLINGS) | frozenset(_NUMBERS) | {"abd"}
# Words _joined_letters joins when several stand side by side.
_ONE_LETTER_WORDS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_STOPWORDS_OR_ABBREVIATIONS = STOPWORDS | frozenset(ABBREVIATIONS)


def _spelled(words: list[str], join_letters: bool) -> list[str]:
    """One spelling for what is written several ways: particles (ibn, ben: bin), numbers and ordinals as digits
    ("forty 4", "fourth", "4th": 44, 4, 4), "abd al" as "abdul", and dotted initials ("L.L.C.") as one word."""
    # Most names have none of these: no particle or number word, no "abd", no digit.
    out = words if _RESPELLED.isdisjoint(words) and "".join(words).isalpha() else _respelled(words)
    if join_letters and len(out) > 1 and not _ONE_LETTER_WORDS.isdisjoint(out):
        out = _joined_letters(out)
    return out


def _respelled(words: list[str]) -> list[str]:
    out: list[str] = []
    for position, word in enumerate(words):
        if word in PARTICLE_SPELLINGS and (position or word != "ben"):  # "Ben" first is a given name
            word = PARTICLE_SPELLINGS[word]
        elif word in _NUMBERS:
            word = _NUMBERS[word]
        elif word[0].isdigit() and (ordinal := _ORDINAL_SUFFIX.match(word)):
            word = ordinal.group(1)
        if out:
            previous = out[-1]
            if len(word) == 1 and word.isdigit() and len(previous) == 2 and previous.isdigit() and previous[1] == "0":
                out[-1] = str(int(previous) + int(word))  # "forty 4", "twenty-one"
                continue
            if previous == "abd" and word == "al":
                out[-1] = "abdul"
                continue
        out.append(word)
    return out


def _joined_letters(words: list[str]) -> list[str]:
    # Initials of an organisation written apart ("A.B.C.", "L L C") are one word; a person's initials stay apart.
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isascii() and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def _without_titles(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in TITLES:
        # A title that is also a given name ("Amir Abdullah") goes only where two or more words remain.
        needed = 2 if words[start] in TITLE_GIVEN_NAMES else 1
        if len(words) - start - 1 < needed:
            break
        start += 1
    return words[start:] if start else words


@cache
def _legal_phrases() -> dict[tuple[str, ...], str]:
    """Each legal form's words, normalised as names are, -> its class; built once from the table."""
    phrases: dict[tuple[str, ...], str] = {}
    for form_class, spellings in LEGAL_FORMS.items():
        for spelling in spellings:
            split = _ascii_words(spelling) if spelling.isascii() else _split(_fold(spelling, strip_legal_forms=False))
            words = tuple(_spelled(split, join_letters=True))
            if words:
                phrases.setdefault(words, form_class)
    return phrases


@cache
def _legal_first_words() -> dict[str, tuple[int, ...]]:
    """Each first word of a legal form -> the lengths of the forms it starts, longest first: a word starting none
    is kept without a look-up per length."""
    lengths: dict[str, set[int]] = {}
    for phrase in _legal_phrases():
        if len(phrase) <= _LONGEST_FORM:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
    return {word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()}


def _take_legal_forms(words: list[str]) -> tuple[list[str], str]:
    """The name without its legal forms, and the class of the most telling one ("" when it has none)."""
    first_words = _legal_first_words()
    if first_words.keys().isdisjoint(words):
        return words, ""
    phrases = _legal_phrases()
    # Most companies' names: one legal form, of one word, at the end ("Cardinal Health Inc"), told without the walk
    # below (which takes a form at the end whatever its length).
    if len(words) > 1 and first_words.keys().isdisjoint(words[:-1]):
        form_class = phrases.get((words[-1],))
        return (words, "") if form_class is None else (words[:-1], form_class)
    kept: list[str] = []
    found: list[str] = []
    position = 0
    while position < len(words):
        left = len(words) - position
        for length in first_words.get(words[position], ()):
            if length > left:
                continue
            phrase = tuple(words[position : position + length])
            form_class = phrases.get(phrase)
            if form_class is None:
                continue
            at_an_end = position == 0 or position + length == len(words) or _only_forms_after(words, position + length)
            if length == 1 and len(phrase[0]) <= _SHORT_FORM and not at_an_end:
                continue
            found.append(form_class)
            position += length
            break
        else:
            kept.append(words[position])
            position += 1
    if not kept:
        # A name made only of legal-form words ("Limited") keeps them rather than vanish.
        return words, ""
    telling = [c for c in found if c != "company"]
    return kept, (telling[0] if telling else "company" if found else "")


def _only_forms_after(words: list[str], start: int) -> bool:
    # "Gazprom OAO Ltd": a short form followed only by other legal forms is at the end of the name too.
    phrases = _legal_phrases()
    return all((word,) in phrases for word in words[start:])
