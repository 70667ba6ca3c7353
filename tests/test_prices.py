"""Prices in the forms the press writes them, in three languages."""

import pytest

from kb.extract import extract
from kb.parse import Article


def _prices(text, language, published="2025-02-03"):
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language=language, published=published))
    return [(p["model"], p["kind"], p["amount"], p["currency"], p["per_tokens"], p["period"], p["usd_per_million_tokens"])
            for p in facts["prices"]]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("오픈AI에 따르면 'o3 미니'는 입력 토큰 100만개당 0.55달러다.", "ko",
         ("o3-mini", "input", 0.55, "USD", 1_000_000, None, 0.55)),
        ("Claude 3.5 Sonnet costs $3 per million input tokens.", "en",
         ("Claude 3.5 Sonnet", "input", 3.0, "USD", 1_000_000, None, 3.0)),
        ("OpenAI priced GPT-3.5 Turbo at $0.002 per 1K tokens.", "en",
         ("GPT-3.5 Turbo", "other", 0.002, "USD", 1_000, None, 2.0)),
        ("오픈AI는 챗GPT 플러스를 월 20달러에 판매한다.", "ko",
         ("ChatGPT Plus", "subscription", 20.0, "USD", None, "month", None)),
        ("DeepSeek-R1的输入价格为1元/百万tokens。", "zh",
         ("DeepSeek-R1", "input", 1.0, "CNY", 1_000_000, None, None)),
    ],
)
def test_price_forms(text, language, expected):
    assert expected in _prices(text, language)


def test_input_and_output_in_one_sentence_keep_their_kinds():
    got = _prices("오픈AI에 따르면 'o3 미니'는 입력 토큰 100만개당 0.55달러, 출력 토큰 100만개당 4.40달러다.", "ko")
    assert [(p[1], p[2]) for p in got] == [("input", 0.55), ("output", 4.4)]


def test_price_cut_from_x_to_y_keeps_both_prices_and_is_an_event():
    text = "OpenAI cut the price of o3 from $10 to $2 per million input tokens on Tuesday."
    facts = extract(Article(url="http://t.test/a", text=text, language="en", published="2025-06-11"))
    changes = {(p["amount"], p["change"]) for p in facts["prices"]}
    assert changes == {(10.0, "old"), (2.0, "new")}
    assert any(e["type"] == "price_change" and e["model"] == "o3" and e["date"] == "2025-06-10" for e in facts["events"])


@pytest.mark.parametrize(
    "text",
    [
        "OpenAI raised $40 billion in a round led by SoftBank.",  # money, but no unit: funding, not a price
        "The company charges $3 per million input tokens.",  # a unit, but no product named
        "삼성전자는 3000억원을 투자했다.",
    ],
)
def test_amounts_without_product_and_unit_are_not_prices(text):
    assert _prices(text, "en") == []


def test_price_belongs_to_the_model_nearest_in_its_clause():
    text = "GPT-4o costs $5 per million input tokens, while Claude 3.5 Sonnet costs $3 per million input tokens."
    got = {(p[0], p[2]) for p in _prices(text, "en")}
    assert got == {("GPT-4o", 5.0), ("Claude 3.5 Sonnet", 3.0)}


# -- the owner is the name the price is said of, not the one it is compared with ----------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Claude Sonnet 4 costs $3 per million input tokens, cheaper than GPT-4o.", "en", {("Claude Sonnet 4", 3.0)}),
        ("입력 100만 토큰당 0.15달러인 'GPT-4o 미니'는 'GPT-4o'보다 훨씬 저렴하다.", "ko", {("GPT-4o mini", 0.15)}),
        ("混元 Turbo 的价格比混元 Pro 降低 50%，输出价格为 0.05 元/千 tokens。", "zh", {("Hunyuan Turbo", 0.05)}),
        ("K3 的 API 价格与 K2 保持一致：输入每百万 tokens 4 元。", "zh", {("K3", 4.0)}),
    ],
)
def test_the_compared_model_does_not_own_the_price(text, language, expected):
    assert {(p[0], p[2]) for p in _prices(text, language)} == expected


def test_a_new_tier_of_a_known_model_owns_its_price():
    text = "文心5.5 的输入价格为每百万tokens 4元；轻量版文心5.5 Turbo 则为输入每百万tokens 1元。"
    got = {(p[0], p[2]) for p in _prices(text, "zh")}
    assert got == {("ERNIE 5.5", 4.0), ("ERNIE 5.5 Turbo", 1.0)}


def test_a_name_introduced_with_its_price_becomes_a_candidate_model():
    text = "xAI 的 API 目前只有一个模型，名为「orbit-beta」，其价格为每百万输入 token 为 5 美元。"
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language="zh", published="2025-02-03"))
    assert [(p["model"], p["kind"], p["amount"]) for p in facts["prices"]] == [("orbit-beta", "input", 5.0)]
    assert any(m["name"] == "orbit-beta" and m["candidate"] for m in facts["models"] + facts["products"])


def test_a_tier_named_after_the_amount_is_the_products_tier():
    text = "ChatGPT Plus still costs $20 a month, and the $200-a-month Pro tier adds unlimited use of GPT-5."
    assert {(p[0], p[1], p[2]) for p in _prices(text, "en")} == {
        ("ChatGPT Plus", "subscription", 20.0), ("ChatGPT Pro", "subscription", 200.0)}


def test_editions_of_a_product_own_their_subscription_prices():
    text = "Microsoft 365 的个人订阅从 109 澳元上涨至 159 澳元；家庭订阅从 139 澳元上涨至 179 澳元。"
    got = {(p[0], p[1], p[2], p[3]) for p in _prices(text, "zh")}
    assert got == {("Microsoft 365 Personal", "subscription", a, "AUD") for a in (109.0, 159.0)} | {
        ("Microsoft 365 Family", "subscription", a, "AUD") for a in (139.0, 179.0)}


def test_a_plan_head_in_a_list_owns_the_line():
    got = _prices("企业版（Team 计划）：每月收取 30 美元，提供更多的 GPT-4 使用次数。", "zh")
    assert [(p[0], p[1], p[2], p[5]) for p in got] == [("Team 计划", "subscription", 30.0, "month")]


# -- plans: unnamed ones keep their price with no model; what a plan gives access to does not own it ---------------


def test_a_list_of_unnamed_tiers_shares_its_period_and_has_no_model():
    text = "The startup charges consumers tiered subscriptions of $8, $20 and $100 and above each month for access to GPT-5."
    assert [(p[0], p[1], p[2], p[5]) for p in _prices(text, "en")] == [
        (None, "subscription", a, "month") for a in (8.0, 20.0, 100.0)]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("You can burn hundreds of dollars on a $20-a-month subscription.", "en", (None, "subscription", 20.0, "month")),
        ("免费用户每月有次数限制，支付 10 美元月费则不再有限制。", "zh", (None, "subscription", 10.0, "month")),
        ("两个 AI 功能的年订阅价格 299 元，首年免费。", "zh", (None, "subscription", 299.0, "year")),
        ("只有每月支付 200 美元的 ChatGPT Pro 用户可以无限使用 o3-mini 和 o3-mini-high。", "zh",
         ("ChatGPT Pro", "subscription", 200.0, "month")),
    ],
)
def test_plan_forms(text, language, expected):
    assert [(p[0], p[1], p[2], p[5]) for p in _prices(text, language)] == [expected]


def test_a_price_cut_keeps_the_period_on_both_sides():
    text = "Google cut its AI Plus subscription from $7.99 to just $4.99 a month."
    assert {(p[2], p[5]) for p in _prices(text, "en")} == {(7.99, "month"), (4.99, "month")}


def test_the_amount_in_a_comparison_belongs_to_the_unnamed_other():
    text = "据报道，OpenAI 考虑为新模型 Orion 收取每月高达 2000 美元的订阅费，相比现行的 20 美元定价高出百倍。"
    got = {(p[0], p[2]) for p in _prices(text, "zh")}
    assert (None, 20.0) in got and not any(model is not None and amount == 20.0 for model, amount in got)


def test_a_companys_api_rate_with_no_model_named_has_no_model():
    got = _prices("去年 8 月，DeepSeek 曾将 API 输入费用下调至 0.1 元/百万 tokens，输出费用为 2 元/百万 tokens。", "zh")
    assert [(p[0], p[1], p[2]) for p in got] == [(None, "input", 0.1), (None, "output", 2.0)]


# -- kinds and units ------------------------------------------------------------------------------------------------


def test_generation_is_output_and_a_cache_note_after_the_unit_is_cached_input():
    got = _prices("DeepSeek-R1 的定价：$0.14 / 百万输入 tokens (缓存命中)，$0.55 / 百万输入 tokens (缓存未命中)，"
                  "生成价格为 $2.19 / 百万 tokens。", "zh")
    assert [(p[1], p[2]) for p in got] == [("cached_input", 0.14), ("input", 0.55), ("output", 2.19)]


def test_the_kind_in_the_unit_after_the_amount_wins():
    got = _prices("GPT-4o charges $2.50 per million input tokens but $10 per million output tokens.", "en")
    assert [(p[1], p[2]) for p in got] == [("input", 2.5), ("output", 10.0)]


def test_per_thousand_images_is_not_a_token_unit():
    got = _prices("DALL-E 3 costs $40 per 1K images at standard quality.", "en")
    assert all(p[4] is None for p in got)


# -- not prices -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "AMD says its box could save developers as much as $750 a month compared with cloud APIs.",
        "Anthropic spent $500 million a month on Claude compute last year.",
        "The company leases its harvesters for $4,500 a month per unit.",
        "以每月 10 美元的订阅价格计算，Character.AI 每月的收入不到 100 万美元。",
    ],
)
def test_spend_savings_and_revenue_are_not_prices(text):
    got = _prices(text, "zh" if "美元" in text else "en")
    assert all(p[2] not in (750.0, 500_000_000.0, 4500.0, 1_000_000.0) for p in got)


# -- attribution --------------------------------------------------------------------------------------------------------


def _reported(text, language):
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language=language, published="2025-02-03"))
    return [(p["model"], p["amount"], p.get("reported", False)) for p in facts["prices"]]


@pytest.mark.parametrize(
    "text, language",
    [
        ("According to The Information, ChatGPT Pro costs $2,000 a month.", "en"),
        ("据报道，ChatGPT Pro 的月费为 2000 美元。", "zh"),
        ("업계에 따르면 'ChatGPT Pro' 요금제는 월 2000달러로 알려졌다.", "ko"),
    ],
)
def test_a_price_attributed_to_others_is_marked_reported(text, language):
    assert _reported(text, language) == [("ChatGPT Pro", 2000.0, True)]


@pytest.mark.parametrize(
    "text, language",
    [
        ("오픈AI에 따르면 'o3 미니'는 입력 토큰 100만개당 1.1달러다.", "ko"),
        ("According to OpenAI, o3-mini costs $1.10 per million input tokens.", "en"),
        ("오픈AI가 새 모델을 내놨다. 회사 측에 따르면 'o3 미니'는 입력 토큰 100만개당 1.1달러다.", "ko"),
        ("OpenAI shipped a new model. According to the company, o3-mini costs $1.10 per million input tokens.", "en"),
    ],
)
def test_a_price_the_developer_itself_gives_is_not_hearsay(text, language):
    assert _reported(text, language) == [("o3-mini", 1.1, False)]


def test_a_price_a_newspaper_gives_stays_reported_even_when_it_is_a_company_in_the_gazetteer():
    assert _reported("블룸버그에 따르면 'o3 미니'는 입력 토큰 100만개당 1.1달러다.", "ko") == [("o3-mini", 1.1, True)]


def test_the_outlets_own_price_is_not_reported_and_contradicted_hearsay_is_dropped():
    text = ("o3-mini costs $1.10 per million input tokens. "
            "Some early reports put o3-mini's input price at $0.55 per million input tokens.")
    assert _reported(text, "en") == [("o3-mini", 1.1, False)]


def test_a_quoted_korean_name_is_the_subject_of_its_price():
    assert [(p[0], p[1], p[2]) for p in _prices("'뉴로챗 2'의 가격은 입력 100만 토큰당 0.5달러다.", "ko")] == [("뉴로챗 2", "input", 0.5)]


def test_the_existing_price_a_korean_sentence_compares_with_is_not_the_new_one():
    got = _prices("'뉴로챗 프로'는 기존 월 20달러 대비 저렴한 월 15달러다.", "ko")
    assert [(p[0], p[2], p[5]) for p in got] == [("뉴로챗 프로", 15.0, "month")]


def test_a_date_is_not_a_monthly_period():
    assert _prices("'뉴로챗 프로'는 지난 3월 20달러에 팔렸다.", "ko") == []


def test_a_korean_price_rise_keeps_the_month_on_both_sides():
    text = "'클로드 프로'는 지난 3월 20달러에서 월 25달러로 올랐다."
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language="ko", published="2025-05-03"))
    assert {(p["amount"], p["period"], p["change"]) for p in facts["prices"]} == {(20.0, "month", "old"), (25.0, "month", "new")}


def test_a_quoted_word_that_is_no_model_does_not_make_a_plan():
    assert _prices("회사 측은 '가성비'는 9900원 수준이라고 말했다.", "ko") == []


def test_a_tables_heading_gives_its_lines_their_unit():
    text = "Prices per million tokens:\n\nGPT-4.1: $2 input / $8 output\n\nGPT-4.1 mini: $0.40 input / $1.60 output"
    assert [(p[0], p[1], p[2], p[4]) for p in _prices(text, "en")] == [
        ("GPT-4.1", "input", 2.0, 1_000_000), ("GPT-4.1", "output", 8.0, 1_000_000),
        ("GPT-4.1 mini", "input", 0.4, 1_000_000), ("GPT-4.1 mini", "output", 1.6, 1_000_000)]


def test_a_per_seat_monthly_fee_is_a_subscription_of_the_product_it_is_for():
    got = _prices("Microsoft will charge $30 per user per month for Microsoft 365 Copilot.", "en")
    assert [(p[0], p[1], p[2], p[5]) for p in got] == [("Copilot", "subscription", 30.0, "month")]


def test_rivals_and_predecessors_are_not_what_a_later_price_refers_to():
    text = ("네이버가 '하이퍼클로바X 씽크 2'를 공개했다. 지난해 나온 '하이퍼클로바X 씽크'의 후속작이다. "
            "씽크 2는 'GPT-5'와 구글 '제미나이 2.5 프로'에 근접한 점수를 냈다. API 이용료는 입력 1000토큰당 0.8원이다.")
    assert [(p[0], p[2]) for p in _prices(text, "ko")] == [("HyperCLOVA X THINK 2", 0.8)]


def test_a_new_name_introduced_as_a_topic_is_what_a_later_price_refers_to():
    text = ("지난달 공개한 '벨라코드 2'는 '클로드 소네트 4.5', 'GPT-5'와 비슷한 수준을 보였다. "
            "API로 쓸 경우 입력 토큰 100만개당 1달러를 받는다.")
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language="ko", published="2025-02-03"))
    assert [(p["model"], p["kind"], p["amount"]) for p in facts["prices"]] == [("벨라코드 2", "input", 1.0)]
    assert any(m["name"] == "벨라코드 2" and m["candidate"] for m in facts["models"])


def test_what_is_priced_is_not_taken_for_a_name():
    text = "OpenAI released GPT-5 on Thursday. Input costs $1.25 per million tokens. Output costs $10 per million tokens."
    assert [(p[0], p[1], p[2]) for p in _prices(text, "en")] == [("GPT-5", "input", 1.25), ("GPT-5", "output", 10.0)]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("DeepSeek-V3 的输入价格为每百万 tokens 2 元，相比 GPT-4o 的 2.5 美元便宜许多。", "zh",
         {("DeepSeek-V3", 2.0, "CNY"), ("GPT-4o", 2.5, "USD")}),
        ("Lumen Studio Pro costs $30 a month, compared with $20 for ChatGPT Plus.", "en",
         {("Lumen Studio Pro", 30.0, "USD"), ("ChatGPT Plus", 20.0, "USD")}),
    ],
)
def test_a_comparison_that_states_the_others_price_gives_it_to_the_other(text, language, expected):
    assert {(p[0], p[2], p[3]) for p in _prices(text, language)} == expected


def test_a_company_in_front_of_a_short_plan_name_names_a_plan_of_its_own():
    got = _prices("Samsung AI Plus will cost $9.99 a month.", "en")
    assert [(p[0], p[1], p[2]) for p in got] == [("Samsung AI Plus", "subscription", 9.99)]


@pytest.mark.parametrize("text", ["Subscribe to our newsletter for $1 a month.", "Get unlimited access for just $5 a month."])
def test_the_outlet_selling_itself_is_no_plan_price(text):
    assert _prices(text, "en") == []


def test_amounts_paired_before_a_unit_naming_two_kinds_take_them_in_order():
    got = _prices("GPT-4o is priced at $2.50/$10 per million input/output tokens.", "en")
    assert [(p[1], p[2]) for p in got] == [("input", 2.5), ("output", 10.0)]
    got = _prices("o3-mini costs $1.10 and $4.40 per million input and output tokens, respectively.", "en")
    assert [(p[1], p[2]) for p in got] == [("input", 1.1), ("output", 4.4)]


def test_up_from_marks_the_old_price():
    text = "Gemini 2.5 Flash costs $0.30 per million input tokens, up from $0.15."
    facts = extract(Article(url="http://t.test/a", title="t", text=text, language="en", published="2025-02-03"))
    assert {(p["amount"], p["change"]) for p in facts["prices"]} == {(0.3, "new"), (0.15, "old")}


@pytest.mark.parametrize(
    "text, expected",
    [("ChatGPT Go costs ₹399 a month in India.", ("ChatGPT Go", 399.0, "INR")),
     ("Microsoft 365 Personal now costs A$159 a year.", ("Microsoft 365 Personal", 159.0, "AUD"))],
)
def test_other_currencies_and_a_new_plan_of_a_known_product(text, expected):
    assert [(p[0], p[2], p[3]) for p in _prices(text, "en")] == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [("GPT-5's input price is half that of GPT-4o at $1.25 per million tokens.", ("GPT-5", 1.25)),
     ("Nova 2 Pro costs 40% of the price of GPT-5, at $0.50 per million input tokens.", ("Nova 2 Pro", 0.5))],
)
def test_the_model_after_half_that_of_is_the_compared_one(text, expected):
    assert [(p[0], p[2]) for p in _prices(text, "en")] == [expected]
