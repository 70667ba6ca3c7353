"""A news site that goes wrong in every way a real one does, served on 127.0.0.1 for crawl tests.

Every article text here is written for the tests. Hosts outside the site use
the reserved ``.invalid`` domain, which never resolves: no test traffic leaves
this machine.
"""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ARTICLE = """<!doctype html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>
<meta property="article:published_time" content="2025-03-0{day}T09:00:00+09:00"></head>
<body><nav>Home | AI | Chips</nav><article><h1>{title}</h1>{paragraphs}</article>
<footer>Fault Test Media, 1 Test Street. All rights reserved.</footer></body></html>"""

ENGLISH = [
    "OpenAI said on Monday that its o3-mini model is now available to all developers through the API.",
    "The company priced o3-mini at $1.10 per million input tokens and $4.40 per million output tokens.",
    "Analysts at several research firms expect rivals such as Google and Anthropic to answer within weeks.",
    "The release follows a busy month in which DeepSeek drew attention with its R1 reasoning model.",
]
KOREAN = [
    "딥시크가 추론 모델 R1을 공개한 뒤 국내 업계의 관심이 커지고 있다.",
    "네이버와 카카오는 자체 모델의 성능을 끌어올리는 작업을 서두르고 있다고 밝혔다.",
    "업계 관계자는 가격 경쟁이 한층 치열해질 것이라고 내다봤다.",
]


def article_html(number: int, *, language: str = "en", charset: str = "utf-8") -> str:
    sentences = KOREAN if language == "ko" else ENGLISH
    title = (f"테스트 기사 {number}: 딥시크와 국내 업계" if language == "ko" else f"Test story {number}: o3-mini reaches developers")
    paragraphs = "".join(f"<p>{s} ({number})</p>" for s in sentences)
    return ARTICLE.format(lang=language, charset=charset, title=title, paragraphs=paragraphs, day=number % 9 + 1)


def rss(links: list[str]) -> str:
    items = "".join(f"<item><title>item</title><link>{link}</link></item>" for link in links)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fault</title>{items}</channel></rss>'


class FaultSite:
    """Start with ``with FaultSite() as site:``; ``site.url`` is its base URL."""

    GOOD = ["/ok/1.html", "/ok/2.html", "ok/3.html"]  # the last one is relative, as some feeds have

    def __init__(self, *, timeout_page_seconds: float = 5.0, many: int = 0, many_delay: float = 0.0):
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                with site.lock:
                    site.hits[path] = site.hits.get(path, 0) + 1
                    count = site.hits[path]
                site.route(self, path, count)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128
            daemon_threads = True

        self.timeout_page_seconds = timeout_page_seconds
        self.many, self.many_delay = many, many_delay
        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FaultSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ routes

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on this response (timeout, size limit): that is the point

    FEED_LINKS = GOOD + [
        "/ok/1.html",  # a duplicate item
        "/status/404.html", "/status/410.html", "/status/500.html", "/flaky/503.html",
        "/slow.html", "/loop/a.html", "/away.html", "/euckr-noheader.html", "/mislabelled-utf8.html",
        "/truncated.html", "/huge.html", "/bomb.html", "/pdf.html", "/private/secret.html",
    ]

    def route(self, h: BaseHTTPRequestHandler, path: str, count: int) -> None:
        send = self.send
        if path == "/robots.txt":
            return send(h, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/feed.xml":
            return send(h, 200, rss(self.FEED_LINKS).encode(), "application/rss+xml")
        if path == "/malformed.xml":
            return send(h, 200, b"<rss><channel><item><link>/ok/1.html</link></item><item><link>", "application/rss+xml")
        if path == "/empty.xml":
            return send(h, 200, b"", "application/rss+xml")
        if path == "/notfound-feed.xml":
            return send(h, 404, b"not found")
        if path == "/many/feed.xml":
            return send(h, 200, rss([f"/many/{i}.html" for i in range(self.many)]).encode(), "application/rss+xml")
        if path.startswith("/many/"):
            time.sleep(self.many_delay)
            number = int(path.rsplit("/", 1)[1].split(".")[0])
            return send(h, 200, article_html(100 + number).encode())
        if path.startswith("/ok/"):
            number = int(path.rsplit("/", 1)[1].split(".")[0])
            return send(h, 200, article_html(number).encode())
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1].split(".")[0])
            return send(h, code, f"<h1>{code}</h1>".encode())
        if path == "/flaky/503.html":
            if count == 1:
                return send(h, 503, b"<h1>busy</h1>", headers={"Retry-After": "0"})
            return send(h, 200, article_html(7).encode())
        if path == "/slow.html":
            time.sleep(self.timeout_page_seconds)
            return send(h, 200, article_html(8).encode())
        if path == "/loop/a.html":
            return send(h, 302, b"", headers={"Location": "/loop/b.html"})
        if path == "/loop/b.html":
            return send(h, 302, b"", headers={"Location": "/loop/a.html"})
        if path == "/away.html":
            return send(h, 301, b"", headers={"Location": "http://news.invalid/stolen.html"})
        if path == "/euckr-noheader.html":
            body = article_html(9, language="ko", charset="euc-kr").replace('<meta charset="euc-kr">', "")
            return send(h, 200, body.encode("cp949"), "text/html")
        if path == "/mislabelled-utf8.html":
            body = article_html(10, language="ko", charset="utf-8")
            return send(h, 200, body.encode("cp949"), "text/html; charset=utf-8")
        if path == "/truncated.html":
            return send(h, 200, article_html(11).encode()[:700])
        if path == "/huge.html":
            return send(h, 200, b"<html><body><p>" + b"x" * (20 * 1024 * 1024) + b"</p></body></html>")
        if path == "/bomb.html":
            return send(h, 200, gzip.compress(b"<p>" + b"0" * (60 * 1024 * 1024)), headers={"Content-Encoding": "gzip"})
        if path == "/pdf.html":
            return send(h, 200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", "text/html")
        if path == "/private/secret.html":
            return send(h, 200, article_html(12).encode())
        return send(h, 404, b"<h1>404</h1>")
