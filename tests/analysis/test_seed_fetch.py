"""`seed add URL` fetches under the crawler's SSRF rules and limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from alerts.safe_fetch import FetchLimits, FetchRefused, fetch
from crawler.cli import main
from tests.servers.loopback import QuietHandler, serve
from tests.support import SEED_TXT


class _Handler(QuietHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        if self.path == "/metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = SEED_TXT.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = []
    with serve(_Handler) as base:
        yield base


def _config(tmp_path: Path, allow_private: bool) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nurl = "sqlite:///cw.db"\n\n[seed]\narticles = []\n\n'
                    f"[crawl]\nallow_private_addresses = {json.dumps(allow_private)}\n")
    return path


def _run(config: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)


def test_seed_add_refuses_a_loopback_url_when_private_addresses_are_off(
        tmp_path: Path, server: str) -> None:
    config = _config(tmp_path, allow_private=False)
    assert _run(config, "init").exit_code == 0
    result = _run(config, "seed", "add", f"{server}/seed.txt")
    assert result.exit_code == 1
    assert "loopback" in result.stderr
    assert _Handler.hits == []  # refused before any connection
    assert _run(config, "claims", "--json").stdout == ""


def test_seed_add_reads_a_loopback_url_when_private_addresses_are_allowed(
        tmp_path: Path, server: str) -> None:
    config = _config(tmp_path, allow_private=True)
    assert _run(config, "init").exit_code == 0
    result = _run(config, "seed", "add", f"{server}/seed.txt")
    assert result.exit_code == 0, result.stderr
    assert "368" in result.stdout and _Handler.hits == ["/seed.txt"]


def test_a_redirect_to_a_metadata_address_is_refused_even_with_private_allowed(
        server: str) -> None:
    with pytest.raises(FetchRefused, match="metadata"):
        fetch(f"{server}/metadata", FetchLimits(allow_private=True, timeout=5))


def test_the_body_is_capped_and_only_http_is_fetched(server: str) -> None:
    with pytest.raises(FetchRefused, match="larger than"):
        fetch(f"{server}/seed.txt", FetchLimits(allow_private=True, max_bytes=100))
    with pytest.raises(FetchRefused, match="http"):
        fetch("file:///etc/passwd", FetchLimits(allow_private=True))
    assert fetch(f"{server}/seed.txt", FetchLimits(allow_private=True)).body \
        == SEED_TXT.read_bytes()
