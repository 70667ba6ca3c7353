"""Which URLs a source's feeds, sitemaps and redirects may send the crawler to.

A feed is third-party input: it may list any URL. Only hosts of the source's
``allowed_domains`` (and of its own feeds and sitemaps) are fetched, and never an
address of this machine or its network (``localhost``, ``10.0.0.0/8``, ...) unless
the source itself is local: its feeds are served from such an address, as the
demo's and the tests' are.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kb.urls import is_private_host

__all__ = ["SourcePolicy"]


class SourcePolicy:
    """The hosts one source may reach."""

    def __init__(self, source: dict[str, Any]):
        listings = [u for u in list(source.get("feeds") or []) + list(source.get("sitemaps") or []) if u]
        self.file_listings = any(u.lower().startswith("file://") for u in listings)
        hosts = {(urlsplit(u).hostname or "").lower() for u in listings if not u.lower().startswith("file://")}
        self.domains = tuple(sorted({d.lower().lstrip(".") for d in source.get("allowed_domains") or [] if d} | (hosts - {""})))
        # explicitly local: every listing the operator configured is served from this machine or its network
        self.local = bool(hosts) and all(is_private_host(h) for h in hosts)

    def refusal(self, url: str) -> str | None:
        """Why the crawler must not fetch ``url`` for this source (a few words), or None."""
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if scheme == "file" and self.file_listings:
            return None
        if scheme not in ("http", "https") or not host:
            return "not an http(s) URL"
        if self.domains and not any(host == d or host.endswith("." + d) for d in self.domains):
            return "outside the source's domains"
        if is_private_host(host) and not self.local:
            return "a local or private address"
        return None
