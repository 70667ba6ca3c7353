"""Summary tables the site reads instead of scanning ``mentions`` and ``articles`` (issue 13).

At 100,000 articles ``mentions`` holds ~3 M rows; an entity page that counts an
entity's articles, its co-mentions or its first appearance from them takes seconds
(and failed with HTTP 500 for the most-mentioned names). :func:`refresh_summaries`
recomputes, in the refresh's transaction:

- ``entity_months``: per entity and month (YYYY-MM, '' when undated), the articles that name it;
- ``entity_weeks``: per entity and week (its Monday, YYYY-MM-DD; dated articles only), the articles
  that name it: the company page's weekly chart;
- ``entity_stats``: per entity, its articles, first and last publication day, the first article
  (earliest published, then lowest id) and when that was first crawled;
- ``co_mentions``: per pair of reviewed entities (``status = 'gazetteer'``) and month, the
  articles that name both; each pair is stored in both directions, so "with whom is X named"
  is one index range.

``price_change_reports`` (one row per article, model, currency and unit whose old and new prices the article states)
is kept with them: the *Price changes* query groups it into changes instead of pairing every old price of the KB
with its new one on each view.

The count tables (``article_counts``, ``event_counts``, ``price_counts``: rows per value of the columns a
table page facets by) are kept by triggers instead (:func:`create_count_tables`).

The summary tables are derived like the other knowledge tables: recomputed whole, same result every time; or, after
a crawl, updated for the articles stored since the last refresh (:func:`update_summaries`), to the same result.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlite_utils

from kb.knowledge.scope import id_set

__all__ = ["COUNT_TABLES", "MOVE_ENDS", "SUMMARY_TABLES", "create_count_tables", "create_move_indexes",
           "create_summary_tables", "refresh_counts", "refresh_entity_names", "refresh_entity_weeks",
           "refresh_price_changes", "refresh_summaries", "update_summaries", "week_of"]

SUMMARY_TABLES = ("entity_months", "entity_stats", "co_mentions", "entity_weeks")


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
    db.execute("create table if not exists entity_weeks (entity_id text not null, week text not null, "
               "articles integer not null, primary key (entity_id, week)) without rowid")
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
    _insert_weeks(db, "temp.kb_entity_articles")
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
    refresh_price_changes(db)
    if db["article_counts"].exists():  # the tables of migration 013 kept by triggers (rebuilt here too, after a bulk load)
        refresh_counts(db)
    if db["entity_names"].exists():
        refresh_entity_names(db)


# The Monday of a publication day's week, as the weekly chart groups articles (SQLite and Python alike).
_WEEK = "date(published_date, '-6 days', 'weekday 1')"


def week_of(published_date: str | None) -> str | None:
    """The Monday (YYYY-MM-DD) of the week of ``published_date``; None for no date or one SQLite cannot read."""
    try:
        day = date.fromisoformat((published_date or "")[:10])
    except ValueError:
        return None
    return (day - timedelta(days=day.weekday())).isoformat()


def refresh_entity_weeks(db: sqlite_utils.Database) -> None:
    """Recompute ``entity_weeks`` alone (migration 013 adds it to a KB whose other summaries are current)."""
    create_summary_tables(db)
    db.execute("delete from entity_weeks")
    _insert_weeks(db, "(select distinct m.entity_id, m.article_id, a.published_date from mentions m "
                      "join articles a on a.id = m.article_id)")


def _insert_weeks(db: sqlite_utils.Database, entity_articles: str) -> None:
    """``entity_weeks`` from rows (entity_id, article_id, published_date), one per entity and article."""
    db.execute(f"insert into entity_weeks (entity_id, week, articles) select entity_id, {_WEEK} as week, count(*) "
               f"from {entity_articles} where published_date is not null group by entity_id, week having week is not null")


def update_summaries(db: sqlite_utils.Database, pending: list[dict]) -> None:
    """Bring the summary tables up to date for the articles of ``pending`` (rows of ``refresh_pending``) alone.

    Each article's former contribution (what ``refresh_pending`` recorded) is taken away and its present one
    added: counts move by ±1; a first or last day, first article or first crawl that a removal could change
    is recomputed for that entity alone. The result is what :func:`refresh_summaries` gives.

    The changes are worked out in temporary tables, by SQL, not in Python collections: a crawl's step of 5,000
    articles names ~100,000 (entity, article) pairs and many more co-mentions (their counters held 7 MB more
    than the rest of the refresh's peak at 20,000 articles).
    """
    create_summary_tables(db)
    if not pending:
        return
    refresh_price_changes(db, [row["article_id"] for row in pending])
    _facts(db, pending)
    month = "coalesce(substr(published_date, 1, 7), '')"
    _add_counts(db, "entity_months", ("entity_id", "month"),
                f"select entity_id, {month} as month, sum(sign) as n from temp.kb_summary_facts group by 1, 2")
    _add_counts(db, "entity_weeks", ("entity_id", "week"),
                f"select entity_id, {_WEEK} as week, sum(sign) as n from temp.kb_summary_facts "
                "where published_date is not null group by 1, 2 having week is not null")
    # the pairs of one state (old or new) of one article, of reviewed entities
    db.execute("drop table if exists temp.kb_summary_reviewed")
    db.execute(f"create temp table kb_summary_reviewed as select f.entity_id, f.article_id, f.sign, {month} as month "
               "from temp.kb_summary_facts f join entities e on e.id = f.entity_id where e.status = 'gazetteer'")
    db.execute("create index temp.kb_summary_reviewed_article on kb_summary_reviewed (article_id, sign, entity_id)")
    _add_counts(db, "co_mentions", ("entity_id", "month", "other_id"),
                "select x.entity_id as entity_id, x.month as month, y.entity_id as other_id, sum(x.sign) as n "
                "from temp.kb_summary_reviewed x "
                "join temp.kb_summary_reviewed y on y.article_id = x.article_id and y.sign = x.sign "
                "and y.entity_id != x.entity_id group by x.entity_id, x.month, y.entity_id")
    # what each entity no longer counts and what it counts anew (an article that names it as before: neither)
    facts = "select entity_id, published_date, article_id, first_seen from temp.kb_summary_facts where sign = {}"
    for name, sign, other in (("gone", -1, 1), ("came", 1, -1)):
        db.execute(f"drop table if exists temp.kb_summary_{name}")
        db.execute(f"create temp table kb_summary_{name} as {facts.format(sign)} except {facts.format(other)}")
        db.execute(f"create index temp.kb_summary_{name}_entity on kb_summary_{name} (entity_id)")
    last = ""
    while True:  # the entities a few hundred at a time, in order: no list of every one
        entities = [row[0] for row in db.execute(
            "select entity_id from temp.kb_summary_gone where entity_id > ? union "
            "select entity_id from temp.kb_summary_came where entity_id > ? order by 1 limit 500", [last, last])]
        if not entities:
            break
        for entity in entities:
            gone, came = ([tuple(row) for row in db.execute(
                f"select published_date, article_id, first_seen from temp.kb_summary_{name} where entity_id = ?", [entity])]
                for name in ("gone", "came"))
            _update_stats(db, entity, gone, came)
        last = entities[-1]
    for name in ("facts", "reviewed", "gone", "came", "deltas", "articles"):
        db.execute(f"drop table if exists temp.kb_summary_{name}")


def _facts(db: sqlite_utils.Database, pending: list[dict]) -> None:
    """``temp.kb_summary_facts``: (entity, article, its day, its first crawl, -1) for what ``pending`` recorded as
    counted, and (..., +1) for what the articles name now."""
    db.execute("drop table if exists temp.kb_summary_facts")
    db.execute("create temp table kb_summary_facts (entity_id text, article_id integer, published_date text, "
               "first_seen text, sign integer)")
    db.conn.executemany("insert into temp.kb_summary_facts values (?, ?, ?, ?, -1)",
                        ((entity, row["article_id"], row["published_date"], row["first_seen"])
                         for row in pending if row["counted"] for entity in set(json.loads(row["entities"] or "[]"))))
    articles = id_set(db, "kb_summary_articles", (row["article_id"] for row in pending))
    db.execute("insert into temp.kb_summary_facts select distinct m.entity_id, a.id, a.published_date, a.first_seen, 1 "
               f"from articles a join mentions m on m.article_id = a.id where a.id in {articles}")


def _add_counts(db: sqlite_utils.Database, table: str, key: tuple[str, ...], deltas: str) -> None:
    """Add to ``table`` the counts that ``deltas`` selects (the key's columns by name, and ``n``); a row whose
    count comes to nothing goes."""
    columns = ", ".join(key)
    db.execute("drop table if exists temp.kb_summary_deltas")
    db.execute(f"create temp table kb_summary_deltas as {deltas}")
    db.execute(f"insert into {table} ({columns}, articles) select {columns}, n from temp.kb_summary_deltas "
               "where n != 0 on conflict do update set articles = articles + excluded.articles")
    db.execute(f"delete from {table} where ({columns}) in (select {columns} from temp.kb_summary_deltas where n < 0) "
               "and articles <= 0")


def _rank(fact: tuple) -> tuple:
    """The order of an entity's articles for its first one: dated before undated, earliest, lowest id."""
    published, article_id, _ = fact
    return (published is None, published or "", article_id)


def _update_stats(db: sqlite_utils.Database, entity: str, gone: list[tuple], came: list[tuple]) -> None:
    row = db.execute("select articles, first_seen, last_seen, first_article_id, first_crawled from entity_stats "
                     "where entity_id = ?", [entity]).fetchone()
    if row is None and not gone:
        count, first, last, crawled = len(came), None, None, None
        first_article = min(came, key=_rank)
        dated = [f[0] for f in came if f[0]]
        first, last = (min(dated), max(dated)) if dated else (None, None)
        stamps = [f[2] for f in came if f[2]]
        crawled = min(stamps) if stamps else None
        db.execute("insert into entity_stats (entity_id, articles, first_seen, last_seen, first_article_id, first_crawled) "
                   "values (?, ?, ?, ?, ?, ?)", [entity, count, first, last, first_article[1], crawled])
        return
    if row is None or any(f[1] == row[3] or (f[0] and f[0] in (row[1], row[2])) or (f[2] and f[2] == row[4]) for f in gone):
        _recount(db, entity)  # what was taken away may have been the first or the last
        return
    count, first, last, first_article, crawled = row
    first_key = (first is None, first or "", first_article)
    for fact in came:
        published, article_id, stamp = fact
        if _rank(fact) < first_key:
            first_key, first_article = _rank(fact), article_id
        if published:
            first = min(first, published) if first else published
            last = max(last, published) if last else published
        if stamp:
            crawled = min(crawled, stamp) if crawled else stamp
    db.execute("update entity_stats set articles = ?, first_seen = ?, last_seen = ?, first_article_id = ?, "
               "first_crawled = ? where entity_id = ?",
               [count - len(gone) + len(came), first, last, first_article, crawled, entity])


def _recount(db: sqlite_utils.Database, entity: str) -> None:
    """One entity's row as :func:`refresh_summaries` computes it."""
    db.execute("delete from entity_stats where entity_id = ?", [entity])
    db.execute(
        "insert into entity_stats (entity_id, articles, first_seen, last_seen, first_article_id, first_crawled) "
        "select ?, count(*), min(published_date), max(published_date), "
        "  (select a.id from articles a join mentions m on m.article_id = a.id where m.entity_id = ? "
        "   order by a.published_date is null, a.published_date, a.id limit 1), min(first_seen) "
        "from articles where id in (select article_id from mentions where entity_id = ?) having count(*) > 0",
        [entity, entity, entity])


# ------------------------------------------------------------------ price changes

# An article states a price change when it gives an old and a new price of the same model, kind and currency:
# each "old" price is paired with the next "new" one after it. One row per article, model, currency and unit, its
# kinds' changes written out in order ("input $10 → $2 (−80%); output ..."): several outlets that report the same
# written-out change report one change, grouped by the canned query. Everything here comes from one article's
# prices, events and dates, so the rows of the articles a crawl changed are recomputed alone.
_PRICE_CHANGE_COLUMNS = ("article_id integer not null, model_id text not null, currency text, unit text, date text, "
                         "date_stated integer, published_date text, source_id text, reported integer, prices text, "
                         "cuts integer, increases integer")


def _amount(column: str) -> str:
    """An amount as the page writes it: $10, $0.55, $1.10, 3,100 KRW, 0.0005 CNY."""
    return (f"case when currency = 'USD' then '$' else '' end || case when {column} = cast({column} as integer) "
            f"then printf('%,d', cast({column} as integer)) when currency = 'USD' and round({column}, 2) = {column} "
            f"then printf('%,d', cast({column} as integer)) || substr(printf('%.2f', {column} - cast({column} as integer)), 2) "
            f"else printf('%,d', cast({column} as integer)) || rtrim(substr(printf('%.6f', {column} - cast({column} as integer)), 2), '0') "
            f"end || case when currency = 'USD' then '' else ' ' || coalesce(currency, '') end")


def _price_change_rows(articles: str) -> str:
    """The rows of ``price_change_reports`` for the prices whose ``o.article_id`` satisfies ``articles``."""
    return f"""
    with pairs as (
      select o.article_id, o.model_id, o.kind, o.amount * 1000000.0 / coalesce(o.per_tokens, 1000000) as old_amount,
        n.amount * 1000000.0 / coalesce(n.per_tokens, 1000000) as new_amount, n.currency,
        case when n.per_tokens is not null then 'per 1M tokens' else 'per ' || coalesce(n.period, n.unit, '?') end as unit,
        n.evidence, n.reported,
        -- (+e.model_id: the events of the article, not every event of the model: GPT-4o has 100,000 at 1,000,000 articles)
        coalesce((select min(e.date) from events e where e.article_id = n.article_id and +e.model_id = n.model_id
                  and e.type = 'price_change' and e.date is not null), a.published_date) as date,
        exists (select 1 from events e where e.article_id = n.article_id and +e.model_id = n.model_id
                and e.type = 'price_change' and e.date is not null) as date_stated,
        a.published_date, a.source_id
      from prices o
        join prices n on n.id = (select min(x.id) from prices x where x.article_id = o.article_id and x.model_id = o.model_id
          and x.kind = o.kind and x.change = 'new' and x.id > o.id and coalesce(x.currency, '') = coalesce(o.currency, ''))
        join articles a on a.id = o.article_id
      where o.change = 'old' and o.amount is not null and n.amount is not null and o.amount != n.amount and {articles}
    )
    select article_id, model_id, currency, unit, min(date) as date, max(date_stated) as date_stated, published_date,
      source_id, max(reported) as reported,
      group_concat(replace(kind, '_', ' ') || ' ' || ({_amount('old_amount')}) || ' → ' || ({_amount('new_amount')})
        || ' (' || case when new_amount < old_amount then '−' else '+' end
        || cast(round(abs(new_amount - old_amount) * 100.0 / old_amount) as integer) || '%)', '; ') as prices,
      sum(new_amount < old_amount) as cuts, sum(new_amount > old_amount) as increases
    from (select distinct * from pairs
          order by case kind when 'input' then 1 when 'output' then 2 when 'cached_input' then 3 else 4 end, kind)
    group by article_id, model_id, currency, unit"""


def create_price_change_table(db: sqlite_utils.Database) -> None:
    """The table, and the index an article's rows are replaced by."""
    db.execute(f"create table if not exists price_change_reports ({_PRICE_CHANGE_COLUMNS})")
    db.execute("create index if not exists idx_price_change_reports_article on price_change_reports (article_id)")


def refresh_price_changes(db: sqlite_utils.Database, article_ids: list[int] | None = None) -> None:
    """Recompute ``price_change_reports`` for these articles (None: for every article)."""
    create_price_change_table(db)
    columns = "article_id, model_id, currency, unit, date, date_stated, published_date, source_id, reported, prices, cuts, increases"
    if article_ids is None:
        db.execute("delete from price_change_reports")
        db.execute(f"insert into price_change_reports ({columns}) {_price_change_rows('1')}")
        return
    ids = json.dumps(sorted(set(article_ids)))
    chosen = "article_id in (select value from json_each(:ids))"
    db.execute(f"delete from price_change_reports where {chosen}", {"ids": ids})
    db.execute(f"insert into price_change_reports ({columns}) {_price_change_rows('o.' + chosen)}", {"ids": ids})


# The company a move is from or to, as the Executive moves query reads it from an event's details (the query
# writes the same expressions, so that SQLite finds them in these indexes).
MOVE_ENDS = {end: f"(case when json_valid(details) then coalesce(json_extract(details, '$.{end}'), "
                  f"json_extract(details, '$.{end}_company_id')) end)" for end in ("from", "to")}


def create_move_indexes(db: sqlite_utils.Database) -> None:
    """Partial indexes of executive changes by the company they name as from and as to."""
    for end, expression in MOVE_ENDS.items():
        db.execute(f"create index if not exists idx_events_move_{end} on events ({expression}) where type = 'executive_change'")


# ------------------------------------------------------------------ facet counts

# Rows per combination of the columns the site facets a table by (metadata.yml), so that a clicked facet
# (one outlet, one language, one company) is counted and faceted from a few thousand rows instead of the
# hundreds of thousands it selects. Kept exact by triggers on every insert, delete and update of the
# table, not by the refresh: the page must show the numbers Datasette's own count would, between refreshes too.
COUNT_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "article_counts": ("articles", ("source_id", "language")),
    "event_counts": ("events", ("company_id", "type")),
    "price_counts": ("prices", ("model_id", "kind", "currency")),
}


def create_count_tables(db: sqlite_utils.Database) -> None:
    """The count tables, their lookup index, and the triggers that keep them equal to a recount."""
    for name, (table, columns) in COUNT_TABLES.items():
        listed = ", ".join(columns)
        db.execute(f"create table if not exists {name} ({', '.join(f'{c} text' for c in columns)}, rows integer not null)")
        db.execute(f"create index if not exists idx_{name}_key on {name} ({listed})")
        for event, rows in (("insert", ("new",)), ("delete", ("old",)), ("update", ("old", "new"))):
            on = f"update of {listed} on {table}" if event == "update" else f"{event} on {table}"
            body = "".join(_count_step(name, columns, row, 1 if row == "new" else -1) for row in rows)
            db.execute(f"create trigger if not exists {name}_{event} after {on} begin {body} end")


def _count_step(name: str, columns: tuple[str, ...], row: str, sign: int) -> str:
    # `is` rather than `=`: a NULL outlet or company is a group of its own, as in Datasette's count
    match = " and ".join(f"{c} is {row}.{c}" for c in columns)
    values = ", ".join(f"{row}.{c}" for c in columns)
    return (f"insert into {name} ({', '.join(columns)}, rows) select {values}, 0 "
            f"where not exists (select 1 from {name} where {match}); "
            f"update {name} set rows = rows + ({sign}) where {match}; "
            + (f"delete from {name} where {match} and rows <= 0; " if sign < 0 else ""))


def refresh_counts(db: sqlite_utils.Database) -> None:
    """Recount the count tables from their tables (after a load that ran without the triggers)."""
    create_count_tables(db)
    for name, (table, columns) in COUNT_TABLES.items():
        listed = ", ".join(columns)
        db.execute(f"delete from {name}")
        db.execute(f"insert into {name} ({listed}, rows) select {listed}, count(*) from {table} group by {listed}")


# ------------------------------------------------------------------ names

def refresh_entity_names(db: sqlite_utils.Database) -> None:
    """``entity_names``: every name, id and alias lower-cased, with a trigram index, and the triggers that keep it."""
    # find_entity (the site search's names) looked for each word inside 60,000 names, ids and aliases with instr():
    # 0.1-0.2 s at 1,000,000 articles. A trigram index of the lower-cased names answers words of 3 characters or
    # more; shorter ones still read every name, here without lower() per row. Kept by triggers, like the FTS index
    # (a removed or renamed name is looked up by a scan: rare, and a name under 3 characters has no trigram).
    db.execute("create virtual table if not exists entity_names using fts5(name, entity_id unindexed, tokenize='trigram')")
    db.execute("delete from entity_names")
    db.execute("insert into entity_names (name, entity_id) select lower(name), id from entities where name is not null "
               "union all select lower(id), id from entities union all select lower(alias), entity_id from aliases")
    names = {"entities": (("name", "id"), ("id", "id")), "aliases": (("alias", "entity_id"),)}
    for table, pairs in names.items():
        insert = "".join(f"insert into entity_names (name, entity_id) select lower(new.{n}), new.{e} where new.{n} is not null; "
                         for n, e in pairs)
        delete = "".join(f"delete from entity_names where rowid = (select rowid from entity_names where name = lower(old.{n}) "
                         f"and entity_id = old.{e} limit 1); " for n, e in pairs)
        changed = " or ".join(f"old.{c} is not new.{c}" for c in dict.fromkeys(c for pair in pairs for c in pair))
        db.execute(f"create trigger if not exists entity_names_{table}_insert after insert on {table} begin {insert} end")
        db.execute(f"create trigger if not exists entity_names_{table}_delete after delete on {table} begin {delete} end")
        db.execute(f"create trigger if not exists entity_names_{table}_update after update on {table} when {changed} "
                   f"begin {delete}{insert} end")
