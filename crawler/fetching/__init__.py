"""The HTTP side of a crawl: the guarded download handler and resolver (SSRF),
robots.txt with Crawl-delay, failures in plain words, and archiving responses."""


def import_tls_shims_first() -> None:
    """Import Scrapy's TLS context factory before the crawler's own imports.

    Its deprecated-class shims call `inspect.stack()`, which resolves the
    module of every frame above it against every loaded module. Reached
    through the crawler's chain of imports (spiders, download handler) that
    costs about 0.4 s of CPU per crawling process; called first, from a
    shallow frame with few modules loaded, next to nothing.
    """
    import scrapy.core.downloader.contextfactory  # noqa: F401
