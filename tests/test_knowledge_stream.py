"""The refresh writes its rows as it makes them, a chunk at a time, and holds one cluster's reports at a time:
its memory must not grow with the KB (issue 13 part 4), and what it writes must not depend on the chunks."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from kb.knowledge import refresh
from kb.knowledge.claims import build_claims
from kb.knowledge.bulk import insert_rows
from kb.knowledge.reference import load_book
from kb.store import open_db
from kb.store.pending import mark_changing
from tests.knowledge_kb import Newsroom, small_gazetteer
from kb.store.save import sync_gazetteer
from tests.test_knowledge_incremental import R1, assert_same, derived


def _room() -> Newsroom:
    db = open_db(memory=True)
    sync_gazetteer(db, small_gazetteer())
    return Newsroom(db, small_gazetteer())


def _publish_disputes(room: Newsroom) -> None:
    """Events reported by several outlets, one misdated; prices the outlets disagree about: claims with conflicts."""
    room.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},),
                 prices=(("o3-mini", "input", 1.10), ("o3-mini", "output", 4.40)))
    room.publish("hanbit", "2025-01-22", events=({**R1, "date": "2025-01-20"},), prices=(("o3-mini", "input", 1.10),))
    room.publish("zhixin", "2025-01-23", events=({**R1, "date": "2025-01-18"},), prices=(("o3-mini", "input", 0.75),))
    room.publish("wire", "2025-01-24", events=({**R1, "date": "2025-01-20"},), prices=(("o3-mini", "input", 0.75),))
    room.publish("seoultech", "2025-03-02", prices=(("o3-mini", "input", 1.10, "old"), ("o3-mini", "input", 0.55, "new")),
                 events=({"type": "price_change", "company": "openai", "model": "o3-mini", "date": "2025-03-01"},))
    room.publish("ledger", "2025-03-05", prices=(("o3-mini", "input", 0.60),))
    room.publish("wire", "2025-03-06", prices=(("o3-mini", "input", 0.65),))


def test_rows_from_a_generator_are_written_a_chunk_at_a_time_and_all_of_them():
    db = open_db(memory=True)
    db.execute("create table t (n integer, seen integer)")
    written_when_made = []

    def rows():
        for n in range(10):
            # what the table holds while row n is made: the chunks before it, not more
            written_when_made.append(db.execute("select count(*) from t").fetchone()[0])
            yield {"n": n, "seen": written_when_made[-1]}

    assert insert_rows(db, "t", rows(), chunk=3) == 10
    assert written_when_made == [0, 0, 0, 3, 3, 3, 6, 6, 6, 9]
    assert [row[0] for row in db.execute("select n from t order by n")] == list(range(10))
    assert insert_rows(db, "t", iter(())) == 0


def test_claims_and_conflicts_written_in_chunks_of_two_are_those_written_in_one():
    rooms = [_room(), _room()]
    for room in rooms:
        _publish_disputes(room)
    with patch("kb.knowledge.bulk.CHUNK", 2):
        refresh(rooms[0].db)
    refresh(rooms[1].db)
    small, whole = derived(rooms[0].db), derived(rooms[1].db)
    assert len(whole["conflicts"]) >= 3 and len(whole["claims"]) > 2  # more than one chunk of each
    assert {t: sorted(map(repr, rows)) for t, rows in small.items() if t != "event_clusters"} == \
        {t: sorted(map(repr, rows)) for t, rows in whole.items() if t != "event_clusters"}
    clock = lambda rows: sorted(repr(row) for row in rows)  # noqa: E731  (created_at is left out by derived)
    assert clock(small["event_clusters"]) == clock(whole["event_clusters"])


def test_the_conflicts_are_read_after_the_claims_they_belong_to():
    room = _room()
    _publish_disputes(room)
    room.refresh()
    claims, conflicts = build_claims(room.db, [], load_book(room.db))
    with pytest.raises(RuntimeError):
        list(conflicts)
    assert len(list(claims)) == room.db.execute("select count(*) from claims").fetchone()[0]
    assert list(conflicts) is not None  # once the claims are read, their conflicts can be


def test_an_article_stored_again_with_the_same_facts_keeps_the_corroboration_of_its_event_claims():
    # the last article's facts come back with the same row ids (SQLite reuses the highest rowids), so the
    # event's cluster comes out as stored and is not recomputed: its claim still counts every outlet of it
    rooms = [_room(), _room()]
    for room in rooms:
        _publish_disputes(room)
        refresh(room.db)
    last = rooms[0].db.execute("select max(id) from articles").fetchone()[0]
    for room in rooms:
        mark_changing(room.db, last - 3)  # wire's report of the release, dated as two others
    with patch("kb.knowledge.clusters.utc_now", return_value="2026-01-01T00:00:00+00:00"):
        summary = refresh(rooms[0].db, incremental=True)
        refresh(rooms[1].db)
    assert summary.changed_articles == 1
    assert_same(rooms[0].db, rooms[1].db)
    wire = rooms[0].db.execute("select corroborations, status from claims where fact_table = 'events' "
                               "and article_id = ?", [last - 3]).fetchone()
    assert tuple(wire) == (3, "corroborated")


@pytest.mark.parametrize("compare_up_to, chunk, held", [(0, 5_000, 60_000), (1_000, 5_000, 60_000), (1_000, 3, 2)],
                         ids=("streamed", "compared", "compared in chunks, conflicts past the held ones in a table"))
def test_many_changed_articles_stream_their_claims_and_still_equal_a_full_refresh(compare_up_to, chunk, held):
    # above COMPARE_UP_TO changed articles the claims are streamed in place of the stale ones instead of being
    # listed and compared with the stored rows (which held every recomputed conflict in memory at once); below
    # it they are compared a chunk at a time, and conflicts past HELD_UP_TO wait in a table, not in memory
    rooms = [_room(), _room()]
    for room in rooms:
        _publish_disputes(room)
        refresh(room.db)
    articles = [row[0] for row in rooms[0].db.execute("select id from articles order by id")]
    for room in rooms:
        for article in articles[::2]:
            mark_changing(room.db, article)
        room.publish("hanbit", "2025-03-07", prices=(("o3-mini", "input", 0.55),))  # and a new one
    with patch("kb.knowledge.incremental.COMPARE_UP_TO", compare_up_to), \
            patch("kb.knowledge.incremental.COMPARE_CHUNK", chunk), patch("kb.knowledge.claims.HELD_UP_TO", held), \
            patch("kb.knowledge.clusters.utc_now", return_value="2026-01-01T00:00:00+00:00"):
        summary = refresh(rooms[0].db, incremental=True)
        refresh(rooms[1].db)
    assert summary.changed_articles == len(articles[::2]) + 1
    assert_same(rooms[0].db, rooms[1].db)
    assert rooms[0].db.execute("select count(*) from conflicts").fetchone()[0] >= 3
