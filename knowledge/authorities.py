"""Sanctioning authorities and their regimes: stable keys, readable names, and the words users type for them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AUTHORITIES", "REGIMES", "Authority", "Regime", "find_authority", "find_regime"]


@dataclass(frozen=True, slots=True)
class Authority:
    key: str
    label: str
    country: str
    entity: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Regime:
    key: str
    authority: str
    label: str
    summary: str
    words: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()


AUTHORITIES: dict[str, Authority] = {
    a.key: a
    for a in (
        Authority(
            "GB-FCDO",
            "UK (FCDO)",
            "GB",
            "gb-fcdo",
            ("uk", "gb", "fcdo", "ofsi", "hmt", "britain", "united kingdom"),
        ),
        Authority("US-OFAC", "US (OFAC)", "US", "us-ofac", ("us", "usa", "ofac", "treasury", "united states")),
        Authority("UN-SC", "UN Security Council", "UN", "un-sc", ("un", "unsc", "united nations")),
        Authority("EU", "European Union", "EU", "eu", ("eu", "european union")),
        # Sanctions that aggregated data (OpenSanctions) attributes to an authority we do not model separately.
        Authority("OTHER", "Other authority", "", "", ("other",)),
    )
}

REGIMES: dict[str, Regime] = {
    r.key: r
    for r in (
        Regime(
            "GB-CYB",
            "GB-FCDO",
            "UK cyber",
            "UK cyber sanctions, The Cyber (Sanctions) (EU Exit) Regulations 2020",
            ("cyber",),
        ),
        Regime(
            "US-CYB",
            "US-OFAC",
            "US cyber",
            "US cyber-related sanctions, EO 13694 as amended",
            ("cyber",),
            ("CYBER", "CYBER2", "CYBER3", "CYBER4"),
        ),
    )
}


def _plain(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("(", " ").replace(")", " ").split())


def find_authority(text: str) -> Authority | None:
    """The authority a user means by `text` ("UK", "ofac", "US-OFAC"), or None."""
    wanted = _plain(text)
    for authority in AUTHORITIES.values():
        if wanted in (_plain(authority.key), _plain(authority.label), *authority.words):
            return authority
    return None


def find_regime(text: str, authority: str | None = None) -> list[Regime]:
    """The regimes a user means by `text` (a key such as "US-CYB", or a word such as "cyber")."""
    wanted = _plain(text)
    found = []
    for regime in REGIMES.values():
        if authority is not None and regime.authority != authority:
            continue
        programmes = tuple(p.casefold() for p in regime.programmes)
        if wanted in (_plain(regime.key), _plain(regime.label), *regime.words, *programmes):
            found.append(regime)
    return found
