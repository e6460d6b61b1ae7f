"""Seconds each test file took in a full CI run, so that pytest-xdist starts
the longest files first.

With `--dist loadfile` a file runs on one worker; handed out in collection
order, a three-minute file collected last keeps one worker busy while the
other idles. Longest first (the LPT rule) keeps both busy to the end. The
table is a hint, not a contract: a file it does not know is run after the
known ones, and stale figures only cost balance.

    python -m tests.durations LOG   # LOG: output of `pytest --durations=0`

rewrites tests/durations.json from a run's `--durations=0` lines.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

TABLE = Path(__file__).with_name("durations.json")
_LINE = re.compile(r"^([\d.]+)s (?:setup|call|teardown)\s+([^:\s]+)::", re.MULTILINE)


def file_seconds(log: str) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown summed) from pytest's report."""
    seconds: Counter[str] = Counter()
    for value, path in _LINE.findall(log):
        seconds[path] += float(value)
    return {path: round(total, 1) for path, total in seconds.most_common()}


def load_table(path: Path = TABLE) -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads(path.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def longest_first(nodeids: list[str], table: dict[str, float]) -> list[int]:
    """Indices of `nodeids` with files ordered by recorded seconds, longest
    first; tests keep their order within a file, unknown files come last."""
    first_seen: dict[str, int] = {}
    for i, nodeid in enumerate(nodeids):
        first_seen.setdefault(nodeid.split("::", 1)[0], i)

    def key(i: int) -> tuple[float, int, int]:
        path = nodeids[i].split("::", 1)[0]
        return (-table.get(path, 0.0), first_seen[path], i)

    return sorted(range(len(nodeids)), key=key)


if __name__ == "__main__":
    TABLE.write_text(json.dumps(file_seconds(Path(sys.argv[1]).read_text()), indent=0) + "\n")
