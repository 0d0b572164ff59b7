"""Seeded benchmark queries drawn from the loaded names, each knowing its right answer, and must-find-nothing ones."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from knowledge.base import KnowledgeBase
from knowledge.models import EntityKind, NameType
from knowledge.names.lookup import GENERIC_WORDS, NameIndex
from knowledge.names.normalise import normalise
from knowledge.names.tables import PARTICLES

__all__ = ["KINDS", "Query", "ask_questions", "make_queries", "nothing_queries", "synthetic_names"]

KINDS = ("exact", "case and punctuation", "one typo", "two typos", "dropped word", "swapped words", "legal form")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A word counts as common when at least this many entities' names have it.
_SHARED_BY = 3
_LEGAL = (
    ("co., ltd.", "limited"),
    ("company limited", "co ltd"),
    ("limited", "ltd"),
    ("incorporated", "inc."),
    ("llc", ""),
)


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    kind: str
    # Every entity holding the name the query was made from: the lists repeat names across unmerged records.
    answers: frozenset[str]


def _typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(word))
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "substitute":
        return word[:position] + rng.choice(_LETTERS) + word[position + 1 :]
    if operation == "delete":
        return word[:position] + word[position + 1 :]
    if operation == "insert":
        return word[:position] + rng.choice(_LETTERS) + word[position:]
    position = min(position, len(word) - 2)
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _vary(name: str, kind: str, rng: random.Random) -> str | None:
    words = name.split()
    if kind == "exact":
        return name
    if kind == "case and punctuation":
        changed = rng.choice((str.upper, str.lower, str.title))(name)
        return re.sub(r"[,.'-]", rng.choice(("", " ")), changed)
    if kind in ("one typo", "two typos"):
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long_words:
            return None
        for _ in range(1 if kind == "one typo" else 2):
            index = rng.choice(long_words)
            words[index] = _typo(words[index], rng)
        return " ".join(words)
    if kind == "dropped word":
        if len(words) < 3:
            return None
        dropped = rng.randrange(len(words))
        return " ".join(w for i, w in enumerate(words) if i != dropped)
    if kind == "swapped words":
        if len(words) < 2:
            return None
        i, j = rng.sample(range(len(words)), 2)
        words[i], words[j] = words[j], words[i]
        return " ".join(words)
    lowered = name.lower()
    for form, other in _LEGAL:
        if lowered.endswith(form):
            return name[: len(name) - len(form)].rstrip(" ,") + (" " + other if other else "")
    return None


def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(normalise(name).tokens))


def make_queries(kb: KnowledgeBase, count: int, *, seed: int = 7) -> list[Query]:
    """`count` queries spread over KINDS, from names of listed entities (not government bodies).

    A query's right answers are every entity holding a name of the same words in any order: the lists keep
    one person as several unmerged records ("HAQQANI NASIRUDDIN" at the UN, "NASIRUDDIN HAQQANI" at OFAC)."""
    rng = random.Random(seed)
    holders: dict[tuple[str, ...], set[str]] = {}
    for name in kb.index.names:
        holders.setdefault(tuple(sorted(name.norm.tokens)), set()).add(name.entity)
    pool = [
        n
        for n in kb.index.names
        if n.type in (NameType.PRIMARY, NameType.ALIAS, NameType.FORMER)
        and len(n.norm.compact) >= 6
        and kb.entities[n.entity].kind is not EntityKind.GOVERNMENT_BODY
        and not any("\u3400" <= c <= "\u9fff" for c in n.value)
    ]
    queries: list[Query] = []
    attempts = 0
    while len(queries) < count and attempts < count * 20:
        attempts += 1
        name = rng.choice(pool)
        kind = KINDS[len(queries) % len(KINDS)]
        text = _vary(name.value, kind, rng)
        # A query left with only common or legal-form words ("JOINT STOCK COMPANY") names no one in particular.
        if text and set(normalise(text).tokens) - GENERIC_WORDS:
            queries.append(Query(text, kind, frozenset(holders[tuple(sorted(name.norm.tokens))])))
    return queries


def nothing_queries(index: NameIndex, count: int, *, seed: int = 11) -> list[Query]:
    """Names made of the lists' most common words ("Beijing International Trading") that name no one."""
    rng = random.Random(seed)
    # Words several entities share, so that no distinctive word ("yongxin") slips into a "nothing" name.
    holders: dict[str, set[str]] = {}
    for name in index.names:
        for token in name.norm.tokens:
            if token.isalpha() and len(token) > 3:
                holders.setdefault(token, set()).add(name.entity)
    common = Counter({token: len(entities) for token, entities in holders.items() if len(entities) >= _SHARED_BY})
    words = [word for word, _ in common.most_common(150)]
    if len(words) < 12:  # a small data set: the lookup's own list of common words stands in
        words = sorted(set(words) | GENERIC_WORDS)
    # Not "nothing" if some name has the same words, in any order, particles aside: "Ahmed Mohamed" is the listed
    # "AL-AHMED Mohamed" (the matcher weighs al-, bin and van low, as a screener reads them).
    taken = {_without_particles(name.norm.tokens) for name in index.names}
    found: list[Query] = []
    while len(found) < count:
        text = " ".join(w.title() for w in rng.sample(words, rng.choice((2, 3, 3, 4))))
        if _without_particles(normalise(text).tokens) not in taken:
            found.append(Query(text, "must find nothing", frozenset()))
    return found


def _without_particles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(token for token in tokens if token not in PARTICLES))


def synthetic_names(index: NameIndex, total: int, *, seed: int = 13) -> list[tuple[str, str]]:
    """(entity id, name) pairs to grow the index to `total` names: words of different real names recombined."""
    rng = random.Random(seed)
    vocabulary = [name.norm.tokens for name in index.names if len(name.norm.tokens) >= 2]
    made = []
    for number in range(max(0, total - len(index.names))):
        parts = [rng.choice(rng.choice(vocabulary)) for _ in range(rng.choice((2, 3, 3, 4)))]
        made.append((f"synthetic:{number}", " ".join(parts).upper()))
    return made


# /ask as analysts write it, around the benchmark's names (typos and all), and questions about lists and periods.
_ASK_TEMPLATES = (
    "who sanctioned {name} and why?",
    "what is {name} accused of?",
    "is {name} sanctioned by the UK?",
    "which companies are linked to {name}",
    "tell me about {name}",
    "who operates {name}?",
    "what were the former names of {name}",
    "where is {name} based?",
    "what do {name} and {other} have in common?",
)
_ASK_FIXED = (
    "what did the Treasury designate in March 2025?",
    "which Chinese companies has the US sanctioned since 2024?",
    "how many compromised devices did the botnet have?",
    "what has the UK sanctioned this year?",
    "what happened on 9 December 2025?",
    "what will the weather be tomorrow?",
)


def ask_questions(queries: list[Query]) -> list[str]:
    """One /ask question per query, the templates in turn; every tenth a question about lists, periods or facts."""
    questions = []
    for number, query in enumerate(queries):
        if number % 10 == 9:
            questions.append(_ASK_FIXED[(number // 10) % len(_ASK_FIXED)])
            continue
        other = queries[(number * 7 + 3) % len(queries)].text
        template = _ASK_TEMPLATES[number % len(_ASK_TEMPLATES)]
        questions.append(template.format(name=query.text, other=other))
    return questions
