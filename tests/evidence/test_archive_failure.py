"""An archive that cannot be written loses nothing: the pages fail with one
clear line, are not stored without their copy, and the next pass stores them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.db import make_engine, session_scope
from store.models import Article, ArticleCapture
from tests.crawler.conftest import crawl_cli, db_url, make_config
from tests.support import run_replay, toml_sources

pytestmark = pytest.mark.subprocess


def _counts(config: Path) -> tuple[int, int]:
    engine = make_engine(db_url(config))
    with session_scope(engine) as session:
        counts = (session.scalar(select(func.count()).select_from(Article)) or 0,
                  session.scalar(select(func.count()).select_from(ArticleCapture)) or 0)
    engine.dispose()
    return counts


@pytest.mark.slow
def test_an_unwritable_archive_fails_the_pages_and_the_next_pass_stores_them(
        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the archive folder should be")
    with run_replay(phase=1) as replay:
        sources = toml_sources([("wire", replay.outlets["wire"] + "/feed/", "feed")])
        config = make_config(tmp_path, replay, sources, extraction_timeout_seconds=120.0)
        text = config.read_text()
        config.write_text(text + f'\n[evidence]\npath = "{blocker / "archive"}"\n')
        failed = crawl_cli(config).summaries["wire"]
        assert failed["new"] == 0 and failed["error"]
        assert "could not archive the page" in failed["error"]
        assert "\n" not in failed["error"].strip() and "Traceback" not in failed["error"]
        assert _counts(config) == (0, 0)
        config.write_text(text + f'\n[evidence]\npath = "{tmp_path / "archive"}"\n')
        stored = crawl_cli(config).summaries["wire"]
    assert stored["new"] > 0 and not stored["error"]
    articles, copies = _counts(config)
    assert articles == copies == stored["new"]
