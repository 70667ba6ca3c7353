"""Canonical article URLs: the key that says two links are the same article.

Many Korean news sites keep the article id in the query string (``idxno=``,
``no=``, ``newscd=``), so the query is kept and only tracking parameters go.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["canonical_url", "TRACKING_PARAMETERS"]

TRACKING_PARAMETERS = {
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid", "ocid",
    "sr_share", "share", "from", "spm",
}


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute, lower-case host, no fragment, no ``utm_*`` or click ids, default port dropped."""
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))
