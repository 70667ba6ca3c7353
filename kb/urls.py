"""Canonical article URLs: the key that says two links are the same article.

Many Korean news sites keep the article id in the query string (``idxno=``,
``no=``, ``newscd=``), so the query is kept and only tracking parameters go.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["canonical_url", "check_article_url", "is_private_host", "is_web_url", "TRACKING_PARAMETERS", "UnsafeURL"]

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


class UnsafeURL(ValueError):
    """A URL the KB will not store or link: anything but http(s) (javascript:, data:, ...)."""


def is_web_url(url: str | None) -> bool:
    """An absolute http or https URL with a host: the only kind a page may link to."""
    if not url or not isinstance(url, str) or any(ord(ch) < 33 for ch in url.strip()):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def check_article_url(url: str | None) -> str:
    """An article's key: an http(s) URL, or the ``file://`` URL ``kb add`` gives a local file. Raises
    :class:`UnsafeURL` otherwise, so a ``javascript:`` key can never become a link on the site."""
    if is_web_url(url):
        return url  # type: ignore[return-value]
    if url and url.startswith("file:///") and not any(ord(ch) < 32 for ch in url):
        return url
    raise UnsafeURL(f"not an http(s) URL: {url!r}")


def is_private_host(host: str | None) -> bool:
    """Loopback, private, link-local or reserved: an address on this machine or its network, not the web.

    Judged on the name as written (an IP literal, ``localhost``, ``*.localhost``, ``*.internal``);
    a public name is not resolved here."""
    host = (host or "").strip("[]").lower().rstrip(".")
    if not host:
        return True
    if host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_unspecified or address.is_multicast)
