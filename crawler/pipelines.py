"""The pipeline that writes the KB: each page goes through kb's parse → extract → store.

Parse and extract, the CPU-bound part, run in a pool of worker processes when
``KB_WORKERS`` > 1 (:mod:`crawler.pool`); storing always happens here, in the
reactor thread, so this stays the only writer during a crawl. It records the run in ``crawl_runs``
(marked ``running`` until the spider closes, so a killed crawl stays visible as
such) and every failure in ``fetch_errors``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.extract_worker import ExtractedPage, JobFailure, PageJob, one_line, parse_page
from crawler.items import FetchErrorItem, ListingStateItem, PageItem
from kb.knowledge import refresh
from kb.knowledge.incremental import FULL_ABOVE
from kb.pipeline import ingest, prepare
from kb.store import open_db, write_transaction
from kb.store.save import utc_now

logger = logging.getLogger(__name__)

# fetch_errors reasons that mean "fetched, but not stored": the next crawl fetches the URL again.
RETRY_PREFIX = "store: "
EXTRACT_PREFIX = "extract: "  # an extraction worker failed, died or hung on the page: retried the same way
# ... at most this many times, so a page that breaks the store for good does not come back forever.
MAX_STORE_ATTEMPTS = 5
# The knowledge tables are refreshed every this many stored articles, and at the end (``KB_REFRESH_EVERY``;
# 0: only at the end): the most an incremental refresh takes before it recomputes everything, so every
# refresh of a long crawl stays incremental. (Not fewer: in the synthetic bench site 1,000 articles touch
# most event groups, so each refresh is nearly a full one; every 1,000 made 20 of them in 20,000 articles.)
REFRESH_EVERY = FULL_ABOVE[0]


def pages_to_retry(db: Any, source_ids: list[str]) -> list[tuple[str, str]]:
    """(URL, source) of pages fetched by an earlier run but never stored (the KB was locked, the store failed)."""
    if not source_ids or "fetch_errors" not in db.table_names():
        return []
    marks = ",".join("?" * len(source_ids))
    return [(row[0], row[1]) for row in db.execute(
        f"""select url, source from fetch_errors
            where (reason like '{RETRY_PREFIX}%' or reason like '{EXTRACT_PREFIX}%') and source in ({marks})
              and url not in (select url from articles)
            group by url having count(*) < {MAX_STORE_ATTEMPTS}""", source_ids)]


class KnowledgeBasePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("KB_DB")
        self.progress = crawler.settings.getbool("KB_PROGRESS", True)
        self.command = crawler.settings.get("KB_COMMAND", "crawl")
        self.counts = {"pages_fetched": 0, "new": 0, "revised": 0, "unchanged": 0, "duplicates": 0, "errors": 0,
                       "listings_fetched": 0, "not_modified": 0}
        self.unrecorded: list[dict[str, Any]] = []  # fetch_errors rows a locked KB did not take yet
        # parse + extract in this many processes (1: in this one); this process alone writes the KB
        self.workers = crawler.settings.getint("KB_WORKERS", 1)
        self.extract_timeout = crawler.settings.getfloat("KB_EXTRACT_TIMEOUT", 60.0)
        self.extract_function = crawler.settings.get("KB_EXTRACT_FUNCTION")  # tests: a worker that crashes or hangs
        self.pool: Any = None
        # the knowledge tables are refreshed every this many stored articles, not only at the end (0: at the end)
        self.refresh_every = crawler.settings.getint("KB_REFRESH_EVERY", REFRESH_EVERY)
        self.unrefreshed = 0  # articles stored (new or revised) since the last refresh
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "KnowledgeBasePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)
        # In WAL mode NORMAL still survives a crash of this process; only a power cut can lose the
        # last commits, and the next crawl fetches those pages again. FULL costs an fsync per commit.
        self.db.execute("pragma synchronous = normal")
        mark_interrupted_runs(self.db)
        self.gazetteer = prepare(self.db)
        if self.workers > 1:
            from crawler.pool import ExtractionPool

            function = self.extract_function
            if isinstance(function, str):
                from scrapy.utils.misc import load_object

                function = load_object(function)
            self.pool = ExtractionPool(self.workers, timeout=self.extract_timeout,
                                       **({"function": function} if function else {}))
        sources = getattr(self.crawler.spider, "sources", [])
        for source in sources:
            self.db["sources"].upsert(
                {"id": source["id"], "name": source["name"], "language": source.get("language"),
                 "homepage": source.get("homepage"), "kind": "feed"}, pk="id")
        self.run_id = self.db["crawl_runs"].insert(
            {"source": ",".join(s["id"] for s in sources) or None, "command": self.command, "started": utc_now(),
             "status": "running", "pid": os.getpid(), **self.counts}
        ).last_pk

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ListingStateItem):
            self._record_listing(item)
            return item
        if isinstance(item, FetchErrorItem):
            self._record_error(item.url, item.source_id, item.reason, item.http_status)
            return item
        if not isinstance(item, PageItem):
            return item
        self.counts["pages_fetched"] += 1
        text = item.text
        if "\ufffd" in text:
            # A header that says UTF-8 over an EUC-KR body: repair it if the bytes say so, and record it.
            repaired = _redecode(item.body)
            self._record_error(item.fetched_url, item.source_id,
                               "charset: declared encoding does not match the body" + (" (repaired as EUC-KR)" if repaired else ""),
                               item.status)
            text = repaired or text
        feed = item.feed or {}
        job = PageJob(text, item.url, feed)
        if self.pool is not None:
            # parsed and extracted in a worker; stored here, in the reactor thread, when it comes back
            return self._via_pool(job, item)
        article = parse_page(job)
        if isinstance(article, JobFailure):
            return self._extracted(article, item)
        self._store(article, item)  # extracted by the store, which skips an unchanged page first
        return item

    def _extracted(self, answer: ExtractedPage | JobFailure, item: PageItem) -> PageItem:
        if isinstance(answer, JobFailure):
            if answer.stage == "parse":
                self._record_error(item.fetched_url, item.source_id, f"parse: {answer.message}", item.status)
            else:
                self._record_error(item.url, item.source_id, f"{EXTRACT_PREFIX}{answer.message}", item.status)
            return item
        self._store(answer.article, item, answer.extraction)
        return item

    async def _via_pool(self, job: PageJob, item: PageItem) -> PageItem:
        """A coroutine Scrapy awaits: the reactor goes on while a worker thread waits for the worker."""
        from scrapy.utils.defer import maybe_deferred_to_future

        try:
            answer = await maybe_deferred_to_future(self.pool.submit(job))
        except Exception as exc:  # noqa: BLE001 - not the page's fault (a bug here or in the pool): recorded for it
            self._record_error(item.url, item.source_id, f"{EXTRACT_PREFIX}{one_line(exc)}", item.status)
            return item
        return self._extracted(answer, item)

    def _store(self, article: Any, item: PageItem, extraction: dict[str, Any] | None = None) -> None:
        try:
            result = self._ingest(article, item, extraction)
        except Exception as exc:  # noqa: BLE001 - e.g. "database is locked" past the busy timeout
            # Keyed by the canonical URL: the next crawl fetches it again, listed or not (RETRY_PREFIX).
            self._record_error(item.url, item.source_id, f"{RETRY_PREFIX}{one_line(exc)}", item.status)
            return
        self.counts["duplicates" if result.status == "duplicate" else result.status] += 1
        if result.status in ("new", "revised"):
            self.unrefreshed += 1
            if self.refresh_every and self.unrefreshed % self.refresh_every == 0:  # (after a failure: K more)
                self._refresh()
        if self.progress:
            done = self.counts["new"] + self.counts["revised"] + self.counts["unchanged"]
            print(f"  [{done:>4}] {result.status:<9} {item.source_id:<12} {(article.title or item.url)[:70]}",
                  file=sys.stderr, flush=True)

    def _ingest(self, article: Any, item: PageItem, extraction: dict[str, Any] | None = None) -> Any:
        """Store one page in one transaction.

        Without an open transaction sqlite-utils commits each of its writes on its own (about a dozen
        per article: the article, its page, each fact table), so a failure could leave half an
        article behind, and every commit is a WAL write of its own.
        """
        with write_transaction(self.db):
            return ingest(self.db, article, self.gazetteer, html=item.body, encoding=item.encoding,
                          http_status=item.status, source_id=item.source_id, extraction=extraction)

    def _record_listing(self, item: ListingStateItem) -> None:
        self.counts["listings_fetched"] += 1
        if item.status == 304:
            self.counts["not_modified"] += 1
            self.db["feed_state"].upsert({"url": item.url, "last_status": 304, "fetched_at": utc_now()}, pk="url")
            return
        self.db["feed_state"].upsert(
            {"url": item.url, "source": item.source_id, "etag": item.etag, "last_modified": item.last_modified,
             "last_status": item.status, "fetched_at": utc_now(), "entries": item.entries},
            pk="url",
        )

    def _record_error(self, url: str, source_id: str, reason: str, status: int | None) -> None:
        self.counts["errors"] += 1
        row = {"run_id": self.run_id, "url": url, "source": source_id, "reason": reason, "http_status": status,
               "time": utc_now()}
        try:
            with write_transaction(self.db):
                self.db["fetch_errors"].insert(row)
        except sqlite3.OperationalError:
            self.unrecorded.append(row)  # still locked: written when the spider closes
        if self.progress:
            print(f"  [error]  {source_id:<12} {reason[:60]}  {url}", file=sys.stderr, flush=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.pool is not None:  # every page has come back by now: Scrapy waits for its items
            self.pool.close()
            self.pool = None
        status = "finished" if reason == "finished" else f"stopped: {reason}"
        if self.unrecorded:
            try:
                with write_transaction(self.db):
                    self.db["fetch_errors"].insert_all(self.unrecorded)
                self.unrecorded = []
            except sqlite3.OperationalError as exc:
                for row in self.unrecorded:  # the last place they can go: one line each
                    logger.error("not recorded (%s): %s %s", exc, row["url"], row["reason"])
        if self.unrefreshed:
            # events across outlets, claims, price history, conflicts; a run that stored
            # nothing changes none of them; one that did, those its articles touch
            self._refresh()
        self.db["crawl_runs"].update(self.run_id, {"finished": utc_now(), "status": status, **self.counts})
        self.db.close()

    def _refresh(self) -> None:
        """The knowledge tables, for the articles stored since the last refresh (incremental), refreshed by
        a process of their own (:func:`refresh_apart`) while this one, the KB's only writer, waits."""
        try:
            refresh_apart(self.db_path)
            self.unrefreshed = 0
        except Exception as exc:  # noqa: BLE001 - the crawl goes on and the run must still be recorded
            logger.error("refreshing the knowledge tables failed (%s); run kb reprocess to retry", one_line(exc),
                         exc_info=bool(os.environ.get("KB_DEBUG")))


def refresh_apart(db_path: str | os.PathLike[str]) -> None:
    """``kb.knowledge.refresh(incremental=True)`` of the KB at ``db_path``, in a child process.

    Why apart: the refresh's peak is no longer the KB's size (claims and conflicts are streamed, the price
    history made one model at a time, clusters compared one at a time, summaries updated by SQL), but it is
    still tens of MB over what fetching and storing need: the reports of the windows of every event group a
    step touches, a model's price windows, SQLite's caches, and a first (full) refresh's price intervals. A
    long-running process keeps such a heap after it (CPython and malloc give little back), so the crawl
    process would end every step with it; a child gives it back when it ends (a 20,000-article crawl: crawl
    process ~230 MB, each refresh child ~120-130 MB). The child is a fresh interpreter (the crawl process has
    threads: it never forks itself) on this one's import path.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    code = "import sys; from crawler.pipelines import _refresh_main; sys.exit(_refresh_main(sys.argv[1]))"
    result = subprocess.run([sys.executable, "-c", code, str(db_path)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(lines[-1] if lines else f"refresh process exit code {result.returncode}")


def _refresh_main(db_path: str) -> int:
    db = open_db(db_path)
    try:
        with write_transaction(db):
            refresh(db, incremental=True)
    finally:
        db.close()
    return 0


def _redecode(body: bytes) -> str | None:
    for encoding in ("cp949", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted_runs(db: Any) -> int:
    """Runs still marked running whose process is gone were killed: say so."""
    stale = [row["id"] for row in db["crawl_runs"].rows_where("status = 'running'") if not _alive(row["pid"])]
    for run_id in stale:
        db["crawl_runs"].update(run_id, {"status": "interrupted"})
    return len(stale)
