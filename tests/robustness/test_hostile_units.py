"""Fast checks of the issue-21 defences at the component each lives in (the
end-to-end cases are test_hostile_web.py and test_netns.py, both slow)."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from twisted.internet.address import IPv4Address

from crawler.discovery.documents import DocumentError, gunzip_bounded, refuse_entities, sniff_kind
from crawler.discovery.links import BAD_LINK, NOT_HTTP, TOO_LONG, link_problem
from crawler.discovery.sites import same_registrable_domain
from crawler.fetching.resolver import SafeResolver, refusal_for
from crawler.fetching.safety import SafetyMiddleware, UnsafeRequest
from crawler.page.decoding import decode_page, strip_controls
from crawler.pipelines import db_reason
from store.models import Article, FetchState, Source
from store.urls import MAX_URL_LENGTH, is_metadata_address, numeric_host

SPELLINGS = ["2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518",
             "[::ffff:a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]", "169.254.170.2", "192.0.0.192",
             "168.63.129.16", "0xa9.0xfe.0xa9.0xfe"]


@pytest.mark.parametrize("host", SPELLINGS)
def test_metadata_addresses_are_refused_in_every_spelling_with_private_allowed(
        host: str) -> None:
    ip = numeric_host(host)
    assert ip is not None and is_metadata_address(ip), host
    with pytest.raises(UnsafeRequest, match="metadata"):
        asyncio.run(SafetyMiddleware(True).process_request(Request(f"http://{host}/x")))


@pytest.mark.parametrize("host", ["news.example.org", "cafe.example", "127.0.0.1", "10.1.2.3"])
def test_other_hosts_are_not_metadata(host: str) -> None:
    ip = numeric_host(host)
    assert ip is None or not is_metadata_address(ip)


class _Answers:
    """An injected 'original' resolver: answers the addresses it was given."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    def resolveHostName(self, receiver: Any, name: str, port: int = 0,  # noqa: N802
                        *args: Any) -> Any:
        receiver.resolutionBegan(None)
        for a in self.addresses:
            receiver.addressResolved(IPv4Address("TCP", a, port))
        receiver.resolutionComplete()
        return receiver


class _Collect:
    def __init__(self) -> None:
        self.got: list[str] = []
        self.done = False

    def resolutionBegan(self, _: Any) -> None:  # noqa: N802
        pass

    def addressResolved(self, address: Any) -> None:  # noqa: N802
        self.got.append(address.host)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.done = True


class _Reactor:
    def __init__(self, original: Any) -> None:
        self.nameResolver = original  # noqa: N815


@pytest.mark.parametrize(("allow", "answers", "expected"), [
    (False, ("93.184.216.34", "127.0.0.1"), ["93.184.216.34"]),
    (False, ("127.0.0.1",), []),
    (False, ("10.0.0.7", "169.254.169.254"), []),
    (True, ("127.0.0.1", "169.254.169.254"), ["127.0.0.1"]),
    (True, ("169.254.169.254",), []),
])
def test_the_connect_time_resolver_passes_on_only_addresses_the_config_allows(
        allow: bool, answers: tuple[str, ...], expected: list[str]) -> None:
    resolver = SafeResolver(_Reactor(_Answers(*answers)), allow)
    out = _Collect()
    resolver.resolveHostName(out, f"h{len(answers)}-{allow}.example", 80)
    assert out.got == expected and out.done
    reason = refusal_for(f"h{len(answers)}-{allow}.example")
    assert (reason is not None) == (not expected), reason


@pytest.mark.parametrize(("url", "problem"), [
    ("mailto:desk@example.org", NOT_HTTP), ("javascript:alert(1)", NOT_HTTP),
    ("tel:+85512345678", NOT_HTTP), ("urn:isbn:0451450523", NOT_HTTP),
    ("http://news.example:99999/a", BAD_LINK), ("http://[::1/a", BAD_LINK),
    ("http:///no-host", BAD_LINK), ("http://news.example/" + "a" * MAX_URL_LENGTH, TOO_LONG),
    ("https://news.example/story/a-b-c", None),
])
def test_entry_links_are_classified_before_a_request_is_built(url: str, problem: str | None
                                                                ) -> None:
    assert link_problem(url) == problem
    if problem is None:
        Request(url)


def test_the_url_limit_is_the_url_columns_length() -> None:
    for column in (Article.__table__.c.url, Article.__table__.c.canonical_url,
                   FetchState.__table__.c.url, Source.__table__.c.url):
        assert isinstance(column.type, String) and column.type.length == MAX_URL_LENGTH
    assert FetchState.__table__.c.entry_updated.type.length == 64
    assert FetchState.__table__.c.last_modified.type.length == 128


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x1b", "\ufffe", "\uffff", "\ufdd0",
                                  "\U0010fffe", "\x00"])
def test_control_characters_and_non_characters_are_stripped(char: str) -> None:
    body = f"<p>one{char}two</p>\t\n\r".encode("utf-8", "surrogatepass")
    text, problem = decode_page(HtmlResponse("http://a/", body=body,
                                             headers={"Content-Type": "text/html; charset=utf-8"}))
    assert text == "<p>onetwo</p>\t\n\r" and problem is None
    assert strip_controls("é中\t") == "é中\t"


@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib", "hex", "uu_codec", "bz2_codec"])
def test_a_non_text_charset_falls_back_to_a_recovery_charset(codec: str) -> None:
    response = HtmlResponse("http://a/", body="<p>Phnom Penh – 中文</p>".encode(),
                            headers={"Content-Type": f"text/html; charset={codec}"})
    text, problem = decode_page(response)
    assert text == "<p>Phnom Penh – 中文</p>"
    assert problem and "not a text encoding (read as utf-8)" in problem


def test_entity_declarations_past_64_kb_or_in_utf_16_are_refused() -> None:
    late = b"<rss>" + b" " * 70_000 + b'<!DOCTYPE r [<!ENTITY a "b">]>'
    utf16 = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    for body in (late, utf16.encode("utf-16"), utf16.encode("utf-16-le")):
        with pytest.raises(DocumentError, match="entities"):
            refuse_entities(body)
    refuse_entities(b"<rss><channel><![CDATA[a [bracket]]]></channel></rss>")


def test_a_sitemap_behind_a_long_comment_or_in_gzip_is_recognised() -> None:
    sitemap = (b'<?xml version="1.0"?><!--' + b"c" * 70_000 + b'-->\n<urlset xmlns="http://'
               b'www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a/b</loc></url></urlset>')
    assert sniff_kind(sitemap) == "sitemap"
    packed = gzip.compress(sitemap)
    assert gunzip_bounded(packed, 1_000_000) == sitemap
    with pytest.raises(DocumentError, match="larger than"):
        gunzip_bounded(gzip.compress(b"x" * 200_000), 100_000)
    assert gunzip_bounded(b"<urlset/>", 10) == b"<urlset/>"


def test_a_store_error_names_the_database_reason_without_sql_or_parameters() -> None:
    exc = IntegrityError("INSERT INTO articles (url, text) VALUES (?, ?)",
                         ("http://a/", "the whole page " * 100),
                         Exception("UNIQUE constraint failed: articles.url"))
    reason = db_reason(exc)
    assert reason == "Exception: UNIQUE constraint failed: articles.url"
    assert "INSERT" not in reason and "whole page" not in reason


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://www.example.co.uk/a", "http://news.example.co.uk/b", True),
    ("https://example.com/a", "https://example.org/a", False),
    ("http://127.0.0.1:8001/a", "http://127.0.0.1:9001/b", True),
    ("http://127.0.0.1/a", "http://127.0.0.2/a", False),
    ("https://a.github.io/x", "https://b.github.io/x", False),
])
def test_canonical_links_count_within_one_registrable_domain(a: str, b: str, same: bool
                                                              ) -> None:
    assert same_registrable_domain(a, b) is same


def test_the_address_connected_to_is_still_checked_on_the_response() -> None:
    request = Request("http://news.example.org/feed/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request,
                            ip_address=ipaddress.ip_address("169.254.170.2"))
    with pytest.raises(UnsafeRequest, match="connected to"):
        SafetyMiddleware(allow_private=True).process_response(request, response)
