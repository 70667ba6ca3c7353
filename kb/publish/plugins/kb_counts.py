"""Counts and facets of big table pages from the count tables (issue 13): a Datasette plugin.

A facet clicked on the articles, events or prices table (``articles?language=ko``,
``events?company_id=openai``) makes Datasette count the rows it selects and group them by each
facet column: 550,000 Korean articles, 340,000 OpenAI events per view at 1,000,000 articles.
Migration 013 keeps ``article_counts``, ``event_counts`` and ``price_counts`` (rows per outlet
× language, company × type, model × kind × currency) exact with triggers, so the same numbers are
a sum over a few thousand rows.

Datasette has no hook for its count or its column facets, so this plugin wraps the KB database's
``execute``: a query of exactly the shape Datasette builds for them (``select count(*) from
articles where language = :p0``, the column facet over such a page) whose every filter is an
equality on a counted column is answered from the count table; any other query (a search, a range,
a ``_where``, the next page) runs as it is. It also gives the row page's count of the rows that point at the
row 20 ms: Datasette leaves the list out when that count is stopped. Standard library and Datasette only.
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl

# table → (its count table, the columns counted): kept in step with kb.knowledge.summary.COUNT_TABLES
COUNTED = {
    "articles": ("article_counts", ("source_id", "language")),
    "events": ("event_counts", ("company_id", "type")),
    "prices": ("price_counts", ("model_id", "kind", "currency")),
}
# Datasette's row page counts, per table pointing at the row, the rows that do ("foreign_key_tables"): our entity
# and article pages do not show them, and for the most-mentioned company they are millions of index entries.
_ROW_REFERENCES = "select (select count(*) from "
REFERENCE_COUNT_MS = 20
_NAME = r'(?:\[(\w+)\]|"(\w+)"|(\w+))'
_EQUALS = re.compile(rf"^{_NAME} = :(p\d+)$")
_COUNT = re.compile(r"^select count\(\*\) from (\w+) (?:where (.+?) )?$", re.S)
_FACET = re.compile(
    rf"^\s*select (?P<col>{_NAME}) as value, count\(\*\) as count from \(\s*select .+? from (?P<table>\w+) "
    r"(?:where (?P<where>.+?) )?\s*\)\s*where (?P=col) is not null\s*group by (?P=col) "
    r"order by count desc, value limit (?P<limit>\d+)\s*$", re.S)


def _column(match: re.Match, first: int = 1) -> str:
    return next(g for g in match.groups()[first - 1:first + 2] if g)


def _equalities(where: str | None, columns: tuple[str, ...]) -> list[str] | None:
    """The filters as SQL on the count table, or None when one is not ``counted column = :pN``."""
    if not where:
        return []
    clauses = []
    for clause in where.split(" and "):
        found = _EQUALS.match(clause.strip())
        if not found or _column(found) not in columns:
            return None
        clauses.append(f"{_column(found)} = :{found.group(4)}")
    return clauses


def counted_sql(sql: str) -> str | None:
    """The count-table query that gives the same rows as Datasette's count or column facet ``sql``, or None."""
    found = _COUNT.match(sql)
    if found and found.group(1) in COUNTED:
        table, columns = COUNTED[found.group(1)]
        clauses = _equalities(found.group(2), columns)
        if clauses is None:
            return None
        where = f" where {' and '.join(clauses)}" if clauses else ""
        return f'select coalesce(sum(rows), 0) as "count(*)" from {table}{where}'
    found = _FACET.match(sql)
    if found and found.group("table") in COUNTED:
        table, columns = COUNTED[found.group("table")]
        column = next(g for g in found.groups()[1:4] if g)
        clauses = _equalities(found.group("where"), columns)
        if clauses is None or column not in columns:
            return None
        where = " and ".join([*clauses, f"{column} is not null"])
        return (f"select {column} as value, sum(rows) as count from {table} where {where} "
                f"group by {column} order by count desc, value limit {int(found.group('limit'))}")
    return None


def answer_from_counts(db: Any) -> None:
    """Wrap ``db.execute`` so that counts and facets it can answer come from the count tables."""
    if getattr(db.execute, "kb_counts", False):
        return
    original = db.execute
    present: dict[str, bool] = {}

    async def execute(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(sql, str) and sql.startswith(_ROW_REFERENCES) and not args and "custom_time_limit" not in kwargs:
            # a row page's count of the rows pointing at it (OpenAI: 1.6 M mentions); stopped, Datasette leaves it out
            kwargs["custom_time_limit"] = REFERENCE_COUNT_MS
        rewritten = counted_sql(sql) if isinstance(sql, str) else None
        if rewritten:
            table = rewritten.split(" from ", 1)[1].split()[0]
            if table not in present:  # a KB from before migration 013 has none: Datasette counts as before
                found = await original("select 1 from sqlite_master where type = 'table' and name = ?", [table])
                present[table] = bool(found.rows)
            if present[table]:
                return await original(rewritten, params, *args, **kwargs)
        return await original(sql, params, *args, **kwargs)

    execute.kb_counts = True  # type: ignore[attr-defined]
    db.execute = execute


@hookimpl
def startup(datasette: Any) -> None:
    for name, db in datasette.databases.items():
        if name != "_internal":
            answer_from_counts(db)


__all__ = ["COUNTED", "answer_from_counts", "counted_sql"]
