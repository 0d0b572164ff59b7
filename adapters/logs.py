"""Logging for every briefbot process: the level and format come from BRIEFBOT_LOG_LEVEL and BRIEFBOT_LOG_FORMAT."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import TextIO

from adapters.settings import app_settings
from adapters.tokens import ConfigError
from knowledge.errors import UsageError

__all__ = ["JsonFormatter", "configure_logging"]

# Servers report what they do (digests sent, reloads, refused requests); one-shot commands only what went wrong.
SERVER_LEVEL = "INFO"
COMMAND_LEVEL = "WARNING"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log every HTTP call or gateway event at INFO would drown the bot's own lines.
_CHATTY = ("discord", "slack_bolt", "slack_sdk", "urllib3")


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log shippers; a traceback, when there is one, is one field, not many lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever sys.stderr is when a line is logged, as logging's own last resort does: one
    holding the stream of its set-up would write to a closed file once sys.stderr is replaced (a test's capture, a
    tool running briefbot in-process), and print "--- Logging error ---" instead of the line."""

    def __init__(self) -> None:
        # Handler's constructor, not StreamHandler's, which would set the stream this class reads afresh each time.
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        return sys.stderr


def configure_logging(*, server: bool) -> None:
    """Set up the root logger once per process; a bad setting raises ConfigError naming the variable."""
    try:
        chosen = app_settings()
    except UsageError as error:
        raise ConfigError(str(error)) from None
    level = chosen.log_level or (SERVER_LEVEL if server else COMMAND_LEVEL)
    kind = chosen.log_format
    handler = _Stderr()
    handler.setFormatter(JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":
        for name in _CHATTY:
            logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
