"""Shared fixtures: the shipped gazetteer, the seed article, a live demo site, a KB file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kb.demo.server import DemoServer
from kb.demo.site import DemoSite, load_articles
from kb.extract.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_6ef9cd0f0b9f2017.txt"
SEED_GOLD = SHARED / "gold" / "000_6ef9cd0f0b9f2017.gold.json"


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="session")
def seed() -> tuple[Path, dict]:
    if not SEED.exists() or not SEED_GOLD.exists():
        pytest.skip(f"the shared seed is not at {SEED.parent} (read-only data beside the repository)")
    return SEED, json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_articles():
    return load_articles()


@pytest.fixture(scope="session")
def demo_site(demo_articles) -> DemoSite:
    """The demo site rendered in-process, for tests of pages without HTTP."""
    return DemoSite("http://demo.test", demo_articles)


@pytest.fixture(scope="session")
def demo_server():
    """The demo site over real HTTP on 127.0.0.1, on a free port."""
    with DemoServer("127.0.0.1", 0) as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_kb(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real ``kb`` command in a subprocess (a Twisted reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )


def start_site(command: list[str], url: str, log: Path) -> subprocess.Popen:
    """Start a site server (``kb serve``, a published copy) and return once ``url`` answers.

    Its output goes to ``log`` (a pipe nobody reads would fill up and stall it); a server that exits or
    stays silent for a minute fails the test with the end of that log."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/-/versions.json", timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the site did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def demo_kb(tmp_path_factory, demo_server) -> Path:
    """A KB built by one real crawl of the demo site (shared by the tests that only read it)."""
    path = tmp_path_factory.mktemp("kb") / "kb.db"
    result = run_kb("crawl", "--demo-url", demo_server.url, "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path
