"""The poller's pure rules: what servers ask (Cache-Control, Retry-After),
the per-host gate, the learned interval, which entries are worth fetching."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.discovery.documents import Entry
from crawler.poll.manners import HostGate, cache_seconds, retry_after_seconds, server_wait
from crawler.poll.poller import fresh_entries, pollable_kind
from crawler.poll.rhythm import learn_interval, typical_gap
from crawler.validators import Validators
from store.latency import delay_seconds

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("header", "seconds"), [
    (None, 0.0),
    ("max-age=300", 300.0),
    ("public, max-age=60, s-maxage=600", 600.0),
    ("no-cache, max-age=300", 0.0),
    ("no-store", 0.0),
    ("max-age=99999999", 86400.0),
    ("max-age=abc", 0.0),
])
def test_cache_control_max_age_says_how_long_not_to_ask_again(header: str | None,
                                                                seconds: float) -> None:
    assert cache_seconds(header) == seconds


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 02 Dec 2026 12:05:00 GMT",
                               now_epoch=NOW.timestamp()) == 300.0
    assert retry_after_seconds("yesterday") == 0.0
    assert server_wait(503, {"retry-after": "90"}) == 90.0
    # Retry-After means something on 429 and 503 only; max-age on any answer.
    assert server_wait(200, {"retry-after": "90", "cache-control": "max-age=30"}) == 30.0


def test_the_gate_spaces_requests_to_a_host_and_blocks_it_while_a_child_holds_it() -> None:
    gate = HostGate()
    assert gate.take("a.example", 5.0, now=100.0)
    assert not gate.take("a.example", 5.0, now=103.0)
    assert gate.wait_time("a.example", 5.0, now=103.0) == pytest.approx(2.0)
    assert gate.take("b.example", 5.0, now=103.0)  # another host is not held back
    assert gate.take("a.example", 5.0, now=105.0)
    gate.hold({"a.example"})
    assert gate.wait_time("a.example", 5.0, now=200.0) == float("inf")
    assert gate.wait_time("a.example", 0.0, now=200.0) == 0.0  # no delay to keep
    gate.release({"a.example"}, now=210.0)
    assert not gate.take("a.example", 5.0, now=212.0)  # the child's last request counts
    assert gate.take("a.example", 5.0, now=215.0)


def _hourly(n: int, every: dt.timedelta, last: dt.datetime = NOW) -> list[dt.datetime]:
    return [last - every * i for i in range(n)]


@pytest.mark.parametrize(("times", "floor", "ceiling", "expected"), [
    # A source that publishes every 20 minutes is polled every 5.
    (_hourly(8, dt.timedelta(minutes=20)), 60, 1800, 300),
    # Busier than the floor allows: the floor.
    (_hourly(8, dt.timedelta(minutes=1)), 60, 1800, 60),
    # Twice a day: the ceiling (the source's `every`).
    (_hourly(8, dt.timedelta(hours=12)), 60, 1800, 1800),
    # Too little to learn from: the ceiling.
    ([NOW], 60, 1800, 1800),
    ([], 60, 1800, 1800),
    # Every 20 minutes, but silent for 3 hours: slowing down, towards the ceiling.
    (_hourly(8, dt.timedelta(minutes=20), NOW - dt.timedelta(hours=3)), 60, 1800, 900),
])
def test_the_interval_follows_the_publication_rhythm_within_its_bounds(
        times: list[dt.datetime], floor: int, ceiling: int, expected: int) -> None:
    assert learn_interval(times, NOW, floor, ceiling) == expected


def test_a_floor_above_the_ceiling_gives_way_to_the_ceiling() -> None:
    assert learn_interval(_hourly(8, dt.timedelta(minutes=1)), NOW, 60, 2) == 2


def test_the_typical_gap_is_the_median_of_the_latest_gaps_and_ignores_future_dates() -> None:
    times = _hourly(5, dt.timedelta(minutes=10)) + [NOW + dt.timedelta(days=3)]
    assert typical_gap(times, NOW) == 600.0


def test_fresh_entries_are_the_new_ones_and_the_stored_ones_marked_updated_since() -> None:
    stored = {"https://a.example/old": Validators(None, None, "2026-12-01T10:00:00Z"),
              "https://a.example/revised": Validators(None, None, "2026-12-01T10:00:00Z")}
    entries = [
        Entry("https://a.example/new"),
        Entry("https://a.example/new#comments"),
        Entry("https://a.example/old", updated="2026-12-01T10:00:00Z"),
        Entry("https://a.example/revised", updated="2026-12-02T08:00:00Z"),
        Entry("mailto:desk@a.example"),
        Entry("javascript:void(0)"),
    ]
    fresh = fresh_entries(entries, stored, limit=10)
    assert [e.url for e in fresh] == ["https://a.example/new", "https://a.example/revised"]
    assert len(fresh_entries(entries, stored, limit=1)) == 1


@pytest.mark.parametrize(("kind", "detected", "polled_as"), [
    ("feed", None, "feed"), ("sitemap", None, "sitemap"), ("listing", None, "listing"),
    ("page", None, None), ("auto", None, None), ("auto", "feed", "feed"),
    ("auto", "page", None),
])
def test_feeds_sitemaps_and_listings_are_polled_pages_and_unknown_kinds_crawled(
        kind: str, detected: str | None, polled_as: str | None) -> None:
    assert pollable_kind(kind, detected) == polled_as


def test_the_publication_delay_counts_only_what_says_something_of_our_speed() -> None:
    assert delay_seconds(NOW - dt.timedelta(minutes=3), NOW) == 180.0
    assert delay_seconds(None, NOW) is None
    assert delay_seconds(NOW + dt.timedelta(minutes=3), NOW) is None  # their clock ahead
    assert delay_seconds(NOW - dt.timedelta(days=5), NOW) is None  # an old story found late
