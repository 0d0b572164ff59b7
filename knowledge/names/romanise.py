"""How romanisation systems write one name: Korean, Chinese, Russian and Arabic spellings read as one key.

Tables from the standards, not from labelled pairs (each is cited in NOTICE):
- Korean: McCune-Reischauer (1939; as the DPRK's lists write it, breves dropped, aspirates as ch, kh, th, ph) and
  the Revised Romanization of Korean (Ministry of Culture, 2000), and the surname spellings South Korean passports
  use (National Institute of the Korean Language's surname romanisation survey, 2009).
- Chinese: Hanyu Pinyin (ISO 7098), Wade-Giles (as the Library of Congress conversion tables give it) and the Yale
  romanization of Mandarin (1943), the apostrophes, umlauts and tone marks dropped as typed; Cantonese (Hong Kong
  government) and Hokkien (Singapore, Malaysia) surname spellings; the Hundred Family Surnames, read as pinyin.
- Russian and other Cyrillic: BGN/PCGN (1947), ISO 9 (1995, its marked letters read back, and typed without its
  marks), the passport system (ICAO Doc 9303, 2013), and the French and German conventions (-off, ou, tch; -ow, w,
  tsch, j).
- Arabic and Persian: the spellings of the long vowels (ee, ou), the final ta marbuta (-a, -ah, -eh) and y for a
  final i, as the UNGEGN and ALA-LC tables for Arabic and Persian and common usage write them.

A word's key is what its spelling says in its script, with what the systems write differently read as one: two
words with one key are one word as two systems write it. Korean and Chinese keys are given only to names read as
Korean or Chinese (a surname of the tables and every word made of that language's syllables), since the syllable
rules would join unrelated words elsewhere ("Kamal", "Gamal").
"""

from __future__ import annotations

import operator
import re
from functools import cache, lru_cache

from anyascii import anyascii

__all__ = [
    "FOLDABLE_STARTS",
    "FOLD_MARKS",
    "KEYS_CACHE_SIZE",
    "NO_KEYS",
    "TRANSLITERATION_FOLDS",
    "clear_caches",
    "iso9_reading",
    "iso9_typed",
    "iso9_unmarked",
    "joined_key",
    "key_readings",
    "keyed_words",
    "keys_meet",
    "name_keys",
    "other_readings",
    "roman_fold",
    "script_reading",
]

KEYS_CACHE_SIZE = 131_072

# --- Korean -------------------------------------------------------------------------------------------------------
# Initials as MR (plain and aspirated, DPRK style: j/ch, k/kh, t/th, p/ph), RR (g, d, b, j) and their tense doubles
# write them -> one letter: the voicing and aspiration the systems write differently are not told apart.
_KO_INITIALS = {
    "tch": "c",
    "kk": "k",
    "gg": "k",
    "tt": "t",
    "pp": "p",
    "ss": "s",
    "jj": "c",
    "ch": "c",
    "sh": "s",
    "kh": "k",
    "th": "t",
    "ph": "p",
    "k": "k",
    "g": "k",
    "n": "n",
    "d": "t",
    "t": "t",
    "r": "r",
    "l": "r",
    "m": "m",
    "b": "p",
    "p": "p",
    "s": "s",
    "j": "c",
    "h": "h",
    "": "",
}
# Vowels: MR ŏ (written o without its breve) and RR eo are one, MR ŭ (u) and RR eu one; ae and e, and the
# rounded diphthongs oe, oi, wae, we, sound alike and are written for one another.
_KO_VOWELS = {
    "yeo": "yo",
    "yae": "ye",
    "wae": "we",
    "weo": "wo",
    "eui": "ui",
    "yoo": "yu",
    "ae": "e",
    "ya": "ya",
    "eo": "o",
    "ye": "ye",
    "wa": "wa",
    "oe": "we",
    "oi": "we",
    "yo": "yo",
    "wo": "wo",
    "we": "we",
    "wi": "wi",
    "yu": "yu",
    "eu": "u",
    "ui": "ui",
    "oo": "u",
    "ee": "i",
    "ai": "e",
    "a": "a",
    "e": "e",
    "o": "o",
    "u": "u",
    "i": "i",
}
_KO_FINALS = {"ng": "ng", "k": "k", "g": "k", "n": "n", "t": "t", "l": "l", "m": "m", "p": "p", "b": "p", "": ""}
_KO_INITIAL_ORDER = sorted(_KO_INITIALS, key=len, reverse=True)
_KO_VOWEL_ORDER = sorted(_KO_VOWELS, key=len, reverse=True)
_KO_FINAL_ORDER = sorted(_KO_FINALS, key=len, reverse=True)
# Surnames South Korean passports and usage spell irregularly, as MR writes them (the DPRK's lists: RI, PAK).
_KO_SURNAMES = {
    "lee": "ri",
    "rhee": "ri",
    "yi": "ri",
    "i": "ri",
    "ri": "ri",
    "park": "pak",
    "bak": "pak",
    "pak": "pak",
    "kim": "kim",
    "gim": "kim",
    "choi": "choe",
    "choe": "choe",
    "chwe": "choe",
    "rim": "rim",
    "lim": "rim",
    "im": "rim",
    "ryu": "ryu",
    "yu": "ryu",
    "yoo": "ryu",
    "ro": "ro",
    "roh": "ro",
    "noh": "ro",
    "rho": "ro",
    "jong": "jong",
    "jeong": "jong",
    "jung": "jong",
    "chung": "jong",
    "chong": "jong",
    "chon": "chon",
    "jeon": "chon",
    "chun": "chon",
    "jun": "chon",
    "o": "o",
    "oh": "o",
    "sin": "sin",
    "shin": "sin",
    "yun": "yun",
    "yoon": "yun",
    "ryang": "ryang",
    "yang": "ryang",
    "ryom": "ryom",
    "yeom": "ryom",
    "yom": "ryom",
    "mun": "mun",
    "moon": "mun",
    "son": "son",
    "sohn": "son",
    "pyon": "pyon",
    "byun": "pyon",
    "byeon": "pyon",
    "hyon": "hyon",
    "hyun": "hyon",
    "hyeon": "hyon",
    "so": "so",
    "seo": "so",
    "suh": "so",
    "chu": "chu",
    "joo": "chu",
    "ju": "chu",
    "paek": "paek",
    "baek": "paek",
    "paik": "paek",
    "kang": "kang",
    "gang": "kang",
    "ko": "ko",
    "koh": "ko",
    "go": "ko",
    "cha": "cha",
    "tong": "tong",
    "dong": "tong",
    "kye": "kye",
    "gye": "kye",
    "kwon": "kwon",
    "gwon": "kwon",
    "chang": "jang",
    "jang": "jang",
    "cho": "cho",
    "jo": "cho",
    "han": "han",
    "hong": "hong",
    "song": "song",
    "sung": "song",
    "seong": "song",
    "hwang": "hwang",
    "an": "an",
    "ahn": "an",
    "nam": "nam",
    "ryo": "ryo",
    "yeo": "ryo",
    "yo": "ryo",
    "thae": "thae",
    "tae": "thae",
    "kil": "kil",
    "gil": "kil",
    "ra": "ra",
    "na": "ra",
    "u": "u",
    "woo": "u",
    "ok": "ok",
    "sok": "sok",
    "seok": "sok",
    "chae": "chae",
    "ki": "ki",
    "gi": "ki",
    "mo": "mo",
    "myong": "myong",
    "myeong": "myong",
    "pang": "pang",
    "bang": "pang",
    "pae": "pae",
    "bae": "pae",
    "pong": "pong",
    "bong": "pong",
    "ham": "ham",
    "hyong": "hyong",
    "jin": "jin",
    "chin": "jin",
    "yim": "rim",
}


# A word of one to three Korean syllables, each read once, never again (an atomic group): an initial, a vowel and a
# final, each the first spelling of its table's order (longest first) that lets the syllable be read; a final followed
# by a vowel starts the next syllable instead (but ng); and an h after the last syllable's vowel or final, as passports
# write it (Oh, Noh, Koh). One match a word, not a call per spelling tried.
def _alternatives(spellings: list[str]) -> str:
    """A pattern matching the first of `spellings` (longest first; "" last, if there) that the text starts with, the
    spellings grouped by their first letter (only those of the letter the text starts with are tried)."""
    by_first: dict[str, list[str]] = {}
    for spelling in spellings:
        if spelling:
            by_first.setdefault(spelling[0], []).append(spelling[1:])
    groups = []
    for letter, rests in by_first.items():
        longer = "|".join(rest for rest in rests if rest)
        # The letter alone is the group's last spelling (the shortest), tried once the longer ones fail.
        groups.append(letter + (f"(?:{longer})" if longer else "") + ("?" if "" in rests and longer else ""))
    return "|".join(groups) + ("|" if "" in spellings else "")


_KO_FINAL_OR_NEXT = "|".join(f if f in ("ng", "") else f"{f}(?![aeiouwy])" for f in _KO_FINAL_ORDER)
_KO_ONE_SYLLABLE = (
    f"(?>({_alternatives(_KO_INITIAL_ORDER)})({_alternatives(_KO_VOWEL_ORDER)})({_KO_FINAL_OR_NEXT})(?:h$)?)"
)
_KO_WORD = re.compile(f"{_KO_ONE_SYLLABLE}(?:{_KO_ONE_SYLLABLE}(?:{_KO_ONE_SYLLABLE})?)?")


@lru_cache(maxsize=65_536)
def _korean_key(word: str) -> str | None:
    """The key of a word of one to three Korean syllables (their keys joined); None where it is not one."""
    found = _KO_WORD.fullmatch(word)
    if found is None:
        return None
    initial, vowel, final, initial_2, vowel_2, final_2, initial_3, vowel_3, final_3 = found.groups()
    first = _KO_INITIALS[initial]
    sound = _KO_VOWELS[vowel]
    # ㄹ and ㄴ before i and y at the start of a word: the DPRK writes them (Ri, Ryong), the South does not.
    if first and first in "rn" and sound[0] in "iy":
        first = ""
    key = first + sound + _KO_FINALS[final]
    if vowel_2 is None:
        return key  # one syllable: no junction
    key += _KO_INITIALS[initial_2] + _KO_VOWELS[vowel_2] + _KO_FINALS[final_2]
    if vowel_3 is not None:
        key += _KO_INITIALS[initial_3] + _KO_VOWELS[vowel_3] + _KO_FINALS[final_3]
    return _KO_JUNCTION.sub("nk", key) if "ng" in key else key


# Syllables written together read two ways where ng meets a vowel: "Mangeon" is Man-geon (만건) or Mang-eon, and
# "Yeongeun" Yeong-eun (영은) or Yeon-geun. One key for both: ng before a vowel as n and the initial g (k).
_KO_JUNCTION = re.compile(r"ng(?=[aeiouwy])")


def joined_key(parts: tuple[str, ...] | list[str]) -> str:
    """The key of syllable words written together: their keys, the language letter once, Korean junctions read as
    _korean_key reads them."""
    joined = parts[0] + "".join(part[1:] for part in parts[1:])
    return joined[0] + _KO_JUNCTION.sub("nk", joined[1:]) if joined[:1] == "k" else joined


# --- Chinese ------------------------------------------------------------------------------------------------------
_PY_INITIALS = (
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
)
_PY_FINALS = (
    "a",
    "o",
    "e",
    "ai",
    "ei",
    "ao",
    "ou",
    "an",
    "en",
    "ang",
    "eng",
    "ong",
    "i",
    "ia",
    "ie",
    "iao",
    "iu",
    "ian",
    "in",
    "iang",
    "ing",
    "iong",
    "u",
    "ua",
    "uo",
    "uai",
    "ui",
    "uan",
    "un",
    "uang",
    "ue",
)
_PY_ALONE = (
    "a",
    "o",
    "e",
    "ai",
    "ei",
    "ao",
    "ou",
    "an",
    "en",
    "ang",
    "eng",
    "er",
    "yi",
    "ya",
    "yao",
    "ye",
    "you",
    "yan",
    "yin",
    "yang",
    "ying",
    "yong",
    "yu",
    "yuan",
    "yue",
    "yun",
    "wu",
    "wa",
    "wo",
    "wai",
    "wei",
    "wan",
    "wen",
    "wang",
    "weng",
)
_WG_INITIALS = {
    "b": "p",
    "d": "t",
    "g": "k",
    "j": "ch",
    "q": "ch",
    "x": "hs",
    "zh": "ch",
    "r": "j",
    "z": "ts",
    "c": "ts",
}
_WG_WHOLE = {
    "zhi": "chi",
    "chi": "chi",
    "shi": "shi",
    "ri": "ji",
    "zi": "tzu",
    "ci": "tzu",
    "si": "ssu",
    "er": "erh",
    "yi": "i",
    "you": "yu",
    "yan": "yen",
    "ye": "yeh",
    "yong": "yung",
    "yu": "yu",
    "yuan": "yuan",
    "yue": "yueh",
    "yun": "yun",
    "ge": "ko",
    "ke": "ko",
    "he": "ho",
    "e": "o",
}
# Spellings of Wade-Giles as typed that the conversion does not make: szu for ssu, tzu for ts- before u.
_WG_EXTRA = {"szu": "ssu", "shih": "shi", "chih": "chi", "jih": "ji"}


def _valid_pinyin(initial: str, final: str) -> bool:
    if initial in ("j", "q", "x"):
        return final[0] in "iu" and final not in ("uo", "uai", "ui", "uang", "ua", "ong")
    if final[0] == "i" and final != "i":
        return initial in ("b", "p", "m", "d", "t", "n", "l") and not (initial in "bpm" and final in ("iu", "iong"))
    if initial in ("g", "k", "h", "zh", "ch", "sh", "r", "z", "c", "s"):
        return final not in ("ue", "in", "ing") and not (initial in ("z", "c", "s", "r") and final == "uai")
    return final not in ("ue",) or initial in ("n", "l")


def _wade_giles(initial: str, final: str) -> str:
    if final == "uo" and initial not in ("g", "k", "h", "sh"):
        final = "o"
    final = {"ong": "ung", "iong": "iung", "ian": "ien", "ie": "ieh", "ue": "ueh", "ui": "uei"}.get(final, final)
    if final == "uei" and initial not in ("g", "k"):
        final = "ui"
    return _WG_INITIALS.get(initial, initial) + final


# Yale romanization of Mandarin (Yale Institute of Far Eastern Languages, 1943; as G. Kennedy's and the Yale
# textbooks write it), its tone marks dropped as typed: initials zh and j as j, q as ch, x as sy, z as dz, c as ts;
# medial i as y and u as w after an initial (byan, gwo, dwei), ao as au, iu as you, ong as ung, un as wun; the
# buzzed i as r after zh, ch, sh, r (jr, shr) and z after z, c, s (dz, tsz); o as wo after b, p, m, f.
_YALE_INITIALS = {"zh": "j", "q": "ch", "x": "sy", "z": "dz", "c": "ts"}
_YALE_FINALS = {
    "ao": "au", "ong": "ung", "ia": "ya", "ie": "ye", "iao": "yau", "iu": "you", "ian": "yan", "iang": "yang",
    "iong": "yung", "ua": "wa", "uo": "wo", "uai": "wai", "ui": "wei", "uan": "wan", "un": "wun", "uang": "wang",
    "ue": "ywe",
}  # fmt: skip
# After j, q and x, pinyin u is ü: yu, ywe, ywan, yun.
_YALE_AFTER_PALATALS = {"u": "yu", "ue": "ywe", "uan": "ywan", "un": "yun"}
_YALE_ALONE = {"yao": "yau", "yong": "yung", "yuan": "ywan", "yue": "ywe", "ao": "au"}


def _yale(initial: str, final: str) -> str:
    """A pinyin syllable (its initial, "" for none, and final) as the Yale romanization writes it."""
    if not initial:
        return _YALE_ALONE.get(final, final)
    if final == "i" and initial in ("zh", "ch", "sh", "r"):
        final = "r" if initial != "r" else ""
    elif final == "i" and initial in ("z", "c", "s"):
        final = "z" if initial != "z" else ""
    elif final == "o" and initial in ("b", "p", "m", "f"):
        final = "wo"
    elif initial in ("j", "q", "x"):
        final = _YALE_AFTER_PALATALS.get(final) or _YALE_FINALS.get(final, final)
    else:
        final = _YALE_FINALS.get(final, final)
    written = _YALE_INITIALS.get(initial, initial)
    # x is sy already: its syllable's own y (of the medial i or of ü) is written once.
    return written + (final[1:] if initial == "x" and final[:1] == "y" else final)


@cache
def _chinese_tables() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """Pinyin syllable -> its Wade-Giles spelling as typed (the key); every Wade-Giles spelling; and each Yale
    spelling that is neither pinyin nor Wade-Giles for another syllable -> its key (Yale "jung" is zhong, and is
    Wade-Giles for rong: read as the latter, as the tables were read before Yale was)."""
    keys: dict[str, str] = {}
    yale: dict[str, str] = {}
    for initial in _PY_INITIALS:
        for final in _PY_FINALS:
            if _valid_pinyin(initial, final):
                keys.setdefault(initial + final, _wade_giles(initial, final))
                yale.setdefault(_yale(initial, final), initial + final)
    for syllable in _PY_ALONE:
        keys[syllable] = _WG_WHOLE.get(syllable, syllable)
        yale.setdefault(_yale("", syllable), syllable)
    for syllable, written in _WG_WHOLE.items():
        keys[syllable] = written
    wade_giles = frozenset(keys.values()) | frozenset(_WG_EXTRA)
    # A spelling of one letter would read as an initial; a Cantonese or Hokkien surname's spelling ("Lau" for Liu)
    # keeps that reading, never Yale's for another syllable ("Lau" is Yale for lao: "Lau Wai Ming" is no "Lao").
    read = {
        spelling: keys[pinyin]
        for spelling, pinyin in yale.items()
        if len(spelling) > 1
        and spelling not in keys
        and spelling not in wade_giles
        and spelling not in _SOUTHERN_SURNAMES
    }
    return keys, wade_giles, read


@cache
def _chinese_spellings() -> dict[str, str]:
    """Every spelling of a syllable -> its key: pinyin's, else Wade-Giles' (its own, or the one typed for it), else
    Yale's (_chinese_tables); one look-up a spelling."""
    pinyin, wade_giles, yale = _chinese_tables()
    return yale | {spelling: _WG_EXTRA.get(spelling, spelling) for spelling in wade_giles} | pinyin


# A syllable is written in six letters at most (zhuang, hsiung).
_CHINESE_SYLLABLE_LENGTH = 6


@lru_cache(maxsize=65_536)
def _chinese_key(word: str) -> str | None:
    """The key of a word of one to three Chinese syllables, pinyin or Wade-Giles; None where it is neither."""
    spellings = _chinese_spellings()
    found = spellings.get(word)
    if found is not None:
        return found
    # Joined syllables ("guangzong", "kuangtsung"): split where each part is a syllable, longest first.
    parts = _split_chinese(word, 3, spellings)
    return "".join(parts) if parts else None


def _split_chinese(word: str, most: int, spellings: dict[str, str]) -> list[str] | None:
    if not word:
        return []
    if most == 1:
        key = spellings.get(word) if len(word) <= _CHINESE_SYLLABLE_LENGTH else None
        return None if key is None else [key]
    for length in range(min(len(word), _CHINESE_SYLLABLE_LENGTH), 0, -1):
        head = spellings.get(word[:length])
        if head is None:
            continue
        rest = _split_chinese(word[length:], most - 1, spellings)
        if rest is not None:
            return [head, *rest]
    return None


# Pinyin surnames (the Hundred Family Surnames most borne today), and Cantonese and Hokkien spellings of them that
# are not themselves pinyin.
_CHINESE_SURNAMES = frozenset(
    """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang xu
    han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan du dai xia zhong fu
    wan lu shi qian ren tan liao zou xiong jin hao kong bai cui kang mao qiu qin shao meng long wan duan lei qian
    tang yin li yi chang wu qiao he lai gong wen pang fan lan yin shen tao jiang fang xing ou yue hou gu ji bao
    niu ning zhuang hong cheng mo ge geng nie chai miao xi si su lu lv shan she guan mai situ ouyang bi
        """.split()
)
_SOUTHERN_SURNAMES: dict[str, str | tuple[str, ...]] = {
    "chan": "chen",
    "tan": "chen",
    "cheung": "zhang",
    "teo": "zhang",
    "teoh": "zhang",
    "wong": ("huang", "wang"),
    "ng": ("wu", "huang"),
    "lee": "li",
    "leung": "liang",
    "goh": "wu",
    "lau": "liu",
    "lam": "lin",
    "lim": "lin",
    "yeung": "yang",
    "yeo": "yang",
    "tsang": "zeng",
    "kwok": "guo",
    "quek": "guo",
    "chow": "zhou",
    "tse": "xie",
    "chia": "xie",
    "law": "luo",
    "tay": "zheng",
    "choi": "cai",
    "chua": "cai",
    "koh": "xu",
    "fung": "feng",
    "ong": "wang",
    "sung": "song",
    "yip": "ye",
    "yap": "ye",
    "yau": "qiu",
    "khoo": "qiu",
    "hung": "hong",
    "tong": "tang",
    "soh": "su",
    "chiang": "jiang",
    "ho": "he",
    "lo": "lu",
    "kuok": "guo",
    "tsai": "cai",
    "hui": "xu",
    "hsu": "xu",
    "cheong": "zhang",
    "leong": "liang",
    "loh": "lu",
    "seah": "she",
    "sim": "shen",
    "ang": "hong",
    "kok": "guo",
    "liew": "liu",
    "mak": "mai",
    "tsui": "xu",
    "kwan": "guan",
    "szeto": "situ",
    "so": "su",
    "wu": "hu",
    "ko": "gao",
    "kang": "jiang",
    "tang": "deng",
}


# The Hundred Family Surnames (百家姓, Song dynasty), in traditional characters: their Hanyu Pinyin readings (as
# anyascii reads each character, from the Unihan database) are the surnames a name read as Chinese may end with.
_HUNDRED_FAMILY_SURNAMES = (
    "趙錢孫李周吳鄭王馮陳褚衛蔣沈韓楊朱秦尤許何呂施張孔曹嚴華金魏陶姜戚謝鄒喻柏水竇章雲蘇潘葛奚范彭郎魯韋昌馬苗鳳花方俞任"
    "袁柳酆鮑史唐費廉岑薛雷賀倪湯滕殷羅畢郝鄔安常樂于時傅皮卞齊康伍余元卜顧孟平黃和穆蕭尹姚邵湛汪祁毛禹狄米貝明臧計伏成戴"
    "談宋茅龐熊紀舒屈項祝董梁杜阮藍閔席季麻強賈路婁危江童顏郭梅盛林刁鍾徐邱駱高夏蔡田樊胡凌霍虞萬支柯昝管盧莫經房裘繆干解應"
    "宗丁宣賁鄧郁單杭洪包諸左石崔吉鈕龔程嵇邢滑裴陸榮翁荀羊於惠甄麴家封芮羿儲靳汲邴糜松井段富巫烏焦巴弓牧隗山谷車侯宓蓬全郗"
    "班仰秋仲伊宮寧仇欒暴甘鈄厲戎祖武符劉景詹束龍葉幸司韶郜黎薊薄印宿白懷蒲邰從鄂索咸籍賴卓藺屠蒙池喬陰鬱胥能蒼雙聞莘黨翟譚"
    "貢勞逄姬申扶堵冉宰酈雍卻璩桑桂濮牛壽通邊扈燕冀郟浦尚農溫別莊晏柴瞿閻充慕連茹習宦艾魚容向古易慎戈廖庾終暨居衡步都耿滿弘"
    "匡國文寇廣祿闕東毆殳沃利蔚越夔隆師鞏厙聶晁勾敖融冷訾辛闞那簡饒空曾毋沙乜養鞠須豐巢關蒯相查後荊紅游竺權逯蓋益桓公"
)


@cache
def _all_chinese_surnames() -> frozenset[str]:
    # A surname of one letter ("e") would make any initial a surname: left out.
    read = {anyascii(c).lower() for c in _HUNDRED_FAMILY_SURNAMES}
    return _CHINESE_SURNAMES | frozenset(r for r in read if len(r) > 1 and r.isalpha())


@cache
def _surname_keys() -> dict[str, str | None]:
    """Each spelling of a surname of the tables (pinyin, Cantonese, Hokkien) -> its key (_surname_key): a table built
    once, one look-up a word."""
    return {word: _surname_key(word) for word in (*_SOUTHERN_SURNAMES, *_all_chinese_surnames())}


def _surname_key(word: str) -> str | None:
    """A surname's key, and where the word is also syllables read otherwise (Hokkien "Chia" is Xie, and chia is
    Wade-Giles for jia; Cantonese "Lo" is Lu, Wade-Giles "lo" Luo), that key too, after READINGS_APART."""
    if word in _SOUTHERN_SURNAMES and word not in _all_chinese_surnames():
        # A spelling that is itself a pinyin surname (Wu 吴, Tang 唐, Tan 谭, Kang 康) is read as that surname only:
        # read as the Cantonese or Hokkien spelling of another too, "Wu Wei" would be "Hu Wei" (a false friend).
        # One spelling may be several surnames (Cantonese Ng 吳 Wu, Hokkien Ng 黄 Huang): each a reading, the word's
        # own syllable last.
        pinyin = _SOUTHERN_SURNAMES[word]
        keys = [_chinese_key(p) for p in ((pinyin,) if isinstance(pinyin, str) else pinyin)]
        keys = list(dict.fromkeys(k for k in (*keys, _chinese_key(word)) if k))
        return keys[0] + "".join(f"{READINGS_APART}c{key}" for key in keys[1:])
    if word in _all_chinese_surnames():
        return _chinese_key(word)
    return None


@cache
def _wade_giles_surnames() -> frozenset[str]:
    return frozenset(k for s in _all_chinese_surnames() if (k := _chinese_key(s)))


# --- Russian and other Cyrillic, Arabic and Persian: one word at a time ----------------------------------------
# Letters the systems write differently, in the order they are read: German and French first (tsch, sch, ou), then
# the BGN/PCGN digraphs as passports and other systems simplify them.
# Letters the romanisations of Cyrillic and Arabic write differently (BGN/PCGN, French, German and passport spellings
# of Cyrillic: kh/h, ts/c, tch/ch, zh/j; ph/f, w/v of Arabic): merging near-identical names reads them so too.
TRANSLITERATION_FOLDS = (
    ("tch", "ch"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("w", "v"),
    ("x", "ks"),
    ("dzh", "j"),
    ("zh", "j"),
)
# ... and for matching, in the order they are read: German's tsch and sch first, then those, then French ou, the
# long vowels of Arabic as English writes them (ee, oo), and the glide, BGN/PCGN's y (Yuriy, Vyacheslav) that
# passports and French write i (Iurii, Viatcheslav).
_FOLDS = (
    ("schtsch", "shch"),
    ("tsch", "ch"),
    ("sch", "sh"),
    *TRANSLITERATION_FOLDS,
    ("ou", "u"),
    ("ee", "i"),
    ("oo", "u"),
    ("y", "i"),
)
# German and ISO 9 j for the glide and for й (Jurij, Wjatscheslaw, Zajcev, Sergej): i.
_GLIDES = re.compile(r"(?<=[aeiou])j|(?<=[vw])j(?=[aeiou])|^j(?=[aeiou])")
_SOFT_ENDINGS = ("ii", "ij")
_VOWELS = frozenset("aeiou")
_DOUBLED = re.compile(r"(.)\1+")
# Whatever roman_fold changes: a letter or digraph of _FOLDS, a doubled letter, an ending it reads.
_FOLDED_LETTERS = re.compile(r"[wxyj]|tch|kh|ts|tz|ph|zh|sch|ou|ee|oo|(.)\1|[ea]h$")
# A word without any of these, roman_fold leaves as it is and other_readings reads no other way: what _FOLDED_LETTERS
# finds (w, x, y, j; tch, kh, ts, tz, ph, zh, sch; ou; a doubled letter; -eh, -ah), the German and French readings'
# letters (w, sch; ou, tch, dj, j, -off, -eff, ie-, io-) and ISO 9's marked letters (zh, ch, sh, y), in one search (a
# pair of words neither of which holds one is never folded).
FOLD_MARKS = re.compile(r"[jwxy]|[ckpsz]h|t[sz]|ou|(.)\1|^i[eo]|[ea]h$")


@lru_cache(maxsize=65_536)
def roman_fold(word: str) -> str:
    """A word with what the Cyrillic and Arabic romanisations write differently read as one: "iouri", "jurij",
    "yuriy": "iuri"; "ivanoff": "ivanov"; "fatemeh": "fatema"; "sa'eed": "said". Words of letters only."""
    if not _FOLDED_LETTERS.search(word):
        return word  # most words: nothing any of the systems writes differently
    # German j for the glide first (Jurij, Wjatscheslaw), then the digraphs: French j is BGN/PCGN's zh (Jiroff).
    folded = _GLIDES.sub("i", word) if "j" in word else word
    for written, read in _FOLDS:
        if written in folded:
            folded = folded.replace(written, read)
    # Endings: -iy, -ij, -ii, -y all -i (Yuriy, Jurij, Iurii); -eh, -ah -a (Fatemeh); -off, -eff -ov, -ev.
    if folded.endswith(_SOFT_ENDINGS):
        folded = folded[:-2] + "i"
    # (After i: the y of -yeh is folded to i already, Kinayeh.)
    elif folded.endswith(("eh", "ah")) and len(folded) > 3 and folded[-3] not in "aeou":
        folded = folded[:-2] + "a"
    elif folded.endswith(("off", "eff")):
        folded = folded[:-2] + "v"
    return _DOUBLED.sub(_FIRST_LETTER, folded)


# The letter itself as the replacement, by a C callable: a template (r"\1") is expanded in Python at every call.
_FIRST_LETTER = operator.itemgetter(1)


# The Cyrillic letters German (Duden) and French spellings write with letters BGN/PCGN gives other sounds, read back
# as BGN/PCGN writes them: German w, z, ch, sch, tsch, j (Wjatscheslaw, Zarewa, Michail, Schirow, Juri); French
# ch, tch, j, dj, ou (Iepichine, Jiroff, Djabarov, Rouslan). Read only as another reading of a word, never as the word.
_GERMAN_BACK = {"schtsch": "shch", "tsch": "ch", "sch": "sh", "ch": "kh", "z": "ts", "w": "v", "j": "y"}
_FRENCH_BACK = {"chtch": "shch", "tch": "ch", "ch": "sh", "dj": "dzh", "j": "zh", "ou": "u"}


def _marks(table: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    # (spelling, its mark: a control character never in a normalised word, what it reads as), longest first.
    ordered = sorted(table, key=len, reverse=True)
    return tuple((written, chr(number + 1), table[written]) for number, written in enumerate(ordered))


_GERMAN_MARKED, _FRENCH_MARKED = _marks(_GERMAN_BACK), _marks(_FRENCH_BACK)


def _read_back(word: str, marks: tuple[tuple[str, str, str], ...]) -> str:
    """`word` with each spelling read as `marks` says, longest first, none read twice (marked, then written)."""
    marked = word
    for written, mark, _ in marks:
        if written in marked:
            marked = marked.replace(written, mark)
    for _, mark, read in marks:
        if mark in marked:
            marked = marked.replace(mark, read)
    return marked


# German writes ж and ш alike (sch): a word with sch is read both ways. (A word with w or sch is read as German.)
# A word is read as French writes Cyrillic only where it shows it (ou, tch, dj, j, -off, -eff; ie-, io- at the start
# of a word for е, ё): French ch is English sh, and "Chen" is not "Shen".
_FRENCH_MARKS = re.compile(r"ou|tch|dj|j|(?:off|eff)$|^i[eo]")


# ISO 9 typed on a plain keyboard, its marks left off (ž z, č c, š s, ŝ s, û u, â a, ë e): the letters BGN/PCGN
# writes for those as the unmarked letter. Read so only a word that shows it is romanised Russian (zh, kh, shch, ts,
# a glide before a vowel, or a Russian name's ending), of ISO9_UNMARKED_LENGTH letters or more, since the letters
# lost would join unrelated words elsewhere ("Shaw" and "Saw", "Chen" and "Cen").
_ISO9_UNMARKED = (("shch", "s"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("yu", "u"), ("ya", "a"), ("yo", "e"))
_ISO9_UNMARKED_GLIDE = re.compile(r"(?<!^)ye|^ye")
_ISO9_MARKED_LETTERS = re.compile(r"zh|ch|sh|y[uaoe]")
_RUSSIAN_SHOWN = re.compile(r"zh|kh|shch|ts|y[aeou]|(?:ov|ev|ova|eva|in|ina|vich|vna|skiy|skaya|sky|enko|chuk|yuk)$")
ISO9_UNMARKED_LENGTH = 5


def iso9_typed(word: str) -> str:
    """The fold of a word as ISO 9 typed without its marks writes what BGN/PCGN writes (zh z, ch c, sh s, shch s, yu u,
    ya a, yo e, a glide's ye e), whatever the word: "Zhirov" is "zirov", "Ilya" "ila", "Ivan" "ivan"."""
    typed = word
    for written, read in _ISO9_UNMARKED:
        if written in typed:
            typed = typed.replace(written, read)
    return roman_fold(_ISO9_UNMARKED_GLIDE.sub("e", typed))


@lru_cache(maxsize=65_536)
def iso9_unmarked(word: str) -> str | None:
    """The fold of a word written in BGN/PCGN as ISO 9 typed without its marks writes it ("Zhirov": "zirov",
    "Vyacheslav": "vaceslav"); None where that is the word itself or the word does not show it is Russian. A lossy
    reading: the letters ISO 9 marks are typed as others ("Yashin" is "asin", as "Asin" is written)."""
    if len(word) < ISO9_UNMARKED_LENGTH or not _ISO9_MARKED_LETTERS.search(word) or not _RUSSIAN_SHOWN.search(word):
        return None
    folded = iso9_typed(word)
    return folded if folded != roman_fold(word) else None


@lru_cache(maxsize=65_536)
def other_readings(word: str) -> tuple[str, ...]:
    """The folds (roman_fold) of a word read as German or French spellings of Cyrillic write it, where those differ
    from its own fold: "Zarewa" is "careva" as German writes Царева; "Jiroff" "jirov" as French writes Жиров (ISO 9
    typed without its marks, a lossy reading, is iso9_unmarked's)."""
    german = "w" in word or "sch" in word
    if not german and not _FRENCH_MARKS.search(word):
        return ()  # most words: none
    readings: list[str] = []
    if german:
        german = _read_back(word, _GERMAN_MARKED)
        readings.append(german)
        if "sch" in word:
            readings.append(german.replace("sh", "zh"))
    if _FRENCH_MARKS.search(word):
        readings.append(_read_back(word, _FRENCH_MARKED))
    own = roman_fold(word)
    return tuple(dict.fromkeys(f for reading in readings if (f := roman_fold(reading)) != own))


# First letters a fold may make one (Iouri, Yuriy, Jurij; Wladimir, Vladimir; Jiroff, Zhirov, Schirow; Khalid,
# Halid; Fedor, Pheodor): words starting so are compared folded even where their spellings are far apart.
_FIRST_GROUPS = ("ijye", "wv", "zjs", "ct", "kh", "pf", "ou")
FOLDABLE_STARTS = frozenset((a, b) for group in _FIRST_GROUPS for a in group for b in group if a != b)


# Short words the fold leaves apart, as the Arabic and Persian traditions write them (ض as d, dh or z; a final i
# as y).
_ARABIC_WORDS = {
    "aly": "ali",
    "ali": "ali",
    "reza": "rida",
    "rida": "rida",
    "riza": "rida",
    "redha": "rida",
    "ridha": "rida",
    "reda": "rida",
    "rheza": "rida",
    "raza": "rida",
    "zia": "diya",
    "ziya": "diya",
    "diya": "diya",
    "dia": "diya",
    "ramazan": "ramadan",
    "ramadan": "ramadan",
    "ramadhan": "ramadan",
    "qazi": "qadi",
    "qadi": "qadi",
    "kazi": "qadi",
    "nazir": "nadhir",
    "nadhir": "nadhir",
    "zakir": "dhakir",
    "dhakir": "dhakir",
    "zaker": "dhakir",
    "eisa": "isa",
    "isa": "isa",
    "issa": "isa",
    "esa": "isa",
    "musa": "musa",
    "mousa": "musa",
    "moussa": "musa",
    "taha": "taha",
    "toha": "taha",
    # 'Abd al- ("servant of the"), written with the article joined or left out: Abdul, Abdel, Abdol, Abd.
    "abd": "abd",
    "abdul": "abd",
    "abdel": "abd",
    "abdal": "abd",
    "abdol": "abd",
    "abdoul": "abd",
    "abdu": "abd",
}


def keyed_words() -> frozenset[str]:
    """The words a key starts from (a surname of the Korean or Chinese tables, an Arabic word of the table): a name
    holding none has no key (built on first use)."""
    return _KEYED_WORDS or _keyed_ends()[1]


def name_keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Each word's key ("" for none): two words of two names with one key are one word as two romanisations write
    it. A name read as Korean or Chinese has its syllables keyed; short Arabic and Persian words by their table."""
    # Most names: no word a key starts from (a surname of the Korean or Chinese tables, an Arabic word of the table):
    # no key, told by one set operation without remembering it.
    if (_KEYED_WORDS or _keyed_ends()[1]).isdisjoint(tokens):
        count = len(tokens)
        return NO_KEYS[count] if count < len(NO_KEYS) else ("",) * count
    if 2 <= len(tokens) <= 4 and not (_KEYED_ENDS or _keyed_ends()[0]).isdisjoint((tokens[0], tokens[-1])):
        return _name_keys(tokens)  # perhaps read as Korean or Chinese syllables: worth remembering
    return _arabic_keys(tokens)  # a look-up a word


def clear_caches() -> None:
    """Forget the keys, folds and readings remembered per name and per word (the benchmark times a first
    comparison this way); the tables built once from the standards stay."""
    for remembered in (_name_keys, roman_fold, other_readings, iso9_unmarked, _korean_key, _chinese_key):
        remembered.cache_clear()


@lru_cache(maxsize=KEYS_CACHE_SIZE)
def _name_keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """name_keys of a name of two to four words, a surname of the Korean or Chinese tables first or last."""
    joined = "".join(tokens)
    if joined.isascii() and joined.isalpha():
        korean, chinese = _korean_keys(tokens), _chinese_keys(tokens)
        if korean and chinese:
            # Both languages' syllables ("YANG Jianping", "DONG Wenbo"): each word keeps both readings, one
            # per language, so that either language's other spellings find it.
            return tuple([f"{k}{READINGS_APART}{c}" for k, c in zip(korean, chinese, strict=True)])
        if korean or chinese:
            return korean or chinese  # type: ignore[return-value]
    return _arabic_keys(tokens)


def _arabic_keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Each word's key by the Arabic and Persian table ("" for a word it lacks)."""
    if _ARABIC_WORDS.keys().isdisjoint(tokens):
        return NO_KEYS[len(tokens)] if len(tokens) < len(NO_KEYS) else ("",) * len(tokens)
    return tuple(["=" + _ARABIC_WORDS[t] if t in _ARABIC_WORDS else "" for t in tokens])


# The keys of a name of up to 15 words none of which has a key: made once, not for every name.
NO_KEYS = tuple(("",) * n for n in range(16))
_ARABIC_KEYED = frozenset(_ARABIC_WORDS)


def _keyed_ends() -> tuple[frozenset[str], frozenset[str]]:
    """The words a name read as Korean or Chinese starts or ends with: the surnames of the tables; and those with the
    Arabic words of the table, every word a name with a key holds (built on first use, kept in _KEYED_ENDS and
    _KEYED_WORDS)."""
    global _KEYED_ENDS, _KEYED_WORDS
    _KEYED_ENDS = frozenset(_KO_SURNAMES) | _chinese_surname_spellings()
    _KEYED_WORDS = _KEYED_ENDS | _ARABIC_KEYED
    return _KEYED_ENDS, _KEYED_WORDS


_KEYED_ENDS: frozenset[str] = frozenset()
_KEYED_WORDS: frozenset[str] = frozenset()


# Between a word's Korean and Chinese keys, where a name reads as both.
READINGS_APART = "|"


def keys_meet(a: str, b: str) -> bool:
    """Whether two words' keys say they are one word: equal, or sharing one reading."""
    if a == b:
        return bool(a)
    if not (a and b) or (READINGS_APART not in a and READINGS_APART not in b):
        return False
    return not set(a.split(READINGS_APART)).isdisjoint(b.split(READINGS_APART))


def key_readings(keys: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A name's keys as each language reads them (one, or a Korean and a Chinese one), each word by its syllables'
    key where it also has a surname's."""
    if not any(READINGS_APART in key for key in keys):
        return [keys]
    split = [key.split(READINGS_APART) for key in keys]
    languages = dict.fromkeys(alternative[:1] for parts in split for alternative in parts if alternative)
    return [
        tuple(next((a for a in reversed(parts) if a[:1] == language), "") for parts in split) for language in languages
    ]


def _korean_keys(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    if _KO_SURNAMES.keys().isdisjoint((tokens[0], tokens[-1])):
        return None
    surnames = _korean_surname_keys()
    keys = []
    last = len(tokens) - 1
    for position, token in enumerate(tokens):
        # A surname first or last, by its McCune-Reischauer spelling's key (a table: no syllables read again).
        key = surnames[token] if (position == 0 or position == last) and token in surnames else _korean_key(token)
        if key is None:
            return None
        keys.append("k" + key)
    return tuple(keys)


@cache
def _korean_surname_keys() -> dict[str, str | None]:
    """Each spelling of a surname of _KO_SURNAMES -> the key of its McCune-Reischauer spelling."""
    return {spelling: _korean_key(written) for spelling, written in _KO_SURNAMES.items()}


@cache
def _chinese_surname_spellings() -> frozenset[str]:
    return (
        _all_chinese_surnames()
        | frozenset(_SOUTHERN_SURNAMES)
        | _wade_giles_surnames()
        | frozenset(_WG_EXTRA)
        | _yale_surnames()
    )


@cache
def _yale_surnames() -> frozenset[str]:
    """The surnames as Yale writes them, where that is no other spelling of a syllable ("Jau" for Zhao)."""
    yale = _chinese_tables()[2]
    keys = _wade_giles_surnames()
    return frozenset(spelling for spelling, key in yale.items() if key in keys)


def _chinese_keys(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    if _chinese_surname_spellings().isdisjoint((tokens[0], tokens[-1])):
        return None
    surnames = _wade_giles_surnames()
    surname_keys = _surname_keys()
    keys = []
    has_surname = False
    for position, token in enumerate(tokens):
        key = surname_keys.get(token) if position in (0, len(tokens) - 1) else None
        if key is not None:
            has_surname = True
        else:
            key = _chinese_key(token)
            if key is None:
                return None
            has_surname = has_surname or (position in (0, len(tokens) - 1) and key in surnames)
        keys.append("c" + key)
    return tuple(keys) if has_surname else None


# --- Scripts ------------------------------------------------------------------------------------------------------
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SYLLABLES = re.compile(r"[A-Z][a-z]*")
# A person's name in Hangul or Han: a surname syllable and one to three of the given name.
_PERSON_LENGTH = range(2, 5)


# Hangul syllables by Unicode's composition (initial × 588 + medial × 28 + final after U+AC00), each jamo as the
# Revised Romanization writes it in a name: no sound change between syllables, a final as before a consonant.
_RR_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_RR_MEDIALS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
)  # fmt: skip
_RR_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
)  # fmt: skip
# Surnames of one vowel, as passports write them (the National Institute of the Korean Language's survey): a
# surname of one letter would read as an initial.
_RR_SHORT_SURNAMES = {"i": "Yi", "o": "Oh", "u": "Woo"}


def _hangul_syllable(char: str) -> str:
    code = ord(char) - 0xAC00
    return _RR_INITIALS[code // 588] + _RR_MEDIALS[code % 588 // 28] + _RR_FINALS[code % 28]


def _read_syllable(char: str) -> str:
    """One Hangul syllable (Revised Romanization) or Han character (Hanyu Pinyin, through anyascii), capitalised."""
    if _HANGUL.match(char):
        return _hangul_syllable(char).capitalize()
    return " ".join(_SYLLABLES.findall(anyascii(char)))


# ISO 9 (GOST 7.79 system A) writes Cyrillic with one Latin letter each, marked: read back as BGN/PCGN writes them
# (the rest, c for ц, h for х, j for й, the matcher's folds read already).
_ISO9_LETTERS = {
    "ž": "zh", "č": "ch", "š": "sh", "ŝ": "shch", "û": "yu", "â": "ya", "ë": "yo", "è": "e", "ǵ": "g", "ḱ": "k",
    "ʹ": "", "ʺ": "", "′": "", "″": "",
}  # fmt: skip
_ISO9_TABLE = str.maketrans({**_ISO9_LETTERS, **{k.upper(): v.capitalize() for k, v in _ISO9_LETTERS.items()}})
_ISO9_MARKED = re.compile("[" + "".join(sorted(chr(code) for code in _ISO9_TABLE)) + "]")


def iso9_reading(text: str) -> str | None:
    """A name in the letters of ISO 9 (scientific transliteration of Cyrillic) as BGN/PCGN writes it ("Žirov":
    "Zhirov", "Vâčeslav": "Vyacheslav"); None for text with none of its marked letters."""
    # (Most names in another script hold none of those letters: told by one search, not a translation.)
    if text.isascii() or _ISO9_MARKED.search(text) is None:
        return None
    return text.translate(_ISO9_TABLE)


def script_reading(text: str) -> str | None:
    """A person's name in Hangul or Chinese characters as its standard romanisation writes it (Revised
    Romanization, Hanyu Pinyin): the surname, then the given name's syllables joined ("김정은": "Gim Jeongeun",
    "박철남": "Bak Cheolnam", "赵匡宗": "Zhao Kuangzong"); None for text of neither script, or not shaped as a person's
    name."""
    if text.isascii() or not (_HANGUL.search(text) or _HAN.search(text)):
        return None
    words = []
    for part in text.split():
        letters = [c for c in part if _HANGUL.match(c) or _HAN.match(c)]
        if len(letters) != len(part):
            return None  # mixed with other letters or marks: not a name in one script
        words.append([_read_syllable(c) for c in letters])
    syllables = [s for word in words for s in word]
    if len(syllables) not in _PERSON_LENGTH or any(" " in s or not s for s in syllables):
        return None
    if _HANGUL.match(text[0]):
        syllables[0] = _RR_SHORT_SURNAMES.get(syllables[0].lower(), syllables[0])
        words[0][0] = syllables[0]
    if len(words) == 1:
        return f"{syllables[0]} {''.join(syllables[1:]).capitalize()}"
    return " ".join("".join(word).capitalize() for word in words)
