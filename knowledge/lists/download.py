"""Fetches a list from its publisher: streamed to a file, with a size cap, a timeout and a progress callback."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from knowledge.errors import DataError

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "download"]

# The full UK Sanctions List CSV is about 50 MB and OFAC's SDN_ADVANCED.XML over 120 MB; 300 MB leaves room.
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
CHUNK = 256 * 1024
Progress = Callable[[int, int | None], None]


def download(
    url: str,
    target: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Path:
    """Save `url` to `target`; a failure or an oversized body leaves no file behind."""
    if not url.startswith(("https://", "http://")):
        raise DataError(f"{url}: only http and https addresses can be downloaded.")
    request = urllib.request.Request(url, headers={"User-Agent": "briefbot (sanctions briefing bot)"})
    received = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise DataError(f"{url}: the server announces {total:,} bytes, over the {max_bytes:,}-byte cap.")
            while chunk := response.read(CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise DataError(f"{url}: the download passed the {max_bytes:,}-byte cap; stopped.")
                out.write(chunk)
                if progress:
                    progress(received, total)
            if total is not None and received != total:
                raise DataError(f"{url}: the download ended after {received:,} of {total:,} bytes.")
    except urllib.error.HTTPError as error:
        target.unlink(missing_ok=True)
        raise DataError(f"{url}: the server answered {error.code} {error.reason}.") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        target.unlink(missing_ok=True)
        reason = getattr(error, "reason", error)
        raise DataError(f"{url}: the download failed ({reason}).") from error
    except DataError:
        target.unlink(missing_ok=True)
        raise
    return target
