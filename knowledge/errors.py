"""The one exception family of briefbot; its messages are written to be shown to users as they are."""

__all__ = ["BriefbotError", "DataError", "UsageError"]


class BriefbotError(Exception):
    """An error whose message is polite, complete and safe to show to a user."""


class DataError(BriefbotError):
    """Data that cannot be loaded: the message names the file and the record."""


class UsageError(BriefbotError):
    """A command given wrongly (a file that is not there, a setting that makes no sense): exit status 2."""
