"""The cheap checks that spare the extractor work (issue 11) skip only what could never match.

Each test pairs a text the check must let through with one it may skip, and where a pattern is
skipped it compares with the pattern run anyway. Sentences are our own.
"""

from __future__ import annotations

import re

import pytest

from kb.extract import candidates
from kb.extract.money import _LOWER_MARKERS, _MONEY_PATTERNS, find_money
from kb.extract.people import korean
from kb.extract.people.chinese import _ZH_EVIDENCE
from kb.extract.price_owners import _SUBJECT_PATTERNS


@pytest.mark.parametrize("text, currency", [
    ("요금은 월 2만9000원이다.", "KRW"), ("It costs $20 a month.", "USD"), ("月费为 20 元。", "CNY"),
    ("The plan is 159 yuan.", "CNY"), ("The plan is 159 YUAN.", "CNY"), ("Priced at €1.7 billion.", "EUR"),
    ("NZ$53 a month.", "NZD"), ("월 20달러다.", "USD"), ("价格为 3 美元。", "USD"), ("Rs 499 per month.", "INR"),
])
def test_every_currency_is_still_found_behind_its_marker(text, currency):
    assert [m.currency for m in find_money(text)] == [currency]


def test_a_sentence_with_digits_and_no_currency_marker_has_no_money():
    assert find_money("2025년 3월 12일, 3개 모델이 공개됐다.") == []


@pytest.mark.parametrize("text", ["It costs $20.", "HK$ 30", "30 yuan", "30 RMB", "20 euros", "₩1000", "30円"])
def test_each_money_pattern_that_matches_finds_one_of_its_markers(text):
    for _, markers, pattern in _MONEY_PATTERNS:
        if pattern.search(text):
            haystack = text.lower() if markers is _LOWER_MARKERS else text
            assert any(marker in haystack for marker in markers), pattern.pattern


@pytest.mark.parametrize("sentence", [
    "Nova-2 costs $3 per million tokens.", "Lumen's price is $5.", "天枢2的API定价为每百万 2 元。",
    "Nova-2 大模型的调用价格为 1 元。", "Nova-2의 가격은 월 10달러다.", "'뉴로챗 2'는 월 9달러다.",
])
def test_a_price_subject_is_matched_only_where_its_markers_are(sentence):
    matched = [markers for markers, pattern in _SUBJECT_PATTERNS if pattern.search(sentence)]
    assert matched, "some subject pattern should match"
    assert all(any(m in sentence for m in markers) for markers in matched)


def test_korean_evidence_skips_bylines_and_bare_bracketed_titles():
    evidence = korean._ko_evidence()
    assert not evidence.search("홍길동 기자 = 새 서비스가 나왔다.")  # a byline alone names no person of the article
    assert not evidence.search("새 모델(LLM)을 공개했다.")  # a bracket without a two-word English name
    assert evidence.search("리처드 소처(Richard Socher)가 말했다.")
    assert evidence.search("박지현 노바랩스 대표는 말했다.")
    assert evidence.search("마이크 록웰이 발표했다.")  # a known given name before a word


def test_chinese_evidence_needs_a_full_english_original_in_brackets():
    assert not _ZH_EVIDENCE.search("新模型（AI）上线了。")
    assert _ZH_EVIDENCE.search("黄仁勋（Jensen Huang）上台。")


def test_grouped_family_words_match_like_the_plain_alternation():
    words = sorted(["GPT", "Gemini", "Gemma", "Grok", "o", "o3", "Claude", "클로드", "混元"], key=len, reverse=True)
    plain = re.compile(r"(?<![A-Za-z0-9가-힣])(" + "|".join(map(re.escape, words)) + r")(\s?\d+)")
    grouped = re.compile(r"(?<![A-Za-z0-9가-힣])(" + candidates._word_alternation(words) + r")(\s?\d+)")
    text = "GPT 5, Gemma3, Gemini 2, o3 4, o 1, Claude 4, 클로드 4, 混元 2, Grok3, foo 3, Geminis 2"
    assert [m.groups() for m in grouped.finditer(text)] == [m.groups() for m in plain.finditer(text)]
    assert ("o3", " 4") in [m.groups() for m in grouped.finditer(text)]


@pytest.mark.parametrize("pattern, text", [
    (candidates._LIST_KO, "삼성전자, 에릭슨, 노키아 등 통신 업체가 참여했다."),
    (candidates._LIST_ZH, "字节、快手、MiniMax 等公司都发布了模型。"),
    (candidates._LIST_LATIN, "如 Runpod、SFCompute、Together.ai 都在其中。"),
])
def test_a_list_is_searched_when_its_ending_is_there(pattern, text):
    assert pattern.search(text) and candidates._LIST_ENDS[pattern].search(text)


@pytest.mark.parametrize("text", [
    "Lumora released its new Muse Spark AI model today.", "It shipped its first open model, Inkling.",
    "It unveiled Vesper, a new reasoning model.", "음악 생성 모델인 '리리아 3 프로'를 공개했다.",
    "开发者可以使用 cursor-small 模型。", "名为「grok-beta」的模型上线。", "视频生成模型是 LumaVid2。",
])
def test_a_model_introduction_matches_only_where_its_words_are(text):
    matched = [words for words, pattern in zip(candidates._INTRODUCTION_WORDS, candidates._MODEL_INTRODUCTIONS)
               if pattern.search(text)]
    assert matched, "some introduction should match"
    assert all(any(w in text for w in words) for words in matched)
    assert len(candidates._INTRODUCTION_WORDS) == len(candidates._MODEL_INTRODUCTIONS)
