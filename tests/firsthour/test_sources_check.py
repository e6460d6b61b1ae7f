"""`sources check`: one plain line per source, nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.servers.loopback import QuietHandler, serve

FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>One</title><link>http://h/one-two-three-four</link>"
        b"<pubDate>Mon, 10 Oct 2022 02:00:00 GMT</pubDate></item>"
        b"<item><title>Two</title><link>http://h/five-six-seven-eight</link>"
        b"<pubDate>Tue, 11 Oct 2022 03:30:00 GMT</pubDate></item></channel></rss>")


class _Site(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body, ctype, status = {
            "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain", 200),
            "/feed.xml": (FEED, "application/rss+xml", 200),
            "/private/feed.xml": (FEED, "application/rss+xml", 200),
        }.get(self.path, (b"gone", "text/plain", 404))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    with serve(_Site) as base:
        yield base


def test_each_source_gets_one_line_and_nothing_is_stored(tmp_path: Path, site: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[store]\nurl = "sqlite:///cw.db"\n[crawl]\nallow_private_addresses = true\n'
        '[digest]\ntimezone = "Asia/Phnom_Penh"\n'
        f'[[sources]]\nname = "good"\nurl = "{site}/feed.xml"\nkind = "auto"\n'
        f'[[sources]]\nname = "barred"\nurl = "{site}/private/feed.xml"\nkind = "feed"\n'
        f'[[sources]]\nname = "missing"\nurl = "{site}/old.xml"\nkind = "feed"\n'
        '[[sources]]\nname = "nowhere"\nurl = "http://no-such-outlet.invalid/feed"\n'
        'kind = "feed"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "sources", "check"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert lines["good"] == ("reachable, feed, 2 entries, newest 2022-10-11 10:30, "
                             "robots.txt: allowed")
    assert "disallowed by robots.txt" in lines["barred"]
    assert lines["missing"].startswith("reachable") and "HTTP 404" in lines["missing"]
    assert lines["nowhere"] == ("NOT reachable: cannot find no-such-outlet.invalid: the name "
                                "does not resolve (DNS)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # nothing stored
