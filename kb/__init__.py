"""ai-news-kb: a sourced knowledge base of the AI industry, built from the news.

The pipeline reads left to right: ``crawler`` (Scrapy) fetches pages,
:mod:`kb.parse` turns a page into an :class:`~kb.parse.Article`,
:mod:`kb.extract` finds the facts in it, :mod:`kb.store` writes them to
SQLite and :mod:`kb.publish` serves the result with Datasette.
"""

__version__ = "0.1.0"
