"""Credentials in list addresses (user info, query-string tokens) masked before any message, log or store sees them."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlsplit, urlunsplit

__all__ = ["MASK", "mask_text", "mask_url"]

MASK = "***"
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def mask_url(url: str) -> str:
    """The address with its user info and every query-string value replaced by ***; the rest as it was.

    Every query value is masked, not only those named like tokens: publishers and mirrors name them freely
    (`sig`, `code`, `X-Amz-Credential`), and a masked harmless value costs nothing.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = "&".join(f"{key}={MASK}" for key, _ in pairs) if pairs else MASK
    fragment = MASK if parts.fragment else ""
    return urlunsplit(SplitResult(parts.scheme, netloc, parts.path, query, fragment))


def mask_text(text: str) -> str:
    """A message with every address in it masked."""

    def masked(match: re.Match[str]) -> str:
        url = match.group(0)
        # A sentence's punctuation after an address is not part of it.
        bare = url.rstrip(".,:;)!?")
        return mask_url(bare) + url[len(bare) :]

    return _URL.sub(masked, text)
