"""The demo's reference price list: a small, dated slice of LiteLLM's model cost map (MIT).

``kb/data/reference/litellm-snapshot.json`` keeps, byte for byte in value, the
LiteLLM entries that map to a model of our gazetteer, plus a ``_snapshot`` entry
saying where and when they were taken (it has no price field, so importers skip
it). The demo crawl loads it before the knowledge refresh, so *Prices that
disagree* shows conflicts with the list out of the box; users import the full,
current list themselves (``kb reference import URL``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

__all__ = ["SNAPSHOT", "UPSTREAM_URL", "build_snapshot", "load_demo_reference", "snapshot_meta"]

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "reference" / "litellm-snapshot.json"
UPSTREAM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
_KEEP = ("litellm_provider", "mode")


def snapshot_meta(path: Path = SNAPSHOT) -> dict[str, Any]:
    """The ``_snapshot`` entry: source, licence, as_of."""
    return json.loads(path.read_text(encoding="utf-8")).get("_snapshot") or {}


def build_snapshot(full: Path, gazetteer: Any, meta: dict[str, Any]) -> dict[str, Any]:
    """The entries of a full LiteLLM list that map to one of our models, with their price fields only."""
    from kb.knowledge.reference import _map_key, price_fields

    explicit = {}
    for model in gazetteer.of_type("model"):
        keys = model.extra.get("litellm_keys") or []
        for position, key in enumerate([keys] if isinstance(keys, str) else keys):
            explicit.setdefault(str(key), (model.id, position))
    data = json.loads(full.read_text(encoding="utf-8"))
    kept: dict[str, Any] = {"_snapshot": meta}
    for key, entry in sorted(data.items()):
        if not isinstance(entry, dict) or key == "sample_spec" or not price_fields(entry):
            continue
        if _map_key(key, entry.get("litellm_provider"), gazetteer, explicit) is None:
            continue
        kept[key] = {name: value for name, value in entry.items() if name in _KEEP or name in _price_names(entry)}
    return kept


def _price_names(entry: dict[str, Any]) -> set[str]:
    from kb.knowledge.reference import _PRICE_FIELD

    return {name for name in entry if _PRICE_FIELD.match(name)}


def load_demo_reference(db: sqlite_utils.Database, path: Path = SNAPSHOT) -> dict[str, Any] | None:
    """Import the bundled snapshot once (a KB that has any snapshot keeps it); None if nothing was done."""
    from kb.knowledge.reference import import_reference
    from kb.pipeline import prepare

    if "reference_snapshots" in db.table_names() and db["reference_snapshots"].count:
        return None
    as_of = snapshot_meta(path).get("as_of")
    return import_reference(db, path, prepare(db), as_of=date.fromisoformat(as_of) if as_of else None)


if __name__ == "__main__":  # python -m kb.demo.reference FULL_LIST AS_OF: rebuild the bundled slice
    import sys

    from kb.extract.gazetteer import load_gazetteer

    full_path, as_of_text = Path(sys.argv[1]), sys.argv[2]
    snapshot = build_snapshot(full_path, load_gazetteer(), {
        "name": "LiteLLM model cost map (slice for the ai-news-kb demo)",
        "source": "https://github.com/BerriAI/litellm, model_prices_and_context_window.json "
                  "(as shipped in the litellm 1.110.2 package, litellm/model_prices_and_context_window_backup.json)",
        "upstream_url": UPSTREAM_URL,
        "licence": "MIT, Copyright (c) 2023 Berri AI",
        "as_of": as_of_text,
        "note": "Only the entries that map to a model of the ai-news-kb gazetteer; values unchanged.",
    })
    SNAPSHOT.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(snapshot) - 1} entries written to {SNAPSHOT}")
