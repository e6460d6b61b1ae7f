"""SSRF: with allow_private_addresses off, a source, a feed entry, a sitemap
entry or a redirect hop that leads to a private, loopback, link-local or
unspecified address is refused before any connection; the refusal shows in
`compoundwatch status --json`; only http and https are ever fetched.

How: the product has no per-host allowance, and every server a test may run
is on loopback, so a feed *served* from loopback cannot be fetched with
private addresses off. The entry and redirect cases therefore run through
crawler.fetching.safety.SafetyMiddleware itself — the component every request and
every redirect hop passes through in the crawl (redirects re-enter the
downloader) — on the very Requests the spiders build from real parsed
documents; the end-to-end crawl covers sources, with a loopback listener
proving that nothing connected. No test sends traffic to a non-loopback
address: 169.254.169.254 is only ever refused by name resolution rules.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.discovery.documents import parse_feed, parse_sitemap
from crawler.fetching.safety import SafetyMiddleware, UnsafeRequest, forbidden_reason
from crawler.passes.settings import scrapy_settings
from store.config import ConfigError, CrawlConfig, load_config
from store.urls import UrlError, check_http_url
from tests.crawler.conftest import crawl_cli, make_config
from tests.daemon.helpers import cli
from tests.robustness.harness import sources_toml

pytestmark = pytest.mark.subprocess

FORBIDDEN_HOSTS = ["[::1]", "2130706433", "0.0.0.0", "169.254.169.254", "localhost", "127.1",
                   "0x7f.0.0.1", "[::ffff:127.0.0.1]", "[::]", "10.0.0.1", "192.168.1.1",
                   "172.16.0.1", "100.64.0.1", "[fe80::1]", "[fd00::1]", "[fd00:ec2::254]",
                   "[64:ff9b::7f00:1]", "198.18.0.1"]
NON_HTTP = ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/",
            "data:text/html,<p>x</p>", "javascript:alert(1)", "s3://bucket/key",
            "dict://127.0.0.1:11211/"]


def _refusal(url: str, allow_private: bool = False) -> str | None:
    """The middleware's verdict on one request: its refusal message, or None."""
    mw = SafetyMiddleware(allow_private)
    try:
        request = Request(url)
    except ValueError as exc:  # Scrapy itself refuses scheme-less URLs (javascript:)
        return f"refused by Scrapy: {exc}"
    try:
        asyncio.run(mw.process_request(request))
    except UnsafeRequest as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("address", ["::1", "127.0.0.1", "127.255.255.254", "0.0.0.0", "::",
                                     "169.254.169.254", "fe80::1%lo", "::ffff:127.0.0.1",
                                     "::ffff:10.1.2.3", "10.0.0.1", "172.31.255.255",
                                     "192.168.0.1", "100.64.0.1", "100.127.255.255",
                                     "fc00::1", "224.0.0.1", "240.0.0.1", "198.18.0.1",
                                     "192.0.0.8", "64:ff9b::a00:1"])
def test_every_non_public_address_has_a_named_reason(address: str) -> None:
    assert forbidden_reason(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_are_not_refused(address: str) -> None:
    assert forbidden_reason(address) is None


@pytest.mark.parametrize("host", FORBIDDEN_HOSTS)
def test_a_url_whose_host_resolves_to_a_non_public_address_is_refused(host: str) -> None:
    reason = _refusal(f"http://{host}:8080/feed/")
    assert reason and "refused" in reason, host


@pytest.mark.parametrize("url", NON_HTTP)
def test_non_http_schemes_are_refused_by_the_crawler_and_by_url_checks(url: str) -> None:
    for allow in (False, True):
        reason = _refusal(url, allow)
        assert reason and re.search("only http and https|Missing scheme", reason), reason
    with pytest.raises(UrlError):
        check_http_url(url)


def test_the_metadata_address_is_refused_even_when_private_addresses_are_allowed() -> None:
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://[::ffff:169.254.169.254]/", "http://100.100.100.200/"):
        assert _refusal(url, allow_private=True), url


def test_a_response_that_came_from_a_private_address_is_refused() -> None:
    """DNS rebinding: the name checked public, the connection landed on loopback."""
    mw = SafetyMiddleware(allow_private=False)
    request = Request("http://news.example.org/feed/")
    for ip in ("127.0.0.1", "::1", "10.0.0.7", "169.254.169.254"):
        response = HtmlResponse(request.url, body=b"<html></html>", request=request,
                                ip_address=ipaddress.ip_address(ip))
        with pytest.raises(UnsafeRequest, match="connected to"):
            mw.process_response(request, response)


def test_feed_and_sitemap_entries_that_point_inside_are_refused_hop_by_hop() -> None:
    targets = [f"http://{h}/story/a-b-c-d" for h in FORBIDDEN_HOSTS]
    feed = ("<rss version=\"2.0\"><channel>" + "".join(
        f"<item><title>t</title><link>{u}</link></item>" for u in targets)
        + "</channel></rss>").encode()
    sitemap = ("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">" + "".join(
        f"<url><loc>{u}</loc></url>" for u in targets) + "</urlset>").encode()
    index = ("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">" + "".join(
        f"<sitemap><loc>{u}</loc></sitemap>" for u in targets) + "</sitemapindex>").encode()
    from_feed = [e.url for e in parse_feed(feed, "http://news.example.org/feed/")]
    from_sitemap = [e.url for e in parse_sitemap(sitemap)[1]]
    from_index = [e.url for e in parse_sitemap(index)[0]]
    assert len(from_feed) == len(from_sitemap) == len(from_index) == len(targets)
    for url in from_feed + from_sitemap + from_index:
        assert _refusal(url), url


def test_a_redirect_hop_to_an_inside_address_is_refused_after_a_public_first_hop() -> None:
    """Scrapy's redirect middleware builds the next hop as a new Request that
    goes through every downloader middleware again; the safety middleware is
    installed for all of them by the crawl settings."""
    from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
    from scrapy.utils.test import get_crawler

    settings = scrapy_settings(CrawlConfig())
    assert settings["DOWNLOADER_MIDDLEWARES"]["crawler.fetching.safety.SafetyMiddleware"] > 0
    assert settings["DOWNLOAD_HANDLERS"]["file"] is None
    redirect = RedirectMiddleware.from_crawler(get_crawler(settings_dict={"REDIRECT_MAX_TIMES": 5}))
    first = Request("http://news.example.org/feed/")
    for host in FORBIDDEN_HOSTS:
        response = HtmlResponse(first.url, status=302, request=first,
                                headers={"Location": f"http://{host}/latest/"})
        hop = redirect.process_response(first, response)
        assert isinstance(hop, Request) and hop.url.startswith(f"http://{host}/")
        assert _refusal(hop.url), hop.url


class _Listener:
    """A TCP listener on loopback (IPv4 and IPv6) that counts connections: the
    proof that a refused source was never connected to."""

    def __init__(self) -> None:
        self.accepted = 0
        self.v4 = socket.create_server(("127.0.0.1", 0))
        self.port = self.v4.getsockname()[1]
        self.socks = [self.v4]
        try:
            self.socks.append(socket.create_server(("::1", self.port),
                                                   family=socket.AF_INET6))
        except OSError:
            pass  # no IPv6 loopback here: the [::1] source is still refused by rule
        for s in self.socks:
            s.settimeout(0.2)
            threading.Thread(target=self._accept, args=(s,), daemon=True).start()
        self.stopped = False

    def _accept(self, s: socket.socket) -> None:
        while not getattr(self, "stopped", False):
            try:
                conn, _ = s.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stopped = True
        for s in self.socks:
            s.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    lis = _Listener()
    yield lis
    lis.close()


def test_sources_inside_the_network_are_refused_end_to_end_and_shown_in_status(
        tmp_path: Path, listener: _Listener) -> None:
    port = listener.port
    named = {
        "ipv6-loopback": f"http://[::1]:{port}/feed/",
        "decimal-ip": f"http://2130706433:{port}/feed/",
        "unspecified": f"http://0.0.0.0:{port}/feed/",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "localhost-name": f"http://localhost:{port}/feed/",
        "short-ip": f"http://127.1:{port}/feed/",
        "mapped-ipv6": f"http://[::ffff:127.0.0.1]:{port}/feed/",
    }
    # Never let a regression send traffic off loopback: check the rule first.
    for url in named.values():
        assert _refusal(url), url
    sources = sources_toml([(n, u, "feed") for n, u in named.items()])
    config = make_config(tmp_path, None, sources, allow_private_addresses=False)  # type: ignore[arg-type]
    run = crawl_cli(config)
    rows = [json.loads(line) for line in cli(config, "status", "--json").stdout.splitlines()]
    status = {r["name"]: r for r in rows if r.get("record") == "source"}
    print(f"FIGURES ssrf: {len(named)} sources, connections={listener.accepted}, "
          f"{run.seconds:.1f}s")
    assert listener.accepted == 0
    for name in named:
        error = run.summaries[name]["error"]
        assert error and "refused" in error, (name, error)
        assert status[name]["last_error"] == error
        assert status[name]["health"] == "failing" and status[name]["consecutive_failures"] == 1
        assert run.summaries[name]["new"] == 0


def test_a_source_with_a_non_http_scheme_cannot_be_configured_or_added(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nurl = "sqlite:///x.db"\n' + sources_toml(
        [("passwd", "file:///etc/passwd", "page")]))
    with pytest.raises(ConfigError, match="http"):
        load_config(str(path))
    path.write_text('[store]\nurl = "sqlite:///x.db"\n')
    assert cli(path, "init").returncode == 0
    for url in ("file:///etc/passwd",):  # the scheme check itself is tested above
        added = cli(path, "sources", "add", url)
        assert added.returncode == 2 and "http" in added.stderr, (url, added.stderr)
