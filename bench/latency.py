"""Publication-to-alert latency with the daemon polling many outlets.

    python bench/latency.py [--minutes 15] [--outlets 100] [--articles N]
    python bench/latency.py --workers 2 [--every 1m]   # coordinator + 2 workers

With `--workers N` the store is a fresh PostgreSQL database (127.0.0.1:5432,
dropped afterwards) and the crawl runs as `run --role coordinator` plus N
`worker` processes on Redis (127.0.0.1:6379, a key prefix of its own): the
coordinator queues each source's pass every `every` and analyses what the
workers store within `cluster.analyse_every`.

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
import contextlib
import ctypes
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.latency_report import Sink, cpu_children, politeness, report  # noqa: E402
from bench.measure import machine_load, reproduce_command  # noqa: E402
from bench.outlets import Newsroom, plan, shift_schedule  # noqa: E402
from bench.site import BenchError, run_tool  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36
REDIS_URL = "redis://127.0.0.1:6379/0"
DOWNLOAD_DELAY = 0.5


def config_text(work: Path, room: Newsroom, smtp_port: int, seed: Path, every: str,
                spacing: str, store_url: str) -> str:
    sources = "".join(
        f'\n[[sources]]\nname = "outlet{o.index:03d}"\nurl = "{room.base(o)}{o.source_path()}"\n'
        f'kind = "{o.kind}"\nevery = "{every}"\n' for o in room.outlets)
    return (f'[store]\nurl = "{store_url}"\n'
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


def cluster_text(prefix: str) -> str:
    """The [cluster] table (last in the file: TOML allows it)."""
    return (f'\n[cluster]\nredis_url = "{REDIS_URL}"\nkey_prefix = "{prefix}"\n'
            'claim_timeout_seconds = 30.0\nanalyse_every = "20s"\n')


def daemon_commands(workers: int) -> list[tuple[str, list[str]]]:
    """(log name, arguments) of each process: one daemon, or a coordinator and workers."""
    if workers == 0:
        return [("daemon", ["run"])]
    return [("coordinator", ["run", "--role", "coordinator"]),
            *[(f"worker{i}", ["worker", "--id", f"bench-w{i}"]) for i in range(workers)]]


def run_daemon(config: Path, work: Path, seconds: float, workers: int) -> tuple[float, int]:
    """The daemon (or coordinator and workers) for `seconds`, then SIGTERM;
    (CPU seconds of every process of theirs, the first non-zero exit status)."""
    before = cpu_children()
    procs = []
    for name, args in daemon_commands(workers):
        err = (work / f"{name}.log").open("wb")
        procs.append((subprocess.Popen([sys.executable, "-m", "crawler", "--config", str(config),
                                        *args], stdout=subprocess.DEVNULL, stderr=err, cwd=REPO),
                      err))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and all(p.poll() is None for p, _ in procs):
        time.sleep(1.0)
    statuses = []
    for proc, _ in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc, err in procs:
        statuses.append(proc.wait(timeout=90))
        err.close()
    reap_orphans()
    return cpu_children() - before, next((s for s in statuses if s), 0)


@contextlib.contextmanager
def store_for(work: Path, workers: int) -> Iterator[str]:
    """SQLite in the work folder, or a fresh PostgreSQL database for a cluster."""
    if workers == 0:
        yield f"sqlite:///{work}/cw.db"
        return
    from tests.support import postgres_database

    with postgres_database() as url:
        yield url


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
    ap.add_argument("--workers", type=int, default=0,
                    help="crawl workers on Redis beside a coordinator (0: one daemon)")
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
    stack = contextlib.ExitStack()
    try:
        store_url = stack.enter_context(store_for(work, args.workers))
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
        config.write_text(config_text(work, room, sink.port, seed, args.every, args.spacing,
                                      store_url)
                          + (cluster_text(f"cw-bench-{uuid.uuid4().hex[:8]}")
                             if args.workers else ""))
        for step in (("init",), ("crawl",)):
            done = cli(config, *step)
            if done.returncode != 0:
                raise BenchError(f"{step[0]} failed: {done.stderr[-2000:]}")
        shift_schedule(outlets, now, time.time() - start_guess)
        room.reset_log()
        sink.reset()
        started = time.time()
        cpu, status = run_daemon(config, work, seconds, args.workers)
        wall = time.time() - started
        (work / "hits.jsonl").write_text("".join(
            json.dumps(vars(h)) + "\n" for h in room.hits))
        report(command, load_start, args, store_url, room, sink, started, wall, cpu, status,
               politeness(room, DOWNLOAD_DELAY))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.close()
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
