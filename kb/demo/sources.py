"""The demo outlets as crawl sources, pointed at wherever the demo site is served."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kb.demo.site import DemoSite

__all__ = ["demo_sources"]


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    site = DemoSite(base_url, articles=[])
    host = urlsplit(base_url).hostname or "127.0.0.1"
    return [
        {
            "id": f"demo-{outlet_id}", "name": outlet["name"], "language": outlet["language"],
            "homepage": site.outlet_base(outlet_id) + "/",
            # the Korean outlet gets its feed, the others their sitemap too: both paths are exercised
            "feeds": [f"{site.outlet_base(outlet_id)}/{outlet['feed']}"],
            "sitemaps": [f"{site.outlet_base(outlet_id)}/{outlet['sitemap']}"] if outlet_id in ("ledger", "zhixin") else [],
            "sitemap_filter": None, "allowed_domains": [host], "article_url": None, "encoding": outlet["encoding"],
        }
        for outlet_id, outlet in site.outlets.items()
    ]
