"""Canned queries opened with nothing asked (every company, every model: what a click on the database page
runs) show the first page of the whole list, without reading and sorting the whole list: at a million
articles that is 130,000 releases, 12,000 moves or 960,000 price conflicts, interrupted at the time limit.

Each whole list is the canned query itself with its row picking taken out; the page must be its first 201
rows (200 shown, and one more so the page says there are more), ties on the last day or model in any order."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kb.store import open_db
from tests.test_publish_scale import canned, run_sql

PAGE = 201


def whole_list(name: str) -> str:
    """The canned query without its picking: every row, as the page orders them."""
    sql = canned(name)
    picking = {
        "model_releases": ("where c.id in (select id from picked)", "where c.id in (select id from shown)"),
        "executive_moves": ("from picked k cross join event_clusters c on c.id = k.id", "from event_clusters c"),
        "price_conflicts": ("where k.id in (select id from picked)",
                            "where k.predicate like 'price:%' and (:model = '' or k.subject_id in (select id from target))"
                            " and (:against = '' or k.against = :against)"),
    }[name]
    assert picking[0] in sql, f"{name}: the query no longer picks its rows this way; update the test"
    return sql.replace(*picking)


def run(path, sql: str, **params: str) -> tuple[list[tuple], int]:
    """Rows of ``sql`` (every parameter it names empty unless given) and the virtual machine steps it took."""
    return run_sql(path, sql, params, every=100)


def assert_first_page(page: list[tuple], whole: list[tuple], key) -> None:
    """``page`` is the first PAGE rows of ``whole`` (both in the query's order): the same order keys, and the same
    rows before the key of the last one (rows that tie with it may be any of them)."""
    assert len(whole) > PAGE  # else the test proves nothing
    assert len(page) >= PAGE
    assert [key(row) for row in page[:PAGE]] == [key(row) for row in whole[:PAGE]]
    last = key(whole[PAGE - 1])
    before = next(i for i, row in enumerate(whole) if key(row) == last)
    assert sorted(map(repr, page[:before])) == sorted(map(repr, whole[:before]))
    assert {repr(row) for row in page} <= {repr(row) for row in whole}


@pytest.fixture(scope="module")
def busy_kb(tmp_path_factory):
    """Many releases, moves and price conflicts over many companies, people and models (names that differ in
    case only, models with none), written directly."""
    db = open_db(tmp_path_factory.mktemp("first-page") / "kb.db")
    db["sources"].insert({"id": "wire", "name": "Wire", "language": "en", "homepage": "https://wire.example/", "kind": "feed"})
    start = date(2024, 1, 1)
    db["articles"].insert_all(({"id": i, "url": f"https://wire.example/{i}", "source_id": "wire", "title": f"Story {i}",
                                "published_date": (start + timedelta(days=i % 300)).isoformat(), "language": "en",
                                "text": f"Story {i}."} for i in range(1, 1201)), batch_size=500)
    companies = [{"id": f"co{i}", "type": "company", "name": f"Company {i}", "status": "gazetteer"} for i in range(8)]
    # names that sort apart from their ids, and two that differ only in case
    models = [{"id": f"m{i}", "type": "model", "name": ("alpha" if i == 3 else "Alpha" if i == 4 else f"Model {(i * 7) % 23:02d}"),
               "developer_id": f"co{i % 8}", "status": "gazetteer", "released": "2024-02-01" if i % 5 == 0 else None}
              for i in range(23)]
    people = [{"id": f"p{i}", "type": "person", "name": f"Person {(i * 11) % 40:02d}", "status": "gazetteer"} for i in range(40)]
    db["entities"].insert_all(companies + models + people)
    clusters, events, reports = [], [], []
    for i in range(6000):
        kind = "model_release" if i % 3 else "executive_change"
        day = None if i % 61 == 0 else (start + timedelta(days=(i * 13) % 250)).isoformat()  # ties on most days
        article = 1 + i % 1200
        # a move whose person is no person entity (a company named as one) is not shown
        person = (f"p{i % 40}" if i % 29 else "co1") if kind == "executive_change" else None
        clusters.append({"id": f"c{i}", "type": kind, "company_id": f"co{i % 8}", "model_id": f"m{i % 23}" if kind == "model_release" else None,
                         "person_id": person, "subject": f"event {i}", "date": day, "first_article_id": article,
                         "date_basis": "stated" if i % 4 else "published", "status": "merged" if i % 17 == 0 else "active",
                         "reports": 1 + i % 3, "outlets": 1})
        events.append({"id": i + 1, "article_id": article, "type": kind, "company_id": f"co{i % 8}", "date": day,
                       "details": f'{{"from": "co{i % 8}", "to": "co{(i + 1) % 8}", "role": "CEO"}}' if kind == "executive_change" else None,
                       "evidence": f"Sentence {i}.", "reported": i % 5 == 0})
        reports.append({"event_id": i + 1, "cluster_id": f"c{i}", "article_id": article, "is_first": 1, "type": kind})
    db["event_clusters"].insert_all(clusters, batch_size=500)
    db["events"].insert_all(events, batch_size=500)
    db["event_reports"].insert_all(reports, batch_size=500)
    claims, conflicts = [], []
    for i in range(3000):
        model = f"m{(i * i) % 23}" if i % 23 else "m0"  # some models with many conflicts, two with none
        if model in ("m7", "m8"):
            continue
        article = 1 + i % 1200
        predicate = ("price:input", "price:output", "price:cached_input")[i % 3]
        claims.append({"id": i + 1, "fact_table": "prices", "article_id": article, "source_id": "wire", "subject_id": model,
                       "predicate": predicate, "value": str(i), "published_date": (start + timedelta(days=i % 300)).isoformat(),
                       "evidence": f"Price sentence {i}."})
        for n in range(i % 3):
            conflicts.append({"claim_id": i + 1, "article_id": article, "subject_id": model, "predicate": predicate,
                              "claimed": str(i), "expected": str(i + n + 1), "against": "reference" if (i + n) % 7 == 0 else "news",
                              "against_article_id": 1 + (i + 5) % 1200, "explanation": "unexplained"})
    db["claims"].insert_all(claims, batch_size=500)
    db["conflicts"].insert_all(conflicts, batch_size=500)
    db.conn.commit()
    path = db.conn.execute("pragma database_list").fetchone()[2]
    db.close()
    return path


def by_date(row: tuple) -> str:
    return row[0] or ""


@pytest.mark.parametrize("name", ["model_releases", "executive_moves"])
def test_every_company_is_the_first_page_of_the_whole_list_by_day(busy_kb, name):
    page, steps = run(busy_kb, canned(name))
    whole, whole_steps = run(busy_kb, whole_list(name))
    assert_first_page(page, whole, by_date)
    assert steps * 3 < whole_steps, (steps, whole_steps)


@pytest.mark.parametrize("against", ["", "news", "reference"])
def test_every_model_is_the_first_page_of_the_whole_list_of_price_conflicts(busy_kb, against):
    sql = canned("price_conflicts")
    columns = [d[0] for d in sqlite3.connect(busy_kb).execute(sql, {"model": "", "against": ""}).description]
    key = lambda row: (row[columns.index("model")].lower(), row[columns.index("kind")], row[columns.index("published_date")])  # noqa: E731
    page, steps = run(busy_kb, sql, against=against)
    whole, whole_steps = run(busy_kb, whole_list("price_conflicts"), against=against)
    assert_first_page(page, whole, key)
    if against != "reference":  # the rarer kind is counted model by model over most conflicts
        assert steps * 3 < whole_steps, (steps, whole_steps)


def test_a_name_of_several_models_lists_every_conflict_of_each(busy_kb):
    page, _ = run(busy_kb, canned("price_conflicts"), model="Alpha")  # "alpha" and "Alpha": two models
    whole, _ = run(busy_kb, whole_list("price_conflicts"), model="Alpha")
    assert len({row[1] for row in page}) == 2
    assert sorted(map(repr, page)) == sorted(map(repr, whole))


def test_a_rare_side_lists_all_its_conflicts_counted_from_the_index(busy_kb, tmp_path):
    """Fewer conflicts with the price list than a page: the walk goes through every name, so each name must be
    counted from the index (at a million articles nearly every conflict is between outlets) and only the names
    that have some are read."""
    path = tmp_path / "kb.db"
    path.write_bytes(open(busy_kb, "rb").read())
    with sqlite3.connect(path) as conn:
        conn.execute("delete from conflicts where against = 'reference' and id % 9 != 0")
        kept = conn.execute("select count(*), count(distinct subject_id) from conflicts where against = 'reference'").fetchone()
    assert 0 < kept[0] < PAGE and kept[1] > 3, kept
    page, _ = run(path, canned("price_conflicts"), against="reference")
    whole, _ = run(path, whole_list("price_conflicts"), against="reference")
    assert len(page) == kept[0]
    assert sorted(map(repr, page)) == sorted(map(repr, whole))
    plan = " | ".join(row[3] for row in sqlite3.connect(path).execute(
        "explain query plan " + canned("price_conflicts"), {"model": "", "against": "reference"}))
    assert "COVERING INDEX idx_conflicts_subject_id_predicate_against_claim_id" in plan, plan
