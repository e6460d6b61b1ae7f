"""Figure rules of round six, each a construction of news English or Chinese with a table
of sentences written for it (none from the corpora or the seed): fact-box lines in Chinese
with a measure word ("投诉：1100宗") and labels of people charged ("People charged: 61"),
rescues told without "rescued" (带离, "led ... out of", "escorted out of"), and the
constructions earlier rounds already read (compound number words, a count over several
provinces, "since then") kept in one table so they stay read."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.demonstratives import with_then
from alerts.analysis.places import find_places
from tests.analysis.test_scope_rules import observed

COMPLAINTS, PROVINCE, RESCUED, CHARGED = "368", "149", "361", "41"


# A fact box's line: the label names what is counted, also when the number keeps its
# Chinese measure word (宗) or the label names people charged (they are the suspects). A
# label of something else (cases, people rescued, people to be charged) counts no such thing.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("投诉：1100宗", COMPLAINTS, [(1100, True)]),
    ("举报：850宗", COMPLAINTS, [(850, True)]),
    ("被起诉人数：61", CHARGED, [(61, True)]),
    ("People charged: 61", CHARGED, [(61, True)]),
    ("• People indicted — 75", CHARGED, [(75, True)]),
    ("获救人数：3100人", RESCUED, [(3100, True)]),
    ("Total rescued – 3,100", RESCUED, [(3100, True)]),
    ("Victims rescued | 3,100", RESCUED, [(3100, True)]),
    ("Kampot | 3,100", RESCUED, []),
    ("Sports | 31", RESCUED, []),
    ("Complaints received: 1,100 since August 2022", COMPLAINTS, [(1100, True)]),
    ("Complaints received: 1,100 so far", COMPLAINTS, [(1100, True)]),
    ("Rescued — 2,000 as of March 1", RESCUED, [(2000, True)]),
    ("Complaints received: 300 since January 2024", COMPLAINTS, []),
    ("Rescued — 2,000 since Tuesday", RESCUED, []),
    ("Rescued — 2,000 in Kampot", RESCUED, []),
    ("Complaints (since Aug 2022): 1,100", COMPLAINTS, [(1100, True)]),
    ("投诉（自2022年8月以来）：1100宗", COMPLAINTS, [(1100, True)]),
    ("Complaints (since Jan 2024): 300", COMPLAINTS, []),
    ("Rescued (in Kampot): 300", RESCUED, []),
    ("案件：1100宗", COMPLAINTS, []),
    ("Cases: 1,100", COMPLAINTS, []),
    ("People to be charged: 61", CHARGED, []),
    ("People rescued: 61", CHARGED, []),
])
def test_a_fact_box_label_names_what_is_counted(text: str, seed: str, expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected


# People taken out of a place by officers are rescued; the same verbs of suspects or of
# tourists leaving a hotel count no rescue.
@pytest.mark.parametrize(("text", "expected"), [
    ("警方已从诈骗园区带离3100人。", [(3100, True)]),
    ("警方從園區帶離3100人。", [(3100, True)]),
    ("Officers led 3,100 people out of the compounds.", [(3100, True)]),
    ("Police escorted 3,100 people out of scam compounds.", [(3100, True)]),
    ("So far 3,100 workers have been escorted out of the compounds.", [(3100, True)]),
    ("Police pulled 3,100 people out of the compounds.", [(3100, True)]),
    ("Officers took 3,100 people out of the compounds.", [(3100, True)]),
    ("About 3,100 people were led to safety.", [(3100, True)]),
    ("Guards escorted 30 suspects out of the court.", []),
    ("Investors pulled 3,100 dollars out of the fund.", []),
    ("警方将30名犯罪嫌疑人带离现场。", []),
    ("Staff walked 40 tourists out of the burning hotel.", []),
])
def test_people_taken_out_of_a_place_are_rescued(text: str, expected: list) -> None:
    assert observed(text, "2024-03-01", RESCUED) == expected


# Constructions the work list names that earlier rounds already read: compound number
# words, Chinese 余, a count over a list of provinces (a part: neither the national count
# nor one province's), and "since then" after the period's start.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Police have rescued two thousand three hundred people.", RESCUED, [(2300, True)]),
    ("Authorities have received nine hundred and thirty complaints.", COMPLAINTS,
     [(930, True)]),
    ("警方共解救七千九百余人。", RESCUED, [(7900, True)]),
    ("In Kampot, Kep and Takeo, 420 people were rescued.", RESCUED, []),
    ("In Kampot, Kep and Takeo, 420 people were rescued.", PROVINCE, []),
    ("420 people were rescued in Kampot, Kep and Takeo.", RESCUED, []),
    ("The crackdown began in August 2022. Since then, 3,100 people have been rescued.",
     RESCUED, [(3100, True)]),
    ("The hotline opened in August 2022. Since that date, it has received 1,100 complaints.",
     COMPLAINTS, [(1100, True)]),
])
def test_constructions_read_before_stay_read(text: str, seed: str, expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected


WORKING = "[70000, 100000]"


# "the compounds", "in compounds", "scam compounds": the story's premises by their own
# word say the scam without "scam"; compounds another noun names (military, prison) do not,
# and neither do factories.
@pytest.mark.parametrize(("text", "expected"), [
    ("An estimated 100,000 people are working in compounds across the country.",
     [(100000, True)]),
    ("An estimated 100,000 people are held in the compounds.", [(100000, True)]),
    ("An estimated 100,000 people work in scam compounds nationwide.", [(100000, True)]),
    ("An estimated 100,000 people work in military compounds across the country.", []),
    ("An estimated 100,000 people work in prison compounds across the country.", []),
    ("An estimated 100,000 people work in garment factories across the country.", []),
])
def test_compounds_by_their_word_are_the_scam(text: str, expected: list) -> None:
    assert observed(text, "2024-03-01", WORKING) == expected


# "Since then", "since that date", 此后: since the one date the sentence before named in
# the same paragraph. The claim's own start makes it the claim's count; another start (a
# new campaign, a raid on Tuesday) makes it a count over another period.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("The hotline opened on August 18, 2022. Since then, it has received 1,100 complaints.",
     COMPLAINTS, [(1100, True)]),
    ("The hotline opened in August 2022. Since that date it has logged 1,100 complaints.",
     COMPLAINTS, [(1100, True)]),
    ("热线于2022年8月18日开通。此后共收到投诉1100宗。", COMPLAINTS, [(1100, True)]),
    ("热线于2022年8月18日开通。自那以后，共收到投诉1100宗。", COMPLAINTS, [(1100, True)]),
    ("A new campaign began in January 2024. Since then, 500 people have been rescued.",
     RESCUED, []),
    ("A new campaign began in January 2024. Since then, the hotline logged 500 complaints.",
     COMPLAINTS, []),
    ("新一轮行动于2024年1月开始。此后共收到投诉500宗。", COMPLAINTS, []),
    ("Police raided a compound on Tuesday. Since then, 50 people have been rescued.",
     RESCUED, []),
    # a running total that grew since then is still the total
    ("The report came out in June 2023. Since then, complaints have grown to 1,100.",
     COMPLAINTS, [(1100, True)]),
    ("The report came out in June 2023. Since then, the number rescued has climbed to 3,100.",
     RESCUED, [(3100, True)]),
    ("报告于2023年6月发布。此后，投诉数量已增至1100宗。", COMPLAINTS, [(1100, True)]),
])
def test_since_then_starts_where_the_sentence_before_did(text: str, seed: str,
                                                         expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected


def test_since_then_needs_one_date_before_it() -> None:
    day = dt.date(2024, 3, 1)
    assert with_then("Since then, 5 more.", "It opened in May 2023.", day) == \
        "since May 2023, 5 more."
    assert with_then("Since then, 5 more.", "It opened in May 2023 and closed in June.",
                     day) is None
    assert with_then("Since then, 5 more.", "", day) is None
    assert with_then("Since May, 5 more.", "It opened in May 2023.", day) is None


# Khmer counts: a noun, ចំនួន ("a number of"), the number, and its classifier (នាក់ for
# people, ករណី for cases) or none; a count in one province is that province's.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("ក្រសួងបានទទួលពាក្យបណ្តឹងចំនួន ១១០០។", COMPLAINTS, [(1100, True)]),
    ("ក្រសួងបានទទួលពាក្យបណ្តឹងចំនួន ១១០០ ករណី។", COMPLAINTS, [(1100, True)]),
    ("ជនសង្ស័យចំនួន ៦១ នាក់ត្រូវបានចាប់ខ្លួន។", CHARGED, [(61, True)]),
    ("ប៉ូលិសបានជួយសង្គ្រោះមនុស្សចំនួន ៣១០០នាក់។", RESCUED, [(3100, True)]),
    ("ប៉ូលិសបានជួយសង្គ្រោះមនុស្សចំនួន ៣១០០នាក់ នៅខេត្តកំពត។", RESCUED, []),
])
def test_khmer_counts(text: str, seed: str, expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected


# A short Khmer district name inside another word (Khmer runs words together) names no
# place: សួង in ក្រសួង ("ministry"), ពួក in ពួកគេ ("they"); after ស្រុក ("district") it does.
@pytest.mark.parametrize(("text", "expected"), [
    ("ក្រសួងបានប្រកាស", []),
    ("ពួកគេបាននិយាយ", []),
    ("នៅស្រុកសួង", ["Tboung Khmum"]),
    ("នៅខេត្តកំពត", ["Kampot"]),
])
def test_a_short_khmer_name_inside_a_word_is_no_place(text: str, expected: list) -> None:
    assert [p.province for p in find_places(text)] == expected


# A count over a list of provinces (fronted, after "from", or in Chinese 在…、…，) is a part
# of the national count and none of those provinces' alone; one province stays its own.
@pytest.mark.parametrize(("text", "expected"), [
    ("In Preah Sihanouk, Kampot and Kep, 420 complaints were received.", []),
    ("The ministry received 420 complaints from Preah Sihanouk, Kampot and Kep.", []),
    ("Preah Sihanouk and Kampot together accounted for 420 complaints.", []),
    ("在西哈努克省、贡布省和白马省，共收到投诉420宗。", []),
    ("The ministry received 420 complaints from Preah Sihanouk, officials said.",
     [(420, True)]),
    ("In Preah Sihanouk alone, 420 complaints were received.", [(420, True)]),
    ("在西哈努克省，共收到投诉420宗。", [(420, True)]),
])
def test_a_count_over_several_provinces_is_no_ones_alone(text: str, expected: list) -> None:
    assert observed(text, "2024-03-01", PROVINCE) == expected


@pytest.mark.parametrize("text", [
    "在西哈努克省、贡布省和白马省，共收到投诉420宗。",
    "The ministry received 420 complaints from Preah Sihanouk, Kampot and Kep.",
])
def test_a_count_over_several_provinces_is_not_the_national_one(text: str) -> None:
    assert observed(text, "2024-03-01", COMPLAINTS) == []


# A place fronted in Chinese (在…，) scopes the clause as an English one does: a province
# makes it that province's count, a foreign country another country's.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("在西哈努克省，热线收到投诉149宗。", PROVINCE, [(149, True)]),
    ("在金边，警方解救了300人。", RESCUED, []),
    ("在缅甸，估计有12万人被困在诈骗园区。", WORKING, []),
    ("在柬埔寨，警方已解救3100人。", RESCUED, [(3100, True)]),
    ("在过去一年里，警方解救了3100人。", RESCUED, [(3100, True)]),
])
def test_a_fronted_chinese_place_scopes_its_clause(text: str, seed: str,
                                                   expected: list) -> None:
    assert observed(text, "2024-03-01", seed) == expected
