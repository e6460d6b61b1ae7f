"""`evidence export` and `evidence verify --alert`: the pages behind an alert
as a WACZ package, and the local archive checked against the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from alerts.evidence import EvidenceError, alert_urls, cited_articles, export_copies
from store.archive import ArchiveError, read_span, warc_date
from store.captures import check_copy, copy_as_of
from store.models import Alert
from store.wacz import Page, build_wacz


@dataclass(frozen=True)
class ExportResult:
    path: Path
    alert_id: int
    articles: int
    copies: int
    not_archived: tuple[str, ...]  # cited URLs with no archived copy

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "alert_id": self.alert_id, "articles": self.articles,
                "copies": self.copies, "not_archived": list(self.not_archived)}


@dataclass(frozen=True)
class CheckResult:
    alert_id: int
    copies: int
    problems: tuple[str, ...]


def export_alert(session: Session, directory: Path, alert_id: int, out: Path,
                 now: dt.datetime) -> ExportResult:
    """Package every revision of every article the alert cites. A copy that
    does not read back with its stored hash stops the export (EvidenceError)."""
    alert, cited = export_copies(session, alert_id)
    spans: list[bytes] = []
    pages: list[Page] = []
    for article in cited:
        for copy in article.copies:
            problem = check_copy(directory, copy)
            if problem:
                raise EvidenceError(f"the archived copy of {copy.url} is damaged: {problem}")
            try:
                spans.append(read_span(directory, copy.warc_file, copy.offset, copy.length))
            except ArchiveError as exc:
                raise EvidenceError(str(exc)) from None
        cited_copy = copy_as_of(article.copies, alert.created_at)
        if cited_copy is not None:
            pages.append(Page(cited_copy.url, warc_date(cited_copy.fetched_at), article.title))
    title = f"compoundwatch alert {alert.id} ({alert.kind})"
    build_wacz(out, spans, pages, title, now)
    return ExportResult(out, alert.id, sum(1 for a in cited if a.copies), len(spans),
                        tuple(a.url for a in cited if not a.copies))


def check_alert(session: Session, directory: Path, alert_id: int) -> CheckResult:
    """Read back every archived copy the alert cites and compare its hash."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise EvidenceError(f"there is no alert {alert_id}; `compoundwatch alerts` lists them")
    copies = [c for a in cited_articles(session, alert_urls(session, alert)) for c in a.copies]
    if not copies:
        raise EvidenceError(f"alert {alert_id} cites no archived page")
    problems = [p for p in (check_copy(directory, c) for c in copies) if p]
    return CheckResult(alert.id, len(copies), tuple(problems))
