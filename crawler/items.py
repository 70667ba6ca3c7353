"""What the spider hands to the pipeline: a fetched page, or a failure to record."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    url: str  # canonical URL: the article's key in the KB
    fetched_url: str
    source_id: str
    status: int
    body: bytes
    encoding: str | None
    text: str
    feed: dict = field(default_factory=dict)  # what the feed or sitemap said about it


@dataclass
class FetchErrorItem:
    url: str
    source_id: str
    reason: str
    http_status: int | None = None


@dataclass
class ListingStateItem:
    """What a feed or sitemap answered, for the next conditional GET."""

    url: str
    source_id: str
    status: int
    etag: str | None
    last_modified: str | None
    entries: int
