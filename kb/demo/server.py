"""Serve the demo site over real HTTP on 127.0.0.1, for ``kb demo``, ``kb crawl --demo`` and tests."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kb.demo.site import DemoSite

__all__ = ["DemoServer", "serve_demo"]


class _Server(ThreadingHTTPServer):
    # http.server's default backlog of 5 stalls a concurrent crawl on TCP retransmissions.
    request_queue_size = 128
    daemon_threads = True


class DemoServer:
    """A running demo site; use as a context manager or call :meth:`stop`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        site_holder: dict[str, DemoSite] = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                page = site_holder["site"].get(self.path)
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                if page.status == 200 and self.headers.get("If-None-Match") == etag:
                    # conditional GET: an unchanged feed costs one 304 and no body
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(page.status)
                if page.status == 200:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = _Server((host, port), Handler)
        self.host, self.port = self._server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.site = DemoSite(self.url)
        site_holder["site"] = self.site
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)

    def start(self) -> "DemoServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "DemoServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_demo(host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    return DemoServer(host, port).start()
