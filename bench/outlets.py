"""A loopback newsroom of many outlets that publish on a random schedule,
for `bench/latency.py`.

Each outlet listens on its own loopback address (127.0.0.2, .3, ...: one
host each, as per-host politeness sees them) and is a feed (RSS 2.0), a
news sitemap named by its robots.txt, or a section page, in the replay's
proportions (3:1:1). Stories become visible at their scheduled moment in
the feed/sitemap/listing and as an article page; documents carry ETag and
Last-Modified and answer 304; some outlets ask for a robots.txt
Crawl-delay, some feeds for `Cache-Control: max-age`. Every request is
logged (outlet, path, status, time) so the benchmark counts polls against
those limits. Article texts come from `newsreplay.py synth` at run time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KINDS = ("feed", "feed", "feed", "sitemap", "listing")
FEED_SIZE = 20


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    appears: float  # epoch seconds
    labelled: bool  # the corpus labels a figure or a raid in it

    @property
    def path(self) -> str:
        return f"/news/{self.slug}"

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.appears, dt.UTC)


@dataclass
class Outlet:
    index: int
    kind: str
    crawl_delay: float = 0.0
    max_age: int = 0
    stories: list[Story] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"127.0.0.{self.index + 2}"

    def visible(self, now: float) -> list[Story]:
        return sorted((s for s in self.stories if s.appears <= now), key=lambda s: -s.appears)

    def source_path(self) -> str:
        return {"feed": "/feed.xml", "sitemap": "/robots.txt", "listing": "/section/"}[self.kind]


@dataclass(frozen=True)
class Hit:
    outlet: int
    path: str
    status: int
    at: float  # epoch seconds


class _TimedServer(ThreadingHTTPServer):
    """Remembers when each connection was accepted: a busy benchmark process
    may hand a request to its thread late, and politeness is about when the
    client came, not when we got round to answering."""

    daemon_threads = True

    def get_request(self) -> tuple[Any, Any]:
        sock, addr = super().get_request()
        self.accepted_at[sock.fileno()] = time.time()
        return sock, addr

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.accepted_at: dict[int, float] = {}
        super().__init__(*args, **kwargs)


class Newsroom:
    """The outlets, their servers and the request log."""

    def __init__(self, outlets: list[Outlet], port: int = 0) -> None:
        self.outlets = outlets
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self.port = port

    def start(self) -> None:
        port = self.port
        for outlet in self.outlets:
            server = _TimedServer((outlet.host, port), _handler(self, outlet))
            port = port or server.server_address[1]
            self._servers.append(server)
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 1.0},
                             daemon=True).start()
        self.port = port

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def base(self, outlet: Outlet) -> str:
        return f"http://{outlet.host}:{self.port}"

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def reset_log(self) -> None:
        with self._lock:
            self.hits = []


def plan(corpus: list[dict[str, Any]], outlets: int, now: float, start: float, seconds: float,
         scheduled: int, backlog: int, rng: random.Random) -> list[Outlet]:
    """Outlets with a rhythm each (some busy, most quiet), their backlog before
    `now` and `scheduled` stories over [start + 20 s, start + seconds].
    Labelled stories are kept for the scheduled part, so that some alert."""
    # One feed in ten asks for a 3 s Crawl-delay, another for max-age=120.
    made = [Outlet(i, KINDS[i % len(KINDS)], crawl_delay=3.0 if i % 10 == 7 else 0.0,
                   max_age=120 if i % 10 == 1 else 0) for i in range(outlets)]
    rates = [rng.lognormvariate(0.0, 1.0) for _ in made]
    stories = [a for a in corpus if a.get("phase", 1) > 0]
    labelled = [a for a in stories if _labelled(a)]
    plain = [a for a in stories if not _labelled(a)]
    rng.shuffle(plain)
    picks = (labelled + plain)[:scheduled]
    rng.shuffle(picks)
    total = sum(rates)
    for article in picks:
        outlet = rng.choices(made, weights=rates)[0]
        appears = start + rng.uniform(20.0, seconds)
        outlet.stories.append(_story(article, appears))
    rest = plain[max(0, scheduled - len(labelled)):]  # what the schedule did not take
    for outlet, rate in zip(made, rates, strict=True):
        gap = seconds / max(rate / total * scheduled, 0.2)  # its typical gap
        when = now
        for _ in range(backlog):
            if not rest:
                break
            when -= rng.expovariate(1.0 / gap)
            outlet.stories.append(_story(rest.pop(), when))
    return made


def shift_schedule(outlets: list[Outlet], after: float, by: float) -> None:
    """Move the stories due after `after` by `by` seconds (publishing starts now)."""
    for o in outlets:
        o.stories = [s if s.appears <= after else Story(
            s.slug, s.title, s.summary, s.paragraphs, s.appears + by, s.labelled)
            for s in o.stories]


def _labelled(article: dict[str, Any]) -> bool:
    labels = article.get("labels") or {}
    return bool(labels.get("relevant") and (labels.get("figures") or labels.get("raids")))


def _story(article: dict[str, Any], appears: float) -> Story:
    return Story(article["slug"] + "-" + article["id"].rsplit("-", 1)[-1], article["title"],
                 article.get("summary") or "", tuple(article["paragraphs"]), appears,
                 _labelled(article))


# --------------------------------------------------------------------------- pages


def robots(outlet: Outlet, base: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if outlet.crawl_delay:
        lines.append(f"Crawl-delay: {outlet.crawl_delay:g}")
    if outlet.kind == "sitemap":
        lines.append(f"Sitemap: {base}/news-sitemap.xml")
    return "\n".join(lines) + "\n"


def feed(outlet: Outlet, base: str, now: float) -> str:
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}{s.path}</link>"
        f"<guid>{base}{s.path}</guid><pubDate>{email.utils.format_datetime(s.when)}</pubDate>"
        f"<description>{html.escape(s.summary)}</description></item>"
        for s in outlet.visible(now)[:FEED_SIZE])
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Outlet {outlet.index}</title><link>{base}/</link>"
            f"<language>en</language>{items}</channel></rss>")


def news_sitemap(outlet: Outlet, base: str, now: float) -> str:
    urls = "".join(
        f"<url><loc>{base}{s.path}</loc><news:news><news:publication><news:name>Outlet "
        f"{outlet.index}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{s.when.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(s.title)}</news:title></news:news></url>"
        for s in outlet.visible(now)[:FEED_SIZE * 2])
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def listing(outlet: Outlet, now: float) -> str:
    links = "".join(f'<li><a href="{s.path}">{html.escape(s.title)}</a></li>'
                    for s in outlet.visible(now)[:FEED_SIZE])
    return (f"<!doctype html><html><head><title>Outlet {outlet.index}: Cambodia</title></head>"
            f"<body><main><h1>Cambodia</h1><ul>{links}</ul></main></body></html>")


def article(story: Story) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    iso = story.when.isoformat()
    return (f'<!doctype html><html lang="en"><head><title>{html.escape(story.title)}</title>'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{iso}">'
            f'</head><body><article><h1>{html.escape(story.title)}</h1>'
            f'<time datetime="{iso}">{iso}</time>{body}</article></body></html>')


def _handler(room: Newsroom, outlet: Outlet) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            now = time.time()
            came = self.server.accepted_at.pop(self.connection.fileno(), now)  # type: ignore[attr-defined]
            status = self._answer(now)
            room.log(Hit(outlet.index, self.path.split("?")[0], status, came))

        def _answer(self, now: float) -> int:
            base = room.base(outlet)
            path = self.path.split("?")[0]
            visible = outlet.visible(now)
            newest = visible[0].appears if visible else now - 86400
            ctype, body, max_age = "text/html; charset=utf-8", None, 0
            if path == "/robots.txt":
                ctype, body = "text/plain", robots(outlet, base)
            elif path == "/feed.xml" and outlet.kind == "feed":
                ctype, body, max_age = "application/rss+xml", feed(outlet, base, now), \
                    outlet.max_age
            elif path == "/news-sitemap.xml" and outlet.kind == "sitemap":
                ctype, body = "application/xml", news_sitemap(outlet, base, now)
            elif path == "/section/" and outlet.kind == "listing":
                body = listing(outlet, now)
            else:
                story = next((s for s in visible if s.path == path), None)
                if story is not None:
                    body, newest = article(story), story.appears
            if body is None:
                return self._send(404, "text/plain", b"not found", {})
            data = body.encode()
            etag = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
            headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(newest, usegmt=True)}
            if max_age:
                headers["Cache-Control"] = f"max-age={max_age}"
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, ctype, b"", headers)
            return self._send(200, ctype, data, headers)

        def _send(self, status: int, ctype: str, data: bytes, headers: dict[str, str]) -> int:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if data:
                self.wfile.write(data)
            return status

    return Handler
