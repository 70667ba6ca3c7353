"""Plain executemany writes for the derived tables: refresh rewrites them whole, so the per-row
conveniences of sqlite-utils (type conversion, column checks) cost more than they give."""

from __future__ import annotations

from typing import Any

import sqlite_utils

__all__ = ["insert_rows", "upsert_rows"]


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    db.conn.executemany(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})",
        [tuple(row[c] for c in columns) for row in rows],
    )


def upsert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]], pk: str) -> None:
    """Insert rows, or update the given columns of those whose ``pk`` exists."""
    if not rows:
        return
    columns = list(rows[0])
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    db.conn.executemany(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))}) "
        f"on conflict([{pk}]) do update set {updates}",
        [tuple(row[c] for c in columns) for row in rows],
    )
