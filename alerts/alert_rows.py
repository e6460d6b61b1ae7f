"""Rows for `claims`, `articles` and `alerts` (the CLI prints them; tests read them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.evidence import alert_evidence
from alerts.feedback import dismissals
from alerts.payloads import payload_of, raid_key_of
from store.captures import captures_of
from store.models import Alert, Article, Claim, Entity, Raid, RaidReport
from store.types import rfc3339, rfc3339_text


def _utc(moment: dt.datetime | None) -> str | None:
    return rfc3339(moment)


# Payload fields that hold a timestamp (shown in the one --json format).
TIMESTAMP_FIELDS = ("published", "created_at", "updated")


def claim_rows(session: Session) -> list[dict[str, Any]]:
    """The baseline claims with their last known values."""
    return [{
        "record": "claim", "key": c.key, "label": c.label or c.key.replace("_", " "),
        "value": c.value, "qualifier": c.qualifier, "measure": c.measure,
        "scope": {"place": c.scope_place, "period": c.scope_period, "source": c.scope_source},
        "quote": c.quote, "current_value": c.current_value,
        "current_qualifier": c.current_qualifier, "seed_id": c.seed_id,
        "muted": c.muted,
    } for c in session.scalars(select(Claim).order_by(Claim.id))]


def entity_rows(session: Session) -> list[dict[str, Any]]:
    """The seeds' entities (people, organisations, places) with their aliases."""
    return [{"record": "entity", "kind": e.kind, "name": e.name,
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
        "record": "article", "id": a.id, "url": a.url, "title": a.title, "published": _utc(a.published),
        "language": a.language, "relevant": a.relevant, "relevance": a.relevance,
        "source": a.source.name if a.source is not None else None,
        "duplicate_of": a.duplicate_of_id,
        "published_from": a.published_from, "standfirst": a.standfirst,
        "captions": list(a.captions or []),
        # When the current text was fetched, and the SHA-256 of the page as archived.
        "fetched_at": _utc(copies[a.id][-1].fetched_at if copies.get(a.id)
                           else a.updated_at or a.fetched_at),
        "sha256": copies[a.id][-1].sha256 if copies.get(a.id) else None,
    } for a in found]


def alert_rows(session: Session, since: dt.datetime | None = None,
               kind: str | None = None) -> list[dict[str, Any]]:
    """Raised alerts, oldest first, in the `alerts --json` shape (raid sources added).

    `dismissed` is the desk's mark ({"verdict", "label", "reason", "at"}) or None."""
    query = select(Alert).order_by(Alert.id)
    if since is not None:
        query = query.where(Alert.created_at >= since)
    if kind:
        query = query.where(Alert.kind == kind)
    return alert_rows_of(session, list(session.scalars(query)))


def alert_rows_of(session: Session, found: list[Alert]) -> list[dict[str, Any]]:
    """The given alerts in the `alerts --json` shape, with raid sources and marks."""
    rows = []
    marks = dismissals(session, [a.id for a in found])
    raid_keys = {a.id: k for a in found if (k := raid_key_of(payload_of(a)))}
    reported = reports_by_raid(session, set(raid_keys.values()))
    for alert in found:
        row = {"record": "alert", "id": alert.id, **alert.payload,
               "created_at": _utc(alert.created_at)}
        for key in TIMESTAMP_FIELDS:
            if key in row:
                row[key] = rfc3339_text(row[key])
        row["kind"] = alert.kind
        row["dismissed"] = marks.get(alert.id)
        if key := raid_keys.get(alert.id):
            urls = list(row.get("urls") or [])
            urls += [u for u in reported.get(key, []) if u not in urls]
            row["urls"] = urls
        # Per cited article: its archived copy (fetch time, body SHA-256, id).
        row["evidence"] = alert_evidence(session, row.get("urls") or [], alert.created_at)
        rows.append(row)
    return rows


def reports_by_raid(session: Session, keys: set[str]) -> dict[str, list[str]]:
    """raid key -> the URLs of its reports in report order (one query for all)."""
    out: dict[str, list[str]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 400):
        for key, url in session.execute(
                select(Raid.key, Article.url).join(RaidReport, RaidReport.raid_id == Raid.id)
                .join(Article, Article.id == RaidReport.article_id)
                .where(Raid.key.in_(ordered[start:start + 400])).order_by(RaidReport.id)):
            out.setdefault(key, []).append(url)
    return out
