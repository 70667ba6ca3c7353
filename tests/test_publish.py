"""The published site, in process: metadata, canned queries, entity pages, search, feeds, safety, kb publish.

Datasette runs configured exactly as ``kb serve`` runs it (kb.publish.datasette_app);
pages are fetched through datasette.client and read with BeautifulSoup.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sqlite_utils
from bs4 import BeautifulSoup
from datasette.app import Datasette

from kb.publish import METADATA, datasette_app, load_metadata, metadata_for, settings
from kb.publish.deploy import excerpt
from tests.conftest import run_kb
from tests.knowledge_kb import gazetteer_small, newsroom_file  # noqa: F401 - fixtures

ATOM = "{http://www.w3.org/2005/Atom}"

# Datasette 1.0 splits today's metadata.yml into metadata (what the data is) and
# configuration (how it is served). Every key of metadata.yml must fall on one side.
METADATA_KEYS = {"title", "description", "description_html", "license", "license_url", "source", "source_url",
                 "about", "about_url"}
CONFIG_KEYS = {"settings", "plugins"}
DATABASE_METADATA_KEYS = METADATA_KEYS
DATABASE_CONFIG_KEYS = {"queries"}
TABLE_METADATA_KEYS = METADATA_KEYS | {"columns"}
TABLE_CONFIG_KEYS = {"label_column", "facets", "sort", "sort_desc", "size", "hidden"}
QUERY_KEYS = {"title", "description", "description_html", "sql", "hide_sql"}

# Parameters for every canned query, and a row each must return on the demo KB.
CANNED = {
    "search_articles": ({"q": "딥시크"}, lambda r: r["language"] == "ko"),
    "find_entity": ({"name": "딥시"}, lambda r: r["entity_id"] == "deepseek"),
    "latest_price_per_model": ({"model": "o3 미니"}, lambda r: r["kind"] == "output" and r["usd_per_million_tokens"] == 4.4),
    "price_history": ({"model": "o3-mini"}, lambda r: r["kind"] == "input" and r["usd_per_million_tokens"] == 1.1),
    "price_claims": ({"model": "o3-mini"}, lambda r: r["standing"] == "contradicted"),
    "price_conflicts": ({"model": "", "against": ""}, lambda r: r["model"] == "o3-mini" and r["kind"] == "input"),
    "timeline": ({"name": "DeepSeek", "month": "2025-01"}, lambda r: r["type"] == "model release" and r["subject_id"] == "deepseek-r1"),
    "reference_releases": ({"name": "딥시크"}, lambda r: r["model_id"] == "deepseek-r1" and r["source"].startswith("gazetteer")),
    "model_releases": ({"company": "DeepSeek"}, lambda r: r["model_id"] == "deepseek-r1" and r["date"] == "2025-01-20"
                       and r["dated_by"] == "stated in the article" and r["reports"] >= 3),
    "price_changes": ({"year": "2025", "direction": "cut"}, lambda r: r["model_id"] == "o3" and "input $10 → $2 (−80%)" in r["prices"]),
    "executive_moves": ({"company": ""}, lambda r: r["person_id"] == "alexandr-wang" and r["evidence"]),
    "news_events": ({"type": "model release"}, lambda r: r["subject_id"] == "deepseek-r1" and r["reports"] >= 3),
    "company_events": ({"company": "오픈AI"}, lambda r: r["type"] == "model_release" and r["model"] == "o3-mini"),
    "articles_mentioning": ({"name": "深度求索"}, lambda r: r["language"] == "en"),
    "co_mentions": ({"name": "DeepSeek", "month": ""}, lambda r: r["other"] == "OpenAI"),
    "new_models": ({"since": ""}, lambda r: r["first_seen"] >= "2025-11-13"),
    "crawl_health": ({}, lambda r: r["last_run_status"] == "finished" and r["errors_all"] == 0),
    "new_events": ({"company": ""}, lambda r: r["atom_id"].startswith("tag:ai-news-kb")),
}


def fetch(datasette: Datasette, path: str, *, status: int = 200, method: str = "get", **kwargs):
    async def go():
        return await getattr(datasette.client, method)(path, **kwargs)

    response = asyncio.run(go())
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    return response


def page(datasette: Datasette, path: str) -> BeautifulSoup:
    return BeautifulSoup(fetch(datasette, path).text, "html.parser")


@pytest.fixture(scope="module")
def site(demo_kb) -> Datasette:
    return datasette_app(demo_kb)


@pytest.fixture(scope="module")
def kb(demo_kb) -> sqlite_utils.Database:
    return sqlite_utils.Database(demo_kb)


# ------------------------------------------------------------------ metadata.yml

def test_every_table_view_and_column_is_described(kb):
    tables = load_metadata()["databases"]["kb"]["tables"]
    missing = []
    for name in kb.table_names() + kb.view_names():
        described = tables.get(name) or {}
        if not described.get("description"):
            missing.append(name)
        columns = described.get("columns") or {}
        missing += [f"{name}.{column}" for column in kb[name].columns_dict if not columns.get(column)]
    assert not missing, f"undescribed in metadata.yml: {missing}"


def test_metadata_splits_into_datasette_1_metadata_and_configuration():
    data = load_metadata()
    assert set(data) <= METADATA_KEYS | CONFIG_KEYS | {"databases"}
    for database in data["databases"].values():
        assert set(database) <= DATABASE_METADATA_KEYS | DATABASE_CONFIG_KEYS | {"tables"}
        for name, table in database["tables"].items():
            assert set(table) <= TABLE_METADATA_KEYS | TABLE_CONFIG_KEYS, name
        for name, query in database["queries"].items():
            assert set(query) <= QUERY_KEYS, name
            assert query.get("title") and query.get("description_html"), f"{name} needs a title and a description"


def test_licence_source_and_labels_are_stated():
    data = load_metadata()
    assert "CC BY 4.0" in data["license"] and "publishers" in data["license"]
    assert data["source"] and data["about_url"]
    tables = data["databases"]["kb"]["tables"]
    for table, label in {"entities": "name", "articles": "title", "sources": "name", "event_clusters": "subject"}.items():
        assert tables[table]["label_column"] == label
    assert all(tables[t].get("hidden") for t in ("article_html", "_migrations", "articles_fts", "feed_state"))


def test_metadata_follows_the_served_file_name(tmp_path):
    data = metadata_for(tmp_path / "news.db")
    assert "news" in data["databases"] and "kb" not in data["databases"]
    charts = data["plugins"]["datasette-dashboards"]["charts"]
    assert {chart.get("db") for chart in charts["charts"].values()} <= {"news", None}
    assert data["plugins"]["kb-site"]["database"] == "news"
    assert "settings" not in data


def test_serving_limits_are_set():
    values = settings()
    assert values["sql_time_limit_ms"] <= 5000 and values["max_returned_rows"] <= 1000


# ------------------------------------------------------------------ canned queries

def test_every_canned_query_is_tested_here():
    assert set(load_metadata()["databases"]["kb"]["queries"]) == set(CANNED)


@pytest.mark.parametrize("name", sorted(CANNED))
def test_canned_query_answers_on_the_demo(site, name):
    params, expected = CANNED[name]
    rows = fetch(site, f"/kb/{name}.json", params={**params, "_shape": "array"}).json()
    assert any(expected(row) for row in rows), rows[:3]


def test_canned_queries_are_read_only():
    for name, query in load_metadata()["databases"]["kb"]["queries"].items():
        assert not query.get("write"), name


def test_latest_price_says_who_said_so(site):
    rows = fetch(site, "/kb/latest_price_per_model.json", params={"model": "o3-mini", "_shape": "array"}).json()
    output = [row for row in rows if row["kind"] == "output"]
    assert len(output) == 1
    assert output[0]["usd_per_million_tokens"] == 4.4 and output[0]["unit"] == "per 1M tokens"
    assert "The Silicon Ledger" in output[0]["said_by"] and "4.40" in output[0]["evidence"]
    # the misquoted 0.55 input price of one article does not replace the 1.10 that the history settled on
    assert [row["usd_per_million_tokens"] for row in rows if row["kind"] == "input"] == [1.1]


def test_search_finds_korean_inside_words_and_short_terms(site, kb):
    rows = fetch(site, "/kb/search_articles.json", params={"q": "딥시크", "_shape": "array"}).json()
    expected = {row["id"] for row in kb.query("select id from articles where text like '%딥시크%' or title like '%딥시크%'")}
    assert {row["article_id"] for row in rows} == expected
    assert all("«딥시크»" in row["snippet"] for row in rows if "딥시크" in row["snippet"])
    short = fetch(site, "/kb/search_articles.json", params={"q": "구글", "_shape": "array"}).json()
    assert short and all("«구글»" in row["snippet"] for row in short if row["snippet"].count("«"))


def test_search_page_shows_names_and_highlighted_snippets(site):
    soup = page(site, "/-/search?q=딥시크")
    assert "DeepSeek" in soup.select_one("#kb-entities").get_text()
    hits = soup.select("#kb-articles .kb-hits li")
    assert hits and all(hit["lang"] == "ko" for hit in hits)
    assert {mark.get_text() for mark in soup.select("#kb-articles mark")} == {"딥시크"}


# ------------------------------------------------------------------ entity pages

def test_entity_page_by_any_name_redirects_to_its_id(site):
    response = fetch(site, "/entity/딥시크", status=302)
    assert response.headers["location"] == "/entity/deepseek"
    fetch(site, "/entity/no-such-thing-anywhere", status=404)


def test_company_page_has_names_timeline_and_articles(site):
    soup = page(site, "/entity/deepseek")
    assert soup.h1.get_text().startswith("DeepSeek")
    names = soup.select_one("#names").get_text()
    assert "딥시크" in names and "深度求索" in names and "DeepSeek" in names
    timeline = soup.select_one("#timeline")
    january = timeline.select_one("tbody[id='timeline-2025-01']").get_text()
    assert "model release" in january and "DeepSeek-R1" in january
    # the gazetteer's dates are reference data, in a section of their own, never among the news reports
    assert not [tr for tr in timeline.select("tbody tr") if "(gazetteer)" in tr.get_text() or "reference data" in tr.get_text()]
    assert "reference data" in soup.select_one("#reference_releases h2").get_text()
    assert "DeepSeek-R1" in soup.select_one("#model_releases").get_text()
    assert len(soup.select("#articles_mentioning tbody tr")) >= 10
    assert soup.select_one("a[href*='new_events.atom']")
    assert soup.select_one("#kb-chart")


def test_model_page_answers_the_price_question(site):
    soup = page(site, "/entity/o3-mini")
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("#latest_price_per_model tbody tr")]
    header = [th.get_text().replace(" ", "_") for th in soup.select("#latest_price_per_model thead th")]
    output = [dict(zip(header, row)) for row in rows if row[0] == "output"]
    assert output and output[0]["price"] == "$4.40" and "The Silicon Ledger" in output[0]["said_by"]
    assert soup.select_one("#price_conflicts")


def test_entities_row_page_is_the_entity_page(site):
    soup = page(site, "/kb/entities/o3-mini")
    assert soup.select_one("#latest_price_per_model") and soup.select_one("link[rel=canonical]")["href"] == "/entity/o3-mini"
    # and the foreign keys of other tables lead there, labelled with names
    prices = page(site, "/kb/prices?model_id=o3-mini")
    assert prices.select_one("a[href='/kb/entities/o3-mini']").get_text() == "o3-mini"


def test_names_in_query_results_link_to_entity_pages(site):
    soup = page(site, "/kb/timeline?name=DeepSeek&month=2025-01")
    assert soup.select_one("a[href='/entity/deepseek-r1']")
    assert soup.select_one("a[href^='/kb/articles/']")


def test_article_page_shows_its_facts_and_sentences(site, kb):
    article_id = next(kb.query("select article_id from prices where model_id = 'o3-mini' and usd_per_million_tokens = 4.4 "
                               "and article_id in (select id from articles where language = 'en')"))["article_id"]
    soup = page(site, f"/kb/articles/{article_id}")
    prices = soup.select_one("#kb-article-prices").get_text(" ")
    assert "o3-mini" in prices and "$4.40 per million output tokens" in prices
    assert soup.select_one("#kb-article-names a[href='/entity/openai']")
    assert soup.select_one(".kb-lede a")["href"].startswith("http://127.0.0.1")


# ------------------------------------------------------------------ feeds, charts

def test_atom_feed_of_new_events_overall_and_per_company(site, kb):
    overall = ET.fromstring(fetch(site, "/kb/new_events.atom?company=").content)
    entries = overall.findall(f"{ATOM}entry")
    assert len(entries) == min(100, kb["event_clusters"].count_where("status = 'active'"))
    deepseek = ET.fromstring(fetch(site, "/kb/new_events.atom?company=딥시크").content)
    titles = [entry.find(f"{ATOM}title").text for entry in deepseek.findall(f"{ATOM}entry")]
    assert titles and all("DeepSeek" in title for title in titles)
    assert all(entry.find(f"{ATOM}link").get("href").startswith("http") for entry in deepseek.findall(f"{ATOM}entry"))


def test_chart_queries_return_data(site):
    charts = load_metadata()["plugins"]["datasette-dashboards"]["charts"]["charts"]
    for slug, chart in charts.items():
        if "query" not in chart:
            continue
        sql = re.sub(r"\[\[.*?\]\]", "", chart["query"])
        rows = fetch(site, "/kb.json", params={"sql": sql, "_shape": "array"}).json()
        assert rows, slug
    fetch(site, "/-/dashboards/charts?kind=output")


# ------------------------------------------------------------------ safe to publish

def test_article_text_is_escaped(site, kb):
    article_id = next(kb.query("select id from articles where text like '%<script>alert(''kb'')</script>%'"))["id"]
    html = fetch(site, f"/kb/articles/{article_id}").text
    assert "&lt;script&gt;alert(&#39;kb&#39;)&lt;/script&gt;" in html
    assert "<script>alert('kb')" not in html
    search = fetch(site, "/-/search?q=<script>alert").text
    assert "<script>alert" not in search and "<mark>&lt;script&gt;alert</mark>" in search


def test_no_write_through_sql(site):
    response = fetch(site, "/kb.json", params={"sql": "delete from articles"}, status=400)
    assert "select" in response.text.lower()


def test_robots_policy(site):
    robots = fetch(site, "/robots.txt").text
    assert "Disallow: /kb" in robots and "Disallow: /-/" in robots
    assert "Disallow: /\n" not in robots + "\n"


# ------------------------------------------------------------------ kb publish

@pytest.fixture(scope="module")
def published(tmp_path_factory, demo_kb) -> Path:
    directory = tmp_path_factory.mktemp("site")
    result = run_kb("publish", str(directory), "--db", str(demo_kb))
    assert result.returncode == 0, result.stderr
    assert "Published" in result.stdout
    return directory


def test_publish_writes_a_datasette_configuration_directory(published):
    names = {p.name for p in published.iterdir()}
    assert {"kb.db", "inspect-data.json", "metadata.json", "settings.json", "templates", "plugins",
            "requirements.txt", "DEPLOY.md"} <= names
    assert json.loads((published / "inspect-data.json").read_text())["kb"]["file"] == "kb.db"
    requirements = (published / "requirements.txt").read_text()
    assert re.search(r"^datasette==0\.65\.\d+$", requirements, re.M) and "datasette-dashboards==" in requirements
    deploy = (published / "DEPLOY.md").read_text()
    assert "datasette serve ." in deploy and "datasette publish cloudrun" in deploy


def test_published_copy_keeps_excerpts_not_the_publishers_text(published, kb):
    copy = sqlite3.connect(published / "kb.db")
    assert copy.execute("select count(*) from article_html").fetchone()[0] == 0
    for article_id, text in copy.execute("select id, text from articles"):
        full = kb["articles"].get(article_id)["text"]
        assert text.endswith("…") and len(text) <= len(full) // 2 + 2
    assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"


def test_published_directory_serves_immutable_with_search(published):
    site = Datasette([], config_dir=published)
    assert not site.databases["kb"].is_mutable
    assert fetch(site, "/-/settings.json").json()["sql_time_limit_ms"] == 3000
    rows = fetch(site, "/kb/search_articles.json", params={"q": "딥시크", "_shape": "array"}).json()
    assert rows and all(row["language"] == "ko" for row in rows)
    assert "o3-mini" in fetch(site, "/entity/o3-mini").text


def test_publish_full_text_when_asked(tmp_path, demo_kb, kb):
    result = run_kb("publish", str(tmp_path / "full"), "--db", str(demo_kb), "--text", "full")
    assert result.returncode == 0, result.stderr
    copy = sqlite_utils.Database(tmp_path / "full" / "kb.db")
    assert [r["text"] for r in copy["articles"].rows] == [r["text"] for r in kb["articles"].rows]


def test_publish_refuses_a_missing_kb(tmp_path):
    result = run_kb("publish", str(tmp_path / "out"), "--db", str(tmp_path / "nothing.db"))
    assert result.returncode == 1 and "no knowledge base" in result.stderr


@pytest.mark.parametrize("text, expected", [
    ("One sentence here. Another one that goes on. " * 20, "One sentence here."),
    ("딥시크가 R1을 공개했다. 가격은 낮다. " * 30, "딥시크가 R1을 공개했다."),
    ("", ""),
])
def test_excerpt_cuts_at_a_sentence(text, expected):
    assert excerpt(text).startswith(expected)
    if text:
        assert excerpt(text).endswith("…") and len(excerpt(text)) < len(text) / 2 + 2


def test_metadata_file_ships_with_the_package():
    assert METADATA.parent.name == "publish" and (METADATA.parent / "templates" / "index.html").exists()


# ------------------------------------------------------------------ provenance, search, readability (issue 12)

def _amounts(text: str) -> set[float]:
    return {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def test_every_price_in_the_timeline_is_stated_by_the_sentence_shown(site):
    rows = fetch(site, "/kb/timeline.json", params={"name": "OpenAI", "month": "", "_shape": "array"}).json()
    prices = [row for row in rows if row["what"] == "price"]
    assert prices
    for row in prices:
        stated = re.search(r"stated as \D*([\d,.]+)", row["detail"]) or re.match(r"\D*([\d,.]+)", row["detail"])
        value = float(stated.group(1).replace(",", ""))
        assert row["evidence"] and value in _amounts(row["evidence"]), row


def test_o3_minis_input_price_is_not_credited_to_the_outlet_that_said_otherwise(site):
    rows = fetch(site, "/kb/price_history.json", params={"model": "o3-mini", "_shape": "array"}).json()
    [input_price] = [row for row in rows if row["kind"] == "input"]
    assert input_price["price"] == 1.1 and input_price["outlet"] == "The Silicon Ledger"
    assert "1.10" in input_price["evidence"] and input_price["disputed"].startswith("yes")


def test_crawl_health_figures_are_per_source(site, kb):
    rows = fetch(site, "/kb/crawl_health.json", params={"_shape": "array"}).json()
    stored = {row["source_id"]: row["n"] for row in kb.query("select source_id, count(*) as n from articles group by source_id")}
    assert len(set(stored.values())) > 1  # the outlets differ, so run totals would show
    for row in rows:
        assert row["articles"] == stored[row["source_id"]], row
        if row["last_run"] == 1:  # the crawl that stored everything (another test may have crawled again since)
            assert row["last_run_new"] == row["last_run_pages"] == stored[row["source_id"]], row
        assert row["last_run_new"] <= row["articles"], row


@pytest.mark.parametrize("words", [("OpenAI", "price"), ("o3", "mini"), ("오픈AI", "가격"), ("大模型", "价格")])
def test_search_finds_articles_with_all_words_in_any_order(site, words):
    forward = fetch(site, "/kb/search_articles.json", params={"q": " ".join(words), "_shape": "array"}).json()
    backward = fetch(site, "/kb/search_articles.json", params={"q": " ".join(reversed(words)), "_shape": "array"}).json()
    assert forward and {r["article_id"] for r in forward} == {r["article_id"] for r in backward}
    for row in forward:
        text = fetch(site, f"/kb/articles/{row['article_id']}.json", params={"_shape": "array"}).json()[0]
        assert all(w.lower() in (text["title"] + " " + text["text"]).lower() for w in words)


def test_search_ranks_newest_or_best_first(site):
    newest = fetch(site, "/kb/search_articles.json", params={"q": "OpenAI price", "sort": "newest", "_shape": "array"}).json()
    best = fetch(site, "/kb/search_articles.json", params={"q": "OpenAI price", "sort": "best", "_shape": "array"}).json()
    assert [r["published_date"] for r in newest] == sorted((r["published_date"] for r in newest), reverse=True)
    assert [r["matches"] for r in best] == sorted((r["matches"] for r in best), reverse=True)
    assert {r["article_id"] for r in newest} == {r["article_id"] for r in best}


def test_search_page_highlights_every_word_and_finds_the_name(site):
    soup = page(site, "/-/search?q=o3+mini")
    assert "o3-mini" in soup.select_one("#kb-entities").get_text()
    assert {m.get_text().lower() for m in soup.select("#kb-articles .kb-snippet mark")} == {"o3", "mini"}


def test_an_empty_search_says_what_was_searched_and_suggests_names(site):
    soup = page(site, "/-/search?q=openaj+deepsek")
    empty = soup.select_one("#kb-empty").get_text(" ")
    assert "openaj" in empty and "deepsek" in empty
    suggested = {a["href"] for a in soup.select("#kb-empty a")}
    assert {"/entity/openai", "/entity/deepseek"} <= suggested


def test_query_and_table_pages_are_titled_in_words(site):
    for path in ("/kb/latest_price_per_model?model=", "/kb/price_conflicts?model=&against=", "/kb/news_events?type=", "/kb/event_clusters"):
        title = page(site, path).title.get_text()
        assert "select" not in title.lower() and "_" not in title.split("·")[0], (path, title)


def test_numbers_are_written_for_people(site):
    from kb.publish.plugins.kb_site import money, number

    assert (money(3100.0, "KRW"), money(1.0, "CNY"), money(0.55, "USD"), money(1.1, "USD")) == ("3,100 KRW", "1 CNY", "$0.55", "$1.10")
    assert (number(0.0005), number(1000000.0)) == ("0.0005", "1,000,000")
    html = fetch(site, "/kb/prices", params={"currency": "KRW"}).text
    assert not re.search(r">\s*\d+\.0\s*<", html)


def test_long_text_is_folded_and_column_descriptions_follow_the_table(site):
    soup = page(site, "/kb/prices")
    folded = soup.select("td.col-evidence details.kb-long")
    assert folded and all(len(d.summary.get_text()) < 100 for d in folded)
    html = str(soup)
    assert "What the columns mean" in html  # the script that folds dl.column-descriptions under the table


def test_home_page_counts_what_the_news_mentions(site, kb):
    text = page(site, "/").select_one(".kb-counts").get_text(" ")
    mentioned = kb.execute("select count(distinct m.entity_id) from mentions m join entities e on e.id = m.entity_id "
                           "where e.type = 'model'").fetchone()[0]
    assert f"{mentioned:,} models" in text and mentioned < kb["entities"].count_where("type = 'model'")


def test_the_demo_checks_prices_against_a_dated_price_list(site, kb):
    [snapshot] = kb["reference_snapshots"].rows
    assert snapshot["as_of"] and "MIT" in snapshot["licence"] and "litellm" in snapshot["file"].lower()
    rows = fetch(site, "/kb/price_conflicts.json", params={"model": "", "against": "reference", "_shape": "array"}).json()
    assert any(r["model"] == "o3-mini" and r["kind"] == "input" and r["expected"] == "$1.10 per 1M tokens" for r in rows)
    assert all(r["against"].startswith("price list: LiteLLM") for r in rows)
    news = fetch(site, "/kb/price_conflicts.json", params={"model": "", "against": "news", "_shape": "array"}).json()
    assert news and all(r["against"].startswith("news: ") for r in news)


def test_charts_use_a_log_price_axis_iso_weeks_and_whole_counts(site):
    charts = load_metadata()["plugins"]["datasette-dashboards"]["charts"]["charts"]
    price = charts["price-history"]["display"]["encoding"]
    assert price["y"]["scale"]["type"] == "log" and "%Y" in price["x"]["axis"]["format"]
    weekly = charts["articles-per-company"]
    assert weekly["display"]["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert "yearweek" not in json.dumps(weekly["display"])
    rows = fetch(site, "/kb.json", params={"sql": re.sub(r"\[\[.*?\]\]", "", weekly["query"]), "_shape": "array"}).json()
    assert rows and all(re.fullmatch(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", r["iso_week"]) for r in rows)
    from datetime import date
    assert all(date.fromisoformat(r["week"]).weekday() == 0 for r in rows)
    for r in rows:
        year, week = r["iso_week"].split("-W")
        assert date.fromisoformat(r["week"]).isocalendar()[:2] == (int(year), int(week))


# ------------------------------------------------------------------ events a reader can rely on, on a KB made for the purpose

def test_executive_moves_show_person_role_from_and_to(newsroom_file):
    newsroom, path = newsroom_file
    move = {"type": "executive_change", "company": "microsoft", "person": "sam-altman", "date": "2025-03-01",
            "from": "openai", "to": "microsoft", "role": "chief executive", "role_at": "openai"}
    newsroom.publish("ledger", "2025-03-02", events=(move,))
    newsroom.publish("hanbit", "2025-03-02", events=(move,))
    newsroom.refresh()
    rows = fetch(datasette_app(path), "/kb/executive_moves.json", params={"company": "", "_shape": "array"}).json()
    assert len(rows) == 1  # one move, however many outlets reported it
    [row] = rows
    assert (row["person"], row["role"], row["from_company"], row["to_company"], row["company"]) == \
        ("Sam Altman", "chief executive at OpenAI", "OpenAI", "Microsoft", None)
    assert row["reports"] == 2 and row["evidence"]
    left = fetch(datasette_app(path), "/kb/executive_moves.json", params={"company": "OpenAI", "_shape": "array"}).json()
    assert [r["from_company"] for r in left] == ["OpenAI"]  # a move from a company is one of its moves
    assert fetch(datasette_app(path), "/kb/executive_moves.json", params={"company": "DeepSeek", "_shape": "array"}).json() == []


def test_only_a_stated_old_and_new_price_is_a_price_change(newsroom_file):
    newsroom, path = newsroom_file
    cut = {"type": "price_change", "company": "openai", "model": "o3", "date": "2025-06-10"}
    newsroom.publish("ledger", "2025-06-11", events=(cut,),
                     prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new"), ("gpt-4o", "input", 2.5)))
    # a price merely mentioned in a price-change story, and a relayed one
    newsroom.publish("wire", "2025-06-12", events=({**cut, "model": "gpt-4o"},), prices=(("gpt-4o", "input", 2.5),))
    newsroom.publish("hanbit", "2025-06-12", prices=(("o3-mini", "output", 4.4, "old", {"reported": True}),
                                                       ("o3-mini", "output", 1.1, "new", {"reported": True})))
    newsroom.refresh()
    rows = fetch(datasette_app(path), "/kb/price_changes.json", params={"year": "2025", "direction": "", "_shape": "array"}).json()
    by_model = {r["model"]: r for r in rows}
    assert set(by_model) == {"o3", "o3-mini"}
    assert by_model["o3"]["prices"] == "input $10 → $2 (−80%)" and by_model["o3"]["date"] == "2025-06-10"
    assert by_model["o3"]["dated_by"] == "stated in the article" and by_model["o3"]["direction"] == "cut"
    assert by_model["o3-mini"]["outlet"].startswith("reported by ")
    assert by_model["o3-mini"]["prices"] == "output $4.40 → $1.10 (−75%)"


def test_article_page_writes_amounts_for_people(site, kb):
    article_id = next(kb.query("select article_id from prices where currency = 'KRW' limit 1"))["article_id"]
    prices = page(site, f"/kb/articles/{article_id}").select_one("#kb-article-prices").get_text(" ")
    assert "KRW" in prices and not re.search(r"\d\.0 KRW", prices)
    assert re.search(r"\d{1,3}(,\d{3})+ KRW", prices)
