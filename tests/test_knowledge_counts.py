"""The counts a refresh reports are kept between refreshes and moved by what an incremental one writes."""

from __future__ import annotations

from kb.knowledge import refresh
from kb.knowledge.counts import counted, keep, kept, unwatch, watch
from kb.store import open_db
from tests.knowledge_kb import Newsroom, gazetteer_small, newsroom  # noqa: F401 - fixtures

RELEASE = {"type": "model_release", "company": "deepseek", "model": "deepseek-r1"}


def _cluster(db, cid: str, status: str, reports: int) -> None:
    db.execute("insert into event_clusters (id, type, status, reports) values (?, 'release', ?, ?)", [cid, status, reports])


def test_the_triggers_follow_inserts_updates_and_deletes_of_clusters_and_claims():
    db = open_db(memory=True)
    _cluster(db, "a", "active", 1)
    before = counted(db)
    watch(db)
    _cluster(db, "b", "active", 3)
    _cluster(db, "c", "merged", 0)
    db.execute("update event_clusters set reports = 2 where id = 'a'")  # now reported more than once
    db.execute("update event_clusters set status = 'empty', reports = 0 where id = 'b'")
    db.execute("insert into event_clusters (id, type, status, reports) values ('a', 'release', 'active', 1) "
               "on conflict(id) do update set status = 'merged'")  # an upsert that updates
    db.execute("delete from event_clusters where id = 'c'")
    _cluster(db, "d", "active", 5)
    now = unwatch(db, before)
    assert now == counted(db)
    assert now["events"] == 1 and now["multi_report_events"] == 1
    _cluster(db, "e", "active", 2)  # no longer watched
    assert unwatch(db, now) is None


def test_an_incremental_refresh_reports_what_a_count_finds(newsroom: Newsroom):
    db = newsroom.db
    newsroom.publish("ledger", "2025-03-01T09:00:00+00:00", prices=(("gpt-4o", "input", 2.5),))
    refresh(db)
    assert kept(db) == counted(db)
    for outlet, day, value in (("wire", "2025-03-02", 2.5), ("hanbit", "2025-04-10", 1.25),
                               ("zhixin", "2025-04-11", 9.0), ("seoultech", "2025-04-12", 9.0)):
        newsroom.publish(outlet, f"{day}T09:00:00+00:00", prices=(("gpt-4o", "input", value),),
                         events=({**RELEASE, "date": day},))
        summary = refresh(db, incremental=True)
        assert summary.changed_articles == 1
        found = counted(db)
        assert kept(db) == found
        assert (summary.events, summary.claims, summary.price_intervals, summary.conflicts) == \
            (found["events"], found["claims"], found["price_intervals"], found["conflicts"])
    assert found["claims"] >= 8 and found["price_intervals"] >= 1 and found["conflicts"] >= 1
    assert found["multi_report_events"] >= 1


def test_counts_kept_wrong_are_not_what_a_full_refresh_reports(newsroom: Newsroom):
    db = newsroom.db
    newsroom.publish("ledger", "2025-03-01T09:00:00+00:00", prices=(("gpt-4o", "input", 2.5),))
    refresh(db)
    keep(db, {name: 10**6 for name in counted(db)})
    assert refresh(db).claims == counted(db)["claims"]
    assert kept(db) == counted(db)


def test_a_refresh_that_keeps_no_counts_makes_the_next_one_count(newsroom: Newsroom):
    """Code that keeps no counts (before this, or another version on the same file) records its inputs without
    them: what it changed is then not in the kept counts, and the next refresh must count, not add to them."""
    from kb.knowledge.incremental import finish

    db = newsroom.db
    newsroom.publish("ledger", "2025-03-01T09:00:00+00:00", prices=(("gpt-4o", "input", 2.5),))
    refresh(db)
    assert kept(db) == counted(db)
    newsroom.publish("wire", "2025-03-02T09:00:00+00:00", prices=(("gpt-4o", "input", 2.5),))
    db.execute("delete from claims where fact_table = 'prices' and article_id = (select max(id) from articles)")
    finish(db)  # as a refresh by such code ends
    assert kept(db) is None
    newsroom.publish("hanbit", "2025-03-03T09:00:00+00:00", prices=(("gpt-4o", "input", 2.5),))
    summary = refresh(db, incremental=True)
    assert summary.claims == counted(db)["claims"]
    assert kept(db) == counted(db)
