"""Turn a news page (or a plain-text article) into an :class:`Article`.

Main text comes from trafilatura, the best-scoring open extractor on the
article-extraction benchmark; metadata comes first from what the publisher
declares for machines (JSON-LD, OpenGraph, ``<meta>``), because those carry the
time zone that the visible byline usually drops.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import trafilatura

from kb.body import extract_body
from kb.text_body import extract_text_body

__all__ = ["Article", "ParseError", "parse_bytes", "parse_html", "parse_text", "read_document", "read_document_bytes",
           "detect_language", "bounded_markup", "checked_datetime"]


# Fewer visible characters than this is a menu or an error page, not an article.
MIN_TEXT_CHARACTERS = 20

# Bounds at the boundary, so no input holds a crawl or a command for long (issue 14):
# a document (after decompression) is at most what the crawl downloads (DOWNLOAD_MAXSIZE) ...
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# ... the body extractor's cost grows faster than the page, so it sees at most this much markup
# (scripts, styles and comments of a big page go first; a real article's markup is far smaller) ...
MAX_MARKUP_CHARACTERS = 500_000
# ... and an article's text is cut to this many characters (five times the longest real article we
# have seen; extraction of Korean runs at about 20,000 characters a second).
MAX_TEXT_CHARACTERS = 100_000


class ParseError(Exception):
    """A page that cannot become an article (empty, not HTML, no text)."""


@dataclass
class Article:
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    text: str = ""
    site_name: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("metadata")
        return data


# ---------------------------------------------------------------- language

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str | None:
    """Tell Korean, Chinese and English apart by script: enough for our three languages."""
    sample = text[:5000]
    hangul, han, latin = (len(p.findall(sample)) for p in (_HANGUL, _HAN, _LATIN))
    if hangul and hangul >= 0.2 * (han + hangul):
        return "ko"
    if han and han >= latin / 4:
        return "zh"
    if latin:
        return "en"
    return None


def _normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


# ---------------------------------------------------------------- boilerplate

# Lines that publishers append to every article: copyright, imprint, registration numbers.
_BOILERPLATE_LINE = re.compile(
    r"(copyright|all rights reserved|ⓒ|©|무단\s*전재|재배포\s*금지|등록번호|사업자\s*등록|"
    r"발행인|편집인|청소년\s*보호\s*책임자|고충처리인|대표이사|문의\s*메일|"
    r"\bTel\s*[.:]|\bFax\s*[.:]|版权所有|未经授权|转载请注明|ISSN\b)",
    re.IGNORECASE,
)


def strip_boilerplate(text: str) -> str:
    """Drop imprint lines (copyright, address, officers) from the end of a body.

    Only trailing lines are dropped: a sentence in the middle of an article that
    mentions copyright is content, the footer is not.
    """
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or _BOILERPLATE_LINE.search(lines[-1])):
        lines.pop()
    return "\n".join(lines)


# ---------------------------------------------------------------- metadata

def _json_ld_objects(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                if "@graph" in item and isinstance(item["@graph"], list):
                    stack.extend(item["@graph"])
                objects.append(item)
            elif isinstance(item, list):
                stack.extend(item)
    return objects


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}


def _ld_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    for obj in objects:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
            return obj
    return {}


def _ld_author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_author(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return value.get("name")
    if isinstance(value, str):
        return value
    return None


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if values and values[0].strip():
                return values[0].strip()
    return None


def normalise_datetime(value: str | None) -> str | None:
    """ISO 8601 with the offset kept when the source gives one."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", value)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:  # a page's 30 February: no date rather than a date nothing can read
            return None
    if parsed.tzinfo is None and len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def checked_datetime(value: str | None) -> str | None:
    """``value`` if it is an ISO 8601 date or date-time that exists, else None ("yesterday", 2025-02-30)."""
    if not value or not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.strip()


# ---------------------------------------------------------------- parsing

# What a big page can lose before parsing: never text, only code, styles and comments (JSON-LD stays).
_HEAVY_MARKUP = re.compile(
    r"<script\b(?![^>]*application/ld\+json)[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|"
    r"<svg\b[^>]*>.*?</svg\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)


def bounded_markup(html: str, limit: int = MAX_MARKUP_CHARACTERS) -> str:
    """A page the parser can finish in a few seconds: over ``limit``, scripts, styles and comments go,
    then whatever is left past ``limit`` (the article comes early; lxml closes what the cut left open)."""
    if len(html) <= limit:
        return html
    html = _HEAVY_MARKUP.sub("", html)
    if len(html) <= limit:
        return html
    cut = html.rfind("<", 0, limit)
    return html[: cut if cut > limit // 2 else limit]


def bounded_text(text: str, limit: int = MAX_TEXT_CHARACTERS) -> str:
    """At most ``limit`` characters, cut at a paragraph end when there is one in the second half."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip()


def parse_html(html: str | bytes, *, url: str | None = None) -> Article:
    """Parse one news page. Raises :class:`ParseError` when no article text is found."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        raise ParseError("empty page")
    if html.lstrip().startswith("%PDF"):
        raise ParseError("not HTML: a PDF document")
    if not looks_like_html(html):
        raise ParseError("not HTML: no markup found")
    html = bounded_markup(html)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ParseError("not HTML: the markup could not be parsed")

    ld = _ld_article(_json_ld_objects(tree))
    text = bounded_text(strip_boilerplate(extract_body(html, json_ld=ld)))
    if len("".join(text.split())) < MIN_TEXT_CHARACTERS:
        raise ParseError("no article text found")

    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    title = ld.get("headline") or _meta(tree, "og:title")
    published = ld.get("datePublished") or _meta(tree, "article:published_time", "datePublished", "pubdate", "publishdate")
    author = _ld_author(ld.get("author")) or _meta(tree, "author", "article:author")
    site_name = _meta(tree, "og:site_name")
    if not (title and published):
        # trafilatura's heuristics (visible bylines, <time>, htmldate) cost as much as
        # the body itself: pay for them only when the publisher did not declare the
        # title or the date, and skip htmldate's exhaustive scan of every string.
        fallback = trafilatura.extract_metadata(tree, default_url=url, extensive=False)
        if fallback is not None:
            title = title or fallback.title
            published = published or fallback.date
            author = author or fallback.author
            site_name = site_name or fallback.sitename
    language = (
        _normalise_language(tree.get("lang"))
        or _normalise_language(ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
        or _normalise_language(_meta(tree, "og:locale"))
        or detect_language(text)
    )
    return Article(
        url=url or (canonical[0] if canonical else None),
        title=(title or "").strip() or None,
        author=author,
        published=normalise_datetime(published),
        language=language,
        text=text,
        site_name=site_name,
        metadata={
            "canonical_url": canonical[0] if canonical else None,
            "modified": normalise_datetime(ld.get("dateModified") or _meta(tree, "article:modified_time")),
        },
    )


def parse_text(text: str, *, url: str | None = None) -> Article:
    """A plain-text article: the first line is its title; site chrome around the body is dropped."""
    text = strip_boilerplate(extract_text_body(text.replace("\r\n", "\n").strip()))
    if not text:
        raise ParseError("empty text")
    title = text.split("\n", 1)[0].strip()
    return Article(url=url, title=title, text=text, language=detect_language(text))


def looks_like_html(content: str) -> bool:
    head = content.lstrip()[:1000].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<!doctype", "<head", "<body", "<meta", "<div", "<p"))


def read_document(path: str | Path, *, url: str | None = None) -> Article:
    """Read a local ``.html``, ``.html.gz`` or ``.txt`` file as an article."""
    return parse_bytes(read_document_bytes(path), url=url)


def read_document_bytes(path: str | Path, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """A local file's bytes, gunzipped if it is ``.gz``; :class:`ParseError` past ``limit`` bytes,
    read without ever holding more (a 2 GB gzip bomb costs ``limit`` bytes, not 24 GB)."""
    path = Path(path)
    with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as handle:
        try:
            raw = handle.read(limit + 1)
        except (OSError, EOFError) as exc:  # a damaged or truncated gzip file
            raise ParseError(f"cannot read: {exc}") from None
    if len(raw) > limit:
        what = "decompresses to" if path.suffix == ".gz" else "is"
        raise ParseError(f"{what} more than {limit // (1024 * 1024)} MB; a news page is never that big")
    return raw


def parse_bytes(raw: bytes, *, url: str | None = None) -> Article:
    """A stored or downloaded document of unknown kind: HTML if it looks like it, else text.

    Binary content (a program, an image, random bytes) is refused, not read as a story."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"more than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; a news page is never that big")
    if _BINARY_MAGIC.match(raw) or b"\x00" in raw[:65536]:
        raise ParseError("not text: binary content")
    content = decode_bytes(raw)
    if _looks_binary(content):
        raise ParseError("not text: binary content")
    if looks_like_html(content):
        return parse_html(content, url=url)
    return parse_text(bounded_text(content), url=url)


_BINARY_MAGIC = re.compile(rb"\x7fELF|\x89PNG|\xff\xd8\xff|PK\x03\x04|\x1f\x8b|%PDF-|\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _looks_binary(content: str) -> bool:
    """Text has next to no control characters or undecodable bytes; bytes that are not text have many."""
    sample = content[:65536]
    return bool(sample) and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def decode_bytes(raw: bytes) -> str:
    """Decode bytes of unknown charset: UTF-8 first, then the charset the page declares."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb'charset=["\']?([A-Za-z0-9_\-]+)', raw[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["cp949", "gb18030"]:
        try:
            return raw.decode(python_codec(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


def python_codec(encoding: str) -> str:
    """The Python codec to decode a declared web charset with."""
    # Korean sites that say EUC-KR actually send its superset, CP949; browsers do the same.
    return {"euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030"}.get(
        encoding.lower(), encoding
    )
