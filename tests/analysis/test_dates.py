from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.dates import find_dates


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "precision"),
    [
        ("The operation wound up on Thursday.", "2022-10-15", "2022-10-13", "day"),
        ("a compound raided last Thursday", "2024-10-29", "2024-10-24", "day"),
        ("the Thursday, October 24 operation", "2024-10-25", "2024-10-24", "day"),
        ("On October 28, Cambodian forces arrested 59", "2026-02-11", "2025-10-28", "day"),
        ("on 4 December 2024", "2025-01-10", "2024-12-04", "day"),
        ("weekend raids in Poipet", "2025-02-24", "2025-02-22", "day"),
        ("the rescue yesterday", "2023-03-02", "2023-03-01", "day"),
        ("a raid two days ago", "2024-03-08", "2024-03-06", "day"),
        ("police raided it earlier this week", "2024-03-08", "2024-03-06", "day"),
        ("Last month police raided a compound", "2022-10-11", "2022-09-01", "month"),
        ("A year ago, police raided", "2025-10-18", "2024-10-01", "month"),
        ("in late August", "2022-10-10", "2022-08-01", "month"),
        ("rescued since mid-August", "2022-10-10", "2022-08-01", "month"),
        ("执法部门本月13日突击检查了", "2025-12-16", "2025-12-13", "day"),
        ("上月有报道指出", "2022-10-21", "2022-09-01", "month"),
        ("从9月15日到10月13日", "2022-10-21", "2022-09-15", "day"),
        # A month with "last year" is of the year before publication, even an earlier month.
        ("in early October last year", "2023-10-25", "2022-10-01", "month"),
        ("in March last year", "2024-06-02", "2023-03-01", "month"),
        ("in November of last year", "2024-06-02", "2023-11-01", "month"),
        ("in March this year", "2024-06-02", "2024-03-01", "month"),
    ],
)
def test_a_date_is_resolved_against_the_publication_date(
    sentence: str, published: str, expected: str, precision: str
) -> None:
    found = find_dates(sentence, dt.date.fromisoformat(published))
    assert found, sentence
    assert found[0].date == dt.date.fromisoformat(expected)
    assert found[0].precision == precision


def test_a_day_without_a_year_is_never_after_publication() -> None:
    (found,) = find_dates("on December 30", dt.date(2023, 1, 2))
    assert found.date == dt.date(2022, 12, 30)


def test_a_weekday_followed_by_its_date_is_that_date_and_a_revision_may_name_later_days() -> None:
    found = find_dates("searched a compound on Thursday, October 6", dt.date(2022, 10, 3),
                       latest=dt.date(2022, 10, 8))
    assert [d.date for d in found] == [dt.date(2022, 10, 6)]


def test_the_verb_may_is_not_a_month() -> None:
    assert find_dates("people may be held in May 2023", dt.date(2024, 1, 1))[0].text.endswith("2023")
    assert find_dates("They may be held", dt.date(2024, 1, 1)) == []


@pytest.mark.parametrize("sentence", [
    "Police searched the building on 31/4/2025, a spokesman said.",  # April has 30 days
    "Officers entered the compound on 12/13/2025.",                   # no thirteenth month
    "The site was raided on 30/2.",                                    # no 30 February
])
def test_a_numeric_date_that_names_no_day_is_no_date(sentence: str) -> None:
    assert find_dates(sentence, dt.date(2025, 6, 1)) == []
