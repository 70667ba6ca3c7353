"""kb reprocess with a pool of extraction workers: the KB ends up as one process would leave it."""

from __future__ import annotations

import shutil

import pytest

from kb.parse import parse_bytes
from kb.pipeline import ingest, prepare, reextract_all
from kb.store import open_db

FACTS = {
    "mentions": "select article_id, entity_id, text, start, [end] from mentions order by id",
    "prices": "select article_id, model_id, kind, amount, currency, per_tokens, period, evidence from prices order by id",
    "events": "select article_id, type, date, company_id, model_id, person_id, evidence from events order by id",
    "person_roles": "select article_id, person_id, role, organization_id from person_roles order by id",
    "entities": "select id, type, name, status from entities order by id",
}


@pytest.fixture(scope="module")
def demo_kb_file(tmp_path_factory, demo_site, gazetteer):
    """Every demo article stored with its page, as a crawl stores it."""
    path = tmp_path_factory.mktemp("pool") / "kb.db"
    db = open_db(path)
    prepare(db, gazetteer)
    for article in demo_site.articles:
        url = demo_site.article_url(article)
        body = demo_site.get(url.removeprefix(demo_site.base_url)).body
        ingest(db, parse_bytes(body, url=url), gazetteer, html=body)
    db.close()
    return path


def facts_after_reprocess(source, target, gazetteer, workers: int) -> dict[str, list[tuple]]:
    shutil.copy(source, target)
    db = open_db(target)
    # forget the stored facts first, so that equality means the workers' extractions were stored, not kept
    for table in ("mentions", "prices", "events", "person_roles"):
        db.execute(f"delete from {table}")
    db.conn.commit()
    ids = [row[0] for row in db.execute("select id from articles order by id")]
    assert reextract_all(db, ids, gazetteer, workers=workers, batch=8) == len(ids)
    facts = {table: db.execute(sql).fetchall() for table, sql in FACTS.items()}
    db.close()
    return facts


def test_two_workers_store_exactly_what_one_process_stores(demo_kb_file, tmp_path, gazetteer):
    one = facts_after_reprocess(demo_kb_file, tmp_path / "one.db", gazetteer, workers=1)
    two = facts_after_reprocess(demo_kb_file, tmp_path / "two.db", gazetteer, workers=2)
    assert len(one["mentions"]) > 100 and one["prices"] and one["events"]
    assert two == one


def test_the_writer_commits_in_groups_without_an_fsync_each(demo_kb_file, tmp_path, gazetteer):
    """The workers must not wait for the writer: one commit per group of articles, not per article."""
    shutil.copy(demo_kb_file, tmp_path / "kb.db")
    db = open_db(tmp_path / "kb.db")
    ids = [row[0] for row in db.execute("select id from articles order by id")]
    commits: list[str] = []
    db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    reextract_all(db, ids, gazetteer, workers=2, batch=8, commit_every=16)
    db.conn.set_trace_callback(None)
    pooled = len(ids) - 8  # the first 8 are extracted here, before the pool forks, one commit each
    assert len(ids) > 30 and len(commits) <= 8 + -(-pooled // 16) + -(-pooled // 8)
    assert db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL: WAL, no fsync per commit
    assert db.execute("select count(*) from articles where extracted_at is null").fetchone()[0] == 0
    db.close()
