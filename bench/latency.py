"""Publication-to-alert latency with the daemon polling many outlets.

    python bench/latency.py [--minutes 15] [--outlets 100] [--articles N]

A loopback newsroom (`bench/outlets.py`: one address per outlet; feeds,
news sitemaps and section pages 3:1:1) publishes about 300 articles over
15 minutes on a random schedule, texts from `newsreplay.py synth`, some of
them alerting. `compoundwatch init` and one `crawl` store each outlet's
backlog; then `compoundwatch run` runs for the given wall time with an
aiosmtpd sink on loopback. Printed: p50/p95 of appearance in the outlet's
feed/sitemap/listing -> alert email accepted (alerting articles) and ->
stored (the others); the daemon's CPU over the run, all its processes
counted (it runs under this process as a child subreaper, so every
descendant's CPU is reaped into ours); polls per outlet against robots.txt
Crawl-delay, Cache-Control max-age and the configured per-host delay.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.latency_report import Sink, cpu_children, politeness, report  # noqa: E402
from bench.measure import machine_load, reproduce_command  # noqa: E402
from bench.outlets import Newsroom, plan, shift_schedule  # noqa: E402
from bench.site import BenchError, run_tool  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36
DOWNLOAD_DELAY = 0.5


def config_text(work: Path, room: Newsroom, smtp_port: int, seed: Path, every: str,
                spacing: str) -> str:
    sources = "".join(
        f'\n[[sources]]\nname = "outlet{o.index:03d}"\nurl = "{room.base(o)}{o.source_path()}"\n'
        f'kind = "{o.kind}"\nevery = "{every}"\n' for o in room.outlets)
    return (f'[store]\nurl = "sqlite:///{work}/cw.db"\n'
            f'[seed]\narticles = ["{seed}"]\n'
            f"[crawl]\nallow_private_addresses = true\ndownload_delay = {DOWNLOAD_DELAY}\n"
            "extraction_workers = 1\n"
            f'[email]\nhost = "127.0.0.1"\nport = {smtp_port}\nsender = "cw@example.org"\n'
            'recipients = ["desk@example.org"]\ntimeout_seconds = 10.0\n'
            '[daemon]\njitter_seconds = 5.0\nmin_poll_interval = "30s"\n'
            f'fetch_spacing = "{spacing}"\n' + sources)


def cli(config: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


def reap_orphans(seconds: float = 15.0) -> None:
    """Wait for the descendants re-parented to us (forkservers, workers)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)


def run_daemon(config: Path, log: Path, seconds: float) -> tuple[float, int]:
    """`compoundwatch run` for `seconds`, then SIGTERM; (CPU seconds of its tree, status)."""
    before = cpu_children()
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "crawler", "--config", str(config), "run"],
                                stdout=subprocess.DEVNULL, stderr=err, cwd=REPO)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1.0)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        status = proc.wait(timeout=60)
    reap_orphans()
    return cpu_children() - before, status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=15.0, help="daemon wall time (15)")
    ap.add_argument("--outlets", type=int, default=100, help="outlets (100)")
    ap.add_argument("--articles", type=int, default=0,
                    help="articles published during the run (0: 20 a minute)")
    ap.add_argument("--backlog", type=int, default=3, help="articles per outlet before (3)")
    ap.add_argument("--every", default="4m", help="sources' `every`, the poll ceiling (4m)")
    ap.add_argument("--spacing", default="20s", help="daemon.fetch_spacing (20s, the default)")
    ap.add_argument("--seed", type=int, default=19, help="random seed (19)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    seconds = args.minutes * 60.0
    scheduled = args.articles or round(20 * args.minutes)
    command = reproduce_command(__file__)
    load_start = machine_load()
    work = Path(tempfile.mkdtemp(prefix="cw-latency-"))
    rng = random.Random(args.seed)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    sink = Sink().start()
    room: Newsroom | None = None
    try:
        run_tool("synth", "--articles", str(scheduled + args.backlog * args.outlets + 50),
                 "--out", str(work / "corpus"), "--seed", str(args.seed))
        corpus = json.loads((work / "corpus" / "corpus.json").read_text())["articles"]
        seed = work / "seed.json"
        seed.write_text(json.dumps(next(a for a in corpus if a.get("phase") == 0)))
        # Publishing starts once the backlog is stored: the schedule moves then.
        now = time.time()
        start_guess = now + 3600
        outlets = plan(corpus, args.outlets, now, start_guess,
                       seconds * 0.75 if args.minutes < 10 else seconds - 300.0,
                       scheduled, args.backlog, rng)
        room = Newsroom(outlets)
        room.start()
        config = work / "config.toml"
        config.write_text(config_text(work, room, sink.port, seed, args.every, args.spacing))
        for step in (("init",), ("crawl",)):
            done = cli(config, *step)
            if done.returncode != 0:
                raise BenchError(f"{step[0]} failed: {done.stderr[-2000:]}")
        shift_schedule(outlets, now, time.time() - start_guess)
        room.reset_log()
        sink.reset()
        started = time.time()
        cpu, status = run_daemon(config, work / "daemon.log", seconds)
        wall = time.time() - started
        (work / "hits.jsonl").write_text("".join(
            json.dumps(vars(h)) + "\n" for h in room.hits))
        report(command, load_start, args, work, room, sink, started, wall, cpu, status,
               politeness(room, DOWNLOAD_DELAY))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        sink.stop()
        if room is not None:
            room.stop()
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
