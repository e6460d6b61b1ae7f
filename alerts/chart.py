"""A small inline SVG line chart of one figure over time.

Why inline SVG: it is text inside the HTML part, so it needs no attachment,
no remote fetch (blocked by default in most clients) and no image library.
Apple Mail, iOS Mail, Thunderbird and browsers render it; clients that strip
SVG (Gmail, Outlook desktop) drop only the drawing, because the digest
prints every value of the series next to the chart as text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from alerts.formatting import fmt_value, numeric
from alerts.views import FigureSeries

WIDTH, HEIGHT, PAD = 240, 64, 10


def sparkline_svg(series: FigureSeries) -> str | None:
    """An <svg> element for a series with at least one numeric value, else None."""
    pts = []
    for p in series.points:
        number = numeric(p.value)
        if number is not None:
            pts.append((p.when, number, p.value))
    if not pts:
        return None
    days = [w.toordinal() for w, _, _ in pts]
    vals = [v for _, v, _ in pts]
    d0, d1 = min(days), max(days)
    lo, hi = min(vals), max(vals)
    if hi == lo:  # a flat series sits in the middle
        lo, hi = lo - 1, hi + 1
    span_d = (d1 - d0) or 1
    span_v = hi - lo

    def xy(day: int, val: float) -> tuple[float, float]:
        x = PAD + (day - d0) / span_d * (WIDTH - 2 * PAD) if d1 != d0 else WIDTH / 2
        y = HEIGHT - PAD - (val - lo) / span_v * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    coords = [xy(d, v) for d, v in zip(days, vals, strict=True)]
    path = " ".join(f"{x},{y}" for x, y in coords)
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="3" fill="#b03a2e"><title>{escape(str(w))}: '
        f"{escape(fmt_value(raw))}</title></circle>"
        for (x, y), (w, _, raw) in zip(coords, pts, strict=True)
    )
    label = escape(f"{series.key} over time")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f6f8"/>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#9aa5b1" stroke-width="1"/>'
        f'<polyline points="{path}" fill="none" stroke="#1f5f99" stroke-width="2"/>'
        f"{dots}"
        f'<text x="{PAD}" y="{HEIGHT - 1}" font-size="9" fill="#333">'
        f"{escape(fmt_value(pts[0][2]))}</text>"
        f'<text x="{WIDTH - PAD}" y="9" font-size="9" fill="#333" text-anchor="end">'
        f"{escape(fmt_value(pts[-1][2]))}</text></svg>"
    )
