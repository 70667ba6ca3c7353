"""Jobs for extraction-pool tests, importable by the worker processes (a test module's functions are not)."""

from __future__ import annotations

import os
import time

from crawler.extract_worker import PageJob, parse_and_extract

# the pages of the fault site's /many/ feed that break their worker
CRASH_PAGE, HANG_PAGE = "/many/3.html", "/many/5.html"


def misbehave(job: str) -> str:
    """Echo the job, except "crash" (the worker dies), "hang" (it never answers) and "raise"."""
    if job == "crash":
        os._exit(3)
    if job == "hang":
        time.sleep(3600)
    if job == "raise":
        raise ValueError("no such job")
    return f"done {job} in {os.getpid()}"


def crash_or_hang(job: PageJob):
    """The real parse and extract, but one page kills its worker and another hangs it."""
    if job.url.endswith(CRASH_PAGE):
        os._exit(9)
    if job.url.endswith(HANG_PAGE):
        time.sleep(3600)
    return parse_and_extract(job)
