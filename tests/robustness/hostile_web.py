"""Named failure modes of the hostile server, round two (issue 21): each path
below is one way a server on the open web can break a naive crawler.

- /header-flood.html: 200, then header lines of 8 KB each, up to 64 MB, then a page
- /bad-links-feed.xml: RSS whose entries are mailto:, javascript:, tel:, urn:,
  a bad port, and two good links; /bad-links-sitemap.xml: the same in a urlset
- /ctl/<name>: an article with one U+0001, U+0008, U+001B or U+FFFE in its body
- /charset/<codec>: an article declared `charset=<codec>` (base64, rot13, zlib,
  hex, uu_codec)
- /long-feed.xml: Atom entries with URLs of 2,060, 2,083 and 2,100 characters,
  an `<updated>` of 82 characters, a page with a 2,100-character canonical link
- /outlet-feed.xml, /story/outlet-...: an outlet's feed and report (a figure of 900)
- /copy-feed.xml, /story/copy-...: another site's copy naming the outlet's
  report as canonical, dated earlier, with 950

`HostileSite.sent` logs the bytes each path was sent, `hits` the requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from tests.servers.hostile_site import HostileSite

HEADER_LINE_BYTES = 8192
HEADER_FLOOD_BYTES = 64 * 2**20
CONTROL_CHARS = {"soh": "\x01", "bs": "\x08", "esc": "\x1b", "fffe": "\ufffe"}
NON_TEXT_CODECS = ("base64", "rot13", "zlib", "hex", "uu_codec")
BAD_LINKS = ("mailto:desk@example.org", "javascript:alert(1)", "tel:+85512345678",
             "urn:isbn:0451450523", "http://127.0.0.1:99999/story/bad-port-article-page")

# The article pages of these modes (others are hostile_site's).
STORY_PREFIXES = ("good-", "outlet-", "copy-", "long-", "a2060-", "b2083-", "c2100-")

# Our own prose (not from the seed or the corpora): a report with one figure.
REPORT = ("Investigators at the provincial court said on Monday that they had received "
          "{n} complaints from workers who said they were held against their will in "
          "guarded buildings near the coast. The court said each complaint was being "
          "examined by a team of prosecutors and police officers, and that the first "
          "hearings were expected before the end of the month. Lawyers for several of "
          "the workers said their clients had been moved between buildings at night and "
          "had not been allowed to contact their families for weeks. ")


def article(title: str, body_html: str, published: str = "2022-10-10T09:00:00+07:00",
            canonical: str | None = None, charset: str = "utf-8") -> str:
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"{charset}\">"
        f"<title>{escape(title)}</title>{link}"
        "<meta property=\"og:type\" content=\"article\">"
        f"<meta property=\"article:published_time\" content=\"{published}\">"
        f"</head><body><article><h1>{escape(title)}</h1>{body_html}</article></body></html>")


# The other pages' prose: another story, so that no page of these modes is a
# copy of the outlet's report.
OTHER = ("The harbour authority said on Friday that a new ferry would run between the "
         "two islands from next spring, and that tickets would cost less than the old "
         "service. Fishermen in the villages along the route said they hoped the ferry "
         "would bring more visitors to the local markets, which have been quiet since "
         "the old pier was closed for repairs two years ago. ")


def paragraphs(n: int | None = None) -> str:
    """Three paragraphs: the outlet's report with figure `n`, else the other story."""
    text = REPORT.format(n=n) if n is not None else OTHER
    return "".join(f"<p>{text}</p>" for _ in range(3))


def rss(base: str, links: list[str]) -> bytes:
    items = "".join(f"<item><title>Report {i}</title><link>{escape(u)}</link>"
                    "<pubDate>Mon, 10 Oct 2022 09:00:00 +0700</pubDate></item>"
                    for i, u in enumerate(links))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
            f"<title>Hostile</title><link>{base}/</link>{items}</channel></rss>").encode()


def urlset(links: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in links)
    return ("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/"
            f"sitemap/0.9\">{urls}</urlset>").encode()


def padded_path(base: str, name: str, length: int) -> str:
    """An article URL of exactly `length` characters."""
    head = f"{base}/story/{name}-long-url-article-"
    return head + "x" * (length - len(head))


def long_feed(base: str) -> bytes:
    entries = [
        (padded_path(base, "a2060", 2060), "2022-10-10T09:00:00+07:00"),
        (padded_path(base, "b2083", 2083), "2022-10-10T09:00:00+07:00"),
        (padded_path(base, "c2100", 2100), "2022-10-10T09:00:00+07:00"),
        (f"{base}/story/long-updated-marker-page",
         "2022-10-10T09:00:00+07:00 (revised after the hearing, see the editors' note below)"),
        (f"{base}/story/long-canonical-link-page", "2022-10-10T09:00:00+07:00"),
    ]
    items = "".join(f"<entry><title>Long {i}</title><link href=\"{escape(u)}\"/>"
                    f"<id>{escape(u)}</id><updated>{escape(d)}</updated></entry>"
                    for i, (u, d) in enumerate(entries))
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/"
            f"Atom\"><title>Long</title><id>{base}/</id><updated>2022-10-10T09:00:00Z"
            f"</updated>{items}</feed>").encode()


def story(site: HostileSite, path: str) -> bytes:
    """The article pages the feeds above link to."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith("outlet-"):
        return article("Complaints reach 900, court says", paragraphs(900)).encode()
    if name.startswith("copy-"):
        return article("Complaints reach 950, court says", paragraphs(950),
                       published="2022-10-01T09:00:00+07:00",
                       canonical=site.canonical_target).encode()
    if name.startswith("long-canonical"):
        return article("A page with a very long canonical link", paragraphs(),
                       canonical=padded_path(site.base, "canon", 2100)).encode()
    return article(f"Story {name[:60]}", paragraphs()).encode()


def route(handler: Any, site: HostileSite, path: str) -> bool:
    """Serve one of the modes above; False when the path is none of them."""
    b = site.base
    if path == "/header-flood.html":
        header_flood(handler, site, path)
    elif path == "/bad-links-feed.xml":
        handler._send(rss(b, [*BAD_LINKS, f"{b}/story/good-one-after-bad-links",
                              f"{b}/story/good-two-after-bad-links"]), "application/rss+xml")
    elif path == "/bad-links-sitemap.xml":
        handler._send(urlset([*BAD_LINKS, f"{b}/story/good-one-in-bad-sitemap",
                              f"{b}/story/good-two-in-bad-sitemap"]), "application/xml")
    elif path.startswith("/ctl/") and path[5:] in CONTROL_CHARS:
        char = CONTROL_CHARS[path[5:]]
        body = paragraphs().replace("ferry", f"ferry{char}", 1)
        handler._send(article("A page with a control character", body).encode())
    elif path.startswith("/charset/") and path[9:] in NON_TEXT_CODECS:
        handler._send(article("A page with a non-text charset", paragraphs()).encode(),
                      f"text/html; charset={path[9:]}")
    elif path == "/long-feed.xml":
        handler._send(long_feed(b), "application/atom+xml")
    elif path == "/outlet-feed.xml":
        handler._send(rss(b, [f"{b}/story/outlet-court-complaints-report"]),
                      "application/rss+xml")
    elif path == "/copy-feed.xml":
        handler._send(rss(b, [f"{b}/story/copy-court-complaints-report"]),
                      "application/rss+xml")
    elif path.startswith("/story/") and path[7:].startswith(STORY_PREFIXES):
        handler._send(story(site, path))
    else:
        return False
    return True


def header_flood(handler: Any, site: HostileSite, path: str) -> None:
    """Header lines of 8 KB each (under Twisted's 16 KB line limit) until 64 MB
    are sent or the client hangs up; the bytes sent are logged."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.flush_headers()
    line = b"X-Padding-%07d: " + b"p" * HEADER_LINE_BYTES + b"\r\n"
    batch = 16  # lines per write: fast enough to fill 64 MB within a timeout
    try:
        for first in range(0, HEADER_FLOOD_BYTES // len(line), batch):
            chunk = b"".join(line % i for i in range(first, first + batch))
            handler.wfile.write(chunk)
            site.add_sent(path, len(chunk))
        body = article("After the flood", paragraphs()).encode()
        handler.wfile.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    except OSError:
        pass  # the crawler hung up: the point of the limit
