"""HTML section pages: follow article links and "next page" links to a depth,
never off the source's own site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

from crawler.discovery.documents import DocumentError, listing_links
from crawler.spiders.base import SourceSpider


class ListingSpider(SourceSpider):
    kind = "listing"

    def parse_start(self, response: Response) -> Iterable[Any]:
        return self.parse_listing(response)

    def parse_listing(self, response: Response) -> Iterable[Any]:
        depth = response.meta.get("cw_depth", 1)
        articles, pages = listing_links(self.page_text(response), response.url)
        if depth == 1 and not articles and not pages:
            # A section page without a single article link is not a listing
            # (an error page, a feed or XML served here, or a new layout).
            raise DocumentError("no article links found on the section page")
        out: list[Any] = list(self.article_requests(articles, response.url))
        if depth < self.limits.listing_depth:
            for url in pages[:1]:
                req = self.discovery_request(url, self.parse_listing, cw_depth=depth + 1)
                if req is not None:
                    out.append(req)
        return out
