"""Politeness against a small loopback site: robots.txt Crawl-delay and the
user agent sent with every request."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from tests.crawler.conftest import crawl_cli, make_config
from tests.servers.loopback import send_text, serve, story_page

pytestmark = pytest.mark.subprocess


class Site(BaseHTTPRequestHandler):
    log: ClassVar[list[tuple[str, float, str]]] = []

    def do_GET(self) -> None:
        Site.log.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            body, ctype = "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n", "text/plain"
        elif self.path == "/feed.xml":
            items = "".join(f"<item><title>Story {i}</title><link>{base}/story/{i}</link></item>"
                            for i in range(3))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
            ctype = "application/rss+xml"
        elif self.path.startswith("/story/"):
            body = story_page(self.path.rsplit("/", 1)[-1])
            ctype = "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        send_text(self, body, ctype)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def site() -> Iterator[str]:
    Site.log = []
    with serve(Site) as url:
        yield url


def test_robots_crawl_delay_spaces_requests_and_the_user_agent_names_us(
    site: str, tmp_path: Path,
) -> None:
    sources = f'\n[[sources]]\nname = "site"\nurl = "{site}/feed.xml"\nkind = "feed"\n'
    config = make_config(tmp_path, None, sources, autothrottle=True,  # type: ignore[arg-type]
                         contact_url="https://ops.example/contact")
    run = crawl_cli(config)
    assert run.summaries["site"]["new"] == 3 and run.summaries["site"]["error"] is None
    stories = sorted(t for path, t, _ in Site.log if path.startswith("/story/"))
    assert len(stories) == 3
    gaps = [b - a for a, b in itertools.pairwise(stories)]
    assert min(gaps) >= 0.9, gaps
    for _path, _t, agent in Site.log:
        assert agent.startswith("compoundwatch/") and "https://ops.example/contact" in agent
