"""Crawl workers on Redis: scrapy-redis's scheduler, queue and duplicate filter
shared by a coordinator (`compoundwatch run --role coordinator`) and any number
of workers (`compoundwatch worker`), with PostgreSQL as the shared store.

See docs/deployment.md for what runs where and what a killed worker means.
"""
