"""Raid rules of round six, from tables of sentences made up for the test in the styles
of wire copy, roundups, headlines and Chinese portals (none from the corpora or the seed).
Each table is one class issue 14 lists; the classes the analysis already read keep their
table as a guard."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.raid_table import raids_found

FRIDAY = dt.date(2025, 3, 14)


def _raids(text: str, title: str = "") -> list[tuple[str, str]]:
    return raids_found(text, FRIDAY, title)


# A roundup's lead with a colon, each clause after it fronting its own province.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police carried out raids in three provinces on Tuesday: in Kampot they searched a "
     "casino, in Kep they entered a hotel and in Takeo they raided a compound.",
     [("Kampot", "2025-03-11"), ("Kep", "2025-03-11"), ("Takeo", "2025-03-11")]),
    ("Officers moved on two sites on Wednesday: in Pursat a warehouse was searched, and in "
     "Kratie police went into a villa.", [("Kratie", "2025-03-12"), ("Pursat", "2025-03-12")]),
    ("Raids took place in three provinces on Tuesday.\n- Kampot: a casino was searched and 30 "
     "people detained.\n- Kep: officers entered a hotel.\n- Takeo: a compound was raided.",
     [("Kampot", "2025-03-11"), ("Kep", "2025-03-11"), ("Takeo", "2025-03-11")]),
    ("On Wednesday, authorities moved against scam sites in several provinces.\nIn Kratie, "
     "police entered a compound and detained 50 people.\nIn Kampong Speu, officers searched a "
     "casino.", [("Kampong Speu", "2025-03-12"), ("Kratie", "2025-03-12")]),
    # a campaign's list of provinces is no raid; one day's is one raid in each
    ("Police have carried out raids in Kampot, Kep and Takeo provinces since January.", []),
    ("Police raided compounds in Kampot, Kep and Takeo provinces on Tuesday.",
     [("Kampot", "2025-03-11"), ("Kep", "2025-03-11"), ("Takeo", "2025-03-11")]),
])
def test_roundups_and_lists_of_provinces(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Two days of one sentence, a second site introduced between them: two raids.
@pytest.mark.parametrize(("text", "expected"), [
    ("Officers searched a compound in Bavet on Monday and another building in the same town "
     "on Tuesday.", [("Svay Rieng", "2025-03-10"), ("Svay Rieng", "2025-03-11")]),
    ("Officers raided a compound in Kampot on March 3 and a second on March 5.",
     [("Kampot", "2025-03-03"), ("Kampot", "2025-03-05")]),
    ("Police raided a casino in Kampot on Monday and a hotel in Kep on Wednesday.",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-12")]),
    # one operation told over two days is one raid
    ("Police raided a compound in Kandal on Monday and another 20 people were detained there "
     "on Tuesday.", [("Kandal", "2025-03-10")]),
    ("Police raided a compound in Kandal on Monday and returned on Tuesday to search it again.",
     [("Kandal", "2025-03-10")]),
])
def test_two_dated_raids_in_one_sentence(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Operations without "raid", rescues without "rescued", premises named loosely.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police went into a compound in Kandal on Tuesday and detained 40 people.",
     [("Kandal", "2025-03-11")]),
    ("On Tuesday officers swept a building in Pursat, detaining 20.", [("Pursat", "2025-03-11")]),
    ("Authorities targeted a scam operation in Kampot on Monday.", [("Kampot", "2025-03-10")]),
    ("Police emptied a casino in Koh Kong on Wednesday.", [("Koh Kong", "2025-03-12")]),
    ("Military police moved on a den in Takeo on Thursday.", [("Takeo", "2025-03-13")]),
    ("Police on Tuesday searched a rented house in Kampot where 15 people were held.",
     [("Kampot", "2025-03-11")]),
    ("On Monday, 60 workers were led out of a compound in Kandal by police.",
     [("Kandal", "2025-03-10")]),
    ("Police found 70 foreigners inside a building in Kratie on Tuesday.",
     [("Kratie", "2025-03-11")]),
    ("Officers escorted out 35 people from a casino in Pursat on Wednesday.",
     [("Pursat", "2025-03-12")]),
    ("Forty people were released from a compound in Kampot on Monday after police arrived.",
     [("Kampot", "2025-03-10")]),
    ("3月11日，警方在金边一处园区带离60人。", [("Phnom Penh", "2025-03-11")]),
    ("3月11日，警方在西港一处赌场解救30人。", [("Preah Sihanouk", "2025-03-11")]),
])
def test_operations_and_rescues_in_other_words(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Places below a province, old names, relative dates, recalls and Traditional Chinese.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a building in Chbar Ampov district on Tuesday.", [("Phnom Penh", "2025-03-11")]),
    ("Police raided a casino in Kampong Som on Tuesday.", [("Preah Sihanouk", "2025-03-11")]),
    ("Police raided a casino in Kampot last Tuesday.", [("Kampot", "2025-03-11")]),
    # an old raid the article tells is a mention, dated against publication
    ("Police raided a compound in Kampot in March last year.", [("Kampot", "2024-03")]),
    ("The compound, which police raided in 2023, has reopened.", []),
    ("3月11日，警方突擊搜查了西港一處賭場，抓獲40人。", [("Preah Sihanouk", "2025-03-11")]),
    ("警方於3月12日突擊檢查干丹省一個詐騙園區，解救50人。", [("Kandal", "2025-03-12")]),
    ("3月12日，柬警方在西港突擊檢查一家賭場，帶離詐騙人員30名。", [("Preah Sihanouk", "2025-03-12")]),
])
def test_places_dates_and_traditional_chinese(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A raid whose premises, or whole report, is in the headline only.
@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Police raid casino in Kampot, detain 40",
     "Forty people were detained on Tuesday, a police spokesman said.", [("Kampot", "2025-03-11")]),
    ("Police raid casino in Kampot on Tuesday",
     "The provincial police chief said more operations would follow.", [("Kampot", "2025-03-11")]),
    ("警方突击检查西港一赌场", "3月11日，警方抓获40人。", [("Preah Sihanouk", "2025-03-11")]),
    # a headline without a raid, or a campaign's headline, lends nothing
    ("Kampot police chief speaks", "Forty people were detained on Tuesday, police said.", []),
    ("Police raids in Kampot since January",
     "Forty people were detained on Tuesday, police said.", []),
])
def test_raids_told_in_the_headline(title: str, text: str, expected: list) -> None:
    assert _raids(text, title) == expected


# A date stated once governs what follows: "two days later", provinces alternating with
# their days, the date of a court or a deportation is not the raid's, plans are no raid.
@pytest.mark.parametrize(("text", "expected"), [
    ("The first operation took place at a casino in Kampot on Monday.\nThe second targeted a "
     "hotel in Kep two days later.", [("Kampot", "2025-03-10"), ("Kep", "2025-03-12")]),
    ("Police raided a casino in Kampot on Monday. A day later, they searched a hotel in Kep.",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-11")]),
    ("3月10日，警方突击检查了贡布一处赌场。两天后，警方又在白马省一家酒店解救20人。",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-12")]),
    ("Raids in Kampot on Monday, Kep on Tuesday and Takeo on Wednesday targeted casinos.",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-11"), ("Takeo", "2025-03-12")]),
    ("On Monday a casino in Kampot was searched and on Wednesday a hotel in Kep.",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-12")]),
    ("A court on Tuesday charged 12 people detained in a raid on a casino in Kampot last month.",
     [("Kampot", "2025-02")]),
    ("Thirty people held in a raid on a hotel in Kep in February were deported on Thursday.",
     [("Kep", "2025-02")]),
    ("Police plan to raid a casino in Kampot on Monday.", []),
    ("The governor vowed to search every building in Kep, officials said on Tuesday.", []),
])
def test_dates_said_once_and_dates_of_what_followed(text: str, expected: list) -> None:
    assert _raids(text) == expected


# More verbs of going through premises and of taking people out, English and Chinese.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police combed a compound in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Officers scoured a casino in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Police broke into a building in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Officers forced their way into a compound in Kampot on Tuesday.",
     [("Kampot", "2025-03-11")]),
    ("Police went floor by floor through a building in Kampot on Tuesday.",
     [("Kampot", "2025-03-11")]),
    ("Police on Tuesday took 50 people out of a compound in Kampot.", [("Kampot", "2025-03-11")]),
    ("3月11日，贡布省警方从一处园区救出40人。", [("Kampot", "2025-03-11")]),
    ("3月11日，贡布省警方在一处园区营救40人。", [("Kampot", "2025-03-11")]),
    ("3月11日，贡布省警方端掉一个诈骗窝点。", [("Kampot", "2025-03-11")]),
    ("Dozens of officers swarmed a compound in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Police on Tuesday carried out a sweep of a compound in Kampot.", [("Kampot", "2025-03-11")]),
    ("Officers poured into a casino in Kampot on Tuesday, detaining 40.",
     [("Kampot", "2025-03-11")]),
    ("On Tuesday, the gates of a compound in Kampot were forced open by police.",
     [("Kampot", "2025-03-11")]),
    # the same verbs of other things are no raid
    ("Investigators combed through bank records on Tuesday, the ministry said.", []),
    ("The company took its casino licence out of the drawer on Tuesday.", []),
    ("专家3月11日表示，打掉犯罪团伙需要时间。", []),
])
def test_more_verbs_of_operations_and_rescues(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Premises named loosely: a hideout, a mansion, a nightclub; 据点, 宾馆, 大厦, a scam's company.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided a hideout in Kampot on Tuesday and detained 30 people.",
     [("Kampot", "2025-03-11")]),
    ("Officers searched a mansion in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Police raided a karaoke parlour in Kampot on Tuesday, detaining 12.",
     [("Kampot", "2025-03-11")]),
    ("Police swept a high-rise in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("3月11日，警方突击检查贡布一处诈骗据点。", [("Kampot", "2025-03-11")]),
    ("3月11日，警方突击检查贡布一家宾馆。", [("Kampot", "2025-03-11")]),
    ("3月11日，警方突击检查贡布一座大厦。", [("Kampot", "2025-03-11")]),
    ("3月11日，警方突击检查贡布一家诈骗公司。", [("Kampot", "2025-03-11")]),
    # a company or a police station is no premises raided
    ("3月11日，贡布警方逮捕了该公司的5名员工。", []),
    ("The suspects were detained at the provincial police headquarters in Kampot on Tuesday.",
     []),
])
def test_premises_named_loosely(text: str, expected: list) -> None:
    assert _raids(text) == expected
