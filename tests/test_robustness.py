"""Nothing lost, nothing injected (issue 14): a second writer, an interrupted add, hostile input."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import ROOT, run_kb
from tests.fault_site import FaultSite, article_html


def _busy_writer(db_path: Path, stop: threading.Event, commits: list[int]) -> None:
    """Another process's writes, as kb reprocess or kb add make them: short transactions, now and then a long one."""
    while not db_path.exists() and not stop.is_set():
        time.sleep(0.01)
    conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    conn.execute("create table if not exists writer_log (n integer)")
    n = 0
    while not stop.is_set():
        conn.execute("begin immediate")
        conn.execute("insert into writer_log values (?)", [n])
        if n % 50 == 49:
            time.sleep(0.5)  # holds the write lock a while, like a refresh
        conn.execute("commit")
        n += 1
        time.sleep(0.002)
    commits.append(n)
    conn.close()


def test_no_page_is_lost_while_another_process_writes(tmp_path):
    db_path = tmp_path / "kb.db"
    stop, commits = threading.Event(), []
    writer = threading.Thread(target=_busy_writer, args=(db_path, stop, commits), daemon=True)
    with FaultSite(many=120) as site:
        writer.start()
        try:
            result = run_kb("crawl", "--feed", f"{site.url}/many/feed.xml", "--delay", "0", "--concurrency", "8",
                            "--db", str(db_path), "-q", timeout=240)
        finally:
            stop.set()
            writer.join(10)
    assert commits and commits[0] > 50, "the other writer did not get to write"
    db = sqlite_utils.Database(db_path)
    assert result.returncode == 0, result.stderr
    assert db["articles"].count == 120, list(db["fetch_errors"].rows)
    assert db["fetch_errors"].count == 0


def test_a_page_that_could_not_be_stored_is_fetched_again_next_run(tmp_path):
    db_path = tmp_path / "kb.db"
    with FaultSite(many=3) as site:
        feed = f"{site.url}/many/feed.xml"
        assert run_kb("crawl", "--feed", feed, "--delay", "0", "--db", str(db_path), "-q").returncode == 0
        db = sqlite_utils.Database(db_path)
        lost = f"{site.url}/many/1.html"
        # as the pipeline records a page the KB would not take (locked past the busy timeout)
        db.execute("delete from articles where url = ?", [lost])
        db["fetch_errors"].insert({"run_id": 1, "url": lost, "source": "adhoc", "reason": "store: OperationalError: database is locked",
                                   "http_status": 200, "time": "2025-01-01T00:00:00+00:00"})
        db.conn.commit()
        site.many = 0  # the feed has moved on: it no longer lists the page
        assert run_kb("crawl", "--feed", feed, "--delay", "0", "--db", str(db_path), "-q").returncode == 0
    assert db.execute("select count(*) from articles where url = ?", [lost]).fetchone()[0] == 1


def test_an_interrupted_add_stores_nothing_and_the_next_add_stores_all(tmp_path, monkeypatch):
    page = tmp_path / "story.html"
    page.write_text(article_html(3), encoding="utf-8")
    db_path = tmp_path / "kb.db"
    import kb.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kb.pipeline, "extract", interrupted)
    result = CliRunner().invoke(cli, ["add", str(page), "--url", "https://news.example/a/1", "--db", str(db_path)])
    assert result.exit_code == 130
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 0
    monkeypatch.undo()
    result = CliRunner().invoke(cli, ["add", str(page), "--url", "https://news.example/a/1", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("new")
    row = next(db["articles"].rows)
    assert row["extracted_at"] is not None
    assert db.execute("select count(*) from mentions").fetchone()[0] > 0
