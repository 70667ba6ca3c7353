"""A crawl against a site that fails in every way: it finishes, records each failure, loses nothing."""

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.conftest import ROOT, run_kb
from tests.fault_site import FaultSite


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("faults") / "kb.db"
    with FaultSite(timeout_page_seconds=3) as site:
        feeds = [f"{site.url}/{name}" for name in ("feed.xml", "malformed.xml", "empty.xml", "notfound-feed.xml")]
        args = ["crawl", *[a for f in feeds for a in ("--feed", f)], "--delay", "0", "--concurrency", "8", "--timeout", "1",
                "--db", str(db_path)]
        result = run_kb(*args)
        hits = dict(site.hits)
    db = sqlite_utils.Database(db_path)
    errors = {row["url"].replace(site.url, ""): row for row in db["fetch_errors"].rows}
    articles = {row["url"].replace(site.url, ""): row for row in db["articles"].rows}
    return result, errors, articles, hits, db


def test_crawl_finishes_and_reports_errors_in_its_summary(fault_crawl):
    result, errors, *_ = fault_crawl
    assert result.returncode == 0, result.stderr
    assert f"{len(errors)} errors" in result.stdout


@pytest.mark.parametrize(
    "path, reason, status",
    [
        ("/status/404.html", "HTTP 404", 404),
        ("/status/410.html", "HTTP 410", 410),
        ("/status/500.html", "HTTP 500", 500),
        ("/slow.html", "DownloadTimeoutError", None),
        ("/loop/b.html", "max redirections reached", None),
        ("/away.html", "redirect to news.invalid (outside the source's domains) not followed", None),
        ("/huge.html", "larger than download max size", None),
        ("/bomb.html", "exceeded DOWNLOAD_MAXSIZE", None),
        ("/pdf.html", "parse: not HTML: a PDF document", 200),
        ("/private/secret.html", "Forbidden by robots.txt", None),
        ("/malformed.xml", "feed: malformed XML", 200),
        ("/empty.xml", "feed: empty feed", 200),
        ("/notfound-feed.xml", "HTTP 404", 404),
        ("/mislabelled-utf8.html", "charset: declared encoding does not match the body (repaired as EUC-KR)", 200),
    ],
)
def test_each_failure_is_recorded_with_reason_and_status(fault_crawl, path, reason, status):
    _, errors, *_ = fault_crawl
    assert path in errors, sorted(errors)
    assert reason in errors[path]["reason"]
    assert errors[path]["http_status"] == status
    assert errors[path]["source"] == "adhoc" and errors[path]["time"]


def test_what_succeeded_is_kept(fault_crawl):
    _, _, articles, *_ = fault_crawl
    assert {"/ok/1.html", "/ok/2.html", "/ok/3.html", "/flaky/503.html", "/truncated.html", "/euckr-noheader.html",
            "/mislabelled-utf8.html"} == set(articles)


def test_503_is_retried_until_it_succeeds(fault_crawl):
    *_, hits, _ = fault_crawl
    assert hits["/flaky/503.html"] == 2


def test_robots_txt_is_obeyed(fault_crawl):
    *_, hits, _ = fault_crawl
    assert "/private/secret.html" not in hits and hits["/robots.txt"] == 1


def test_duplicate_and_relative_feed_items_are_fetched_once(fault_crawl):
    *_, hits, _ = fault_crawl
    assert hits["/ok/1.html"] == 1 and hits["/ok/3.html"] == 1


@pytest.mark.parametrize("path", ["/euckr-noheader.html", "/mislabelled-utf8.html"])
def test_korean_pages_in_the_wrong_charset_arrive_readable(fault_crawl, path):
    _, _, articles, *_ = fault_crawl
    assert "딥시크" in articles[path]["text"] and "\ufffd" not in articles[path]["text"]


def test_killed_crawl_resumes_without_duplicates(tmp_path):
    db_path = tmp_path / "kb.db"
    with FaultSite(many=40, many_delay=0.05) as site:
        feed = f"{site.url}/many/feed.xml"
        args = [sys.executable, "-m", "kb", "crawl", "--feed", feed, "--delay", "0", "--concurrency", "1", "--db", str(db_path), "-q"]
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if db_path.exists() and _count(db_path) >= 5:
                break
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stored_before = _count(db_path)
        assert 5 <= stored_before < 40
        stored_paths = {row[0].replace(site.url, "") for row in sqlite_utils.Database(db_path).execute("select url from articles")}
        result = run_kb("crawl", "--feed", feed, "--delay", "0", "--concurrency", "4", "--db", str(db_path), "-q")
        assert result.returncode == 0, result.stderr
        refetched_stored = [path for path in stored_paths if site.hits.get(path, 0) > 1]
    db = sqlite_utils.Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db["articles"].count == 40
    assert db.execute("select count(distinct url) from articles").fetchone()[0] == 40
    runs = [row["status"] for row in db["crawl_runs"].rows]
    assert runs == ["interrupted", "finished"]
    # what was committed before the kill is never fetched again; pages in flight are
    assert refetched_stored == []


def _count(path) -> int:
    try:
        return sqlite_utils.Database(path).execute("select count(*) from articles").fetchone()[0]
    except Exception:
        return 0


def test_second_crawl_is_skipped_while_one_holds_the_lock(tmp_path):
    from kb.schedule import crawl_lock

    db_path = tmp_path / "kb.db"
    with crawl_lock(db_path):
        result = run_kb("crawl", "--feed", "http://127.0.0.1:9/feed.xml", "--db", str(db_path))
    assert result.returncode == 75
    assert "another crawl" in result.stderr and "is writing to" in result.stderr


def test_robots_txt_holds_for_every_request_that_waited_for_it(tmp_path):
    """Scrapy 2.19 let the third and later requests waiting on a host's robots.txt through
    (crawler.middlewares.RobotsTxtMiddleware fixes it): here five feeds on one host start at once."""
    db_path = tmp_path / "kb.db"
    with FaultSite() as site:
        feeds = [f"{site.url}/{path}" for path in ("empty.xml", "malformed.xml", "private/a.xml", "private/b.xml", "private/c.xml")]
        result = run_kb("crawl", *[a for f in feeds for a in ("--feed", f)], "--delay", "0", "--concurrency", "8",
                        "--db", str(db_path), "-q")
        hits = dict(site.hits)
    assert result.returncode == 0, result.stderr
    assert [path for path in hits if path.startswith("/private/")] == []
    errors = {row["url"].replace(site.url, ""): row["reason"] for row in sqlite_utils.Database(db_path)["fetch_errors"].rows}
    assert all("Forbidden by robots.txt" in errors[f"/private/{name}.xml"] for name in "abc")
