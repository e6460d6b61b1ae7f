"""The seed baseline: every claim of claims.json, with its value, from both
retellings of the seed, and hardly anything else."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from alerts.analysis.claims import SeedClaim, extract_claims, json_value
from alerts.analysis.entities import extract_entities
from alerts.seed import read_seed
from tests.support import CLAIMS_JSON, SEED_JSON, SEED_TXT

EXPECTED = json.loads(CLAIMS_JSON.read_text())["claims"]
MAX_SPURIOUS = 3


def _seed_claims(path: Any) -> list[SeedClaim]:
    seed = read_seed(str(path))
    return extract_claims(seed.text, seed.published or dt.date(2022, 9, 30))


@pytest.fixture(params=[SEED_JSON, SEED_TXT], ids=["seed.json", "seed-article.txt"])
def seed_claims(request: pytest.FixtureRequest) -> list[SeedClaim]:
    return _seed_claims(request.param)


def test_every_claim_of_the_seed_is_found_with_its_value(seed_claims: list[SeedClaim]) -> None:
    values = [json_value(c.spec.value) for c in seed_claims]
    for claim in EXPECTED:
        assert claim["value"] in values, claim["key"]


def test_the_seed_yields_only_a_few_spurious_claims(seed_claims: list[SeedClaim]) -> None:
    expected_values = [c["value"] for c in EXPECTED]
    spurious = [c for c in seed_claims if json_value(c.spec.value) not in expected_values]
    assert len(spurious) <= MAX_SPURIOUS, [c.spec.key for c in spurious]


def test_claims_carry_scope_qualifier_and_quote(seed_claims: list[SeedClaim]) -> None:
    by_value = {repr(json_value(c.spec.value)): c.spec for c in seed_claims}
    province = by_value["149"]
    assert province.place == "Preah Sihanouk"
    assert province.period_start == dt.date(2022, 8, 18)
    assert "complaint" in province.heads  # a part of the complaints it is counted among
    workers = by_value["[70000, 100000]"]
    assert workers.qualifier == "~" and {"scam", "work"} <= workers.concepts
    assert "41" in by_value["41"].quote and "suspect" in by_value["41"].heads
    assert by_value["'Tier 3'"].kind == "tier"


def test_the_seed_date_is_inferred_from_its_text_when_it_has_no_metadata() -> None:
    assert read_seed(str(SEED_TXT)).published == dt.date(2022, 9, 29)


def test_entities_are_found_with_aliases() -> None:
    entities = {(e.kind, e.name): e for e in extract_entities(SEED_TXT.read_text())}
    for name in ("Hun Sen", "Sar Kheng", "Sok Phal", "Jeremy Douglas"):
        assert ("person", name) in entities
    assert "Kheng" in entities[("person", "Sar Kheng")].aliases
    assert "UNODC" in entities[("organisation", "U.N. Office on Drugs and Crime")].aliases
    assert ("organisation", "Interior Ministry") in entities
    assert "Sihanoukville" in entities[("place", "Preah Sihanouk")].aliases
    assert ("event", "National Inter-Faith Forum Against Human Trafficking") in entities


def test_an_html_seed_is_read_through_trafilatura(tmp_path) -> None:
    from html import escape

    doc = json.loads(SEED_JSON.read_text())
    body = "".join(f"<p>{escape(p)}</p>" for p in doc["paragraphs"])
    page = (f"<!doctype html><html><head><title>{escape(doc['title'])}</title>"
            f'<meta property="article:published_time" content="{doc["published"]}"></head>'
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{escape(doc['title'])}</h1>{body}</article>"
            f"<footer>Copyright</footer></body></html>")
    path = tmp_path / "seed.html"
    path.write_text(page)
    seed = read_seed(str(path))
    assert seed.title.startswith("Hun Sen")
    assert seed.published == dt.date(2022, 9, 30)
    values = [json_value(c.spec.value) for c in extract_claims(seed.text, seed.published)]
    for claim in EXPECTED:
        assert claim["value"] in values, claim["key"]
