"""`unshare -n -m python -m tests.robustness.netns_case DIR`: crawls that need
addresses and a DNS server of their own, inside a fresh network namespace
(only `lo`, nothing can leave it) with its own /etc/resolv.conf.

In the namespace: 169.254.169.254 is added to `lo` with a listener on port
80 that counts connections (a stand-in metadata service); a DNS stub on
127.0.0.1:53 answers `rebind.test` with a public address first and 127.0.0.1
afterwards (DNS rebinding), and `metadata.test` with 169.254.169.254; a
hostile site on 127.0.0.1 logs every request. Two passes run (private
addresses refused, then allowed) and everything seen is printed as JSON.
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from tests.crawler.conftest import make_config
from tests.daemon.helpers import cli
from tests.robustness.harness import run_measured, sources_toml
from tests.servers.hostile_site import serve_hostile_site

PUBLIC_FIRST = "93.184.216.34"  # never reachable from the namespace
METADATA = "169.254.169.254"
METADATA_SPELLINGS = ("2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518")


class DnsStub:
    """A UDP DNS server with scripted A answers; counts the A queries per name."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.queries: dict[str, int] = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 53))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            data, peer = self.sock.recvfrom(512)
            try:
                self.sock.sendto(self._answer(data), peer)
            except (IndexError, struct.error, UnicodeDecodeError):
                continue

    def _answer(self, query: bytes) -> bytes:
        qid = query[:2]
        labels, at = [], 12
        while query[at]:
            labels.append(query[at + 1:at + 1 + query[at]].decode("ascii"))
            at += 1 + query[at]
        qtype = struct.unpack("!H", query[at + 1:at + 3])[0]
        question = query[12:at + 5]
        name = ".".join(labels).lower()
        answer = b""
        script = self.answers.get(name)
        if script is not None and qtype == 1:  # A
            n = self.queries.get(name, 0)
            self.queries[name] = n + 1
            address = script[min(n, len(script) - 1)]
            answer = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 0, 4)
                      + socket.inet_aton(address))
        rcode = 0 if script is not None else 3  # NXDOMAIN for names not scripted
        flags = 0x8180 | rcode
        return qid + struct.pack("!HHHHH", flags, 1, 1 if answer else 0, 0, 0) + question + answer


class Listener:
    """Counts TCP connections to an address (the stand-in metadata service)."""

    def __init__(self, host: str, port: int) -> None:
        self.accepted = 0
        self.sock = socket.create_server((host, port))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            conn, _ = self.sock.accept()
            self.accepted += 1
            conn.close()


def _setup_namespace(tmp: Path) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{METADATA}/32", "dev", "lo"], check=True)
    resolv = tmp / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions attempts:1 timeout:1\n")
    subprocess.run(["mount", "--bind", str(resolv), "/etc/resolv.conf"], check=True)


def _crawl(config: Path) -> dict[str, Any]:
    run = run_measured([sys.executable, "-m", "tests.crawler.crawl_entry", str(config)],
                       timeout=240)
    status = cli(config, "status", "--json")
    rows = [json.loads(line) for line in status.stdout.splitlines() if line.strip()]
    return {"returncode": run.returncode, "stderr": run.stderr[-2000:],
            "summaries": {r["source"]: r for r in map(json.loads, run.stdout.splitlines())},
            "status": {r["name"]: r for r in rows if r.get("record") == "source"},
            "seconds": run.seconds}


def main(tmp: Path) -> None:
    _setup_namespace(tmp)
    dns = DnsStub({"rebind.test": [PUBLIC_FIRST, "127.0.0.1"],
                   "metadata.test": [METADATA]})
    metadata = Listener(METADATA, 80)
    with serve_hostile_site("127.0.0.1") as site:
        port = site.base.rsplit(":", 1)[1]
        out: dict[str, Any] = {"site": site.base}
        closed = make_config(tmp / "closed", None, sources_toml([  # type: ignore[arg-type]
            ("rebind", f"http://rebind.test:{port}/outlet-feed.xml", "feed")]),
            allow_private_addresses=False, retries=0, timeout_seconds=5.0,
            crawl_timeout_seconds=300.0)
        out["closed"] = _crawl(closed)
        out["rebind_hits"] = dict(site.hits)
        site.hits.clear()
        spellings = [(f"meta-{h}", f"http://{h}/latest/meta-data/", "page")
                     for h in METADATA_SPELLINGS]
        opened = make_config(tmp / "open", None, sources_toml([  # type: ignore[arg-type]
            *spellings, ("meta-name", "http://metadata.test/latest/meta-data/", "page"),
            ("loopback", f"{site.base}/outlet-feed.xml", "feed")]),
            allow_private_addresses=True, retries=0, timeout_seconds=5.0,
            extraction_timeout_seconds=90.0, crawl_timeout_seconds=300.0)
        out["open"] = _crawl(opened)
        out["open_hits"] = dict(site.hits)
    out["metadata_connections"] = metadata.accepted
    out["dns_queries"] = dns.queries
    print(json.dumps(out))


if __name__ == "__main__":
    root = Path(sys.argv[1])
    (root / "closed").mkdir(parents=True, exist_ok=True)
    (root / "open").mkdir(parents=True, exist_ok=True)
    main(root)
