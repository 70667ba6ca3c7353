"""Reading ahead: pages a later step of an incremental refresh reads, read now by another thread.

A refresh of 100 articles at 1,000,000 reads some 10,000 stored claims, 40,000 conflicts and the rows of the
events in recomputed clusters, each a random page of a table of gigabytes, long after it knows which (the
windows are made first). With the file's pages out of the page cache, each is a read the refresh waits for,
one at a time. Once the ids are known, a second, read-only connection on its own thread reads those rows
(SQLite lets other threads run while it waits on the disk), so the OS has the pages when the refresh asks.

Nothing it reads is used: it only moves reads earlier, in parallel with the work before them. Results do not
depend on it (the refresh's own transaction reads what it reads, whatever this thread did or did not read);
a read that fails is dropped.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterable
from urllib.parse import quote

import sqlite_utils

from kb.knowledge.claims import CONFLICTS_PER_CLAIM, claim_id

__all__ = ["ReadAhead"]

_DONE = None


class ReadAhead:
    """Queries run in order on a thread of their own, each to its end, results dropped. Off for a database
    without a file (in memory, temporary): there is no disk to wait for."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        files = [row[2] for row in db.execute("pragma database_list") if row[1] == "main"]
        self.path = files[0] if files and files[0] else None
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.read = 0  # queries run, for the tests and the log
        self.stopping = False
        self.conn: sqlite3.Connection | None = None  # the thread's own
        self.thread: threading.Thread | None = None
        if self.path:
            self.thread = threading.Thread(target=self._run, name="kb-read-ahead", daemon=True)
            self.thread.start()

    def __call__(self, sql: str, params: Iterable = ()) -> None:
        """Read what ``sql`` reads, soon."""
        if self.thread is not None:
            self.jobs.put((sql, list(params)))

    def rows(self, table: str, ids: Iterable[int], column: str) -> None:
        """Read the rows of ``table`` with these rowids, in this order (``column``: an expression over ``t`` that
        reads the row itself, not only an index)."""
        ids = list(ids)
        if ids:
            self(f"select max({column}) from json_each(?) j join [{table}] t on t.rowid = j.value", [json.dumps(ids)])

    def claims(self, fact_table: str, facts: Iterable[int]) -> None:
        """Read the stored claims of these facts and their conflicts: the index the stale claims are found by,
        the rows (a claim's conflicts are ids ``claim * CONFLICTS_PER_CLAIM`` on, one range of the table), and
        the index of conflicts by claim the stored ones are read by."""
        facts = sorted(facts)
        if not facts:
            return
        ids = json.dumps([claim_id(fact_table, fact) for fact in facts])
        self("select count(*) from claims where fact_table = ? and fact_id in (select value from json_each(?))",
             [fact_table, json.dumps(facts)])
        self("select max(length(t.status)) from json_each(?) j join claims t on t.rowid = j.value", [ids])
        self(f"select max(length(t.detail)) from json_each(?) j join conflicts t on t.rowid between "
             f"j.value * {CONFLICTS_PER_CLAIM} and j.value * {CONFLICTS_PER_CLAIM} + {CONFLICTS_PER_CLAIM - 1}", [ids])
        self("select count(*) from conflicts where claim_id in (select value from json_each(?))", [ids])

    def close(self, finish: bool = False) -> None:
        """Stop: what is still queued is not needed any more (the refresh is done, or failed), and the query
        running is interrupted; then wait for the thread (left running, it would compete with what comes next).
        ``finish``: run what is queued first."""
        if self.thread is not None:
            self.stopping = not finish
            self.jobs.put(_DONE)
            if self.conn is not None and not finish:
                try:
                    self.conn.interrupt()
                except sqlite3.ProgrammingError:
                    pass  # the thread closed it already
            self.thread.join()
            self.thread = None

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"file:{quote(self.path)}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            conn = None
        self.conn = conn
        try:
            while (job := self.jobs.get()) is not _DONE:
                if conn is None or self.stopping:
                    continue
                try:
                    conn.execute(*job).fetchall()
                    self.read += 1
                except sqlite3.Error:
                    pass  # an index this KB lacks, a busy file: nothing was needed from it
        finally:
            if conn is not None:
                conn.close()
