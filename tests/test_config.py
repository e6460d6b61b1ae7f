"""Loading the configuration: defaults, validation, lookup order, documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from store.config import (
    CONFIG_ENV,
    ConfigError,
    all_keys,
    config_from_dict,
    load_config,
    parse_interval,
)

REPO = Path(__file__).resolve().parent.parent


def test_the_shipped_config_loads_and_watches_real_outlets() -> None:
    cfg = load_config(str(REPO / "config.toml"))
    assert cfg.digest.at == "07:00" and cfg.digest.timezone == "Asia/Phnom_Penh"
    assert cfg.crawl.allow_private_addresses is False
    assert len(cfg.sources) >= 3
    assert all(s.url.startswith("https://") for s in cfg.sources)
    assert cfg.seed.articles and cfg.seed.articles[0].startswith("https://")


def test_every_config_key_is_documented_in_the_code_and_in_config_toml() -> None:
    text = (REPO / "config.toml").read_text()
    for path, help_text in all_keys():
        assert help_text, f"{path} has no help text"
        leaf = path.rsplit(".", 1)[-1]
        if "." not in path and "[]" not in path:
            pattern = rf"^\[\[?{re.escape(leaf)}\]\]?"
        else:
            pattern = rf"^(# )?{re.escape(leaf)} = "
        assert re.search(pattern, text, re.M), f"{path} is not documented in config.toml"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"crawl": {"timeout_seconds": "fast"}}, r"crawl\.timeout_seconds: expected a number"),
        ({"crawl": {"bogus": 1}}, r"crawl\.bogus: unknown key"),
        ({"nosuch": {}}, r"nosuch: unknown key"),
        ({"email": {"port": True}}, r"email\.port: expected an integer"),
        ({"email": {"recipients": "a@b"}}, r"email\.recipients: expected a list"),
        ({"digest": {"timezone": "Mars/Olympus"}}, r"digest\.timezone"),
        ({"digest": {"at": "7am"}}, r"digest\.at: expected a time"),
        ({"sources": [{"name": "x", "url": "http://x.org", "every": "soon"}]},
         r"sources\[0\]\.every"),
        ({"sources": [{"name": "x", "url": "ftp://x.org"}]}, r"sources\[0\]\.url"),
        ({"sources": [{"url": "http://x.org"}]}, r"sources\[0\]\.name: missing"),
        ({"sources": [{"name": "x", "url": "http://x.org", "kind": "blog"}]},
         r"sources\[0\]\.kind"),
    ],
)
def test_a_bad_value_names_the_key_and_what_was_expected(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_dict(data)


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200),
                                               ("1d", 86400), ("1.5h", 5400)])
def test_intervals_parse(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "0s", "-3m", "1w", "abc"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_lookup_order_is_flag_then_environment_then_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text('[digest]\nat = "06:00"\n')
    env_file = tmp_path / "env.toml"
    env_file.write_text('[digest]\nat = "05:00"\n')
    flag_file = tmp_path / "flag.toml"
    flag_file.write_text('[digest]\nat = "04:00"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert load_config().digest.at == "06:00"
    monkeypatch.setenv(CONFIG_ENV, str(env_file))
    assert load_config().digest.at == "05:00"
    assert load_config(str(flag_file)).digest.at == "04:00"


def test_a_relative_sqlite_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    sub = tmp_path / "conf"
    sub.mkdir()
    (sub / "c.toml").write_text('[store]\nurl = "sqlite:///data.db"\n')
    cfg = load_config(str(sub / "c.toml"))
    assert cfg.database_url == f"sqlite:///{(sub / 'data.db').resolve()}"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[store\nurl=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(str(bad))
