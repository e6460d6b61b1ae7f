"""Claims come from other seeds by the same general rules: three seed retellings written
for these tests (tests/analysis/seeds/: a 2025 crackdown tally, a UN estimate report, a
ministry press release), the claims a journalist would track in each, and later
sentences (also written here) observed as values of the right claim. No rule of
analysis names anything in these texts."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from alerts.analysis.claims import ClaimSpec, extract_claims, json_value
from alerts.analysis.matching import find_observations
from alerts.seed import claim_text, read_seed

SEEDS = Path(__file__).parent / "seeds"


@lru_cache(maxsize=None)
def claims_of(name: str) -> tuple[ClaimSpec, ...]:
    seed = read_seed(str(SEEDS / name))
    assert seed.published is not None, "the seed's dateline gives its date"
    return tuple(c.spec for c in extract_claims(claim_text(seed), seed.published))


def by_value(name: str) -> dict[object, ClaimSpec]:
    return {repr(json_value(c.value)): c for c in claims_of(name)}


# (seed, value, qualifier, words of the label, period start or None)
TRACKED = [
    ("crackdown-tally-2025.txt", "3140", "=", "people detained", "2025-07-14"),
    ("crackdown-tally-2025.txt", "96", "=", "buildings searched", "2025-07-14"),
    ("crackdown-tally-2025.txt", "2015", "=", "foreigners deported", "2025-07-14"),
    ("un-estimate-report.txt", "150000", ">=", "people held", None),
    ("un-estimate-report.txt", "45", ">=", "countries", None),
    ("ministry-press-release.txt", "1865", "=", "complaints", "2022-08-18"),
    ("ministry-press-release.txt", "3412", "=", "victims rescued", "2022-08-18"),
    ("ministry-press-release.txt", "307", "=", "suspects", "2022-08-18"),
]


@pytest.mark.parametrize(("seed", "value", "qualifier", "label", "start"), TRACKED)
def test_a_seed_retelling_yields_the_claims_a_journalist_tracks(
        seed: str, value: str, qualifier: str, label: str, start: str | None) -> None:
    claim = by_value(seed).get(value)
    assert claim is not None, f"{seed}: no claim of {value} in {[c.key for c in claims_of(seed)]}"
    assert claim.qualifier == qualifier
    assert label in claim.label
    assert claim.period_start == (dt.date.fromisoformat(start) if start else None)


@pytest.mark.parametrize("seed", ["crackdown-tally-2025.txt", "un-estimate-report.txt",
                                  "ministry-press-release.txt"])
def test_not_what_a_journalist_tracks(seed: str) -> None:
    values = {json_value(c.value) for c in claims_of(seed)}
    assert not values & {40, 40_000_000_000, 2022, 2023, 2024, 2025, 1288}  # money, years, a phone line
    keys = [c.key for c in claims_of(seed)]
    assert len(keys) == len(set(keys))
    # The headline restates a body figure: it is not tracked a second time.
    assert 3000 not in values


# (seed, later sentence, its publication day, the seed value it updates or None, new value)
FOLLOW_UPS = [
    ("crackdown-tally-2025.txt",
     "Police said on Monday they had now detained 3,800 people since the crackdown began on "
     "July 14.", "2025-09-01", "3140", 3800),
    ("crackdown-tally-2025.txt",
     "In Kandal province alone, police have detained 410 people since July 14.",
     "2025-09-01", "3140", None),
    ("un-estimate-report.txt",
     "Around 200,000 people are now held in scam compounds in Cambodia, the UN agency said.",
     "2025-11-01", "150000", 200000),
    ("un-estimate-report.txt",
     "Around 120,000 people are held in scam compounds in Myanmar, the UN agency said.",
     "2025-11-01", "150000", None),
    ("ministry-press-release.txt",
     "Since its hotline opened on 18 August 2022, the ministry has received 2,240 complaints "
     "about trafficking and forced labour.", "2024-10-01", "1865", 2240),
    ("ministry-press-release.txt",
     "The ministry received 312 complaints about trafficking in the first six months of this "
     "year.", "2024-10-01", "1865", None),
]


@pytest.mark.parametrize(("seed", "sentence", "published", "claim_value", "value"), FOLLOW_UPS)
def test_later_coverage_is_observed_against_the_other_seeds_claims(
        seed: str, sentence: str, published: str, claim_value: str, value: int | None) -> None:
    claim = by_value(seed)[claim_value]
    found = [o for o in find_observations(sentence, list(claims_of(seed)),
                                          dt.date.fromisoformat(published))
             if o.claim_key == claim.key and o.current]
    if value is None:
        assert not found, found
    else:
        assert found and json_value(found[0].value) == value
