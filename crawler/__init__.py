"""Crawling: Scrapy spiders per source kind, extraction, the crawl runner,
the daemon and the command line. Depends on store and alerts."""
