"""Which sentences are observations of which seed claim, and which are background."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest

from alerts.analysis.claims import ClaimSpec, extract_claims, json_value
from alerts.analysis.matching import find_observations
from alerts.seed import read_seed
from tests.support import SEED_JSON


@lru_cache(maxsize=1)
def specs() -> dict[str, ClaimSpec]:
    seed = read_seed(str(SEED_JSON))
    found = extract_claims(seed.text, dt.date(2022, 9, 30))
    return {repr(json_value(c.spec.value)): c.spec for c in found}


def claim_for(seed_value: str) -> str:
    return specs()[seed_value].key


@pytest.mark.parametrize(
    ("sentence", "published", "seed_value", "value", "current"),
    [
        ("Authorities in Preah Sihanouk province received 420 complaints about human trafficking "
         "between August 18 and October 4.", "2022-10-10", "149", 420, True),
        ("Authorities dealt with 850 trafficking complaints between August 18 last year and "
         "April 17, a period in which more than 2,000 foreigners were rescued.",
         "2023-04-19", "368", 850, True),
        ("Over the same period the committee rescued 2,132 people.", "2023-06-01", "361", 2132,
         True),
        ("Police arrested 129 suspects over the course of the operations.", "2023-04-19", "41",
         129, True),
        ("Around 100,000 people in Cambodia may be held in situations where they are forced to "
         "carry out online scams, the UN said.", "2023-08-30", "[70000, 100000]", 100000, True),
        ("Officials said scam centres in Cambodia are estimated to employ about 200,000 people.",
         "2025-10-18", "[70000, 100000]", 200000, True),
        ("Last year, the ministry said 70,000 to 100,000 people had come to work in illegal "
         "online gambling.", "2023-08-30", "[70000, 100000]", [70000, 100000], False),
        ("A 2023 UN report estimated that around 100,000 people were held in scam operations in "
         "Cambodia.", "2026-02-11", "[70000, 100000]", 100000, False),
        ("The United States has kept Cambodia on Tier 3 for a second year.", "2023-06-16",
         "'Tier 3'", "Tier 3", True),
        ("Washington first dropped Cambodia to Tier 3 in July 2022.", "2023-06-16", "'Tier 3'",
         "Tier 3", False),
        ("The ministry, which opened its hotline in 2022, has now received 3,000 complaints "
         "since August 18, 2022.", "2024-03-01", "368", 3000, True),
        ("美国国务院的人口贩运报告仍将柬埔寨列为第三级。", "2023-06-20", "'Tier 3'", "Tier 3", True),
        ("The report moved Cambodia up to Tier 2 Watch List.", "2025-06-20", "'Tier 3'",
         "Tier 2 Watch List", True),
        ("柬埔寨约有10万人可能被困在诈骗园区，被迫从事网络诈骗。", "2023-08-31", "[70000, 100000]",
         100000, True),
        ("柬埔寨内政部表示，自2022年8月18日以来，政府已收到1100宗涉及人口贩卖的投诉。", "2023-05-01",
         "368", 1100, True),
        ("The number of trafficking complaints received by the government has risen to 1,100 "
         "since August 18.", "2023-05-01", "368", 1100, True),
        ("The ministry said police had now arrested 300 suspects since the campaign began in "
         "August 2022.", "2023-05-01", "41", 300, True),
        ("In 2022 the ministry had counted 368 complaints.", "2024-05-01", "368", 368, False),
        ("Since August 18, the government has received 1,100 complaints, a spokesman said, "
         "including 400 in Preah Sihanouk province.", "2023-01-10", "149", 400, True),
        ("The number of people rescued since August 18 has risen to 2,500.", "2023-01-10", "361",
         2500, True),
        ("About 100,000 people remain trapped in scam compounds in Cambodia, the UN says.",
         "2023-09-01", "[70000, 100000]", 100000, True),
    ],
)
def test_a_sentence_states_a_value_of_a_seed_claim(
    sentence: str, published: str, seed_value: str, value: object, current: bool
) -> None:
    found = find_observations(sentence, list(specs().values()), dt.date.fromisoformat(published))
    matching = [o for o in found if o.claim_key == claim_for(seed_value)]
    assert matching, sentence
    assert json_value(matching[0].value) == value
    assert matching[0].current is current


@pytest.mark.parametrize(
    "sentence",
    [
        "It said 229 of the complaints involved kidnapping, torture or illegal gambling.",
        "Families filed 18 new complaints with the ministry over just two days this week.",
        "Oddar Meanchey authorities have rescued 75 foreigners from the casino area of O'Smach.",
        "The Thai government said 215 people had been rescued from a single three-storey building.",
        "The report said at least 120,000 people across Myanmar could be in a similar position.",
        "Around 1,000 South Koreans are estimated to work in scam centres in Cambodia.",
        "So far this month the unit has apprehended 92 scam suspects and freed two Korean victims.",
        "The commission says 3,455 people have been arrested at 92 sites since late June.",
        "Police could not hold back the 6,000 to 7,000 workers who walked out of the complex.",
        "The committee received over 3,500 requests for intervention, involving 6,584 people, "
        "between the start of 2024 and early 2025.",
        "Reports of South Koreans being confined had risen from fewer than 20 to 220 cases.",
        "The National Police said 2,500 complaints about trafficking have been received this year.",
        "Since January, police have rescued 1,500 people.",
        "More than 200 people were arrested in a raid on a casino in Sihanoukville on Tuesday.",
    ],
)
def test_look_alike_figures_are_not_observations(sentence: str) -> None:
    found = find_observations(sentence, list(specs().values()), dt.date(2025, 10, 20),
                              {s.key: s.value for s in specs().values()})
    changed = [o for o in found if o.current and json_value(o.value) != json_value(
        next(s.value for s in specs().values() if s.key == o.claim_key))]
    assert changed == [], [(o.claim_key, o.value) for o in changed]


def test_a_running_total_that_falls_is_an_older_figure() -> None:
    spec = specs()["368"]
    text = "The ministry has received 500 complaints about human trafficking since August 18."
    assert find_observations(text, [spec], dt.date(2023, 5, 1), {spec.key: 850}) == []
    assert find_observations(text, [spec], dt.date(2023, 5, 1), {spec.key: 368})
