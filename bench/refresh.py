"""The knowledge refresh after a crawl: N articles added to a large KB, incremental refresh vs full.

The KB (built by ``bench/synthetic_kb.py``) is written to: use a copy. When its derived tables were
never computed (a freshly built synthetic KB), a full refresh runs first and is timed. Then N articles
are stored the way a crawl stores them (``kb.pipeline.ingest``: parse, extract, store): the demo
articles, each under a new URL, with a publication date drawn from the KB's years and a line of its own
so no two are one text. One timing is ``refresh(db, incremental=True)`` for them; with ``--full``, a full
refresh after it is timed too and the derived tables compared (they must be equal).

    .venv/bin/python bench/refresh.py --kb /tmp/kb-bench/copy.db [--add 100] [--full] [--seed 1] [--steps]

``--steps`` prints where the incremental refresh spent its time (wall clock and CPU per step: the machine is
shared, and a step that waits shows it). ``--rollback`` rolls the incremental refresh back (the articles stay
pending); ``--add 0 --rollback`` then refreshes the same pending batch again: two versions of the code, or two
runs of one, timed on one batch.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.demo.site import DemoSite, load_articles  # noqa: E402
from kb.knowledge import refresh  # noqa: E402
from kb.parse import parse_bytes  # noqa: E402
from kb.pipeline import ingest, prepare  # noqa: E402
from kb.store import open_db, write_transaction  # noqa: E402

# what a refresh writes, compared after it, with the columns that say when a row was written
CLOCK = {"event_clusters": {"created_at", "updated_at"}, "event_reports": set(), "event_redirects": {"redirected_at"},
         "claims": set(), "conflicts": set(), "price_history": set(), "entity_months": set(), "entity_stats": set(),
         "co_mentions": set(), "entity_weeks": set(), "price_change_reports": set()}


def timed(label: str, action):
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:8.2f} s (CPU {time.process_time() - cpu:6.2f} s)   {result}", flush=True)
    return seconds, result


def new_articles(count: int, seed: int):
    """``count`` parsed demo articles with new URLs, dates and a line of their own."""
    rng = random.Random(seed)
    site = DemoSite("http://demo.test", load_articles())
    pages = [(site.article_url(a), site.get(site.article_url(a).removeprefix(site.base_url)).body) for a in site.articles]
    for number in range(count):
        url, body = pages[number % len(pages)]
        article = parse_bytes(body, url=url)
        day = f"{rng.randint(2023, 2026)}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        yield body, replace(article, url=f"https://bench.test/refresh/{seed}/{number}",
                            published=f"{day}T{rng.randint(0, 23):02d}:00:00+00:00",
                            text=f"{article.text}\nBench line {seed}-{number}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, required=True, help="a copy of a synthetic KB (it is written to)")
    parser.add_argument("--add", type=int, default=100, help="articles to add (default 100)")
    parser.add_argument("--full", action="store_true", help="also time a full refresh after the incremental one")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", action="store_true", help="print the incremental refresh's steps and their times")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the incremental refresh to this file")
    parser.add_argument("--rollback", action="store_true",
                        help="roll the incremental refresh back (its articles stay pending; --add 0 refreshes them again)")
    args = parser.parse_args(argv)
    if args.steps:
        logging.basicConfig(format="  %(message)s", stream=sys.stdout)
        logging.getLogger("kb.knowledge").setLevel(logging.DEBUG)  # the refresh's and its steps' lines

    db = open_db(args.kb)
    articles = db.execute("select count(*) from articles").fetchone()[0]
    print(f"{args.kb}: {articles:,} articles", flush=True)
    if db.execute("select count(*) from knowledge_state where key = 'inputs'").fetchone()[0] == 0 \
            or (args.add and db.execute("select count(*) from refresh_pending").fetchone()[0]):
        with write_transaction(db):
            timed("full refresh (first)", lambda: refresh(db))
    gazetteer = prepare(db)
    documents = list(new_articles(args.add, args.seed))

    def add():
        with write_transaction(db):
            return [ingest(db, article, gazetteer, html=body).status for body, article in documents].count("new")

    if args.add:
        timed(f"store {args.add} articles (extract)", add)

    class RolledBack(Exception):
        pass

    def incremental():
        try:
            with write_transaction(db):
                summary = refresh(db, incremental=True)
                committing = time.perf_counter()
                if args.rollback:
                    raise RolledBack
        except RolledBack:
            print("  rolled back (the articles stay pending)")
            return summary
        if args.steps:
            print(f"  commit {time.perf_counter() - committing:.2f} s")
        return summary

    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
        seconds, summary = timed(f"incremental refresh ({args.add})", lambda: profiler.runcall(incremental))
        profiler.dump_stats(str(args.profile))
    else:
        seconds, summary = timed(f"incremental refresh ({args.add})", incremental)
    if summary.changed_articles is None:
        print("(the incremental refresh fell back to a full one)")
    if args.full:
        after_incremental = _tables(db)

        def full():
            with write_transaction(db):
                return refresh(db)

        full_seconds, _ = timed("full refresh", full)
        after_full = _tables(db)
        same = after_full == after_incremental
        differ = [table for table in CLOCK if after_full[table] != after_incremental[table]]
        print(f"incremental = full: {'yes' if same else 'NO'}; speed-up {full_seconds / seconds:.0f}x"
              + (f" (tables that differ: {', '.join(differ)})" if differ else ""), flush=True)
        return 0 if same else 1
    return 0


def _tables(db) -> dict[str, str]:
    """A digest of every derived table (clock columns left out), to compare two refreshes of one KB."""
    found = {}
    for table, clock in CLOCK.items():
        columns = ", ".join(f"[{c}]" for c in db[table].columns_dict if c not in clock)
        digest = hashlib.sha256()
        for row in db.execute(f"select {columns} from [{table}] order by {columns}"):
            digest.update(repr(tuple(row)).encode())
        found[table] = digest.hexdigest()[:12]
    return found


if __name__ == "__main__":
    sys.exit(main())
