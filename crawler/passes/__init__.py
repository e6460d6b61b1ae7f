"""One crawl pass in a process: Scrapy settings, the runner, per-source tallies,
logging and progress, and `sources check`."""
