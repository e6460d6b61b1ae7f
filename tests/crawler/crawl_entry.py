"""`python -m tests.crawler.crawl_entry CONFIG [SOURCE...]`: one crawl pass via
`crawler.passes.runner.run_crawl` alone (no analysis or delivery after it), printing
the summaries as JSON lines and the peak memory on stderr."""

from __future__ import annotations

import json
import resource
import sys

from crawler.passes.runner import run_crawl
from store.config import load_config


def main(argv: list[str]) -> None:
    config = load_config(argv[0])
    for summary in run_crawl(config, argv[1:]):
        print(json.dumps(summary.to_dict()))
    sys.stderr.write(f"MAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
