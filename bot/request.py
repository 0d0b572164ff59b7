"""A request to the bot: the command text and who asked where, as the adapters report it."""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["Request", "clean_input"]

# Invisible characters that are letters or unassigned to Unicode, so not caught by category Cf: the Hangul fillers
# and the unassigned code points of the tag block (U+E0000, U+E0002–U+E001F).
_INVISIBLE_LETTERS = re.compile("[\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]")


def _visible(char: str) -> bool:
    # Cf: format characters (soft hyphen, zero-width joiners, bidi marks and isolates, U+061C, tags…);
    # Cs: lone surrogates, which no reply could be encoded with.
    return unicodedata.category(char) not in ("Cf", "Cs")


def clean_input(text: str) -> str:
    """`text` without format characters, tag characters, fillers and lone surrogates: what users cannot see is
    neither searched for nor echoed back."""
    if text.isascii():
        return text
    return _INVISIBLE_LETTERS.sub("", "".join(filter(_visible, text)))


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    platform: str = "cli"
    user: str | None = None
    workspace: str | None = None
    channel: str | None = None
    # The platform's own answer to "may this user manage this channel?", for digest subscriptions.
    can_manage_channel: bool = False
    # The stable reference (`curated:isoon`, `ofac:52747`) of the entity the conversation is about, where the
    # platform knows it (a thread's earlier answer): a question naming no entity ("who sanctioned them?") is about it.
    about: str | None = None

    @field_validator("text", mode="before")
    @classmethod
    def _clean(cls, text: object) -> object:
        return clean_input(text) if isinstance(text, str) else text

    @classmethod
    def of_text(cls, text: str) -> Request:
        return cls(text=text)
