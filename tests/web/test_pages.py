"""The web view's routes, filters, exports and escaping, through Starlette's test client."""

from __future__ import annotations

import csv
import io
import json

import pytest
from starlette.testclient import TestClient

from alerts.delivery.sanitize import one_line
from tests.web.story import ARCHIVE_SHA, HOSTILE, WebStory

PAGES = ["/", "/alerts", "/figures", "/figures/complaints", "/figures/rescued", "/raids",
         "/articles", "/articles?q=freed", "/sources"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_a_strict_content_security_policy(client: TestClient,
                                                                  path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script" not in response.text.lower()
    assert 'style="' not in response.text  # inline styles would be blocked by the CSP


@pytest.mark.parametrize("path", ["/alerts", "/raids", "/articles?q=compound", "/"])
def test_a_hostile_title_stays_text_everywhere(client: TestClient, story: WebStory,
                                               path: str) -> None:
    page = client.get(path).text
    assert "<script>" not in page and "<img src=x" not in page
    assert "\u202e" not in page and "\r\nBcc" not in page
    assert "&lt;script&gt;" in page


def test_the_article_page_escapes_its_stored_text(client: TestClient, story: WebStory) -> None:
    page = client.get(f"/articles/{story.hostile_id}").text
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;" in page


def test_alerts_are_newest_first_and_paged(client: TestClient, story: WebStory) -> None:
    first = client.get("/alerts").text  # page_size=2 in the fixture
    assert first.index(f'id="alert-{story.later_change.id}"') < first.index(
        f'id="alert-{story.hostile_raid.id}"')
    assert f'id="alert-{story.change.id}"' not in first and "page 1 of 2" in first
    second = client.get("/alerts?page=2").text
    assert second.index(f'id="alert-{story.raid.id}"') < second.index(
        f'id="alert-{story.change.id}"')


def test_an_alert_shows_its_quote_reason_and_reporting_articles(client: TestClient,
                                                                story: WebStory) -> None:
    page = client.get("/alerts?kind=figure_change").text
    assert "368" in page and "more than 500" in page
    assert "<mark>more than 500 complaints</mark>" in page  # the quote inside its sentence
    assert "differs from the last known value" in page
    assert "http://wire.test/2022/complaints-rise/" in page
    later = page.split(f'id="alert-{story.later_change.id}"')[1].split("</article>")[0]
    assert "Previous value from:" in later and "Complaints about scam compounds rise" in later


def test_an_alert_names_the_archived_copy_it_cites(client: TestClient,
                                                  story: WebStory) -> None:
    """The copy fetched by the time the alert was raised, as its email names it;
    an article with no archived copy shows none."""
    page = client.get("/alerts?kind=figure_change").text
    card = page.split(f'id="alert-{story.change.id}"')[1].split("</article>")[0]
    assert f"Archived copy: fetched 2022-10-10 01:00 UTC, sha256 {ARCHIVE_SHA}" in card
    assert "urn:uuid:00000000-0000-4000-8000-000000000001" in card
    raid = client.get("/alerts?kind=new_raid").text
    assert "Archived copy" not in raid


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("kind=new_raid", ["raid"], ["change"]),
    ("kind=figure_change", ["change"], ["raid", "hostile_raid"]),
    ("claim=complaints", ["change"], ["raid"]),
    ("province=Siem+Reap", ["raid"], ["change", "hostile_raid"]),
    ("outlet=daily", ["raid"], ["change", "hostile_raid"]),
    ("since=2022-10-12&until=2022-10-12", ["raid"], ["change", "hostile_raid"]),
])
def test_alert_filters_select_the_matching_alerts(client: TestClient, story: WebStory,
                                                  query: str, present: list[str],
                                                  absent: list[str]) -> None:
    page = client.get(f"/alerts?{query}").text
    for name in present:
        assert f'id="alert-{getattr(story, name).id}"' in page
    for name in absent:
        assert f'id="alert-{getattr(story, name).id}"' not in page


@pytest.mark.parametrize(("query", "message"), [
    ("since=yesterday", "is not a date"), ("kind=rumour", "is not one of"),
    ("page=0", "is not a page number"), ("since=2022-10-12&until=2022-10-01", "after until"),
])
def test_a_bad_filter_is_a_clear_400(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/alerts?{query}")
    assert response.status_code == 400 and message in response.text


def test_an_unknown_claim_or_article_is_a_404(client: TestClient) -> None:
    assert client.get("/figures/no_such_claim").status_code == 404
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/export/secrets.csv").status_code == 404


def test_the_figure_page_charts_from_zero_with_bands_conflicts_and_a_table(
        client: TestClient) -> None:
    page = client.get("/figures/rescued").text
    assert "<svg" in page and 'class="band"' in page and 'class="conflict"' in page
    assert ">0</text>" in page  # the y axis starts at zero
    for text in ("361", "1,000–1,500", "about 2,000", "background", "seed",
                 "Some 2,000 people were freed"):
        assert text in page
    every = page.split('<table class="observations"')[1]
    assert every.count('<span class="warn"') == 2  # the two values within two days conflict


def test_a_text_figure_has_a_table_but_no_chart(client: TestClient) -> None:
    page = client.get("/figures/tip_tier").text
    assert "<svg" not in page and "Tier 3" in page


def test_the_raids_table_marks_the_seed_raid_as_known(client: TestClient) -> None:
    page = client.get("/raids").text.split('<table class="raids"')[1]
    assert "known from the seed" in page and "Preah Sihanouk" in page
    assert page.index("Kandal") < page.index("Siem Reap") < page.index("Preah Sihanouk")
    filtered = client.get("/raids?province=Siem+Reap").text.split('<table class="raids"')[1]
    assert "Kandal" not in filtered and "two buildings" in filtered


def test_article_search_and_filters(client: TestClient, story: WebStory) -> None:
    found = client.get("/articles?q=freed").text
    assert "Hundreds freed in searches" in found and "Complaints about scam" not in found
    phrase = client.get('/articles?q="rights group"').text
    assert "A different count of the freed" in phrase and "Hundreds freed" not in phrase
    assert "No article matches" in client.get("/articles?q=freed&outlet=nowhere").text
    assert "No article matches" in client.get('/articles?q=*)(" OR').text  # no syntax error
    relevant = client.get("/articles?relevant=yes&language=en&since=2022-10-13"
                          "&until=2022-10-13").text
    assert "A different count" in relevant and "Hundreds freed" not in relevant


def test_the_article_page_links_its_copy_and_shows_its_revisions(client: TestClient,
                                                                 story: WebStory) -> None:
    page = client.get(f"/articles/{story.article_id}").text
    assert f'href="/articles/{story.copy_id}"' in page and "Revision 1" in page
    assert "Officials count 450 complaints." in page and "more than 500" in page
    copy = client.get(f"/articles/{story.copy_id}").text
    assert "A copy of" in copy and f'href="/articles/{story.article_id}"' in copy


def test_the_sources_page_shows_health_in_plain_words(client: TestClient) -> None:
    page = client.get("/sources").text
    assert "DNS lookup failed for daily.test" in page and "Traceback" not in page
    assert "failing" in page and "75 %" in page  # three 304s of four fetches


def test_exports_honour_the_page_filters(client: TestClient, story: WebStory) -> None:
    rows = json.loads(client.get("/export/alerts.json?kind=new_raid").text)
    assert {r["id"] for r in rows} == {story.raid.id, story.hostile_raid.id}
    assert all(r["kind"] == "new_raid" and "dismissed" in r for r in rows)
    table = list(csv.DictReader(io.StringIO(client.get("/export/articles.csv?q=freed").text)))
    assert [r["title"] for r in table] == ["Hundreds freed in searches",
                                           "A different count of the freed"]
    figures = json.loads(client.get("/export/figures.json?claim=rescued").text)
    assert {f["claim"] for f in figures} == {"rescued"} and len(figures) == 4
    assert [r["known"] for r in json.loads(client.get("/export/raids.json").text)].count(True) == 1


def test_a_csv_export_keeps_scraped_text_exactly(client: TestClient) -> None:
    text = client.get("/export/raids.csv?province=Kandal").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["place"] == one_line(HOSTILE[:300])  # cleaned of control characters only
    assert client.get("/export/alerts.csv").headers["content-type"].startswith("text/csv")


def test_pages_answer_while_another_process_holds_the_write_lock(
        client: TestClient, story_engine) -> None:
    """The daemon writing (a long transaction) does not block the view's reads."""
    import sqlite3
    import time

    engine, _ = story_engine
    writer = sqlite3.connect(engine.url.database, timeout=1, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE sources SET paused = paused")
        started = time.monotonic()
        assert client.get("/alerts").status_code == 200
        assert client.get("/articles?q=freed").status_code == 200
        assert time.monotonic() - started < 5  # far below the 30 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
