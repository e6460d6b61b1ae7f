"""The configuration: shipped defaults, then the user's TOML file, resolved
once into a frozen, typed object that is passed down.

Every key is a dataclass field whose metadata holds its help text; loading
walks the dataclasses, so an unknown key, a wrong type or a bad value fails
with the key's path and what was expected.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
import types
import typing
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.config_bounds import MAX_INTERVAL_SECONDS, bound_problems

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


# --------------------------------------------------------------------------- loading


def config_fields(cls: type) -> list[dataclasses.Field[Any]]:
    """The user-facing fields of a config dataclass (internal ones excluded)."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(tp)[0])}s"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _convert(value: Any, tp: Any, path: str) -> Any:
    """Check and convert one TOML value to the field's type."""
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: expected a table, got {type(value).__name__}")
        return _build(tp, value, path)
    if origin is tuple:
        (item_tp, _) = typing.get_args(tp)
        if not isinstance(value, list):
            raise ConfigError(f"{path}: expected {_type_name(tp)}, got {type(value).__name__}")
        return tuple(_convert(v, item_tp, f"{path}[{i}]") for i, v in enumerate(value))
    if origin in (types.UnionType, typing.Union):
        raise ConfigError(f"{path}: unsupported union type")  # pragma: no cover
    ok = (
        (tp is bool and isinstance(value, bool))
        or (tp is int and isinstance(value, int) and not isinstance(value, bool))
        or (tp is float and isinstance(value, (int, float)) and not isinstance(value, bool))
        or (tp is str and isinstance(value, str))
    )
    if not ok:
        raise ConfigError(f"{path}: expected {_type_name(tp)}, got {value!r}")
    if tp is float and not math.isfinite(value):
        raise ConfigError(f"{path}: expected a finite number, got {value!r}")
    return float(value) if tp is float else value


def _build(cls: type, data: dict[str, Any], path: str) -> Any:
    fields = {f.name: f for f in config_fields(cls)}
    hints = typing.get_type_hints(cls)
    unknown = sorted(set(data) - set(fields))
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise ConfigError(f"{where}: unknown key (expected one of: {', '.join(fields)})")
    kwargs = {}
    for name, f in fields.items():
        key_path = f"{path}.{name}" if path else name
        if name in data:
            kwargs[name] = _convert(data[name], hints[name], key_path)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{key_path}: missing (expected {_type_name(hints[name])})")
    return cls(**kwargs)


def _validate(cfg: Config) -> None:
    """Checks across values that the types alone do not express."""
    try:
        zoneinfo.ZoneInfo(cfg.digest.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"digest.timezone: {cfg.digest.timezone!r} is not an IANA time zone "
            "(expected e.g. Asia/Phnom_Penh)"
        ) from None
    try:
        zoneinfo.ZoneInfo(cfg.seed.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"seed.timezone: {cfg.seed.timezone!r} is not an IANA time zone "
            "(expected e.g. Asia/Phnom_Penh)"
        ) from None
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", cfg.digest.at):
        raise ConfigError(f"digest.at: expected a time HH:MM, got {cfg.digest.at!r}")
    if cfg.email.alert_mode not in ("immediate", "digest"):
        raise ConfigError(
            f'email.alert_mode: expected "immediate" or "digest", got {cfg.email.alert_mode!r}'
        )
    if cfg.email.tls and cfg.email.starttls:
        raise ConfigError("email.tls and email.starttls: choose one of them, not both")
    if cfg.daemon.discovery not in ("poll", "crawl"):
        raise ConfigError(
            f'daemon.discovery: expected "poll" or "crawl", got {cfg.daemon.discovery!r}')
    if cfg.daemon.poll_threads < 1:
        raise ConfigError("daemon.poll_threads: expected a positive integer")
    intervals = ["outbox_every", "max_backoff", "reconcile_every", "min_poll_interval",
                 "fetch_spacing"] + (["max_poll_interval"] if cfg.daemon.max_poll_interval else [])
    for key in intervals:
        try:
            parse_interval(getattr(cfg.daemon, key))
        except ValueError as exc:
            raise ConfigError(f"daemon.{key}: {exc}") from None
    try:
        parse_interval(cfg.digest.slow_after)
    except ValueError as exc:
        raise ConfigError(f"digest.slow_after: {exc}") from None
    try:
        parse_interval(cfg.cluster.analyse_every)
    except ValueError as exc:
        raise ConfigError(f"cluster.analyse_every: {exc}") from None
    if not 1 <= cfg.web.port <= 65535:
        raise ConfigError(f"web.port: expected a port number 1-65535, got {cfg.web.port}")
    if not 1 <= cfg.web.page_size <= 1000:
        raise ConfigError(f"web.page_size: expected 1-1000, got {cfg.web.page_size}")
    if cfg.evidence.max_file_bytes < 1_000_000:
        raise ConfigError("evidence.max_file_bytes: expected at least 1000000 (1 MB)")
    for name in ("concurrency_per_host", "max_pages_per_source", "max_response_bytes"):
        if getattr(cfg.crawl, name) < 1:
            raise ConfigError(f"crawl.{name}: expected a positive integer")
    problems = bound_problems(cfg)
    if problems:
        raise ConfigError(problems[0])
    seen: set[str] = set()
    for i, src in enumerate(cfg.sources):
        where = f"sources[{i}]"
        if src.kind not in SOURCE_KINDS:
            raise ConfigError(f"{where}.kind: expected one of {', '.join(SOURCE_KINDS)}, "
                              f"got {src.kind!r}")
        try:
            parse_interval(src.every)
        except ValueError as exc:
            raise ConfigError(f"{where}.every: {exc}") from None
        from store.urls import UrlError, check_http_url

        try:
            check_http_url(src.url)
        except UrlError as exc:
            raise ConfigError(f"{where}.url: {exc}") from None
        if src.name in seen:
            raise ConfigError(f"{where}.name: {src.name!r} is used by another source")
        seen.add(src.name)


def config_from_dict(data: dict[str, Any], base_dir: Path = Path(".")) -> Config:
    """Build and validate a Config from parsed TOML."""
    cfg = _build(Config, data, "")
    cfg = dataclasses.replace(cfg, base_dir=base_dir.resolve())
    _validate(cfg)
    return cfg


def find_config_path(explicit: str | None) -> Path | None:
    """--config, then $COMPOUNDWATCH_CONFIG, then ./config.toml (None if absent)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    default = Path("config.toml")
    return default if default.exists() else None


def load_config(explicit: str | None = None) -> Config:
    """Load and validate the configuration; ConfigError says what is wrong."""
    path = find_config_path(explicit)
    if path is None:
        return config_from_dict({}, Path.cwd())
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    try:
        return config_from_dict(data, path.parent)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def all_keys(cls: type = Config, prefix: str = "") -> list[tuple[str, str]]:
    """Every documented key as (dotted path, help), for docs and tests."""
    out: list[tuple[str, str]] = []
    hints = typing.get_type_hints(cls)
    for f in config_fields(cls):
        path = f"{prefix}{f.name}"
        out.append((path, f.metadata.get("help", "")))
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            out.extend(all_keys(tp, path + "."))
        elif typing.get_origin(tp) is tuple and dataclasses.is_dataclass(typing.get_args(tp)[0]):
            out.extend(all_keys(typing.get_args(tp)[0], path + "[]."))
    return out
