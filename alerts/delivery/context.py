"""Gather what an alert's message shows beyond its payload.

The payload says what changed; the reader also wants each reporting
article's title, outlet and date, where the previous value came from, and
the seed's own statement. This is the only module of the rendering path
that reads the database; it returns plain views.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alerts.delivery.message_data import AlertView, SourceRef
from alerts.feedback import dismissals
from alerts.payloads import FigureChange, payload_of, seed_quote_of
from store.captures import CaptureRef, captures_of, copy_as_of
from store.models import Alert, Article, Claim, FigureObservation, SeedDocument


def article_ref(article: Article) -> SourceRef:
    outlet = article.source.name if article.source else urlsplit(article.url).hostname
    return SourceRef(url=article.url, title=article.title, outlet=outlet,
                     published=article.published)


def source_refs(session: Session, urls: Iterable[str],
                as_of: dt.datetime | None = None) -> tuple[SourceRef, ...]:
    """Each URL with its article's title, outlet and date when we stored it, and
    the archived copy an alert raised at `as_of` cites (alerts.evidence)."""
    refs = []
    for url in urls:
        url = str(url)
        article = session.scalars(
            select(Article).where(or_(Article.url == url, Article.canonical_url == url)).limit(1)
        ).first()
        refs.append(with_copy(session, article_ref(article), article.id, as_of) if article else
                    SourceRef(url=url, outlet=urlsplit(url).hostname))
    return tuple(refs)


def with_copy(session: Session, ref: SourceRef, article_id: int,
              as_of: dt.datetime | None) -> SourceRef:
    return ref_with_copy(ref, copy_as_of(captures_of(session, [article_id])[article_id], as_of))


def ref_with_copy(ref: SourceRef, copy: CaptureRef | None) -> SourceRef:
    """The ref naming its archived copy (fetch time, body hash, record id), if any."""
    if copy is None:
        return ref
    return dataclasses.replace(ref, fetched_at=copy.fetched_at, sha256=copy.sha256,
                               archive_id=copy.record_id)


CONTEXT_CHARS = 280


_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


def _sentence_bounds(flat: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a whitespace-normalised text."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(flat):
        bounds.append((start, match.start()))
        start = match.end()
    if start < len(flat):
        bounds.append((start, len(flat)))
    return bounds


def quote_in_context(text: str, quote: str) -> tuple[str, str, str] | None:
    """(before, quote, after): the quote's sentence with the sentence before and
    after it, each side capped at CONTEXT_CHARS; None when the quote is not
    found or nothing surrounds it (the reader has seen the quote already).

    Quotes are often fragments ("more than 500 complaints") or one sentence;
    the reader needs the neighbouring sentences to judge them.
    """
    flat = " ".join(text.split())
    needle = " ".join(quote.strip(" .…\"'“”").split())
    if not flat or len(needle) < 3:
        return None
    at = flat.lower().find(needle.lower())
    if at < 0:
        return None
    end = at + len(needle)
    bounds = _sentence_bounds(flat)
    first = next(i for i, (s0, s1) in enumerate(bounds) if s1 >= at)
    last = next((i for i, (s0, s1) in enumerate(bounds) if s1 >= end), len(bounds) - 1)
    start = bounds[max(first - 1, 0)][0]
    stop = bounds[min(last + 1, len(bounds) - 1)][1]
    start, stop = max(start, at - CONTEXT_CHARS), min(stop, end + CONTEXT_CHARS)
    before = ("…" if start > 0 and start not in {b[0] for b in bounds} else "") + flat[start:at]
    after = flat[end:stop] + ("…" if stop < len(flat) and stop not in {b[1] for b in bounds}
                              else "")
    if not before.strip(" .…") and not after.strip(" .…"):
        return None
    return before, flat[at:end], after


def seed_ref(seed: SeedDocument) -> SourceRef:
    return SourceRef(url=seed.location, title=seed.title or "the seed article",
                     outlet="seed", published=seed.published)


def find_claim(session: Session, payload: FigureChange) -> Claim | None:
    key = payload.claim_key
    if key:
        claim = session.scalars(select(Claim).where(Claim.key == key).limit(1)).first()
        if claim:
            return claim
    text = payload.claim
    if text:
        return session.scalars(select(Claim).where(Claim.measure == text).limit(1)).first()
    return None


def _previous_source(session: Session, claim: Claim, alert: Alert,
                     previous: Any) -> SourceRef | None:
    if previous == claim.value:
        return seed_ref(claim.seed)
    rows = session.scalars(
        select(FigureObservation)
        .where(FigureObservation.claim_id == claim.id, FigureObservation.outcome == "change",
               FigureObservation.created_at <= alert.created_at)
        .order_by(FigureObservation.created_at.desc(), FigureObservation.id.desc())
    ).all()
    for obs in rows:
        if obs.value == previous and obs.article_id != alert.article_id:
            return article_ref(obs.article)
    return None


def alert_view(session: Session, alert: Alert) -> AlertView:
    """The alert with its sources, previous-value source and seed statement."""
    payload = payload_of(alert)
    sources = source_refs(session, list(payload.urls) if payload else [], alert.created_at)
    claim = find_claim(session, payload) if isinstance(payload, FigureChange) else None
    context = None
    if payload and payload.quote:
        first = session.get(Article, alert.article_id) if alert.article_id else None
        if first is not None:
            context = quote_in_context(first.text or "", payload.quote)
    return AlertView(
        kind=alert.kind,
        payload=payload,
        id=alert.id,
        created_at=alert.created_at,
        sources=sources,
        previous_source=(_previous_source(session, claim, alert, payload.previous_value)
                         if claim and isinstance(payload, FigureChange) else None),
        seed_statement=claim.quote if claim else seed_quote_of(payload),
        seed_source=seed_ref(claim.seed) if claim else None,
        claim_measure=claim.measure if claim else None,
        quote_context=context,
        dismissed=dismissals(session, [alert.id]).get(alert.id),
    )
