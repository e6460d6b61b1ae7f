"""Raid rules of round six, continued from test_unseen_raids_4: places below a province,
days by their ordinal, one raid told beside a campaign or a summing phrase, the premises in
the next sentence, Chinese verbs, and what is no raid (operations abroad, landmarks). The
sentences are made up for the test (none from the corpora or the seed)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.raid_table import raids_found

FRIDAY = dt.date(2025, 3, 14)


def _raids(text: str, title: str = "") -> list[tuple[str, str]]:
    return raids_found(text, FRIDAY, title)


# Districts and communes in another romanisation resolve to their province: a syllable's
# closing "r" and the spaces of a name vary ("Tuol Kork", "Chamkarmon"), numbered communes go
# by their base name; a first word of an unknown longer name ("Stung ...") is no place.
@pytest.mark.parametrize(("place", "province"), [
    ("Tuol Kork", "Phnom Penh"),
    ("Chamkarmon", "Phnom Penh"),
    ("Por Sen Chey", "Phnom Penh"),
    ("Boeung Tumpun", "Phnom Penh"),
    ("Chbar Ampov District", "Phnom Penh"),
    ("Kampong Seila", "Preah Sihanouk"),
])
def test_districts_and_communes_resolve_to_their_province(place: str, province: str) -> None:
    assert _raids(f"Police raided a building in {place} on Tuesday.") == [(province,
                                                                          "2025-03-11")]


@pytest.mark.parametrize("text", [
    "Police raided a building in Stung Xyzzy on Tuesday.",
    "Police raided a building in Boeung Qwerty on Tuesday.",
])
def test_the_first_word_of_an_unknown_name_is_no_place(text: str) -> None:
    assert _raids(text) == []


# "Meanwhile" ties a sentence to the date just told; a second site "the next day" in the
# same sentence is a second raid, counted on from the first day.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a casino in Kampot on Tuesday and detained 40 people.\n\nMeanwhile, in Kep, "
     "officers searched a hotel and held 12.", [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    ("3月11日，贡布警方突击检查一处赌场。与此同时，白马省警方搜查了一家酒店。",
     [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday and a resort nearby the next day.",
     [("Kampot", "2025-03-11"), ("Kampot", "2025-03-12")]),
    # "meanwhile" far from any date, or a return to the same site, adds nothing
    ("Police raided a casino in Kampot on Tuesday.\nThe owner fled.\nHis lawyer spoke.\n"
     "Officials gave no details.\nMeanwhile, officers in Kep searched a hotel.",
     [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday and went back the next day.",
     [("Kampot", "2025-03-11")]),
])
def test_meanwhile_and_the_next_day(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A day by its ordinal ("on the 12th", "on the 3rd of March 2024") dates a raid.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a casino in Kampot on the 12th.", [("Kampot", "2025-03-12")]),
    ("Police raided a casino in Kampot on the 20th.", [("Kampot", "2025-02-20")]),
    ("Police raided a casino in Kampot on the 3rd of March.", [("Kampot", "2025-03-03")]),
    ("Police raided a casino in Kampot on the 2nd of February 2024.", [("Kampot", "2024-02-02")]),
    # an ordinal of no day
    ("Police raided the 12th floor of a casino in Kampot, officials said.", []),
])
def test_a_day_by_its_ordinal(text: str, expected: list) -> None:
    assert _raids(text) == expected


# One raid told beside the campaign it belongs to: its own clause names one site and a day.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a compound in Kampot on Tuesday, the largest operation since January.",
     [("Kampot", "2025-03-11")]),
    ("Police raided a compound in Kampot on Tuesday, freeing 40 people who had been held there "
     "since last year.", [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday as part of a nationwide crackdown.",
     [("Kampot", "2025-03-11")]),
    ("In the latest of a string of raids across the country, police on Tuesday searched a "
     "casino in Kampot.", [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday, the third compound raided so far this month.",
     [("Kampot", "2025-03-11")]),
    ("3月11日，贡布警方突击检查一处赌场，这是今年以来规模最大的一次行动。", [("Kampot", "2025-03-11")]),
    # the campaign's own clause is no raid: many sites, no day, or the day of its start
    ("Police have raided a casino in Kampot every week since January.", []),
    ("Since January, police have raided a casino in Kampot every week.", []),
    ("Police have raided 40 sites since January, including a casino in Kampot.", []),
    ("Police across the country have searched dozens of compounds since Tuesday, a casino in "
     "Kampot among them.", []),
])
def test_one_raid_beside_its_campaign(text: str, expected: list) -> None:
    assert _raids(text) == expected


# One raid beside a phrase summing several ("the second of three raids this week", "from
# several provinces"), and a day inside the month also named.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a casino in Kampot on Tuesday, the second of three raids this week.",
     [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday, detaining 40 people from several provinces.",
     [("Kampot", "2025-03-11")]),
    ("Police raided a casino in Kampot on Tuesday, two days after a raid in Kep.",
     [("Kampot", "2025-03-11")]),
    ("It was the second raid in Kampot this month after police searched a casino there on "
     "Tuesday.", [("Kampot", "2025-03-11")]),
    # a sentence only summing is told one by one elsewhere
    ("Police carried out operations at two separate properties in Kampot on Tuesday.", []),
])
def test_one_raid_beside_a_summing_phrase(text: str, expected: list) -> None:
    assert _raids(text) == expected


# An operation told first and its premises and place in the next sentence.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police moved in on Tuesday. The compound in Kampot held 300 workers.",
     [("Kampot", "2025-03-11")]),
    ("Police detained 120 people in Kampot on Tuesday. They were taken from a casino near the "
     "town.", [("Kampot", "2025-03-11")]),
    # no premises anywhere: no raid
    ("Police detained 120 people on Tuesday. Kampot officials said more arrests would follow.",
     []),
])
def test_the_premises_told_in_the_next_sentence(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Chinese verbs of inspecting, storming, busting and sealing (Taiwan's 臨檢, 攻堅), and
# Sihanoukville as Taiwan writes it (施亞努).
@pytest.mark.parametrize(("text", "expected"), [
    ("3月11日，警方在施亞努港一處賭場臨檢，逮捕40人。", [("Preah Sihanouk", "2025-03-11")]),
    ("3月11日，警方破獲施亞努一處詐騙園區。", [("Preah Sihanouk", "2025-03-11")]),
    ("3月11日，贡布警方查封一处诈骗窝点。", [("Kampot", "2025-03-11")]),
    ("3月11日，警方攻堅金邊一棟大樓。", [("Phnom Penh", "2025-03-11")]),
    ("3月11日，警方扫荡贡布一处园区。", [("Kampot", "2025-03-11")]),
    # cases busted in a year, with no premises or day, are no raid
    ("去年，警方破获多起诈骗案。", []),
])
def test_chinese_verbs_of_inspecting_and_busting(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Not raids: an operation abroad told beside a Cambodian place, premises named as a landmark.
@pytest.mark.parametrize(("text", "expected"), [
    ("Myanmar troops raided a compound in Myawaddy on Tuesday, officials in Phnom Penh said.", []),
    ("The governor inspected a new road near a casino in Kampot on Tuesday.", []),
    ("Police found the body of a man near a casino in Kampot on Tuesday.", []),
    ("A court in Phnom Penh on Tuesday sentenced the owner of a casino raided in Kampot.", []),
    # the same words around a raid in Cambodia
    ("Police raided a casino in Kampot on Tuesday, days after Thai police searched a building "
     "in Mae Sot.", [("Kampot", "2025-03-11")]),
    ("Police raided a building near a casino in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Thai police tipped off Cambodian officers, who raided a casino in Kampot on Tuesday.",
     [("Kampot", "2025-03-11")]),
])
def test_operations_abroad_and_landmarks(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Relative dates against the publication date (a Friday in March): "last March" said in
# March is a year back, "last February" this year's; "a week ago" is a day.
@pytest.mark.parametrize(("when", "expected"), [
    ("last March", "2024-03"),
    ("last April", "2024-04"),
    ("last February", "2025-02"),
    ("in March", "2025-03"),
    ("in March last year", "2024-03"),
    ("a week ago", "2025-03-07"),
])
def test_relative_dates_of_raids_against_publication(when: str, expected: str) -> None:
    assert _raids(f"Police raided a compound in Kandal {when}.") == [("Kandal", expected)]


# Chinese relative days: 前天 (the day before yesterday), 上周末 and 周末 (the weekend's Saturday).
@pytest.mark.parametrize(("text", "expected"), [
    ("前天，警方突击检查了西港一处园区。", [("Preah Sihanouk", "2025-03-12")]),
    ("上周末，警方突击检查了西港一处园区。", [("Preah Sihanouk", "2025-03-08")]),
    ("周末，警方突击检查了西港一处園區。", [("Preah Sihanouk", "2025-03-08")]),
])
def test_chinese_relative_days(text: str, expected: list) -> None:
    assert _raids(text) == expected


def test_a_headline_of_a_raid_abroad_lends_nothing() -> None:
    text = "Forty people were detained on Tuesday, police in Kampot said."
    assert _raids(text, "Thai police raid casino in Mae Sot") == []
    assert _raids(text, "Police raid casino in Kampot") == [("Kampot", "2025-03-11")]


# Verbs of going into a place tell an operation only with its agents named or pointed to.
@pytest.mark.parametrize(("text", "expected"), [
    ("Tourists poured into a casino in Kampot on Tuesday.", []),
    ("Reporters swarmed a hotel in Kampot on Tuesday.", []),
    ("Volunteers combed a compound in Kampot on Tuesday for survivors.", []),
    ("Guests entered a casino in Kampot on Tuesday for its reopening.", []),
    ("They entered a compound in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("A compound in Kampot was entered by police on Tuesday.", [("Kampot", "2025-03-11")]),
    ("3月11日，警方进入贡布一处园区，带出40人。", [("Kampot", "2025-03-11")]),
])
def test_verbs_of_going_in_need_their_agents(text: str, expected: list) -> None:
    assert _raids(text) == expected
