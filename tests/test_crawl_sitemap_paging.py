"""A sitemap index is read one sitemap at a time: the scheduler never holds the whole site's articles."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import XmlResponse
from twisted.python.failure import Failure

from crawler.items import FetchErrorItem, ListingStateItem
from crawler.spiders.news import NewsSpider

SOURCE = {"id": "demo", "name": "Demo", "language": "en", "homepage": None, "feeds": [], "sitemaps": [],
          "allowed_domains": ["news.example"]}
INDEX = (b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + b"".join(b"<sitemap><loc>http://news.example/sitemaps/%d.xml</loc></sitemap>" % n for n in (1, 2, 3))
         + b"</sitemapindex>")
PAGE = (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://news.example/a/1</loc></url><url><loc>http://news.example/a/2</loc></url></urlset>")


def spider() -> NewsSpider:
    return NewsSpider(sources=[SOURCE])


def answer(request: Request, body: bytes, status: int = 200) -> list:
    response = XmlResponse(request.url, body=body, status=status, request=request)
    return [r for r in spider().parse_listing(response, **request.cb_kwargs) if not isinstance(r, ListingStateItem)]


def test_an_index_asks_for_its_first_sitemap_only():
    index = spider()._listing_request("http://news.example/sitemap.xml", SOURCE)
    [first] = answer(index, INDEX)
    assert first.url == "http://news.example/sitemaps/1.xml" and first.callback.__name__ == "parse_listing"


def test_the_next_sitemap_comes_after_the_articles_of_this_one():
    index = spider()._listing_request("http://news.example/sitemap.xml", SOURCE)
    [first] = answer(index, INDEX)
    *articles, second = answer(first, PAGE)
    assert [r.url for r in articles] == ["http://news.example/a/1", "http://news.example/a/2"]
    assert second.url == "http://news.example/sitemaps/2.xml" and second.priority < min(a.priority for a in articles)
    [*_, third] = answer(second, PAGE)
    assert third.url == "http://news.example/sitemaps/3.xml"
    assert [r.url for r in answer(third, PAGE)] == ["http://news.example/a/1", "http://news.example/a/2"]


def test_an_unchanged_or_failed_sitemap_does_not_end_the_chain():
    index = spider()._listing_request("http://news.example/sitemap.xml", SOURCE)
    [first] = answer(index, INDEX)
    [second] = answer(first, b"", status=304)
    assert second.url == "http://news.example/sitemaps/2.xml"
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = second  # as Scrapy hands it to the errback
    error, third = list(spider().on_error(failure))
    assert isinstance(error, FetchErrorItem) and third.url == "http://news.example/sitemaps/3.xml"
