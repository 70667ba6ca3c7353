"""The one writer of a shared crawl: drain the redis items list into the KB (``kb ingest-queue``).

Crawler processes (``kb crawl --redis``) never open the KB; they push what they
fetch to ``kb:items`` (:mod:`crawler.frontier`). This process takes the items one
at a time and hands them to the same :class:`~crawler.pipelines.KnowledgeBasePipeline`
a local crawl uses: parse → extract → store in one transaction per page, failures
in ``fetch_errors``, feed validators in ``feed_state``, one ``crawl_runs`` row per
round (``command`` = ``ingest-queue``), the knowledge tables refreshed at its end.

It also keeps the crawlers' view of the KB in redis: ``kb:known`` (article URL →
last fetched) and ``kb:feeds`` (feed URL → ETag, Last-Modified), copied whole from
the KB when the writer starts and updated with every page it stores, so crawlers
on other machines skip what is already stored and send conditional requests.

Delivery is at least once: an item is moved to ``kb:items:processing`` while it
is written and removed after the commit; items a killed writer held are put
back when the next one starts (storing a page twice only counts it unchanged).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import redis
from scrapy.settings import Settings

from crawler.items import FetchErrorItem, ListingStateItem, PageItem
from crawler.pipelines import KnowledgeBasePipeline
from crawler.shared import Keys, decode_item, live_crawlers

__all__ = ["ingest_queue", "QueueRun", "publish_state"]

@dataclass
class QueueRun:
    """What one ``kb ingest-queue`` did, for its summary."""

    rounds: int = 0
    items: int = 0
    pages: int = 0
    errors: int = 0
    listings: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # new / revised / unchanged / duplicates
    pages_by_crawler: dict[str, int] = field(default_factory=dict)
    requeued: int = 0


def publish_state(db: Any, server: Any, keys: Keys) -> int:
    """Copy what the KB holds (article URLs, feed validators) to redis, replacing what was there."""
    count = 0
    for key, rows in (
        (keys.known, ((url, fetched or "") for url, fetched in db.execute("select url, last_fetched from articles"))),
        (keys.feeds, ((row["url"], json.dumps({"etag": row["etag"], "last_modified": row["last_modified"]}))
                      for row in db["feed_state"].rows)),
    ):
        staging = f"{key}:staging"
        server.delete(staging)
        batch: dict[str, str] = {}
        for url, value in rows:
            batch[url] = value
            if len(batch) >= 1000:
                server.hset(staging, mapping=batch)
                count += len(batch) if key == keys.known else 0
                batch = {}
        if batch:
            server.hset(staging, mapping=batch)
            count += len(batch) if key == keys.known else 0
        if server.exists(staging):
            server.rename(staging, key)  # atomic: crawlers see the old copy or the new one
        else:
            server.delete(key)
    return count


class _Round:
    """One crawl_runs row: a KnowledgeBasePipeline outside Scrapy."""

    def __init__(self, db_path: Path, progress: bool):
        settings = Settings({"KB_DB": str(db_path), "KB_PROGRESS": progress, "KB_COMMAND": "ingest-queue"})
        self.spider = SimpleNamespace(sources=[])
        stand_in = SimpleNamespace(settings=settings, spider=self.spider,
                                   signals=SimpleNamespace(connect=lambda *a, **k: None))
        self.pipeline = KnowledgeBasePipeline(stand_in)  # type: ignore[arg-type]
        self.pipeline.open_spider()
        self.source_ids: list[str] = []

    @property
    def db(self) -> Any:
        return self.pipeline.db

    def add_sources(self, sources: list[dict[str, Any]]) -> None:
        for source in sources:
            if source["id"] in self.source_ids:
                continue
            self.source_ids.append(source["id"])
            self.db["sources"].upsert(
                {"id": source["id"], "name": source["name"], "language": source.get("language"),
                 "homepage": source.get("homepage"), "kind": "feed"}, pk="id")
        self.db["crawl_runs"].update(self.pipeline.run_id, {"source": ",".join(self.source_ids) or None})

    def close(self, reason: str) -> None:
        self.pipeline.spider_closed(None, reason)


def ingest_queue(db_path: Path, redis_url: str, *, until_empty: bool = False, progress: bool = True,
                 prefix: str = "kb", poll: float = 1.0, log: Callable[[str], None] | None = None) -> QueueRun:
    """Write the queued items into the KB at ``db_path`` until stopped (or, with ``until_empty``, until the
    list is empty and no crawler is running). The caller holds the KB's crawl lock."""
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    keys = Keys(prefix)
    server = redis.Redis.from_url(redis_url)
    server.ping()
    run = QueueRun()
    while server.lmove(keys.processing, keys.items, "RIGHT", "LEFT") is not None:
        run.requeued += 1  # a writer was killed while it held these
    if run.requeued:
        log(f"put back {run.requeued} items a previous writer had not committed")

    current: _Round | None = None
    published = False
    try:
        while True:
            raw = server.blmove(keys.items, keys.processing, poll, "LEFT", "RIGHT")
            if raw is None:
                if server.llen(keys.items) == 0 and not live_crawlers(server, keys):
                    if current is not None:
                        current.close("finished")
                        run.rounds += 1
                        current = None
                    if not published:  # an idle writer with nothing queued still gives crawlers the KB's state
                        _publish(db_path, server, keys, log)
                        published = True
                    if until_empty:
                        break
                continue
            if current is None:
                current = _Round(db_path, progress)
                if not published:
                    log(f"published {publish_state(current.db, server, keys)} known article URLs to redis")
                    published = True
            _handle(current, raw, server, keys, run)
            server.lrem(keys.processing, 1, raw)
            run.items += 1
    except BaseException:
        if current is not None:
            current.close("shutdown")
            run.rounds += 1
        raise
    return run


def _publish(db_path: Path, server: Any, keys: Keys, log: Callable[[str], None]) -> None:
    from kb.store import open_db

    db = open_db(db_path)
    try:
        log(f"published {publish_state(db, server, keys)} known article URLs to redis")
    finally:
        db.close()


def _handle(current: _Round, raw: bytes, server: Any, keys: Keys, run: QueueRun) -> None:
    kind, crawler_id, item = decode_item(raw)
    if kind == "sources":
        current.add_sources(item)
        return
    pipeline = current.pipeline
    before = dict(pipeline.counts)
    pipeline.process_item(item)
    if isinstance(item, PageItem):
        run.pages += 1
        run.pages_by_crawler[crawler_id] = run.pages_by_crawler.get(crawler_id, 0) + 1
        for status in ("new", "revised", "unchanged", "duplicates"):
            if pipeline.counts[status] > before[status]:
                run.statuses[status] = run.statuses.get(status, 0) + 1
        row = current.db.execute("select last_fetched from articles where url = ?", [item.url]).fetchone()
        if row:
            server.hset(keys.known, item.url, row[0] or "")
    elif isinstance(item, FetchErrorItem):
        run.errors += 1
    elif isinstance(item, ListingStateItem):
        run.listings += 1
        state = next(current.db["feed_state"].rows_where("url = ?", [item.url]), None)
        if state:
            server.hset(keys.feeds, item.url, json.dumps({"etag": state["etag"], "last_modified": state["last_modified"]}))
