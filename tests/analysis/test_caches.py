"""What analysis keeps between calls never makes a later call answer differently."""

from __future__ import annotations

import dataclasses
import datetime as dt

from alerts.analysis.claims import ClaimSpec, extract_claims
from alerts.analysis.matching import find_observations
from alerts.analysis.text import split_sentences
from tests.support import SEED_TXT

TEXT = ("Cambodia's Interior Ministry said it had received 850 trafficking complaints since "
        "August 18, 2022. Over the same period the committee rescued 2,132 people.")


def _specs() -> list[ClaimSpec]:
    return [c.spec for c in extract_claims(SEED_TXT.read_text(), dt.date(2022, 9, 30))]


def test_split_sentences_gives_each_caller_its_own_list() -> None:
    first = split_sentences(TEXT)
    first.pop()
    again = split_sentences(TEXT)
    assert len(again) == 2 and again[1].text.startswith("Over the same period")


def test_last_values_apply_to_every_call_not_only_the_first() -> None:
    specs = _specs()
    published = dt.date(2023, 4, 19)
    assert [o.value for o in find_observations(TEXT, specs, published)] == [850, 2132]
    # The same sentences again: a last value 100 times larger makes 850 implausible.
    last = {o.claim_key: 85_000 for o in find_observations(TEXT, specs, published)[:1]}
    assert [o.value for o in find_observations(TEXT, specs, published, last)] == [2132]


def test_the_publication_date_is_part_of_what_is_kept() -> None:
    specs = _specs()
    text = "In 2023 the ministry received 850 trafficking complaints since August 18, 2022."
    assert [o.current for o in find_observations(text, specs, dt.date(2023, 4, 19))] == [True]
    # Published a year later, "in 2023" makes the same sentence background.
    assert [o.current for o in find_observations(text, specs, dt.date(2024, 4, 19))] == [False]


def test_changed_claims_are_matched_afresh() -> None:
    specs = _specs()
    published = dt.date(2023, 4, 19)
    before = find_observations(TEXT, specs, published)
    assert {o.claim_key for o in before} == {"complaints", "people_rescued"}
    # Claims read again (another seed, renamed keys): new spec objects, new answers.
    renamed = [dataclasses.replace(s, key=f"{s.key}_v2") for s in specs]
    after = find_observations(TEXT, renamed, published)
    assert {o.claim_key for o in after} == {"complaints_v2", "people_rescued_v2"}
    without = [s for s in renamed if s.key != "complaints_v2"]
    assert [o.claim_key for o in find_observations(TEXT, without, published)] == [
        "people_rescued_v2"]
