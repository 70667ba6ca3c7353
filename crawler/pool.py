"""Worker processes that parse and extract pages for the crawl, which stays the one SQLite writer.

Each worker takes one page at a time over its own pipe, so a worker that dies or
hangs is known to have died on that page: the page gets a failure, the worker is
replaced, the other pages go on. (A ``ProcessPoolExecutor`` cannot say which page
killed it and fails every pending page with it.)

The workers are forked from a fork server that imported :mod:`crawler._preload`,
which loads the gazetteer, Kiwi and jieba once: each worker starts with them,
shared copy-on-write, and a replacement starts in milliseconds. The crawl process
has threads (Twisted's, ours), so it never forks itself.

:meth:`ExtractionPool.run` blocks; the pipeline calls it from a thread pool with
one thread per worker (:meth:`submit`), so results come back to the reactor as
Deferreds and the reactor never waits.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

from crawler.extract_worker import JobFailure, parse_and_extract, serve

__all__ = ["ExtractionPool", "PRELOAD"]

PRELOAD = ["crawler._preload"]
# A page whose extraction takes longer is given up (and its worker replaced). Extraction takes
# milliseconds to a second; a minute is a pathological page, not a slow machine.
DEFAULT_TIMEOUT = 60.0


@dataclass
class _Worker:
    process: Any
    conn: Any
    jobs: int = 0


class ExtractionPool:
    """``workers`` processes running ``function(job)`` (a module-level function) on one job each at a time."""

    def __init__(self, workers: int, *, timeout: float = DEFAULT_TIMEOUT,
                 function: Callable[[Any], Any] = parse_and_extract, preload: bool = True):
        self.size = workers
        self.timeout = timeout
        self.function = function
        self.context = multiprocessing.get_context("forkserver")
        if preload:
            self.context.set_forkserver_preload(PRELOAD)
        self.replaced = 0
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        self._threads: Any = None
        self._error: str | None = None
        self._starting: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        """The fork server warms up for seconds: the workers start with the first page (a repeat crawl
        that fetches none never starts them), beside the caller; a page waits in run() until one is there."""
        with self._lock:
            if self._starting is None:
                self._starting = threading.Thread(target=self._start_all, name="kb-extract-start", daemon=True)
                self._starting.start()

    def _start_all(self) -> None:
        try:
            for _ in range(self.size):
                self._idle.put(self._start())
        except Exception as exc:  # noqa: BLE001 - every page then says why, instead of waiting forever
            self._error = f"extraction workers could not start: {type(exc).__name__}: {exc}"

    def _take(self) -> _Worker | None:
        while True:
            try:
                return self._idle.get(timeout=1)
            except queue.Empty:
                if self._error and not self._all:
                    return None

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=serve, args=(child, self.function), daemon=True, name="kb-extract")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        if worker in self._all:
            self._all.remove(worker)
        self.replaced += 1
        return self._start()

    def run(self, job: Any) -> Any:
        """``function(job)`` in a worker; a :class:`JobFailure` if the worker died or hung on it."""
        self._ensure_started()
        worker = self._take()
        if worker is None:
            return JobFailure("extract", self._error or "no extraction worker")
        try:
            hung = False
            try:
                worker.conn.send(job)
                if worker.conn.poll(self.timeout):
                    worker.jobs += 1
                    return worker.conn.recv()
                hung = True
            except (EOFError, OSError):
                pass  # the worker died on this job
            if hung:
                failure = JobFailure("extract", f"extraction worker gave no answer in {self.timeout:g}s (killed)")
            else:
                worker.process.join(1)
                failure = JobFailure("extract", f"extraction worker died ({_exit_reason(worker.process.exitcode)})")
            worker = self._replace(worker)
            return failure
        finally:
            self._idle.put(worker)

    def submit(self, job: Any) -> Any:
        """A Deferred firing with :meth:`run`'s answer in the reactor thread."""
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool
        from twisted.python.threadpool import ThreadPool

        if self._threads is None:
            # our own threads, one per worker: Scrapy's thread pool also resolves DNS, and must not be
            # taken by pages waiting for a worker
            self._threads = ThreadPool(minthreads=self.size, maxthreads=self.size, name="kb-extract")
            self._threads.start()
        return deferToThreadPool(reactor, self._threads, self.run, job)

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
        if self._threads is not None:
            self._threads.stop()
            self._threads = None
        for worker in self._all:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self._all:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.conn.close()
        self._all = []


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"
