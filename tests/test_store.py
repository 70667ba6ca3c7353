"""Storage on an in-memory database: idempotence, revisions, re-extraction, search."""

import pytest
import yaml

from kb.parse import Article
from kb.pipeline import ingest, prepare, reextract
from kb.publish import METADATA
from kb.store import open_db

TEXT = "실제로 오픈AI는 지난 31일(현지시간) 'o3 미니'를 공개했다. 'o3 미니'는 입력 토큰 100만개당 0.55달러다. 딥시크가 긴장했다."


@pytest.fixture
def db(gazetteer):
    database = open_db(memory=True)
    prepare(database, gazetteer)
    return database


def _article(text=TEXT, url="https://news.test/1"):
    return Article(url=url, title="오픈AI, o3 미니 공개", text=text, language="ko", published="2025-02-03T09:00:00+09:00")


def test_schema_has_foreign_keys_and_search(db):
    assert {"articles", "entities", "aliases", "mentions", "prices", "events", "crawl_runs", "fetch_errors"} <= set(db.table_names())
    assert ("model_id", "entities") in {(fk.column, fk.other_table) for fk in db["prices"].foreign_keys}
    assert db["articles"].detect_fts() == "articles_fts"


def test_gazetteer_entities_have_aliases_in_every_language(db):
    aliases = {row["alias"] for row in db["aliases"].rows_where("entity_id = 'openai'")}
    assert {"OpenAI", "오픈AI"} <= aliases


def test_same_article_twice_is_stored_once(db, gazetteer):
    first = ingest(db, _article(), gazetteer)
    second = ingest(db, _article(), gazetteer)
    assert (first.status, second.status) == ("new", "unchanged")
    assert db["articles"].count == 1
    assert db["prices"].count == 1


def test_changed_text_is_a_revision_and_replaces_the_facts(db, gazetteer):
    ingest(db, _article(), gazetteer)
    result = ingest(db, _article(TEXT.replace("0.55달러", "1.10달러")), gazetteer)
    assert result.status == "revised"
    assert db["articles"].get(result.article_id)["revision"] == 2
    assert [row["amount"] for row in db["prices"].rows] == [1.10]


def test_reextraction_does_not_duplicate_facts(db, gazetteer):
    result = ingest(db, _article(), gazetteer)
    counts = {t: db[t].count for t in ("mentions", "prices", "events")}
    reextract(db, result.article_id, gazetteer)
    reextract(db, result.article_id, gazetteer)
    assert {t: db[t].count for t in ("mentions", "prices", "events")} == counts


def test_facts_are_linked_to_canonical_entities(db, gazetteer):
    ingest(db, _article(), gazetteer)
    event = next(db["events"].rows_where("type = 'model_release'"))
    assert (event["company_id"], event["model_id"], event["date"]) == ("openai", "o3-mini", "2025-01-31")
    assert {row["entity_id"] for row in db["mentions"].rows} >= {"openai", "o3-mini", "deepseek"}


def _search(db, q):
    sql = yaml.safe_load(METADATA.read_text())["databases"]["kb"]["queries"]["search_articles"]["sql"]
    return [row["title"] for row in db.query(sql, {"q": q, "sort": ""})]


@pytest.mark.parametrize("q", ["딥시크", "o3 미니", "오픈AI", "공개했"])
def test_search_finds_korean_inside_words(db, gazetteer, q):
    ingest(db, _article(), gazetteer)
    assert _search(db, q) == ["오픈AI, o3 미니 공개"]


@pytest.mark.parametrize("q", ["딥", "o3"])
def test_search_of_short_terms_falls_back_to_the_text(db, gazetteer, q):
    ingest(db, _article(), gazetteer)
    assert _search(db, q) == ["오픈AI, o3 미니 공개"]


def test_search_does_not_find_what_is_not_there(db, gazetteer):
    ingest(db, _article(), gazetteer)
    assert _search(db, "앤트로픽") == [] and _search(db, "구글") == []


def test_kb_file_uses_wal_so_readers_do_not_block_the_crawl(tmp_path):
    db = open_db(tmp_path / "kb.db")
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_price_range_and_a_per_minute_unit_are_stored(db, gazetteer):
    text = ("Meta estimated that Llama 4 Maverick can be served for between $0.19 and $0.49 per million tokens. "
            "The Whisper API costs $0.006 per minute of audio.")
    ingest(db, Article(url="https://news.test/range", title="Ranges", text=text, language="en", published="2025-04-06"), gazetteer)
    rows = {(r["amount"], r["amount_max"], r["unit"], r["per_tokens"]) for r in db["prices"].rows}
    assert rows == {(0.19, 0.49, None, 1_000_000), (0.006, None, "minute", None)}


def test_migration_015_fills_price_changes_of_a_kb_stored_before_it(tmp_path):
    from kb.store import open_db

    path = tmp_path / "kb.db"
    db = open_db(path)
    db["entities"].insert({"id": "lumo-2", "type": "model", "name": "Lumo 2", "status": "gazetteer"})
    db["articles"].insert({"id": 1, "url": "https://wire.example/1", "title": "Lumo 2 gets cheaper",
                           "text": "Lumo 2 now costs $1 per million input tokens, down from $4.", "published_date": "2025-05-02"})
    for change, amount in (("old", 4.0), ("new", 1.0)):
        db["prices"].insert({"article_id": 1, "model_id": "lumo-2", "kind": "input", "amount": amount, "currency": "USD",
                             "per_tokens": 1_000_000, "change": change})
    db.execute("drop table price_change_reports")
    db.execute("drop index idx_events_move_from")
    db.execute("delete from _migrations where name = '015_changes_and_moves'")
    db.conn.commit()
    db.close()
    db = open_db(path)
    assert db.execute("select model_id, date, prices, cuts from price_change_reports").fetchall() == \
        [("lumo-2", "2025-05-02", "input $4 → $1 (−75%)", 1)]
    assert {"idx_events_move_from", "idx_events_move_to"} <= {i.name for i in db["events"].indexes}
