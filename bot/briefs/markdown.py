"""The brief as Markdown: the card's facts and sections with numbered sources, the pictures as files beside it."""

from __future__ import annotations

from bot.briefs.content import Brief

__all__ = ["brief_markdown", "picture_files"]

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    """Text from a list or a user shown as written: no Markdown in it can format or link."""
    return text.translate(_SPECIAL)


def picture_files(brief: Brief) -> dict[str, bytes]:
    """The PNG files the Markdown refers to, by file name."""
    return {f"{brief.stem}-graph.png": brief.graph.png, f"{brief.stem}-timeline.png": brief.timeline.png}


def brief_markdown(brief: Brief) -> str:
    card = brief.card
    graph, timeline = picture_files(brief)
    marking = f"**{brief.tlp.value}** ({brief.tlp.meaning})"
    # TLP 2.0 asks for the marking where a reader starts and where a reader ends.
    out = [marking, "", f"# {_md(card.title)}", "", f"_Produced by briefbot on {brief.made_on}._", ""]
    out += [f"- **{_md(f.label)}:** {_md(f.value)}" for f in card.facts]
    for section in card.sections:
        out += ["", f"## {_md(section.title)}", ""]
        for line in section.lines:
            marks = "".join(f"[{n}]" for n in line.sources)
            out.append(f"- {_md(line.text)}{' ' + _md(marks) if marks else ''}")
    out += [
        "",
        "## Pictures",
        "",
        f"![{_md(brief.graph.description)}]({graph})",
        "",
        f"![{_md(brief.timeline.description)}]({timeline})",
        "",
        "## Sources",
        "",
    ]
    for c in card.citations:
        when = f", {c.date.isoformat()}" if c.date else ""
        where = f" <{c.url}>" if c.url else ""
        out.append(f"{c.number}. {_md(c.title)}. {_md(c.publisher)}{when}.{where}")
    out += ["", f"_{_md(brief.closing)}_", "", marking, ""]
    return "\n".join(out)
