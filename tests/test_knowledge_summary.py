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
