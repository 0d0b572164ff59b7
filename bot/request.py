"""A request to the bot: the command text and who asked where, as the adapters report it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from knowledge.shown import clean_input, one_line

__all__ = ["Request", "clean_input", "one_line"]


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
