"""Plain executemany writes for the derived tables: refresh rewrites them whole, so the per-row
conveniences of sqlite-utils (type conversion, column checks) cost more than they give.

Rows may come from a generator: they are written a chunk at a time, so a refresh never needs every claim
of the KB in memory at once (issue 13 part 4: the refresh's peak grew with the KB)."""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterable

import sqlite_utils

__all__ = ["insert_rows", "upsert_rows", "chunks", "same_value", "CHUNK"]

# Rows written per executemany: enough to amortise the call, small enough to hold.
CHUNK = 2_000


def chunks(rows: Iterable[dict[str, Any]], size: int):
    """Lists of at most ``size`` rows; the next is read only when the last was written (a generator may read
    the database while the chunks are written)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def same_value(new: Any, old: Any) -> bool:
    """``new`` would be stored as ``old`` is: the same value of the same type, a bool as its integer (the refresh
    writes only rows that differ, and an integer-valued amount is not the float it was)."""
    return new == old and (type(new) is type(old) or (type(new) is bool and type(old) is int))


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], chunk: int | None = None) -> int:
    """Insert rows that all have the same keys; returns how many."""
    return _write(db, table, rows, chunk, lambda columns: "")


def upsert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], pk: str,
                chunk: int | None = None) -> int:
    """Insert rows, or update the given columns of those whose ``pk`` exists; returns how many."""
    def conflict(columns: list[str]) -> str:
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
        return f" on conflict([{pk}]) do update set {updates}"
    return _write(db, table, rows, chunk, conflict)


def _write(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], chunk: int | None, tail) -> int:
    written = 0
    sql = columns = None
    for part in chunks(rows, chunk or CHUNK):
        if sql is None:
            columns = list(part[0])
            name = ".".join(f"[{part}]" for part in table.split("."))  # temp.[kb_x]
            sql = (f"insert into {name} ({', '.join(f'[{c}]' for c in columns)}) "
                   f"values ({', '.join('?' * len(columns))}){tail(columns)}")
        db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in part])
        written += len(part)
    return written
