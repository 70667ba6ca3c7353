"""Past one machine: crawlers share one frontier in a real redis-server; one writer fills the KB.

The redis-server is Debian's package (``make test`` installs it when missing and
run as root); without it these tests fail with the command to run, never skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest
import redis  # the 'scale' extra, which the test extra installs
import sqlite_utils

from tests.conftest import ROOT, free_port, run_kb
from tests.fault_site import FaultSite

ARTICLES = 80


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server is not installed: run 'sudo apt-get install -y redis-server' "
                    "(make test installs it when run as root)", pytrace=False)
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir), "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--logfile", str(workdir / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start: {(workdir / 'redis.log').read_text()[-500:]}", pytrace=False)
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", client
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def frontier(redis_server):
    url, client = redis_server
    client.flushall()
    return url, client


def crawler(feeds: list[str], redis_url: str, *extra: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "kb", "crawl", *[a for f in feeds for a in ("--feed", f)], "--redis", redis_url,
            "--delay", "0", *extra]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


def pages_fetched(summary: str) -> int:
    match = re.search(r"(\d+) pages fetched", summary)
    assert match, summary
    return int(match.group(1))


@pytest.fixture(scope="module")
def shared_crawl(redis_server, tmp_path_factory):
    """Two crawler processes at once over one generated site of 80 articles, then the one writer."""
    url, client = redis_server
    client.flushall()
    db_path = tmp_path_factory.mktemp("scale") / "kb.db"
    with FaultSite(many=ARTICLES, many_delay=0.1) as site:
        feed = f"{site.url}/many/feed.xml"
        processes = [crawler([feed], url, "--concurrency", "2", "-q") for _ in range(2)]
        results = [finish(p) for p in processes]
        queued = client.llen("kb:items")
        leftover = {key.decode() for key in client.keys("*")}
        writer = run_kb("ingest-queue", "--redis", url, "--db", str(db_path), "--until-empty", "-q")
        hits = dict(site.hits)
        base = site.url
    return results, writer, hits, queued, leftover, db_path, base


def test_both_crawlers_finish_and_share_the_work(shared_crawl):
    results, *_ = shared_crawl
    for code, out, err in results:
        assert code == 0, err
    per_process = [pages_fetched(out) for _, out, _ in results]
    print("pages fetched per crawler process:", per_process)
    assert sum(per_process) == ARTICLES
    assert all(count > 0 for count in per_process), per_process


def test_no_url_is_requested_twice_across_both_crawlers(shared_crawl):
    _, _, hits, *_ = shared_crawl
    articles = {path: count for path, count in hits.items() if path.startswith("/many/") and path.endswith(".html")}
    assert len(articles) == ARTICLES
    assert {path: n for path, n in articles.items() if n != 1} == {}
    assert hits["/many/feed.xml"] == 1  # the feed too is fetched by one crawler only
    assert hits["/robots.txt"] <= 2  # each crawler obeys robots.txt itself


def test_crawlers_do_not_touch_the_kb_and_leave_a_clean_frontier(shared_crawl):
    *_, queued, leftover, db_path, _ = shared_crawl
    assert queued >= ARTICLES + 1  # the pages, the feed's state, each crawler's sources
    # the round is over: queue, seen set, membership gone; only the writer's list (and nothing else) remains
    assert leftover == {"kb:items"}


def test_the_writer_stores_every_article_exactly_once(shared_crawl):
    results, writer, _, _, _, db_path, base = shared_crawl
    assert writer.returncode == 0, writer.stderr
    db = sqlite_utils.Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    urls = [row[0] for row in db.execute("select url from articles")]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert set(urls) == {f"{base}/many/{i}.html" for i in range(ARTICLES)}
    assert "Ingested" in writer.stdout and f"{ARTICLES} pages ({ARTICLES} new)" in writer.stdout
    runs = list(db["crawl_runs"].rows)
    assert [(r["command"], r["status"], r["new"], r["source"]) for r in runs] == [("ingest-queue", "finished", ARTICLES, "adhoc")]
    assert db["sources"].get("adhoc")["kind"] == "feed"
    # the writer's per-crawler counts match what each crawler said it fetched
    per_crawler = sorted(int(n) for n in re.findall(r":\d+ (\d+)", writer.stdout.split("Pages per crawler:")[1]))
    assert per_crawler == sorted(pages_fetched(out) for _, out, _ in results)


def test_a_second_round_skips_what_the_kb_holds(frontier, tmp_path):
    url, client = frontier
    db_path = tmp_path / "kb.db"
    with FaultSite(many=10) as site:
        feed = f"{site.url}/many/feed.xml"
        assert finish(crawler([feed], url, "-q"))[0] == 0
        assert run_kb("ingest-queue", "--redis", url, "--db", str(db_path), "--until-empty", "-q").returncode == 0
        assert client.hlen("kb:known") == 10  # the writer told the crawlers what is stored
        code, out, err = finish(crawler([feed], url, "-q"))
        assert code == 0, err
        assert pages_fetched(out) == 0
        assert site.hits["/many/feed.xml"] == 2 and all(site.hits[f"/many/{i}.html"] == 1 for i in range(10))
        writer = run_kb("ingest-queue", "--redis", url, "--db", str(db_path), "--until-empty", "-q")
    assert writer.returncode == 0, writer.stderr
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 10
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished", "finished"]


def test_the_writer_can_run_alongside_the_crawlers(frontier, tmp_path):
    """As a service would: the writer drains while the crawlers fetch, and --until-empty waits for them."""
    url, client = frontier
    db_path = tmp_path / "kb.db"
    with FaultSite(many=30, many_delay=0.05) as site:
        feed = f"{site.url}/many/feed.xml"
        processes = [crawler([feed], url, "--concurrency", "2", "-q") for _ in range(2)]
        deadline = time.monotonic() + 60
        while not client.zcard("kb:crawlers") and time.monotonic() < deadline:
            time.sleep(0.05)
        writer = subprocess.Popen([sys.executable, "-m", "kb", "ingest-queue", "--redis", url, "--db", str(db_path),
                                   "--until-empty", "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert all(finish(p)[0] == 0 for p in processes)
        code, out, err = finish(writer)
    assert code == 0, err
    assert "30 pages (30 new)" in out
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 30 and db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert client.llen("kb:items") == 0 and client.llen("kb:items:processing") == 0


def test_failures_reach_the_writer_as_in_a_local_crawl(frontier, tmp_path):
    """Redirect loops still reach the errback, 503s are still retried, robots.txt still obeyed."""
    url, _ = frontier
    db_path = tmp_path / "kb.db"
    with FaultSite(timeout_page_seconds=3) as site:
        feeds = [f"{site.url}/{name}" for name in ("feed.xml", "malformed.xml")]
        processes = [crawler(feeds, url, "--concurrency", "4", "--timeout", "1", "-q") for _ in range(2)]
        assert all(finish(p)[0] == 0 for p in processes)
        writer = run_kb("ingest-queue", "--redis", url, "--db", str(db_path), "--until-empty", "-q")
        hits = dict(site.hits)
    assert writer.returncode == 0, writer.stderr
    db = sqlite_utils.Database(db_path)
    errors = {row["url"].replace(site.url, ""): row["reason"] for row in db["fetch_errors"].rows}
    assert "max redirections reached" in errors["/loop/b.html"]
    assert errors["/status/404.html"] == "HTTP 404"
    assert "Forbidden by robots.txt" in errors["/private/secret.html"]
    assert "redirect to news.invalid" in errors["/away.html"]
    assert "DownloadTimeoutError" in errors["/slow.html"]
    assert hits["/flaky/503.html"] == 2 and "/private/secret.html" not in hits
    assert hits["/ok/1.html"] == 1  # listed in both feeds and twice in one
    articles = {row[0].replace(site.url, "") for row in db.execute("select url from articles")}
    assert {"/ok/1.html", "/ok/2.html", "/ok/3.html", "/flaky/503.html"} <= articles


def test_items_a_killed_writer_held_are_written_by_the_next(frontier, tmp_path):
    from crawler.items import FetchErrorItem
    from crawler.shared import encode_item

    url, client = frontier
    client.rpush("kb:items:processing", encode_item(FetchErrorItem("http://x.test/a.html", "adhoc", "HTTP 404", 404), "m:1"))
    result = run_kb("ingest-queue", "--redis", url, "--db", str(tmp_path / "kb.db"), "--until-empty")
    assert result.returncode == 0, result.stderr
    assert "put back 1 items" in result.stderr
    assert [r["reason"] for r in sqlite_utils.Database(tmp_path / "kb.db")["fetch_errors"].rows] == ["HTTP 404"]
    assert client.llen("kb:items:processing") == 0


def test_a_crawler_with_another_selection_is_refused_while_a_round_runs(frontier):
    url, client = frontier
    seconds, _ = client.time()
    client.zadd("kb:crawlers", {"elsewhere:1": seconds})
    client.set("kb:selection", "0123456789abcdef")
    result = run_kb("crawl", "--feed", "http://127.0.0.1:9/feed.xml", "--redis", url)
    assert result.returncode == 1
    assert "crawl other sources" in result.stderr


def test_an_unreachable_redis_is_one_clear_line():
    port = free_port()
    result = run_kb("crawl", "--feed", "http://127.0.0.1:9/feed.xml", "--redis", f"redis://127.0.0.1:{port}/0")
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"Error: cannot use redis at redis://127.0.0.1:{port}/0")
    assert "Traceback" not in result.stderr
