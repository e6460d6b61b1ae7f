"""`compoundwatch digest --print | --out FILE | --send`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.cli import main
from store.db import make_engine, session_scope, upgrade
from tests.delivery import digest_story as ds


def _setup(tmp_path: Path, port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        'store.url = "sqlite:///cw.db"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nsender = "watch@example.org"\n'
        'recipients = ["desk@example.org"]\n'
        '[digest]\nat = "07:00"\ntimezone = "Asia/Phnom_Penh"\n', encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'cw.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        ds.busy_day(session)
    engine.dispose()
    return config


def test_digest_print_shows_the_text_part_and_out_writes_the_html(tmp_path: Path, smtp) -> None:
    config = _setup(tmp_path, smtp.port)
    runner = CliRunner()
    printed = runner.invoke(main, ["--config", str(config), "digest", "--date", "2022-10-11",
                                   "--print"])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("compoundwatch daily digest, 11 Oct 2022: 1 figure changed")
    assert "NEW COVERAGE" in printed.stdout and "<" not in printed.stdout.split("\n", 1)[1][:50]
    out = tmp_path / "digest.html"
    wrote = runner.invoke(main, ["--config", str(config), "digest", "--date", "2022-10-11",
                                 "--out", str(out)])
    assert wrote.exit_code == 0, wrote.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert smtp.received == []  # neither sends


def test_digest_send_sends_once_and_a_second_send_says_it_was_sent(tmp_path: Path, smtp) -> None:
    config = _setup(tmp_path, smtp.port)
    runner = CliRunner()
    args = ["--config", str(config), "digest", "--date", "2022-10-11", "--send"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, args)
    assert second.exit_code == 0
    assert "already sent" in second.stderr
    assert len(smtp.received) == 1


def test_digest_send_with_the_server_down_fails_and_keeps_it_queued(tmp_path: Path) -> None:
    from tests.delivery.smtpd import free_port

    config = _setup(tmp_path, free_port())
    result = CliRunner().invoke(main, ["--config", str(config), "digest", "--date",
                                       "2022-10-11", "--send"])
    assert result.exit_code == 1
    assert "stays in the outbox" in result.stderr and "cannot connect" in result.stderr


def test_digest_needs_exactly_one_of_print_out_or_send(tmp_path: Path) -> None:
    config = _setup(tmp_path, 25)
    result = CliRunner().invoke(main, ["--config", str(config), "digest"])
    assert result.exit_code == 2
    assert "choose one of --print, --out FILE or --send" in result.stderr
