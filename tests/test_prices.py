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
