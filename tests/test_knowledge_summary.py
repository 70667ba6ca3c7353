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


# ------------------------------------------------------------------ price changes and executive moves (migration 015)
# The two queries as they read prices and events before price_change_reports and the move indexes: the rows the
# new ones must give, for every parameter.
PRICE_CHANGES_BY_PAIRING = """
with pairs as (
  select o.article_id, o.model_id, o.kind, o.amount * 1000000.0 / coalesce(o.per_tokens, 1000000) as old_amount,
    n.amount * 1000000.0 / coalesce(n.per_tokens, 1000000) as new_amount, n.currency,
    case when n.per_tokens is not null then 'per 1M tokens' else 'per ' || coalesce(n.period, n.unit, '?') end as unit,
    n.evidence, n.reported,
    coalesce((select min(e.date) from events e where e.article_id = n.article_id and e.model_id = n.model_id
              and e.type = 'price_change' and e.date is not null), a.published_date) as date,
    exists (select 1 from events e where e.article_id = n.article_id and e.model_id = n.model_id
            and e.type = 'price_change' and e.date is not null) as date_stated,
    a.published_date, a.source_id
  from prices o
    join prices n on n.id = (select min(x.id) from prices x where x.article_id = o.article_id and x.model_id = o.model_id
      and x.kind = o.kind and x.change = 'new' and x.id > o.id and coalesce(x.currency, '') = coalesce(o.currency, ''))
    join articles a on a.id = o.article_id
  where o.change = 'old' and o.amount is not null and n.amount is not null and o.amount != n.amount
),
per_article as (
  select article_id, model_id, currency, unit, min(date) as date, max(date_stated) as date_stated, published_date,
    source_id, max(reported) as reported,
    group_concat(replace(kind, '_', ' ') || ' ' || (case when currency = 'USD' then '$' else '' end || case when old_amount = cast(old_amount as integer) then printf('%,d', cast(old_amount as integer)) when currency = 'USD' and round(old_amount, 2) = old_amount then printf('%,d', cast(old_amount as integer)) || substr(printf('%.2f', old_amount - cast(old_amount as integer)), 2) else printf('%,d', cast(old_amount as integer)) || rtrim(substr(printf('%.6f', old_amount - cast(old_amount as integer)), 2), '0') end || case when currency = 'USD' then '' else ' ' || coalesce(currency, '') end) || ' → ' || (case when currency = 'USD' then '$' else '' end || case when new_amount = cast(new_amount as integer) then printf('%,d', cast(new_amount as integer)) when currency = 'USD' and round(new_amount, 2) = new_amount then printf('%,d', cast(new_amount as integer)) || substr(printf('%.2f', new_amount - cast(new_amount as integer)), 2) else printf('%,d', cast(new_amount as integer)) || rtrim(substr(printf('%.6f', new_amount - cast(new_amount as integer)), 2), '0') end || case when currency = 'USD' then '' else ' ' || coalesce(currency, '') end)
      || ' (' || case when new_amount < old_amount then '−' else '+' end
      || cast(round(abs(new_amount - old_amount) * 100.0 / old_amount) as integer) || '%)', '; ') as prices,
    sum(new_amount < old_amount) as cuts, sum(new_amount > old_amount) as increases
  from (select distinct * from pairs
        order by case kind when 'input' then 1 when 'output' then 2 when 'cached_input' then 3 else 4 end, kind)
  group by article_id, model_id, currency, unit
),
changes as (
  -- several outlets reporting the same old and new prices of a model report one change
  select model_id, currency, unit, prices, coalesce(min(case when date_stated then date end), min(date)) as date,
    max(date_stated) as date_stated, count(*) as reports, count(distinct source_id) as outlets,
    min(published_date || ' ' || printf('%012d', article_id)) as first, max(cuts) as cuts, max(increases) as increases
  from per_article group by model_id, currency, unit, prices
)
select ch.date, case when ch.cuts and not ch.increases then 'cut' when ch.increases and not ch.cuts then 'increase' else 'mixed' end as direction,
  m.name as model, ch.model_id, co.name as company, m.developer_id as company_id, ch.prices, ch.unit,
  case when ch.date_stated then 'stated in the article' else 'publication day' end as dated_by,
  ch.reports, ch.outlets, case when fp.reported = 1 then 'reported by ' else '' end || s.name as outlet,
  a.title as article, a.id as article_id, a.url, fp.evidence
from changes ch
  join entities m on m.id = ch.model_id
  left join entities co on co.id = m.developer_id
  left join articles a on a.id = cast(substr(ch.first, length(ch.first) - 11) as integer)
  left join sources s on s.id = a.source_id
  left join prices fp on fp.id = (select min(id) from prices where article_id = a.id and model_id = ch.model_id and change = 'new')
where (:year = '' or ch.date like :year || '%')
  and (:direction = '' or (:direction = 'cut' and ch.cuts and not ch.increases) or (:direction = 'increase' and ch.increases and not ch.cuts))
order by ch.date desc, m.name
"""

EXECUTIVE_MOVES_BY_SCAN = """
with named as (
  select id from entities where id = :company or name = :company collate nocase
  union select entity_id from aliases where alias = :company collate nocase
),
target as (select coalesce(r.new_id, n.id) as id from named n left join entity_redirects r on r.old_id = n.id),
moves as (
  select c.*, e.details, e.evidence, e.reported, e.article_id as event_article_id,
    -- the extractor's details of a move: {"from": company id, "to": company id, "role": ...}
    coalesce(json_extract(e.details, '$.from'), json_extract(e.details, '$.from_company_id')) as from_id,
    coalesce(json_extract(e.details, '$.to'), json_extract(e.details, '$.to_company_id')) as to_id,
    coalesce(json_extract(e.details, '$.role') || coalesce(' at ' || (select name from entities where id = json_extract(e.details, '$.role_at')), ''),
      (select r.role from person_roles r where r.article_id = e.article_id and r.person_id = c.person_id limit 1)) as role
  from event_clusters c
    left join events e on e.id = (select r.event_id from event_reports r where r.cluster_id = c.id order by r.is_first desc, r.event_id limit 1)
  where c.status = 'active' and c.type = 'executive_change' and c.person_id is not null
)
select mv.date, p.name as person, mv.person_id, mv.role, f.name as from_company, mv.from_id as from_company_id,
  t.name as to_company, mv.to_id as to_company_id,
  case when f.id is null and t.id is null then co.name end as company, mv.company_id,
  mv.reports, case when mv.reported = 1 then 'reported by ' else '' end || s.name as outlet,
  a.title as article, a.id as article_id, a.url, mv.evidence
from moves mv
  join entities p on p.id = mv.person_id and p.type = 'person'
  left join entities f on f.id = mv.from_id
  left join entities t on t.id = mv.to_id
  left join entities co on co.id = mv.company_id
  left join articles a on a.id = mv.event_article_id
  left join sources s on s.id = a.source_id
where :company = '' or mv.company_id in (select id from target) or mv.from_id in (select id from target)
  or mv.to_id in (select id from target)
order by mv.date desc, p.name
"""


def run_sql(db, sql: str, **params: str) -> list[dict]:
    """Rows of ``sql`` as dicts, every parameter it names empty unless given."""
    values = {p: "" for p in re.findall(r"(?<!:):([a-zA-Z_]\w*)", sql)}
    values.update(params)
    cursor = db.execute(sql, values)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def assert_same_rows(db, query: str, old_sql: str, **params: str) -> list[dict]:
    """The canned query gives the rows of its old SQL (in the page's order of dates; ties in any order)."""
    sql = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["kb"]["queries"][query]["sql"]
    new, old = run_sql(db, sql, **params), run_sql(db, old_sql, **params)
    assert sorted(map(repr, new)) == sorted(map(repr, old)), params
    dates = [row["date"] or "" for row in new]
    assert dates == sorted(dates, reverse=True)
    return new


def copy_of(db, path):
    from kb.store import open_db

    copy = open_db(path)
    db.conn.commit()
    db.conn.backup(copy.conn)
    return copy


def test_price_changes_group_the_outlets_that_report_one_change(kb):
    rows = run_sql(kb, PRICE_CHANGES_BY_PAIRING)
    assert any(row["reports"] > 1 for row in rows)  # the demo's o3 cut, told by two outlets (one relaying the other)
    assert kb.execute("select count(*) from price_change_reports").fetchone()[0] > len(rows)


@pytest.mark.parametrize("year", ["", "2024", "2025", "2025-06", "2023"])
@pytest.mark.parametrize("direction", ["", "cut", "increase"])
def test_price_changes_are_the_rows_of_the_old_pairing(kb, year, direction):
    rows = assert_same_rows(kb, "price_changes", PRICE_CHANGES_BY_PAIRING, year=year, direction=direction)
    if year in ("", "2025") and direction != "increase":
        assert rows


def test_price_changes_follow_added_revised_and_removed_articles(kb, tmp_path):
    from kb.knowledge.summary import refresh_price_changes, update_summaries
    from kb.store.pending import mark_changing, mark_new

    db = copy_of(kb, tmp_path / "kb.db")
    db.execute("delete from refresh_pending")
    model, source = db.execute("select model_id, source_id from price_change_reports order by article_id limit 1").fetchone()
    grouped = [r[0] for r in db.execute(
        "select article_id from price_change_reports where (model_id, prices) in (select model_id, prices from "
        "price_change_reports group by 1, 2 having count(*) > 1) order by article_id")]
    # a new article states an increase of one kind and a cut of another (a mixed change), one an increase alone
    added = db.execute("select max(id) from articles").fetchone()[0] + 1
    for article_id, day in ((added, "2025-09-01"), (added + 1, "2025-10-02")):
        db["articles"].insert({"id": article_id, "url": f"https://wire.example/{article_id}", "source_id": source,
                               "title": "Prices move", "text": "The lab moved its prices.", "published_date": day})
        mark_new(db, article_id)
    steps = [(added, "input", 1.0, 1.5), (added, "output", 8.0, 6.0), (added + 1, "input", 2.0, 3.0)]
    for article_id, kind, old, new in steps:
        for change, amount in (("old", old), ("new", new)):
            db["prices"].insert({"article_id": article_id, "model_id": model, "kind": kind, "amount": amount,
                                 "currency": "USD", "per_tokens": 1_000_000, "change": change, "evidence": "It moved."})
    # one outlet of the grouped change now states another new price; the other no longer states the old one
    mark_changing(db, grouped[0])
    db.execute("update prices set amount = amount + 1 where article_id = ? and change = 'new'", [grouped[0]])
    mark_changing(db, grouped[1])
    db.execute("delete from prices where article_id = ? and change = 'old'", [grouped[1]])
    update_summaries(db, [dict(row) for row in db.query("select * from refresh_pending")])
    kept = sorted(db.execute("select * from price_change_reports").fetchall(), key=repr)
    refresh_price_changes(db)
    assert sorted(db.execute("select * from price_change_reports").fetchall(), key=repr) == kept
    directions = set()
    for year in ("", "2025", "2025-09"):
        for direction in ("", "cut", "increase"):
            rows = assert_same_rows(db, "price_changes", PRICE_CHANGES_BY_PAIRING, year=year, direction=direction)
            directions |= {row["direction"] for row in rows}
    assert directions == {"cut", "increase", "mixed"}
    assert not any(row["reports"] > 1 for row in run_sql(db, PRICE_CHANGES_BY_PAIRING))


def test_executive_moves_are_the_rows_of_the_old_query_for_every_company(kb):
    named = {r[0] for r in kb.execute(
        "select company_id from events where type = 'executive_change' union "
        "select json_extract(details, '$.from') from events where type = 'executive_change' union "
        "select json_extract(details, '$.to') from events where type = 'executive_change'") if r[0]}
    names = {r[0] for r in kb.execute(f"select name from entities where id in ({','.join('?' * len(named))}) union "
                                      f"select alias from aliases where entity_id in ({','.join('?' * len(named))})",
                                      [*named, *named])}
    found = 0
    for company in ["", *sorted(named), *sorted(names), "Nobody Inc"]:
        found += len(assert_same_rows(kb, "executive_moves", EXECUTIVE_MOVES_BY_SCAN, company=company))
    everyone = run_sql(kb, EXECUTIVE_MOVES_BY_SCAN)
    assert any(row["from_company_id"] and row["from_company_id"] != row["company_id"] for row in everyone)
    assert found > 2 * len(named)


def test_executive_moves_of_a_company_read_the_move_indexes(kb):
    sql = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["kb"]["queries"]["executive_moves"]["sql"]
    plan = [row[3] for row in kb.execute(f"explain query plan {sql}", {"company": "OpenAI"})]
    assert any("idx_events_move_from" in step for step in plan) and any("idx_events_move_to" in step for step in plan)
    # neither every move nor every event (the moves of every company, `ev`, are read only when no company is asked:
    # their constant condition skips them otherwise; tests/test_publish_first_page.py)
    assert not [step for step in plan if re.match(r"SCAN (c|e)\b", step)]
