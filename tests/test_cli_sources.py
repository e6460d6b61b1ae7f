"""The sources CLI end to end, as a user runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.clirun import cli_in_process


def cw(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli_in_process(config, *args)


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\nurl = "{db_url}"\n'
        '[[sources]]\nname = "wire"\nurl = "http://wire.example/feed/"\nkind = "feed"\n'
        'every = "1h"\n'
    )
    return path


def test_init_then_sources_add_list_pause_remove_round_trip(config: Path) -> None:
    assert cw(config, "init").returncode == 0
    added = cw(config, "sources", "add", "http://daily.example/atom.xml", "--kind", "feed",
               "--name", "daily", "--every", "15m", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["name"] == "daily"

    listed = cw(config, "sources", "list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["name"], r["kind"], r["every"]) for r in rows] == [
        ("wire", "feed", "1h"), ("daily", "feed", "15m")]

    assert cw(config, "sources", "pause", "daily").returncode == 0
    rows = [json.loads(x) for x in cw(config, "sources", "list", "--json").stdout.splitlines()]
    assert [r["paused"] for r in rows] == [False, True]

    assert cw(config, "sources", "remove", "wire").returncode == 0
    assert cw(config, "init").returncode == 0  # does not bring back a removed source
    rows = [json.loads(x) for x in cw(config, "sources", "list", "--json").stdout.splitlines()]
    assert [r["name"] for r in rows] == ["daily"]


def test_a_duplicate_source_is_a_clear_usage_error(config: Path) -> None:
    assert cw(config, "init").returncode == 0
    result = cw(config, "sources", "add", "http://wire.example/feed/")
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd",
                                 "not a url", "http://"])
def test_a_bad_url_exits_2_with_a_message(tmp_path: Path, url: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path}/x.db"\n')
    assert cw(config, "init").returncode == 0
    result = cw(config, "sources", "add", url)
    assert result.returncode == 2
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[crawl]\nmax_redirects = "many"\n')
    result = cw(config, "sources", "list")
    assert result.returncode == 2
    assert "crawl.max_redirects" in result.stderr and "integer" in result.stderr


def test_a_bad_interval_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path}/x.db"\n')
    cw(config, "init")
    result = cw(config, "sources", "add", "http://x.example/", "--every", "sometimes")
    assert result.returncode == 2
    assert "interval" in result.stderr


def test_an_unreachable_database_is_one_plain_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[store]\nurl = "postgresql+psycopg://postgres@127.0.0.1:1/none"\n')
    result = cw(config, "init")
    assert result.returncode == 1
    assert "could not be used" in result.stderr and "Traceback" not in result.stderr
