"""What the alerts, raids and overview pages show, read from the store.

Queries return plain dicts of display-ready strings (cleaned of control
characters and bidi tricks with alerts.delivery.sanitize); templates only place and
escape them. Exports reuse the same queries with the same filters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.alert_rows import alert_rows_of
from alerts.delivery.formatting import fmt_day, fmt_value
from alerts.delivery.render import alert_context
from alerts.delivery.sanitize import one_line
from crawler.web.cards import alert_views
from crawler.web.filters import AlertFilter, RaidFilter, day_end, day_start
from store.models import Alert, AlertFeedback, Article, Claim, Raid, RaidReport, Source


def _alert_query(f: AlertFilter) -> Any:
    query = select(Alert)
    if f.kind:
        query = query.where(Alert.kind == f.kind)
    if f.claim:
        query = query.where(Alert.payload["claim_key"].as_string() == f.claim)
    if f.province:
        query = query.where(Alert.payload["location"].as_string() == f.province)
    if f.outlet:
        query = query.join(Article, Article.id == Alert.article_id).join(
            Source, Source.id == Article.source_id).where(Source.name == f.outlet)
    if f.since:
        query = query.where(Alert.created_at >= day_start(f.since))
    if f.until:
        query = query.where(Alert.created_at < day_end(f.until))
    return query


def count_alerts(session: Session, f: AlertFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(
        _alert_query(f).subquery())) or 0)


def why_it_fired(ctx: dict[str, Any], payload: dict[str, Any]) -> str:
    """One plain sentence: the rule that raised the alert."""
    if ctx["kind"] == "figure_change":
        return (f"A current figure for this claim ({ctx['new']}) differs from the last known "
                f"value ({ctx['previous']}; the seed said {ctx['seed_value']}).")
    if ctx["kind"] == "new_raid":
        return (f"The first report of an operation on premises in {ctx['location'] or 'Cambodia'}"
                f" ({ctx['date']}) that matches no raid already known.")
    return one_line(payload.get("reason") or "")


def alert_cards(session: Session, f: AlertFilter, page_size: int) -> list[dict[str, Any]]:
    """One page of alerts, newest first, each with its context for the page."""
    alerts = list(session.scalars(_alert_query(f).order_by(Alert.id.desc())
                                  .limit(page_size).offset((f.page - 1) * page_size)))
    cards = []
    for alert, view in zip(alerts, alert_views(session, alerts), strict=True):
        ctx = alert_context(view)
        payload = dict(alert.payload or {})
        ctx.update(id=alert.id, raised=fmt_day(alert.created_at),
                   why=why_it_fired(ctx, payload),
                   claim_key=one_line(payload.get("claim_key") or "", 200),
                   label=one_line(payload.get("label") or payload.get("claim_key") or "", 200))
        cards.append(ctx)
    return cards


def alert_export_rows(session: Session, f: AlertFilter) -> list[dict[str, Any]]:
    """Every alert matching the filter (no paging), in the `alerts --json` shape."""
    alerts = session.scalars(_alert_query(f).order_by(Alert.id)).all()
    return alert_rows_of(session, list(alerts))


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The values the alert filters offer: claims, provinces, outlets."""
    claims = sorted({k for (k,) in session.execute(select(Claim.key))})
    provinces = sorted({p for (p,) in session.execute(select(Raid.location).distinct()) if p})
    outlets = sorted(n for (n,) in session.execute(select(Source.name)))
    return {"claims": claims, "provinces": provinces, "outlets": outlets}


def _raid_query(f: RaidFilter) -> Any:
    query = select(Raid)
    if f.province:
        query = query.where(Raid.location == f.province)
    if f.since:
        query = query.where(Raid.date >= f.since)
    if f.until:
        query = query.where(Raid.date <= f.until)
    return query.order_by(Raid.date.desc().nulls_last(), Raid.location, Raid.id)


def count_raids(session: Session, f: RaidFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(_raid_query(f).subquery())) or 0)


def raid_rows(session: Session, f: RaidFilter, limit: int = 100,
              offset: int = 0) -> list[dict[str, Any]]:
    """Raids by date (newest first) and province, with their sources."""
    raids = session.scalars(_raid_query(f).limit(limit).offset(offset)).all()
    ids = [r.id for r in raids]
    reports: dict[int, list[tuple[RaidReport, Article]]] = {}
    if ids:
        for report, article in session.execute(
                select(RaidReport, Article).join(Article, Article.id == RaidReport.article_id)
                .where(RaidReport.raid_id.in_(ids)).order_by(RaidReport.id)):
            reports.setdefault(report.raid_id, []).append((report, article))
    outlets = {s.id: s.name for s in session.scalars(select(Source))}
    rows = []
    for r in raids:
        when: Any = r.date.strftime("%Y-%m") if r.date and r.date_precision == "month" else r.date
        rows.append({
            "id": r.id, "key": r.key, "date": r.date.isoformat() if r.date else None,
            "date_text": fmt_day(when.isoformat() if isinstance(when, dt.date) else when),
            "province": one_line(r.location, 100), "place": one_line(r.place or "", 300),
            "site": one_line(r.site or "", 300),
            "arrested": r.arrested, "rescued": r.rescued,
            "arrested_text": "—" if r.arrested is None else fmt_value(r.arrested),
            "rescued_text": "—" if r.rescued is None else fmt_value(r.rescued),
            "nationalities": [one_line(n, 60) for n in r.nationalities or []],
            "known": r.from_seed,
            "sources": [{"url": a.url, "title": one_line(a.title or a.url, 300),
                         "outlet": one_line(outlets.get(a.source_id or -1, ""), 100),
                         "article_id": a.id,
                         "linkable": a.url.lower().startswith(("http://", "https://"))}
                        for _, a in reports.get(r.id, [])],
        })
    return rows


def overview(session: Session) -> dict[str, Any]:
    """Headline counts for the front page."""
    by_kind = dict(session.execute(select(Alert.kind, func.count()).group_by(Alert.kind)).all())
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "relevant": session.scalar(select(func.count()).select_from(Article)
                                   .where(Article.relevant.is_(True))) or 0,
        "figure_changes": by_kind.get("figure_change", 0),
        "new_raids": by_kind.get("new_raid", 0),
        "dismissed": session.scalar(select(func.count()).select_from(AlertFeedback)) or 0,
        "raids": session.scalar(select(func.count()).select_from(Raid)) or 0,
        "sources": session.scalar(select(func.count()).select_from(Source)) or 0,
        "failing": session.scalar(select(func.count()).select_from(Source)
                                  .where(Source.consecutive_failures > 0)) or 0,
    }
