"""Extraction in worker processes during a crawl: same facts, and a worker that dies or hangs costs one page."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlite_utils

from crawler.extract_worker import ExtractedPage, JobFailure, PageJob, parse_and_extract
from crawler.pool import ExtractionPool
from tests.conftest import ROOT, run_kb
from tests.fault_site import FaultSite
from tests.pool_jobs import CRASH_PAGE, HANG_PAGE, misbehave


@pytest.fixture(scope="module")
def pool():
    pool = ExtractionPool(2, timeout=2, function=misbehave, preload=False)
    yield pool
    pool.close()


def test_a_worker_that_dies_fails_its_job_and_is_replaced(pool):
    before = pool.replaced
    answer = pool.run("crash")
    assert isinstance(answer, JobFailure) and answer.stage == "extract"
    assert "died" in answer.message and "exit code 3" in answer.message
    assert pool.replaced == before + 1
    assert [pool.run(str(n)).startswith(f"done {n}") for n in range(4)] == [True] * 4


def test_a_worker_that_hangs_is_killed_after_the_timeout(pool):
    answer = pool.run("hang")
    assert isinstance(answer, JobFailure) and "no answer in 2s" in answer.message
    assert pool.run("after").startswith("done after")


def test_an_exception_in_the_job_is_an_answer_not_a_dead_worker(pool):
    before = pool.replaced
    answer = pool.run("raise")
    assert isinstance(answer, JobFailure) and "ValueError: no such job" in answer.message
    assert pool.replaced == before


def test_a_worker_extracts_what_the_crawl_process_would(demo_site, gazetteer):
    article = next(a for a in demo_site.articles if a.language == "ko")
    url = demo_site.article_url(article)
    body = demo_site.get(url.removeprefix(demo_site.base_url)).body
    job = PageJob(body.decode("cp949" if b"euc-kr" in body[:500].lower() else "utf-8"), url, {"published": "2025-01-01"})
    local = parse_and_extract(job)
    one = ExtractionPool(1, preload=False)
    try:
        remote = one.run(job)
    finally:
        one.close()
    assert isinstance(remote, ExtractedPage) and remote.extraction["companies"]
    assert remote.extraction == local.extraction and remote.article == local.article


def _crawl(site_url: str, db_path, workers: int, settings: dict) -> subprocess.CompletedProcess[str]:
    """crawler.run.crawl in a subprocess (one reactor per process), with test settings."""
    source = {"id": "adhoc", "name": "Ad hoc feeds", "language": None, "homepage": None,
              "feeds": [f"{site_url}/many/feed.xml"], "sitemaps": [], "allowed_domains": ["127.0.0.1"],
              "sitemap_filter": None, "article_url": None, "encoding": None}
    code = (f"from crawler.run import crawl; crawl({[source]!r}, db_path={str(db_path)!r}, delay=0, "
            f"concurrency=4, progress=False, workers={workers}, extra_settings={settings!r})")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_page_that_kills_or_hangs_its_worker_is_recorded_and_the_crawl_goes_on(tmp_path):
    db_path = tmp_path / "kb.db"
    with FaultSite(many=12) as site:
        result = _crawl(site.url, db_path, 2, {"KB_EXTRACT_FUNCTION": "tests.pool_jobs.crash_or_hang",
                                               "KB_EXTRACT_TIMEOUT": 3})
        assert result.returncode == 0, result.stderr
        db = sqlite_utils.Database(db_path)
        stored = {row[0].replace(site.url, "") for row in db.execute("select url from articles")}
        errors = {row["url"].replace(site.url, ""): row["reason"] for row in db["fetch_errors"].rows}
        assert stored == {f"/many/{n}.html" for n in range(12)} - {CRASH_PAGE, HANG_PAGE}
        assert errors[CRASH_PAGE] == "extract: extraction worker died (exit code 9)"
        assert errors[HANG_PAGE] == "extract: extraction worker gave no answer in 3s (killed)"
        assert db.execute("select count(*) from mentions").fetchone()[0] > 0
        assert [row["status"] for row in db["crawl_runs"].rows] == ["finished"]
        # the next crawl fetches those two again (and, in-process this time, stores them)
        hits = dict(site.hits)
        again = _crawl(site.url, db_path, 1, {})
        assert again.returncode == 0, again.stderr
        assert {p for p in site.hits if site.hits[p] > hits.get(p, 0) and p.startswith("/many/")
                and p != "/many/feed.xml"} == {CRASH_PAGE, HANG_PAGE}
    assert sqlite_utils.Database(db_path)["articles"].count == 12


FACTS = """select a.url, e.name, m.start from mentions m join articles a on a.id = m.article_id
           join entities e on e.id = m.entity_id order by 1, 3, 2"""


def test_a_crawl_with_two_workers_stores_what_one_process_stores(tmp_path, demo_server):
    facts = {}
    for workers in (1, 2):
        db_path = tmp_path / f"w{workers}.db"
        result = run_kb("crawl", "--demo-url", demo_server.url, "--workers", str(workers), "--db", str(db_path), "-q")
        assert result.returncode == 0, result.stderr
        db = sqlite_utils.Database(db_path)
        facts[workers] = (db["articles"].count, db.execute(FACTS).fetchall(),
                          db.execute("select a.url, p.amount, p.currency from prices p join articles a "
                                     "on a.id = p.article_id order by 1, 2").fetchall())
    assert facts[1][0] > 30 and len(facts[1][1]) > 300 and facts[1][2]
    assert facts[2] == facts[1]


def test_a_pool_that_was_given_no_page_starts_no_process():
    """A repeat crawl that fetches no page must not wait seconds for workers to warm up."""
    idle = ExtractionPool(2, function=misbehave, preload=False)
    idle.close()
    assert idle.replaced == 0 and idle._all == [] and idle._starting is None
