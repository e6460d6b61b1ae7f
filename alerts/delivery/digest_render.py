"""Render the daily digest: one row per claim that changed (with its path),
the new raids, corroborations and coverage, charts inline or as SVG.

Pure, like render.py, whose templates, source rows and alert context it shares.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from alerts.delivery.chart import chart_shapes, svg_of
from alerts.delivery.formatting import fmt_day, fmt_qualified, fmt_value, numeric, short_label
from alerts.delivery.message_data import (
    AlertView,
    Corroboration,
    DigestData,
    InlineImage,
    RenderedMessage,
)
from alerts.delivery.render import alert_context, render_templates, source_row
from alerts.delivery.sanitize import body_text, header_text, one_line
from alerts.payloads import FigureChange


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def changes_by_claim(views: Sequence[AlertView]) -> list[list[AlertView]]:
    """The day's figure changes, one group per claim in the order raised: a
    claim that changed twice is one row with its path (361 → 2,000 → 2,132)."""
    groups: dict[str, list[AlertView]] = {}
    for view in sorted(views, key=lambda v: v.id or 0):
        fig = figure_of(view)
        key = str(fig.claim_key or fig.claim or view.id)
        groups.setdefault(key, []).append(view)
    return list(groups.values())


def merged_change(group: list[AlertView]) -> dict[str, Any]:
    """One digest row for a claim's changes: first previous value, last new value,
    the path between them, and every source once."""
    first, last = group[0], group[-1]
    ctx = alert_context(last)
    ctx["previous"] = fmt_value(figure_of(first).previous_value)
    ctx["path"] = [ctx["previous"]] + [
        fmt_qualified(figure_of(v).new_value, figure_of(v).qualifier) for v in group]
    seen: set[str] = set()
    sources = []
    for view in group:
        for src in alert_context(view)["sources"]:
            if src["url"] not in seen:
                seen.add(src["url"])
                sources.append(src)
    ctx["sources"] = sources
    ctx["label"] = figure_of(last).label or short_label(figure_of(last).claim_key, ctx["claim"])
    ctx["weight"] = change_weight_between(first, last)
    return ctx


def unique_corroborations(items: Sequence[Corroboration]) -> list[Corroboration]:
    """One corroboration per claim and article (an article repeating a figure
    in three sentences corroborates it once)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in items:
        if (c.claim, c.source.url) not in seen:
            seen.add((c.claim, c.source.url))
            out.append(c)
    return out


def digest_subject(data: DigestData) -> str:
    """Names the digest and its headline counts."""
    day = fmt_day(data.day)
    if data.is_empty:
        return header_text(f"compoundwatch daily digest, {day}: nothing new")
    parts = [
        _plural(len(changes_by_claim(data.changes)), "figure changed", "figures changed"),
        _plural(len(data.raids), "new raid", "new raids"),
        _plural(data.coverage_count, "new article", "new articles"),
    ]
    return header_text(f"compoundwatch daily digest, {day}: {', '.join(parts)}")


def change_weight(view: AlertView) -> float:
    """How big a figure change is, relative to the value it replaced (0 when unknown).

    The digest lists the biggest changes first: 361 → 2,000 before 368 → 500.
    """
    return change_weight_between(view, view)


def change_weight_between(first: AlertView, last: AlertView) -> float:
    return _weight(figure_of(first).previous_value, figure_of(last).new_value)


def figure_of(view: AlertView) -> FigureChange:
    """The view's figure change (an empty one for any other kind, so rows still render)."""
    return view.payload if isinstance(view.payload, FigureChange) else FigureChange()


def _weight(previous: Any, new: Any) -> float:
    before, after = numeric(previous), numeric(new)
    if before is None or after is None:
        return 0.0
    return abs(after - before) / max(abs(before), 1.0)


def _cid(index: int, key: str) -> str:
    """A Content-ID for a chart: only letters, digits, '-' and '.' before the '@'."""
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", key)[:60].strip("-") or "figure"
    return f"chart{index}-{safe}@compoundwatch"


def digest_context(data: DigestData, inline_images: bool = False) -> dict[str, Any]:
    """The digest's template values; with `inline_images`, charts are PNGs shown
    by cid: (for email) instead of inline SVG (for browsers and the HTML file)."""
    changes = sorted((merged_change(g) for g in changes_by_claim(data.changes)),
                     key=lambda c: c["weight"], reverse=True)  # stable on ties
    series = []
    images: list[InlineImage] = []
    for index, s in enumerate(data.series):
        chart = chart_shapes(s)
        cid = None
        if chart is not None and inline_images:
            from alerts.delivery.chart_png import chart_png

            cid = _cid(index, s.key)
            images.append(InlineImage(cid, chart_png(chart), f"{cid.split('@')[0]}.png"))
        series.append({
            "label": s.label or short_label(s.key, s.measure),
            "measure": body_text(s.measure, 200),
            # Built by chart.py from numbers and escaped text only: safe markup.
            "svg": Markup(svg_of(chart)) if chart is not None and not inline_images else None,
            "cid": cid,
            "history": "; ".join(f"{fmt_day(p.when)}: {fmt_value(p.value)}" for p in s.points),
        })
    coverage = {
        one_line(outlet, 100): [
            {"title": one_line(i.title, 300), "url": one_line(i.url, 2000),
             "linkable": i.url.lower().startswith(("http://", "https://")),
             "summary": one_line(i.summary, 220),
             "date": fmt_day(i.published) if i.published else ""}
            for i in items
        ]
        for outlet, items in sorted(data.coverage.items())
    }
    return {
        "subject": digest_subject(data),
        "day": fmt_day(data.day),
        "empty": data.is_empty,
        "since": fmt_day(data.window_start.astimezone(zoneinfo.ZoneInfo(data.timezone)).date()),
        "so_far": _so_far(data),
        "changes": changes,
        "counts": [
            (len(changes), "figure changed" if len(changes) == 1 else "figures changed"),
            (len(data.raids), "new raid" if len(data.raids) == 1 else "new raids"),
            (data.coverage_count, "new article on the story" if data.coverage_count == 1
             else "new articles on the story"),
        ],
        "raids": [alert_context(v) for v in data.raids],
        "coverage": coverage,
        "corroborations": [
            {"claim": short_label(c.claim), "value": fmt_qualified(c.value, c.qualifier),
             "source": source_row(c.source)}
            for c in unique_corroborations(data.corroborations)
        ],
        "series": series,
        "images": tuple(images),
        "health": [{"name": one_line(h.name, 200), "problem": h.problem,
                    "detail": one_line(h.detail, 300)} for h in data.health],
    }


def _so_far(data: DigestData) -> str:
    """'until 14:05 (Asia/Phnom_Penh)' for a digest cut short at now, else ''."""
    if data.until is None:
        return ""
    local = data.until.astimezone(zoneinfo.ZoneInfo(data.timezone))
    return f"{fmt_day(local.date())} {local:%H:%M} ({data.timezone})"


def render_digest(data: DigestData, inline_images: bool = False) -> RenderedMessage:
    """The digest's subject, text and HTML (one line when the day had nothing new);
    `inline_images` for email: charts as PNG attachments shown by cid:."""
    ctx = digest_context(data, inline_images)
    text, html = render_templates("digest", d=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html, images=ctx["images"])
