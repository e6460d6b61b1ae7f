"""Wall time, CPU and peak memory of the offline demo (`compoundwatch demo`).

    python bench/demo_time.py [--runs 3]

Each run gets a fresh output folder; printed: one row per run, then one
`key=value` line with the median wall time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.measure import machine_load, print_table, reproduce_command, run_measured  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="demo runs (3)")
    args = ap.parse_args()
    load = machine_load()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOUNDWATCH_")}
    rows, walls = [], []
    for i in range(args.runs):
        out = Path(tempfile.mkdtemp(prefix="cw-demo-"))
        try:
            run = run_measured([sys.executable, "-m", "crawler", "demo", "--out", str(out / "o")],
                               cwd=str(REPO), env=env)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        if run.returncode != 0:
            print(f"error: the demo failed:\n{run.stderr[-2000:]}", file=sys.stderr)
            return 1
        walls.append(run.wall)
        rows.append((f"run {i + 1}", f"{run.wall:.1f}", f"{run.cpu:.1f}",
                     f"{run.memory.peak_rss_mib:.0f}"))
    print(f"compoundwatch demo, {args.runs} run(s); {load}")
    print_table(("run", "wall s", "CPU s", "peak RSS MiB"), rows)
    print(f"\nreproduce: {reproduce_command(__file__)}")
    print(f"demo_wall_s={statistics.median(walls):.1f} runs={args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
