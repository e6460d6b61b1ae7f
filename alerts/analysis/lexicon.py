"""The story's vocabularies: general words, not facts of any one corpus.

Concepts group the words a reporter may use for one idea ("rescued", "freed";
"gambling", "scam"), so that a seed sentence and a later article can be
compared by what they talk about rather than by their exact wording.
"""

from __future__ import annotations

import re

from alerts.analysis.guards import guard
from alerts.analysis.text import stem

CONCEPTS: dict[str, tuple[str, ...]] = {
    "rescue": ("rescue", "rescuing", "rescued", "freed", "free", "saved", "liberated",
               "removed", "evacuated", "extracted", "救出", "带离", "帶離",
               "解救", "获救", "营救", "獲救", "營救", "ជួយសង្គ្រោះ", "សង្គ្រោះ"),
    "arrest": ("arrest", "arrested", "arresting", "detained", "detain", "apprehended",
               "caught", "netted", "charged", "charge", "indicted", "prosecuted", "起诉", "起訴", "逮捕", "抓获", "抓獲", "被捕", "拘留",
               "ចាប់ខ្លួន", "ឃាត់ខ្លួន"),
    "complaint": ("complaint", "complaints", "投诉", "举报", "投訴", "舉報", "检举", "檢舉", "ពាក្យបណ្តឹង", "បណ្តឹង"),
    "scam": ("scam", "scams", "gambling", "fraud", "casino", "casinos", "scamming",
             "诈骗", "赌博", "电诈", "博彩", "网赌", "詐騙", "賭博", "電詐", "網賭", "ឆបោក", "បោកប្រាស់", "ល្បែងស៊ីសង"),
    "work": ("work", "working", "worked", "employ", "employed", "workforce", "labour", "labor",
             "held", "hold", "holds", "holding", "forced", "trapped", "toil", "toiling", "toiled",
             "confined", "enslaved", "captive", "从事", "工作", "被迫",
             "被困", "從事"),
    "trafficking": ("trafficked", "trafficking", "traffickers", "smuggled", "人口贩卖", "拐卖",
                    "贩卖", "人口販賣", "拐賣", "販賣", "贩运", "販運", "ជួញដូរមនុស្ស", "ជួញដូរ"),
    "estimate": ("estimate", "estimated", "estimates", "估计", "估計"),
    "receive": ("received", "receive", "handled", "fielded", "logged", "filed", "responded",
                "dealt", "收到", "受理", "ទទួល"),
}
_STEM_TO_CONCEPT = {stem(w): c for c, ws in CONCEPTS.items() for w in ws if w.isascii()}
_ZH_CONCEPT = {w: c for c, ws in CONCEPTS.items() for w in ws if not w.isascii()}

# Heads that count people in general (a count of "people" may be said of them).
PERSON_HEADS = {stem(w) for w in (
    "people", "persons", "person", "foreigners", "workers", "victims", "nationals",
    "individuals", "migrants", "人", "名", "នាក់")}

NATIONALITIES = {
    "afghan", "american", "australian", "bangladeshi", "british", "burmese", "cambodian",
    "cambodians", "chinese", "filipino", "filipinos", "indian", "indians", "indonesian",
    "indonesians", "japanese", "korean", "koreans", "lao", "laotian", "malaysian",
    "malaysians", "myanmar", "nepali", "nigerian", "pakistani", "pakistanis", "russian",
    "singaporean", "sri", "taiwanese", "thai", "thais", "ugandan", "vietnamese", "kenyan",
    "ethiopian", "brazilian", "turkish", "khmer", "french", "european", "african",
}
FOREIGN_COUNTRIES = {
    "myanmar", "burma", "laos", "thailand", "vietnam", "china", "philippines", "malaysia",
    "indonesia", "india", "south korea", "korea", "japan", "taiwan", "pakistan",
    "bangladesh", "nepal", "sri lanka", "united states", "britain", "united kingdom",
    "australia", "singapore", "nigeria", "kenya", "uganda", "dubai", "uae",
    # Cities where the region's other operations happen.
    "bangkok", "mae sot", "manila", "jakarta", "hanoi", "ho chi minh city", "saigon", "seoul",
    "beijing", "shanghai", "kuala lumpur", "myawaddy", "yangon", "vientiane", "taipei", "tokyo",
    "shwe kokko", "tachileik", "曼谷", "马尼拉", "河内", "胡志明市", "首尔", "北京", "吉隆坡", "妙瓦底",
    "缅甸", "老挝", "泰国", "越南", "菲律宾", "马来西亚", "印尼", "印度", "韩国", "日本",
}
COUNTRY_WORDS = {"cambodia", "cambodian", "cambodians", "kingdom", "柬埔寨", "柬", "កម្ពុជា"}

# Vocabularies scanned on every sentence: kept as tuples of alternatives so
# that each pattern gets its guard (see guards.py).
_TRIGGER_WORDS = (
    "raid", "raids", "raided", "raiding", "searched", "search of", "searches of", "stormed",
    "swoop", "swooped", "shut down", "sealed off", "cordoned off", "inspection", "inspected",
    "inspecting", "operation", "crackdown on", "rescued", "freed", "detained", "arrested",
    "caught", "netted", "apprehended") + (
    # Operations told without "raid": verbs of entering or going through premises
    # (multi-word ones written with plain spaces, so that their guard literal is whole).
    "entered", "went into", "went through", "went in", "moved on", "moved into", "moved in on",
    "swept", "targeted", "emptied", "searching", "burst into", "descended on", "surrounded",
    "busted", "cracked down on", "search at", "search on",
    "combed", "scoured", "broke into", "forced their way into", "forced its way into",
    r"went\s+floor\s+by\s+floor", "poured into", "surged into", "surged through", "swarmed",
    "forced open", "sweep of", "sweep on", "sweeps of",
    # Closures, an operation only when the authorities close a scam site (raid_sentences).
    "closed", "closed down", "shuttered", "padlocked", "closure of",
    # Verbs of acting against premises, with agents named (raid_agents)
    "took place at", "carried out at", "search warrant at", "search warrants at", "intervened at", "intervened in", "dismantled", "took down", "cleared out", "crackdown at",
    # Outcomes told without "rescued" or "arrested" ("found" and "released" only as
    # raids.py allows them: "police found", "released to").
    "detaining", "arresting", "freeing", "rescuing", "escorted out", "escorted from",
    "led out", "helped out", "brought out", "pulled out", "pulled from", "evacuated",
    "rounded up", "taken from", "taken out of",
    # ... and told by other verbs of getting people out (the first four only as "were
    # extracted from", "police moved ... out of": raid_sentences)
    r"extracted\s+from", r"bussed\s+out\s+of", r"ferried\s+out\s+of", r"carried\s+out\s+of",
    r"moved\s+out\s+of", "escorted to safety", "brought to safety", "led to safety",
    "taken to safety", "led away from", r"liberated\s+from",
    r"removed\s+(?:[\w,-]+\s+){0,4}?from", r"took\s+(?:[\w,-]+\s+){0,4}?out\s+of", "found",
    "released")
_TRIGGER_OTHER = ("突击检查", "突查", "搜查", "查获", "捣毁", "突袭", "清查", "逮捕", "抓获", "解救",
                  "带离", "带出", "突擊", "查獲", "搗毀", "突襲", "抓獲", "帶離", "帶出",
                  "救出", "营救", "營救", "端掉", "打掉", "获救", "獲救", "救离", "救離",
                  "获释", "獲釋", "带走", "帶走",
                  *(a + r"[^，。,]{0,14}?(?:采取|採取|开展|開展|展开|展開)(?!宣|推|演|培)[^，。,]{0,2}?"
                    r"(?:行动|行動)"
                    for a in ("对", "對", "在")), "取缔", "取締", "关停", "關停", "关闭", "關閉", "封闭", "封閉",
                  # inspecting, sweeping, storming, busting, sealing (臨檢 and 攻堅 in Taiwan)
                  "临检", "臨檢", "扫荡", "掃蕩", "攻坚", "攻堅", "破获", "破獲", "查封", "围捕", "圍捕",
                  "ឆែកឆេរ", "បង្ក្រាប", "ចាប់ខ្លួន", "ជួយសង្គ្រោះ", "ត្រួតពិនិត្យ")
RAID_TRIGGERS = re.compile(
    r"\b(?:" + "|".join(_TRIGGER_WORDS) + r")\b|" + "|".join(_TRIGGER_OTHER), re.IGNORECASE)
RAID_TRIGGERS_GUARD = guard(_TRIGGER_WORDS + _TRIGGER_OTHER)
_PREMISES_WORDS = (
    "compound", "compounds", "building", "buildings", "complex", r"blocks?", r"condominiums?",
    r"condos?", r"apartments?", "casino", "casinos", r"hotels?", r"resorts?", "site", "sites",
    "premises", "zone", "park", r"villas?", "office", "offices", r"locations?", "centre", "center",
    r"dormitor(?:y|ies)", r"warehouses?", r"towers?") + (
    # Premises named loosely.
    r"factor(?:y|ies)", r"dens?", r"houses?", r"rented\s+house", r"shophouses?", r"guesthouses?",
    "property", r"scam\s+(?:operation|company|firm|hub)", r"fraud\s+(?:operation|company|firm)",
    r"gambling\s+(?:operation|company|firm)", r"hideouts?", r"mansions?", r"farmhouses?",
    r"high-rises?", r"nightclubs?", r"karaoke\s+(?:parlou?r|bar|club)s?", r"malls?")
_PREMISES_OTHER = ("赌场", "园区", "酒店", "大楼", "窝点", "公寓", "别墅", "场所", "厂", "度假村", "楼房",
                   "賭場", "園區", "大樓", "窩點", "別墅", "場所", "廠", "樓房",
                   # named loosely: a rented room or house, a dwelling, an office block
                   "出租屋", "出租房", "民宅", "住宅", "宿舍", "写字楼", "仓库",
                   "寫字樓", "倉庫", "据点", "據點", "楼盘", "樓盤", "建筑", "建築",
                   "大厦", "大廈", "营地", "營地", "宾馆", "賓館", "栋楼", "座楼", "棟樓", "座樓",
                   # a company or base only as a scam's or one named as premises ("一家公司")
                   *(a + b for a in ("诈骗", "詐騙", "电诈", "電詐") for b in ("中心", "基地", "公司")),
                   "博彩公司", "网赌公司", "網賭公司", "一家公司", "一間公司", "一间公司",
                   "អគារ", "កាស៊ីណូ", "បរិវេណ", "សណ្ឋាគារ", "ទីតាំង")
PREMISES = re.compile(
    r"\b(?:" + "|".join(_PREMISES_WORDS) + r")\b|" + "|".join(_PREMISES_OTHER), re.IGNORECASE)
PREMISES_GUARD = guard(_PREMISES_WORDS + _PREMISES_OTHER)
# Words that make an operation a campaign or a tally rather than one raid.
_CAMPAIGN_WORDS = (
    "since", "so far", "campaign", "in recent weeks", "recent weeks", "periodically",
    "again and again", "nationwide", "across the country", "each of", "have been raiding",
    "over the past", "a growing list", "crackdowns")
_CAMPAIGN_OTHER = ("以来", "全国", "各地", "以來", "全國", "ទូទាំងប្រទេស", "ចាប់តាំងពី")
CAMPAIGN = re.compile(
    r"\b(?:" + "|".join(_CAMPAIGN_WORDS) + r")\b|" + "|".join(_CAMPAIGN_OTHER), re.IGNORECASE)
CAMPAIGN_GUARD = guard(_CAMPAIGN_WORDS + _CAMPAIGN_OTHER)
_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|"
                "december")
_BACKGROUND_WORDS = (
    "last year", "once", "at the time", "previously", "first (?:six|few) weeks", "first dropped",
    "had put", f"at the end of (?:{_MONTH_NAMES})", "an earlier version", "previous version",
    f"last (?:{_MONTH_NAMES.replace('may|', '')})")
_BACKGROUND_OTHER = ("去年",)
BACKGROUND = re.compile(
    r"\b(?:" + "|".join(_BACKGROUND_WORDS) + r")\b|" + "|".join(_BACKGROUND_OTHER),
    re.IGNORECASE)
BACKGROUND_GUARD = guard(_BACKGROUND_WORDS + _BACKGROUND_OTHER)
# A number recalled for comparison: "up from 455", "against 41 in 2022", "compared with 600".
_RECALLED_WORDS = (r"up from", r"down from", r"rising from", r"climbing from", r"rose from",
                   r"risen from", r"grew from", r"increased from", r"compared with", r"compared to",
                   r"compares with", r"against", r"from a previous", r"from an earlier",
                   r"from the previous", r"replacing", r"revised from", r"corrected from")
RECALLED_BEFORE = re.compile(r"\b(?:" + "|".join(_RECALLED_WORDS) + r")\s+(?:(?:about|around|some|"
                             r"nearly|more than|over|roughly|the|a|an)\s+)*$", re.IGNORECASE)
SHORT_PERIOD = re.compile(
    r"\b(?:this month|this week|last week|last month|two days|three days|(?:\d+|one|two|three)"
    r" days?|in one month|a single day|per day|a day|so far this month)\b|本月|本周",
    re.IGNORECASE,
)


_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ZH_CONCEPT_WORDS = "|".join(sorted((w for ws in CONCEPTS.values() for w in ws if not w.isascii()),
                                    key=len, reverse=True))
# Words that name a concept without stating it: an "anti-trafficking committee", a
# "反人口贩卖论坛", people "suspected of trafficking" (they are not the trafficked), suspects
# "to be charged" or "facing charges" (not yet charged), a plan ("plans to charge").
_NOT_STATED = re.compile(
    r"\banti-[A-Za-z]+|反(?:" + _ZH_CONCEPT_WORDS + r")"
    r"|\b(?:suspected|accused|convicted|charged|arrested)\s+(?:of|with|for)\s+(?:[a-z]+\s+)?"
    r"(?:trafficking|smuggling|fraud|scamming)"
    r"|\b(?:to be|will be|would be|could be|may be|yet to be|expected to be|faces?|facing)\s+"
    r"(?:[a-z]+\s+)?(?:charged|charges|arrested)\b"
    # a plan or a hope ("expect to rescue", "will charge"): not done yet
    r"|\b(?:to|will|would|could|may|might|shall)\s+(?:rescue|free|charge|arrest|detain|"
    r"prosecute|indict)\b",
    re.IGNORECASE)
_NOT_STATED_GUARD = guard(("anti-", "反", "suspected", "accused", "convicted", "charged", "arrested",
                           "face", "facing", "to be", "will be", "would be", "could be", "may be",
                           "to ", "will ", "would ", "could ", "may ", "might ", "shall "))


HEADLINE_SHARE = 0.7  # of the longer words capitalised: a headline in title case


def is_headline_case(tokens: list[str]) -> bool:
    """Title case ("Trafficking Complaints Top 2,000"): its capitals mark no names."""
    longer = [w for w in tokens if len(w) > 3]
    return len(longer) >= 3 and sum(w[0].isupper() for w in longer) >= HEADLINE_SHARE * len(longer)


# People taken out of a place by officers ("led 300 people out of", "were escorted out of",
# "led to safety"): a rescue told without its verb.
_LED_OUT = re.compile(r"\b(?:led|escorted|ushered|walked|brought|pulled|took|taken)\s+"
                      r"(?:[\w,]+\s+){0,4}?(?:out\s+(?:of|from)|to\s+safety)\b", re.IGNORECASE)


def concepts_of(text: str) -> set[str]:
    """The concepts a text talks about (capitalised words inside a text are names,
    as in "Committee for Counter Trafficking", and do not count)."""
    if not _NOT_STATED_GUARD.excludes(text):
        text = _NOT_STATED.sub(" ", text)
    tokens = _LATIN_WORD.findall(text)
    headline = is_headline_case(tokens)
    out_of = {"rescue"} if _LED_OUT.search(text) else set()
    found = {_STEM_TO_CONCEPT[stem(w)] for i, w in enumerate(tokens)
             if stem(w) in _STEM_TO_CONCEPT and (i == 0 or headline or not w[0].isupper())}
    found |= {c for w, c in _ZH_CONCEPT.items() if w in text}
    return found | out_of


_FOREIGN = re.compile(r"(?<![a-z])(?:" + "|".join(
    re.escape(c) for c in sorted(FOREIGN_COUNTRIES, key=len, reverse=True)) + r")(?![a-z])")


def mentions_foreign_country(text: str) -> bool:
    return bool(_FOREIGN.search(text.lower()))


def mentions_cambodia(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in COUNTRY_WORDS)
