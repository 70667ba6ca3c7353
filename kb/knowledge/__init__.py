"""What the reports add up to: events across outlets, claims, price history, conflicts.

:func:`refresh` recomputes every derived table from the facts the extractor
stored, so it can run after any ingestion, as often as wanted, with the same
result: event clusters (ids kept stable, merged ids redirected), claims with
their corroboration and status, the dated price history, and the conflicts
with the news and with the latest reference price list.

``refresh(db, incremental=True)`` gives the same tables in time proportional to
what changed: it recomputes only what the articles stored since the last refresh
touch (the store lists them in ``refresh_pending``), see :mod:`kb.knowledge.incremental`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import sqlite_utils

from kb.knowledge.bulk import insert_rows
from kb.knowledge.claims import build_claims, reference_check
from kb.knowledge.clusters import refresh_clusters
from kb.knowledge.counts import counted, keep, kept, unwatch, watch
from kb.knowledge.incremental import finish, refresh_changed, start
from kb.knowledge.merge import apply_redirects
from kb.knowledge.price_history import build_history, history_rows, load_observations
from kb.knowledge.reference import load_book
from kb.knowledge.summary import refresh_summaries

__all__ = ["Summary", "refresh"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    events: int
    multi_report_events: int
    claims: int
    price_intervals: int
    conflicts: int
    changed_articles: int | None = None  # None: everything was recomputed

    def __str__(self) -> str:
        scope = "" if self.changed_articles is None else f" (updated for {self.changed_articles} changed articles)"
        return (f"{self.events} events ({self.multi_report_events} reported more than once), {self.claims} claims, "
                f"{self.price_intervals} price intervals, {self.conflicts} conflicts{scope}")


def refresh(db: sqlite_utils.Database, *, incremental: bool = False) -> Summary:
    """Recompute clusters, claims, price history, conflicts and the site's summary tables, in one transaction.

    ``incremental``: only for the articles stored or re-extracted since the last refresh, when that is
    possible and worth it (else everything, as without it)."""
    clock = [("start", time.perf_counter(), time.process_time())]

    def tick(name: str) -> None:
        clock.append((name, time.perf_counter(), time.process_time()))

    with db.conn:
        db.execute("pragma defer_foreign_keys = on")
        pending = start(db) if incremental else None
        tick("start")
        counts = None
        if pending is not None:
            before = kept(db)
            watch(db)
            try:
                refresh_changed(db, pending)
            finally:
                counts = unwatch(db, before)
            changed: int | None = len(pending)
        else:
            _refresh_all(db)
            changed = None
        tick("refresh")
        if counts is None:
            counts = counted(db)
        tick("counts")
        finish(db)
        keep(db, counts)
        tick("finish")
    tick("commit")
    log.debug("refresh: %s", ", ".join(f"{name} {wall - clock[i][1]:.2f} s (CPU {cpu - clock[i][2]:.2f})"
                                         for i, (name, wall, cpu) in enumerate(clock[1:])))
    return Summary(**counts, changed_articles=changed)


def _refresh_all(db: sqlite_utils.Database) -> None:
    apply_redirects(db)
    _, scope = refresh_clusters(db)
    book = load_book(db)
    intervals = build_history(load_observations(db), reference_agrees=reference_check(book))
    claims, conflicts = build_claims(db, intervals, book)
    previous = list(db.query("select * from price_history"))
    last_id = db.execute("select coalesce(max(id), 0) from price_history").fetchone()[0]
    db.execute("delete from conflicts")
    db.execute("delete from claims")
    db.execute("delete from price_history")
    insert_rows(db, "price_history", history_rows(intervals, previous, last_id))
    insert_rows(db, "claims", claims)
    insert_rows(db, "conflicts", conflicts)
    refresh_summaries(db)
