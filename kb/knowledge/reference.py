"""Reference prices: a third-party price list, kept as a dated snapshot with its licence.

The list is LiteLLM's model cost map (MIT, © 2023 Berri AI): one entry per key
(``o3-mini``, ``azure/o3-mini``, ``deepseek/deepseek-r1``), prices in USD per
single token, one seller per key (``litellm_provider``). It holds current
prices only, so it can check what the news says but never replace it. Keys are
mapped to our model ids through the gazetteer: ``litellm_keys`` on a model if
the gazetteer lists them, else the key's name looked up like any other name.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from kb.extract.gazetteer import Gazetteer, normalise_name
from kb.knowledge.merge import entity_redirects
from kb.store.save import utc_now

__all__ = ["ReferenceError", "ReferenceBook", "fetch_reference", "import_reference", "load_book", "LITELLM_LICENCE", "price_fields"]

LITELLM_NAME = "LiteLLM model cost map"
LITELLM_LICENCE = "MIT, © 2023 Berri AI (LiteLLM, https://github.com/BerriAI/litellm)"

# input_cost_per_token_batches → ("input", "_batches"); cache_read_input_token_cost → ("cached_input", "")
_PRICE_FIELD = re.compile(
    r"^(?P<base>input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)"
    r"(?P<variant>_[a-z0-9_]+)?$"
)
_BASE_KIND = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cached_input",
    "cache_creation_input_token_cost": "cache_write",
}


class ReferenceError(ValueError):
    """A file that is not a LiteLLM-format price list."""


def price_fields(entry: dict[str, Any]) -> dict[str, float]:
    """kind → USD per 1M tokens, for every per-token price of one entry (variants keep a suffix: input_batches)."""
    prices = {}
    for name, value in entry.items():
        match = _PRICE_FIELD.match(name)
        if not match or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        kind = _BASE_KIND[match["base"]] + (match["variant"] or "")
        prices[kind] = round(float(value) * 1_000_000, 6)
    return prices


@dataclass(frozen=True)
class _Mapping:
    model_id: str
    rank: tuple  # lower is a better claim to be the model's primary key for its seller


def _sellers(gazetteer: Gazetteer) -> dict[str, str]:
    """litellm_provider → company id (openai → openai, gemini → google, azure → microsoft)."""
    sellers: dict[str, str] = {}
    for company in gazetteer.of_type("company"):
        providers = company.extra.get("litellm_provider") or []
        for provider in [providers] if isinstance(providers, str) else providers:
            sellers.setdefault(str(provider), company.id)
    for company in gazetteer.of_type("company"):
        sellers.setdefault(company.id, company.id)
    return sellers


def _map_key(key: str, provider: str | None, gazetteer: Gazetteer, explicit: dict[str, tuple[str, int]]) -> _Mapping | None:
    if key in explicit:
        model_id, position = explicit[key]
        return _Mapping(model_id, (0, position, len(key)))
    name = key
    if "/" in key:
        prefix, _, rest = key.partition("/")
        if prefix != provider or "/" in rest:
            return None  # routed through another platform's naming: not ours to guess
        name = rest
    entity = gazetteer.by_name(name)
    if entity is None or entity.type != "model":
        return None
    exact = normalise_name(name) == normalise_name(entity.name)
    return _Mapping(entity.id, (1 if exact else 2, 0, len(key)))


def fetch_reference(location: str | Path, *, timeout: float = 60.0) -> Path:
    """A local file for ``location``: the path itself, or an http(s) URL downloaded to a temporary file."""
    text = str(location)
    if not re.match(r"^https?://", text, re.I):
        path = Path(text)
        if not path.is_file():
            raise ReferenceError(f"{path}: no such file (give a downloaded copy of the list, or its URL)")
        return path
    import tempfile
    import urllib.error
    import urllib.request

    request = urllib.request.Request(text, headers={"User-Agent": "ai-news-kb (reference price import)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise ReferenceError(f"{text}: cannot download ({exc})") from None
    target = Path(tempfile.mkdtemp(prefix="kb-reference-")) / (Path(urllib.parse.urlsplit(text).path).name or "prices.json")
    target.write_bytes(body)
    return target


def import_reference(db: sqlite_utils.Database, path: Path, gazetteer: Gazetteer, *, as_of: date | None = None) -> dict[str, Any]:
    """Load a LiteLLM-format price list as a snapshot; the same file again re-maps it in place."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or not any(isinstance(v, dict) and price_fields(v) for v in data.values()):
        raise ReferenceError(f"{path}: not a LiteLLM price list (an object of model entries with *_cost_per_token fields)")
    digest = hashlib.sha256(raw).hexdigest()
    as_of_text = (as_of or date.today()).isoformat()
    explicit = {}
    for model in gazetteer.of_type("model"):
        keys = model.extra.get("litellm_keys") or []
        for position, key in enumerate([keys] if isinstance(keys, str) else keys):
            explicit.setdefault(str(key), (model.id, position))
    sellers = _sellers(gazetteer)
    known = {row[0] for row in db.execute("select id from entities")}
    redirects = entity_redirects(db)

    rows, ranks = [], {}
    entries = 0
    for key, entry in data.items():
        if not isinstance(entry, dict) or key == "sample_spec":
            continue
        prices = price_fields(entry)
        if not prices:
            continue
        entries += 1
        provider = entry.get("litellm_provider")
        seller = sellers.get(provider) if provider else None
        mapping = _map_key(key, provider, gazetteer, explicit)
        model_id = redirects.get(mapping.model_id, mapping.model_id) if mapping else None
        if model_id not in known:
            model_id = None
        if model_id:
            ranks.setdefault((model_id, seller), []).append((mapping.rank, key))
        for kind, value in sorted(prices.items()):
            rows.append({"key": key, "provider": provider, "seller_id": seller if seller in known else None,
                         "model_id": model_id, "kind": kind, "usd_per_million_tokens": value, "is_primary": 0})
    primary = {min(candidates)[1] for candidates in ranks.values()}
    for row in rows:
        row["is_primary"] = int(row["key"] in primary and row["model_id"] is not None)

    with db.conn:
        existing = next(db["reference_snapshots"].rows_where("sha256 = ? and as_of = ?", [digest, as_of_text], limit=1), None)
        meta = data.get("_snapshot") if isinstance(data.get("_snapshot"), dict) else {}
        record = {"name": LITELLM_NAME, "file": f"{path.name} ({meta['source']})" if meta.get("source") else str(path), "sha256": digest, "licence": LITELLM_LICENCE,
                  "as_of": as_of_text, "imported_at": utc_now(), "entries": entries}
        if existing:
            snapshot_id = existing["id"]
            db["reference_snapshots"].update(snapshot_id, record)
            db.execute("delete from reference_prices where snapshot_id = ?", [snapshot_id])
        else:
            snapshot_id = db["reference_snapshots"].insert(record).last_pk
        for row in rows:
            row["snapshot_id"] = snapshot_id
        db["reference_prices"].insert_all(rows, batch_size=2000)
    mapped = {row["model_id"] for row in rows if row["model_id"]}
    return {"snapshot_id": snapshot_id, "entries": entries, "prices": len(rows), "models": len(mapped),
            "replaced": bool(existing), "as_of": as_of_text}


@dataclass(frozen=True)
class ReferenceBook:
    """The latest snapshot's prices, by (model, seller): what comparisons read."""

    snapshot_id: int | None
    name: str | None
    as_of: date | None
    prices: dict[tuple[str, str | None], dict[str, float]]
    keys: dict[tuple[str, str | None], str]

    def lookup(self, model_id: str | None, seller_id: str | None) -> tuple[str, dict[str, float]] | None:
        """(key, kind → USD per 1M tokens) of the model's primary key for that seller, if listed."""
        found = self.prices.get((model_id, seller_id)) if model_id else None
        return (self.keys[(model_id, seller_id)], found) if found else None


def load_book(db: sqlite_utils.Database) -> ReferenceBook:
    snapshot = next(db.query("select * from reference_snapshots order by as_of desc, id desc limit 1"), None)
    if snapshot is None:
        return ReferenceBook(None, None, None, {}, {})
    redirects = entity_redirects(db)
    prices: dict[tuple[str, str | None], dict[str, float]] = {}
    keys: dict[tuple[str, str | None], str] = {}
    for row in db.query("select * from reference_prices where snapshot_id = ? and is_primary = 1", [snapshot["id"]]):
        model_id = redirects.get(row["model_id"], row["model_id"])
        prices.setdefault((model_id, row["seller_id"]), {})[row["kind"]] = row["usd_per_million_tokens"]
        keys[(model_id, row["seller_id"])] = row["key"]
    return ReferenceBook(snapshot["id"], snapshot["name"], date.fromisoformat(snapshot["as_of"]), prices, keys)
