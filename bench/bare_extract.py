"""Bare extraction: the crawler's `extract_article` over rendered article
files, one after another in this one process (the baseline the crawl's
throughput is compared with).

    python bench/bare_extract.py SITE_DIR [--limit N]

Prints one JSON line: pages, articles, rejections, and the in-process time
(the caller measures the whole process, start-up included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.extract import Rejection, extract_article


def charset_of(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip()
    return "utf-8"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="a folder written by `newsreplay.py render`")
    ap.add_argument("--limit", type=int, default=0, help="extract only the first N pages")
    args = ap.parse_args()
    manifest = json.loads((args.site / "manifest.json").read_text(encoding="utf-8"))
    files = {f["url"]: f for f in manifest["files"]}
    pages = [files[r["url"]] for r in manifest["urls"] if r["url"] in files]
    if args.limit:
        pages = pages[:args.limit]
    started = time.monotonic()
    cpu = time.process_time()
    rejected = 0
    for page in pages:
        raw = (args.site / page["file"]).read_bytes()
        html = raw.decode(charset_of(page["content_type"]), errors="replace")
        if isinstance(extract_article(html, page["url"]), Rejection):
            rejected += 1
    print(json.dumps({"pages": len(pages), "articles": len(pages) - rejected,
                      "rejected": rejected, "seconds": time.monotonic() - started,
                      "cpu_seconds": time.process_time() - cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
