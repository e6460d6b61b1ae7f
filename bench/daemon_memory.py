"""Resident memory of `compoundwatch run` over many crawl cycles.

Runs the daemon against a small static news site on loopback (served by this
script: a feed that gains an article every few seconds, and its pages) with
short intervals, counts finished crawls in its log, and prints the parent's
resident memory (psutil) at the start, at cycle 50 and at the end, as a
table, then one `key=value` line.

    python bench/daemon_memory.py                 # 500 cycles (about 15-25 min on 2 cores)
    python bench/daemon_memory.py --cycles 120    # a quicker look
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.measure import reproduce_command  # noqa: E402

ARTICLE = """<!doctype html><html><head><title>Bench story {n}</title>
<meta property="article:published_time" content="2026-01-01T00:{m:02d}:00+00:00"></head>
<body><article><h1>Bench story {n}</h1>
<p>This is paragraph one of synthetic story number {n}, written for the memory benchmark.
It talks about nothing in particular so that extraction has some text to chew on.</p>
<p>A second paragraph adds more words, because an extractor rejects pages that are too
short to be an article, and the benchmark wants each page stored like a real one.</p>
<p>The third paragraph closes story {n} with a sentence or two of filler text.</p>
</article></body></html>
"""


class Site:
    """A static feed plus article pages in a folder, growing one article at a time."""

    def __init__(self, root: Path, feeds: int) -> None:
        self.root = root
        self.feeds = feeds
        self.count = 0

    def grow(self) -> None:
        self.count += 1
        n = self.count
        (self.root / f"a{n}.html").write_text(ARTICLE.format(n=n, m=n % 60))
        for f in range(self.feeds):
            items = "".join(
                f"<item><title>Bench story {k}</title><link>{{base}}/a{k}.html</link>"
                f"<guid>{{base}}/a{k}.html</guid></item>"
                for k in range(max(1, n - 9 + f), n + 1)
            )
            (self.root / f"feed{f}.tmpl").write_text(
                '<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
                f"<link>{{base}}/</link><description>bench</description>{items}</channel></rss>"
            )

    def render(self, base: str) -> None:
        for f in range(self.feeds):
            text = (self.root / f"feed{f}.tmpl").read_text().replace("{base}", base)
            tmp = self.root / f"feed{f}.xml.tmp"
            tmp.write_text(text)
            tmp.replace(self.root / f"feed{f}.xml")


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


def rss_mib(proc: psutil.Process) -> tuple[float, float]:
    """(parent, children) resident memory in MiB."""
    try:
        parent = proc.memory_info().rss
        kids = sum(c.memory_info().rss for c in proc.children(recursive=True))
    except psutil.Error:
        return 0.0, 0.0
    return parent / 2**20, kids / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=500, help="crawl cycles to run (default 500)")
    ap.add_argument("--sources", type=int, default=4, help="feeds watched (default 4)")
    ap.add_argument("--every", default="1s", help="interval of each source (default 1s)")
    ap.add_argument("--workers", type=int, default=2, help="daemon.crawl_workers (default 2)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    site_dir = work / "site"
    site_dir.mkdir()
    site = Site(site_dir, args.sources)
    site.grow()
    server, base = serve(site_dir)
    site.render(base)
    sources = "".join(
        f'\n[[sources]]\nname = "feed{f}"\nurl = "{base}/feed{f}.xml"\nkind = "feed"\n'
        f'every = "{args.every}"\n' for f in range(args.sources)
    )
    config = work / "config.toml"
    config.write_text(
        '[store]\nurl = "sqlite:///bench.db"\n'
        "[crawl]\nallow_private_addresses = true\nobey_robots_txt = false\n"
        "download_delay = 0.0\nautothrottle = false\ncrawl_timeout_seconds = 60.0\n"
        "[email]\nenabled = false\n"
        '[daemon]\njitter_seconds = 0.0\noutbox_every = "5s"\nreconcile_every = "10s"\n'
        f"crawl_workers = {args.workers}\nlease_seconds = 30.0\n" + sources
    )
    cmd = [sys.executable, "-m", "crawler", "--config", str(config)]
    subprocess.run(cmd + ["init"], check=True, cwd=REPO, capture_output=True)
    log_path = work / "daemon.log"
    log = log_path.open("wb")
    daemon = subprocess.Popen(cmd + ["run"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=log)
    proc = psutil.Process(daemon.pid)
    rows: list[tuple[str, int, float, float, float]] = []
    started = time.monotonic()
    peak = 0.0
    try:
        while "event=daemon.started" not in log_path.read_text(errors="replace"):
            if daemon.poll() is not None:
                raise SystemExit(f"the daemon exited:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        time.sleep(1.0)
        rows.append(("start", 0, time.monotonic() - started, *rss_mib(proc)))
        last_grow = time.monotonic()
        cycles = 0
        while cycles < args.cycles:
            time.sleep(1.0)
            text = log_path.read_text(errors="replace")
            cycles = text.count("event=crawl.done") + text.count("event=crawl.failed")
            parent, kids = rss_mib(proc)
            peak = max(peak, parent)
            if cycles >= 50 and len(rows) == 1:
                rows.append(("cycle 50", cycles, time.monotonic() - started, parent, kids))
            if time.monotonic() - last_grow > 5:  # new coverage now and then
                site.grow()
                site.render(base)
                last_grow = time.monotonic()
            if daemon.poll() is not None:
                raise SystemExit(f"the daemon exited:\n{text[-2000:]}")
        rows.append(("end", cycles, time.monotonic() - started, *rss_mib(proc)))
    finally:
        daemon.terminate()
        code = daemon.wait(timeout=30)
        log.close()
        server.shutdown()
    text = log_path.read_text(errors="replace")
    failed = text.count("event=crawl.failed")
    print(f"{'point':<10}{'cycles':>8}{'seconds':>10}{'parent RSS MiB':>16}{'children MiB':>14}")
    for name, n, secs, parent, kids in rows:
        print(f"{name:<10}{n:>8}{secs:>10.0f}{parent:>16.1f}{kids:>14.1f}")
    start_rss, end_rss = rows[0][3], rows[-1][3]
    mid_rss = rows[1][3] if len(rows) > 2 else float("nan")
    print(f"reproduce: {reproduce_command(__file__)}")
    print(f"cycles={rows[-1][1]} failed_cycles={failed} articles={site.count} "
          f"rss_start_mib={start_rss:.1f} rss_cycle50_mib={mid_rss:.1f} "
          f"rss_end_mib={end_rss:.1f} rss_peak_mib={peak:.1f} "
          f"growth_after_50_mib={end_rss - mid_rss:.1f} seconds={rows[-1][2]:.0f} "
          f"exit_status={code}")
    if args.keep:
        print(f"work folder: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
