"""Storage: one SQLite file, written with sqlite-utils.

:func:`open_db` opens (and migrates) a KB; :mod:`kb.store.save` writes
articles and their facts; :mod:`kb.store.search` finds articles.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from kb.store.schema import migrate

__all__ = ["open_db", "default_db_path"]


def default_db_path() -> Path:
    """``$KB_DB``, else ``data/kb.db`` under the current directory."""
    return Path(os.environ.get("KB_DB") or "data/kb.db")


def open_db(path: str | Path | None = None, *, memory: bool = False) -> sqlite_utils.Database:
    """Open a KB, creating and migrating it as needed.

    WAL mode lets Datasette read while a crawl writes; a busy timeout makes a
    second writer wait instead of failing with "database is locked".
    """
    if memory:
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path or default_db_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.enable_wal()
    db.execute("pragma foreign_keys = on")
    db.execute("pragma busy_timeout = 30000")
    migrate(db)
    return db
