"""Writes briefs and pictures to files (or stdout) for the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from bot.briefs import brief_markdown, brief_pdf, brief_stix, build_brief
from bot.briefs.markdown import picture_files
from bot.pictures import relationship_picture, timeline_picture
from knowledge.base import KnowledgeBase

__all__ = ["write_brief", "write_picture"]


def write_picture(kb: KnowledgeBase, entity_id: str, *, kind: str, out: Path) -> list[Path]:
    draw = relationship_picture if kind == "graph" else timeline_picture
    out.write_bytes(draw(kb, entity_id).png)
    return [out]


def write_brief(kb: KnowledgeBase, entity_id: str, *, fmt: str, out: Path | None, stdout: TextIO) -> list[Path]:
    """The brief in `fmt`; Markdown's pictures go beside `out` (or into the current folder when printed)."""
    brief = build_brief(kb, entity_id)
    if fmt == "pdf":
        data = brief_pdf(brief)
        if out is None:
            sys.stdout.buffer.write(data)
            return []
        out.write_bytes(data)
        return [out]
    if fmt == "stix":
        text = json.dumps(brief_stix(kb, brief), ensure_ascii=False, indent=2) + "\n"
    else:
        text = brief_markdown(brief)
    written = []
    if fmt == "md":
        folder = out.parent if out is not None else Path.cwd()
        for name, png in picture_files(brief).items():
            (folder / name).write_bytes(png)
            written.append(folder / name)
    if out is None:
        stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        written.insert(0, out)
    return written
