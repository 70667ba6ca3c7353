"""Reference prices (a LiteLLM-format list as a dated snapshot) and the conflict rules built on them."""

from datetime import date
from pathlib import Path

import pytest

from kb.knowledge.conflicts import explain_mismatch
from kb.knowledge.reference import LITELLM_LICENCE, ReferenceError, import_reference, load_book
from kb.pipeline import ingest, prepare
from kb.parse import read_document
from kb.store import open_db
from tests.conftest import ROOT
from tests.knowledge_kb import gazetteer_small, litellm_file, newsroom  # noqa: F401 - fixtures

# The real list, read beside the repository (never copied into it), as the issue asks: ../shared/...
REAL_LIST = Path("../shared/data/reference/model_prices.json")
RELEASE = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31"}


@pytest.fixture
def price_list(tmp_path) -> Path:
    return litellm_file(tmp_path / "model_prices.json")


def _import(newsroom, price_list, as_of=date(2025, 3, 1)):
    result = import_reference(newsroom.db, price_list, newsroom.gazetteer, as_of=as_of)
    newsroom.refresh()
    return result


def _conflicts(newsroom, against="reference"):
    return list(newsroom.db.query("select * from conflicts where against = ? order by id", [against]))


def test_a_list_is_a_dated_snapshot_with_its_licence(newsroom, price_list):
    result = _import(newsroom, price_list)
    [snapshot] = newsroom.db["reference_snapshots"].rows
    assert (snapshot["as_of"], snapshot["licence"], snapshot["entries"]) == ("2025-03-01", LITELLM_LICENCE, 7)
    assert result["entries"] == 7  # sample_spec and an entry with no token price are not entries


def test_keys_map_to_models_through_the_gazetteer(newsroom, price_list):
    _import(newsroom, price_list)
    rows = {(r["key"], r["kind"]): r for r in newsroom.db["reference_prices"].rows}
    assert rows[("o3-mini", "cached_input")]["model_id"] == "o3-mini"  # litellm_keys
    assert rows[("o3-mini", "cached_input")]["usd_per_million_tokens"] == 0.55
    assert rows[("deepseek-reasoner", "input")]["model_id"] == "deepseek-r1"  # litellm_keys, another name
    assert rows[("gpt-4o", "input")]["model_id"] == "gpt-4o"  # by name
    assert rows[("text-embedding-3-small", "input")]["model_id"] is None  # not one of ours
    # a reseller's key is the same model sold by someone else
    assert (rows[("azure/o3-mini", "input")]["model_id"], rows[("azure/o3-mini", "input")]["seller_id"]) == ("o3-mini", "microsoft")
    primary = {r["key"] for r in newsroom.db["reference_prices"].rows_where("is_primary = 1 and model_id = 'gpt-4o'")}
    assert primary == {"gpt-4o"}  # not the dated snapshot key gpt-4o-2024-08-06


def test_importing_the_same_file_again_replaces_its_snapshot(newsroom, price_list):
    first = _import(newsroom, price_list)
    again = _import(newsroom, price_list)
    assert again["snapshot_id"] == first["snapshot_id"] and again["replaced"]
    assert newsroom.db["reference_snapshots"].count == 1
    assert newsroom.db["reference_prices"].count == first["prices"]


def test_a_file_that_is_not_a_price_list_is_refused(newsroom, tmp_path):
    path = tmp_path / "not.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(ReferenceError, match="not a LiteLLM price list"):
        import_reference(newsroom.db, path, newsroom.gazetteer)


def test_cached_input_quoted_as_input_is_flagged_with_its_explanation(newsroom, price_list):
    article = newsroom.publish("hanbit", "2025-02-03", events=(RELEASE,),
                               prices=(("o3-mini", "input", 0.55), ("o3-mini", "output", 4.4)))
    _import(newsroom, price_list)
    [conflict] = _conflicts(newsroom)
    assert (conflict["article_id"], conflict["claimed"], conflict["expected"]) == (article, "$0.55 per 1M tokens", "$1.10 per 1M tokens")
    assert conflict["explanation"].startswith("matches cached_input")
    claims = {r["predicate"]: r for r in newsroom.db["claims"].rows_where("fact_table = 'prices'")}
    assert claims["price:input"]["status"] == "contradicted"
    assert (claims["price:output"]["status"], claims["price:output"]["reference_agrees"]) == ("corroborated", 1)


def test_an_old_price_is_not_checked_against_todays_list(newsroom, price_list):
    cut = {"type": "price_change", "company": "openai", "model": "o3", "date": "2025-06-10"}
    newsroom.publish("ledger", "2025-06-11", events=(cut,), prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new")))
    _import(newsroom, price_list, as_of=date(2025, 7, 1))
    assert _conflicts(newsroom) == []
    agrees = {r["value"]: r["reference_agrees"] for r in newsroom.db["claims"].rows_where("subject_id = 'o3' and fact_table = 'prices'")}
    assert agrees == {"$10 per 1M tokens": None, "$2 per 1M tokens": 1}


def test_a_first_party_price_is_compared_with_the_first_party_list_price_only(newsroom, price_list):
    newsroom.publish("ledger", "2025-02-01", events=(RELEASE,), prices=(("o3-mini", "input", 1.1),))
    _import(newsroom, price_list)  # azure/o3-mini lists 1.21: another seller, not a conflict
    assert _conflicts(newsroom) == []


def test_a_price_months_older_than_the_list_may_have_changed(newsroom, price_list):
    newsroom.publish("ledger", "2025-01-21", prices=(("deepseek-r1", "input", 0.55), ("deepseek-r1", "output", 2.19)))
    _import(newsroom, price_list, as_of=date(2025, 12, 1))
    assert [c["explanation"] for c in _conflicts(newsroom)] == [
        "may have changed in between: prices of 2025-01-21 and 2025-12-01"] * 2


@pytest.mark.parametrize("amount, expected, others, explanation", [
    (0.55, 1.1, {"cached_input": 0.55, "input_batches": 0.55}, "matches cached_input ($0.55)"),
    (1100.0, 1.1, {"output": 4.4}, "unit slip: per 1K tokens read as per 1M"),
    (0.0011, 1.1, {}, "unit slip: per 1M tokens read as per 1K"),
    (0.55, 1.1, {"input_batches": 0.55}, "matches input_batches ($0.55)"),
    (0.9, 1.1, {"output": 4.4}, None),
])
def test_explanations_of_a_mismatch(amount, expected, others, explanation):
    assert explain_mismatch(amount, "input", expected, others) == explanation


def test_a_stale_price_is_explained_by_time_before_a_coincidental_tier_rate():
    reason = explain_mismatch(5.0, "input", 2.5, {"output_batches": 5.0}, claimed_on=date(2024, 5, 14), checked_on=date(2025, 6, 1))
    assert reason == "may have changed in between: prices of 2024-05-14 and 2025-06-01"


def test_the_seed_articles_o3_mini_input_price_is_flagged_against_the_real_list(seed, gazetteer, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    if not REAL_LIST.exists():
        pytest.skip(f"the LiteLLM price list is not at {REAL_LIST.resolve()} (read-only data beside the repository)")
    path, _ = seed
    db = open_db(tmp_path / "kb.db")
    article = read_document(str(path), url="https://metro.test/seed")
    article.published, article.language = "2025-02-03", "ko"
    ingest(db, article, prepare(db, gazetteer))
    import_reference(db, REAL_LIST, gazetteer)
    from kb.knowledge import refresh

    refresh(db)
    [conflict] = db.query("select * from conflicts where subject_id = 'o3-mini' and predicate = 'price:input'")
    assert (conflict["claimed"], conflict["expected"], conflict["against"]) == ("$0.55 per 1M tokens", "$1.10 per 1M tokens", "reference")
    assert "matches cached_input" in conflict["explanation"]
    assert load_book(db).lookup("o3-mini", "openai")[0] == "o3-mini"


def test_import_accepts_the_url_of_a_list(newsroom, price_list):
    import functools
    import http.server
    import threading

    from kb.knowledge.reference import fetch_reference

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(price_list.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        local = fetch_reference(f"http://127.0.0.1:{server.server_port}/{price_list.name}")
    finally:
        server.shutdown()
        server.server_close()
    assert local.read_bytes() == price_list.read_bytes()
    assert import_reference(newsroom.db, local, newsroom.gazetteer, as_of=date(2025, 3, 1))["entries"] == 7
    with pytest.raises(ReferenceError, match="no such file"):
        fetch_reference(price_list.parent / "missing.json")


def test_the_demo_ships_a_dated_slice_of_the_list_with_its_source_and_licence():
    import json

    from kb.demo.reference import SNAPSHOT, UPSTREAM_URL, snapshot_meta
    from kb.knowledge.reference import price_fields

    meta = snapshot_meta()
    assert date.fromisoformat(meta["as_of"]) and "MIT" in meta["licence"] and "BerriAI/litellm" in meta["source"]
    assert UPSTREAM_URL.endswith("model_prices_and_context_window.json")
    entries = {k: v for k, v in json.loads(SNAPSHOT.read_text(encoding="utf-8")).items() if k != "_snapshot"}
    assert 20 <= len(entries) <= 1000 and all(price_fields(v) for v in entries.values())
    assert entries["o3-mini"]["input_cost_per_token"] == pytest.approx(1.1e-6)
    assert SNAPSHOT.stat().st_size < 200_000  # a slice, not the 3.5 MB list


def test_the_demo_slice_loads_once_and_keeps_an_imported_list(tmp_path):
    from kb.demo.reference import load_demo_reference

    db = open_db(tmp_path / "kb.db")
    first = load_demo_reference(db)
    assert first and first["models"] >= 20
    assert load_demo_reference(db) is None and db["reference_snapshots"].count == 1
