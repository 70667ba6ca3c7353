"""One event, many reports: event claims from different outlets and languages grouped.

Reports belong together when they have the same type, the same subject (the
model for releases and price changes, the person for executive changes and
statements, the parties for deals and lawsuits) and dates within a window. The
first report is marked and reports are counted per language, as GDELT and
Event Registry do.

Cluster ids are stable: a recomputation keeps the id a cluster had before, and
when two clusters become one (a report that bridges them, an entity merge) the
id that goes away is redirected, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from bisect import bisect_left, bisect_right, insort
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

import sqlite_utils

from kb.knowledge.bulk import insert_rows, upsert_rows
from kb.knowledge.merge import entity_redirects
from kb.knowledge.scope import Lookup, id_set
from kb.store.save import utc_now

__all__ = ["Report", "Cluster", "cluster_reports", "instant", "refresh_clusters", "ClusterScope", "resolve_event", "WINDOW_DAYS", "REPORT_LAG_DAYS"]

# Stated dates of one event differ by time zone and by "on Monday" vs "overnight": a few days.
WINDOW_DAYS = 3
# An undated report may come out some days after the event it describes.
REPORT_LAG_DAYS = 7

_MODEL_SUBJECT = {"model_release", "open_source", "price_change"}
_PERSON_SUBJECT = {"executive_change", "statement"}
_PARTIES = {"funding", "acquisition", "partnership", "lawsuit"}
_ONCE = {"model_release", "open_source"}


@dataclass(frozen=True, slots=True)
class Report:
    """One event claim of one article, with what clustering needs to know of it."""

    event_id: int
    article_id: int
    type: str
    date: date | None  # the date the article states, if any
    company_id: str | None
    model_id: str | None
    person_id: str | None
    published: str | None
    source_id: str | None = None
    language: str | None = None
    parties: tuple[str, ...] = ()
    nth: int = 0  # among reports of one article with the same type and entities, by date

    @property
    def key(self) -> tuple:
        """What identifies this report across recomputations (fact row ids change on re-extraction)."""
        return (self.article_id, self.type, self.company_id, self.model_id, self.person_id, self.nth)

    @property
    def subject(self) -> tuple:
        if self.type in _MODEL_SUBJECT and self.model_id:
            return ("model", self.model_id)
        if self.type in _PERSON_SUBJECT and self.person_id:
            return ("person", self.person_id)
        if self.type in _PARTIES and len(self.parties) > 1:
            return ("parties", *self.parties)
        return ("company", self.company_id, self.model_id)

    @property
    def instant(self) -> datetime:
        return instant(self.published)

    @property
    def day(self) -> date | None:
        """The stated date, else the publication date."""
        return self.date or (self.instant.date() if self.published else None)


@dataclass
class Cluster:
    anchor: date | None
    reports: list[Report] = field(default_factory=list)

    @property
    def first(self) -> Report:
        return min(self.reports, key=lambda r: (r.instant, r.article_id))

    @property
    def date(self) -> tuple[date | None, str]:
        """The date most reports state (earliest on a tie), else the first publication date."""
        stated = Counter(r.date for r in self.reports if r.date)
        if stated:
            best = max(stated.values())
            return min(d for d, n in stated.items() if n == best), "stated"
        return self.first.day, "published"


def instant(published: str | None) -> datetime:
    """A publication time as an aware UTC-comparable datetime (a bare date is midnight UTC; none sorts last)."""
    if not published:
        return datetime.max.replace(tzinfo=timezone.utc)
    try:
        value = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        value = datetime.fromisoformat(published[:10])
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def cluster_reports(reports: Iterable[Report], *, window: int = WINDOW_DAYS, lag: int = REPORT_LAG_DAYS) -> list[Cluster]:
    """Group reports of the same event. Pure: no database.

    Dated reports join the cluster whose anchor (its first dated report) is
    within ``window`` days; a report never extends the reach of a cluster, so
    a chain of weekly reports does not become one event. An undated report
    joins a cluster whose anchor is at most ``lag`` days before its
    publication (any earlier one, for the release of a model: that happens
    once), else starts its own.
    """
    groups: dict[tuple, list[Report]] = {}
    for report in reports:
        groups.setdefault((report.type, report.subject), []).append(report)
    clusters: list[Cluster] = []
    for members in groups.values():
        own = _Anchored()
        dated = sorted((r for r in members if r.date), key=lambda r: (r.date, r.instant, r.event_id))
        undated = sorted((r for r in members if not r.date), key=lambda r: (r.instant, r.event_id))
        for report in dated:
            own.join(own.within(report.date - timedelta(days=window), report.date + timedelta(days=window)),
                     report, report.date)
        for report in undated:
            day = report.day
            if not day:
                own.join([], report, day)
            elif report.type in _ONCE and report.model_id:
                # a model is released once: a later undated mention of its release is about that release
                own.join(own.latest(day + timedelta(days=1)), report, day)
            else:
                own.join(own.within(day - timedelta(days=lag), day + timedelta(days=1)), report, day)
        clusters.extend(own.clusters)
    return clusters


class _Anchored:
    """The clusters of one group, in the order they were started, with their anchors sorted for lookup:
    a group can hold thousands of reports (a model's releases over years)."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self.anchors: list[tuple[date, int]] = []  # (anchor, index in clusters), sorted

    def within(self, first: date, last: date) -> list[int]:
        """Clusters anchored between ``first`` and ``last``, in the order they were started."""
        start = bisect_left(self.anchors, (first, -1))
        found = []
        for anchor, index in self.anchors[start:]:
            if anchor > last:
                break
            found.append(index)
        return sorted(found)

    def latest(self, last: date) -> list[int]:
        """The cluster with the latest anchor not after ``last`` (the first started, on a tie)."""
        end = bisect_right(self.anchors, (last, len(self.clusters)))
        if not end:
            return []
        anchor = self.anchors[end - 1][0]
        start = bisect_left(self.anchors, (anchor, -1))
        return [min(index for _, index in self.anchors[start:end])]

    def join(self, near: list[int], report: Report, day: date | None) -> None:
        if near:
            best = min(near, key=lambda i: abs((day - self.clusters[i].anchor).days))  # the first started, on a tie
            self.clusters[best].reports.append(report)
            return
        self.clusters.append(Cluster(anchor=day, reports=[report]))
        if day:
            insort(self.anchors, (day, len(self.clusters) - 1))


# ---------------------------------------------------------------- the database side

_REPORT_SELECT = """select e.id, e.article_id, e.type, e.date, e.company_id, e.model_id, e.person_id, e.details,
                  a.source_id, a.language, a.published, a.published_date
           from events e join articles a indexed by idx_articles_refresh on a.id = e.article_id"""


def _report_rows(db: sqlite_utils.Database, where: str = "", params: Iterable = ()) -> list[Report]:
    """Reports of the events ``where`` selects, not yet numbered."""
    reports = []
    # plain tuples: a group can hold thousands of reports
    for (event_id, article_id, type_, day, company_id, model_id, person_id, details, source_id, language, published,
         published_date) in db.execute(_REPORT_SELECT + (f" where {where}" if where else ""), list(params)):
        reports.append(Report(
            event_id=event_id, article_id=article_id, type=type_, date=date.fromisoformat(day) if day else None,
            company_id=company_id, model_id=model_id, person_id=person_id, published=published or published_date,
            source_id=source_id, language=language, parties=_parties(company_id, details),
        ))
    return reports


def _parties(company_id: str | None, details: str | None) -> tuple[str, ...]:
    """The sides of a deal or lawsuit: its participants and the company, when more than one."""
    participants = (json.loads(details).get("participants") or []) if details else []
    parties = tuple(sorted(set(participants) | ({company_id} if company_id else set())))
    return parties if len(parties) > 1 else ()


def _number(reports: list[Report]) -> list[Report]:
    return _numbered(reports, key=lambda r: r.key[:5], order=lambda r: (r.date or date.min, r.event_id),
                     renumber=lambda r, n: replace(r, nth=n))


def load_reports(db: sqlite_utils.Database, where: str = "", params: Iterable = ()) -> list[Report]:
    """Every report of the articles ``where`` selects (all when empty), numbered within its article."""
    return _number(_report_rows(db, where, params))


def _numbered(items: list, *, key: Callable, order: Callable, renumber: Callable) -> list:
    """Tell apart items that share a key (one article, one event type and entities, two dates) by rank."""
    groups: dict[tuple, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    result = []
    for group in groups.values():
        result.extend(renumber(item, n) for n, item in enumerate(sorted(group, key=order)))
    return result


def _group(report: Report) -> tuple:
    """What clustering compares a report with: the reports of the same type and subject, and no others."""
    return (report.type, report.subject)


def group_key(report: Report) -> str:
    """A report's group as one value ``event_reports`` is indexed by (with the day): the window of a group."""
    event_type, subject = _group(report)
    return json.dumps([event_type, *subject], ensure_ascii=False)


def fill_group_keys(db: sqlite_utils.Database) -> None:
    """Name the group of every stored report (migration 014). A report whose article changed since the last
    refresh may have lost its event row: then the next refresh is a full one."""
    rows = db.execute("select r.event_id, r.type, r.company_id, r.model_id, r.person_id, e.details "
                      "from event_reports r left join events e on e.id = r.event_id").fetchall()
    keys = []
    for event_id, type_, company_id, model_id, person_id, details in rows:
        probe = Report(event_id=event_id, article_id=0, type=type_, date=None, company_id=company_id, model_id=model_id,
                       person_id=person_id, published=None, parties=_parties(company_id, details))
        keys.append((group_key(probe), event_id))
    db.conn.executemany("update event_reports set group_key = ? where event_id = ?", keys)
    if "refresh_pending" in db.table_names() and db.execute("select 1 from refresh_pending limit 1").fetchone():
        db.execute("delete from knowledge_state where key = 'inputs'")


@dataclass
class ClusterScope:
    """What one refresh of the clusters rewrote: the claims of these events and clusters follow."""

    cluster_ids: set[str] = field(default_factory=set)  # old and new ids of the clusters recomputed
    event_ids: set[int] = field(default_factory=set)  # the events now in them
    full: bool = True


def refresh_clusters(db: sqlite_utils.Database, articles: list[int] | None = None) -> tuple[dict[str, int], ClusterScope]:
    """Recompute the clusters, keeping ids stable; returns counts and what was recomputed.

    With ``articles`` (changed since the last refresh) only the groups of reports (type and subject) that
    their reports are in now or were in before are recomputed: clustering never looks across groups, so
    every other cluster would come out as it is.
    """
    if articles is None:
        reports = load_reports(db)
        # what the full refresh needs of the stored reports and clusters, read as tuples, not every row as a dict
        previous = _previous_membership(db, db.query(
            "select article_id, type, company_id, model_id, person_id, date, event_id, cluster_id from event_reports"))
        existing = {row["id"]: row for row in db.query("select id, status, created_at from event_clusters")}
        scope = ClusterScope(full=True)
        exists = existing.__contains__
    else:
        reports, previous, existing, stored = _changed_groups(db, articles)
        scope = ClusterScope(full=False)
        exists = lambda cid: cid in existing or db.execute(  # noqa: E731
            "select 1 from event_clusters where id = ?", [cid]).fetchone() is not None
    clusters = cluster_reports(reports)
    ids = _assign_ids(clusters, previous, existing, exists)
    now = utc_now()
    names = Lookup(db, "select id, name from entities", value="name", preload=articles is None)
    kept = set(ids)
    # the full refresh writes the rows as they are made (a chunk at a time); an incremental one compares them first
    rows: Iterable[dict] = _cluster_rows(clusters, ids, existing, names, now)
    report_rows: Iterable[dict] = _event_report_rows(clusters, ids)
    if articles is None:
        db.execute("delete from event_reports")
    else:
        # only the clusters that came out different are written, and only their events' claims redone; they are
        # compared one at a time (a step of a crawl touches most groups of its KB: rows of every report would be
        # most of the refresh's peak)
        changed = _changed_clusters(clusters, ids, rows, existing, stored)
        kept_clusters = [(cluster, cid) for cluster, cid in zip(clusters, ids) if cid in changed]
        rows = _cluster_rows([c for c, _ in kept_clusters], [cid for _, cid in kept_clusters], existing, names, now)
        report_rows = _event_report_rows([c for c, _ in kept_clusters], [cid for _, cid in kept_clusters])
        db.execute(f"delete from event_reports where cluster_id in {id_set(db, 'kb_old_clusters', changed)}")
        own = set(articles)
        scope.cluster_ids = changed
        scope.event_ids = {r.event_id for c, _ in kept_clusters for r in c.reports} | \
            {r.event_id for r in reports if r.article_id in own}
    events = upsert_rows(db, "event_clusters", rows, "id")
    redirects = 0
    went = _where_reports_went(previous, clusters, ids)
    for old_id, row in existing.items():
        if old_id in kept or row["status"] == "merged" or (not scope.full and old_id not in scope.cluster_ids):
            continue
        target = went.get(old_id)
        if target:
            db["event_redirects"].upsert(
                {"old_id": old_id, "new_id": target, "reason": "merged: its reports now belong to this event",
                 "redirected_at": now}, pk="old_id")
            db["event_clusters"].update(old_id, {"status": "merged", "reports": 0, "outlets": 0, "updated_at": now})
            redirects += 1
        elif row["status"] != "empty":
            # its articles no longer report it (re-extraction); the id stays, empty
            db["event_clusters"].update(old_id, {"status": "empty", "reports": 0, "outlets": 0, "updated_at": now})
    written = insert_rows(db, "event_reports", report_rows)
    return {"events": events, "reports": written, "redirects": redirects}, scope


def _cluster_rows(clusters: list[Cluster], ids: list[str], existing: dict[str, dict], names: Lookup,
                  now: str) -> Iterator[dict]:
    """Rows of ``event_clusters``, one per cluster."""
    for cluster, cluster_id in zip(clusters, ids):
        first = cluster.first
        day, basis = cluster.date
        # per article: one article that states the event in two sentences is one report
        languages = Counter(language or "unknown" for _, language in {(r.article_id, r.language) for r in cluster.reports})
        lead = max(cluster.reports, key=lambda r: (bool(r.model_id), bool(r.company_id), -r.event_id))
        yield {
            "id": cluster_id, "type": first.type, "company_id": lead.company_id, "model_id": lead.model_id,
            "person_id": lead.person_id, "subject": _subject_label(lead, names),
            "date": day.isoformat() if day else None, "date_basis": basis,
            "first_article_id": first.article_id, "first_source_id": first.source_id, "first_published": first.published,
            "reports": len({r.article_id for r in cluster.reports}), "outlets": len({r.source_id for r in cluster.reports}),
            "languages": json.dumps(dict(sorted(languages.items())), ensure_ascii=False),
            "status": "active", "created_at": existing.get(cluster_id, {}).get("created_at") or now, "updated_at": now,
        }


def _event_report_rows(clusters: list[Cluster], ids: list[str]) -> Iterator[dict]:
    """Rows of ``event_reports``, one per report."""
    for cluster, cluster_id in zip(clusters, ids):
        first = cluster.first
        for report in cluster.reports:
            yield {
                "event_id": report.event_id, "cluster_id": cluster_id, "article_id": report.article_id,
                "source_id": report.source_id, "language": report.language, "published": report.published,
                "date": report.date.isoformat() if report.date else None, "is_first": int(report is first),
                "type": report.type, "company_id": report.company_id, "model_id": report.model_id,
                "person_id": report.person_id, "group_key": group_key(report),
            }


def _changed_groups(db: sqlite_utils.Database, articles: list[int]) -> tuple[list[Report], dict[tuple, str], dict[str, dict]]:
    """The reports of the window of every group the changed articles are or were in, their previous clusters,
    and those clusters.

    A group's reports are those of its window of days around the changes (:func:`_window`), not all of them:
    outside it the clustering is what it was. Reports are numbered with every other report of their article,
    as a full recomputation numbers them.
    """
    changed = id_set(db, "kb_changed", articles)
    own = set(articles)
    now = load_reports(db, f"e.article_id in {changed}")
    was = list(db.query(f"select * from event_reports where article_id in {changed}"))
    days: dict[str, set] = {}  # group → the days at which its reports changed
    for report in now:
        days.setdefault(group_key(report), set()).add(report.day)
    for row in was:
        days.setdefault(row["group_key"], set()).add(_row_day(row))
    reports: list[Report] = []
    old = {row["cluster_id"] for row in was}
    for key, changed_days in days.items():
        window, replaced = _window(db, key, changed_days, [r for r in now if group_key(r) == key], own)
        reports += window
        old |= replaced
    old_clusters = id_set(db, "kb_old_clusters", old)
    stored: dict[str, int] = {}  # old cluster → the digest of its report rows

    def read() -> Iterator[dict]:
        for values in db.execute(f"select {', '.join(_REPORT_COLUMNS)} from event_reports where article_id in "
                                 f"(select article_id from event_reports where cluster_id in {old_clusters})"):
            row = dict(zip(_REPORT_COLUMNS, values))
            if row["cluster_id"] in old:
                stored[row["cluster_id"]] = (stored.get(row["cluster_id"], 0) + _digest([values])) % (1 << 256)
            yield row

    previous = {key: cid for key, cid in _previous_membership(db, read()).items() if cid in old}
    existing = {row["id"]: row for row in db.query(f"select * from event_clusters where id in {old_clusters}")}
    return reports, previous, existing, stored


# ---------------------------------------------------------------- the window of a group
#
# Within a group, :func:`cluster_reports` is a sweep over days. Dated reports, by date: each joins the cluster
# of the latest anchor if it is at most WINDOW_DAYS before, else anchors a new one, so the dated anchors are a
# chain that only depends on its last link. Undated reports, by publication: each joins the nearest anchor from
# REPORT_LAG_DAYS before to a day after (the latest one up to a day after, for a release), else anchors a
# cluster of its own.
#
# So a dated anchor ``t`` cuts the group: a report of day ``t`` or later never joins a cluster anchored before
# (``t`` is nearer), and of the reports before ``t`` only undated ones of the day before can join ``t``'s
# (its "joiners"). The sweep restarted at ``t``, with those joiners, gives the clusters of the whole sweep
# from ``t`` on. A group is re-clustered from the last anchor before its first change to the first anchor
# after its last change that the new clustering and the old one (stored in ``event_reports``) share with the
# same joiners: there the two sweeps meet again, and the clusters of every report outside stay as they are.

_DAY = timedelta(days=1)
_FIRST_SPAN = WINDOW_DAYS + 2  # days around the changes read first; doubled until the window's edges are found
# A cluster's reports are of the day before its anchor to REPORT_LAG_DAYS after: stored reports are read this much
# beyond a range, so that every cluster anchored in it is read whole, and none anchored outside looks anchored in it.
_REACH = timedelta(days=REPORT_LAG_DAYS + 1)


def _row_day(row: dict) -> date | None:
    """The day of a stored report, as :attr:`Report.day`."""
    if row["date"]:
        return date.fromisoformat(row["date"])
    return instant(row["published"]).date() if row["published"] else None


def _stored(db: sqlite_utils.Database, key: str, first: date | None, last: date | None) -> list[dict]:
    """Stored reports of group ``key`` of a day from ``first`` to ``last`` (open when None), by the index."""
    found = list(db.query("select * from event_reports where group_key = ? and date >= ? and date <= ?",
                          [key, first.isoformat() if first else "", last.isoformat() if last else "9999"]))
    # undated: the day of a publication time in another time zone can be the day before or after its text
    undated = db.query("select * from event_reports where group_key = ? and date is null and published >= ? "
                       "and published < ?", [key, (first - _DAY).isoformat() if first else "",
                                             (last + 2 * _DAY).isoformat() if last else "a"])
    found += [row for row in undated if (first is None or _row_day(row) >= first) and (last is None or _row_day(row) <= last)]
    return found


class _Held:
    """The stored reports of one group read so far, a contiguous range of days: the edges of a window are found by
    widening a range of days (fourfold, then twofold), and each try read its whole range again (the rows of a
    popular group's months, several times per window). Only the days not yet read are read; the rows of a range
    are those :func:`_stored` gives, in its order."""

    def __init__(self, db: sqlite_utils.Database, key: str) -> None:
        self.db, self.key = db, key
        self.span: tuple[date | None, date | None] | None = None  # None: nothing read; a None end: open
        self.rows: list[dict] = []

    def __call__(self, first: date | None, last: date | None) -> list[dict]:
        if self.span is None or not _touch(self.span, (first, last)):
            self.rows, self.span = _stored(self.db, self.key, first, last), (first, last)
            return list(self.rows)
        low, high = self.span
        if low is not None and (first is None or first < low):
            self.rows += _stored(self.db, self.key, first, low - _DAY)
            low = first
        if high is not None and (last is None or last > high):
            self.rows += _stored(self.db, self.key, high + _DAY, last)
            high = last
        self.span = (low, high)
        found = [row for row in self.rows if _row_day(row) is not None and (first is None or _row_day(row) >= first)
                 and (last is None or _row_day(row) <= last)]
        return sorted(found, key=_index_order)


def _touch(span: tuple[date | None, date | None], other: tuple[date | None, date | None]) -> bool:
    """Do two ranges of days (None: open) overlap or meet?"""
    (a, b), (c, d) = span, other
    return (b is None or c is None or c <= b + _DAY) and (d is None or a is None or a <= d + _DAY)


def _index_order(row: dict) -> tuple:
    """The order :func:`_stored` reads rows in (the index of group, date and publication; dated rows first)."""
    return (row["date"] is None, row["date"] or "", row["published"] or "", row["event_id"])


def _bounds(db: sqlite_utils.Database, key: str) -> tuple[date | None, date | None]:
    """The first and last day of the stored reports of a group (a day early and late for undated ones)."""
    low, high = db.execute("select min(date), max(date) from event_reports where group_key = ?", [key]).fetchone()
    low_u, high_u = db.execute("select min(published), max(published) from event_reports where group_key = ? "
                               "and date is null and published is not null", [key]).fetchone()
    days = [date.fromisoformat(low), date.fromisoformat(high)] if low else []
    if low_u:
        days += [date.fromisoformat(low_u[:10]) - _DAY, date.fromisoformat(high_u[:10]) + _DAY]
    return (min(days), max(days)) if days else (None, None)


def _cuts(clusters: Iterable[tuple[date | None, list[tuple[int, date | None]]]]) -> dict[date, set[int]]:
    """dated anchor → its joiners (event ids of reports of the day before), of clusters given as (anchor, [(event
    id, stated date or None, day)])."""
    found = {}
    for anchor, members in clusters:
        if anchor and any(stated for _, stated, _ in members):
            found[anchor] = {event_id for event_id, _, day in members if day == anchor - _DAY}
    return found


def _stored_cuts(rows: list[dict]) -> tuple[dict[date, set[int]], dict[str, date | None]]:
    """The cuts of stored reports, and each cluster's anchor: its earliest stated date (dated reports start and
    join clusters first), else its earliest day."""
    members: dict[str, list] = {}
    for row in rows:
        members.setdefault(row["cluster_id"], []).append((row["event_id"], row["date"], _row_day(row)))
    anchors = {}
    for cluster_id, reports in members.items():
        stated = [date.fromisoformat(d) for _, d, _ in reports if d]
        anchors[cluster_id] = min(stated) if stated else min((day for _, _, day in reports if day), default=None)
    return _cuts((anchors[cid], reports) for cid, reports in members.items()), anchors


def _window(db: sqlite_utils.Database, key: str, days: set, mine: list[Report], own: set[int]) -> tuple[list[Report], set[str]]:
    """The reports of group ``key`` to cluster again for changes at ``days`` (``mine``: the changed articles'
    reports in it now), and the ids of the stored clusters they replace: one window per run of changes close
    together (the sweeps meet again between them)."""
    changes = sorted(day for day in days if day is not None)
    reports = [r for r in mine if r.day is None]  # a report without any day is a cluster of its own
    replaced: set[str] = set()
    if not changes:
        return reports, replaced
    low, high = _bounds(db, key)
    low, high = min(d for d in (low, changes[0]) if d), max(d for d in (high, changes[-1]) if d)
    loaded: dict[int, list[Report]] = {}  # article → its reports in the group (unchanged articles)
    held = _Held(db, key)
    while changes:
        found, gone, end = _one_window(db, key, changes, low, high, mine, own, loaded, held)
        reports += found
        replaced |= gone
        changes = [day for day in changes if end is not None and day >= end]
    return reports, replaced


def _one_window(db: sqlite_utils.Database, key: str, changes: list[date], low: date, high: date, mine: list[Report],
                own: set[int], loaded: dict[int, list[Report]], held: _Held) -> tuple[list[Report], set[str], date | None]:
    """The window of the first changes of ``changes``: its reports, the stored clusters they replace, and where
    it ends (None: at the end of the group); the changes from there on are another window's."""
    start, joiners = _start(changes[0], low, held)
    span = _FIRST_SPAN
    while True:
        probe = changes[0] + timedelta(days=span)
        last = max(day for day in changes if day <= probe)  # the window's end is after every change before it
        to_end = probe >= high
        rows = held(start - _REACH if start else None, None if to_end else probe + _REACH)

        def inside(day: date | None, event_id: int) -> bool:
            return day is not None and (start is None or day >= start or event_id in joiners) and (to_end or day <= probe)

        wanted = {row["article_id"] for row in rows if row["article_id"] not in own and inside(_row_day(row), row["event_id"])}
        unread = wanted - set(loaded)
        for article in unread:
            loaded[article] = []
        for report in (_group_reports(db, key, sorted(unread)) if _kept_whole(key) else _load_articles(db, sorted(unread))):
            if group_key(report) == key:
                loaded[report.article_id].append(report)
        reports = [r for article in wanted for r in loaded[article] if inside(r.day, r.event_id)]
        reports += [r for r in mine if inside(r.day, r.event_id)]
        cuts, anchors = _stored_cuts(rows)
        if to_end:
            end, leaving = None, set()
            break
        now = _cuts((c.anchor, [(r.event_id, r.date, r.day) for r in c.reports]) for c in cluster_reports(reports))
        # the sweeps meet again at an anchor both have with the same joiners, none of them a changed article's:
        # such a joiner's stored row goes with its article, so its cluster is this window's to write again
        moving = {r.event_id for r in mine} | {row["event_id"] for row in rows if row["article_id"] in own}
        common = sorted(day for day, joined in now.items()
                        if last < day <= probe and cuts.get(day) == joined and not joined & moving)
        if common:
            end, leaving = common[0], now[common[0]]
            break
        span *= 2
    replaced = {cid for cid, anchor in anchors.items()
                if anchor is not None and (start is None or anchor >= start) and (end is None or anchor < end)}
    return [r for r in reports if end is None or (r.day < end and r.event_id not in leaving)], replaced, end


def _load_articles(db: sqlite_utils.Database, articles: list[int], chunk: int = 500) -> list[Report]:
    """The reports of a few articles, by bound parameters: a temporary table per window would change the schema,
    and every prepared statement with it, hundreds of times a refresh."""
    found = []
    for begin in range(0, len(articles), chunk):
        part = articles[begin:begin + chunk]
        found += load_reports(db, f"e.article_id in ({', '.join('?' * len(part))})", part)
    return found


def _kept_whole(key: str) -> bool:
    """Does ``event_reports`` keep all a window needs of the group's reports of unchanged articles? For a group
    of one model's or one person's reports, yes: their rows hold every field of a report but the parties of a deal
    (neither their group nor their label looks at them), and every report of their article that a report is
    numbered with (same type and entities) is in the same group."""
    event_type, kind = json.loads(key)[:2]
    return (event_type in _MODEL_SUBJECT and kind == "model") or (event_type in _PERSON_SUBJECT and kind == "person")


def _group_reports(db: sqlite_utils.Database, key: str, articles: list[int], chunk: int = 500) -> list[Report]:
    """The reports of group ``key`` of unchanged ``articles``, from their stored rows (a small table's pages)
    instead of their events and articles (a page of the events table and of the articles index each), numbered as
    :func:`load_reports` numbers them."""
    found = []
    for begin in range(0, len(articles), chunk):
        part = articles[begin:begin + chunk]
        for (event_id, article_id, type_, day, company_id, model_id, person_id, source_id, language,
             published) in db.execute(
                "select event_id, article_id, type, date, company_id, model_id, person_id, source_id, language, "
                "published from event_reports indexed by idx_event_reports_article_id "
                f"where article_id in ({', '.join('?' * len(part))}) and group_key = ?", [*part, key]):
            found.append(Report(event_id=event_id, article_id=article_id, type=type_,
                                date=date.fromisoformat(day) if day else None, company_id=company_id, model_id=model_id,
                                person_id=person_id, published=published, source_id=source_id, language=language))
    return _number(found)


def _start(first: date, low: date, held: _Held) -> tuple[date | None, set[int]]:
    """The last dated anchor of the stored clustering before ``first``, and its joiners (None: from the start)."""
    span = _FIRST_SPAN
    while True:
        begin = first - timedelta(days=span)
        cuts, _ = _stored_cuts(held(begin - _REACH, first + _REACH))
        found = [day for day in cuts if begin <= day < first]
        if found:
            return max(found), cuts[max(found)]
        if begin <= low:
            return None, set()
        span *= 4


_REPORT_COLUMNS = ("event_id", "cluster_id", "article_id", "source_id", "language", "published", "date", "is_first",
                   "type", "company_id", "model_id", "person_id", "group_key")
_CLOCK = ("created_at", "updated_at")


def _changed_clusters(clusters: list[Cluster], ids: list[str], rows: Iterable[dict], existing: dict[str, dict],
                      stored: dict[str, int]) -> set[str]:
    """Ids of the clusters whose row (``rows``, one per cluster, in order) or reports differ from what is stored
    (``stored``: the digest of each cluster's report rows), and of those that lost them all."""
    changed = {cid for cid, row in existing.items() if row["status"] == "active"} - set(ids)
    for cluster, cid, row in zip(clusters, ids, rows):
        before = existing.get(cid)
        if before is None or any(before[c] != v for c, v in row.items() if c not in _CLOCK) \
                or stored.get(cid, 0) != _digest(tuple(r[c] for c in _REPORT_COLUMNS)
                                                 for r in _event_report_rows([cluster], [cid])):
            changed.add(cid)
    return changed


def _digest(rows: Iterable[tuple]) -> int:
    """A digest of a set of report rows (tuples of ``_REPORT_COLUMNS``), whatever their order: the sum of each
    row's SHA-256. Equal sets give equal digests; different ones, never in practice."""
    total = 0
    for row in rows:
        total += int.from_bytes(hashlib.sha256(repr(row).encode()).digest(), "big")
    return total % (1 << 256)


def _previous_membership(db: sqlite_utils.Database, report_rows: list[dict]) -> dict[tuple, str]:
    """report key → the cluster id it had, with entity ids resolved through merges."""
    redirects = entity_redirects(db)
    resolve = lambda entity_id: redirects.get(entity_id, entity_id)  # noqa: E731
    rows = [((row["article_id"], row["type"], resolve(row["company_id"]), resolve(row["model_id"]), resolve(row["person_id"])),
             row["date"] or "", row["event_id"], row["cluster_id"]) for row in report_rows]
    numbered = _numbered(rows, key=lambda r: r[0], order=lambda r: (r[1], r[2]), renumber=lambda r, n: (r[0] + (n,), r[3]))
    return dict(numbered)


def _assign_ids(clusters: list[Cluster], previous: dict[tuple, str], existing: dict[str, dict],
                exists: Callable[[str], bool]) -> list[str]:
    """Each cluster keeps the id most of its reports had; the biggest clusters choose first."""
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    order = sorted(range(len(clusters)), key=lambda i: (-len(clusters[i].reports), clusters[i].first.instant))
    for index in order:
        votes = Counter(previous[r.key] for r in clusters[index].reports if r.key in previous)
        ranked = sorted(votes, key=lambda cid: (-votes[cid], existing.get(cid, {}).get("created_at") or "", cid))
        chosen = next((cid for cid in ranked if cid not in taken), None)
        if chosen:
            ids[index] = chosen
            taken.add(chosen)
    used = set(taken)
    for index, cluster in enumerate(clusters):
        if ids[index] is None:
            ids[index] = _new_id(cluster, lambda cid: cid in used or exists(cid))
            used.add(ids[index])
    return ids  # type: ignore[return-value]


def _where_reports_went(previous: dict[tuple, str], clusters: list[Cluster], ids: list[str]) -> dict[str, str]:
    """old cluster id → the cluster that now holds most of its former reports."""
    now = {r.key: cid for cluster, cid in zip(clusters, ids) for r in cluster.reports}
    hits: dict[str, Counter] = {}
    for key, old_id in previous.items():
        if key in now:
            hits.setdefault(old_id, Counter())[now[key]] += 1
    # on a tie, the lowest id: the same whatever order the reports were read in
    return {old_id: min(counter, key=lambda cid: (-counter[cid], cid)) for old_id, counter in hits.items()}


def _new_id(cluster: Cluster, used: Callable[[str], bool]) -> str:
    """Readable and URL-safe: 2025-01-20_model_release_deepseek-r1."""
    day, _ = cluster.date
    lead = cluster.first
    subject = lead.model_id or lead.person_id or lead.company_id or "unknown"
    base = f"{day.isoformat() if day else 'undated'}_{lead.type}_{re.sub(r'[^A-Za-z0-9]+', '-', subject).strip('-').lower()}"
    candidate, n = base, 2
    while used(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _subject_label(report: Report, names: dict[str, str]) -> str:
    name = lambda entity_id: names.get(entity_id, entity_id)  # noqa: E731
    if report.model_id:
        return f"{name(report.model_id)} ({name(report.company_id)})" if report.company_id else name(report.model_id)
    if report.person_id:
        return f"{name(report.person_id)} ({name(report.company_id)})" if report.company_id else name(report.person_id)
    if report.parties:
        return " · ".join(name(p) for p in report.parties)
    return name(report.company_id) if report.company_id else "?"


def resolve_event(db: sqlite_utils.Database, event_id: str) -> str | None:
    """The id an event goes by now, following redirects; None if it never existed."""
    seen = set()
    while event_id not in seen:
        seen.add(event_id)
        row = next(db["event_redirects"].rows_where("old_id = ?", [event_id], limit=1), None)
        if row is None:
            break
        event_id = row["new_id"]
    return event_id if next(db["event_clusters"].rows_where("id = ?", [event_id], limit=1), None) else None
