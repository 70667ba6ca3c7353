"""The seed article (Metro, 3 Feb 2025) must yield every required gold fact and no forbidden one."""

import re
import unicodedata

import pytest

from kb.extract import extract
from kb.parse import read_document


def _norm(value) -> str:
    return re.sub(r"[\s\-_.·]+", "", unicodedata.normalize("NFKC", str(value or "")).lower())


@pytest.fixture(scope="module")
def seed_facts(seed):
    path, _ = seed
    article = read_document(path)
    article.published, article.language = "2025-02-03", "ko"
    return extract(article)


def _found_names(facts, kind):
    names = set()
    for entity in facts[kind]:
        names.add(_norm(entity["name"]))
        names |= {_norm(m["text"]) for m in entity["mentions"]}
    return names


@pytest.mark.parametrize("kind", ["companies", "models", "people"])
def test_seed_required_entities_are_found(seed, seed_facts, kind):
    _, gold = seed
    found = _found_names(seed_facts, kind)
    missing = [g["name"] for g in gold[kind]["required"] if not ({_norm(g["name"])} | {_norm(a) for a in g["accept"]}) & found]
    assert missing == []


@pytest.mark.parametrize("kind", ["companies", "models", "people"])
def test_seed_forbidden_entities_are_not_found(seed, seed_facts, kind):
    _, gold = seed
    found = _found_names(seed_facts, kind)
    wrong = [g["name"] for g in gold[kind].get("forbidden", []) if ({_norm(g["name"])} | {_norm(a) for a in g["accept"]}) & found]
    assert wrong == []


def test_seed_prices_are_o3_mini_input_and_output_per_million(seed, seed_facts):
    _, gold = seed
    got = {(p["model"], p["kind"], p["amount"], p["currency"], p["per_tokens"], p["usd_per_million_tokens"]) for p in seed_facts["prices"]}
    for price in gold["prices"]["required"]:
        assert (price["model"], price["kind"], price["amount"], price["currency"], price["per_tokens"],
                price["usd_per_million_tokens"]) in got


def test_seed_release_of_o3_mini_is_dated_31_january(seed, seed_facts):
    releases = [(e["company"], e["model"], e["date"]) for e in seed_facts["events"] if e["type"] == "model_release"]
    assert ("OpenAI", "o3-mini", "2025-01-31") in releases


def test_seed_people_carry_role_and_organisation_from_the_text(seed_facts):
    people = {p["name"]: (p["role"], p["organization"]) for p in seed_facts["people"]}
    assert people["Sam Altman"] == ("CEO", "OpenAI")
    assert people["Kevin Weil"] == ("CPO", "OpenAI")


def test_every_offset_points_at_its_text(seed_facts):
    text = seed_facts["article"]["text"]
    for kind in ("companies", "models", "people"):
        for entity in seed_facts[kind]:
            for mention in entity["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]
    for fact in seed_facts["prices"] + seed_facts["events"]:
        evidence = fact["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
