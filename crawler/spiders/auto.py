"""`auto`: fetch the URL once and treat it as what it turns out to be."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.discovery.documents import page_is_article, sniff_kind
from crawler.page.decoding import decode_page
from crawler.spiders.feed import FeedSpider
from crawler.spiders.listing import ListingSpider
from crawler.spiders.page import PageSpider
from crawler.spiders.sitemap import SitemapSpider, _content_type


class AutoSpider(FeedSpider, SitemapSpider, ListingSpider, PageSpider):
    kind = "auto"

    async def start(self) -> Any:
        robots = urlsplit(self.source.url).path.endswith("/robots.txt")
        yield self.discovery_request(self.source.url, self.parse_start, conditional=not robots)

    def parse_start(self, response: Response) -> Iterable[Any]:
        sniffed = sniff_kind(self.sitemap_body(response), _content_type(response))
        if sniffed == "feed":
            self.tally.kind = "feed"
            return self.parse_feed(response)
        if sniffed in ("sitemap", "robots"):
            self.tally.kind = "sitemap"
            return SitemapSpider.parse_start(self, response)
        text, _ = decode_page(response)  # a problem is noted once, by whoever reads it
        if page_is_article(text or ""):
            self.tally.kind = "page"
            # The page itself is the article: hand the response on as one.
            response.meta["cw_entry"] = _entry(response.url)
            self.tally.fetched -= 1  # on_article counts this response again
            return list(self.on_article(response))
        self.tally.kind = "listing"
        return self.parse_listing(response)


def _entry(url: str) -> Any:
    from crawler.discovery.documents import Entry

    return Entry(url=url)
