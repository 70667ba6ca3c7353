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
from typing import Any

import sqlite_utils

from kb.extract.sentences import split_sentences
from kb.knowledge.conflicts import explain_mismatch, same_amount
from kb.knowledge.price_history import Interval, Observation
from kb.knowledge.reference import ReferenceBook
from kb.knowledge.scope import Lookup

__all__ = ["build_claims", "role_corroborations", "reference_check", "ClaimScope", "claim_id", "DATE_TOLERANCE_DAYS"]

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
                 scope: ClaimScope | None = None) -> tuple[list[dict], list[dict]]:
    """Claim rows and conflict rows (conflicts name their claim by its id, as ``claim_id``): all of them, or those
    in ``scope`` (``intervals`` must then hold every interval its prices are in: the windows recomputed)."""
    full = scope is None
    names = Lookup(db, "select id, name from entities", value="name", preload=full)
    outlets = Lookup(db, "select id, name from sources", value="name", preload=True)
    articles = Lookup(db, "select id, source_id, language, published_date from articles", preload=full)
    if scope:
        articles.load(f"where id in (select article_id from prices where {scope.where('prices')} "
                      f"union select article_id from events where {scope.where('events')}) or id in {scope.articles}")
    claims: list[dict] = []
    conflicts: list[dict] = []
    _price_claims(db, intervals, book, names, outlets, articles, claims, conflicts, scope)
    _event_claims(db, names, articles, claims, conflicts, scope)
    _role_claims(db, names, articles, claims, scope)
    contradicted = defaultdict(int)
    for conflict in conflicts:
        contradicted[conflict["claim"]] += 1
    for index, claim in enumerate(claims):
        claim["contradictions"] = contradicted[index]
        if claim.pop("reported"):
            claim["status"] = "reported"
        elif contradicted[index]:
            claim["status"] = "contradicted"
        elif claim["corroborations"] or claim.get("reference_agrees"):
            claim["status"] = "corroborated"
        else:
            claim["status"] = "asserted"
        claim["id"] = claim_id(claim["fact_table"], claim["fact_id"])
    ranks: dict[int, int] = defaultdict(int)
    for conflict in conflicts:
        index = conflict.pop("claim")
        conflict["claim_id"] = claims[index]["id"]
        conflict["id"] = conflict["claim_id"] * CONFLICTS_PER_CLAIM + ranks[index]
        ranks[index] += 1
    return claims, conflicts


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


def _price_claims(db, intervals, book, names, outlets, articles, claims, conflicts, scope) -> None:
    placed: dict[int, tuple[Interval, Observation]] = {}
    agreeing: dict[tuple, set[str]] = {}
    for interval in intervals:
        for o in interval.members:
            placed[o.price_id] = (interval, o)
    where = f"where {scope.where('prices')}" if scope else ""
    for row in db.query(f"select * from prices {where} order by article_id, id"):
        article = articles[row["article_id"]]
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
            claims.append(claim)
            continue
        interval, o = found
        value = _money(o.value, o.currency, o.unit)
        when = " before a change" if o.change == "old" else ""
        claim.update(value=value, statement=f"{model} {o.kind} price{when}: {value}",
                     effective_date=o.day.isoformat() if o.day else None, effective_basis=o.basis)
        key = (id(interval), o.value)  # the outlets that agree with an amount: once per interval and amount
        if key not in agreeing:
            agreeing[key] = {m.outlet for m in interval.members if same_amount(m.value, o.value)}
        claim["corroborations"] = len(agreeing[key] - {o.outlet})
        index = len(claims)
        claims.append(claim)
        for disagreement in interval.disagreements.get(o.price_id, []):
            other = articles.get(disagreement.against_article_id) or {}
            conflicts.append({
                "claim": index, "article_id": o.article_id, "subject_id": o.model_id, "predicate": claim["predicate"],
                "claimed": value, "against": "news", "expected": _money(disagreement.expected, o.currency, o.unit),
                "against_article_id": disagreement.against_article_id, "against_snapshot_id": None,
                "explanation": disagreement.explanation or "unexplained",
                "detail": f"{outlets.get(other.get('source_id'), other.get('source_id'))} says "
                          f"{_money(disagreement.expected, o.currency, o.unit)}" + (" (undecided: as many sources each way)" if interval.disputed else ""),
            })
        if interval.is_open and o.currency == "USD" and o.unit == "1M tokens":
            _check_reference(o, value, claim, index, book, conflicts)


def _check_reference(o: Observation, value: str, claim: dict, index: int, book: ReferenceBook, conflicts: list[dict]) -> None:
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
        "claim": index, "article_id": o.article_id, "subject_id": o.model_id, "predicate": claim["predicate"],
        "claimed": value, "against": "reference", "expected": _money(expected, "USD", "1M tokens"),
        "against_article_id": None, "against_snapshot_id": book.snapshot_id, "explanation": reason or "unexplained",
        "detail": f"{book.name} ({key}, as of {book.as_of.isoformat() if book.as_of else '?'}) lists {o.kind} at "
                  f"{_money(expected, 'USD', '1M tokens')}",
    })


def _event_claims(db, names, articles, claims, conflicts, scope) -> None:
    # in scope, every event of a recomputed cluster is: the clusters' reports are complete
    where = f"where {scope.where('events')}" if scope else ""
    reports = {row["event_id"]: row for row in db.query(
        "select * from event_reports" + (f" where event_id in {scope.events} or article_id in {scope.articles}" if scope else ""))}
    cluster_ids = {row["cluster_id"] for row in reports.values()}
    clusters = {row["id"]: row for row in db.query("select id, date, date_basis from event_clusters")} if not scope else \
        {cid: row for cid in cluster_ids
         for row in db.query("select id, date, date_basis from event_clusters where id = ?", [cid])}
    members = defaultdict(list)
    for report in reports.values():
        members[report["cluster_id"]].append(report)
    for row in db.query(f"select * from events {where} order by article_id, id"):
        article = articles[row["article_id"]]
        claim = _base(article, "events", row["id"], row)
        report = reports.get(row["id"])
        cluster_id = report["cluster_id"] if report else None
        subject = row["model_id"] or row["person_id"] or row["company_id"]
        label = names.get(subject, subject) or "?"
        claim.update(subject_id=subject, predicate=f"event:{row['type']}", value=row["date"],
                     statement=("reported, not asserted: " if claim["reported"] else "")
                     + f"{row['type'].replace('_', ' ')}: {label}" + (f" on {row['date']}" if row["date"] else ""),
                     effective_date=row["date"] or article["published_date"],
                     effective_basis="stated" if row["date"] else "published", cluster_id=cluster_id)
        if cluster_id:
            others = {r["source_id"] for r in members[cluster_id]} - {article["source_id"]}
            claim["corroborations"] = len(others)
        index = len(claims)
        claims.append(claim)
        cluster = clusters.get(cluster_id) if cluster_id else None
        if cluster and cluster["date_basis"] == "stated" and row["date"] and cluster["date"]:
            apart = abs((date.fromisoformat(row["date"]) - date.fromisoformat(cluster["date"])).days)
            if apart > DATE_TOLERANCE_DAYS:
                dated = [r for r in members[cluster_id] if r["date"] == cluster["date"]]
                conflicts.append({
                    "claim": index, "article_id": row["article_id"], "subject_id": subject, "predicate": claim["predicate"],
                    "claimed": row["date"], "against": "news", "expected": cluster["date"],
                    "against_article_id": dated[0]["article_id"] if dated else None, "against_snapshot_id": None,
                    "explanation": f"dated {apart} days away from the other reports (a misread relative date?)",
                    "detail": f"{len(dated)} report(s) of event {cluster_id} date it {cluster['date']}",
                })


def _holders(db, where: str = "") -> dict[tuple, set]:
    """(person, role, organisation) → the outlets whose articles say so."""
    holders: dict[tuple, set] = defaultdict(set)
    for person, role, organisation, source in db.execute(
            "select r.person_id, r.role, r.organization_id, a.source_id from person_roles r "
            f"join articles a on a.id = r.article_id {where} group by 1, 2, 3, 4"):
        holders[(person, role, organisation)].add(source)
    return holders


class _RoleOutlets(dict):
    """(person, role, organisation) → the outlets whose articles say so, read one role at a time (by index)."""

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def __missing__(self, key: tuple) -> set:
        found = {row[0] for row in self.db.execute(
            "select distinct a.source_id from person_roles r join articles a on a.id = r.article_id "
            "where r.person_id = ? and r.role = ? and r.organization_id is ?", list(key))}
        self[key] = found
        return found


def _role_claims(db, names, articles, claims, scope) -> None:
    """Role claims; person_roles keeps no offsets, so the evidence is the sentence of the person's first mention.

    In ``scope``, only the roles of the changed articles: the others keep their claims,
    whose corroboration :func:`role_corroborations` brings up to date."""
    # only the text around the mention, not whole articles: a KB can have millions of roles
    rows = list(db.query(
        f"""select r.*, m.start, m.[end], max(m.start - {_WINDOW}, 0) as window_start,
                   substr(a.text, max(m.start - {_WINDOW}, 0) + 1, {2 * _WINDOW}) as window
            from person_roles r join articles a on a.id = r.article_id
            left join mentions m on m.id = (select min(id) from mentions where article_id = r.article_id and entity_id = r.person_id)
            {f"where r.article_id in {scope.articles}" if scope else ""}
            order by r.article_id, r.id"""))
    holders = _RoleOutlets(db) if scope else _holders(db)
    for row in rows:
        article = articles[row["article_id"]]
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
        claims.append(claim)


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
