"""Analysing a 1,000-word article against 50 claims takes milliseconds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

from alerts.analysis.claims import extract_claims
from alerts.analysis.matching import find_observations
from alerts.analysis.raids import extract_raids
from alerts.analysis.relevance import RelevanceModel
from alerts.seed import read_seed
from tests.support import DEV_CORPUS, SEED_JSON

# Generous for a shared CI machine; on an idle core it is a few milliseconds.
BUDGET_SECONDS = 0.05


def test_a_thousand_word_article_against_fifty_claims_is_analysed_in_milliseconds() -> None:
    seed = read_seed(str(SEED_JSON))
    base = [c.spec for c in extract_claims(seed.text, dt.date(2022, 9, 30))]
    specs = [dataclasses.replace(s, key=f"{s.key}_{i}") for i in range(6) for s in base][:50]
    articles = json.loads((DEV_CORPUS / "corpus.json").read_text())["articles"]
    paragraphs: list[str] = []
    for article in articles[1:]:
        paragraphs += article["paragraphs"]
        if len(" ".join(paragraphs).split()) >= 1000:
            break
    text = "\n".join(paragraphs)
    model = RelevanceModel.build()
    published = dt.date(2023, 1, 1)
    timings = []
    for _ in range(7):
        start = time.process_time()
        model.judge("", text)
        find_observations(text, specs, published)
        extract_raids("", text, published)
        timings.append(time.process_time() - start)
    assert sorted(timings)[len(timings) // 2] < BUDGET_SECONDS
