"""The demo KB, after one real crawl: what it shows of events, price history and conflicts."""

import json

import pytest
import sqlite_utils

from tests.conftest import run_kb


@pytest.fixture(scope="module")
def kb(demo_kb):
    return sqlite_utils.Database(demo_kb)


def test_deepseek_r1_release_is_one_event_with_reports_from_three_outlets_in_three_languages(kb, demo_kb):
    events = json.loads(run_kb("events", "--json", "--type", "model_release", "--db", str(demo_kb)).stdout)
    [event] = [e for e in events if e["model_id"] == "deepseek-r1"]
    assert event["date"] == "2025-01-20"
    outlets = {a["source_id"] for a in event["articles"]}
    assert {"demo-hanbit", "demo-ledger", "demo-zhixin"} <= outlets
    assert {"ko", "en", "zh"} <= set(event["languages"])
    assert sum(a["first"] for a in event["articles"]) == 1


def test_the_price_history_of_o3_shows_the_cut(kb):
    history = [(r["amount"], r["valid_from"], r["valid_to"]) for r in kb.query(
        "select * from price_history where model_id = 'o3' and kind = 'input' and currency = 'USD' order by coalesce(valid_from, '')")]
    assert history == [(10.0, None, "2025-06-10"), (2.0, "2025-06-10", None)]


def test_the_cached_rate_quoted_as_o3_minis_input_price_is_a_conflict(kb):
    conflicts = list(kb.query(
        "select f.*, a.url from conflicts f join articles a on a.id = f.article_id "
        "where f.subject_id = 'o3-mini' and f.predicate = 'price:input'"))
    assert any("hanbit" in c["url"] and c["claimed"] == "$0.55 per 1M tokens" and c["expected"] == "$1.10 per 1M tokens"
               and c["explanation"].startswith("matches cached_input") for c in conflicts)


def test_every_fact_is_a_claim(kb):
    facts = sum(kb[t].count for t in ("prices", "events", "person_roles"))
    assert kb["claims"].count == facts
    statuses = {row["status"] for row in kb["claims"].rows}
    # "reported" appears once the extractor marks sentences that relay others' figures
    assert {"asserted", "corroborated", "contradicted"} <= statuses <= {"asserted", "corroborated", "contradicted", "reported"}
