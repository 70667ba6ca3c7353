"""The price part of an incremental refresh runs one model at a time (issue 13 part 4): a model's windows, history
rows and price claims are made and written before the next model is read, and nothing of a model outlives it.
The tables must still equal a full refresh, id for id, when one refresh touches several models and series, and
whether the claims are compared with the stored rows or streamed in place of them."""

from __future__ import annotations

import gc
import random
import weakref
from dataclasses import FrozenInstanceError, fields
from unittest.mock import patch

import pytest

from kb.knowledge import price_loop
from kb.knowledge.price_history import Observation, load_observations
from tests.knowledge_kb import OUTLETS
from tests.test_knowledge_incremental import _both, _day, _newsrooms

MODELS = ("deepseek-r1", "deepseek-v3", "o3-mini", "gpt-4o")


def _plan(rng: random.Random, days: int = 200) -> list[tuple]:
    """(outlet, day, prices, (model, change day) or None): four models, two kinds each, changing price on their own
    paces; outlets quote one or two prices of a model, sometimes a stale or a mixed-up one."""
    prices = {(model, kind): (1.0 if kind == "input" else 4.0) * (k + 1) for k, model in enumerate(MODELS)
              for kind in ("input", "output")}
    plan, day = [], 0
    while day < days:
        model = rng.choice(MODELS)
        kind = rng.choice(("input", "output"))
        if rng.random() < 0.4:
            new = round(prices[(model, kind)] * rng.choice((0.5, 0.8, 1.25)), 4)
            plan.append((rng.choice(list(OUTLETS)), day, ((model, kind, prices[(model, kind)], "old"),
                                                          (model, kind, new, "new")), (model, day)))
            prices[(model, kind)] = new
        for _ in range(rng.randrange(1, 4)):
            model = rng.choice(MODELS)
            quoted = tuple((model, k, rng.choice((prices[(model, k)], prices[(model, k)], round(prices[(model, k)] * 1.1, 4))))
                           for k in rng.choice((("input",), ("output",), ("input", "output"))))
            plan.append((rng.choice(list(OUTLETS)), day + rng.randrange(0, 6), quoted, None))
        day += rng.choice((2, 3, 5, 7))
    return plan


def _publish(room, plan, prefix: str) -> None:
    for number, (outlet, day, prices, changed) in enumerate(plan):
        events = () if changed is None else (
            {"type": "price_change", "company": "deepseek" if changed[0].startswith("deepseek") else "openai",
             "model": changed[0], "date": _day(changed[1])},)
        room.publish(outlet, f"{_day(day)}T09:00:00+00:00", url=f"https://{outlet}.test/{prefix}-{number}",
                     prices=prices, events=events)


def _watched(seen: list[tuple[str, int]]):
    """``model_windows`` that records, as each model's windows arrive, how many intervals of the models before it
    are still alive (they must all be gone: written and dropped)."""
    real = price_loop.model_windows

    def model_windows(db, changed, reference_agrees):
        windows = real(db, changed, reference_agrees)

        def each():
            alive: list[weakref.ref] = []
            for model_id, intervals, previous in windows:
                gc.collect()
                seen.append((model_id, sum(ref() is not None for ref in alive)))
                alive = [weakref.ref(interval) for interval in intervals]
                yield model_id, intervals, previous
                del intervals, previous
        return each()
    return model_windows


@pytest.mark.parametrize("compare_up_to", [0, 1_000], ids=("streamed", "compared"))
@pytest.mark.parametrize("seed", [4, 9])
def test_several_models_recomputed_one_at_a_time_equal_a_full_refresh_id_for_id(compare_up_to, seed):
    rng = random.Random(seed)
    rooms = _newsrooms()
    plan = _plan(rng)
    _both(rooms, lambda r: _publish(r, plan, "run"))
    db = rooms[0].db
    assert db.execute("select count(distinct model_id || kind) from price_history").fetchone()[0] == 8
    # one refresh touching every model: new quotes and changes in the middle and at the end, corrections of
    # stored articles (a price moved to another model's series), so windows of every model and new history ids
    batch = [(rng.choice(list(OUTLETS)), rng.randrange(20, 220), ((model, rng.choice(("input", "output")), 0.9 + k),),
              None) for k, model in enumerate(MODELS * 2)]
    batch.append(("wire", 120, (("o3-mini", "input", 9.0, "old"), ("o3-mini", "input", 1.5, "new")), ("o3-mini", 120)))
    # a change of every model after the last day: new intervals, whose ids follow each other across the models
    batch += [("ledger", 230 + 10 * k, ((model, "input", 50.0 + k, "old"), (model, "input", 0.1 + k, "new")),
               (model, 230 + 10 * k)) for k, model in enumerate(MODELS)]
    corrected = rng.sample([n for n, step in enumerate(plan) if step[3] is None], 3)
    seen: list[tuple[str, int]] = []

    def edit(room):
        _publish(room, batch, "edit")
        for number in corrected:
            outlet, day, prices, _ = plan[number]
            moved = tuple((MODELS[(MODELS.index(model) + 1) % len(MODELS)], kind, value) for model, kind, value in prices)
            room.publish(outlet, f"{_day(day)}T09:00:00+00:00", url=f"https://{outlet}.test/run-{number}",
                         note="corrected", prices=moved)

    with patch("kb.knowledge.incremental.COMPARE_UP_TO", compare_up_to), \
            patch("kb.knowledge.price_loop.model_windows", _watched(seen)):
        last_id = db.execute("select max(id) from price_history").fetchone()[0]
        summary = _both(rooms, edit)  # compares every derived table with the full refresh's, ids included
    assert summary.changed_articles == len(batch) + len(corrected)
    assert [model for model, _ in seen] == sorted(MODELS)
    assert all(alive == 0 for _, alive in seen), seen
    new = [row[0] for row in db.execute("select model_id from price_history where id > ? order by id", [last_id])]
    assert len(set(new)) == len(MODELS) and new == sorted(new)  # new ids handed out model after model
    assert db.execute("select count(*) from conflicts where claim_id % 4 = 1").fetchone()[0] > 0


def test_the_latest_price_of_a_model_moved_to_another_model_streamed_equals_a_full_refresh():
    """Streamed, a model's stale price claims are deleted as that model is reached, after the changed articles'
    claims: the last model read loses its latest claim to the first, and both come out as a full refresh's."""
    rng = random.Random(2)
    rooms = _newsrooms()
    plan = _plan(rng, days=120)
    _both(rooms, lambda r: _publish(r, plan, "run"))
    last = max((n for n, step in enumerate(plan) if step[3] is None and step[2][0][0] == sorted(MODELS)[-1]),
               key=lambda n: plan[n][1])
    outlet, day, prices, _ = plan[last]
    with patch("kb.knowledge.incremental.COMPARE_UP_TO", 0):
        summary = _both(rooms, lambda r: r.publish(outlet, f"{_day(day)}T09:00:00+00:00", note="corrected",
                                                   url=f"https://{outlet}.test/run-{last}",
                                                   prices=((sorted(MODELS)[0],) + prices[0][1:],)))
    assert summary.changed_articles == 1
    moved = rooms[0].db.execute("select subject_id from claims where fact_table = 'prices' and article_id = "
                                "(select id from articles where url = ?)", [f"https://{outlet}.test/run-{last}"]).fetchall()
    assert [row[0] for row in moved] == [sorted(MODELS)[0]]


def test_observations_read_from_the_store_are_whole_observations():
    # load_observations fills them without the dataclass's __init__ (a window builds tens of thousands)
    rooms = _newsrooms()
    _publish(rooms[0], _plan(random.Random(1), days=20), "run")
    found = load_observations(rooms[0].db)
    assert len(found) > 5
    for o in found:
        made = Observation(**vars(o))
        assert set(vars(o)) == {f.name for f in fields(Observation)}
        assert o == made and hash(o) == hash(made) and o.series == made.series
        with pytest.raises(FrozenInstanceError):
            o.value = 0.0


def test_a_window_cut_inside_the_open_last_interval_reads_all_of_its_members():
    """The last interval of a series is open (no end). Change points inside it (a change reported again to the
    price it already had: the slots are joined) are no place to cut a window: the interval's claims and outlets
    count every member since it opened, not those of the window."""
    rooms = _newsrooms()
    plan, price = [], 8.0
    for step in range(8):  # kept changes early on
        new = price / 2
        plan.append((list(OUTLETS)[step % len(OUTLETS)], 10 * step, (("o3-mini", "input", price, "old"),
                                                                    ("o3-mini", "input", new, "new")), ("o3-mini", 10 * step)))
        price = new
    for k, day in enumerate(range(85, 400, 4)):  # a long stable price, quoted often, its change reported again
        changed = k % 9 == 0
        prices = (("o3-mini", "input", price * 2, "old"), ("o3-mini", "input", price, "new")) if changed else \
            (("o3-mini", "input", price),)
        plan.append((list(OUTLETS)[k % len(OUTLETS)], day, prices, ("o3-mini", day) if changed else None))
    _both(rooms, lambda r: _publish(r, plan, "run"))
    db = rooms[0].db
    assert db.execute("select max(claims) from price_history where valid_to is null").fetchone()[0] > 40
    for day in (395, 330):  # a quote late in the open interval, then one in its middle
        _both(rooms, lambda r: _publish(r, [("wire", day, (("o3-mini", "input", price),), None)], f"late-{day}"))
