"""Unattended crawls: a lock so two never overlap, and cron or systemd entries to run them.

The lock is an advisory ``flock`` on ``<db>.crawl.lock``: the kernel drops it
when the process dies, so a killed crawl never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["CrawlLocked", "crawl_lock", "parse_interval", "cron_entry", "systemd_units"]


class CrawlLocked(Exception):
    """Another crawl holds the lock of this KB."""


@contextmanager
def crawl_lock(db_path: Path) -> Iterator[Path]:
    # on the file itself: two crawls that name it through a symlink, or another relative path, are one
    lock_path = Path(str(Path(db_path).resolve()) + ".crawl.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise CrawlLocked(f"another crawl (pid {holder}) is writing to {db_path}; this one is skipped") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield lock_path
    finally:
        handle.close()


def parse_interval(value: str) -> int:
    """'30m', '1h', '6h', '1d' or seconds → seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", value)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"not an interval: {value!r} (use e.g. 30m, 1h, 1d)")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def _command(db_path: Path, extra: list[str]) -> str:
    kb = Path(sys.executable).with_name("kb")
    return " ".join(shlex.quote(part) for part in [str(kb), "crawl", "--all", "--quiet", "--db", str(db_path.resolve()), *extra])


def cron_entry(db_path: Path, interval: int, log_path: Path, extra: list[str] | None = None) -> str:
    """One crontab line; cron's finest grain is a minute, so intervals round to minutes or hours."""
    minutes = max(1, interval // 60)
    if minutes < 60:
        when = f"*/{minutes} * * * *"
    elif minutes % 1440 == 0:
        when = "17 3 * * *" if minutes == 1440 else f"17 3 */{minutes // 1440} * *"
    else:
        when = f"7 */{max(1, minutes // 60)} * * *"
    return f"{when} {_command(db_path, extra or [])} >> {shlex.quote(str(log_path.resolve()))} 2>&1"


def systemd_units(db_path: Path, interval: int, log_path: Path, extra: list[str] | None = None) -> dict[str, str]:
    """A user service and timer (``systemctl --user enable --now ai-news-kb-crawl.timer``)."""
    service = (
        "[Unit]\nDescription=ai-news-kb: crawl the enabled news sources\n\n"
        "[Service]\nType=oneshot\n"
        f"WorkingDirectory={Path.cwd()}\n"
        f"ExecStart={_command(db_path, extra or [])}\n"
        f"StandardOutput=append:{log_path.resolve()}\nStandardError=append:{log_path.resolve()}\n"
    )
    timer = (
        "[Unit]\nDescription=ai-news-kb: crawl on a schedule\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={interval}s\nRandomizedDelaySec=60\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {"ai-news-kb-crawl.service": service, "ai-news-kb-crawl.timer": timer}
