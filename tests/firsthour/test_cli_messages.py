"""Commands that say what to do, run in process with click's CliRunner:
before `init`, without an optional extra, `digest` dates, why mail waits,
`sources add` checks, `seed add` confirmation, `claims remove/mute`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import inspect, select

from alerts.delivery.outbox import enqueue_alerts, send_due
from crawler.cli import main
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Article, Claim
from store.types import utcnow
from tests.delivery import factories as f
from tests.delivery.smtpd import free_port
from tests.support import SEED_JSON, postgres_database


def write_config(tmp: Path, body: str = "", url: str = "sqlite:///cw.db") -> Path:
    path = tmp / "config.toml"
    path.write_text(f'[store]\nurl = "{url}"\n{body}', encoding="utf-8")
    return path


def cw(config: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args], input=stdin)


@pytest.mark.parametrize("command", [["status"], ["sources", "list"], ["claims"],
                                     ["digest", "--print"], ["crawl"], ["articles"],
                                     ["sources", "add", "http://example.org/feed"]])
def test_a_command_before_init_says_to_run_init_and_creates_nothing(
        tmp_path: Path, command: list[str]) -> None:
    config = write_config(tmp_path)
    result = cw(config, *command)
    assert result.exit_code == 1
    assert "no database yet: run `compoundwatch init`" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.postgres
def test_status_before_init_on_postgresql_creates_no_table(tmp_path: Path) -> None:
    with postgres_database() as url:
        config = write_config(tmp_path, url=url)
        result = cw(config, "status")
        assert result.exit_code == 1 and "no database yet" in result.stderr
        engine = make_engine(url)
        try:
            assert inspect(engine).get_table_names() == []
        finally:
            engine.dispose()


@pytest.mark.parametrize("command", [["worker"], ["run", "--role", "coordinator"]])
def test_a_missing_extra_names_the_pip_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               command: list[str]) -> None:
    config = write_config(tmp_path)
    assert cw(config, "init").exit_code == 0
    # What an install without the extra looks like to `import redis`.
    monkeypatch.setitem(sys.modules, "redis", None)
    result = cw(config, *command)
    assert result.exit_code == 2
    assert "pip install 'compoundwatch[cluster]'" in result.stderr
    assert "Traceback" not in result.output and "ModuleNotFoundError" not in result.output


def _initialised(tmp_path: Path, body: str = "") -> tuple[Path, str]:
    config = write_config(tmp_path, body)
    assert cw(config, "init").exit_code == 0
    return config, load_config(str(config)).database_url


DIGEST_ZONE = '[digest]\nat = "07:00"\ntimezone = "Asia/Phnom_Penh"\n'


def test_digest_print_right_after_a_crawl_shows_what_was_collected_today(tmp_path: Path) -> None:
    config, url = _initialised(tmp_path, DIGEST_ZONE)
    engine = make_engine(url)
    with session_scope(engine) as session:
        st = f.story(session)
        f.article(session, st.sources["wire"], "raid-today", "Police raid a compound today",
                  utcnow() - dt.timedelta(minutes=5), fetched_at=utcnow() - dt.timedelta(minutes=1))
    engine.dispose()
    result = cw(config, "digest", "--print")
    assert result.exit_code == 0, result.output
    assert "Police raid a compound today" in result.stdout
    assert "1 new article" in result.stdout.splitlines()[0]
    assert "New articles count relevant stories" in result.stdout
    assert "so far: until" in result.stdout and "collected since" in result.stdout


def test_a_digest_date_in_the_future_is_refused(tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path, DIGEST_ZONE)
    later = (utcnow() + dt.timedelta(days=3)).date().isoformat()
    result = cw(config, "digest", "--date", later, "--print")
    assert result.exit_code == 2
    assert "is in the future" in result.stderr and "Traceback" not in result.output


def test_status_says_why_mail_is_not_going_out(tmp_path: Path) -> None:
    port = free_port()
    config, url = _initialised(tmp_path, DIGEST_ZONE + f'[email]\nhost = "127.0.0.1"\n'
                               f'port = {port}\nrecipients = ["desk@example.org"]\n'
                               "timeout_seconds = 2.0\n")
    engine = make_engine(url)
    cfg = load_config(str(config))
    with session_scope(engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "more", "More complaints", utcnow())
        f.figure_change(session, st, art, "complaints", 368, 500, "500 complaints")
        enqueue_alerts(session, cfg)
    send_due(engine, cfg)
    engine.dispose()
    result = cw(config, "status")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("Mail is not going out"))
    assert f"SMTP 127.0.0.1:{port}: connection refused; 1 alert waiting, next try " in line
    rows = [__import__("json").loads(x) for x in cw(config, "status", "--json").stdout.splitlines()]
    deliveries = next(r for r in rows if r["record"] == "deliveries")
    assert any("connection refused" in p for p in deliveries["mail_problems"])


def test_mail_off_and_digest_mode_are_explained(tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path, '[email]\nrecipients = ["a@example.org"]\n'
                             'alert_mode = "digest"\n')
    assert "only in the daily digest" in cw(config, "status").stdout
    (tmp_path / "off").mkdir()
    config, _ = _initialised(tmp_path / "off", "[email]\nenabled = false\n")
    assert "Email is off" in cw(config, "status").stdout


def test_sources_add_normalises_before_the_duplicate_check_and_names_the_source(
        tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path)
    first = cw(config, "sources", "add", "https://Kiripost.COM:443/feed#latest", "--name", "kp")
    assert first.exit_code == 0, first.output
    listed = cw(config, "sources", "list", "--json")
    assert '"url": "https://kiripost.com/feed"' in listed.stdout
    again = cw(config, "sources", "add", "HTTPS://kiripost.com/feed")
    assert again.exit_code == 2
    assert "'kp'" in again.stderr and "already exists" in again.stderr


@pytest.mark.parametrize("url,reason", [("http://127.0.0.1:8080/rss", "loopback"),
                                        ("http://localhost/rss", "loopback"),
                                        ("http://10.1.2.3/feed", "private"),
                                        ("http://[::ffff:192.168.1.5]/", "private"),
                                        ("http://169.254.169.254/latest/", "metadata")])
def test_sources_add_refuses_a_private_address_at_once(tmp_path: Path, url: str,
                                                       reason: str) -> None:
    config, _ = _initialised(tmp_path)
    result = cw(config, "sources", "add", url)
    assert result.exit_code == 2
    assert reason in result.stderr and "cannot be watched" in result.stderr
    assert cw(config, "sources", "list", "--json").stdout == ""


def test_a_metadata_address_is_refused_even_when_private_ones_are_allowed(tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path, "[crawl]\nallow_private_addresses = true\n")
    assert cw(config, "sources", "add", "http://127.0.0.1:8080/rss").exit_code == 0
    result = cw(config, "sources", "add", "http://169.254.169.254/")
    assert result.exit_code == 2 and "metadata" in result.stderr


def test_sources_add_warns_under_five_minutes_but_adds(tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path)
    fast = cw(config, "sources", "add", "http://example.org/a", "--every", "90s")
    assert fast.exit_code == 0 and "under 5 minutes" in fast.stderr
    slow = cw(config, "sources", "add", "http://example.org/b", "--every", "5m")
    assert slow.exit_code == 0 and "Warning" not in slow.stderr


def _claim_keys(url: str) -> list[tuple[str, bool]]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return [(c.key, c.muted) for c in session.scalars(select(Claim).order_by(Claim.id))]
    finally:
        engine.dispose()


def test_seed_add_shows_the_claims_and_adds_them_only_when_confirmed(tmp_path: Path) -> None:
    config, url = _initialised(tmp_path)
    declined = cw(config, "seed", "add", str(SEED_JSON), stdin="n\n")
    assert declined.exit_code == 0
    assert "complaints" in declined.stdout and "Nothing added" in declined.stderr
    assert _claim_keys(url) == []
    added = cw(config, "seed", "add", str(SEED_JSON), "--yes")
    assert added.exit_code == 0 and "Added 9 claims" in added.stderr
    assert len(_claim_keys(url)) == 9


def test_claims_mute_and_remove_take_a_claim_out_of_the_baseline(tmp_path: Path) -> None:
    config, url = _initialised(tmp_path)
    assert cw(config, "seed", "add", str(SEED_JSON), "--yes").exit_code == 0
    muted = cw(config, "claims", "mute", "complaints")
    assert muted.exit_code == 0 and "muted" in muted.stderr
    assert ("complaints", True) in _claim_keys(url)
    assert "(muted)" in cw(config, "claims").stdout
    removed = cw(config, "claims", "remove", "people_rescued", "--json")
    assert removed.exit_code == 0
    assert "people_rescued" not in [k for k, _ in _claim_keys(url)]
    unknown = cw(config, "claims", "mute", "no_such_claim")
    assert unknown.exit_code == 2 and "the keys are: " in unknown.stderr


@pytest.mark.parametrize("mute", [False, True])
def test_a_muted_claim_raises_no_alert(tmp_path: Path, mute: bool) -> None:
    from alerts.followup import analyse_and_enqueue

    config, url = _initialised(tmp_path)
    assert cw(config, "seed", "add", str(SEED_JSON), "--yes").exit_code == 0
    if mute:
        assert cw(config, "claims", "mute", "complaints").exit_code == 0
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(Article(
            url="http://example.org/a", title="Complaints rise", language="en",
            published=utcnow(), fetched_at=utcnow(), needs_analysis=True,
            text=("Cambodia's Interior Ministry said it has received 850 complaints about "
                  "trafficking, forced labour and confinement in online scam compounds since "
                  "18 August 2022, up from the figure it gave in September.")))
    result = analyse_and_enqueue(engine, load_config(str(config)))
    engine.dispose()
    assert result.alerts_raised == (0 if mute else 1)


def test_tables_fit_80_columns_without_breaking_words(tmp_path: Path) -> None:
    config, _ = _initialised(tmp_path)
    assert cw(config, "seed", "add", str(SEED_JSON), "--yes").exit_code == 0
    out = cw(config, "claims").stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    cells = " ".join(line.strip("│┃ ") for line in out.splitlines())
    words = {w for line in out.splitlines() for w in line.replace("│", " ").split()}
    # Every word of a long label is whole in some cell line, none cut in two.
    for word in "people working in illegal online gambling".split():
        assert word in words, (word, cells[:500])


def test_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    config = write_config(tmp_path, f'[seed]\narticles = ["{SEED_JSON}"]\n')
    result = cw(config, "init")
    assert result.exit_code == 0
    assert "9 claims" in result.stderr and "1 raid it reports" in result.stderr
    assert "(s)" not in result.stderr
