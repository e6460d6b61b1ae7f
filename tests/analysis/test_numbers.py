from __future__ import annotations

import pytest

from alerts.analysis.numbers import find_numbers
from alerts.analysis.text import normalise


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier"),
    [
        ("the government received 368 complaints", 368, "="),
        ("more than 1,000 people were rescued", 1000, ">"),
        ("an industry worth 1.2 million", 1_200_000, "="),
        ("including nine cases in which", 9, "="),
        ("Sixty-four South Koreans landed at Incheon", 64, "="),
        ("about 70,000 to 100,000 people", (70_000, 100_000), "~"),
        ("between 70,000 and 100,000 people came", (70_000, 100_000), "="),
        ("at least 120,000 people across Myanmar", 120_000, ">="),
        ("fewer than 20 in 2023", 20, "<"),
        ("dozens of stories have surfaced", 24, ">"),
        ("政府估计约有7万至10万人来柬从事非法网络赌博", (70_000, 100_000), "~"),
        ("柬埔寨约有10万人可能被困在诈骗园区", 100_000, "~"),
        ("当场逮捕三十八名嫌疑人", 38, "="),
        ("逮捕三千四百五十五人", 3455, "="),
        ("ក្រសួងបានទទួល ៣៦៨ ពាក្យបណ្តឹង", 368, "="),
    ],
)
def test_a_quantity_is_read_with_its_qualifier(sentence: str, value: object, qualifier: str) -> None:
    found = find_numbers(normalise(sentence))
    assert found, sentence
    expected = tuple(float(v) for v in value) if isinstance(value, tuple) else float(value)
    assert found[0].value == expected
    assert found[0].qualifier == qualifier


def test_vague_amounts_are_marked_vague() -> None:
    (found,) = find_numbers("thousands of foreigners were lured")
    assert found.vague and found.value == 2000


def test_a_chinese_range_is_one_quantity_not_three() -> None:
    assert len(find_numbers("约有7万至10万人")) == 1
