"""Reading ahead (issue 13, a cold refresh at 1,000,000 articles): the rows a later step reads, read by another
thread. A query it cannot run is dropped silently, so these tests check that its queries run."""

import sqlite_utils

from kb.knowledge.claims import CONFLICTS_PER_CLAIM, claim_id
from kb.knowledge.read_ahead import ReadAhead
from kb.store import open_db


def _kb(tmp_path):
    db = open_db(tmp_path / "kb.db")
    claims = [{"id": claim_id("prices", fact), "fact_table": "prices", "fact_id": fact, "status": "asserted"}
              for fact in (1, 2, 3)]  # ids 5, 9, 13
    db["claims"].insert_all(claims, alter=True)
    db["conflicts"].insert_all([{"id": 9 * CONFLICTS_PER_CLAIM + rank, "claim_id": 9, "detail": "x"} for rank in range(3)],
                               alter=True)
    return db


def test_the_stored_claims_and_their_conflicts_are_read_on_another_thread(tmp_path):
    db = _kb(tmp_path)
    ahead = ReadAhead(db)
    ahead.claims("prices", [1, 2])
    ahead.rows("claims", [13, 5], "length(t.status)")
    ahead.close(finish=True)
    assert ahead.read == 5  # the claims' index and rows, the conflicts and their index, claims: each query ran
    assert ahead.thread is None


def test_nothing_is_queued_for_no_ids_and_a_failing_query_is_dropped(tmp_path):
    db = _kb(tmp_path)
    ahead = ReadAhead(db)
    ahead.claims("prices", [])
    ahead("select * from no_such_table")
    ahead.rows("claims", [5], "length(t.status)")
    ahead.close(finish=True)
    assert ahead.read == 1


def test_a_database_in_memory_reads_nothing_ahead():
    ahead = ReadAhead(sqlite_utils.Database(memory=True))
    ahead.claims("prices", [1, 2])
    ahead.close(finish=True)
    assert (ahead.thread, ahead.read) == (None, 0)


def test_a_file_whose_name_needs_quoting_is_read_ahead(tmp_path):
    folder = tmp_path / "a dir?#%"
    folder.mkdir()
    db = _kb(folder)
    ahead = ReadAhead(db)
    ahead.claims("prices", [3])
    ahead.close(finish=True)
    assert ahead.read == 4


def test_closing_drops_what_is_still_queued(tmp_path):
    db = _kb(tmp_path)
    ahead = ReadAhead(db)
    ahead.stopping = True  # as close() sets it first: nothing still queued is run
    ahead.claims("prices", [1, 2])
    ahead.close()
    assert (ahead.read, ahead.thread) == (0, None)
