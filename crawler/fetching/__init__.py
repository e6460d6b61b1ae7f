"""The HTTP side of a crawl: the guarded download handler and resolver (SSRF),
robots.txt with Crawl-delay, failures in plain words, and archiving responses."""
