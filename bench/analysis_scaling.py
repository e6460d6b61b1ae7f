"""Analysis time per article as the number of tracked claims grows.

Claims come from many seeds: the real seed article, its retelling
(`corpus/seed.json`), then synthetic articles (`newsreplay.py synth`) each
read as one more seed with the project's own `extract_claims`, keys made
unique. The measured articles are other synthetic articles (another random
seed). For each claim count, every article goes through what
`analyse_article` runs per article, without the database: seed figures
as relevance evidence and relevance (`find_observations`,
`RelevanceModel.judge`), then for a relevant article figure matching
(`find_observations`) and raid extraction (`extract_raids`).

    python bench/analysis_scaling.py                 # 10, 50, 500, 5000 claims
    python bench/analysis_scaling.py --articles 100  # fewer measured articles
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from alerts.analysis.claims import ClaimSpec, extract_claims
from alerts.analysis.matching import find_observations
from alerts.analysis.raids import extract_raids
from alerts.analysis.relevance import RelevanceModel
from bench.measure import machine_load, print_table, reproduce_command
from tests.support import NEWSREPLAY, SHARED

COUNTS = (10, 50, 500, 5000)


@dataclasses.dataclass(frozen=True)
class Doc:
    title: str
    text: str
    published: dt.date


def corpus_docs(path: Path) -> list[Doc]:
    data = json.loads(path.read_text(encoding="utf-8"))
    articles = data["articles"] if isinstance(data, dict) and "articles" in data else [data]
    out = []
    for a in articles:
        paragraphs = a.get("paragraphs") or []
        text = "\n\n".join(p if isinstance(p, str) else str(p) for p in paragraphs)
        published = dt.datetime.fromisoformat(a["published"]).date() if a.get("published") \
            else dt.date(2022, 10, 1)
        out.append(Doc(a.get("title") or "", text, published))
    return out


def synth(work: Path, articles: int, seed: int) -> list[Doc]:
    out = work / f"synth-{seed}"
    subprocess.run([sys.executable, str(NEWSREPLAY), "synth", "--articles", str(articles),
                    "--out", str(out), "--seed", str(seed)], check=True, capture_output=True)
    return corpus_docs(out / "corpus.json")


def many_claims(limit: int, seeds: list[Doc]) -> list[ClaimSpec]:
    """Claims of many seeds, in seed order, keys made unique; `limit` at most."""
    specs: list[ClaimSpec] = []
    for n, doc in enumerate(seeds):
        for claim in extract_claims(doc.text, doc.published):
            specs.append(dataclasses.replace(claim.spec, key=f"{claim.spec.key}~{n}"))
            if len(specs) >= limit:
                return specs
    return specs


def analyse(doc: Doc, specs: list[ClaimSpec], model: RelevanceModel) -> int:
    """What analyse_pending does for one article, minus the database."""
    evidence = len({o.quote for o in find_observations(doc.text, specs, doc.published)})
    verdict = model.judge(doc.title, doc.text, evidence)
    found = 0
    if verdict.relevant:
        found += len(find_observations(f"{doc.title}\n{doc.text}", specs, doc.published, {}))
        found += len(extract_raids(doc.title, doc.text, doc.published))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200, help="articles analysed per count")
    ap.add_argument("--repeat", type=int, default=3, help="runs per count (best is kept)")
    args = ap.parse_args()
    command = reproduce_command(__file__)
    load_start = machine_load()
    work = Path(tempfile.mkdtemp(prefix="cw-analysis-"))
    try:
        real = [*corpus_docs(SHARED / "corpus" / "seed.json")]
        seed_txt = (SHARED / "seed" / "seed-article.txt").read_text(encoding="utf-8")
        real.insert(0, Doc("", seed_txt, dt.date(2022, 9, 30)))
        seeds = real + synth(work, 6000, 7)
        specs = many_claims(max(COUNTS), seeds)
        if len(specs) < max(COUNTS):
            print(f"error: only {len(specs)} claims found in {len(seeds)} seeds", file=sys.stderr)
            return 1
        docs = synth(work, args.articles, 11)[:args.articles]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    model = RelevanceModel.build()
    relevant = sum(model.judge(d.title, d.text).relevant for d in docs)
    rows = []
    per_article: dict[int, float] = {}
    for count in COUNTS:
        subset = specs[:count]
        best = float("inf")
        found = 0
        for _ in range(args.repeat):
            started = time.process_time()
            found = sum(analyse(d, subset, model) for d in docs)
            best = min(best, time.process_time() - started)
        per_article[count] = best / len(docs)
        heads = len({h for s in subset for h in s.heads})
        rows.append((count, heads, len(docs), found, best, per_article[count] * 1000))
    print(f"\nAnalysis per article ({len(docs)} synthetic articles, {relevant} relevant; "
          f"claims from {len(seeds)} seeds; CPU time, best of {args.repeat})")
    print_table(("claims", "distinct heads", "articles", "findings", "CPU s", "ms/article"),
                rows)
    growth = per_article[5000] / per_article[50]
    print(f"\nmachine: {load_start} at start; {machine_load()} at end")
    print(f"reproduce: {command}")
    print(" ".join(f"ms_per_article_{c}={per_article[c] * 1000:.2f}" for c in COUNTS)
          + f" growth_50_to_5000={growth:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
