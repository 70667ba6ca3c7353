"""Entity merges: a candidate found to be another name of a known entity.

Nothing is deleted. The old entity keeps its row (status ``merged``) and its
aliases, a row in ``entity_redirects`` says where it went, and every fact that
named it is pointed at the new one. Re-extraction brings the old id back (the
extractor does not know about merges), so :func:`apply_redirects` runs on every
refresh and points such facts again.
"""

from __future__ import annotations

import sqlite_utils

from kb.store.save import utc_now

__all__ = ["MergeError", "merge_entities", "apply_redirects", "mark_merged", "resolve_entity", "entity_redirects"]

# (table, column) of every place that names an entity.
ENTITY_COLUMNS = (
    ("mentions", "entity_id"),
    ("prices", "model_id"),
    ("events", "company_id"),
    ("events", "model_id"),
    ("events", "person_id"),
    ("person_roles", "person_id"),
    ("person_roles", "organization_id"),
    ("entities", "developer_id"),
    ("entities", "organization_id"),
)


class MergeError(ValueError):
    """A merge that would lose or tangle history."""


def entity_redirects(db: sqlite_utils.Database) -> dict[str, str]:
    """old id → final id, chains followed (a → b → c gives a → c)."""
    direct = {row["old_id"]: row["new_id"] for row in db["entity_redirects"].rows}
    resolved = {}
    for old in direct:
        target, seen = direct[old], {old}
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        resolved[old] = target
    return resolved


def resolve_entity(db: sqlite_utils.Database, entity_id: str) -> str:
    """The id an entity goes by now."""
    return entity_redirects(db).get(entity_id, entity_id)


def merge_entities(db: sqlite_utils.Database, old_id: str, new_id: str, *, reason: str | None = None) -> dict[str, int]:
    """Merge ``old_id`` into ``new_id``; returns how many fact rows were pointed at the new id."""
    old, new = _entity(db, old_id), _entity(db, new_id)
    if old_id == new_id:
        raise MergeError(f"cannot merge {old_id} into itself")
    if old["type"] != new["type"]:
        raise MergeError(f"cannot merge {old_id} ({old['type']}) into {new_id} ({new['type']})")
    redirects = entity_redirects(db)
    if old_id in redirects:
        raise MergeError(f"{old_id} was already merged into {redirects[old_id]}")
    if new_id in redirects:
        raise MergeError(f"{new_id} was itself merged into {redirects[new_id]}; merge into that instead")
    with db.conn:
        db["entity_redirects"].insert(
            {"old_id": old_id, "new_id": new_id, "reason": reason or "same entity", "merged_at": utc_now()}
        )
        db["entities"].update(old_id, {"status": "merged"})
        counts = apply_redirects(db)
    return counts


def mark_merged(db: sqlite_utils.Database) -> None:
    """Merged entities say so (the gazetteer sync resets their status)."""
    for old in entity_redirects(db):
        db.execute("update entities set status = 'merged' where id = ?", [old])


def apply_redirects(db: sqlite_utils.Database, *, articles: str | None = None) -> dict[str, int]:
    """Point every fact that names a merged entity at the entity it was merged into (only the facts of the
    articles the subquery ``articles`` selects, when given: the others were pointed before)."""
    counts: dict[str, int] = {}
    for old, new in entity_redirects(db).items():
        db.execute("update entities set status = 'merged' where id = ?", [old])  # the gazetteer sync resets it
        for table, column in ENTITY_COLUMNS:
            only = f" and article_id in {articles}" if articles and table != "entities" else ""
            cursor = db.execute(f"update [{table}] set [{column}] = ? where [{column}] = ?{only}", [new, old])
            if cursor.rowcount:
                counts[table] = counts.get(table, 0) + cursor.rowcount
        # the new entity answers to the old one's names too; the old keeps them as history
        db.execute(
            "insert or ignore into aliases (entity_id, alias, language) select ?, alias, language from aliases where entity_id = ?",
            [new, old],
        )
    return counts


def _entity(db: sqlite_utils.Database, entity_id: str) -> dict:
    row = next(db["entities"].rows_where("id = ?", [entity_id], limit=1), None)
    if row is None:
        raise MergeError(f"no entity with id {entity_id}")
    return row
