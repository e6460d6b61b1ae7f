"""A raid's counts come from the verb of each count's own clause. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from alerts.analysis.raid_counts import raid_counts


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        # Passive or bare participle after the count, past an apposition or an aside.
        ("Forty Laotians, nine of them minors, were escorted out at dawn.", {"rescue": 40}),
        ("Five men — three Chinese and two Cambodians — were held for questioning.",
         {"arrest": 5}),
        ("Twenty people, most of them Vietnamese, were arrested.", {"arrest": 20}),
        ("Thirty foreigners detained and eight Thais freed, police said.",
         {"arrest": 30, "rescue": 8}),
        # The object of the verb before it; one verb for each count.
        ("Officers removed 52 foreign workers from the tower and detained nine guards.",
         {"rescue": 52, "arrest": 9}),
        ("Police found 17 Kenyans inside and arrested four supervisors.",
         {"rescue": 17, "arrest": 4}),
        ("Twelve Filipinos were released to their embassy, and three managers were detained.",
         {"rescue": 12, "arrest": 3}),
        # Counts joined by "and" before one verb add up.
        ("Eleven Malaysians and six Indonesians were led out of the resort.", {"rescue": 17}),
        # Parts, totals and things that are not people are no count.
        ("Eight staff, including the owner and two cooks, were detained.", {"arrest": 8}),
        ("Since January, 2,000 people have been arrested nationwide.", {}),
        ("Police seized 300 phones and detained nobody.", {}),
        ("Of the 50 workers, 20 of them were freed.", {}),
    ],
)
def test_each_count_takes_the_verb_of_its_own_clause(sentence: str, counts: dict) -> None:
    assert raid_counts([sentence]) == counts


def test_the_first_sentence_that_gives_a_count_wins() -> None:
    assert raid_counts(["Police detained 14 men at the villa.",
                        "Police had detained 300 people in the province this year."]) == {
        "arrest": 14}
