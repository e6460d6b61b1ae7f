"""Every observation behind the figure alerts, and where outlets disagree.

`observation_rows(session, claim_key)` lists each stored figure observation
(latest revision of each article) with its claim, value, qualifier, whether it
is current or background, its quote, article and date. `mark_conflicts`
(pure) flags current observations of one claim from different outlets, a few
days apart, that give different values: a journalist checks those first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.detect import same_value
from store.models import Article, Claim, FigureObservation, Source
from store.types import rfc3339

CONFLICT_DAYS = 3


def observation_rows(session: Session, claim_key: str | None = None) -> list[dict[str, Any]]:
    """Observations in publication order, each with `conflicts_with` (observation ids)."""
    query = (select(FigureObservation, Claim, Article)
             .join(Claim, FigureObservation.claim_id == Claim.id)
             .join(Article, FigureObservation.article_id == Article.id)
             .where(FigureObservation.revision == Article.revision))
    if claim_key:
        query = query.where(Claim.key == claim_key)
    sources = {s.id: s.name for s in session.scalars(select(Source))}
    rows = []
    for obs, claim, article in session.execute(query):
        rows.append({
            "record": "observation", "id": obs.id, "claim": claim.key,
            "label": claim.label or claim.key, "value": obs.value, "qualifier": obs.qualifier,
            "current": bool(obs.current), "statement": "current" if obs.current else "background",
            "outcome": obs.outcome, "quote": obs.quote, "article_id": article.id,
            "title": article.title, "url": article.url,
            "outlet": sources.get(article.source_id) or urlsplit(article.url).hostname or "",
            "published": rfc3339(article.published),
        })
    rows.sort(key=lambda r: (r["published"] or "", r["id"]))
    return mark_conflicts(rows)


def _day(row: dict[str, Any]) -> dt.date | None:
    return dt.datetime.fromisoformat(row["published"]).date() if row.get("published") else None


def mark_conflicts(rows: Sequence[dict[str, Any]],
                   days: int = CONFLICT_DAYS) -> list[dict[str, Any]]:
    """Copies of `rows` with `conflicts_with`: the ids of current observations of the same
    claim from another outlet, published within `days`, with a different value."""
    out = [dict(r, conflicts_with=[]) for r in rows]
    current = [r for r in out if r["current"] and _day(r) is not None]
    for i, a in enumerate(current):
        for b in current[i + 1:]:
            if a["claim"] != b["claim"] or a["outlet"] == b["outlet"]:
                continue
            if abs((_day(a) - _day(b)).days) > days:  # type: ignore[operator]
                continue
            if not same_value(a["value"], b["value"]):
                a["conflicts_with"].append(b["id"])
                b["conflicts_with"].append(a["id"])
    return out
