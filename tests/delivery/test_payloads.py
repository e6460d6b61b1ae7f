"""The alert payload contract: what detection writes is what delivery reads."""

from __future__ import annotations

import pytest

from alerts.payloads import (
    FigureChange,
    NewRaid,
    PayloadError,
    WhyFired,
    payload_of,
    raid_key_of,
    read_payload,
    seed_quote_of,
    to_json,
)
from store.models import Alert


def test_a_figure_change_survives_the_json_round_trip_with_its_reasons() -> None:
    written = FigureChange(claim="people rescued", claim_key="rescued", label="rescued",
                           seed_value=361, previous_value=361, new_value=2000,
                           qualifier=">", quote="more than 2,000 were freed",
                           urls=("https://example.org/a",), article_id=4,
                           why=WhyFired(claim_key="rescued", seed_quote="361 were freed",
                                        scope="since August", scope_stated=True))
    stored = to_json(written)
    assert stored["kind"] == "figure_change" and stored["urls"] == ["https://example.org/a"]
    assert stored["why"]["seed_quote"] == "361 were freed"
    assert read_payload("figure_change", stored) == written


def test_a_row_from_an_older_version_reads_with_defaults_and_ignores_unknown_keys() -> None:
    old = {"kind": "new_raid", "raid_key": "siem-reap-2022-09", "location": "Siem Reap",
           "urls": ["https://example.org/r"], "retired_field": 3}
    raid = read_payload("new_raid", old)
    assert raid == NewRaid(raid_key="siem-reap-2022-09", location="Siem Reap",
                           urls=("https://example.org/r",))
    assert raid.nationalities == () and raid.arrested is None


@pytest.mark.parametrize("bad", [{"urls": 7}, {"urls": "https://x"}, {"why": "because"}])
def test_a_payload_of_the_wrong_shape_is_an_error_not_a_silent_default(bad: dict) -> None:
    with pytest.raises(PayloadError):
        read_payload("figure_change", bad)


def test_an_unknown_kind_reads_as_none_and_helpers_answer_for_each_kind() -> None:
    assert read_payload("tier_change", {"claim": "x"}) is None
    raid = Alert(kind="new_raid", dedup_key="k", payload={"raid_key": "kampot-2024-03"})
    change = Alert(kind="figure_change", dedup_key="f",
                   payload={"claim_key": "c", "why": {"seed_quote": "the seed said so"}})
    assert raid_key_of(payload_of(raid)) == "kampot-2024-03"
    assert raid_key_of(payload_of(change)) is None
    assert seed_quote_of(payload_of(change)) == "the seed said so"
    assert seed_quote_of(payload_of(raid)) is None
