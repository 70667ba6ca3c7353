"""Downloader middleware: refuse redirects that leave the source's domains, and say so.

Scrapy drops an off-site redirect silently in its scheduler; an operator wants
to see it in ``fetch_errors`` (a paywall, a bot check, a hijacked link).
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

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
        allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            raise IgnoreRequest(f"redirect to {host} (outside the source's domains) not followed: {target}")
        return response
