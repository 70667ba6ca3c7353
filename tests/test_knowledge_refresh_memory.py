"""What an incremental refresh of a large step no longer holds in memory must still come out as a full refresh.

The clusters of a step are compared with the stored ones one cluster at a time, against a digest of the stored
report rows instead of sets of them; the summary tables are updated by SQL over temporary tables instead of
Python counters of every (entity, article) and co-mention the step touches.
"""

from __future__ import annotations

import random

from kb.knowledge.clusters import _REPORT_COLUMNS, _digest
from kb.knowledge.summary import refresh_summaries, update_summaries
from kb.store import open_db
from kb.store.pending import mark_changing, mark_new
from tests.test_knowledge_incremental import R1, _both, _newsrooms

SUMMARIES = ("entity_months", "entity_weeks", "entity_stats", "co_mentions")


def test_the_digest_of_report_rows_is_that_of_the_set_whatever_the_order():
    rows = [(i, f"cluster-{i % 3}", i, "ledger", "en", f"2025-01-{i + 10:02d}", None, int(i == 1), "model_release",
             "deepseek", "deepseek-r1", None, '["model_release", "model", "deepseek-r1"]') for i in range(1, 6)]
    assert len(rows[0]) == len(_REPORT_COLUMNS)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert _digest(shuffled) == _digest(rows)
    moved = rows[:2] + [rows[2][:5] + ("2025-01-30",) + rows[2][6:]] + rows[3:]  # one report published later
    assert _digest(moved) != _digest(rows)
    assert _digest(rows[1:]) != _digest(rows) and _digest([]) == 0


def test_a_report_that_changes_only_its_own_row_is_rewritten_as_a_full_refresh_does():
    rooms = _newsrooms()
    _both(rooms, lambda r: (
        r.publish("ledger", "2025-01-21T08:00:00+00:00", url="https://ledger.test/r1", events=({**R1, "date": "2025-01-20"},)),
        r.publish("hanbit", "2025-01-22T09:00:00+00:00", url="https://hanbit.test/r1", events=({**R1, "date": "2025-01-20"},)),
        r.publish("wire", "2025-01-23T10:00:00+00:00", url="https://wire.test/r1", events=({**R1, "date": "2025-01-20"},)),
    ))
    db = rooms[0].db
    (cluster,) = rooms[0].clusters()
    # the second outlet's article is corrected to a later hour: not the first report, so the event's own row (first
    # article, reports, outlets, languages, date) stays the same; only that report's row in event_reports changes
    summary = _both(rooms, lambda r: r.publish("hanbit", "2025-01-22T21:00:00+00:00", url="https://hanbit.test/r1",
                                               note="corrected", events=({**R1, "date": "2025-01-20"},)))
    assert summary.changed_articles == 1
    (after,) = rooms[0].clusters()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {k: v for k, v in cluster.items() if k != "updated_at"}
    assert db.execute("select published from event_reports where source_id = 'hanbit'").fetchone()[0] == \
        "2025-01-22T21:00:00+00:00"


def _article(db, article_id: int, day: str | None, entities: tuple[str, ...]) -> None:
    db["articles"].insert({"id": article_id, "url": f"https://news.example/{article_id}", "title": "t", "text": "x",
                           "published_date": day, "first_seen": f"2026-01-{article_id:02d}T00:00:00+00:00"}, replace=True)
    db.execute("delete from mentions where article_id = ?", [article_id])
    db["mentions"].insert_all([{"article_id": article_id, "entity_id": e, "text": e, "start": 0, "end": len(e)}
                               for e in entities])


def _summaries(db) -> dict[str, list[tuple]]:
    return {table: db.execute(f"select * from {table} order by 1, 2, 3").fetchall() for table in SUMMARIES}


def test_summaries_updated_for_changed_articles_are_a_recount(tmp_path):
    db = open_db(tmp_path / "kb.db")
    db["entities"].insert_all([{"id": e, "type": "company", "name": e.title(), "status": status}
                               for e, status in (("alpha", "gazetteer"), ("beta", "gazetteer"), ("gamma", "gazetteer"),
                                                 ("delta", "candidate"), ("omega", "gazetteer"))])
    before = {1: ("2025-03-02", ("alpha", "beta")), 2: ("2025-03-03", ("alpha", "beta", "delta")),
              3: ("2025-04-10", ("beta", "gamma")), 4: (None, ("alpha",)), 5: ("2025-05-01", ("gamma", "alpha")),
              6: ("2025-03-01", ("omega", "beta"))}
    for article_id, (day, entities) in before.items():
        _article(db, article_id, day, entities)
    refresh_summaries(db)
    db.execute("delete from refresh_pending")
    changes = {
        1: ("2025-06-02", ("alpha", "beta")),  # alpha's and beta's first article moves months later
        3: ("2025-04-10", ("gamma",)),  # the only April co-mention of beta and gamma goes: its rows must go
        6: ("2025-03-01", ("beta",)),  # omega's only article no longer names it: omega is counted nowhere
        4: ("2025-02-01", ("alpha", "delta")),  # an undated article gets a date; a candidate joins it
    }
    for article_id, (day, entities) in changes.items():
        mark_changing(db, article_id)
        _article(db, article_id, day, entities)
    for article_id, day, entities in ((7, "2025-06-03", ("alpha", "gamma", "zeta")), (8, None, ("beta",))):
        db["entities"].insert({"id": "zeta", "type": "company", "name": "Zeta", "status": "gazetteer"}, replace=True)
        _article(db, article_id, day, entities)
        mark_new(db, article_id)
    update_summaries(db, [dict(row) for row in db.query("select * from refresh_pending")])
    updated = _summaries(db)
    refresh_summaries(db)
    assert updated == _summaries(db)
    assert not any(row[0] == "omega" for table in updated.values() for row in table)
    assert ("beta", "gamma", "2025-04", 1) not in updated["co_mentions"] and \
        ("beta", "2025-04", "gamma", 1) not in updated["co_mentions"]
    assert db.execute("select first_article_id from entity_stats where entity_id = 'alpha'").fetchone()[0] == 4
    assert not db.execute("select * from sqlite_temp_master where name like 'kb_summary_%'").fetchall()
