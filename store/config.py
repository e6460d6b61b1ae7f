"""The configuration: shipped defaults, then the user's TOML file, resolved
once into a frozen, typed object that is passed down.

Every key is a dataclass field whose metadata holds its help text
(store/config_schema.py); loading walks the dataclasses, so an unknown key,
a wrong type or a bad value fails with the key's path and what was expected.
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
from pathlib import Path
from typing import Any

from store.config_bounds import bound_problems
from store.config_schema import (  # noqa: F401  (the sections are part of this module's API)
    CONFIG_ENV,
    MIN_INTERVAL_SECONDS,
    SOURCE_KINDS,
    AlertsConfig,
    ClusterConfig,
    Config,
    ConfigError,
    CrawlConfig,
    DaemonConfig,
    DigestConfig,
    EmailConfig,
    EvidenceConfig,
    RelevanceConfig,
    SeedConfig,
    SourceConfig,
    StoreConfig,
    WebConfig,
    doc,
    format_interval,
    parse_interval,
    resolve_sqlite_url,
)

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
