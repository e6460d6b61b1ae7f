"""Guards and pre-checks skip work only when it cannot find anything: never another answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from alerts.analysis import claim_index, lexicon, phrases, raid_sentences
from alerts.analysis.count_nouns import ACTS_ON_PEOPLE
from alerts.analysis.count_shapes import PEOPLE_PRESENT
from alerts.analysis.lexicon import PERSON_HEADS
from alerts.analysis.phrases import PEOPLE_PARTICIPLES
from alerts.analysis.claims import extract_claims
from alerts.analysis.matching import find_observations
from alerts.analysis.guards import NO_GUARD, Guard, guard, required_literal
from alerts.analysis.relevance import RelevanceModel
from alerts.analysis.text import split_sentences
from tests.support import DEV_CORPUS, SEED_TXT


@pytest.mark.parametrize(("fragment", "literal"), [
    ("raid", "raid"), ("scams?", "scam"), ("fraud\\w*", "fraud"), ("pig[- ]butchering", "pig"),
    ("call[- ]cent(?:re|er)s?", "call"), ("forced labou?r", "forced labo"),
    ("dormitor(?:y|ies)", "dormitor"), ("U\\.N\\.", "U"), ("\\w+teen", ""), ("(?:a|b)", ""),
    ("a+", ""), ("ab{2}", "a"), ("", ""), ("诈骗", "诈骗"),
])
def test_the_required_literal_is_what_every_match_starts_with(fragment: str, literal: str) -> None:
    assert required_literal(fragment) == literal


def test_ascii_case_insensitive_matching_is_lower_case_equality() -> None:
    """The premise of the guards, for every pair of ASCII characters."""
    for p in map(chr, range(128)):
        pattern = re.compile(re.escape(p), re.IGNORECASE)
        for c in map(chr, range(128)):
            assert bool(pattern.fullmatch(c)) == (p.lower() == c.lower())


def test_guards_that_could_be_wrong_are_not_built() -> None:
    assert guard([]) is NO_GUARD  # an empty alternation matches everywhere
    assert guard(["raid", ""]) is NO_GUARD
    assert guard(["raid", "\\w+teen"]) is NO_GUARD
    # İ matches ASCII i case-insensitively, which str.lower() does not show.
    assert guard(["raid", "İstanbul"]) is NO_GUARD
    assert guard(["raid", "\u212aampot"]) is NO_GUARD  # the Kelvin sign matches k
    assert not NO_GUARD.excludes("nothing at all")


def test_a_guard_excludes_ascii_text_without_its_literals_only() -> None:
    g = guard(["raids?", "search of", "突查"])
    assert g.excludes("Police visited the building.")
    assert not g.excludes("Police RAIDED the building.")
    assert not g.excludes("Police did a Search Of the building.")
    assert not g.excludes("警方突查了园区。")  # not ASCII: the pattern decides
    assert not g.excludes("Police ſearched the building.")  # long s: the pattern decides
    assert guard(["突查"]).excludes("Police raided the building.")


def _sentences() -> list[str]:
    articles = json.loads((DEV_CORPUS / "corpus.json").read_text())["articles"]
    texts = ["\n".join(a["paragraphs"]) + "\n" + (a.get("title") or "") for a in articles]
    texts.append(SEED_TXT.read_text())
    extra = ["RAIDED THE COMPOUND SINCE MAY", "Fifteen", "canteen", "seventeen", "Nine",
             "at the end of MAY", "Ten sites", "Thirteen", "KK Park", "Myawaddy", "Khmer",
             "ONLINE GAMBLING", "pig butchering", "call-centres", "Sihanoukville", "Kampuchea",
             "scammed", "frauds", "brides", "Lao", "laos", "Cambodians", "U.N.", "İstanbul",
             "ſcam", "\u212aK Park", "Dozens", "2,000", "٣", "柬埔寨", "១២"]
    return [s.text for t in texts for s in split_sentences(t)] + extra


MODEL = RelevanceModel.build(0.5, ["scam centre", "U.N.", "诈骗园区"], ["Kep City"])
GUARDED = [
    (lexicon.RAID_TRIGGERS, lexicon.RAID_TRIGGERS_GUARD),
    (lexicon.PREMISES, lexicon.PREMISES_GUARD),
    (lexicon.CAMPAIGN, lexicon.CAMPAIGN_GUARD),
    (lexicon.BACKGROUND, lexicon.BACKGROUND_GUARD),
    (raid_sentences.MANY_PREMISES, raid_sentences.MANY_PREMISES_GUARD),
    (phrases.HAS_NUMBER, phrases._HAS_NUMBER_GUARD),
] + [(v.pattern, v.guard) for v in (MODEL.strong, MODEL.medium, MODEL.other_kind,
                                     MODEL.cambodia, MODEL.elsewhere)]


def test_a_guard_finds_its_literals_anywhere() -> None:
    g = guard(["raids?", "raided", "search of", "sealed off", "s", "诈骗"])
    assert g.literals == ("raid", "s")  # "raided", "search of"... hold one of them
    g = guard(["raid", "rescu\\w*", "freed", "free", "inspect", "in recent weeks", "ten"])
    assert g.literals == ("free", "in recent weeks", "inspect", "raid", "rescu", "ten")
    for text in ["", "r", "rai", "a raid", "RESCUED", "freely", "tenant", "in recent week",
                 "in recent weeks", "inspecting", "insp", "xxten", "raidfree"]:
        assert g.excludes(text) == (not any(n in text.lower() for n in g.literals)), text


@pytest.mark.parametrize(("pattern", "g"), GUARDED, ids=lambda x: getattr(x, "pattern", "")[:30])
def test_a_guard_never_excludes_a_sentence_its_pattern_matches(pattern: re.Pattern[str],
                                                               g: Guard) -> None:
    assert g is not NO_GUARD
    sentences = _sentences()
    for s in sentences:
        holds = any(n in s.lower() for n in g.literals)
        assert g.excludes(s) == (s.isascii() and not holds), s
        if g.excludes(s):
            assert pattern.search(s) is None, s
    # ... and it does exclude most sentences, or it would be of no use.
    assert sum(g.excludes(s) for s in sentences) > len(sentences) / 10


def test_has_number_answers_as_its_pattern() -> None:
    for s in _sentences() + ["no numbers here", "nineteen", "sixteenth", "One", "٣", "三"]:
        assert phrases.has_number(s) == (phrases.HAS_NUMBER.search(s) is not None), s


def test_a_quantity_head_is_held_by_its_ascii_sentence() -> None:
    """What _ClaimIndex.may_count relies on: the head (less a final y) is in the text, or,
    for a count of people told without the word, a participle or an act done to people."""
    published = dt.date(2023, 1, 1)
    people_words = PEOPLE_PARTICIPLES | ACTS_ON_PEOPLE | PEOPLE_PRESENT
    checked = 0
    for s in _sentences():
        if not s.isascii():
            continue
        for q in phrases.quantities(s, published):
            part = q.head[:-1] if q.head.endswith("y") else q.head
            assert part in s.lower() or (q.head in PERSON_HEADS and any(
                w in s.lower() for w in people_words)), (q.head, s)
            checked += 1
    assert checked > 100


def test_skipping_sentences_that_cannot_count_a_claim_changes_no_observation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    articles = json.loads((DEV_CORPUS / "corpus.json").read_text())["articles"]
    texts = ["\n".join(a["paragraphs"]) for a in articles]
    published = dt.date(2023, 1, 1)
    # The seed's claims and those of a few articles read as seeds.
    seeds = [SEED_TXT.read_text(), *texts[:4]]
    specs = [dataclasses.replace(c.spec, key=f"{c.spec.key}~{n}")
             for n, t in enumerate(seeds) for c in extract_claims(t, published)]
    index = claim_index.ClaimIndex.of(specs)
    sentences = [x.text for t in texts for x in split_sentences(t)]
    skipped = [s for s in sentences if phrases.has_number(s) and not index.may_count(s)]
    assert len(skipped) > 20
    skipping = [find_observations(t, specs, published) for t in texts]
    assert sum(map(len, skipping)) > 10
    monkeypatch.setattr(claim_index.ClaimIndex, "may_count", lambda self, sentence: True)
    fresh = [dataclasses.replace(s) for s in specs]  # another index, nothing kept
    assert [find_observations(t, fresh, published) for t in texts] == skipping
