"""Non-finite and out-of-range numbers in config.toml (issue 21): TOML has
`nan` and `inf`; each bad value must stop the command at start with the
key's path, in one line, exit status 2, before anything is crawled."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.config import ConfigError, config_from_dict, parse_interval
from tests.daemon.helpers import cli

BAD = [
    ("crawl", "crawl_timeout_seconds", "nan"),
    ("crawl", "crawl_timeout_seconds", "inf"),
    ("crawl", "timeout_seconds", "-1.0"),
    ("crawl", "extraction_timeout_seconds", "-inf"),
    ("crawl", "download_delay", "nan"),
    ("daemon", "lease_seconds", "nan"),
    ("daemon", "jitter_seconds", "inf"),
    ("daemon", "reconcile_every", '"10000000d"'),
    ("daemon", "max_backoff", '"10000000d"'),
    ("email", "backoff_seconds", "-5.0"),
    ("cluster", "claim_timeout_seconds", "inf"),
    ("relevance", "threshold", "nan"),
]


# Through the CLI (in process, as a user sees it): the three the issue saw crash.
CLI_CASES = [BAD[0], BAD[5], BAD[7]]


@pytest.mark.parametrize(("section", "key", "value"), BAD)
def test_a_non_finite_or_out_of_range_value_is_refused_with_the_key_path(
        section: str, key: str, value: str) -> None:
    import tomllib

    data = tomllib.loads(f"[{section}]\n{key} = {value}\n")
    with pytest.raises(ConfigError, match=rf"^{section}\.{key}: "):
        config_from_dict(data)


@pytest.mark.parametrize(("section", "key", "value"), CLI_CASES)
def test_a_non_finite_or_out_of_range_duration_stops_the_cli_with_the_key_path(
        tmp_path: Path, section: str, key: str, value: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///x.db"\n\n[{section}]\n{key} = {value}\n')
    run = cli(path, "status")
    assert run.returncode == 2, (run.returncode, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{section}.{key}" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "x.db").exists()  # stopped before touching the store


def test_an_every_of_ten_million_days_is_refused_for_a_source() -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.every: an interval must be at most"):
        config_from_dict({"sources": [{"name": "a", "url": "http://news.example/feed",
                                       "every": "10000000d"}]})
    for bad in (float("nan"), float("inf"), 10**12):
        with pytest.raises(ValueError):
            parse_interval(bad)
    assert parse_interval("366d") == 366 * 86400
