"""`kb reprocess` throughput with 1 and with N extraction workers, on a KB of synthetic pages.

The KB holds N articles of the crawl benchmark's synthetic site (``bench/crawl.py``: Korean and
English outlets, their pages stored as a crawl stores them), loaded without extraction. Each run is
the real ``kb reprocess --workers W`` in a subprocess on a fresh copy; the rate counts articles per
second of its wall time, start-up and the final knowledge refresh included. With ``--in-process``,
only :func:`kb.pipeline.reextract_all` is timed (no start-up, no refresh), with the CPU time of
the writer and of the workers. The facts the runs
store are compared: they must be the same whatever the number of workers.

    .venv/bin/python bench/reprocess.py [--articles 3000] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl import BenchSite, synthetic_articles  # noqa: E402

FACTS = ("select article_id, entity_id, start from mentions order by id",
         "select article_id, model_id, kind, amount, currency from prices order by id",
         "select article_id, type, date, company_id, model_id from events order by id",
         "select id, status from entities order by id")


def build(path: Path, count: int) -> None:
    from kb.parse import parse_html
    from kb.pipeline import prepare
    from kb.store import open_db, write_transaction
    from kb.store.save import save_article

    site = BenchSite("http://127.0.0.1:9", synthetic_articles(count))
    db = open_db(path)
    prepare(db)
    for article in site.articles:
        url, text, raw = site.decoded(article)
        with write_transaction(db):
            save_article(db, parse_html(text, url=url), html=raw, source_id=None)
    db.close()


def facts(path: Path) -> list[list[tuple]]:
    with sqlite3.connect(path) as conn:
        return [conn.execute(sql).fetchall() for sql in FACTS]


def in_process(path: Path, workers: int) -> float:
    import os

    from kb.pipeline import prepare, reextract_all
    from kb.store import open_db

    db = open_db(path)
    gazetteer = prepare(db)
    ids = [row[0] for row in db.execute("select id from articles order by id")]
    started, cpu, children = time.perf_counter(), time.process_time(), os.times()
    reextract_all(db, ids, gazetteer, workers=workers)
    wall = time.perf_counter() - started
    after = os.times()
    print(f"  writer CPU {time.process_time() - cpu:.1f}s, workers CPU "
          f"{after.children_user + after.children_system - children.children_user - children.children_system:.1f}s", flush=True)
    db.close()
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--in-process", action="store_true", help="time reextract_all alone, in this process")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-reprocess-"))
    try:
        base = tmp / "base.db"
        started = time.perf_counter()
        build(base, args.articles)
        print(f"KB of {args.articles:,} stored pages built in {time.perf_counter() - started:.0f}s", flush=True)
        results, first = {}, None
        for workers in [int(w) for w in args.workers.split(",")]:
            copy = tmp / f"w{workers}.db"
            shutil.copy(base, copy)
            if args.in_process:
                wall = in_process(copy, workers)
                results[workers] = args.articles / wall
                stored = facts(copy)
                same = "reference" if first is None else ("same facts" if stored == first else "DIFFERENT FACTS")
                first = first or stored
                load = os.getloadavg()
                print(f"workers {workers}: {wall:6.1f}s = {results[workers]:6.1f} articles/s "
                      f"({results[workers] / results[min(results)]:.2f}x); {same}; load average {load[0]:.2f} {load[1]:.2f}",
                      flush=True)
                continue
            started = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "kb", "reprocess", "--workers", str(workers), "--db", str(copy)],
                                 cwd=ROOT, capture_output=True, text=True)
            wall = time.perf_counter() - started
            if run.returncode != 0:
                print(run.stderr, file=sys.stderr)
                return 1
            results[workers] = args.articles / wall
            stored = facts(copy)
            same = "reference" if first is None else ("same facts" if stored == first else "DIFFERENT FACTS")
            first = first or stored
            load = os.getloadavg()
            print(f"workers {workers}: {wall:6.1f}s wall = {results[workers]:6.1f} articles/s "
                  f"({results[workers] / results[min(results)]:.2f}x); {len(stored[0]):,} mentions; {same}; "
                  f"load average {load[0]:.2f} {load[1]:.2f}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
