"""The relationship picture: the entity in the middle, its related entities in two columns, each link labelled."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from bot.pictures.canvas import MUTED, Canvas, Picture, Weight, drawable, fit_line, fit_lines, text_width
from bot.pictures.style import AUTHORITY_LEGEND, KIND_COLOURS, Tag, sanction_tags, tint
from knowledge.base import KnowledgeBase, Link
from knowledge.models import Entity, NameType, Predicate
from knowledge.names.lookup import LookupStatus
from knowledge.references import reference

__all__ = ["MAX_NEIGHBOURS", "relationship_picture"]

MAX_NEIGHBOURS = 25
WIDTH = 1600
MARGIN = 28
BOX_WIDTH = 420
LABEL_ZONE = 210
TRUNK_GAP = 14
ROW_HEIGHT = 124
BOX_HEIGHT = 108
HEADER = 128
FOOTER_LINE = 34
NAME_SIZE = 23
META_SIZE = 19
EDGE_SIZE = 19
TAG_SIZE = 17
LINE_COLOUR = (134, 142, 150)
EDGE_FILL = (248, 249, 250)
# Links a knowledge base derives (same action, same document) rank below links a source states outright.
_DERIVED = frozenset({Predicate.CO_DESIGNATED, Predicate.CO_LISTED, Predicate.NAMED_WITH})


@dataclass(frozen=True, slots=True)
class _Neighbour:
    entity: Entity
    links: tuple[Link, ...]
    tags: tuple[Tag, ...]

    @property
    def rank(self) -> tuple[bool, bool, int, str, str]:
        stated = any(link.predicate not in _DERIVED for link in self.links)
        latest = max((link.date or dt.date.min for link in self.links), default=dt.date.min)
        return (not stated, not self.tags, -latest.toordinal(), self.entity.caption.casefold(), self.entity.id)


def _neighbours(kb: KnowledgeBase, entity_id: str) -> list[_Neighbour]:
    grouped: dict[str, list[Link]] = defaultdict(list)
    for link in kb.links_of(entity_id):
        grouped[link.other].append(link)
    found = [
        _Neighbour(kb.entity(other), tuple(links), tuple(sanction_tags(kb.sanctions_of(other))))
        for other, links in grouped.items()
    ]
    return sorted(found, key=lambda n: n.rank)


def _native_name(entity: Entity) -> str | None:
    """The entity's name in its own script (Chinese first, then Arabic, Persian, Cyrillic...), if the bundled fonts
    draw all of it; a name they cannot draw is left out rather than shown as empty boxes."""
    native = [n.value for n in entity.names if n.type is NameType.NON_LATIN and drawable(n.value)]
    han = [value for value in native if any("\u3400" <= c <= "\u9fff" for c in value)]
    return (han or native or [None])[0]


def _tags(canvas: Canvas, tags: tuple[Tag, ...] | list[Tag], right: float, y: float) -> float:
    """Tags drawn right-aligned ending at `right`; returns the x where the leftmost starts."""
    x = right
    for tag in reversed(tags):
        width = text_width(tag.text, size=TAG_SIZE, weight=Weight.BOLD) + 16
        x -= width
        canvas.draw.rounded_rectangle((x, y, x + width, y + 26), radius=6, fill=tag.fill)
        canvas.text((x + 8, y + 1), tag.text, size=TAG_SIZE, weight=Weight.BOLD, colour=tag.ink, ground=tag.fill)
        x -= 6
    return x


def _box(canvas: Canvas, neighbour: _Neighbour, x: float, y: float) -> None:
    colour = KIND_COLOURS[neighbour.entity.kind]
    fill = tint(colour)
    canvas.draw.rounded_rectangle((x, y, x + BOX_WIDTH, y + BOX_HEIGHT), radius=10, fill=fill, outline=colour, width=2)
    canvas.draw.rectangle((x + 2, y + 2, x + 10, y + BOX_HEIGHT - 2), fill=colour)
    inner = BOX_WIDTH - 34
    names, name_size = _whole(neighbour.entity.caption, ((NAME_SIZE, 2), (NAME_SIZE - 3, 2)), inner)
    native = _native_name(neighbour.entity)
    meta_y = y + BOX_HEIGHT - 36
    tags_left = _tags(canvas, neighbour.tags, x + BOX_WIDTH - 10, meta_y + 2)
    meta_room = tags_left - x - 26
    meta = neighbour.entity.kind.value
    second: str | None = None
    if native and len(names) == 1 and text_width(native, size=META_SIZE + 2) <= inner:
        second = native
    elif native and drawable(f"{meta} · {native}") and text_width(f"{meta} · {native}", size=META_SIZE) <= meta_room:
        meta = f"{meta} · {native}"
    top = y + (14 if len(names) == 2 or second else 24)
    for number, line in enumerate(names):
        canvas.text((x + 20, top + number * 30), line, size=name_size, weight=Weight.BOLD, ground=fill)
    if second:
        canvas.text((x + 20, top + 31), second, size=META_SIZE + 2, ground=fill)
    canvas.text(
        (x + 20, meta_y), fit_line(meta, size=META_SIZE, width=meta_room), size=META_SIZE, colour=MUTED, ground=fill
    )


def _edge_lines(kb: KnowledgeBase, links: tuple[Link, ...]) -> list[tuple[str, Weight]]:
    """The words on a link: the relation, then its date and who says so; a second relation on one line."""
    by_label: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_label[link.label].append(link)
    labels = list(by_label)
    width = LABEL_ZONE - 16
    first = by_label[labels[0]][0]
    when = first.date.isoformat() if first.date else "undated"
    lines = [
        (line, Weight.BOLD)
        for line in fit_lines(labels[0], size=EDGE_SIZE, width=width, lines=1 if len(labels) > 1 else 2)
    ]
    by = kb.source(first.source).by
    dated = f"{when} · {by}"
    if text_width(dated, size=EDGE_SIZE - 2) <= width:
        lines.append((dated, Weight.REGULAR))
    else:
        # Who says so matters as much as when: given its own line (two, when the relation took one) rather than cut.
        lines.append((when, Weight.REGULAR))
        room = 2 if len(lines) == 2 and len(labels) <= 2 else 1
        per = fit_lines(f"per {by}", size=EDGE_SIZE - 2, width=width, lines=room)
        lines += [(line, Weight.REGULAR) for line in per]
    if len(labels) == 2:
        second = by_label[labels[1]][0]
        text = f"+ {labels[1]}" + (f" {second.date.isoformat()}" if second.date else "")
        if text_width(text, size=EDGE_SIZE - 2) > width:
            # The second relation whole rather than its date cut: the date is in /related.
            text = f"+ {labels[1]}"
        lines.append((fit_line(text, size=EDGE_SIZE - 2, width=width), Weight.REGULAR))
    elif len(labels) > 2:
        lines.append((f"+ {len(labels) - 1} more relations", Weight.REGULAR))
    return lines


def _edge_label(canvas: Canvas, kb: KnowledgeBase, links: tuple[Link, ...], left: float, middle: float) -> None:
    lines = _edge_lines(kb, links)
    heights = [EDGE_SIZE + 5 if weight is Weight.BOLD else EDGE_SIZE + 2 for _, weight in lines]
    top = middle - sum(heights) / 2 - 4
    canvas.draw.rounded_rectangle(
        (left + 4, top, left + LABEL_ZONE - 4, top + sum(heights) + 8), radius=8, fill=EDGE_FILL, outline=LINE_COLOUR
    )
    y = top + 3
    for (text, weight), height in zip(lines, heights, strict=True):
        size = EDGE_SIZE if weight is Weight.BOLD else EDGE_SIZE - 2
        colour = (33, 37, 41) if weight is Weight.BOLD else MUTED
        canvas.text((left + 12, y), text, size=size, weight=weight, colour=colour, ground=EDGE_FILL)
        y += height


def _whole(text: str, tries: tuple[tuple[int, int], ...], width: float) -> tuple[list[str], int]:
    """`text` fitted at the first (size, lines) that shows all of it, else cut at the last: a long name is set
    smaller before any of it is lost."""
    for size, lines in tries:
        fitted = fit_lines(text, size=size, width=width, lines=lines, weight=Weight.BOLD)
        if "".join(fitted).replace(" ", "") == text.replace(" ", ""):
            break
    return fitted, size


def _centre_content(entity: Entity, tags: list[Tag], width: float) -> list[tuple[str, int, Weight]]:
    names, size = _whole(entity.caption, ((30, 3), (25, 4), (21, 5)), width)
    lines = [(line, size, Weight.BOLD) for line in names]
    if entity.primary_name != entity.caption:
        lines += [(line, 19, Weight.REGULAR) for line in fit_lines(entity.primary_name, size=19, width=width, lines=3)]
    native = _native_name(entity)
    if native:
        lines += [(line, 22, Weight.REGULAR) for line in fit_lines(native, size=22, width=width, lines=2)]
    lines.append((entity.kind.value, 19, Weight.REGULAR))
    return lines


def _centre_height(lines: list[tuple[str, int, Weight]], tags: list[Tag]) -> float:
    return sum(size + 10 for _, size, _ in lines) + (40 if tags else 0) + 24


def _centre(canvas: Canvas, entity: Entity, tags: list[Tag], x: float, middle: float, width: float) -> None:
    colour = KIND_COLOURS[entity.kind]
    fill = tint(colour, 0.2)
    lines = _centre_content(entity, tags, width - 28)
    height = _centre_height(lines, tags)
    top = middle - height / 2
    canvas.draw.rounded_rectangle((x, top, x + width, top + height), radius=14, fill=fill, outline=colour, width=5)
    y = top + 12
    for text, size, weight in lines:
        canvas.text((x + 14, y), text, size=size, weight=weight, ground=fill)
        y += size + 10
    if tags:
        _tags(canvas, tags, x + width - 12, y + 4)


def relationship_picture(kb: KnowledgeBase, entity_id: str, *, limit: int = MAX_NEIGHBOURS) -> Picture:
    """The entity and up to `limit` related entities, most telling first; the rest counted in the footer."""
    entity = kb.entity(entity_id)
    neighbours = _neighbours(kb, entity_id)
    shown, hidden = neighbours[:limit], len(neighbours) - min(len(neighbours), limit)
    left, right = shown[: (len(shown) + 1) // 2], shown[(len(shown) + 1) // 2 :]
    rows = max(len(left), 1)
    centre_tags = sanction_tags(kb.sanctions_of(entity_id))
    centre_x = MARGIN + BOX_WIDTH + LABEL_ZONE + TRUNK_GAP
    centre_width = WIDTH - 2 * centre_x
    # Tall enough for the centre box with room above and below, so a long name never crowds the subtitle.
    centre_height = _centre_height(_centre_content(entity, centre_tags, centre_width - 28), centre_tags)
    body = max(rows * ROW_HEIGHT, 300, centre_height + 48)
    footer_lines = _footer(kb, entity, neighbours, hidden)
    height = HEADER + body + 24 + FOOTER_LINE * len(footer_lines) + MARGIN
    canvas = Canvas(WIDTH, height)

    subtitle = (
        f"{len(shown)} of {len(neighbours)} related entities; each link says what, when and on whose word"
        if neighbours
        else "No links recorded in the loaded data."
    )
    title = f"Related to {entity.caption}"
    canvas.heading(title, subtitle, margin=MARGIN)

    middle = HEADER + body / 2
    for side, column in (("left", left), ("right", right)):
        if not column:
            continue
        box_x = MARGIN if side == "left" else WIDTH - MARGIN - BOX_WIDTH
        zone_x = box_x + BOX_WIDTH if side == "left" else box_x - LABEL_ZONE
        trunk_x = centre_x - TRUNK_GAP / 2 if side == "left" else centre_x + centre_width + TRUNK_GAP / 2
        top = HEADER + (body - len(column) * ROW_HEIGHT) / 2
        centres = [top + number * ROW_HEIGHT + BOX_HEIGHT / 2 for number in range(len(column))]
        canvas.draw.line((trunk_x, min(*centres, middle), trunk_x, max(*centres, middle)), fill=LINE_COLOUR, width=3)
        stub = centre_x if side == "left" else centre_x + centre_width
        canvas.draw.line((trunk_x, middle, stub, middle), fill=LINE_COLOUR, width=3)
        for neighbour, row_middle in zip(column, centres, strict=True):
            near = box_x + BOX_WIDTH if side == "left" else box_x
            canvas.draw.line((near, row_middle, trunk_x, row_middle), fill=LINE_COLOUR, width=3)
            _box(canvas, neighbour, box_x, row_middle - BOX_HEIGHT / 2)
            _edge_label(canvas, kb, neighbour.links, zone_x, row_middle)
    _centre(canvas, entity, centre_tags, centre_x, middle, centre_width)

    y = HEADER + body + 24
    for text, colour in footer_lines:
        canvas.text((MARGIN, y), fit_line(text, size=21, width=WIDTH - 2 * MARGIN), size=21, colour=colour)
        y += FOOTER_LINE
    names = ", ".join(n.entity.caption for n in shown)
    description = f"{entity.caption} and {len(shown)} related entities: {names}." + (
        f" And {hidden} more." if hidden else ""
    )
    return canvas.png(title=title, description=description)


def _typed(kb: KnowledgeBase, entity: Entity) -> str:
    """What to type to reach this card: its name where that finds it alone, else its reference (two OFAC records
    are named NATIONAL IRANIAN TANKER COMPANY)."""
    found = kb.lookup(entity.caption)
    alone = found.status is LookupStatus.FOUND and found.best is not None and found.best.entity == entity.id
    return entity.caption if alone else reference(entity)


def _footer(
    kb: KnowledgeBase, entity: Entity, neighbours: list[_Neighbour], hidden: int
) -> list[tuple[str, tuple[int, int, int]]]:
    lines: list[tuple[str, tuple[int, int, int]]] = []
    if hidden:
        lines.append((f"And {hidden} more not drawn: /related {_typed(kb, entity)} lists them all.", (33, 37, 41)))
    kinds = sorted({n.entity.kind.value for n in neighbours[:MAX_NEIGHBOURS]} | {entity.kind.value})
    lines.append(("Box colour and the word in it: the kind (" + ", ".join(kinds) + ").", MUTED))
    tags = f"Red tags: sanctioned by {AUTHORITY_LEGEND}; grey: delisted. Sources: /related or briefbot brief."
    lines.append((tags, MUTED))
    drawn = [entity.id, *(n.entity.id for n in neighbours[:MAX_NEIGHBOURS])]
    reporters = sorted(
        {kb.source(s.source).by for entity_id in drawn for s in kb.sanctions_of(entity_id) if s.authority == "OTHER"}
    )
    if reporters:
        # "other" names no one by itself: say whose data reports those designations.
        other = 'Tag "other": governments the data does not name one by one, per ' + ", ".join(reporters) + "."
        lines.append((other, MUTED))
    return lines
