"""`compoundwatch serve` and `demo --serve` as a user runs them, in child processes."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from store.db import make_engine, upgrade
from tests.delivery.smtpd import free_port
from tests.support import REPO
from tests.web.corpus_store import serving

pytestmark = pytest.mark.subprocess


def _config(tmp_path: Path, extra: str = "", *, init: bool = True) -> Path:
    """A config whose database exists (as after `init`) unless `init` is False."""
    path = tmp_path / "config.toml"
    url = f"sqlite:///{tmp_path / 'cw.db'}"
    path.write_text(f'[store]\nurl = "{url}"\n{extra}', encoding="utf-8")
    if init:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    return path


def test_serve_refuses_a_public_bind_without_a_password(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(_config(tmp_path, init=False)), "serve",
                                       "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "not a loopback address" in result.output and "password_env" in result.output


def test_serve_names_an_unset_password_variable(tmp_path: Path) -> None:
    config = _config(tmp_path, '[web]\npassword_env = "CW_TEST_UNSET_PASSWORD"\n', init=False)
    result = CliRunner().invoke(main, ["--config", str(config), "serve", "--host", "0.0.0.0"],
                                env={"CW_TEST_UNSET_PASSWORD": ""})
    assert result.exit_code == 2 and "CW_TEST_UNSET_PASSWORD, which is not set" in result.output


def test_serve_before_init_says_to_run_init_and_creates_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(_config(tmp_path, init=False)), "serve"])
    assert result.exit_code == 1 and "run `compoundwatch init`" in result.output
    assert not (tmp_path / "cw.db").exists()


def test_a_taken_port_is_a_clear_failure(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["--config", str(_config(tmp_path)), "serve",
                                           "--port", str(port)])
    assert result.exit_code == 1 and f"could not listen on 127.0.0.1:{port}" in result.output


def test_serve_answers_over_http_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    config = _config(tmp_path, '[web]\npassword_env = "CW_TEST_PASSWORD"\n')
    os.environ["CW_TEST_PASSWORD"] = "s3cret"
    try:
        with serving(config, free_port()) as url:
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url + "alerts", timeout=30)
            assert refused.value.code == 401
            request = urllib.request.Request(url + "export/alerts.json",
                                             headers={"Authorization": "Bearer nope"})
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=30)
            auth = base64.b64encode(b"desk:s3cret").decode()
            request = urllib.request.Request(url + "export/alerts.json",
                                             headers={"Authorization": f"Basic {auth}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert json.loads(response.read()) == []
    finally:
        del os.environ["CW_TEST_PASSWORD"]


@pytest.mark.slow
def test_demo_serve_ends_by_serving_the_demo_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOUNDWATCH_")}
    env.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "crawler", "demo", "--serve", "--out",
                             str(tmp_path / "out"), "--port", str(free_port())],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=tmp_path, start_new_session=True)
    try:
        assert proc.stdout is not None
        deadline, url, lines = time.monotonic() + 300, None, []
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "".join(lines)
            lines.append(line)
            if "web view at http://" in line:
                url = line.split(" at ", 1)[1].split()[0]
        assert url and url.startswith("http://127.0.0.1:"), "".join(lines)
        assert "Digest:" in "".join(lines)  # the demo itself ran to its end first
        with urllib.request.urlopen(url + "export/alerts.json", timeout=30) as response:
            alerts = json.loads(response.read())
        assert any(a["kind"] == "figure_change" for a in alerts)
        assert any(a["kind"] == "new_raid" for a in alerts)
        with urllib.request.urlopen(url + "alerts", timeout=30) as response:
            assert "Figure changed:" in response.read().decode()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
