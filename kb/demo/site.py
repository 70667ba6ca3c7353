"""The bundled demo news site: four fictional outlets, real events, our own words.

:class:`DemoSite` renders every page, feed and sitemap on request from the
article files in ``kb/demo/articles``, so that the crawler meets what it meets
on the web: distinct templates, clutter, an EUC-KR outlet, query-string ids,
tracking parameters in feed links, and a robots.txt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["DemoSite", "DemoArticle", "Page", "load_article", "load_articles", "ARTICLES_DIR"]

HERE = Path(__file__).resolve().parent
ARTICLES_DIR = HERE / "articles"

_COMMENTS = {
    "ko": [("ai러버", "딥시크 진짜 대단하네요. 오픈AI 긴장해야 할 듯"), ("테크맨", "가격 경쟁 좋습니다 구글도 빨리 내려라"),
           ("익명", "기사 잘 읽었습니다")],
    "en": [("mlfan42", "Anthropic and Google will answer within a week, mark my words."), ("jt", "Great reporting, thanks."),
           ("skeptic", "Benchmarks are marketing. Show me real workloads.")],
    "zh": [("网友A", "DeepSeek太强了，英伟达要慌了"), ("科技迷", "价格战越来越激烈")],
}


@dataclass
class DemoArticle:
    id: str
    outlet: str
    language: str
    published: str
    author: str
    title: str
    body: str
    section: str = ""
    subtitle: str | None = None
    modified: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.id.rsplit("-", 1)[1])

    @property
    def published_at(self) -> datetime:
        return datetime.fromisoformat(self.published)

    def paragraphs(self) -> list[dict[str, Any]]:
        out = []
        for block in re.split(r"\n\s*\n", self.body.strip()):
            block = " ".join(block.split())
            if block.startswith("## "):
                out.append({"heading": True, "text": block[3:]})
            elif block:
                out.append({"heading": False, "text": block})
        return out

    def plain_text(self) -> str:
        """Title and body as text, for scoring extraction without the HTML layer."""
        return "\n".join([self.title] + [p["text"] for p in self.paragraphs()])


def load_article(path: Path) -> DemoArticle:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = {k: data.get(k) for k in DemoArticle.__dataclass_fields__ if k in data}
    fields["published"] = str(fields["published"])
    if fields.get("modified"):
        fields["modified"] = str(fields["modified"])
    fields["tags"] = [str(t) for t in fields.get("tags") or []]
    return DemoArticle(**fields)


def load_articles(directory: Path = ARTICLES_DIR) -> list[DemoArticle]:
    return [load_article(path) for path in sorted(directory.glob("*.yml"))]


@dataclass
class Page:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class DemoSite:
    """Renders the demo outlets; ``base_url`` is where the server listens."""

    def __init__(self, base_url: str, articles: list[DemoArticle] | None = None):
        self.base_url = base_url.rstrip("/")
        self.outlets = {o["id"]: o for o in yaml.safe_load((HERE / "outlets.yml").read_text(encoding="utf-8"))}
        self.articles = articles if articles is not None else load_articles()
        self.by_outlet: dict[str, list[DemoArticle]] = {oid: [] for oid in self.outlets}
        for article in sorted(self.articles, key=lambda a: a.published_at, reverse=True):
            self.by_outlet[article.outlet].append(article)
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    # ------------------------------------------------------------ URLs

    def outlet_base(self, outlet_id: str) -> str:
        return f"{self.base_url}/{outlet_id}"

    def article_url(self, article: DemoArticle) -> str:
        base, day = self.outlet_base(article.outlet), article.published_at
        if article.outlet == "hanbit":
            return f"{base}/news/articleView.html?idxno={1000 + article.number}"
        if article.outlet == "seoultech":
            return f"{base}/article/{day:%Y/%m/%d}/{article.id}"
        if article.outlet == "ledger":
            return f"{base}/{day:%Y/%m/%d}/{article.id}/"
        return f"{base}/news/{day:%Y%m%d}/{article.number}.html"

    def feed_urls(self) -> list[str]:
        return [f"{self.outlet_base(o)}/{self.outlets[o]['feed']}" for o in self.outlets]

    def sitemap_urls(self) -> list[str]:
        return [f"{self.outlet_base(o)}/{self.outlets[o]['sitemap']}" for o in self.outlets]

    # ------------------------------------------------------------ routing

    def get(self, path_and_query: str) -> Page:
        parts = urlsplit(path_and_query)
        path = parts.path
        if path == "/robots.txt":
            return self._robots()
        if path in ("", "/"):
            links = "".join(f'<li><a href="{self.outlet_base(o)}/">{escape(v["name"])}</a></li>' for o, v in self.outlets.items())
            return Page(200, f"<!doctype html><title>ai-news-kb demo</title><ul>{links}</ul>".encode(), "text/html; charset=utf-8")
        outlet_id, _, rest = path.lstrip("/").partition("/")
        outlet = self.outlets.get(outlet_id)
        if not outlet:
            return self._not_found()
        if rest == outlet["feed"]:
            return self._feed(outlet)
        if rest == outlet["sitemap"]:
            return self._sitemap(outlet)
        if rest == "":
            return self._render(outlet, "index.html", articles=[
                {"url": self.article_url(a), "title": a.title, "published": a.published} for a in self.by_outlet[outlet_id]
            ])
        for article in self.by_outlet[outlet_id]:
            if urlsplit(self.article_url(article)).path == path:
                if outlet_id == "hanbit":
                    wanted = parse_qs(parts.query).get("idxno", [""])[0]
                    if wanted != str(1000 + article.number):
                        continue
                return self._article(outlet, article)
        return self._not_found()

    # ------------------------------------------------------------ pages

    def _render(self, outlet: dict[str, Any], template: str, **context: Any) -> Page:
        html = self.env.get_template(template).render(outlet=outlet, base=self.outlet_base(outlet["id"]), year=2026, **context)
        if outlet["encoding"] == "euc-kr":
            # What EUC-KR sites really send is CP949; undeclared in the header, as on many of them.
            return Page(200, html.encode("cp949", errors="xmlcharrefreplace"), "text/html")
        return Page(200, html.encode("utf-8"), "text/html; charset=utf-8")

    def _article(self, outlet: dict[str, Any], article: DemoArticle) -> Page:
        url = self.article_url(article)
        others = [a for a in self.by_outlet[outlet["id"]] if a.id != article.id][:5]
        related = [{"url": self.article_url(a), "title": a.title} for a in others] or [{"url": url, "title": article.title}]
        while len(related) < 2:
            related.append(related[0])
        json_ld = json.dumps(
            {
                "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                "datePublished": article.published, "dateModified": article.modified or article.published,
                "author": {"@type": "Person", "name": article.author}, "inLanguage": article.language,
                "publisher": {"@type": "Organization", "name": outlet["name"]}, "mainEntityOfPage": url,
            },
            ensure_ascii=False,
        ).replace("</", "<\\/")
        view = {
            "title": article.title, "subtitle": article.subtitle, "author": article.author, "section": article.section,
            "published": article.published, "modified": article.modified, "tags": article.tags,
            "published_display": article.published_at.strftime("%Y.%m.%d %H:%M"),
            "email": f"reporter{article.number}@{outlet['id']}.example",
            "author_slug": re.sub(r"\W+", "-", article.author.lower()).strip("-"),
        }
        comments = [{"user": u, "text": t} for u, t in _COMMENTS[article.language]]
        return self._render(outlet, f"{outlet['id']}_article.html", a=view, url=url, paragraphs=article.paragraphs(),
                            related=related, comments=comments, json_ld=json_ld)

    def _feed(self, outlet: dict[str, Any]) -> Page:
        items = self.by_outlet[outlet["id"]]
        # Feeds link with tracking parameters, as real ones do; the crawler must strip them.
        link = lambda a: self.article_url(a) + ("&" if "?" in self.article_url(a) else "?") + "utm_source=rss&utm_medium=feed"
        if outlet["feed_format"] == "atom":
            entries = "".join(
                f"<entry><title>{escape(a.title)}</title><link rel=\"alternate\" href=\"{escape(link(a))}\"/>"
                f"<id>{escape(self.article_url(a))}</id><published>{a.published}</published>"
                f"<updated>{a.modified or a.published}</updated><author><name>{escape(a.author)}</name></author></entry>"
                for a in items
            )
            xml = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                   f"<title>{escape(outlet['name'])}</title><id>{self.outlet_base(outlet['id'])}/</id>"
                   f"<updated>{items[0].published if items else '2026-01-01T00:00:00+00:00'}</updated>{entries}</feed>")
            return self._xml(xml, outlet, "application/atom+xml")
        entries = "".join(
            f"<item><title>{escape(a.title)}</title><link>{escape(link(a))}</link>"
            f"<guid isPermaLink=\"false\">{outlet['id']}-{a.number}</guid>"
            f"<pubDate>{format_datetime(a.published_at)}</pubDate><author>{escape(a.author)}</author></item>"
            for a in items
        )
        encoding = "euc-kr" if outlet["encoding"] == "euc-kr" else "utf-8"
        xml = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
               f"<title>{escape(outlet['name'])}</title><link>{self.outlet_base(outlet['id'])}/</link>"
               f"<language>{outlet['language']}</language>{entries}</channel></rss>")
        return self._xml(xml, outlet, "application/rss+xml")

    def _sitemap(self, outlet: dict[str, Any]) -> Page:
        if outlet.get("news_sitemap"):
            urls = "".join(
                f"<url><loc>{escape(self.article_url(a))}</loc><news:news><news:publication>"
                f"<news:name>{escape(outlet['name'])}</news:name><news:language>{outlet['language']}</news:language>"
                f"</news:publication><news:publication_date>{a.published}</news:publication_date>"
                f"<news:title>{escape(a.title)}</news:title></news:news></url>"
                for a in self.by_outlet[outlet["id"]]
            )
            xml = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                   'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")
        else:
            urls = "".join(
                f"<url><loc>{escape(self.article_url(a))}</loc><lastmod>{a.modified or a.published}</lastmod></url>"
                for a in self.by_outlet[outlet["id"]]
            )
            xml = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>"
        return Page(200, xml.encode("utf-8"), "application/xml; charset=utf-8")

    def _xml(self, xml: str, outlet: dict[str, Any], content_type: str) -> Page:
        if outlet["encoding"] == "euc-kr":
            return Page(200, xml.encode("cp949", errors="xmlcharrefreplace"), content_type)
        return Page(200, xml.encode("utf-8"), content_type + "; charset=utf-8")

    def _robots(self) -> Page:
        lines = ["User-agent: *", "Disallow: /hanbit/member/", "Disallow: /ledger/admin/", "Disallow: /seoultech/search", ""]
        lines += [f"Sitemap: {url}" for url in self.sitemap_urls()]
        return Page(200, ("\n".join(lines) + "\n").encode(), "text/plain; charset=utf-8")

    def _not_found(self) -> Page:
        return Page(404, b"<!doctype html><title>404</title><h1>Not found</h1>", "text/html; charset=utf-8")
