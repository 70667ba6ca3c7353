"""What the KB already holds, asked for the URLs a listing names instead of loaded whole at start.

The spider used to read every article URL of the KB, with when it was last fetched, into a dict
before its first request: about 250 bytes an article, so a crawl's memory grew with the KB (some
250 MB at a million articles) whatever it fetched. The KB answers the same question from its unique
index on ``articles.url``; a listing of 1,000 URLs costs two indexed queries.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable

__all__ = ["KnownUrls", "StoredUrls", "RedisKnownUrls"]

CHUNK = 500  # URLs per query: under SQLite's 999 bound variables of old builds


class KnownUrls:
    """Nothing known (a spider built without a KB, as in unit tests)."""

    def last_fetched(self, urls: Iterable[str]) -> dict[str, str | None]:
        """URL → when it was last fetched, for those of ``urls`` the KB holds (absent: not stored)."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, str | None] = {}
        for start in range(0, len(wanted), CHUNK):
            found.update(self._lookup(wanted[start:start + CHUNK]))
        return found

    def _lookup(self, urls: list[str]) -> Iterable[tuple[str, str | None]]:
        """(URL, last fetched) of those of at most ``CHUNK`` distinct ``urls`` that are stored."""
        return ()

    def close(self) -> None:
        pass


class StoredUrls(KnownUrls):
    """The articles of a KB file, through a read-only connection of the spider's own (the pipeline writes)."""

    def __init__(self, path: str | Path):
        self.conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)

    def _lookup(self, urls: list[str]) -> Iterable[tuple[str, str | None]]:
        marks = ",".join("?" * len(urls))
        return self.conn.execute(f"select url, last_fetched from articles where url in ({marks})", urls)

    def close(self) -> None:
        self.conn.close()


class RedisKnownUrls(KnownUrls):
    """The hash of stored URLs that ``kb ingest-queue`` keeps in redis for a shared frontier's crawlers."""

    def __init__(self, server: Any, key: str):
        self.server, self.key = server, key

    def _lookup(self, urls: list[str]) -> Iterable[tuple[str, str | None]]:
        return [(url, fetched.decode() or None) for url, fetched in zip(urls, self.server.hmget(self.key, urls))
                if fetched is not None]
