"""Scope, recall and date rules of figure matching, one table per rule: sentences written
for these tests (not from the corpora or the seed), each with the claim it states or
None, and whether the statement is current."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest

from alerts.analysis.claims import ClaimSpec, extract_claims, json_value
from alerts.analysis.matching import find_observations
from alerts.analysis.numbers import find_numbers
from alerts.seed import read_seed
from tests.support import SEED_JSON


@lru_cache(maxsize=1)
def specs() -> dict[str, ClaimSpec]:
    seed = read_seed(str(SEED_JSON))
    return {repr(json_value(c.spec.value)): c.spec
            for c in extract_claims(seed.text, dt.date(2022, 9, 30))}


def observed(text: str, published: str, seed_value: str,
             last: dict[str, object] | None = None) -> list[tuple[object, bool]]:
    key = specs()[seed_value].key
    return [(json_value(o.value), o.current)
            for o in find_observations(text, list(specs().values()),
                                       dt.date.fromisoformat(published), last)
            if o.claim_key == key]


# Compound number words, Traditional Chinese numerals, 逾万.
@pytest.mark.parametrize(("text", "value"), [
    ("two thousand three hundred people", 2300),
    ("nine hundred and thirty complaints", 930),
    ("Eleven Hundred and Five Complaints", 1105),
    ("a hundred and fifty thousand workers", 150000),
    ("forty-two thousand six hundred and ten victims", 42610),
    ("逾万人", 10000),
    ("共七千九百餘人", 7900),
    ("約有3萬人", 30000),
])
def test_number_words_and_chinese_forms(text: str, value: int) -> None:
    assert find_numbers(text)[0].value == value


@pytest.mark.parametrize("text", ["Covid-19 closed the border.", "The A-7 road was shut.",
                                  "Flight VN-920 landed."])
def test_a_number_joined_to_a_word_is_a_name_not_a_count(text: str) -> None:
    from alerts.analysis.phrases import quantities
    assert not quantities(text, dt.date(2023, 1, 1))


# Scope: another period, a subset, a measure that only shares a noun.
@pytest.mark.parametrize(("text", "published", "seed_value", "value"), [
    # the claim's own period, in words or with a date: observed
    ("Since the hotline opened, the ministry has received 1,740 complaints about trafficking.",
     "2024-03-01", "368", 1740),
    ("The committee has received 910 trafficking complaints since August 18 last year, "
     "officials said this week.", "2023-05-10", "368", 910),
    # per-period counts: not the running total
    ("The ministry received 310 trafficking complaints since the start of the year.",
     "2024-09-01", "368", None),
    ("Police received 640 complaints of trafficking in the first ten months.",
     "2024-11-05", "368", None),
    ("Officials rescued 1,150 people in 2023, a ministry report said.", "2024-02-01", "361", None),
    # a subset, another measure, not yet charged
    ("Police questioned 281 suspects; 120 of the 281 suspects were charged.", "2023-05-01",
     "41", None),
    ("Prosecutors said 75 suspects were to be charged with trafficking.", "2023-05-01", "41",
     None),
    ("Police held 281 people suspected of trafficking foreigners into scam work.",
     "2023-05-01", "54", None),
    ("The committee did not say how many of the 2,900 people rescued had been trafficked.",
     "2023-09-01", "54", None),
])
def test_scope_decides_whether_a_count_is_the_claims(
        text: str, published: str, seed_value: str, value: int | None) -> None:
    found = [v for v, current in observed(text, published, seed_value) if current]
    assert found == ([value] if value is not None else []), found


# Recalls: compared figures, dated clauses, relative dates, a running total that would fall.
@pytest.mark.parametrize(("text", "published", "seed_value", "expected"), [
    ("Police have arrested and charged 88 suspects, up from 41 in September.", "2022-11-20",
     "41", [(88, True), (41, False)]),
    ("The ministry now counts 700 complaints about trafficking since August 18, against 368 "
     "in September 2022.", "2023-01-10", "368", [(700, True), (368, False)]),
    ("That compares with about 500 complaints in March last year.", "2023-06-01", "368",
     [(500, False)]),
    ("The ministry said 1,300 complaints had been received since August 18. In late "
     "September the minister had cited 368 complaints.", "2023-01-15", "368",
     [(1300, True), (368, False)]),
])
def test_a_recalled_figure_is_background(text: str, published: str, seed_value: str,
                                         expected: list[tuple[int, bool]]) -> None:
    assert observed(text, published, seed_value) == expected


def test_an_older_date_with_the_latest_figure_restates_it() -> None:
    key = specs()["361"].key
    text = "No newer total was given; the last cumulative figure, published in May, was 3,050."
    assert observed(text, "2024-01-10", "361", {key: 3050}) == []  # no noun: not a statement
    text = ("The number of people rescued since August 2022 was last published in May 2023, "
            "at 3,050 people.")
    assert observed(text, "2024-01-10", "361", {key: 3050}) == [(3050, True)]
    assert observed(text, "2024-01-10", "361", {key: 4000}) == [(3050, False)]


# Chinese: the noun before the number, clauses that carry their own date.
@pytest.mark.parametrize(("text", "published", "seed_value", "expected"), [
    ("内政部表示，警方共逮捕并起诉嫌疑人85名。", "2022-12-01", "41", [(85, True)]),
    ("内政部称，自2022年8月18日以来共收到相关投诉1500宗。", "2023-09-01", "368", [(1500, True)]),
    ("自2022年8月18日以来共解救1500人，比去年10月公布的612人大幅增加。", "2023-03-01", "361",
     [(1500, True), (612, False)]),
    ("內政部表示，自2022年8月18日以來共收到投訴1500宗。", "2023-09-01", "368", [(1500, True)]),
])
def test_chinese_counts_and_their_dates(text: str, published: str, seed_value: str,
                                        expected: list[tuple[int, bool]]) -> None:
    assert observed(text, published, seed_value) == expected


# List items without their noun, parts, the same period.
@pytest.mark.parametrize(("text", "published", "seed_value", "expected"), [
    ("Of the complaints received since August 18, 90 came from Kandal and more than 300 "
     "from Preah Sihanouk.", "2022-12-01", "149", [(300, True)]),
    ("Preah Sihanouk accounted for about 320 of the complaints, the ministry said.",
     "2022-12-01", "149", [(320, True)]),
    ("The hotline has logged 2,400 complaints about trafficking since August 18, 2022. Over "
     "the same period police rescued 6,100 people.", "2025-03-01", "361", [(6100, True)]),
    ("Police rescued 6,100 workers, the ministry said.", "2025-03-01", "361", []),
])
def test_list_items_parts_and_the_same_period(text: str, published: str, seed_value: str,
                                              expected: list[tuple[int, bool]]) -> None:
    assert observed(text, published, seed_value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Cambodia stayed on Tier 3, while Thailand moved up to Tier 2.", "Tier 3"),
    ("Thailand was on Tier 2 and Laos on Tier 3, while Cambodia stayed on Tier 3.", "Tier 3"),
    ("Thailand was placed on Tier 2 in the same report, the ministry said of Cambodia's "
     "neighbour.", None),
])
def test_the_ranking_said_of_cambodia_not_of_a_neighbour(text: str, expected: str | None) -> None:
    found = [o.value for o in find_observations(text, list(specs().values()),
                                                dt.date(2025, 7, 1)) if o.claim_key == "tip_tier"]
    assert found == ([expected] if expected else [])


# What a number counts when the noun comes before it.
@pytest.mark.parametrize(("text", "published", "seed_value", "expected"), [
    ("The complaint tally stood at 1,250 on Friday, the ministry said.", "2023-09-04", "368",
     [(1250, True)]),
    ("The ministry's complaint count reached 1,250 on Monday.", "2023-09-04", "368",
     [(1250, True)]),
    ("Correction: an earlier version of this story gave the number of complaints as 1,205.",
     "2023-09-04", "368", [(1205, False)]),
    ("The police tally stood at 1,250 on Friday.", "2023-09-04", "368", []),
])
def test_the_noun_before_a_tally(text: str, published: str, seed_value: str,
                                 expected: list[tuple[int, bool]]) -> None:
    assert observed(text, published, seed_value) == expected


# "The count", "the latest figure": a number without a noun refers back to the claim the
# sentences just before counted, unless its sentence speaks of something else.
@pytest.mark.parametrize(("text", "published", "seed_value", "expected"), [
    ("The ministry said it had received 512 complaints about trafficking since August 18. "
     "By November 30 its count had reached 640.", "2022-12-05", "368",
     [(512, True), (640, True)]),
    ("The ministry said it had received 512 complaints about trafficking since August 18. "
     "The latest figure, published on Friday, is 640.", "2022-12-05", "368",
     [(512, True), (640, True)]),
    # something else counted in the anaphor's own sentence
    ("The ministry said it had received 512 complaints about trafficking since August 18. "
     "Its count of people rescued, last given in June, was 2,900.", "2022-12-05", "368",
     [(512, True)]),
    # too far back, or nothing counted before
    ("The ministry said it had received 512 complaints about trafficking since August 18. "
     "Officials met on Monday. Donors met on Tuesday. The total stood at 640.",
     "2022-12-05", "368", [(512, True)]),
    ("By November 30 the count had reached 640.", "2022-12-05", "368", []),
])
def test_a_count_without_its_noun_refers_back(text: str, published: str, seed_value: str,
                                              expected: list[tuple[int, bool]]) -> None:
    assert observed(text, published, seed_value) == expected
