"""The pieces of extraction apart: the date's sources in order, the language
checked against the script, decoding that survives a cut character, and the
standfirst and captions taken out of the body."""

from __future__ import annotations

import datetime as dt
import logging

import lxml.html
import pytest

from crawler.extract import Extracted, Fallback, Rejection, extract_article
from crawler.extractpool import log_date_disagreement
from crawler.page.decoding import decode_bytes
from crawler.page.language import checked_language, dominant_script
from crawler.page.parts import strip_comments, take_captions, take_standfirst
from crawler.page.published import Candidate, choose_date, date_in_url, page_date_candidates

UTC = dt.UTC
ICT = dt.timezone(dt.timedelta(hours=7))
LEDE = ("Police in Kandal province detained twelve people on Monday at a warehouse where "
        "victims of a job scam had been held for weeks, the provincial police said.")
MORE = ("Officers said the people held there had answered advertisements for jobs in "
        "hotels and were made to cheat strangers online instead.")


def _tree(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_json_ld_beats_meta_beats_time_beats_the_url() -> None:
    head = ('<meta property="article:published_time" content="2025-01-03T08:00:00+07:00">'
            '<script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2025-01-02T09:00:00+07:00"}</script>')
    tree = _tree('<article><time datetime="2025-01-04T10:00:00+07:00">4 Jan</time></article>', head)
    found = page_date_candidates(tree, "https://x.example/2025/01/05/story")
    assert [c.source for c in found] == ["json-ld", "meta", "time", "url"]
    chosen = choose_date(found, dt.datetime(2025, 1, 9, tzinfo=UTC), None)
    assert (chosen.published, chosen.source) == (dt.datetime(2025, 1, 2, 9, tzinfo=ICT), "json-ld")


def test_a_date_only_value_takes_its_hour_from_a_later_source_of_the_same_day() -> None:
    candidates = [Candidate("json-ld", dt.datetime(2025, 2, 18, tzinfo=UTC), False)]
    feed = dt.datetime(2025, 2, 18, 5, 30, tzinfo=UTC)
    chosen = choose_date(candidates, feed, None)
    assert (chosen.published, chosen.source, chosen.has_time) == (feed, "json-ld", True)
    other_day = choose_date(candidates, feed + dt.timedelta(days=3), None)
    assert other_day.published == dt.datetime(2025, 2, 18, tzinfo=UTC)


def test_without_page_dates_the_feed_comes_before_trafilaturas_guess() -> None:
    feed = dt.datetime(2025, 2, 18, 5, 30, tzinfo=UTC)
    assert choose_date([], feed, "2025-02-01").source == "feed"
    assert choose_date([], None, "2025-02-01").source == "trafilatura"
    assert choose_date([], None, None).published is None


@pytest.mark.parametrize(("url", "day"), [
    ("https://a.example/2024/05/02/raid-story/", dt.date(2024, 5, 2)),
    ("https://a.example/news/20240502-raid.html", dt.date(2024, 5, 2)),
    ("https://a.example/2024/5/2/raid", dt.date(2024, 5, 2)),
    ("https://a.example/news/raid-2024", None),
    ("https://a.example/2024/13/40/raid", None),
])
def test_dates_in_urls(url: str, day: dt.date | None) -> None:
    found = date_in_url(url)
    assert (found.date() if found else None) == day


def test_a_page_date_far_from_its_feed_entry_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    art = Extracted(text=LEDE, title="t", author=None, published=dt.datetime(2025, 3, 1, tzinfo=UTC),
                    language="en", summary=None, canonical_url=None, published_from="json-ld")
    with caplog.at_level(logging.WARNING, logger="crawler.extractpool"):
        log_date_disagreement("http://x/a", art, Fallback(published=dt.datetime(2025, 3, 1, 20, tzinfo=UTC)))
        assert not caplog.records
        log_date_disagreement("http://x/a", art, Fallback(published=dt.datetime(2025, 3, 5, tzinfo=UTC)))
    assert "from json-ld" in caplog.text and "http://x/a" in caplog.text


@pytest.mark.parametrize(("declared", "text", "language"), [
    ("en", "The police raided a building and detained forty people on Tuesday.", "en"),
    (None, "西哈努克省警方周二凌晨突击检查一栋公寓楼，解救二十六名被困外籍人员。", "zh"),
    ("en", "西哈努克省警方周二凌晨突击检查一栋公寓楼，解救二十六名被困外籍人员。", "zh"),
    ("zh", "The police raided a building in the province and detained forty people on Tuesday.",
     "en"),
    (None, "ប៉ូលិសបានចុះឆែកឆេរអគារមួយនៅខេត្តព្រះសីហនុ", "km"),
    (None, "La police a perquisitionné un immeuble et arrêté quarante personnes mardi matin.",
     "fr"),
])
def test_the_declared_language_is_checked_against_the_text(
        declared: str | None, text: str, language: str) -> None:
    assert checked_language(declared, text) == language


def test_kana_makes_han_text_japanese() -> None:
    assert dominant_script("警察は火曜日に建物を捜索し、四十人を拘束した。") == "KANA"


def test_a_utf8_page_cut_inside_a_character_is_still_utf8() -> None:
    raw = ("<p>Phnom Penh — 1,870 people</p><p>“quoted”").encode("utf-8")[:-2]
    text, problem = decode_bytes(raw, "utf-8")
    assert text is not None and text.startswith("<p>Phnom Penh — 1,870")
    assert problem and "UTF-8" in problem
    declared_other, _ = decode_bytes(raw, "cp1252")
    assert declared_other is not None and "—" in declared_other


def test_a_gb18030_page_declared_utf8_is_still_recovered() -> None:
    raw = ("<p>" + "西哈努克省警方解救二十六名被困外籍人员。" * 20 + "</p>").encode("gb18030")
    text, problem = decode_bytes(raw, "utf-8")
    assert text is not None and "西哈努克省" in text and "gb18030" in (problem or "")


def test_comments_go_and_the_text_after_them_stays() -> None:
    tree = _tree("<p>Police from <!-- -->Thailand<!-- --> met <a>officials</a><!-- --> today.</p>")
    strip_comments(tree)
    assert tree.xpath("string(//p)") == "Police from Thailand met officials today."


def test_only_a_marked_standfirst_leaves_the_body() -> None:
    tree = _tree(f'<h1>T</h1><p class="article-standfirst">A short summary line of the story.</p>'
                 f"<p>{LEDE}</p>")
    assert take_standfirst(tree) == "A short summary line of the story."
    assert tree.xpath("count(//p)") == 1
    unmarked = _tree(f'<p class="lede">{LEDE}</p><p>{MORE}</p>')
    assert take_standfirst(unmarked) is None


def test_captions_in_page_order_with_alt_texts_that_say_more() -> None:
    tree = _tree('<figure><img alt="Officers stand at a warehouse door in Kandal">'
                 "<figcaption>The warehouse in Kandal on Monday.</figcaption></figure>"
                 f"<p>{LEDE}</p>"
                 '<figure><img alt="IMG_2231.jpg"><figcaption>Phones seized at the site.'
                 "</figcaption></figure>"
                 '<p class="pic"><img alt="x"></p><p class="pic-note">警方在现场。并扣押电脑。</p>')
    assert take_captions(tree) == ["Officers stand at a warehouse door in Kandal",
                                   "The warehouse in Kandal on Monday.",
                                   "Phones seized at the site.", "警方在现场。并扣押电脑。"]
    assert not tree.xpath("//figcaption")


def test_the_lede_stays_when_it_equals_the_description() -> None:
    page = (f'<html lang="en"><head><meta name="description" content="{LEDE}">'
            f'<meta property="og:description" content="{LEDE}"><title>Kandal raid</title></head>'
            f"<body><article><h1>Kandal raid</h1><p>{LEDE}</p><p>{MORE}</p></article></body></html>")
    art = extract_article(page, "http://x.example/kandal")
    assert isinstance(art, Extracted)
    assert art.paragraphs == (LEDE, MORE) and art.summary == LEDE


_NOT_FREE = ('<script type="application/ld+json">{"@type":"NewsArticle",'
             '"isAccessibleForFree":false}</script>')
_PROMPT = ('<div class="paywall"><p>Subscribe to read the rest of this story and every '
           'other one we publish.</p></div>')


@pytest.mark.parametrize(("paragraphs", "refused"), [
    ([LEDE], True),                           # one paragraph, then the prompt: a teaser
    ([LEDE, "Read on for more."], True),      # a short line is no second paragraph
    ([LEDE, MORE], False),                    # the story's opening is its text
    ([LEDE, MORE, MORE + " Again."], False),
])
def test_a_subscribers_page_is_refused_only_when_a_lone_paragraph_is_readable(
    paragraphs: list[str], refused: bool,
) -> None:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (f'<html lang="en"><head><title>Kandal raid</title>{_NOT_FREE}</head>'
            f"<body><article><h1>Kandal raid</h1>{body}{_PROMPT}</article></body></html>")
    result = extract_article(page, "http://x.example/kandal")
    if refused:
        assert isinstance(result, Rejection) and "paywall" in result.reason
    else:
        assert isinstance(result, Extracted) and result.paragraphs == tuple(paragraphs)
