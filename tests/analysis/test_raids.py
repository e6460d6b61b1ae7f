"""Raid events: one per operation on identified premises; campaign tallies are not raids."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.raids import extract_raids
from alerts.analysis.text import normalise


@pytest.mark.parametrize(
    ("text", "published", "location", "date"),
    [
        ("A raid in Poipet on Saturday freed 215 foreigners from a building suspected of "
         "housing a scam centre.", "2025-02-23", "Banteay Meanchey", "2025-02-22"),
        ("Police carried out an administrative inspection of Venus Casino and Resort in Bavet, in "
         "Svay Rieng province, on December 4.", "2024-12-14", "Svay Rieng", "2024-12-04"),
        ("Cambodian authorities detained 57 South Koreans on Wednesday in a search of a building "
         "complex on the outskirts of Phnom Penh.", "2025-10-23", "Phnom Penh", "2025-10-22"),
        ("Kampot has drawn attention since a student died there. On October 28, police arrested "
         "59 Vietnamese at the Bokor Eco-Tourism Park complex there.", "2026-02-11", "Kampot",
         "2025-10-28"),
        ("柬埔寨执法部门本月13日突击检查了西哈努克市的金水赌场，当场逮捕三十八名嫌疑人。", "2025-12-16",
         "Preah Sihanouk", "2025-12-13"),
        ("柬埔寨警方19日在金边突击检查一栋大楼，逮捕20人。据《柬中时报》21日报道。", "2025-12-22",
         "Phnom Penh", "2025-12-19"),
        ("Police shut down a scam compound in Kampong Som on Tuesday and detained 300 "
         "foreigners.", "2024-03-08", "Preah Sihanouk", "2024-03-05"),
        ("Last month police raided one company's compound in Sihanoukville and arrested 27 "
         "foreigners.", "2022-10-11", "Preah Sihanouk", "2022-09-01"),
        ("កាលពីថ្ងៃទី១៣ ខែធ្នូ សមត្ថកិច្ចបានឆែកឆេរកាស៊ីណូមួយនៅខេត្តព្រះសីហនុ "
         "និងចាប់ខ្លួនជនសង្ស័យ ៣៨ នាក់។", "2025-12-16", "Preah Sihanouk", "2025-12-13"),
    ],
)
def test_an_operation_on_premises_is_a_raid(text: str, published: str, location: str,
                                            date: str) -> None:
    (event,) = extract_raids("", normalise(text), dt.date.fromisoformat(published))
    assert event.location == location
    assert event.date == dt.date.fromisoformat(date)


@pytest.mark.parametrize(
    "text",
    [
        "Cambodia's commission says 3,455 people have been arrested at 92 sites since late June.",
        "Police have raided more than 10 compounds in each of Phnom Penh and Sihanoukville in "
        "recent weeks.",
        "The raids began in late August after months of accounts from foreign workers.",
        "Cambodia has periodically raided compounds in the city.",
        "从9月15日到10月13日，全国警方共突击检查了一万多处涉嫌非法赌博的场所。",
        "Investigators first picked up the ring's trail in June, when four members were arrested "
        "in Vietnam.",
        "Myanmar troops raided the KK Park compound in Myawaddy on Monday.",
        "Scam gangs once ran compounds in Poipet. Thai police raided a building in Mae Sot, "
        "Thailand, on Monday.",
        "Scam gangs once ran compounds in Poipet. On Friday police arrested five Cambodians at a "
        "hotel in Bangkok.",
    ],
)
def test_campaign_totals_and_undated_or_foreign_operations_are_not_raids(text: str) -> None:
    assert extract_raids("", text, dt.date(2025, 10, 30)) == []


def test_sentences_about_one_operation_make_one_event_with_its_counts() -> None:
    text = ("A South Korean man held inside a scam compound has been freed in a raid by police, "
            "who also arrested 26 of his compatriots, the agency said on Sunday.\n"
            "The Thursday raid targeted a building in Mondulkiri province that stands 50 metres "
            "from Vietnam.\n"
            "The operation was originally set for Saturday.")
    (event,) = extract_raids("", text, dt.date(2025, 12, 21))
    assert event.location == "Mondulkiri"
    assert event.date == dt.date(2025, 12, 18)
    assert event.site and "building" in event.site
