"""Every `--json` output validates against one schema per record type, and
every command that changes state has `--json` (see schemas.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.clirun import cli_in_process
from tests.delivery.smtpd import SmtpServer, free_port
from tests.firsthour.schemas import SCHEMAS
from tests.support import REPO, SEED_TXT, replay_sources_toml, run_replay

pytestmark = pytest.mark.subprocess

FAST = ("allow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
        "timeout_seconds = 5.0\nretries = 0\n")


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _cli(config: Path, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code in (0, 1), result.output
    return _lines(result.stdout)


def _subprocess(config: Path, *args: str) -> list[dict[str, Any]]:
    # A crawl runs Twisted's reactor, which cannot run twice in one process.
    proc = subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _lines(proc.stdout)


def _in_process(config: Path, *args: str) -> list[dict[str, Any]]:
    # No reactor: `sources check` fetches with the poller's client.
    proc = cli_in_process(config, *args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _lines(proc.stdout)


def test_every_json_output_matches_the_schema_of_its_record_type(tmp_path: Path) -> None:
    smtp = SmtpServer().start()
    try:
        with run_replay() as replay:
            replay.set_phase(replay.max_phase)
            config = tmp_path / "config.toml"
            config.write_text(
                f'[store]\nurl = "sqlite:///cw.db"\n[seed]\narticles = ["{SEED_TXT}"]\n'
                f"[crawl]\n{FAST}"
                f'[email]\nhost = "127.0.0.1"\nport = {smtp.port}\n'
                'recipients = ["desk@example.org"]\nalert_mode = "digest"\n'
                + replay_sources_toml(replay)
                + f'\n[[sources]]\nname = "gone"\nurl = "http://127.0.0.1:{free_port()}/x"\n'
                'kind = "feed"\n', encoding="utf-8")
            records = _in_process(config, "sources", "check", "--json")  # before init
            assert CliRunner().invoke(main, ["--config", str(config), "init"]).exit_code == 0
            records += _subprocess(config, "crawl", "--json")
        records += _cli(config, "sources", "add", "http://example.org/feed", "--name", "x",
                        "--json")
        for action in ("pause", "resume", "remove"):
            records += _cli(config, "sources", action, "x", "--json")
        for command in (["sources", "list"], ["claims"], ["articles"], ["alerts"], ["status"],
                        ["figures"]):
            records += _cli(config, *command, "--json")
        records += _cli(config, "claims", "mute", "complaints", "--json")
        records += _cli(config, "digest", "--send", "--json")
        records += _cli(config, "digest", "--send", "--json")  # already sent
    finally:
        smtp.stop()

    for rec in records:
        assert "record" in rec, rec
        jsonschema.validate(rec, SCHEMAS[rec["record"]])
    seen = {r["record"] for r in records}
    assert seen == set(SCHEMAS), set(SCHEMAS) - seen
    crawled = {r["source"]: r for r in records if r["record"] == "crawl"}
    assert crawled["monitor"]["kind"] == "sitemap" and crawled["portal"]["kind"] == "listing"
    checks = {r["name"]: r for r in records if r["record"] == "source_check"}
    assert checks["gone"]["reachable"] is False and "refused" in checks["gone"]["problem"]
    assert [c["kind"] for n, c in sorted(checks.items()) if n != "gone"] == [
        "feed", "sitemap", "listing", "feed", "feed"]  # daily monitor portal wire zhdaily
    assert all(c["entries"] > 0 for n, c in checks.items() if n != "gone")
    # Feeds and the news sitemap date their entries; a section page's links have no date.
    assert all(c["newest"] for n, c in checks.items() if n not in ("gone", "portal")), checks
    sends = [r["status"] for r in records if r["record"] == "digest_send"]
    assert sends == ["sent", "already_sent"]
