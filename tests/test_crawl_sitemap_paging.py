"""A sitemap index is read page by page: the next sitemap waits for the articles already listed."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import XmlResponse

from crawler.items import ListingStateItem
from crawler.spiders.news import NewsSpider

SOURCE = {"id": "demo", "name": "Demo", "language": "en", "homepage": None, "feeds": [], "sitemaps": []}
INDEX = (b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         b"<sitemap><loc>http://news.example/sitemaps/1.xml</loc></sitemap>"
         b"<sitemap><loc>http://news.example/sitemaps/2.xml</loc></sitemap></sitemapindex>")
PAGE = (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://news.example/a/1</loc></url><url><loc>http://news.example/a/2</loc></url></urlset>")


def listing(url: str, body: bytes) -> list:
    spider = NewsSpider(sources=[SOURCE])
    response = XmlResponse(url, body=body, request=Request(url))
    return [r for r in spider.parse_listing(response, source=SOURCE) if not isinstance(r, ListingStateItem)]


def test_sitemaps_of_an_index_come_after_the_articles_already_queued():
    sitemaps = listing("http://news.example/sitemap.xml", INDEX)
    articles = listing("http://news.example/sitemaps/1.xml", PAGE)
    assert [r.url for r in sitemaps] == ["http://news.example/sitemaps/1.xml", "http://news.example/sitemaps/2.xml"]
    assert [r.url for r in articles] == ["http://news.example/a/1", "http://news.example/a/2"]
    assert max(r.priority for r in sitemaps) < min(r.priority for r in articles)
    assert all(r.callback.__name__ == "parse_listing" and r.dont_filter for r in sitemaps)
