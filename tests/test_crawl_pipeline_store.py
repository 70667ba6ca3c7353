"""The crawl pipeline stores each page in one transaction, without an fsync per write."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

import kb.pipeline
from crawler.items import PageItem
from crawler.pipelines import KnowledgeBasePipeline
from crawler.spiders.news import NewsSpider
from kb.demo.site import DemoSite


@pytest.fixture
def pipeline(tmp_path):
    crawler = get_crawler(NewsSpider, {"KB_DB": str(tmp_path / "kb.db"), "KB_PROGRESS": False})
    crawler.spider = NewsSpider(sources=[{"id": "ledger", "name": "The Silicon Ledger", "language": "en", "homepage": None,
                                          "feeds": [], "sitemaps": []}])
    pipeline = KnowledgeBasePipeline.from_crawler(crawler)
    pipeline.open_spider()
    yield pipeline
    pipeline.db.close()


def page(number: int = 0) -> PageItem:
    site = DemoSite("http://127.0.0.1:8799")
    article = [a for a in site.articles if a.outlet == "ledger"][number]
    url = site.article_url(article)
    body = site.get(url[len(site.base_url):]).body
    return PageItem(url=url, fetched_url=url, source_id="ledger", status=200, body=body, encoding="utf-8",
                    text=body.decode("utf-8"))


def test_a_page_is_stored_with_one_commit(pipeline):
    statements: list[str] = []
    pipeline.db.conn.set_trace_callback(statements.append)
    pipeline.process_item(page())
    pipeline.db.conn.set_trace_callback(None)
    assert pipeline.db["articles"].count == 1
    assert pipeline.db["mentions"].count > 0
    assert sum(s.strip().upper() == "COMMIT" for s in statements) == 1


def test_a_page_whose_facts_fail_to_save_leaves_nothing_behind(pipeline, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(kb.pipeline, "save_facts", broken)
    pipeline.process_item(page())  # recorded, not raised: the crawl goes on
    assert pipeline.db["articles"].count == 0
    [error] = pipeline.db["fetch_errors"].rows
    assert error["reason"] == "store: RuntimeError: disk full" and error["url"] == page().url
    assert pipeline.db["article_html"].count == 0
    monkeypatch.undo()
    pipeline.process_item(page(1))  # the connection is usable afterwards
    assert pipeline.db["articles"].count == 1


def test_the_crawl_connection_does_not_fsync_every_commit(pipeline):
    assert pipeline.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert pipeline.db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL
