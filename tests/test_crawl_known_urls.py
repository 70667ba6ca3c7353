"""The spider asks the KB which listed URLs it holds, listing by listing, instead of loading them all at start."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import XmlResponse
from scrapy.settings import Settings

from crawler.known import CHUNK, StoredUrls
from crawler.spiders.news import NewsSpider
from kb.store import open_db

SOURCE = {"id": "demo", "name": "Demo", "language": "en", "homepage": None, "feeds": [], "sitemaps": [],
          "allowed_domains": ["news.example"]}
FETCHED = "2026-03-01T00:00:00+00:00"


def sitemap(*entries: tuple[str, str | None]) -> bytes:
    urls = "".join(f"<url><loc>{url}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>"
                   for url, mod in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + urls + "</urlset>").encode()


def store(db, *urls: str) -> None:
    for url in urls:
        db["articles"].insert({"url": url, "text": "An article we wrote for this test.", "last_fetched": FETCHED})


def requested(spider: NewsSpider, body: bytes) -> list[str]:
    request = spider._listing_request("http://news.example/sitemap-1.xml", SOURCE)
    response = XmlResponse(request.url, body=body, request=request)
    return [r.url for r in spider.parse_listing(response, **request.cb_kwargs)
            if isinstance(r, Request) and r.callback.__name__ == "parse_article"]


def spider_on(path) -> NewsSpider:
    spider = NewsSpider(sources=[SOURCE])
    spider.known = StoredUrls(path)
    return spider


def test_a_url_the_kb_holds_is_not_requested_again(tmp_path):
    db = open_db(tmp_path / "kb.db")
    store(db, "http://news.example/a/1")
    spider = spider_on(tmp_path / "kb.db")
    assert requested(spider, sitemap(("http://news.example/a/1", None), ("http://news.example/a/2", None))) == [
        "http://news.example/a/2"]


def test_a_stored_url_listed_as_changed_since_it_was_fetched_is_fetched_again(tmp_path):
    db = open_db(tmp_path / "kb.db")
    store(db, "http://news.example/a/1", "http://news.example/a/2")
    spider = spider_on(tmp_path / "kb.db")
    body = sitemap(("http://news.example/a/1", "2026-04-01T00:00:00+00:00"), ("http://news.example/a/2", "2026-02-01"))
    assert requested(spider, body) == ["http://news.example/a/1"]


def test_an_article_stored_during_the_crawl_is_known_to_the_next_listing(tmp_path):
    db = open_db(tmp_path / "kb.db")
    spider = spider_on(tmp_path / "kb.db")  # opened before the pipeline stores anything
    store(db, "http://news.example/a/3")
    other = NewsSpider(sources=[SOURCE])  # a fresh spider: only the KB can know a/3, not this run's requests
    other.known = spider.known
    assert requested(other, sitemap(("http://news.example/a/3", None), ("http://news.example/a/4", None))) == [
        "http://news.example/a/4"]


def test_a_listing_longer_than_one_query_is_checked_whole(tmp_path):
    db = open_db(tmp_path / "kb.db")
    urls = [f"http://news.example/a/{n}" for n in range(CHUNK * 2 + 7)]
    with db.conn:
        store(db, *urls[::2])
    known = StoredUrls(tmp_path / "kb.db")
    assert set(known.last_fetched(urls)) == set(urls[::2])
    assert known.last_fetched(urls[:1]) == {urls[0]: FETCHED}


def test_a_url_listed_twice_in_one_listing_is_requested_once(tmp_path):
    open_db(tmp_path / "kb.db")
    spider = spider_on(tmp_path / "kb.db")
    assert requested(spider, sitemap(("http://news.example/a/5", None), ("http://news.example/a/5", None))) == [
        "http://news.example/a/5"]


def test_the_spider_holds_no_copy_of_the_kbs_urls(tmp_path):
    db = open_db(tmp_path / "kb.db")
    with db.conn:
        store(db, *(f"http://news.example/a/{n}" for n in range(1000)))
    spider = NewsSpider(sources=[SOURCE])
    spider.settings = Settings({"KB_DB": str(tmp_path / "kb.db")})
    spider._load_state()
    assert not any(isinstance(value, (dict, set, list)) and len(value) >= 1000 for value in vars(spider).values())
    assert requested(spider, sitemap(("http://news.example/a/999", None), ("http://news.example/a/1000", None))) == [
        "http://news.example/a/1000"]
    spider.closed("finished")
