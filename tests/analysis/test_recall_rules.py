"""Recall rules of figure matching (round two), one table per rule: sentences written for
these tests (not from the corpora or the seed), each with the values of the claim it
states and whether each is current."""

from __future__ import annotations

import pytest

from tests.analysis.test_scope_rules import observed

COMPLAINTS = "368"  # the seed's complaint count: a running total since 18 August 2022


# "since <day> of that year": the year is the one the sentence named before the date.
@pytest.mark.parametrize(("text", "published", "expected"), [
    ("At a March 2023 briefing the ministry listed 700 complaints received since August 18 "
     "of that year.", "2023-03-20", []),  # 18 August 2023 lies after the claim's start
    ("At a 2022 press event the police counted 520 complaints lodged since August 18 of "
     "that year.", "2024-05-02", [(520, False)]),
    ("In a 2022 statement officials tallied 510 complaints lodged since August 16, the same "
     "year.", "2024-05-02", [(510, False)]),
    ("The ministry has counted 600 complaints since August 18.", "2024-05-02", []),
])
def test_of_that_year_dates_the_period(text: str, published: str,
                                       expected: list[tuple[object, bool]]) -> None:
    assert observed(text, published, COMPLAINTS) == expected


# A count dated months back and below the latest running total is an older figure recalled.
@pytest.mark.parametrize(("text", "published", "expected"), [
    ("The ministry has received 1,500 complaints since its hotline opened. Its complaint "
     "tally stood at 1,210 in September.", "2024-03-01", [(1500, True), (1210, False)]),
    ("The ministry has received 1,500 complaints since its hotline opened. Its complaint "
     "tally stood at 1,210 last week.", "2024-03-01", [(1500, True)]),  # recent, lower: not it
    ("The ministry has received 1,500 complaints since its hotline opened. Its complaint "
     "tally stood at 1,650 in September.", "2024-03-01", [(1500, True), (1650, False)]),
])
def test_lower_total_dated_months_back_is_a_recall(text: str, published: str,
                                                   expected: list[tuple[object, bool]]) -> None:
    assert observed(text, published, COMPLAINTS) == expected
