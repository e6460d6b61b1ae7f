"""What a number counts: the noun phrase after it, or before it ("complaints rose to N",
"投诉1380宗")."""

from __future__ import annotations

import re

from alerts.analysis.text import stem

_STOP = {
    "from", "in", "of", "on", "at", "who", "whom", "which", "that", "were", "was", "had", "have",
    "has", "are", "is", "be", "been", "to", "and", "or", "with", "between", "since", "over",
    "by", "for", "about", "across", "including", "into", "inside", "as", "but", "while",
    "after", "before", "during", "they", "it", "could", "may", "might", "would", "will",
    "said", "says", "say", "under", "out", "up", "the", "a", "an", "per", "than", "more",
    "whose", "where", "when", "being", "now", "still", "all", "each", "held", "found",
    "so", "thus", "already",  # "1,100 so far": no noun follows
}
_SKIP_ADJ = {"new", "other", "more", "different", "further", "additional", "separate", "major",
             "suspected", "foreign", "south", "north", "total", "combined", "estimated"}
_PLURAL_NOUNS = {"people", "children", "men", "women", "police", "staff", "personnel"}
_VERBS = {"came", "come", "went", "go", "got", "took", "fled", "remain", "remained", "live",
          "lived", "work", "worked", "died", "arrived", "face", "faced", "left", "returned",
          "stayed", "did", "do", "can", "cannot", "must", "should", "need", "needed"}
_NOUNS_ING = {"building", "buildings", "housing", "meeting", "meetings", "hearing", "hundred"}
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "second", "time", "percent",
               "per", "am", "pm", "a.m", "p.m", "km", "kilometre", "metre", "meter", "mile"}
_ZH_HEADS = {"人": "人", "名": "人", "处": "处", "起": "起", "宗": "起", "个": "个",
             "នាក់": "人", "ករណី": "起"}
# Chinese counts: a measure word, then often the noun ("1100宗投诉", "三十八名嫌疑人").
_ZH_NOUNS = {"投诉": "complaint", "举报": "complaint", "嫌疑人": "suspect", "嫌犯": "suspect",
             "犯罪嫌疑人": "suspect", "国家": "country", "受害者": "人", "外国人": "人", "外籍人士": "人",
             "劳工": "人", "工人": "人",
             # Traditional Chinese
             "投訴": "complaint", "舉報": "complaint", "检举": "complaint", "檢舉": "complaint", "受害人": "人",
             "外國人": "人", "勞工": "人",
             # Khmer: complaints, suspects, victims (both spellings of the subscript t/d)
             "ពាក្យបណ្តឹង": "complaint", "ពាក្យបណ្ដឹង": "complaint", "ជនសង្ស័យ": "suspect",
             "ជនរងគ្រោះ": "人"}
# "2400多宗": "more than" may come between the number and its measure word.
_ZH_CLASSIFIER = re.compile(r"\s*(?:多|余|餘)?([人名处起宗个]|នាក់|ករណី)")
_ZH_NOUN = re.compile("|".join(sorted(_ZH_NOUNS, key=len, reverse=True)))
_NUMBER_OF = re.compile(
    # "the number of complaints ... at", "the figure for complaints", "the number who ..."
    r"\b(?:number|total|tally|count|figure)\s+(?:(?:of|for)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<noun>[a-z]+s|people)\b|(?P<who>who)\b|(?P<done>(?:rescued|freed|arrested|detained|"
    r"charged|trafficked|repatriated|deported)\b))"
    r"[^.;]{0,60}?\b(?:to|at|reached|was|is|stood at|stands at|hit|of|as|totals?|totall?ed|range[sd]? from|ranging from|"
    r"pass(?:es|ed)?|tops?|topped|hits?|exceed(?:s|ed)?|surpass(?:es|ed)?|nears?)\s+(?:about\s+|around\s+|"
    r"more than\s+|over\s+|nearly\s+|some\s+|between\s+)?$", re.IGNORECASE)
# "the complaint tally stood at 1,120": a noun before tally/count/total names what it counts.
_NOUN_TALLY = re.compile(
    r"\b(?P<noun>[a-z]{4,})\s+(?:tally|count|total)\s+(?:had\s+|has\s+)?(?:now\s+)?(?:stood at|"
    r"stands at|reached|rose to|risen to|climbed to|was|is|hit|exceeds|exceeded|tops|topped|"
    r"passed|passes|surpassed)\s+(?:about\s+|around\s+|more than\s+|"
    r"over\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_NOUN_ROSE = re.compile(
    # "complaints (to the hotline) have (now) climbed to N": the subject, with the phrase
    # that qualifies it, counts the number the verb of change reaches.
    r"\b(?!(?:has|was|is|its|his|this|as|us|less|plus)\b)"  # "has now passed": no noun
    r"(?P<noun>[a-z]+s)\s+(?:(?:to|from|of|about|with|by|at|in|on|since)\s+"
    r"(?:[a-z-]+\s+){1,5}?)?(?:have\s+|has\s+|had\s+)?(?:now\s+|so far\s+|already\s+)?"
    r"(?:more than\s+|nearly\s+|almost\s+)?"  # "have more than doubled to N"
    r"(?:rose|risen|climbed|increased|grew|grown|jumped|reached|totalled|totaled|topped|swelled|"
    r"doubled|stood at|stand at|were at|numbered|"
    # headline verbs in the present: "complaints top 2,000", "rescues pass 1,000"
    r"tops?|pass(?:es)?|passed|hits?|surpass(?:es|ed)?|exceed(?:s|ed)?|cross(?:es|ed)?|nears?|"
    r"reach(?:es)?|climbs?|rises?|jumps?|totals?)\s+(?:to\s+|from\s+)?(?:about\s+|around\s+|"
    r"more than\s+|over\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_PHRASE_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|[^\sA-Za-z]")


# Between the noun and its number: a word for "the number of" (数量, 人数) and a verb of
# reaching ("投诉数量已增至1300宗").
_ZH_LINK = (r"\s*(?:ចំនួន\s*)?(?:数量|數量|人数|人數|总数|總數|数字|數字)?(?:已经|已經|已|现已|現已)?"
            r"(?:增至|升至|增加到|增加至|上升至|上升到|达到|達到|突破|超过|超過)?"
            r"(?:共有|共|有|达|達|为|為|约|約|逾|近)?\s*$")
_ZH_NOUN_BEFORE = re.compile("(?:" + "|".join(sorted(_ZH_NOUNS, key=len, reverse=True))
                             + ")" + _ZH_LINK)


def zh_noun_before(before: str) -> tuple[str, str] | None:
    """'嫌疑人102名', '投诉1380宗', '投诉数量已增至1300宗': the noun before the number says
    what it counts."""
    m = _ZH_NOUN_BEFORE.search(before)
    if not m:
        return None
    noun = re.sub(_ZH_LINK, "", m.group(0))
    return noun, _ZH_NOUNS[noun]


# A Khmer noun, then ចំនួន ("a number of"), then the number without a classifier.
_KM_NOUN_NUMBER = re.compile("(" + "|".join(n for n in _ZH_NOUNS if "\u1780" <= n[0] <= "\u17ff")
                             + r")\s*ចំនួន\s*$")


def head_before(before: str) -> tuple[str, str]:
    """'the number of complaints rose to 1,100', 'complaints have climbed to 1,100',
    'ពាក្យបណ្តឹងចំនួន ១១០០' (complaints, a number of 1,100)."""
    km = _KM_NOUN_NUMBER.search(before)
    if km:
        return km.group(1), _ZH_NOUNS[km.group(1)]
    m = _NUMBER_OF.search(before) or _NOUN_ROSE.search(before) or _NOUN_TALLY.search(before)
    if not m:
        return "", ""
    word = m.group("noun") or "people"  # "the number who had come to work", "the number
    # rescued": people
    if word.lower() in ACTS_ON_PEOPLE:
        word = "people"  # "rescues have passed 1,000": people rescued
    return word, stem(word)


# Nouns of what is done to people: a count of them is a count of the people ("arrests
# now total 900").
ACTS_ON_PEOPLE = {"rescues", "arrests", "detentions", "repatriations", "deportations",
                  "rescue", "arrest"}  # "the rescue count now tops 3,100"


def head_after(after: str) -> tuple[str, str]:
    zh = _ZH_CLASSIFIER.match(after)
    if zh:
        noun = _ZH_NOUN.search(after, zh.end(), zh.end() + 10)
        # the noun of this count, not of the next one ("解救900人 60名嫌犯")
        if noun and not re.search(r"[，。；、\s\d]", after[zh.end():noun.start()]):
            return noun.group(0), _ZH_NOUNS[noun.group(0)]
        return zh.group(1), _ZH_HEADS[zh.group(1)]
    noun = _ZH_NOUN.match(after.lstrip())
    if noun:
        return noun.group(0), _ZH_NOUNS[noun.group(0)]
    tokens = _PHRASE_TOKEN.findall(after[:80])
    if tokens and tokens[0] in ("\"", "“", "‘", "'"):
        tokens = tokens[1:]  # 'arrested 15 "Chinese scammers"': the quoted noun
    if len(tokens) > 1 and tokens[0].lower() == "more" and tokens[1].lower() != "than":
        tokens = tokens[1:]  # "300 more people": the noun after "more"
    phrase: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if not tok[0].isalpha() or low in _STOP:
            break
        if phrase and low.endswith(("ed", "ing")) and low not in _NOUNS_ING:
            break  # a participle starts what follows ("complaints related to")
        if low in _VERBS:
            break
        phrase.append(tok)
        if len(phrase) == 3 or low in _PLURAL_NOUNS or (
                low.endswith("s") and not low.endswith("ss") and len(low) > 3):
            break
    while phrase and phrase[-1].lower() in _SKIP_ADJ:
        phrase.pop()
    if not phrase:
        return "", ""
    head = stem(phrase[-1])
    if head in _TIME_UNITS or stem(phrase[0]) in _TIME_UNITS:
        return "", ""
    return " ".join(phrase), head
