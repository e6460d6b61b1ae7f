"""The HTML digest renders in a real browser engine (headless Chromium)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from alerts.delivery.digest import digest_message
from store.db import session_scope
from tests.delivery import digest_story as ds

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    # Not a skip: CI installs Debian's chromium (see .ci/run); without it this fails.
    assert path, "headless Chromium is required (apt-get install chromium)"
    return path


def test_the_html_digest_renders_in_headless_chromium(sqlite_engine: Engine, make_config,
                                                      tmp_path: Path) -> None:
    config = make_config(25)
    with session_scope(sqlite_engine) as session:
        ds.busy_day(session)
        html = digest_message(session, config, ds.DAY).html
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "digest.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
         "--window-size=800,1400", page.as_uri()],
        check=True, timeout=60, capture_output=True,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (800, 1400)
    colours = image.getcolors(maxcolors=1_000_000) or []
    # A blank page has one colour; text, the table's banded rows and the SVG
    # charts (blue lines, red dots) give hundreds (antialiasing included).
    assert len(colours) > 100
    assert any(b > 120 and r < 80 for _, (r, g, b) in colours), "the chart or header blue"
    assert any(r > 150 and g < 90 and b < 80 for _, (r, g, b) in colours), "the chart's red dots"
    # The bottom of the page is used too: the whole digest was laid out.
    lower = image.crop((0, 700, 800, 1400)).getcolors(maxcolors=1_000_000) or []
    assert len(lower) > 20
