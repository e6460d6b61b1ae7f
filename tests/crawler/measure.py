"""Figures for the crawler on the dev corpus (not a test):

    python -m tests.crawler.measure

Crawls the replay phase by phase, then reports articles found of those
visible, paragraph recall and boilerplate leakage of the stored text, and
the requests of a second crawl at the last phase; then the same for a single
crawl at the last phase on a fresh database.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crawler.fingerprint import normalise
from store.db import make_engine, session_scope
from store.models import Article
from tests.crawler.conftest import crawl_cli, db_url, make_config
from tests.crawler.replaycorpus import body_at, boilerplate_lines, fetch, load_corpus, norm
from tests.support import run_replay


def quality(config: Path, records: list[dict[str, Any]], phase: int) -> dict[str, Any]:
    corpus = {a["id"]: a for a in load_corpus()["articles"]}
    engine = make_engine(db_url(config))
    with session_scope(engine) as session:
        stored = {a.url: (a.text, a.duplicate_of_id) for a in session.scalars(select(Article))}
    engine.dispose()
    found = [r for r in records if r["url"] in stored]
    paras = hits = lines = leaks = 0
    for rec in found:
        source = corpus.get(rec["id"])
        if source is None:
            continue
        body = body_at(source, phase)
        text = normalise(stored[rec["url"]][0])
        own = [*body, norm(source["title"]), norm(source.get("summary", "")),
               norm(source.get("image_caption") or ""), norm(source.get("author") or "")]
        paras += len(body)
        hits += sum(normalise(p) in text for p in body)
        for line in boilerplate_lines(fetch(rec["url"]), own):
            lines += 1
            leaks += normalise(line) in text
    copies = [r for r in found if r["syndicated"]]
    return {
        "visible": len(records), "found": len(found), "stored_rows": len(stored),
        "syndicated_copies_marked": f"{sum(stored[r['url']][1] is not None for r in copies)}"
                                    f"/{len(copies)}",
        "paragraph_recall": round(hits / paras, 4) if paras else None,
        "boilerplate_lines_leaked": f"{leaks}/{lines}",
    }


def main() -> None:
    with run_replay(phase=0) as replay:
        tmp = Path(tempfile.mkdtemp())
        (tmp / "phases").mkdir()
        config = make_config(tmp / "phases", replay)
        started = time.monotonic()
        for phase in range(replay.max_phase + 1):
            replay.set_phase(phase)
            crawl_cli(config)
        elapsed = time.monotonic() - started
        records = replay.urls()
        report = {"phase_by_phase": quality(config, records, replay.max_phase),
                  "phase_by_phase_seconds": round(elapsed, 1)}
        before = replay.stats()
        crawl_cli(config)
        after = replay.stats()
        report["second_crawl"] = {
            "requests": after["requests"] - before["requests"],
            "by_status": {s: n - before["status"].get(s, 0) for s, n in after["status"].items()
                          if n - before["status"].get(s, 0)},
            "bytes": after["bytes"] - before["bytes"],
        }
        (tmp / "once").mkdir()
        once = make_config(tmp / "once", replay)
        crawl_cli(once)
        report["single_crawl_at_last_phase"] = quality(once, records, replay.max_phase)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
