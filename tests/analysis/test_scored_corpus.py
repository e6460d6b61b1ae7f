"""The dev corpus, stored phase by phase as the crawler would, analysed and
scored with the shared score.py against the quality targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from alerts.pipeline import analyse_pending
from store.config import Config
from store.db import session_scope
from store.models import Alert, Article
from tests.analysis.corpus_loader import run_corpus, score
from tests.support import DEV_CORPUS


@pytest.fixture
def scored(engine: Engine, tmp_path: Path):
    summaries, alerts_path, articles_path = run_corpus(engine, DEV_CORPUS, Config(), tmp_path)
    return engine, summaries, score(DEV_CORPUS, alerts_path, articles_path)


def test_the_dev_corpus_meets_the_quality_targets(scored) -> None:
    _, _, result = scored
    assert result.figure["f1"] >= 0.90, result.report["figure_change"]
    assert result.raid["f1"] >= 0.85, result.report["new_raid"]
    assert result.relevance["f1"] >= 0.90, result.report["relevance"]


def test_no_alert_comes_from_a_syndicated_copy_or_an_irrelevant_article(scored) -> None:
    engine, _, _ = scored
    with session_scope(engine) as session:
        sources = session.scalars(
            select(Article).join(Alert, Alert.article_id == Article.id)).all()
        assert sources
        assert all(a.duplicate_of_id is None and a.relevant for a in sources)


def test_analysing_everything_again_raises_nothing_new(scored) -> None:
    engine, summaries, _ = scored
    with session_scope(engine) as session:
        before = session.scalar(select(Alert.id).order_by(Alert.id.desc()).limit(1))
        assert analyse_pending(session, Config()).analysed == 0
        session.execute(update(Article).values(needs_analysis=True))
    with session_scope(engine) as session:
        again = analyse_pending(session, Config())
    with session_scope(engine) as session:
        assert again.analysed == len(session.scalars(select(Article.id)).all())
    assert again.alert_ids == []
    with session_scope(engine) as session:
        assert session.scalar(select(Alert.id).order_by(Alert.id.desc()).limit(1)) == before
