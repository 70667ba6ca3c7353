"""What one extraction worker process does with a fetched page: parse it, then extract its facts.

Runs in the processes of :class:`crawler.pool.ExtractionPool`; the crawl process
only stores what comes back. A page is sent as :class:`PageJob` and answered with
an :class:`ExtractedPage` or a :class:`JobFailure` (never an exception across the
pipe, so a failure is recorded for its page as in-process ones are).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ExtractedPage", "JobFailure", "PageJob", "one_line", "parse_and_extract", "parse_page", "serve", "warm"]


@dataclass(frozen=True)
class PageJob:
    text: str
    url: str
    feed: dict[str, Any] = field(default_factory=dict)  # what the feed said: published, title, language


@dataclass(frozen=True)
class ExtractedPage:
    article: Any  # kb.parse.Article
    extraction: dict[str, Any]


@dataclass(frozen=True)
class JobFailure:
    stage: str  # "parse" (recorded, not retried) or "extract" (retried by the next crawl, as a failed store is)
    message: str


_gazetteer: Any = None


def one_line(exc: BaseException) -> str:
    """An exception as the one line ``fetch_errors`` keeps."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def gazetteer() -> Any:
    global _gazetteer
    if _gazetteer is None:
        from kb.extract.gazetteer import load_gazetteer

        _gazetteer = load_gazetteer()
    return _gazetteer


def parse_page(job: PageJob) -> Any:
    """The page as an article (a ``kb.parse.Article``) with what its feed said, or the :class:`JobFailure` that
    says why it could not be parsed: the same step whether a worker or the crawl process does it."""
    from kb.parse import ParseError, parse_html

    try:
        article = parse_html(job.text, url=job.url)
    except ParseError as exc:
        return JobFailure("parse", str(exc))
    except Exception as exc:  # noqa: BLE001 - a page that breaks the parser is recorded, not lost
        return JobFailure("parse", one_line(exc))
    apply_feed(article, job.feed)
    return article


def parse_and_extract(job: PageJob) -> ExtractedPage | JobFailure:
    """The CPU-bound part of storing a page, exactly as the in-process pipeline does it."""
    from kb.extract import extract

    article = parse_page(job)
    if isinstance(article, JobFailure):
        return article
    try:
        return ExtractedPage(article, extract(article, gazetteer=gazetteer()))
    except Exception as exc:  # noqa: BLE001
        return JobFailure("extract", one_line(exc))


def apply_feed(article: Any, feed: dict[str, Any]) -> None:
    """Where the page is silent, what its feed entry said (extraction reads the date and language)."""
    article.published = article.published or feed.get("published")
    article.title = article.title or feed.get("title")
    article.language = article.language or feed.get("language")


def warm(texts: int = 24) -> None:
    """Load what extraction loads lazily (gazetteer and its compiled alternations, Kiwi, jieba) once,
    in the process the workers are forked from, so that each starts ready and they share it."""
    from kb.demo.site import load_articles
    from kb.extract import extract
    from kb.parse import Article

    for demo in load_articles()[:texts]:
        extract(Article(url=None, title=demo.title, published=demo.published, language=demo.language, text=demo.body),
                gazetteer=gazetteer())


def serve(conn: Any, function: Any = parse_and_extract) -> None:
    """The worker's loop: one job in, one answer out, until the pipe closes (the crawl ended or died)."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            answer = function(job)
        except Exception as exc:  # noqa: BLE001 - the function's own bug: an answer all the same
            answer = JobFailure("extract", one_line(exc) + " " + traceback.format_exc(limit=-1).strip()[-200:])
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return
