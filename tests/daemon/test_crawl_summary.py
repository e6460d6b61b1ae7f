"""The crawl child hands the daemon its `SourceSummary` objects (pickled through
the pipe), and the daemon reads their fields: what a pass stored is what its
log line and the poller's counts say."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from crawler.daemon.crawl import ChildRegistry, run_child, warm_up
from crawler.daemon.jobs import DaemonContext, crawl_source
from crawler.daemon.log import LOGGER_NAME
from crawler.passes.tally import SourceSummary
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Article, Source
from tests.crawler.conftest import make_config
from tests.servers.loopback import send_text, serve, story_page

pytestmark = pytest.mark.subprocess


class Site(BaseHTTPRequestHandler):
    """A feed of `stories` story pages; the test publishes one more between passes."""

    stories: ClassVar[int] = 2

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>Story {i}</title><link>{base}/story/{i}</link>"
                            "</item>" for i in range(Site.stories))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
            send_text(self, body, "application/rss+xml")
        elif self.path.startswith("/story/"):
            send_text(self, story_page(self.path.rsplit("/", 1)[-1]), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def site() -> Iterator[str]:
    Site.stories = 2
    with serve(Site) as url:
        yield url


def _event(records: list[logging.LogRecord], name: str) -> dict[str, str]:
    """The key=value fields of the one `name` event logged."""
    (line,) = [r.getMessage() for r in records if r.getMessage().startswith(f"event={name} ")]
    return dict(part.split("=", 1) for part in line.split())


def test_a_daemon_crawl_reports_what_it_stored_from_the_summary_fields(
        site: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    warm_up()
    path = make_config(tmp_path, None,  # type: ignore[arg-type]
                       f'\n[[sources]]\nname = "wire"\nurl = "{site}/feed.xml"\nkind = "feed"\n')
    config = load_config(str(path))
    engine = make_engine(config.database_url)
    try:
        with session_scope(engine) as session:
            source_id = session.scalars(select(Source.id).where(Source.name == "wire")).one()
        ctx = DaemonContext(config=config, engine=engine, config_path=str(path))
        with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
            assert crawl_source(ctx, source_id)
        done = _event(caplog.records, "crawl.done")
        assert (done["source"], done["new"], done["updated"]) == ("wire", "2", "0")
        assert int(done["fetched"]) >= 3  # the feed and its two stories

        Site.stories = 3  # one more story: the next pass stores it alone
        result = run_child(("wire",), config_path=str(path), timeout=120,
                           registry=ChildRegistry())
        with session_scope(engine) as session:
            stored = session.scalar(select(func.count()).select_from(Article))
    finally:
        engine.dispose()
    assert result.ok and result.reported, result.error
    (summary,) = result.summaries
    assert isinstance(summary, SourceSummary)
    assert (summary.source, summary.new, summary.updated, summary.error) == ("wire", 1, 0, None)
    assert result.count("new") == 1 and stored == 3
