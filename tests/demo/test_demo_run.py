"""`compoundwatch demo` end to end, as a new user runs it: in a subprocess,
offline, on a fresh folder, within a couple of minutes, leaving nothing
running behind it."""

from __future__ import annotations

import json
import mailbox
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from tests.support import REPO

LABELS = Path(__file__).with_name("story_labels.json")
DEMO_TIME_LIMIT = 120.0  # "within a couple of minutes", on a busy two-core machine too
pytestmark = pytest.mark.slow


def expected_figure_changes() -> list[tuple[str, object]]:
    """(claim, new value) of the figure changes the story's labels imply (FORMAT.md)."""
    seed = {"complaints": 368, "complaints_preah_sihanouk": 149, "rescued": 361,
            "gambling_workers": [70000, 100000], "suspects_charged": 41, "tip_tier": "Tier 3",
            "trafficking_cases": 9, "trafficked_people": 54, "trafficked_countries": 6}
    events = []
    for entry in json.loads(LABELS.read_text("utf-8")).values():
        events.append((entry["phase"], entry["labels"]))
        for rev in entry.get("revisions", []):
            events.append((rev["phase"], rev["labels"]))
    changes = []
    for _, labels in sorted(events, key=lambda e: e[0]):
        if not labels or not labels["relevant"]:
            continue
        for fig in labels["figures"]:
            if fig["current"] and fig["value"] != seed[fig["claim"]]:
                changes.append((fig["claim"], fig["value"]))
                seed[fig["claim"]] = fig["value"]
    return changes


def shown(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("demo") / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOUNDWATCH_")}
    env.update(PYTHONPATH=str(REPO), COLUMNS="160")
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--out", str(out)],
        cwd=tmp_path_factory.mktemp("cwd"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )
    try:
        stdout, stderr = proc.communicate(timeout=DEMO_TIME_LIMIT + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return {"out": out, "rc": proc.returncode, "stdout": stdout, "stderr": stderr,
            "seconds": time.monotonic() - started, "pid": proc.pid}


def test_the_demo_finishes_offline_within_a_couple_of_minutes(demo_run: dict) -> None:
    assert demo_run["rc"] == 0, demo_run["stderr"][-2000:]
    assert demo_run["seconds"] < DEMO_TIME_LIMIT
    assert re.search(r"Phase 1 of \d", demo_run["stdout"])


def test_the_demo_prints_the_digest_path_and_the_digest_shows_the_figure_changes(
        demo_run: dict) -> None:
    match = re.search(r"^Digest: (.+)$", demo_run["stdout"], re.MULTILINE)
    assert match, demo_run["stdout"][-2000:]
    digest = Path(match.group(1).strip())
    assert digest.is_file() and digest.parent == demo_run["out"]
    html = digest.read_text("utf-8")
    expected = expected_figure_changes()
    assert ("complaints", 850) in expected
    found = [(claim, value) for claim, value in expected if shown(value) in html]
    assert ("complaints", 850) in found
    assert len(found) >= len(expected) // 2, f"digest shows {found} of {expected}"


def test_the_alert_emails_are_captured_in_the_mailbox_folder(demo_run: dict) -> None:
    match = re.search(r"^Mailbox: (.+) \((\d+) emails captured\)$", demo_run["stdout"],
                      re.MULTILINE)
    assert match, demo_run["stdout"][-2000:]
    box = mailbox.Maildir(match.group(1).strip(), create=False)
    assert len(box) == int(match.group(2)) >= 2  # at least one alert and the digest
    recipients = {msg["To"] for msg in box}
    assert recipients == {"desk@example.org"}
    assert any("850" in (msg.as_string()) for msg in box)


def test_the_demo_leaves_no_server_or_process_running(demo_run: dict) -> None:
    config = tomllib.loads((demo_run["out"] / "config.toml").read_text("utf-8"))
    ports = [urlsplit(s["url"]).port for s in config["sources"]] + [config["email"]["port"]]
    for port in ports:
        with socket.socket() as sock:
            sock.settimeout(1)
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
    leftovers = [p for p in psutil.process_iter(["cmdline"])
                 if str(demo_run["out"]) in " ".join(p.info["cmdline"] or [])]
    assert leftovers == []


def test_the_phase_tables_show_copies_revisions_and_irrelevant_pieces(demo_run: dict) -> None:
    out = demo_run["stdout"]
    phases = re.findall(r"Phase (\d) of (\d): (\d+) new articles", out)
    assert [int(p) for p, _, _ in phases] == list(range(1, int(phases[0][1]) + 1))
    assert sum(int(n) for _, _, n in phases) == 19  # 18 articles and one syndicated copy
    assert "copy of article #" in out
    assert "revised" in out and "re-analysed" in out
    assert out.count("not relevant") >= 2
    assert "figure change" in out and "new raid" in out
