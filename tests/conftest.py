"""Fixtures shared by every suite, and the rule for slow tests.

Tests marked `slow` run in CI (where CI=true) and with `--run-slow`; a
developer's default run deselects them so it stays short. The markers
`subprocess`, `postgres` and `redis` (pyproject.toml) select by what a test
needs: `-m "not postgres"` on a machine without the server, say; a `-m`
expression that does not name `slow` still leaves the slow tests out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from store.db import make_engine, upgrade
from tests.durations import load_table, longest_first
from tests.support import postgres_database


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (CI=true does too)")


def run_slow(config: pytest.Config) -> bool:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return ci or bool(config.getoption("--run-slow"))


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist would hand files out by their number of tests; the order
    # below (longest first, tests/durations.py) is what balances the workers.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    order = longest_first([item.nodeid for item in items], load_table())
    items[:] = [items[i] for i in order]
    if run_slow(config) or "slow" in (config.getoption("-m") or ""):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL on each backend (SQLite file, PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database upgraded to head, on both backends."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()
