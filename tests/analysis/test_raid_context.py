"""Raids told the way news tells them: datelines, dates and places stated once, several
raids in one article, operations without the word "raid". Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.raid_context import different_premises, is_summary, strip_dateline
from alerts.analysis.raids import extract_raids
from tests.analysis.raid_table import raids_found

PUBLISHED = dt.date(2025, 3, 14)  # a Friday


def _raids(text: str, title: str = "") -> list[tuple[str, str]]:
    return raids_found(text, PUBLISHED, title)


@pytest.mark.parametrize(
    ("sentence", "rest", "place"),
    [
        ("KAMPOT, Mar 14 — Police searched a resort.", "Police searched a resort.", "Kampot"),
        ("PHNOM PENH, 14 March (Reuters) — Officers said.", "Officers said.", "Phnom Penh"),
        ("STUNG TRENG — A casino was raided.", "A casino was raided.", "Stung Treng"),
        ("【本报金边讯】警方突击检查一处园区。", "警方突击检查一处园区。", "金边"),
        # Not datelines.
        ("Police in Kampot searched a resort.", "Police in Kampot searched a resort.", None),
        ("UN experts — and others — disagree.", "UN experts — and others — disagree.", None),
    ],
)
def test_a_dateline_is_cut_off_and_keeps_its_place(sentence: str, rest: str,
                                                   place: str | None) -> None:
    assert strip_dateline(sentence) == (rest, place)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The dateline's day is the filing day, not the raid's.
        ("KAMPOT, Mar 14 — Police freed 20 workers from a resort on Tuesday.",
         [("Kampot", "2025-03-11")]),
        # The dateline places a raid only when nothing else does.
        ("KAMPOT, Mar 14 — Officers went into a casino near the beach on Tuesday.",
         [("Kampot", "2025-03-11")]),
        ("PHNOM PENH, Mar 14 — Officers went into a casino in Bavet on Tuesday.",
         [("Svay Rieng", "2025-03-11")]),
    ],
)
def test_datelines_neither_date_nor_outweigh_the_raid(text: str, expected: list) -> None:
    assert _raids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officers went into a casino hotel in Kampot on Tuesday.", [("Kampot", "2025-03-11")]),
        ("A joint team entered a walled compound in Kratie on Monday.",
         [("Kratie", "2025-03-10")]),
        ("Police swept a hotel in Kep on Sunday, floor by floor.", [("Kep", "2025-03-09")]),
        ("Thirty workers were escorted out of a villa in Takeo on Wednesday.",
         [("Takeo", "2025-03-12")]),
        ("Police found 40 Thais inside a building in Pailin on Thursday.",
         [("Pailin", "2025-03-13")]),
        ("Hundreds of officers surrounded a compound in Kandal on Monday.",
         [("Kandal", "2025-03-10")]),
        ("Police evacuated 60 workers from a tower in Kep on Monday.", [("Kep", "2025-03-10")]),
        ("Twelve Laotians were released to their embassy after police searching a rented house "
         "in Kandal on Tuesday found them.", [("Kandal", "2025-03-11")]),
        ("磅湛省警方3月11日进入一处厂房，将30名外籍劳工带离。", [("Kampong Cham", "2025-03-11")]),
        ("柬埔寨警方3月11日突擊檢查金邊一家賭場，逮捕20名詐騙嫌犯。", [("Phnom Penh", "2025-03-11")]),
        # Not operations: a report released, people removed in general, a visit.
        ("The annual report on compounds in Kampot was released on Tuesday.", []),
        ("Workers removed from scam compounds in Kampot are often not screened.", []),
        ("The minister visited a hotel in Kep on Sunday.", []),
    ],
)
def test_operations_and_rescues_without_raid_or_rescued(text: str, expected: list) -> None:
    assert _raids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A subheading's day governs its section.
        ("## Tuesday: the casino\nOfficers went into a casino in Kep. Twenty people were "
         "freed.\n## Wednesday: the villa\nA second team entered a villa in Kep.",
         [("Kep", "2025-03-11"), ("Kep", "2025-03-12")]),
        # A list's lead dates its items, each in its own province.
        ("Police raided sites in three provinces on Tuesday:\n- Kratie: officers searched a "
         "compound and detained 31 people.\n- Pursat: a casino was searched.\n- Takeo: police "
         "went into a rented house.",
         [("Kratie", "2025-03-11"), ("Pursat", "2025-03-11"), ("Takeo", "2025-03-11")]),
        # Numbered items with their own day and place; the next sentence belongs to its item.
        ("Here are this month's operations.\n1. Kampot, March 3 — a resort by the river. "
         "Twelve people were detained.\n2. Kep, March 9 — a villa. Police freed five "
         "Indonesians.", [("Kampot", "2025-03-03"), ("Kep", "2025-03-09")]),
        # "The same day" and "同日" point back to the last date named.
        ("Police searched a casino in Kampot on Tuesday.\nThe same day, officers in Kep went "
         "into a hotel.", [("Kampot", "2025-03-11"), ("Kep", "2025-03-11")]),
        ("茶胶省警方3月11日突击检查一家赌场。\n同日，白马省警方进入一处别墅，解救9人。",
         [("Kep", "2025-03-11"), ("Takeo", "2025-03-11")]),
        # A lead summing several raids on one day dates the sections after it.
        ("Police raided sites in two provinces on Wednesday.\nIn Kratie, officers searched a "
         "casino.\nIn Pursat, police went into a hotel.",
         [("Kratie", "2025-03-12"), ("Pursat", "2025-03-12")]),
        # Without a pointer, a date of another paragraph governs nothing.
        ("Police searched a casino in Kampot on Tuesday.\nOfficers in Kep went into a hotel.",
         [("Kampot", "2025-03-11")]),
    ],
)
def test_a_date_or_place_stated_once_governs_what_follows(text: str, expected: list) -> None:
    assert _raids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police raided compounds in Kratie and Takeo on Monday.",
         [("Kratie", "2025-03-10"), ("Takeo", "2025-03-10")]),
        ("警方3月10日在茶胶省和桔井省同时突击检查涉诈场所。",
         [("Kratie", "2025-03-10"), ("Takeo", "2025-03-10")]),
        # One raid: a police force from one province in another, or a town and its province.
        ("Officers from Phnom Penh raided a compound in Kandal on Monday.",
         [("Kandal", "2025-03-10")]),
        ("Police raided a casino in Bavet, Svay Rieng, on Monday.", [("Svay Rieng", "2025-03-10")]),
    ],
)
def test_provinces_listed_together_are_one_raid_each(text: str, expected: list) -> None:
    assert _raids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Different premises on consecutive days in one town: two raids.
        ("Police went into a casino hotel in Bavet on Tuesday. On Wednesday officers searched an "
         "office tower in Bavet.", [("Svay Rieng", "2025-03-11"), ("Svay Rieng", "2025-03-12")]),
        # One raid told over two days (searched, then the workers released).
        ("Police searched a hotel in Pailin on Tuesday. The workers found in the hotel were "
         "released on Wednesday.", [("Pailin", "2025-03-11")]),
    ],
)
def test_consecutive_days_at_different_premises_are_two_raids(text: str, expected: list) -> None:
    assert _raids(text) == expected


@pytest.mark.parametrize(
    ("sentence", "summary"),
    [
        ("Police carried out operations at two separate properties on consecutive nights.", True),
        ("Across the three operations, 98 people were detained.", True),
        ("警方分别对两处场所展开行动。", True),
        ("Police raided a compound in Kampot on Tuesday.", False),
        ("Officers searched the building floor by floor.", False),
    ],
)
def test_a_sentence_summing_several_operations_is_not_one_raid(sentence: str,
                                                               summary: bool) -> None:
    assert is_summary(sentence) is summary


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        ("a casino hotel", "an office tower", True),
        ("a villa", "a garment factory", True),
        ("a casino", "the hotel", False),  # one kind: lodging
        ("a compound", "an office tower", None),  # "compound" fits any kind
        ("赌场", "大楼", True),
    ],
)
def test_kinds_of_premises(a: str, b: str, different: bool | None) -> None:
    assert different_premises(a, b) is different


def test_each_raid_of_an_article_takes_only_its_own_counts() -> None:
    text = ("Police carried out operations at two properties in Kep this week, freeing 70 "
            "people in all.\n## Tuesday: the hotel\nOfficers went into a casino hotel in Kep. "
            "Forty Thais were escorted out. Six guards were detained.\n## Wednesday: the villa\n"
            "A second team entered a villa nearby. There police found 30 workers. Nine people "
            "were arrested.")
    events = sorted(extract_raids("", text, PUBLISHED), key=lambda e: e.date)
    assert [(e.date.isoformat(), e.arrested, e.rescued) for e in events] == [
        ("2025-03-11", 6, 40), ("2025-03-12", 9, 30)]
    assert [e.site for e in events] == ["a casino hotel", "a villa"]


def test_a_count_of_an_earlier_raid_in_the_paragraph_is_not_taken() -> None:
    text = ("In February police raided a compound in Kep and arrested 27 men. On March 5 "
            "officers removed 46 workers from a tower in Kep.")
    events = sorted(extract_raids("", text, PUBLISHED), key=lambda e: e.date)
    assert [(e.arrested, e.rescued) for e in events] == [(27, None), (None, 46)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Clauses, each an operation in its own province.
        ("Police searched a casino in Bavet on Tuesday, while officers in Kampot went into a "
         "resort.", [("Kampot", "2025-03-11"), ("Svay Rieng", "2025-03-11")]),
        # Places of different provinces, each with its own date.
        ("The list runs from the workers freed in Poipet in December to this month's "
         "search of a villa compound in Kep.", [("Banteay Meanchey", "2024-12"),
                                                 ("Kep", "2025-03")]),
        # One raid whose sentence also names another province.
        ("Police raided a casino in Kampot on Tuesday and sent the workers to Phnom Penh.",
         [("Kampot", "2025-03-11")]),
    ],
)
def test_several_raids_in_one_sentence_each_in_its_own_part(text: str, expected: list) -> None:
    assert _raids(text) == expected


def test_a_part_keeps_its_own_counts() -> None:
    text = ("Police searched a casino in Bavet on Tuesday and detained 12 men, while officers in "
            "Kampot went into a resort and freed 30 Thais.")
    events = {e.location: (e.arrested, e.rescued) for e in extract_raids("", text, PUBLISHED)}
    assert events == {"Svay Rieng": (12, None), "Kampot": (None, 30)}
