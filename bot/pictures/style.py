"""What the pictures share: colours by entity kind, the authorities' short names and sanction tags."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import EntityKind, Sanction

__all__ = ["AUTHORITY_LEGEND", "KIND_COLOURS", "SHORT_AUTHORITY", "Tag", "sanction_tags", "tint"]

# Okabe and Ito's palette: told apart by readers with any common colour-vision deficiency. The kind is also
# written in each box, so colour is never the only cue.
KIND_COLOURS: dict[EntityKind, tuple[int, int, int]] = {
    EntityKind.COMPANY: (0, 114, 178),
    EntityKind.PERSON: (213, 94, 0),
    EntityKind.THREAT_ACTOR: (204, 121, 167),
    EntityKind.ORGANISATION: (0, 158, 115),
    EntityKind.GOVERNMENT_BODY: (86, 180, 233),
    EntityKind.OPERATION: (230, 159, 0),
    EntityKind.BOTNET: (120, 120, 120),
    EntityKind.VESSEL: (70, 70, 70),
    EntityKind.AIRCRAFT: (70, 70, 70),
}
SHORT_AUTHORITY = {"GB-FCDO": "UK", "US-OFAC": "US", "UN-SC": "UN", "EU": "EU", "OTHER": "other"}
AUTHORITY_LEGEND = "UK (FCDO), US (OFAC), UN (Security Council), EU"
SANCTIONED = (176, 0, 32)
DELISTED = (222, 226, 230)
WHITE = (255, 255, 255)
DARK = (33, 37, 41)
# Box fills: the kind's colour at this share over white, light enough for dark text at full contrast.
TINT_SHARE = 0.12


def tint(colour: tuple[int, int, int], share: float = TINT_SHARE) -> tuple[int, int, int]:
    return tuple(round(255 - (255 - c) * share) for c in colour)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Tag:
    text: str
    fill: tuple[int, int, int]
    ink: tuple[int, int, int]


def sanction_tags(sanctions: list[Sanction]) -> list[Tag]:
    """One tag per authority: solid red while any of its designations stands, grey once all are delisted."""
    active = sorted({SHORT_AUTHORITY.get(s.authority, s.authority) for s in sanctions if s.is_active})
    ended = sorted({SHORT_AUTHORITY.get(s.authority, s.authority) for s in sanctions if not s.is_active} - set(active))
    return [Tag(a, SANCTIONED, WHITE) for a in active] + [Tag(f"{a} delisted", DELISTED, DARK) for a in ended]
