"""Property-based tests: the number, date and claim parsers (alerts/analysis)
and the feed, sitemap and listing parsers (crawler/discovery/documents.py) return a
result or their typed error for any input — never another exception, never
a hang (each example has a deadline)."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.analysis.claims import extract_claims
from alerts.analysis.dates import find_dates
from alerts.analysis.matching import find_observations
from alerts.analysis.numbers import find_numbers, parse_chinese, parse_english
from alerts.analysis.raids import extract_raids
from alerts.analysis.text import normalise
from crawler.discovery.documents import DocumentError, listing_links, parse_feed, parse_sitemap
from crawler.timestamps import parse_datetime

# Loaded CI machines are slow: the deadline catches a hang or a blow-up, not jitter.
PROPERTY = settings(max_examples=150, deadline=dt.timedelta(seconds=3),
                    suppress_health_check=[HealthCheck.too_slow])

# Text built from the pieces the parsers look for, so that examples reach
# deep into them instead of stopping at "no digit here".
PIECES = st.sampled_from([
    "complaints", "received", "more than", "about", "between", "and", "to", "at least",
    "people", "rescued", "arrested", "raided", "police", "Sihanoukville", "Siem Reap",
    "on Saturday", "last week", "yesterday", "today", "days ago", "since 18 August 2022",
    "31 December", "February 29", "on Monday, October 3", "million", "billion", "thousands",
    "sixty-four", "nine", "1,000", "368", "1e30", "10^30", "9" * 320, "0", "-5", "3.5",
    "七万", "十万", "三十八名", "约", "逮捕", "本月3日", "19日", "上周", "昨天", "៣៦៨",
    "\x00", "\r\n", "\u202e", "<script>", "javascript:", ".", ",", ";", "(", ")", "%",
])
SENTENCES = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map(" ".join)
DATES = st.dates(min_value=dt.date.min, max_value=dt.date.max)


def _finite(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


@PROPERTY
@given(SENTENCES)
def test_the_number_parser_returns_finite_quantities_in_order_for_any_text(text: str) -> None:
    found = find_numbers(normalise(text))
    assert all(_finite(n.value) for n in found)
    assert [n.start for n in found] == sorted(n.start for n in found)


@PROPERTY
@given(st.text(max_size=400))
def test_single_number_parsers_return_a_finite_number_or_none(text: str) -> None:
    for value in (parse_english(text), parse_chinese(text)):
        assert value is None or math.isfinite(value)


@PROPERTY
@given(SENTENCES, DATES, st.one_of(st.none(), DATES))
def test_the_date_parser_resolves_or_skips_dates_for_any_publication_day(
        text: str, published: dt.date, latest: dt.date | None) -> None:
    for mention in find_dates(text, published, latest):
        assert isinstance(mention.date, dt.date)
        assert 0 <= mention.start < mention.end <= len(text)


@PROPERTY
@given(st.text(max_size=80))
def test_crawler_dates_are_aware_and_plausible_or_none(text: str) -> None:
    parsed = parse_datetime(text)
    assert parsed is None or (parsed.tzinfo is not None and 1900 <= parsed.year < 2200)


@PROPERTY
@given(st.lists(SENTENCES, max_size=6).map(". ".join), DATES)
def test_claim_extraction_and_matching_never_crash(text: str, published: dt.date) -> None:
    claims = extract_claims(text, published)
    assert len({c.spec.key for c in claims}) == len(claims)
    find_observations(text, [c.spec for c in claims], published)
    extract_raids(text[:60], text, published)


XML_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(st.tuples(XML_TEXT, XML_TEXT, XML_TEXT), max_size=8))
    root = draw(st.sampled_from(["rss", "feed", "rdf:RDF", "html", ""]))
    body = "".join(f"<item><title>{t}</title><link>{u}</link><pubDate>{d}</pubDate></item>"
                   for t, u, d in items)
    doc = f"<{root}><channel>{body}</channel></{root}>" if root else body
    cut = draw(st.integers(min_value=0, max_value=len(doc)))
    return (doc[:cut] if draw(st.booleans()) else doc).encode("utf-8", "surrogatepass")


@st.composite
def sitemaps(draw: st.DrawFn) -> bytes:
    locs = draw(st.lists(st.tuples(st.sampled_from(["url", "sitemap", "other"]), XML_TEXT,
                                   XML_TEXT), max_size=8))
    root = draw(st.sampled_from(["urlset", "sitemapindex", "rss", ""]))
    body = "".join(f"<{k}><loc>{loc}</loc><lastmod>{m}</lastmod>"
                   f"<news:publication_date>{m}</news:publication_date></{k}>"
                   for k, loc, m in locs)
    doc = f"<{root}>{body}</{root}>" if root else body
    cut = draw(st.integers(min_value=0, max_value=len(doc)))
    return (doc[:cut] if draw(st.booleans()) else doc).encode("utf-8", "surrogatepass")


@PROPERTY
@given(st.one_of(feeds(), st.binary(max_size=2000)))
def test_the_feed_parser_returns_entries_or_a_document_error(body: bytes) -> None:
    try:
        entries = parse_feed(body, "http://127.0.0.1:9/feed/")
    except DocumentError:
        return
    assert all(isinstance(e.url, str) for e in entries)


@PROPERTY
@given(st.one_of(sitemaps(), st.binary(max_size=2000)))
def test_the_sitemap_parser_returns_entries_or_a_document_error(body: bytes) -> None:
    try:
        children, pages = parse_sitemap(body)
    except DocumentError:
        return
    assert all(e.url for e in [*children, *pages])


@PROPERTY
@given(st.text(max_size=2000))
def test_the_listing_parser_returns_links_or_a_document_error(html: str) -> None:
    try:
        articles, pages = listing_links(html, "http://127.0.0.1:9/section/")
    except DocumentError:
        return
    assert all(a.url.startswith("http://127.0.0.1:9/") for a in articles)
    assert all(p.startswith("http://127.0.0.1:9/") for p in pages)


def test_entity_declarations_are_refused_by_both_xml_parsers() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item>'
            b"<title>&b;</title><link>http://x/</link></item></channel></rss>")
    for parse in (lambda b: parse_feed(b, "http://127.0.0.1:9/"), parse_sitemap):
        try:
            parse(bomb)
        except DocumentError as exc:
            assert "entities" in str(exc)
        else:
            raise AssertionError("an entity declaration was accepted")
