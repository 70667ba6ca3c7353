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
replace the stored rows; outside it the history is what it was. The window starts at a few weeks around the
changes and doubles until both edges are found (or it spans the series).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from kb.knowledge.price_history import (CHANGE_WINDOW_DAYS, Interval, Observation, OtherKinds, ReferenceCheck,
                                        Series, _changes, _series_history, load_observations)
from kb.knowledge.scope import id_set

__all__ = ["price_windows"]

_FIRST_SPAN = 40  # days around the changes read first
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
    """One model's observations read by day from the stored claims (their effective date is the observation's
    day), with every other price of their articles, and those of the changed articles."""

    def __init__(self, db: sqlite_utils.Database, model_id: str, changed: str):
        self.db, self.model_id, self.changed = db, model_id, changed
        self.read: dict[tuple, list[Observation]] = {}
        self.last = _day(db.execute("select max(effective_date) from claims where subject_id = ? and fact_table = 'prices'",
                                    [model_id]).fetchone()[0])

    def observations(self, first: date | None, last: date | None) -> list[Observation]:
        if (first, last) not in self.read:
            ids = id_set(self.db, "kb_window_prices", [row[0] for row in self.db.execute(
                # from the claims of those days (an index range), not every price of a popular model
                "select p.id from claims c join prices p on p.article_id = c.article_id and p.model_id = ? "
                "where c.subject_id = ? and c.fact_table = 'prices' and c.effective_date >= ? and c.effective_date <= ? "
                f"union select id from prices where model_id = ? and article_id in {self.changed}",
                [self.model_id, self.model_id, first.isoformat() if first else "", last.isoformat() if last else "9999",
                 self.model_id])])
            found = [o for o in load_observations(self.db, prices=ids) if o.day is not None and not o.reported]
            self.read[(first, last)] = found
        return self.read[(first, last)]


def price_windows(db: sqlite_utils.Database, changed: str, reference_agrees: ReferenceCheck
                  ) -> tuple[list[Interval], list[dict]]:
    """The intervals of the windows of every series the ``changed`` articles (a subquery) state or stated a
    price of, and the stored ``price_history`` rows they replace."""
    days: dict[str, set[date]] = {}
    for model_id, effective in db.execute(f"select subject_id, effective_date from claims where article_id in {changed} "
                                          "and fact_table = 'prices' and subject_id is not null"):
        if _day(effective):
            days.setdefault(model_id, set()).add(_day(effective))
    now = [o for o in load_observations(db, prices=f"(select id from prices where article_id in {changed})")
           if o.day is not None and not o.reported]
    for o in now:
        days.setdefault(o.model_id, set()).add(o.day)
    found: dict[Series, list[Interval]] = {}
    replaced: list[dict] = []
    for model_id in sorted(days):
        model = _Model(db, model_id, changed)
        stored: dict[Series, list[dict]] = {}
        for row in db.query("select * from price_history where model_id = ?", [model_id]):
            stored.setdefault(_series_of(row), []).append(row)
        for series in sorted(set(stored) | {o.series for o in now if o.model_id == model_id},
                             key=lambda key: tuple(str(x) for x in key)):
            intervals, rows = _window(model, series, sorted(days[model_id]), stored.get(series, []), reference_agrees)
            found[series] = intervals
            replaced += rows
    return [interval for series in sorted(found, key=lambda key: tuple(str(x) for x in key)) for interval in found[series]], replaced


def _spanned(intervals: list[Interval], day: date) -> bool:
    """Is an interval joined across this change point?"""
    return any(i.start and i.end and i.start < day < i.end for i in intervals)


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
            whole = model.observations(None, None)
            return (_series_history(series, [o for o in whole if o.series == series], _kinds(whole), reference_agrees),
                    stored)
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
    span = _FIRST_SPAN
    while True:
        restart = max((day for day in ends if day <= first - timedelta(days=span) and (floor is None or day >= floor)),
                      default=floor)
        probe = max(first, through or first) + timedelta(days=span)  # ``through``: the change it must cover
        last = max(day for day in changes if day <= probe)
        to_end = model.last is None or probe >= model.last
        observations = model.observations(restart - timedelta(days=CHANGE_WINDOW_DAYS) if restart else None,
                                          None if to_end else probe)
        members = [o for o in observations if o.series == series]
        intervals = _series_history(series, members, _kinds(observations), reference_agrees, since=restart)
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
        span *= 2
    if any(_day(row["valid_from"]) and _day(row["valid_to"]) and any(
            _day(row["valid_from"]) < cut < _day(row["valid_to"]) for cut in (start, end) if cut) for row in stored):
        return [], [], False, len(changes)
    inside = lambda day: (start is None or (day is not None and day >= start)) and (end is None or day is None or day < end)  # noqa: E731
    covered = len(changes) if end is None else len([day for day in changes if day <= last])
    return ([interval for interval in intervals if inside(interval.start)],
            [row for row in stored if inside(_day(row["valid_from"]))], end, covered)
