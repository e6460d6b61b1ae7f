"""The dev corpus, stored phase by phase as the crawler would, analysed and
scored with the shared score.py against the quality targets."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import select, update

from alerts.detect import analyse_pending
from store.config import Config
from store.db import make_engine, session_scope, upgrade
from store.models import Alert, Article
from tests.analysis.corpus_loader import run_corpus, score
from tests.support import DEV_CORPUS, postgres_database


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The corpus run once per backend; the tests below read it (the last one re-runs it)."""
    tmp = tmp_path_factory.mktemp(request.param)
    with contextlib.ExitStack() as stack:
        url = (f"sqlite:///{tmp / 'scored.db'}" if request.param == "sqlite"
               else stack.enter_context(postgres_database()))
        engine = make_engine(url)
        upgrade(engine)
        summaries, alerts_path, articles_path = run_corpus(engine, DEV_CORPUS, Config(), tmp)
        yield engine, summaries, score(DEV_CORPUS, alerts_path, articles_path)
        engine.dispose()


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


FIXTURE_CORPUS = DEV_CORPUS.parent.parent / "tools" / "tests" / "fixture-corpus"


def test_the_score_tools_own_fixture_corpus_meets_the_targets_too(sqlite_engine, tmp_path) -> None:
    """A second corpus, written for the scorer's tests and never tuned against here."""
    _, alerts_path, articles_path = run_corpus(sqlite_engine, FIXTURE_CORPUS, Config(), tmp_path)
    result = score(FIXTURE_CORPUS, alerts_path, articles_path)
    assert result.figure["f1"] >= 0.90, result.report["figure_change"]
    assert result.raid["f1"] >= 0.85, result.report["new_raid"]
    assert result.relevance["f1"] >= 0.90, result.report["relevance"]
