"""A writer for the kill -9 test: stores article after article the way the
crawler's pipeline does (store, archive records, sync, pointer, commit) and
prints each id once committed, until it is killed.

    python -m tests.evidence.kill_writer DB_URL ARCHIVE_DIR FIRST
"""

from __future__ import annotations

import sys
from pathlib import Path

from crawler.dedup import DuplicateIndex
from crawler.extract import Extracted
from crawler.fetching.evidence import EvidenceWriter
from crawler.persist import store_article
from store.archive import WarcArchive
from store.db import make_engine, session_scope
from tests.evidence.helpers import capture

# Articles' simhashes and shingles, as a crawl process keeps them.
DEDUP = DuplicateIndex()

# Large bodies, so that a kill often lands in the middle of a record.
BODY_BYTES = 800_000
PER_BATCH = 2


def main(db_url: str, directory: str, first: int) -> None:
    engine = make_engine(db_url)
    writer = EvidenceWriter(WarcArchive(Path(directory), 8_000_000))
    n = first
    while True:
        batch = [n + i for i in range(PER_BATCH)]
        with session_scope(engine) as session:
            for i in batch:
                art = Extracted(text=f"article {i} " * 50, title=f"Article {i}", author=None,
                                published=None, language="en", summary=None,
                                canonical_url=None)
                store_article(session, 1, capture(i).url, art, dedup=DEDUP)
            writer.archive_stored(session, [(capture(i).url, capture(i, BODY_BYTES))
                                            for i in batch])
        print(*batch, flush=True)
        n += PER_BATCH


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
