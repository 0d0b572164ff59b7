"""Writes briefs and pictures to files (or stdout) for the command line."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from bot.briefs import Tlp, brief_markdown, brief_pdf, brief_stix, build_brief
from bot.briefs.markdown import picture_files
from bot.pictures import relationship_picture, timeline_picture
from knowledge.base import KnowledgeBase
from knowledge.store.database import Store

__all__ = ["OutputError", "write_brief", "write_picture"]


class OutputError(Exception):
    """A file not written, with why in words: the message names the file."""


def _write(path: Path, data: bytes, *, force: bool) -> None:
    """`data` to a new file at `path`; an existing one only with `force`, and never through a symbolic link (a link
    planted where a brief is written would send it anywhere the user may write)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        raise OutputError(f"{path} exists; give --force to replace it.") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputError(f"{path} is a symbolic link; not followed, nothing written.") from None
        raise OutputError(f"cannot write {path}: {error.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as error:
        # A full disk fails the write or the close, with no file name in the error (it said "cannot write None").
        if not force:
            path.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}.") from None


def _refused(path: Path | None, *, force: bool) -> None:
    """The refusal `_write` would give, said before seconds of drawing a PDF rather than after. Only a courtesy:
    `_write` checks again as it opens, so nothing swapped in between is followed or overwritten."""
    if path is None:
        return
    try:
        if path.is_symlink():
            raise OutputError(f"{path} is a symbolic link; not followed, nothing written.")
        if path.exists() and not force:
            raise OutputError(f"{path} exists; give --force to replace it.")
    except OSError:
        return  # `_write` names what is wrong with the path


def write_picture(kb: KnowledgeBase, entity_id: str, *, kind: str, out: Path, force: bool = False) -> list[Path]:
    _refused(out, force=force)
    draw = relationship_picture if kind == "graph" else timeline_picture
    _write(out, draw(kb, entity_id).png, force=force)
    return [out]


def write_brief(
    kb: KnowledgeBase,
    entity_id: str,
    *,
    fmt: str,
    out: Path | None,
    stdout: TextIO,
    force: bool = False,
    store: Store | None = None,
    tlp: Tlp = Tlp.CLEAR,
) -> list[Path]:
    """The brief in `fmt`, marked `tlp`; Markdown's pictures go beside `out` (or into the current folder when
    printed). With the store, the lists' freshness counts its refresh history, as the card's does."""
    _refused(out, force=force)
    brief = build_brief(kb, entity_id, store=store, tlp=tlp)
    if fmt == "pdf":
        data = brief_pdf(brief)
        if out is None:
            sys.stdout.buffer.write(data)
            return []
        _write(out, data, force=force)
        return [out]
    if fmt == "stix":
        text = json.dumps(brief_stix(kb, brief), ensure_ascii=False, indent=2) + "\n"
    else:
        text = brief_markdown(brief)
    written = []
    if fmt == "md":
        folder = out.parent if out is not None else Path.cwd()
        for name, png in picture_files(brief).items():
            _write(folder / name, png, force=force)
            written.append(folder / name)
    if out is None:
        stdout.write(text)
    else:
        _write(out, text.encode("utf-8"), force=force)
        written.insert(0, out)
    return written
