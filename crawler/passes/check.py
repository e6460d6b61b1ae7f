"""`sources check`: fetch each source once, store nothing, say what it is.

Why not a crawl pass: a check must not write articles, validators or health,
and must be cheap enough to run before `init`. It reuses the crawler's
parsers (kind sniffing, feed/sitemap/listing readers) and the seed reader's
safe fetch (the same address rules, size, time and redirect limits).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from alerts.safe_fetch import Fetched, FetchLimits, FetchRefused, fetch
from crawler.discovery.documents import (
    DocumentError,
    Entry,
    listing_links,
    page_is_article,
    parse_sitemap,
    read_feed,
    robots_sitemaps,
    sniff_kind,
)


@dataclass(frozen=True)
class CheckResult:
    """One source's check, in the `source_check` JSON record's shape."""

    name: str
    url: str
    reachable: bool
    problem: str | None = None
    kind: str | None = None
    entries: int | None = None
    newest: dt.datetime | None = None
    robots: str = "not checked"
    status: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"record": "source_check", **asdict(self)}


def plain_problem(message: str) -> str:
    """The safe fetch's reason in plain words ('cannot resolve ...' -> DNS)."""
    host = re.search(r"cannot resolve '([^']+)'", message)
    if host:
        return f"cannot find {host.group(1)}: the name does not resolve (DNS)"
    if "Connection refused" in message:
        return "connection refused (nothing listens on that port)"
    if re.search(r"timed out|time limit", message):
        return "no answer in time (timed out)"
    if re.search(r"SSL|CERTIFICATE", message):
        return f"TLS failed: {message}"
    status = re.search(r"answered HTTP (\d+)", message)
    if status:
        return f"HTTP {status.group(1)}"
    return re.sub(r"\[Errno -?\d+\]\s*", "", message)


def robots_verdict(url: str, limits: FetchLimits) -> tuple[str, str | None]:
    """(verdict, problem): whether robots.txt lets us fetch the URL, and the
    reason the host could not be reached at all (then nothing else is tried)."""
    from protego import Protego

    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    if parts.path == "/robots.txt":
        return "the source itself (its Sitemap lines are read)", None
    try:
        got = fetch(robots_url, limits)
    except FetchRefused as exc:
        problem = plain_problem(str(exc))
        if problem.startswith("HTTP 4"):
            return "no robots.txt: allowed", None
        if problem.startswith(("cannot find", "connection refused", "no answer")):
            return "not checked", problem
        return f"robots.txt unreadable ({problem}): allowed", None
    rules = Protego.parse(got.body.decode("utf-8", "replace"))
    agent = limits.user_agent.split("/")[0]
    return ("allowed" if rules.can_fetch(url, agent) else "disallowed by robots.txt"), None


# Sitemaps a robots.txt names that a check reads (the crawl reads them all).
MAX_CHECKED_SITEMAPS = 5


def sitemap_entries(urls: list[str], limits: FetchLimits) -> tuple[list[Entry], str | None]:
    """The pages of the sitemaps a robots.txt names, through sitemap indexes,
    reading at most MAX_CHECKED_SITEMAPS documents."""
    entries: list[Entry] = []
    problem = None
    queue, read = list(urls), 0
    while queue and read < MAX_CHECKED_SITEMAPS:
        url = queue.pop(0)
        read += 1
        try:
            sitemaps, pages = parse_sitemap(fetch(url, limits).body)
        except (FetchRefused, DocumentError) as exc:
            problem = f"{url}: {plain_problem(str(exc))}"
            continue
        entries += pages
        queue += [s.url for s in sitemaps]
    return entries, problem


def describe_document(got: Fetched, configured: str,
                      limits: FetchLimits | None = None) -> tuple[str, list[Entry], str | None]:
    """(kind, entries, problem) of a fetched document, as the crawler would read it."""
    sniffed = sniff_kind(got.body, got.content_type)
    try:
        if sniffed == "feed":
            entries, problem = read_feed(got.body, got.url, got.content_type)
            return "feed", entries, problem
        if sniffed == "sitemap":
            sitemaps, pages = parse_sitemap(got.body)
            return "sitemap", pages or sitemaps, None
        if sniffed == "robots":
            found = robots_sitemaps(got.body.decode("utf-8", "replace"), got.url)
            if not found:
                return "sitemap", [], "the robots.txt names no sitemap"
            if limits is None:
                return "sitemap", [Entry(url=u) for u in found], None
            entries, problem = sitemap_entries(found, limits)
            return "sitemap", entries, problem
        html = got.body.decode("utf-8", "replace")
        if configured == "page" or (configured == "auto" and page_is_article(html)):
            return "page", [Entry(url=got.url)], None
        return "listing", listing_links(html, got.url)[0], None
    except DocumentError as exc:
        return sniffed, [], str(exc)


def check_source(name: str, url: str, kind: str, limits: FetchLimits) -> CheckResult:
    """Fetch robots.txt and the source once; never raises for a network problem."""
    verdict, unreachable = robots_verdict(url, limits)
    if unreachable is not None:
        return CheckResult(name, url, False, unreachable, robots=verdict)
    if verdict.startswith("disallowed"):
        return CheckResult(name, url, True, "robots.txt disallows this URL: the crawler "
                           "will not fetch it", robots=verdict)
    try:
        got = fetch(url, limits)
    except FetchRefused as exc:
        problem = plain_problem(str(exc))
        status = re.match(r"HTTP (\d+)", problem)
        return CheckResult(name, url, bool(status), problem, robots=verdict,
                           status=int(status.group(1)) if status else None)
    found, entries, problem = describe_document(got, kind, limits)
    if kind not in ("auto", found) and problem is None:
        problem = f"configured as {kind} but it serves a {found}"
    dates = [e.published for e in entries if e.published is not None]
    return CheckResult(name, url, True, problem, found, len(entries),
                       max(dates) if dates else None, verdict, 200)
