"""Counts agree with their nouns."""

from __future__ import annotations

import pytest

from alerts.delivery.mail_status import plain_error
from alerts.delivery.plural import plural


@pytest.mark.parametrize("n,noun,expected", [
    (1, "figure change", "1 figure change"), (2, "figure change", "2 figure changes"),
    (0, "alert", "0 alerts"), (1, "entity", "1 entity"), (19, "entity", "19 entities"),
    (3, "copy", "3 copies"), (1204, "article", "1,204 articles"), (2, "match", "2 matches"),
])
def test_plural(n: int, noun: str, expected: str) -> None:
    assert plural(n, noun) == expected


@pytest.mark.parametrize("error,expected", [
    ("temporary: cannot connect to 127.0.0.1:25: [Errno 111] Connection refused",
     "127.0.0.1:25: connection refused"),
    ("login refused: 535 bad credentials", "login refused: 535 bad credentials"),
])
def test_smtp_errors_in_plain_words(error: str, expected: str) -> None:
    assert plain_error(error) == expected
