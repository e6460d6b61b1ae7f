"""`compoundwatch worker` and `run --role coordinator` refuse a configuration
that cannot be shared between machines, in one sentence, with status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cluster.harness import REDIS_URL
from tests.daemon.helpers import cli, cli_process

pytestmark = pytest.mark.subprocess


def write(tmp_path: Path, store: str, cluster: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "{store}"\n[seed]\narticles = []\n{cluster}')
    return path


def test_a_worker_without_a_redis_url_is_refused_with_status_2(tmp_path: Path) -> None:
    config = write(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:5432/none", "")
    done = cli_process(config, "worker")
    assert done.returncode == 2
    assert "cluster.redis_url is not set" in done.stderr


def test_a_coordinator_on_sqlite_is_refused_with_status_2(tmp_path: Path) -> None:
    config = write(tmp_path, f"sqlite:///{tmp_path / 'x.db'}",
                   f'[cluster]\nredis_url = "{REDIS_URL}"\n')
    assert cli(config, "init").returncode == 0
    done = cli_process(config, "run", "--role", "coordinator")
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
