"""The kb command as a user runs it: JSON contracts and one-line errors."""

import json

from tests.conftest import SEED, run_kb


def test_extract_prints_the_public_json_contract(seed):
    result = run_kb("extract", str(SEED), "--published", "2025-02-03", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert {"article", "companies", "models", "people", "prices", "events"} <= set(facts)
    assert set(facts["article"]) == {"url", "title", "published", "language", "text"}
    assert {"name", "developer", "mentions"} <= set(facts["models"][0])
    assert {"model", "kind", "amount", "currency", "per_tokens", "period", "usd_per_million_tokens", "evidence"} <= set(facts["prices"][0])
    assert {"type", "date", "company", "model", "evidence"} <= set(facts["events"][0])


def test_parse_prints_one_json_line_per_file(demo_site, tmp_path):
    paths = []
    for article in demo_site.articles[:2]:
        page = demo_site.get(demo_site.article_url(article).removeprefix(demo_site.base_url))
        path = tmp_path / f"{article.id}.html"
        path.write_bytes(page.body)
        paths.append(str(path))
    result = run_kb("parse", *paths)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == paths
    assert {"url", "title", "author", "published", "language", "text"} <= set(lines[0])


def test_broken_file_is_one_line_on_stderr_and_others_still_parse(demo_site, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("")
    article = demo_site.articles[0]
    good = tmp_path / "good.html"
    good.write_bytes(demo_site.get(demo_site.article_url(article).removeprefix(demo_site.base_url)).body)
    result = run_kb("parse", str(empty), str(good))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {empty}: empty text"
    assert len(result.stdout.splitlines()) == 1


def test_add_stores_local_files_and_is_idempotent(seed, tmp_path):
    db = tmp_path / "kb.db"
    args = ("add", str(SEED), "--url", "https://metro.test/seed", "--published", "2025-02-03", "--lang", "ko", "--db", str(db))
    first, second = run_kb(*args), run_kb(*args)
    assert first.returncode == 0 and first.stdout.startswith("new")
    assert second.stdout.startswith("unchanged")
    import sqlite_utils

    kb = sqlite_utils.Database(db)
    assert kb["articles"].count == 1 and kb["prices"].count >= 2


def test_kb_db_environment_variable_is_the_default_db(seed, tmp_path):
    db = tmp_path / "env.db"
    result = run_kb("add", str(SEED), "--url", "https://metro.test/seed", env={"KB_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def test_crawl_needs_exactly_one_target():
    result = run_kb("crawl", "--demo", "--feed", "http://127.0.0.1:9/feed")
    assert result.returncode == 2
    assert "choose exactly one of" in result.stderr


def test_serving_a_missing_kb_is_a_one_line_error(tmp_path):
    result = run_kb("serve", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no knowledge base at" in result.stderr


def test_reprocess_reports_what_changed(seed, tmp_path):
    db = tmp_path / "kb.db"
    run_kb("add", str(SEED), "--url", "https://metro.test/seed", "--published", "2025-02-03", "--db", str(db))
    result = run_kb("reprocess", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 articles re-extracted")
    assert "(+0)" in result.stdout


def test_serving_a_kb_made_by_an_older_kb_upgrades_its_schema_first(tmp_path):
    from kb.cli import upgrade_schema
    from kb.store import open_db

    path = tmp_path / "old.db"
    db = open_db(path)
    db.execute("drop table entity_stats")
    db.execute("delete from _migrations where name = '010_summaries'")
    db.conn.commit()
    db.close()
    assert upgrade_schema(path) == ["010_summaries"]
    db = open_db(path)
    assert "entity_stats" in db.table_names()
    assert upgrade_schema(path) == []


def test_serving_a_sqlite_file_that_is_no_kb_is_refused_and_left_untouched(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (text)")
    result = run_kb("serve", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not a knowledge base made by kb" in result.stderr
    with sqlite3.connect(path) as conn:
        assert [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")] == ["notes"]
