"""Raid rules of round eight: an earlier raid told after a later one and dated back from it
("Three days earlier, officers had searched ..."), day/month numeric dates ("on 11/3") and
"the night of the 3rd", rescues by people who are not the authorities (no raid), and a raid
only recalled by its month ("after the raid in July"). The sentences are made up for the
test (none from the corpora or the seed)."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.dates import find_dates
from tests.analysis.raid_table import raids_found

FRIDAY = dt.date(2025, 3, 14)


def _raids(text: str, title: str = "") -> list[tuple[str, str]]:
    return raids_found(text, FRIDAY, title)


# A sentence opening "A week earlier", "The day before" tells a raid dated back from the one
# told before it; "earlier" elsewhere in the sentence, or no raid before, dates nothing.
@pytest.mark.parametrize(("text", "expected"), [
    (("Police raided a hotel in Kep on Tuesday. A week earlier, a similar operation at a "
     "casino in Kampot freed 40 workers."), [("Kampot", "2025-03-04"), ("Kep", "2025-03-11")]),
    (("Police raided a hotel in Kep on Tuesday. Three days earlier, officers had searched a "
     "casino in Kampot."), [("Kampot", "2025-03-08"), ("Kep", "2025-03-11")]),
    (("Police raided a hotel in Kep on Tuesday. The day before, officers searched a casino in "
     "Kampot."), [("Kampot", "2025-03-10"), ("Kep", "2025-03-11")]),
    (("Officers searched a compound in Kandal on March 12. Two weeks before, a team had "
     "raided a casino in Kampot."), [("Kampot", "2025-02-26"), ("Kandal", "2025-03-12")]),
    ("3月11日，警方突击检查白马省一处酒店。前一天，警方搜查了贡布一处赌场。",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-11")]),
    # the same province a day apart with the same premises stays one raid
    (("Police raided a casino in Kampot on Tuesday. The night before, officers had surrounded "
     "the casino."), [("Kampot", "2025-03-11")]),
    # not an opening that points back: the date told before governs as it did
    (("Police raided a hotel in Kep on Tuesday. Officers who searched it had been there "
     "three days earlier."), [("Kep", "2025-03-11")]),
])
def test_an_earlier_raid_dated_back_from_the_one_told(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Numeric dates are day/month; without a year only in the three months before publication;
# fractions, decimals and "24/7" are no dates.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a casino on 11/3, officials said.", ["2025-03-11"]),
    ("Police raided a casino on 11.3.", ["2025-03-11"]),
    ("Police raided a casino on 11/03/2025.", ["2025-03-11"]),
    ("Police raided a casino on 28/12 and detained 30.", ["2024-12-28"]),
    ("Police raided a casino on the night of the 3rd.", ["2025-03-03"]),
    ("Police raided a casino on the morning of the 9th.", ["2025-03-09"]),
    ("Staff worked on 24/7 shifts.", []),
    ("The money was spent on 1/3 of the buildings.", []),
    ("The casino stands on 12.5 hectares.", []),
    ("The casino opened on 11.3 million dollars of loans.", []),
    ("Police raided a casino on 2/5.", []),  # 2 May: too far back to be read as a date
    ("About 1/3 of the workers left.", []),
])
def test_numeric_day_month_dates(text: str, expected: list) -> None:
    assert [d.date.isoformat() for d in find_dates(text, FRIDAY)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a casino in Kampot on 11/3, officials said.", [("Kampot", "2025-03-11")]),
    ("Officers stormed a compound in Kep on the night of the 3rd.", [("Kep", "2025-03-03")]),
    ("The casino in Kampot, open 24/7, was raided by police on Tuesday.",
     [("Kampot", "2025-03-11")]),
])
def test_raids_dated_by_numeric_and_ordinal_days(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Getting people out is a raid only when the authorities do it: a charity, relatives or
# volunteers freeing a worker report a rescue, not an operation; the authorities named before
# the verb, or "by police" after it, still tell one.
@pytest.mark.parametrize(("text", "expected"), [
    ("A charity rescued 40 workers from a compound in Kampot on Tuesday.", []),
    ("Relatives freed a worker from a compound in Kampot on Tuesday.", []),
    ("Volunteers removed 12 women from a casino in Kampot on Tuesday.", []),
    ("Forty workers were freed from a compound in Kampot on Tuesday by a rights group.", []),
    ("3月11日，志愿者从贡布一处园区解救出12人。", []),
    ("A charity said police freed 40 workers from a compound in Kampot on Tuesday.",
     [("Kampot", "2025-03-11")]),
    (("Tipped off by relatives, officers rescued 40 workers from a compound in Kampot on "
     "Tuesday."), [("Kampot", "2025-03-11")]),
    ("Forty workers were freed by police from a compound in Kampot on Tuesday.",
     [("Kampot", "2025-03-11")]),
    ("On Tuesday police removed 40 workers from a compound in Kampot.",
     [("Kampot", "2025-03-11")]),
    ("3月11日，警方在贡布一处园区解救出40人。", [("Kampot", "2025-03-11")]),
])
def test_a_rescue_by_others_than_the_authorities_is_no_raid(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A trailing "<so long> after" clause with an operation in another province tells an earlier
# raid, dated back from the main one; one vowed or ordered, or abroad, or no operation, none.
@pytest.mark.parametrize(("text", "expected"), [
    (("Police raided a compound in Kep on Tuesday, a day after a similar raid on a casino in "
     "Kampot."), [("Kampot", "2025-03-10"), ("Kep", "2025-03-11")]),
    # a raid only recalled, without its premises (told in full elsewhere): not told again
    ("Police raided a compound in Kep on Tuesday, a day after a similar raid in Kampot.",
     [("Kep", "2025-03-11")]),
    (("Police raided a compound in Kep on Tuesday, a week after officers searched a casino in "
     "Kampot."), [("Kampot", "2025-03-04"), ("Kep", "2025-03-11")]),
    (("Officers stormed a casino in Kandal on March 12, two days after police went into a "
     "hotel in Takeo."), [("Kandal", "2025-03-12"), ("Takeo", "2025-03-10")]),
    (("Police raided a compound in Kep on Tuesday, a day after the governor of Kampot vowed to "
     "raid every casino."), [("Kep", "2025-03-11")]),
    (("Police raided a compound in Kep on Tuesday, a week after a court in Kampot jailed a "
     "casino boss."), [("Kep", "2025-03-11")]),
    (("Police raided a compound in Kep on Tuesday, a week after Thai police raided a building "
     "in Mae Sot."), [("Kep", "2025-03-11")]),
])
def test_an_earlier_raid_in_a_trailing_after_clause(text: str, expected: list) -> None:
    assert _raids(text) == expected


# An operation word with no premises of its own borrows a neighbour's only when the neighbour
# is of its time: a raid recalled by its month ("after the raid in July") beside a new one is
# not a raid of its own.
@pytest.mark.parametrize(("text", "expected"), [
    (("Police raided a casino in Kampot on Tuesday. It was the second raid in the province "
     "after the raid in July."), [("Kampot", "2025-03-11")]),
    (("Officers searched a hotel in Kep on Monday. The raid last month, by contrast, freed 200 "
     "people."), [("Kep", "2025-03-10")]),
    ("Police raided a casino in Kampot on Tuesday. The raid freed 40 workers.",
     [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday. On the same day, the raid freed 40 workers.",
     [("Kampot", "2025-03-11")]),
    ("3月11日，警方突击检查贡布一处赌场。这是继7月的突击检查之后的又一次行动。",
     [("Kampot", "2025-03-11")]),
])
def test_a_recalled_raid_borrows_no_premises_of_another_time(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A Chinese weekday of this week ("本週三", "这周三") is that day, not the day of publication.
@pytest.mark.parametrize(("text", "expected"), [
    ("柬警方本週三搜查了波貝一處賭場。", [("Banteay Meanchey", "2025-03-12")]),
    ("柬警方这周二突击检查了贡布一处赌场。", [("Kampot", "2025-03-11")]),
    ("柬警方本周突击检查了贡布一处赌场。", [("Kampot", "2025-03-14")]),
])
def test_a_chinese_weekday_of_this_week(text: str, expected: list) -> None:
    assert _raids(text) == expected
