from __future__ import annotations

import pytest

from alerts.analysis.places import find_places, find_places_loosely, province_names, province_of


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("Sihanoukville", "Preah Sihanouk"),
        ("Kampong Som", "Preah Sihanouk"),
        ("Bavet", "Svay Rieng"),
        ("Poipet", "Banteay Meanchey"),
        ("O'Smach", "Oddar Meanchey"),
        ("Kong Pisei", "Kampong Speu"),
        ("Boeng Keng Kang", "Phnom Penh"),
        ("Siem Reap", "Siem Reap"),
        ("Mondulkiri", "Mondulkiri"),
        ("西哈努克市", "Preah Sihanouk"),
        ("ភ្នំពេញ", "Phnom Penh"),
    ],
)
def test_a_place_name_resolves_to_its_province(name: str, province: str) -> None:
    assert province_of(name) == province


def test_the_gazetteer_gives_twenty_five_provinces_in_their_usual_spelling() -> None:
    names = province_names()
    assert len(names) == 25
    assert {"Preah Sihanouk", "Siem Reap", "Oddar Meanchey", "Mondulkiri"} <= set(names)


def test_places_are_found_in_running_text_in_order() -> None:
    found = find_places("a raid in the Bokor Hill area of Kampot province, far from Poipet")
    assert [p.province for p in found] == ["Kampot", "Kampot", "Banteay Meanchey"]


def test_common_words_are_not_places() -> None:
    assert find_places("The police said the complex was empty and the site was sealed.") == []


def test_a_chinese_province_name_inside_an_ordinary_word_is_not_a_place() -> None:
    from alerts.analysis.places import find_places

    assert find_places("没有发现英国公民") == []
    assert [p.province for p in find_places("国公省警方")] == ["Koh Kong"]


@pytest.mark.parametrize(
    ("text", "province"),
    [
        # The gazetteer's romanisation differs from the news' in its vowels.
        ("Police entered a compound in Tuek Chhou district.", "Kampot"),
        ("a casino in Memot town", "Tboung Khmum"),
        ("a factory in Phnom Sruoch district", "Kampong Speu"),
        ("In Koh Thom, officers searched a casino.", "Kandal"),
        ("a tower in Russei Keo", "Phnom Penh"),  # aspirates dropped: "Russei Kaev"
        ("a villa in Botum Sakor", "Koh Kong"),
        # Names of people, nationalities and words that are no place.
        ("Interior Minister Sar Kheng said.", None),
        ("The Indonesians were freed.", None),
        ("Thai police said.", None),
        ("in Otres", None),
    ],
)
def test_districts_spelt_another_way_resolve_to_their_province(text: str,
                                                               province: str | None) -> None:
    found = find_places_loosely(text)
    assert (found[0].province if found else None) == province


def test_an_exact_name_wins_over_a_loose_one() -> None:
    assert [p.province for p in find_places_loosely("in Kampot's Tuek Chhou district")] == [
        "Kampot"]
