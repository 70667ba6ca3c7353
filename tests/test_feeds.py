import pytest

from kb.feeds import FeedError, parse_feed
from kb.urls import canonical_url


def test_rss_items_become_canonical_urls():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel>
    <item><title>A</title><link>/news/articleView.html?idxno=7&amp;utm_source=rss</link><pubDate>Mon, 03 Feb 2025 10:00:00 +0900</pubDate></item>
    <item><title>A again</title><link>https://news.test/news/articleView.html?idxno=7</link></item>
    </channel></rss>"""
    kind, entries = parse_feed(body, "https://news.test/rss.xml")
    assert kind == "rss"
    assert [e.url for e in entries] == ["https://news.test/news/articleView.html?idxno=7"]
    assert entries[0].published == "2025-02-03T10:00:00+09:00"


def test_atom_entries_use_the_alternate_link():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
    <link rel="self" href="https://x.test/self"/><link rel="alternate" href="https://x.test/a/1"/>
    <published>2025-01-21T08:00:00-08:00</published></entry></feed>"""
    kind, entries = parse_feed(body, "https://x.test/feed.atom")
    assert (kind, entries[0].url, entries[0].published) == ("atom", "https://x.test/a/1", "2025-01-21T08:00:00-08:00")


def test_google_news_sitemap_keeps_the_news_fields():
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://x.test/2025/01/21/r1/</loc><news:news><news:publication><news:name>X</news:name><news:language>en</news:language>
    </news:publication><news:publication_date>2025-01-21T08:00:00-08:00</news:publication_date><news:title>R1 arrives</news:title></news:news></url></urlset>"""
    kind, entries = parse_feed(body, "https://x.test/news-sitemap.xml")
    assert kind == "sitemap"
    assert (entries[0].title, entries[0].language, entries[0].published) == ("R1 arrives", "en", "2025-01-21T08:00:00-08:00")


def test_sitemap_index_entries_are_marked():
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.test/s1.xml</loc></sitemap></sitemapindex>"""
    kind, entries = parse_feed(body, "https://x.test/sitemap.xml")
    assert kind == "sitemapindex" and entries[0].is_sitemap_index


@pytest.mark.parametrize("body", [b"", b"<html><body>not a feed</body></html>", b"\x00\x01garbage"])
def test_what_is_not_a_feed_is_an_error(body):
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.test/feed")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTPS://News.Test:443/view/?no=2025&utm_source=x#top", "https://news.test/view/?no=2025"),
        ("http://news.test/a?idxno=5&fbclid=abc", "http://news.test/a?idxno=5"),
        ("http://127.0.0.1:8799/x/", "http://127.0.0.1:8799/x/"),
    ],
)
def test_canonical_url_keeps_ids_and_drops_tracking(url, expected):
    assert canonical_url(url) == expected
