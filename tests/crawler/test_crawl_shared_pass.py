"""Two sources of one outlet list the same stories: an Atom feed whose markers
carry the newsroom's offset, and a sitemap whose lastmod is the same moment
in UTC. One pass fetches each story once; the next pass fetches none, and a
story whose marker really moves is fetched again, once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from crawler.timestamps import later_marker, marker_is_newer
from crawler.validators import Validators, changed_since
from tests.crawler.conftest import crawl_cli, make_config
from tests.servers.loopback import send_text, serve, story_page
from tests.support import toml_sources

pytestmark = pytest.mark.subprocess

# Story n's marker, in the feed's zone (+07:00) and in the sitemap's (UTC).
LOCAL = "2025-03-0{n}T10:00:00+07:00"
UTC = "2025-03-0{n}T03:00:00+00:00"


class Outlet(BaseHTTPRequestHandler):
    fetched: ClassVar[Counter[str]] = Counter()
    # Story number -> how many times its text (and markers) moved.
    revised: ClassVar[dict[int, int]] = {}

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/atom.xml":
            entries = "".join(
                f"<entry><id>{base}/story/{n}</id><title>Story {n}</title>"
                f'<link href="{base}/story/{n}"/><updated>{self._marker(n, LOCAL)}</updated>'
                "</entry>" for n in range(1, 4))
            body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{entries}</feed>'
            ctype = "application/atom+xml"
        elif self.path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}/story/{n}</loc>"
                           f"<lastmod>{self._marker(n, UTC)}</lastmod></url>" for n in range(1, 4))
            body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{urls}</urlset>')
            ctype = "application/xml"
        elif self.path.startswith("/story/"):
            Outlet.fetched[self.path] += 1
            n = int(self.path.rsplit("/", 1)[-1])
            body = story_page(n, f", version {Outlet.revised.get(n, 0)}")
            ctype = "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        send_text(self, body, ctype)

    @staticmethod
    def _marker(n: int, pattern: str) -> str:
        # A revision moves the marker by days (n + 3 * revisions stays a single digit).
        return pattern.format(n=n + 3 * Outlet.revised.get(n, 0))

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def outlet() -> Iterator[str]:
    Outlet.fetched = Counter()
    Outlet.revised = {}
    with serve(Outlet) as url:
        yield url


def test_two_sources_of_one_outlet_fetch_each_story_once_per_change(
    outlet: str, tmp_path: Path,
) -> None:
    sources = toml_sources([("feed", f"{outlet}/atom.xml", "feed"),
                            ("sitemap", f"{outlet}/sitemap.xml", "sitemap")])
    config = make_config(tmp_path, None, sources, obey_robots_txt=False)  # type: ignore[arg-type]

    first = crawl_cli(config).summaries
    assert first["feed"]["new"] + first["sitemap"]["new"] == 3
    assert Outlet.fetched == Counter({f"/story/{n}": 1 for n in range(1, 4)})

    Outlet.fetched.clear()
    crawl_cli(config)
    assert not Outlet.fetched  # same moments in two spellings: nothing changed

    Outlet.revised[2] = 1
    third = crawl_cli(config).summaries
    assert Outlet.fetched == Counter({"/story/2": 1})
    assert third["feed"]["updated"] + third["sitemap"]["updated"] == 1


@pytest.mark.parametrize(("marker", "stored", "newer"), [
    ("2025-03-01T10:00:00+07:00", "2025-03-01T03:00:00+00:00", False),  # same moment
    ("2025-03-02T00:00:00Z", "2025-03-01T03:00:00+00:00", True),
    ("2025-03-01", "2025-03-01T03:00:00+00:00", False),  # a date-only lastmod is not news
    ("Sat, 01 Mar 2025 04:00:00 GMT", "2025-03-01T03:00:00+00:00", True),  # RFC 822
    ("rev-7", "rev-6", True),  # not dates: any difference counts
    ("rev-6", "rev-6", False),
    ("2025-03-01T03:00:00Z", None, True),
])
def test_update_markers_are_compared_as_moments(marker: str, stored: str | None,
                                                newer: bool) -> None:
    assert marker_is_newer(marker, stored) is newer


def test_the_later_of_two_markers_is_kept() -> None:
    assert later_marker("2025-03-02T00:00:00Z", "2025-03-01T10:00:00+07:00") \
        == "2025-03-02T00:00:00Z"
    assert later_marker("2025-03-01T00:00:00Z", "2025-03-02T10:00:00+07:00") \
        == "2025-03-02T10:00:00+07:00"
    assert later_marker(None, "2025-03-01") == "2025-03-01"
    assert later_marker("2025-03-01T00:00:00Z", "rev-1") == "rev-1"


def test_a_marker_no_later_than_the_last_fetch_is_not_a_change() -> None:
    """A page first fetched through a feed without markers, then listed by a
    sitemap with a lastmod no later than the page's Last-Modified: already
    current, not fetched again."""
    fetched = "Wed, 05 Mar 2025 12:00:00 GMT"
    plain = Validators(last_modified=fetched)
    assert not changed_since("2025-03-01T03:00:00+00:00", plain)
    assert changed_since("2025-03-06T00:00:00+00:00", plain)
    assert changed_since("rev-2", plain)  # not a date: cannot be placed in time
    marked = Validators(entry_updated="2025-03-06T00:00:00Z", last_modified=fetched)
    assert not changed_since("2025-03-06T07:00:00+07:00", marked)
    assert changed_since("2025-03-07T00:00:00Z", marked)
    assert changed_since("2025-03-01T00:00:00Z", None)  # nothing known of the page
    assert changed_since("2025-03-01T00:00:00Z", Validators(etag='"x"'))  # no Last-Modified
