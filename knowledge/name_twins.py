"""Near-identical names across lists: the same name as two lists romanise it ("KADYROV, Ramzan Akhmatovich" and
"Kadyrov Ramzan Akhmadovitch"), found by blocking on word sounds and compared word by word."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rapidfuzz.distance import OSA

from knowledge.names.normalise import normalise
from knowledge.names.romanise import TRANSLITERATION_FOLDS
from knowledge.names.scoring import skeleton
from knowledge.names.tables import TITLE_GIVEN_NAMES, TITLES

__all__ = ["NameForm", "name_form", "near_identical", "near_pairs", "romanisation_fold", "same_word"]

# A name as merging compares it: its words, sorted (lists order a person's names differently), the Arabic
# article and titles left out wherever a list writes them ("AL-AMDOUNI", "AMDOUNI"; "AL ZAWAHIRI, Dr. Ayman").
NameForm = tuple[str, ...]
_ARTICLES = frozenset({"al", "el", "ul"})
# A person's titles, not those that are also given names ("Amir"), nor single letters (an initial "M").
_TITLES = frozenset(t for t in TITLES if len(t) > 1) - frozenset(TITLE_GIVEN_NAMES) - {"don", "dona"}
# Names shorter than this, all words together, are too short to say two records are one ("LI", "ALI").
_MIN_LETTERS = 6
# A block larger than this is a common name: too many records to tell apart by the name alone.
MAX_BLOCK = 60


# A given name of syllables joined by hyphens ("KIM Il-Su"): Korean and Chinese given names, whose order matters.
_SYLLABLES = re.compile(r"\b([^\W\d_]{1,4})-(?=(?!(?:al|el|ul)\b)[^\W\d_]{1,4}\b)", re.IGNORECASE)


# Arabic particles written with hyphens ("Abd-al-Tawab") are no syllables of a given name.
_PARTICLES = frozenset({"al", "el", "ul", "abd", "abu", "bin", "ibn", "ben", "bint"})


def _joined_syllable(found: re.Match[str]) -> str:
    return found.group(0) if found.group(1).casefold() in _PARTICLES else found.group(1)


def name_form(value: str, *, person: bool) -> NameForm | None:
    # Sorting words compares names in any order; a hyphenated given name keeps its syllables' order as one word,
    # so "KIM Il-Su" is not "KIM, Su Il".
    if person:
        value = _SYLLABLES.sub(_joined_syllable, value)
    words = normalise(value, strip_legal_forms=not person).words
    left_out = _ARTICLES | _TITLES if person else _ARTICLES
    # Repeated words stay: "NAUNG, Tun Tun" is not "Naing Tun", nor "BANK SEPAH AND BANK SEPAH INTERNATIONAL" the
    # second bank alone.
    kept = tuple(sorted(w for w in words if w not in left_out))
    if len("".join(kept)) < _MIN_LETTERS or len(kept) < (2 if person else 1):
        return None
    return kept


# Letters the romanisations of one script write differently, read as one (romanise.TRANSLITERATION_FOLDS).
_FOLDS = TRANSLITERATION_FOLDS
_LEADING = re.compile(r"^[yi](?=[aeiou])")  # Yelena/Elena, Iakov/Yakov/Akov... the glide before a first vowel
_GLIDES = re.compile(r"y|ii+")


@lru_cache(maxsize=65536)
def romanisation_fold(word: str) -> str:
    """A word with the letters romanisations write differently read as one (Akhmadovitch: ahmadovich)."""
    for written, read in _FOLDS:
        word = word.replace(written, read)
    # The glide between two e's that one system writes and another leaves out: Malofeyev, Malofeev; Sergeyev, Sergeev.
    word = word.replace("eye", "ee")
    word = _GLIDES.sub("i", word)
    word = _LEADING.sub("", word)
    word = re.sub(r"(.)\1+", r"\1", word)
    return word[:-2] + "ov" if word.endswith("of") else word


def same_word(a: str, b: str) -> bool:
    """One word as two romanisations or one slip write it: Akhmatovich/Akhmadovitch, Yuri/Yuriy, Elena/Yelena;
    not two names one letter apart at the start (Kamal/Jamal), nor two letters apart (Samsonenko/Simonenko)."""
    if a == b:
        return True
    if not (a.isalpha() and b.isalpha()):
        return False
    fold_a, fold_b = romanisation_fold(a), romanisation_fold(b)
    if fold_a == fold_b:
        return True
    if min(len(fold_a), len(fold_b)) < 5 or fold_a[0] != fold_b[0] or fold_a[-1] != fold_b[-1]:
        # The first letter is kept by every romanisation; the last often marks another name (Ivanov, Ivanova;
        # Mario, Maria; Karim, Karimi).
        return False
    return OSA.distance(fold_a, fold_b, score_cutoff=1) <= 1


def _same_sound(a: str, b: str) -> bool:
    return a.isalpha() and b.isalpha() and romanisation_fold(a) == romanisation_fold(b)


def near_identical(first: NameForm, second: NameForm) -> bool:
    """Every word of one name is a word of the other as another romanisation writes it, one for one."""
    if len(first) != len(second):
        return False
    if first == second:
        return True
    # A name of one word has nothing else to agree: it must be that word as another romanisation writes it
    # ("SIRIUS" is not "SYRISS").
    alike = same_word if len(first) > 1 else _same_sound
    rest = list(second)
    for word in first:
        partner = next((other for other in rest if other == word), None) or next(
            (other for other in rest if alike(word, other)), None
        )
        if partner is None:
            return False
        rest.remove(partner)
    return True


def _block(form: NameForm) -> tuple[str, ...]:
    # Each word's sound head: the first letter (a leading vowel sound as "a") and the first consonant after it.
    return tuple(sorted(skeleton(w)[:2] for w in form))


def near_pairs(names: Iterable[tuple[str, NameForm]]) -> Iterator[tuple[str, str, NameForm, NameForm]]:
    """(node, other, form, other form) for each two nodes holding near-identical names, each pair once per two
    forms; blocks of a common name (over MAX_BLOCK names) are skipped."""
    blocks: dict[tuple[str, ...], list[tuple[str, NameForm]]] = defaultdict(list)
    for node, form in names:
        blocks[_block(form)].append((node, form))
    for entries in blocks.values():
        if len(entries) < 2 or len(entries) > MAX_BLOCK:
            continue
        for i, (node, form) in enumerate(entries):
            for other, other_form in entries[i + 1 :]:
                if node != other and near_identical(form, other_form):
                    yield node, other, form, other_form
