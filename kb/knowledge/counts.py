"""The counts a refresh reports (active events, claims, price intervals, conflicts), kept instead of counted.

Counting them is a scan of an index of millions of rows per table after every refresh (~0.3 s warm, ~1 s cold
at 1,000,000 articles, for a refresh of 100 articles that takes a few seconds). A full refresh counts them and
keeps them in ``knowledge_state``, in the record of its inputs; an incremental one adds what it changed, which
temporary triggers note for the length of the refresh (only this connection's writes, only while it runs; the
derived tables are written by nothing else). A KB whose counts were never kept is counted, and so is one last
refreshed by code that keeps none (it records its inputs without them).
"""

from __future__ import annotations

import json

import sqlite_utils

__all__ = ["COUNTED", "counted", "kept", "keep", "watch", "unwatch"]

# name → the query that counts it
COUNTED = {
    "events": "select count(*) from event_clusters where status = 'active'",
    "multi_report_events": "select count(*) from event_clusters where status = 'active' and reports > 1",
    "claims": "select count(*) from claims",
    "price_intervals": "select count(*) from price_history",
    "conflicts": "select count(*) from conflicts",
}

_KEY = "inputs"  # kept in the record of the inputs, written by every refresh
_DELTAS = "kb_count_deltas"
# table → name → what one row adds (``{row}``: new or old)
_ROW = {
    "event_clusters": {"events": "coalesce({row}.status = 'active', 0)",
                       "multi_report_events": "coalesce({row}.status = 'active' and {row}.reports > 1, 0)"},
    "claims": {"claims": "1"}, "price_history": {"price_intervals": "1"}, "conflicts": {"conflicts": "1"},
}


def counted(db: sqlite_utils.Database) -> dict[str, int]:
    return {name: db.execute(sql).fetchone()[0] for name, sql in COUNTED.items()}


def kept(db: sqlite_utils.Database) -> dict[str, int] | None:
    """The counts of the last refresh, or None when it kept none."""
    row = db.execute(f"select value from knowledge_state where key = '{_KEY}'").fetchone()
    counts = json.loads(row[0]).get("counts") if row else None
    return counts if isinstance(counts, dict) and set(counts) == set(COUNTED) else None


def keep(db: sqlite_utils.Database, counts: dict[str, int]) -> None:
    """Keep ``counts`` with the inputs the refresh just recorded (:func:`kb.knowledge.incremental.finish`): a
    refresh by code that keeps none records its inputs without them, and the next one counts."""
    row = db.execute(f"select value from knowledge_state where key = '{_KEY}'").fetchone()
    if row is None:
        return
    inputs = json.loads(row[0])
    inputs["counts"] = counts
    db.execute(f"update knowledge_state set value = ? where key = '{_KEY}'",
               [json.dumps(inputs, ensure_ascii=False, sort_keys=True)])


def watch(db: sqlite_utils.Database) -> None:
    """Note, until :func:`unwatch`, how this connection's writes change the counts."""
    unwatch(db)
    db.execute(f"create temp table {_DELTAS} (name text primary key, n integer not null)")
    db.conn.executemany(f"insert into temp.{_DELTAS} (name, n) values (?, 0)", [(name,) for name in COUNTED])
    for table, adds in _ROW.items():
        names = ", ".join(f"'{name}'" for name in adds)
        for event, change in (("insert", "+ {new}"), ("delete", "- {old}"), ("update", "+ {new} - {old}")):
            if table != "event_clusters" and event == "update":
                continue  # an update changes no count of a whole table
            cases = " ".join(
                f"when '{name}' then 0 " + change.format(new=row.format(row="new"), old=row.format(row="old"))
                for name, row in adds.items())
            db.execute(f"create temp trigger kb_count_{table}_{event} after {event} on main.[{table}] begin "
                       f"update {_DELTAS} set n = n + (case name {cases} end) where name in ({names}); end")


def unwatch(db: sqlite_utils.Database, counts: dict[str, int] | None = None) -> dict[str, int] | None:
    """Stop noting; ``counts`` plus what changed since :func:`watch` (None without ``counts``)."""
    found = None
    if counts is not None and db.execute(f"select 1 from temp.sqlite_master where name = '{_DELTAS}'").fetchone():
        deltas = dict(db.execute(f"select name, n from temp.{_DELTAS}").fetchall())
        found = {name: counts[name] + deltas[name] for name in COUNTED}
    for table in _ROW:
        for event in ("insert", "delete", "update"):
            db.execute(f"drop trigger if exists temp.kb_count_{table}_{event}")
    db.execute(f"drop table if exists temp.{_DELTAS}")
    return found
