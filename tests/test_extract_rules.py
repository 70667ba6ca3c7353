"""Extraction rules, one behaviour per test, on sentences written for the test."""

import pytest

from kb.extract import extract
from kb.parse import Article


def facts(text: str, lang: str, published: str = "2025-06-01", gazetteer=None) -> dict:
    return extract(Article(text=text, language=lang, published=published), gazetteer=gazetteer)


def prices(text: str, lang: str, gazetteer) -> list[tuple]:
    return [(p["model"], p["kind"], p["amount"], p["currency"], p["per_tokens"], p["period"])
            for p in facts(text, lang, gazetteer=gazetteer)["prices"]]


def events(text: str, lang: str, gazetteer, published: str = "2025-06-01") -> list[tuple]:
    return [(e["type"], e["company"], e["model"], e["date"]) for e in facts(text, lang, published, gazetteer)["events"]]


# ---------------------------------------------------------------- people and companies the gazetteer does not know

@pytest.mark.parametrize("lang, text, person, role, organization", [
    ("ko", "AI 스타트업 노바랩스의 김철수 대표는 \"시장이 커지고 있다\"고 말했다.", "김철수", "CEO", "노바랩스"),
    ("en", "Jane Doe, chief executive of Acme AI, said the model would ship soon.", "Jane Doe", "CEO", "Acme AI"),
    ("en", "Acme AI CEO Jane Doe said the company had raised money.", "Jane Doe", "CEO", "Acme AI"),
    ("zh", "新创公司星河智能首席技术官李明（Li Ming）表示，价格将下调。", "李明", "CTO", "星河智能"),
])
def test_a_new_person_is_found_with_role_and_organisation_from_apposition(gazetteer, lang, text, person, role, organization):
    people = {p["name"]: p for p in facts(text, lang, gazetteer=gazetteer)["people"]}
    assert person in people
    assert (people[person]["role"], people[person]["organization"]) == (role, organization)


@pytest.mark.parametrize("text", ["이번 임시 대표 체제는 길지 않을 전망이다.", "국내 대표 기업들이 참여했다."])
def test_common_words_before_a_title_are_not_people(gazetteer, text):
    assert facts(text, "ko", gazetteer=gazetteer)["people"] == []


def test_a_common_noun_after_company_is_not_a_company(gazetteer):
    found = facts("회사 측에 따르면 기업 고객 수요가 늘었다. 업체 자금 사정은 나쁘지 않다.", "ko", gazetteer=gazetteer)
    assert found["companies"] == []


# ---------------------------------------------------------------- prices

@pytest.mark.parametrize("lang, text, expected", [
    ("en", "GPT-4.1 mini costs $0.40/M input and $1.60/M output.",
     [("GPT-4.1 mini", "input", 0.4, "USD", 1_000_000, None), ("GPT-4.1 mini", "output", 1.6, "USD", 1_000_000, None)]),
    ("en", "Claude Sonnet 4 is priced at $3/MTok for input and $15/MTok for output.",
     [("Claude Sonnet 4", "input", 3.0, "USD", 1_000_000, None), ("Claude Sonnet 4", "output", 15.0, "USD", 1_000_000, None)]),
    ("ko", "클로드 소네트 4는 입력 3달러, 출력 15달러(100만 토큰 기준)로 책정됐다.",
     [("Claude Sonnet 4", "input", 3.0, "USD", 1_000_000, None), ("Claude Sonnet 4", "output", 15.0, "USD", 1_000_000, None)]),
    ("ko", "하이퍼클로바X의 API 가격은 1000토큰당 입력 1.25원, 출력 5원이다.",
     [("HyperCLOVA X", "input", 1.25, "KRW", 1000, None), ("HyperCLOVA X", "output", 5.0, "KRW", 1000, None)]),
    ("zh", "DeepSeek-V3的价格调整为每百万输入tokens 2元，每百万输出tokens 8元。",
     [("DeepSeek-V3", "input", 2.0, "CNY", 1_000_000, None), ("DeepSeek-V3", "output", 8.0, "CNY", 1_000_000, None)]),
    ("ko", "챗GPT 플러스 구독료는 월 2만9000원이다.", [("ChatGPT Plus", "subscription", 29000.0, "KRW", None, "month")]),
])
def test_price_forms_of_the_press(gazetteer, lang, text, expected):
    assert prices(text, lang, gazetteer) == expected


def test_a_price_in_parentheses_belongs_to_the_model_before_them(gazetteer):
    text = "o3-프로의 가격은 입력 100만 토큰당 20달러로 o1-프로(입력 100만 토큰당 150달러)보다 싸다."
    assert ("o3-pro", 20.0) in [(p[0], p[2]) for p in prices(text, "ko", gazetteer)]
    assert ("o1-pro", 150.0) in [(p[0], p[2]) for p in prices(text, "ko", gazetteer)]


def test_a_price_after_which_belongs_to_the_model_the_clause_describes(gazetteer):
    text = "OpenAI said that makes o3-mini 63% cheaper than o1-mini, which lists at $3 per million input tokens and $12 per million output tokens."
    assert {(p[0], p[2]) for p in prices(text, "en", gazetteer)} == {("o1-mini", 3.0), ("o1-mini", 12.0)}


def test_the_model_refers_back_to_the_released_model_not_the_app(gazetteer):
    text = ("OpenAI released o3-mini on Friday and made it available in ChatGPT. "
            "Developers get the model at $1.10 per million input tokens.")
    assert prices(text, "en", gazetteer) == [("o3-mini", "input", 1.1, "USD", 1_000_000, None)]


def test_a_range_is_one_price_with_a_top(gazetteer):
    found = facts("Meta estimated that Llama 4 Maverick can be served for between $0.19 and $0.49 per million tokens.", "en",
                  gazetteer=gazetteer)["prices"]
    assert [(p["amount"], p.get("amount_max"), p["kind"]) for p in found] == [(0.19, 0.49, "other")]


def test_a_price_per_minute_is_not_a_token_price(gazetteer):
    found = facts("The Whisper API costs $0.006 per minute of audio.", "en", gazetteer=gazetteer)["prices"]
    assert [(p["amount"], p["per_tokens"], p["usd_per_million_tokens"], p.get("unit")) for p in found] == [(0.006, None, None, "minute")]


def test_a_cached_rate_marked_in_parentheses_gets_that_kind(gazetteer):
    text = "DeepSeek-R1的API服务定价为：每百万输入tokens 1元（缓存命中）/4元（缓存未命中），每百万输出tokens 16元。"
    assert {(p[1], p[2]) for p in prices(text, "zh", gazetteer)} == {("cached_input", 1.0), ("input", 4.0), ("output", 16.0)}


def test_funding_amounts_and_valuations_are_not_prices(gazetteer):
    text = "Mistral raised $640 million at a $6 billion valuation; its Mistral Large model costs $2 per million input tokens."
    assert prices(text, "en", gazetteer) == [("Mistral Large", "input", 2.0, "USD", 1_000_000, None)]


# ---------------------------------------------------------------- events

def test_the_released_model_is_the_object_not_the_app_it_ships_in(gazetteer):
    text = "3일 업계에 따르면 오픈AI는 지난달 31일(현지시간) o3 미니를 챗GPT와 API에 동시에 공개했다."
    assert events(text, "ko", gazetteer, "2025-02-03") == [("model_release", "OpenAI", "o3-mini", "2025-01-31")]


def test_coordinated_models_are_each_released(gazetteer):
    text = "Meta on Saturday released Llama 4 Scout and Llama 4 Maverick, and posted their weights for download."
    found = events(text, "en", gazetteer, "2025-04-06")
    assert {(t, m) for t, _, m, _ in found} == {
        ("model_release", "Llama 4 Scout"), ("model_release", "Llama 4 Maverick"),
        ("open_source", "Llama 4 Scout"), ("open_source", "Llama 4 Maverick"),
    }
    assert {d for *_, d in found} == {"2025-04-05"}


def test_a_model_it_is_compared_with_is_not_released(gazetteer):
    text = "DeepSeek released DeepSeek-R1, which it says rivals OpenAI's o1 on math."
    assert [m for _, _, m, _ in events(text, "en", gazetteer)] == ["DeepSeek-R1"]


@pytest.mark.parametrize("lang, text", [
    ("ko", "네이버는 다음 달 하이퍼클로바X 씽크를 출시할 예정이다."),
    ("ko", "머스크는 그록 2도 오픈소스로 공개하겠다고 말했다."),
    ("en", "xAI will release Grok 4 next month."),
])
def test_plans_are_not_events(gazetteer, lang, text):
    assert not [e for e in events(text, lang, gazetteer) if e[0] in ("model_release", "open_source")]


def test_same_day_takes_the_date_named_before(gazetteer):
    text = "오픈AI는 지난 5일(현지시간) 챗GPT 프로 요금제를 내놨다. 같은 날 o1은 정식 출시됐다."
    assert ("model_release", "OpenAI", "o1", "2024-12-05") in events(text, "ko", gazetteer, "2024-12-06")


def test_a_subsidiary_releases_its_parents_models(gazetteer):
    text = "阿里云宣布通义千问Qwen-Max降价，今天起输入价格下调至0.0024元/千tokens。"
    assert [(t, c) for t, c, _, _ in events(text, "zh", gazetteer, "2024-05-21")] == [("price_change", "Alibaba")]


def test_funding_carries_amount_valuation_and_investors(gazetteer):
    text = "Anthropic raised $3.5 billion in a Series E round led by Lightspeed Venture Partners, valuing the company at $61.5 billion."
    (event,) = facts(text, "en", gazetteer=gazetteer)["events"]
    assert event["type"] == "funding" and event["company"] == "Anthropic"
    assert (event["amount"], event["currency"], event["valuation"]) == (3.5e9, "USD", 61.5e9)
    assert event["investors"] == ["lightspeed"]


def test_a_company_statement_needs_a_quote_or_a_formal_statement(gazetteer):
    assert not [e for e in events("Meta said the model beats GPT-4o on most benchmarks.", "en", gazetteer) if e[0] == "statement"]
    quoted = events('엔비디아는 성명을 내고 딥시크를 "훌륭한 AI 발전"이라고 평가했다.', "ko", gazetteer)
    assert ("statement", "NVIDIA") in [(t, c) for t, c, _, _ in quoted]


def test_uploading_weights_is_not_a_price_change(gazetteer):
    text = "딥시크는 지난 20일 '딥시크-R1'을 공개하고 허깅페이스에 가중치를 올렸다."
    assert "price_change" not in [t for t, *_ in events(text, "ko", gazetteer, "2025-01-22")]


def test_an_executive_change_is_filed_under_the_company_by_the_verb(gazetteer):
    text = "무라티 CTO는 25일(현지시간) 엑스(X)에 올린 글에서 오픈AI를 떠나기로 했다고 밝혔다."
    found = facts("미라 무라티 오픈AI CTO가 사임했다. " + text, "ko", "2024-09-26", gazetteer)["events"]
    assert {e["company"] for e in found if e["type"] == "executive_change"} == {"OpenAI"}


def test_which_it_released_points_back_to_the_model_before(gazetteer):
    # (a day, not "in April": a release the text puts in a month only is background, see tests/test_events.py)
    text = "Llama 4, which Meta released on April 5, drew a lukewarm response, and Llama 4 Behemoth has been delayed."
    assert [m for t, _, m, _ in events(text, "en", gazetteer, "2025-06-13") if t == "model_release"] == ["Llama 4"]


def test_the_model_after_for_owns_the_amounts_before_it(gazetteer):
    text = ("Developers pay $1 per million input tokens for Claude 3 Haiku, "
            "and $3 and $15 for Claude 3.5 Sonnet.")
    assert {(p[0], p[2]) for p in prices(text, "en", gazetteer)} == {
        ("Claude 3 Haiku", 1.0), ("Claude 3.5 Sonnet", 3.0), ("Claude 3.5 Sonnet", 15.0)}


def test_a_rate_restated_in_another_unit_is_one_price(gazetteer):
    text = "OpenAI charged $0.002 per 1K tokens for GPT-3.5 Turbo, or $2 per million."
    assert [(p[2], p[4]) for p in prices(text, "en", gazetteer)] == [(0.002, 1000)]


def test_a_korean_cache_miss_rate_is_the_input_rate(gazetteer):
    text = "딥시크-V3의 새 요금은 입력 토큰 100만개당 0.28달러(캐시 미적중 기준)이며, 캐시 적중 시에는 0.028달러다."
    assert {(p[1], p[2]) for p in prices(text, "ko", gazetteer)} == {("input", 0.28), ("cached_input", 0.028)}


def test_a_korean_price_before_the_plan_it_describes(gazetteer):
    text = "새 모델은 월 20달러인 '클로드 프로'와 월 100달러부터 시작하는 '클로드 맥스' 구독자에게 제공된다."
    assert {(p[0], p[2]) for p in prices(text, "ko", gazetteer)} == {("Claude Pro", 20.0), ("Claude Max", 100.0)}


def test_a_range_keeps_the_kind_of_its_clause(gazetteer):
    found = facts("Gemini 2.5 Pro charges $1.25 to $2.50 per million input tokens.", "en", gazetteer=gazetteer)["prices"]
    assert [(p["kind"], p["amount"], p.get("amount_max")) for p in found] == [("input", 1.25, 2.5)]


def test_a_new_model_written_in_latin_letters_keeps_its_written_name(gazetteer):
    found = facts("ByteDance released Doubao-Seed-2.5 today.", "en", gazetteer=gazetteer)
    assert "Doubao-Seed-2.5" in [m["name"] for m in found["models"]]


@pytest.mark.parametrize("lang, text, company", [
    ("en", "The startup raised $38 million in a Series B round led by Harrowgate Capital.", "Harrowgate Capital"),
    ("en", "Reddit sued three data-scraping companies, SerpApi, Oxylabs and AWMProxy, on Wednesday.", "Oxylabs"),
    ("en", "Stellar Hour, a New York astrology app, said it would sell itself.", "Stellar Hour"),
    ("ko", "API는 협력사인 프렌들리AI를 통해 제공된다.", "프렌들리AI"),
    ("zh", "月之暗面宣布完成融资，由星河资本领投，腾讯、五源资本跟投。", "星河资本"),
])
def test_companies_named_by_their_part_in_a_deal(gazetteer, lang, text, company):
    assert gazetteer.by_name(company) is None  # found by its part in the deal, not by the list
    assert company in [c["name"] for c in facts(text, lang, gazetteer=gazetteer)["companies"]]


@pytest.mark.parametrize("lang, text, person", [
    ("en", '"They sold what they took," Ben Lee, Reddit’s chief legal officer, said.', "Ben Lee"),
    ("en", "Lattice Forge co-founder and chief executive Dana Whitfield will join Cohere.", "Dana Whitfield"),
    ("ko", "업스테이지는 이지현 전 크래프톤 재무실장을 최고재무책임자(CFO)로 영입했다.", "이지현"),
    ("zh", "字节跳动Seed团队负责人吴永辉表示，新模型更便宜。", "吴永辉"),
    ("zh", "前研究员陈嘉和已加盟月之暗面。月之暗面首席科学家陈嘉和表示，团队会扩大。", "陈嘉和"),
])
def test_more_title_forms_introduce_people(gazetteer, lang, text, person):
    assert person in [p["name"] for p in facts(text, lang, gazetteer=gazetteer)["people"]]


def test_a_duration_in_days_is_not_a_date():
    from datetime import date

    from kb.extract.dates import find_dates

    assert [d.date for d in find_dates("12일 동안 매일 새 기능을 공개한다. 사흘 전인 3일 만에 끝났다.", date(2024, 12, 6))] == []


@pytest.mark.parametrize("text, name", [
    ("연구원 측에 따르면 엑사원5.0은 수학 평가에서 앞섰다.", "EXAONE 5.0"),
    ("LG AI연구원이 차세대 AI 모델 '엑사원(EXAONE) 5.0'을 12일 공개했다.", "EXAONE 5.0"),
    ("Cohere's Embed 4 retrieval model costs less.", "Embed 4"),
])
def test_new_model_versions_are_recognised_with_particles_and_glosses(gazetteer, text, name):
    lang = "en" if text.isascii() else "ko"
    assert name in [m["name"] for m in facts(text, lang, gazetteer=gazetteer)["models"]]


def test_a_korean_word_that_starts_like_a_variant_is_not_a_model(gazetteer):
    assert facts("GPT 프로그램을 돌렸다.", "ko", gazetteer=gazetteer)["models"] == []


@pytest.mark.parametrize("lang, text, company", [
    ("ko", "업스테이지는 이날 이지현 전 크래프톤 재무실장을 최고재무책임자(CFO)로 영입했다고 밝혔다.", "Upstage"),
    ("en", "Lattice Forge chief executive Dana Whitfield will join Cohere as chief technology officer.", "Cohere"),
    ("zh", "前字节跳动研究员陈嘉和已于近日加盟月之暗面，出任首席科学家。", "Moonshot AI"),
])
def test_a_hire_is_filed_under_the_company_joined_not_the_former_employer(gazetteer, lang, text, company):
    found = [e for e in facts(text, lang, gazetteer=gazetteer)["events"] if e["type"] == "executive_change"]
    assert [e["company"] for e in found] == [company]


def test_open_weights_go_to_the_models_published_not_the_one_they_are_compared_with(gazetteer):
    text = ("On Tuesday OpenAI published gpt-oss-120b and gpt-oss-20b, its first open-weight language models "
            "since GPT-2, under the Apache 2.0 license.")
    found = events(text, "en", gazetteer, "2025-08-11")
    assert {(t, m) for t, _, m, _ in found if t == "open_source"} == {("open_source", "gpt-oss-120b"), ("open_source", "gpt-oss-20b")}


def test_a_family_alias_never_swallows_a_member(gazetteer):
    found = facts("Developers pay $3 and $15 per million input and output tokens for Sonar Pro.", "en", gazetteer=gazetteer)
    assert "Sonar Pro" in [m["name"] for m in found["models"]]
    assert {p["model"] for p in found["prices"]} == {"Sonar Pro"}


def test_a_bare_version_after_another_products_name_is_not_a_listed_model(gazetteer):
    text = ("DeepSeek released a reasoning model, and video startup Lumora answered with Lumora V2, a video model. "
            "Moonshot AI said Kimi K2 beat its rivals, and DeepSeek said its V3 model is open.")
    names = {m["name"] for m in facts(text, "en", gazetteer=gazetteer)["models"]}
    assert "DeepSeek-V2" not in names
    assert {"Kimi K2", "DeepSeek-V3"} <= names


def test_korean_middle_dot_separates_input_and_output_rates(gazetteer):
    text = "엑사원 5.0의 가격은 입력 100만 토큰당 0.6달러·출력 2.4달러다."
    assert {(p[1], p[2]) for p in prices(text, "ko", gazetteer)} == {("input", 0.6), ("output", 2.4)}


def test_a_funding_round_is_filed_under_the_company_that_raised(gazetteer):
    text = "Cohere raised $500 million at a $6.8 billion valuation in a round led by Radical Ventures and Inovia Capital."
    (event,) = [e for e in facts(text, "en", gazetteer=gazetteer)["events"] if e["type"] == "funding"]
    assert event["company"] == "Cohere"


def test_a_pending_acquisition_mentioned_again_is_not_a_new_one(gazetteer):
    text = "네이버가 AI 스타트업 노바웨이브를 인수한다. 인수가 마무리되면 노바웨이브 대표는 네이버클라우드로 옮긴다."
    found = [e for e in facts(text, "ko", "2026-01-22", gazetteer)["events"] if e["type"] == "acquisition"]
    assert [e["company"] for e in found] == ["Naver"]


def test_a_chinese_suit_brought_to_court_is_a_lawsuit(gazetteer):
    text = "网络文学平台书海阅读以著作权侵权为由，将墨言智能科技有限公司诉至法院。"
    assert "lawsuit" in [t for t, *_ in events(text, "zh", gazetteer, "2026-02-11")]


def test_each_chinese_from_to_pair_marks_its_own_old_and_new(gazetteer):
    text = "Qwen-Long的API输入价格从0.02元/千tokens降至0.0005元/千tokens，降幅达97%；输出价格从0.02元/千tokens降至0.002元/千tokens。"
    found = facts(text, "zh", "2024-05-21", gazetteer)["prices"]
    assert [(p["kind"], p["amount"], p["change"]) for p in found] == [
        ("input", 0.02, "old"), ("input", 0.0005, "new"), ("output", 0.02, "old"), ("output", 0.002, "new")]
