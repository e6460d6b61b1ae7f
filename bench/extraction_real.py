"""Extraction on a public benchmark of real article pages: compoundwatch's
`extract_article` beside bare trafilatura (defaults, and favor_precision).

    python bench/extraction_real.py --pages DIR --truth FILE [--limit N] [--per-page OUT]

Two layouts are read (pages are never committed; bring a copy yourself):

- scrapinghub's article-extraction-benchmark: DIR holds `<id>.html.gz` (or
  `.html`) files, FILE maps each id to `{"articleBody": ..., "url": ...}`.
  Scored as its evaluate script scores: word tokens (`\\w+`), 4-token
  shingles counted with multiplicity, TP/FP/FN normalised per page, precision
  and recall averaged over pages, F1 from the two averages.
- trafilatura's evaluation set (`--format trafilatura`): FILE is its
  `tests/evaldata.json` (`{url: {"file", "with": [...], "without": [...]}}`),
  DIR its `tests` folder (pages in `cache/` or `eval/`). Scored as its
  eval_common does: a "with" snippet found in the output (whitespace
  normalised) is a true positive, missing a false negative; a "without"
  snippet found is a false positive; counts summed over all pages.

Leak is the share of what an extractor kept that is not the article: on
scrapinghub's set, the output lines (paragraphs) of which most 4-token
shingles are not in the ground truth; on trafilatura's, the "without"
snippets (boilerplate named by its annotators) found in the output.

Pages are decoded by compoundwatch's decoder for every extractor (a page's
bytes are the same for all). A page an extractor rejects counts as empty
output; `--per-page` records compoundwatch's reason. Prints a table, then one
line of key=value figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.extract import Rejection, extract_article  # noqa: E402
from crawler.page.decoding import decode_bytes, strip_controls  # noqa: E402

_TOKEN = re.compile(r"\w+", re.UNICODE)
Extractor = Callable[[str, str], str | None]
# A judge's verdict on one output: (tp, fp, fn, leaked, kept) - leaked of kept
# lines or snippets are not the article's.
Verdict = tuple[float, float, float, int, int]
# The last rejection reason of compoundwatch, for --per-page.
_LAST_REASON: list[str] = [""]


@dataclass
class Score:
    """One extractor's (tp, fp, fn) per page, and its costs."""

    counts: list[tuple[float, float, float]] = field(default_factory=list)
    rejected: int = 0
    cpu: float = 0.0
    leaked: int = 0
    kept: int = 0

    def leak(self) -> float:
        """The share of kept lines (or boilerplate snippets) that are not the article."""
        return self.leaked / self.kept if self.kept else 0.0

    def figures(self, summed: bool) -> tuple[float, float, float]:
        """(F1, precision, recall): of the summed counts, or of the per-page
        precision and recall averaged (scrapinghub's way)."""
        if summed:
            tp, fp, fn = (sum(c[i] for c in self.counts) for i in range(3))
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
        else:
            ps = [_ratio(tp, fp, fn, fp) for tp, fp, fn in self.counts
                  if tp + fp > 0 or fp == fn == 0]
            rs = [_ratio(tp, fp, fn, fn) for tp, fp, fn in self.counts
                  if tp + fn > 0 or fp == fn == 0]
            p = statistics.mean(ps) if ps else 0.0
            r = statistics.mean(rs) if rs else 0.0
        return (2 * p * r / (p + r) if p + r else 0.0), p, r


def _ratio(tp: float, fp: float, fn: float, wrong: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + wrong) if tp + wrong else 0.0


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def shingle_match(true: str, pred: str) -> Verdict:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1 per page,
    and the output lines that are mostly not the article's, of all lines."""
    a, b = shingles(true), shingles(pred)
    tp = float(sum((a & b).values()))
    fp = float(sum((b - a).values()))
    fn = float(sum((a - b).values()))
    total = tp + fp + fn
    lines = [ln for ln in (pred or "").splitlines() if _TOKEN.search(ln)]
    joined = f" {' '.join(_TOKEN.findall(true or ''))} "
    leaked = sum(1 for ln in lines if _foreign(ln, a, joined))
    if not total:
        return 0.0, 0.0, 0.0, leaked, len(lines)
    return tp / total, fp / total, fn / total, leaked, len(lines)


def _foreign(line: str, truth: Counter, joined: str) -> bool:
    """Whether a line is not the article's: most of its shingles are not in
    the ground truth, or (a line under 4 tokens) its words are nowhere in it."""
    tokens = _TOKEN.findall(line)
    if len(tokens) < 4:
        return f" {' '.join(tokens)} " not in joined
    own = shingles(line)
    found = sum(1 for sh in own if sh in truth)
    return found * 2 < len(own)


def snippet_match(with_: list[str], without: list[str], pred: str) -> Verdict:
    """(tp, fp, fn) over trafilatura's evaluation snippets (tn not needed);
    the "without" snippets kept, of all of them."""
    flat = " ".join(pred.split())
    tp = sum(" ".join(s.split()) in flat for s in with_)
    fn = len(with_) - tp
    fp = sum(" ".join(s.split()) in flat for s in without)
    return float(tp), float(fp), float(fn), fp, len(without)


def compoundwatch(html: str, url: str) -> str | None:
    result = extract_article(html, url)
    _LAST_REASON[0] = result.reason if isinstance(result, Rejection) else ""
    return None if isinstance(result, Rejection) else result.text


def bare(**options: object) -> Extractor:
    def run(html: str, url: str) -> str | None:
        return trafilatura.extract(html, url=url, include_comments=False, **options)
    return run


EXTRACTORS: dict[str, Extractor] = {
    "compoundwatch": compoundwatch,
    "trafilatura (defaults)": bare(),
    "trafilatura (favor_precision)": bare(favor_precision=True),
}


def read_page(path: Path) -> str:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text, _ = decode_bytes(raw, None)
    # As the crawler's decode_page hands pages on: without C0 controls.
    return strip_controls(text or "")


def scrapinghub_cases(pages: Path, truth: dict) -> list[tuple[str, str, Callable[[str], tuple]]]:
    cases = []
    for path in sorted(pages.glob("*.html*")):
        key = path.name.split(".")[0]
        if key not in truth:
            continue
        body = truth[key].get("articleBody") or ""
        cases.append((str(path), truth[key].get("url") or "",
                      lambda pred, body=body: shingle_match(body, pred)))
    return cases


def trafilatura_cases(pages: Path, truth: dict) -> list[tuple[str, str, Callable[[str], tuple]]]:
    cases = []
    for url, item in sorted(truth.items()):
        found = [d / item["file"] for d in (pages / "cache", pages / "eval", pages)
                 if (d / item["file"]).is_file()]
        if not found:
            continue
        w, wo = list(item.get("with") or []), list(item.get("without") or [])
        cases.append((str(found[0]), url, lambda pred, w=w, wo=wo: snippet_match(w, wo, pred)))
    return cases


def run(cases: list, limit: int, per_page: Path | None,
        names: list[str]) -> dict[str, Score]:
    scores = {name: Score() for name in names}
    rows = []
    for path, url, judge in cases[:limit or None]:
        html = read_page(Path(path))
        row = {"page": Path(path).name}
        for name in names:
            extractor = EXTRACTORS[name]
            started = time.process_time()
            try:
                pred = extractor(html, url)
            except Exception:  # noqa: BLE001 - a crash is an empty output, counted as rejected
                pred = None
            scores[name].cpu += time.process_time() - started
            if not pred:
                scores[name].rejected += 1
            tp, fp, fn, leaked, kept = judge(pred or "")
            scores[name].counts.append((tp, fp, fn))
            scores[name].leaked += leaked
            scores[name].kept += kept
            row[name] = round(tp / (tp + 0.5 * (fp + fn)), 3) if tp + fp + fn else 1.0
            row[f"{name} counts"] = [round(tp, 3), round(fp, 3), round(fn, 3), leaked, kept]
        if _LAST_REASON[0]:
            row["compoundwatch rejected"] = _LAST_REASON[0]
        rows.append(row)
    if per_page:
        per_page.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder of the benchmark's pages")
    ap.add_argument("--truth", type=Path, required=True, help="its ground-truth JSON file")
    ap.add_argument("--format", choices=("scrapinghub", "trafilatura"), default="scrapinghub")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--per-page", type=Path, help="write each page's F1 per extractor (JSON Lines)")
    ap.add_argument("--only", choices=tuple(EXTRACTORS), action="append",
                    help="run only this extractor (repeatable; all three by default)")
    args = ap.parse_args()
    if not args.pages.is_dir() or not args.truth.is_file():
        print("--pages must be a folder and --truth a file of the benchmark.", file=sys.stderr)
        return 2
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    build = scrapinghub_cases if args.format == "scrapinghub" else trafilatura_cases
    cases = build(args.pages, truth)
    if not cases:
        print(f"no page of {args.pages} has an entry in {args.truth}.", file=sys.stderr)
        return 2
    scores = run(cases, args.limit, args.per_page, args.only or list(EXTRACTORS))
    print(f"{args.format} benchmark, {min(len(cases), args.limit or len(cases))} pages")
    print(f"{'extractor':<32} {'F1':>6} {'P':>6} {'R':>6} {'empty':>6} {'leak':>6} {'ms/page':>8}")
    figures = []
    for name, s in scores.items():
        f1, p, r = s.figures(summed=args.format == "trafilatura")
        ms = 1000 * s.cpu / max(1, len(s.counts))
        print(f"{name:<32} {f1:6.3f} {p:6.3f} {r:6.3f} {s.rejected:6d} "
              f"{100 * s.leak():5.1f}% {ms:8.1f}")
        slug = re.sub(r"\W+", "_", name).strip("_")
        figures.append(f"{slug}_f1={f1:.3f} {slug}_leak={s.leak():.3f}")
    print("command: python bench/extraction_real.py --pages "
          f"{args.pages} --truth {args.truth} --format {args.format}")
    print(" ".join(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
