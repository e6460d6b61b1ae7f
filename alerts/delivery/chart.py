"""A small inline SVG line chart of one figure over time.

The chart is computed once as shapes (`chart_shapes`) and drawn two ways:
inline SVG here for browsers and the HTML file, and a PNG (chart_png.py)
attached inline to the email, because Gmail and Outlook strip inline SVG.
Either way the digest also prints every value of the series as text.

Every chart has the same size (WIDTH x HEIGHT, drawn 1:1 so its 11px labels
stay 11px on a phone): a y axis from zero to the highest value, with light
grid lines at both, so a change's size is not exaggerated; a range
(70,000–100,000) drawn as a band between its bounds around its midpoint;
dates on the x axis (first and last always, others where they fit without
touching), and the latest value labelled by its point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from alerts.delivery.formatting import fmt_value, numeric
from alerts.delivery.message_data import FigureSeries

WIDTH, HEIGHT = 300, 140
TOP, BOTTOM, RIGHT = 22, 26, 14
FONT = 11
CHAR_W = 6.2  # a generous average glyph width at FONT px in Arial/Helvetica
LINE, DOT, GRID, AXIS_TEXT, INK, BACKGROUND = (
    "#1f5f99", "#b03a2e", "#e4e7eb", "#52606d", "#1f2933", "#f7f9fb")
BAND, BAND_HALF_WIDTH = "#c5d7ea", 5.0  # a range's low-to-high band


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    rx: float = 4.0


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline, as in SVG
    body: str
    anchor: str = "start"  # start, middle or end, as in SVG
    fill: str = AXIS_TEXT
    bold: bool = False


Shape = Rect | Line | Polyline | Dot | Text


@dataclass(frozen=True)
class Chart:
    """A chart as shapes in a WIDTH x HEIGHT pixel box."""

    label: str
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class _Point:
    when: dt.date
    number: float
    raw: Any

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) of a range value; (number, number) otherwise."""
        if isinstance(self.raw, (list, tuple)) and len(self.raw) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.raw):
            return float(min(self.raw)), float(max(self.raw))
        return self.number, self.number


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of a label's width in px, enough to keep labels apart."""
    return len(text) * CHAR_W * size / FONT


def axis_day(when: dt.date) -> str:
    """A compact date for the x axis: 30 Sep 2022."""
    return f"{when.day} {when.strftime('%b %Y')}"


def _x_labels(placed: list[tuple[float, str]], left: float) -> list[tuple[float, str, str]]:
    """(x, text, anchor) for date labels that do not overlap; first and last always."""
    if not placed:
        return []
    first, last = placed[0], placed[-1]
    out = [(first[0], first[1], "start" if first[0] - text_width(first[1]) / 2 < left
            else "middle")]
    if last[1] == first[1]:
        return out

    def span(x: float, text: str, anchor: str) -> tuple[float, float]:
        w = text_width(text)
        return {"start": (x, x + w), "end": (x - w, x)}.get(anchor, (x - w / 2, x + w / 2))

    end_anchor = "end" if last[0] + text_width(last[1]) / 2 > WIDTH - 2 else "middle"
    taken = [span(*out[0]), span(last[0], last[1], end_anchor)]
    if taken[0][1] + 8 > taken[1][0]:  # first and last collide: keep the last only
        return [(last[0], last[1], end_anchor)]
    for x, text in placed[1:-1]:
        lo, hi = span(x, text, "middle")
        if all(hi + 8 <= a or lo >= b + 8 for a, b in taken) and text not in {
                t for _, t, _ in out}:
            out.append((x, text, "middle"))
            taken.append((lo, hi))
    out.append((last[0], last[1], end_anchor))
    return out


def chart_shapes(series: FigureSeries) -> Chart | None:
    """The chart of a series with at least one numeric value, as shapes (else None).

    The SVG (web, HTML file) and the PNG (email) are both drawn from these."""
    pts = [_Point(p.when, n, p.value) for p in series.points
           if (n := numeric(p.value)) is not None]
    if not pts:
        return None
    bottom = min(0.0, min(p.bounds[0] for p in pts))
    top = max(p.bounds[1] for p in pts)
    y_labels = [fmt_value(_whole(top))] + ([fmt_value(_whole(bottom))] if top != bottom else [])
    left = max(36.0, max(text_width(t) for t in y_labels) + 12)
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM
    d0, d1 = min(p.when.toordinal() for p in pts), max(p.when.toordinal() for p in pts)
    flat = top == bottom

    def x_of(when: dt.date) -> float:
        return left + plot_w / 2 if d1 == d0 else left + (when.toordinal() - d0) / (d1 - d0) * plot_w

    def y_of(number: float) -> float:
        if flat:
            return TOP + plot_h / 2
        return TOP + (top - number) / (top - bottom) * plot_h

    shapes: list[Shape] = [Rect(0, 0, WIDTH, HEIGHT, BACKGROUND)]
    for number, label in ((top, y_labels[0]),) + (() if flat else ((bottom, y_labels[1]),)):
        y = y_of(number)
        shapes.append(Line(left, y, WIDTH - RIGHT, y, GRID))
        shapes.append(Text(left - 6, y + FONT / 3, label, "end"))
    base = HEIGHT - BOTTOM + 4
    shapes.append(Line(left, base, WIDTH - RIGHT, base, "#9aa5b1"))
    coords = [(x_of(p.when), y_of(p.number)) for p in pts]
    for (x, _), p in zip(coords, pts, strict=True):
        lo, hi = p.bounds
        if hi > lo:
            shapes.append(Rect(x - BAND_HALF_WIDTH, y_of(hi), 2 * BAND_HALF_WIDTH,
                               y_of(lo) - y_of(hi), BAND, rx=2))
    if len(coords) > 1:
        shapes.append(Polyline(tuple(coords), LINE, 2.0))
    for (x, y), p in zip(coords, pts, strict=True):
        shapes.append(Dot(x, y, 3.5, DOT, f"{axis_day(p.when)}: {fmt_value(p.raw)}"))
    # The latest value, by its point, above it unless that leaves the chart.
    (lx, ly), latest = coords[-1], fmt_value(pts[-1].raw)
    anchor = "end" if lx + text_width(latest) / 2 > WIDTH - 4 else "middle"
    above = ly - 8 if ly - 8 - FONT > 0 else ly + FONT + 6
    shapes.append(Text(lx + (4 if anchor == "end" else 0), above, latest, anchor, INK, True))
    seen: dict[str, float] = {}
    for (x, _), p in zip(coords, pts, strict=True):
        seen.setdefault(axis_day(p.when), x)
    for x, text, anchor in _x_labels([(x, t) for t, x in seen.items()], left):
        shapes.append(Text(x, HEIGHT - 8, text, anchor))
    return Chart(f"{series.key} over time", tuple(shapes))


def _svg_text(t: Text) -> str:
    return (f'<text x="{t.x:.1f}" y="{t.y:.1f}" font-family="Arial,Helvetica,sans-serif" '
            f'font-size="{FONT}" font-weight="{"bold" if t.bold else "normal"}" '
            f'fill="{t.fill}" text-anchor="{t.anchor}">{escape(t.body)}</text>')


def _num(value: float) -> str:
    """A coordinate to a tenth of a pixel, without a trailing '.0'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _whole(number: float) -> float | int:
    return int(number) if number == int(number) else number


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        at = f'x="{shape.x:.1f}" y="{shape.y:.1f}" ' if shape.x or shape.y else ""
        return (f'<rect {at}width="{_num(shape.w)}" height="{_num(shape.h)}" rx="{_num(shape.rx)}" '
                f'fill="{shape.fill}"/>')
    if isinstance(shape, Line):
        return (f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{shape.y2:.1f}" stroke="{shape.stroke}" stroke-width="1"/>')
    if isinstance(shape, Polyline):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
        return (f'<polyline points="{path}" fill="none" stroke="{shape.stroke}" '
                f'stroke-width="{shape.width:g}" stroke-linejoin="round"/>')
    if isinstance(shape, Dot):
        return (f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.r}" '
                f'fill="{shape.fill}"><title>{escape(shape.title)}</title></circle>')
    return _svg_text(shape)


def svg_of(chart: Chart) -> str:
    label = escape(chart.label, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" '
        f'style="display:block;max-width:100%;height:auto">'
        + "".join(_svg_shape(s) for s in chart.shapes) + "</svg>"
    )


def sparkline_svg(series: FigureSeries) -> str | None:
    """An <svg> element for a series with at least one numeric value, else None."""
    chart = chart_shapes(series)
    return svg_of(chart) if chart is not None else None
