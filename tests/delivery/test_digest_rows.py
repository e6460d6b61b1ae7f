"""A digest row per claim, however often it changed that day, and a
corroboration per claim and article. Pure rendering from hand-built views."""

from __future__ import annotations

import dataclasses
import datetime as dt

from alerts.delivery.digest_render import render_digest
from alerts.delivery.message_data import Corroboration, DigestData, SourceRef
from tests.delivery.test_digest_layout import DAY, START, change


def _digest(**fields: object) -> DigestData:
    return DigestData(day=DAY, window_start=START, window_end=START + dt.timedelta(days=1),
                      **fields)  # type: ignore[arg-type]


def test_a_claim_that_changed_twice_is_one_row_with_its_path() -> None:
    first = dataclasses.replace(change("rescued", 361, 2000, ">"), id=1)
    later = change("rescued", 2000, 2132)
    second = dataclasses.replace(later, id=2, payload=dataclasses.replace(later.payload, seed_value=361),
                                 sources=(SourceRef(url="https://example.org/later",
                                                    title="later story", outlet="daily"),))
    msg = render_digest(_digest(changes=(second, first)))  # order raised, not as given
    assert msg.subject.endswith("1 figure changed, 0 new raids, 0 new articles")
    assert "  - rescued: 361 → more than 2,000 → 2,132 (seed: 361)" in msg.text
    assert msg.text.count("  - rescued:") == 1
    assert "Path: 361 → more than 2,000 → 2,132" in msg.html
    assert msg.html.count('class="cw-fig"') == 1
    # Both articles are the row's sources.
    assert "https://example.org/rescued" in msg.html and "https://example.org/later" in msg.html


def test_one_change_has_no_path_line() -> None:
    msg = render_digest(_digest(changes=(change("complaints", 368, 500),)))
    assert "Path:" not in msg.html
    assert "  - complaints: 368 → 500 (seed: 368)" in msg.text


def test_a_corroboration_is_listed_once_per_claim_and_article() -> None:
    ref = SourceRef(url="https://example.org/a", title="Tally unchanged", outlet="daily")
    other = SourceRef(url="https://example.org/b", title="Also unchanged", outlet="wire")
    items = (Corroboration("rescued", 361, "=", ref), Corroboration("rescued", 361, "=", ref),
             Corroboration("rescued", 361, "=", other),
             Corroboration("complaints", 368, "=", ref))
    text = render_digest(_digest(corroborations=items)).text
    assert text.count("rescued: 361 again — Tally unchanged") == 1
    assert text.count("rescued: 361 again — Also unchanged") == 1
    assert text.count("complaints: 368 again — Tally unchanged") == 1
