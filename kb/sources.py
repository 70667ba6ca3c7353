"""The outlets to crawl: a YAML file, validated with one clear message per mistake."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = ["Source", "SourceError", "load_sources", "validate_sources", "DEFAULT_SOURCES"]

DEFAULT_SOURCES = Path(__file__).resolve().parent / "data" / "sources.yml"

_REQUIRED = ("id", "name", "language", "homepage")
_KNOWN = {
    "id", "name", "language", "homepage", "enabled", "feeds", "sitemaps", "sitemap_filter", "allowed_domains",
    "article_url", "encoding", "access", "disabled_reason", "confidence", "evidence", "quirks", "selectors", "notes",
}


class SourceError(Exception):
    """A sources file with mistakes; ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    language: str
    homepage: str
    enabled: bool = True
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sitemap_filter: str | None = None
    allowed_domains: tuple[str, ...] = ()
    article_url: str | None = None
    encoding: str | None = None
    access: str | None = None
    disabled_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_spider(self) -> dict[str, Any]:
        """What the spider needs, as plain data (it crosses a process boundary)."""
        return {
            "id": self.id, "name": self.name, "language": self.language, "homepage": self.homepage,
            "feeds": list(self.feeds), "sitemaps": list(self.sitemaps), "sitemap_filter": self.sitemap_filter,
            "allowed_domains": list(self.allowed_domains), "article_url": self.article_url, "encoding": self.encoding,
        }


def _host_allowed(url: str, domains: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def validate_sources(records: Any) -> list[str]:
    """Every problem in a parsed sources file, each as one line naming the source."""
    if not isinstance(records, list):
        return ["the file must be a YAML list of sources"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records, 1):
        label = f"source #{index}"
        if not isinstance(record, dict):
            problems.append(f"{label}: must be a mapping, got {type(record).__name__}")
            continue
        label = f"source {record.get('id') or '#' + str(index)}"
        for key in _REQUIRED:
            if not record.get(key):
                problems.append(f"{label}: missing '{key}'")
        for key in record:
            if key not in _KNOWN:
                problems.append(f"{label}: unknown key '{key}'")
        if record.get("id") in seen:
            problems.append(f"{label}: duplicate id")
        seen.add(record.get("id"))
        if record.get("language") not in (None, "ko", "en", "zh"):
            problems.append(f"{label}: language must be ko, en or zh, not {record.get('language')!r}")
        for key in ("feeds", "sitemaps", "allowed_domains"):
            if not isinstance(record.get(key, []), list):
                problems.append(f"{label}: '{key}' must be a list")
        urls = list(record.get("feeds") or []) + list(record.get("sitemaps") or [])
        for url in urls:
            if not isinstance(url, str) or not re.match(r"^(https?|file)://", url):
                problems.append(f"{label}: not an http(s) URL: {url!r}")
        domains = tuple(d.lower() for d in record.get("allowed_domains") or [])
        if domains:
            for url in urls:
                if isinstance(url, str) and url.startswith("http") and not _host_allowed(url, domains):
                    problems.append(f"{label}: {urlsplit(url).hostname} is not in allowed_domains")
        if record.get("enabled", True) and not urls:
            problems.append(f"{label}: enabled but has no feeds or sitemaps")
        if record.get("enabled", True) is False and not record.get("disabled_reason"):
            problems.append(f"{label}: disabled without a 'disabled_reason'")
        for key in ("article_url", "sitemap_filter"):
            if record.get(key):
                try:
                    re.compile(record[key])
                except re.error as exc:
                    problems.append(f"{label}: '{key}' is not a valid regular expression ({exc})")
    return problems


def load_sources(path: str | Path = DEFAULT_SOURCES) -> list[Source]:
    """Load and validate a sources file; raises :class:`SourceError` listing every problem."""
    path = Path(path)
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError([f"{path}: no such file"]) from None
    except yaml.YAMLError as exc:
        raise SourceError([f"{path}: not valid YAML ({exc})".replace("\n", " ")]) from None
    problems = validate_sources(records)
    if problems:
        raise SourceError(problems)
    sources = []
    for record in records:
        sources.append(
            Source(
                id=record["id"], name=record["name"], language=record["language"], homepage=record["homepage"],
                enabled=bool(record.get("enabled", True)),
                feeds=tuple(record.get("feeds") or ()), sitemaps=tuple(record.get("sitemaps") or ()),
                sitemap_filter=record.get("sitemap_filter"),
                allowed_domains=tuple(record.get("allowed_domains") or ()),
                article_url=record.get("article_url"), encoding=record.get("encoding"),
                access=record.get("access"), disabled_reason=record.get("disabled_reason"),
                extra={k: v for k, v in record.items() if k in ("confidence", "evidence", "quirks", "selectors", "notes")},
            )
        )
    return sources
