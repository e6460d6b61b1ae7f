"""The demo's news web: one small threaded HTTP server per outlet, on loopback.

Why our own server: the demo must run from the installed package with no
network and nothing outside it. Each outlet gets a free port on 127.0.0.1
and serves its discovery document (RSS, Atom, news sitemap or paginated
section page), robots.txt and article pages for the current phase. Answers
carry ETag and Last-Modified and honour conditional GETs with 304, as real
news sites do, so the crawler's incremental path is exercised. The phase is
advanced in-process with `set_phase`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import Counter
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from crawler.demo import pages
from crawler.demo.story import OUTLETS, Story, load_story

# How each outlet announces its articles, and the URL a crawler starts from.
DISCOVERY = {
    "wire": ("feed", "/feed/"),
    "daily": ("feed", "/atom.xml"),
    "monitor": ("sitemap", "/robots.txt"),
    "portal": ("listing", "/category/cambodia/"),
    "zhdaily": ("feed", "/rss.xml"),
}


class DemoWeb:
    """The running demo sites; use as a context manager so nothing is left running."""

    def __init__(self, story: Story | None = None, phase: int = 0,
                 outlets: tuple[str, ...] = OUTLETS) -> None:
        self.story = story or load_story()
        self._phase = phase
        self._lock = threading.Lock()
        self.outlets = outlets
        self.bases: dict[str, str] = {}
        self.stats: Counter[tuple[str, int]] = Counter()
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> DemoWeb:
        for outlet in self.outlets:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self, outlet))
            server.daemon_threads = True
            port = int(server.server_address[1])
            self.bases[outlet] = f"http://127.0.0.1:{port}"
            thread = threading.Thread(target=server.serve_forever, name=f"demo-{outlet}",
                                      kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._servers.append((server, thread))
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------------ state

    @property
    def phase(self) -> int:
        with self._lock:
            return self._phase

    def set_phase(self, phase: int) -> None:
        if not 0 <= phase <= self.story.phases + 1:
            raise ValueError(f"phase {phase} is outside 0..{self.story.phases + 1}")
        with self._lock:
            self._phase = phase

    def source_urls(self) -> dict[str, tuple[str, str]]:
        """Outlet name -> (source kind, start URL), for the demo's config."""
        return {o: (DISCOVERY[o][0], self.bases[o] + DISCOVERY[o][1]) for o in self.outlets}

    def article_urls(self, phase: int | None = None) -> dict[str, str]:
        """Absolute URL -> story article id, for every page visible at `phase`."""
        at = self.phase if phase is None else phase
        return {self.bases[p.outlet] + p.path: p.article.id
                for p in self.story.pages(at) if p.outlet in self.bases}

    # ------------------------------------------------------------------ rendering

    def render(self, outlet: str, target: str) -> pages.Rendered | None:
        """What `outlet` serves at `target` (path and query) now, or None (404)."""
        phase = self.phase
        base = self.bases[outlet]
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            return pages.robots_txt(outlet, base)
        if path == DISCOVERY[outlet][1] and outlet in ("wire", "zhdaily"):
            return pages.rss_feed(self.story, outlet, base, phase, path)
        if path == "/atom.xml" and outlet == "daily":
            return pages.atom_feed(self.story, outlet, base, phase, path)
        if path == "/sitemap-news.xml" and outlet == "monitor":
            return pages.news_sitemap(self.story, outlet, base, phase)
        if path == "/category/cambodia/" and outlet == "portal":
            try:
                page_no = int(query.get("page", ["1"])[0])
            except ValueError:
                return None
            return pages.listing_page(self.story, outlet, phase, page_no)
        for page in self.story.outlet_pages(outlet, phase):
            if page.path == path:
                return pages.article_page(self.story, page, base, phase)
        return None


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _not_modified(headers: Any, etag: str, modified: dt.datetime) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return modified.replace(microsecond=0) <= since
    return False


def _handler_for(web: DemoWeb, outlet: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "demo-news/1.0"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            try:
                rendered = web.render(outlet, self.path)
            except Exception:  # a bug in a renderer must not hang the crawler
                self._plain(500, b"internal error\n", send_body)
                raise
            if rendered is None:
                self._plain(404, b"not found\n", send_body)
                return
            etag = etag_of(rendered.body)
            last_modified = format_datetime(rendered.modified.astimezone(dt.timezone.utc),
                                            usegmt=True)
            if _not_modified(self.headers, etag, rendered.modified):
                web.stats[(outlet, 304)] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                return
            web.stats[(outlet, 200)] += 1
            self.send_response(200)
            self.send_header("Content-Type", rendered.content_type)
            self.send_header("Content-Length", str(len(rendered.body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Cache-Control", "max-age=0, must-revalidate")
            self.end_headers()
            if send_body:
                self.wfile.write(rendered.body)

        def _plain(self, status: int, body: bytes, send_body: bool) -> None:
            web.stats[(outlet, status)] += 1
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the demo prints its own tables; request logs would drown them

    return Handler
