"""Claims: every extracted fact, as what one article asserts, with how well it holds up.

A claim keeps its article, evidence sentence and offsets. Its corroboration
count is the number of *other* outlets that assert the same thing (the same
event in its cluster, the same price in the same interval of the history, the
same role); its status is ``reported`` when the article attributes it to others ("reports
put", "according to", "업계에 따르면", "据报道": the outlet relays it, it does not
assert it), else ``contradicted`` when a conflict is recorded against it, else
``corroborated`` when another outlet (or, for a current price, the reference
list) agrees, else ``asserted``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import chain
from typing import Any, Iterable, Iterator

import sqlite_utils

from kb.extract.sentences import split_sentences
from kb.knowledge import bulk
from kb.knowledge.bulk import insert_rows
from kb.knowledge.conflicts import explain_mismatch, same_amount
from kb.knowledge.price_history import Disagreement, Interval, Observation
from kb.knowledge.reference import ReferenceBook
from kb.knowledge.scope import Lookup

__all__ = ["build_claims", "role_corroborations", "reference_check", "ClaimScope", "claim_id", "DATE_TOLERANCE_DAYS", "HELD_UP_TO"]

# A claim's id is its fact's (fact ids are unique per table): the same in a full and an incremental refresh.
_TABLE_CODE = {"prices": 1, "events": 2, "person_roles": 3}
# A conflict's id is its claim's and its rank among the conflicts of that claim (a handful at most).
CONFLICTS_PER_CLAIM = 100

# Characters on each side of a mention read to find its sentence.
_WINDOW = 1000
# Two reports of one event a day apart usually differ by time zone, not by fact.
DATE_TOLERANCE_DAYS = 1


def reference_check(book: ReferenceBook):
    """A ReferenceCheck for build_history: does the list price of that model, kind and seller equal ``value``?"""
    def agrees(series: tuple, value: float) -> bool:
        model_id, kind, seller_id, currency, unit = series
        if currency != "USD" or unit != "1M tokens":
            return False
        found = book.lookup(model_id, seller_id)
        return bool(found and kind in found[1] and same_amount(found[1][kind], value))
    return agrees


def claim_id(fact_table: str, fact_id: int) -> int:
    return fact_id * 4 + _TABLE_CODE[fact_table]


@dataclass(frozen=True)
class ClaimScope:
    """The claims an incremental refresh recomputes, each a subquery of ids: those of the changed articles,
    of the prices in recomputed windows of the price history, of the events in recomputed clusters (the other
    role claims keep theirs: :func:`role_corroborations`)."""

    articles: str
    prices: str
    events: str

    def where(self, fact_table: str, alias: str = "") -> str:
        """The claims of ``fact_table`` in scope, as a condition on the fact table (``alias`` its name)."""
        a = f"{alias}." if alias else ""
        other = {"prices": f"{a}id in {self.prices}", "events": f"{a}id in {self.events}"}[fact_table]
        return f"({a}article_id in {self.articles} or {other})"

    def stale(self) -> list[str]:
        """Queries of the stored claims it replaces (in scope then or now), each by an index. The role claims of
        unchanged articles are not replaced: only their corroboration can change (:func:`role_corroborations`)."""
        return [f"select id from claims where article_id in {self.articles}",
                f"select id from claims where fact_table = 'prices' and fact_id in {self.prices}",
                f"select id from claims where fact_table = 'events' and fact_id in {self.events}"]


def build_claims(db: sqlite_utils.Database, intervals: list[Interval], book: ReferenceBook,
                 scope: ClaimScope | None = None, price_groups: Iterable[PriceGroup] | None = None, *,
                 hold: bool = False) -> tuple[Iterable[dict], Iterable[dict]]:
    """Claim rows and conflict rows (conflicts name their claim by its id, as ``claim_id``): all of them, or those
    in ``scope`` (``intervals`` must then hold every interval its prices are in: the windows recomputed).
    ``price_groups`` (instead of ``intervals``): the price claims a group at a time, each group's prices with its
    own intervals, read only when the claims before it are made (one model's windows at a time).

    Both are streams, read while they are written (:func:`kb.knowledge.bulk.insert_rows`), claims first: a claim's
    status and its conflicts' ids only depend on that claim's own conflicts, so no claim waits for another, and
    the refresh never holds every claim of the KB (at 20,000 synthetic articles that list was +130 MB). The
    conflicts wait in a temporary table until the claims are read; with ``hold``, in memory (a window's few
    thousand, compared with the stored ones: the table's round trip cost more), up to ``HELD_UP_TO`` of them: past
    that (a few articles that touch most windows of a dense KB) they go to the table as well."""
    rows = _ClaimRows(db, intervals, book, scope, price_groups, hold)
    return rows.claims(), rows


# Conflicts held in memory (``hold``) up to this many, then in the temporary table: 1,000 articles of a
# 20,000-article KB whose every model they touch made most of the KB's (the refresh child peaked at 870 MB; held
# up to 60,000, at 146 MB, +20 % over a 5,000-article step). At 1,000,000 articles 100 articles make 34,000-45,000:
# the table's round trip costs them ~0.4 s (bench/README 2c, a short last step).
HELD_UP_TO = 20_000

# prices selected by a condition on ``prices p`` (with its parameters), and the intervals they may be members of
PriceGroup = tuple[str, list, list[Interval]]


class _ClaimRows:
    """The claims of ``build_claims`` one at a time; iterated, the conflicts they made (after the claims)."""

    def __init__(self, db: sqlite_utils.Database, intervals: list[Interval], book: ReferenceBook,
                 scope: ClaimScope | None, price_groups: Iterable[PriceGroup] | None = None,
                 hold: bool = False) -> None:
        self.db, self.intervals, self.book, self.scope = db, intervals, book, scope
        where = f"where {scope.where('prices', 'p')}" if scope else ""
        self.price_groups = [(where, [], intervals)] if price_groups is None else price_groups
        self.done = False
        self.held: list[dict] | None = [] if hold else None
        if not hold:
            self._table()

    def _table(self) -> None:
        self.db.execute(f"drop table if exists temp.{_CONFLICTS}")
        self.db.execute(f"create temp table {_CONFLICTS} as select * from conflicts where 0")

    def claims(self) -> Iterator[dict]:
        db, scope = self.db, self.scope
        names = Lookup(db, "select id, name from entities", value="name", preload=scope is None)
        outlets = Lookup(db, "select id, name from sources", value="name", preload=True)
        pending: list[dict] = []
        # the outlets of the articles conflicts name: a few articles each, a KB's worth in all (~5 MB kept)
        others = Lookup(db, "select id, source_id from articles indexed by idx_articles_refresh", value="source_id",
                        keep=50_000)
        for claim, conflicts in chain(self._prices(names, outlets, others),
                                      _event_claims(db, names, scope), _role_claims(db, names, scope)):
            claim["contradictions"] = len(conflicts)
            if claim.pop("reported"):
                claim["status"] = "reported"
            elif conflicts:
                claim["status"] = "contradicted"
            elif claim["corroborations"] or claim.get("reference_agrees"):
                claim["status"] = "corroborated"
            else:
                claim["status"] = "asserted"
            claim["id"] = claim_id(claim["fact_table"], claim["fact_id"])
            for rank, conflict in enumerate(conflicts):
                conflict["claim_id"] = claim["id"]
                conflict["id"] = claim["id"] * CONFLICTS_PER_CLAIM + rank
            pending += conflicts
            if self.held is not None and len(pending) > HELD_UP_TO:
                self.held = None  # too many to hold: the rest waits in the table too
                self._table()
            if self.held is None and len(pending) >= bulk.CHUNK:
                insert_rows(db, f"temp.{_CONFLICTS}", pending)
                pending = []
            yield claim
        if self.held is None:
            insert_rows(db, f"temp.{_CONFLICTS}", pending)
        else:
            self.held = pending
        self.done = True

    def _prices(self, names: Lookup, outlets: Lookup, others: Lookup) -> Iterator[tuple[dict, list[dict]]]:
        for where, params, intervals in self.price_groups:
            yield from _price_claims(self.db, intervals, self.book, names, outlets, others, where, params)
            del intervals  # not held while the next group is made

    def __iter__(self) -> Iterator[dict]:
        if not self.done:
            raise RuntimeError("the claims are read before their conflicts")
        if self.held is not None:
            yield from sorted(self.held, key=lambda row: row["id"])
            return
        yield from self.db.query(f"select * from temp.{_CONFLICTS} order by id")
        self.db.execute(f"drop table if exists temp.{_CONFLICTS}")


_CONFLICTS = "kb_new_conflicts"
# what a claim needs of its article, read with its fact (not a dict of every article)
_ARTICLE = "a.source_id as a_source_id, a.language as a_language, a.published_date as a_published_date"
# ... from this index of them (migration 017), not from the article's row: a random page of the largest table each
_ARTICLES = "articles a indexed by idx_articles_refresh"


def _article(row: dict) -> dict:
    """The article columns of a fact row read with :data:`_ARTICLE`, as the article's own names."""
    return {"id": row["article_id"], "source_id": row.pop("a_source_id"), "language": row.pop("a_language"),
            "published_date": row.pop("a_published_date")}


def _base(article: dict, fact_table: str, fact_id: int, row: dict[str, Any]) -> dict:
    return {
        "fact_table": fact_table, "fact_id": fact_id, "article_id": article["id"], "source_id": article["source_id"],
        "language": article["language"], "published_date": article["published_date"],
        "evidence": row["evidence"], "start": row["start"], "end": row["end"],
        "corroborations": 0, "reference_agrees": None, "cluster_id": None,
        "reported": bool(row.get("reported")) if hasattr(row, "get") else False,
    }


def _money(value: float, currency: str | None, unit: str | None) -> str:
    """A price as people write it: $1.10 per 1M tokens, 3,100 KRW per month, 0.0005 CNY."""
    amount = f"{value:,.6f}".rstrip("0").rstrip(".")
    if currency == "USD":
        if "." in amount and len(amount.split(".")[1]) == 1:
            amount += "0"  # $1.10
        text = f"${amount}"
    else:
        text = f"{amount} {currency or ''}".strip()
    return f"{text}{' per ' + unit if unit else ''}"


@lru_cache(maxsize=65_536)
def _money_of(value: float, currency: str | None, unit: str | None) -> str:
    return _money(value, currency, unit)


def _amount(value: float, currency: str | None, unit: str | None) -> str:
    """:func:`_money`, remembered: a window's claims state a few hundred amounts tens of thousands of times.
    Not a zero (0.0 and -0.0 are one key and two texts)."""
    return _money_of(value, currency, unit) if value else _money(value, currency, unit)


def _against(disagreement: Disagreement, o: Observation, disputed: bool, outlets: Lookup, others: Lookup
             ) -> tuple[str, str, str]:
    """A news conflict's expected amount, explanation and detail, for a claim of ``o``'s currency and unit."""
    source = others.get(disagreement.against_article_id)
    expected = _amount(disagreement.expected, o.currency, o.unit)
    undecided = " (undecided: as many sources each way)" if disputed else ""
    return expected, disagreement.explanation or "unexplained", f"{outlets.get(source, source)} says {expected}{undecided}"


def _price_claims(db, intervals, book, names, outlets, others, where, params) -> Iterator[tuple[dict, list[dict]]]:
    placed: dict[int, tuple[Interval, Observation]] = {}
    agreeing: dict[tuple, set[str]] = {}
    for interval in intervals:
        for o in interval.members:
            placed[o.price_id] = (interval, o)
    for row in db.query(f"select p.*, {_ARTICLE} from prices p join {_ARTICLES} on a.id = p.article_id {where} "
                        "order by p.article_id, p.id", params):
        article = _article(row)
        claim = _base(article, "prices", row["id"], row)
        found = placed.get(row["id"])
        model = names.get(row["model_id"], row["model_id"])
        claim.update(subject_id=row["model_id"], predicate=f"price:{row['kind']}")
        if not found:
            amount = _money(row["amount"], row["currency"], None)
            if row["amount_max"] is not None:
                amount = f"{_money(row['amount'], None, None)}–{_money(row['amount_max'], row['currency'], None)}"
            when = {"old": " before a change", "new": " after a change"}.get(row["change"] or "", "")
            statement = f"{model} {row['kind']} price{when} {amount}"
            if claim["reported"]:
                statement = f"reported, not asserted: others put {statement}"
            claim.update(value=amount, statement=statement, effective_date=row["published_date"], effective_basis="published")
            yield claim, []
            continue
        interval, o = found
        value = _amount(o.value, o.currency, o.unit)
        when = " before a change" if o.change == "old" else ""
        claim.update(value=value, statement=f"{model} {o.kind} price{when}: {value}",
                     effective_date=o.day.isoformat() if o.day else None, effective_basis=o.basis)
        key = (id(interval), o.value)  # the outlets that agree with an amount: once per interval and amount
        if key not in agreeing:
            agreeing[key] = {m.outlet for m in interval.members if same_amount(m.value, o.value)}
        claim["corroborations"] = len(agreeing[key] - {o.outlet})
        conflicts: list[dict] = []
        for disagreement in interval.disagreements.get(o.price_id, []):
            expected, explanation, detail = _against(disagreement, o, interval.disputed, outlets, others)
            conflicts.append({
                "article_id": o.article_id, "subject_id": o.model_id, "predicate": claim["predicate"],
                "claimed": value, "against": "news", "expected": expected,
                "against_article_id": disagreement.against_article_id, "against_snapshot_id": None,
                "explanation": explanation, "detail": detail,
            })
        if interval.is_open and o.currency == "USD" and o.unit == "1M tokens":
            _check_reference(o, value, claim, book, conflicts)
        yield claim, conflicts


def _check_reference(o: Observation, value: str, claim: dict, book: ReferenceBook, conflicts: list[dict]) -> None:
    found = book.lookup(o.model_id, o.seller_id)
    if not found or o.kind not in found[1]:
        return
    key, listed = found
    expected = listed[o.kind]
    claim["reference_agrees"] = int(same_amount(expected, o.value))
    if claim["reference_agrees"]:
        return
    others = {kind: price for kind, price in listed.items() if kind != o.kind}
    reason = explain_mismatch(o.value, o.kind, expected, others, claimed_on=o.day, checked_on=book.as_of,
                              where=f"{book.name}, key {key}")
    conflicts.append({
        "article_id": o.article_id, "subject_id": o.model_id, "predicate": claim["predicate"],
        "claimed": value, "against": "reference", "expected": _money(expected, "USD", "1M tokens"),
        "against_article_id": None, "against_snapshot_id": book.snapshot_id, "explanation": reason or "unexplained",
        "detail": f"{book.name} ({key}, as of {book.as_of.isoformat() if book.as_of else '?'}) lists {o.kind} at "
                  f"{_money(expected, 'USD', '1M tokens')}",
    })


def _event_claims(db, names, scope) -> Iterator[tuple[dict, list[dict]]]:
    """Event claims, read by cluster: a claim's corroboration and date conflict are its cluster's, and only
    one cluster's reports are held at a time."""
    # in scope, every event of a recomputed cluster is; a claim's corroboration counts every report of its cluster,
    # also of a cluster that was not recomputed (an article stored again with the same facts)
    where = f"where {scope.where('events', 'e')}" if scope else ""
    members: list[tuple] = []  # (source_id, date, article_id) of the reports of the cluster being read
    cluster, cluster_id = None, None
    for row in db.query(
            f"select e.*, {_ARTICLE}, r.cluster_id as r_cluster_id from events e join {_ARTICLES} on a.id = e.article_id "
            f"left join event_reports r on r.event_id = e.id {where} order by r.cluster_id, e.article_id, e.id"):
        article = _article(row)
        if row["r_cluster_id"] != cluster_id:
            cluster_id = row["r_cluster_id"]
            members = [] if cluster_id is None else db.execute(
                "select source_id, date, article_id from event_reports where cluster_id = ? order by event_id",
                [cluster_id]).fetchall()
            cluster = None if cluster_id is None else next(
                db.query("select id, date, date_basis from event_clusters where id = ?", [cluster_id]), None)
        claim = _base(article, "events", row["id"], row)
        subject = row["model_id"] or row["person_id"] or row["company_id"]
        label = names.get(subject, subject) or "?"
        claim.update(subject_id=subject, predicate=f"event:{row['type']}", value=row["date"],
                     statement=("reported, not asserted: " if claim["reported"] else "")
                     + f"{row['type'].replace('_', ' ')}: {label}" + (f" on {row['date']}" if row["date"] else ""),
                     effective_date=row["date"] or article["published_date"],
                     effective_basis="stated" if row["date"] else "published", cluster_id=cluster_id)
        if cluster_id:
            others = {source for source, _, _ in members} - {article["source_id"]}
            claim["corroborations"] = len(others)
        conflicts: list[dict] = []
        if cluster and cluster["date_basis"] == "stated" and row["date"] and cluster["date"]:
            apart = abs((date.fromisoformat(row["date"]) - date.fromisoformat(cluster["date"])).days)
            if apart > DATE_TOLERANCE_DAYS:
                dated = [article_id for _, day, article_id in members if day == cluster["date"]]
                conflicts.append({
                    "article_id": row["article_id"], "subject_id": subject, "predicate": claim["predicate"],
                    "claimed": row["date"], "against": "news", "expected": cluster["date"],
                    "against_article_id": dated[0] if dated else None, "against_snapshot_id": None,
                    "explanation": f"dated {apart} days away from the other reports (a misread relative date?)",
                    "detail": f"{len(dated)} report(s) of event {cluster_id} date it {cluster['date']}",
                })
        yield claim, conflicts


def _holders(db, where: str = "") -> dict[tuple, set]:
    """(person, role, organisation) → the outlets whose articles say so."""
    holders: dict[tuple, set] = defaultdict(set)
    for person, role, organisation, source in db.execute(
            "select r.person_id, r.role, r.organization_id, a.source_id from person_roles r "
            f"join {_ARTICLES} on a.id = r.article_id {where} group by 1, 2, 3, 4"):
        holders[(person, role, organisation)].add(source)
    return holders


class _RoleOutlets(dict):
    """(person, role, organisation) → the outlets whose articles say so, read one role at a time (by index)."""

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def __missing__(self, key: tuple) -> set:
        found = {row[0] for row in self.db.execute(
            f"select distinct a.source_id from person_roles r join {_ARTICLES} on a.id = r.article_id "
            "where r.person_id = ? and r.role = ? and r.organization_id is ?", list(key))}
        self[key] = found
        return found


def _role_claims(db, names, scope) -> Iterator[tuple[dict, list[dict]]]:
    """Role claims; person_roles keeps no offsets, so the evidence is the sentence of the person's first mention.

    In ``scope``, only the roles of the changed articles: the others keep their claims,
    whose corroboration :func:`role_corroborations` brings up to date."""
    # only the text around the mention, not whole articles: a KB can have millions of roles
    rows = db.query(  # read as the claims are written: each row holds 2,000 characters of its article
        f"""select r.*, {_ARTICLE}, m.start, m.[end], max(m.start - {_WINDOW}, 0) as window_start,
                   substr(a.text, max(m.start - {_WINDOW}, 0) + 1, {2 * _WINDOW}) as window
            from person_roles r join articles a on a.id = r.article_id
            left join mentions m on m.id = (select min(id) from mentions where article_id = r.article_id and entity_id = r.person_id)
            {f"where r.article_id in {scope.articles}" if scope else ""}
            order by r.article_id, r.id""")
    holders = _RoleOutlets(db) if scope else _holders(db)
    for row in rows:
        article = _article(row)
        sentence = _sentence_at(row["window"], row["start"] - row["window_start"]) if row["start"] is not None else None
        evidence = {"evidence": sentence.text, "start": sentence.start + row["window_start"],
                    "end": sentence.end + row["window_start"]} if sentence else \
            {"evidence": None, "start": row["start"], "end": row["end"]}
        claim = _base(article, "person_roles", row["id"], evidence)
        person = names.get(row["person_id"], row["person_id"])
        organisation = names.get(row["organization_id"], row["organization_id"])
        claim.update(subject_id=row["person_id"], predicate="role", value=row["role"],
                     statement=f"{person}: {row['role']}" + (f" of {organisation}" if organisation else ""),
                     effective_date=article["published_date"], effective_basis="published")
        claim["corroborations"] = len(holders[(row["person_id"], row["role"], row["organization_id"])] - {article["source_id"]})
        yield claim, []


def role_corroborations(db: sqlite_utils.Database, scope: ClaimScope, roles: set[tuple]) -> int:
    """Bring the corroboration and status of the other claims of ``roles`` (person, role, organisation that the
    changed articles state or stated) up to date: their articles did not change, their evidence stands.
    Returns how many changed.

    Every claim of one role is corroborated by the other outlets that state it: one unchanged claim tells
    whether the count moved, and only then are the claims of that role rewritten."""
    roles = roles | {tuple(row) for row in db.execute(
        f"select distinct person_id, role, organization_id from person_roles where article_id in {scope.articles}")}
    outlets = _RoleOutlets(db)
    changed = 0
    for key in roles:
        of_role = ("select r.id from person_roles r where r.person_id = ? and r.role = ? and r.organization_id is ? "
                   f"and r.article_id not in {scope.articles}")
        now = len(outlets[key]) - 1  # the claim's own outlet is one of them
        stored = db.execute(f"select corroborations from claims where fact_table = 'person_roles' and fact_id in ({of_role} limit 1)",
                            list(key)).fetchone()
        if stored is None or stored[0] == now:
            continue
        changed += db.execute(
            f"update claims set corroborations = ?, status = ? where fact_table = 'person_roles' and fact_id in ({of_role})",
            [now, "corroborated" if now else "asserted", *key]).rowcount
    return changed


def _sentence_at(text: str, position: int):
    """The sentence around ``position``: split only its paragraph, not the whole article."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    for sentence in split_sentences(text[start:end]):
        if sentence.start <= position - start < sentence.end:
            return replace(sentence, start=sentence.start + start, end=sentence.end + start)
    return None
