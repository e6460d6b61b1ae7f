"""Pages that render their story with script from the JSON-LD they embed.

Such a page's HTML is a shell (a root `div`, a headline, a menu): the story
is only in the `articleBody` of its NewsArticle object. It is read from
there, and only when the HTML itself holds too little story.
"""

from __future__ import annotations

import json

import pytest

from crawler.extract import Extracted, Rejection, extract_article
from tests.extraction.pagekit import extracted, paragraphs

_STORY = [
    ("Police in the coastal province searched two hotel blocks on Tuesday night and "
     "detained forty-one people suspected of running online investment fraud."),
    ("Officers said the buildings had been rented by a company that recruited staff "
     "abroad with offers of customer-service work."),
    ("A provincial spokesman said the detained workers would be questioned before any "
     "decision on charges or deportation was made."),
]


def _page(body: object, kind: str = "NewsArticle", html_body: str = "",
          free: bool | None = None) -> str:
    obj: dict[str, object] = {"@context": "https://schema.org", "@type": kind,
                              "headline": "Hotel blocks searched in fraud inquiry",
                              "articleBody": body}
    if free is not None:
        obj["isAccessibleForFree"] = free
    return (
        "<html><head><title>Hotel blocks searched in fraud inquiry</title>"
        f'<script type="application/ld+json">{json.dumps(obj)}</script></head>'
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<h1>Hotel blocks searched in fraud inquiry</h1>"
        f"<div id='root'>{html_body}</div></body></html>"
    )


@pytest.mark.parametrize(("body", "kind"), [
    ("\n".join(_STORY), "NewsArticle"),
    ("\r\n\r\n".join(_STORY), "ReportageNewsArticle"),
    ("".join(f"<p>{p}</p>\n" for p in _STORY), "Article"),
    ("\n\n".join(_STORY), ["NewsArticle", "BlogPosting"]),
])
def test_a_script_rendered_page_is_read_from_its_article_body(body: str, kind: object) -> None:
    article = extracted(_page(body, kind=kind), "https://news.example/2025/hotel-raid")  # type: ignore[arg-type]
    assert article.paragraphs == tuple(_STORY)


def test_the_html_story_wins_over_the_json_when_the_html_has_one() -> None:
    html_story = [("Officers found the doors of the compound open and the rooms empty "
                   "when they arrived on Wednesday morning, neighbours said."),
                  "The site's guards had left two days earlier, according to a local official."]
    page = _page("\n".join(_STORY), html_body=paragraphs(*html_story))
    article = extracted(page, "https://news.example/2025/empty-compound")
    assert article.paragraphs == tuple(html_story)


@pytest.mark.parametrize(("body", "kind", "free"), [
    ("\n".join(_STORY), "NewsArticle", False),   # a subscribers' story: the JSON is for search engines
    ("\n".join(_STORY), "Organization", None),  # not a story's object
    ("Short teaser.", "NewsArticle", None),     # too little text anywhere
    (["not", "a", "string"], "NewsArticle", None),
])
def test_no_story_is_read_from_json_that_is_not_a_free_story(body: object, kind: str,
                                                              free: bool | None) -> None:
    result = extract_article(_page(body, kind=kind, free=free), "https://news.example/2025/x")
    assert isinstance(result, Rejection), result
    assert not isinstance(result, Extracted)
