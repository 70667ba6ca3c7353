"""The one path every article takes into the KB: parse → extract → store.

The crawler, ``kb add`` and ``kb reprocess`` all call :func:`ingest` or
:func:`reextract`, so a page is treated the same whichever way it arrived.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import sqlite_utils

from kb.extract import EXTRACTOR_VERSION, extract
from kb.extract.gazetteer import Gazetteer, load_gazetteer
from kb.parse import Article, ParseError, parse_bytes
from kb.store import write_transaction
from kb.store.save import save_article, save_facts, sync_gazetteer

__all__ = ["Ingested", "ingest", "reextract", "prepare"]


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
) -> Ingested:
    """Store one parsed article and its facts, in one transaction: an interrupted extraction leaves nothing."""
    with write_transaction(db):
        article_id, status = save_article(
            db, article, html=html, encoding=encoding, http_status=http_status, source_id=source_id
        )
        facts: dict[str, int] = {}
        # an older kb could commit an article without its facts (extracted_at empty): extract it now
        never_extracted = status == "unchanged" and db.execute(
            "select extracted_at is null from articles where id = ?", [article_id]).fetchone()[0]
        if status in ("new", "revised") or never_extracted:
            facts = save_facts(db, article_id, extract(article, gazetteer=gazetteer), gazetteer,
                               extractor_version=EXTRACTOR_VERSION)
    return Ingested(article_id, status, facts)


def reextract(db: sqlite_utils.Database, article_id: int, gazetteer: Gazetteer) -> dict[str, int]:
    """Extract an article's facts again from its stored page, without the network."""
    row = db["articles"].get(article_id)
    stored = next(db["article_html"].rows_where("article_id = ?", [article_id]), None)
    article = None
    if stored and stored["html_gz"]:
        try:
            article = parse_bytes(gzip.decompress(stored["html_gz"]), url=row["url"])
        except ParseError:
            article = None  # a page today's boundary checks refuse: its stored text is all we have
    if article is not None:
        # keep what the crawl knew (e.g. feed dates) where the page is silent
        article.published = article.published or row["published"]
        article.language = article.language or row["language"]
    else:
        article = Article(url=row["url"], title=row["title"], author=row["author"], published=row["published"],
                          language=row["language"], text=row["text"])
    with write_transaction(db):
        return save_facts(db, article_id, extract(article, gazetteer=gazetteer), gazetteer,
                          extractor_version=EXTRACTOR_VERSION)
