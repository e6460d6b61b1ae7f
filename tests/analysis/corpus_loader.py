"""Store a labelled corpus's articles as the crawler would, phase by phase,
and score what analysis raised with the shared score.py.

Articles get their title and body (caption and paragraphs), language and
publication date; syndicated copies appear one phase later under their own
URL with `duplicate_of` set; revisions replace the body at their phase and
bump `revision`. URLs and dates come from newsreplay's own corpus model
(default `ips` layout, port 8800), so score.py maps them without --urls.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.alert_rows import alert_rows, article_rows
from alerts.detect import AnalysisSummary, analyse_pending
from alerts.seed import ingest_seed, read_seed
from store.config import Config
from store.db import session_scope
from store.models import Article
from tests.support import SCORE, SEED_JSON, SHARED

sys.path.insert(0, str(SHARED / "tools"))
from replaylib.corpus import load_corpus  # noqa: E402
from replaylib.outlets import Layout  # noqa: E402


@dataclass
class Score:
    figure: dict[str, float]
    raid: dict[str, float]
    relevance: dict[str, float]
    report: dict[str, Any]


def body_of(article: Any, phase: int) -> str:
    paragraphs = [p.removeprefix("## ") for p in article.paragraphs_at(phase)]
    caption = getattr(article, "image_caption", None)
    return "\n\n".join(([caption] if caption else []) + paragraphs)


def load_phase(session: Session, corpus: Any, phase: int, layout: Layout) -> None:
    """Store what appears or changes at `phase`, as a crawler would."""
    rows = {a.url: a for a in session.scalars(select(Article))}
    for placement in sorted(corpus.placements, key=lambda p: (p.appear_phase, p.published)):
        article = placement.article
        if placement.appear_phase > phase or article.phase == 0:
            continue
        url = layout.url(placement.outlet, placement.path)
        text = body_of(article, phase)
        row = rows.get(url)
        if row is None:
            original = None
            if placement.syndicated:
                o = corpus.original(article.id)
                original = rows.get(layout.url(o.outlet, o.path))
            row = Article(url=url, title=article.title, text=text, published=placement.published,
                          language=article.language, revision=1, needs_analysis=True,
                          duplicate_of_id=original.id if original is not None else None)
            session.add(row)
            session.flush()
            rows[url] = row
        elif row.text != text:
            row.text = text
            row.revision += 1
            row.needs_analysis = True
            row.updated_at = dt.datetime.now(dt.timezone.utc)  # as the crawler: when fetched


def run_corpus(engine: Any, corpus_dir: Path, config: Config, out_dir: Path,
               seed: Path = SEED_JSON) -> tuple[list[AnalysisSummary], Path, Path]:
    """Seed, then load and analyse phase by phase; write alerts and articles JSONL."""
    corpus = load_corpus(corpus_dir)
    layout = Layout.for_mode("ips", 8800)
    with session_scope(engine) as session:
        ingest_seed(session, read_seed(str(seed)))
    summaries = []
    for phase in range(1, corpus.max_phase + 1):
        with session_scope(engine) as session:
            load_phase(session, corpus, phase, layout)
        with session_scope(engine) as session:
            summaries.append(analyse_pending(session, config))
    alerts_path, articles_path = out_dir / "alerts.jsonl", out_dir / "articles.jsonl"
    with session_scope(engine) as session:
        _write(alerts_path, alert_rows(session))
        _write(articles_path, article_rows(session))
    return summaries, alerts_path, articles_path


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows))


def score(corpus_dir: Path, alerts_path: Path, articles_path: Path) -> Score:
    proc = subprocess.run(
        [sys.executable, str(SCORE), str(corpus_dir), str(alerts_path), "--articles",
         str(articles_path), "--json"], capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(proc.stdout)
    return Score(_prf(report, "figure_change"), _prf(report, "new_raid"),
                 _prf(report, "relevance"), report)


def _prf(report: dict[str, Any], kind: str) -> dict[str, float]:
    section = report.get(kind) or report.get("kinds", {}).get(kind) or {}
    return {k: section.get(k) for k in ("precision", "recall", "f1")}
