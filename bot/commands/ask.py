"""/ask QUESTION: free text routed to who, related, sanctions or allegations; only what the data supports."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.cards import entity_card, related_lines, sanction_text
from bot.commands.related import RELATED
from bot.commands.sanctions import SANCTIONS
from bot.context import Context
from bot.errors import UsageError
from bot.registry import Option, command
from bot.reply import Citations, Line, Reply, Section, Status
from bot.resolve import resolve
from knowledge.authorities import AUTHORITIES, find_authority
from knowledge.names.lookup import LookupStatus, Match

__all__ = ["ASK"]

USAGE = "/ask QUESTION"
ASK_EXAMPLE = "/ask who was sanctioned over Salt Typhoon?"
_NAME = r"(?P<name>.+?)"
_END = r"\s*[?.!]*$"

# Each question shape, in the order tried: the first that matches answers.
_SANCTIONED_OVER = re.compile(
    r"^(?:who|which (?:companies|entities|people|firms)|what companies)\s+(?:was|were|is|are|has been|have been|got)\s+"
    r"(?:sanctioned|designated)\s+(?:over|for|in connection with|because of|in relation to|regarding|about)\s+"
    + _NAME
    + _END,
    re.IGNORECASE,
)
_ACCUSED_OF = re.compile(
    r"^(?:what\s+(?:is|are|was|were)\s+" + _NAME + r"\s+(?:accused|alleged|suspected|charged)\s+(?:of|with)"
    r"|what\s+(?:did|does|has)\s+" + r"(?P<name2>.+?)\s+(?:do|done)"
    r"|(?:allegations|accusations|charges)\s+(?:against|about|on)\s+(?P<name3>.+?))" + _END,
    re.IGNORECASE,
)
_IS_SANCTIONED = re.compile(
    r"^(?:is|are|was|were|has|have)\s+" + _NAME + r"\s+(?:been\s+)?(?:sanctioned|designated|listed)"
    r"(?:\s+(?:by|in)\s+(?:the\s+)?(?P<authority>[\w() -]+?))?" + _END,
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^(?:what|who)(?:'s|\s+(?:is|are))\s+(?:related|linked|connected|tied)\s+(?:to|with)\s+" + _NAME + _END,
    re.IGNORECASE,
)
_SANCTIONS_WINDOW = re.compile(
    r"^(?:what|which|show|list)?.*?\b(?:sanctions|designations)\b\s*(?P<filters>.*?\b(?:since|last|past)\b.*?)" + _END,
    re.IGNORECASE,
)
_WHO = re.compile(
    r"^(?:(?:who|what)(?:'s|\s+(?:is|are|was|were))\s+"
    + _NAME
    + r"|(?:tell me about|brief me on|info on|information on)\s+(?P<name2>.+?))"
    + _END,
    re.IGNORECASE,
)


def _name(match: re.Match[str]) -> str:
    for group in ("name", "name2", "name3"):
        value = match.groupdict().get(group)
        if value:
            return value.strip()
    return ""


def _resolved(name: str, context: Context) -> Match | Reply:
    return resolve(name, context, command="ask", usage=USAGE)


def _sanctioned_over(question: str, name: str, context: Context) -> Reply:
    found = _resolved(name, context)
    if isinstance(found, Reply):
        return found
    kb = context.kb
    subject = kb.entity(found.entity)
    cite = Citations(kb)
    lines, related = related_lines(subject.id, kb, cite)
    sanctioned = [line for other, line in lines if kb.sanctions_of(other)]
    if not sanctioned:
        return Reply(
            command="ask",
            query=question,
            status=Status.NOT_FOUND,
            title=f"The loaded data links no sanctioned entity to {subject.caption}.",
            subtitle="It records no designation tied to it; that is not proof that none exists.",
            citations=cite.as_list(),
        )
    return Reply(
        command="ask",
        query=question,
        status=Status.FOUND,
        title=f"Sanctioned entities linked to {subject.caption}: {len(sanctioned)}",
        subtitle="Each line says who links the entity to it, when, and who sanctioned it.",
        sections=[Section(title="Sanctioned and linked", lines=sanctioned)],
        citations=cite.as_list(),
        related=[r for r in related if r["sanctioned"]],
    )


def _accused_of(question: str, name: str, context: Context) -> Reply:
    found = _resolved(name, context)
    if isinstance(found, Reply):
        return found
    subject = context.kb.entity(found.entity)
    allegations = context.kb.allegations_of(subject.id)
    cite = Citations(context.kb)
    if not allegations:
        return Reply(
            command="ask",
            query=question,
            status=Status.NOT_FOUND,
            title=f"The loaded data records no allegation against {subject.caption}.",
            subtitle=f"Try /who {subject.caption} for what it does record.",
        )
    lines = [
        Line(text=f"{a.statement} ({a.alleged_by}, {a.date.isoformat()})", sources=cite.cite(a.source))
        for a in allegations
    ]
    return Reply(
        command="ask",
        query=question,
        status=Status.FOUND,
        title=f"What {subject.caption} is accused of — {len(lines)} allegation{'s' if len(lines) != 1 else ''}",
        subtitle="These are allegations by the named governments and agencies, not established facts.",
        sections=[Section(title="Allegations", lines=lines)],
        citations=cite.as_list(),
        entity={"id": subject.id, "name": subject.caption, "kind": subject.kind.value},
    )


def _is_sanctioned(question: str, name: str, authority_words: str | None, context: Context) -> Reply:
    authority = None
    if authority_words:
        authority = find_authority(authority_words)
        if authority is None:
            known = ", ".join(a.label for a in AUTHORITIES.values())
            raise UsageError(f"I don't know the authority {authority_words!r}. Authorities: {known}.", usage=USAGE)
    found = _resolved(name, context)
    if isinstance(found, Reply):
        return found
    subject = context.kb.entity(found.entity)
    every = context.kb.sanctions_of(subject.id)
    matching = [s for s in every if authority is None or s.authority == authority.key]
    cite = Citations(context.kb)
    by = f" by {authority.label}" if authority else ""
    if matching:
        lines = [Line(text=sanction_text(s), sources=cite.cite(s.source, s.list_source)) for s in matching]
        active = any(s.is_active for s in matching)
        title = (
            f"Yes: {subject.caption} is sanctioned{by}."
            if active
            else f"{subject.caption} was sanctioned{by}, and delisted."
        )
        status = Status.FOUND
    else:
        others = [Line(text=sanction_text(s), sources=cite.cite(s.source, s.list_source)) for s in every]
        lines = others
        title = f"The loaded data records no sanction of {subject.caption}{by}."
        status = Status.NOT_FOUND
    return Reply(
        command="ask",
        query=question,
        status=status,
        title=title,
        subtitle=None
        if matching
        else ("It records these by others:" if lines else "It records no sanction of it at all."),
        sections=[Section(title="Sanctions", lines=lines)] if lines else [],
        citations=cite.as_list(),
        entity={"id": subject.id, "name": subject.caption, "kind": subject.kind.value},
    )


def _who(question: str, name: str, context: Context) -> Reply:
    found = _resolved(name, context)
    if isinstance(found, Reply):
        return found
    return entity_card(context.kb, found.entity, found, command="ask", query=question)


def _answers(question: str, context: Context) -> Reply | None:
    routes: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Reply]]] = [
        (_SANCTIONED_OVER, lambda m: _sanctioned_over(question, _name(m), context)),
        (_ACCUSED_OF, lambda m: _accused_of(question, _name(m), context)),
        (_IS_SANCTIONED, lambda m: _is_sanctioned(question, _name(m), m.group("authority"), context)),
        (_RELATED, lambda m: RELATED.handler(_name(m), context)),
        (_SANCTIONS_WINDOW, lambda m: SANCTIONS.handler(m.group("filters"), context)),
        (_WHO, lambda m: _who(question, _name(m), context)),
    ]
    for pattern, answer in routes:
        match = pattern.match(question)
        if match:
            return answer(match)
    return None


@command(
    "ask",
    usage=USAGE,
    options=(Option("question", "e.g. who was sanctioned over Salt Typhoon?", required=True),),
    examples=(
        "/ask who was sanctioned over Salt Typhoon?",
        "/ask what is Integrity Tech accused of?",
        "/ask is i-Soon sanctioned by the US?",
    ),
)
def ASK(args: str, context: Context) -> Reply:
    """Ask in plain words; I answer only what the data supports, and say so when it does not.

    Understands: who was sanctioned over X? what is X accused of? is X sanctioned (by the US)? what is related
    to X? who is X? sanctions since DATE. A bare name gets its card.
    """
    question = args.strip()
    if not question:
        raise UsageError(f"Ask me something, e.g. {ASK_EXAMPLE}", usage=USAGE)
    answer = _answers(question, context)
    if answer is not None:
        return answer
    bare = question.rstrip("?!. ")
    found = context.kb.lookup(bare)
    if found.best is not None and found.status is LookupStatus.FOUND:
        return entity_card(context.kb, found.best.entity, found.best, command="ask", query=question)
    fallback = resolve(bare, context, command="who", usage=USAGE) if found.matches else None
    return Reply(
        command="ask",
        query=question,
        status=Status.NOT_FOUND,
        title="I can't answer that from the data I have.",
        subtitle="I answer: who is X? · what is X accused of? · is X sanctioned by the US? · "
        "who was sanctioned over X? · what is related to X? · sanctions since DATE.",
        candidates=fallback.candidates if isinstance(fallback, Reply) else [],
    )
