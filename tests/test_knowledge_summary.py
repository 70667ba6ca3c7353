"""The summary tables the site reads (migration 010) say what a scan of mentions says."""

from __future__ import annotations

import re

import pytest
import yaml

from kb.knowledge import refresh
from kb.parse import parse_bytes
from kb.pipeline import ingest, prepare
from kb.publish import METADATA
from kb.store import open_db

# the co_mentions query as it read mentions before the summary tables: the definition they must keep
CO_MENTIONS_BY_SCAN = """
select substr(a.published_date, 1, 7) as month, p.entity_id, p.other_id, count(*) as articles
from (select distinct m1.article_id, m1.entity_id, m2.entity_id as other_id
      from mentions m1 join mentions m2 on m2.article_id = m1.article_id and m2.entity_id != m1.entity_id) p
  join articles a on a.id = p.article_id
  join entities e on e.id = p.entity_id and e.status = 'gazetteer'
  join entities o on o.id = p.other_id and o.status = 'gazetteer'
group by month, p.entity_id, p.other_id
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory, demo_site, gazetteer):
    db = open_db(tmp_path_factory.mktemp("summary") / "kb.db")
    prepare(db, gazetteer)
    for article in demo_site.articles:
        url = demo_site.article_url(article)
        body = demo_site.get(url.removeprefix(demo_site.base_url)).body
        ingest(db, parse_bytes(body, url=url), gazetteer, html=body)
    refresh(db)
    return db


def canned(db, query: str, **params: str) -> list[tuple]:
    sql = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["kb"]["queries"][query]["sql"]
    values = {p: "" for p in re.findall(r"(?<!:):([a-zA-Z_]\w*)", sql)}
    values.update(params)
    return db.execute(sql, values).fetchall()


def test_entity_stats_count_each_entitys_articles_and_first_article(kb):
    expected = kb.execute(
        "select m.entity_id, count(distinct m.article_id), min(a.published_date), max(a.published_date) "
        "from mentions m join articles a on a.id = m.article_id group by m.entity_id order by 1").fetchall()
    assert len(expected) > 20
    assert kb.execute("select entity_id, articles, first_seen, last_seen from entity_stats order by 1").fetchall() == expected
    for entity_id, first_article_id, first_seen in kb.execute(
            "select entity_id, first_article_id, first_seen from entity_stats"):
        assert kb.execute("select published_date from articles where id = ?", [first_article_id]).fetchone()[0] == first_seen
        assert kb.execute("select 1 from mentions where article_id = ? and entity_id = ?", [first_article_id, entity_id]).fetchone()


def test_entity_months_add_up_to_the_entitys_articles(kb):
    assert kb.execute("select entity_id, sum(articles) from entity_months group by 1 order by 1").fetchall() == \
        kb.execute("select entity_id, articles from entity_stats order by 1").fetchall()


def test_co_mentions_table_is_the_scan_of_mentions(kb):
    scanned = sorted(kb.execute(CO_MENTIONS_BY_SCAN).fetchall())
    assert len(scanned) > 20
    assert sorted(kb.execute("select month, entity_id, other_id, articles from co_mentions").fetchall()) == scanned


def test_co_mentions_query_lists_one_entitys_pairs_and_every_pair_once(kb):
    top = kb.execute("select entity_id from co_mentions group by 1 order by sum(articles) desc limit 1").fetchone()[0]
    rows = canned(kb, "co_mentions", name=top)
    assert rows and {row[2] for row in rows} == {top}
    everyone = canned(kb, "co_mentions")
    assert all(row[2] < row[5] for row in everyone)
    pairs = kb.execute("select count(*) from co_mentions where entity_id < other_id").fetchone()[0]
    shown = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["settings"]["max_returned_rows"]
    assert len(everyone) == min(pairs, shown)  # the page shows max_returned_rows at most; the query stops there


def test_refresh_recomputes_summaries_after_facts_change(kb):
    entity_id, articles = kb.execute("select entity_id, articles from entity_stats order by articles desc limit 1").fetchone()
    article_id = kb.execute("select article_id from mentions where entity_id = ? limit 1", [entity_id]).fetchone()[0]
    kb.execute("delete from mentions where article_id = ? and entity_id = ?", [article_id, entity_id])
    kb.conn.commit()
    refresh(kb)
    assert kb.execute("select articles from entity_stats where entity_id = ?", [entity_id]).fetchone()[0] == articles - 1


# the chart's weekly counts as it read mentions before entity_weeks: the definition the table must keep
WEEKS_BY_SCAN = """
select m.entity_id, date(a.published_date, '-6 days', 'weekday 1') as week, count(distinct a.id)
from mentions m join articles a on a.id = m.article_id where a.published_date is not null
group by m.entity_id, week order by 1, 2
"""


def test_entity_weeks_are_the_scan_of_mentions(kb):
    scanned = kb.execute(WEEKS_BY_SCAN).fetchall()
    assert len(scanned) > 20
    assert kb.execute("select entity_id, week, articles from entity_weeks order by 1, 2").fetchall() == scanned


def test_entity_weeks_stay_the_scan_through_incremental_updates(tmp_path):
    from kb.knowledge.summary import refresh_summaries, update_summaries, week_of
    from kb.store.pending import mark_changing, mark_new

    db = open_db(tmp_path / "kb.db")
    db["entities"].insert_all([{"id": e, "type": "company", "name": e.title(), "status": "gazetteer"} for e in ("alpha", "beta")])
    days = ["2025-03-02", "2025-03-03", "2025-03-09", "2025-03-10", None, "2024-12-30"]  # Sunday, Monday, ..., a year's edge
    for i, day in enumerate(days, start=1):
        db["articles"].insert({"id": i, "url": f"https://news.example/{i}", "title": "t", "text": "x", "published_date": day})
        db["mentions"].insert_all([{"article_id": i, "entity_id": "alpha", "text": "Alpha", "start": 0, "end": 5}]
                                  + ([{"article_id": i, "entity_id": "beta", "text": "Beta", "start": 6, "end": 10}] if i % 2 else []))
    refresh_summaries(db)
    db.execute("delete from refresh_pending")
    mark_changing(db, 2)  # moved to another week, and now names beta too
    db.execute("update articles set published_date = '2025-03-17' where id = 2")
    db["mentions"].insert({"article_id": 2, "entity_id": "beta", "text": "Beta", "start": 6, "end": 10})
    mark_changing(db, 3)  # no longer names anyone
    db.execute("delete from mentions where article_id = 3")
    db["articles"].insert({"id": 7, "url": "https://news.example/7", "title": "t", "text": "x", "published_date": "2025-03-16"})
    mark_new(db, 7)
    db["mentions"].insert({"article_id": 7, "entity_id": "alpha", "text": "Alpha", "start": 0, "end": 5})
    update_summaries(db, [dict(row) for row in db.query("select * from refresh_pending")])
    assert db.execute("select entity_id, week, articles from entity_weeks order by 1, 2").fetchall() == \
        db.execute(WEEKS_BY_SCAN).fetchall()
    assert week_of("2025-03-02") == "2025-02-24" and week_of("2025-03-03") == "2025-03-03" and week_of(None) is None
