"""The one spider: read each source's feeds and sitemaps, fetch the articles they list.

Articles already in the KB are not requested again; anything that fails is
handed to the pipeline as a :class:`~crawler.items.FetchErrorItem` so the crawl
goes on and the failure is recorded.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any, AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.known import KnownUrls, StoredUrls
from crawler.offsite import SourcePolicy
from crawler.items import FetchErrorItem, ListingStateItem, PageItem
from crawler.pipelines import pages_to_retry
from kb.feeds import FeedError, parse_feed
from kb.parse import python_codec
from kb.store import open_db
from kb.urls import canonical_url

logger = logging.getLogger(__name__)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: list[dict[str, Any]] | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sources = sources or []
        self.known: KnownUrls = KnownUrls()  # which URLs the KB holds, and when each was last fetched
        self.listing_state: dict[str, dict[str, Any]] = {}
        self.requested: set[str] = set()
        self.retry: list[tuple[str, str]] = []  # (URL, source id) fetched before but never stored
        self.policies: dict[str, SourcePolicy] = {}  # source id → the hosts its links may lead to
        domains = {d for s in self.sources for d in s.get("allowed_domains") or []}
        domains |= {urlsplit(u).hostname for s in self.sources for u in s["feeds"] + s["sitemaps"] if urlsplit(u).hostname}
        self.allowed_domains = sorted(d for d in domains if d)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self._load_state()
        by_id = {source["id"]: source for source in self.sources}
        for url, source_id in self.retry:
            # fetched before but never stored: whether or not a feed still lists it (if still allowed)
            if self.policy(by_id[source_id]).refusal(url):
                continue
            self.requested.add(url)
            yield self._article_request(url, by_id[source_id], {})
        for source in self.sources:
            for url in source["feeds"] + source["sitemaps"]:
                yield self._listing_request(url, source)

    def _load_state(self) -> None:
        """What the KB already holds: the validators of each feed, the pages to retry; article URLs are
        asked for listing by listing (:mod:`crawler.known`)."""
        db = open_db(self.settings.get("KB_DB"))
        try:
            self.known = StoredUrls(self.settings.get("KB_DB"))
            self.listing_state = {row["url"]: row for row in db["feed_state"].rows}
            self.retry = pages_to_retry(db, [source["id"] for source in self.sources])
        finally:
            db.close()

    def _listing_request(self, url: str, source: dict[str, Any], priority: int = 0,
                         then: list[str] | None = None) -> scrapy.Request:
        headers = {}
        state = self.listing_state.get(url) or {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, dont_filter=True, headers=headers,
                              cb_kwargs={"source": source}, priority=priority,
                              meta={"source_id": source["id"], "listing": True, "handle_httpstatus_list": [304],
                                    "next_sitemaps": then or []})

    def parse_listing(self, response: Response, source: dict[str, Any]) -> Iterator[Any]:
        yield from self._read_listing(response, source)
        yield from self._next_sitemap(response.meta, source)

    def _next_sitemap(self, meta: dict[str, Any], source: dict[str, Any]) -> Iterator[scrapy.Request]:
        """The sitemaps of an index are read one at a time, each after the articles already listed.

        Read all at once, they put a request for every article of the site in the scheduler's memory
        (about 1 KB each: 20 MB for 20,000 articles) before the first is fetched. Chained, and at a
        lower priority than articles, the queue holds about one sitemap's articles whatever the site's size."""
        following = meta.get("next_sitemaps") or []
        if following:
            yield self._listing_request(following[0], source, priority=-1, then=following[1:])

    def _read_listing(self, response: Response, source: dict[str, Any]) -> Iterator[Any]:
        if response.status == 304:
            yield ListingStateItem(response.url, source["id"], 304, None, None, 0)
            return
        try:
            kind, entries, damage = parse_feed(response.body, response.url, report_damage=True)
        except FeedError as exc:
            yield FetchErrorItem(response.url, source["id"], f"feed: {exc}", response.status)
            return
        if damage:
            yield FetchErrorItem(response.url, source["id"], f"feed: malformed XML, {len(entries)} entries recovered ({damage})",
                                 response.status)
        yield ListingStateItem(
            response.url, source["id"], response.status,
            _header(response, b"ETag"), _header(response, b"Last-Modified"), len(entries),
        )
        article_pattern = re.compile(source["article_url"]) if source.get("article_url") else None
        sitemap_filter = re.compile(source["sitemap_filter"]) if source.get("sitemap_filter") else None
        policy = self.policy(source)
        refused: list[str] = []
        sitemaps: list[str] = []
        listed = []
        for entry in entries:
            reason = policy.refusal(entry.url)
            if reason:
                refused.append(f"{entry.url[:200]}: {reason}")
                continue
            if entry.is_sitemap_index:
                sitemaps.append(entry.url)
                continue
            if kind == "sitemap" and sitemap_filter and not sitemap_filter.search(entry.url):
                continue
            if article_pattern and not article_pattern.search(entry.url):
                continue
            if entry.url not in self.requested:
                listed.append(entry)
        stored = self.known.last_fetched(entry.url for entry in listed)
        for entry in listed:
            if entry.url in self.requested or (entry.url in stored and not _changed_since(entry, stored[entry.url])):
                continue
            self.requested.add(entry.url)
            yield self._article_request(entry.url, source, {"title": entry.title, "published": entry.published,
                                                            "language": entry.language or source.get("language")})

        if sitemaps:
            yield from self._next_sitemap({"next_sitemaps": sitemaps}, source)
        if refused:  # one row per listing, not one per link: a feed full of off-site links is one problem
            yield FetchErrorItem(response.url, source["id"],
                                 f"feed: {len(refused)} links not followed ({refused[0]})", response.status)

    def policy(self, source: dict[str, Any]) -> SourcePolicy:
        if source["id"] not in self.policies:
            self.policies[source["id"]] = SourcePolicy(source)
        return self.policies[source["id"]]

    def _article_request(self, url: str, source: dict[str, Any], feed: dict[str, Any]) -> scrapy.Request:
        # dont_filter: we deduplicate ourselves, and a redirect loop must reach the errback, not vanish
        return scrapy.Request(
            url, callback=self.parse_article, errback=self.on_error, dont_filter=True,
            meta={"source_id": source["id"], "canonical": url, "encoding": source.get("encoding"), "feed": feed},
        )

    def parse_article(self, response: Response) -> Iterator[Any]:
        source_id = response.meta["source_id"]
        if not isinstance(response, TextResponse):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
            yield FetchErrorItem(response.url, source_id, f"not a text page ({content_type or 'no content type'})", response.status)
            return
        encoding, text = response.encoding, response.text
        declared = response.meta.get("encoding")
        if declared and codecs.lookup(python_codec(declared)).name != codecs.lookup(python_codec(encoding)).name:
            # The sources file knows better than a server that mislabels its pages (보안뉴스 is EUC-KR).
            encoding, text = declared, response.body.decode(python_codec(declared), errors="replace")
        yield PageItem(
            url=response.meta["canonical"], fetched_url=response.url, source_id=source_id, status=response.status,
            body=response.body, encoding=encoding, text=text, feed=response.meta.get("feed") or {},
        )

    def closed(self, reason: str) -> None:
        self.known.close()

    def on_error(self, failure: Failure) -> Iterator[FetchErrorItem]:
        """Every failure becomes a row of fetch_errors; the crawl goes on."""
        request = failure.request
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"HTTP {status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        yield FetchErrorItem(request.url, request.meta.get("source_id", "?"), reason, status)
        if request.meta.get("listing") and "source" in request.cb_kwargs:
            yield from self._next_sitemap(request.meta, request.cb_kwargs["source"])  # one lost sitemap, not the rest


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _changed_since(entry: Any, last_fetched: str | None) -> bool:
    """A sitemap's lastmod (or a feed's date) newer than our copy: fetch it again for a revision."""
    if not entry.published or not last_fetched:
        return False
    from datetime import datetime, timezone

    try:
        stated = datetime.fromisoformat(entry.published)
        fetched = datetime.fromisoformat(last_fetched)
    except ValueError:
        return False
    if stated.tzinfo is None:
        stated = stated.replace(tzinfo=timezone.utc)
    return stated > fetched
