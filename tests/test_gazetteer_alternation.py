"""The gazetteer's one-alternation-per-first-character matcher finds exactly what the pattern loop finds."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "real-dev" / "articles"


def test_alternation_equals_the_pattern_loop_on_the_demo_articles(gazetteer, demo_articles):
    texts = [f"{a.title}\n{a.body}" for a in demo_articles]
    found = [gazetteer.find_alternation(text) for text in texts]
    assert sum(map(len, found)) > 500
    assert found == [gazetteer.find_each(text) for text in texts]


def test_alternation_equals_the_pattern_loop_on_real_articles(gazetteer):
    files = sorted(REAL_DEV.glob("*.txt"))
    if not files:
        pytest.skip(f"the real development articles are not at {REAL_DEV}")
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert gazetteer.find_alternation(text) == gazetteer.find_each(text), file.name


def test_find_switches_to_the_alternation_after_some_texts(monkeypatch):
    from kb.extract import gazetteer as module

    fresh = module._load.__wrapped__(module.DEFAULT_GAZETTEER_DIR.resolve())  # not the shared cached one
    used: list[str] = []
    monkeypatch.setattr(fresh, "find_alternation", lambda text: used.append(text) or [])
    for number in range(module.ALTERNATION_AFTER + 2):
        fresh.find(f"text {number}")
    assert used == [f"text {module.ALTERNATION_AFTER}", f"text {module.ALTERNATION_AFTER + 1}"]


@pytest.mark.parametrize("text", [
    "오픈AI가 발표했다. 오픈AI는 새 모델을, 오픈AIX라는 이름은 아니다.",  # a Hangul name ends its word, particles aside
    "GPT-4o and GPT-4 and GPT-4.1 and Claude.ai and claude, then OpenAI's chips",  # longest first, Latin tails
    "深度求索发布了新模型，OpenAI 和 Google 也发布了。",
])
def test_alternation_keeps_tails_and_longest_first(gazetteer, text):
    assert gazetteer.find_alternation(text) == gazetteer.find_each(text)


def test_a_branch_refused_by_its_hangul_tail_falls_through_to_the_next(gazetteer):
    # 구글 inside 구글링 is no name (the tail refuses it); 구글 before the particle 이 is
    found = gazetteer.find_alternation("구글링을 했다. 구글이 말했다.")
    assert [(m.text, m.start) for m in found] == [("구글", 9)]


@pytest.mark.parametrize("text", [
    "and An Anthropic anthropic ANTHROPIC, a A",  # many names start with "a"; the next letter picks the few tried
    "오픈 AI와 오픈AI, 오픈-AI",  # a separator may stand second: 오 + space
    "GPT\tGPT-5 G",  # a tab after the first token, a lone first letter at the end of the text
    "Claude-3 claude 3 CLAUDE·3",  # separators, and a non-ASCII one (tried against every branch)
])
def test_the_branches_kept_for_the_next_character_find_what_the_loop_finds(gazetteer, text):
    assert gazetteer.find_alternation(text) == gazetteer.find_each(text)


def test_second_characters_of_an_alias():
    from kb.extract.gazetteer import _second_chars

    assert _second_chars("OpenAI") == {"p"}
    assert {"a", " ", "-", "\t"} <= _second_chars("X AI") and "i" not in _second_chars("X AI")  # the next token, or a separator
    assert _second_chars("X") is None  # a one-character alias: anything may follow
    assert _second_chars("오픈AI") == {"픈"}
