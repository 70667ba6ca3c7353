"""Bounds that keep one visitor from exhausting the site (issue 14): a Datasette plugin.

Datasette's ``sql_time_limit_ms`` counts SQLite instructions, and one instruction can
allocate a gigabyte (``select randomblob(1000000000)``); the rows are then copied into
Python and rendered. So:

- every connection refuses to build a string or blob longer than ``max_value_bytes``
  (``SQLITE_LIMIT_LENGTH``): such a query fails at once with "string or blob too big";
- a watchdog interrupts the running queries when the server's memory grows past
  ``memory_budget_mb`` above what it used when it started serving (many big rows at
  once, several such requests in parallel): the visitor gets Datasette's "query took
  too long" and the memory is freed;
- only GET, HEAD and OPTIONS are answered: the site is read-only, and a POST to a
  canned query would otherwise end in a server error.

With ``public: true`` (``kb publish`` sets it) it also hides the bookkeeping tables
(crawl runs, fetch errors, feed state) and Datasette's debug pages, whose contents say
where the crawler runs. Standard library and Datasette only, like ``kb_site.py``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from datasette import hookimpl

PLUGIN = "kb-limits"
DEFAULTS = {"max_value_bytes": 12 * 1024 * 1024, "memory_budget_mb": 128, "public": False}
BOOKKEEPING_TABLES = ("crawl_runs", "fetch_errors", "feed_state", "_migrations", "article_html")
DEBUG_PATHS = ("/-/threads", "/-/databases", "/-/actor", "/-/permissions", "/-/allow-debug", "/-/messages",
               "/-/auth-token", "/-/create-token", "/-/patterns", "/-/plugins")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def config(datasette: Any) -> dict[str, Any]:
    return {**DEFAULTS, **(datasette.plugin_config(PLUGIN) or {})}


# ------------------------------------------------------------------ memory


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Watchdog:
    """Interrupts every registered connection while the process is over its memory budget."""

    def __init__(self, budget_bytes: int, interval: float = 0.02):
        self.budget = budget_bytes
        self.interval = interval
        self.baseline = _rss_bytes()
        self.connections: list[sqlite3.Connection] = []  # Datasette keeps one per thread; closed ones drop out
        self.interruptions = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._run, name="kb-limits-watchdog", daemon=True).start()

    def watch(self, conn: sqlite3.Connection) -> None:
        with self.lock:
            self.connections.append(conn)

    def _run(self) -> None:
        stop = threading.Event()
        over = 0
        while not stop.wait(self.interval):
            if not self.baseline or _rss_bytes() - self.baseline <= self.budget:
                over = 0
                continue
            over += 1
            with self.lock:
                connections = list(self.connections)
            for conn in connections:
                try:
                    conn.interrupt()
                except sqlite3.ProgrammingError:  # closed meanwhile
                    with self.lock:
                        self.connections.remove(conn)
            self.interruptions += 1
            _release_freed_memory()
            if over >= 25:
                # still over half a second after interrupting everything: memory the allocator keeps,
                # not a query. Start counting from here rather than refuse every query from now on.
                self.baseline, over = _rss_bytes(), 0


def _release_freed_memory() -> None:
    """Give freed heap back to the system (glibc keeps it otherwise, and the RSS would stay high)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


_watchdog: Watchdog | None = None
_watchdog_lock = threading.Lock()


def watchdog(budget_mb: int) -> Watchdog:
    global _watchdog
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = Watchdog(int(budget_mb) * 1024 * 1024)
        return _watchdog


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if database == "_internal":  # Datasette's own catalogue: interrupting its writes breaks the next request
        return
    settings = config(datasette)
    if hasattr(conn, "setlimit"):  # Python 3.11+; on older servers the watchdog still bounds memory
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, int(settings["max_value_bytes"]))
    if settings["memory_budget_mb"]:
        watchdog(settings["memory_budget_mb"]).watch(conn)


# ------------------------------------------------------------------ the public profile


@hookimpl
def permission_allowed(datasette: Any, actor: Any, action: str, resource: Any) -> bool | None:
    if not config(datasette)["public"]:
        return None
    if action == "view-table" and isinstance(resource, tuple) and resource[1] in BOOKKEEPING_TABLES:
        return False
    if action in ("permissions-debug", "debug-menu"):
        return False
    return None


@hookimpl
def asgi_wrapper(datasette: Any):
    def wrap(app: Any) -> Any:
        async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http":
                if scope.get("method", "GET").upper() not in READ_METHODS:
                    await _answer(send, 405, "This site is read-only: only GET requests are answered.\n",
                                  {"allow": "GET, HEAD, OPTIONS"})
                    return
                path = scope.get("path", "").rstrip("/")
                if config(datasette)["public"] and any(path == p or path.startswith(p + ".") for p in DEBUG_PATHS):
                    await _answer(send, 404, "Not found.\n")
                    return
            await app(scope, receive, send)

        return guarded

    return wrap


async def _answer(send: Any, status: int, text: str, headers: dict[str, str] | None = None) -> None:
    body = text.encode("utf-8")
    head = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    head += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


__all__ = ["BOOKKEEPING_TABLES", "DEBUG_PATHS", "Watchdog"]
