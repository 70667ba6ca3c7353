"""`kb serve` starts a real Datasette server over HTTP."""

import json
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT, free_port


def test_kb_serve_answers_over_http_read_only(demo_kb):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--db", str(demo_kb), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/kb/articles.json?_shape=array&_size=1") as response:
                    rows = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert rows and rows[0]["title"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/settings.json") as response:
            settings = json.load(response)
        assert settings["sql_time_limit_ms"] == 3000
    finally:
        process.terminate()
        process.wait(timeout=10)
