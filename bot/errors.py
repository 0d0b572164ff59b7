"""Errors a command raises for bad input; the service turns them into polite replies."""

from knowledge.errors import BriefbotError

__all__ = ["UsageError"]


class UsageError(BriefbotError):
    """The user's input cannot be run as given; the message says how to write it."""

    def __init__(self, message: str, *, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage
