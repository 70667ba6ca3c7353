"""Datasette configured for a big KB (issue 13): counts from the inspect data, the table search box on
the search query's fast path, entity pages from the summary tables."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from urllib.parse import parse_qs, urlparse

import pytest

from kb.publish import datasette_app, datasette_command, settings
from kb.publish.inspect import inspect_data


def get(datasette, path: str, **params):
    async def go():
        return await datasette.client.get(path, params=params or None)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def site(demo_kb):
    return datasette_app(demo_kb, immutable=True)


def test_suggested_facets_are_off_and_facets_have_a_time_limit():
    assert settings()["suggest_facets"] is False
    assert 0 < settings()["facet_time_limit_ms"] <= 500


def test_inspect_data_counts_every_table_once(demo_kb):
    data = inspect_data(demo_kb)
    tables = data[demo_kb.stem]["tables"]
    with sqlite3.connect(demo_kb) as conn:
        assert tables["articles"]["count"] == conn.execute("select count(*) from articles").fetchone()[0] > 0
        assert tables["mentions"]["count"] == conn.execute("select count(*) from mentions").fetchone()[0]


def test_immutable_serving_passes_the_inspect_file(demo_kb):
    command = datasette_command(demo_kb, immutable=True)
    assert "--inspect-file" in command
    assert "--inspect-file" not in datasette_command(demo_kb)


def test_articles_search_box_goes_to_the_search_query(site):
    response = get(site, "/kb/articles", _search="딥시크")
    assert response.status_code == 302
    target = urlparse(response.headers["location"])
    assert target.path == "/kb/search_articles" and parse_qs(target.query) == {"q": ["딥시크"]}
    found = get(site, target.path + "?" + target.query)
    assert found.status_code == 200 and "딥시크" in found.text


def test_table_search_with_filters_or_as_json_stays_the_table(site):
    assert get(site, "/kb/articles", _search="딥시크", language="ko").status_code == 200
    rows = get(site, "/kb/articles.json", _search="딥시크", _shape="array")
    assert rows.status_code == 200 and rows.json()


def test_entity_page_answers_from_an_older_kb_without_summary_tables(demo_kb, tmp_path):
    older = tmp_path / "kb.db"  # the same database name, so that the pages' links are the same
    shutil.copy(demo_kb, older)
    with sqlite3.connect(older) as conn:
        for table in ("entity_stats", "entity_months", "co_mentions"):
            conn.execute(f"drop table {table}")
    new, old = get(datasette_app(demo_kb), "/entity/openai"), get(datasette_app(older), "/entity/openai")
    assert new.status_code == old.status_code == 200
    # the same names and counts, from co_mentions and from a scan of mentions
    together = [page.text.split('id="together"')[1].split("</section>")[0] for page in (new, old)]
    assert together[0].count("<li>") > 3 and together[0] == together[1]
