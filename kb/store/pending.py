"""What an incremental knowledge refresh needs from the store: which articles changed since the last refresh.

An article stored or re-extracted is listed in ``refresh_pending`` once, with what the summary tables
counted for it at the last refresh (publication date, first crawl, the entities it named, the roles it
stated): the refresh
subtracts that and adds what the article says now, without reading any other article. Only the first
change after a refresh is recorded; a later one would record a state no refresh ever counted.
"""

from __future__ import annotations

import sqlite_utils

__all__ = ["mark_new", "mark_changing"]


def mark_new(db: sqlite_utils.Database, article_id: int) -> None:
    """A new article: nothing of it is counted yet."""
    db.execute("insert or ignore into refresh_pending (article_id, counted) values (?, 0)", [article_id])


def mark_changing(db: sqlite_utils.Database, article_id: int) -> None:
    """An article whose text, date or facts are about to be replaced: remember what was counted of it."""
    db.execute(
        "insert or ignore into refresh_pending (article_id, counted, published_date, first_seen, entities, roles) "
        "select a.id, 1, a.published_date, a.first_seen, "
        "  (select json_group_array(entity_id) from (select distinct entity_id from mentions where article_id = a.id)), "
        "  (select json_group_array(json_array(person_id, role, organization_id)) from person_roles where article_id = a.id) "
        "from articles a where a.id = ?", [article_id])
