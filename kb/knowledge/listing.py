"""Events and conflicts as plain data, for ``kb events`` and ``kb conflicts`` (text or JSON)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlite_utils

from kb.knowledge.clusters import REPORT_LAG_DAYS, instant, resolve_event

__all__ = ["list_events", "list_conflicts", "price_history_of"]


def list_events(db: sqlite_utils.Database, *, event_id: str | None = None, min_reports: int = 1,
                event_type: str | None = None) -> list[dict[str, Any]]:
    """Active events, newest first, each with its reports (first report first)."""
    where, params = ["c.status = 'active'", "c.reports >= ?"], [min_reports]
    if event_id:
        resolved = resolve_event(db, event_id)
        if resolved is None:
            return []
        where, params = ["c.id = ?"], [resolved]
    if event_type:
        where.append("c.type = ?")
        params.append(event_type)
    clusters = list(db.query(
        f"select c.* from event_clusters c where {' and '.join(where)} order by c.date desc, c.reports desc, c.id", params))
    reports: dict[str, list[dict]] = {}
    if clusters:
        ids = [c["id"] for c in clusters]
        for row in db.query(
            f"""select r.cluster_id, r.is_first, r.date, r.article_id, r.source_id, s.name as outlet, r.language,
                       a.published, a.title, a.url
                from event_reports r join articles a on a.id = r.article_id left join sources s on s.id = r.source_id
                where r.cluster_id in ({','.join('?' * len(ids))})
                order by r.is_first desc, a.published, r.article_id""", ids):
            cluster_id = row.pop("cluster_id")
            row["first"] = bool(row.pop("is_first"))
            reports.setdefault(cluster_id, []).append(row)
    result = []
    for cluster in clusters:
        found = sorted(reports.get(cluster["id"], []), key=lambda r: (not r["first"], instant(r["published"]), r["article_id"],
                                                                      r["date"] is None))
        # each article once per event, however many of its sentences report it (its dated sentence first)
        seen: set[int] = set()
        found = [r for r in found if not (r["article_id"] in seen or seen.add(r["article_id"]))]
        for report in found:
            # an undated mention weeks after the event recalls it rather than reports it (GDELT counts both)
            report["later_mention"] = bool(
                cluster["date"] and not report["date"] and report["published"]
                and (instant(report["published"]).date() - date.fromisoformat(cluster["date"])).days > REPORT_LAG_DAYS)
        result.append({
            "id": cluster["id"], "type": cluster["type"], "subject": cluster["subject"], "date": cluster["date"],
            "date_basis": cluster["date_basis"], "company_id": cluster["company_id"], "model_id": cluster["model_id"],
            "person_id": cluster["person_id"], "reports": cluster["reports"], "outlets": cluster["outlets"],
            "languages": json.loads(cluster["languages"] or "{}"),
            "redirected_from": event_id if event_id and event_id != cluster["id"] else None,
            "articles": found,
        })
    return result


def list_conflicts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every flagged claim with what it disagrees with and the likely explanation."""
    return list(db.query(
        """select f.id, f.claim_id, e.name as subject, f.subject_id, f.predicate, f.claimed, f.against, f.expected,
                  f.explanation, f.detail, c.effective_date, c.status, c.evidence, c.start, c.[end],
                  f.article_id, a.title, a.url, s.name as outlet, a.published_date,
                  f.against_article_id, oa.url as against_url, f.against_snapshot_id, r.name as reference, r.as_of as reference_as_of
           from conflicts f join claims c on c.id = f.claim_id join articles a on a.id = f.article_id
           left join sources s on s.id = a.source_id left join entities e on e.id = f.subject_id
           left join articles oa on oa.id = f.against_article_id left join reference_snapshots r on r.id = f.against_snapshot_id
           order by f.against, e.name, f.predicate, a.published_date, f.id"""))


def price_history_of(db: sqlite_utils.Database, model_id: str) -> list[dict[str, Any]]:
    """The intervals of one model's prices, per kind and seller, oldest first."""
    return list(db.query(
        "select * from price_history where model_id = ? order by kind, seller_id, currency, coalesce(valid_from, ''), id",
        [model_id]))
