"""Datasette's inspect data for a KB served immutable: table counts computed once, not per page view.

``datasette serve --immutable`` without ``--inspect-file`` counts the rows of a table on every
unfiltered table page (``count(*)`` of 3 M mentions at 100,000 articles) and hashes the whole file
(a full read of 15 GiB at 1,000,000 articles) the first time it needs the hash. The file is not
written while served, so counting once at start is exact; the hash only has to change when the
file does, so size and modification time stand in for the content.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["checkpoint", "inspect_data", "write_inspect_file"]


def checkpoint(db_path: Path) -> None:
    """Move what the write-ahead log holds into the file before it is served immutable.

    An immutable reader never reads the ``-wal`` file: tables and indexes written since the last checkpoint
    would be missing from the site (a migration applied while a reader kept the log from being checkpointed),
    and pages would disagree with the inspect counts. A file that cannot be written is served as it is."""
    wal = Path(f"{db_path}-wal")
    if not wal.exists() or not wal.stat().st_size:
        return
    try:
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("pragma wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        import sys

        print(f"kb serve: could not checkpoint {db_path} ({exc}); an immutable server ignores its write-ahead log",
              file=sys.stderr)


def inspect_data(db_path: Path) -> dict[str, Any]:
    """``datasette inspect``'s JSON for one KB file, keyed by the database name Datasette gives it."""
    db_path = Path(db_path).resolve()
    stat = db_path.stat()
    fingerprint = hashlib.sha256(f"{db_path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        counts = {}
        for table in tables:
            try:
                counts[table] = {"count": conn.execute(f"select count(*) from [{table}]").fetchone()[0]}
            except sqlite3.Error:  # a virtual table whose module this Python lacks: Datasette counts it itself
                continue
    finally:
        conn.close()
    return {db_path.stem: {"hash": fingerprint, "size": stat.st_size, "file": str(db_path), "tables": counts}}


def write_inspect_file(db_path: Path, target: Path) -> Path:
    target.write_text(json.dumps(inspect_data(db_path), ensure_ascii=False), encoding="utf-8")
    return target
