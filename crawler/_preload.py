"""Imported once by the extraction pool's fork server: the workers forked from it start warm.

The fork server and its workers run at a lower priority (nice) than the crawl process: when
cores are short, fetching (timeouts!) and storing go first, and extraction takes what is left,
which is all of it on an otherwise idle machine.

An exception here would kill the fork server, so a failed warm-up only means each
worker loads what it needs on its first page.
"""

import os

NICENESS = 5

try:
    os.nice(NICENESS)
except OSError:
    pass

try:
    from crawler.extract_worker import warm

    warm()
except Exception:  # noqa: BLE001
    pass
