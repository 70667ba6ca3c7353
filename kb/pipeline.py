"""The one path every article takes into the KB: parse → extract → store.

The crawler, ``kb add`` and ``kb reprocess`` all call :func:`ingest` or
:func:`reextract`, so a page is treated the same whichever way it arrived.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import sqlite_utils

from kb.extract import EXTRACTOR_VERSION, extract
from kb.extract.gazetteer import Gazetteer, load_gazetteer
from kb.parse import Article, ParseError, parse_bytes
from kb.store import write_transaction
from kb.store.save import save_article, save_facts, sync_gazetteer

__all__ = ["Ingested", "ingest", "reextract", "reextract_all", "prepare", "stored_article"]


@dataclass(frozen=True)
class Ingested:
    article_id: int
    status: str  # new | revised | unchanged | duplicate
    facts: dict[str, int]


def prepare(db: sqlite_utils.Database, gazetteer: Gazetteer | None = None) -> Gazetteer:
    """Load the gazetteer and mirror it into the KB's entities table."""
    gazetteer = gazetteer or load_gazetteer()
    sync_gazetteer(db, gazetteer)
    return gazetteer


def ingest(
    db: sqlite_utils.Database,
    article: Article,
    gazetteer: Gazetteer,
    *,
    html: bytes | None = None,
    encoding: str | None = None,
    http_status: int | None = None,
    source_id: str | None = None,
    extraction: dict[str, Any] | None = None,
) -> Ingested:
    """Store one parsed article and its facts, in one transaction: an interrupted extraction leaves nothing.

    ``extraction`` is ``extract(article)`` when a worker process already ran it (the crawl's pool)."""
    with write_transaction(db):
        article_id, status = save_article(
            db, article, html=html, encoding=encoding, http_status=http_status, source_id=source_id
        )
        facts: dict[str, int] = {}
        # an older kb could commit an article without its facts (extracted_at empty): extract it now
        never_extracted = status == "unchanged" and db.execute(
            "select extracted_at is null from articles where id = ?", [article_id]).fetchone()[0]
        if status in ("new", "revised") or never_extracted:
            if extraction is None:
                extraction = extract(article, gazetteer=gazetteer)
            facts = save_facts(db, article_id, extraction, gazetteer, extractor_version=EXTRACTOR_VERSION)
    return Ingested(article_id, status, facts)


def stored_article(row: dict[str, Any], html_gz: bytes | None) -> Article:
    """The article as today's parser reads its stored page; its stored text where there is no page."""
    article = None
    if html_gz:
        try:
            article = parse_bytes(gzip.decompress(html_gz), url=row["url"])
        except ParseError:
            article = None  # a page today's boundary checks refuse: its stored text is all we have
    if article is not None:
        # keep what the crawl knew (e.g. feed dates) where the page is silent
        article.published = article.published or row["published"]
        article.language = article.language or row["language"]
        return article
    return Article(url=row["url"], title=row["title"], author=row["author"], published=row["published"],
                   language=row["language"], text=row["text"])


def _stored(db: sqlite_utils.Database, article_id: int) -> tuple[int, dict[str, Any], bytes | None]:
    row = db["articles"].get(article_id)
    stored = db.execute("select html_gz from article_html where article_id = ?", [article_id]).fetchone()
    return article_id, {k: row[k] for k in _ROW_FIELDS}, stored[0] if stored else None


def reextract(db: sqlite_utils.Database, article_id: int, gazetteer: Gazetteer) -> dict[str, int]:
    """Extract an article's facts again from its stored page, without the network."""
    _, row, html_gz = _stored(db, article_id)
    extraction = extract(stored_article(row, html_gz), gazetteer=gazetteer)
    with write_transaction(db):
        return save_facts(db, article_id, extraction, gazetteer, extractor_version=EXTRACTOR_VERSION)


WARM_UP = 8  # articles extracted before the pool forks
_ROW_FIELDS = ("url", "title", "author", "published", "language", "text")
_worker_gazetteer: Gazetteer | None = None  # set in the parent before the pool forks: workers share it


def _extract_job(job: tuple[int, dict[str, Any], bytes | None]) -> tuple[int, dict[str, Any]]:
    article_id, row, html_gz = job
    return article_id, extract(stored_article(row, html_gz), gazetteer=_worker_gazetteer)


def reextract_all(db: sqlite_utils.Database, ids: Iterable[int], gazetteer: Gazetteer, *, workers: int = 1,
                  progress: Callable[[int], None] | None = None, batch: int = 256, commit_every: int = 64) -> int:
    """Re-extract many articles: ``workers`` processes parse and extract, this process alone writes.

    Results are stored in the order of ``ids``, as one process would store them, so the KB ends up
    the same whatever the number of workers (candidate names get the same ids). Returns the count.

    Why it scales: the writer must not be what the workers wait for. Its commits are not fsynced one
    by one (``synchronous = normal``, safe in WAL mode; an interrupted reprocess is simply run again),
    the workers' results are stored ``commit_every`` articles per transaction (each article's facts
    are still replaced whole, and the write lock is held only while storing), and the next batch of
    stored pages is read and queued before the current one is stored, so the workers never idle
    while this process reads or writes."""
    global _worker_gazetteer
    ids = list(ids)
    db.execute("pragma synchronous = normal")
    done = 0
    if workers <= 1:
        for article_id in ids:
            reextract(db, article_id, gazetteer)
            done += 1
            if progress:
                progress(1)
        return done
    import multiprocessing

    # the first articles here: the alias patterns they compile (most of the common ones) are inherited
    # by every worker instead of being compiled again in each
    warm, ids = ids[:WARM_UP], ids[WARM_UP:]
    for article_id in warm:
        reextract(db, article_id, gazetteer)
        done += 1
        if progress:
            progress(1)
    _worker_gazetteer = gazetteer
    context = multiprocessing.get_context("fork")  # the workers inherit the loaded gazetteer, no reload per worker
    try:
        with context.Pool(workers) as pool:
            def queue(start: int) -> Any:
                # the jobs are read here: a SQLite connection stays in the thread that opened it
                jobs = [_stored(db, article_id) for article_id in ids[start:start + batch]]
                return pool.imap(_extract_job, jobs, chunksize=4) if jobs else iter(())

            pending = queue(0)
            for start in range(0, len(ids), batch):
                results, pending = pending, queue(start + batch)  # the next batch is queued before this one is stored
                done += _store_results(db, results, gazetteer, commit_every, progress)
    finally:
        _worker_gazetteer = None
    return done


def _store_results(db: sqlite_utils.Database, results: Iterable[tuple[int, dict[str, Any]]], gazetteer: Gazetteer,
                   commit_every: int, progress: Callable[[int], None] | None) -> int:
    stored = 0
    results = iter(results)
    while True:
        group = []
        for item in results:
            group.append(item)
            if len(group) == commit_every:
                break
        if not group:
            return stored
        with write_transaction(db):
            for article_id, extraction in group:
                save_facts(db, article_id, extraction, gazetteer, extractor_version=EXTRACTOR_VERSION)
        stored += len(group)
        if progress:
            progress(len(group))
