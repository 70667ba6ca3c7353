"""`kb serve` starts a real Datasette server over HTTP, read-only, and stops it when it is stopped."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from tests.conftest import ROOT, free_port


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_kb_serve_answers_over_http_read_only_and_stops_with_datasette(demo_kb):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--db", str(demo_kb), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                rows = json.loads(_get(f"{base}/kb/articles.json?_shape=array&_size=1")[1])
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        assert rows and rows[0]["title"]
        settings = json.loads(_get(f"{base}/-/settings.json")[1])
        assert settings["sql_time_limit_ms"] == 3000 and settings["max_returned_rows"] == 200
        assert json.loads(_get(f"{base}/-/databases.json")[1])[0]["is_mutable"]  # a crawl may still write; we only read
        try:
            _get(f"{base}/kb.json?sql=" + urllib.parse.quote("delete from articles"))
            raise AssertionError("a write statement was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 400
        assert b"o3-mini" in _get(f"{base}/entity/o3-mini")[1]
        assert _get(f"{base}/robots.txt")[1].startswith(b"User-agent: *")
    finally:
        process.terminate()
        process.wait(timeout=10)
    # Datasette went with it: the port is free and nothing holds our stderr open
    assert process.stderr.read() is not None
    deadline = time.monotonic() + 10
    while True:
        try:
            _get(f"{base}/-/versions.json")
        except OSError:
            break
        assert time.monotonic() < deadline, "Datasette kept running after kb serve was stopped"
        time.sleep(0.2)
