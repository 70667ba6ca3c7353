"""Summary tables the site reads instead of scanning ``mentions`` and ``articles`` (issue 13).

At 100,000 articles ``mentions`` holds ~3 M rows; an entity page that counts an
entity's articles, its co-mentions or its first appearance from them takes seconds
(and failed with HTTP 500 for the most-mentioned names). :func:`refresh_summaries`
recomputes, in the refresh's transaction:

- ``entity_months``: per entity and month (YYYY-MM, '' when undated), the articles that name it;
- ``entity_stats``: per entity, its articles, first and last publication day, the first article
  (earliest published, then lowest id) and when that was first crawled;
- ``co_mentions``: per pair of reviewed entities (``status = 'gazetteer'``) and month, the
  articles that name both; each pair is stored in both directions, so "with whom is X named"
  is one index range.

They are derived like the other knowledge tables: recomputed whole, same result every time.
"""

from __future__ import annotations

import sqlite_utils

__all__ = ["SUMMARY_TABLES", "create_summary_tables", "refresh_summaries"]

SUMMARY_TABLES = ("entity_months", "entity_stats", "co_mentions")


def create_summary_tables(db: sqlite_utils.Database) -> None:
    """The tables and the indexes the site's queries read them by."""
    db.execute("create table if not exists entity_months (entity_id text not null, month text not null, "
               "articles integer not null, primary key (entity_id, month)) without rowid")
    db.execute("create index if not exists idx_entity_months_month on entity_months (month, articles)")
    db.execute("create table if not exists entity_stats (entity_id text primary key, articles integer not null, "
               "first_seen text, last_seen text, first_article_id integer, first_crawled text)")
    db.execute("create index if not exists idx_entity_stats_first_seen on entity_stats (first_seen)")
    db.execute("create index if not exists idx_entity_stats_articles on entity_stats (articles)")
    db.execute("create table if not exists co_mentions (entity_id text not null, other_id text not null, "
               "month text not null, articles integer not null, primary key (entity_id, month, other_id)) without rowid")
    db.execute("create index if not exists idx_co_mentions_month on co_mentions (month)")
    # the candidates of one entity's articles, newest first: a covering index for the Articles section
    db.execute("create index if not exists idx_mentions_entity_article on mentions (entity_id, article_id)")


def refresh_summaries(db: sqlite_utils.Database) -> None:
    """Recompute the three summary tables from ``mentions``, ``articles`` and ``entities``."""
    create_summary_tables(db)
    for table in SUMMARY_TABLES:
        db.execute(f"delete from {table}")
    db.execute("drop table if exists temp.kb_entity_articles")
    db.execute("drop table if exists temp.kb_reviewed_articles")
    # one row per (entity, article) with the article's dates: everything below reads this once
    db.execute(
        "create temp table kb_entity_articles as "
        "select distinct m.entity_id, m.article_id, coalesce(substr(a.published_date, 1, 7), '') as month, "
        "  a.published_date, a.first_seen "
        "from mentions m join articles a on a.id = m.article_id")
    db.execute(
        "insert into entity_months (entity_id, month, articles) "
        "select entity_id, month, count(*) from temp.kb_entity_articles group by entity_id, month")
    db.execute(
        "insert into entity_stats (entity_id, articles, first_seen, last_seen, first_article_id, first_crawled) "
        "select entity_id, count(*), min(published_date), max(published_date), "
        "  min(case when rank = 1 then article_id end), min(first_seen) "
        "from (select *, row_number() over (partition by entity_id "
        "        order by published_date is null, published_date, article_id) as rank "
        "      from temp.kb_entity_articles) group by entity_id")
    db.execute(
        "create temp table kb_reviewed_articles as select entity_id, article_id, month from temp.kb_entity_articles "
        "where entity_id in (select id from entities where status = 'gazetteer')")
    db.execute("create index temp.kb_reviewed_by_article on kb_reviewed_articles (article_id, entity_id)")
    db.execute(
        "insert into co_mentions (entity_id, other_id, month, articles) "
        "select x.entity_id, y.entity_id, x.month, count(*) "
        "from temp.kb_reviewed_articles x join temp.kb_reviewed_articles y "
        "  on y.article_id = x.article_id and y.entity_id != x.entity_id "
        "group by x.entity_id, x.month, y.entity_id")
    db.execute("drop table temp.kb_entity_articles")
    db.execute("drop table temp.kb_reviewed_articles")
