"""Listed people's names written as other romanisation systems write them, and what a lookup makes of each.

The variants come from rules of the systems themselves, never from labelled pairs: Korean as McCune-Reischauer
and as South Korea's Revised Romanization and passports write it (RI/LEE, PAK/PARK, CHOE/CHOI, Chol/Cheol),
Russian as ISO 9 (with its marks and typed without them), passports (ICAO), French and German write it (Ûrij,
Urij, Iurii, Iouri, Jurij; -off, -ow; tch, tsch), Chinese as Wade-Giles, Yale and the Cantonese and Hokkien surname
spellings write it ("CHAO, Kuang-tsung", "Jau Kwangdzung"), and Arabic and Persian with the article dropped, written
el- or joined (Abdul), bin as ibn or ben, and the vowels and endings of the other tradition (REZA/RIDA, -eh/-a).

python -m bench.romanisation STORE prints, per family: opened (the right card), offered (among the choices),
wrong (another card, confidently), nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.base import KnowledgeBase
from knowledge.models import EntityKind
from knowledge.names.lookup import LookupStatus, NameIndex
from knowledge.names.normalise import normalise

__all__ = ["FAMILIES", "Variant", "measure_variants", "variants"]

# Countries whose listed people are written in each family's script.
FAMILIES: dict[str, frozenset[str]] = {
    "Korean": frozenset({"KP", "KR"}),
    "Russian": frozenset({"RU", "BY", "UA", "KZ", "KG", "TJ"}),
    "Chinese": frozenset({"CN", "HK", "TW", "MO", "SG"}),
    "Arabic/Persian": frozenset(
        {"IR", "SY", "IQ", "YE", "LB", "SA", "PS", "LY", "EG", "DZ", "TN", "SD", "JO", "KW", "AE", "OM", "QA", "BH"}
    ),
}
PER_FAMILY = 125


@dataclass(frozen=True, slots=True)
class Variant:
    family: str
    system: str
    text: str
    listed: str
    answers: frozenset[str]
    # The listed name is itself a choice of several cards: left out of the family's figures, counted apart.
    namesakes: bool = False


def _split_name(caption: str) -> tuple[list[str], list[str]] | None:
    """(surname words, given words) of a list's "SURNAME, Given Names"; None for a name not written so."""
    if caption.count(",") != 1:
        return None
    surname, given = (part.split() for part in caption.split(","))
    return (surname, given) if surname and given else None


def _sub(rules: tuple[tuple[str, str], ...], word: str) -> str:
    for pattern, written in rules:
        word = re.sub(pattern, written, word)
    return word


# --- Russian: the list's BGN/PCGN-like spelling as passports (ICAO 9303, 2013), French and German write it ---
_ICAO = (
    (r"(?<=[aeiou])y(?=[aeiou])", "i"),
    (r"^ye", "e"),
    (r"(?<=[aeiou])ye", "e"),
    (r"^yo", "e"),
    (r"ya", "ia"),
    (r"yu", "iu"),
    (r"iy$", "ii"),
    (r"yy$", "yi"),
)
# French and German write several letters at once: each spelling is read once, longest first, left to right.
_FRENCH_LETTERS = {"shch": "chtch", "sh": "ch", "ch": "tch", "zh": "j", "kh": "kh", "u": "ou", "ya": "ia", "yu": "iou"}
_FRENCH = ((r"^ye", "ie"), (r"iy$", "i"), (r"yy$", "y"), (r"ov$", "off"), (r"ev$", "eff"))
_GERMAN_LETTERS = {
    "shch": "schtsch",
    "kh": "ch",
    "ch": "tsch",
    "sh": "sch",
    "zh": "sch",
    "ts": "z",
    "v": "w",
    "ya": "ja",
    "yu": "ju",
    "ye": "je",
}
_GERMAN = ((r"iy$", "ij"), (r"yy$", "ij"), (r"y(?=[aeiou])", "j"))


def _letters(table: dict[str, str]) -> Callable[[str], str]:
    pattern = re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))

    def write(word: str) -> str:
        # "u" after a vowel ("au", "ou") is not the French "ou" of "u".
        return pattern.sub(
            lambda m: (
                m.group() if m.group() == "u" and m.start() and word[m.start() - 1] in "aeo" else table[m.group()]
            ),
            word,
        )

    return write


# ISO 9 (1995; GOST 7.79 system A): one letter for each Cyrillic letter, marked (ž, č, š, ŝ, û, â, ë), c for ц, h
# for х, j for й, e for е wherever BGN/PCGN writes ye.
_ISO9_LETTERS = {
    "shch": "ŝ",
    "zh": "ž",
    "kh": "h",
    "ts": "c",
    "ch": "č",
    "sh": "š",
    "yu": "û",
    "ya": "â",
    "yo": "ë",
    "ye": "e",
}
_ISO9 = ((r"yy$", "yj"), (r"(?<=[aeiou])y(?=[^aeiou]|$)", "j"))

# ISO 9 as typed on a keyboard without its marked letters: each as its base letter (ž z, č c, ŝ s, û u, â a, ë e).
_UNMARKED = str.maketrans({"ž": "z", "č": "c", "š": "s", "ŝ": "s", "û": "u", "â": "a", "ë": "e"})
_iso9 = _letters(_ISO9_LETTERS)

_RUSSIAN_SYSTEMS = {
    "ISO 9": (_iso9, _ISO9),
    "ISO 9, typed without its marks": (lambda word: _iso9(word).translate(_UNMARKED), _ISO9),
    "passport (ICAO)": (lambda w: w, _ICAO),
    "French": (_letters(_FRENCH_LETTERS), _FRENCH),
    "German": (_letters(_GERMAN_LETTERS), _GERMAN),
}


def _russian(surname: list[str], given: list[str], rng: random.Random) -> tuple[str, str]:
    system = rng.choice(sorted(_RUSSIAN_SYSTEMS))
    letters, rules = _RUSSIAN_SYSTEMS[system]
    words = [letters(_sub(rules, w.lower())).capitalize() for w in [*given, *surname]]
    return system, " ".join(words)


# --- Korean: McCune-Reischauer (as DPRK lists write it) to Revised Romanization and South Korean passports ---
# Surnames as passports and South Korean usage write them (National Institute of Korean Language surveys).
_KOREAN_SOUTH_SURNAMES = {
    "ri": ("lee", "yi", "rhee"),
    "pak": ("park", "bak"),
    "kim": ("kim", "gim"),
    "choe": ("choi",),
    "rim": ("lim", "im"),
    "ryu": ("yoo", "yu"),
    "ro": ("roh", "noh"),
    "jong": ("jeong", "jung", "chung"),
    "chon": ("jeon", "chun"),
    "o": ("oh",),
    "sin": ("shin",),
    "yun": ("yoon",),
    "ryang": ("yang",),
    "ryom": ("yeom",),
    "mun": ("moon",),
    "son": ("sohn",),
    "pyon": ("byun",),
    "hyon": ("hyun",),
    "so": ("seo", "suh"),
    "chu": ("joo",),
    "paek": ("baek", "paik"),
    "kang": ("kang", "gang"),
    "ko": ("koh", "go"),
    "cha": ("cha",),
    "tong": ("dong",),
    "kye": ("gye",),
    "kwon": ("kwon", "gwon"),
    "chang": ("jang",),
    "jang": ("jang", "chang"),
    "cho": ("cho", "jo"),
    "han": ("han",),
    "hong": ("hong",),
}
# MR syllables written without the breve whose vowel is ŏ (RR eo) or ŭ (RR eu) in the names on the lists.
_KOREAN_EO = re.compile(r"^(ch|j|s|y|hy|my|py|ky|gy|ry|ny|h|k|g|t|d|p|b|r|n|m)o(l|n|ng|k|p|m)$")
_KOREAN_EU = re.compile(r"^(u)(n|ng|l|k)$")
# DPRK lists write MR's aspirated initials as ch, kh, th, ph and its plain ones as j, k, t, p: RR writes ch, k, t, p
# and j, g, d, b.
_MR_ASPIRATED = {"kh": "k", "th": "t", "ph": "p"}
_MR_PLAIN = {"k": "g", "t": "d", "p": "b"}


def _korean_syllables(word: str) -> list[str]:
    return [s for s in word.lower().split("-") if s]


def _rr_syllable(syllable: str, first: bool) -> str:
    if "o'" in syllable or "u'" in syllable:  # the breve of ŏ and ŭ, written as an apostrophe
        syllable = syllable.replace("o'", "eo").replace("u'", "eu")
    elif syllable not in {"hong", "kong", "tong", "dong", "song"} and _KOREAN_EO.match(syllable):
        syllable = syllable.replace("o", "eo", 1)
    elif _KOREAN_EU.match(syllable):
        syllable = "e" + syllable
    syllable = syllable.replace("'", "")
    for mr, rr in _MR_ASPIRATED.items():
        if syllable.startswith(mr):
            return rr + syllable[len(mr) :]
    if first and syllable[:1] in _MR_PLAIN and syllable[:2] != "ch":
        return _MR_PLAIN[syllable[0]] + syllable[1:]
    return syllable


def _korean(surname: list[str], given: list[str], rng: random.Random) -> tuple[str, str] | None:
    if len(surname) != 1:
        return None
    family = surname[0].lower()
    southern = _KOREAN_SOUTH_SURNAMES.get(family)
    syllables = [s for w in given for s in _korean_syllables(w)]
    if not syllables or len(syllables) > 3:
        return None
    style = rng.choice(("RR, joined", "RR, hyphenated", "passport surname, split", "RR, given name first"))
    new_family = rng.choice(southern) if southern else family
    rr = [_rr_syllable(s, i == 0) for i, s in enumerate(syllables)]
    if style == "passport surname, split":
        return style, f"{new_family.upper()} {' '.join(s.capitalize() for s in syllables)}"
    joined = "".join(rr) if style != "RR, hyphenated" else "-".join(rr)
    if style == "RR, given name first":
        return style, f"{joined.capitalize()} {new_family.capitalize()}"
    return style, f"{new_family.capitalize()} {joined.capitalize()}"


# --- Chinese: pinyin to Wade-Giles (apostrophes as typed), Cantonese and Hokkien surname spellings ---
_PINYIN_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
    "",
)
_WG_INITIALS = {
    "b": "p",
    "p": "p'",
    "d": "t",
    "t": "t'",
    "g": "k",
    "k": "k'",
    "j": "ch",
    "q": "ch'",
    "x": "hs",
    "zh": "ch",
    "ch": "ch'",
    "r": "j",
    "z": "ts",
    "c": "ts'",
}
_WG_WHOLE = {
    "zhi": "chih",
    "chi": "ch'ih",
    "shi": "shih",
    "ri": "jih",
    "zi": "tzu",
    "ci": "tz'u",
    "si": "ssu",
    "er": "erh",
    "yi": "i",
    "you": "yu",
    "yan": "yen",
    "ye": "yeh",
    "yong": "yung",
    "yu": "yü",
    "yuan": "yüan",
    "yue": "yüeh",
    "yun": "yün",
    "ge": "ko",
    "ke": "k'o",
    "he": "ho",
    "e": "o",
}
_FINALS = (
    "iang",
    "iong",
    "uang",
    "ang",
    "eng",
    "ing",
    "ong",
    "ian",
    "iao",
    "uai",
    "uan",
    "ai",
    "ei",
    "ao",
    "ou",
    "an",
    "en",
    "in",
    "un",
    "ia",
    "ie",
    "iu",
    "ua",
    "uo",
    "ui",
    "ue",
    "a",
    "o",
    "e",
    "i",
    "u",
)


def _pinyin_syllables(word: str) -> list[str] | None:
    """A word of pinyin split into syllables, longest first; None where it is not pinyin."""
    word = word.lower()
    if not word:
        return []
    for initial in _PINYIN_INITIALS:
        if not word.startswith(initial):
            continue
        for final in _FINALS:
            syllable = initial + final
            if word.startswith(syllable) and len(syllable) > 0:
                rest = _pinyin_syllables(word[len(syllable) :])
                if rest is not None:
                    return [syllable, *rest]
    return None


def _wade_giles(syllable: str) -> str:
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial = next(i for i in _PINYIN_INITIALS if syllable.startswith(i))
    final = syllable[len(initial) :]
    if initial in "jqx" and final.startswith("u"):
        final = "ü" + final[1:]
    final = {
        "üe": "üeh",
        "ong": "ung",
        "iong": "iung",
        "ian": "ien",
        "ie": "ieh",
        "ue": "üeh",
        "ui": "uei" if initial in "gk" else "ui",
        "e": "ê" if initial not in "gkh" else "o",
    }.get(final, final)
    if final == "uo" and initial not in {"g", "k", "h", "sh"}:
        final = "o"
    return _WG_INITIALS.get(initial, initial) + final


# The Yale romanization of Mandarin (1943), as its table of syllables writes them, tone marks left off as typed:
# the syllables written otherwise than in pinyin whole, then initials and finals (after j, q, x a final's u is ü).
_YALE_WHOLE = {
    "zhi": "jr", "chi": "chr", "shi": "shr", "ri": "r", "zi": "dz", "ci": "tsz", "si": "sz", "yao": "yau",
    "yong": "yung", "yuan": "ywan", "yue": "ywe", "ao": "au", "bo": "bwo", "po": "pwo", "mo": "mwo", "fo": "fwo",
}  # fmt: skip
_YALE_INITIALS = {"zh": "j", "q": "ch", "x": "sy", "z": "dz", "c": "ts"}
_YALE_FINALS = {
    "ao": "au", "ong": "ung", "iong": "yung", "ia": "ya", "ie": "ye", "iao": "yau", "iu": "you", "ian": "yan",
    "iang": "yang", "ua": "wa", "uo": "wo", "uai": "wai", "ui": "wei", "uan": "wan", "un": "wun", "uang": "wang",
    "ü": "yu", "üe": "ywe", "üan": "ywan", "ün": "yun",
}  # fmt: skip


def _yale(syllable: str) -> str:
    if syllable in _YALE_WHOLE:
        return _YALE_WHOLE[syllable]
    initial = next((i for i in _PINYIN_INITIALS if i and syllable.startswith(i)), "")
    if initial in ("y", "w"):
        return syllable  # pinyin's own y and w, as Yale writes them (yun, wei)
    final = syllable[len(initial) :]
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "ü" + final[1:]
    final = _YALE_FINALS.get(final, final)
    if initial == "x" and final.startswith("y"):
        final = final[1:]  # sy: the y written once
    return _YALE_INITIALS.get(initial, initial) + final


# Pinyin surname -> Cantonese (Hong Kong government) and Hokkien (Singapore, Malaysia, Taiwan) spellings.
_SOUTHERN_SURNAMES = {
    "chen": ("chan", "tan"),
    "zhang": ("cheung", "teo"),
    "huang": ("wong", "ng"),
    "li": ("lee",),
    "liang": ("leung",),
    "wu": ("ng", "goh"),
    "liu": ("lau",),
    "lin": ("lam", "lim"),
    "he": ("ho",),
    "yang": ("yeung", "yeo"),
    "zeng": ("tsang",),
    "guo": ("kwok", "quek"),
    "zhou": ("chow",),
    "xie": ("tse", "chia"),
    "deng": ("tang",),
    "luo": ("law", "lo"),
    "zheng": ("cheng", "tay"),
    "cai": ("choi", "chua"),
    "xu": ("hui", "koh"),
    "feng": ("fung",),
    "wang": ("wong", "ong"),
    "song": ("sung",),
    "hu": ("wu",),
    "ye": ("yip", "yap"),
    "qiu": ("yau", "khoo"),
    "hong": ("hung", "ang"),
    "tang": ("tong",),
    "lu": ("lo",),
    "ma": ("ma",),
    "zhu": ("chu",),
    "gao": ("ko",),
    "lai": ("lai",),
    "su": ("so", "soh"),
    "jiang": ("chiang", "kang"),
}


def _chinese(surname: list[str], given: list[str], rng: random.Random) -> tuple[str, str] | None:
    if len(surname) != 1:
        return None
    family = surname[0].lower()
    syllables = _pinyin_syllables("".join(given).replace("-", ""))
    if not syllables or _pinyin_syllables(family) != [family]:
        return None
    style = rng.choice(("Wade-Giles", "Wade-Giles, given name first", "Cantonese or Hokkien surname", "Yale"))
    if style == "Yale":
        given_yale = [_yale(s) for s in syllables]
        given_text = rng.choice(("".join(given_yale), "-".join(given_yale)))
        return style, f"{_yale(family).capitalize()} {given_text.capitalize()}"
    if style == "Cantonese or Hokkien surname" and family in _SOUTHERN_SURNAMES:
        southern = rng.choice(_SOUTHERN_SURNAMES[family])
        given_text = rng.choice((" ".join(syllables), "-".join(syllables)))
        return style, f"{southern.upper()} {given_text.title()}"
    wg_family = _wade_giles(family).capitalize()
    wg_given = "-".join(_wade_giles(s) for s in syllables).capitalize()
    if style == "Wade-Giles, given name first":
        return style, f"{wg_given} {wg_family}"
    return "Wade-Giles", f"{wg_family.upper()}, {wg_given}"


# --- Arabic and Persian: the article, and the vowels and endings each tradition writes ---
_ARABIC_RULES = (
    ("the article dropped", (r"^(al|el)-", "")),
    ("the article as el-", (r"^al-", "el-")),
    ("Persian -eh for Arabic -ah", (r"(?<=[^aeiou])ah$", "eh")),
    ("Arabic -a for Persian -eh", (r"(?<=[^aeiou])eh$", "a")),
    ("ou for u", (r"(?<=[^aeiou])u(?=[^aeiou])", "ou")),
    ("e for a in closed syllables", (r"(?<=[^aeiou])a(?=[^aeiou][^aeiou])", "e")),
    ("ee for a long i", (r"(?<=[^aeiou])i(?=[^aeiou](?:[aeiou]|$))", "ee")),
    ("y for a final i", (r"(?<=[^aeiou])i$", "y")),
    ("Persian z for Arabic d (ض)", (r"^rida$", "reza")),
    ("Arabic d for Persian z (ض)", (r"^reza$", "rida")),
    ("ibn for bin", (r"^bin$", "ibn")),
    ("Maghrebi ben for bin", (r"^bin$", "ben")),
    ("bin for ibn", (r"^ibn$", "bin")),
)
# 'Abd al- ("servant of the") with the article joined to it, as English and French write it: Abdul, Abdel.
_ABD_AL = re.compile(r"^'?abd$")
_JOINED_ABD = ("Abdul", "Abdel")


def _abd_al_joined(words: list[str], rng: random.Random) -> list[str] | None:
    for i, word in enumerate(words[:-1]):
        if _ABD_AL.match(word) and words[i + 1].startswith("al-") and len(words[i + 1]) > 3:
            return [*words[:i], rng.choice(_JOINED_ABD).lower() + words[i + 1][3:].lstrip("'"), *words[i + 2 :]]
    return None


def _arabic(surname: list[str], given: list[str], rng: random.Random) -> tuple[str, str] | None:
    words = [w.lower() for w in [*surname, *given]]
    possible = [(name, rule) for name, rule in _ARABIC_RULES if any(re.search(rule[0], w) for w in words)]
    joined = _abd_al_joined(words, rng)
    # (Only an 'Abd al- of the given names, after a surname of one word: the surname is written as it is.)
    if joined is not None and len(surname) == 1 and joined[0] == words[0]:
        possible.append(("'Abd al- joined: Abdul, Abdel", ("", "")))
    if not possible:
        return None
    name, (pattern, written) = rng.choice(possible)
    if not pattern:
        given_words = joined[len(surname) :] if joined else []
        order = rng.choice(
            (f"{' '.join(given_words)} {surname[0].lower()}", f"{surname[0].upper()}, {' '.join(given_words)}")
        )
        return name, order.title() if "," not in order else order
    changed = [re.sub(pattern, written, w, count=1) for w in words]
    surname_text = " ".join(changed[: len(surname)])
    given_text = " ".join(changed[len(surname) :])
    order = rng.choice((f"{given_text} {surname_text}", f"{surname_text.upper()}, {given_text}"))
    return name, order.title() if "," not in order else order


_MAKERS: dict[str, Callable[[list[str], list[str], random.Random], tuple[str, str] | None]] = {
    "Korean": _korean,
    "Russian": lambda s, g, r: _russian(s, g, r),
    "Chinese": _chinese,
    "Arabic/Persian": _arabic,
}


def variants(kb: KnowledgeBase, *, per_family: int = PER_FAMILY, seed: int = 25) -> list[Variant]:
    """Up to `per_family` variants a family, of listed people's names, each differing from every name the
    lists hold for any entity (normalised), with every entity holding the listed name's words as a right answer."""
    rng = random.Random(seed)
    holders: dict[tuple[str, ...], set[str]] = {}
    keys: set[str] = set()
    for name in kb.index.names:
        holders.setdefault(tuple(sorted(name.norm.tokens)), set()).add(name.entity)
        keys.add(name.norm.compact)
    opened: dict[str, bool] = {}
    people = sorted(
        (e for e in kb.entities.values() if e.kind is EntityKind.PERSON and e.country),
        key=lambda e: e.id,
    )
    found: list[Variant] = []
    for family, countries in FAMILIES.items():
        pool = [e for e in people if e.country in countries]
        rng.shuffle(pool)
        made = 0
        for entity in pool:
            if made >= per_family:
                break
            split = _split_name(entity.caption)
            if split is None:
                continue
            made_variant = _MAKERS[family](*split, rng)
            if made_variant is None:
                continue
            system, text = made_variant
            norm = normalise(text)
            if norm.compact in keys or tuple(sorted(norm.tokens)) in holders:
                continue  # a spelling some list holds, in any order: not a variant the lists lack
            answers = {entity.id} | holders.get(tuple(sorted(normalise(entity.caption).tokens)), set())
            if not opened.setdefault(entity.caption, _opens(kb, entity.caption, answers)):
                # The listed name itself is a choice (namesakes, or one person's records on lists the merge keeps
                # apart): a variant can do no better, and is counted apart, as a choice of those.
                found.append(Variant(family, system, text, entity.caption, frozenset(answers), namesakes=True))
                continue
            found.append(Variant(family, system, text, entity.caption, frozenset(answers)))
            made += 1
    return found


def _opens(kb: KnowledgeBase, caption: str, answers: set[str]) -> bool:
    result = kb.index.lookup(caption)
    return result.status is LookupStatus.FOUND and result.best is not None and result.best.entity in answers


def measure_variants(index: NameIndex, found: list[Variant]) -> dict[str, dict[str, int]]:
    """Per family: opened (the right card), offered (a right card among the choices), wrong (another card,
    confidently), nothing (neither)."""
    tally: dict[str, dict[str, int]] = {}
    for variant in found:
        result = index.lookup(variant.text)
        counts = tally.setdefault(
            variant.family,
            {"tried": 0, "opened": 0, "offered": 0, "wrong": 0, "nothing": 0, "namesakes": 0, "namesakes_offered": 0},
        )
        if variant.namesakes:
            counts["namesakes"] += 1
            counts["namesakes_offered"] += any(m.entity in variant.answers for m in result.matches)
            continue
        counts["tried"] += 1
        best = result.best
        if result.status is LookupStatus.FOUND and best is not None:
            counts["opened" if best.entity in variant.answers else "wrong"] += 1
        elif any(m.entity in variant.answers for m in result.matches):
            counts["offered"] += 1
        else:
            counts["nothing"] += 1
    return tally


def report(tally: dict[str, dict[str, int]]) -> str:
    lines = ["family           tried  opened  offered  wrong  nothing   (listed name a choice: right one offered)"]
    for family, c in tally.items():
        tried = max(c["tried"], 1)
        lines.append(
            f"{family:16} {c['tried']:5}  {c['opened'] / tried:6.1%}  {c['offered'] / tried:7.1%}  "
            f"{c['wrong'] / tried:5.1%}  {c['nothing'] / tried:7.1%}   ({c['namesakes_offered']} of {c['namesakes']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from knowledge.loading import load_knowledge
    from knowledge.store.database import Store

    parser = argparse.ArgumentParser(prog="python -m bench.romanisation", description=__doc__.splitlines()[0])
    parser.add_argument(
        "store", help="a store with the lists loaded: an SQLite file (bench.datasets makes one) or a database URL"
    )
    parser.add_argument("--misses", action="store_true", help="print each variant not opened, and what it found")
    args = parser.parse_args(argv)
    # Opening a store creates it: a mistyped path would measure an empty store, and leave one behind. A URL
    # (PostgreSQL) names a database, as `Store.open` takes it.
    if "://" not in args.store and not Path(args.store).is_file():
        parser.error(f"{args.store} is not a store file")
    kb = load_knowledge(Store.open(args.store))
    found = variants(kb)
    tally = measure_variants(kb.index, found)
    print(report(tally))
    if args.misses:
        for variant in found:
            result = kb.index.lookup(variant.text)
            best = result.best
            if variant.namesakes:
                continue
            if not (result.status is LookupStatus.FOUND and best and best.entity in variant.answers):
                shown = f"{result.status.value}: {best.name if best else '-'}"
                print(f"{variant.family:14} {variant.system:28} {variant.text!r:40} for {variant.listed!r}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
