"""A synthetic news web on disk, served by nginx on loopback, for the benchmarks.

`newsreplay.py synth` writes a corpus and `render` writes every page of a
phase as static files plus a manifest. This module adds what nginx needs to
serve them as newsreplay would (file mtimes = the pages' Last-Modified, so
nginx's ETag and Last-Modified stay the same for unchanged pages across
phases; the outlets' own content types; listing pages by `?page=`), and one
archive sitemap per outlet: the synthetic feeds carry only the latest 20
entries and the news sitemap two days, so without an archive sitemap a
single pass could not reach thousands of articles (only the portal's listing
pagination goes deep).

nginx (Debian's package) is started with its own config file on free
loopback ports and stopped by `NginxSite.stop()`; its access log is what the
benchmarks count requests with, so the crawler's own numbers are checked.
"""

from __future__ import annotations

import email.utils
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# ../shared and its tools are found as the tests find them.
from tests.support import NEWSREPLAY, toml_sources

OUTLETS = ("wire", "daily", "monitor", "portal", "zhdaily")
ARCHIVE = "/bench-archive.xml"
ARCHIVE_CHUNK = 500


class BenchError(Exception):
    """The benchmark cannot run; the message says what to install or change."""


def find_nginx() -> str:
    for path in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if path and os.access(path, os.X_OK):
            return path
    raise BenchError("nginx is not installed: the benchmark serves its pages with it "
                     "(Debian: `apt-get install nginx`).")


def free_port_block(count: int, start: int = 20000, stop: int = 60000) -> int:
    """The first port of `count` consecutive free loopback ports."""
    port = start
    while port + count < stop:
        socks = []
        try:
            for p in range(port, port + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return port
        except OSError:
            port += count + 7
        finally:
            for s in socks:
                s.close()
    raise BenchError("no block of free loopback ports found")


def run_tool(*args: str) -> None:
    """newsreplay.py with `args`; its output kept quiet unless it fails."""
    proc = subprocess.run([sys.executable, str(NEWSREPLAY), *args], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"newsreplay {args[0]} failed: {proc.stderr[-2000:]}")


@dataclass
class Rendered:
    """One rendered phase: its folder, manifest, and article URLs by outlet."""

    root: Path
    manifest: dict
    articles: dict[str, str] = field(default_factory=dict)  # url -> outlet

    @property
    def layout(self) -> dict[str, str]:
        return self.manifest["layout"]

    def file_of(self) -> dict[str, dict]:
        return {f["url"]: f for f in self.manifest["files"]}


def render_phase(corpus: Path, phase: int, out: Path, port: int) -> Rendered:
    """Render `phase` into `out`, add archive sitemaps, set mtimes from Last-Modified."""
    run_tool("render", str(corpus), "--phase", str(phase), "--out", str(out),
             "--addr-mode", "ports", "--port", str(port))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {f["url"]: f for f in manifest["files"]}
    rendered = Rendered(out, manifest)
    for record in manifest["urls"]:
        if record["url"] in files:
            rendered.articles[record["url"]] = record["outlet"]
    for f in manifest["files"]:
        _set_mtime(out / f["file"], f["last_modified"])
    _write_archives(rendered, files)
    return rendered


def _set_mtime(path: Path, http_date: str) -> None:
    stamp = email.utils.parsedate_to_datetime(http_date).timestamp()
    os.utime(path, (stamp, stamp))


def _write_archives(rendered: Rendered, files: dict[str, dict]) -> None:
    """A sitemap index per outlet (not portal) over chunks of every article page."""
    by_outlet: dict[str, list[str]] = {}
    for url, outlet in rendered.articles.items():
        by_outlet.setdefault(outlet, []).append(url)
    for outlet, base in rendered.layout.items():
        if outlet == "portal":
            continue
        urls = sorted(by_outlet.get(outlet, []))
        chunks = [urls[i:i + ARCHIVE_CHUNK] for i in range(0, len(urls), ARCHIVE_CHUNK)]
        index = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        newest_all = 0.0
        for n, chunk in enumerate(chunks):
            lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
            newest = 0.0
            for url in chunk:
                when = email.utils.parsedate_to_datetime(files[url]["last_modified"])
                newest = max(newest, when.timestamp())
                lines.append(f"<url><loc>{url}</loc><lastmod>{when.isoformat()}</lastmod></url>")
            lines.append("</urlset>")
            name = f"bench-archive-{n}.xml"
            path = rendered.root / outlet / name
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.utime(path, (newest, newest))
            newest_all = max(newest_all, newest)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(newest))
            index.append(f"<sitemap><loc>{base}/{name}</loc><lastmod>{stamp}</lastmod></sitemap>")
        index.append("</sitemapindex>")
        path = rendered.root / outlet / ARCHIVE.lstrip("/")
        path.write_text("\n".join(index) + "\n", encoding="utf-8")
        os.utime(path, (newest_all, newest_all))


def _server_block(outlet: str, port: int, rendered: Rendered, live: Path) -> str:
    html_type = next((f["content_type"] for f in rendered.manifest["files"]
                      if f["outlet"] == outlet and f["file"].endswith(".html")),
                     "text/html; charset=utf-8")
    exact = []
    for f in rendered.manifest["files"]:
        if f["outlet"] != outlet or f["file"].endswith(".html"):
            continue
        target = urlsplit(f["url"]).path
        exact.append(f'    location = {target} {{ default_type "{f["content_type"]}"; '
                     f"try_files {target}index.xml {target} =404; }}")
    exact.append('    location ~ ^/bench-archive[-0-9]*\\.xml$ { default_type '
                 '"application/xml; charset=utf-8"; }')
    return f"""
  server {{
    listen 127.0.0.1:{port};
    root {live}/{outlet};
    types {{ }}
    default_type "{html_type}";
{chr(10).join(exact)}
    location / {{
      try_files ${{uri}}index__page-${{arg_page}}.html ${{uri}}index.html $uri $uri.html =404;
    }}
  }}"""


@dataclass
class NginxSite:
    """nginx serving `live` (a symlink to the current phase's folder) on loopback."""

    work: Path
    port: int
    live: Path
    process: subprocess.Popen[bytes] | None = None
    log_offset: int = 0

    @property
    def access_log(self) -> Path:
        return self.work / "access.log"

    def start(self, rendered: Rendered) -> None:
        nginx = find_nginx()
        self.show(rendered)
        temp = self.work / "nginx-temp"
        temp.mkdir(exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""
        servers = "".join(_server_block(o, self.port + i, rendered, self.live)
                          for i, o in enumerate(OUTLETS))
        conf = self.work / "nginx.conf"
        conf.write_text(f"""{user}
worker_processes 1;
daemon off;
pid {self.work}/nginx.pid;
error_log {self.work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format bench '$status $request_method $request_uri $body_bytes_sent';
  access_log {self.access_log} bench;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi; uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  sendfile on;
  keepalive_timeout 65;
  server_tokens off;
{servers}
}}
""", encoding="utf-8")
        self.process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.work)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr \
                    else ""
                raise BenchError(f"nginx did not start: {err[-1500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port + len(OUTLETS) - 1), 0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise BenchError("nginx did not start listening within 10 s")

    def show(self, rendered: Rendered) -> None:
        """Serve `rendered` from now on (an atomic symlink swap: no restart)."""
        tmp = self.live.with_name(self.live.name + ".new")
        if tmp.is_symlink():
            tmp.unlink()
        tmp.symlink_to(rendered.root)
        tmp.replace(self.live)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def mark(self) -> None:
        """Count requests from here on (see `requests_since_mark`)."""
        self.log_offset = self.access_log.stat().st_size if self.access_log.exists() else 0

    def requests_since_mark(self, rendered: Rendered) -> Requests:
        # nginx writes its log line when the response is done; a crawl has ended by now.
        with self.access_log.open("rb") as fh:
            fh.seek(self.log_offset)
            lines = fh.read().decode("utf-8", errors="replace").splitlines()
        paths = {_path(u) for u in rendered.articles}
        out = Requests()
        for line in lines:
            parts = line.split(" ")
            if len(parts) < 4:
                continue
            status, uri = parts[0], parts[2]
            if uri in paths:
                out.articles[status] += 1
                out.article_paths.setdefault(uri, 0)
                out.article_paths[uri] += 1
            elif uri == "/robots.txt":
                out.robots[status] += 1
            else:
                out.discovery[status] += 1
        return out


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Requests:
    """Requests nginx answered, by kind and status."""

    articles: Counter[str] = field(default_factory=Counter)
    discovery: Counter[str] = field(default_factory=Counter)
    robots: Counter[str] = field(default_factory=Counter)
    article_paths: dict[str, int] = field(default_factory=dict)


def sources_toml(layout: dict[str, str]) -> str:
    """Every discovery route the synthetic web has: feeds, the monitor's robots.txt
    (sitemap index, news sitemap), the portal's listing pagination, and the
    archive sitemaps."""
    entries = [
        ("wire-feed", layout["wire"] + "/feed/", "feed"),
        ("daily-atom", layout["daily"] + "/atom.xml", "feed"),
        ("zhdaily-rss", layout["zhdaily"] + "/rss.xml", "feed"),
        ("monitor-robots", layout["monitor"] + "/robots.txt", "sitemap"),
        ("portal-listing", layout["portal"] + "/category/cambodia/", "listing"),
    ]
    entries += [(f"{o}-archive", layout[o] + ARCHIVE, "sitemap")
                for o in OUTLETS if o != "portal"]
    return toml_sources(entries)
