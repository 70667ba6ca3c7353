"""A long crawl refreshes the knowledge tables every KB_REFRESH_EVERY stored articles, not once for all at the end.

One refresh at the end of a first crawl holds the whole KB's events and claims in memory; refreshed in
steps, each holds what its articles touch, and the tables come out as one refresh at the end makes them.
"""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.pipelines import KnowledgeBasePipeline
from crawler.spiders.news import NewsSpider
from kb.demo.site import DemoSite

# derived tables, and the columns of each that two crawls of the same pages may fill differently: the
# clock (when a row was written, when an article was first crawled), and price-history ids, which are
# handed out in the order the intervals first appear (kept stable from one refresh to the next)
DERIVED = {"event_clusters": {"created_at", "updated_at"}, "event_reports": set(), "claims": set(),
           "conflicts": set(), "price_history": {"id"}, "entity_months": set(), "entity_stats": {"first_crawled"},
           "co_mentions": set()}
SITE = DemoSite("http://127.0.0.1:8799")


def open_pipeline(path, every: int) -> KnowledgeBasePipeline:
    crawler = get_crawler(NewsSpider, {"KB_DB": str(path), "KB_PROGRESS": False, "KB_REFRESH_EVERY": every})
    crawler.spider = NewsSpider(sources=[{"id": "ledger", "name": "The Silicon Ledger", "language": "en",
                                          "homepage": None, "feeds": [], "sitemaps": []}])
    pipeline = KnowledgeBasePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def pages(count: int) -> list[PageItem]:
    out = []
    for article in [a for a in SITE.articles if a.outlet == "ledger"][:count]:
        url = SITE.article_url(article)
        body = SITE.get(url[len(SITE.base_url):]).body
        out.append(PageItem(url=url, fetched_url=url, source_id="ledger", status=200, body=body, encoding="utf-8",
                            text=body.decode("utf-8")))
    return out


def pending(pipeline: KnowledgeBasePipeline) -> int:
    return pipeline.db.execute("select count(*) from refresh_pending").fetchone()[0]


def derived(pipeline: KnowledgeBasePipeline) -> dict[str, list[tuple]]:
    tables = {}
    for table, clock in DERIVED.items():
        columns = ", ".join(f"[{c}]" for c in pipeline.db[table].columns_dict if c not in clock)
        tables[table] = pipeline.db.execute(f"select {columns} from [{table}] order by {columns}").fetchall()
    return tables


def test_the_tables_are_refreshed_every_n_stored_articles_and_at_the_end(tmp_path):
    pipeline = open_pipeline(tmp_path / "kb.db", every=3)
    items = pages(7)
    for item in items[:2]:
        pipeline.process_item(item)
    assert pending(pipeline) == 2 and pipeline.db["event_clusters"].count == 0
    pipeline.process_item(items[2])
    assert pending(pipeline) == 0 and pipeline.db["event_clusters"].count > 0
    for item in items[3:]:
        pipeline.process_item(item)
    assert pending(pipeline) == 1  # the 7th: 6 were refreshed in two steps
    pipeline.spider_closed(pipeline.crawler.spider, "finished")
    pipeline.db = pipeline.db.__class__(tmp_path / "kb.db")
    assert pending(pipeline) == 0
    assert pipeline.db["crawl_runs"].get(1)["status"] == "finished"


@pytest.mark.parametrize("every", [2, 5])
def test_refreshing_in_steps_gives_the_tables_of_one_refresh_at_the_end(tmp_path, every):
    tables = {}
    for name, step in (("steps", every), ("end", 0)):
        pipeline = open_pipeline(tmp_path / f"{name}.db", every=step)
        for item in pages(12):
            pipeline.process_item(item)
        pipeline.spider_closed(pipeline.crawler.spider, "finished")
        pipeline.db = pipeline.db.__class__(tmp_path / f"{name}.db")
        tables[name] = derived(pipeline)
    assert tables["end"]["event_clusters"] and tables["end"]["entity_stats"] and tables["end"]["price_history"]
    assert tables["steps"] == tables["end"]


def test_a_run_that_stores_nothing_does_not_refresh(tmp_path, monkeypatch):
    import crawler.pipelines

    calls = []
    monkeypatch.setattr(crawler.pipelines, "refresh_apart", lambda *a, **k: calls.append(1))
    pipeline = open_pipeline(tmp_path / "kb.db", every=1)
    pipeline.spider_closed(pipeline.crawler.spider, "finished")
    assert calls == []


def test_the_refresh_runs_in_a_process_of_its_own(tmp_path, monkeypatch):
    import crawler.pipelines

    def not_here(*args, **kwargs):
        raise AssertionError("refreshed in the crawl process")

    monkeypatch.setattr(crawler.pipelines, "refresh", not_here)
    pipeline = open_pipeline(tmp_path / "kb.db", every=2)
    for item in pages(2):
        pipeline.process_item(item)
    assert pending(pipeline) == 0 and pipeline.db["event_clusters"].count > 0


def test_a_refresh_that_fails_says_why(tmp_path):
    from crawler.pipelines import refresh_apart

    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(RuntimeError, match="Error"):
        refresh_apart(tmp_path / "file" / "kb.db")
