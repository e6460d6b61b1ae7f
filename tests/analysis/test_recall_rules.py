"""Recall rules of figure matching (round two), one table per rule: sentences written for
these tests (not from the corpora or the seed), each with the values of the claim it
states and whether each is current."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.claims import json_value
from alerts.analysis.matching import find_observations, without_restated_headline
from tests.analysis.test_scope_rules import observed, specs

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


# A question asks; it states no value ("Is it still on Tier 3?").
@pytest.mark.parametrize(("text", "expected"), [
    ("Has the ministry really received 2,000 complaints since August 18?", []),
    ("Will Cambodia stay on Tier 3 next year?", []),
    ("The ministry has received 2,000 complaints since its hotline opened.", [(2000, True)]),
    ("Why does it matter? The ministry has received 2,000 complaints since its hotline opened.",
     [(2000, True)]),
])
def test_a_question_states_nothing(text: str, expected: list[tuple[object, bool]]) -> None:
    seed = "'Tier 3'" if "Tier" in text else "368"
    assert observed(text, "2024-04-02", seed) == expected


def headline_kept(title: str, body: str) -> list[tuple[object, str]]:
    specs_ = list(specs().values())
    obs = find_observations(f"{title}\n{body}", specs_, dt.date(2024, 4, 2))
    return [(json_value(o.value), "title" if o.quote in title else "body")
            for o in without_restated_headline(obs, title)]


# A headline that restates the body's value of a claim is not a second statement; one that
# states what the body does not say stays.
@pytest.mark.parametrize(("title", "body", "expected"), [
    ("Hotline Logs 2,000 Complaints",
     "The ministry has received 2,000 complaints since August 18, 2022.", [(2000, "body")]),
    ("Cambodia Kept on Tier 3", "Thailand stays on Tier 2, the report said.",
     [("Tier 3", "title")]),
    ("Cambodia Kept on Tier 3", "The report kept Cambodia on Tier 3 for a third year.",
     [("Tier 3", "body")]),
    ("Cambodia Kept on Tier 3", "Officials said the report was unfair.", [("Tier 3", "title")]),
])
def test_a_restated_headline_is_left_out(title: str, body: str,
                                         expected: list[tuple[object, str]]) -> None:
    assert headline_kept(title, body) == expected


# A number without a noun refers back to the count just stated: "the tally is up from N",
# "the final report gives N"; "the national tally" names the nationwide claim even after a
# province's share. A noun of its own, or a count of something else, is not referred back.
@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Officials have now handled about 800 complaints since August 18. The tally is up from "
     "520 in early summer.", "2022-12-20", [(800, True), (520, False)]),
    ("Officials have now handled about 800 complaints since August 18. The count was down "
     "from 820 in a draft.", "2022-12-20", [(800, True), (820, False)]),
    ("Officials have now handled about 700 complaints since August 18. That count missed 20 "
     "complaints sent by embassies; the final report gives 720.", "2022-12-20",
     [(700, True), (720, True)]),
    ("Officials have now handled about 800 complaints since August 18. Their report gives "
     "12 reasons for delays.", "2022-12-20", [(800, True)]),
    ("Officials have now handled about 800 complaints since August 18. Kampot logged more "
     "than 90 of the complaints. Kep had a few. Takeo had fewer. The national tally is up "
     "from 520 in early summer.", "2022-12-20", [(800, True), (520, False)]),
])
def test_a_count_without_its_noun_refers_back(text: str, published: str,
                                              expected: list[tuple[object, bool]]) -> None:
    assert observed(text, published, COMPLAINTS) == expected


# "the lowest tier", "the bottom rung": the trafficking report's last tier, said without
# its number; of another country, or not a ranking, it is not Cambodia's tier.
@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Washington has left Cambodia on the bottom rung of its trafficking ranking.",
     "2024-07-01", [("Tier 3", True)]),
    ("Cambodia was put in the lowest tier of the State Department report in 2022.",
     "2024-07-01", [("Tier 3", False)]),
    ("Laos climbed out of the lowest tier, the report said.", "2024-07-01", []),
    ("Cambodia offered the lowest price for the contract.", "2024-07-01", []),
])
def test_the_lowest_tier_is_tier_3(text: str, published: str,
                                   expected: list[tuple[object, bool]]) -> None:
    assert observed(text, published, "'Tier 3'") == expected


# "a count of <what>" in the sentence names the claim that its number without a noun states,
# even when the sentences before counted something else; a phrase naming no single claim
# leaves the number alone.
@pytest.mark.parametrize(("text", "expected"), [
    ("Officials have handled 800 complaints since August 18. No new count of people rescued "
     "was given; the last figure, from early December, was 1,500.", [(1500, True)]),
    ("Officials have handled 800 complaints since August 18. No new count of visitors was "
     "given; the last figure was 1,500.", []),
])
def test_a_count_of_names_the_claim(text: str, expected: list[tuple[object, bool]]) -> None:
    assert observed(text, "2022-12-20", "361") == expected
