"""The neutral reply every command returns, with its plain-text rendering and its JSON shape."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from knowledge.base import KnowledgeBase
from knowledge.models import Source

__all__ = ["Action", "Candidate", "Citation", "Citations", "Fact", "Line", "Reply", "Section", "Status"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Status(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    OK = "ok"
    ERROR = "error"


class Citation(_Model):
    number: int
    id: str
    title: str
    publisher: str
    by: str
    kind: str
    date: dt.date | None = None
    url: str | None = None


class Line(_Model):
    text: str
    sources: list[int] = Field(default_factory=list)
    # A command that shows more about what the line names ("/who Wu Haibo"); adapters may make it a link.
    command: str | None = None


class Section(_Model):
    title: str
    lines: list[Line]


class Fact(_Model):
    label: str
    value: str


class Candidate(_Model):
    id: str
    name: str
    score: float
    matched: str
    command: str
    # What tells this candidate apart beyond its label: how it holds the name, its lists and programmes.
    detail: str | None = None


class Action(_Model):
    label: str
    command: str


class Reply(_Model):
    command: str
    query: str
    status: Status
    title: str
    subtitle: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    entity: dict[str, Any] | None = None
    related: list[dict[str, Any]] = Field(default_factory=list)
    items: list[dict[str, Any]] = Field(default_factory=list)
    # "usage" for input the user can correct, "internal" for our own failure.
    error_kind: str | None = None
    # Posted for the whole channel to see (a digest sent now), not only to whoever asked.
    in_channel: bool = False
    # A digest sent now: recorded as delivered (its cursor moved) only when the adapter reports that the platform
    # accepted the post (Bot.delivered), so a failed post loses no change for the channel.
    delivery: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        return render_text(self)

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["text"] = self.text
        return data


class Citations:
    """Numbers sources in the order a reply first cites them, so every line can say [1], [2]."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._numbers: dict[str, int] = {}
        self._extra: dict[str, Source] = {}

    def add(self, source: Source) -> list[int]:
        """Cite a source the knowledge base may not hold (an older snapshot a change event came from)."""
        self._extra.setdefault(source.id, source)
        return self.cite(source.id)

    def cite(self, *source_ids: str | None) -> list[int]:
        numbers = []
        for source_id in source_ids:
            if source_id is None:
                continue
            if source_id not in self._numbers:
                self._numbers[source_id] = len(self._numbers) + 1
            numbers.append(self._numbers[source_id])
        return sorted(set(numbers))

    def as_list(self) -> list[Citation]:
        out = []
        for source_id, number in self._numbers.items():
            source = self._extra.get(source_id) or self._kb.source(source_id)
            out.append(
                Citation(
                    number=number,
                    id=source.id,
                    title=source.title,
                    publisher=source.publisher,
                    by=source.by,
                    kind=source.kind.value,
                    date=source.date,
                    url=source.url,
                )
            )
        return out


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def render_text(reply: Reply) -> str:
    """The reply as plain text: what the console prints and every platform's fallback."""
    out = [reply.title]
    if reply.subtitle:
        out.append(reply.subtitle)
    for fact in reply.facts:
        out.append(f"{fact.label}: {fact.value}")
    for section in reply.sections:
        out.append("")
        out.append(section.title)
        for line in section.lines:
            marks = _marks(line.sources)
            out.append(f"  • {line.text}{' ' + marks if marks else ''}")
    if reply.candidates:
        out.append("")
        out.append("Did you mean:" if reply.status is not Status.AMBIGUOUS else "Which one do you mean?")
        for candidate in reply.candidates:
            out.append(
                f'  • {candidate.name} ({candidate.score:.2f}, matched "{candidate.matched}") → {candidate.command}'
            )
            if candidate.detail:
                out.append(f"      {candidate.detail}")
    if reply.citations:
        out.append("")
        out.append("Sources")
        for citation in reply.citations:
            when = f", {citation.date.isoformat()}" if citation.date else ""
            where = f" <{citation.url}>" if citation.url else ""
            out.append(f"  [{citation.number}] {citation.title}. {citation.publisher}{when}.{where}")
    return "\n".join(out)
