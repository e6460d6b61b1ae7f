"""Which known raid a report is of: date, kind of premises and town, not province alone."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.raid_matching import Known, best_match, match_score

D = dt.date


@pytest.mark.parametrize(
    ("event", "known", "same"),
    [
        # The same raid told again, a day off, or with its month only.
        (Known(D(2025, 4, 2), "day", "a casino hotel", "Bavet"),
         Known(D(2025, 4, 1), "day", "the casino", "Bavet"), True),
        (Known(D(2025, 4, 1), "month", "a hotel", None),
         Known(D(2025, 4, 9), "day", "a casino hotel", "Bavet"), True),
        (Known(D(2025, 4, 9), "day", "a compound", None),
         Known(D(2025, 4, 9), "day", "an office tower", None), True),
        # Another site the next day in the same town; another month; too far apart.
        (Known(D(2025, 4, 2), "day", "an office tower", "Bavet"),
         Known(D(2025, 4, 1), "day", "a casino hotel", "Bavet"), False),
        (Known(D(2025, 5, 2), "month", None, None),
         Known(D(2025, 4, 30), "day", "a villa", None), False),
        (Known(D(2025, 4, 20), "day", "a villa", None),
         Known(D(2025, 4, 1), "day", "a villa", None), False),
        # A raid known by its month only does not take a dated one at other premises.
        (Known(D(2025, 4, 12), "day", "a garment factory", None),
         Known(D(2025, 4, 1), "month", "a villa", None), False),
        (Known(D(2025, 4, 12), "day", "the villa", None),
         Known(D(2025, 4, 1), "month", "a villa compound", None), True),
    ],
)
def test_a_report_is_of_a_known_raid(event: Known, known: Known, same: bool) -> None:
    assert (match_score(event, known) is not None) is same


def test_the_same_day_wins_over_a_nearer_looking_one() -> None:
    event = Known(D(2025, 4, 2), "day", "a building", None)
    known = [Known(D(2025, 4, 1), "day", "a building", None),
             Known(D(2025, 4, 2), "day", "a compound", None)]
    assert best_match(event, known) == 1


def test_a_recall_by_month_takes_the_raid_of_its_premises() -> None:
    event = Known(D(2025, 4, 1), "month", "the office tower", None)
    known = [Known(D(2025, 4, 20), "day", "a casino hotel", "Bavet"),
             Known(D(2025, 4, 21), "day", "an office tower", "Bavet")]
    assert best_match(event, known) == 1
