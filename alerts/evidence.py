"""Which archived copies stand behind an alert.

An alert cites articles by URL (a raid gathers more reports later). For
each, the copy it cites is the latest fetched by the time the alert was
raised (the revision it was raised from), else the first one (a report
that came later); an export takes every revision of every cited article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alerts.payloads import payload_of, raid_key_of
from store.captures import CaptureRef, captures_of, check_copy, copy_as_of
from store.models import Alert, Article


class EvidenceError(Exception):
    """The alert or its archived copies cannot be found; the message says which."""


@dataclass(frozen=True)
class CitedArticle:
    url: str
    article_id: int | None
    title: str | None
    copies: tuple[CaptureRef, ...]


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def articles_by_url(session: Session, urls: Iterable[str]) -> dict[str, Article]:
    """The stored article behind each URL (by URL, else by canonical URL)."""
    found: dict[str, Article] = {}
    for url in dict.fromkeys(str(u) for u in urls):
        article = session.scalars(
            select(Article).where(or_(Article.url == url, Article.canonical_url == url))
            .order_by(Article.url != url, Article.id).limit(1)).first()
        if article is not None:
            found[url] = article
    return found


def cited_articles(session: Session, urls: Sequence[str]) -> list[CitedArticle]:
    """The cited URLs in order, each with its article and archived copies."""
    by_url = articles_by_url(session, urls)
    copies = captures_of(session, (a.id for a in by_url.values()))
    out = []
    for url in dict.fromkeys(str(u) for u in urls):
        article = by_url.get(url)
        out.append(CitedArticle(url, article.id if article else None,
                                article.title if article else None,
                                tuple(copies.get(article.id, ())) if article else ()))
    return out


def evidence_entry(url: str, copy: CaptureRef | None) -> dict[str, object]:
    """One cited article's archived copy, as `alerts --json` carries it."""
    if copy is None:
        return {"url": url, "fetched_at": None, "sha256": None, "archive_id": None}
    return {"url": url, "fetched_at": utc_text(copy.fetched_at), "sha256": copy.sha256,
            "archive_id": copy.record_id, "revision": copy.revision}


def alert_evidence(session: Session, urls: Sequence[str], raised_at: dt.datetime | None
                   ) -> list[dict[str, object]]:
    """Per cited URL: fetch time (UTC), body SHA-256 and archived copy id."""
    return [evidence_entry(c.url, copy_as_of(c.copies, raised_at))
            for c in cited_articles(session, urls)]


def alert_urls(session: Session, alert: Alert) -> list[str]:
    """The URLs an alert cites, as `alerts --json` lists them (raid reports included)."""
    from alerts.alert_rows import reports_by_raid

    payload = payload_of(alert)
    urls = list(payload.urls) if payload else []
    if key := raid_key_of(payload):
        urls += [u for u in reports_by_raid(session, {key}).get(key, []) if u not in urls]
    return urls


def export_copies(session: Session, alert_id: int) -> tuple[Alert, list[CitedArticle]]:
    """The alert and every revision's copy of every article it cites.

    EvidenceError when the alert does not exist or no cited page was archived."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise EvidenceError(f"there is no alert {alert_id}; `compoundwatch alerts` lists them")
    cited = cited_articles(session, alert_urls(session, alert))
    if not any(c.copies for c in cited):
        raise EvidenceError(
            f"alert {alert_id} cites no archived page (its articles were stored before the "
            "archive was switched on, or with evidence.enabled = false)")
    return alert, cited


def article_detail(session: Session, directory: Path, article_id: int) -> dict[str, object]:
    """An article's stored text beside each revision's archived copy, each
    copy read back and its hash compared (`intact`)."""
    article = session.get(Article, article_id)
    if article is None:
        raise EvidenceError(f"there is no article {article_id}; `compoundwatch articles` lists them")
    copies = captures_of(session, [article.id])[article.id]
    return {
        "id": article.id, "url": article.url, "title": article.title,
        "published": utc_text(article.published) if article.published else None,
        "revision": article.revision, "text": article.text,
        "copies": [{
            "revision": c.revision, "fetched_at": utc_text(c.fetched_at), "sha256": c.sha256,
            "archive_id": c.record_id, "url": c.url, "status": c.status,
            "warc_file": c.warc_file, "offset": c.offset, "length": c.length,
            "problem": check_copy(directory, c),
        } for c in copies],
    }
