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
    with FaultSite(many=120, many_delay=0.02) as site:
        writer.start()
        try:
            result = run_kb("crawl", "--feed", f"{site.url}/many/feed.xml", "--delay", "0", "--concurrency", "8",
                            "--db", str(db_path), "-q", timeout=240)
        finally:
            stop.set()
            writer.join(10)
    assert commits and commits[0] > 20, "the other writer did not get to write during the crawl"
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


# ------------------------------------------------------------------ dates (item 4)

IMPOSSIBLE_DATE_PAGE = article_html(4).replace("2025-03-05T09:00:00+09:00", "2025-02-30T09:00:00+09:00")


class DatedSite(FaultSite):
    """The fault site plus a page that declares a day that does not exist."""

    def route(self, h, path, count):
        if path == "/dated/feed.xml":
            return self.send(h, 200, (f'<?xml version="1.0"?><rss version="2.0"><channel><title>d</title>'
                                      f'<item><link>/dated/impossible.html</link><pubDate>yesterday</pubDate></item>'
                                      f'<item><link>/ok/1.html</link></item></channel></rss>').encode(),
                             "application/rss+xml")
        if path == "/dated/impossible.html":
            return self.send(h, 200, IMPOSSIBLE_DATE_PAGE.encode())
        return super().route(h, path, count)


def test_a_date_that_is_not_one_is_refused_naming_the_option(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(article_html(3), encoding="utf-8")
    db_path = tmp_path / "kb.db"
    result = run_kb("add", str(page), "--published", "yesterday", "--url", "https://news.example/a/3", "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "--published" in result.stderr and "Traceback" not in result.stderr
    result = run_kb("add", str(page), "--published", "2025-02-30", "--url", "https://news.example/a/3", "--db", str(db_path))
    assert result.returncode == 1 and "--published" in result.stderr


def test_a_page_with_an_impossible_date_is_kept_without_the_date(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(IMPOSSIBLE_DATE_PAGE, encoding="utf-8")
    db_path = tmp_path / "kb.db"
    result = run_kb("add", str(page), "--url", "https://news.example/a/4", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    row = next(sqlite_utils.Database(db_path)["articles"].rows)
    assert row["published"] is None and row["extracted_at"] is not None
    # and the KB stays usable for every later writer
    assert run_kb("reprocess", "--db", str(db_path)).returncode == 0


def test_a_crawled_page_with_an_impossible_date_is_stored_not_dropped(tmp_path):
    db_path = tmp_path / "kb.db"
    with DatedSite() as site:
        result = run_kb("crawl", "--feed", f"{site.url}/dated/feed.xml", "--delay", "0", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(db_path)
    row = next(db["articles"].rows_where("url like '%impossible.html'"))
    assert row["published"] is None
    assert db["fetch_errors"].count == 0 and db["articles"].count == 2


def test_a_kb_holding_an_unreadable_date_is_repaired_when_opened(tmp_path):
    from kb.store import open_db

    db_path = tmp_path / "kb.db"
    db = open_db(db_path)
    db["articles"].insert({"url": "https://news.example/old", "published": "yesterday", "published_date": "yesterday",
                           "text": "An article stored by an older kb that took any date.", "content_hash": "x"})
    db.execute("delete from _migrations where name = '009_unreadable_values'")
    db.conn.commit()
    db.close()
    page = tmp_path / "story.html"
    page.write_text(article_html(5), encoding="utf-8")
    result = run_kb("add", str(page), "--url", "https://news.example/a/5", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert sqlite_utils.Database(db_path).execute(
        "select published from articles where url = 'https://news.example/old'").fetchone()[0] is None


# ------------------------------------------------------------------ URLs (item 3)

@pytest.mark.parametrize("url", ["javascript:alert(31)//", "JavaScript:alert(1)", "data:text/html,<script>1</script>",
                                 " javascript:alert(1)", "vbscript:x", "https:/no-host"])
def test_only_http_urls_are_taken_as_an_article_key(tmp_path, url):
    page = tmp_path / "story.html"
    page.write_text(article_html(6), encoding="utf-8")
    result = run_kb("add", str(page), "--url", url, "--db", str(tmp_path / "kb.db"))
    assert result.returncode == 1 and "--url" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "kb.db").exists()  # refused before the KB is opened


def test_the_store_refuses_a_script_url_whoever_calls_it(tmp_path):
    from kb.parse import Article
    from kb.store import open_db
    from kb.store.save import save_article
    from kb.urls import UnsafeURL

    db = open_db(tmp_path / "kb.db")
    with pytest.raises(UnsafeURL):
        save_article(db, Article(url="javascript:alert(1)", text="Some text of an article long enough."))


# ------------------------------------------------------------------ exit codes, tracebacks, binary input (item 9)

@pytest.mark.parametrize("quiet", [False, True])
def test_a_crawl_whose_only_feed_is_unreachable_fails_in_one_line(tmp_path, quiet):
    result = run_kb("crawl", "--feed", "http://127.0.0.1:9/feed.xml", "--delay", "0", "--timeout", "5",
                    "--db", str(tmp_path / "kb.db"), *(["-q"] if quiet else []))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if "127.0.0.1:9/feed.xml" in line]
    assert len(failures) == 1, result.stderr
    assert len(result.stderr.splitlines()) <= 3


@pytest.mark.parametrize("feed", ["/tmp/none.xml", "ftp://example.invalid/feed.xml", "javascript:alert(1)"])
def test_a_feed_that_is_not_a_web_url_is_refused_in_one_line(tmp_path, feed):
    result = run_kb("crawl", "--feed", feed, "--db", str(tmp_path / "kb.db"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "--feed" in result.stderr


def test_a_crawl_where_only_some_pages_fail_still_exits_zero(tmp_path):
    with FaultSite() as site:
        result = run_kb("crawl", "--feed", f"{site.url}/feed.xml", "--feed", "http://127.0.0.1:9/feed.xml",
                        "--delay", "0", "--timeout", "2", "--db", str(tmp_path / "kb.db"), "-q")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_program_or_random_bytes_are_not_added_as_articles(tmp_path):
    program = tmp_path / "ls.html"
    program.write_bytes(Path(sys.executable).resolve().read_bytes()[:200_000])
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 64)
    db_path = tmp_path / "kb.db"
    for file in (program, noise):
        result = run_kb("add", str(file), "--db", str(db_path))
        assert result.returncode == 1
        assert "not text" in result.stderr and "Traceback" not in result.stderr
    assert sqlite_utils.Database(db_path)["articles"].count == 0


# ------------------------------------------------------------------ sizes (item 5)

def _time_and_memory(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run kb under /usr/bin/time: (result, seconds, peak resident KB)."""
    if not Path("/usr/bin/time").exists():
        pytest.skip("needs /usr/bin/time to measure the peak memory of a command")
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "peak-kb %M", sys.executable, "-m", "kb", *args], capture_output=True,
                            text=True, timeout=timeout, cwd=ROOT)
    peak = int(result.stderr.rsplit("peak-kb ", 1)[1].split()[0])
    result.stderr = result.stderr.rsplit("peak-kb ", 1)[0]
    return result, time.monotonic() - started, peak


@pytest.fixture(scope="module")
def gzip_bomb(tmp_path_factory) -> Path:
    """2 GB of NUL bytes in a 9 MB .html.gz file."""
    import gzip

    path = tmp_path_factory.mktemp("bomb") / "bomb.html.gz"
    chunk = b"\0" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(2048):
            handle.write(chunk)
    return path


def test_a_gzip_bomb_is_refused_quickly_in_little_memory(gzip_bomb, tmp_path):
    for command in (["parse", str(gzip_bomb)], ["add", str(gzip_bomb), "--db", str(tmp_path / "kb.db")]):
        result, seconds, peak_kb = _time_and_memory(*command)
        assert result.returncode == 1
        assert "more than 10 MB" in result.stderr and "Traceback" not in result.stderr
        assert seconds < 10 and peak_kb < 500_000, (seconds, peak_kb)


def test_a_50_mb_page_is_refused_quickly_in_little_memory(tmp_path):
    page = tmp_path / "huge.html"
    with page.open("w") as handle:
        handle.write("<!doctype html><html><body>")
        for _ in range(50 * 1024 * 1024 // 54):
            handle.write("<div><p>A sentence of an article about models.</p></div>\n")
    result, seconds, peak_kb = _time_and_memory("parse", str(page))
    assert result.returncode == 1 and "more than 10 MB" in result.stderr
    assert seconds < 10 and peak_kb < 500_000, (seconds, peak_kb)


def test_a_pathological_page_under_the_download_cap_is_parsed_in_seconds():
    from kb.parse import parse_html

    # 9 MB of tiny blocks: the body extractor's cost grows with the square of such a page
    page = ("<!doctype html><html lang='en'><head><title>Many blocks</title><script>var x = 1;</script></head><body>"
            + "<div><p>A sentence of an article about models.</p></div>\n" * (9 * 1024 * 1024 // 54) + "</body></html>")
    started = time.monotonic()
    article = parse_html(page, url="https://news.example/blocks")
    assert time.monotonic() - started < 10
    assert article.text.startswith("A sentence of an article about models.")


def test_a_big_page_keeps_its_declared_metadata_when_it_is_cut():
    from kb.parse import MAX_MARKUP_CHARACTERS, bounded_markup, parse_html

    head = ('<!doctype html><html lang="en"><head><title>t</title><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Declared headline", "datePublished": "2025-03-04T10:00:00+09:00"}'
            '</script><script>' + "var padding = 1;\n" * 200_000 + "</script></head><body><article>")
    page = head + "<p>OpenAI said on Monday that its o3-mini model is now available to all developers.</p>" * 30_000
    assert len(bounded_markup(page)) <= MAX_MARKUP_CHARACTERS
    article = parse_html(page, url="https://news.example/big")
    assert article.title == "Declared headline" and article.published == "2025-03-04T10:00:00+09:00"


# ------------------------------------------------------------------ off-site links (item 7)

class LeakySite(FaultSite):
    """A feed that lists its own page, a page on another local server, and an internal address."""

    other = ""

    def route(self, h, path, count):
        if path == "/leaky/feed.xml":
            links = ["/ok/1.html", f"{self.other}/internal/admin.html", "http://169.254.169.254/latest/meta-data/"]
            return self.send(h, 200, (f'<?xml version="1.0"?><rss version="2.0"><channel><title>l</title>'
                                      + "".join(f"<item><link>{link}</link></item>" for link in links)
                                      + "</channel></rss>").encode(), "application/rss+xml")
        return super().route(h, path, count)


def test_a_feed_cannot_send_the_crawler_to_another_host(tmp_path):
    db_path = tmp_path / "kb.db"
    with FaultSite() as internal, LeakySite() as site:
        site.other = internal.url.replace("127.0.0.1", "localhost")
        result = run_kb("crawl", "--feed", f"{site.url}/leaky/feed.xml", "--delay", "0", "--db", str(db_path), "-q")
        internal_hits = dict(internal.hits)
    assert result.returncode == 0, result.stderr
    assert internal_hits == {}
    db = sqlite_utils.Database(db_path)
    assert [row["url"] for row in db["articles"].rows] == [f"{site.url}/ok/1.html"]
    [error] = db["fetch_errors"].rows
    assert error["reason"].startswith("feed: 2 links not followed") and "outside the source's domains" in error["reason"]


def _listing(policy_source: dict, links: list[str]) -> list:
    from scrapy.http import Request, TextResponse

    from crawler.spiders.news import NewsSpider

    spider = NewsSpider(sources=[policy_source])
    feed_url = policy_source["feeds"][0]
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><link>{link}</link></item>" for link in links) + "</channel></rss>").encode()
    response = TextResponse(feed_url, body=body, encoding="utf-8", request=Request(feed_url))
    return list(spider.parse_listing(response, source=policy_source))


def test_a_public_source_never_reaches_a_private_address_even_if_allowed():
    source = {"id": "outlet", "name": "Outlet", "feeds": ["https://news.example/rss"], "sitemaps": [],
              "allowed_domains": ["news.example", "10.0.0.8"]}
    out = _listing(source, ["https://news.example/a/1", "https://www.news.example/a/2", "http://10.0.0.8/a/3",
                            "https://elsewhere.example/a/4", "http://[::1]/a/5"])
    requested = [o.url for o in out if hasattr(o, "callback")]
    assert requested == ["https://news.example/a/1", "https://www.news.example/a/2"]
    [error] = [o for o in out if type(o).__name__ == "FetchErrorItem"]
    assert error.reason.startswith("feed: 3 links not followed") and "local or private address" in error.reason


def test_a_local_source_such_as_the_demo_reaches_its_own_host():
    source = {"id": "demo", "name": "Demo", "feeds": ["http://127.0.0.1:8799/feed.xml"], "sitemaps": [],
              "allowed_domains": ["127.0.0.1"]}
    out = _listing(source, ["http://127.0.0.1:8799/a/1", "http://localhost:8799/a/2"])
    assert [o.url for o in out if hasattr(o, "callback")] == ["http://127.0.0.1:8799/a/1"]


# ------------------------------------------------------------------ the crawl lock (item 8)

def test_a_crawl_through_a_symlink_waits_for_the_lock_of_the_file_it_names(tmp_path):
    from kb.schedule import crawl_lock

    real = tmp_path / "data" / "kb.db"
    real.parent.mkdir()
    link = tmp_path / "kb-link.db"
    link.symlink_to(real)
    with crawl_lock(real):
        result = run_kb("crawl", "--feed", "http://127.0.0.1:9/feed.xml", "--db", str(link))
    assert result.returncode == 75, result.stderr
    assert "another crawl" in result.stderr


def test_a_plain_text_book_is_cut_to_an_article_length(tmp_path):
    from kb.parse import MAX_TEXT_CHARACTERS, read_document

    book = tmp_path / "book.txt"
    book.write_text("A title\n" + "A line of a very long plain text that is not news.\n" * 40_000, encoding="utf-8")
    article = read_document(book)
    assert MAX_TEXT_CHARACTERS // 2 < len(article.text) <= MAX_TEXT_CHARACTERS
    assert article.text.endswith("not news.")


def test_an_article_an_older_version_left_without_facts_is_extracted_on_the_next_add(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(article_html(3), encoding="utf-8")
    db_path = tmp_path / "kb.db"
    args = ["add", str(page), "--url", "https://news.example/a/1", "--db", str(db_path)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    db = sqlite_utils.Database(db_path)
    for table in ("mentions", "prices", "events", "person_roles"):
        db.execute(f"delete from {table}")
    db.execute("update articles set extracted_at = null")
    db.conn.commit()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert db.execute("select count(*) from mentions").fetchone()[0] > 0
    assert next(db["articles"].rows)["extracted_at"] is not None


def test_a_name_that_resolves_to_a_private_address_is_not_fetched_for_a_public_source(tmp_path):
    import socket

    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve")
    if not address.startswith("127."):
        pytest.skip(f"this machine's name {name!r} resolves to {address}, not to the loopback the test site listens on")
    db_path = tmp_path / "kb.db"
    with FaultSite() as site:
        feed = site.url.replace("127.0.0.1", name) + "/feed.xml"
        result = run_kb("crawl", "--feed", feed, "--delay", "0", "--db", str(db_path), "-q")
        hits = dict(site.hits)
    assert result.returncode == 1 and "resolves to a local or private address" in result.stderr
    assert hits == {}


def test_two_commands_creating_one_kb_at_once_both_succeed(tmp_path):
    db_path = tmp_path / "kb.db"
    processes = []
    for number in (1, 2, 3):
        page = tmp_path / f"story-{number}.html"
        page.write_text(article_html(number), encoding="utf-8")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "kb", "add", str(page), "--url", f"https://news.example/a/{number}", "--db", str(db_path)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 3
    assert db.execute("select count(*) from _migrations").fetchone()[0] == db.execute(
        "select count(distinct name) from _migrations").fetchone()[0]
