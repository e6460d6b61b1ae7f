"""A small inline SVG line chart of one figure over time.

Why inline SVG: it is text inside the HTML part, so it needs no attachment,
no remote fetch (blocked by default in most clients) and no image library.
Apple Mail, iOS Mail, Thunderbird and browsers render it; clients that strip
SVG (Gmail, Outlook desktop) drop only the drawing, because the digest
prints every value of the series next to the chart as text.

Every chart has the same size (WIDTH x HEIGHT, drawn 1:1 so its 11px labels
stay 11px on a phone): the lowest and highest values on the y axis with
light grid lines, dates on the x axis (first and last always, others where
they fit without touching), and the latest value labelled by its point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from alerts.formatting import fmt_value, numeric
from alerts.views import FigureSeries

WIDTH, HEIGHT = 300, 140
TOP, BOTTOM, RIGHT = 22, 26, 14
FONT = 11
CHAR_W = 6.2  # a generous average glyph width at FONT px in Arial/Helvetica
LINE, DOT, GRID, AXIS_TEXT, INK, BACKGROUND = (
    "#1f5f99", "#b03a2e", "#e4e7eb", "#52606d", "#1f2933", "#f7f9fb")


@dataclass(frozen=True)
class _Point:
    when: dt.date
    number: float
    raw: Any


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of a label's width in px, enough to keep labels apart."""
    return len(text) * CHAR_W * size / FONT


def axis_day(when: dt.date) -> str:
    """A compact date for the x axis: 30 Sep 2022."""
    return f"{when.day} {when.strftime('%b %Y')}"


def _text(x: float, y: float, body: str, *, anchor: str = "start", fill: str = AXIS_TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="Arial,Helvetica,sans-serif" '
            f'font-size="{FONT}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}">{escape(body)}</text>')


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


def sparkline_svg(series: FigureSeries) -> str | None:
    """An <svg> element for a series with at least one numeric value, else None."""
    pts = [_Point(p.when, n, p.value) for p in series.points
           if (n := numeric(p.value)) is not None]
    if not pts:
        return None
    low = min(pts, key=lambda p: p.number)
    high = max(pts, key=lambda p: p.number)
    y_labels = [fmt_value(high.raw)] + ([fmt_value(low.raw)] if high.number != low.number else [])
    left = max(36.0, max(text_width(t) for t in y_labels) + 12)
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM
    d0, d1 = min(p.when.toordinal() for p in pts), max(p.when.toordinal() for p in pts)
    flat = high.number == low.number

    def x_of(when: dt.date) -> float:
        return left + plot_w / 2 if d1 == d0 else left + (when.toordinal() - d0) / (d1 - d0) * plot_w

    def y_of(number: float) -> float:
        if flat:
            return TOP + plot_h / 2
        return TOP + (high.number - number) / (high.number - low.number) * plot_h

    parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" rx="4" fill="{BACKGROUND}"/>']
    for number, label in ((high.number, y_labels[0]),) + (
            () if flat else ((low.number, y_labels[1]),)):
        y = y_of(number)
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + FONT / 3, label, anchor="end"))
    base = HEIGHT - BOTTOM + 4
    parts.append(f'<line x1="{left:.1f}" y1="{base:.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{base:.1f}" '
                 f'stroke="#9aa5b1" stroke-width="1"/>')
    coords = [(x_of(p.when), y_of(p.number)) for p in pts]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2" '
                     f'stroke-linejoin="round"/>')
    for (x, y), p in zip(coords, pts, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{DOT}">'
                     f"<title>{escape(axis_day(p.when))}: {escape(fmt_value(p.raw))}</title>"
                     f"</circle>")
    # The latest value, by its point, above it unless that leaves the chart.
    (lx, ly), latest = coords[-1], fmt_value(pts[-1].raw)
    anchor = "end" if lx + text_width(latest) / 2 > WIDTH - 4 else "middle"
    above = ly - 8 if ly - 8 - FONT > 0 else ly + FONT + 6
    parts.append(_text(lx + (4 if anchor == "end" else 0), above, latest, anchor=anchor,
                       fill=INK, weight="bold"))
    seen: dict[str, float] = {}
    for (x, _), p in zip(coords, pts, strict=True):
        seen.setdefault(axis_day(p.when), x)
    for x, text, anchor in _x_labels([(x, t) for t, x in seen.items()], left):
        parts.append(_text(x, HEIGHT - 8, text, anchor=anchor))
    label = escape(f"{series.key} over time", {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" '
        f'style="display:block;max-width:100%;height:auto">'
        + "".join(parts) + "</svg>"
    )
