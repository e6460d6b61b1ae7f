"""The archive behind a real crawl: the dev corpus replayed through the CLI
(init, then a crawl per phase), an alert exported as WACZ and verified, and
verification failing, naming the file, once one byte of one record changed."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from store.captures import captures_of
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Article
from tests.evidence.wacz_edit import first_response, rewrite_member
from tests.support import run_replay
from tests.test_end_to_end import cw, jsonl, write_config

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]

# The phases crawled: enough for alerts and for a revised article.
PHASES = 3


@dataclass
class Replayed:
    config: Path
    workdir: Path
    alerts: list[dict]
    articles: list[dict]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replayed]:
    workdir = tmp_path_factory.mktemp("evidence")
    with run_replay() as replay:
        config = write_config(workdir, replay, f"sqlite:///{workdir / 'cw.db'}")
        cw(config, "init")
        for phase in range(1, PHASES + 1):
            replay.set_phase(phase)
            cw(config, "crawl", "--json")
        yield Replayed(config, workdir, jsonl(cw(config, "alerts", "--json").stdout),
                       jsonl(cw(config, "articles", "--json").stdout))


def _run(config: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def test_every_revision_is_archived_and_reads_back_with_its_hash(replayed: Replayed) -> None:
    config = load_config(str(replayed.config))
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        articles = list(session.scalars(select(Article)))
        copies = captures_of(session, [a.id for a in articles])
    engine.dispose()
    directory = replayed.workdir / "cw-archive"
    assert any(a.revision > 1 for a in articles)
    for article in articles:
        assert [c.revision for c in copies[article.id]] == list(range(1, article.revision + 1))
        for copy in copies[article.id]:
            with open(directory / copy.warc_file, "rb") as fh:
                fh.seek(copy.offset)
                record = next(iter(ArchiveIterator(io.BytesIO(fh.read(copy.length)))))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == copy.url
            assert hashlib.sha256(record.raw_stream.read()).hexdigest() == copy.sha256


def test_articles_and_alerts_json_carry_the_archived_copy(replayed: Replayed) -> None:
    by_url = {a["url"]: a for a in replayed.articles}
    assert all(a["sha256"] and a["fetched_at"].endswith("Z") for a in replayed.articles)
    assert replayed.alerts
    for alert in replayed.alerts:
        assert [e["url"] for e in alert["evidence"]] == alert["urls"]
        for entry in alert["evidence"]:
            assert entry["archive_id"].startswith("urn:uuid:")
            article = by_url[entry["url"]]
            if entry["revision"] == 1 and article["fetched_at"] == entry["fetched_at"]:
                assert entry["sha256"] == article["sha256"]


def test_an_alert_exports_as_a_wacz_that_verifies_until_a_byte_changes(
        replayed: Replayed, tmp_path: Path) -> None:
    alert = replayed.alerts[0]
    out = tmp_path / "alert.wacz"
    code, stdout, stderr = _run(replayed.config, "evidence", "export", str(alert["id"]),
                                "--out", str(out))
    assert code == 0, stderr
    assert str(out) in stdout
    code, stdout, stderr = _run(replayed.config, "evidence", "verify", str(out))
    assert (code, stderr) == (0, "")
    assert "intact" in stdout
    offset, length = first_response(out)
    rewrite_member(out, "archive/data.warc.gz", offset + length // 2)
    code, stdout, stderr = _run(replayed.config, "evidence", "verify", str(out))
    assert code == 1
    assert "archive/data.warc.gz" in stderr and stdout == ""


def test_verify_alert_checks_the_local_archive_and_names_a_damaged_file(
        replayed: Replayed) -> None:
    alert = replayed.alerts[-1]
    code, stdout, stderr = _run(replayed.config, "evidence", "verify", "--alert",
                                str(alert["id"]))
    assert code == 0, stderr
    engine = make_engine(load_config(str(replayed.config)).database_url)
    with session_scope(engine) as session:
        article = session.scalars(select(Article).where(
            Article.url == alert["urls"][0])).one()
        copy = captures_of(session, [article.id])[article.id][-1]
    engine.dispose()
    path = replayed.workdir / "cw-archive" / copy.warc_file
    data = bytearray(path.read_bytes())
    original = data[copy.offset + copy.length // 3]
    data[copy.offset + copy.length // 3] ^= 0x01
    path.write_bytes(bytes(data))
    try:
        code, stdout, stderr = _run(replayed.config, "evidence", "verify", "--alert",
                                    str(alert["id"]))
        assert code == 1
        assert copy.warc_file in stderr
        code, stdout, _ = _run(replayed.config, "articles", "show", str(article.id), "--json")
        (shown,) = [json.loads(line) for line in stdout.splitlines()]
        assert shown["copies"][-1]["problem"]
    finally:
        data[copy.offset + copy.length // 3] = original
        path.write_bytes(bytes(data))


def test_articles_show_prints_the_text_beside_the_archived_copy(replayed: Replayed) -> None:
    article = replayed.articles[0]
    code, stdout, stderr = _run(replayed.config, "articles", "show", str(article["id"]))
    assert code == 0, stderr
    assert article["sha256"] in stdout
    assert "intact" in stdout and "Stored text:" in stdout
    code, _, stderr = _run(replayed.config, "evidence", "export", "99999", "--out", "x.wacz")
    assert code == 1 and "no alert 99999" in stderr
