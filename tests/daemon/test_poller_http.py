"""The poller against a real loopback site: conditional GETs, robots.txt and
its Crawl-delay, sitemaps named by robots.txt, address and size limits."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from crawler.poll.fetcher import Fetcher
from crawler.poll.poller import PollOutcome, poll
from crawler.validators import Validators
from store.config import CrawlConfig
from tests.servers.pollsite import PollSite, poll_site

LOOPBACK = CrawlConfig(allow_private_addresses=True, download_delay=0.0)


@pytest.fixture
def site() -> Iterator[PollSite]:
    with poll_site() as s:
        s.publish("first-story-of-the-day-1001", "First story")
        s.publish("second-story-of-the-day-1002", "Second story")
        yield s


def _poll(url: str, kind: str, fetcher: Fetcher, docs: dict[str, Validators],
          stored: dict[str, Validators | None] | None = None) -> PollOutcome:
    return poll(url, kind, fetcher, docs.get, lambda urls: {u: v for u, v in (stored or {})
                                                            .items() if u in urls}, limit=100)


def test_an_unchanged_feed_costs_one_conditional_request_answered_304(site: PollSite) -> None:
    fetcher = Fetcher(LOOPBACK)
    first = _poll(f"{site.base}/feed.xml", "feed", fetcher, {})
    assert [e.url.rsplit("/", 1)[1] for e in first.entries] == [
        "first-story-of-the-day-1001", "second-story-of-the-day-1002"]
    assert first.changed and first.documents[0].validators.etag
    docs = {d.url: d.validators for d in first.documents}
    site.hits.clear()
    again = _poll(f"{site.base}/feed.xml", "feed", fetcher, docs)
    assert again.entries == [] and not again.changed and again.error is None
    assert [(p, status) for p, _, status in site.hits] == [("/feed.xml", 304)]


def test_stored_entries_are_not_fetched_again(site: PollSite) -> None:
    stored = {f"{site.base}/news/first-story-of-the-day-1001": None}
    outcome = _poll(f"{site.base}/feed.xml", "feed", Fetcher(LOOPBACK), {}, stored)
    assert [e.url for e in outcome.entries] == [f"{site.base}/news/second-story-of-the-day-1002"]


def test_robots_crawl_delay_spaces_two_requests_to_one_host() -> None:
    with poll_site(crawl_delay=1.0) as site:
        fetcher = Fetcher(LOOPBACK)
        _poll(f"{site.base}/feed.xml", "feed", fetcher, {})
        _poll(f"{site.base}/feed.xml", "feed", fetcher, {})
        times = [t for _, t, _ in site.hits]
        assert [p for p, _, _ in site.hits] == ["/robots.txt", "/feed.xml", "/feed.xml"]
        assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False)), times


def test_a_document_robots_txt_disallows_is_not_fetched(site: PollSite) -> None:
    outcome = _poll(f"{site.base}/private/feed.xml", "feed", Fetcher(LOOPBACK), {})
    assert outcome.entries == [] and outcome.error is None and "robots.txt" in outcome.note
    assert not site.requests("/private/feed.xml")


def test_a_sitemap_source_reads_robots_txt_once_and_skips_an_unmoved_child(
        site: PollSite) -> None:
    fetcher = Fetcher(LOOPBACK)
    first = _poll(f"{site.base}/robots.txt", "sitemap", fetcher, {})
    assert len(first.entries) == 2
    assert [d.url for d in first.documents] == [f"{site.base}/sitemap-index.xml",
                                                f"{site.base}/news.xml"]
    docs = {d.url: d.validators for d in first.documents}
    site.hits.clear()
    again = _poll(f"{site.base}/robots.txt", "sitemap", fetcher, docs)
    assert again.entries == []
    # robots.txt is kept with its rules; the index answers 304; news.xml is
    # not asked for at all, its <lastmod> in the index did not move.
    assert [(p, s) for p, _, s in site.hits] == [("/sitemap-index.xml", 304)]


def test_a_redirect_is_followed_and_a_refused_address_is_an_error(site: PollSite) -> None:
    outcome = _poll(f"{site.base}/moved", "feed", Fetcher(LOOPBACK), {})
    assert len(outcome.entries) == 2
    public_only = dataclasses.replace(LOOPBACK, allow_private_addresses=False)
    refused = _poll(f"{site.base}/feed.xml", "feed", Fetcher(public_only), {})
    assert refused.entries == [] and "loopback" in (refused.error or "")
    assert not site.requests("/feed.xml")[1:]  # only the redirect's hop reached it


def test_a_document_over_the_size_limit_is_an_error_and_loses_nothing(site: PollSite) -> None:
    small = dataclasses.replace(LOOPBACK, max_response_bytes=10_000)
    outcome = _poll(f"{site.base}/big.xml", "feed", Fetcher(small), {})
    assert "larger than 10,000 bytes" in (outcome.error or "")
    assert outcome.documents == []  # nothing to record: the next poll tries again
