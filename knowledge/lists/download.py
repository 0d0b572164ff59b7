"""Fetches a list from its publisher: streamed, conditional, gzip-aware, with a size cap, a deadline and retries."""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import DataError
from knowledge.lists.masking import mask_url

__all__ = [
    "DEADLINE_VARIABLE",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "Fetched",
    "deadline_setting",
    "download",
    "fetch",
    "on_this_machine",
]

log = logging.getLogger(__name__)

# The full UK Sanctions List CSV is about 50 MB and OFAC's SDN_ADVANCED.XML over 120 MB; 300 MB leaves room.
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
# The time-out is per read: a publisher that sends a byte now and then never trips it. The whole download, retries
# included, ends by this deadline; 120 MB of OFAC XML takes well under a minute on an ordinary link.
DEFAULT_DEADLINE = 300.0
DEADLINE_VARIABLE = "BRIEFBOT_DOWNLOAD_DEADLINE"
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF_SECONDS = 5.0
CHUNK = 256 * 1024
# Publishers' firewalls refuse empty or library-default user agents (Python-urllib); a named client with a
# contact page is what their terms ask for.
USER_AGENT = "briefbot/1.0 (sanctions briefing bot; +https://github.com/briefbot)"
# Failures worth another try: the publisher's side, or a rate limit.
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one request gave: a file, or "not modified" (the copy we hold is current), with the validators."""

    url: str
    path: Path | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.path is None


class _Transient(DataError):
    """A failure that may pass if tried again."""


def deadline_setting() -> float:
    """The whole-download deadline in seconds: BRIEFBOT_DOWNLOAD_DEADLINE, else DEFAULT_DEADLINE."""
    from knowledge.settings import settings  # the settings read the catalogue, which imports this module

    return settings().download_deadline


class _Deadline:
    """Shuts the publisher's sockets when the download's time is up, wherever the download is waiting (the
    connection, the headers or the body): a read that a trickle of bytes keeps alive then ends at once."""

    def __init__(self, ends: float) -> None:
        self.ends = ends
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, ends - time.monotonic()), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return self.ends - time.monotonic()

    def watched(self, http_class: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        deadline = self

        class Watched(http_class):  # type: ignore[valid-type, misc]
            def connect(self) -> None:
                super().connect()
                deadline._watch(self.sock)

        return Watched

    def _watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            passed = self.passed
        if passed:
            self._shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.watched(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.watched(http.client.HTTPSConnection), req)


def _read_timeout(timeout: float, watch: _Deadline) -> float:
    """The socket timeout for the next attempt: the deadline's time left, never zero or less (a zero makes the
    socket non-blocking; a negative one is refused), once the deadline has passed an error of its own."""
    left = watch.left()
    if left <= 0:
        raise DataError("the download's deadline passed before the next attempt; stopped.")
    return max(min(timeout, left), 0.5)


class _HttpRedirectsOnly(urllib.request.HTTPRedirectHandler):
    # urllib follows a redirect to ftp:// too; a list comes over http(s) or not at all.
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme
        if urllib.parse.urlsplit(req.full_url).scheme == "https" and scheme == "http":
            # A list fetched over https is not then taken over plain http, where anyone between could forge it.
            raise DataError(f"{mask_url(req.full_url)} redirects from https to plain http; refused.")
        if scheme not in ("http", "https"):
            raise DataError(
                f"{mask_url(req.full_url)}: the server redirects to {mask_url(newurl)}, not an http or https "
                "address; not followed."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def fetch(
    url: str,
    target: Path,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    progress: Progress | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff: float = DEFAULT_BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Save `url` to `target`, or learn that the copy described by `etag`/`last_modified` is still current.

    A server error, a time-out or a cut body is tried again after a growing wait, all within `deadline` seconds;
    a failure leaves no file."""
    if not url.startswith(("https://", "http://")):
        raise DataError(f"{mask_url(url)}: only http and https addresses can be downloaded.")
    ends = time.monotonic() + deadline
    for attempt in range(1, attempts + 1):
        try:
            with _Deadline(ends) as watch:
                try:
                    fetched = _fetch_once(
                        url, target, etag, last_modified, max_bytes, _read_timeout(timeout, watch), progress, watch
                    )
                except DataError:
                    if not watch.passed:
                        raise
                if watch.passed:
                    # A body cut by the deadline may look whole (no length announced): it is never kept.
                    raise DataError(f"{mask_url(url)}: the download did not finish within {deadline:g} s; stopped.")
                return fetched
        except _Transient as error:
            target.unlink(missing_ok=True)
            if attempt == attempts:
                raise DataError(f"{str(error).rstrip('.')} (gave up after {attempts} attempts).") from error
            wait = backoff * 2 ** (attempt - 1)
            if time.monotonic() + wait >= ends:
                # Said as the deadline says it: which of a read time-out and the deadline came first is chance.
                raise DataError(
                    f"{str(error).rstrip('.')}; the download did not finish within {deadline:g} s; stopped."
                ) from error
            log.warning("%s Trying again in %.0f s.", error, wait)
            sleep(wait)
        except DataError:
            target.unlink(missing_ok=True)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def download(
    url: str,
    target: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    progress: Progress | None = None,
) -> Path:
    """Save `url` to `target` unconditionally; a failure or an oversized body leaves no file behind."""
    fetched = fetch(url, target, max_bytes=max_bytes, timeout=timeout, deadline=deadline, progress=progress)
    if fetched.path is None:  # fetch refuses a 304 to a request without validators; never assumed away
        raise DataError(f"{mask_url(url)}: the server sent no file.")
    return fetched.path


def _fetch_once(
    url: str,
    target: Path,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    timeout: float,
    progress: Progress | None,
    deadline: _Deadline,
) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        request = _request(url, headers)
    except ValueError as error:
        raise DataError(f"{mask_url(url)}: not an address that can be downloaded ({error}).") from error
    try:
        opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline), _HttpRedirectsOnly)
        with opener.open(request, timeout=timeout) as response:
            found_etag = response.headers.get("ETag")
            found_modified = response.headers.get("Last-Modified")
            _refuse_html(url, response.headers.get("Content-Type", ""))
            _stream(url, response, target, max_bytes, progress)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            if not (etag or last_modified):
                # "Not modified" is an answer to the copy a request named; to a request for the whole file it
                # says nothing, and taking it would mark a list fresh that was never fetched.
                raise DataError(
                    f"{mask_url(url)}: the server answered 304 Not Modified to a request for the whole file; "
                    "nothing was loaded."
                ) from None
            return Fetched(
                url, None, error.headers.get("ETag") or etag, error.headers.get("Last-Modified") or last_modified
            )
        failure = _Transient if error.code in _RETRY_STATUS else DataError
        raise failure(f"{mask_url(url)}: the server answered {error.code} {error.reason}.") from error
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", None) or error.__class__.__name__
        if isinstance(error, TimeoutError) or isinstance(reason, TimeoutError):
            reason = f"no answer within {timeout:g} s: timed out"
        raise _Transient(f"{mask_url(url)}: the download failed ({reason}).") from error
    return Fetched(url, target, found_etag, found_modified)


def _request(url: str, headers: dict[str, str]) -> urllib.request.Request:
    """The request for `url`. User info in the address (https://user:token@host/...) is sent as Basic
    authentication, as curl does, rather than read as part of the host name; never passed on to a redirect."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return urllib.request.Request(url, headers=headers)
    if parts.scheme != "https" and not on_this_machine(parts.hostname):
        raise DataError(f"{mask_url(url)}: credentials are sent only over https (or to this machine), never in clear.")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    request = urllib.request.Request(bare, headers=headers)
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    request.add_unredirected_header("Authorization", f"Basic {token}")
    return request


def on_this_machine(host: str | None) -> bool:
    """Whether a host name is this machine (loopback): what is sent there never crosses a network."""
    try:
        return host == "localhost" or ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _refuse_html(url: str, content_type: str) -> None:
    # No list briefbot reads is HTML: a 200 with a web page is a publisher's error or maintenance page.
    if content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        raise DataError(
            f"{mask_url(url)}: the server sent a web page ({content_type}), not the list; nothing was loaded."
        )


def _stream(
    url: str, response: http.client.HTTPResponse, target: Path, max_bytes: int, progress: Progress | None
) -> None:
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    gzipped = response.headers.get("Content-Encoding", "").strip().lower() in ("gzip", "x-gzip")
    if total is not None and total > max_bytes and not gzipped:
        raise DataError(f"{mask_url(url)}: the server announces {total:,} bytes, over the {max_bytes:,}-byte cap.")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    received = written = 0
    first = b""
    with target.open("wb") as out:
        # read1: whatever has arrived, so a trickled body is seen byte by byte rather than awaited in whole chunks.
        while chunk := response.read1(CHUNK):
            received += len(chunk)
            if received > max_bytes:
                # Counted as received too: data after a gzip stream's end inflates to nothing, for ever.
                raise DataError(f"{mask_url(url)}: the download passed the {max_bytes:,}-byte cap; stopped.")
            try:
                data = inflate.decompress(chunk) if inflate else chunk
            except zlib.error as error:
                raise DataError(f"{mask_url(url)}: the server said gzip but sent something else ({error}).") from error
            written += len(data)
            if written > max_bytes:
                raise DataError(f"{mask_url(url)}: the download passed the {max_bytes:,}-byte cap; stopped.")
            if len(first) < 512:
                first += data[: 512 - len(first)]
            out.write(data)
            if progress:
                progress(received, total)
    if total is not None and received != total:
        raise _Transient(f"{mask_url(url)}: the download ended after {received:,} of {total:,} bytes.")
    if inflate is not None and not inflate.eof:
        raise _Transient(f"{mask_url(url)}: the compressed download ended before its end; it was cut.")
    head = first.lstrip(b"\xef\xbb\xbf \r\n\t")[:15].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise DataError(f"{mask_url(url)}: the server sent a web page, not the list; nothing was loaded.")
