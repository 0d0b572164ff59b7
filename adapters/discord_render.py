"""The neutral reply as Discord embeds, within Discord's limits, with markdown and mentions neutralised."""

from __future__ import annotations

import re

import discord

from bot.reply import Line, Reply, Status

__all__ = ["LIMITS", "REFERENCE_LABEL", "check_embeds", "escape", "reference_in", "render_embeds"]

# Discord's limits (discord.com/developers/docs/resources/message#embed-object-embed-limits); discord.py
# checks few of them before the API refuses a message.
LIMITS = {
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "total": 6000,
    "embeds": 10,
}
# Room kept below the 6,000-character total for the closing "shortened" note.
_RESERVE = 200
_COLOURS = {
    Status.FOUND: 0x1D3557,
    Status.OK: 0x1D3557,
    Status.AMBIGUOUS: 0xE9C46A,
    Status.NOT_FOUND: 0x8D99AE,
    Status.ERROR: 0xE63946,
}
# The footer's first line of an answer about one entity: its stable reference, which a reply to the answer is about
# ("who sanctioned them?"), read back from the message by whichever process gets the reply; a user can type it too.
REFERENCE_LABEL = "Card: "
_REFERENCE = re.compile(r"[A-Za-z-]+:\S+")
# Enough to stop formatting, masked links ([text](url) needs the brackets) and mention syntax (<@…>).
_MARKDOWN = re.compile(r"([\\*_`~|>#\[\]<])")


def escape(text: str) -> str:
    """Markdown, masked links and mention syntax shown as typed: no text from a user or a list can format,
    link or look like a mention (and allowed_mentions is none besides)."""
    text = _MARKDOWN.sub(r"\\\1", text)
    return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(line: Line) -> str:
    marks = "".join(f"[{n}]" for n in line.sources)
    return "• " + escape(line.text) + (f" {escape(marks)}" if marks else "")


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Lines joined into values of at most `limit` characters, split between lines."""
    chunks, current = [], ""
    for line in lines:
        line = _cut(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def render_embeds(reply: Reply, *, reference: str | None = None) -> list[discord.Embed]:
    """One embed (two when sources need their own), never over Discord's per-message total; `reference`, the
    stable reference of the entity the reply is about, opens the footer."""
    description_parts = []
    if reply.subtitle:
        description_parts.append(escape(reply.subtitle))
    description_parts += [f"**{escape(f.label)}:** {escape(f.value)}" for f in reply.facts]
    embed = discord.Embed(
        title=_cut(escape(reply.title), LIMITS["title"]),
        description=_cut("\n".join(description_parts), LIMITS["description"]) or None,
        colour=_COLOURS[reply.status],
    )
    budget = LIMITS["total"] - _RESERVE - len(embed)
    shortened = False
    # Field slots kept for the candidates and for the "shortened" note.
    section_fields = LIMITS["fields"] - 1 - (1 if reply.candidates else 0)
    for section in reply.sections:
        for number, value in enumerate(_chunks([_line(line) for line in section.lines], LIMITS["field_value"])):
            name = _cut((escape(section.title) or "—") + (" (cont.)" if number else ""), LIMITS["field_name"])
            if len(embed.fields) >= section_fields or len(name) + len(value) > budget:
                shortened = True
                break
            embed.add_field(name=name, value=value, inline=False)
            budget -= len(name) + len(value)
    if reply.candidates:
        label = "Which one do you mean?" if reply.status is Status.AMBIGUOUS else "Did you mean"
        value = _cut(
            "\n".join(f"• {escape(c.name)} ({c.score:.2f}) — `{escape(c.command)}`" for c in reply.candidates),
            LIMITS["field_value"],
        )
        if len(label) + len(value) <= budget:
            embed.add_field(name=label, value=value, inline=False)
            budget -= len(label) + len(value)
    card = f"{REFERENCE_LABEL}{reference}" if reference and _REFERENCE.fullmatch(reference) else ""
    if reply.citations or card:
        sources = "\n".join(
            f"[{c.number}] {c.title}. {c.publisher}{', ' + c.date.isoformat() if c.date else ''}."
            for c in reply.citations
        )
        whole = "\n".join(part for part in (card, sources) if part)
        room = min(LIMITS["footer"], budget)
        # _cut with no room left would keep all but one character: nothing then. The reference is kept whole or
        # left out: a cut one would name another card.
        footer = _cut(whole, room) if room > len(card) + 2 else ""
        if footer:
            embed.set_footer(text=footer)
            shortened = shortened or footer != whole
    if shortened:
        embed.add_field(
            name="Shortened", value="Shortened to fit Discord: ask a narrower question for the rest.", inline=False
        )
    return [embed]


def reference_in(embeds: list[discord.Embed]) -> str | None:
    """The stable reference an answer's footer opens with (`render_embeds`); None where it has none."""
    footer = (embeds[0].footer.text or "") if embeds else ""
    first = footer.split("\n", 1)[0]
    if not first.startswith(REFERENCE_LABEL):
        return None
    reference = first[len(REFERENCE_LABEL) :]
    return reference if _REFERENCE.fullmatch(reference) else None


_MENTION = re.compile(r"(?<!\\)<(?:@[!&]?|#)\d+>|(?<!\\)\[[^\]]*\]\((?:https?://)?[^)]+\)|@(?:everyone|here)")


def check_embeds(embeds: list[discord.Embed]) -> list[str]:
    """Every way the embeds break Discord's limits or could mention or link; empty when they are fine."""
    problems = []
    if len(embeds) > LIMITS["embeds"]:
        problems.append(f"{len(embeds)} embeds")
    if sum(len(e) for e in embeds) > LIMITS["total"]:
        problems.append(f"{sum(len(e) for e in embeds)} characters in all (limit {LIMITS['total']})")
    for number, embed in enumerate(embeds):
        texts = [embed.title or "", embed.description or "", embed.footer.text or ""]
        if len(embed.title or "") > LIMITS["title"]:
            problems.append(f"embed {number}: title")
        if len(embed.description or "") > LIMITS["description"]:
            problems.append(f"embed {number}: description")
        if len(embed.footer.text or "") > LIMITS["footer"]:
            problems.append(f"embed {number}: footer")
        if len(embed.fields) > LIMITS["fields"]:
            problems.append(f"embed {number}: {len(embed.fields)} fields")
        for field in embed.fields:
            texts += [field.name or "", field.value or ""]
            if len(field.name or "") > LIMITS["field_name"] or len(field.value or "") > LIMITS["field_value"]:
                problems.append(f"embed {number}: field {field.name!r} over its limits")
            if not field.name or not field.value:
                problems.append(f"embed {number}: an empty field")
        problems += [f"embed {number}: mention or link in {t[:60]!r}" for t in texts if _MENTION.search(t)]
    return problems
