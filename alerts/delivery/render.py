"""Render alerts to a subject, a plain-text part and an HTML part (digests:
digest_render.py, with the same templates and rows).

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

from alerts.delivery.formatting import fmt_day, fmt_qualified, fmt_value, short_label
from alerts.delivery.message_data import (
    AlertView,
    RenderedMessage,
    SourceRef,
)
from alerts.delivery.sanitize import body_text, header_text, one_line
from alerts.payloads import AlertPayload, FigureChange, NewRaid

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


def render_templates(name: str, **ctx: Any) -> tuple[str, str]:
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
    text, html = render_templates("alert", a=ctx)
    return RenderedMessage(subject=ctx["subject"], text=text, html=html)
