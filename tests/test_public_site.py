"""The served and published site cannot be exhausted, and publishes nothing about where it was built (issue 14).

A small KB made with ``kb add`` (one article keyed by its local file path), a crawl
run and a failure naming an internal host; served by ``kb serve`` and, published,
by ``datasette serve`` on the directory, as DEPLOY.md says.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import free_port, run_kb, start_site
from tests.fault_site import article_html

INTERNAL = "http://10.1.2.3:8080/admin/feed.xml"


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    db_path = folder / "kb.db"
    for number in (1, 2):
        story = folder / f"story-{number}.html"
        story.write_text(article_html(number), encoding="utf-8")
    assert run_kb("add", str(folder / "story-1.html"), "--db", str(db_path)).returncode == 0  # a file:// key
    assert run_kb("add", str(folder / "story-2.html"), "--url", "https://news.example/a/2", "--db", str(db_path)).returncode == 0
    db = sqlite_utils.Database(db_path)
    run_id = db["crawl_runs"].insert({"source": "local", "command": "crawl", "started": "2025-03-01T00:00:00+00:00",
                                      "status": "finished", "pid": 4242, "errors": 1}).last_pk
    db["fetch_errors"].insert({"run_id": run_id, "url": INTERNAL, "source": "local", "http_status": None,
                               "reason": f"DNSLookupError: no address for {INTERNAL}", "time": "2025-03-01T00:00:01+00:00"})
    db.conn.commit()
    db.close()
    return db_path


@pytest.fixture(scope="module")
def served(small_kb):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_site([sys.executable, "-m", "kb", "serve", "--db", str(small_kb), "--port", str(port)], url,
                     small_kb.with_suffix(".serve.log"))
    yield url, process
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def published(small_kb, tmp_path_factory):
    directory = tmp_path_factory.mktemp("public") / "site"
    result = run_kb("publish", str(directory), "--db", str(small_kb))
    assert result.returncode == 0, result.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_site([sys.executable, "-m", "datasette", "serve", str(directory), "--port", str(port)], url,
                     directory.parent / "serve.log")
    yield url, directory
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, *, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"q=1" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _sql(base: str, database: str, sql: str) -> tuple[int, bytes]:
    return _get(f"{base}/{database}.json?" + urllib.parse.urlencode({"sql": sql}))


def _peak_rss_kb(kb_serve: subprocess.Popen) -> int:
    """The peak resident memory of the Datasette process that ``kb serve`` runs."""
    children = Path(f"/proc/{kb_serve.pid}/task/{kb_serve.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])


# ------------------------------------------------------------------ bounds (item 6)

def test_a_gigabyte_blob_is_refused_at_once(served):
    url, process = served
    started = time.monotonic()
    status, body = _sql(url, "kb", "select randomblob(1000000000)")
    assert time.monotonic() - started < 3
    assert status == 400 and b"too big" in body
    assert _peak_rss_kb(process) < 1_000_000


def test_many_big_rows_at_once_are_stopped_and_the_site_stays_up(served):
    url, process = served
    attacks = ["with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) select randomblob(5000000) from r",
               "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) "
               "select printf('%.*c', 5000000, 'x') from r"]
    results: list[tuple[int, float]] = []

    def attack(sql: str) -> None:
        started = time.monotonic()
        status, _ = _sql(url, "kb", sql)
        results.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=attack, args=(sql,)) for sql in attacks * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [status for status, _ in results] == [400] * 6
    assert max(seconds for _, seconds in results) < 10
    assert _peak_rss_kb(process) < 1_000_000
    status, body = _sql(url, "kb", "select count(*) as n from articles")
    assert status == 200 and json.loads(body)["rows"] == [[2]]


def test_a_post_is_refused_not_a_server_error(served):
    url, _ = served
    status, _ = _get(f"{url}/kb/search_articles", method="POST")
    assert status == 405


# ------------------------------------------------------------------ the published copy (item 10)

def test_the_published_copy_holds_no_local_path_pid_or_internal_host(published, small_kb):
    _, directory = published
    raw = (directory / "kb.db").read_bytes()
    assert str(small_kb.parent).encode() not in raw and b"file://" not in raw
    assert b"10.1.2.3" not in raw
    db = sqlite_utils.Database(directory / "kb.db")
    assert {row["url"] for row in db["articles"].rows} == {"https://news.example/a/2", "local:1"}
    assert [row["pid"] for row in db["crawl_runs"].rows] == [None]
    assert [(row["url"], row["reason"]) for row in db["fetch_errors"].rows] == [(None, "DNSLookupError")]


def test_the_public_site_hides_bookkeeping_and_debug_pages(published):
    url, _ = published
    for path in ("/-/threads", "/-/threads.json", "/-/databases.json", "/-/actor.json", "/-/plugins.json"):
        assert _get(url + path)[0] == 404, path
    for table in ("crawl_runs", "fetch_errors", "feed_state"):
        assert _get(f"{url}/kb/{table}.json")[0] == 403, table
    status, body = _get(f"{url}/kb/crawl_health.json?_shape=array")
    assert status == 200 and json.loads(body)[0]["errors_all"] == 1  # the health summary still answers
    assert _get(f"{url}/kb/articles.json")[0] == 200
    status, body = _sql(url, "kb", "select randomblob(1000000000)")
    assert status == 400 and b"too big" in body
    assert _get(f"{url}/kb/search_articles", method="POST")[0] == 405


def test_reading_commands_answer_from_a_published_copy_without_writing_it(published):
    _, directory = published
    database = directory / "kb.db"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    for command in (["events"], ["conflicts"], ["reference"]):
        result = run_kb(*command, "--db", str(database))
        assert result.returncode == 0, result.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not database.with_name("kb.db-wal").exists()
