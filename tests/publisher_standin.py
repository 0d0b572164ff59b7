"""A stand-in list publisher on loopback: real files with ETag, Last-Modified and gzip, and publishers' failures."""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

# How a path fails, as publishers do: a missing file, a server error, no answer, a body cut short (with its full
# length announced, or with no length at all: then only the file itself can tell), a web page served with 200.
# And hostile ones: a body dripped a byte at a time (each read is quick, the download never ends), "not modified"
# to a request that named no copy, a redirect to another scheme, a gzip body followed by endless bytes that
# inflate to nothing.
FAILURES = (
    "404",
    "500",
    "timeout",
    "cut-with-length",
    "cut-without-length",
    "html-200",
    "drip",
    "304-always",
    "redirect",
    "gzip-tail",
)
HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>"
    b"<body><h1>The service is temporarily unavailable</h1><p>Please try again later.</p></body></html>\n"
)


@dataclass
class _Route:
    content: bytes = b""
    last_modified: float = 0.0
    failure: str | None = None
    # How many requests fail before the file is served again; None: until the route is changed.
    failures_left: int | None = None
    # For cut bodies: the share of the file sent before the connection is closed, or an exact byte count.
    cut_at: int | None = None
    # For "redirect": where to.
    location: str = ""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.content).hexdigest()[:32] + '"'


@dataclass
class Seen:
    path: str
    status: int
    headers: dict[str, str]
    sent_bytes: int


@dataclass
class Publisher:
    url: str
    routes: dict[str, _Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # How long a "timeout" keeps the client waiting; the client's own time-out must be shorter.
    hang_seconds: float = 3.0
    # How often a "drip" sends its next byte.
    drip_seconds: float = 2.0

    def serve(self, path: str, content: bytes, *, modified: float | None = None) -> None:
        """Publish `content` at `path` (a new copy gets a new ETag and Last-Modified)."""
        with self.lock:
            self.routes[path] = _Route(content=content, last_modified=modified or time.time())

    def fail(
        self, path: str, how: str, *, times: int | None = None, cut_at: int | None = None, location: str = ""
    ) -> None:
        """Make `path` fail as `how` (one of FAILURES), for `times` requests or until served again."""
        assert how in FAILURES, how
        with self.lock:
            route = self.routes.setdefault(path, _Route())
            route.failure, route.failures_left, route.cut_at, route.location = how, times, cut_at, location

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


class _Handler(http.server.BaseHTTPRequestHandler):
    publisher: Publisher
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        publisher = self.publisher
        with publisher.lock:
            route = publisher.routes.get(self.path)
            failure = route.failure if route else "404"
            if route and route.failure and route.failures_left is not None:
                route.failures_left -= 1
                if route.failures_left <= 0:
                    route.failure = None
        headers = dict(self.headers.items())
        if failure == "404" or route is None:
            self._answer(404, b"Not Found", "text/plain", headers)
        elif failure == "500":
            self._answer(500, b"Internal Server Error", "text/plain", headers)
        elif failure == "html-200":
            self._answer(200, HTML_ERROR_PAGE, "text/html; charset=utf-8", headers)
        elif failure == "timeout":
            time.sleep(publisher.hang_seconds)
            self.close_connection = True
            publisher.seen.append(Seen(self.path, 0, headers, 0))
        elif failure == "drip":
            self._drip(headers)
        elif failure == "304-always":
            self._answer(304, b"", "text/plain", headers)
        elif failure == "gzip-tail":
            self._gzip_tail(route, headers)
        elif failure == "redirect":
            publisher.seen.append(Seen(self.path, 302, headers, 0))
            self.send_response(302)
            self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif failure in ("cut-with-length", "cut-without-length"):
            self._cut(route, failure == "cut-with-length", headers)
        else:
            self._file(route, headers)

    def _file(self, route: _Route, headers: dict[str, str]) -> None:
        modified = email.utils.formatdate(route.last_modified, usegmt=True)
        since = self.headers.get("If-Modified-Since")
        match = self.headers.get("If-None-Match")
        unchanged = (
            match == route.etag
            if match
            else bool(since and email.utils.parsedate_to_datetime(since).timestamp() >= int(route.last_modified))
        )
        if unchanged:
            # Recorded before it is sent: the client may act on the answer (and a test read `seen`) before this
            # thread would run again.
            self.publisher.seen.append(Seen(self.path, 304, headers, 0))
            self.send_response(304)
            self.send_header("ETag", route.etag)
            self.send_header("Last-Modified", modified)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = route.content
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body, compresslevel=1)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", route.etag)
        self.send_header("Last-Modified", modified)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.publisher.seen.append(Seen(self.path, 200, headers, len(body)))

    def _cut(self, route: _Route, announce_length: bool, headers: dict[str, str]) -> None:
        body = route.content
        sent = body[: route.cut_at if route.cut_at is not None else len(body) // 2]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if announce_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(sent)
        self.close_connection = True
        self.publisher.seen.append(Seen(self.path, 200, headers, len(sent)))

    def _drip(self, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(10**6))
        self.end_headers()
        self.publisher.seen.append(Seen(self.path, 200, headers, 0))
        try:
            for _ in range(10**6):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(self.publisher.drip_seconds)
        except OSError:
            pass  # the client hung up: what a deadline should make it do
        self.close_connection = True

    def _gzip_tail(self, route: _Route, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Connection", "close")
        self.end_headers()
        self.publisher.seen.append(Seen(self.path, 200, headers, 0))
        try:
            self.wfile.write(gzip.compress(route.content))
            for _ in range(1000):
                self.wfile.write(bytes(64 * 1024))
        except OSError:
            pass  # the client stopped reading: its cap
        self.close_connection = True

    def _answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.publisher.seen.append(Seen(self.path, status, headers, len(body)))  # before the client can act on it
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def publisher_standin() -> Iterator[Publisher]:
    """A publisher on 127.0.0.1 (an ephemeral port) for the length of the block."""
    handler = type("Handler", (_Handler,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    publisher = Publisher(url=f"http://127.0.0.1:{server.server_address[1]}")
    handler.publisher = publisher
    thread = threading.Thread(target=server.serve_forever, name="publisher-standin", daemon=True)
    thread.start()
    try:
        yield publisher
    finally:
        server.shutdown()
        server.server_close()
