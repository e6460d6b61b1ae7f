"""The whole pipeline as a user runs it: newsreplay serves the dev corpus
phase by phase, `compoundwatch crawl` runs after each phase, and score.py
judges `alerts --json` and `articles --json` against the corpus labels."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import DEV_CORPUS, SCORE, SEED_JSON, Replay, replay_sources_toml, run_replay

pytestmark = pytest.mark.subprocess


def cw(config: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"
    return result


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass
class StoryRun:
    replay: Replay
    config: Path
    workdir: Path
    alerts: list[dict]
    articles: list[dict]
    crawls: list[list[dict]]
    score: dict


def write_config(workdir: Path, replay: Replay, db_url: str) -> Path:
    config = workdir / "config.toml"
    config.write_text(
        f'[store]\nurl = "{db_url}"\n'
        f'[seed]\narticles = ["{SEED_JSON}"]\n'
        "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\n"
        "autothrottle = false\nconcurrency_per_host = 4\n"
        "[email]\nenabled = false\n"
        + replay_sources_toml(replay)
    )
    return config


def play_story(workdir: Path, db_url: str, corpus: Path = DEV_CORPUS) -> Iterator[StoryRun]:
    with run_replay(corpus) as replay:
        config = write_config(workdir, replay, db_url)
        cw(config, "init")
        crawls = []
        for phase in range(1, replay.max_phase + 1):
            replay.set_phase(phase)
            crawls.append(jsonl(cw(config, "crawl", "--json").stdout))
        alerts = jsonl(cw(config, "alerts", "--json").stdout)
        articles = jsonl(cw(config, "articles", "--json").stdout)
        (workdir / "alerts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in alerts))
        (workdir / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
        (workdir / "urls.json").write_text(json.dumps(replay.urls()))
        scored = subprocess.run(
            [sys.executable, str(SCORE), str(corpus), str(workdir / "alerts.jsonl"),
             "--articles", str(workdir / "articles.jsonl"), "--urls", str(workdir / "urls.json"),
             "--json"], capture_output=True, text=True, timeout=120, check=True)
        yield StoryRun(replay, config, workdir, alerts, articles, crawls,
                       json.loads(scored.stdout))


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoryRun]:
    workdir = tmp_path_factory.mktemp("story")
    yield from play_story(workdir, f"sqlite:///{workdir / 'cw.db'}")


def f1(score: dict, kind: str) -> float:
    return float(score[kind]["f1"])


def test_figure_changes_meet_the_quality_target(story: StoryRun) -> None:
    assert f1(story.score, "figure_change") >= 0.90, story.score["figure_change"]


def test_new_raids_meet_the_quality_target(story: StoryRun) -> None:
    assert f1(story.score, "new_raid") >= 0.85, story.score["new_raid"]


def test_relevance_meets_the_quality_target(story: StoryRun) -> None:
    assert f1(story.score, "relevance") >= 0.90, story.score["relevance"]


def test_no_alert_comes_from_a_syndicated_copy_or_an_irrelevant_article(story: StoryRun) -> None:
    by_url = {a["url"]: a for a in story.articles}
    for alert in story.alerts:
        first = by_url[alert["urls"][0]]
        assert first["duplicate_of"] is None, alert
        assert first["relevant"] is True, alert


def test_every_visible_article_is_stored_once(story: StoryRun) -> None:
    visible = {u["url"] for u in story.replay.urls()}
    stored = [a["url"] for a in story.articles]
    assert len(stored) == len(set(stored))
    assert visible <= set(stored)


def test_crawling_again_at_the_last_phase_raises_nothing_new(story: StoryRun) -> None:
    before = len(story.alerts)
    cw(story.config, "crawl", "--json")
    after = jsonl(cw(story.config, "alerts", "--json").stdout)
    assert len(after) == before
