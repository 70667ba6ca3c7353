"""The knowledge refresh for what changed: the articles stored or re-extracted since the last refresh.

Every derived table is a function of groups that do not look at each other: event clusters of one event
type and subject, the price history of one series, the role claims of one person, summary counts per
entity. An incremental refresh finds the groups the changed articles are in now or were in at the last
refresh (the derived tables themselves say that, and ``refresh_pending`` what the summaries counted) and
recomputes, with the code of the full refresh, a window of days of each around the changes: clusters and
price histories are sweeps over days whose state is small (the last anchor, the last change point), so a
sweep restarted where the old one had that state, and run until the old and the new meet again, gives
the same result as the whole (:mod:`kb.knowledge.clusters`, :mod:`kb.knowledge.price_window`). A popular
model's group is tens of thousands of reports at a million articles; its window, a few weeks.

What else the tables depend on (entity names and merges, the reference price list, outlet names) is
fingerprinted at every refresh; when it changed since, or when most of the KB changed (``kb reprocess``),
a full refresh runs instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable

import sqlite_utils

from kb.knowledge.bulk import chunks, insert_rows, same_value
from kb.knowledge.claims import ClaimScope, build_claims, reference_check, role_corroborations
from kb.knowledge.clusters import refresh_clusters
from kb.knowledge.merge import apply_redirects, mark_merged
from kb.knowledge.price_loop import PriceLoop
from kb.knowledge.read_ahead import ReadAhead
from kb.knowledge.reference import load_book
from kb.knowledge.scope import id_set
from kb.knowledge.summary import update_summaries

__all__ = ["start", "refresh_changed", "finish", "write_claims", "replace_claims", "FULL_ABOVE", "COMPARE_UP_TO"]

# Above this many changed articles (and this share of the KB), recomputing everything is as quick.
FULL_ABOVE = (5_000, 0.05)
# Up to this many changed articles, recomputed claims are compared with the stored ones and only those that
# differ are written (most come out as they were); above it they are streamed in place of the stale ones.
COMPARE_UP_TO = 1_000
# Rows compared with the stored ones at a time.
COMPARE_CHUNK = 5_000

log = logging.getLogger(__name__)


def _digest(rows) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(list(row), ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def fingerprint(db: sqlite_utils.Database) -> dict:
    """What the derived tables depend on besides the facts of their own articles."""
    return {
        # candidates are only ever added (a new one has no facts of earlier articles); curated rows can change
        "entities": _digest(db.execute("select id, type, name, status, developer_id, organization_id from entities "
                                       "where status != 'candidate' order by id")),
        "redirects": _digest(db.execute("select old_id, new_id from entity_redirects order by old_id")),
        "reference": _digest(db.execute("select id, sha256, as_of, entries from reference_snapshots order by id")),
        # the same list imported again is mapped again, to the entities of the day
        "reference_prices": _digest(db.execute("select snapshot_id, key, seller_id, model_id, kind, usd_per_million_tokens "
                                               "from reference_prices order by id")),
        "sources": {row[0]: row[1] for row in db.execute("select id, name from sources")},
    }


def _same_inputs(before: dict, now: dict) -> bool:
    # a new outlet changes no existing row; a renamed one does
    sources = before.get("sources", {})
    return all(before.get(k) == now[k] for k in ("entities", "redirects", "reference", "reference_prices")) and \
        all(now["sources"].get(k) == v for k, v in sources.items())


def start(db: sqlite_utils.Database) -> list[dict] | None:
    """The changed articles (rows of ``refresh_pending``), or None when only a full refresh is right."""
    if "refresh_pending" not in db.table_names():
        return None
    mark_merged(db)  # the gazetteer sync resets merged entities; not a change of what was computed
    stored = db.execute("select value from knowledge_state where key = 'inputs'").fetchone()
    if stored is None or not _same_inputs(json.loads(stored[0]), fingerprint(db)):
        return None
    pending = list(db.query("select * from refresh_pending order by article_id"))
    articles = db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
    if len(pending) > max(FULL_ABOVE[0], FULL_ABOVE[1] * articles):
        return None
    return pending


def finish(db: sqlite_utils.Database) -> None:
    """The derived tables are up to date with every article, and with these inputs."""
    db.execute("delete from refresh_pending")
    db.execute("insert or replace into knowledge_state (key, value) values ('inputs', ?)",
               [json.dumps(fingerprint(db), ensure_ascii=False, sort_keys=True)])


def refresh_changed(db: sqlite_utils.Database, pending: list[dict]) -> None:
    """Recompute what the ``pending`` articles touch, in the order of the full refresh."""
    ids = [row["article_id"] for row in pending]
    if not ids:
        return
    clock = _Clock()
    ahead = ReadAhead(db)
    try:
        _refresh_changed(db, pending, ids, clock, ahead)
    finally:
        ahead.close()


def _refresh_changed(db: sqlite_utils.Database, pending: list[dict], ids: list[int], clock: _Clock,
                     ahead: ReadAhead) -> None:
    changed = id_set(db, "kb_changed", ids)
    apply_redirects(db, articles=changed)  # a re-extraction names merged entities again
    _, clusters = clock("clusters", lambda: refresh_clusters(db, ids))
    changed = id_set(db, "kb_changed", ids)
    book = load_book(db)
    compare = len(ids) <= COMPARE_UP_TO
    # one model's windows, history rows and price claims at a time (the price claims are read as the claims are
    # listed or written); streamed claims cannot wait for every model's window prices to delete the stale ones
    loop = clock("price windows", lambda: PriceLoop(db, changed, reference_check(book), delete_stale=not compare,
                                                    read_ahead=ahead if compare else None))
    if compare:
        # the events of the recomputed clusters, their claims and conflicts: read by the claims steps, after every
        # model's price windows
        events = sorted(clusters.event_ids)
        ahead.rows("events", events, "length(t.evidence)")
        ahead.claims("events", events)
    scope = ClaimScope(articles=changed, prices=loop.prices, events=id_set(db, "kb_events", clusters.event_ids))
    claims, conflicts = build_claims(db, [], book, scope, price_groups=loop, hold=compare)
    if compare:
        # the claims are made as they are compared (a chunk at a time); the stale ones are known once every
        # model's window prices are, after the claims
        written = clock("claims", lambda: write_claims(db, claims, conflicts, lambda: stale_claims(db, scope)))
    else:
        stale = clock("stale claims", lambda: stale_claims(db, scope))
        written = clock("claims", lambda: replace_claims(db, claims, conflicts, stale))
    clock.moved("claims", "price windows", *loop.seconds)
    clock("roles", lambda: role_corroborations(
        db, scope, {tuple(role) for row in pending for role in json.loads(row["roles"] or "[]")}))
    clock("summaries", lambda: update_summaries(db, pending))
    for name in ("kb_changed", "kb_prices", "kb_events", "kb_stale_claims", "kb_history", "kb_window_prices",
                 "kb_window_articles", "kb_old_clusters", "kb_price_models", "kb_model_prices"):
        db.execute(f"drop table if exists temp.{name}")
    log.debug("incremental refresh of %d articles: %s, the rest %.2f s (%s, %d rows written)", len(ids), clock,
              time.perf_counter() - clock.started - sum(wall for wall, _ in clock.steps.values()),
              "claims compared" if compare else "claims streamed", written)


def stale_claims(db: sqlite_utils.Database, scope: ClaimScope) -> str:
    """The stored claims the recomputed ones replace, as a subquery of ids."""
    return id_set(db, "kb_stale_claims", [row[0] for query in scope.stale() for row in db.execute(query)])


def replace_claims(db: sqlite_utils.Database, claims: Iterable[dict], conflicts: Iterable[dict], stale: str) -> int:
    """Delete the stored claims ``stale`` selects and their conflicts, then write the streams of ``build_claims``
    as they are made: many changed articles recompute most claims, and lists of them to compare would hold
    the KB's conflicts in memory (a 5,000-article step of a 20,000-article crawl: 1.5 GB)."""
    db.execute(f"delete from conflicts where claim_id in {stale}")
    db.execute(f"delete from claims where id in {stale}")
    return insert_rows(db, "claims", claims) + insert_rows(db, "conflicts", conflicts)


def write_claims(db: sqlite_utils.Database, claims: Iterable[dict], conflicts: Iterable[dict],
                 stale: str | Callable[[], str]) -> int:
    """Replace the stored claims ``stale`` (a subquery of ids, or what makes it once the claims are read) selects,
    and their conflicts, with ``claims`` and ``conflicts`` (ids included), writing only what differs: most claims
    and conflicts of a recomputed window come out as they were, and most of the others differ in a count (a new
    outlet corroborates a price). A row that differs is updated in place, only in the columns that differ: a
    delete and an insert would rewrite every index of a table of millions of rows (claims have six) and take the
    claim's conflicts with it. Rows are compared a chunk at a time (a few articles can touch most windows of a
    dense KB: lists of every row, stored and made, held 870 MB); the stored ones no longer made are deleted last,
    conflicts first. Returns the rows written."""
    made_claims = id_set(db, "kb_made_claims", [])
    made_conflicts = id_set(db, "kb_made_conflicts", [])
    written = _write_chunks(db, "claims", claims, "kb_made_claims")
    written += _write_chunks(db, "conflicts", conflicts, "kb_made_conflicts")
    log.debug("%d claims and %d conflicts recomputed", *(db.execute(f"select count(*) from {made}").fetchone()[0]
                                                          for made in (made_claims, made_conflicts)))
    stale = stale() if callable(stale) else stale
    for table, where in (("conflicts", f"claim_id in {stale} and id not in {made_conflicts}"),
                         ("claims", f"id in {stale} and id not in {made_claims}")):
        written += db.execute(f"delete from [{table}] where {where}").rowcount
    for name in ("kb_made_claims", "kb_made_conflicts"):
        db.execute(f"drop table if exists temp.{name}")
    return written


def _write_chunks(db: sqlite_utils.Database, table: str, rows: Iterable[dict], made: str) -> int:
    written = 0
    for chunk in chunks(rows, COMPARE_CHUNK):
        db.conn.executemany(f"insert or ignore into temp.{made} (id) values (?)", [(row["id"],) for row in chunk])
        written += _Differences(db, table, chunk).write(db)
    return written


class _Differences:
    """How the stored rows of ``table`` with the ids of ``rows`` differ from them: rows new, and per row that
    differs the columns that do. Strictly: the same value of the same type in every column (a bool is stored as
    an integer; anything else that differs in type is written again)."""

    def __init__(self, db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
        columns = list(db[table].columns_dict)
        if columns[0] != "id":
            raise ValueError(f"{table}: the first column must be the id")
        self.table, self.columns = table, columns
        stored = {row[0]: row for row in db.execute(
            f"select {', '.join(f'[{c}]' for c in columns)} from [{table}] where id in "
            f"(select value from json_each(?))", [json.dumps([row["id"] for row in rows])])}
        self.new: list[dict] = []
        self.updates: dict[tuple[str, ...], list[tuple]] = {}
        for row in rows:
            old = stored.get(row["id"])
            if old is None:
                self.new.append(row)
                continue
            values = tuple(map(row.get, columns))  # True == 1: a bool compares as the integer it is stored as
            if values == old and list(map(type, values)) == list(map(type, old)):
                continue
            differ = tuple(i for i, (a, b) in enumerate(zip(values, old)) if not same_value(a, b))
            if differ:
                self.updates.setdefault(differ, []).append(tuple(values[i] for i in differ) + (row["id"],))

    def write(self, db: sqlite_utils.Database) -> int:
        """The updates, then the new rows."""
        for differ, values in self.updates.items():
            assignments = ", ".join(f"[{self.columns[i]}] = ?" for i in differ)
            db.conn.executemany(f"update [{self.table}] set {assignments} where id = ?", values)
        return sum(map(len, self.updates.values())) + insert_rows(db, self.table, self.new)


class _Clock:
    """Seconds per step, wall clock and CPU, for the log (``bench/refresh.py --steps``): where a slow refresh
    spends its time, and how much of it is waiting (the disk, or a machine shared with other work)."""

    def __init__(self):
        self.steps: dict[str, tuple[float, float]] = {}
        self.started = time.perf_counter()

    def __call__(self, name: str, action):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        before = self.steps.get(name, (0.0, 0.0))
        self.steps[name] = (before[0] + time.perf_counter() - wall, before[1] + time.process_time() - cpu)
        return result

    def __str__(self) -> str:
        return ", ".join(f"{name} {wall:.2f} s (CPU {cpu:.2f})" for name, (wall, cpu) in self.steps.items())

    def moved(self, source: str, target: str, wall: float, cpu: float) -> None:
        """Count time measured inside one step (``source``) as another's (``target``): the price windows run as
        the claims are made."""
        for name, sign in ((source, -1), (target, 1)):
            before = self.steps.get(name, (0.0, 0.0))
            self.steps[name] = (before[0] + sign * wall, before[1] + sign * cpu)
