"""Scale-out crawling: N crawler processes share one frontier in redis; one writer fills the KB.

``kb crawl … --redis URL`` runs the same :class:`~crawler.spiders.news.NewsSpider`
code on scrapy-redis (https://github.com/rmax/scrapy-redis) instead of Scrapy's
in-memory scheduler:

* **the frontier** is scrapy-redis's priority queue (``kb:requests``): every
  crawler pushes what it discovers and pops what it fetches next, whichever
  process discovered it;
* **who fetches what** is decided by scrapy-redis's dupefilter set (``kb:seen``):
  the first process to add a request's fingerprint fetches it, every other one
  drops it. Our spider marks its requests ``dont_filter`` (it deduplicates
  itself, and a redirect loop must reach its errback rather than vanish in a
  dupefilter); :class:`SharedScheduler` therefore claims every *first* request
  for a URL in the set whatever that flag says, and lets a request's own
  continuations through: the redirects (``redirect_urls`` in meta) and retries
  (``retry_times``) of a request already claimed. A redirect loop still ends in
  "max redirections reached" and a 503 is still retried;
* **what the KB already holds** comes from two redis hashes the writer keeps
  (``kb:known``: article URL → last fetched; ``kb:feeds``: feed URL → ETag and
  Last-Modified), read by :class:`SharedNewsSpider` where the single-process
  spider reads SQLite: crawler processes never open the KB;
* **what was fetched** goes, item by item, to a redis list (``kb:items``) that
  ``kb ingest-queue`` (:mod:`crawler.writer`) drains into the KB through the
  same pipeline a local crawl uses.

A crawler whose share of the frontier is done waits while another one is still
busy (that one may yet discover more: a sitemap index, a feed), and the last
one to finish clears the seen set, so the next round fetches the feeds again.
Each crawler announces itself with a heartbeat (``kb:crawlers``); a crawler
killed mid-way stops counting after :data:`STALE_AFTER` seconds, and the
frontier it leaves behind is resumed by the next crawler or forgotten
``KB_FRONTIER_TTL`` seconds after the last one stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sys
import uuid
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from twisted.internet import task

try:
    from scrapy_redis.connection import get_redis, get_redis_from_settings
    from scrapy_redis.scheduler import Scheduler as RedisScheduler
except ImportError as exc:  # pragma: no cover - the optional extra is missing
    raise ImportError("scale-out crawling needs the 'scale' extra: pip install 'ai-news-kb[scale]'") from exc

from crawler.items import FetchErrorItem, ListingStateItem, PageItem
from crawler.known import RedisKnownUrls
from crawler.shared import FRONTIER_TTL, STALE_AFTER, Keys, encode_item, encode_sources, live_crawlers, now
from crawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

__all__ = ["SharedScheduler", "SharedNewsSpider", "ItemQueuePipeline", "shared_settings", "connect", "join", "STALE_AFTER"]

HEARTBEAT_SECONDS = 1.0
IDLE_POLL_SECONDS = 0.5  # how often an idle crawler looks for new work while others are busy


def shared_settings(redis_url: str, prefix: str = "kb") -> dict[str, Any]:
    """The settings that turn a crawl into one crawler of a shared frontier (cmdline priority)."""
    keys = Keys(prefix)
    return {
        "SCHEDULER": "crawler.frontier.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.seen,
        # never flush on close: other crawlers may still be working on it (the last one clears it)
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # a blocking pop would stall the reactor
        "REDIS_URL": redis_url,
        "KB_REDIS_PREFIX": prefix,
        "ITEM_PIPELINES": {"crawler.frontier.ItemQueuePipeline": 300},
    }


def connect(redis_url: str) -> Any:
    """A redis client (bytes in, bytes out: the queue holds pickles), checked with a PING."""
    server = get_redis(url=redis_url)
    server.ping()
    return server


def selection_digest(sources: list[dict[str, Any]]) -> str:
    return hashlib.sha1(json.dumps(sources, sort_keys=True, default=str).encode()).hexdigest()[:16]


def join(server: Any, keys: Keys, sources: list[dict[str, Any]], ttl: int = FRONTIER_TTL) -> None:
    """Check that this crawler crawls what the running ones crawl (their spiders must match: allowed
    domains, callbacks' sources), and record it for the next ones."""
    digest = selection_digest(sources)
    current = server.get(keys.selection)
    if current and current.decode() != digest and live_crawlers(server, keys):
        raise ValueError(
            f"the crawlers sharing this redis frontier crawl other sources ({current.decode()}, this one {digest}): "
            "start every crawler of a round with the same --all/--source/--feed, or use another redis database"
        )
    server.set(keys.selection, digest, ex=ttl)


# ------------------------------------------------------------------ scheduler


class SharedScheduler(RedisScheduler):
    """scrapy-redis's scheduler, with one shared claim per URL and crawlers that wait for each other."""

    crawler: Crawler
    keys: Keys

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SharedScheduler":
        instance = cls.from_settings(crawler.settings)  # connects and pings
        instance.crawler = crawler
        instance.stats = crawler.stats
        instance.keys = Keys(crawler.settings.get("KB_REDIS_PREFIX", "kb"))
        instance.ttl = crawler.settings.getint("KB_FRONTIER_TTL", FRONTIER_TTL)
        instance.member = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        instance.busy = False
        instance.heartbeat = None
        crawler.signals.connect(instance._spider_idle, signal=signals.spider_idle)
        return instance

    # the engine's interface

    def open(self, spider: Any) -> None:
        # scrapy-redis's open() less its "Resuming crawl" message (Spider.log is deprecated, and in a
        # shared frontier a queue that is not empty is the other crawlers' work, not a resumption)
        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=self.queue_key,
                                                 serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self._beat(busy=True)  # start requests are pending
        self.heartbeat = task.LoopingCall(self._heartbeat)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self.heartbeat and self.heartbeat.running:
            self.heartbeat.stop()
        pipe = self.server.pipeline()
        pipe.zrem(self.keys.crawlers, self.member).srem(self.keys.busy, self.member)
        pipe.execute()
        # The last crawler out ends the round: the next one fetches the feeds again. Each crawler
        # leaves before it counts, so of two that stop together at least one sees nobody left.
        if reason == "finished" and not live_crawlers(self.server, self.keys) and not len(self.queue):
            self.server.delete(*self.keys.frontier)

    def enqueue_request(self, request: Request) -> bool:
        # A redirect or a retry continues a request this crawl has already claimed: it must go on (a
        # redirect loop has to reach "max redirections" and the errback). Anything else is a first
        # request for its URL, fetched by whichever crawler claims it first, dont_filter or not.
        continuation = bool(request.meta.get("redirect_urls") or request.meta.get("retry_times"))
        claimed_before = self.df.request_seen(request)  # SADD: also claims a redirect's target
        if claimed_before and not continuation:
            self.stats.inc_value("frontier/claimed_elsewhere")
            return False
        self.queue.push(request)
        self.stats.inc_value("frontier/enqueued")
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("frontier/dequeued")
            if not self.busy:
                self._beat(busy=True)
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0

    # membership

    def _beat(self, *, busy: bool) -> None:
        self.busy = busy
        pipe = self.server.pipeline()
        pipe.zadd(self.keys.crawlers, {self.member: now(self.server)})
        (pipe.sadd if busy else pipe.srem)(self.keys.busy, self.member)
        for key in (self.keys.crawlers, self.keys.busy, *self.keys.frontier):
            pipe.expire(key, self.ttl)  # forgotten ttl seconds after the last crawler stopped
        pipe.execute()

    def _heartbeat(self) -> None:
        engine = self.crawler.engine
        try:
            busy = engine is not None and not engine.spider_is_idle()
        except RuntimeError:  # the engine's slot is gone: closing
            return
        try:
            self._beat(busy=busy)
        except Exception:  # noqa: BLE001 - a missed heartbeat is not worth stopping the crawl for
            logger.warning("heartbeat to redis failed", exc_info=True)

    def _others_busy(self) -> bool:
        live = live_crawlers(self.server, self.keys) - {self.member}
        if not live:
            return False
        busy = {m.decode() for m in self.server.smembers(self.keys.busy)}
        return bool(live & busy)

    def _spider_idle(self, spider: Any) -> None:
        """Nothing to fetch here and nothing in the shared queue: stop, unless another crawler may
        still discover more (it is fetching or parsing a feed)."""
        self._beat(busy=False)
        if self._others_busy():
            self._poll_soon()
            raise DontCloseSpider

    def _poll_soon(self) -> None:
        # The engine looks at the scheduler again on its 5-second heartbeat; ask for it sooner.
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(IDLE_POLL_SECONDS)


# ------------------------------------------------------------------ spider


class SharedNewsSpider(NewsSpider):
    """The news spider, reading what the KB holds from redis (the writer keeps it there) instead of SQLite."""

    def _load_state(self) -> None:
        server = get_redis_from_settings(self.settings)
        keys = Keys(self.settings.get("KB_REDIS_PREFIX", "kb"))
        self.known = RedisKnownUrls(server, keys.known)  # asked listing by listing, never loaded whole
        self.listing_state = {url.decode(): json.loads(state) for url, state in server.hgetall(keys.feeds).items()}


# ------------------------------------------------------------------ items → the writer


class ItemQueuePipeline:
    """A crawler's pipeline in a shared crawl: every item goes to the writer's redis list."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.keys = Keys(crawler.settings.get("KB_REDIS_PREFIX", "kb"))
        self.progress = crawler.settings.getbool("KB_PROGRESS", True)
        self.member = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ItemQueuePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        sources = getattr(self.crawler.spider, "sources", [])
        self.server.rpush(self.keys.items, encode_sources(sources, self.member))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (PageItem, FetchErrorItem, ListingStateItem)):
            return item
        self.server.rpush(self.keys.items, encode_item(item, self.member))
        stat = {PageItem: "pages", FetchErrorItem: "errors", ListingStateItem: "listings"}[type(item)]
        self.crawler.stats.inc_value(f"kb/{stat}")
        if self.progress and not isinstance(item, ListingStateItem):
            done = self.crawler.stats.get_value("kb/pages", 0)
            if isinstance(item, PageItem):
                print(f"  [{done:>4}] fetched   {item.source_id:<12} {item.url}", file=sys.stderr, flush=True)
            else:
                print(f"  [error]  {item.source_id:<12} {item.reason[:60]}  {item.url}", file=sys.stderr, flush=True)
        return item
