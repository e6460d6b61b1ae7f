"""DNS rebinding and cloud-metadata spellings, end to end, in a network
namespace of their own (tests/robustness/netns_case.py): nothing can leave
it, 169.254.169.254 is a listener on its `lo`, and its DNS server is a stub
on 127.0.0.1 that answers a public address first and 127.0.0.1 after.

Needs root (CI runs as root) for `unshare -n -m`; without it the module
reports itself skipped with that reason, never passed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.robustness.netns_case import METADATA_SPELLINGS
from tests.support import REPO

# Two crawls of a few seconds each, in a subprocess: CI and --run-slow.
pytestmark = [pytest.mark.slow, pytest.mark.subprocess]


def _can_unshare() -> str | None:
    if os.geteuid() != 0:
        return "needs root for a network namespace (unshare -n -m)"
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "needs unshare (util-linux) and ip (iproute2)"
    probe = subprocess.run(["unshare", "-n", "-m", "true"], capture_output=True, check=False)
    return None if probe.returncode == 0 else "unshare -n -m is not permitted here"


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    why = _can_unshare()
    if why:
        pytest.skip(why)
    tmp = tmp_path_factory.mktemp("netns")
    proc = subprocess.run(["unshare", "-n", "-m", sys.executable, "-m",
                           "tests.robustness.netns_case", str(tmp)],
                          capture_output=True, text=True, timeout=600, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    print(f"FIGURES netns: closed {out['closed']['seconds']:.1f}s, open "
          f"{out['open']['seconds']:.1f}s, metadata connections={out['metadata_connections']},"
          f" dns={out['dns_queries']}, rebind hits={out['rebind_hits']}")
    yield out


def test_a_name_rebound_to_loopback_after_the_check_is_never_connected_to(
        seen: dict[str, Any]) -> None:
    closed = seen["closed"]
    assert closed["returncode"] == 0, closed["stderr"]
    row = closed["summaries"]["rebind"]
    # The stub answered public first and 127.0.0.1 after: the server on
    # 127.0.0.1 must never have been sent a request (robots.txt included).
    assert seen["dns_queries"]["rebind.test"] >= 2
    assert seen["rebind_hits"] == {}, seen["rebind_hits"]
    assert row["new"] == 0 and row["error"] and "refused" in row["error"], row
    assert "127.0.0.1" in row["error"], row
    status = closed["status"]["rebind"]
    assert status["health"] == "failing" and status["last_error"] == row["error"]


def test_metadata_addresses_in_every_spelling_are_refused_with_private_allowed(
        seen: dict[str, Any]) -> None:
    opened = seen["open"]
    assert opened["returncode"] == 0, opened["stderr"]
    assert seen["metadata_connections"] == 0
    for host in (*METADATA_SPELLINGS, "name"):
        row = opened["summaries"][f"meta-{host}"]
        assert row["new"] == 0 and row["error"], row
        assert "metadata" in row["error"] and "169.254.169.254" in row["error"], row
        assert opened["status"][f"meta-{host}"]["health"] == "failing"
    # Private addresses are allowed in this pass: loopback itself is crawled.
    loopback = opened["summaries"]["loopback"]
    assert loopback["error"] is None and loopback["new"] == 1, loopback
    assert seen["dns_queries"].get("metadata.test", 0) >= 1
