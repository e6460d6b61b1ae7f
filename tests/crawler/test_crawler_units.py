"""The crawler's pure parts: address rules, XML safety, parsing, fingerprints,
extraction, and the store writes (on both database backends)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from sqlalchemy import Engine, select

from crawler.dedup import DuplicateIndex
from crawler.discovery.documents import (
    DocumentError,
    listing_links,
    parse_feed,
    parse_sitemap,
    read_feed,
    robots_sitemaps,
)
from crawler.extract import Extracted, Fallback, Rejection, extract_article
from crawler.extractpool import ExtractionPool
from crawler.fetching.safety import forbidden_reason, scheme_reason
from crawler.fingerprint import content_hash, near_duplicate, same_text, simhash
from crawler.persist import record_health, store_article
from store.db import session_scope
from store.models import Article, Source
from tests.crawler.slowpages import hang


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.9", "private"),
    ("172.16.5.5", "private"), ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "CGNAT"), ("100.127.255.254", "CGNAT"), ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("fe80::1", "link-local"),
    ("fc00::1", "private"), ("224.0.0.1", "multicast"),
])
def test_internal_addresses_are_refused_with_their_kind(address: str, kind: str) -> None:
    reason = forbidden_reason(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111",
                                     "100.128.0.1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(address) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/html,hi", "ftp://x/y",
                                 "gopher://x/", "s3://bucket/key"])
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    assert scheme_reason(url) is not None
    assert scheme_reason("https://example.org/feed") is None


XML_BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss version="2.0"><channel><item>
<title>&lol2;</title><link>http://x/a</link></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url></urlset>"""


def test_xml_that_declares_entities_is_refused_before_parsing() -> None:
    with pytest.raises(DocumentError, match="entities"):
        parse_feed(XML_BOMB, "http://x/feed")
    with pytest.raises(DocumentError, match="entities"):
        parse_sitemap(XXE)


def test_a_gb18030_feed_is_read_with_its_titles_dates_and_language() -> None:
    feed = ("""<?xml version="1.0" encoding="GB18030"?><rss version="2.0"><channel>
<title>报</title><language>zh-cn</language><item><title>柬埔寨警方突查涉赌场所</title>
<link>http://zh.example/a/1.html</link><pubDate>Fri, 21 Oct 2022 11:00:00 +0700</pubDate>
</item></channel></rss>""").encode("gb18030")
    (entry,) = parse_feed(feed, "http://zh.example/rss.xml")
    assert entry.title == "柬埔寨警方突查涉赌场所"
    assert entry.published == dt.datetime(2022, 10, 21, 11, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert entry.language == "zh"
    assert entry.updated is None  # an RSS pubDate is not an update marker


def test_a_truncated_feed_yields_its_readable_entries_and_a_problem() -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>'
            b'<link>http://x/a</link></item><item><title>B</ti')
    entries, problem = read_feed(feed, "http://x/feed")
    assert [e.url for e in entries][:1] == ["http://x/a"]
    assert problem and "malformed" in problem


def test_a_news_sitemap_gives_urls_lastmod_titles_and_dates() -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://m/story/a.html</loc>
<lastmod>2025-10-30T10:01:00+07:00</lastmod><news:news><news:publication><news:name>M</news:name>
<news:language>en</news:language></news:publication>
<news:publication_date>2025-10-23T16:00:00+07:00</news:publication_date>
<news:title>A story</news:title></news:news></url></urlset>"""
    children, (page,) = parse_sitemap(xml)
    assert children == []
    assert (page.url, page.title, page.updated, page.language) == (
        "http://m/story/a.html", "A story", "2025-10-30T10:01:00+07:00", "en")
    assert page.published is not None and page.published.utcoffset() == dt.timedelta(hours=7)


def test_robots_txt_sitemap_lines_are_discovered() -> None:
    text = "User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\nsitemap: http://o/news.xml\n"
    assert robots_sitemaps(text, "http://o/robots.txt") == ["http://o/sitemap.xml",
                                                            "http://o/news.xml"]


def test_listing_links_stay_on_the_site_and_find_the_next_page() -> None:
    html = """<html><body><nav><a href="/category/real-estate/">Real Estate</a></nav>
<a href="/cambodia/police-raid-a-compound-in-the-south-123456">Police raid a compound in the south</a>
<a href="http://elsewhere.example/cambodia/police-raid-a-compound-in-the-south-1">Same story elsewhere</a>
<a href="/about/">About us and our team</a>
<a rel="next" href="/category/cambodia/?page=2">Next &raquo;</a></body></html>"""
    articles, pages = listing_links(html, "http://portal.example/category/cambodia/")
    assert [a.url for a in articles] == [
        "http://portal.example/cambodia/police-raid-a-compound-in-the-south-123456"]
    assert pages == ["http://portal.example/category/cambodia/?page=2"]


BODY = [
    ("Police in the capital said on Tuesday that they had searched a building where dozens of "
    "foreign workers were held, and that an investigation into the owners had begun."),
    ("The workers told officers they had been promised jobs in marketing and were instead forced "
    "to run online fraud schemes for up to sixteen hours a day."),
    ("A spokesman said the case would be sent to the provincial court once the interviews were "
    "finished, and that embassies had been informed."),
]


def _page(lang: str = "en") -> str:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><title>Raid on a building</title>
<meta property="og:title" content="Raid on a building">
<meta property="article:published_time" content="2024-05-02T10:00:00+07:00">
<link rel="canonical" href="http://n.example/story/raid"></head><body>
<div class="cookie-banner">We use cookies to improve your experience on this website today.</div>
<nav><a href="/">Home</a> <a href="/world/">World news and more</a></nav>
<article><h1>Raid on a building</h1><div class="byline">By Staff Reporter</div>
<div class="entry-content">{paras}<p class="read-also">READ ALSO: Another story about something else</p></div>
</article>
<section class="related-posts"><h3>Related</h3><ul><li><a href="/x">A related story that should not appear</a></li></ul></section>
<div id="comments"><p>This comment should never be part of the article text at all.</p></div>
<aside class="most-read"><a href="/y">The most read story of the week is not this one</a></aside>
<footer>Copyright notice for the whole website and all of its content</footer></body></html>"""


def test_extraction_keeps_the_body_and_drops_the_boxes_around_it() -> None:
    art = extract_article(_page(), "http://n.example/story/raid?utm=1")
    assert isinstance(art, Extracted)
    assert art.paragraphs == tuple(BODY)
    for junk in ("cookies", "READ ALSO", "related story", "comment", "most read", "Copyright"):
        assert junk.lower() not in art.text.lower()
    assert art.title == "Raid on a building"
    assert art.published == dt.datetime(2024, 5, 2, 3, tzinfo=dt.UTC)
    assert art.language == "en" and art.canonical_url == "http://n.example/story/raid"


def test_extraction_takes_the_language_from_the_page_and_metadata_from_the_fallback() -> None:
    page = _page("fr-FR").replace('<meta property="article:published_time" '
                                  'content="2024-05-02T10:00:00+07:00">', "")
    when = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    art = extract_article(page, "http://n.example/a", Fallback(title="t", published=when))
    assert isinstance(art, Extracted)
    assert art.language == "fr" and art.published == when


@pytest.mark.parametrize(("html", "reason"), [
    ("", "empty"), ("   \n", "empty"),
    ("\x00\x01\x02\x03\x04\x05" * 500, "binary"),
    ("<html><body><p>Half a page, cut <b", "truncated"),
    ("<html><body><p>Half a page<script>var cut = 1", "truncated"),
    ('<?xml version="1.0"?><!DOCTYPE h [<!ENTITY a "b">]><html><body>&a;</body></html>',
     "entities"),
    ("<html><body><nav>Home</nav></body></html>", "no article text"),
])
def test_pages_without_an_article_are_rejected_with_a_reason(html: str, reason: str) -> None:
    result = extract_article(html, "http://x/")
    assert isinstance(result, Rejection) and reason in result.reason


def test_a_page_without_its_optional_closing_tags_is_extracted() -> None:
    page = _page().replace("</body></html>", "")
    art = extract_article(page, "http://n.example/story/raid")
    assert isinstance(art, Extracted) and art.paragraphs == tuple(BODY)


def test_an_extraction_that_overruns_its_time_limit_is_stopped() -> None:
    pool = ExtractionPool(workers=1, timeout_seconds=1.0)
    try:
        started = time.monotonic()
        result = asyncio.run(pool.run(hang, 30))
        assert isinstance(result, Rejection) and "longer than 1 s" in result.reason
        assert time.monotonic() - started < 15
        # The pool recovers for the next page.
        page = asyncio.run(pool.extract(_page(), "http://n.example/x", Fallback()))
        assert isinstance(page, Extracted)
    finally:
        pool.close()


def test_fingerprints_match_copies_and_tell_different_texts_apart() -> None:
    text = " ".join(BODY)
    assert content_hash(text) == content_hash("  " + text.replace(" ", "\n  ") + " ")
    edited = text.replace("sixteen", "fifteen")
    assert content_hash(edited) != content_hash(text)
    assert near_duplicate(simhash(text), simhash(edited)) and same_text(text, edited)
    other = ("The central bank kept its forecast for growth unchanged this year, citing "
             "strong exports of garments and a recovery in tourism after the pandemic. ") * 3
    assert not near_duplicate(simhash(text), simhash(other)) and not same_text(text, other)
    assert simhash("too short") is None


def _extracted(text: str, published: dt.datetime, url: str = "", canonical: str | None = None
               ) -> Extracted:
    return Extracted(text=text, title="T", author=None, published=published, language="en",
                     summary=None, canonical_url=canonical or url)


def test_a_changed_body_is_a_new_revision_and_needs_analysis(engine: Engine) -> None:
    when = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    with session_scope(engine) as s:
        src = Source(name="s", url="http://s/feed")
        s.add(src)
        s.flush()
        assert store_article(s, src.id, "http://s/a", _extracted(" ".join(BODY), when), dedup=DuplicateIndex()) == "new"
        assert store_article(s, src.id, "http://s/a", _extracted(" ".join(BODY), when), dedup=DuplicateIndex()) == \
            "unchanged"
        art = s.scalars(select(Article)).one()
        art.needs_analysis = False
        art.analysed_revision = 1
        revised = " ".join(BODY) + " A new paragraph reports the final count of people held."
        assert store_article(s, src.id, "http://s/a", _extracted(revised, when), dedup=DuplicateIndex()) == "updated"
    with session_scope(engine) as s:
        art = s.scalars(select(Article)).one()
        assert art.revision == 2 and art.needs_analysis
        assert [r.revision for r in art.revisions] == [1, 2]
        assert art.text.endswith("people held.")


def test_a_syndicated_copy_points_at_its_original_whatever_the_fetch_order(
    engine: Engine,
) -> None:
    original_time = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    copy_time = original_time + dt.timedelta(days=1)
    text = " ".join(BODY)
    with session_scope(engine) as s:
        src = Source(name="s", url="http://s/feed")
        s.add(src)
        s.flush()
        # The copy is fetched first, with a word changed and its canonical link
        # naming the original (as syndication marks it); the original comes after.
        store_article(s, src.id, "http://b/copy", _extracted(text.replace("Tuesday", "Tues."),
                                                             copy_time, "http://b/copy",
                                                             canonical="http://a/orig"), dedup=DuplicateIndex())
        store_article(s, src.id, "http://a/orig", _extracted(text, original_time, "http://a/orig"), dedup=DuplicateIndex())
        store_article(s, src.id, "http://a/canon", _extracted(
            "Entirely different words that only share a canonical link with the original "
            "story, which is how some sites mark a copy of another page on their own site.",
            copy_time, "http://a/canon", canonical="http://a/orig"), dedup=DuplicateIndex())
    with session_scope(engine) as s:
        rows = {a.url: a for a in s.scalars(select(Article))}
        orig = rows["http://a/orig"]
        assert orig.duplicate_of_id is None
        assert rows["http://b/copy"].duplicate_of_id == orig.id
        assert rows["http://a/canon"].duplicate_of_id == orig.id


def test_a_newcomer_claiming_an_earlier_date_never_takes_a_stored_article_over(
    engine: Engine,
) -> None:
    """Issue 21: another site's page naming a stored article as its canonical
    (different words), or copying it with one figure changed and an earlier
    date, never makes the stored article its copy."""
    stored_time = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    earlier = stored_time - dt.timedelta(days=5)
    text = " ".join(BODY)
    with session_scope(engine) as s:
        src = Source(name="s", url="http://s/feed")
        s.add(src)
        s.flush()
        store_article(s, src.id, "http://outlet.example/a", _extracted(
            text, stored_time, "http://outlet.example/a"), dedup=DuplicateIndex())
        store_article(s, src.id, "http://other.example/claim", _extracted(
            "Entirely different words that claim the outlet's story as their canonical "
            "page, from a site that has nothing to do with the outlet at all.",
            earlier, "http://other.example/claim", canonical="http://outlet.example/a"), dedup=DuplicateIndex())
        store_article(s, src.id, "http://other.example/near", _extracted(
            text.replace("Tuesday", "Monday"), earlier, "http://other.example/near",
            canonical="http://outlet.example/a"), dedup=DuplicateIndex())
    with session_scope(engine) as s:
        rows = {a.url: a for a in s.scalars(select(Article))}
        outlet = rows["http://outlet.example/a"]
        assert outlet.duplicate_of_id is None
        assert rows["http://other.example/claim"].duplicate_of_id is None
        assert rows["http://other.example/near"].duplicate_of_id == outlet.id


def test_a_failing_source_counts_consecutive_failures_until_it_succeeds(engine: Engine) -> None:
    with session_scope(engine) as s:
        src = Source(name="s", url="http://s/feed")
        s.add(src)
        s.flush()
        for _ in range(2):
            record_health(s, src.id, error="HTTP 500", detected_kind="feed", new_articles=0)
        assert src.consecutive_failures == 2 and src.last_error == "HTTP 500"
        record_health(s, src.id, error=None, detected_kind="feed", new_articles=3)
        assert src.consecutive_failures == 0 and src.last_success_at is not None
        assert src.last_new_article_at is not None and src.detected_kind == "feed"


def test_a_story_container_named_like_a_sidebar_is_still_extracted() -> None:
    page = _page().replace("<article>", '<div class="layout has-sidebar widget-area"><article>'
                           ).replace("</article>", "</article></div>")
    art = extract_article(page, "http://n.example/story/raid")
    assert isinstance(art, Extracted) and art.paragraphs == tuple(BODY)


def test_an_article_stored_through_one_source_keeps_its_update_marker_for_another(
    sqlite_engine,
) -> None:
    """Two feeds listing one page: the second must see the first's marker, or it refetches."""
    from crawler.validators import load_known
    from store.db import session_scope
    from store.models import Article, FetchState, Source

    url = "http://news.example/a/1.html"
    with session_scope(sqlite_engine) as s:
        a = Source(name="a", url="http://news.example/feed", kind="feed")
        b = Source(name="b", url="http://other.example/feed", kind="feed")
        s.add_all([a, b])
        s.flush()
        s.add(Article(url=url, text="body", source_id=a.id))
        s.add(FetchState(url=url, source_id=a.id, entry_updated="2025-01-02T00:00:00Z"))
        s.add(FetchState(url="http://news.example/sitemap.xml", source_id=a.id, etag='"x"'))
        b_id = b.id
    with session_scope(sqlite_engine) as s:
        known = load_known(s, b_id, "http://other.example/feed")
    assert known.fetch[url].entry_updated == "2025-01-02T00:00:00Z"
    assert "http://news.example/sitemap.xml" not in known.fetch  # another source's document


POOL_SCRIPT = """
import asyncio, multiprocessing.forkserver, os, resource
from crawler.extractpool import ExtractionPool
from tests.crawler.slowpages import spin

async def work(pool):
    return await asyncio.gather(*(pool.run(spin, 0.4) for _ in range(2)))

pool = ExtractionPool(workers=2, timeout_seconds=30)
asyncio.run(work(pool))
server = multiprocessing.forkserver._forkserver._forkserver_pid
pool.close()
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
try:
    os.kill(server, 0)
    alive = True
except ProcessLookupError:
    alive = False
print(alive, kids.ru_utime + kids.ru_stime)
"""


def test_closing_the_pool_stops_its_forkserver_and_accounts_for_the_workers_cpu() -> None:
    """Left running, the forkserver outlived the pass, and its workers' CPU was
    never reaped into the crawl's: the benchmark undercounted the crawl by half."""
    import subprocess
    import sys

    from tests.support import REPO

    proc = subprocess.run([sys.executable, "-c", POOL_SCRIPT], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    alive, children_cpu = proc.stdout.split()
    assert alive == "False"
    assert float(children_cpu) >= 0.75  # the two workers' 0.4 s each


ORPHAN_SCRIPT = """
import asyncio, multiprocessing.forkserver, os, signal, sys
import psutil
from crawler.extractpool import ExtractionPool
from tests.crawler.slowpages import spin

pool = ExtractionPool(workers=2, timeout_seconds=30)
asyncio.run(pool.run(spin, 0.05))
server = multiprocessing.forkserver._forkserver._forkserver_pid
print(server, *(c.pid for c in psutil.Process(server).children()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_and_their_forkserver_leave_when_the_crawl_is_killed() -> None:
    """kill -9 of the crawling process left its idle workers and their
    forkserver running for good (a test of kill -9 found them days later)."""
    import subprocess
    import sys

    import psutil

    from tests.support import REPO

    # Not subprocess.run: the workers inherit its pipes, and it would wait for them.
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=REPO)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    proc.wait(timeout=60)
    pids = [int(p) for p in line.split()]
    assert len(pids) >= 2, line  # the forkserver and at least one worker
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in pids):
        time.sleep(0.2)
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    for pid in alive:  # do not leave them behind if the test fails
        psutil.Process(pid).kill()
    assert not alive


_EXTENSIONS_BUILT = """
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.utils.test import get_crawler
from crawler.passes.settings import scrapy_settings
from store.config import CrawlConfig
crawler = get_crawler(settings_dict=scrapy_settings(CrawlConfig()))
crawler._apply_settings()
print(" ".join(type(e).__name__ for e in crawler.extensions.middlewares))
"""


def test_a_crawl_opens_no_listening_console_or_remote_control_server() -> None:
    """Scrapy's telnet console and its 2.19 remote-control server (which runs code
    sent to its port) are extensions: neither may be built for our crawls. In a
    fresh process, because the remote control needs the asyncio reactor installed."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _EXTENSIONS_BUILT], capture_output=True,
                         text=True, timeout=120, check=True).stdout.split()
    assert "CoreStats" in out
    assert not set(out) & {"TelnetConsole", "RemoteControl"}
