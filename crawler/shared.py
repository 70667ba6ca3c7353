"""What the crawlers and the writer of a shared crawl agree on: redis keys, liveness, item messages.

Needs only the standard library (no redis client, no scrapy-redis): the writer
imports it without the crawler's machinery.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import zlib
from typing import Any

from crawler.items import FetchErrorItem, ListingStateItem, PageItem

__all__ = ["Keys", "STALE_AFTER", "FRONTIER_TTL", "now", "live_crawlers", "encode_item", "encode_sources", "decode_item"]

STALE_AFTER = 30  # seconds without a heartbeat before a crawler is taken for dead
FRONTIER_TTL = 3600  # seconds after the last crawler stopped before a left-over frontier is forgotten


class Keys:
    """The redis keys of one shared crawl. One redis database serves one KB (use /1, /2 … for others)."""

    def __init__(self, prefix: str = "kb"):
        self.prefix = prefix
        self.requests = f"{prefix}:requests"  # scrapy-redis priority queue (sorted set of pickled requests)
        self.seen = f"{prefix}:seen"  # scrapy-redis dupefilter (set of request fingerprints)
        self.crawlers = f"{prefix}:crawlers"  # sorted set: crawler id → time of its last heartbeat
        self.busy = f"{prefix}:busy"  # set of crawler ids with work in hand
        self.selection = f"{prefix}:selection"  # what this round crawls (all crawlers of a round must agree)
        self.items = f"{prefix}:items"  # list: fetched pages, errors, feed states, for the writer
        self.processing = f"{prefix}:items:processing"  # list: items the writer holds, not yet committed
        self.known = f"{prefix}:known"  # hash: article URL in the KB → when it was last fetched
        self.feeds = f"{prefix}:feeds"  # hash: feed URL → its validators (JSON)

    @property
    def frontier(self) -> tuple[str, ...]:
        return (self.requests, self.seen, self.selection)


def now(server: Any) -> float:
    seconds, micros = server.time()  # the server's clock, so crawlers on several machines agree
    return seconds + micros / 1e6


def live_crawlers(server: Any, keys: Keys) -> set[str]:
    current = now(server)
    return {m.decode() for m in server.zrangebyscore(keys.crawlers, current - STALE_AFTER, "+inf")}


def encode_item(item: Any, crawler_id: str) -> bytes:
    """One message of the items list: zlib-compressed JSON, the page's bytes in base64."""
    kind = {PageItem: "page", FetchErrorItem: "error", ListingStateItem: "listing"}.get(type(item))
    if kind is None:
        raise TypeError(f"cannot queue a {type(item).__name__}")
    data = dataclasses.asdict(item)
    if kind == "page":
        data["body"] = base64.b64encode(item.body).decode("ascii")
    return zlib.compress(json.dumps({"kind": kind, "crawler": crawler_id, "item": data}).encode())


def encode_sources(sources: list[dict[str, Any]], crawler_id: str) -> bytes:
    return zlib.compress(json.dumps({"kind": "sources", "crawler": crawler_id, "sources": sources}, default=str).encode())


def decode_item(raw: bytes) -> tuple[str, str, Any]:
    """(kind, crawler id, item or list of sources) of one message."""
    message = json.loads(zlib.decompress(raw))
    kind, crawler_id = message["kind"], message["crawler"]
    if kind == "sources":
        return kind, crawler_id, message["sources"]
    data = message["item"]
    if kind == "page":
        data["body"] = base64.b64decode(data["body"])
        return kind, crawler_id, PageItem(**data)
    return kind, crawler_id, (FetchErrorItem if kind == "error" else ListingStateItem)(**data)
