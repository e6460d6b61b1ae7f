"""Gather one day's digest from the store: the queries, returning views.

A digest for day D covers the window that ends at D's digest hour (in the
digest time zone) and starts at the previous digest's hour: the day before,
or, after downtime, the last day a digest was queued (at most
`digest.catch_up_days` back), so catching up loses nothing. Windows lie in
the past once due, which makes a retried digest say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.delivery.context import alert_view, article_ref
from alerts.delivery.formatting import fmt_day
from alerts.delivery.message_data import (
    AlertView,
    Corroboration,
    CoverageItem,
    DigestData,
    FigurePoint,
    FigureSeries,
    SourceHealth,
)
from store.config import Config, parse_interval
from store.latency import format_delay, median_delays
from store.models import Alert, Article, Claim, Delivery, FigureObservation, Source

_SENTENCE = re.compile(r"(.+?[.!?。])(\s|$)")


def digest_time(config: Config, day: dt.date) -> dt.datetime:
    """The UTC instant of `day`'s digest hour in the digest time zone."""
    hour, minute = (int(x) for x in config.digest.at.split(":"))
    tz = zoneinfo.ZoneInfo(config.digest.timezone)
    return dt.datetime.combine(day, dt.time(hour, minute), tz).astimezone(dt.timezone.utc)


def latest_due_day(config: Config, now: dt.datetime) -> dt.date:
    """The most recent day whose digest hour has passed at `now`."""
    tz = zoneinfo.ZoneInfo(config.digest.timezone)
    local = now.astimezone(tz).date()
    return local if now >= digest_time(config, local) else local - dt.timedelta(days=1)


def digest_window(session: Session, config: Config, day: dt.date) -> tuple[dt.datetime,
                                                                           dt.datetime]:
    end = digest_time(config, day)
    previous = session.scalar(
        select(func.max(Delivery.digest_date)).where(Delivery.kind == "digest",
                                                     Delivery.digest_date < day)
    )
    earliest = day - dt.timedelta(days=max(config.digest.catch_up_days, 1))
    start_day = max(previous, earliest) if previous else day - dt.timedelta(days=1)
    return digest_time(config, start_day), end


def one_line_summary(article: Article) -> str:
    """The article's summary (the outlet's own one-liner), else its first sentence."""
    if article.summary and article.summary.strip():
        return " ".join(article.summary.split())
    text = " ".join((article.text or "").split())
    match = _SENTENCE.match(text)
    return match.group(1) if match else text[:200]


def _coverage(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, tuple[
        CoverageItem, ...]]:
    rows = session.scalars(
        select(Article).where(Article.relevant.is_(True), Article.duplicate_of_id.is_(None),
                              Article.fetched_at >= start, Article.fetched_at < end)
        .order_by(Article.published, Article.id)
    ).all()
    groups: dict[str, list[CoverageItem]] = defaultdict(list)
    for a in rows:
        outlet = a.source.name if a.source else (urlsplit(a.url).hostname or "unknown")
        groups[outlet].append(CoverageItem(title=a.title or a.url, url=a.url,
                                           summary=one_line_summary(a), published=a.published))
    return {k: tuple(v) for k, v in groups.items()}


def _series(session: Session, end: dt.datetime) -> tuple[FigureSeries, ...]:
    out = []
    for claim in session.scalars(select(Claim).where(Claim.muted.is_(False))
                                  .order_by(Claim.id)).all():
        seed_when = claim.seed.published or claim.created_at
        points = [FigurePoint(seed_when.date(), claim.value)]
        obs = session.scalars(
            select(FigureObservation).where(
                FigureObservation.claim_id == claim.id, FigureObservation.current.is_(True),
                FigureObservation.outcome.in_(("change", "corroboration")),
                FigureObservation.created_at < end)
        ).all()
        dated = sorted(((o.article.published or o.created_at).date(), o.id, o.value) for o in obs)
        points += [FigurePoint(when, value) for when, _, value in dated]
        out.append(FigureSeries(key=claim.key, measure=claim.measure, points=tuple(points),
                                label=claim.label))
    return tuple(out)


def _health(session: Session, config: Config, end: dt.datetime) -> tuple[SourceHealth, ...]:
    out = []
    stale_before = end - dt.timedelta(days=config.digest.stale_days)
    slow_after = float(parse_interval(config.digest.slow_after))
    delays = median_delays(session, end)
    newest = {source_id: when for source_id, when in session.execute(
        select(Article.source_id, func.max(Article.fetched_at)).group_by(Article.source_id))}
    for s in session.scalars(select(Source).where(Source.paused.is_(False))
                             .order_by(Source.name)).all():
        if s.consecutive_failures:
            out.append(SourceHealth(s.name, "failing",
                                    f"{s.consecutive_failures} failed runs in a row; last error: "
                                    f"{s.last_error or 'unknown'}"))
            continue
        delay = delays.get(s.id)
        if delay is not None and delay > slow_after:
            out.append(SourceHealth(s.name, "slow",
                                    f"articles reached the store a median "
                                    f"{format_delay(delay)} after publication over the last day"
                                    + (f" (polled every {format_delay(s.poll_interval_seconds)})"
                                       if s.poll_interval_seconds else "")))
            continue
        seen = [t for t in (s.last_new_article_at, newest.get(s.id)) if t is not None]
        since = max(seen) if seen else None
        if (since or s.created_at) < stale_before:
            out.append(SourceHealth(s.name, "unchanged",
                                    f"no new article since {fmt_day(since)}" if since else
                                    f"no new article in {config.digest.stale_days} days"))
    return tuple(out)


def upcoming_day(config: Config, now: dt.datetime) -> dt.date:
    """The day of the next digest to be sent: its window holds what is new now."""
    return latest_due_day(config, now) + dt.timedelta(days=1)


def gather_digest(session: Session, config: Config, day: dt.date,
                  until: dt.datetime | None = None) -> DigestData:
    """Everything new in `day`'s window, plus the figures' history and source health.

    With `until` before the window's end, the digest so far (`digest --print`
    right after a crawl)."""
    start, end = digest_window(session, config, day)
    cut = until if until is not None and until < end else None
    if cut is not None:
        end = cut

    def alerts_of(kind: str) -> tuple[AlertView, ...]:
        rows = session.scalars(select(Alert).where(Alert.kind == kind, Alert.created_at >= start,
                                                   Alert.created_at < end).order_by(Alert.id))
        return tuple(alert_view(session, a) for a in rows.all())

    corroborations = tuple(
        Corroboration(claim=o.claim.label or o.claim.key, value=o.value, qualifier=o.qualifier,
                      source=article_ref(o.article))
        for o in session.scalars(
            select(FigureObservation).where(FigureObservation.outcome == "corroboration",
                                            FigureObservation.created_at >= start,
                                            FigureObservation.created_at < end)
            .order_by(FigureObservation.id)).all()
    )
    return DigestData(
        day=day, window_start=start, window_end=end,
        changes=alerts_of("figure_change"), raids=alerts_of("new_raid"),
        coverage=_coverage(session, start, end), corroborations=corroborations,
        series=_series(session, end), health=_health(session, config, end), until=cut,
        timezone=config.digest.timezone,
    )
