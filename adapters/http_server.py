"""A bounded HTTP/1.1 server for the WSGI apps: thousands of idle sockets cost nothing and wait for nothing."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any

__all__ = [
    "CONNECTION_LIMIT",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "REQUEST_TIMEOUT_S",
    "BoundedServer",
    "WSGIApp",
    "connection_limit",
]

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# Why not waitress: its loop asks every open connection whether it is readable on each turn (a cost that grows
# with idle sockets) and, at its connection limit, stops accepting until a sweep 20 s later; a client sending a
# byte now and then is never swept. About 2,100 such sockets stopped the web process and every health port.
# Here the event loop is epoll's (an idle socket costs a little memory and no work), each connection has one
# deadline for a whole request whatever it sends meanwhile, and a full server makes room instead of waiting.

# From a connection's opening, or its last answer, to the whole of its next request.
REQUEST_TIMEOUT_S = 15.0
# Open connections at most; fewer where the process may open fewer files. When full, each new connection closes
# the one that has waited longest for a request: idle sockets never keep anyone out.
CONNECTION_LIMIT = 10_000
# Descriptors kept for all else a process opens: the store, the Slack and Discord APIs, files, the event loop.
RESERVED_FILES = 256
# Requests are held in memory until whole, so their size is capped: Slack's payloads are a few kilobytes.
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
# All connections' unanswered bytes together: past it, the connection holding most is closed (thousands of
# clients each sending most of a megabyte would otherwise hold gigabytes).
MAX_BUFFERED_BYTES = 64 * 1024 * 1024
# Threads answering requests; the loop itself only reads, parses and writes.
THREADS = 8
BACKLOG = 1024
# How often connections past their deadline are looked for.
SWEEP_S = 1.0
_TOKEN = re.compile(rb"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


def connection_limit() -> int:
    """CONNECTION_LIMIT, or fewer where the process may not open that many files (after raising its own soft limit
    as far as the hard one allows: 1,024 is a common default)."""
    try:
        import resource
    except ImportError:  # Windows: no descriptor limit of this kind
        return CONNECTION_LIMIT
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CONNECTION_LIMIT + RESERVED_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return CONNECTION_LIMIT
    return max(16, min(CONNECTION_LIMIT, soft - RESERVED_FILES))


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True, slots=True)
class _Head:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    length: int
    keep_alive: bool
    expects_continue: bool


def _parse_head(raw: bytes) -> _Head:
    """The request line and headers, strictly: anything a proxy and this server could read differently is refused."""
    lines = raw.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.match(parts[0]) or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        raise _Refused(HTTPStatus.BAD_REQUEST, "malformed request line")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.match(name):
            raise _Refused(HTTPStatus.BAD_REQUEST, "malformed header line")
        headers.append((name.decode("ascii").lower(), value.strip(b" \t").decode("latin-1")))
    names = {name for name, _ in headers}
    if "transfer-encoding" in names:
        raise _Refused(HTTPStatus.NOT_IMPLEMENTED, "a transfer coding (only Content-Length bodies are read)")
    lengths = {value for name, value in headers if name == "content-length"}
    if len(lengths) > 1 or not all(value.isdigit() and value.isascii() for value in lengths):
        raise _Refused(HTTPStatus.BAD_REQUEST, "malformed Content-Length")
    length = int(lengths.pop()) if lengths else 0
    if length > MAX_BODY_BYTES:
        raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a body of {length:,} bytes")
    tokens = {t.strip().lower() for name, value in headers if name == "connection" for t in value.split(",")}
    version = parts[2].decode("ascii")
    keep_alive = "close" not in tokens if version == "HTTP/1.1" else "keep-alive" in tokens
    expects = any(name == "expect" and value.lower() == "100-continue" for name, value in headers)
    return _Head(parts[0].decode("ascii"), parts[1].decode("latin-1"), version, headers, length, keep_alive, expects)


def _environ(head: _Head, body: bytes, peer: Any, port: int) -> dict[str, Any]:
    target = head.target
    if target.startswith(("http://", "https://")):
        split = urllib.parse.urlsplit(target)
        target = (split.path or "/") + (f"?{split.query}" if split.query else "")
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": head.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "briefbot",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": head.version,
        "REMOTE_ADDR": peer[0] if isinstance(peer, tuple) else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in head.headers:
        if "_" in name or name == "content-length":
            continue  # X_Forwarded and X-Forwarded would be one variable: the underscore form is never passed on
        key = "CONTENT_TYPE" if name == "content-type" else "HTTP_" + name.upper().replace("-", "_")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call(app: WSGIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """The app's whole answer, in a worker thread: status, headers and body."""
    answer: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        answer["status"], answer["headers"] = status, list(headers)
        return chunks.append

    try:
        result = app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return answer["status"], answer["headers"], b"".join(chunks)
    except Exception:
        log.exception("error answering %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return "500 Internal Server Error", [("Content-Type", "application/json")], b'{"error": "internal error"}'


def _response(status: str, headers: list[tuple[str, str]], body: bytes, *, keep_alive: bool, head_only: bool) -> bytes:
    if any("\r" in text or "\n" in text for pair in [("", status), *headers] for text in pair):
        raise ValueError("a header with a line break")
    code = int(status.split(" ", 1)[0])
    bodiless = head_only or code < 200 or code in (204, 304)
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name}: {value}" for name, value in headers if name.lower() not in _HOP_BY_HOP]
    if code >= 200 and code != 204:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if bodiless else body)


class _Connection(asyncio.Protocol):
    """One client connection: reads one whole request at a time, within its deadline, and writes its answer."""

    __slots__ = ("buffer", "busy", "counted", "deadline", "head", "peer", "server", "transport")

    def __init__(self, server: BoundedServer) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.peer: Any = None
        self.buffer = bytearray()
        self.head: _Head | None = None
        self.busy = False
        self.deadline = 0.0
        # Bytes received and not yet answered (the request being answered included), in the server's total.
        self.counted = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.peer = transport.get_extra_info("peername")
        self.server.opened(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.closed(self)
        self.server.buffered -= self.counted
        self.counted = 0

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.counted += len(data)
        self.server.buffered += len(data)
        if self.server.buffered > MAX_BUFFERED_BYTES and self.server.make_room() is self:
            return
        if self.busy:
            # Pipelined bytes while an answer is made: reading is paused, so only what was already in flight.
            if len(self.buffer) > MAX_HEADER_BYTES + MAX_BODY_BYTES:
                self.abort()
            return
        try:
            self._advance()
        except _Refused as refused:
            self.refuse(refused.status, str(refused))

    def _advance(self) -> None:
        if self.head is None:
            while self.buffer.startswith(b"\r\n"):
                del self.buffer[:2]  # empty lines before a request are ignored (RFC 9112, 2.2)
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0 or end > MAX_HEADER_BYTES:
                if len(self.buffer) > MAX_HEADER_BYTES:
                    raise _Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers over 64 KiB")
                return
            self.head = _parse_head(bytes(self.buffer[:end]))
            del self.buffer[: end + 4]
            if self.head.expects_continue and self.head.length > len(self.buffer):
                assert self.transport is not None
                self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        if len(self.buffer) < self.head.length:
            return
        head, body = self.head, bytes(self.buffer[: self.head.length])
        del self.buffer[: head.length]
        self.head = None
        self.busy = True
        assert self.transport is not None
        self.transport.pause_reading()
        self.server.dispatch(self, head, body)

    def answer(self, head: _Head, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Called on the loop with the app's answer: written, then the next request awaited (or the end)."""
        if self.transport is None or self.transport.is_closing():
            return
        keep_alive = head.keep_alive and not self.server.stopping
        try:
            data = _response(status, headers, body, keep_alive=keep_alive, head_only=head.method == "HEAD")
        except ValueError:
            log.error("the answer to %s %s had a header with a line break", head.method, head.target[:100])
            data = _response("500 Internal Server Error", [], b"", keep_alive=False, head_only=False)
            keep_alive = False
        self.transport.write(data)
        self.busy = False
        # The answered request's bytes leave the total; what was pipelined after it stays counted.
        self.server.buffered -= self.counted - len(self.buffer)
        self.counted = len(self.buffer)
        # A new deadline from the answer: for the next request, or for a closing one to take what was written.
        self.server.ready(self)
        if not keep_alive:
            self.transport.close()
            return
        self.transport.resume_reading()
        if self.buffer:
            self.data_received(b"")

    def refuse(self, status: HTTPStatus, reason: str) -> None:
        log.info("refused a request from %s: %s (%d)", self.peer[0] if self.peer else "?", reason, status.value)
        body = f'{{"error": "{status.phrase.lower()}"}}'.encode()
        assert self.transport is not None
        self.transport.write(
            _response(
                f"{status.value} {status.phrase}",
                [("Content-Type", "application/json")],
                body,
                keep_alive=False,
                head_only=False,
            )
        )
        self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


def _answered(connection: _Connection, head: _Head, done: asyncio.Future[Any]) -> None:
    if not done.cancelled():  # cancelled: the server is stopping
        connection.answer(head, *done.result())


class BoundedServer:
    """A WSGI app served on a bound socket, from `run()` until `close()`: a limit on open connections (the longest
    waiting closed to make room), one deadline for each request, capped sizes, and a pool of threads for the app."""

    def __init__(self, app: WSGIApp, *, port: int, host: str = "0.0.0.0") -> None:
        self.app = app
        # Bound now, so a port in use is told at once; requests wait in the backlog until `run()`.
        self.socket = socket.create_server((host, port), backlog=BACKLOG, reuse_port=False)
        self.effective_port: int = self.socket.getsockname()[1]
        self.limit = connection_limit()
        # Connections in the order they last became ready for a request: the first idle one has waited longest.
        self.connections: OrderedDict[_Connection, None] = OrderedDict()
        self.stopping = False
        self.buffered = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="http")
        self._started = threading.Event()

    # --- called on the loop by the connections ---

    def opened(self, connection: _Connection) -> None:
        while len(self.connections) >= self.limit and self._evict_one():
            pass
        if len(self.connections) >= self.limit:
            connection.abort()  # every connection is being answered: the newcomer is the one turned away
            return
        self.ready(connection)

    def ready(self, connection: _Connection) -> None:
        connection.deadline = time.monotonic() + REQUEST_TIMEOUT_S
        self.connections[connection] = None
        self.connections.move_to_end(connection)

    def closed(self, connection: _Connection) -> None:
        self.connections.pop(connection, None)

    def _evict_one(self) -> bool:
        for connection in self.connections:
            if not connection.busy:
                self.connections.pop(connection)
                connection.abort()
                return True
        return False

    def make_room(self) -> _Connection | None:
        """Closes the connection holding most unanswered bytes while reading (not being answered); returns it."""
        waiting = [c for c in self.connections if not c.busy]
        if not waiting:
            return None
        largest = max(waiting, key=lambda c: c.counted)
        log.info("closed a connection holding %d unanswered bytes: all held together passed the cap", largest.counted)
        self.connections.pop(largest, None)
        self.buffered -= largest.counted
        largest.counted = 0
        largest.abort()
        return largest

    def dispatch(self, connection: _Connection, head: _Head, body: bytes) -> None:
        assert self._loop is not None
        environ = _environ(head, body, connection.peer, self.effective_port)
        future = self._loop.run_in_executor(self._pool, _call, self.app, environ)
        future.add_done_callback(partial(_answered, connection, head))

    async def _sweep(self) -> None:
        """Closes connections past their deadline, oldest first; stops at the first one still within it."""
        while True:
            await asyncio.sleep(SWEEP_S)
            now = time.monotonic()
            expired = []
            for connection in self.connections:
                if connection.busy:
                    continue
                if connection.deadline > now:
                    break
                expired.append(connection)
            for connection in expired:
                self.connections.pop(connection, None)
                connection.abort()

    # --- the server's life ---

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        server = await self._loop.create_server(lambda: _Connection(self), sock=self.socket, backlog=BACKLOG)
        sweeper = asyncio.ensure_future(self._sweep())
        self._started.set()
        try:
            await self._stopped.wait()
        finally:
            self.stopping = True
            sweeper.cancel()
            server.close()
            for connection in list(self.connections):
                connection.abort()
            self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self) -> None:
        """Serves until `close()` is called (from any thread)."""
        asyncio.run(self._serve())

    def close(self) -> None:
        if self._loop is not None and self._stopped is not None and self._started.is_set():
            self._loop.call_soon_threadsafe(self._stopped.set)
        else:
            self.socket.close()
