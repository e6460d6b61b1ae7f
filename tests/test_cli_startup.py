"""The command line starts without the crawler, the analysis or the database
layer: `--help` lists every command, and showing it imports none of them."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from crawler.cli import COMMANDS, main
from tests.support import REPO

# Imported by commands when they run, never to show help (seconds of imports between them).
HEAVY_MODULES = ("cn2an", "alembic", "scrapy", "twisted", "trafilatura", "sqlalchemy",
                 "apscheduler", "rapidfuzz", "jinja2", "starlette")


def _listed_commands(output: str) -> list[str]:
    """The names under "Commands:" in a group's help."""
    lines = output.split("Commands:\n", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.startswith("  ") and line.split()]


def test_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert _listed_commands(result.output) == sorted(COMMANDS)
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command) and command.name == name
        opening = " ".join((command.help or "").split()[:3])
        assert f"{name.ljust(8)}  {opening}" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_shows_its_own_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: main {name} " in result.output


def test_a_mistyped_command_is_a_usage_error_that_names_it() -> None:
    result = CliRunner().invoke(main, ["crwal"])
    assert result.exit_code == 2
    assert "No such command 'crwal'" in result.output


_PROBE = """
import json, sys
from click.testing import CliRunner
import crawler.cli
after_import = sorted(m for m in {heavy!r} if m in sys.modules)
shown = {{}}
for args in ([], *([name] for name in crawler.cli.COMMANDS), ["sources", "add"]):
    result = CliRunner().invoke(crawler.cli.main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    shown[" ".join(args)] = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"import": after_import, "help": shown}}))
"""


@pytest.mark.subprocess
def test_importing_the_cli_and_showing_help_imports_nothing_heavy() -> None:
    # A fresh interpreter: this test process has long imported all of them.
    done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY_MODULES)],
                          capture_output=True, text=True, timeout=60, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["import"] == []
    assert report["help"] == {name: [] for name in report["help"]}
    assert set(report["help"]) == {"", "sources add", *COMMANDS}
