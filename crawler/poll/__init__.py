"""Light polling of discovery documents (feeds, sitemaps, listings) in the
daemon itself: one conditional GET per document, no Scrapy, no process.

Only a poll that finds new or updated entries starts a crawl child, for
those article URLs (see docs/architecture.md, "Polling").
"""
