"""Claim keys and labels: named after the counted noun, its verb and its qualifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.claims import extract_claims
from alerts.analysis.labels import gerund, participle, unique_key

PUBLISHED = dt.date(2023, 5, 10)
COMPLAINTS = ("Since March 1, the ministry has recorded 540 complaints about forced labour, "
              "including 120 cases occurring in Kampot province.")

# (sentence, value, key, label)
CASES = [
    ("Officers freed 212 workers from the compound, the spokesman said.",
     212, "workers_freed", "workers freed"),
    ("Police detained and deported 87 suspects after the operation, officials said.",
     87, "suspects_detained_deported", "suspects detained and deported"),
    ("Rescuers spent a week freeing 64 teenagers held in the complex.",
     64, "teenagers_freed", "teenagers freed"),
    ("Rescuers spent a week freeing 64 teenagers held in the complex in Kampot.",
     64, "teenagers_freed_kampot", "teenagers freed in Kampot"),
    ("An estimated 40,000 people have come to work in online scam centres, the report said.",
     40000, "people_working_centres", "people working in online scam centres"),
    (COMPLAINTS,
     540, "complaints", "complaints"),
    (COMPLAINTS,
     120, "complaints_kampot", "complaints in Kampot"),
    ("The court handled 12 cases in which 30 workers from four countries were trafficked.",
     12, "trafficking_cases", "trafficking cases"),
    ("The court handled 12 cases in which 30 workers from four countries were trafficked.",
     30, "workers_trafficked", "workers trafficked"),
    ("The court handled 12 cases in which 30 workers from four countries were trafficked.",
     4, "countries_origin", "countries of origin of trafficked workers"),
    ("Authorities have rescued 95 people and arrested 30 suspects.",
     95, "people_rescued", "people rescued"),
    ("Authorities have rescued 95 people and arrested 30 suspects.",
     30, "suspects_arrested", "suspects arrested"),
    ("Thailand remains at Tier 2 in the Global Slavery ranking.",
     "Tier 2", "gs_tier", "Global Slavery tier"),
]


@pytest.mark.parametrize(("sentence", "value", "key", "label"), CASES)
def test_a_claim_is_named_after_its_noun_verb_and_qualifiers(
        sentence: str, value: object, key: str, label: str) -> None:
    found = {c.spec.value: c.spec for c in extract_claims(sentence, PUBLISHED)}
    spec = found[value if isinstance(value, str) else float(value)]
    assert (spec.key, spec.label) == (key, label)


def test_the_long_measure_keeps_the_nouns_qualifier_the_verb_of_record_and_the_period() -> None:
    (whole, part) = extract_claims(COMPLAINTS, PUBLISHED)
    assert whole.spec.measure == "complaints about forced labour, recorded since 1 March 2023"
    assert part.spec.measure == ("complaints about forced labour, recorded in Kampot "
                                 "since 1 March 2023")


def test_keys_are_unique_by_the_next_most_specific_word_not_a_number() -> None:
    used: set[str] = set()
    assert unique_key(["people_rescued", "gambling"], used) == "people_rescued"
    assert unique_key(["people_rescued", "compounds", "online"], used) \
        == "people_rescued_compounds"
    assert unique_key(["people_rescued"], used) == "people_rescued_2"


def test_two_counts_of_the_same_noun_and_verb_in_one_seed_get_distinct_keys() -> None:
    text = ("Police rescued 40 people working in casinos. "
            "Police rescued 70 people working in call centres.")
    specs = [c.spec for c in extract_claims(text, PUBLISHED)]
    assert [s.key for s in specs] == ["people_rescued", "people_rescued_centres"]
    assert specs[1].measure == "people working in call centres, rescued"


@pytest.mark.parametrize(("word", "expected"), [
    ("rescuing", "rescued"), ("holding", "held"), ("carrying", "carried"),
    ("arrested", "arrested"), ("charging", "charged")])
def test_participle(word: str, expected: str) -> None:
    assert participle(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("trafficked", "trafficking"), ("work", "working"), ("live", "living"),
    ("held", "holding"), ("carried", "carrying")])
def test_gerund(word: str, expected: str) -> None:
    assert gerund(word) == expected


def test_the_alert_subject_uses_the_short_label() -> None:
    from alerts.delivery.render import alert_subject
    from alerts.delivery.message_data import AlertView
    from alerts.payloads import FigureChange

    view = AlertView("figure_change", FigureChange(
        claim_key="complaints_preah_sihanouk", label="complaints in Preah Sihanouk",
        claim="complaints related to trafficking, received in Preah Sihanouk since 18 August "
              "2022", previous_value=149, new_value=300))
    assert alert_subject(view) == "Figure changed: complaints in Preah Sihanouk 149 → 300"


@pytest.mark.parametrize(("sentence", "value", "label"), [
    ("内政部称，自8月18日以来共收到1100宗投诉。", 1100, "complaints"),
    ("警方在西港逮捕了38名嫌疑人。", 38, "suspects in Preah Sihanouk"),
])
def test_a_chinese_count_is_named_in_english(sentence: str, value: int, label: str) -> None:
    found = {c.spec.value: c.spec for c in extract_claims(sentence, PUBLISHED)}
    assert found[float(value)].label == label
