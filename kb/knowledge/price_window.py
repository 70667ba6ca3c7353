"""The price history of the part of a series that changed: the window an incremental refresh recomputes.

A series' history (:func:`kb.knowledge.price_history._series_history`) is a sweep over days. Its change points
are a chain: a reported change a few days after the last kept one is the same change, so the chain from a kept
change on only depends on that change. An observation goes to the slot between two change points by its day
(a change's own observations to the nearest point within CHANGE_WINDOW_DAYS); a late report of the old price
moves one slot back; equal undisputed neighbours are joined.

So the history restarted at a kept change ``P`` (its observations from a few days before on) is exact from the
third change point after ``P`` on, and until the third after a change point ``R`` that the old and the new
chains share past the changes (the stored rows' ends are kept changes of the old chain). Between the last such
point before the changes and the first after them where no interval is joined across, the window's intervals
replace the stored rows; outside it the history is what it was. The window starts a few kept changes before and
after the changes; a side that finds no such point reaches twice as far, until it does (or spans the series).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, timedelta

import sqlite_utils

from kb.knowledge.price_history import (CHANGE_WINDOW_DAYS, Interval, Observation, OtherKinds, ReferenceCheck,
                                        Series, _changes, _series_history, load_observations)
from kb.knowledge.scope import id_set

__all__ = ["price_windows", "model_windows"]

_EDGE = 2 * CHANGE_WINDOW_DAYS  # a change point this far from a changed day: its neighbouring slots did not change
_SKIP = 3  # change points after a restart before the history is exact again


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _series_of(row: dict) -> Series:
    unit = "1M tokens" if row["per_tokens"] else row["period"]
    return (row["model_id"], row["kind"], row["seller_id"], row["currency"], unit)


def _kinds(observations: list[Observation]) -> OtherKinds:
    kinds: OtherKinds = {}
    for o in observations:
        kinds.setdefault((o.article_id, o.model_id, o.seller_id, o.currency, o.unit), {})[o.kind] = o.value
    return kinds


class _Model:
    """One model's observations, read by day from the stored claims (their effective date is the observation's
    day) once for all its series' windows: a window asks for days, the model reads only the days no window
    read before, and answers from what it holds. The changed articles' observations are always in."""

    def __init__(self, db: sqlite_utils.Database, model_id: str, now: list[Observation], last: date | None):
        self.db, self.model_id, self.now = db, model_id, now
        self.changed = {o.article_id for o in now}
        self.last = last  # the model's last price claim's day, read before any claim was rewritten
        self.low: str | None = None  # the days read: low..high (effective dates, as stored)
        self.high: str | None = None
        self.dated: list[tuple[str, int]] = []  # (effective date, article) of every claim read, sorted
        self.of_article: dict[int, list[Observation]] = {}
        self.kinds: OtherKinds = _kinds(now)  # an article's kinds are all its observations': a window holds all or none
        self.decided: dict = {}  # (series, slot, is_open) → _decide's answer, the same in every window
        self.stating: dict[Series, set[int]] | None = None  # series → the articles that state a price of it

    def observations(self, first: date | None, last: date | None, series: Series | None = None) -> list[Observation]:
        """The observations of the articles with a price claim of the model from ``first`` to ``last`` (None: no
        bound), and of the changed articles. The whole series (no bound either side): those of the articles that
        state a price of ``series`` (what its history reads), not every article of the model."""
        if first is None and last is None and series is not None and (self.low, self.high) != ("", "9999"):
            return self._whole(series)
        low, high = first.isoformat() if first else "", last.isoformat() if last else "9999"
        if self.low is None:
            self._read(low, high)
        else:
            if low < self.low:
                self._read(low, self.low, upper_open=True)
            if high > self.high:
                self._read(self.high, high, lower_open=True)
        begin, end = bisect_left(self.dated, (low,)), bisect_right(self.dated, (high, float("inf")))
        articles = {article for _, article in self.dated[begin:end]}
        found = [o for article in articles for o in self.of_article.get(article, ())] + self.now
        return sorted(found, key=lambda o: o.price_id)

    def _read(self, low: str, high: str, lower_open: bool = False, upper_open: bool = False) -> None:
        """Claims of the days low..high (an index range) and the observations of articles not read before."""
        rows = self.db.execute(
            "select effective_date, article_id, source_id from claims where subject_id = ? and fact_table = 'prices' "
            f"and effective_date {'>' if lower_open else '>='} ? and effective_date {'<' if upper_open else '<='} ?",
            [self.model_id, low, high]).fetchall()
        outlets = {article: source for _, article, source in rows}  # a claim names its article's outlet
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)
        self.dated = sorted(set(self.dated) | {(day, article) for day, article, _ in rows if article not in self.changed})
        self._load({article for _, article, _ in rows if article not in self.changed and article not in self.of_article},
                   outlets)

    def _whole(self, series: Series) -> list[Observation]:
        """The observations of every article that states a price of ``series`` (a sparse series of a popular model
        spans its years: the model's prices are read once, one row each, and only its articles are loaded)."""
        if self.stating is None:
            self.stating = {}
            developer = self.db.execute("select developer_id from entities where id = ?", [self.model_id]).fetchone()
            for article, kind, currency, per_tokens, period, unit in self.db.execute(
                    "select article_id, kind, currency, per_tokens, period, unit from prices where model_id = ?",
                    [self.model_id]):
                key = (self.model_id, kind, developer[0] if developer else None, currency,
                       "1M tokens" if per_tokens else period or unit)
                self.stating.setdefault(key, set()).add(article)
        articles = self.stating.get(series, set()) - self.changed
        self._load({article for article in articles if article not in self.of_article})
        found = [o for article in articles for o in self.of_article[article]] + self.now
        return sorted(found, key=lambda o: o.price_id)

    def _load(self, new: set[int], outlets: dict[int, str | None] | None = None) -> None:
        """The observations of ``new`` articles (all their prices of the model: their other kinds are asked);
        ``outlets``: their outlets, from their claims (unchanged articles: as their rows say)."""
        if not new:
            return
        for article in new:
            self.of_article[article] = []
        articles = id_set(self.db, "kb_window_articles", new)
        for o in sorted(load_observations(self.db, model=self.model_id, articles=articles, outlets=outlets),
                        key=lambda o: o.price_id):
            if o.day is not None and not o.reported:
                self.of_article[o.article_id].append(o)
                self.kinds.setdefault((o.article_id, o.model_id, o.seller_id, o.currency, o.unit), {})[o.kind] = o.value


def price_windows(db: sqlite_utils.Database, changed: str, reference_agrees: ReferenceCheck
                  ) -> tuple[list[Interval], list[dict]]:
    """The intervals of the windows of every series the ``changed`` articles (a subquery) state or stated a
    price of, and the stored ``price_history`` rows they replace (all of :func:`model_windows` at once)."""
    intervals: list[Interval] = []
    replaced: list[dict] = []
    for _, found, rows in model_windows(db, changed, reference_agrees):
        intervals += found
        replaced += rows
    return intervals, replaced


def model_windows(db: sqlite_utils.Database, changed: str, reference_agrees: ReferenceCheck
                  ) -> Iterator[tuple[str, list[Interval], list[dict]]]:
    """The windows of :func:`price_windows`, one model at a time, in the order of the full history (a model's
    series sorted, models sorted): (model, its windows' intervals, the stored rows of it they replace).

    What the changed articles state or stated is read before the first model is: the caller may write one
    model's history and claims (deleting the changed articles' stored claims) before the next model is read,
    and a model's windows only read the other, unchanged articles' claims of that model.

    A series' history depends on its own observations, and on the other prices their articles state (a price
    may be another kind's, mixed up): an article only changes the series it states a price of. What a stored
    article stated before is known by model, from its claims, not by series: its days go to every series of
    the model. A new article (most of a crawl) has no claims yet, and windows only the series it states."""
    stated: dict[str, set[date]] = {}
    for model_id, effective in db.execute(  # by article: the planner would read every price claim by fact_table
            f"select subject_id, effective_date from claims where article_id in {changed} "
            "and +fact_table = 'prices' and subject_id is not null"):
        if _day(effective):
            stated.setdefault(model_id, set()).add(_day(effective))
    now: dict[str, list[Observation]] = {}
    for o in sorted((o for o in load_observations(db, prices=f"(select id from prices where article_id in {changed})")
                     if o.day is not None and not o.reported), key=lambda o: o.price_id):
        now.setdefault(o.model_id, []).append(o)
    models = sorted(set(stated) | set(now))
    last = {model_id: _day(db.execute("select max(effective_date) from claims where subject_id = ? "
                                      "and fact_table = 'prices'", [model_id]).fetchone()[0]) for model_id in models}
    return _each_model(db, models, stated, now, last, reference_agrees)


def _each_model(db: sqlite_utils.Database, models: list[str], stated: dict[str, set[date]],
                now: dict[str, list[Observation]], last: dict[str, date | None], reference_agrees: ReferenceCheck
                ) -> Iterator[tuple[str, list[Interval], list[dict]]]:
    for model_id in models:
        mine = now.get(model_id, [])
        model = _Model(db, model_id, mine, last[model_id])
        days: dict[Series, set[date]] = {}
        for o in mine:
            days.setdefault(o.series, set()).add(o.day)
        stored: dict[Series, list[dict]] = {}
        for row in db.query("select * from price_history where model_id = ?", [model_id]):
            stored.setdefault(_series_of(row), []).append(row)
        intervals: list[Interval] = []
        replaced: list[dict] = []
        for series in sorted(set(stored) | set(days), key=lambda key: tuple(str(x) for x in key)):
            changes = sorted(stated.get(model_id, set()) | days.get(series, set()))
            if changes:
                found, rows = _window(model, series, changes, stored.get(series, []), reference_agrees)
                intervals += found
                replaced += rows
        yield model_id, intervals, replaced
        del model, intervals, replaced  # not held while the next model is read


def _spanned(intervals: list[Interval], day: date) -> bool:
    """Is an interval joined across this change point?"""
    return any(i.start and i.start < day and (i.end is None or day < i.end) for i in intervals)  # open: to the end


def _window(model: _Model, series: Series, changes: list[date], stored: list[dict], reference_agrees: ReferenceCheck
            ) -> tuple[list[Interval], list[dict]]:
    """The intervals of the windows of a series around ``changes`` (one per run of changes close together, in
    order), and the stored rows they replace."""
    ends = sorted({_day(row["valid_to"]) for row in stored if row["valid_to"]})  # kept changes of the old chain
    done: list[tuple[list[date], list[Interval], list[dict], date | None]] = []
    rest, floor, through = changes, None, None
    while rest:
        found = _one_window(model, series, rest, stored, ends, reference_agrees, floor, through)
        if found is None:  # too close after the last window to start another: one window for both
            before, through = done.pop()[0], rest[0]
            rest, floor = before + rest, done[-1][3] if done else None
            continue
        through = None
        intervals, rows, end, covered = found
        if end is False:  # a stored interval joined across an edge: recompute the whole series (never seen)
            whole = model.observations(None, None, series)
            return (_series_history(series, [o for o in whole if o.series == series], model.kinds, reference_agrees,
                                    decided=model.decided), stored)
        done.append((rest[:covered], intervals, rows, end))
        rest, floor = rest[covered:], end
    return [i for _, intervals, _, _ in done for i in intervals], [row for _, _, rows, _ in done for row in rows]


def _one_window(model: _Model, series: Series, changes: list[date], stored: list[dict], ends: list[date],
                reference_agrees: ReferenceCheck, floor: date | None, through: date | None = None):
    """The window of the first run of ``changes``, restarted at a kept change not before ``floor`` (the end of
    the window before it, where the old and new histories agree): its intervals, the stored rows they replace,
    its end (None: the end of the series; False: see :func:`_window`) and how many changes it covers. None when
    it cannot start after ``floor``."""
    first = changes[0]
    # the window's edges are counted in kept changes of the stored chain, not days: as many as a cut needs
    # behind and ahead (and a spare), whatever the series' pace; a side that finds no cut takes twice as many
    before = [day for day in ends if day < first - timedelta(days=_EDGE) and (floor is None or day >= floor)]
    ahead = max(first, through or first)  # ``through``: the change it must cover
    after = [day for day in ends if day > ahead + timedelta(days=_EDGE)]
    back, forth = _SKIP + 2, _SKIP + 3
    while True:
        restart = before[-back] if back <= len(before) else floor
        probe = after[forth - 1] + timedelta(days=CHANGE_WINDOW_DAYS) if forth <= len(after) else \
            max(ahead, model.last or ahead)
        last = max(day for day in changes if day <= probe)
        to_end = model.last is None or probe >= model.last
        observations = model.observations(restart - timedelta(days=CHANGE_WINDOW_DAYS) if restart else None,
                                          None if to_end else probe, series)
        members = [o for o in observations if o.series == series]
        intervals = _series_history(series, members, model.kinds, reference_agrees, since=restart, decided=model.decided)
        chain = [change.day for change in _changes(members, restart)]
        start = end = None
        left = right = True
        if restart:
            cuts = [chain[k] for k in range(_SKIP, len(chain) - 1)
                    if chain[k + 1] + timedelta(days=_EDGE) < first and not _spanned(intervals, chain[k])]
            left = bool(cuts) and chain[0] == restart
            start = cuts[-1] if left else None
        if not to_end:
            shared = next((k for k, day in enumerate(chain) if day in ends and day > last + timedelta(days=_EDGE)), None)
            cuts = [] if shared is None else [
                chain[k] for k in range(shared + _SKIP, len(chain) - 2)
                if chain[k + 2] + timedelta(days=CHANGE_WINDOW_DAYS) <= probe and not _spanned(intervals, chain[k])]
            right = bool(cuts)
            end = cuts[0] if right else None
        if left and right:
            break
        if not left and floor is not None and restart == floor:
            return None
        back, forth = back * (1 if left else 2), forth * (1 if right else 2)
    if any(_day(row["valid_from"]) and any(
            _day(row["valid_from"]) < cut and (not row["valid_to"] or cut < _day(row["valid_to"]))
            for cut in (start, end) if cut) for row in stored):
        return [], [], False, len(changes)
    inside = lambda day: (start is None or (day is not None and day >= start)) and (end is None or day is None or day < end)  # noqa: E731
    covered = len(changes) if end is None else len([day for day in changes if day <= last])
    return ([interval for interval in intervals if inside(interval.start)],
            [row for row in stored if inside(_day(row["valid_from"]))], end, covered)
