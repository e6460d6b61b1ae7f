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


@pytest.mark.parametrize(
    ("text", "arrested", "rescued"),
    [
        ("Police raided a casino in Bavet on Monday and detained 140 foreigners.", 140, None),
        ("Police detained forty-two people when they raided a building in Siem Reap on "
         "Wednesday.", 42, None),
        ("About 600 workers — most of them Indonesians — were detained when police searched a "
         "compound in Poipet on Friday.", 600, None),
        ("Some 75 foreign nationals were briefly held during the Tuesday search of a resort in "
         "Kampot province.", 75, None),
        ("Officers raided a hotel in Sihanoukville on Sunday and freed nine of the trapped "
         "workers.", None, 9),
        ("Police raided a compound in Kandal province on Thursday. Officers arrested 31 suspects "
         "and rescued two Thai women.", 31, 2),
        ("A Malaysian woman held in a casino in Bavet was freed in a police raid on Monday.",
         None, 1),
        ("Police raided an apartment block in Phnom Penh on Monday, and 48 foreigners were "
         "removed from the building.", None, 48),
        ("柬埔寨警方本月5日突击检查了金边的一处公寓，抓获十二名嫌疑人，解救三人。", 12, 3),
        # Campaign totals and other operations are not this raid's counts.
        ("Police raided a casino in Bavet on Monday. Since July, 2,500 people have been arrested "
         "nationwide.", None, None),
        ("Police raided a compound in Kandal on Tuesday. This year police have detained 900 "
         "foreigners in the province.", None, None),
        ("Police raided a casino in Bavet on Monday and detained 140 foreigners, bringing the "
         "total arrested this year to 3,000.", 140, None),
    ],
)
def test_a_raid_carries_the_counts_of_its_own_sentences(text: str, arrested: int | None,
                                                        rescued: int | None) -> None:
    (event,) = extract_raids("", normalise(text), dt.date(2025, 6, 12))
    assert (event.arrested, event.rescued) == (arrested, rescued)


def test_a_count_from_another_operation_in_the_next_sentence_is_not_taken() -> None:
    text = ("Police raided a hotel in Kampot on Monday. On Friday, officers in Phnom Penh "
            "arrested 40 foreigners at a separate building.")
    events = extract_raids("", text, dt.date(2025, 6, 14))
    kampot = [e for e in events if e.location == "Kampot"]
    assert kampot and kampot[0].arrested is None


@pytest.mark.parametrize(
    ("text", "arrested"),
    [
        ("Police raided a building in Kandal province on Thursday and arrested 12 of their "
         "compatriots.", 12),
        ("Police raided a building in Kandal province on Thursday. So far this year, police have "
         "arrested 300 of their compatriots.", None),
    ],
)
def test_a_sub_count_after_its_verb_counts_unless_it_is_a_campaign_total(
        text: str, arrested: int | None) -> None:
    (event,) = extract_raids("", text, dt.date(2025, 6, 14))
    assert event.arrested == arrested
