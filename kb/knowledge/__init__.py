"""What the reports add up to: events across outlets, claims, price history, conflicts.

:func:`refresh` recomputes every derived table from the facts the extractor
stored, so it can run after any ingestion, as often as wanted, with the same
result: event clusters (ids kept stable, merged ids redirected), claims with
their corroboration and status, the dated price history, and the conflicts
with the news and with the latest reference price list.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from kb.knowledge.bulk import insert_rows
from kb.knowledge.claims import build_claims, reference_check
from kb.knowledge.clusters import refresh_clusters
from kb.knowledge.merge import apply_redirects
from kb.knowledge.price_history import build_history, history_rows, load_observations
from kb.knowledge.reference import load_book
from kb.knowledge.summary import refresh_summaries

__all__ = ["Summary", "refresh"]


@dataclass(frozen=True)
class Summary:
    events: int
    multi_report_events: int
    claims: int
    price_intervals: int
    conflicts: int

    def __str__(self) -> str:
        return (f"{self.events} events ({self.multi_report_events} reported more than once), {self.claims} claims, "
                f"{self.price_intervals} price intervals, {self.conflicts} conflicts")


def refresh(db: sqlite_utils.Database) -> Summary:
    """Recompute clusters, claims, price history, conflicts and the site's summary tables, in one transaction."""
    with db.conn:
        db.execute("pragma defer_foreign_keys = on")
        apply_redirects(db)
        refresh_clusters(db)
        book = load_book(db)
        intervals = build_history(load_observations(db), reference_agrees=reference_check(book))
        claims, conflicts = build_claims(db, intervals, book)
        db.execute("delete from conflicts")
        db.execute("delete from claims")
        db.execute("delete from price_history")
        insert_rows(db, "price_history", history_rows(intervals))
        for number, claim in enumerate(claims, start=1):
            claim["id"] = number
        insert_rows(db, "claims", claims)
        for conflict in conflicts:
            conflict["claim_id"] = claims[conflict.pop("claim")]["id"]
        insert_rows(db, "conflicts", conflicts)
        refresh_summaries(db)
    multi = db.execute("select count(*) from event_clusters where status = 'active' and reports > 1").fetchone()[0]
    active = db.execute("select count(*) from event_clusters where status = 'active'").fetchone()[0]
    return Summary(active, multi, len(claims), len(intervals), len(conflicts))
