"""Readers keep reading while a crawl writes: WAL mode, short write transactions, no "database is locked"."""

import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

from kb.store import open_db
from tests.conftest import ROOT, free_port


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.load(response)


def _wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _get_json(url)
            return
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_datasette_and_sqlite_readers_never_see_a_locked_database_during_a_crawl(tmp_path, demo_server, demo_articles):
    path = tmp_path / "live.db"
    open_db(path).conn.close()  # Datasette needs the file to exist before the first crawl
    port = free_port()
    server_log, crawl_log = tmp_path / "serve.log", tmp_path / "crawl.log"
    # logs go to files: a full pipe nobody reads would stall the process, not the database
    server = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--db", str(path), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log.open("w"))
    base = f"http://127.0.0.1:{port}/live"
    try:
        _wait_for(f"{base}/articles.json?_size=1")
        crawl = subprocess.Popen(
            [sys.executable, "-m", "kb", "crawl", "--demo-url", demo_server.url, "--db", str(path), "--delay", "0.05", "-q"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=crawl_log.open("w"),
        )
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        counts, statuses, reads = [], [], 0
        while crawl.poll() is None:
            status, body = _get_json(f"{base}.json?sql=select+count(*)+as+n+from+articles&_shape=array")
            statuses.append(status)
            counts.append(body[0]["n"])
            # a plain SQLite reader with a short busy timeout: a writer holding the lock would show here
            reader.execute("select count(*) from mentions").fetchone()
            reader.execute("select title from articles order by id desc limit 5").fetchall()
            reads += 1
            time.sleep(0.05)
        assert crawl.wait() == 0, crawl_log.read_text()[-2000:]
        final = _get_json(f"{base}.json?sql=select+count(*)+as+n+from+articles&_shape=array")[1][0]["n"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert reads >= 5, "the crawl ended before the readers could overlap with it"
    assert set(statuses) == {200}
    assert counts == sorted(counts), "a reader saw the article count go backwards"
    assert counts[0] < final == len(demo_articles)
    assert "locked" not in server_log.read_text()
