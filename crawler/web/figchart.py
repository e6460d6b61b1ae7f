"""A figure's values over time as server-rendered SVG (no script, no style attributes).

The y axis starts at zero, so a change reads at its true size; a range
("70,000–100,000") is drawn as a band from its low to its high value, with
the line through its middle; conflicting values get a ring. Only presentation
attributes are used, never `style=`, so the page's strict Content-Security-
Policy (no inline styles) applies to it unchanged. Pure: points in, markup out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from alerts.delivery.formatting import fmt_number, fmt_value, numeric

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 18, 34
BAND_W = 16


@dataclass(frozen=True)
class ChartPoint:
    when: dt.date
    value: Any
    conflict: bool = False


def nice_ceiling(top: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 3-6 round ticks covering `top`."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(top / step), step


def _bounds(value: Any) -> tuple[float, float] | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and numeric(value) is not None:
        low, high = sorted(float(v) for v in value)
        return low, high
    number = numeric(value)
    return None if number is None else (number, number)


def _label(x: float, y: float, text: str, anchor: str = "middle", cls: str = "tick") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">{escape(text)}</text>'


def _date_labels(xs: list[tuple[float, dt.date]]) -> list[tuple[float, str]]:
    """First and last date always; others where they leave 90 px free."""
    out: list[tuple[float, str]] = []
    for i, (x, when) in enumerate(xs):
        text = f"{when.day} {when.strftime('%b %Y')}"
        last = i == len(xs) - 1
        if out and out[-1][1] == text:
            continue
        if out and x - out[-1][0] < 90:
            if not last:
                continue
            if len(out) > 1:
                out.pop()
            elif x - out[-1][0] < 60:
                continue
        out.append((x, text))
    return out


def figure_chart(points: list[ChartPoint], title: str) -> str | None:
    """An <svg> of the numeric points by date; None when none is numeric."""
    usable = [(p, b) for p in points if (b := _bounds(p.value)) is not None]
    if not usable:
        return None
    usable.sort(key=lambda pb: pb[0].when)
    top, step = nice_ceiling(max(b[1] for _, b in usable))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    d0 = usable[0][0].when.toordinal()
    d1 = usable[-1][0].when.toordinal()

    def x_of(when: dt.date) -> float:
        if d1 == d0:
            return LEFT + plot_w / 2
        return LEFT + (when.toordinal() - d0) / (d1 - d0) * plot_w

    def y_of(v: float) -> float:
        return TOP + plot_h - v / top * plot_h

    parts = [f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" class="bg"/>']
    tick = 0.0
    while tick <= top + step / 1000:
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'class="{"axis" if tick == 0 else "grid"}"/>')
        parts.append(_label(LEFT - 8, y + 4, fmt_number(int(tick) if tick.is_integer() else tick),
                            "end"))
        tick += step
    coords = []
    for p, (low, high) in usable:
        x = x_of(p.when)
        if high > low:
            parts.append(f'<rect x="{x - BAND_W / 2:.1f}" y="{y_of(high):.1f}" width="{BAND_W}" '
                         f'height="{y_of(low) - y_of(high):.1f}" class="band">'
                         f"<title>{escape(fmt_value(p.value))}</title></rect>")
        coords.append((x, y_of((low + high) / 2), p))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline points="{path}" class="line" fill="none"/>')
    for x, y, p in coords:
        label = f"{p.when.isoformat()}: {fmt_value(p.value)}"
        if p.conflict:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" class="conflict" fill="none"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="dot">'
                     f"<title>{escape(label)}</title></circle>")
    for x, text in _date_labels([(x, p.when) for x, _, p in coords]):
        anchor = "start" if x < LEFT + 40 else "end" if x > WIDTH - RIGHT - 40 else "middle"
        parts.append(_label(x, HEIGHT - 12, text, anchor))
    aria = escape(title, {'"': "&quot;"})
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{aria}" class="chart">'
            + "".join(parts) + "</svg>")
