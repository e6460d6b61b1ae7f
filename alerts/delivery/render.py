"""Render alerts and digests to a subject, a plain-text part and an HTML part.

Pure: views in, RenderedMessage out. Two Jinja2 environments: the HTML one
has autoescape=True set explicitly (Jinja2 does not escape by default, and
`select_autoescape` would not match our `.html.j2` names), the text one
escapes nothing because plain text has no markup to break.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from alerts.delivery.chart import chart_shapes, svg_of
from alerts.delivery.formatting import fmt_day, fmt_qualified, fmt_value, numeric, short_label
from alerts.delivery.sanitize import body_text, header_text, one_line
from alerts.payloads import AlertPayload, FigureChange, NewRaid
from alerts.delivery.message_data import (
    AlertView,
    Corroboration,
    DigestData,
    InlineImage,
    RenderedMessage,
    SourceRef,
)

TEMPLATES = Path(__file__).parent / "templates"


def _env(autoescape: bool) -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


HTML_ENV = _env(autoescape=True)
TEXT_ENV = _env(autoescape=False)


def _render(name: str, **ctx: Any) -> tuple[str, str]:
    text = TEXT_ENV.get_template(f"{name}.txt.j2").render(**ctx)
    html = HTML_ENV.get_template(f"{name}.html.j2").render(**ctx)
    return text, html


def source_row(ref: SourceRef) -> dict[str, Any]:
    """A reporting article as templates show it; only http(s) URLs become links."""
    url = one_line(ref.url, 2000)
    return {
        "title": one_line(ref.title or ref.url, 300),
        "outlet": one_line(ref.outlet or "", 100),
        "date": fmt_day(ref.published) if ref.published else "",
        "url": url,
        "linkable": url.lower().startswith(("http://", "https://")),
        "archived": archived_line(ref),
        "archive_id": one_line(ref.archive_id or "", 100),
    }


def archived_line(ref: SourceRef) -> str:
    """ "fetched 2026-12-01 07:03 UTC, sha256 …" for a source with an archived copy."""
    if ref.fetched_at is None or not ref.sha256:
        return ""
    when = ref.fetched_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    return one_line(f"fetched {when} UTC, sha256 {ref.sha256}", 200)


def _keep_edges(part: str) -> str:
    """Clean a fragment of a sentence but keep the spaces that join it to its neighbours."""
    cleaned = body_text(part, 700)
    lead = " " if part[:1].isspace() and cleaned else ""
    trail = " " if part[-1:].isspace() else ""
    return lead + cleaned + trail


def alert_subject(view: AlertView) -> str:
    """ "Figure changed: complaints 368 → 500" or "New raid: Siem Reap, 28 Sep 2022"."""
    p = view.payload
    if isinstance(p, FigureChange):
        label = p.label or short_label(p.claim_key, str(p.claim or ""))
        # Qualifiers stay: "people rescued 361 → more than 2,000".
        subject = (f"Figure changed: {label} "
                   f"{fmt_qualified(p.previous_value, p.previous_qualifier)} → "
                   f"{fmt_qualified(p.new_value, p.qualifier)}")
    elif isinstance(p, NewRaid):
        subject = f"New raid: {p.location or 'Cambodia'}, {fmt_day(p.date)}"
    else:
        subject = f"Alert: {view.kind}"
    return header_text(subject)


def alert_context(view: AlertView) -> dict[str, Any]:
    """The preformatted strings an alert's templates show (shared by email, Atom, Apprise)."""
    p = view.payload
    fig = p if isinstance(p, FigureChange) else FigureChange()
    raid = p if isinstance(p, NewRaid) else NewRaid()
    common: AlertPayload = p or fig
    seed = view.seed_source
    return {
        "subject": alert_subject(view),
        "kind": view.kind,
        "claim": body_text(fig.claim or view.claim_measure or ""),
        "seed_value": fmt_value(fig.seed_value),
        "previous": fmt_value(fig.previous_value),
        "new": fmt_qualified(fig.new_value, fig.qualifier),
        "previous_source": source_row(view.previous_source) if view.previous_source else None,
        "published": fmt_day(common.published) if common.published else "",
        "location": one_line(raid.location or "", 100),
        "place": one_line(raid.place or "", 200),
        "date": fmt_day(raid.date),
        "site": one_line(raid.site or "", 300),
        "arrested": "not reported" if raid.arrested is None else fmt_value(raid.arrested),
        "rescued": "not reported" if raid.rescued is None else fmt_value(raid.rescued),
        "quote": body_text(common.quote or ""),
        "context": [_keep_edges(part) for part in view.quote_context]
        if view.quote_context else None,
        "sources": [source_row(s) for s in view.sources]
        or [source_row(SourceRef(url=u)) for u in common.urls],
        "seed_statement": body_text(view.seed_statement or ""),
        "seed": source_row(seed) if seed else None,
        "dismissed": {"label": one_line(str(view.dismissed.get("label") or ""), 40),
                      "reason": one_line(str(view.dismissed.get("reason") or ""), 500)}
        if view.dismissed else None,
    }


def render_alert(view: AlertView) -> RenderedMessage:
    """The alert email's subject, text and HTML."""
    ctx = alert_context(view)
    text, html = _render("alert", a=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html)


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
    text, html = _render("digest", d=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html, images=ctx["images"])
