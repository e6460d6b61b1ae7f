"""What the articles and sources pages show: search, filters, one article, health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from alerts.alert_rows import _utc
from alerts.delivery.formatting import fmt_day, fmt_value
from alerts.delivery.sanitize import one_line
from crawler.web.filters import ArticleFilter, day_end, day_start
from store.config import format_interval
from store.models import (
    Alert,
    Article,
    ArticleRevision,
    FetchState,
    FigureObservation,
    RaidReport,
    Source,
)
from store.search import SearchTerms, match_count, matches, newest_first, parse_query

# Counting stops here: beyond it the page says "1,000+" (an exact count of a
# common word over 100,000 articles would cost more than the page).
COUNT_CAP = 1000
# A search matching more articles than this walks the published index instead
# of fetching every match to sort it (SQLite's planner cannot know).
WALK_INDEX_ABOVE = 2000


@dataclass(frozen=True)
class SearchPlan:
    """A filter with its search terms and, on SQLite, how many articles they match
    (read once per request: the list, the count and the export share it)."""

    f: ArticleFilter
    terms: SearchTerms
    found: int | None

    @property
    def walk(self) -> bool:
        return self.found is not None and self.found > WALK_INDEX_ABOVE


def plan(session: Session, f: ArticleFilter) -> SearchPlan:
    terms = parse_query(f.q or "")
    return SearchPlan(f, terms, match_count(session, terms) if terms else None)


def _article_query(session: Session, p: SearchPlan) -> Any:
    f = p.f
    query = select(Article)
    if f.q:
        if not p.terms:
            return query.where(Article.id < 0)  # nothing searchable was typed
        query = query.where(matches(session, p.terms, walk=p.walk))
    if f.relevant == "yes":
        query = query.where(Article.relevant.is_(True))
    elif f.relevant == "no":
        query = query.where(Article.relevant.is_not(True))
    if f.outlet:
        query = query.join(Source, Source.id == Article.source_id).where(Source.name == f.outlet)
    if f.language:
        query = query.where(Article.language == f.language)
    if f.since:
        query = query.where(Article.published >= day_start(f.since))
    if f.until:
        query = query.where(Article.published < day_end(f.until))
    return query


def count_articles(session: Session, p: SearchPlan) -> tuple[int, bool]:
    """(count, capped): exact without filters or for a search alone, else at most
    COUNT_CAP (capped=True: there are more)."""
    f = p.f
    if not f.active():
        return int(session.scalar(select(func.count()).select_from(Article)) or 0), False
    if f.q and p.found is not None and ArticleFilter(q=f.q, page=f.page) == f:
        return p.found, False  # the search alone: the index knows
    ids = _article_query(session, p).with_only_columns(Article.id).limit(COUNT_CAP + 1)
    n = int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    return min(n, COUNT_CAP), n > COUNT_CAP


def _snippet(text: str, query: str | None, width: int = 220) -> str:
    """The text around the first searched word (or the start), on one line."""
    lowered = text.lower()
    at = -1
    for phrase in parse_query(query or "").phrases:
        at = lowered.find(phrase[0])
        if at >= 0:
            break
    start = max(at - width // 3, 0) if at >= 0 else 0
    # Clean only the window shown (cleaning a whole long text costs more than the query).
    piece = one_line(text[start:start + width + 40], width)
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def article_list(session: Session, p: SearchPlan, page_size: int) -> list[dict[str, Any]]:
    """One page of articles, newest published first."""
    f = p.f
    # Ids first (sorting narrow rows), then the page's articles with their text.
    ids = list(session.scalars(_article_query(session, p).with_only_columns(Article.id)
                               .order_by(*newest_first(session))
                               .limit(page_size).offset((f.page - 1) * page_size)))
    loaded = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))} \
        if ids else {}
    rows = [loaded[i] for i in ids]
    outlets = _outlets(session)
    return [{
        "id": a.id, "title": one_line(a.title or a.url, 300), "url": a.url,
        "outlet": outlets.get(a.source_id or -1, ""), "date": fmt_day(a.published),
        "language": one_line(a.language or "", 16), "relevant": a.relevant,
        "duplicate_of": a.duplicate_of_id, "snippet": _snippet(a.text or "", f.q),
    } for a in rows]


def article_export_rows(session: Session, f: ArticleFilter,
                        limit: int = 200_000) -> list[dict[str, Any]]:
    """Every article matching the filter, in the `articles --json` shape."""
    outlets = _outlets(session)
    p = plan(session, f)
    query = (_article_query(session, p).with_only_columns(
        Article.id, Article.url, Article.title, Article.published, Article.language,
        Article.relevant, Article.relevance, Article.source_id, Article.duplicate_of_id)
        .order_by(Article.published, Article.id).limit(limit))
    return [{"id": r.id, "url": r.url, "title": r.title, "published": _utc(r.published),
             "language": r.language, "relevant": r.relevant, "relevance": r.relevance,
             "source": outlets.get(r.source_id or -1), "duplicate_of": r.duplicate_of_id}
            for r in session.execute(query)]


def _outlets(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(Source.id, Source.name))}


def languages(session: Session) -> list[str]:
    return sorted(x for (x,) in session.execute(select(Article.language).distinct()) if x)


def _brief(a: Article | None, outlets: dict[int, str]) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"id": a.id, "title": one_line(a.title or a.url, 300), "url": a.url,
            "outlet": outlets.get(a.source_id or -1, ""), "date": fmt_day(a.published)}


def article_detail(session: Session, article_id: int) -> dict[str, Any] | None:
    """One article: its text, revisions, original or copies, and what it reported."""
    a = session.get(Article, article_id)
    if a is None:
        return None
    outlets = _outlets(session)
    copies = session.scalars(select(Article).where(Article.duplicate_of_id == a.id)
                             .order_by(Article.id)).all()
    revisions = session.scalars(select(ArticleRevision).where(ArticleRevision.article_id == a.id)
                                .order_by(ArticleRevision.revision.desc())).all()
    observations = session.scalars(select(FigureObservation).where(
        FigureObservation.article_id == a.id).order_by(FigureObservation.id)).all()
    raids = session.scalars(select(RaidReport).where(RaidReport.article_id == a.id)).all()
    alerts = session.scalars(select(Alert).where(Alert.article_id == a.id)
                             .order_by(Alert.id)).all()
    return {
        **(_brief(a, outlets) or {}),
        "linkable": a.url.lower().startswith(("http://", "https://")),
        "language": one_line(a.language or "", 16), "relevant": a.relevant,
        "relevance": a.relevance, "revision": a.revision,
        "fetched": fmt_day(a.fetched_at), "updated": fmt_day(a.updated_at) if a.updated_at else "",
        "paragraphs": [p for p in (a.text or "").split("\n") if p.strip()],
        "duplicate_of": _brief(a.duplicate_of, outlets),
        "copies": [_brief(c, outlets) for c in copies],
        "revisions": [{"revision": r.revision, "title": one_line(r.title or "", 300),
                       "fetched": fmt_day(r.fetched_at),
                       "paragraphs": [p for p in r.text.split("\n") if p.strip()]}
                      for r in revisions if r.revision != a.revision or r.text != a.text],
        "observations": [{"claim": o.claim.key, "value": fmt_value(o.value),
                          "qualifier": o.qualifier, "current": o.current,
                          "outcome": o.outcome or "", "quote": one_line(o.quote, 700)}
                         for o in observations],
        "raids": [{"id": r.raid_id, "province": one_line(r.raid.location, 100),
                   "date": fmt_day(r.raid.date)} for r in raids],
        "alerts": [{"id": x.id, "kind": x.kind} for x in alerts],
    }


def _plain_error(error: str | None) -> str:
    """The last error on one line, readable: no traceback, no markup."""
    if not error:
        return ""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    return one_line(lines[-1] if lines else error, 300)


def source_rows(session: Session, now: dt.datetime) -> list[dict[str, Any]]:
    """Each source's health: last success and error, next run, articles, 304 rate."""
    found = dict(session.execute(select(Article.source_id, func.count())
                                 .group_by(Article.source_id)).all())
    fetches = {sid: (total, unchanged) for sid, total, unchanged in session.execute(
        select(FetchState.source_id, func.count(FetchState.last_status),
               func.sum(case((FetchState.last_status == 304, 1), else_=0)))
        .group_by(FetchState.source_id))}
    rows = []
    for s in session.scalars(select(Source).order_by(Source.name)).all():
        total, unchanged = fetches.get(s.id, (0, 0))
        health = "paused" if s.paused else "failing" if s.consecutive_failures else \
            "ok" if s.last_success_at else "new"
        rows.append({
            "name": one_line(s.name, 200), "url": s.url, "kind": s.detected_kind or s.kind,
            "every": format_interval(s.interval_seconds), "paused": s.paused, "health": health,
            "last_success": fmt_day(s.last_success_at) if s.last_success_at else "never",
            "last_success_at": _utc(s.last_success_at),
            "last_error": _plain_error(s.last_error),
            "last_error_at": fmt_day(s.last_error_at) if s.last_error_at else "",
            "failures": s.consecutive_failures,
            "next_run": _when(s.next_run_at, now) if not s.paused else "paused",
            "articles": found.get(s.id, 0),
            "rate_304": f"{100 * (unchanged or 0) / total:.0f} %" if total else "—",
        })
    return rows


def _when(moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return "at the next start"
    minutes = round((moment - now).total_seconds() / 60)
    if minutes <= 0:
        return "due now"
    return f"in {minutes} min" if minutes < 120 else f"in {minutes // 60} h"
