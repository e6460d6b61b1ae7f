"""An interview's bare-count answer states the count its question asked for.

"Q: How many complaints has the hotline received?" / "A: More than 1,100." is
one statement split over two lines (often two paragraphs). Only an answer that
is nothing but a count takes the question's noun and clause; an answer with
words of its own, a question about something else, or a question scoped to a
period or one province (its scope rules then apply) states no such figure.
All sentences are written for this test.
"""

from __future__ import annotations

import pytest

from tests.analysis.test_scope_rules import observed

COMPLAINTS, RESCUED = "368", "361"


@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Q: How many complaints has the hotline received? A: More than 1,100.",
     COMPLAINTS, [(1100, True)]),
    ("Q: How many complaints has the hotline received?\n\nA: About 1,150.",
     COMPLAINTS, [(1150, True)]),
    ("How many complaints has your hotline received so far?\n\nNearly 1,200.",
     COMPLAINTS, [(1200, True)]),
    ("Question: How many people have been rescued from the compounds?\n\nAnswer: 3,100.",
     RESCUED, [(3100, True)]),
    # the answer says something of its own: not a bare count
    ("Q: How many complaints has the hotline received? A: We stopped counting at 50 a day.",
     COMPLAINTS, []),
    # a question about another thing
    ("Q: How many staff answer the hotline? A: About 40.", COMPLAINTS, []),
    # scoped questions keep their scope
    ("Q: How many complaints has the hotline received this year? A: About 300.",
     COMPLAINTS, []),
    ("Q: How many people were rescued in Kampot? A: About 300.", RESCUED, []),
    # a count after some other sentence answers no question
    ("Q: How many complaints has the hotline received? It is hard to say. About 1,100.",
     COMPLAINTS, []),
])
def test_a_bare_count_answers_the_question_before_it(text: str, seed: str,
                                                    expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected
