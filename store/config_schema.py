"""The configuration's shape: one frozen dataclass per `config.toml` section,
each field with its default and help text (`doc`), and the interval syntax
("90s", "30m", "6h", "1d"). `store.config` loads a file into these.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.config_bounds import MAX_INTERVAL_SECONDS

CONFIG_ENV = "COMPOUNDWATCH_CONFIG"
SOURCE_KINDS = ("auto", "feed", "sitemap", "listing", "page")
_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_SECONDS = 1


class ConfigError(Exception):
    """A configuration problem; the message names the key and what was expected."""


def doc(help_text: str, default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    """A config field with its help text (every key must have one)."""
    if default is dataclasses.MISSING and "default_factory" not in kw:
        return field(metadata={"help": help_text}, **kw)
    return field(default=default, metadata={"help": help_text}, **kw)


def parse_interval(text: str | int | float) -> int:
    """Seconds in an interval such as "90s", "30m", "2h" or "1d" (at most 366d)."""
    if isinstance(text, bool):
        raise ValueError("expected an interval such as 90s, 30m, 2h or 1d")
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise ValueError(f"{text!r} is not an interval such as 90s, 30m, 2h or 1d")
        seconds = int(text)
    else:
        match = _INTERVAL_RE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not an interval such as 90s, 30m, 2h or 1d")
        seconds = int(float(match.group(1)) * _UNITS[match.group(2)])
    if seconds < MIN_INTERVAL_SECONDS:
        raise ValueError("an interval must be at least 1 second")
    if seconds > MAX_INTERVAL_SECONDS:
        raise ValueError(f"an interval must be at most {MAX_INTERVAL_SECONDS // 86400}d")
    return seconds


def format_interval(seconds: int) -> str:
    """The shortest exact spelling of an interval ("30m", "1d", "90s")."""
    for unit in ("d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class StoreConfig:
    url: str = doc(
        "SQLAlchemy URL of the database: sqlite:///file.db (relative to this file) "
        "or postgresql+psycopg://user@host/db",
        "sqlite:///compoundwatch.db",
    )


@dataclass(frozen=True)
class SeedConfig:
    articles: tuple[str, ...] = doc(
        "Seed articles (URLs or paths relative to this file) whose claims are tracked",
        (),
    )
    timezone: str = doc(
        "IANA time zone of the story: relative dates (\"on Wednesday\") and publication days "
        "are read in it",
        "Asia/Phnom_Penh",
    )


@dataclass(frozen=True)
class CrawlConfig:
    user_agent: str = doc(
        "User-Agent sent with every request; {contact} is replaced by contact_url",
        "compoundwatch/0.1 (+{contact})",
    )
    contact_url: str = doc(
        "Where site owners can reach the operator (named in the User-Agent)",
        "https://example.org/compoundwatch",
    )
    allow_private_addresses: bool = doc(
        "Allow loopback, private and link-local addresses (tests and the demo only)", False
    )
    obey_robots_txt: bool = doc("Obey robots.txt", True)
    concurrency_per_host: int = doc("Parallel requests per host", 2)
    download_delay: float = doc("Seconds between requests to one host (AutoThrottle start)", 0.5)
    autothrottle: bool = doc("Adapt the delay to the server's latency (Scrapy AutoThrottle)", True)
    timeout_seconds: float = doc("Whole-response time limit per request", 30.0)
    max_response_bytes: int = doc("Largest response body accepted (after decompression)", 10_000_000)
    max_redirects: int = doc("Redirect hops followed per request", 5)
    max_pages_per_source: int = doc("Pages fetched per source per pass", 500)
    listing_depth: int = doc("Pagination depth followed on listing sources", 5)
    retries: int = doc("Retries of a failed request (5xx, 429, timeouts)", 2)
    crawl_timeout_seconds: float = doc("Time limit of one whole crawl pass", 900.0)
    extraction_timeout_seconds: float = doc("Time limit for extracting one page", 20.0)
    extraction_workers: int = doc("Worker processes for text extraction (0: one per core)", 0)


@dataclass(frozen=True)
class RelevanceConfig:
    threshold: float = doc("Relevance score (0..1) from which an article is relevant", 0.5)
    topic_terms: tuple[str, ...] = doc(
        "Extra words or phrases that mark the watched story (added to the built-in ones)", ()
    )
    place_terms: tuple[str, ...] = doc(
        "Extra words that tie an article to the watched country (added to the gazetteer)", ()
    )


@dataclass(frozen=True)
class EmailConfig:
    enabled: bool = doc("Send email at all (alerts and the digest)", True)
    host: str = doc("SMTP server host", "127.0.0.1")
    port: int = doc("SMTP server port", 25)
    starttls: bool = doc("Upgrade the connection with STARTTLS", False)
    tls: bool = doc("Implicit TLS from the first byte (SMTPS, usually port 465)", False)
    ca_file: str = doc(
        "PEM file of CA certificates that verify the server (empty: the system's)", ""
    )
    username: str = doc("SMTP login; empty for no login", "")
    password_env: str = doc(
        "Name of the environment variable that holds the SMTP password",
        "COMPOUNDWATCH_SMTP_PASSWORD",
    )
    sender: str = doc("From address", "compoundwatch@localhost")
    recipients: tuple[str, ...] = doc("To addresses", ())
    alert_mode: str = doc('"immediate": an email per alert; "digest": only the daily digest',
                          "immediate")
    timeout_seconds: float = doc("SMTP connection and command time limit", 30.0)
    max_attempts: int = doc("Attempts before a delivery is marked failed", 8)
    backoff_seconds: float = doc("First retry delay; doubles with each attempt", 60.0)
    max_backoff_seconds: float = doc("Longest delay between two attempts", 21600.0)
    claim_timeout_seconds: float = doc(
        "A delivery left 'sending' this long (its sender crashed) is due again", 600.0
    )


@dataclass(frozen=True)
class DigestConfig:
    at: str = doc("Local time (HH:MM) at which the daily digest is sent", "07:00")
    timezone: str = doc("IANA time zone of the digest hour", "Asia/Phnom_Penh")
    send_empty: bool = doc("Send a one-line digest on a day with nothing new", True)
    stale_days: int = doc("A source with no new article for this many days is flagged", 7)
    catch_up_days: int = doc(
        "After downtime, the one catch-up digest covers at most this many days", 7
    )
    slow_after: str = doc(
        "A source whose articles reached the store later than this after publication "
        "(median over the last day) is flagged slow", "2h")


@dataclass(frozen=True)
class AlertsConfig:
    atom_path: str = doc("Atom feed of alerts rewritten after each crawl (empty: none)", "")
    apprise_urls: tuple[str, ...] = doc(
        "Apprise URLs (Slack, Matrix, Telegram, webhooks...) that also receive alerts", ()
    )
    apprise_max_attempts: int = doc("Attempts before an Apprise delivery is marked failed", 8)
    apprise_backoff_seconds: float = doc(
        "First retry delay of an Apprise delivery; doubles with each attempt", 60.0)
    apprise_max_backoff_seconds: float = doc(
        "Longest delay between two attempts of an Apprise delivery", 21600.0)


@dataclass(frozen=True)
class DaemonConfig:
    jitter_seconds: float = doc("Random delay added to each source's schedule", 30.0)
    outbox_every: str = doc("How often the outbox is drained", "1m")
    max_backoff: str = doc("Longest delay for a source that keeps failing", "6h")
    lease_seconds: float = doc("How long the daemon lease lasts between heartbeats", 60.0)
    reconcile_every: str = doc(
        "How often the daemon re-reads the sources (added, paused, removed with the CLI)", "30s"
    )
    crawl_workers: int = doc("Sources the daemon crawls at the same time (child processes)", 2)
    discovery: str = doc(
        '"poll": feeds, sitemaps and listings are polled in the daemon with a conditional '
        'GET and a crawl child runs only for new entries; "crawl": a child crawls each run',
        "poll")
    min_poll_interval: str = doc("Shortest interval a source's publication rhythm may set", "1m")
    max_poll_interval: str = doc(
        "Longest interval between two polls of a source (empty: the source's `every`)", "")
    fetch_spacing: str = doc(
        "Least time between two crawl children for polled entries (entries found "
        "meanwhile are fetched together)", "20s")
    poll_threads: int = doc("Polls the daemon runs at the same time (threads)", 16)


@dataclass(frozen=True)
class ClusterConfig:
    redis_url: str = doc("Redis URL for crawl workers (empty: crawl in this process)", "")
    key_prefix: str = doc("Prefix of every Redis key of this deployment (queue, dupefilter, "
                          "claims)", "compoundwatch")
    claim_timeout_seconds: float = doc(
        "A worker silent this long is presumed dead; its in-flight requests are queued again",
        30.0)
    analyse_every: str = doc("How often the coordinator analyses what the workers stored", "30s")


@dataclass(frozen=True)
class WebConfig:
    host: str = doc("Address `serve` binds to; anything but loopback needs a password or token",
                    "127.0.0.1")
    port: int = doc("Port `serve` listens on", 8080)
    password_env: str = doc("Environment variable holding the web view's password (HTTP Basic, "
                            "any user name); empty: none", "")
    token_env: str = doc("Environment variable holding a bearer token for scripts "
                         "(Authorization: Bearer ...); empty: none", "")
    page_size: int = doc("Rows per page of the alerts and articles lists", 50)


@dataclass(frozen=True)
class EvidenceConfig:
    enabled: bool = doc("Archive every stored article page as fetched (WARC), for evidence", True)
    path: str = doc(
        "Folder of the WARC files (empty: <database name>-archive beside a SQLite database, "
        "else archive/ beside this file)", "")
    max_file_bytes: int = doc("A WARC file is closed and a new one started past this size",
                              1_000_000_000)
    archive_discovery: bool = doc("Also archive feeds, sitemaps and listing pages", False)


@dataclass(frozen=True)
class SourceConfig:
    name: str = doc("Unique name of the source")
    url: str = doc("http(s) URL of the feed, sitemap, section page or page")
    kind: str = doc("feed, sitemap, listing, page or auto", "auto")
    every: str = doc("Crawl interval (90s, 30m, 2h, 1d)", "30m")


@dataclass(frozen=True)
class Config:
    store: StoreConfig = doc("Database", default_factory=StoreConfig)
    seed: SeedConfig = doc("Seed articles", default_factory=SeedConfig)
    crawl: CrawlConfig = doc("Crawling limits and manners", default_factory=CrawlConfig)
    relevance: RelevanceConfig = doc("What counts as coverage of the story",
                                     default_factory=RelevanceConfig)
    email: EmailConfig = doc("SMTP delivery", default_factory=EmailConfig)
    digest: DigestConfig = doc("The daily digest", default_factory=DigestConfig)
    alerts: AlertsConfig = doc("Other alert channels", default_factory=AlertsConfig)
    daemon: DaemonConfig = doc("The long-running daemon", default_factory=DaemonConfig)
    cluster: ClusterConfig = doc("Crawl workers on Redis", default_factory=ClusterConfig)
    web: WebConfig = doc("The web view (`compoundwatch serve`)", default_factory=WebConfig)
    evidence: EvidenceConfig = doc("The archive of fetched pages behind every alert",
                                   default_factory=EvidenceConfig)
    sources: tuple[SourceConfig, ...] = doc("Watched sources added by init", ())
    # Where the file was read from (not a key): relative paths resolve here.
    base_dir: Path = field(default=Path("."), metadata={"internal": True})

    def resolve_path(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def database_url(self) -> str:
        """The store URL, with a relative SQLite path made relative to the config file."""
        return resolve_sqlite_url(self.store.url, self.base_dir)

    def smtp_password(self) -> str | None:
        """The SMTP password from the environment (never stored in the config)."""
        return os.environ.get(self.email.password_env) or None


def resolve_sqlite_url(url: str, base_dir: Path) -> str:
    """Make `sqlite:///relative.db` relative to base_dir; leave others alone."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return url
    path = url[len(prefix):]
    if not path or path == ":memory:" or path.startswith("/"):
        return url
    return prefix + str((base_dir / path).resolve())
