"""Rows for `claims`, `articles` and `alerts` (the CLI prints them; tests read them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.evidence import alert_evidence
from store.captures import captures_of
from store.models import Alert, Article, Claim, Entity, Raid, RaidReport


def _utc(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def claim_rows(session: Session) -> list[dict[str, Any]]:
    """The baseline claims with their last known values."""
    return [{
        "type": "claim", "key": c.key, "label": c.label or c.key.replace("_", " "),
        "value": c.value, "qualifier": c.qualifier, "measure": c.measure,
        "scope": {"place": c.scope_place, "period": c.scope_period, "source": c.scope_source},
        "quote": c.quote, "current_value": c.current_value,
        "current_qualifier": c.current_qualifier, "seed_id": c.seed_id,
    } for c in session.scalars(select(Claim).order_by(Claim.id))]


def entity_rows(session: Session) -> list[dict[str, Any]]:
    """The seeds' entities (people, organisations, places) with their aliases."""
    return [{"type": "entity", "kind": e.kind, "name": e.name,
             "aliases": [a.alias for a in e.aliases]}
            for e in session.scalars(select(Entity).order_by(Entity.kind, Entity.name))]


def article_rows(session: Session, since: dt.datetime | None = None,
                 relevant_only: bool = False) -> list[dict[str, Any]]:
    """Collected articles, oldest first, in the `articles --json` shape."""
    query = select(Article).order_by(Article.published, Article.id)
    if since is not None:
        query = query.where(Article.published >= since)
    if relevant_only:
        query = query.where(Article.relevant.is_(True))
    found = list(session.scalars(query))
    copies = captures_of(session, (a.id for a in found))
    return [{
        "id": a.id, "url": a.url, "title": a.title, "published": _utc(a.published),
        "language": a.language, "relevant": a.relevant, "relevance": a.relevance,
        "source": a.source.name if a.source is not None else None,
        "duplicate_of": a.duplicate_of_id,
        # When the current text was fetched, and the SHA-256 of the page as archived.
        "fetched_at": _utc(copies[a.id][-1].fetched_at if copies.get(a.id)
                           else a.updated_at or a.fetched_at),
        "sha256": copies[a.id][-1].sha256 if copies.get(a.id) else None,
    } for a in found]


def alert_rows(session: Session, since: dt.datetime | None = None,
               kind: str | None = None) -> list[dict[str, Any]]:
    """Raised alerts, oldest first, in the `alerts --json` shape (raid sources added)."""
    query = select(Alert).order_by(Alert.id)
    if since is not None:
        query = query.where(Alert.created_at >= since)
    if kind:
        query = query.where(Alert.kind == kind)
    rows = []
    for alert in session.scalars(query):
        row = {"id": alert.id, **alert.payload, "created_at": _utc(alert.created_at)}
        row["kind"] = alert.kind
        if alert.kind == "new_raid" and alert.payload.get("raid_key"):
            row["urls"] = _raid_urls(session, alert.payload["raid_key"], row.get("urls") or [])
        # Per cited article: its archived copy (fetch time, body SHA-256, id).
        row["evidence"] = alert_evidence(session, row.get("urls") or [], alert.created_at)
        rows.append(row)
    return rows


def _raid_urls(session: Session, raid_key: str, first: list[str]) -> list[str]:
    urls = list(first)
    raid = session.scalar(select(Raid).where(Raid.key == raid_key))
    if raid is None:
        return urls
    reports = session.scalars(
        select(RaidReport).where(RaidReport.raid_id == raid.id).order_by(RaidReport.id))
    for report in reports:
        if report.article is not None and report.article.url not in urls:
            urls.append(report.article.url)
    return urls
