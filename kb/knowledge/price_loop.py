"""The price part of an incremental refresh, one model at a time.

A step of a crawl can touch every model of the KB, and the intervals of a model's windows hold every
observation in them with its disagreements (a dense synthetic site: hundreds of thousands): holding all
models' at once made the refresh's memory grow with the KB. A model's windows, history rows and price claims
depend on that model's observations alone, so they are made and written one model at a time, and only ids
(the window prices, the models done) outlive a model. The result is the same, row for row and id for id: new
history ids are handed out by a running last id in the order of the series (model first), the order the
history of every model at once used.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import sqlite_utils

from kb.knowledge.bulk import insert_rows, same_value
from kb.knowledge.claims import PriceGroup
from kb.knowledge.price_history import ReferenceCheck, history_rows
from kb.knowledge.price_window import model_windows
from kb.knowledge.read_ahead import ReadAhead
from kb.knowledge.scope import id_set

__all__ = ["PriceLoop", "write_history"]


def write_history(db: sqlite_utils.Database, rows: list[dict], previous: list[dict]) -> int:
    """Replace the stored ``previous`` rows of ``price_history`` with ``rows`` (ids included), writing only what
    differs: most intervals of a recomputed window come out as they were (at 1,000,000 articles, ~970 of ~1,100
    per 100 articles), and a delete and an insert rewrite the row and each index entry for nothing. A row that
    differs is written whole in place. Returns the rows written."""
    stored = {row["id"]: row for row in previous}
    made = {row["id"] for row in rows}
    gone = [(key,) for key in stored if key not in made]
    differ = [row for row in rows if row["id"] in stored
              and not all(same_value(value, stored[row["id"]][c]) for c, value in row.items())]
    new = [row for row in rows if row["id"] not in stored]
    db.conn.executemany("delete from price_history where id = ?", gone)
    if differ:
        columns = [column for column in differ[0] if column != "id"]
        db.conn.executemany(f"update price_history set {', '.join(f'[{c}] = ?' for c in columns)} where id = ?",
                            [tuple(row[c] for c in columns) + (row["id"],) for row in differ])
    return len(gone) + len(differ) + insert_rows(db, "price_history", new)


class PriceLoop:
    """Iterated, the price groups of :func:`kb.knowledge.claims.build_claims`: each touched model's prices in
    scope with the intervals of its windows, after its ``price_history`` rows are written; then the prices in
    scope of no such model (no interval: a range, a reported price, no model).

    ``prices`` (a subquery) selects every window price of the models done so far: complete once iterated.
    ``delete_stale``: before a model's claims are made, delete the stored claims of its window prices and their
    conflicts (for a caller that writes the claims as they are made, and so cannot know the window prices of
    every model before it deletes the stale claims)."""

    def __init__(self, db: sqlite_utils.Database, changed: str, reference_agrees: ReferenceCheck,
                 delete_stale: bool = False, read_ahead: ReadAhead | None = None):
        self.db, self.changed, self.delete_stale, self.read_ahead = db, changed, delete_stale, read_ahead
        self.last_id = db.execute("select coalesce(max(id), 0) from price_history").fetchone()[0]
        self.prices = id_set(db, "kb_prices", [])
        self.models = id_set(db, "kb_price_models", [])
        self.of_model = id_set(db, "kb_model_prices", [])
        self.intervals = self.history = 0  # written, for the log
        self.seconds = [0.0, 0.0]  # wall clock and CPU of the windows and history rows, for the log
        # read now: what the changed articles state and stated, before any of their claims is rewritten
        self.windows = model_windows(db, changed, reference_agrees)

    def __iter__(self) -> Iterator[PriceGroup]:
        db = self.db
        windows = iter(self.windows)
        while True:
            wall, cpu = time.perf_counter(), time.process_time()
            found = next(windows, None)
            if found is None:
                break
            model_id, intervals, previous = found
            rows = history_rows(intervals, previous, self.last_id)
            self.last_id = max([self.last_id] + [row["id"] for row in rows])  # kept ids are below the first last id
            self.history += write_history(db, rows, previous)
            self.intervals += len(intervals)
            ids = [(o.price_id,) for interval in intervals for o in interval.members]
            if self.read_ahead is not None:
                # their stored claims and conflicts, compared after every model's claims are made
                self.read_ahead.claims("prices", [price for price, in ids])
            db.execute("delete from temp.kb_model_prices")
            db.conn.executemany("insert or ignore into temp.kb_model_prices (id) values (?)", ids)
            db.conn.executemany("insert or ignore into temp.kb_prices (id) values (?)", ids)
            db.execute("insert or ignore into temp.kb_price_models (id) values (?)", [model_id])
            if self.delete_stale:
                stale = f"select id from claims where fact_table = 'prices' and fact_id in {self.of_model}"
                db.execute(f"delete from conflicts where claim_id in ({stale})")
                db.execute(f"delete from claims where id in ({stale})")
            self.seconds[0] += time.perf_counter() - wall
            self.seconds[1] += time.process_time() - cpu
            # by the article index and the ids: the model's own index would read all its prices
            yield (f"where p.id in {self.of_model} or (p.article_id in {self.changed} and +p.model_id = ?)",
                   [model_id], intervals)
            del found, intervals, previous, rows, ids
        yield (f"where p.article_id in {self.changed} and (p.model_id is null or p.model_id not in {self.models})",
               [], [])
