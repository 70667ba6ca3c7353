"""End-to-end crawl benchmark: a local site of N synthetic articles, crawled for real.

The site is the demo site (:mod:`kb.demo.site`, the four outlets' own templates)
filled with N articles recombined from the demo sentences by
:mod:`bench.synthetic` (Korean: 한빛경제 in EUC-KR and 서울테크리뷰; English: The
Silicon Ledger). As on a real news site, each outlet's RSS/Atom feed lists only
the latest 50 articles and its ``sitemap.xml`` is a sitemap index over pages of
1,000 URLs. It is served over HTTP on 127.0.0.1 by :mod:`kb.demo.server` in this
process, and crawled by ``kb crawl --feed … --delay 0 --concurrency 16`` in a
subprocess, into a fresh KB.

Printed, for the first crawl: articles/s from the first request the site
receives to the KB's last write, and the crawl process's peak RSS
(``wait4`` rusage). Then a repeat crawl of the unchanged site: requests made,
how they were answered, and its time against the first. Then, in this process
over a sample of the same pages, the ceilings: ``kb.parse.parse_html`` alone,
parse + extract, and parse + extract + store (``kb.pipeline.ingest``).

    .venv/bin/python bench/crawl.py                      # 5,000 articles
    .venv/bin/python bench/crawl.py --articles 500       # a quick look
    .venv/bin/python bench/crawl.py --scale              # 5,000 then 20,000: is peak RSS flat?
    .venv/bin/python bench/crawl.py --profile out.prof   # the first crawl under cProfile

Targets: crawl >= 0.6x the parse-alone rate; peak RSS < 1 GB and growing <= 10 %
from 5,000 to 20,000 articles; the repeat crawl makes only feed/sitemap
requests, all answered 304, in <= 5 % of the first crawl's time.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pstats
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kb.demo.server  # noqa: E402
from bench.machine import describe  # noqa: E402
from bench.synthetic import SentencePool  # noqa: E402
from kb.demo.site import DemoArticle, DemoSite, Page  # noqa: E402

# Outlets of the synthetic site and their share of the articles (Korean and English).
OUTLETS = {"hanbit": ("ko", 0.35), "seoultech": ("ko", 0.35), "ledger": ("en", 0.30)}
FEED_SIZE = 50
SITEMAP_PAGE = 1000


# ------------------------------------------------------------------ the site

def synthetic_articles(count: int, seed: int = 1, pool: SentencePool | None = None) -> list[DemoArticle]:
    """``count`` demo-format articles over 2023-01 .. 2026-10, split between the outlets."""
    pool = pool or SentencePool(seed=seed, languages=("ko", "en"))
    rng = random.Random(seed)
    outlets = list(OUTLETS)
    weights = [OUTLETS[o][1] for o in outlets]
    start = datetime(2023, 1, 1)
    span = (datetime(2026, 10, 31) - start).total_seconds()
    zones = {"hanbit": 9, "seoultech": 9, "ledger": -8}
    numbers = Counter()
    articles = []
    for _ in range(count):
        outlet = rng.choices(outlets, weights)[0]
        lang = OUTLETS[outlet][0]
        numbers[outlet] += 1
        body = pool.article(rng, lang)
        when = (start + timedelta(seconds=rng.random() * span)).replace(microsecond=0)
        when = when.replace(tzinfo=timezone(timedelta(hours=zones[outlet])))
        author = rng.choice(pool.authors[lang])
        paragraphs = list(body.paragraphs)
        if outlet in ("hanbit", "seoultech"):  # the Korean outlets open with a byline in brackets
            label = "한빛경제" if outlet == "hanbit" else "서울테크리뷰"
            paragraphs[0] = f"[{label} {author}] {paragraphs[0]}"
        articles.append(DemoArticle(
            id=f"{outlet}-{numbers[outlet]:05d}", outlet=outlet, language=lang, published=when.isoformat(),
            author=author, title=body.title, body="\n\n".join(paragraphs), section=rng.choice(pool.sections[lang]),
        ))
    return articles


class BenchSite(DemoSite):
    """The demo site at scale: feeds of the latest 50, a sitemap index, article lookup by URL in O(1)."""

    def __init__(self, base_url: str, articles: list[DemoArticle], feed_size: int = FEED_SIZE,
                 sitemap_page: int = SITEMAP_PAGE):
        super().__init__(base_url, articles)
        self.outlets = {k: v for k, v in self.outlets.items() if self.by_outlet.get(k)}
        self.feed_size, self.sitemap_page = feed_size, sitemap_page
        self.index: dict[str, DemoArticle] = {}
        for article in self.articles:
            parts = urlsplit(self.article_url(article))
            self.index[parts.path + ("?" + parts.query if parts.query else "")] = article
        self.requests: Counter[str] = Counter()
        self.listings_requested: set[str] = set()
        self.first_request: float | None = None
        self.last_request: float | None = None
        self.last_article_request: float | None = None
        self._lock = threading.Lock()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.listings_requested.clear()
            self.first_request = self.last_request = self.last_article_request = None

    def _count(self, kind: str, path: str = "") -> None:
        now = time.time()
        with self._lock:
            self.requests[kind] += 1
            if kind in ("feed", "sitemap index", "sitemap page"):
                self.listings_requested.add(path)
            self.first_request = self.first_request or now
            self.last_request = now
            if kind == "article":
                self.last_article_request = now

    def get(self, path_and_query: str) -> Page:
        parts = urlsplit(path_and_query)
        outlet_id, _, rest = parts.path.lstrip("/").partition("/")
        outlet = self.outlets.get(outlet_id)
        if parts.path == "/robots.txt":
            self._count("robots.txt")
            return self._robots()
        if outlet and rest == outlet["feed"]:
            self._count("feed", parts.path)
            # A real feed lists only the latest few. (Render from a copy: requests are served in threads.)
            view = copy.copy(self)
            view.by_outlet = {**self.by_outlet, outlet_id: self.by_outlet[outlet_id][: self.feed_size]}
            return DemoSite._feed(view, outlet)
        if outlet and rest == outlet["sitemap"]:
            self._count("sitemap index", parts.path)
            return self._sitemap_index(outlet)
        if outlet and rest.startswith("sitemaps/") and rest.endswith(".xml"):
            self._count("sitemap page", parts.path)
            return self._sitemap_page(outlet, int(rest[len("sitemaps/"):-len(".xml")]))
        key = parts.path
        if outlet_id == "hanbit":
            key += "?idxno=" + parse_qs(parts.query).get("idxno", [""])[0]
        article = self.index.get(key)
        if article:
            self._count("article")
            return self._article(outlet, article)
        self._count("other")
        return super().get(path_and_query)

    def _article(self, outlet: dict[str, Any], article: DemoArticle) -> Page:
        # DemoSite picks "related" links by scanning the whole outlet: give it a short list instead.
        view = copy.copy(self)
        articles = self.by_outlet[outlet["id"]]
        view.by_outlet = {outlet["id"]: articles[:6]}
        return DemoSite._article(view, outlet, article)

    def _sitemap_index(self, outlet: dict[str, Any]) -> Page:
        count = len(self.by_outlet[outlet["id"]])
        pages = (count + self.sitemap_page - 1) // self.sitemap_page
        base = self.outlet_base(outlet["id"])
        body = "".join(f"<sitemap><loc>{base}/sitemaps/{n}.xml</loc></sitemap>" for n in range(1, pages + 1))
        xml = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               + body + "</sitemapindex>")
        return Page(200, xml.encode("utf-8"), "application/xml; charset=utf-8")

    def _sitemap_page(self, outlet: dict[str, Any], number: int) -> Page:
        articles = self.by_outlet[outlet["id"]]
        chunk = articles[(number - 1) * self.sitemap_page: number * self.sitemap_page]
        if number < 1 or not chunk:
            return self._not_found()
        urls = "".join(
            f"<url><loc>{escape(self.article_url(a))}</loc><lastmod>{a.modified or a.published}</lastmod></url>" for a in chunk
        )
        xml = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>"
        return Page(200, xml.encode("utf-8"), "application/xml; charset=utf-8")

    def all_listing_paths(self) -> set[str]:
        """Every feed, sitemap index and sitemap page of the site."""
        out = set()
        for oid, outlet in self.outlets.items():
            out |= {f"/{oid}/{outlet['feed']}", f"/{oid}/{outlet['sitemap']}"}
            pages = (len(self.by_outlet[oid]) + self.sitemap_page - 1) // self.sitemap_page
            out |= {f"/{oid}/sitemaps/{n}.xml" for n in range(1, pages + 1)}
        return out

    def listing_urls(self) -> list[str]:
        """What a crawl starts from: each outlet's feed and its sitemap index."""
        out = []
        for oid, outlet in self.outlets.items():
            out += [f"{self.outlet_base(oid)}/{outlet['feed']}", f"{self.outlet_base(oid)}/{outlet['sitemap']}"]
        return out

    def decoded(self, article: DemoArticle) -> tuple[str, str, bytes]:
        """URL, text and bytes of an article page, as the crawler receives them."""
        url = self.article_url(article)
        page = self._article(self.outlets[article.outlet], article)
        encoding = "cp949" if self.outlets[article.outlet]["encoding"] == "euc-kr" else "utf-8"
        return url, page.body.decode(encoding), page.body


def serve(articles: list[DemoArticle]) -> tuple[kb.demo.server.DemoServer, BenchSite]:
    with mock.patch.object(kb.demo.server, "DemoSite", lambda url: BenchSite(url, articles)):
        server = kb.demo.server.DemoServer("127.0.0.1", 0).start()
    return server, server.site  # type: ignore[return-value]


# ------------------------------------------------------------------ the crawl

def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _pss_mb(pid: int) -> float | None:
    """Proportional set size: pages shared by the forked extraction workers counted once in all."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _is_refresh(pid: int) -> bool:
    """A child running the knowledge refresh (``crawler.pipelines.refresh_apart``)."""
    try:
        return b"_refresh_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run_crawl(feeds: list[str], db: Path, profile: Path | None = None, workers: int | None = None,
              trace: Path | None = None, keep_steps: Path | None = None) -> dict[str, Any]:
    """``kb crawl --feed …`` in a subprocess; wall time, peak RSS (and RSS over time), exit code and output.

    The peak is the crawl process's own high-water mark (``VmHWM``), which it reports itself
    (:func:`measured_crawl`): ``wait4``'s ``ru_maxrss`` is not that. A child started by fork or vfork
    and exec inherits, at exec, the high-water mark of the memory it was forked with, i.e. this
    benchmark's own RSS, which holds the whole synthetic site and grows with it (5,000 → 20,000
    articles: ~110 → ~140 MB); it is kept as ``rusage_maxrss_mb`` to show the difference.
    With extraction workers, the crawl process is sampled alone (``rss_samples``) and with its
    descendants (the fork server and workers: PSS summed, so shared pages count once; their CPU time
    from ``/proc``, last seen)."""
    report = Path(tempfile.mkstemp(prefix="kb-bench-peak-", suffix=".json")[1])
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += [str(Path(__file__).resolve()), "--as-measured-crawl", str(report), str(trace or ""), "--"]
    command += ["crawl", "--quiet", "--delay", "0", "--concurrency", "16", "--db", str(db)]
    if workers:
        command += ["--workers", str(workers)]
    for feed in feeds:
        command += ["--feed", feed]
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    env = dict(os.environ, KB_BENCH_KEEP_STEPS=str(keep_steps)) if keep_steps else None
    started = time.time()
    process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
    samples: list[tuple[float, float]] = []  # (time, RSS MB), to tell when the peak happened
    tree: list[float] = []  # PSS of the crawl process and its descendants, MB
    worker_cpu: dict[int, float] = {}
    refreshes: dict[int, float] = {}  # the knowledge refresh's child processes: their own peak, last seen

    def sample() -> None:
        while process.returncode is None:
            rss = _rss_mb(process.pid)
            if rss is not None:
                samples.append((time.time(), rss))
                pids = _descendants(process.pid)
                total = _pss_mb(process.pid) or 0.0
                for pid in pids:
                    total += _pss_mb(pid) or 0.0
                    cpu = _cpu_seconds(pid)
                    if cpu is not None:
                        worker_cpu[pid] = max(cpu, worker_cpu.get(pid, 0.0))
                    if pid in refreshes or _is_refresh(pid):
                        refreshes[pid] = max(_status_mb(pid, "VmHWM") or 0.0, refreshes.get(pid, 0.0))
                tree.append(total)
            time.sleep(0.1 if refreshes else 0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.time()
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.join(timeout=2)
    out.seek(0), err.seek(0)
    try:
        peaks = json.loads(report.read_text() or "{}")
    except (OSError, ValueError):
        peaks = {}
    finally:
        report.unlink(missing_ok=True)
    return {"t_start": started, "t_end": ended, "seconds": ended - started,
            "peak_rss_mb": peaks.get("end", usage.ru_maxrss / 1024), "peak_rss_stored_mb": peaks.get("stored"),
            "rusage_maxrss_mb": usage.ru_maxrss / 1024,
            "cpu_seconds": usage.ru_utime + usage.ru_stime, "code": process.returncode, "rss_samples": samples,
            "tree_pss_mb": max(tree) if tree else None, "worker_cpu_seconds": sum(worker_cpu.values()),
            "refresh_peaks_mb": list(refreshes.values()),
            "stdout": out.read().decode(errors="replace"), "stderr": err.read().decode(errors="replace")}


def peak_rss_mb() -> float | None:
    """This process's own peak RSS since it was exec'd (``VmHWM``), unlike ``getrusage``'s ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def last_write(db: Path) -> float:
    """When the crawl last wrote the KB (the main file or its WAL)."""
    return max(p.stat().st_mtime for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def run_row(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
        row["articles_in_kb"] = conn.execute("select count(*) from articles").fetchone()[0]
        row["mentions_in_kb"] = conn.execute("select count(*) from mentions").fetchone()[0]
    return row


def crawl_once(site: BenchSite, db: Path, label: str, profile: Path | None = None,
               workers: int | None = None, trace: Path | None = None, keep_steps: Path | None = None) -> dict[str, Any]:
    site.reset_counts()
    result = run_crawl(site.listing_urls(), db, profile, workers, trace, keep_steps)
    if result["code"] != 0:
        raise SystemExit(f"{label} crawl failed (exit {result['code']}):\n{result['stderr'][-3000:]}")
    result.update(run_row(db))
    result["requests"] = dict(site.requests)
    last_page = site.last_article_request or result["t_end"]
    during = [rss for t, rss in result["rss_samples"] if t <= last_page]
    result["rss_fetching_mb"] = max(during) if during else None  # peak while pages were still being fetched
    result["log"] = [line for line in result["stderr"].splitlines() if line.strip()]
    result["listings_never_requested"] = sorted(site.all_listing_paths() - site.listings_requested)
    first = site.first_request or result["t_start"]
    result["active_seconds"] = max(last_write(db), site.last_request or 0) - first
    result["startup_seconds"] = first - result["t_start"]
    return result


# ------------------------------------------------------------------ ceilings

def ceilings(site: BenchSite, sample: list[DemoArticle]) -> dict[str, float]:
    """Pages per second of parse alone, parse + extract, parse + extract + store, over the same pages."""
    from kb.extract import extract
    from kb.parse import parse_html
    from kb.pipeline import ingest, prepare
    from kb.store import open_db

    pages = [site.decoded(a) for a in sample]
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-ceiling-"))
    try:
        db = open_db(tmp / "kb.db")
        gazetteer = prepare(db)
        for url, text, _ in pages[:3]:  # warm caches, untimed
            extract(parse_html(text, url=url), gazetteer=gazetteer)
        rates = {}
        start = time.perf_counter()
        for url, text, _ in pages:
            parse_html(text, url=url)
        rates["parse (kb.parse.parse_html)"] = len(pages) / (time.perf_counter() - start)
        start = time.perf_counter()
        for url, text, _ in pages:
            extract(parse_html(text, url=url), gazetteer=gazetteer)
        rates["parse + extract"] = len(pages) / (time.perf_counter() - start)
        db.execute("pragma synchronous = normal")  # as the crawl pipeline stores: one transaction per page
        start = time.perf_counter()
        for url, text, raw in pages:
            db.conn.execute("BEGIN")
            ingest(db, parse_html(text, url=url), gazetteer, html=raw, source_id=None)
            if db.conn.in_transaction:
                db.conn.commit()
        rates["parse + extract + store (ingest)"] = len(pages) / (time.perf_counter() - start)
        db.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rates


# ------------------------------------------------------------------ report

def gazetteer_size() -> int:
    from kb.extract.gazetteer import load_gazetteer

    return len(load_gazetteer().entities)


def report_first(first: dict[str, Any], count: int, workers: Any, runs: dict[Any, dict[str, Any]]) -> None:
    rate = first["new"] / first["active_seconds"]
    reference = next(iter(runs.values()))
    ratio = rate / (reference["new"] / reference["active_seconds"])
    if first["new"] != count:
        print(f"WARNING: the first crawl stored {first['new']:,} of {count:,} articles; listings never requested: "
              f"{first['listings_never_requested']}", flush=True)
    print(f"first crawl, --workers {workers or 'default'}: {first['new']:,} new articles ({first['duplicates'] or 0} duplicates, "
          f"{first['errors']} errors) in {first['active_seconds']:.1f}s from first request to last write "
          f"(+{first['startup_seconds']:.1f}s start-up; {first['seconds']:.1f}s wall) = {rate:.1f} articles/s "
          f"({ratio:.2f}x the first row); load average {first['load'][0]:.2f} {first['load'][1]:.2f}", flush=True)
    fetching = first["rss_fetching_mb"]
    stored = first["peak_rss_stored_mb"]
    print(f"              crawl process peak RSS {first['peak_rss_mb']:.0f} MB "
          f"({'n/a' if stored is None else f'{stored:.0f} MB'} before the knowledge refresh, "
          f"{'n/a' if fetching is None else f'{fetching:.0f} MB'} sampled until the last page was requested; "
          f"wait4's ru_maxrss, which counts this benchmark's own RSS, {first['rusage_maxrss_mb']:.0f} MB); "
          f"knowledge refreshes in a child: {len(first['refresh_peaks_mb'])}, largest peak "
          f"{max(first['refresh_peaks_mb'], default=0):.0f} MB (each, in order: "
          f"{', '.join(f'{mb:.0f}' for mb in first['refresh_peaks_mb']) or 'none'} MB; sampled); "
          f"with its workers {first['tree_pss_mb'] or 0:.0f} MB PSS; CPU {first['cpu_seconds']:.0f}s crawl process "
          f"+ {first['worker_cpu_seconds']:.0f}s workers ({(first['cpu_seconds'] + first['worker_cpu_seconds']) / first['seconds']:.2f} cores); "
          f"requests {first['requests']}; {first['listings_fetched']} listings read; "
          f"{first['mentions_in_kb']:,} mentions stored", flush=True)
    if first["log"]:
        print(f"              the crawl logged {len(first['log'])} lines on stderr; the first ones:\n    "
              + "\n    ".join(line[:200] for line in first["log"][:12]), flush=True)


def bench_size(count: int, args: argparse.Namespace, pool: SentencePool, with_ceiling: bool) -> dict[str, Any]:
    started = time.perf_counter()
    articles = synthetic_articles(count, seed=args.seed, pool=pool)
    server, site = serve(articles)
    print(f"\n== {count:,} articles ({Counter(a.outlet for a in articles).most_common()}), "
          f"site on {server.url} (generated in {time.perf_counter() - started:.1f}s)", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-crawl-"))
    try:
        runs: dict[Any, dict[str, Any]] = {}
        for workers in args.workers:
            db = tmp / f"kb-{workers}.db"
            trace = args.tracemalloc / f"{count}-w{workers}" if args.tracemalloc else None
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
            first = crawl_once(site, db, "first", args.profile if args.profile and count == args.sizes[0] else None,
                               workers, trace, args.keep / f"kb-{count}-w{workers}" if args.keep else None)
            first["load"] = os.getloadavg()
            runs[workers] = first
            report_first(first, count, workers, runs)
            if args.keep:  # the KB as the first crawl left it: the refresh alone can be measured on it again
                args.keep.mkdir(parents=True, exist_ok=True)
                for suffix in ("", "-wal", "-shm"):
                    if Path(f"{db}{suffix}").exists():
                        shutil.copy(f"{db}{suffix}", args.keep / f"kb-{count}-w{workers}.db{suffix}")
        first = runs[args.workers[0]]
        rate = first["new"] / first["active_seconds"]
        again = crawl_once(site, db, "repeat")  # of the last KB crawled
        answered = f"{again['not_modified']} of {again['listings_fetched']} listings answered 304"
        share = again["seconds"] / runs[args.workers[-1]]["seconds"]
        print(f"repeat crawl: {sum(again['requests'].values())} requests {again['requests']}; {answered}; "
              f"{again['pages_fetched']} pages fetched; {again['seconds']:.2f}s wall "
              f"({again['active_seconds']:.2f}s after the first request) = {share:.1%} of the first crawl's wall time", flush=True)
        result = {"count": count, "first": first, "again": again, "rate": rate, "runs": runs}
        if with_ceiling:
            sample = random.Random(args.seed).sample(articles, min(args.sample, len(articles)))
            rates = ceilings(site, sample)
            print(f"in-process over {len(sample)} of the same pages (gazetteer: {gazetteer_size()} entities):", flush=True)
            for name, value in rates.items():
                print(f"  {name:<36} {value:7.1f} pages/s   crawl = {rate / value:.2f}x", flush=True)
            result["ceilings"] = rates
        return result
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def measured_crawl(report: str, trace: str, kb_args: list[str]) -> int:
    """``kb crawl`` in this (sub)process, writing to ``report`` its own peak RSS when every page is
    stored (before the knowledge refresh) and at the end. With ``trace`` (a path prefix), also under
    tracemalloc: a snapshot of the Python heap at both moments."""
    import crawler.pipelines
    from kb.cli import cli

    if trace:
        import tracemalloc

        tracemalloc.start(12)
    peaks: dict[str, float | None] = {}
    original = crawler.pipelines.KnowledgeBasePipeline.spider_closed

    def spider_closed(self: Any, spider: Any, reason: str) -> None:
        import gc

        peaks["stored"] = peak_rss_mb()
        if trace:
            gc.collect()
            tracemalloc.take_snapshot().dump(f"{trace}.stored")
        original(self, spider, reason)
        if trace:
            gc.collect()
            tracemalloc.take_snapshot().dump(f"{trace}.refreshed")
            print(f"tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB", file=sys.stderr)

    crawler.pipelines.KnowledgeBasePipeline.spider_closed = spider_closed  # type: ignore[method-assign]
    steps = os.environ.get("KB_BENCH_KEEP_STEPS")
    if steps:  # --keep: the KB as each refresh child finds it, to measure that step alone again
        refresh_apart = crawler.pipelines.refresh_apart
        made = iter(range(1, 1_000_000))

        def keeping(db_path: Any) -> None:
            # copied by another process: a file of the KB opened and closed in this one drops this process's POSIX
            # locks on it, and the refresh child, seeing no other connection, deletes the WAL under the crawl's
            # (the KB ends "malformed")
            step = next(made)
            for suffix in ("", "-wal"):
                if Path(f"{db_path}{suffix}").exists():
                    subprocess.run(["cp", f"{db_path}{suffix}", f"{steps}-step-{step}.db{suffix}"], check=True)
            refresh_apart(db_path)

        crawler.pipelines.refresh_apart = keeping  # type: ignore[assignment]
    code = 0
    try:
        cli.main(kb_args, prog_name="kb", standalone_mode=False)
    except SystemExit as exc:
        code = int(exc.code or 0)
    peaks["end"] = peak_rss_mb()
    Path(report).write_text(json.dumps(peaks))
    return code


class CountingPipeline:
    """Stands in for the KB pipeline in ``--fetch-only`` runs: stores nothing (Scrapy counts the items)."""

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        trace = os.environ.get("KB_BENCH_TRACE")
        if trace:
            import gc
            import tracemalloc

            gc.collect()
            tracemalloc.take_snapshot().dump(trace)
            current, peak = tracemalloc.get_traced_memory()
            print(f"traced: {current / 2**20:.1f} MB now, {peak / 2**20:.1f} MB at the peak", flush=True)


def fetch_only_crawl(db: str, mode: str, feeds: list[str]) -> int:
    """The crawler alone (spider, scheduler, downloader; no extraction, no KB writes), to measure what the
    crawler itself holds in memory as the site grows. ``mode`` ``all-at-once`` reads every sitemap of an
    index at once, as the spider did before it chained them."""

    from crawler.run import crawl
    from crawler.spiders.news import NewsSpider

    if os.environ.get("KB_BENCH_TRACE"):
        import tracemalloc

        tracemalloc.start(10)
    if mode == "all-at-once":
        def all_at_once(self: Any, meta: dict[str, Any], source: dict[str, Any]) -> Any:
            for url in meta.get("next_sitemaps") or []:
                yield self._listing_request(url, source)

        NewsSpider._next_sitemap = all_at_once  # type: ignore[method-assign]
    sources = [{"id": "adhoc", "name": "bench", "language": None, "homepage": None, "feeds": feeds, "sitemaps": [],
                "allowed_domains": ["127.0.0.1"], "sitemap_filter": None, "article_url": None, "encoding": None}]
    started = time.perf_counter()
    stats = crawl(sources, db_path=db, delay=0, concurrency=16, progress=False, workers=1,
                  extra_settings={"ITEM_PIPELINES": {"bench.crawl.CountingPipeline": 300}})
    print(f"fetch-only ({mode}): {stats.get('item_scraped_count', 0):,} items in {time.perf_counter() - started:.1f}s, peak RSS "
          f"{peak_rss_mb():.0f} MB", flush=True)
    return 0


def fetch_only(sizes: list[int], seed: int) -> None:
    """Peak RSS of the crawler alone at each size, with sitemaps chained and read all at once."""
    pool = SentencePool(seed=seed, languages=("ko", "en"))
    for count in sizes:
        server, site = serve(synthetic_articles(count, seed=seed, pool=pool))
        try:
            for mode in ("chained", "all-at-once"):
                tmp = Path(tempfile.mkdtemp(prefix="kb-bench-fetch-"))
                try:
                    run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--as-fetch-only", str(tmp / "kb.db"),
                                          mode, "--", *site.listing_urls()], cwd=ROOT, capture_output=True, text=True)
                    line = [l for l in run.stdout.splitlines() if l.startswith("fetch-only")] or [run.stderr[-500:]]
                    print(f"{count:>6,} articles  {line[0]}  (load average {os.getloadavg()[0]:.2f})", flush=True)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
        finally:
            server.stop()


def compare_traces(small: Path, large: Path, limit: int = 15) -> None:
    import tracemalloc

    for stage in ("stored", "refreshed"):
        first = tracemalloc.Snapshot.load(f"{small}.{stage}")
        second = tracemalloc.Snapshot.load(f"{large}.{stage}")
        total = [sum(s.size for s in snap.statistics("filename")) / 2**20 for snap in (first, second)]
        print(f"\n== tracemalloc, crawl process, {stage}: {total[0]:.1f} MB ({small.name}) -> {total[1]:.1f} MB "
              f"({large.name}); largest growth by allocating line:")
        for stat in second.compare_to(first, "lineno")[:limit]:
            frame = stat.traceback[0]
            print(f"  {stat.size_diff / 2**20:+7.2f} MB  {stat.count_diff:+8d} blocks  {frame.filename}:{frame.lineno}")
        print("  by traceback (largest growth):")
        for stat in second.compare_to(first, "traceback")[:3]:
            print(f"  {stat.size_diff / 2**20:+7.2f} MB")
            for line in stat.traceback.format(limit=12, most_recent_first=True):
                print("      " + line)


def print_profile(path: Path, limit: int = 25) -> None:
    print(f"\n== cProfile of the first crawl ({path}); top by own time, then by cumulative time")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--as-measured-crawl"]:
        return measured_crawl(argv[1], argv[2], argv[4:])
    if argv[:1] == ["--as-fetch-only"]:
        return fetch_only_crawl(argv[1], argv[2], argv[4:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles on the site (default 5,000)")
    parser.add_argument("--scale", action="store_true", help="run 5,000 then 20,000 articles and compare peak RSS")
    parser.add_argument("--sample", type=int, default=500, help="pages for the in-process ceilings (default 500)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="run the first crawl under cProfile, writing the stats here")
    parser.add_argument("--workers", default="", help="comma-separated `kb crawl --workers` values, one first crawl "
                        "each into a fresh KB (default: kb crawl's own default, one per core)")
    parser.add_argument("--tracemalloc", type=Path, metavar="DIR",
                        help="trace the crawl process's allocations (slower); with two sizes, compare them")
    parser.add_argument("--fetch-only", action="store_true",
                        help="peak RSS of the crawler alone (no extraction, no KB) at each size, sitemaps chained vs all at once")
    parser.add_argument("--no-ceilings", action="store_true", help="skip the in-process ceilings")
    parser.add_argument("--sizes", help="comma-separated article counts, instead of --articles/--scale")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy each size's first-crawl KB into DIR (kb-N-wW.db), and the KB as each refresh child "
                        "found it (kb-N-wW-step-S.db, S: 1, 2, ...), to measure a refresh alone")
    args = parser.parse_args(argv)
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()] or [None]
    args.sizes = ([int(n) for n in args.sizes.split(",")] if args.sizes else [5000, 20000] if args.scale
                  else [args.articles])
    if args.tracemalloc:
        args.tracemalloc.mkdir(parents=True, exist_ok=True)
    if args.fetch_only:
        fetch_only(args.sizes, args.seed)
        return 0
    print(f"machine: {describe()}; gazetteer: {gazetteer_size()} entities")
    pool = SentencePool(seed=args.seed, languages=("ko", "en"))
    results = [bench_size(n, args, pool, with_ceiling=(i == 0 and not args.no_ceilings)) for i, n in enumerate(args.sizes)]

    print("\n== against the targets")
    head = results[0]
    if "ceilings" in head:
        parse_rate = head["ceilings"]["parse (kb.parse.parse_html)"]
        ratio = head["rate"] / parse_rate
        print(f"crawl rate   {head['rate']:.1f} articles/s = {ratio:.2f}x parse-alone ({parse_rate:.1f}/s); "
              f"target >= 0.6x: {'met' if ratio >= 0.6 else 'NOT met'}")
    for r in results:
        mb = r["first"]["peak_rss_mb"]
        print(f"peak RSS     {r['count']:,} articles: {mb:.0f} MB; target < 1024 MB: {'met' if mb < 1024 else 'NOT met'}")
    if len(results) > 1:
        growth = results[-1]["first"]["peak_rss_mb"] / results[0]["first"]["peak_rss_mb"] - 1
        print(f"RSS growth   {results[0]['count']:,} -> {results[-1]['count']:,}: {growth:+.1%}; "
              f"target <= +10%: {'met' if growth <= 0.10 else 'NOT met'}")
    for r in results:
        again, first = r["again"], r["first"]
        only_listings = set(again["requests"]) <= {"feed", "sitemap index", "robots.txt"}
        all_304 = again["not_modified"] == again["listings_fetched"] and again["pages_fetched"] == 0
        share = again["seconds"] / first["seconds"]
        print(f"repeat crawl {r['count']:,} articles: {sum(again['requests'].values())} requests, only feeds/sitemaps "
              f"(+robots.txt): {'yes' if only_listings else 'NO'}, all 304: {'yes' if all_304 else 'NO'}, "
              f"{share:.1%} of the first crawl's time; target <= 5%: {'met' if share <= 0.05 and only_listings and all_304 else 'NOT met'}")
    if args.tracemalloc and len(args.sizes) > 1:
        worker = args.workers[0]
        compare_traces(args.tracemalloc / f"{args.sizes[0]}-w{worker}", args.tracemalloc / f"{args.sizes[-1]}-w{worker}")
    if args.profile and args.profile.exists():
        print_profile(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
