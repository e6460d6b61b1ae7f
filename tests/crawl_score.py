"""Alert-level scores of a labelled corpus played through the real crawler.

    python -m tests.crawl_score dev2        # or dev, or a corpus folder

newsreplay serves the corpus phase by phase, `compoundwatch crawl` runs after
each phase (fetch, extract, analyse), and score.py judges `alerts --json` and
`articles --json`: the end-to-end figure, extraction included, that
`tests.analysis.measure` (analysis alone) does not give.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.support import SHARED
from tests.test_end_to_end import play_story


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "dev2"
    corpus = SHARED / "corpus" / name if not Path(name).is_dir() else Path(name)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for run in play_story(work, f"sqlite:///{work / 'cw.db'}", corpus):
            for kind in ("figure_change", "new_raid", "relevance"):
                s = run.score[kind]
                print(f"{corpus.name} {kind:<14} P {s['precision']:.3f}  R {s['recall']:.3f}"
                      f"  F1 {s['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
