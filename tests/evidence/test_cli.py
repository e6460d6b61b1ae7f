"""`evidence verify` and `evidence export` at the command line: exit statuses
and one-line errors (the replay test covers a real alert end to end)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.clirun import cli_in_process
from tests.evidence.test_wacz import _package
from tests.evidence.wacz_edit import first_response, rewrite_member


def _cw(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "cw.db"}"\n')
    return cli_in_process(config, *args)


def test_verify_exits_0_for_an_intact_package_and_1_naming_the_changed_file(
        tmp_path: Path) -> None:
    wacz = _package(tmp_path)
    done = _cw(tmp_path, "evidence", "verify", str(wacz))
    assert (done.returncode, done.stderr) == (0, "")
    assert "intact" in done.stdout
    offset, length = first_response(wacz)
    rewrite_member(wacz, "archive/data.warc.gz", offset + length // 2)
    done = _cw(tmp_path, "evidence", "verify", str(wacz))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("Error: not intact: archive/data.warc.gz:")
    assert "Traceback" not in done.stderr


def test_verify_wants_a_file_or_an_alert_and_export_an_existing_alert(tmp_path: Path) -> None:
    done = _cw(tmp_path, "evidence", "verify")
    assert done.returncode == 2 and "--alert" in done.stderr
    done = _cw(tmp_path, "evidence", "verify", str(tmp_path / "missing.wacz"))
    assert done.returncode == 2 and "missing.wacz" in done.stderr
    assert _cw(tmp_path, "init").returncode == 0
    done = _cw(tmp_path, "evidence", "export", "7", "--out", str(tmp_path / "x.wacz"))
    assert done.returncode == 1 and "no alert 7" in done.stderr
    assert not (tmp_path / "x.wacz").exists()
    done = _cw(tmp_path, "evidence", "verify", "--alert", "7")
    assert done.returncode == 1 and "no alert 7" in done.stderr
