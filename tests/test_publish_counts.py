"""Facet clicks on big tables answered from the count tables (issue 13, migration 013): the same numbers
as Datasette's own counting, kept exact by triggers through inserts, updates and deletes."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3

import pytest

from kb.knowledge.summary import COUNT_TABLES, refresh_counts
from kb.publish import datasette_app
from kb.store import open_db

SOURCES = [("wire", "en"), ("herald", "ko"), ("daily", "zh"), ("blog", None)]
COMPANIES = ["bigco", "smallco", None]
TYPES = ["model_release", "funding", "partnership"]


def get(datasette, path: str, **params):
    async def go():
        return await datasette.client.get(path, params=params or None)

    return asyncio.run(go())


def fill(path, articles: int = 240):
    """A KB of our own rows: outlets in three languages (and one article with none), events of several
    companies and types (some with no company), prices of two models in two currencies."""
    db = open_db(path)
    db["sources"].insert_all([{"id": s, "name": s.title(), "language": lang, "kind": "feed"} for s, lang in SOURCES])
    db["entities"].insert_all([
        {"id": "bigco", "type": "company", "name": "BigCo", "status": "gazetteer"},
        {"id": "smallco", "type": "company", "name": "SmallCo", "status": "gazetteer"},
        {"id": "big-1", "type": "model", "name": "Big-1", "status": "gazetteer", "developer_id": "bigco"},
        {"id": "small-2", "type": "model", "name": "Small-2", "status": "gazetteer", "developer_id": "smallco"},
    ])
    rows, events, prices = [], [], []
    for i in range(1, articles + 1):
        source, language = SOURCES[i % 7 % len(SOURCES)]
        rows.append({"id": i, "url": f"https://news.example/{i}", "source_id": source if i % 31 else None,
                     "title": f"Story {i}", "language": language or ("ko" if i % 2 else "en"), "text": "A story.",
                     "published": f"2025-0{1 + i % 9}-1{i % 10}T09:00:00+00:00", "published_date": f"2025-0{1 + i % 9}-1{i % 10}"})
        for j in range(i % 3):
            events.append({"article_id": i, "type": TYPES[(i + j) % 3], "company_id": COMPANIES[(i // 2 + j) % 3],
                           "date": f"2025-0{1 + i % 9}-01"})
        if i % 4 == 0:
            prices.append({"article_id": i, "model_id": "big-1" if i % 8 else "small-2", "kind": "input" if i % 3 else "output",
                           "amount": 1.5, "currency": "USD" if i % 5 else "KRW", "published_date": f"2025-0{1 + i % 9}-10"})
    db["articles"].insert_all(rows)
    db["events"].insert_all(events)
    db["prices"].insert_all(prices)
    db.conn.commit()
    return db


def recount(db, name: str) -> list[tuple]:
    table, columns = COUNT_TABLES[name]
    listed = ", ".join(columns)
    return sorted(db.execute(f"select {listed}, count(*) from {table} group by {listed}").fetchall(), key=repr)


def stored(db, name: str) -> list[tuple]:
    return sorted(db.execute(f"select * from {name}").fetchall(), key=repr)


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("counts") / "kb.db"
    fill(path).close()
    return path


def test_count_tables_equal_a_recount_through_inserts_updates_and_deletes(tmp_path):
    db = fill(tmp_path / "kb.db")
    for name in COUNT_TABLES:
        assert stored(db, name) == recount(db, name) and len(recount(db, name)) > 3
    # facts replaced per article, an outlet renamed, a language corrected, an entity merged, articles removed
    db.execute("delete from events where article_id in (select id from articles where id % 5 = 0)")
    db["entities"].insert({"id": "newco", "type": "company", "name": "NewCo", "status": "candidate"})
    db.execute("insert into events (article_id, type, company_id) values (7, 'lawsuit', 'newco'), (8, 'lawsuit', null)")
    db.execute("update articles set source_id = 'wire' where source_id = 'blog'")
    db.execute("update articles set language = 'zh' where id % 11 = 0")
    db.execute("update events set company_id = 'bigco' where company_id = 'smallco'")
    db.execute("update prices set currency = 'USD', kind = 'output' where id % 2 = 0")
    db.execute("delete from prices where model_id = 'small-2'")
    for table in ("events", "prices", "articles"):
        db.execute(f"delete from {table} where {'id' if table == 'articles' else 'article_id'} > 200")
    for name in COUNT_TABLES:
        assert stored(db, name) == recount(db, name)
    assert not db.execute("select 1 from event_counts where company_id = 'smallco'").fetchone()  # no zero rows left
    db.execute("delete from article_counts")
    refresh_counts(db)
    assert stored(db, "article_counts") == recount(db, "article_counts")


PAGES = [
    ("articles", {}), ("articles", {"language": "ko"}), ("articles", {"_facet": "language", "language": "ko"}),
    ("articles", {"source_id": "herald"}), ("articles", {"source_id": "wire", "language": "en"}),
    ("articles", {"source_id": "nowhere"}), ("events", {}), ("events", {"company_id": "bigco"}),
    ("events", {"company_id": "bigco", "type": "funding"}), ("prices", {}), ("prices", {"model_id": "big-1"}),
    ("prices", {"currency": "KRW", "_facet_size": "1"}),
]


def write(path, *statements: str) -> None:
    conn = sqlite3.connect(path)  # closed, so that the WAL is checkpointed: an immutable reader never reads it
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def numbers(response) -> tuple:
    data = response.json()
    facets = {name: [(v["value"], v["count"], v["selected"]) for v in facet["results"]]
              for name, facet in data["facet_results"].items()}
    return data["filtered_table_rows_count"], facets, [tuple(r) for r in data["rows"]]


@pytest.mark.parametrize("table,params", PAGES)
def test_facet_pages_give_datasettes_own_numbers(kb_path, tmp_path, table, params):
    counted = get(datasette_app(kb_path, immutable=True), f"/kb/{table}.json", **params)
    plain = tmp_path / "kb.db"  # the same KB without count tables: Datasette counts the rows itself
    shutil.copy(kb_path, plain)
    write(plain, *(f"drop table {name}" for name in COUNT_TABLES))
    own = get(datasette_app(plain, immutable=True), f"/kb/{table}.json", **params)
    assert counted.status_code == own.status_code == 200
    assert numbers(counted) == numbers(own)
    assert numbers(own)[0] or params.get("source_id") == "nowhere"


def test_the_page_reads_the_count_table_not_the_rows(kb_path, tmp_path):
    # a count table made wrong on purpose shows through: the page's numbers come from it
    copy = tmp_path / "kb.db"
    shutil.copy(kb_path, copy)
    write(copy, "update article_counts set rows = rows + 1000 where source_id = 'herald'")
    data = get(datasette_app(copy, immutable=True), "/kb/articles.json", source_id="herald").json()
    right = sqlite3.connect(kb_path).execute("select count(*) from articles where source_id = 'herald'").fetchone()[0]
    assert data["filtered_table_rows_count"] == right + 1000
    assert [(v["value"], v["count"]) for v in data["facet_results"]["source_id"]["results"]] == [("herald", right + 1000)]
    # a filter the count tables cannot answer (a range) is counted by Datasette from the rows
    ranged = get(datasette_app(copy, immutable=True), "/kb/articles.json", source_id="herald", id__gt="0").json()
    assert ranged["filtered_table_rows_count"] == right


def test_a_row_page_still_counts_the_rows_pointing_at_it_when_that_is_quick(kb_path):
    data = get(datasette_app(kb_path, immutable=True), "/kb/sources/herald.json", _extras="foreign_key_tables").json()
    counts = {(t["other_table"], t["other_column"]): t["count"] for t in data["foreign_key_tables"]}
    right = sqlite3.connect(kb_path).execute("select count(*) from articles where source_id = 'herald'").fetchone()[0]
    assert counts[("articles", "source_id")] == right > 0
