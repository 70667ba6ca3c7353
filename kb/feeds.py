"""Read RSS, Atom, sitemaps and Google News sitemaps into a list of entries.

Scrapy's sitemap parser drops the ``news:`` fields, and feeds in the wild are
often broken, so this reads them with a recovering XML parser and keeps what
each format says about an article (title, publication date, language).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from kb.parse import normalise_datetime
from kb.urls import canonical_url

__all__ = ["FeedEntry", "FeedError", "parse_feed"]


class FeedError(Exception):
    """Not a feed or sitemap that any entry can be read from."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: str | None = None
    language: str | None = None
    is_sitemap_index: bool = False  # the URL is another sitemap, not an article


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes, base_url: str, *, report_damage: bool = False):
    """Return the format ("rss", "atom", "sitemap", "sitemapindex") and the entries.

    With ``report_damage``, a third value says what the recovering parser had
    to repair (empty when the XML was well formed).
    """
    kind, entries, damage = _parse_feed(body, base_url)
    return (kind, entries, damage) if report_damage else (kind, entries)


def _parse_feed(body: bytes, base_url: str) -> tuple[str, list[FeedEntry], str]:
    if not body.strip():
        raise FeedError("empty feed")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.strip(), parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed XML: {exc}") from exc
    if root is None:
        raise FeedError("malformed XML: nothing could be read")
    kind = _local(root.tag).lower()
    damage = str(parser.error_log.last_error.message).strip() if parser.error_log else ""
    seen: set[str] = set()
    entries: list[FeedEntry] = []

    def add(url: str | None, **fields: object) -> None:
        if not url:
            return
        url = canonical_url(url, base_url)
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            entries.append(FeedEntry(url=url, **fields))  # type: ignore[arg-type]

    if kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = _child_text(item, "link")
            guid = next((c for c in item if _local(c.tag) == "guid" and c.get("isPermaLink", "true") != "false"), None)
            add(link or (guid.text.strip() if guid is not None and guid.text else None),
                title=_child_text(item, "title"), published=normalise_datetime(_rfc822(_child_text(item, "pubDate", "date"))))
        return "rss", entries, damage
    if kind == "feed":
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            links = [c for c in entry if _local(c.tag) == "link"]
            href = next((c.get("href") for c in links if c.get("rel", "alternate") == "alternate"), None)
            add(href or (links[0].get("href") if links else None), title=_child_text(entry, "title"),
                published=normalise_datetime(_child_text(entry, "published", "updated")))
        return "atom", entries, damage
    if kind in ("urlset", "sitemapindex"):
        for node in root:
            loc = _child_text(node, "loc")
            fields: dict[str, object] = {"is_sitemap_index": kind == "sitemapindex"}
            for child in node.iter():
                name = _local(child.tag)
                if name == "publication_date":
                    fields["published"] = normalise_datetime(child.text)
                elif name == "title" and child.text:
                    fields["title"] = child.text.strip()
                elif name == "language" and child.text:
                    fields["language"] = child.text.strip()
                elif name == "lastmod" and "published" not in fields:
                    fields["published"] = normalise_datetime(child.text)
            add(loc, **fields)
        return ("sitemapindex" if kind == "sitemapindex" else "sitemap"), entries, damage
    raise FeedError(f"not a feed or sitemap (root element <{kind}>)")


def _rfc822(value: str | None) -> str | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return value
