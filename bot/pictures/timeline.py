"""The timeline picture: an entity's dated events on one axis, one lane per authority or source, each mark labelled."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from bot.pictures.canvas import INK, MUTED, Canvas, Picture, Weight, fit_line, fit_lines, text_width
from bot.pictures.style import SANCTIONED
from knowledge.authorities import AUTHORITIES
from knowledge.base import ORDER_ENDED, KnowledgeBase, TimelineEvent

__all__ = ["timeline_picture"]

WIDTH = 1600
MARGIN = 28
LANE_LABEL = 250
AXIS_LEFT = MARGIN + LANE_LABEL + 40
AXIS_RIGHT = WIDTH - MARGIN - 20
HEADER = 128
LABEL_WIDTH = 330
LABEL_SIZE = 18
LINE = 23
ROW = 3 * LINE + 14
LANE_PAD = 22
AXIS_HEIGHT = 60
GRID = (222, 226, 230)
LANE_FILLS = ((248, 249, 250), (255, 255, 255))
DESIGNATED = SANCTIONED
DOCUMENT = (0, 114, 178)
DELISTED = (108, 117, 125)
# Months between axis ticks, the smallest that keeps the axis under this many ticks.
_STEPS = (1, 3, 6, 12, 24, 60, 120)
_MAX_TICKS = 9
# An axis of a single day gets this many days either side, so the mark sits in the middle.
_SINGLE_DAY_PAD = 180


@dataclass(frozen=True, slots=True)
class _Placed:
    event: TimelineEvent
    x: float
    row: int
    label_x: float
    lines: tuple[str, ...]


_ENDS = "listing ends"


def _kind(event: TimelineEvent) -> str:
    if event.text.startswith("designated"):
        return "designated"
    if event.text.startswith(("delisted", _ENDS, ORDER_ENDED)):
        return "delisted"
    return "document"


_OTHER = AUTHORITIES["OTHER"].label


def _lane_name(kb: KnowledgeBase, event: TimelineEvent) -> str:
    """Who acted, or for an authority the data does not name one by one, the source that reports it."""
    if event.actor == _OTHER:
        # Aggregated data (OpenSanctions) reports designations by governments briefbot does not model separately:
        # "Other authority" would name no one, so the lane is named by its source (each mark names the regime).
        return f"Other authorities, per {kb.source(event.source).by}"
    # A lane label starts a line: "agencies of 13 countries" reads as a fragment there.
    return event.actor[:1].upper() + event.actor[1:]


def _worded(kb: KnowledgeBase, event: TimelineEvent) -> TimelineEvent:
    """A delisting dated after the list that states it is an end date the list set in advance (OpenSanctions
    carries some years ahead): said so, not shown as a delisting that has happened."""
    published = kb.source(event.source).date
    if event.text == "delisted" and published is not None and event.date > published:
        return replace(event, text=f"{_ENDS} (date set in advance, in the list of {published.isoformat()})")
    return event


def _lanes(kb: KnowledgeBase, events: list[TimelineEvent]) -> list[tuple[str, list[TimelineEvent]]]:
    by_actor: dict[str, list[TimelineEvent]] = defaultdict(list)
    for event in events:
        by_actor[_lane_name(kb, event)].append(event)
    return sorted(by_actor.items(), key=lambda item: (item[1][0].date, item[0]))


def _span(events: list[TimelineEvent]) -> tuple[dt.date, dt.date]:
    first, last = min(e.date for e in events), max(e.date for e in events)
    if (last - first).days < 2 * _SINGLE_DAY_PAD:
        middle = first + (last - first) / 2
        return middle - dt.timedelta(days=_SINGLE_DAY_PAD), middle + dt.timedelta(days=_SINGLE_DAY_PAD)
    pad = dt.timedelta(days=(last - first).days // 12)
    return first - pad, last + pad


def _ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in _STEPS if months / s <= _MAX_TICKS), _STEPS[-1])
    total = start.year * 12 + start.month - 1
    total += (-total) % step  # the first tick on a round month of the step
    ticks = []
    while True:
        tick = dt.date(total // 12, total % 12 + 1, 1)
        if tick > end:
            return ticks
        if tick >= start:
            ticks.append(tick)
        total += step


def _place(events: list[TimelineEvent], x_of: dict[dt.date, float]) -> list[_Placed]:
    """Each label to the right of its mark (left of it near the right edge), in the first row where it fits."""
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for event in sorted(events, key=lambda e: (e.date, e.text)):
        x = x_of[event.date]
        lines = (event.when, *fit_lines(event.text, size=LABEL_SIZE, width=LABEL_WIDTH, lines=2))
        width = max(text_width(line, size=LABEL_SIZE, weight=Weight.BOLD) for line in lines) + 12
        label_x = x + 8 if x + 8 + width <= WIDTH - MARGIN else x - 8 - width
        span = (label_x - 6, label_x + width + 6)
        free = [n for n, row in enumerate(rows) if all(span[1] <= a or span[0] >= b for a, b in row)]
        if not free:
            rows.append([])
        number = free[0] if free else len(rows) - 1
        rows[number].append(span)
        placed.append(_Placed(event, x, number, label_x, lines))
    return placed


def timeline_picture(kb: KnowledgeBase, entity_id: str) -> Picture:
    """Designations, delistings, indictments, advisories and other dated events, one lane per who acted."""
    entity = kb.entity(entity_id)
    events = [_worded(kb, event) for event in kb.timeline(entity_id)]
    undated = sum(1 for s in kb.sanctions_of(entity_id) if s.listed_on is None)
    title = f"Timeline of {entity.caption}"
    lanes = _lanes(kb, events)
    if events:
        start, end = _span(events)
        days = max((end - start).days, 1)

        def x_at(date: dt.date) -> float:
            return AXIS_LEFT + (AXIS_RIGHT - AXIS_LEFT) * (date - start).days / days

        x_of = {e.date: x_at(e.date) for e in events}
        placed_lanes = [(actor, _place(lane, x_of)) for actor, lane in lanes]
    else:
        placed_lanes = []
    lane_heights = [LANE_PAD * 2 + 20 + ROW * (max(p.row for p in placed) + 1) for _, placed in placed_lanes]
    footer = _footer(entity.caption, undated)
    legend = 34 if events else 0
    height = HEADER + sum(lane_heights) + (AXIS_HEIGHT if events else 80) + legend + 34 * len(footer) + MARGIN
    canvas = Canvas(WIDTH, height)
    subtitle = (
        f"{len(events)} dated {'event' if len(events) == 1 else 'events'} from {len(lanes)} "
        f"{'source' if len(lanes) == 1 else 'sources'}, earliest on the left"
        if events
        else "No dated events recorded in the loaded data."
    )
    canvas.heading(title, subtitle, margin=MARGIN)
    y = HEADER
    if events:
        bottom = HEADER + sum(lane_heights)
        ticks = _ticks(start, end)
        for number, ((actor, placed), lane_height) in enumerate(zip(placed_lanes, lane_heights, strict=True)):
            fill = LANE_FILLS[number % 2]
            canvas.draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + lane_height), fill=fill)
            for tick in ticks:
                canvas.draw.line((x_at(tick), y, x_at(tick), y + lane_height), fill=GRID, width=1)
            actor_lines = fit_lines(actor, size=21, width=LANE_LABEL, lines=4, weight=Weight.BOLD)
            for line_number, line in enumerate(actor_lines):
                canvas.text(
                    (MARGIN + 10, y + LANE_PAD + line_number * 27), line, size=21, weight=Weight.BOLD, ground=fill
                )
            _lane(canvas, placed, y + LANE_PAD + 8)
            y += lane_height
        canvas.draw.line((AXIS_LEFT - 10, bottom, AXIS_RIGHT + 10, bottom), fill=INK, width=2)
        for tick in ticks:
            x = x_at(tick)
            canvas.draw.line((x, bottom, x, bottom + 10), fill=INK, width=2)
            # Years alone when every tick is a new year; else year and month, so no two ticks read alike.
            label = tick.strftime("%Y-%m") if any(t.month != 1 for t in ticks) else str(tick.year)
            canvas.text((x - text_width(label, size=19) / 2, bottom + 16), label, size=19, colour=MUTED)
        y = bottom + AXIS_HEIGHT
    else:
        y += 80
    if events:
        y = _legend(canvas, y)
    for line in footer:
        canvas.text((MARGIN, y), fit_line(line, size=21, width=WIDTH - 2 * MARGIN), size=21, colour=MUTED)
        y += 34
    description = f"{title}: " + "; ".join(f"{e.when} {_lane_name(kb, e)} {e.text}" for e in events)
    return canvas.png(title=title, description=description)


def _lane(canvas: Canvas, placed: list[_Placed], baseline: float) -> None:
    canvas.draw.line((AXIS_LEFT, baseline, AXIS_RIGHT, baseline), fill=GRID, width=3)
    # Leaders first, then the labels on their own white ground over them, then the marks on top.
    for item in placed:
        label_top = baseline + 16 + item.row * ROW
        anchor = item.label_x if item.label_x > item.x else item.label_x + _label_width(item)
        canvas.draw.line((item.x, baseline, item.x, label_top + 10, anchor, label_top + 10), fill=MUTED, width=1)
    for item in placed:
        label_top = baseline + 16 + item.row * ROW
        canvas.draw.rectangle(
            (item.label_x - 4, label_top - 2, item.label_x + _label_width(item) + 2, label_top + ROW - 16),
            fill=(255, 255, 255),
            outline=GRID,
        )
        for number, line in enumerate(item.lines):
            weight = Weight.BOLD if number == 0 else Weight.REGULAR
            colour = _colour(item.event) if number == 0 else INK
            canvas.text(
                (item.label_x + 2, label_top + number * LINE),
                line,
                size=LABEL_SIZE,
                weight=weight,
                colour=colour,
                ground=(255, 255, 255),
            )
    for item in placed:
        _mark(canvas, item.event, item.x, baseline)


def _label_width(item: _Placed) -> float:
    return max(text_width(line, size=LABEL_SIZE, weight=Weight.BOLD) for line in item.lines) + 6


def _colour(event: TimelineEvent) -> tuple[int, int, int]:
    return {"designated": DESIGNATED, "delisted": DELISTED, "document": DOCUMENT}[_kind(event)]


def _mark(canvas: Canvas, event: TimelineEvent, x: float, y: float) -> None:
    kind = _kind(event)
    radius = 10
    if kind == "designated":
        canvas.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=DESIGNATED, outline=(255, 255, 255))
    elif kind == "delisted":
        canvas.draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255), outline=DELISTED, width=3
        )
        canvas.draw.line((x - 6, y - 6, x + 6, y + 6), fill=DELISTED, width=3)
        canvas.draw.line((x - 6, y + 6, x + 6, y - 6), fill=DELISTED, width=3)
    else:
        canvas.draw.polygon(((x, y - 12), (x + 12, y), (x, y + 12), (x - 12, y)), fill=DOCUMENT)


_LEGEND = (
    (TimelineEvent(dt.date.min, "", "designated", ""), "designation", DESIGNATED),
    (TimelineEvent(dt.date.min, "", "delisted", ""), "delisting", DELISTED),
    (TimelineEvent(dt.date.min, "", "document", ""), "advisory, indictment, report or announcement", DOCUMENT),
)


def _legend(canvas: Canvas, y: float) -> float:
    """The three marks drawn as in the lanes, each with its meaning in its own colour."""
    x = MARGIN + 12
    for event, meaning, colour in _LEGEND:
        _mark(canvas, event, x, y + 14)
        x += 22
        x += canvas.text((x, y), meaning, size=21, colour=colour) + 40
    return y + 34


def _footer(caption: str, undated: int) -> list[str]:
    lines = []
    if undated:
        lines.append(f"{undated} designation(s) whose list states no date are not drawn: /who {caption} shows them.")
    lines.append(f"Each mark is dated by its source; the numbered sources: /who {caption} or briefbot brief.")
    return lines
