"""The figures pages: each claim's values over time, from the store's tables.

Reads claims and figure observations directly (another module may later
add a richer `figures` view; this one needs only what analysis writes).
`mark_conflicts` is pure: two current observations of one claim dated
within CONFLICT_DAYS of each other that state different values conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.alert_rows import _utc
from alerts.delivery.formatting import fmt_day, fmt_qualified, fmt_value
from alerts.delivery.sanitize import one_line
from store.models import Article, Claim, FigureObservation, Source

CONFLICT_DAYS = 2


@dataclass(frozen=True)
class Observed:
    """One value of a claim at a date: the seed's, or an article's."""

    when: dt.date
    value: Any
    current: bool


def mark_conflicts(points: list[Observed]) -> list[bool]:
    """For each point, whether a nearby current point states another value."""
    flags = [False] * len(points)
    for i, a in enumerate(points):
        if not a.current:
            continue
        for j in range(i + 1, len(points)):
            b = points[j]
            if b.current and abs((b.when - a.when).days) <= CONFLICT_DAYS and b.value != a.value:
                flags[i] = flags[j] = True
    return flags


def claim_summaries(session: Session) -> list[dict[str, Any]]:
    """Every claim with its seed and last known values and how often it was seen."""
    counts = dict(session.execute(select(FigureObservation.claim_id, func.count())
                                  .group_by(FigureObservation.claim_id)).all())
    return [{
        "key": c.key, "label": one_line(c.label or c.key.replace("_", " "), 200),
        "measure": one_line(c.measure, 400),
        "seed": fmt_qualified(c.value, c.qualifier),
        "current": fmt_qualified(c.current_value, c.current_qualifier),
        "changed": c.current_value != c.value, "observations": counts.get(c.id, 0),
    } for c in session.scalars(select(Claim).order_by(Claim.id)).all()]


def find_claim(session: Session, key: str) -> Claim | None:
    return session.scalars(select(Claim).where(Claim.key == key).order_by(Claim.id)
                           .limit(1)).first()


def observation_rows(session: Session, claim: Claim) -> list[dict[str, Any]]:
    """The seed's statement, then every observation by date, conflicts marked."""
    seed_when = claim.seed.published or claim.created_at
    rows: list[dict[str, Any]] = [{
        "when": seed_when.date(), "value": claim.value, "qualifier": claim.qualifier,
        "current": True, "outcome": "seed", "quote": claim.quote,
        "outlet": "seed", "url": claim.seed.location, "title": claim.seed.title or "",
        "article_id": None, "published": _utc(seed_when),
    }]
    found = session.execute(
        select(FigureObservation, Article, Source.name)
        .join(Article, Article.id == FigureObservation.article_id)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(FigureObservation.claim_id == claim.id)).all()
    for obs, article, outlet in found:
        when = article.published or obs.created_at
        rows.append({
            "when": when.date(), "value": obs.value, "qualifier": obs.qualifier,
            "current": obs.current, "outcome": obs.outcome or "", "quote": obs.quote,
            "outlet": outlet or "", "url": article.url, "title": article.title or "",
            "article_id": article.id, "published": _utc(article.published),
        })
    rows[1:] = sorted(rows[1:], key=lambda r: (r["when"], r["article_id"] or 0))
    flags = mark_conflicts([Observed(r["when"], r["value"], r["current"]) for r in rows])
    for row, conflict in zip(rows, flags, strict=True):
        row["conflict"] = conflict
    return rows


def display_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The observation rows as the page's table shows them."""
    return [{
        "date": fmt_day(r["when"]), "value": fmt_qualified(r["value"], r["qualifier"]),
        "qualifier": r["qualifier"], "current": r["current"], "outcome": r["outcome"],
        "quote": one_line(r["quote"], 700), "outlet": one_line(r["outlet"], 100),
        "title": one_line(r["title"], 300), "url": one_line(r["url"], 2000),
        "linkable": str(r["url"]).lower().startswith(("http://", "https://")),
        "article_id": r["article_id"], "conflict": r["conflict"],
    } for r in rows]


def export_rows(session: Session, claim_key: str | None) -> list[dict[str, Any]]:
    """Observations of one claim (or all) as flat export rows."""
    claims = session.scalars(select(Claim).order_by(Claim.id)).all()
    out = []
    for claim in claims:
        if claim_key and claim.key != claim_key:
            continue
        for r in observation_rows(session, claim):
            out.append({"claim": claim.key, "date": r["when"].isoformat(), "value": r["value"],
                        "value_text": fmt_value(r["value"]), "qualifier": r["qualifier"],
                        "current": r["current"], "outcome": r["outcome"],
                        "conflict": r["conflict"], "quote": r["quote"], "outlet": r["outlet"],
                        "url": r["url"], "article_id": r["article_id"],
                        "published": r["published"]})
    return out
