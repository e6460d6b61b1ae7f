"""Finding articles: feeds, sitemaps, robots.txt and listings parsed, their
links filtered, and the crawl of the entries a poll found."""
