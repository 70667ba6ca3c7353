"""Downloader middlewares: refuse redirects that leave the source's domains, and say so; obey
robots.txt for every request (a fix of Scrapy's middleware, below).

Scrapy drops an off-site redirect silently in its scheduler; an operator wants
to see it in ``fetch_errors`` (a paywall, a bot check, a hijacked link).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import robotstxt as scrapy_robotstxt
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from kb.urls import is_private_host

logger = logging.getLogger(__name__)


class OffsiteRedirectMiddleware:
    """Runs before RedirectMiddleware (priority 650 > 600) on the way back from the downloader."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "OffsiteRedirectMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
        host = (urlsplit(target).hostname or "").lower()
        spider = self.crawler.spider
        source = next((s for s in getattr(spider, "sources", []) if s.get("id") == request.meta.get("source_id")), None)
        if source is not None and hasattr(spider, "policy"):
            reason = spider.policy(source).refusal(target)
            if reason:
                raise IgnoreRequest(f"redirect to {host} ({reason}) not followed: {target[:300]}")
            return response
        allowed = getattr(spider, "allowed_domains", None) or []
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            raise IgnoreRequest(f"redirect to {host} (outside the source's domains) not followed: {target}")
        return response


class PrivateAddressMiddleware:
    """Refuse, for a source that is not local, any request whose host resolves to a loopback or private
    address (an internal name, a public name pointed inward): the links' names were checked already
    (:mod:`crawler.offsite`), this checks where they lead. Runs first (priority 50), before robots.txt."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PrivateAddressMiddleware":
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = self.crawler.spider
        source = next((s for s in getattr(spider, "sources", []) if s.get("id") == request.meta.get("source_id")), None)
        if source is None or not hasattr(spider, "policy") or spider.policy(source).local:
            return None
        host = urlparse_cached(request).hostname or ""
        if not host or is_private_host(host):
            return None  # no host (file://), or refused by name already
        from twisted.internet import reactor

        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # Scrapy's caching resolver
        except Exception:  # noqa: BLE001 - a name that does not resolve fails in the download, as before
            return None
        if is_private_host(address):
            raise IgnoreRequest(f"{host} resolves to a local or private address ({address}); not fetched")
        return None


class RobotsTxtMiddleware(scrapy_robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request that waited for robots.txt checked against it.

    In Scrapy 2.19 the requests to a host that arrive while its robots.txt is
    being fetched all await one Deferred; the first waiter consumes its result
    and every later one gets ``None``, which means "no rules": from the third
    concurrent request to a host on, robots.txt was not obeyed (several feeds
    on one host, or a shared frontier's crawler starting on article pages).
    The parser is kept in ``_parsers`` once parsed, so look there.
    """

    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                parser = stored  # parsed: the None was the Deferred's consumed result, not a failed fetch
        return parser
