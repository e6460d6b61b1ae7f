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
