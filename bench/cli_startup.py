"""How long `compoundwatch --help` and `compoundwatch CMD --help` take.

    python bench/cli_startup.py [--runs 10] [--root DIR]

Starts `python -m crawler [CMD] --help` as a fresh process `--runs` times
per command (from the repository root, or from `--root`, another checkout,
to compare a tree before a change) and prints the median wall and CPU
seconds (the child's user + system time) of each, then one `key=value`
line. The target is under 0.5 s; CPU is the figure to trust on a loaded
machine, where wall time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = ((), ("crawl",), ("sources", "add"), ("run",), ("seed", "add"), ("digest",),
            ("serve",))
TARGET_SECONDS = 0.5


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(root: Path, command: tuple[str, ...]) -> tuple[float, float]:
    """(wall, CPU) seconds of one `python -m crawler COMMAND --help`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    cpu_before, started = children_cpu(), time.monotonic()
    subprocess.run([sys.executable, "-m", "crawler", *command, "--help"], cwd=root, env=env,
                   stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - started, children_cpu() - cpu_before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--root", type=Path, default=REPO,
                        help="The checkout whose CLI is timed (default: this one).")
    args = parser.parse_args()
    root = args.root.resolve()
    print(f"python bench/cli_startup.py --runs {args.runs} --root {root}")
    print(f"{'command':<32} {'wall (median)':>14} {'cpu (median)':>13}")
    worst_wall = worst_cpu = 0.0
    for command in COMMANDS:
        runs = [one_run(root, command) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        worst_wall, worst_cpu = max(worst_wall, wall), max(worst_cpu, cpu)
        label = " ".join(("compoundwatch", *command, "--help"))
        print(f"{label:<32} {wall:>12.3f} s {cpu:>11.3f} s")
    load = os.getloadavg()[0]
    print(f"worst_wall_s={worst_wall:.3f} worst_cpu_s={worst_cpu:.3f} "
          f"target_s={TARGET_SECONDS} load1={load:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
