"""Events a reader can rely on: only what a clause says happened, dated by the text.

Every sentence here is written for these tests; the facts are real, the wording is ours.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.extract import extract
from kb.parse import Article
from tests.conftest import run_kb


def found(text: str, lang: str, gazetteer, published: str | None = "2025-06-13", title: str | None = None) -> list[dict]:
    return extract(Article(text=text, language=lang, published=published, title=title), gazetteer=gazetteer)["events"]


def kinds(text: str, lang: str, gazetteer, published: str | None = "2025-06-13") -> list[tuple]:
    return [(e["type"], e["company"], e["model"]) for e in found(text, lang, gazetteer, published)]


# ---------------------------------------------------------------- what happened, and what did not

@pytest.mark.parametrize("lang, text", [
    ("en", "OpenAI will release GPT-5 next month, people familiar with the plans said."),
    ("en", "Meta is in talks to team up with Google on cloud capacity."),
    ("ko", "오픈AI는 다음 달 GPT-5를 출시할 예정이다."),
    ("ko", "구글은 연내 제미나이 3를 공개할 계획이라고 밝혔다."),
    ("zh", "OpenAI 将于下月发布 GPT-5。"),
    ("zh", "百度计划在明年推出文心大模型5.0。"),
])
def test_a_plan_is_not_an_event(gazetteer, lang, text):
    assert not [e for e in found(text, lang, gazetteer) if e["type"] != "statement"]


@pytest.mark.parametrize("lang, text, kind", [
    ("en", "Jony Ive will not join OpenAI as an employee, the company said.", "executive_change"),
    ("en", "By stopping short of a full acquisition, Meta avoided a merger review of its Scale AI deal.", "acquisition"),
    ("en", "Google has yet to release Gemini 3 Ultra to the public.", "model_release"),
    ("zh", "OpenAI 目前并没有发布 GPT-5。", "model_release"),
    ("zh", "谷歌前高管本来不看好微软与 OpenAI 合作。", "partnership"),
    ("ko", "앤트로픽은 아직 클로드 5를 출시하지 않았다.", "model_release"),
])
def test_a_negation_is_not_an_event(gazetteer, lang, text, kind):
    assert kind not in [e["type"] for e in found(text, lang, gazetteer)]


@pytest.mark.parametrize("lang, text", [
    ("en", "Is OpenAI about to release GPT-5?"),
    ("zh", "我们距离拥有一个 o3 水平的开源模型还有多远？"),
])
def test_a_question_is_not_an_event(gazetteer, lang, text):
    assert not found(text, lang, gazetteer)


@pytest.mark.parametrize("lang, text, released", [
    ("en", "Anthropic released Claude 3.5 Sonnet, which it says is faster than GPT-4o.", {"Claude 3.5 Sonnet"}),
    ("ko", "딥시크는 오픈AI의 o1보다 싼 추론 모델 'R1'을 공개했다.", {"DeepSeek-R1"}),
    ("zh", "深度求索发布推理模型DeepSeek-R1，性能对标OpenAI o1。", {"DeepSeek-R1"}),
])
def test_the_model_compared_with_is_not_released(gazetteer, lang, text, released):
    assert {e["model"] for e in found(text, lang, gazetteer) if e["type"] == "model_release"} == released


@pytest.mark.parametrize("lang, text", [
    ("en", "Llama 4, which Meta released in April, drew a lukewarm response."),
    ("en", "Since DeepSeek-R1 came out, rivals have cut their prices."),
    ("ko", "네이버는 지난 8월 하이퍼클로바X를 내놨다."),
    ("zh", "R1以去年12月发布的DeepSeek-V3为基座。"),
])
def test_background_without_a_day_is_not_a_release(gazetteer, lang, text):
    # a release the text puts in a month or a year only would otherwise be stored under the day of publication
    assert "model_release" not in [e["type"] for e in found(text, lang, gazetteer)]


@pytest.mark.parametrize("lang, text", [
    ("ko", "관련기사\n- [구글, 새 음악 모델 '리리아 3' 출시](https://news.example/1)\n- [오픈AI, GPT-5 공개](https://news.example/2)"),
    ("en", "Related Stories\nOpenAI launches GPT-5 with a router\nGoogle unveils Gemini 3 Pro"),
    ("zh", "相关阅读\nOpenAI 发布 GPT-5\n谷歌推出 Gemini 3 Pro"),
])
def test_related_headlines_are_not_this_articles_events(gazetteer, lang, text):
    assert not found("The body of the piece is about something else entirely.\n" + text, lang, gazetteer)


@pytest.mark.parametrize("lang, text", [
    ("en", "Developers pay less for the company's newly released model, it said."),
    ("en", "The startup fine-tuned Alibaba's open-weight Qwen2.5-VL-7B for the task."),
    ("zh", "OpenAI 在发布会上没有提到这些创新。"),
])
def test_a_trigger_word_used_as_a_description_reports_nothing(gazetteer, lang, text):
    assert not [e for e in found(text, lang, gazetteer) if e["type"] in ("model_release", "open_source")]


def test_a_cited_outlet_is_not_the_company_of_the_event(gazetteer):
    text = "Sam Altman told CNBC that OpenAI had released o3-pro for developers."
    assert "CNBC" not in {e["company"] for e in found(text, "en", gazetteer)}


def test_a_partnership_names_both_sides(gazetteer):
    assert not kinds("업스테이지 컨소시엄에서 주목을 받는 기업은 단연 업스테이지다.", "ko", gazetteer)
    assert ("partnership", "Kakao", None) in kinds("카카오는 오픈AI와 전략적 제휴를 맺었다고 4일 밝혔다.", "ko", gazetteer)


# ---------------------------------------------------------------- releases and their days

@pytest.mark.parametrize("lang, text, published, model, day", [
    ("en", "OpenAI on Tuesday released o3-pro to developers.", "2025-06-13", "o3-pro", "2025-06-10"),
    ("ko", "오픈AI는 지난 31일(현지시간) 'o3 미니'를 공개했다.", "2025-02-03", "o3-mini", "2025-01-31"),
    ("zh", "周四，OpenAI 正式推出了 o3-mini。", "2025-01-31", "o3-mini", "2025-01-30"),
    ("zh", "2 月 1 日消息，OpenAI 今天推出了 o3-mini。", "2025-02-02", "o3-mini", "2025-02-01"),
    ("zh", "GLM-4.5于7月28日正式发布，对标Claude Sonnet 4。", "2025-08-01", "GLM-4.5", "2025-07-28"),
])
def test_a_release_is_dated_by_the_text(gazetteer, lang, text, published, model, day):
    releases = [e for e in found(text, lang, gazetteer, published) if e["type"] == "model_release"]
    assert [(e["model"], e["date"]) for e in releases] == [(model, day)]


def test_a_release_is_not_dated_by_publication_when_the_text_gives_no_day(gazetteer):
    releases = [e for e in found("OpenAI released o3-pro to developers.", "en", gazetteer) if e["type"] == "model_release"]
    assert [e["date"] for e in releases] == [None]


def test_without_a_publication_date_a_relative_day_stays_unknown(gazetteer):
    releases = [e for e in found("OpenAI on Tuesday released o3-pro.", "en", gazetteer, None) if e["type"] == "model_release"]
    assert [e["date"] for e in releases] == [None]


def test_a_deadline_after_publication_does_not_date_what_happened(gazetteer):
    text = ("딥시크는 지난 29일 V3.2-Exp를 공개했다. 기존 API는 다음 달 15일까지 남겨두겠다고 덧붙였다. "
            "같은 날 앤트로픽은 '클로드 소네트 4.5'를 출시했다.")
    dates = {e["model"]: e["date"] for e in found(text, "ko", gazetteer, "2025-10-01") if e["type"] == "model_release"}
    assert dates["Claude Sonnet 4.5"] == "2025-09-29"


def test_the_same_day_points_back_to_the_news_even_when_dated_later(gazetteer):
    text = ("오픈AI가 'o3'의 API 가격을 80% 내렸다. 같은 날 상위 모델 'o3-프로'도 내놨다. "
            "오픈AI는 10일(현지시간) o3의 가격을 입력 100만 토큰당 10달러에서 2달러로 인하했다.")
    dates = {(e["type"], e["model"]): e["date"] for e in found(text, "ko", gazetteer, "2025-06-11")}
    assert dates[("model_release", "o3-pro")] == "2025-06-10"


def test_the_headline_release_of_an_unknown_model_is_the_companys(gazetteer):
    title = "Mistral AI unveils a coding assistant for large codebases"
    events = found(title + "\nThe assistant reads whole repositories.", "en", gazetteer, title=title)
    assert [(e["type"], e["company"], e["model"]) for e in events] == [("model_release", "Mistral AI", None)]


def test_an_app_is_released_as_the_verbs_object(gazetteer):
    releases = found("OpenAI 推出 200 美元月费的 ChatGPT Pro。", "zh", gazetteer, "2024-12-06")
    assert {e["model"] for e in releases if e["type"] == "model_release"} == {"ChatGPT Pro"}


# ---------------------------------------------------------------- people, prices and deals

def test_an_executive_change_has_the_person_from_to_and_role(gazetteer):
    text = ("Scale AI said on Thursday that its chief executive, Alexandr Wang, is stepping down to join Meta. "
            "Wang wrote that the cost of the deal was his departure.")
    moves = [e for e in found(text, "en", gazetteer) if e["type"] == "executive_change"]
    assert len(moves) == 1  # one person, one move, however many sentences tell it
    move = moves[0]
    assert (move["person"], move["to"], move["from"], move["model"]) == ("Alexandr Wang", "meta", "scale-ai", None)
    assert move["date"] == "2025-06-12"
    # the chief executive he was is Scale AI's, the company he leaves, not Meta's
    assert (move["role"], move["role_at"]) == ("CEO", "scale-ai")


def test_the_role_someone_is_hired_into(gazetteer):
    text = "업스테이지는 이날 이지현 전 크래프톤 재무실장을 최고재무책임자(CFO)로 영입했다고 밝혔다."
    move = next(e for e in found(text, "ko", gazetteer, "2026-01-29") if e["type"] == "executive_change")
    assert (move["company"], move.get("role"), move.get("role_at")) == ("Upstage", "CFO", "upstage")


def test_a_price_change_is_not_filed_under_the_model_compared_with(gazetteer):
    text = ("오픈AI는 o3의 API 가격을 입력 100만 토큰당 10달러에서 2달러로 인하했다. "
            "이번 인하로 구글 '제미나이 2.5 프로'(입력 1.25달러, 출력 10달러)와 비슷한 가격대에 들어섰다.")
    assert {e["model"] for e in found(text, "ko", gazetteer, "2025-06-11") if e["type"] == "price_change"} == {"o3"}


def test_kb_events_lists_each_article_once_per_event(tmp_path):
    db = tmp_path / "demo.db"
    crawled = run_kb("crawl", "--demo", "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr
    listed = run_kb("events", "--db", str(db), "--json")
    assert listed.returncode == 0, listed.stderr
    for event in json.loads(listed.stdout):
        articles = [(a["url"] or a["title"]) for a in event["articles"]]
        assert len(articles) == len(set(articles)), event["id"]


@pytest.mark.parametrize("lang, text, published, model, day", [
    ("ko", "LG AI연구원은 9일 엑사원 3.5를 허깅페이스에 올렸다고 밝혔다.", "2024-12-09", "EXAONE 3.5", "2024-12-09"),
    ("en", "On Monday DeepSeek posted the weights of DeepSeek-R1 on Hugging Face.", "2025-01-21", "DeepSeek-R1", "2025-01-20"),
])
def test_weights_put_where_anyone_can_download_them_are_open_sourced(gazetteer, lang, text, published, model, day):
    opened = [(e["model"], e["date"]) for e in found(text, lang, gazetteer, published) if e["type"] == "open_source"]
    assert opened == [(model, day)]


def test_a_family_released_in_the_headline_takes_the_day_of_its_members(gazetteer):
    text = "메타, '라마 4' 공개\n메타는 5일(현지시간) '라마 4 스카우트'와 '라마 4 매버릭'을 공개했다."
    dates = {e["model"]: e["date"] for e in found(text, "ko", gazetteer, "2025-04-07") if e["type"] == "model_release"}
    assert dates == {"Llama 4": "2025-04-05", "Llama 4 Scout": "2025-04-05", "Llama 4 Maverick": "2025-04-05"}


def test_a_product_line_is_released_when_it_is_the_verbs_own_object(gazetteer):
    assert ("model_release", "Kuaishou", "Kling") in kinds("7 月 24 日，快手可灵全面开放内测。", "zh", gazetteer, "2024-07-27")
    # but not when a version follows: that is the model (a new one, once the text names it), not the line
    released = [e["model"] for e in found("百度发布文心大模型9.9。", "zh", gazetteer) if e["type"] == "model_release"]
    assert all(model and re.search(r"\d", model) for model in released)


def test_announcing_a_new_model_releases_it(gazetteer):
    assert ("model_release", "OpenAI", "o1") in kinds("OpenAI 宣布了最新的推理模型 o1。", "zh", gazetteer, "2024-12-06")


def test_a_statement_in_another_storys_headline_is_not_this_articles(gazetteer):
    text = "The chip shortage eased in the spring.\nTim Cook says memory costs will force Apple to raise prices"
    assert "statement" not in [e["type"] for e in found(text, "en", gazetteer)]


def test_one_deal_told_twice_is_one_event(gazetteer):
    text = "OpenAI said on Wednesday that it is acquiring io for about $6.5 billion. OpenAI acquired the company in an all-stock deal."
    assert len([e for e in found(text, "en", gazetteer, "2025-05-22") if e["type"] == "acquisition"]) == 1


@pytest.mark.parametrize("lang, text, kind", [
    ("en", "Musk was grilled about his motivations for suing the company.", "lawsuit"),
    ("zh", "马斯克回应开源：Grok 3 的订阅用户可以优先体验。", "open_source"),
    ("ko", "네이버클라우드 컨소시엄, SK텔레콤 컨소시엄 등 후보군을 제치고 업스테이지가 선정됐다.", "partnership"),
])
def test_an_act_named_or_a_topic_is_not_an_event(gazetteer, lang, text, kind):
    assert kind not in [e["type"] for e in found(text, lang, gazetteer)]


def test_a_company_speaks_in_its_own_quoted_words_not_in_a_quoted_phrase(gazetteer):
    said = found("Google said, “We will keep shipping Gemini updates every month.”", "en", gazetteer)
    assert ("statement", "Google") in [(e["type"], e["company"]) for e in said]
    reported = found("Google has said it is committed to the “responsible development” of AI.", "en", gazetteer)
    assert "statement" not in [e["type"] for e in reported]


def test_a_release_in_a_month_is_kept_when_the_headline_names_it(gazetteer):
    title = "Meta's Llama 4 Maverick, a month on"
    text = title + "\nMeta released Llama 4 Maverick in April, and developers are still testing it."
    releases = [e for e in found(text, "en", gazetteer, "2025-05-20", title=title) if e["type"] == "model_release"]
    assert [(e["model"], e["date"]) for e in releases] == [("Llama 4 Maverick", None)]


def test_a_caption_reports_nothing_but_bold_text_does(gazetteer):
    caption = "*메타는 5일 '라마 4'를 공개했다 (사진=메타)*"
    assert not found(caption, "ko", gazetteer, "2025-04-07")
    bold = "**Meta released Llama 4 Scout on Saturday.**"
    assert [e["model"] for e in found(bold, "en", gazetteer, "2025-04-07") if e["type"] == "model_release"] == ["Llama 4 Scout"]


def test_a_departure_reported_is_an_executive_change(gazetteer):
    text = "Five months after returning to OpenAI, Barret Zoph has departed, The Verge has learned."
    moves = [e for e in found(text, "en", gazetteer) if e["type"] == "executive_change"]
    assert [(e["person"], e["company"]) for e in moves] == [("Barret Zoph", "OpenAI")]


# ---------------------------------------------------------------- statements a reader needs

@pytest.mark.parametrize("lang, text", [
    ("ko", '김민준 서울대 교수는 "생성형 AI 투자는 당분간 더 늘어날 것"이라고 말했다.'),
    ("ko", '박서연 의원은 "데이터센터 전력 공급을 서둘러야 한다"고 강조했다.'),
    ("en", '"Demand for inference will keep climbing," said Dana Whitfield, an analyst at Northgate Research.'),
])
def test_an_outside_voice_is_not_a_statement(gazetteer, lang, text):
    assert "statement" not in [e["type"] for e in found(text, lang, gazetteer)]


def test_a_company_and_its_chief_speak_as_statements(gazetteer):
    spokesperson = found('A Google spokesperson said: "We are proud of what the team shipped."', "en", gazetteer)
    assert ("statement", "Google") in [(e["type"], e["company"]) for e in spokesperson]
    chief = found('OpenAI CEO Sam Altman said, "We are opening the model to every developer."', "en", gazetteer)
    assert ("statement", "OpenAI", "Sam Altman") in [(e["type"], e["company"], e["person"]) for e in chief]


# ---------------------------------------------------------------- the news, named where no list knows it

def test_each_semicolon_clause_reports_its_own_release(gazetteer):
    text = "7 月 24 日，快手可灵全面开放内测；同一天，智谱发布 CogVideoX。"
    releases = {(e["company"], e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-07-27")
                if e["type"] == "model_release"}
    assert releases == {("Kuaishou", "Kling", "2024-07-24"), ("Zhipu AI", "CogVideoX", "2024-07-24")}


def test_an_invite_only_test_opening_is_a_release(gazetteer):
    releases = [(e["company"], e["model"], e["date"]) for e in found("7 月 24 日，快手可灵正式开启邀测。", "zh", gazetteer, "2024-07-27")
                if e["type"] == "model_release"]
    assert releases == [("Kuaishou", "Kling", "2024-07-24")]


def test_a_clause_names_its_new_product_though_another_clause_released_a_known_model(gazetteer):
    text = "7 月 24 日，快手可灵全面开放内测；26 日，智谱 AI 上线视频生成功能「晴岚」。"
    releases = {(e["company"], e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-07-27")
                if e["type"] == "model_release"}
    assert releases == {("Kuaishou", "Kling", "2024-07-24"), ("Zhipu AI", "晴岚", "2024-07-26")}


def test_a_tier_of_a_listed_family_is_released_as_itself(gazetteer):
    text = "5 月 15 日，字节跳动共发布 2 款模型，包括豆包通用模型 Pro 和豆包・绘画模型。"
    releases = {(e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-05-17") if e["type"] == "model_release"}
    assert ("豆包通用模型 Pro", "2024-05-15") in releases


@pytest.mark.parametrize("lang, text, company, model, day", [
    ("ko", "누리랩스는 18일 기업용 AI 에이전트 ‘누리랩스 캔버스(Nurilabs Canvas)’를 공개했다.\n이 에이전트는 문서를 쓴다.",
     "누리랩스", "Nurilabs Canvas", "2026-03-18"),
    ("ko", "솔바람은 새 AI 비서 ‘솔바람 노트(Solbaram Note)’를 출시했다.", "Solbaram", "Solbaram Note", None),
    ("en", "Quillworks on Tuesday unveiled Quillworks Atlas, an AI agent for law firms.\nIt drafts contracts.",
     "Quillworks", "Quillworks Atlas", "2026-03-17"),
])
def test_a_maker_no_list_knows_is_the_subject_that_heads_its_product_name(gazetteer, lang, text, company, model, day):
    releases = [(e["company"], e["model"], e["date"]) for e in found(text, lang, gazetteer, "2026-03-19") if e["type"] == "model_release"]
    assert releases == [(company, model, day)]


@pytest.mark.parametrize("lang, text", [
    ("ko", "솔바람은 새 AI 비서 ‘바닷길 노트(Badatgil Note)’를 출시했다."),  # the subject does not head the name
    ("en", "Quillworks unveiled Harbor Atlas, an AI agent for law firms."),
    ("ko", "솔바람은 ‘솔바람 노트(Solbaram Note)’를 출시할 예정이다."),  # a plan
    ("ko", "과기정통부는 ‘과기정통부 AI 플랫폼(MSIT AI Platform)’을 공개했다."),  # a ministry's programme
])
def test_an_unknown_subject_that_does_not_head_the_name_makes_no_release(gazetteer, lang, text):
    assert not [e for e in found(text, lang, gazetteer, "2026-03-19") if e["type"] == "model_release"]


def test_an_unquoted_latin_name_after_a_chinese_verb_by_a_maker_named_by_its_suffix(gazetteer):
    text = "7 月 24 日，快手可灵全面开放内测；同一天，创企星河科技发布产品 Nebula V2，可生成一分钟的视频。"
    releases = {(e["company"], e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-07-27")
                if e["type"] == "model_release"}
    assert releases == {("Kuaishou", "Kling", "2024-07-24"), ("星河科技", "Nebula V2", "2024-07-24")}


def test_each_clause_of_a_lede_names_its_own_new_release(gazetteer):
    text = "初创公司星河智能今天发布了新模型 Nebula-7B；26 日，智谱 AI 上线视频生成功能「晴岚」。"
    releases = {(e["company"], e["model"]) for e in found(text, "zh", gazetteer, "2024-07-27") if e["type"] == "model_release"}
    assert releases == {("星河智能", "Nebula-7B"), ("Zhipu AI", "晴岚")}


@pytest.mark.parametrize("text", [
    "荣耀今天发布了 MagicBook Pro 14 笔记本，续航更长。",  # a laptop
    "AMD 今天推出了 MI400X 芯片。",  # a chip
    "OpenAI 今天推出 API 服务。",  # not a name
    "星河科技今天发布产品 Nebula V2，售价 999 元。",  # a product that says nothing of AI
])
def test_an_unquoted_latin_name_that_is_not_ai_is_not_released(gazetteer, text):
    assert not [e for e in found(text, "zh", gazetteer, "2024-07-27") if e["type"] == "model_release" and e["model"]]


@pytest.mark.parametrize("lang, text, published, company, model, day", [
    ("en", "Microsoft unveils Harbormaster, an autonomous AI agent for Teams.\nIt books meetings.", "2026-06-03",
     "Microsoft", "Harbormaster", None),
    ("en", "Thinking Machines Lab released its first in-house AI model on Wednesday, called Quillfeather.\nIt is open.",
     "2026-07-16", "Thinking Machines Lab", "Quillfeather", "2026-07-15"),
    ("en", "Microsoft Harbormaster, unveiled at the company's developer event Tuesday, runs around the clock.",
     "2026-06-03", "Microsoft", "Microsoft Harbormaster", "2026-06-02"),
    ("ko", "구글은 17일 새로운 음악 플랫폼 ‘소리마당(Sori Madang)’을 공개했다.\n이 플랫폼은 곡을 만든다.", "2026-04-19",
     "Google", "Sori Madang", "2026-04-17"),
    ("zh", "OpenAI 今天推出新功能「Reminders」，用户可以设置提醒。", "2025-01-15", "OpenAI", "Reminders", "2025-01-15"),
    ("zh", "文心一言今天上线智能写作功能，会员优先体验。", "2025-02-13", "Baidu", "智能写作", "2025-02-13"),
])
def test_the_lede_names_the_product_it_releases(gazetteer, lang, text, published, company, model, day):
    releases = [(e["company"], e["model"], e["date"]) for e in found(text, lang, gazetteer, published) if e["type"] == "model_release"]
    assert releases == [(company, model, day)]


def test_a_named_release_is_listed_as_a_candidate(gazetteer):
    facts = extract(Article(text="Thinking Machines Lab released its first AI model today, called Quillfeather.",
                            language="en", published="2026-07-15"), gazetteer=gazetteer)
    assert [(m["name"], m["candidate"]) for m in facts["models"] if m["name"] == "Quillfeather"] == [("Quillfeather", True)]


@pytest.mark.parametrize("lang, text", [
    ("en", "Microsoft will unveil Harbormaster, an autonomous AI agent, next month."),
    ("zh", "苹果将在 Mac 和 iPad 上推出实时翻译功能。"),
    ("en", "Is Microsoft about to unveil Harbormaster, an autonomous AI agent?"),
])
def test_a_planned_or_asked_release_names_nothing(gazetteer, lang, text):
    assert not [e for e in found(text, lang, gazetteer) if e["type"] == "model_release"]


def test_a_release_named_far_below_the_lede_is_not_made_up(gazetteer):
    filler = "\n".join(f"Paragraph {n} talks about the weather in the valley." for n in range(40))
    text = filler + "\nMicrosoft unveils Harbormaster, an autonomous AI agent for Teams."
    assert not [e for e in found(text, "en", gazetteer) if e["model"] == "Harbormaster"]


def test_a_known_model_called_the_companys_new_one_is_its_release(gazetteer):
    text = "Gemini 2.5 Flash, Google's new fast model, answers in a fraction of a second.\nDevelopers can try it."
    assert ("model_release", "Google", "Gemini 2.5 Flash") in kinds(text, "en", gazetteer)


def test_a_headline_release_without_a_day_takes_the_day_a_later_sentence_gives_its_product(gazetteer):
    title = "# OpenAI 推出新功能「Reminders」"
    text = title + "\n1 月 15 日消息，OpenAI 今日宣布，为 ChatGPT 加入「Reminders」功能，可按时提醒用户。"
    releases = [(e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2025-01-17", title=title)
                if e["type"] == "model_release"]
    assert releases == [("Reminders", "2025-01-15")]


def test_a_digest_headline_release_takes_the_day_its_section_gives(gazetteer):
    title = "# 苹果股价创新高；xAI 正式推出 API；蔚来交付新车｜早报"
    filler = "\n".join(f"## 第 {n} 条\n这是第 {n} 条新闻的正文，说的是天气。" for n in range(6))
    text = (title + "\n" + title + "\n" + filler + "\n## xAI 正式推出 API，开发者可接入 Grok\n"
            "10 月 22 日，xAI 正式推出了开发者接口，允许开发者将 Grok 接入自己的应用。")
    releases = [(e["company"], e["date"]) for e in found(text, "zh", gazetteer, "2024-10-23", title=title)
                if e["type"] == "model_release"]
    assert releases == [("xAI", "2024-10-22")]


@pytest.mark.parametrize("lang, title, body, published, model, day", [
    ("zh", "# xAI 正式推出开发者接口", "10 月 22 日，xAI 正式推出了开发者接口。\n目前，接口只提供一个模型，名为「grok-lumen」，按 token 计费。",
     "2024-10-23", "grok-lumen", "2024-10-22"),
    ("en", "# OpenAI launches its developer platform", "OpenAI launched its developer platform on Monday.\n"
     "The platform serves one model, called GPT-5.5, at launch.", "2025-03-12", "GPT-5.5", "2025-03-10"),
])
def test_a_headline_release_takes_the_model_its_story_introduces_by_name(gazetteer, lang, title, body, published, model, day):
    releases = [(e["model"], e["date"]) for e in found(title + "\n" + body, lang, gazetteer, published, title=title)
                if e["type"] == "model_release"]
    assert (model, day) in releases


def test_a_name_given_to_something_else_is_not_the_headline_release(gazetteer):
    title = "# xAI 正式推出开发者接口"
    text = title + "\n10 月 22 日，xAI 正式推出了开发者接口。\n一家名为「Lumen」的初创公司率先接入。"
    releases = [e["model"] for e in found(text, "zh", gazetteer, "2024-10-23", title=title) if e["type"] == "model_release"]
    assert releases == [None]


def test_a_korean_verb_modifying_a_new_name_does_not_release_a_model_compared_further_on(gazetteer):
    text = "지난달 24일 공개한 '바람코더 2'는 코딩 시험에서 높은 점수를 받아 앤트로픽 '클로드 소네트 4.5', 오픈AI 'GPT-5'와 비슷한 수준을 보였다."
    assert not [e for e in found(text, "ko", gazetteer, "2026-03-05") if e["model"] in ("Claude Sonnet 4.5", "GPT-5")]


@pytest.mark.parametrize("lang, text, compared", [
    ("en", "Scores published by DeepSeek put its new model on par with OpenAI's GPT-5.", "GPT-5"),
    ("en", "Mistral released a model it says is comparable to Claude Sonnet 4.5 on coding.", "Claude Sonnet 4.5"),
    ("ko", "오픈AI가 GPT-5 출시 약 7개월 만에 새 주력 모델을 내놨다.", "GPT-5"),
])
def test_a_model_named_as_a_yardstick_or_a_time_reference_is_not_released(gazetteer, lang, text, compared):
    assert compared not in [e["model"] for e in found(text, lang, gazetteer, "2026-03-13") if e["type"] == "model_release"]


def test_a_participle_describing_a_common_noun_is_not_a_release(gazetteer):
    text = "A paper released by Google describes how Gemini 2.5 Pro plans its answers."
    assert not [e for e in found(text, "en", gazetteer) if e["type"] == "model_release"]


_FILLER = "\n".join(f"第 {n} 段讲的是大会现场的其他安排。" for n in range(14))


def test_an_undated_release_by_the_ledes_maker_takes_the_ledes_day(gazetteer):
    text = f"9 月 19 日，阿里云在杭州发布了多款通义千问模型。\n{_FILLER}\n通义家族新成员——Qwen2.5-Coder、Qwen2.5-VL，正式面向企业市场开启邀测。"
    releases = {(e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-09-21") if e["type"] == "model_release"}
    assert {("Qwen2.5-Coder", "2024-09-19"), ("Qwen2.5-VL", "2024-09-19")} <= releases


@pytest.mark.parametrize("later", [
    "It released its Mistral Large 2 model back in the summer.",  # its own, vaguer time
    "Alibaba released Qwen2.5-Coder earlier.",  # another maker
])
def test_a_release_with_its_own_time_or_maker_does_not_take_the_ledes_day(gazetteer, later):
    filler = "\n".join(f"Paragraph {n} is about the weather in Paris." for n in range(14))
    text = f"Mistral AI released Magistral on Tuesday.\n{filler}\n{later}"
    dated = [e for e in found(text, "en", gazetteer, "2025-06-12") if e["type"] == "model_release" and e["model"] in ("Mistral Large 2", "Qwen2.5-Coder")]
    assert all(e["date"] is None for e in dated)


def test_the_company_in_a_title_is_not_the_one_joined_when_the_verb_names_another(gazetteer):
    moved = found("OpenAI 联合创始人 John Schulman 加盟星河科技。", "zh", gazetteer, "2024-12-20")
    assert not [e for e in moved if e["type"] == "executive_change" and e["company"] == "OpenAI"]
    stayed = found("The launch was led by xAI chief scientist Dana Whitfield, who joined last month from Google DeepMind.",
                   "en", gazetteer)
    assert [e["company"] for e in stayed if e["type"] == "executive_change"] == ["xAI"]


def test_a_counted_launch_releases_each_named_item_on_the_storys_day(gazetteer):
    text = ("## 字节跳动发布新模型\n5 月 15 日消息，字节跳动在大会上介绍了新的定价。"
            "字节跳动此次共发布 3 款模型，包括豆包写作模型 Max、豆包翻译模型 Mini、豆包・绘本模型。")
    releases = {(e["company"], e["model"], e["date"]) for e in found(text, "zh", gazetteer, "2024-05-17")
                if e["type"] == "model_release" and e["model"] and e["model"] != "Doubao"}
    # the items with a name of their own; "豆包・绘本模型" only describes a kind
    assert releases == {("ByteDance", "豆包写作模型 Max", "2024-05-15"), ("ByteDance", "豆包翻译模型 Mini", "2024-05-15")}


def test_a_word_only_name_without_an_ai_kind_is_not_a_release(gazetteer):
    text = "## 美团推出「松鼠小馆」外卖集合店\n美团推出「松鼠小馆」外卖集合店，可一次下单多家餐品。"
    assert not [e for e in found(text, "zh", gazetteer, "2025-01-16") if e["type"] == "model_release"]
    ai = "## 智谱上线 AI 写作助手「墨言」\n智谱上线 AI 写作助手「墨言」，面向所有用户开放。"
    assert [e["model"] for e in found(ai, "zh", gazetteer, "2025-01-16") if e["type"] == "model_release"] == ["墨言"]


def test_a_product_launched_in_a_past_year_is_background_not_the_news(gazetteer):
    text = "Microsoft Harbormaster, launched in 2024, now reads whole screens.\nIt is popular with developers."
    assert not [e for e in found(text, "en", gazetteer, "2026-04-16") if e["type"] == "model_release"]


def test_an_unnamed_insiders_remark_is_not_the_companys_statement(gazetteer):
    insider = found('삼성전자 관계자는 "고객사와 협의를 이어가고 있다"고 말했다.', "ko", gazetteer)
    assert "statement" not in [e["type"] for e in insider]
    issued = found('삼성전자는 "고객사와 협의를 이어가고 있다"고 밝혔다.', "ko", gazetteer)
    assert ("statement", "Samsung Electronics") in [(e["type"], e["company"]) for e in issued]


@pytest.mark.parametrize("lang, text", [
    ("ko", "LG전자는 20일 ‘AI 기본 전략’을 공개했다.\n회사는 투자를 늘린다."),
    ("ko", "네이버는 20일 ‘2030 비전’을 공개했다.\n회사는 투자를 늘린다."),
    ("zh", "## 百度发布「AI 2030 白皮书」\n百度今天发布「AI 2030 白皮书」，总结行业趋势。"),
])
def test_a_plan_a_law_or_a_report_is_not_a_product_released(gazetteer, lang, text):
    assert not [e for e in found(text, lang, gazetteer, "2025-05-21") if e["type"] == "model_release" and e["model"]]


def test_only_a_product_kind_called_by_a_name_is_released(gazetteer):
    fund = "OpenAI launched a new grant program on Monday, called Horizon.\nIt funds researchers."
    assert not [e for e in found(fund, "en", gazetteer, "2026-03-03") if e["model"] == "Horizon"]
    agent = "OpenAI launched a new coding agent on Monday, called Horizon.\nIt writes tests."
    assert [e["model"] for e in found(agent, "en", gazetteer, "2026-03-03") if e["type"] == "model_release"] == ["Horizon"]


def test_the_word_of_a_company_only_guessed_from_the_text_is_left_out(gazetteer):
    text = 'Lattice Forge CEO Dana Whitfield said, "Our keyboards sell out every week."'
    facts = extract(Article(text=text, language="en", published="2026-03-03"), gazetteer=gazetteer)
    assert [c["name"] for c in facts["companies"] if c["candidate"]] == ["Lattice Forge"]
    assert "statement" not in [e["type"] for e in facts["events"]]
    known = found('Nvidia CEO Jensen Huang said, "Demand keeps rising every week."', "en", gazetteer)
    assert ("statement", "NVIDIA") in [(e["type"], e["company"]) for e in known]
