"""A loopback web server serving hostile content the replay does not produce:
a feed of 20,000 items, a sitemap index that points at itself, a listing
whose pagination never ends, 200,000 nested <div>s, 50 MB on one line, and
titles, bodies, dates and numbers chosen to break naive code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.robustness import hostile_web
from tests.servers.loopback import running

BIG_FEED_ITEMS = 20_000
NESTED_DIVS = 200_000
ONE_LINE_BYTES = 50 * 2**20
LONG_TEXT = 100_000
HUGE_NUMBER = 10**30

RLO = "\u202e"
# A title that tries script injection, header injection (CR/LF), a NUL byte,
# a right-to-left override and a javascript: link all at once.
HOSTILE_TITLE = (f"<script>alert('t')</script> Raid in Sihanoukville\r\nBcc: victim@example.org"
                 f"\x00 {RLO}fdp.exe <a href=\"javascript:alert(1)\">x</a>")
PARAGRAPH = ("Police in Sihanoukville said on Tuesday that they had raided a compound where "
             "foreign workers were held, and that the investigation was continuing. ")


def _article(title: str, body: str, published: str = "2022-10-10T09:00:00+07:00") -> bytes:
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title>"
        "<meta property=\"og:type\" content=\"article\">"
        f"<meta property=\"article:published_time\" content=\"{published}\">"
        f"</head><body><article><h1>{escape(title)}</h1>{body}</article></body></html>"
    ).encode("utf-8", "surrogatepass")


def hostile_body() -> str:
    long_word = "A" * LONG_TEXT
    return (
        f"<p>{PARAGRAPH}<script>document.location='http://169.254.169.254/'</script></p>"
        f"<p>{PARAGRAPH} See <a href=\"javascript:alert(document.cookie)\">the report</a>.</p>"
        f"<p>Officials said complaints rose to {HUGE_NUMBER} and then to 1e30 people, "
        f"and that 10^30 victims\x00 were rescued.{RLO} {PARAGRAPH}</p>"
        f"<p>{PARAGRAPH}\r\nInjected: header\r\n\r\n{long_word}</p>"
    )


def big_feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Compound story number {i} from the big feed</title>"
        f"<link>{base}/story/big-feed-item-{i}-report</link>"
        f"<pubDate>Mon, 10 Oct 2022 09:00:00 +0700</pubDate></item>"
        for i in range(BIG_FEED_ITEMS)
    )
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
            f"<title>Big</title><link>{base}/</link>{items}</channel></rss>").encode()


def hostile_feed(base: str) -> bytes:
    """Entries with hostile titles and dates in year 1 and 9999."""
    entries = [
        ("hostile", HOSTILE_TITLE.replace("\x00", ""), "Mon, 10 Oct 2022 09:00:00 +0700"),
        ("year-one", "Raid reported in year one", "Mon, 01 Jan 0001 00:00:00 +0000"),
        ("year-9999", "Raid reported in year 9999", "Fri, 31 Dec 9999 23:59:59 +0000"),
    ]
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{base}/story/{slug}-article-page-here</link>"
        f"<pubDate>{d}</pubDate><description>{escape(t)}</description></item>"
        for slug, t, d in entries
    )
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
            f"<title>Hostile</title><link>{base}/</link>{items}</channel></rss>").encode()


def story_page(path: str) -> bytes:
    if path.startswith("/story/hostile"):
        return _article(HOSTILE_TITLE, hostile_body())
    if path.startswith("/story/year-one"):
        return _article("Raid reported in year one", f"<p>{PARAGRAPH * 3}</p>",
                        "0001-01-01T00:00:00+00:00")
    if path.startswith("/story/year-9999"):
        return _article("Raid reported in year 9999", f"<p>{PARAGRAPH * 3}</p>",
                        "9999-12-31T23:59:59+00:00")
    return _article(f"Story {path.rsplit('/', 1)[-1]}", f"<p>{PARAGRAPH * 3}</p>")


def nested_divs() -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Deep</title>"
            b"<meta property=\"og:type\" content=\"article\"></head><body>"
            + b"<div>" * NESTED_DIVS + PARAGRAPH.encode() * 3 + b"</div>" * NESTED_DIVS
            + b"</body></html>")


@dataclass
class HostileSite:
    base: str
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Bytes sent per path by the streaming modes (tests/robustness/hostile_web.py).
    sent: dict[str, int] = field(default_factory=dict)
    # The URL the /story/copy-... page names as its canonical link.
    canonical_target: str = ""

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(n for p, n in self.hits.items() if p.startswith(prefix))

    def add_sent(self, path: str, n: int) -> None:
        with self.lock:
            self.sent[path] = self.sent.get(path, 0) + n


def _handler(site: HostileSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            with site.lock:
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
            path = url.path
            try:
                if path == "/robots.txt":
                    self._send(b"User-agent: *\nAllow: /\n", "text/plain")
                elif path == "/big-feed.xml":
                    self._send(big_feed(site.base), "application/rss+xml")
                elif path == "/hostile-feed.xml":
                    self._send(hostile_feed(site.base), "application/rss+xml")
                elif path == "/sitemap-self.xml":
                    self._send((
                        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/"
                        f"schemas/sitemap/0.9\"><sitemap><loc>{site.base}/sitemap-self.xml"
                        "</loc></sitemap></sitemapindex>").encode(), "application/xml")
                elif path == "/sitemap-twice.xml":
                    child = f"<sitemap><loc>{site.base}/sitemap-urls.xml</loc></sitemap>"
                    self._send((
                        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/"
                        f"schemas/sitemap/0.9\">{child}{child}</sitemapindex>").encode(),
                        "application/xml")
                elif path == "/sitemap-urls.xml":
                    self._send((
                        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/"
                        f"schemas/sitemap/0.9\"><url><loc>{site.base}/story/listed-twice-"
                        "article-page</loc></url></urlset>").encode(), "application/xml")
                elif path == "/endless/":
                    n = int(parse_qs(url.query).get("page", ["1"])[0])
                    self._send((
                        "<html><body><main>"
                        f"<a href=\"/story/endless-listing-article-{n}\">Endless listing "
                        f"article number {n} of many</a>"
                        f"<a rel=\"next\" href=\"/endless/?page={n + 1}\">Next</a>"
                        "</main></body></html>").encode())
                elif path == "/nested.html":
                    self._send(nested_divs())
                elif path == "/one-line.html":
                    self._one_line()
                elif hostile_web.route(self, site, path):
                    pass
                elif path.startswith("/story/"):
                    self._send(story_page(path))
                else:
                    self.send_error(404)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the crawler hung up on a body it refused: expected

        def _one_line(self) -> None:
            head = b"<html><body><p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(ONE_LINE_BYTES))
            self.end_headers()
            self.wfile.write(head)
            chunk = b"x" * 2**20
            left = ONE_LINE_BYTES - len(head)
            while left > 0:
                self.wfile.write(chunk[:left])
                left -= len(chunk)

    return Handler


@contextmanager
def serve_hostile_site(host: str = "127.0.0.1") -> Iterator[HostileSite]:
    """The hostile site on a free port of `host` (any 127.x.y.z: another
    registrable "domain" on the same loopback)."""
    with running(_handler(HostileSite("")), host) as server:
        site = HostileSite(f"http://{host}:{server.server_address[1]}")
        server.RequestHandlerClass = _handler(site)
        yield site
