"""Raid rules of round seven: a date told above that governs the operation sentence after it
("Inside, they found ..."), a second raid dated on from the first ("a week after"), closures
by the authorities of a scam site, rescues told by other verbs, roundups of bullet items
without a verb under a lead that says raids happened, and a Chinese campaign sentence whose
date is fronted two clauses before its one raid. The sentences are made up for the test (none
from the corpora or the seed)."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.raids import extract_raids
from alerts.analysis.text import normalise
from tests.analysis.raid_table import raids_found

FRIDAY = dt.date(2025, 3, 14)


def _raids(text: str, title: str = "") -> list[tuple[str, str]]:
    return raids_found(text, FRIDAY, title)


# A sentence opening inside the premises just told goes on with its operation, across a
# paragraph break; an unrelated next paragraph does not.
@pytest.mark.parametrize(("text", "expected"), [
    ("On 4 March, officers arrived at a compound in Kampot.\n\nInside, they found 80 workers.",
     [("Kampot", "2025-03-04")]),
    ("On Tuesday, a police convoy reached a casino in Kep.\n\nOnce inside, officers detained "
     "31 people.", [("Kep", "2025-03-11")]),
    ("3月11日，警方来到贡布一处园区。\n\n在里面，警方解救了40人。", [("Kampot", "2025-03-11")]),
    ("On 4 March, officers arrived at a compound in Kampot. The gates were chained.\n\n"
     "Inside the compound they found 80 workers.", [("Kampot", "2025-03-04")]),
    ("Police raided a casino in Kampot on Tuesday.\n\nDuring the raid, officers detained 31 "
     "people.", [("Kampot", "2025-03-11")]),
    # "the raid" with no operation above it, or one of an earlier time: no date to take
    ("On March 2, a court in Kampot jailed a casino owner.\n\nDuring the raid last year, "
     "officers detained 31 people.", []),
    # no pointer into the premises: the later paragraph is not dated by the first
    ("On 4 March, officers arrived at a compound in Kampot.\n\nThey later found 80 workers.", []),
    ("On 4 March, a new casino opened in Kampot.\n\nIn its first year, it hosted 1,000 guests.",
     []),
])
def test_a_sentence_inside_the_premises_takes_the_date_above(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A second raid dated on from the first by weeks ("a week after", "两周后"); never past the
# day of publication.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police searched a casino in Kampot on March 2. A week after police searched the casino, "
     "they raided a second site in Kep.", [("Kampot", "2025-03-02"), ("Kep", "2025-03-09")]),
    ("Police searched a casino in Kampot on February 20. Two weeks later, officers raided a "
     "hotel in Kep.", [("Kampot", "2025-02-20"), ("Kep", "2025-03-06")]),
    ("3月1日，警方突击检查贡布一处赌场。一周后，警方又突击检查了白马省一处酒店。",
     [("Kampot", "2025-03-01"), ("Kep", "2025-03-08")]),
    ("Police searched a casino in Kampot on March 2. A day after the search, officers raided "
     "a hotel in Kep.", [("Kampot", "2025-03-02"), ("Kep", "2025-03-03")]),
    ("Police searched a casino in Kampot on March 2. Ten days later, officers raided a hotel "
     "in Kep.", [("Kampot", "2025-03-02"), ("Kep", "2025-03-12")]),
    # counted past the day of publication: no raid on a day still to come
    ("Police searched a casino in Kampot on Monday. A week later, officers raided a hotel in "
     "Kep.", [("Kampot", "2025-03-10")]),
])
def test_a_second_raid_weeks_after_the_first(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Closing premises is an operation only when police-type agents close a scam site (active,
# or passive "by police"); a business closing, a road closed or a site that closed is none.
@pytest.mark.parametrize(("text", "expected"), [
    ("Authorities shut down a scam compound in Kampot on Monday.", [("Kampot", "2025-03-10")]),
    ("Authorities sealed off a scam compound in Kampot on Monday.", [("Kampot", "2025-03-10")]),
    ("Police closed a scam compound in Kampot on Monday.", [("Kampot", "2025-03-10")]),
    ("On Monday, officials in Kampot closed down a fraud call centre.",
     [("Kampot", "2025-03-10")]),
    ("A scam compound in Kampot was shuttered by police on Monday.", [("Kampot", "2025-03-10")]),
    ("The owners closed a casino in Kampot on Monday.", []),
    ("The company shut down its hotel in Kampot on Monday after losses.", []),
    ("Police closed a road near a casino in Kampot on Monday.", []),
    ("Authorities closed a casino in Kampot on Monday over unpaid taxes.", []),
    ("The compound in Kampot closed on Monday, officials said.", []),
])
def test_closures_by_the_authorities_of_a_scam_site(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Rescues told without "rescued": people got out of premises by other verbs (the ones anyone
# may do only as "were ..."); leaving, checking out or walking out is none.
@pytest.mark.parametrize(("text", "expected"), [
    ("80 Indonesians were extracted from a building in Kampot on Thursday.",
     [("Kampot", "2025-03-13")]),
    ("80 Indonesians were bussed out of a compound in Kampot on Thursday.",
     [("Kampot", "2025-03-13")]),
    ("80 Indonesians were escorted to safety from a compound in Kampot on Thursday.",
     [("Kampot", "2025-03-13")]),
    ("80 Indonesians were led away from a compound in Kampot on Thursday.",
     [("Kampot", "2025-03-13")]),
    ("80 Indonesians were liberated from a compound in Kampot on Thursday.",
     [("Kampot", "2025-03-13")]),
    ("3月13日，80名印尼人在贡布一处园区获救。", [("Kampot", "2025-03-13")]),
    ("3月13日，80名印尼人被救离贡布一处园区。", [("Kampot", "2025-03-13")]),
    ("The company moved out of a building in Kampot on Thursday.", []),
    ("80 Indonesians checked out of a hotel in Kampot on Thursday.", []),
    ("80 Indonesians walked out of a compound in Kampot on Thursday.", []),
    ("80 tourists were bussed out of a resort in Kampot on Thursday after a flood.", []),
])
def test_rescues_told_by_other_verbs(text: str, expected: list) -> None:
    assert _raids(text) == expected


def test_a_rescue_by_another_verb_counts_the_rescued() -> None:
    text = ("Police raided a compound in Kampot on Thursday. 80 Indonesians were bussed out of "
            "the compound and 12 managers were detained.")
    [event] = extract_raids("", normalise(text), FRIDAY)
    assert (event.rescued, event.arrested) == (80, 12)


# A roundup as a list: a lead that says raids happened on a day, and items each naming a
# province and a site, with no verb of their own; a campaign's lead, a list not of raids, or
# a list opened after the raid's own sentence lends nothing.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided several sites on Tuesday.\n\n• Kampot: a casino complex, 120 detained\n"
     "• Kep: a hotel, 30 detained", [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    ("Police raided three sites on Tuesday:\n\n1. Kampot: a casino complex, 120 people\n"
     "2. Kep: a hotel, 30 people", [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    ("Police have raided 40 sites since January:\n\n• Kampot: a casino complex\n• Kep: a hotel",
     []),
    ("Tourist sites to visit:\n\n• Kampot: a casino complex\n• Kep: a hotel", []),
    # a lead of one raid lists its details, not raids
    ("Police raided a casino in Kampot on Tuesday:\n\n• Kep: a hotel owned by the same company"
     "\n• Takeo: a warehouse it rented", [("Kampot", "2025-03-11")]),
    ("Police raided a compound in Takeo on Tuesday. Other casinos in the region:\n\n"
     "• Kampot: a casino complex\n• Kep: a hotel", [("Takeo", "2025-03-11")]),
])
def test_roundup_items_without_a_verb(text: str, expected: list) -> None:
    assert _raids(text) == expected


def test_a_roundup_item_keeps_its_own_counts() -> None:
    text = ("Police raided several sites on Tuesday.\n\n• Kampot: a casino complex, 120 detained"
            "\n• Kep: a hotel, 30 detained")
    counts = {e.location: e.arrested for e in extract_raids("", normalise(text), FRIDAY)}
    assert counts == {"Kampot": 120, "Kep": 30}


# A day fronted two clauses before a campaign sentence's one raid dates it, across a clause
# that says no time or statement of its own; a report's day or a campaign's start does not.
@pytest.mark.parametrize(("text", "expected"), [
    ("3月11日，警方在全国开展打击行动，其中贡布一处赌场被查封。", [("Kampot", "2025-03-11")]),
    ("On Tuesday, as part of a nationwide crackdown, police raided a casino in Kampot.",
     [("Kampot", "2025-03-11")]),
    ("3月11日，警方通报，在全国打击行动中突击检查了贡布一处赌场。", []),
    ("3月11日，全国打击行动自1月起开展，其中贡布一处赌场被查封。", []),
    ("On Tuesday, officials said, in a nationwide crackdown police raided a casino in Kampot.",
     []),
])
def test_a_day_fronted_two_clauses_before_the_raid(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Closures in Chinese (取缔, 关停, 关闭) and "the closure of": the police closing a scam site.
@pytest.mark.parametrize(("text", "expected"), [
    ("3月11日，贡布警方取缔一处诈骗窝点，逮捕40人。", [("Kampot", "2025-03-11")]),
    ("3月11日，警方关停了贡布一处电诈园区。", [("Kampot", "2025-03-11")]),
    ("On Monday, authorities ordered the closure of a scam compound in Kampot.",
     [("Kampot", "2025-03-10")]),
    ("3月11日，贡布一家酒店因经营不善关闭。", []),
    ("3月11日，警方关闭了贡布一条道路。", []),
    ("On Monday, authorities ordered the closure of a casino in Kampot over unpaid taxes.", []),
    # 获释: people released from premises
    ("3月11日，80名印尼人从贡布一处园区获释。", [("Kampot", "2025-03-11")]),
])
def test_chinese_closures_and_releases(text: str, expected: list) -> None:
    assert _raids(text) == expected


# One sentence, two raids: the clause fronted by "<so long> after" tells the first with its
# day, the main clause a second one that many days on; each needs its operation and premises.
@pytest.mark.parametrize(("text", "expected"), [
    ("A week after police searched the casino in Kampot on March 3, they raided a second site "
     "in Kep.", [("Kampot", "2025-03-03"), ("Kep", "2025-03-10")]),
    ("Two days after police searched a casino in Kampot on March 3, officers raided a hotel in "
     "Kep.", [("Kampot", "2025-03-03"), ("Kep", "2025-03-05")]),
    ("The day after police searched a casino in Kampot on March 3, officers raided a hotel in "
     "Kep.", [("Kampot", "2025-03-03"), ("Kep", "2025-03-04")]),
    ("A week after police searched the casino in Kampot on March 3, officials in Kep said they "
     "had found nothing.", [("Kampot", "2025-03-03")]),
    # the fronted clause's day is not the main clause's raid's
    ("A week after the election on March 3, police raided a hotel in Kep.",
     [("Kep", "2025-03-10")]),
    # ... nor is its place
    ("A week after a court in Kampot jailed its owner on March 3, officers raided a hotel in "
     "Kep.", [("Kep", "2025-03-10")]),
])
def test_a_second_raid_so_long_after_the_first_in_one_sentence(text: str, expected: list
                                                                ) -> None:
    assert _raids(text) == expected


# A paragraph setting the scene (the police at premises in a place, on a day) dates the
# operation sentence that opens the next one; a statement, a time recalled, or premises
# named only as a landmark do not.
@pytest.mark.parametrize(("text", "expected"), [
    ("On 4 March, a convoy of police trucks pulled up at a compound in Kampot.\n\nOfficers "
     "detained 40 people and freed 80 workers.", [("Kampot", "2025-03-04")]),
    ("On Monday, police said a compound in Kampot had been empty for months.\n\nOfficers "
     "detained 40 people at a hotel.", []),
    ("On Monday, police officers guarded a casino in Kampot during a festival.\n\nOfficers "
     "detained 40 people last year.", []),
    ("On Monday, police stood outside a casino in Kampot.\n\nOfficers detained 40 people.", []),
])
def test_a_scene_set_above_dates_the_next_paragraph(text: str, expected: list) -> None:
    assert _raids(text) == expected


# Verbs of acting against premises (intervened at, dismantled, took down, cleared out, a
# crackdown at; 对……采取行动, 在……开展行动, 带走) tell an operation only with agents named.
@pytest.mark.parametrize(("text", "expected"), [
    ("A joint team of police and military police carried out a crackdown at a casino in Kampot "
     "on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Authorities intervened at a compound in Kampot on Tuesday and took 80 workers into "
     "protection.", [("Kampot", "2025-03-11")]),
    ("Police dismantled a scam centre in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("Police took down a scam compound in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
    ("3月11日，柬警方对贡布一处园区采取行动，带走40人。", [("Kampot", "2025-03-11")]),
    ("3月11日，柬埔寨执法部门在贡布一处园区开展行动。", [("Kampot", "2025-03-11")]),
    ("Volunteers dismantled a stage at a hotel in Kampot on Tuesday.", []),
    ("Workers took down a sign at a casino in Kampot on Tuesday.", []),
    ("3月11日，一家公司在贡布一处酒店开展推广行动。", []),
    # the verb's object is not premises, or the act is no operation
    ("On Tuesday, police took down the names of guests at a hotel in Kampot.", []),
    ("Police cleared out of a hotel in Kampot on Tuesday after a conference.", []),
    ("Police intervened in a dispute at a karaoke bar in Kampot on Tuesday.", []),
    ("3月11日，警方在贡布一处酒店开展安全宣传行动。", []),
])
def test_verbs_of_acting_against_premises(text: str, expected: list) -> None:
    assert _raids(text) == expected


# A raid in a relative clause ("..., where police searched a casino") is dated by the clause
# it hangs on; "a separate team" goes on with the operation just dated.
@pytest.mark.parametrize(("text", "expected"), [
    ("The raids began on Tuesday in Kampot, where police searched a casino. In Kep, officers "
     "entered a hotel.", [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    ("On Tuesday, police in Kampot raided a casino.\n\nIn Kep, a separate team searched a hotel.",
     [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
    # a campaign's clause lends no day to the relative clause
    ("Raids have gone on since January in Kampot, where police searched a casino.", []),
])
def test_a_relative_clause_and_a_separate_team(text: str, expected: list) -> None:
    assert _raids(text) == expected


# "took place at", "carried out at" tell an operation only of one: an operation word before
# it, or a roundup's ordinal subject ("The first, on Monday, took place at a casino").
@pytest.mark.parametrize(("text", "expected"), [
    ("Police carried out two operations last week.\n\nThe first, on Monday, took place at a "
     "casino in Kampot.\n\nThe second, on Wednesday, targeted a hotel in Kep.",
     [("Kampot", "2025-03-10"), ("Kep", "2025-03-12")]),
    ("The raid took place at a casino in Kampot on Monday.", [("Kampot", "2025-03-10")]),
    ("The festival took place at a hotel in Kampot on Monday.", []),
    ("Repairs were carried out at a hotel in Kampot on Monday.", []),
    ("Officers executed a search warrant at a villa in Kampot on Monday.",
     [("Kampot", "2025-03-10")]),
])
def test_an_operation_that_took_place_at_premises(text: str, expected: list) -> None:
    assert _raids(text) == expected
