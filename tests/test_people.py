"""The people finder on sentences of our own, in English, Korean and Chinese.

Every name here is either invented or a public figure in a sentence we wrote;
none of it is taken from a news article.
"""

from __future__ import annotations


import pytest

from kb.extract import extract
from kb.extract.people import find_people, plausible_name
from kb.parse import Article


KO_FILLER = "인공지능 업계는 올해 들어 새로운 모델과 서비스를 잇달아 내놓으며 경쟁을 벌이고 있다. 업계는 이 흐름이 계속될 것으로 본다.\n"
ZH_FILLER = "人工智能行业今年竞争激烈，各家公司纷纷发布新的模型和产品，市场格局正在发生变化，业内人士普遍关注后续发展。\n"


def people(text: str, lang: str) -> dict[str, dict]:
    article = Article(url=None, title="t", published="2026-05-01", language=lang, text=text)
    return {p["name"]: p for p in extract(article)["people"]}


def mentioned(found: dict[str, dict]) -> set[str]:
    return {m["text"] for p in found.values() for m in p["mentions"]}


# ---------------------------------------------------------------- English

@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Demand is holding up, said Priya Raman, a senior analyst at Northgate Research.", "Priya Raman"),
        ('"Prices will fall," Tobias Lindqvist, an economist at a Nordic bank, told reporters.', "Tobias Lindqvist"),
        ("The lab's spokesperson Delia Okafor said in a statement that talks had ended.", "Delia Okafor"),
        ("Dr. Hiroshi Tanabe of Kansai Robotics said the arm was ready.", "Hiroshi Tanabe"),
        ("Margaret Ellison, who runs the infrastructure team, left in May.", "Margaret Ellison"),
    ],
)
def test_an_unknown_english_name_beside_a_cue_is_a_person(sentence, name):
    found = people(sentence, "en")
    assert name in found


def test_a_known_given_name_makes_a_person_without_a_cue():
    found = people("The board met with Gregory Halvorsen and two other investors on Tuesday.", "en")
    assert "Gregory Halvorsen" in found


@pytest.mark.parametrize(
    "sentence",
    [
        "The company opened an office in San Francisco and another in New York last year.",
        "Shipments of the Vera Rubin platform start next quarter, the chipmaker said.",
        "Sales rose in March and April, according to figures released on Monday.",
        "The Supreme Court will hear the case, and the White House declined to comment.",
    ],
)
def test_places_products_months_and_institutions_are_not_people(sentence):
    assert people(sentence, "en") == {}


def test_a_byline_and_a_related_headline_are_not_people():
    text = ("By Harriet Collins\n"
            "The startup raised new money this week to build larger models.\n"
            "Why investors keep betting on robots Harriet Collins\n")
    assert people(text, "en") == {}


def test_a_known_person_only_in_a_related_headline_is_left_out():
    text = ("Anthropic released a new model on Tuesday, the company said in a post.\n"
            "Sam Altman says the next model is coming soon\n")
    assert "Sam Altman" not in people(text, "en")
    assert "Sam Altman" in people(text + "Sam Altman said on Monday that it was coming.\n", "en")


def test_a_headline_word_is_not_a_name():
    assert not plausible_name("For Strategic Guidance")
    assert plausible_name("Priya Raman")


def test_a_name_listed_beside_an_accepted_name_is_a_person():
    found = people("The founders, Priya Raman, Oskar Vehko and Tanvir Alam, met at a hackathon.", "en")
    assert {"Oskar Vehko", "Tanvir Alam"} <= set(found)


def test_a_related_article_link_is_chrome():
    text = ("The startup raised new money this week to build larger models, its founder said.\n"
            "- [Gregory Halvorsen says robots are next](https://example.com/a/1)\n")
    assert people(text, "en") == {}


@pytest.mark.parametrize(
    "text, lang, name, role",
    [
        ("Demand is holding up, said Priya Raman, a senior analyst at Northgate Research.", "en", "Priya Raman", "analyst"),
        (KO_FILLER + "제드 라코프 판사는 그 문서를 증거로 받아들이지 않았다.", "ko", "제드 라코프", "judge"),
        (ZH_FILLER + "销售部总经理王立新向集团副总裁汇报。", "zh", "王立新", "general manager"),
    ],
)
def test_the_role_comes_from_the_sentence(text, lang, name, role):
    assert people(text, lang)[name]["role"] == role


# ---------------------------------------------------------------- Korean

def test_a_korean_name_comes_without_its_particle():
    found = people(KO_FILLER + "김도윤 노바랩스 대표는 내년에 새 모델을 공개하겠다고 밝혔다.", "ko")
    assert "김도윤" in found
    assert "김도윤는" not in mentioned(found)


def test_a_korean_professor_and_lawmaker_are_found():
    text = KO_FILLER + "박서연 한빛대 컴퓨터공학과 교수는 규제가 필요하다고 말했다. 최민준 의원은 법안을 발의했다."
    found = people(text, "ko")
    assert {"박서연", "최민준"} <= set(found)


def test_a_transliteration_with_its_original_in_brackets_takes_the_english_name():
    found = people(KO_FILLER + "리처드 소처(Richard Socher)가 세운 회사가 새 검색 서비스를 내놓았다.", "ko")
    assert "Richard Socher" in found
    assert "리처드 소처" in mentioned(found)


def test_a_foreign_name_in_hangul_is_found_by_its_given_name_and_title():
    found = people(KO_FILLER + "마이클 하트웰 노스게이트 부사장이 발표를 맡았다.", "ko")
    assert "마이클 하트웰" in found


def test_korean_names_listed_with_stock_codes_share_the_title_after_them():
    text = KO_FILLER + "장관은 이날 정다온 노바텔(012340), 한지후 루마넷 (023450) 대표를 만났다."
    assert {"정다온", "한지후"} <= set(people(text, "ko"))


def test_a_quoted_organisation_may_stand_between_a_korean_name_and_the_title():
    found = people(KO_FILLER + "보고서를 쓴 윤서진 '미래의 창' 이사는 결과를 설명했다.", "ko")
    assert "윤서진" in found


def test_common_nouns_that_look_like_korean_names_are_not_people():
    found = people(KO_FILLER + "정부 관계자는 검토 중이라고 밝혔다. 전문가 교수진이 참여했다. 한국인 연구원들이 모였다.", "ko")
    assert found == {}


def test_a_korean_reporter_byline_is_not_a_person_of_the_article():
    found = people(KO_FILLER + "이서준 기자 sjlee@example.com", "ko")
    assert found == {}


def test_a_title_word_after_a_name_is_not_a_second_name():
    found = people(KO_FILLER + "정하윤 노바랩스 AI 인프라 사장은 투자를 늘리겠다고 설명했다.", "ko")
    assert set(found) == {"정하윤"}


# ---------------------------------------------------------------- Chinese

def test_a_chinese_name_after_a_title_and_before_a_speech_verb():
    found = people(ZH_FILLER + "星河智算首席技术官王立新表示，新模型将在下月开放。", "zh")
    assert "王立新" in found


def test_an_analyst_is_found_in_chinese():
    found = people(ZH_FILLER + "知名分析师陈嘉宁认为，今年芯片需求仍将增长。", "zh")
    assert "陈嘉宁" in found


def test_a_dotted_transliteration_is_cut_from_the_verb_around_it():
    found = people(ZH_FILLER + "公司宣布由阿米莉亚·哈特接替原负责人，她将负责搜索业务。", "zh")
    assert "阿米莉亚·哈特" in found


def test_a_dotted_transliteration_with_english_in_brackets_takes_the_english_name():
    found = people(ZH_FILLER + "该公司首席执行官奥利弗·布兰特（Oliver Brandt）在发布会上介绍了新产品。", "zh")
    assert "Oliver Brandt" in found


def test_a_dotted_product_name_is_not_a_person(gazetteer):
    hits = find_people(ZH_FILLER + "字节跳动发布了豆包·语音模型，价格下降一半。", gazetteer)
    assert hits == []


def test_a_known_zh_spelling_is_the_gazetteer_person():
    found = people(ZH_FILLER + "英伟达首席执行官黄仁勋表示，需求依然强劲。", "zh")
    assert "Jensen Huang" in found


def test_a_role_the_article_gives_is_not_paired_with_the_gazetteers_current_employer(gazetteer):
    # the gazetteer knows him at Meta now; the sentence gives his role at the company he is leaving
    text = "Scale AI said on Thursday that its founder and chief executive, Alexandr Wang, is stepping down to join Meta."
    facts = extract(Article(url=None, title="t", text=text, language="en", published="2025-06-13"), gazetteer=gazetteer)
    [wang] = [p for p in facts["people"] if p["name"] == "Alexandr Wang"]
    assert wang["role_source"] == "article"
    assert wang["organization_id"] != "meta"
