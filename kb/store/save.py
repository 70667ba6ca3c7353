"""Write articles and their facts, idempotently.

An article is keyed by its URL. Saving the same text again changes nothing;
saving new text makes a new revision. Facts are replaced per article, so that
re-extraction never duplicates them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from kb.extract.gazetteer import Gazetteer
from kb.parse import Article, checked_datetime
from kb.store.pending import mark_changing, mark_new
from kb.urls import check_article_url

__all__ = ["save_article", "save_facts", "sync_gazetteer", "save_source", "content_hash", "utc_now"]

FACT_TABLES = ("mentions", "person_roles", "prices", "events")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def save_source(db: sqlite_utils.Database, source_id: str, *, name: str | None = None, language: str | None = None,
                homepage: str | None = None, kind: str | None = None) -> None:
    db["sources"].upsert(
        {"id": source_id, "name": name or source_id, "language": language, "homepage": homepage, "kind": kind}, pk="id"
    )


def sync_gazetteer(db: sqlite_utils.Database, gazetteer: Gazetteer) -> None:
    """Make the entities and aliases tables match the gazetteer (candidates are kept)."""
    entities, aliases = [], []
    for entity in gazetteer.entities.values():
        entities.append(
            {
                "id": entity.id, "type": entity.type, "name": entity.name, "kind": entity.kind,
                "developer_id": entity.developer if entity.developer in gazetteer.entities else None,
                "organization_id": entity.organization if entity.organization in gazetteer.entities else None,
                "role": entity.role, "family": entity.family, "country": entity.country,
                "released": entity.released,
                "open_weights": None if entity.open_weights is None else int(bool(entity.open_weights)),
                "status": "gazetteer",
            }
        )
        for language, alias in entity.all_aliases():
            aliases.append({"entity_id": entity.id, "alias": alias, "language": language})
    from kb.store import write_transaction

    with write_transaction(db):
        # insert first without foreign keys between entities, so order does not matter
        db.execute("pragma defer_foreign_keys = on")
        db["entities"].upsert_all(entities, pk="id")
        db["aliases"].upsert_all(aliases, pk=("entity_id", "alias"))


def save_article(
    db: sqlite_utils.Database,
    article: Article,
    *,
    html: bytes | None = None,
    encoding: str | None = None,
    http_status: int | None = None,
    source_id: str | None = None,
) -> tuple[int, str]:
    """Insert or update one article; returns its id and "new", "revised", "unchanged" or "duplicate".

    A changed text keeps the previous one in ``article_revisions``; a text
    already stored under another URL is not stored again."""
    if not article.url:
        raise ValueError("an article needs a URL to be stored (use --url for local files)")
    check_article_url(article.url)
    # a date nothing can read would break every later refresh and re-extraction: keep none instead
    article.published = checked_datetime(article.published)
    now = utc_now()
    digest = content_hash(article.text)
    existing = next(db["articles"].rows_where("url = ?", [article.url], limit=1), None)
    record = {
        "url": article.url, "source_id": source_id, "title": article.title, "author": article.author,
        "published": article.published, "published_date": (article.published or "")[:10] or None,
        "language": article.language, "text": article.text, "content_hash": digest, "last_fetched": now,
    }
    if existing and existing["content_hash"] == digest:
        db["articles"].update(existing["id"], {"last_fetched": now})
        return existing["id"], "unchanged"
    if not existing:
        twin = next(db["articles"].rows_where("content_hash = ?", [digest], limit=1), None)
        if twin:
            return twin["id"], "duplicate"  # the same text under another URL (a mirror, a syndicated copy)
    if existing:
        db["article_revisions"].insert(
            {"article_id": existing["id"], "revision": existing["revision"] or 1, "title": existing["title"],
             "text": existing["text"], "content_hash": existing["content_hash"], "replaced_at": now}
        )
        record["revision"] = (existing["revision"] or 1) + 1
        mark_changing(db, existing["id"])
        db["articles"].update(existing["id"], record)
        article_id, status = existing["id"], "revised"
    else:
        record.update(revision=1, first_seen=now)
        article_id = db["articles"].insert(record).last_pk
        mark_new(db, article_id)
        status = "new"
    if html is not None:
        db["article_html"].upsert(
            {"article_id": article_id, "html_gz": gzip.compress(html), "encoding": encoding,
             "http_status": http_status, "fetched_at": now},
            pk="article_id",
        )
    return article_id, status


_EVENT_KEYS = {"type", "date", "company", "model", "person", "company_id", "model_id", "person_id", "evidence", "reported"}


def _details(event: dict[str, Any]) -> str | None:
    extra = {k: v for k, v in event.items() if k not in _EVENT_KEYS}
    return json.dumps(extra, ensure_ascii=False) if extra else None


def _save_candidates(db: sqlite_utils.Database, extraction: dict[str, Any]) -> None:
    """New names found in the article become entities with status 'candidate' (curated rows are never touched)."""
    rows = []
    for key, entity_type in (("companies", "company"), ("models", "model"), ("products", "model"), ("people", "person")):
        for entity in extraction.get(key, []):
            if entity.get("candidate"):
                rows.append({
                    "id": entity["id"], "type": entity_type, "name": entity["name"],
                    "kind": "product" if key == "products" else "candidate", "status": "candidate",
                    "developer_id": entity.get("developer_id"), "organization_id": entity.get("organization_id"),
                    "role": entity.get("role") if entity_type == "person" else None,
                })
    existing = {row[0] for row in db.execute(
        f"select id from entities where id in ({','.join('?' * len(rows))})", [r["id"] for r in rows])} if rows else set()
    fresh = [r for r in rows if r["id"] not in existing]
    if fresh:
        db.execute("pragma defer_foreign_keys = on")
        db["entities"].insert_all(fresh, pk="id")
        db["aliases"].insert_all(
            [{"entity_id": r["id"], "alias": r["name"], "language": None} for r in fresh], pk=("entity_id", "alias"), ignore=True)


def save_facts(db: sqlite_utils.Database, article_id: int, extraction: dict[str, Any], gazetteer: Gazetteer,
               *, extractor_version: str) -> dict[str, int]:
    """Replace the facts of one article with those of ``extraction``; returns counts per table."""
    published_date = (extraction["article"].get("published") or "")[:10] or None
    _save_candidates(db, extraction)
    mark_changing(db, article_id)
    for table in FACT_TABLES:
        db.execute(f"delete from [{table}] where article_id = ?", [article_id])
    mentions = [
        {"article_id": article_id, "entity_id": entity["id"], "text": m["text"], "start": m["start"], "end": m["end"]}
        for key in ("companies", "models", "products", "people")
        for entity in extraction.get(key, [])
        for m in entity["mentions"]
    ]
    roles = [
        {"article_id": article_id, "person_id": p["id"], "role": p["role"], "organization_id": p.get("organization_id")}
        for p in extraction["people"] if p.get("role_source") == "article"
    ]
    prices = [
        {
            "article_id": article_id, "model_id": p["model_id"], "kind": p["kind"],
            "amount": p["amount"], "currency": p["currency"], "per_tokens": p["per_tokens"], "period": p["period"],
            "usd_per_million_tokens": p["usd_per_million_tokens"], "change": p.get("change"),
            "amount_max": p.get("amount_max"), "unit": p.get("unit"), "reported": int(bool(p.get("reported"))),
            "published_date": published_date, "evidence": p["evidence"]["text"],
            "start": p["evidence"]["start"], "end": p["evidence"]["end"],
        }
        for p in extraction["prices"]
    ]
    events = [
        {
            "article_id": article_id, "type": e["type"], "date": e["date"],
            "company_id": e["company_id"], "model_id": e["model_id"], "person_id": e["person_id"],
            "details": _details(e), "reported": int(bool(e.get("reported"))),
            "evidence": e["evidence"]["text"], "start": e["evidence"]["start"], "end": e["evidence"]["end"],
        }
        for e in extraction["events"]
    ]
    for table, rows in (("mentions", mentions), ("person_roles", roles), ("prices", prices), ("events", events)):
        if rows:
            db[table].insert_all(rows)
    db["articles"].update(article_id, {"extracted_at": utc_now(), "extractor_version": extractor_version})
    return {"mentions": len(mentions), "prices": len(prices), "events": len(events), "people_roles": len(roles)}
