"""Relevance to the watched story: scam compounds, and trafficking into scam
work, with a Cambodian link (English and Chinese).

The score grows with sentences that speak of the scam industry (scam
compounds, online scams, trafficking into forced scamming) *and* tie it to
Cambodia (the country, its people, a province or town from the gazetteer).
Scam words with no Cambodian link (Myanmar's or Laos's hubs) and Cambodian
news with no scam words score low. Extra topic and place words come from
`RelevanceConfig`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from alerts.analysis.guards import NO_GUARD, Guard, Guarded, guard
from alerts.analysis.places import mentions_place
from alerts.analysis.text import split_sentences

# Scam-industry words (strong) and trafficking/crackdown words (medium).
STRONG = (r"scams?", r"scammers?", r"scamming", r"fraud\w*", r"compounds?", r"online gambling",
          r"illegal gambling", r"pig[- ]butchering", r"call[- ]cent(?:re|er)s?",
          r"诈骗", r"电诈", r"园区", r"网络赌博", r"非法赌博", r"网赌", r"杀猪盘",
          r"ឆបោក", r"បោកប្រាស់", r"ល្បែងស៊ីសងតាមអនឡាញ")
MEDIUM = (r"traffick\w*", r"forced labou?r", r"confine\w*", r"lured", r"rescu\w*", r"raid\w*",
          r"freed", r"promised jobs?", r"fake jobs?", r"job offers?", r"forced to work",
          r"人口贩卖", r"拐卖", r"解救", r"突查", r"突击检查", r"非法拘禁",
          r"ជួញដូរមនុស្ស", r"ជួយសង្គ្រោះ", r"ឆែកឆេរ", r"បង្ក្រាប")
# Frauds that are not the scam industry (a Ponzi scheme, a land fraud): their scam words
# do not count as the story's.
OTHER_SCAM = (r"ponzi(?: schemes?)?", r"pyramid schemes?",
              r"(?:land|tax|bank|banking|insurance|election|electoral|vote|voter|visa|academic|"
              r"accounting|securities|customs|procurement|title|property|loan|welfare) fraud\w*",
              r"fraudulent (?:land|titles?|deeds?|invoices?|loans?)", r"非法集资", r"传销", r"土地诈骗",
              r"土地詐騙")
# Trafficking of other kinds: a different story.
OTHER_KIND = (r"surrogac\w*", r"surrogates?", r"brides?", r"organ trade", r"child marriage",
              r"fishing boats?", r"fishing vessels?", r"brothels?", r"sex work\w*",
              r"domestic workers?", r"maids?", r"代孕", r"渔船")
CAMBODIA = (r"Cambodia", r"Cambodian", r"Cambodians", r"Khmer", r"Phnom Penh", r"柬埔寨", r"柬方",
            r"柬", r"កម្ពុជា")
ELSEWHERE = (r"Myanmar", r"Burma", r"Laos", r"Lao", r"Philippines", r"Myawaddy", r"KK Park",
             r"Golden Triangle", r"缅甸", r"老挝", r"妙瓦底", r"菲律宾")
# Traditional Chinese forms of the same words.
STRONG += (r"詐騙", r"電詐", r"園區", r"網絡賭博", r"非法賭博", r"網賭", r"殺豬盤")
MEDIUM += (r"人口販賣", r"拐賣", r"突擊檢查", r"非法拘禁")
ELSEWHERE += (r"緬甸", r"老撾", r"菲律賓")
_SCALE = 1.5
EVIDENCE_WEIGHT, MAX_EVIDENCE = 1.0, 3


_DATELINE = re.compile(r"^([A-Z][A-Z'’.\- ]{2,40}?)(?=,| —| -)")


def _dateline(sentence: str) -> str:
    """'SIHANOUKVILLE, Feb 15 — ...': a capitalised dateline names a place like any other."""
    if not sentence[:3].isupper():
        return sentence
    return _DATELINE.sub(lambda m: m.group(1).title(), sentence, count=1)


@dataclass(frozen=True)
class RelevanceResult:
    score: float  # 0..1
    relevant: bool
    topic_sentences: int
    linked_sentences: int


def _alternatives(terms: Sequence[str], extra: Sequence[str] = ()) -> list[str]:
    return list(terms) + [re.escape(t) for t in extra]


def _compile(alts: list[str]) -> Guarded:
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(alts) + r")(?![a-z])", re.IGNORECASE)
    return Guarded(pattern, guard(alts))


@dataclass(frozen=True)
class RelevanceModel:
    """Compiled vocabularies; build once with `RelevanceModel.build(...)`."""

    strong: Guarded
    medium: Guarded
    other_scam: Guarded
    other_kind: Guarded
    cambodia: Guarded
    elsewhere: Guarded
    threshold: float
    # Excludes a sentence that none of the five vocabularies can match.
    quiet: Guard = NO_GUARD

    @classmethod
    def build(cls, threshold: float = 0.5, topic_terms: Sequence[str] = (),
              place_terms: Sequence[str] = ()) -> RelevanceModel:
        vocabularies = [_alternatives(STRONG, topic_terms), _alternatives(MEDIUM),
                        _alternatives(OTHER_SCAM), _alternatives(OTHER_KIND),
                        _alternatives(CAMBODIA, place_terms), _alternatives(ELSEWHERE)]
        strong, medium, other_scam, other_kind, cambodia, elsewhere = map(_compile, vocabularies)
        return cls(strong, medium, other_scam, other_kind, cambodia, elsewhere, threshold,
                   guard([alt for alts in vocabularies for alt in alts]))

    def _linked(self, s: str) -> bool:
        return bool(self.cambodia.search(s) or mentions_place(s))

    def judge(self, title: str, text: str, evidence: int = 0) -> RelevanceResult:
        """A score in 0..1 and the verdict (score >= threshold).

        `evidence`: how many sentences state a figure of the seed's claims (found
        by `matching`); each ties the article to the story as a linked sentence does."""
        sentences = ([title] if title else []) + [x.text for x in split_sentences(text)]
        weight = topic = 0.0
        linked_any = False
        topic_sentences = linked_sentences = 0
        for s in map(_dateline, sentences):
            if self.quiet.excludes(s):
                # No topic word: it adds no weight and can only link the article.
                linked_any = linked_any or mentions_place(s)
                continue
            linked = self._linked(s)
            linked_any = linked_any or linked
            strong = bool(self.strong.search(s))
            # "a Ponzi scheme", "land fraud": their scam words are not the story's
            other_scam = strong and bool(self.other_scam.search(s))
            if other_scam:
                s = self.other_scam.pattern.sub(" ", s)
                strong = bool(self.strong.search(s))
            medium = bool(self.medium.search(s))
            topic_sentences += strong or medium
            linked_sentences += linked and (strong or medium)
            weight += 0.3 * strong + 0.2 * medium
            if linked:
                weight += 1.0 * strong + 0.6 * medium
            elif (strong or medium) and self.elsewhere.search(s):
                weight -= 0.5
            if self.other_kind.search(s) or other_scam:
                weight -= 1.0
        if evidence:
            linked_any = True
            weight += EVIDENCE_WEIGHT * min(evidence, MAX_EVIDENCE)
        topic = max(weight, 0.0) if linked_any else 0.0
        score = 1 - math.exp(-topic / _SCALE)
        return RelevanceResult(round(score, 3), score >= self.threshold, topic_sentences,
                               linked_sentences)
