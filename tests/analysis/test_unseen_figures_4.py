"""Figure rules of round five, each a construction of news English or Chinese with a table
of sentences written for it (none from the corpora or the seed): a part of the count the
sentence before ended on ("Of those, ..."), fact-box lines ("Rescued — 2,000"), people as
the object of a verb of charging, a bare year as a period's start in Chinese, the plural
premises of the story as a whole, and the noun of a Chinese count not taken from the next
one."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.analysis.phrases import quantities
from tests.analysis.test_scope_rules import observed

COMPLAINTS, PROVINCE, RESCUED, TRAFFICKED, CHARGED = "368", "149", "361", "54", "41"


def _plain(found: list[tuple[object, bool]]) -> list[tuple[object, bool]]:
    return [(list(v) if isinstance(v, (list, tuple)) else v, c) for v, c in found]


# "Of those, N ...": a part of what the sentence before counted, with what it said of them;
# only a claim that is itself a part (the trafficked among the rescued, a province's share)
# takes it, and a part says nothing of the whole.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Since the campaign began, police have rescued 2,100 people. Of those, 300 had been "
     "trafficked.", TRAFFICKED, [(300, True)]),
    ("Police have rescued 2,100 people. Of them, 300 were victims of trafficking.", TRAFFICKED,
     [(300, True)]),
    ("The ministry has received 1,500 complaints. Of these, 400 came from Preah Sihanouk.",
     PROVINCE, [(400, True)]),
    ("Police have rescued 2,100 people. Among them, 300 were Indonesians.", RESCUED,
     [(2100, True)]),
    # no count before it in the paragraph: nothing to be a part of
    ("Of those, 300 had been trafficked.", TRAFFICKED, []),
    ("Police have rescued 2,100 people.\n\nOf those, 300 had been trafficked.", TRAFFICKED, []),
])
def test_of_those_is_a_part_of_the_count_before(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2022-11-01", seed)) == expected


# A fact box: a label naming what is counted, a dash or colon, the number alone. A dateline
# or a label naming nothing counted is no such label, and a number with its own noun keeps it.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Rescued — 2,000", RESCUED, [(2000, True)]),
    ("People rescued: 2,000", RESCUED, [(2000, True)]),
    ("• Complaints received — 1,200 (since the hotline opened)", COMPLAINTS, [(1200, True)]),
    ("Suspects charged — 95", CHARGED, [(95, True)]),
    ("解救人数：1500", RESCUED, [(1500, True)]),
    ("解救人數：1500人", RESCUED, [(1500, True)]),
    ("Updated — 2,000", RESCUED, []),
    ("PHNOM PENH — 2,000", RESCUED, []),
    ("Rescued — 2,000 in Kampot", RESCUED, []),
])
def test_a_fact_box_line_counts_what_its_label_names(text: str, seed: str,
                                                     expected: list) -> None:
    assert _plain(observed(text, "2024-03-01", seed)) == expected


# People who are the object of a verb of charging (or 起诉) are suspects charged; a plan to
# charge, or people arrested, are not.
@pytest.mark.parametrize(("text", "expected"), [
    ("Courts have now charged 61 people over the compounds.", [(61, True)]),
    ("Prosecutors have indicted a total of 61 people since the crackdown began.", [(61, True)]),
    ("警方已起诉61名嫌疑人。", [(61, True)]),
    ("警方已起訴61名嫌疑人。", [(61, True)]),
    ("Prosecutors said they would charge 61 people next month.", []),
    ("Police arrested 61 people in a raid on a casino.", []),
])
def test_people_charged_by_a_verb_before_them(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", CHARGED)) == expected


# 自2022年以来 is a period ("since 2022"), as in English, not a date in a past year that
# would make the statement background.
@pytest.mark.parametrize(("text", "expected"), [
    ("自2022年以来，柬埔寨警方已解救3000多人。", [(3000, True)]),
    ("自2022年以來，柬埔寨警方已解救3000多人。", [(3000, True)]),
    ("Police have rescued 3,000 people since 2022.", [(3000, True)]),
    ("2022年，柬埔寨警方解救了300人。", [(300, False)]),
])
def test_a_bare_year_starts_a_period_in_chinese(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# "the compounds" in the plural is the story as a whole, not one building; "a compound",
# "the compound" still count one site.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police have rescued 2,400 people from the compounds since the crackdown began.",
     [(2400, True)]),
    ("Police rescued 240 people from the compound in a raid.", []),
    ("Police rescued 240 people from a casino.", []),
])
def test_plural_premises_are_not_one_site(text: str, expected: list) -> None:
    assert _plain(observed(text, "2024-03-01", RESCUED)) == expected


# A Chinese count's noun is the one right after its measure word, not the next count's.
def test_a_chinese_count_does_not_take_the_next_counts_noun() -> None:
    found = quantities("自去年8月以来共解救900人 60名嫌犯被起诉", dt.date(2023, 6, 1))
    assert [(q.number.value, q.head) for q in found] == [(900, "人"), (60, "suspect")]
    assert _plain(observed("自去年8月以来共解救900人 60名嫌犯被起诉", "2023-06-01", CHARGED)) \
        == [(60, True)]


# "..., bringing the total to N": the total of what the sentence counted before it, which
# the short period of that count ("last week") does not scope.
@pytest.mark.parametrize(("text", "expected"), [
    ("A further 300 people were rescued last week, bringing the total to 3,100.",
     [(3100, True)]),
    ("Police freed 300 more people on Monday, taking the tally so far to 3,100.",
     [(3100, True)]),
    ("A further 300 people were rescued last week.", []),
])
def test_bringing_the_total_to(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# Nouns of what is done to people ("rescues", "arrests") count the people; "the number
# rescued" is the number of people rescued; "now total(s)" is a verb of reaching.
@pytest.mark.parametrize(("text", "expected"), [
    ("Rescues since the crackdown began now total 3,100.", [(3100, True)]),
    ("Rescues have now passed 3,100.", [(3100, True)]),
    ("Officials put the number rescued at 3,100.", [(3100, True)]),
    ("The number of people rescued now totals 3,100.", [(3100, True)]),
    ("Rescue flights now total 31.", []),
])
def test_acts_on_people_count_the_people(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# Chinese: "2400多宗" (more than, before the measure word), 救出 (rescued), 投诉有N宗.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("热线开通以来，已接到投诉2400多宗。", COMPLAINTS, [(2400, True)]),
    ("熱線開通以來，已接獲投訴2400多宗。", COMPLAINTS, [(2400, True)]),
    ("警方共救出2800人。", RESCUED, [(2800, True)]),
    ("警方共救出兩千八百人。", RESCUED, [(2800, True)]),
    ("西哈努克省的投诉有600宗。", PROVINCE, [(600, True)]),
    ("西哈努克省的投诉有600宗。", COMPLAINTS, []),
])
def test_chinese_counts_more_than_and_rescued(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# "Kampot, with 600 complaints, ...": the "with N" phrase is said of the place before it,
# a province's count and never the nationwide one.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Preah Sihanouk, with 600 complaints, tops the list.", PROVINCE, [(600, True)]),
    ("Preah Sihanouk, with 600 complaints, tops the list.", COMPLAINTS, []),
    ("Kampot, with 600 complaints, comes second.", COMPLAINTS, []),
    ("The hotline, with 2,600 complaints since it opened, is busier than ever.", COMPLAINTS,
     [(2600, True)]),
])
def test_a_with_phrase_is_said_of_the_place_before(text: str, seed: str,
                                                    expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# A person noun that says the claim's own concept ("trafficking victims", "victims of
# trafficking") counts the people trafficked, not the trafficking cases.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Some 300 trafficking victims have been identified.", TRAFFICKED, [(300, True)]),
    ("Those cases involved 300 victims of trafficking.", TRAFFICKED, [(300, True)]),
    ("Some 300 trafficking victims have been identified.", "9", []),
    ("Some 300 victims have been identified.", TRAFFICKED, []),
])
def test_a_person_noun_naming_the_concept(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# The plausibility guard: beyond ten times the last value only a statement whose noun is the
# claim's and whose clause says all the claim's concepts (a change reported by another
# source), and never beyond thirty times; a loose statement keeps the tenfold bound.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Police have rescued 7,900 people from scam compounds.", RESCUED, [(7900, True)]),
    ("Police rescued 6,100 people, the ministry said.", RESCUED, [(6100, True)]),
    ("警方已解救七千九百餘人。", RESCUED, [(7900, True)]),
    ("柬埔寨当局已解救逾万人。", RESCUED, [(10000, True)]),
    ("The hotline has received 5,200 complaints of trafficking.", COMPLAINTS, [(5200, True)]),
    ("The hotline has received 5,200 complaints.", COMPLAINTS, []),
    ("Police have rescued 79,000 people from scam compounds.", RESCUED, []),
    # a place or a loose noun keeps the tenfold bound
    ("Police have rescued 7,900 people in Kampot.", RESCUED, []),
    ("Some 7,900 workers were rescued.", RESCUED, []),
])
def test_the_guard_yields_to_a_full_statement(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# "rose from 368 to 2,400" is an old value and a new one, not a range: the old one recalled,
# the new one counting what the old one did ("from 368 in 2022 to 2,400" too).
@pytest.mark.parametrize(("text", "expected"), [
    ("Complaints to the hotline rose from 368 to 2,400 since it opened.",
     [(368, False), (2400, True)]),
    ("The number of complaints has risen from 368 in 2022 to 2,400.",
     [(368, False), (2400, True)]),
    ("Complaints have more than doubled to 2,400 since the hotline opened.", [(2400, True)]),
    ("Between 2,000 and 2,400 complaints are said to have been received.",
     [([2000, 2400], True)]),
])
def test_from_one_value_to_another(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", COMPLAINTS)) == expected


# People told only by the verb done to them: its object or its passive subject.
@pytest.mark.parametrize(("text", "expected"), [
    ("Police say they have rescued 3,100.", [(3100, True)]),
    ("Police say 3,100 have been rescued so far.", [(3100, True)]),
    ("Since the crackdown began, 3,100 have been freed.", [(3100, True)]),
    ("Police say they have searched 3,100.", []),
    ("Police say 3,100 were inspected.", []),
])
def test_people_told_by_their_verb(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# A plan or a hope ("expect to rescue", "plans to charge", "will charge") states no count
# done; "to be charged" already was not.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Police expect to rescue 3,100 people by the end of the year.", RESCUED, []),
    ("Police plan to charge 61 suspects.", CHARGED, []),
    ("Prosecutors will charge 61 suspects next week.", CHARGED, []),
    ("Police have rescued 3,100 people and expect to free more.", RESCUED, [(3100, True)]),
])
def test_a_plan_is_no_count(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# "It now stands at N" after a sentence naming a count: the count's value; a pronoun with
# nothing named before it, or a count's colon after a named count, likewise.
@pytest.mark.parametrize(("text", "expected"), [
    ("The ministry keeps a running count of people rescued from the compounds. It now stands "
     "at 3,100.", [(3100, True)]),
    ("The ministry keeps a count of people rescued. The latest tally: 3,100.", [(3100, True)]),
    ("The ministry's budget was cut. It now stands at 3,100.", []),
])
def test_it_now_stands_at(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# Headlines: a present verb of what is done to people ("Rescues 3,100", "Charges 61"),
# "61 Charged in ...", "Number Rescued Passes 3,000".
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("Cambodia Rescues 3,100 From Scam Compounds", RESCUED, [(3100, True)]),
    ("Number Rescued Passes 3,000", RESCUED, [(3000, True)]),
    ("61 Charged in Scam Crackdown", CHARGED, [(61, True)]),
    ("Cambodia Charges 61 Over Scam Compounds", CHARGED, [(61, True)]),
    ("Cambodia Inspects 3,100 Buildings", RESCUED, []),
])
def test_headline_verbs_of_what_is_done_to_people(text: str, seed: str,
                                                  expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# An abbreviated month with its day ("Aug. 18, 2022") is a day, not the month alone, so a
# period from it is the claim's own.
@pytest.mark.parametrize(("text", "expected"), [
    ("Since Aug. 18, 2022, the hotline has received 2,400 complaints.", [(2400, True)]),
    ("The hotline has received 2,400 complaints since Aug. 18, 2022.", [(2400, True)]),
    ("The hotline has received 240 complaints since Sept. 1.", []),
])
def test_an_abbreviated_month_with_its_day(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", COMPLAINTS)) == expected


# Estimates: "range from X to Y" is a range (only a verb of change makes "from X to Y" two
# values); a fronted foreign place ("In Myanmar, ...") scopes the clause to another country;
# scam centres that "hold" people hold them to work.
@pytest.mark.parametrize(("text", "expected"), [
    ("Estimates of the number of people working in Cambodia's scam compounds range from "
     "100,000 to 150,000.", [([100000, 150000], True)]),
    ("In Myanmar, an estimated 120,000 people are held in scam compounds.", []),
    ("In Cambodia, an estimated 120,000 people are held in scam compounds.", [(120000, True)]),
    ("Cambodia's scam centres hold an estimated 150,000 people, the UN said.", [(150000, True)]),
])
def test_estimates_ranges_and_fronted_countries(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", "[70000, 100000]")) == expected


# "said last month" dates the report, not the period counted; a count "last month" is still
# a short period's.
@pytest.mark.parametrize(("text", "expected"), [
    ("Last month the hotline said it had received 2,400 complaints.", [(2400, True)]),
    ("The ministry said last week that the hotline had received 2,400 complaints.",
     [(2400, True)]),
    ("The hotline received 240 complaints last month.", []),
])
def test_when_a_figure_was_reported(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", COMPLAINTS)) == expected


# 其中 + a place + a count with only its measure word: the place's part of the count before.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("热线共收到投诉2400宗，其中西哈努克省600宗。", PROVINCE, [(600, True)]),
    ("热线共收到投诉2400宗，其中西哈努克省600宗。", COMPLAINTS, [(2400, True)]),
    ("熱線共收到投訴2400宗，其中西哈努克省600宗。", PROVINCE, [(600, True)]),
])
def test_chinese_of_which_in_a_place(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# A sentence whose only number is written with Traditional characters (逾萬, 兩千) has one.
@pytest.mark.parametrize(("text", "expected"), [
    ("警方已從詐騙園區解救逾萬人。", [(10000, True)]),
    ("警方已從詐騙園區解救兩千餘人。", [(2000, True)]),
])
def test_traditional_number_characters_alone(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", RESCUED)) == expected


# Traditional and Taiwanese words: 販運 (trafficking), 檢舉 (a complaint, a report).
@pytest.mark.parametrize(("text", "expected"), [
    ("熱線開通以來已收到2400宗人口販運檢舉。", [(2400, True)]),
    ("自熱線開通以來，當局共受理檢舉2400宗。", [(2400, True)]),
    ("自热线开通以来，当局共受理检举2400宗。", [(2400, True)]),
])
def test_traditional_words_for_trafficking_and_complaints(text: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", COMPLAINTS)) == expected


# "the complaint count now exceeds N", "the rescue count now tops N": the noun before the
# tally, with headline verbs; an auxiliary ("has now passed") is no noun.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("The complaint count now exceeds 2,400.", COMPLAINTS, [(2400, True)]),
    ("The complaint tally has now passed 2,400.", COMPLAINTS, [(2400, True)]),
    ("The rescue count now tops 3,100.", RESCUED, [(3100, True)]),
    ("The budget tally has now passed 2,400.", COMPLAINTS, []),
])
def test_a_noun_before_its_tally_with_headline_verbs(text: str, seed: str,
                                                     expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected


# "Covid-19" and "COVID 19" name a disease, they count nothing.
@pytest.mark.parametrize(("text", "expected"), [
    ("The COVID 19 pandemic emptied the casinos.", []),
    ("Covid 19 cases rose in the province.", []),
    ("After Covid-19 closed the casinos, 19 complaints came in.", [(19, "complaint")]),
])
def test_covid_19_is_not_a_count(text: str, expected: list) -> None:
    found = quantities(text, dt.date(2025, 6, 1))
    assert [(q.number.value, q.head) for q in found] == expected


# A place's share told in the next sentence without its noun ("About 600 came from X"): a
# part of the count the sentence before ended on, which only that place's claim takes.
@pytest.mark.parametrize(("text", "seed", "expected"), [
    ("The hotline has received 2,400 complaints since it opened. About 600 came from Preah "
     "Sihanouk.", PROVINCE, [(600, True)]),
    ("The hotline has received 2,400 complaints since it opened. Preah Sihanouk accounted "
     "for about 600.", PROVINCE, [(600, True)]),
    ("The hotline has received 2,400 complaints since it opened. About 600 came from Preah "
     "Sihanouk.", COMPLAINTS, [(2400, True)]),
    ("The hotline has received 2,400 complaints since it opened. About 600 came from Kampot.",
     PROVINCE, []),
    ("The hotline has received 2,400 complaints since it opened.\n\nAbout 600 came from Preah "
     "Sihanouk.", PROVINCE, []),
])
def test_a_place_share_in_the_next_sentence(text: str, seed: str, expected: list) -> None:
    assert _plain(observed(text, "2025-06-10", seed)) == expected
