"""The knowledge base schema, as an ordered list of migrations.

Each migration runs once, in order, inside a transaction, and is recorded in
``_migrations``; a new column or table is a new migration, never an edit of an
old one, so that every existing KB file can be brought up to date in place.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Callable

import sqlite_utils

__all__ = ["migrate", "MIGRATIONS"]

Migration = Callable[[sqlite_utils.Database], None]


def _m001_core(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"id": str, "name": str, "language": str, "homepage": str, "kind": str},
        pk="id",
    )
    db["articles"].create(
        {
            "id": int, "url": str, "source_id": str, "title": str, "author": str,
            "published": str, "published_date": str, "language": str, "text": str,
            "content_hash": str, "revision": int, "first_seen": str, "last_fetched": str,
            "extracted_at": str, "extractor_version": str,
        },
        pk="id", not_null={"url", "text"}, foreign_keys=[("source_id", "sources", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["published_date"])
    db["articles"].create_index(["source_id"])
    db["article_html"].create(
        {"article_id": int, "html_gz": bytes, "encoding": str, "http_status": int, "fetched_at": str},
        pk="article_id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["entities"].create(
        {
            "id": str, "type": str, "name": str, "kind": str, "developer_id": str, "organization_id": str,
            "role": str, "family": str, "country": str, "released": str, "open_weights": int, "status": str,
        },
        pk="id",
        foreign_keys=[("developer_id", "entities", "id"), ("organization_id", "entities", "id")],
    )
    db["entities"].create_index(["type"])
    db["aliases"].create(
        {"entity_id": str, "alias": str, "language": str},
        pk=("entity_id", "alias"), foreign_keys=[("entity_id", "entities", "id")],
    )
    db["aliases"].create_index(["alias"])
    db["mentions"].create(
        {"id": int, "article_id": int, "entity_id": str, "text": str, "start": int, "end": int},
        pk="id", foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")],
    )
    db["mentions"].create_index(["article_id"])
    db["mentions"].create_index(["entity_id"])
    db["person_roles"].create(
        {"id": int, "article_id": int, "person_id": str, "role": str, "organization_id": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("person_id", "entities", "id"), ("organization_id", "entities", "id")],
    )
    db["prices"].create(
        {
            "id": int, "article_id": int, "model_id": str, "kind": str, "amount": float, "currency": str,
            "per_tokens": int, "period": str, "usd_per_million_tokens": float, "change": str,
            "published_date": str, "evidence": str, "start": int, "end": int,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id"), ("model_id", "entities", "id")],
    )
    db["prices"].create_index(["model_id", "published_date"])
    db["events"].create(
        {
            "id": int, "article_id": int, "type": str, "date": str, "company_id": str, "model_id": str,
            "person_id": str, "details": str, "evidence": str, "start": int, "end": int,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"), ("company_id", "entities", "id"),
            ("model_id", "entities", "id"), ("person_id", "entities", "id"),
        ],
    )
    db["events"].create_index(["company_id", "date"])
    db["events"].create_index(["type"])
    db["crawl_runs"].create(
        {
            "id": int, "source": str, "command": str, "started": str, "finished": str, "status": str,
            "pages_fetched": int, "new": int, "revised": int, "unchanged": int, "errors": int,
        },
        pk="id",
    )
    db["fetch_errors"].create(
        {"id": int, "run_id": int, "url": str, "source": str, "reason": str, "http_status": int, "time": str},
        pk="id", foreign_keys=[("run_id", "crawl_runs", "id")],
    )


def _m002_search(db: sqlite_utils.Database) -> None:
    # Trigram finds 딥시크 inside 딥시크가; queries under 3 characters fall back to LIKE
    # on the articles table itself (see kb.store.search).
    db["articles"].enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)


def _m003_views(db: sqlite_utils.Database) -> None:
    db.create_view(
        "companies",
        "select id, name, kind, country, status from entities where type = 'company'",
    )
    db.create_view(
        "models",
        "select m.id, m.name, m.developer_id, d.name as developer, m.family, m.released, m.open_weights, m.status "
        "from entities m left join entities d on d.id = m.developer_id where m.type = 'model'",
    )
    db.create_view(
        "people",
        "select p.id, p.name, p.role, p.organization_id, o.name as organization, p.status "
        "from entities p left join entities o on o.id = p.organization_id where p.type = 'person'",
    )


def _m004_incremental(db: sqlite_utils.Database) -> None:
    # Conditional GET: what each feed or sitemap answered last time.
    db["feed_state"].create(
        {"url": str, "source": str, "etag": str, "last_modified": str, "last_status": int, "fetched_at": str, "entries": int},
        pk="url",
    )
    # Earlier texts of articles that changed: a correction is kept, not overwritten.
    db["article_revisions"].create(
        {"id": int, "article_id": int, "revision": int, "title": str, "text": str, "content_hash": str, "replaced_at": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_revisions"].create_index(["article_id", "revision"], unique=True)
    db["crawl_runs"].add_column("pid", int)
    db["crawl_runs"].add_column("listings_fetched", int)
    db["crawl_runs"].add_column("not_modified", int)
    db["crawl_runs"].add_column("duplicates", int)
    db["articles"].create_index(["content_hash"])


def _m005_knowledge(db: sqlite_utils.Database) -> None:
    # Derived tables, recomputed by kb.knowledge.refresh. They point at articles and
    # entities but never at fact rows (events, prices), which re-extraction replaces.
    db["event_clusters"].create(
        {
            "id": str, "type": str, "company_id": str, "model_id": str, "person_id": str, "subject": str,
            "date": str, "date_basis": str, "first_article_id": int, "first_source_id": str, "first_published": str,
            "reports": int, "outlets": int, "languages": str, "status": str, "created_at": str, "updated_at": str,
        },
        pk="id",
        foreign_keys=[("first_article_id", "articles", "id"), ("company_id", "entities", "id"),
                      ("model_id", "entities", "id"), ("person_id", "entities", "id")],
    )
    db["event_clusters"].create_index(["date"])
    db["event_clusters"].create_index(["type"])
    db["event_reports"].create(
        {
            "event_id": int, "cluster_id": str, "article_id": int, "source_id": str, "language": str,
            "published": str, "date": str, "is_first": int, "type": str, "company_id": str, "model_id": str,
            "person_id": str,
        },
        pk="event_id", foreign_keys=[("cluster_id", "event_clusters", "id"), ("article_id", "articles", "id")],
    )
    db["event_reports"].create_index(["cluster_id"])
    db["event_reports"].create_index(["article_id"])
    # An id that ever named an event keeps answering: merged clusters redirect here.
    db["event_redirects"].create({"old_id": str, "new_id": str, "reason": str, "redirected_at": str}, pk="old_id")
    db["entity_redirects"].create(
        {"old_id": str, "new_id": str, "reason": str, "merged_at": str},
        pk="old_id", foreign_keys=[("old_id", "entities", "id"), ("new_id", "entities", "id")],
    )
    db["reference_snapshots"].create(
        {"id": int, "name": str, "file": str, "sha256": str, "licence": str, "as_of": str, "imported_at": str, "entries": int},
        pk="id",
    )
    db["reference_prices"].create(
        {
            "id": int, "snapshot_id": int, "key": str, "provider": str, "seller_id": str, "model_id": str,
            "kind": str, "usd_per_million_tokens": float, "is_primary": int,
        },
        pk="id",
        foreign_keys=[("snapshot_id", "reference_snapshots", "id"), ("model_id", "entities", "id"),
                      ("seller_id", "entities", "id")],
    )
    db["reference_prices"].create_index(["model_id", "kind"])
    db["reference_prices"].create_index(["snapshot_id", "key"])
    db["claims"].create(
        {
            "id": int, "fact_table": str, "fact_id": int, "article_id": int, "source_id": str, "language": str,
            "published_date": str, "subject_id": str, "predicate": str, "value": str, "statement": str,
            "effective_date": str, "effective_basis": str, "cluster_id": str, "evidence": str, "start": int, "end": int,
            "corroborations": int, "reference_agrees": int, "contradictions": int, "status": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("subject_id", "entities", "id"),
                      ("cluster_id", "event_clusters", "id")],
    )
    db["claims"].create_index(["article_id"])
    db["claims"].create_index(["status"])
    db["claims"].create_index(["subject_id"])
    db["price_history"].create(
        {
            "id": int, "model_id": str, "kind": str, "seller_id": str, "currency": str, "per_tokens": int, "period": str,
            "amount": float, "usd_per_million_tokens": float, "valid_from": str, "valid_from_precision": str,
            "valid_to": str, "valid_to_precision": str, "opened_by_article_id": int, "closed_by_article_id": int,
            "claims": int, "outlets": int, "disputed": int,
        },
        pk="id",
        foreign_keys=[("model_id", "entities", "id"), ("seller_id", "entities", "id"),
                      ("opened_by_article_id", "articles", "id"), ("closed_by_article_id", "articles", "id")],
    )
    db["price_history"].create_index(["model_id", "kind", "valid_from"])
    db["conflicts"].create(
        {
            "id": int, "claim_id": int, "article_id": int, "subject_id": str, "predicate": str, "claimed": str,
            "against": str, "expected": str, "against_article_id": int, "against_snapshot_id": int,
            "explanation": str, "detail": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("article_id", "articles", "id"), ("subject_id", "entities", "id"),
                      ("against_article_id", "articles", "id"), ("against_snapshot_id", "reference_snapshots", "id")],
    )
    db["conflicts"].create_index(["claim_id"])


def _m006_price_units(db: sqlite_utils.Database) -> None:
    # "between $0.19 and $0.49" keeps its top; "$0.006 per minute" its unit
    db["prices"].add_column("amount_max", float)
    db["prices"].add_column("unit", str)


def _m007_query_indexes(db: sqlite_utils.Database) -> None:
    # Found by bench/query_latency.py and bench/crawl.py on a 1,000,000-article KB, where each of these
    # was a full scan: facts are replaced per article (delete … where article_id = ?), an article's and
    # an entity's pages count the rows that point at them, and Datasette sorts the articles, events and
    # prices tables by publication time and date by default and facets articles by language.
    for table, columns in (
        ("articles", ["published"]), ("articles", ["language"]),
        ("prices", ["article_id"]), ("events", ["article_id"]), ("person_roles", ["article_id"]),
        ("events", ["date"]), ("events", ["model_id"]), ("events", ["person_id"]),
        ("person_roles", ["person_id"]), ("prices", ["published_date"]),
    ):
        db[table].create_index(columns, if_not_exists=True)


def _m008_reported(db: sqlite_utils.Database) -> None:
    # 1 when the sentence attributes the fact to others ("reports put", "according to", "업계에 따르면",
    # "据报道"): the outlet reports it, it does not assert it, and the site says so
    for table in ("prices", "events"):
        if "reported" not in db[table].columns_dict:
            db[table].add_column("reported", int, not_null_default=0)
    # the price claim whose article and sentence state an interval's value (its provenance on the site)
    if "opened_by_price_id" not in db["price_history"].columns_dict:
        db["price_history"].add_column("opened_by_price_id", int)
    # the site finds a fact's claim (its standing, its sentence) from the fact's row
    db["claims"].create_index(["fact_table", "fact_id"], if_not_exists=True)


def _m009_unreadable_values(db: sqlite_utils.Database) -> None:
    # Before issue 14 a KB could hold `kb add --published yesterday` (every refresh then failed) and
    # `--url 'javascript:…'` (a link that runs a script): drop such dates, make such URLs inert.
    from kb.parse import checked_datetime
    from kb.urls import check_article_url

    for row in db.execute("select id, url, published from articles").fetchall():
        article_id, url, published = row
        changes: dict[str, object] = {}
        if published is not None and checked_datetime(published) is None:
            changes.update(published=None, published_date=None)
        try:
            check_article_url(url)
        except ValueError:
            changes["url"] = f"unsafe-url:{article_id}"
        if changes:
            db["articles"].update(article_id, changes)


def _m010_summaries(db: sqlite_utils.Database) -> None:
    # Issue 13: entity pages and the co-mention and new-model queries read per-entity counts from summary
    # tables the knowledge refresh keeps, not from a scan of mentions (3 M rows at 100,000 articles).
    # Filled here once, so a KB that is not refreshed again still answers them.
    from kb.knowledge.summary import refresh_summaries

    refresh_summaries(db)
    # the articles table filtered by language and faceted by outlet: answered from the index alone
    db["articles"].create_index(["language", "source_id"], if_not_exists=True)


def _m011_page_indexes(db: sqlite_utils.Database) -> None:
    # Issue 13, found by bench/query_latency.py at 100,000 and 1,000,000 articles. A facet clicked on the
    # articles table (one language, one outlet) lists its articles newest first: without these the page
    # reads every article of that language or outlet and sorts them (half the file for Korean).
    # crawl_health counts per outlet what the last run fetched and stored, and the outlet's newest
    # article: from the index alone instead of reading each article. A company's People and Timeline
    # list the roles stated for its people: by organisation, not a scan of person_roles. A company's
    # events without a date of their own are found walking the articles by day: one index probe each.
    for table, columns in (
        ("articles", ["language", "published"]), ("articles", ["source_id", "published"]),
        ("articles", ["source_id", "last_fetched"]), ("articles", ["source_id", "first_seen"]),
        ("articles", ["source_id", "published_date"]),
        ("person_roles", ["organization_id", "person_id", "role"]), ("fetch_errors", ["source", "run_id"]),
        ("events", ["article_id", "company_id", "date"]),
    ):
        db[table].create_index(columns, if_not_exists=True)


def _m012_refresh_pending(db: sqlite_utils.Database) -> None:
    # Issue 13: the knowledge refresh after a crawl or `kb add` redoes only what the stored articles touch.
    # The store lists here each article stored or re-extracted since the last refresh, with what the summary
    # tables counted for it then (its dates and entities; counted = 0 for an article new since) and the roles
    # it stated (person, role, organisation: the corroboration of every claim of that role can change).
    db.execute("create table if not exists refresh_pending (article_id integer primary key, counted integer not null, "
               "published_date text, first_seen text, entities text, roles text)")
    # what the derived tables were computed with (entity names, merges, reference lists, outlet names): when
    # it changed, an incremental refresh would leave other rows stale, and a full one runs instead
    db.execute("create table if not exists knowledge_state (key text primary key, value text)")
    # the reports of one event type and company (deals, lawsuits, statements without a person)
    db["events"].create_index(["type", "company_id"], if_not_exists=True)
    # the outlets that give one person one role: a role claim's corroboration
    db["person_roles"].create_index(["person_id", "role", "organization_id"], if_not_exists=True)


def _m013_facet_counts(db: sqlite_utils.Database) -> None:
    # Issue 13 at 1,000,000 articles: a facet clicked on the articles, events or prices table (one outlet, one
    # language, one company) counted and faceted the hundreds of thousands of rows it selects on each view.
    # Count tables kept by triggers answer those counts (kb_counts plugin); entity_weeks (kept by the
    # refresh) answers a company's weekly chart without reading its mentions; entity_names (a trigram index
    # of every name, kept by triggers) answers find_entity without reading every name.
    from kb.knowledge.summary import refresh_counts, refresh_entity_names, refresh_entity_weeks

    refresh_counts(db)
    refresh_entity_weeks(db)
    refresh_entity_names(db)
    _knowledge_page_indexes(db)


def _knowledge_page_indexes(db: sqlite_utils.Database) -> None:
    # Once the knowledge refresh had filled them (800,000 event clusters, 960,000 conflicts at 1,000,000 articles),
    # an entity's timeline, releases and price conflicts read every cluster or conflict: by entity instead (a model's
    # price conflicts in the page's order: its claims by kind and day, then their conflicts). The Atom feed of new
    # events, of all companies or one, walks them newest first.
    for table, columns in (
        ("event_clusters", ["company_id", "type", "date"]), ("event_clusters", ["model_id", "type", "date"]),
        ("event_clusters", ["person_id", "date"]), ("conflicts", ["subject_id", "predicate", "claim_id"]),
        ("claims", ["subject_id", "predicate", "published_date"]),
        ("event_clusters", ["first_published"]), ("event_clusters", ["company_id", "first_published"]),
    ):
        db[table].create_index(columns, if_not_exists=True)

def _m014_report_groups(db: sqlite_utils.Database) -> None:
    # Issue 13: after a crawl the refresh re-clusters a window of days of an event group (type and subject), not
    # the whole group (GPT-4o's releases are ~27,000 reports at 1,000,000 articles): each report names its
    # group, and the reports of one group are read by day from this index; likewise a price series.
    from kb.knowledge.clusters import fill_group_keys

    if "group_key" not in db["event_reports"].columns_dict:
        db["event_reports"].add_column("group_key", str)
    fill_group_keys(db)
    db["event_reports"].create_index(["group_key", "date", "published"], if_not_exists=True)
    # and a window of a model's price history reads its observations by day: a price claim's effective date
    db["claims"].create_index(["subject_id", "fact_table", "effective_date"], if_not_exists=True)


def _m015_changes_and_moves(db: sqlite_utils.Database) -> None:
    # Issue 13, the last pages at 1,000,000 articles. Price changes: the canned query paired every old price of the
    # KB with its new one on each view (1.3 s); the pairs are now a summary table kept by the refresh, filled here.
    # Executive moves: a company's moves are also those whose event details name it as from or to; a partial
    # index of each (executive changes only, details that are JSON) finds them without reading every move.
    from kb.knowledge.summary import create_move_indexes, refresh_price_changes

    refresh_price_changes(db)
    create_move_indexes(db)
    # a company's timeline reads its models (by developer): a scan of every entity, several times per page
    db["entities"].create_index(["developer_id"], if_not_exists=True)
    # and every query of an entity page first finds the entity under any of its names, case aside (name = :name
    # collate nocase): a scan of the names and the aliases per query without these
    db.execute("create index if not exists idx_entities_name_nocase on entities (name collate nocase)")
    db.execute("create index if not exists idx_aliases_alias_nocase on aliases (alias collate nocase)")


def _m016_window_indexes(db: sqlite_utils.Database) -> None:
    # Issue 13, the refresh after 100 articles at 1,000,000: a window of a model's price history reads its claims
    # by day, then the prices and the release and price-change events of their articles. Each row was a random
    # page of a table whose rows carry their evidence text (claims: 4.8 million rows); these indexes hold what a
    # window reads, so a window is one range of one index per table (the claims index of 014 is their prefix).
    db.execute("create index if not exists idx_claims_window on claims "
               "(subject_id, fact_table, effective_date, article_id, source_id)")
    db.execute("drop index if exists idx_claims_subject_id_fact_table_effective_date")
    db.execute("create index if not exists idx_prices_window on prices (model_id, article_id, kind, amount, amount_max, "
               "currency, per_tokens, period, unit, change, published_date, reported)")
    db.execute("create index if not exists idx_events_window on events (article_id, model_id, type, date)")


def _m017_article_dates(db: sqlite_utils.Database) -> None:
    # Issue 13, the refresh after 100 articles at 1,000,000 (bench/README 7g): clusters and claims read, for each
    # report and fact of a window, its article's outlet, language and dates, each a random page of the largest
    # table (15 GB: every row carries its text). This index holds what they read (~70 MB, kept in the page cache
    # by the refresh itself); the queries name it (the planner prefers the rowid to any index).
    db.execute("create index if not exists idx_articles_refresh on articles "
               "(id, source_id, language, published, published_date)")
    # A window of a group reads its stored reports by day: a random page of event_reports each (its rows are in
    # event order). This index holds every column, in group and day order: a window is one range of it (014's
    # index of group, date and publication is its prefix, and is dropped).
    db.execute("create index if not exists idx_event_reports_window on event_reports (group_key, date, published, "
               "event_id, cluster_id, article_id, source_id, language, is_first, type, company_id, model_id, person_id)")
    db.execute("drop index if exists idx_event_reports_group_key_date_published")


def _m018_conflict_sides(db: sqlite_utils.Database) -> None:
    # Issue 13: "which claims conflict with the price list?" (the home page's link: every model, against the
    # reference) walks the models by name and counts each one's conflicts of that side. At 1,000,000 articles
    # nearly all of 850,000 conflicts are between outlets, and reading each row for its side took 1-4 s; with the
    # side in the index a model is counted from the index alone. It replaces 013's index of subject, predicate and
    # claim, whose every use it serves (same prefix).
    db.execute("create index if not exists idx_conflicts_subject_id_predicate_against_claim_id on conflicts "
               "(subject_id, predicate, against, claim_id)")
    db.execute("drop index if exists idx_conflicts_subject_id_predicate_claim_id")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_core", _m001_core),
    ("002_search", _m002_search),
    ("003_views", _m003_views),
    ("004_incremental", _m004_incremental),
    ("005_knowledge", _m005_knowledge),
    ("006_price_units", _m006_price_units),
    ("007_query_indexes", _m007_query_indexes),
    ("008_reported", _m008_reported),
    ("009_unreadable_values", _m009_unreadable_values),
    ("010_summaries", _m010_summaries),
    ("011_page_indexes", _m011_page_indexes),
    ("012_refresh_pending", _m012_refresh_pending),
    ("013_facet_counts", _m013_facet_counts),
    ("014_report_groups", _m014_report_groups),
    ("015_changes_and_moves", _m015_changes_and_moves),
    ("016_window_indexes", _m016_window_indexes),
    ("017_article_dates", _m017_article_dates),
    ("018_conflict_sides", _m018_conflict_sides),
]


def pending_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """The migrations a KB lacks, read without writing; None for a file that is no KB (no ``_migrations``)."""
    if not conn.execute("select 1 from sqlite_master where type = 'table' and name = '_migrations'").fetchone():
        return None
    done = {row[0] for row in conn.execute("select name from _migrations")}
    return [name for name, _ in MIGRATIONS if name not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; returns the names of those applied.

    Each runs under the write lock, taken before it checks what is done: two processes opening a
    new KB at once (a crawl and kb add) wait for each other instead of running one twice or
    meeting "database is locked" halfway through."""
    from kb.store import write_transaction

    if "_migrations" in db.table_names():
        done = {row[0] for row in db.execute("select name from _migrations")}
        if all(name in done for name, _ in MIGRATIONS):
            return []
    applied = []
    for name, migration in MIGRATIONS:
        with write_transaction(db):
            db.execute("create table if not exists [_migrations] ([name] TEXT PRIMARY KEY, [applied_at] TEXT)")
            if db.execute("select 1 from _migrations where name = ?", [name]).fetchone():
                continue
            migration(db)
            db["_migrations"].insert({"name": name, "applied_at": datetime.now(timezone.utc).isoformat()})
        applied.append(name)
    return applied
