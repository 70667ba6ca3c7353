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
    page = get(site, "/kb/articles", _search="딥시크", language="ko")
    assert page.status_code == 200 and 'value="딥시크"' in page.text  # the box still shows the search
    rows = get(site, "/kb/articles.json", _search="딥시크", _shape="array")
    assert rows.status_code == 200 and rows.json()


def table_search(path, **params) -> dict:
    from kb.publish import datasette_app

    return get(datasette_app(path, immutable=True), f"/{path.stem}/articles.json", _shape="objects", **params).json()


def test_table_search_as_json_lists_what_search_articles_finds(small_kbs):
    for path in small_kbs.values():
        expected, _ = run(path, "search_articles", {"q": "딥시크", "sort": ""})
        data = table_search(path, _search="딥시크", _size="max", _facet="language")
        assert sorted(row["id"] for row in data["rows"]) == sorted(r[0] for r in expected) and len(expected) == 100
        # counted and faceted over those rows alone, not every match (every article names 딥시크)
        assert data["filtered_table_rows_count"] == 100
        assert [(v["value"], v["count"]) for v in data["facet_results"]["language"]["results"]] == [("en", 100)]
        assert [row["published"] for row in data["rows"]] == sorted((row["published"] for row in data["rows"]), reverse=True)


def test_table_search_finds_a_two_character_korean_word_and_only_where_it_is(small_kbs):
    for path in small_kbs.values():
        found = table_search(path, _search="구글", _size="max")
        assert found["rows"] and all(row["id"] % 9 == 0 and "구글" in row["text"] for row in found["rows"])
        assert table_search(path, _search="구굴")["rows"] == []
        # with a filter and a second word: still only the articles with every word
        both = table_search(path, _search="구글 SmallCo", source_id="wire", _size="max")
        articles = int(path.stem.removeprefix("kb"))
        assert sorted(row["id"] for row in both["rows"]) == [i for i in range(1, articles + 1) if i % (9 * 97) == 0]


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


# ------------------------------------------------------------------ queries that must not grow with the KB
# A small KB written directly (our own sentences): a frequent company named in every article, a rare one in
# a few, a person whose role is stated in every article, events with and without a date. The canned queries
# are run as Datasette runs them; the SQLite instructions they take (a progress handler) measure their work.

FILLER = ("The lab said the new model answers faster and costs less to run than the last one. "
          "Analysts expect rivals to answer with cuts of their own before the summer. ") * 6


def small_kb(path, articles: int):
    from datetime import date, timedelta

    from kb.store import open_db

    db = open_db(path)
    db["sources"].insert({"id": "wire", "name": "Wire", "language": "en", "homepage": "https://wire.example/", "kind": "feed"})
    db["entities"].insert_all([
        {"id": "bigco", "type": "company", "name": "BigCo", "status": "gazetteer"},
        {"id": "smallco", "type": "company", "name": "SmallCo", "status": "gazetteer"},
        {"id": "pat-lee", "type": "person", "name": "Pat Lee", "status": "gazetteer"},
    ])
    db["aliases"].insert_all([{"entity_id": "bigco", "alias": "빅코", "language": "ko"}])
    start = date(2024, 1, 1)
    rows, mentions, roles, events = [], [], [], []
    for i in range(1, articles + 1):
        day = (start + timedelta(days=(i * 7919) % 700)).isoformat()  # publication order differs from id order
        short = "구글" if i % 9 == 0 else "검색"
        text = f"BigCo and 딥시크 shipped a model; {short} followed. " + FILLER + (" SmallCo joined." if i % 97 == 0 else "")
        rows.append({"id": i, "url": f"https://wire.example/{i}", "source_id": "wire", "title": f"Story {i}",
                     "published": day + "T09:00:00+00:00", "published_date": day, "language": "en", "text": text,
                     "first_seen": "2026-01-01T00:00:00+00:00", "last_fetched": "2026-01-01T00:00:00+00:00"})
        mentions.append({"article_id": i, "entity_id": "bigco", "text": "BigCo", "start": 0, "end": 5})
        if i % 97 == 0:
            mentions.append({"article_id": i, "entity_id": "smallco", "text": "SmallCo", "start": len(text) - 12, "end": len(text) - 5})
        roles.append({"article_id": i, "person_id": "pat-lee", "role": "CEO" if i % 2 else "co-founder", "organization_id": "bigco"})
        events.append({"article_id": i, "type": "model_release" if i % 3 else "funding", "company_id": "bigco",
                       "date": None if i % 4 == 0 else (start + timedelta(days=(i * 31) % 700)).isoformat()})
    db["articles"].insert_all(rows, batch_size=500)
    db["mentions"].insert_all(mentions, batch_size=1000)
    db["person_roles"].insert_all(roles, batch_size=1000)
    db["events"].insert_all(events, batch_size=1000)
    from kb.knowledge.summary import refresh_summaries

    refresh_summaries(db)
    db.conn.commit()
    db.close()
    return path


@pytest.fixture(scope="module")
def small_kbs(tmp_path_factory):
    base = tmp_path_factory.mktemp("scale")
    return {n: small_kb(base / f"kb{n}.db", n) for n in (600, 3000)}


def canned(name: str) -> str:
    from kb.publish import load_metadata

    return load_metadata()["databases"]["kb"]["queries"][name]["sql"]


def run(path, name: str, params: dict[str, str]) -> tuple[list[tuple], int]:
    """The rows of a canned query (every parameter it names, empty unless given) and the work it took."""
    return run_sql(path, canned(name), params)


def run_sql(path, sql: str, params: dict[str, str], every: int = 1000) -> tuple[list[tuple], int]:
    """The rows of ``sql`` (every parameter it names, empty unless given) and the work it took: virtual machine
    steps, counted by ``every``."""
    import re

    values = {p: "" for p in re.findall(r"(?<![:\w]):([A-Za-z_]\w*)", re.sub(r"'(?:[^']|'')*'", "''", sql))}
    values.update(params)
    conn = sqlite3.connect(path)
    steps = [0]

    def tick():
        steps[0] += 1

    conn.set_progress_handler(tick, every)
    try:
        return conn.execute(sql, values).fetchall(), steps[0]
    finally:
        conn.close()


def expected_newest_articles(path, entity: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(
            "select a.id from articles a where a.id in (select article_id from mentions where entity_id = ?) "
            "order by a.published_date desc, a.id desc limit 200", [entity])]
    finally:
        conn.close()


@pytest.mark.parametrize("name", ["BigCo", "빅코", "SmallCo"])
def test_articles_mentioning_lists_the_newest_200_for_frequent_and_rare_names(small_kbs, name):
    entity = "smallco" if name == "SmallCo" else "bigco"
    for path in small_kbs.values():
        rows, _ = run(path, "articles_mentioning", {"name": name})
        assert [r[0] for r in rows] == expected_newest_articles(path, entity)


def test_a_frequent_name_costs_the_same_at_five_times_the_articles(small_kbs):
    work = {n: run(path, "articles_mentioning", {"name": "BigCo"})[1] for n, path in small_kbs.items()}
    assert work[3000] < 2 * work[600], work  # it walks the newest articles and stops; it does not read all 3,000


def test_search_with_an_indexed_word_does_not_read_every_article(small_kbs):
    work = {}
    for n, path in small_kbs.items():
        rows, work[n] = run(path, "search_articles", {"q": "딥시크", "sort": ""})
        assert len(rows) == 100 and all("«딥시크»" in r[5] for r in rows)
        assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)  # newest first
    assert work[3000] < 2 * work[600], work


def test_search_finds_a_two_character_korean_word_and_only_where_it_is(small_kbs):
    for path in small_kbs.values():
        rows, _ = run(path, "search_articles", {"q": "구글", "sort": ""})
        assert rows and all(r[0] % 9 == 0 and "«구글»" in r[5] for r in rows)
        none, _ = run(path, "search_articles", {"q": "구굴", "sort": ""})
        assert none == []


def test_timeline_of_a_person_with_many_roles_is_the_first_200_by_day(small_kbs):
    for path in small_kbs.values():
        conn = sqlite3.connect(path)
        expected = [r[0] for r in conn.execute(
            "select a.published_date from person_roles r join articles a on a.id = r.article_id "
            "where r.person_id = 'pat-lee' order by a.published_date limit 200")]
        conn.close()
        rows, _ = run(path, "timeline", {"name": "Pat Lee", "month": ""})
        assert [r[0] for r in rows][:200] == expected


def test_company_events_are_the_first_200_by_day_dated_or_not(small_kbs):
    for path in small_kbs.values():
        conn = sqlite3.connect(path)
        expected = [r[0] for r in conn.execute(
            "select coalesce(e.date, a.published_date) as day from events e join articles a on a.id = e.article_id "
            "where e.company_id = 'bigco' order by day limit 200")]
        conn.close()
        rows, _ = run(path, "company_events", {"company": "빅코"})
        assert [r[0] for r in rows] == expected and any(r[1] for r in rows) and not all(r[1] for r in rows)


def test_home_page_counts_what_the_news_names_and_keeps_the_reference_note(site, demo_kb):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(get(site, "/").text, "html.parser")
    conn = sqlite3.connect(demo_kb)
    try:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        models = conn.execute("select count(distinct m.entity_id) from mentions m join entities e on e.id = m.entity_id "
                              "where e.type = 'model'").fetchone()[0]
        reference = conn.execute("select name from reference_snapshots order by as_of desc, id desc limit 1").fetchone()
    finally:
        conn.close()
    counts = soup.select_one(".kb-counts").get_text(" ")
    assert f"{articles:,} articles" in counts and f"{models:,} models" in counts
    if reference:
        assert reference[0] in soup.select_one(".kb-note").get_text(" ")


def test_find_entity_follows_names_added_renamed_and_removed(tmp_path):
    path = small_kb(tmp_path / "kb.db", 20)
    conn = sqlite3.connect(path)
    conn.execute("insert into aliases (entity_id, alias, language) values ('smallco', '스몰코', 'ko'), ('smallco', '스코', 'ko')")
    conn.execute("update entities set name = 'TinyCo' where id = 'smallco'")
    conn.execute("delete from aliases where alias = '빅코'")
    conn.commit()
    conn.close()

    def found(name: str) -> set[str]:
        return {row[0] for row in run(path, "find_entity", {"name": name})[0]}

    assert found("스몰코") == found("스몰") == found("스코") == {"smallco"}  # the trigram index, and a scan for 2 characters
    assert found("tinyco") == found("smallco") == {"smallco"}  # its new name, its id
    assert found("빅코") == found("빅") == set() and found("bigco") == {"bigco"}  # the alias removed is forgotten


def test_immutable_serving_shows_what_the_write_ahead_log_holds(tmp_path):
    from kb.publish import datasette_app
    from kb.store import open_db

    path = tmp_path / "kb.db"
    open_db(path).close()
    writer = sqlite3.connect(path)  # kept open: its last write stays in the -wal file, not yet in kb.db
    writer.execute("insert into sources (id, name, language, kind) values ('late', 'Late Wire', 'en', 'feed')")
    writer.commit()
    assert (tmp_path / "kb.db-wal").stat().st_size > 0
    rows = get(datasette_app(path, immutable=True), "/kb/sources.json", _shape="array").json()
    writer.close()
    assert [row["id"] for row in rows] == ["late"]


# ------------------------------------------------------------------ model releases cut at the 200th day (migration 015)
# The query before it found the day of a company's 200th release from the index in date order: the rows it must give.
MODEL_RELEASES_BEFORE = """
with named as (
  select id from entities where id = :company or name = :company collate nocase
  union select entity_id from aliases where alias = :company collate nocase
),
target as (select coalesce(r.new_id, n.id) as id from named n left join entity_redirects r on r.old_id = n.id),
-- A company or model: its releases newest first from the (company_id, date) and (model_id, date) indexes, down
-- to the day of the 200th of each (the page shows 200; OpenAI and its models have 40,000 at 1,000,000
-- articles). Every company: all of them.
shown as not materialized (
  select c.id, c.date, c.company_id, c.model_id from event_clusters c left join entities m on m.id = c.model_id
  where c.status = 'active' and c.type = 'model_release'
    -- a report with no date of its own, weeks after the release the reference data knows, recalls that release
    and not (c.date_basis != 'stated' and m.released is not null and m.released < date(c.date, '-14 days'))
),
by_company as not materialized (select * from shown where company_id in (select id from target)),
by_model as not materialized (select * from shown where model_id in (select id from target)),
picked as (
  select id from by_company
  where date >= (select date from by_company order by date desc limit 1 offset 199)
    or (select date from by_company order by date desc limit 1 offset 199) is null
  union
  select id from by_model
  where date >= (select date from by_model order by date desc limit 1 offset 199)
    or (select date from by_model order by date desc limit 1 offset 199) is null
  union
  select id from (select id from shown limit (select case when :company = '' then -1 else 0 end))
)
select c.date, m.name as model, c.model_id, co.name as company, c.company_id,
  case c.date_basis when 'stated' then 'stated in the article' else 'publication day (no date in the text)' end as dated_by,
  c.reports, c.outlets, s.name as outlet, a.title as article, a.id as article_id, a.url,
  (select e.evidence from event_reports r join events e on e.id = r.event_id where r.cluster_id = c.id order by r.is_first desc limit 1) as evidence,
  m.released as gazetteer_date
from event_clusters c
  left join entities m on m.id = c.model_id
  left join entities co on co.id = c.company_id
  left join articles a on a.id = c.first_article_id
  left join sources s on s.id = a.source_id
where c.id in (select id from picked)
order by c.date desc, m.name
"""


@pytest.fixture(scope="module")
def releases_kb(tmp_path_factory):
    """Release clusters of a company with many (ties on every day, some undated, some recalled late), of a model,
    and of a merged company, written directly."""
    from kb.store import open_db

    db = open_db(tmp_path_factory.mktemp("releases") / "kb.db")
    db["entities"].insert_all([
        {"id": "bigco", "type": "company", "name": "BigCo", "status": "gazetteer"},
        {"id": "oldco", "type": "company", "name": "OldCo", "status": "gazetteer"},
        {"id": "smallco", "type": "company", "name": "SmallCo", "status": "gazetteer"},
        {"id": "big-1", "type": "model", "name": "Big One", "developer_id": "bigco", "released": "2024-03-01", "status": "gazetteer"},
    ])
    db["aliases"].insert({"entity_id": "bigco", "alias": "빅코", "language": "ko"})
    db["entity_redirects"].insert({"old_id": "oldco", "new_id": "bigco"})
    clusters = []
    for i in range(3000):
        company = "smallco" if i % 50 == 0 else "bigco"
        day = None if i % 97 == 0 else f"2024-{1 + i % 12:02d}-{1 + i % 5:02d}"  # five days a month: ties
        clusters.append({"id": f"c{i}", "type": "model_release" if i % 7 else "funding", "company_id": company,
                         "model_id": "big-1" if i % 3 == 0 else None, "subject": f"release {i}", "date": day,
                         "date_basis": "stated" if i % 4 else "published", "status": "active" if i % 11 else "merged",
                         "reports": 1, "outlets": 1})
    db["event_clusters"].insert_all(clusters)
    db.conn.commit()
    path = db.conn.execute("pragma database_list").fetchone()[2]
    db.close()
    return path


@pytest.mark.parametrize("company", ["BigCo", "bigco", "빅코", "OldCo", "SmallCo", "big-1", "Big One", "nobody"])
def test_model_releases_are_the_rows_of_the_query_before_the_day_cut(releases_kb, company):
    rows, _ = run(releases_kb, "model_releases", {"company": company})
    conn = sqlite3.connect(releases_kb)
    try:
        before = conn.execute(MODEL_RELEASES_BEFORE, {"company": company}).fetchall()
    finally:
        conn.close()
    assert rows == before
    if company not in ("", "nobody"):
        assert rows


def test_model_releases_of_a_big_company_stop_at_the_day_of_the_200th(releases_kb):
    _, steps = run(releases_kb, "model_releases", {"company": "bigco"})
    conn = sqlite3.connect(releases_kb)
    ticks = [0]
    conn.set_progress_handler(lambda: ticks.__setitem__(0, ticks[0] + 1), 1000)
    try:
        conn.execute(MODEL_RELEASES_BEFORE, {"company": "bigco"}).fetchall()
    finally:
        conn.close()
    assert steps * 2 < ticks[0], (steps, ticks[0])


def test_comments_in_canned_queries_hold_no_quote():
    # a quote in a comment reads as the start of a string to anything that skips string literals to find the
    # parameters (bench/query_latency.py did, and measured price_changes without its year)
    from kb.publish import load_metadata

    for name, query in load_metadata()["databases"]["kb"]["queries"].items():
        for line in (query.get("sql") or "").splitlines():
            assert "'" not in line.partition("--")[2], (name, line)


def test_company_events_are_the_first_200_events_with_ties_on_the_last_day_in_order(small_kbs):
    # the undated events of a frequent company are walked once by day, then the rest of the last day is added
    for path in small_kbs.values():
        conn = sqlite3.connect(path)
        expected = conn.execute(
            "select coalesce(e.date, a.published_date) as day, e.type, e.article_id from events e "
            "join articles a on a.id = e.article_id where e.company_id = 'bigco' order by day, e.type, e.id limit 200").fetchall()
        conn.close()
        rows, _ = run(path, "company_events", {"company": "BigCo"})
        assert [(r[0], r[2], r[10]) for r in rows] == expected


def test_timeline_of_a_company_with_many_roles_walks_them_once_and_keeps_the_last_day_whole(small_kbs):
    for path in small_kbs.values():
        conn = sqlite3.connect(path)
        expected = conn.execute(
            "select a.published_date, r.role from person_roles r join articles a on a.id = r.article_id "
            "where r.organization_id = 'bigco' order by a.published_date").fetchall()
        conn.close()
        rows, _ = run(path, "timeline", {"name": "BigCo", "month": ""})
        shown = [(r[0], r[2]) for r in rows][:200]
        last = expected[199][0]
        assert [day for day, _ in shown] == [day for day, _ in expected[:200]]
        # every role of the days before the last one shown, and of that last day as many as fit
        assert sorted(s for s in shown if s[0] < last) == sorted(e for e in expected if e[0] < last)
        assert len([r for r in rows if r[0] == last]) == len([e for e in expected if e[0] == last])


@pytest.mark.parametrize("month", ["", "2024-03"])
def test_timeline_of_a_company_with_many_events_is_its_first_200_clusters_by_day(releases_kb, month):
    conn = sqlite3.connect(releases_kb)
    expected = conn.execute(
        "select date, subject from event_clusters where status = 'active' and (company_id = 'bigco' or model_id = 'big-1') "
        "and (:month = '' or date like :month || '%') order by date is null, date, subject limit 200", {"month": month}).fetchall()
    conn.close()
    rows, _ = run(releases_kb, "timeline", {"name": "BigCo", "month": month})
    assert len(expected) > 20 and [(r[0], r[3]) for r in rows][:200] == expected


def test_names_a_search_nearly_hit_are_read_once_per_immutable_file(site, monkeypatch):
    from datasette.database import Database

    seen: list[str] = []
    original = Database.execute

    async def execute(self, sql, *args, **kwargs):
        seen.append(sql)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", execute)
    pages = [get(site, "/-/search", q="Antropik zzqx") for _ in range(2)]
    assert all(page.status_code == 200 and "/entity/anthropic" in page.text for page in pages)
    assert len([sql for sql in seen if "where e.status = 'gazetteer' union select e.name" in sql]) <= 1
