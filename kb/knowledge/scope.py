"""What an incremental refresh recomputes: the articles changed since the last refresh, and sets of ids.

Sets of ids go through temporary tables, not ``in (?, ?, ...)``: a popular model's price series or event
can span thousands of articles, more than SQLite's limit on bound parameters.
"""

from __future__ import annotations

from typing import Iterable

import sqlite_utils

__all__ = ["id_set", "Lookup"]


def id_set(db: sqlite_utils.Database, name: str, ids: Iterable) -> str:
    """Fill ``temp.<name>`` with ``ids``; returns a subquery that selects them."""
    db.execute(f"drop table if exists temp.{name}")
    db.execute(f"create temp table {name} (id primary key) without rowid")
    db.conn.executemany(f"insert or ignore into temp.{name} (id) values (?)", [(i,) for i in ids])
    return f"(select id from temp.{name})"


class Lookup:
    """Rows of one table by id, read on first use, or all at once for a full refresh: names of entities,
    outlets, articles' dates, without reading a million rows to answer about a hundred."""

    def __init__(self, db: sqlite_utils.Database, select: str, *, key: str = "id", value: str | None = None,
                 preload: bool = False, keep: int | None = None):
        """``keep``: at most this many rows read on use are held (then forgotten), for lookups that may touch
        a large part of a big table one row at a time."""
        self.db, self.select, self.key, self.value, self.keep = db, select, key, value, keep
        self.complete = preload
        self.found: dict = {row[key]: self._value(row) for row in db.query(select)} if preload else {}

    def load(self, where: str, params: list | None = None) -> None:
        """Read the rows ``where`` selects at once."""
        for row in self.db.query(f"{self.select} {where}", params or []):
            self.found[row[self.key]] = self._value(row)

    def _value(self, row: dict):
        return row[self.value] if self.value else row

    def get(self, key, default=None):
        if key is None:
            return default
        if key not in self.found:
            if self.complete:
                return default
            if self.keep is not None and len(self.found) >= self.keep:
                self.found.clear()
            row = next(self.db.query(f"{self.select} where {self.key} = ?", [key]), None)
            self.found[key] = None if row is None else self._value(row)
        value = self.found[key]
        return default if value is None else value

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value
