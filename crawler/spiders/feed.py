"""RSS 0.9x/1.0/2.0 and Atom feeds: every entry new or marked updated is fetched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawler.discovery.documents import read_feed
from crawler.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    kind = "feed"

    def parse_start(self, response: Response) -> Iterable[Any]:
        return self.parse_feed(response)

    def parse_feed(self, response: Response) -> Iterable[Any]:
        ctype = response.headers.get("Content-Type") or b""
        entries, problem = read_feed(response.body, response.url, ctype.decode("latin-1"))
        if problem:
            self.tally.note(f"{response.url}: {problem}")
        return list(self.article_requests(entries, response.url))
