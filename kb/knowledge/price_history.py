"""Dated price history, per model, kind and seller, from what the news says.

Every price claim is an observation: "this price was in effect on this day".
The day is the date the article states for the price (a price change, else the
model's release), else the publication date, which only says "on or before".

Only an explicit change moves the price: "from X to Y" closes the interval of X
and opens one of Y on the change's date. Two articles that state different
prices for the same time, without a change between them, disagree; the
disagreement is recorded and the history keeps the better-supported price.
A corrected article is not a change either: its facts are replaced, so the
history only ever sees the corrected price.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

import sqlite_utils

from kb.knowledge.conflicts import STALE_AFTER_DAYS, explain_mismatch, mixup, same_amount

__all__ = ["Observation", "Interval", "Disagreement", "load_observations", "build_history", "history_rows", "CHANGE_WINDOW_DAYS"]

# Reports of one price change by several outlets fall within a few days of each other.
CHANGE_WINDOW_DAYS = 3

Series = tuple  # (model_id, kind, seller_id, currency, unit)


@dataclass(frozen=True)
class Observation:
    price_id: int
    article_id: int
    source_id: str | None
    model_id: str
    kind: str
    seller_id: str | None
    currency: str | None
    unit: str | None  # "1M tokens", "month", or None
    value: float  # in currency per unit
    change: str | None  # "old" | "new" for "from X to Y"
    day: date | None
    basis: str  # price_change | release | published
    source_name: str | None = None
    reported: bool = False  # the article attributes it to others ("reports put ..."): not its own claim

    @property
    def series(self) -> Series:
        return (self.model_id, self.kind, self.seller_id, self.currency, self.unit)

    @property
    def precision(self) -> str:
        return "on_or_before" if self.basis == "published" else "day"

    @property
    def outlet(self) -> str:
        return self.source_id or f"article:{self.article_id}"


@dataclass(frozen=True, slots=True)  # a dense series has hundreds of thousands: no dict each
class Disagreement:
    """A claim at odds with the price the history settled on (or with another, when undecided)."""

    expected: float
    against_article_id: int
    explanation: str | None


@dataclass
class Interval:
    series: Series
    members: list[Observation]
    start: date | None = None
    start_precision: str | None = None
    start_article: int | None = None
    start_price: int | None = None  # the price claim (prices.id) that states the interval's value on its first day
    end: date | None = None
    end_precision: str | None = None
    end_article: int | None = None
    value: float | None = None
    disputed: bool = False
    disagreements: dict[int, list[Disagreement]] = field(default_factory=dict)  # price_id → ...

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass
class _Change:
    day: date
    precision: str
    article_id: int
    new: float | None
    old: float | None


# other kinds of the same model stated by an article: (article_id, model_id, seller_id, currency, unit) → kind → value
OtherKinds = dict[tuple, dict[str, float]]
# (series, value) → does the reference list agree? Only asked for the open interval.
ReferenceCheck = Callable[[Series, float], bool]


def build_history(
    observations: Iterable[Observation],
    *,
    reference_agrees: ReferenceCheck = lambda series, value: False,
) -> list[Interval]:
    """Intervals of every series, oldest first. Pure: no database.

    A reported price (one the article attributes to others) is no outlet's claim:
    it neither sets nor disputes a price, and stays outside the history.
    """
    # in the order of the claims: an article that states two prices of one kind ("from 20 to 0.5") leaves its last
    # in ``kinds``, whatever order the rows came in (the plan of the query, the indexes), as a window reads them
    observations = sorted((o for o in observations if o.day is not None and not o.reported), key=lambda o: o.price_id)
    kinds: OtherKinds = {}
    for o in observations:
        kinds.setdefault((o.article_id, o.model_id, o.seller_id, o.currency, o.unit), {})[o.kind] = o.value
    by_series: dict[Series, list[Observation]] = {}
    for o in observations:
        by_series.setdefault(o.series, []).append(o)
    history: list[Interval] = []
    for series, members in sorted(by_series.items(), key=lambda item: tuple(str(x) for x in item[0])):
        history.extend(_series_history(series, members, kinds, reference_agrees))
    return history


def _changes(members: list[Observation], since: date | None = None) -> list[_Change]:
    """Change points, one per reported change (several outlets reporting one change count once); with ``since``
    (a change point of the whole series), those from it on."""
    per_article: dict[int, list[Observation]] = {}
    for o in members:
        if o.change in ("old", "new") or (o.basis == "price_change" and o.change is None):
            per_article.setdefault(o.article_id, []).append(o)
    found = []
    for article_id, group in per_article.items():
        new = [o.value for o in group if o.change == "new"] or [o.value for o in group if o.change is None]
        old = [o.value for o in group if o.change == "old"]
        day = min(o.day for o in group)
        precision = "day" if any(o.basis == "price_change" for o in group) else "on_or_before"
        found.append(_Change(day, precision, article_id, Counter(new).most_common(1)[0][0] if new else None,
                             Counter(old).most_common(1)[0][0] if old else None))
    merged: list[_Change] = []
    for change in sorted(found, key=lambda c: (c.day, c.precision != "day", c.article_id)):
        if since and change.day < since:
            continue
        if merged and (change.day - merged[-1].day).days <= CHANGE_WINDOW_DAYS:
            continue  # the same change, reported again
        merged.append(change)
    return merged


def _slot(boundaries: list[date], o: Observation) -> int:
    """Which interval an observation speaks of: "from X" the one before its change, "to Y" the one after."""
    if o.change == "old" or o.change == "new" or o.basis == "price_change":
        near = [i for i, day in enumerate(boundaries) if abs((day - o.day).days) <= CHANGE_WINDOW_DAYS]
        if near:
            index = min(near, key=lambda i: abs((boundaries[i] - o.day).days))
            return index if o.change == "old" else index + 1
    return bisect_right(boundaries, o.day)


def _series_history(series: Series, members: list[Observation], kinds: OtherKinds,
                    reference_agrees: ReferenceCheck, since: date | None = None,
                    decided: dict[tuple, tuple] | None = None) -> list[Interval]:
    """The intervals of one series. ``decided``: the slots decided before, kept by the caller across windows
    of the same observations (a slot's price depends only on its members and their articles' other kinds)."""
    changes = _changes(members, since)
    boundaries = [c.day for c in changes]
    slots: list[list[Observation]] = [[] for _ in range(len(changes) + 1)]
    for o in members:
        slots[_slot(boundaries, o)].append(o)
    last = len(slots) - 1
    decided = {} if decided is None else decided

    def decide(slot: list[Observation], is_open: bool) -> tuple:
        """_decide, once per slot and contents (a slot that lost a straggler is decided again)."""
        key = (series, tuple(o.price_id for o in slot), is_open)
        if key not in decided:
            decided[key] = _decide(series, slot, kinds, reference_agrees, is_open)
        return decided[key]

    values = [decide(slot, index == last)[0] if slot else None for index, slot in enumerate(slots)]
    _move_stragglers(slots, values, boundaries)

    intervals: list[Interval] = []
    for index, slot in enumerate(slots):
        if not slot:
            continue
        interval = Interval(series, slot)
        interval.value, interval.disputed, disagreements = decide(slot, index == last)
        interval.disagreements = dict(disagreements)  # joining neighbours adds to it; the decision stays as it was
        if index > 0:
            change = changes[index - 1]
            interval.start, interval.start_precision, interval.start_article = change.day, change.precision, change.article_id
            interval.start_price = _stating(slot, interval.value, change.article_id)
        else:
            # neither "from X" nor a late report of the old price says since when X held; only a claim of
            # the interval's own value dates it (a disputed other value never names who said this one)
            end = changes[0].day if changes else None
            seen = [o for o in slot if o.change != "old" and (end is None or o.day < end) and same_amount(o.value, interval.value)]
            if seen:
                earliest = min(seen, key=lambda o: (o.day, o.precision != "day", o.article_id, o.price_id))
                interval.start, interval.start_precision, interval.start_article = earliest.day, earliest.precision, earliest.article_id
                interval.start_price = earliest.price_id
        if interval.start_price is None:
            # "from X" says X held before, not since when: the claim still names who stated X
            stating = [o for o in slot if same_amount(o.value, interval.value)]
            if stating:
                interval.start_price = min(stating, key=lambda o: (o.day, o.article_id, o.price_id)).price_id
        if index < len(changes):
            change = changes[index]
            interval.end, interval.end_precision, interval.end_article = change.day, change.precision, change.article_id
        intervals.append(interval)
    return _join_equal_neighbours(intervals)


def _stating(slot: list[Observation], value: float | None, article_id: int) -> int | None:
    """The claim of ``article_id`` in ``slot`` that states ``value`` (the new price of a change)."""
    found = [o for o in slot if o.article_id == article_id and same_amount(o.value, value)]
    return min(found, key=lambda o: o.price_id).price_id if found else None


def _move_stragglers(slots: list[list[Observation]], values: list[float | None], boundaries: list[date]) -> None:
    """A report published just after a change that still quotes the old price belongs before the change."""
    for index in range(1, len(slots)):
        boundary = boundaries[index - 1]
        for o in list(slots[index]):
            late = o.change is None and o.basis == "published" and (o.day - boundary).days <= CHANGE_WINDOW_DAYS
            if late and not same_amount(o.value, values[index]) and same_amount(o.value, values[index - 1]):
                slots[index].remove(o)
                slots[index - 1].append(o)


def _join_equal_neighbours(intervals: list[Interval]) -> list[Interval]:
    """A "change" to the same price is no change."""
    joined: list[Interval] = []
    for interval in intervals:
        previous = joined[-1] if joined else None
        if previous and previous.end == interval.start and same_amount(previous.value, interval.value) \
                and not previous.disputed and not interval.disputed:
            previous.members.extend(interval.members)
            previous.disagreements.update(interval.disagreements)
            previous.end, previous.end_precision, previous.end_article = interval.end, interval.end_precision, interval.end_article
            continue
        joined.append(interval)
    return joined


def _decide(series: Series, slot: list[Observation], kinds: OtherKinds, reference_agrees: ReferenceCheck,
            is_open: bool) -> tuple[float, bool, dict[int, list[Disagreement]]]:
    """The price of a slot: the reference's, else one not explained as a mix-up, else the most outlets'."""
    groups: list[list[Observation]] = []
    for o in sorted(slot, key=lambda o: (o.day, o.article_id)):
        group = next((g for g in groups if same_amount(g[0].value, o.value)), None)
        group.append(o) if group else groups.append([o])
    if len(groups) == 1 or len({o.article_id for o in slot}) == 1:
        # one article giving two prices of one kind states tiers ("up to 200K tokens", "above"), not a dispute
        return min(slot, key=lambda o: o.price_id).value, False, {}

    explained: dict[tuple, str | None] = {}

    def explain(o: Observation, other: Observation) -> str | None:
        """_explain, once per amount and other claim: the claims of a group mostly state one amount."""
        key = (o.value, o.kind, other.price_id)
        if key not in explained:
            explained[key] = _explain(o, other, kinds)
        return explained[key]

    index = _MixIndex(slot, series[1], kinds)
    group_of = {o.price_id: id(group) for group in groups for o in group}
    position = {o.price_id: k for group in groups for k, o in enumerate(group)}

    def is_mixup(group: list[Observation]) -> bool:
        return any(other.article_id != o.article_id and group_of[other.price_id] != id(group)
                   for o in group for other in index.mixing(o.value))

    scores: dict[int, tuple] = {}

    def score(group: list[Observation]) -> tuple:
        if id(group) not in scores:
            scores[id(group)] = (is_open and reference_agrees(series, group[0].value), not is_mixup(group),
                                 len({o.outlet for o in group}))
        return scores[id(group)]

    ranked = sorted(groups, key=score, reverse=True)
    disputed = score(ranked[0]) == score(ranked[1])
    winners = [g for g in ranked if score(g) == score(ranked[0])] if disputed else [ranked[0]]
    # a winner's first claim of another article than ``o``'s: its first, else its first of another article than that
    firsts = [(winner, winner[0], next((w for w in winner if w.article_id != winner[0].article_id), None))
              for winner in winners]
    disagreements: dict[int, list[Disagreement]] = {}
    slips: dict[tuple, str | None] = {}  # (amount, expected) → the mismatch's reason whatever the dates (a unit slip)
    stale: dict[tuple, str | None] = {}  # (day, day) → "may have changed in between", for the pairs without a slip
    made: dict[tuple, Disagreement] = {}  # one (immutable) Disagreement per against, amount and reason, shared
    for group in groups:
        for o in group:
            mixing = index.mixing(o.value)  # mostly none
            for winner, first, second in firsts:
                fallback = first if first.article_id != o.article_id else second  # an article never contradicts itself
                if winner is group or fallback is None:
                    continue
                # the first claim of the winner, in its order, that ``o`` is a mix-up of
                against = min((other for other in mixing
                               if group_of[other.price_id] == id(winner) and other.article_id != o.article_id),
                              key=lambda other: position[other.price_id], default=None) if mixing else None
                reason = explain(o, against) if against else None
                against = against or fallback
                if reason is None:
                    # explain_mismatch without other kinds: a unit slip of the two amounts (only when the slot's
                    # index finds ``against`` among what ``o`` is a mix-up of: mostly nothing), else, only when the
                    # two days are months apart, words that name the days alone; once per pair of amounts, and
                    # once per pair of days
                    if mixing and any(other is against for other in mixing):
                        key = (o.value, against.value)
                        if key not in slips:
                            slips[key] = explain_mismatch(o.value, o.kind, against.value, {})
                        reason = slips[key]
                    if reason is None and o.day and against.day and abs((o.day - against.day).days) > STALE_AFTER_DAYS:
                        days = (o.day, against.day)
                        if days not in stale:
                            stale[days] = explain_mismatch(o.value, o.kind, against.value, {}, claimed_on=o.day,
                                                           checked_on=against.day)
                        reason = stale[days]
                key = (against.value, against.article_id, reason)
                disagreement = made.get(key)
                if disagreement is None:
                    # the same few explanations over and over: one string each, not one per disagreement
                    disagreement = made[key] = Disagreement(against.value, against.article_id,
                                                            sys.intern(reason) if reason else reason)
                disagreements.setdefault(o.price_id, []).append(disagreement)
    return ranked[0][0].value, disputed and bool(disagreements), disagreements


class _MixIndex:
    """The claims of a slot that an amount is a mix-up of (:func:`_mixes`), found by bisection: each claim makes
    a mix-up of a few amounts (its article's other kinds, its own amount per 1K and per 1M), sorted once, instead
    of asking every pair of claims (a dense slot holds hundreds)."""

    def __init__(self, slot: list[Observation], kind: str, kinds: OtherKinds):
        entries = []
        for other in slot:
            stated = kinds.get((other.article_id, other.model_id, other.seller_id, other.currency, other.unit), {})
            entries += [(value, other) for other_kind, value in stated.items() if other_kind != kind]
            entries += [(other.value * factor, other) for factor in (1000, 1 / 1000)]  # as mixup() multiplies
        entries.sort(key=lambda entry: entry[0])
        self.amounts = [amount for amount, _ in entries]
        self.claims = [other for _, other in entries]
        self.found: dict[float, list[Observation]] = {}

    def mixing(self, value: float) -> list[Observation]:
        """The claims ``value`` (of the slot's kind) is a mix-up of, each as often as it makes one."""
        if value not in self.found:
            # same_amount is within 0.5 % (or 1e-9): a wider range by bisection, then the test itself
            low, high = sorted((value * 0.99, value * 1.01))
            begin, end = bisect_left(self.amounts, low - 1e-8), bisect_right(self.amounts, high + 1e-8)
            self.found[value] = [self.claims[k] for k in range(begin, end) if same_amount(value, self.amounts[k])]
        return self.found[value]


def _mixes(o: Observation, other: Observation, kinds: OtherKinds) -> bool:
    """Does :func:`_explain` find a mix-up? The same test without the message (asked of every pair of a slot)."""
    stated = kinds.get((other.article_id, other.model_id, other.seller_id, other.currency, other.unit), {})
    return any(kind != o.kind and same_amount(o.value, value) for kind, value in stated.items()) or \
        any(same_amount(o.value, other.value * factor) for factor in (1000, 1 / 1000))  # as mixup() multiplies


def _explain(o: Observation, other: Observation, kinds: OtherKinds) -> str | None:
    """Is ``o`` a mix-up of what ``other``'s article says about the same model (another kind, another unit)?"""
    stated = kinds.get((other.article_id, other.model_id, other.seller_id, other.currency, other.unit), {})
    where = other.source_name or other.source_id or f"article {other.article_id}"
    return mixup(o.value, o.kind, other.value, {k: v for k, v in stated.items() if k != o.kind}, where=where)


# ---------------------------------------------------------------- the database side

_new = object.__new__


def load_observations(db: sqlite_utils.Database, models: str | None = None, prices: str | None = None,
                      outlets: dict[int, str | None] | None = None, model: str | None = None,
                      articles: str | None = None) -> list[Observation]:
    """Every price claim (of the models the subquery ``models`` selects, or the price ids ``prices`` selects, or
    the prices of ``model`` in the ``articles`` a subquery selects, when given), with its effective date and
    seller (the model's developer: news quotes list prices). ``outlets``: the outlet of each of their articles,
    known already (their stored claims name it): the articles' rows, a random page each in the largest table,
    are then read only for a price without its own date. ``model`` and ``articles`` (a window of a price
    history) read the prices and events from their indexes alone (``idx_prices_window``, ``idx_events_window``)."""
    stated: dict[tuple[int, str, str], str] = {}
    of_models = f" and model_id in {models}" if models else ""
    params: list = []
    if prices:
        of_models += f" and article_id in (select article_id from prices where id in {prices})"
    if model is not None:  # by article, the model's only: the events index holds both
        of_models += f" and article_id in {articles} and +model_id = ?"
        params.append(model)
    for article_id, model_id, event_type, day in db.execute(  # tuples: a window reads thousands of rows
        # of some articles: by their ids, not every release and price change of the KB by type
        "select article_id, model_id, type, min(date) as date from events "
        f"where {'+' if models or prices or model else ''}type in ('price_change', 'model_release') and date is not null "
        "and model_id is not null"
        + (f" and article_id in (select article_id from prices where model_id in {models})" if models else "") + of_models
        + " group by article_id, model_id, type", params
    ):
        stated[(article_id, model_id, event_type)] = day
    reported = "p.reported" if "reported" in db["prices"].columns_dict else "0"
    # a range ("between $0.19 and $0.49") is not one price in effect: it stays a claim, outside the history
    where = ("where p.model_id is not null and p.amount is not null and p.amount_max is null"
             + (f" and p.model_id in {models}" if models else "") + (f" and p.id in {prices}" if prices else "")
             + (f" and p.model_id = ? and p.article_id in {articles}" if model is not None else ""))
    if outlets is None:
        cursor = db.execute(
            f"""select p.id, p.article_id, p.model_id, p.kind, p.amount, p.currency, p.per_tokens, p.period, p.unit, p.change,
                      coalesce(p.published_date, a.published_date) as published_date, m.developer_id, {reported} as reported,
                      a.source_id, s.name as source_name
               from prices p join articles a on a.id = p.article_id left join entities m on m.id = p.model_id
               left join sources s on s.id = a.source_id """ + where, params)
    else:
        cursor = db.execute(  # coalesce reads the article only when the price has no date of its own
            f"""select p.id, p.article_id, p.model_id, p.kind, p.amount, p.currency, p.per_tokens, p.period, p.unit, p.change,
                      coalesce(p.published_date, (select published_date from articles where id = p.article_id)) as published_date,
                      m.developer_id, {reported} as reported
               from prices p left join entities m on m.id = p.model_id """ + where, params)
        names = dict(db.execute("select id, name from sources").fetchall())
    observations = []
    days: dict[str, date] = {}  # the same few thousand days over and over
    for row in cursor:  # tuples, in the order selected: a window reads thousands of rows
        price_id, article_id, model_id, kind, amount, currency, per_tokens, period, unit, change, day, developer, \
            is_reported = row[:13]
        if outlets is None:
            source_id, source_name = row[13], row[14]
        else:
            source_id = outlets[article_id]
            source_name = names.get(source_id)
        basis = "published"
        for event_type in ("price_change", "model_release"):
            found = stated.get((article_id, model_id, event_type))
            if found:
                day, basis = found, "price_change" if event_type == "price_change" else "release"
                break
        if per_tokens:
            unit, value = "1M tokens", round(amount * 1_000_000 / per_tokens, 9)
        else:
            unit, value = period or unit, amount  # month; or minute, image, request
        if day:
            key = day[:10]
            on = days.get(key)
            if on is None:
                on = days[key] = date.fromisoformat(key)
        else:
            on = None
        # every field given: filled as unpickling does, not through the frozen __init__'s setattr per field
        # (a window at 1,000,000 articles builds tens of thousands: a tenth of the price windows' CPU)
        o = _new(Observation)
        o.__dict__.update(
            price_id=price_id, article_id=article_id, source_id=source_id, model_id=model_id,
            kind=kind, seller_id=developer, currency=currency, unit=unit, value=value,
            change=change, day=on, basis=basis, source_name=source_name, reported=bool(is_reported),
        )
        observations.append(o)
    return observations


def history_rows(intervals: list[Interval], previous: list[dict] | None = None, last_id: int = 0) -> list[dict]:
    """Rows of ``price_history``. An interval keeps the id of the ``previous`` row of its series that started on
    the same day; a new one takes the next id after ``last_id``: ids stay put whichever series are recomputed."""
    ids: dict[tuple, list[int]] = {}
    for row in sorted(previous or [], key=lambda r: r["id"]):
        ids.setdefault(_interval_key(row), []).append(row["id"])
    rows = []
    for interval in intervals:
        model_id, kind, seller_id, currency, unit = interval.series
        rows.append({
            "model_id": model_id, "kind": kind, "seller_id": seller_id, "currency": currency,
            "per_tokens": 1_000_000 if unit == "1M tokens" else None, "period": unit if unit != "1M tokens" else None,
            "amount": interval.value,
            "usd_per_million_tokens": interval.value if currency == "USD" and unit == "1M tokens" else None,
            "valid_from": interval.start.isoformat() if interval.start else None, "valid_from_precision": interval.start_precision,
            "valid_to": interval.end.isoformat() if interval.end else None, "valid_to_precision": interval.end_precision,
            "opened_by_article_id": interval.start_article, "closed_by_article_id": interval.end_article,
            "opened_by_price_id": interval.start_price,
            "claims": len([o for o in interval.members if same_amount(o.value, interval.value)]),
            "outlets": len({o.outlet for o in interval.members if same_amount(o.value, interval.value)}),
            # any claim for the same time that gives another price disputes it (undecided or not)
            "disputed": int(interval.disputed or bool(interval.disagreements)),
        })
    for row in rows:
        kept = ids.get(_interval_key(row))
        if kept:
            row["id"] = kept.pop(0)
        else:
            last_id += 1
            row["id"] = last_id
    return rows


def _interval_key(row: dict) -> tuple:
    return tuple(row[c] for c in ("model_id", "kind", "seller_id", "currency", "per_tokens", "period", "valid_from"))
