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

from tests.support import CLAIMS_JSON, REPO, SCORE, SEED_JSON

LABELS = Path(__file__).with_name("story_labels.json")
# A hang guard, not a speed target: the demo's time is printed by
# `python bench/demo_time.py` (speed lives in benchmarks, not timed tests).
DEMO_HANG_GUARD = 900.0
pytestmark = [pytest.mark.slow, pytest.mark.subprocess]


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
        stdout, stderr = proc.communicate(timeout=DEMO_HANG_GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
    return {"out": out, "rc": proc.returncode, "stdout": stdout, "stderr": stderr,
            "seconds": time.monotonic() - started, "pid": proc.pid}


def test_the_demo_finishes_offline(demo_run: dict) -> None:
    assert demo_run["rc"] == 0, demo_run["stderr"][-2000:]
    assert demo_run["seconds"] < DEMO_HANG_GUARD
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
    phases = re.findall(r"Phase (\d) of (\d): (\d+) new articles?", out)
    assert [int(p) for p, _, _ in phases] == list(range(1, int(phases[0][1]) + 1))
    assert sum(int(n) for _, _, n in phases) == 19  # 18 articles and one syndicated copy
    assert "copy of article #" in out
    assert "revised" in out and "re-analysed" in out
    assert out.count("not relevant") >= 2
    assert "figure change" in out and "new raid" in out


def labelled_corpus(folder: Path) -> Path:
    """The bundled story with its labels (kept here, in the tests) and the seed,
    in the corpus format that the shared scorer reads."""
    import crawler.demo

    story = json.loads((Path(crawler.demo.__file__).parent / "data" / "story.json")
                       .read_text("utf-8"))
    labels = json.loads(LABELS.read_text("utf-8"))
    articles = [json.loads(SEED_JSON.read_text("utf-8"))]
    for raw in story["articles"]:
        entry = labels[raw["id"]]
        revisions = []
        for rev, rev_labels in zip(raw.get("revisions", []), entry.get("revisions", [])):
            revisions.append({**rev, **({"labels": rev_labels["labels"]}
                                        if rev_labels["labels"] else {})})
        articles.append({**raw, "labels": entry["labels"],
                         **({"revisions": revisions} if revisions else {})})
    (folder / "corpus.json").write_text(json.dumps(
        {"name": "demo", "description": "the demo's story", "phases": 5, "articles": articles},
        ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_demo_raises_the_alerts_its_story_implies_and_no_others(
        demo_run: dict, tmp_path: Path) -> None:
    from crawler.demo.story import load_story

    config_path = demo_run["out"] / "config.toml"
    config = tomllib.loads(config_path.read_text("utf-8"))
    bases = {s["name"]: f"http://127.0.0.1:{urlsplit(s['url']).port}" for s in config["sources"]}
    story = load_story()
    (tmp_path / "urls.json").write_text(json.dumps(
        [{"url": bases[p.outlet] + p.path, "id": p.article.id}
         for p in story.pages(story.last_phase())]), encoding="utf-8")
    for command in ("alerts", "articles"):
        out = subprocess.run(
            [sys.executable, "-m", "crawler", "--config", str(config_path), command, "--json"],
            capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path)
        (tmp_path / f"{command}.jsonl").write_text(out.stdout, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    corpus = labelled_corpus(tmp_path / "corpus")
    scored = subprocess.run(
        [sys.executable, str(SCORE), str(corpus), str(tmp_path / "alerts.jsonl"),
         "--claims", str(CLAIMS_JSON), "--articles", str(tmp_path / "articles.jsonl"),
         "--urls", str(tmp_path / "urls.json"), "--json"],
        capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(scored.stdout)
    assert result["figure_change"]["expected"] == 6 and result["new_raid"]["expected"] == 4
    for kind in ("figure_change", "new_raid", "relevance"):
        assert result[kind]["f1"] >= 0.8, (kind, result[kind])
