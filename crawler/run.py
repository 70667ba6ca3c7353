"""Start a crawl with the project's settings always loaded.

A ``CrawlerProcess`` built without ``get_project_settings()`` silently runs
with Scrapy's defaults (robots.txt ignored, no delay); this module is the one
place that builds it, so that cannot happen.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.spiders.news import NewsSpider

__all__ = ["crawl", "crawl_settings", "quiet_logging"]

# Scrapy's own reports of failures the spider's errback records (fetch_errors and a progress line):
# logged again, each is two lines and a traceback of Scrapy internals.
DUPLICATE_REPORTERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


class OneLine(logging.Filter):
    """Every log record on one line, without a traceback (KB_DEBUG=1 keeps them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().strip().splitlines()
        record.msg, record.args = (message[0] if message else ""), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_logging() -> None:
    """Failures are one line each: in fetch_errors, on the progress output, in the summary."""
    for name in DUPLICATE_REPORTERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OneLine) for f in handler.filters):
            handler.addFilter(OneLine())


def crawl_settings(*, db_path: str | Path, delay: float | None = None, concurrency: int | None = None,
                   timeout: float | None = None, progress: bool = True, command: str = "crawl",
                   redis_url: str | None = None, workers: int = 1) -> Settings:
    os.environ["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    settings = get_project_settings()
    if settings.get("BOT_NAME") != "ai-news-kb":
        raise RuntimeError("the crawler's project settings did not load")
    settings.set("KB_DB", str(db_path), priority="cmdline")
    settings.set("KB_PROGRESS", progress, priority="cmdline")
    settings.set("KB_COMMAND", command, priority="cmdline")
    settings.set("KB_WORKERS", workers, priority="cmdline")
    if delay is not None:
        settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
        settings.set("DOWNLOAD_DELAY_JITTER", 0.5 if delay > 0 else 0, priority="cmdline")
        if delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    if timeout is not None:
        settings.set("DOWNLOAD_TIMEOUT", timeout, priority="cmdline")
    if concurrency is not None:
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", concurrency, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS", max(concurrency, settings.getint("CONCURRENT_REQUESTS")), priority="cmdline")
    if redis_url:
        # one crawler of a shared frontier: scrapy-redis scheduler and dupefilter, items to redis, no KB
        from crawler.frontier import shared_settings

        for name, value in shared_settings(redis_url).items():
            settings.set(name, value, priority="cmdline")
    return settings


def crawl(sources: list[dict[str, Any]], *, db_path: str | Path, delay: float | None = None,
          concurrency: int | None = None, timeout: float | None = None, progress: bool = True,
          command: str = "crawl", redis_url: str | None = None, workers: int = 1,
          extra_settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl ``sources`` (as :meth:`kb.sources.Source.to_spider` dicts) into the KB at ``db_path``.

    With ``redis_url``, be one crawler of a shared frontier instead (see
    :mod:`crawler.frontier`): the KB is not opened, items go to redis for
    ``kb ingest-queue``. Blocks until the crawl ends and returns Scrapy's stats.
    ``workers`` processes parse and extract the pages (1: this process). ``extra_settings`` override
    the project's (tests). A Twisted reactor cannot be restarted, so call this at most once per process.
    """
    settings = crawl_settings(db_path=db_path, delay=delay, concurrency=concurrency, timeout=timeout,
                              progress=progress, command=command, redis_url=redis_url, workers=workers)
    for name, value in (extra_settings or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    if not os.environ.get("KB_DEBUG"):
        quiet_logging()
    spider_cls = NewsSpider
    if redis_url:
        from crawler.frontier import SharedNewsSpider

        spider_cls = SharedNewsSpider
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, sources=sources)
    process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}
