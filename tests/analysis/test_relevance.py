from __future__ import annotations

import pytest

from alerts.analysis.relevance import RelevanceModel

MODEL = RelevanceModel.build()


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Police raid scam compound in Sihanoukville",
         "Police raided a compound in Sihanoukville on Friday and found 300 foreigners forced to "
         "run online scams. Officers rescued the workers, who said they had been trafficked."),
        ("Ministry says trafficking complaints are falling",
         "Cambodia's Interior Ministry said it had handled 850 human trafficking complaints since "
         "August. Officials said more than 2,000 foreigners had been rescued."),
        ("柬埔寨警方突查西港诈骗园区", "柬埔寨警方本月突击检查了西哈努克港一处电诈园区，解救了数十名外籍劳工。"),
        # Traditional Chinese.
        ("金邊警方搗毀詐騙窩點", "柬埔寨警方本月突擊檢查金邊一處電詐園區，逮捕二十名詐騙嫌犯。"),
        ("", "សមត្ថកិច្ចបានឆែកឆេរកាស៊ីណូមួយនៅខេត្តព្រះសីហនុ ពាក់ព័ន្ធការឆបោកតាមអនឡាញ។ "
             "ជនរងគ្រោះនៃការជួញដូរមនុស្សត្រូវបានជួយសង្គ្រោះនៅកម្ពុជា។"),
    ],
)
def test_coverage_of_the_story_is_relevant(title: str, text: str) -> None:
    assert MODEL.judge(title, text).relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Cambodia's economy to grow 5.5 percent",
         "The Asian Development Bank said Cambodia's economy would grow 5.5 percent, led by "
         "garment exports and tourism in Siem Reap."),
        ("Myanmar junta raids KK Park scam hub",
         "Myanmar's military raided the KK Park scam compound near Myawaddy and detained 2,000 "
         "people forced to run online scams."),
        ("Surrogates convicted of trafficking",
         "A Cambodian court convicted 13 Filipino surrogate mothers of human trafficking in Kandal. "
         "The surrogacy case drew attention in Manila."),
        ("Cambodian fishermen freed from Thai trawlers",
         "Thirty Cambodian men trafficked onto Thai fishing boats were rescued and returned to "
         "Cambodia, where they described forced labour at sea on the fishing vessels."),
        ("Casino operator reports record profit",
         "NagaCorp said profit rose as gamblers returned to its Phnom Penh casino."),
    ],
)
def test_other_cambodian_news_and_foreign_scam_hubs_are_not_relevant(title: str, text: str) -> None:
    assert not MODEL.judge(title, text).relevant


def test_configured_topic_terms_add_to_the_builtin_vocabulary() -> None:
    text = "Cambodia's pig-lottery syndicates were broken up in Phnom Penh."
    assert not MODEL.judge("", text).relevant
    custom = RelevanceModel.build(topic_terms=("pig-lottery syndicates",))
    assert custom.judge("", text + " " + text).score > MODEL.judge("", text).score


def test_sentences_stating_seed_figures_tie_an_article_to_the_story() -> None:
    text = ("The government said it had now received 512 complaints about trafficking, forced "
            "labour or confinement since August 18.")
    assert not MODEL.judge("Complaints rise", text).relevant
    assert MODEL.judge("Complaints rise", text, evidence=1).relevant


def test_the_threshold_decides_the_verdict() -> None:
    text = "Cambodia's Interior Ministry said it handled 850 human trafficking complaints."
    score = MODEL.judge("", text).score
    assert RelevanceModel.build(threshold=score - 0.01).judge("", text).relevant
    assert not RelevanceModel.build(threshold=score + 0.01).judge("", text).relevant


# Written for these tests: frauds that are not the scam industry, in Cambodia.
@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Court jails promoter of Ponzi scheme",
         "A Phnom Penh court jailed the founder of a Ponzi scheme that took savings from "
         "teachers in Kampong Cham. Investors were promised returns of 10 percent a month."),
        ("Land fraud ring broken up in Siem Reap",
         "Police in Siem Reap arrested four officials accused of land fraud. The officials sold "
         "state land with fraudulent titles, the provincial court said."),
        ("Tax fraud probe widens",
         "Cambodia's tax department said it was investigating tax fraud at three Phnom Penh "
         "importers."),
    ],
)
def test_scam_words_of_other_frauds_are_not_the_story(title: str, text: str) -> None:
    assert not MODEL.judge(title, text).relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A capitalised dateline names the place; "freed" is a rescue.
        ("Twelve freed from villa",
         "KAMPOT, March 3 — Police freed twelve Malaysians from a villa where they had been "
         "forced to work for a scam ring, officials said."),
        # No scam word: freed from a casino, lured by promised jobs.
        ("Forty freed from border casino",
         "Forty Vietnamese were freed from a casino in Svay Rieng province on Friday. "
         "Relatives said they had been promised jobs in online customer service."),
    ],
)
def test_rescues_and_job_lures_with_a_cambodian_place_are_the_story(title: str, text: str) -> None:
    assert MODEL.judge(title, text).relevant
