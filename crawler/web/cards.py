"""Alert views for a page of alerts, read in a handful of queries.

alerts.delivery.context.alert_view answers for one alert (an email) with several
queries; a page of fifty alerts would make hundreds. This builds the same
AlertView for many alerts at once: the reporting articles, raids and
their reports, claims, earlier changes and the desk's marks are each read
in one query, then matched in Python.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from alerts.alert_rows import reports_by_raid
from alerts.delivery.context import quote_in_context, ref_with_copy, seed_ref
from alerts.delivery.message_data import AlertView, SourceRef
from alerts.feedback import dismissals
from alerts.payloads import FigureChange, payload_of, raid_key_of, seed_quote_of
from store.captures import CaptureRef, captures_of, copy_as_of
from store.models import Alert, Article, Claim, FigureObservation, Source


def _refs(session: Session, urls: set[str]) -> dict[str, tuple[int, SourceRef]]:
    """url -> the stored article's id and ref (by URL or canonical URL)."""
    if not urls:
        return {}
    outlets = dict(session.execute(select(Source.id, Source.name)).all())
    found: dict[str, tuple[int, SourceRef]] = {}
    for chunk in _chunks(sorted(urls), 400):
        rows = session.execute(select(Article.id, Article.url, Article.canonical_url,
                                      Article.title, Article.source_id, Article.published)
                               .where(or_(Article.url.in_(chunk),
                                          Article.canonical_url.in_(chunk))))
        for article_id, url, canonical, title, source_id, published in rows:
            ref = SourceRef(url=url, title=title, published=published,
                            outlet=outlets.get(source_id) or urlsplit(url).hostname)
            found.setdefault(url, (article_id, ref))
            if canonical:
                found.setdefault(canonical, (article_id, ref))
    return found


def _cited(url: str, refs: dict[str, tuple[int, SourceRef]],
           copies: dict[int, list[CaptureRef]], raised: dt.datetime | None) -> SourceRef:
    """A cited URL's ref with the archived copy the alert cites (as its email does)."""
    found = refs.get(url)
    if found is None:
        return SourceRef(url=url, outlet=urlsplit(url).hostname)
    article_id, ref = found
    return ref_with_copy(ref, copy_as_of(copies.get(article_id, []), raised))


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _previous_refs(session: Session, alerts: list[Alert], figures: dict[int, FigureChange],
                   claims: dict[str, Claim]) -> dict[int, SourceRef | None]:
    """alert id -> where its previous value came from (the seed, or an earlier change);
    `figures`: the figure changes among `alerts`, by alert id."""
    wanted = {f.claim_key for f in figures.values()}
    claim_ids = [claims[k].id for k in wanted if k in claims]
    # Only changes that stated one of the previous values can be their source:
    # compared as JSON text (the store writes values with json.dumps).
    values = sorted({json.dumps(f.previous_value) for f in figures.values()})
    changes: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if claim_ids:
        for row in session.execute(
                select(FigureObservation.claim_id, FigureObservation.value,
                       FigureObservation.article_id, FigureObservation.created_at,
                       FigureObservation.id)
                .where(FigureObservation.claim_id.in_(claim_ids),
                       FigureObservation.outcome == "change",
                       cast(FigureObservation.value, Text).in_(values))):
            changes[row[0]].append(tuple(row))
    out: dict[int, SourceRef | None] = {}
    chosen: dict[int, int] = {}
    for alert in alerts:
        figure = figures.get(alert.id)
        claim = claims.get(figure.claim_key) if figure else None
        if figure is None or claim is None:
            continue
        previous = figure.previous_value
        if previous == claim.value:
            out[alert.id] = seed_ref(claim.seed)
            continue
        earlier = sorted((r for r in changes[claim.id] if r[3] <= alert.created_at),
                         key=lambda r: (r[3], r[4]), reverse=True)
        found = next((r[2] for r in earlier if r[1] == previous and r[2] != alert.article_id),
                     None)
        out[alert.id] = None
        if found is not None:
            chosen[alert.id] = found
    refs = _article_refs(session, set(chosen.values()))
    out.update({alert_id: refs.get(article_id) for alert_id, article_id in chosen.items()})
    return out


def _article_refs(session: Session, ids: set[int]) -> dict[int, SourceRef]:
    if not ids:
        return {}
    outlets = dict(session.execute(select(Source.id, Source.name)).all())
    return {i: SourceRef(url=url, title=title, published=published,
                         outlet=outlets.get(source_id) or urlsplit(url).hostname)
            for i, url, title, source_id, published in session.execute(
                select(Article.id, Article.url, Article.title, Article.source_id,
                       Article.published).where(Article.id.in_(sorted(ids))))}


def alert_views(session: Session, alerts: list[Alert]) -> list[AlertView]:
    """The AlertView of each alert (as alert_view would give), in a few queries."""
    payloads = {a.id: payload_of(a) for a in alerts}
    raid_keys = {a.id: k for a in alerts if (k := raid_key_of(payloads[a.id]))}
    figures = {i: p for i, p in payloads.items() if isinstance(p, FigureChange)}
    raid_urls = reports_by_raid(session, set(raid_keys.values()))
    urls: dict[int, list[str]] = {}
    for a in alerts:
        listed = list(p.urls) if (p := payloads[a.id]) else []
        for extra in raid_urls.get(raid_keys.get(a.id, ""), []):
            if extra not in listed:
                listed.append(extra)
        urls[a.id] = listed
    refs = _refs(session, {u for listed in urls.values() for u in listed})
    copies = captures_of(session, {i for i, _ in refs.values()})
    texts = dict(session.execute(select(Article.id, Article.text).where(
        Article.id.in_(sorted({a.article_id for a in alerts if a.article_id})))).all()) \
        if alerts else {}
    keys = {f.claim_key for f in figures.values()}
    claims = {c.key: c for c in session.scalars(select(Claim).where(
        Claim.key.in_(sorted(k for k in keys if k))).order_by(Claim.id.desc()))} if keys else {}
    previous = _previous_refs(session, alerts, figures, claims)
    marks = dismissals(session, [a.id for a in alerts])
    views = []
    for a in alerts:
        payload = payloads[a.id]
        claim = claims.get(payload.claim_key) if isinstance(payload, FigureChange) else None
        quote, text = (payload.quote if payload else ""), texts.get(a.article_id or -1)
        views.append(AlertView(
            kind=a.kind, payload=payload, id=a.id, created_at=a.created_at,
            sources=tuple(_cited(u, refs, copies, a.created_at) for u in urls[a.id]),
            previous_source=previous.get(a.id),
            seed_statement=claim.quote if claim else seed_quote_of(payload),
            seed_source=seed_ref(claim.seed) if claim else None,
            claim_measure=claim.measure if claim else None,
            quote_context=quote_in_context(text or "", quote) if quote and text else None,
            dismissed=marks.get(a.id),
        ))
    return views
