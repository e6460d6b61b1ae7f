"""The demo's news sites: valid feeds, sitemaps and listings at every phase,
conditional GET, revisions, syndicated copies and pages full of boilerplate."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
from lxml import etree

from crawler.demo.mailsink import MailSink
from crawler.demo.server import DemoWeb
from crawler.demo.story import Article, load_story
from crawler.extract import Extracted, extract_article

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with DemoWeb() as running:
        yield running


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def discovered_urls(web: DemoWeb) -> set[str]:
    """Every article URL the outlets announce now, read the way a crawler would."""
    found: set[str] = set()
    for outlet in ("wire", "zhdaily", "daily"):
        url = web.source_urls()[outlet][1]
        status, headers, body = fetch(url)
        assert status == 200
        parsed = feedparser.parse(body)
        assert not parsed.bozo, f"{outlet}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if outlet == "daily" else "rss20")
        found |= {entry.link for entry in parsed.entries}
    status, _, robots = fetch(web.source_urls()["monitor"][1])
    sitemap_url = next(line.split(":", 1)[1].strip() for line in robots.decode().splitlines()
                       if line.lower().startswith("sitemap:"))
    status, headers, body = fetch(sitemap_url)
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(body)
    assert tree.xpath("count(//sm:url)", namespaces=SITEMAP_NS) == tree.xpath(
        "count(//sm:url/news:news/news:publication_date)", namespaces=SITEMAP_NS)
    found |= set(tree.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP_NS))
    page_url: str | None = web.source_urls()["portal"][1]
    while page_url:
        status, _, body = fetch(page_url)
        assert status == 200
        doc = lxml.html.fromstring(body)
        found |= {urljoin(page_url, h) for h in doc.xpath("//div[@class='card']//a/@href")}
        nxt = doc.xpath("//a[@rel='next']/@href")
        page_url = urljoin(page_url, nxt[0]) if nxt else None
    return found


def test_every_phase_announces_exactly_the_articles_published_by_then(web: DemoWeb) -> None:
    counts = []
    for phase in range(0, web.story.last_phase() + 1):
        web.set_phase(phase)
        found = discovered_urls(web)
        assert found == set(web.article_urls())
        counts.append(len(found))
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] >= 15


def test_the_section_listing_paginates_once_it_holds_more_than_a_page(web: DemoWeb) -> None:
    web.set_phase(web.story.last_phase())
    status, _, body = fetch(web.source_urls()["portal"][1])
    assert status == 200 and lxml.html.fromstring(body).xpath("//a[@rel='next']")
    assert fetch(web.bases["portal"] + "/category/cambodia/?page=99")[0] == 404


def test_a_repeated_request_with_its_validators_gets_304_until_the_phase_moves(
        web: DemoWeb) -> None:
    web.set_phase(1)
    url = web.source_urls()["wire"][1]
    status, headers, _ = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    web.set_phase(2)
    status, new_headers, _ = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 200 and new_headers["ETag"] != headers["ETag"]


def test_a_revised_article_keeps_its_url_and_moves_its_atom_updated_date(web: DemoWeb) -> None:
    revised = next(a for a in web.story.articles if a.revisions)
    rev_phase = revised.revisions[0][0]
    web.set_phase(rev_phase - 1)
    url = next(u for u, i in web.article_urls().items() if i == revised.id)
    _, before_headers, before = fetch(url)
    before_entry = next(e for e in feedparser.parse(fetch(web.source_urls()["daily"][1])[2])
                        .entries if e.link == url)
    web.set_phase(rev_phase)
    status, after_headers, after = fetch(url, {"If-None-Match": before_headers["ETag"]})
    after_entry = next(e for e in feedparser.parse(fetch(web.source_urls()["daily"][1])[2])
                       .entries if e.link == url)
    assert status == 200 and after != before
    assert after_entry.updated_parsed > before_entry.updated_parsed
    assert after_entry.published_parsed == before_entry.published_parsed


def test_a_syndicated_copy_appears_on_another_outlet_one_phase_later(web: DemoWeb) -> None:
    original = next(a for a in web.story.articles if a.syndicated_to)
    web.set_phase(original.phase)
    assert sum(1 for i in web.article_urls().values() if i == original.id) == 1
    web.set_phase(original.phase + 1)
    copies = [u for u, i in web.article_urls().items() if i == original.id]
    assert len(copies) == 2
    texts = [extract_article(fetch(u)[2].decode(), u) for u in copies]
    assert all(isinstance(t, Extracted) for t in texts)
    assert texts[0].paragraphs[:3] == texts[1].paragraphs[:3]  # type: ignore[union-attr]


def test_article_pages_hide_the_story_among_boilerplate_that_extraction_removes(
        web: DemoWeb) -> None:
    web.set_phase(web.story.last_phase())
    by_language: dict[str, tuple[str, Article]] = {}
    for url, article_id in web.article_urls().items():
        art = next(a for a in web.story.articles if a.id == article_id)
        by_language.setdefault(art.language, (url, art))
    assert set(by_language) >= {"en", "zh"}
    for url, art in by_language.values():
        status, headers, body = fetch(url)
        charset = "gb18030" if art.language == "zh" else "utf-8"
        assert status == 200 and headers["Content-Type"] == f"text/html; charset={charset}"
        html = body.decode(charset)
        assert f'<meta charset="{charset}">' in html
        assert 'class="comments"' in html and 'class="main-nav"' in html
        result = extract_article(html, url)
        assert isinstance(result, Extracted)
        assert art.paragraphs[0] in result.text
        assert "Subscribe" not in result.text and "Accept" not in result.text
        assert result.language == art.language


def test_unknown_paths_are_not_found_and_robots_names_the_news_sitemap(web: DemoWeb) -> None:
    assert fetch(web.bases["wire"] + "/no/such/page")[0] == 404
    assert fetch(web.bases["wire"] + "/atom.xml")[0] == 404
    status, headers, body = fetch(web.bases["monitor"] + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {web.bases['monitor']}/sitemap-news.xml" in body.decode()


def test_stopping_the_sites_frees_their_ports() -> None:
    web = DemoWeb().start()
    url = web.source_urls()["wire"][1]
    assert fetch(url)[0] == 200
    web.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_the_bundled_story_carries_no_labels_and_follows_publication_order() -> None:
    import crawler.demo

    data = Path(crawler.demo.__file__).parent / "data"
    for name in ("story.json", "seed.json"):
        assert "labels" not in (data / name).read_text("utf-8")
    story = load_story()
    order = [(a.phase, a.published) for a in story.articles]
    assert order == sorted(order)
    dates_by_phase = [max(a.published for a in story.articles if a.phase == p)
                      for p in range(1, story.phases + 1)]
    assert dates_by_phase == sorted(dates_by_phase)
    assert {a.outlet for a in story.articles} >= {"wire", "daily", "monitor", "portal"}


def test_the_mail_sink_keeps_each_accepted_message_in_a_maildir(tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail") as sink:
        with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
            smtp.sendmail("a@example.org", ["desk@example.org"],
                          "Subject: Figure change\r\nFrom: a@example.org\r\n\r\n368 -> 850\r\n")
        assert sink.count() == 1
        message = sink.messages()[0]
    assert message["Subject"] == "Figure change"
    assert message["X-Envelope-To"] == "desk@example.org"
    assert json.dumps(message.get_content()).find("850") > 0
    assert len(list((tmp_path / "mail" / "new").iterdir())) == 1
