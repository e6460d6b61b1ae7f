"""`compoundwatch figures`: the observations behind figure alerts, through the real CLI
(init reads the seed, articles are stored and analysed, then listed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts.detect import analyse_pending
from crawler.cli import main
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Article, Source
from tests.support import SEED_TXT

UTC = dt.timezone.utc
# Written for this test: two outlets a day apart that disagree, and a recall.
STORIES = [
    ("wire", "https://wire.example/1", dt.datetime(2022, 11, 2, 3, tzinfo=UTC),
     "Hotline complaints pass 500",
     "Cambodia's Interior Ministry said on Tuesday it had received 512 complaints about "
     "human trafficking and forced scam work since August 18. In September the minister had "
     "put the number of complaints at 368."),
    ("daily", "https://daily.example/2", dt.datetime(2022, 11, 3, 3, tzinfo=UTC),
     "Scam compound complaints rise",
     "The ministry's trafficking hotline has received 530 complaints about scam compounds "
     "since August 18, an official told reporters in Phnom Penh."),
]


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One analysed database for the module's tests (they only read it)."""
    return _setup(tmp_path_factory.mktemp("figures"))


def _setup(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///cw.db"\n\n[seed]\narticles = ["{SEED_TXT}"]\n')
    assert CliRunner().invoke(main, ["--config", str(config), "init"]).exit_code == 0
    cfg = load_config(str(config))
    engine = make_engine(cfg.database_url)
    with session_scope(engine) as session:
        for name, url, published, title, text in STORIES:
            source = Source(name=name, url=url.rsplit("/", 1)[0] + "/feed", kind="feed")
            session.add(source)
            session.flush()
            session.add(Article(url=url, source_id=source.id, title=title, text=text,
                                published=published, language="en", needs_analysis=True))
    with session_scope(engine) as session:
        analyse_pending(session, cfg)
    engine.dispose()
    return config


def _run(config: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)


def test_figures_lists_observations_and_marks_outlets_that_disagree(config: Path) -> None:
    result = _run(config, "figures", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    complaints = [r for r in rows if r["claim"] == "complaints"]
    by_value = {r["value"]: r for r in complaints}
    assert {512, 530, 368} <= set(by_value)
    assert by_value[368]["statement"] == "background"
    assert by_value[512]["current"] and by_value[512]["outlet"] == "wire"
    assert all({"qualifier", "quote", "url", "published", "title"} <= set(r) for r in rows)
    # Two outlets, one day apart, different current values: a conflict both ways.
    assert by_value[512]["conflicts_with"] == [by_value[530]["id"]]
    assert by_value[530]["conflicts_with"] == [by_value[512]["id"]]
    assert by_value[368]["conflicts_with"] == []  # a recall conflicts with nothing

    only = _run(config, "figures", "--claim", "complaints", "--json")
    assert {json.loads(x)["claim"] for x in only.stdout.splitlines()} == {"complaints"}
    table = _run(config, "figures", "--claim", "complaints")
    assert "CONFLICT" in table.stdout and "background" in table.stdout


def test_figures_with_an_unknown_claim_is_a_clear_usage_error(config: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(config), "figures", "--claim", "nope"])
    assert result.exit_code == 2
    assert "No claim 'nope'" in result.output and "complaints" in result.output


def test_a_figure_alert_says_why_it_fired(config: Path) -> None:
    rows = [json.loads(x) for x in _run(config, "alerts", "--json").stdout.splitlines()]
    change = next(r for r in rows if r["kind"] == "figure_change" and r["new_value"] == 512)
    why = change["why"]
    assert why["claim_key"] == "complaints" and why["cumulative"] is True
    assert why["scope_stated"] and "August 18" in why["scope"]
    assert change["previous_qualifier"] == "=" and change["previous_value"] == 368
