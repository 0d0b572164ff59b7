"""A local stand-in for the Slack Web API and response_url: answers as Slack does, records every call."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


def slack_signature(body: bytes, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with a request: v0 HMAC-SHA256 over "v0:<timestamp>:<body>"."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class StandIn:
    url: str
    calls: list[Call] = field(default_factory=list)
    # method -> (HTTP status, JSON body, extra headers); anything else answers {"ok": true}.
    answers: dict[str, tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=dict)
    condition: threading.Condition = field(default_factory=threading.Condition)
    # Messages as Slack keeps them, by channel: each chat.postMessage (the bot's, as user UBOT) and each `said`.
    # conversations.replies and .history answer from them, unless `answers` gives their answer.
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _clock: list[int] = field(default_factory=lambda: [0])

    def said(self, channel: str, text: str, *, user: str = "U1", thread_ts: str | None = None) -> str:
        """A message someone posted in `channel` (in a thread, with `thread_ts`); its ts, as Slack would give it."""
        return self._keep(channel, {"user": user, "text": text, **({"thread_ts": thread_ts} if thread_ts else {})})

    def _keep(self, channel: str, message: dict[str, Any]) -> str:
        with self.condition:
            self._clock[0] += 1
            ts = f"{1700000000 + self._clock[0]}.000100"
            self.messages.setdefault(channel, []).append({**message, "type": "message", "ts": ts})
            return ts

    # Files users shared, served at /files/<name> to a request bearing a bot token, as Slack's url_private is.
    files: dict[str, bytes] = field(default_factory=dict)

    def wait_for(self, path_part: str, *, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """The calls whose path contains `path_part`, once `count` have arrived (a bounded wait, not a sleep)."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                found = [c for c in self.calls if path_part in c.path]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {path_part} call within {timeout} s; got {[c.path for c in self.calls]}")
                self.condition.wait(left)

    def named(self, path_part: str) -> list[Call]:
        return [c for c in self.calls if path_part in c.path]


def _upload_answer(standin: StandIn, method: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answers for the external file upload (files_upload_v2) and for opening a DM."""
    if method == "files.getUploadURLExternal":
        number = len(standin.named("files.getUploadURLExternal"))
        return {"ok": True, "upload_url": f"{standin.url}/upload/F{number}", "file_id": f"F{number}"}
    if method == "files.completeUploadExternal":
        files = json.loads(body.get("files", "[]")) if isinstance(body.get("files"), str) else body.get("files", [])
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
    if method == "conversations.open":
        return {"ok": True, "channel": {"id": "D" + str(body.get("users", "U0"))}}
    return None


def _posted(standin: StandIn, body: dict[str, Any]) -> str:
    """Keeps a chat.postMessage as Slack does: the bot's message, its thread and its metadata."""
    message: dict[str, Any] = {"user": "UBOT", "bot_id": "BBOT", "text": body.get("text", "")}
    if body.get("thread_ts"):
        message["thread_ts"] = str(body["thread_ts"])
    metadata = body.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if metadata:
        message["metadata"] = metadata
    return standin._keep(str(body.get("channel")), message)


def _read_answer(standin: StandIn, method: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """conversations.replies (a thread, oldest first) and .history (a channel's top level, newest first) from the
    messages kept; metadata only where include_all_metadata asks for it, as Slack gives it."""
    if method not in ("conversations.replies", "conversations.history"):
        return None
    with_metadata = str(body.get("include_all_metadata", "")).lower() in ("true", "1")
    with standin.condition:
        kept = list(standin.messages.get(str(body.get("channel")), []))
    if method == "conversations.replies":
        ts = str(body.get("ts"))
        found = [m for m in kept if m["ts"] == ts or m.get("thread_ts") == ts]
    else:
        found = [m for m in reversed(kept) if "thread_ts" not in m or m["thread_ts"] == m["ts"]]
    limit = int(body.get("limit") or 100)
    shown = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found[:limit]]
    return {"ok": True, "messages": shown, "has_more": len(found) > limit}


def _handler(standin: StandIn) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/upload/"):
                # A file's bytes, sent to the address files.getUploadURLExternal gave: Slack answers a plain 200.
                self._answer_upload(data)
                return
            raw = data.decode()
            if "json" in self.headers.get("Content-Type", ""):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
            method = self.path.rsplit("/", 1)[-1]
            status, answer, extra = standin.answers.get(method, (200, {"ok": True}, {}))
            if method == "auth.test" and method not in standin.answers:
                answer = {
                    "ok": True,
                    "user_id": "UBOT",
                    "bot_id": "BBOT",
                    "team_id": "T1",
                    "team": "Test",
                    "url": standin.url,
                }
            if method == "chat.postMessage" and status == 200 and answer.get("ok"):
                answer = {"ok": True, "channel": body.get("channel"), "ts": _posted(standin, body)}
            if method not in standin.answers:
                answer = _upload_answer(standin, method, body) or _read_answer(standin, method, body) or answer
            payload = json.dumps(answer).encode()
            # Recorded before answering: a client that has its answer can count on the call being seen.
            with standin.condition:
                standin.calls.append(Call(self.path, body, dict(self.headers)))
                standin.condition.notify_all()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            name = self.path.removeprefix("/files/")
            with standin.condition:
                standin.calls.append(Call(self.path, {}, dict(self.headers)))
                standin.condition.notify_all()
            data = standin.files.get(name)
            authorised = self.headers.get("Authorization", "").startswith("Bearer xoxb-")
            status = 200 if data is not None and authorised else 404
            body = data if status == 200 else b"not found"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer_upload(self, data: bytes) -> None:
            with standin.condition:
                standin.calls.append(Call(self.path, {"bytes": data}, dict(self.headers)))
                standin.condition.notify_all()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def slack_standin() -> Iterator[StandIn]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    standin = StandIn(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(standin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
