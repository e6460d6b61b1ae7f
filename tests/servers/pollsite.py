"""A small news site on loopback for the poller's tests: a feed with ETag,
robots.txt with a Crawl-delay and a Disallow, a sitemap index, a redirect,
an oversized document, two article pages; every request is recorded."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.servers.loopback import serve

ARTICLE = ("<!doctype html><html lang='en'><head><title>{title}</title>"
           "<meta property='article:published_time' content='2026-12-02T08:00:00+00:00'>"
           "</head><body><article><h1>{title}</h1>{body}</article></body></html>")


@dataclass
class PollSite:
    base: str = ""
    crawl_delay: float = 0.0
    articles: dict[str, str] = field(default_factory=dict)
    hits: list[tuple[str, float, int]] = field(default_factory=list)
    # Paths the feed lists but the site answers 404 for (a story taken down).
    listed_only: list[str] = field(default_factory=list)
    lastmod: str = "2026-12-02T08:00:00Z"
    # Seconds the feed's Cache-Control: max-age says (0: none).
    max_age: int = 0
    # The User-Agent of each request, in the order of `hits`.
    agents: list[str] = field(default_factory=list)

    def publish(self, slug: str, title: str) -> str:
        body = "".join(f"<p>{title}: paragraph {i} of a report with enough words to be "
                       f"kept by the extractor as the body of the story.</p>" for i in range(6))
        self.articles[f"/news/{slug}"] = ARTICLE.format(title=title, body=body)
        return f"{self.base}/news/{slug}"

    def feed(self) -> str:
        items = "".join(f"<item><title>Story {p}</title><link>{self.base}{p}</link>"
                        "<pubDate>Wed, 02 Dec 2026 08:00:00 GMT</pubDate></item>"
                        for p in [*self.articles, *self.listed_only])
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'

    def robots(self) -> str:
        delay = f"Crawl-delay: {self.crawl_delay:g}\n" if self.crawl_delay else ""
        return (f"User-agent: *\nDisallow: /private/\n{delay}"
                f"Sitemap: {self.base}/sitemap-index.xml\n")

    def requests(self, path: str) -> list[tuple[str, float, int]]:
        return [h for h in self.hits if h[0] == path]


def _routes(site: PollSite, path: str) -> tuple[int, str, str, dict[str, str]]:
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9"><sitemap><loc>{site.base}/news.xml</loc>'
             f"<lastmod>{site.lastmod}</lastmod></sitemap></sitemapindex>")
    news = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{site.base}{p}</loc></url>" for p in site.articles)
            + "</urlset>")
    table: dict[str, tuple[str, str]] = {
        "/robots.txt": ("text/plain", site.robots()),
        "/feed.xml": ("application/rss+xml", site.feed()),
        "/private/feed.xml": ("application/rss+xml", site.feed()),
        "/sitemap-index.xml": ("application/xml", index),
        "/news.xml": ("application/xml", news),
        "/big.xml": ("application/xml", "<rss>" + "x" * 200_000 + "</rss>"),
        **{p: ("text/html; charset=utf-8", html) for p, html in site.articles.items()},
    }
    if path == "/moved":
        return 301, "text/plain", "", {"Location": "/feed.xml"}
    if path not in table:
        return 404, "text/plain", "not found", {}
    ctype, body = table[path]
    return 200, ctype, body, {}


@contextmanager
def poll_site(crawl_delay: float = 0.0) -> Iterator[PollSite]:
    site = PollSite(crawl_delay=crawl_delay)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            status, ctype, body, headers = _routes(site, self.path)
            data = body.encode()
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                status, data = 304, b""
            site.hits.append((self.path, time.monotonic(), status))
            site.agents.append(self.headers.get("User-Agent", ""))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            if status in (200, 304):
                self.send_header("ETag", etag)
            if site.max_age and self.path == "/feed.xml":
                self.send_header("Cache-Control", f"max-age={site.max_age}")
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

    with serve(Handler) as base:
        site.base = base
        yield site
