"""Storage: one SQLite file, written with sqlite-utils.

:func:`open_db` opens (and migrates) a KB; :mod:`kb.store.save` writes
articles and their facts; :mod:`kb.store.search` finds articles.
:func:`write_transaction` is how every writer writes: the write lock taken up
front, everything inside committed together or not at all.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from kb.store.schema import migrate

__all__ = ["open_db", "open_db_for_reading", "default_db_path", "write_transaction", "BUSY_TIMEOUT_MS"]

# How long a writer waits for another one (a crawl, kb reprocess, kb add) before giving up.
BUSY_TIMEOUT_MS = 60_000


class KbConnection(sqlite3.Connection):
    """A connection whose commits wait for the outermost :func:`write_transaction`.

    sqlite-utils commits after each of its writes (``with conn:`` inside
    ``insert``, ``upsert``, ``update``), and so do the knowledge modules: an
    article would be committed before its facts. While a write transaction is
    held, those inner commits do nothing and the outer one commits everything.
    """

    held = 0

    def commit(self) -> None:
        if not self.held:
            super().commit()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if self.held:
            return False  # the outer write_transaction commits, or rolls back on the exception
        return bool(super().__exit__(exc_type, exc, tb))


def default_db_path() -> Path:
    """``$KB_DB``, else ``data/kb.db`` under the current directory."""
    return Path(os.environ.get("KB_DB") or "data/kb.db")


def open_db(path: str | Path | None = None, *, memory: bool = False) -> sqlite_utils.Database:
    """Open a KB, creating and migrating it as needed.

    WAL mode lets Datasette read while a crawl writes. Implicit transactions
    begin IMMEDIATE: a writer takes the write lock before its first read, so
    it waits (busy timeout) for another writer instead of failing with
    "database is locked" when its snapshot turns out stale.
    """
    if memory:
        conn = sqlite3.connect(":memory:", check_same_thread=False, factory=KbConnection)
    else:
        path = Path(path or default_db_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, factory=KbConnection,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    db = sqlite_utils.Database(conn)
    if not memory:
        _enable_wal(db)
    conn.isolation_level = "IMMEDIATE"
    db.execute("pragma foreign_keys = on")
    db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    migrate(db)
    return db


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch to WAL, waiting for another writer like every other statement does.

    Reading or setting the journal mode can answer SQLITE_BUSY at once, without the busy handler,
    while another process holds the write lock (a crawl starting while `kb reprocess` writes)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.execute("pragma journal_mode").fetchone()[0] != "wal":
                db.execute("pragma journal_mode = wal")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_db_for_reading(path: str | Path) -> sqlite_utils.Database:
    """Open a KB that a command only reads (``kb events``, ``kb conflicts``): never written, not even
    migrated when it need not be, so a read-only file or a published copy answers as well."""
    from kb.store.schema import pending_migrations

    path = Path(path)
    for query in ("mode=ro", "immutable=1"):  # immutable: a read-only directory where WAL cannot open
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, check_same_thread=False,
                                   factory=KbConnection)
            pending = pending_migrations(conn)
        except sqlite3.OperationalError:
            continue
        if pending == []:
            return sqlite_utils.Database(conn)
        conn.close()
        break
    return open_db(path)


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One transaction that holds the write lock from its start: all of it commits, or none.

    Re-entrant: inside another write transaction it simply joins it. ``BEGIN
    IMMEDIATE`` waits for the busy timeout while another process writes; a
    plain ``BEGIN`` followed by a read and a write would fail at once.
    """
    conn = db.conn
    nested = getattr(conn, "held", 0) > 0
    if nested:
        yield db
        return
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    if isinstance(conn, KbConnection):
        conn.held = 1
    try:
        yield db
    except BaseException:
        if isinstance(conn, KbConnection):
            conn.held = 0
        if conn.in_transaction:
            conn.rollback()
        raise
    if isinstance(conn, KbConnection):
        conn.held = 0
    if conn.in_transaction:
        conn.commit()
