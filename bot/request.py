"""A request to the bot: the command text and who asked where, as the adapters report it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Request"]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    platform: str = "cli"
    user: str | None = None
    workspace: str | None = None
    channel: str | None = None
    # The platform's own answer to "may this user manage this channel?", for digest subscriptions.
    can_manage_channel: bool = False

    @classmethod
    def of_text(cls, text: str) -> Request:
        return cls(text=text)
