"""Render alerts and digests to a subject, a plain-text part and an HTML part.

Pure: views in, RenderedMessage out. Two Jinja2 environments: the HTML one
has autoescape=True set explicitly (Jinja2 does not escape by default, and
`select_autoescape` would not match our `.html.j2` names), the text one
escapes nothing because plain text has no markup to break.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from alerts.chart import sparkline_svg
from alerts.formatting import fmt_day, fmt_qualified, fmt_value, numeric, short_label
from alerts.sanitize import body_text, header_text, one_line
from alerts.views import AlertView, DigestData, RenderedMessage, SourceRef

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
    if view.kind == "figure_change":
        label = p.get("label") or short_label(p.get("claim_key"), str(p.get("claim") or ""))
        subject = (f"Figure changed: {label} {fmt_value(p.get('previous_value'))} → "
                   f"{fmt_value(p.get('new_value'))}")
    elif view.kind == "new_raid":
        subject = f"New raid: {p.get('location') or 'Cambodia'}, {fmt_day(p.get('date'))}"
    else:
        subject = f"Alert: {view.kind}"
    return header_text(subject)


def alert_context(view: AlertView) -> dict[str, Any]:
    """The preformatted strings an alert's templates show (shared by email, Atom, Apprise)."""
    p = view.payload
    seed = view.seed_source
    return {
        "subject": alert_subject(view),
        "kind": view.kind,
        "claim": body_text(p.get("claim") or view.claim_measure or ""),
        "seed_value": fmt_value(p.get("seed_value")),
        "previous": fmt_value(p.get("previous_value")),
        "new": fmt_qualified(p.get("new_value"), p.get("qualifier")),
        "previous_source": source_row(view.previous_source) if view.previous_source else None,
        "published": fmt_day(p.get("published")) if p.get("published") else "",
        "location": one_line(p.get("location") or "", 100),
        "place": one_line(p.get("place") or "", 200),
        "date": fmt_day(p.get("date")),
        "site": one_line(p.get("site") or "", 300),
        "arrested": "not reported" if p.get("arrested") is None else fmt_value(p.get("arrested")),
        "rescued": "not reported" if p.get("rescued") is None else fmt_value(p.get("rescued")),
        "quote": body_text(p.get("quote") or ""),
        "context": [_keep_edges(part) for part in view.quote_context]
        if view.quote_context else None,
        "sources": [source_row(s) for s in view.sources]
        or [source_row(SourceRef(url=str(u))) for u in p.get("urls") or []],
        "seed_statement": body_text(view.seed_statement or ""),
        "seed": source_row(seed) if seed else None,
    }


def render_alert(view: AlertView) -> RenderedMessage:
    """The alert email's subject, text and HTML."""
    ctx = alert_context(view)
    text, html = _render("alert", a=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def digest_subject(data: DigestData) -> str:
    """Names the digest and its headline counts."""
    day = fmt_day(data.day)
    if data.is_empty:
        return header_text(f"compoundwatch daily digest, {day}: nothing new")
    parts = [
        _plural(len(data.changes), "figure changed", "figures changed"),
        _plural(len(data.raids), "new raid", "new raids"),
        _plural(data.coverage_count, "new article", "new articles"),
    ]
    return header_text(f"compoundwatch daily digest, {day}: {', '.join(parts)}")


def change_weight(view: AlertView) -> float:
    """How big a figure change is, relative to the value it replaced (0 when unknown).

    The digest lists the biggest changes first: 361 → 2,000 before 368 → 500.
    """
    before = numeric(view.payload.get("previous_value"))
    after = numeric(view.payload.get("new_value"))
    if before is None or after is None:
        return 0.0
    return abs(after - before) / max(abs(before), 1.0)


def digest_context(data: DigestData) -> dict[str, Any]:
    changes = []
    for view in sorted(data.changes, key=change_weight, reverse=True):  # stable on ties
        ctx = alert_context(view)
        ctx["label"] = view.payload.get("label") or short_label(view.payload.get("claim_key"),
                                                                ctx["claim"])
        changes.append(ctx)
    series = []
    for s in data.series:
        svg = sparkline_svg(s)
        series.append({
            "label": s.label or short_label(s.key, s.measure),
            "measure": body_text(s.measure, 200),
            # Built by chart.py from numbers and escaped text only: safe markup.
            "svg": Markup(svg) if svg else None,
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
        "since": fmt_day(data.window_start.date()),
        "changes": changes,
        "counts": [
            (len(data.changes), "figure changed" if len(data.changes) == 1
             else "figures changed"),
            (len(data.raids), "new raid" if len(data.raids) == 1 else "new raids"),
            (data.coverage_count, "new article" if data.coverage_count == 1
             else "new articles"),
        ],
        "raids": [alert_context(v) for v in data.raids],
        "coverage": coverage,
        "corroborations": [
            {"claim": short_label(c.claim), "value": fmt_qualified(c.value, c.qualifier),
             "source": source_row(c.source)}
            for c in data.corroborations
        ],
        "series": series,
        "health": [{"name": one_line(h.name, 200), "problem": h.problem,
                    "detail": one_line(h.detail, 300)} for h in data.health],
    }


def render_digest(data: DigestData) -> RenderedMessage:
    """The digest's subject, text and HTML (one line when the day had nothing new)."""
    ctx = digest_context(data)
    text, html = _render("digest", d=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html)
