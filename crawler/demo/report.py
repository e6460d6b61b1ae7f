"""What the demo shows after each phase: rows read from the store, and the
rich table that prints them.

Reading is separate from printing so that the run can return the same rows
as data (the tests check them) and the terminal gets a readable table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.delivery.plural import plural
from store.models import Alert, Article, ArticleRevision


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    source: str
    language: str
    relevant: bool | None
    duplicate_of: int | None
    url: str


@dataclass
class PhaseReport:
    """What one phase of the story brought: new articles and the alerts raised."""

    phase: int
    articles: list[ArticleRow] = field(default_factory=list)
    revised: list[ArticleRow] = field(default_factory=list)
    figure_changes: list[dict[str, Any]] = field(default_factory=list)
    new_raids: list[dict[str, Any]] = field(default_factory=list)
    other_alerts: list[dict[str, Any]] = field(default_factory=list)
    crawl_seconds: float = 0.0
    emails_sent: int = 0


def collect(session: Session, phase: int, after_article: int, after_alert: int,
            since: dt.datetime | None = None) -> PhaseReport:
    """Articles and alerts with ids above the marks (those the phase added), and
    older articles that got a new revision since `since`."""
    report = PhaseReport(phase)
    if since is not None:
        revised = select(ArticleRevision).where(
            ArticleRevision.fetched_at >= since, ArticleRevision.revision > 1,
            ArticleRevision.article_id <= after_article)
        for rev in session.scalars(revised.order_by(ArticleRevision.id)):
            art = rev.article
            report.revised.append(ArticleRow(
                art.id, art.title or art.url, art.source.name if art.source else "",
                art.language or "", art.relevant, art.duplicate_of_id, art.url,
            ))
    for art in session.scalars(select(Article).where(Article.id > after_article)
                               .order_by(Article.published, Article.id)):
        report.articles.append(ArticleRow(
            art.id, art.title or art.url, art.source.name if art.source else "",
            art.language or "", art.relevant, art.duplicate_of_id, art.url,
        ))
    for alert in session.scalars(select(Alert).where(Alert.id > after_alert).order_by(Alert.id)):
        payload = dict(alert.payload or {})
        payload.setdefault("id", alert.id)
        article = session.get(Article, alert.article_id) if alert.article_id else None
        payload["_source"] = article.source.name if article and article.source else ""
        if alert.kind == "figure_change":
            report.figure_changes.append(payload)
        elif alert.kind == "new_raid":
            report.new_raids.append(payload)
        else:
            report.other_alerts.append({"kind": alert.kind, **payload})
    return report


def format_value(value: Any) -> str:
    """A figure as people write it: 1,000; 70,000–100,000; Tier 3."""
    if value is None:
        return "?"
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{format_value(value[0])}–{format_value(value[1])}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(quote: str, needle: str, limit: int = 110) -> str:
    """A window of the quote around the figure, so the number is always shown."""
    quote = " ".join(quote.split())
    at = quote.find(needle.split("–")[0].lstrip("~"))
    if len(quote) <= limit or at < limit // 2:
        return _short(quote, limit)
    start = max(0, at - limit // 2)
    return "…" + _short(quote[start:], limit - 1)


def _raid_line(raid: dict[str, Any]) -> str:
    where = ", ".join(str(x) for x in (raid.get("place"), raid.get("location")) if x)
    counts = []
    if raid.get("arrested") is not None:
        counts.append(f"{format_value(raid['arrested'])} detained")
    if raid.get("rescued") is not None:
        counts.append(f"{format_value(raid['rescued'])} rescued")
    parts = [where or "?", str(raid.get("date") or "date unknown")]
    if raid.get("site"):
        parts.append(str(raid["site"]))
    return " · ".join(parts + counts)


def phase_table(report: PhaseReport, total_phases: int) -> Table:
    """One table per phase: new articles, then figure changes, then new raids."""
    table = Table(
        title=f"Phase {report.phase} of {total_phases}: "
              f"{plural(len(report.articles), 'new article')}, "
              f"{plural(len(report.figure_changes), 'figure change')}, "
              f"{plural(len(report.new_raids), 'new raid')}",
        title_justify="left", show_lines=False, expand=False,
    )
    table.add_column("what", no_wrap=True)
    table.add_column("detail", overflow="fold", ratio=1, min_width=30)
    table.add_column("source", no_wrap=True)
    for row in report.articles:
        notes = []
        if row.relevant is False:
            notes.append("not relevant")
        if row.duplicate_of:
            notes.append(f"copy of article #{row.duplicate_of}")
        # On a line of its own: a note folded across lines is hard to read (and to grep).
        note = f"\n[dim]({', '.join(notes)})[/]" if notes else ""
        table.add_row("article", f"#{row.id} {escape(_short(row.title))}{note}",
                      escape(f"{row.source} ({row.language})"))
    for row in report.revised:
        table.add_row("[cyan]revised[/]", f"#{row.id} {escape(_short(row.title))} [dim](same URL, "
                      "new text: re-analysed)[/]", escape(f"{row.source} ({row.language})"))
    if report.figure_changes:
        table.add_section()
    for fig in report.figure_changes:
        change = (f"{format_value(fig.get('previous_value'))} → "
                  f"{fig.get('qualifier') if fig.get('qualifier') not in (None, '=') else ''}"
                  f"{format_value(fig.get('new_value'))}")
        label = (str(fig.get("label") or fig.get("claim_key") or "").replace("_", " ")
                 or _short(fig.get("claim", ""), 70))
        quote = _excerpt(str(fig.get("quote", "")), format_value(fig.get("new_value")))
        table.add_row("[bold yellow]figure change[/]",
                      f"[bold]{escape(label)}[/]: {change}\n[dim]“{escape(quote)}”[/]",
                      _source_of(fig))
    if report.new_raids:
        table.add_section()
    for raid in report.new_raids:
        table.add_row("[bold red]new raid[/]", escape(_raid_line(raid)), _source_of(raid))
    for other in report.other_alerts:
        table.add_row(escape(str(other.get("kind"))), escape(_short(str(other.get("quote", "")))),
                      _source_of(other))
    return table


def _source_of(payload: dict[str, Any]) -> str:
    urls = payload.get("urls") or []
    more = f" +{len(urls) - 1}" if len(urls) > 1 else ""
    return escape(f"{payload.get('_source') or '?'}{more}")


def print_phase(console: Console, report: PhaseReport, total_phases: int) -> None:
    console.print(phase_table(report, total_phases))
    console.print(f"[dim]crawled in {report.crawl_seconds:.1f} s; "
                  f"{plural(report.emails_sent, 'alert email')} sent[/]\n")
