"""The whole pipeline: a real Scrapy crawl of the demo site over HTTP into a SQLite file,
then Datasette's JSON API over that file."""

import asyncio

import pytest
import sqlite_utils
from datasette.app import Datasette

from kb.publish import metadata_for
from tests.conftest import run_kb


@pytest.fixture(scope="module")
def kb(demo_kb):
    return sqlite_utils.Database(demo_kb)


def test_every_demo_article_is_stored_once(kb, demo_articles, demo_server):
    urls = {row["url"] for row in kb["articles"].rows}
    assert urls == {demo_server.site.article_url(a) for a in demo_articles}
    assert kb["fetch_errors"].count == 0


def test_tracking_parameters_from_feeds_are_gone(kb):
    assert not [row for row in kb["articles"].rows if "utm_" in row["url"]]


def test_euc_kr_outlet_arrives_as_clean_korean(kb, demo_articles):
    for row in kb["articles"].rows_where("source_id = 'demo-hanbit'"):
        assert "\ufffd" not in row["text"]
        assert any(ch >= "\uac00" for ch in row["title"])


def test_article_rows_have_metadata_and_no_page_clutter(kb, demo_articles):
    by_title = {a.title: a for a in demo_articles}
    for row in kb["articles"].rows:
        article = by_title[row["title"]]
        assert row["published_date"] == article.published[:10]
        assert row["language"] == article.language
        assert "All rights reserved" not in row["text"] and "광고" not in row["text"][:0]
        assert "Most Popular" not in row["text"] and "인기 기사" not in row["text"]


def test_raw_pages_are_kept_for_reextraction(kb):
    assert kb["article_html"].count == kb["articles"].count


def test_facts_are_extracted_for_every_language(kb):
    languages = {row["language"] for row in kb.query(
        "select distinct a.language from mentions m join articles a on a.id = m.article_id")}
    assert languages == {"ko", "en", "zh"}
    assert kb["prices"].count > 10 and kb["events"].count > 10


def test_crawl_run_is_recorded(kb, demo_articles):
    run = list(kb["crawl_runs"].rows)[0]
    assert run["status"] == "finished" and run["new"] == len(demo_articles)


def test_second_crawl_fetches_no_article_again(demo_kb, demo_server, demo_articles):
    result = run_kb("crawl", "--demo-url", demo_server.url, "--db", str(demo_kb))
    assert result.returncode == 0, result.stderr
    run = list(sqlite_utils.Database(demo_kb).query("select * from crawl_runs order by id desc limit 1"))[0]
    assert (run["pages_fetched"], run["new"]) == (0, 0)
    assert sqlite_utils.Database(demo_kb)["articles"].count == len(demo_articles)


def test_crawl_of_an_ad_hoc_feed(tmp_path, demo_server, demo_articles):
    db = tmp_path / "feed.db"
    feed = f"{demo_server.url}/ledger/feed/"
    result = run_kb("crawl", "--feed", feed, "--delay", "0", "--concurrency", "4", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "new" in result.stdout
    assert sqlite_utils.Database(db)["articles"].count == len([a for a in demo_articles if a.outlet == "ledger"])


def _get_json(kb_path, path):
    datasette = Datasette([str(kb_path)], metadata=metadata_for(kb_path))

    async def fetch():
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def test_datasette_answers_latest_price_of_o3_mini(demo_kb):
    rows = _get_json(demo_kb, "/kb/latest_price_per_model.json?model=o3-mini&_shape=array")
    kinds = {row["kind"]: row for row in rows if row["model"] == "o3-mini"}
    assert kinds["output"]["usd_per_million_tokens"] == 4.4
    assert kinds["output"]["url"].startswith("http://127.0.0.1")


def test_datasette_finds_articles_mentioning_deepseek_under_any_name(demo_kb, demo_articles):
    english = _get_json(demo_kb, "/kb/articles_mentioning.json?name=DeepSeek&_shape=array")
    korean = _get_json(demo_kb, "/kb/articles_mentioning.json?name=딥시크&_shape=array")
    assert english == korean
    assert {"ko", "en", "zh"} <= {row["language"] for row in english}


def test_datasette_lists_a_companys_events(demo_kb):
    rows = _get_json(demo_kb, "/kb/company_events.json?company=오픈AI&_shape=array")
    assert ("2025-01-31", "model_release", "o3-mini") in {(r["date"], r["type"], r["model"]) for r in rows}


def test_datasette_table_metadata_is_applied(demo_kb):
    data = _get_json(demo_kb, "/-/metadata.json")
    assert "prices" in data["databases"]["kb"]["tables"]
