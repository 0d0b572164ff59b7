"""Checks each request to /slack/events before Bolt sees it: signed by Slack first, then well-formed, else refused."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["EVENTS_PATH", "guarded"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack's own rule: a request older than five minutes may be a replay.
MAX_AGE_S = 300
# Far more than any Slack payload nests; deeper is an attack on the parser, refused before json.loads recurses.
MAX_DEPTH = 64
# Slack's timestamps have 10 digits; int() of thousands of digits is slow, then refused with a ValueError.
MAX_STAMP_DIGITS = 12
# Where Bolt or the listeners index into a payload without looking: a key present with another shape is refused
# here, or it fails inside Bolt as a 500. Slack sends "enterprise" as null outside Enterprise Grid.
_OBJECTS = ("team", "user", "channel", "container", "message", "view", "event", "state")
_NULLABLE_OBJECTS = ("enterprise",)
_STRINGS = ("type", "callback_id", "trigger_id", "response_url", "api_app_id", "team_id", "event_id", "token")
_NONEMPTY_LISTS = ("actions", "authorizations")
# Within those objects, the keys read as text.
_INNER_STRINGS = (
    "id",
    "type",
    "action_id",
    "block_id",
    "value",
    "callback_id",
    "text",
    "channel",
    "user",
    "ts",
    "thread_ts",
    "channel_type",
    "subtype",
    "bot_id",
    "team",
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Refused(Exception):
    """A request not passed on: the HTTP status and a short reason, safe to log (never the payload)."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _signed(environ: dict[str, Any], body: bytes, secret: bytes, now: float) -> None:
    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not stamp or not signature:
        raise Refused("401 Unauthorized", "unsigned")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > MAX_STAMP_DIGITS:
        raise Refused("401 Unauthorized", "timestamp not a number")
    if abs(now - int(stamp)) > MAX_AGE_S:
        raise Refused("401 Unauthorized", "timestamp too old")
    # Over the raw bytes (slack_sdk's verifier decodes them first, and fails on a body that is not UTF-8).
    expected = "v0=" + hmac.new(secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Refused("401 Unauthorized", "bad signature")


def _depth_ok(text: str) -> bool:
    # Counting brackets outside strings is enough to bound json.loads' recursion, in one linear pass.
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _json_object(text: str, what: str) -> None:
    if not _depth_ok(text):
        raise Refused("400 Bad Request", f"{what} nested too deep")
    try:
        value = json.loads(text)
    except ValueError:
        raise Refused("400 Bad Request", f"{what} not JSON") from None
    if not isinstance(value, dict):
        raise Refused("400 Bad Request", f"{what} not a JSON object")
    _shaped(value, what)


def _shaped(value: dict[str, Any], what: str) -> None:
    """Refuses a payload whose keys Bolt or the listeners read have another shape than Slack's."""

    def inner(item: object, key: str) -> None:
        if not isinstance(item, dict):
            raise Refused("400 Bad Request", f"{what} {key} not an object")
        for name in _INNER_STRINGS:
            if name in item and not isinstance(item[name], str) and not (name == "value" and item[name] is None):
                raise Refused("400 Bad Request", f"{what} {key}.{name} not text")

    for key in _STRINGS:
        if key in value and not isinstance(value[key], str):
            raise Refused("400 Bad Request", f"{what} {key} not text")
    for key in _OBJECTS + _NULLABLE_OBJECTS:
        if key in value and not (key in _NULLABLE_OBJECTS and value[key] is None):
            inner(value[key], key)
    for key in _NONEMPTY_LISTS:
        if key in value:
            if not isinstance(value[key], list) or not value[key]:
                raise Refused("400 Bad Request", f"{what} {key} not a list with items")
            for item in value[key]:
                inner(item, key)


def _well_formed(environ: dict[str, Any], body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("400 Bad Request", "body not UTF-8") from None
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        _json_object(text, "body")
        return
    if content_type != "application/x-www-form-urlencoded":
        raise Refused("400 Bad Request", "content type not form or JSON")
    try:
        form = urllib.parse.parse_qs(text, strict_parsing=bool(text), errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise Refused("400 Bad Request", "form not well-formed") from None
    if "payload" in form:
        _json_object(form["payload"][0], "payload")
    elif "command" not in form and "ssl_check" not in form:
        # Slack posts three kinds of form: slash commands, interactions (payload=…) and its certificate check.
        raise Refused("400 Bad Request", "form neither a command nor a payload")


def guarded(
    app: WSGIApp,
    *,
    signing_secret: str,
    on_refused: Callable[[str], None] = lambda reason: None,
    clock: Callable[[], float] = time.time,
) -> WSGIApp:
    """`app` behind the checks: anything unsigned gets 401, anything signed but malformed 400, with one log line
    each and no traceback; Bolt sees only requests it can parse."""
    secret = signing_secret.encode()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != EVENTS_PATH:
            return app(environ, start_response)
        try:
            if environ.get("REQUEST_METHOD") != "POST":
                raise Refused("405 Method Not Allowed", "not a POST")
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise Refused("400 Bad Request", "bad content length") from None
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            _signed(environ, body, secret, clock())
            _well_formed(environ, body)
        except Refused as refused:
            log.warning("refused a request to %s: %s", EVENTS_PATH, refused.reason)
            on_refused(refused.reason)
            answer = json.dumps({"error": refused.reason}).encode()
            start_response(refused.status, [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))])
            return [answer]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return application
