"""Migration 007: the lookups a large KB makes all the time use an index, not a full scan."""

from __future__ import annotations

import pytest

from kb.store import open_db


@pytest.fixture(scope="module")
def db():
    return open_db(memory=True)


def plan(db, sql: str) -> str:
    return " | ".join(row[3] for row in db.execute("explain query plan " + sql))


@pytest.mark.parametrize("sql", [
    "delete from events where article_id = 1",
    "delete from prices where article_id = 1",
    "delete from person_roles where article_id = 1",
    "select count(*) from events where model_id = 'o3-mini'",
    "select count(*) from events where person_id = 'sam-altman'",
    "select count(*) from person_roles where person_id = 'sam-altman'",
    # migration 015: an entity under any of its names, case aside, and a company's models
    "select id from entities where id = 'OpenAI' or name = 'OpenAI' collate nocase",
    "select entity_id from aliases where alias = '오픈AI' collate nocase",
    "select id from entities where developer_id = 'openai'",
    "delete from price_change_reports where article_id = 1",
])
def test_per_article_and_per_entity_lookups_use_an_index(db, sql):
    assert "USING" in plan(db, sql) and "SCAN" not in plan(db, sql)


@pytest.mark.parametrize("sql", [
    "select id from articles order by published desc limit 50",
    "select id from events order by date desc limit 50",
    "select id from prices order by published_date desc limit 50",
])
def test_default_sorts_of_the_published_tables_need_no_sort_pass(db, sql):
    assert "TEMP B-TREE" not in plan(db, sql)


def test_the_language_facet_reads_an_index(db):
    assert "COVERING INDEX" in plan(db, "select language, count(*) from articles group by language")
