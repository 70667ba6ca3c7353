"""Dated price history from the news: effective dates, changes as intervals, corrections, disagreements."""

from tests.knowledge_kb import gazetteer_small, newsroom  # noqa: F401 - fixtures

CUT = {"type": "price_change", "company": "openai", "model": "o3", "date": "2025-06-10"}


def _history(newsroom, model, kind):
    return [(r["amount"], r["valid_from"], r["valid_from_precision"], r["valid_to"], r["valid_to_precision"])
            for r in newsroom.db.query(
                "select * from price_history where model_id = ? and kind = ? order by coalesce(valid_from, '')", [model, kind])]


def _claims(newsroom, model, kind):
    return {(r["article_id"], r["value"]): r for r in newsroom.db.query(
        "select * from claims where subject_id = ? and predicate = ?", [model, f"price:{kind}"])}


def test_from_x_to_y_closes_one_interval_and_opens_another_on_the_change_date(newsroom):
    newsroom.publish("ledger", "2025-06-11T07:15:00-07:00", events=(CUT,),
                     prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new")))
    newsroom.refresh()
    assert _history(newsroom, "o3", "input") == [
        (10.0, None, None, "2025-06-10", "day"),
        (2.0, "2025-06-10", "day", None, None),
    ]


def test_one_change_reported_by_two_outlets_is_one_change_corroborated(newsroom):
    for outlet, published in (("ledger", "2025-06-11"), ("hanbit", "2025-06-11T18:00:00+09:00")):
        newsroom.publish(outlet, published, events=(CUT,), prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new")))
    newsroom.refresh()
    history = list(newsroom.db.query("select * from price_history where model_id = 'o3' order by coalesce(valid_from, '')"))
    assert [(r["amount"], r["claims"], r["outlets"]) for r in history] == [(10.0, 2, 2), (2.0, 2, 2)]
    assert {c["status"] for c in _claims(newsroom, "o3", "input").values()} == {"corroborated"}


def test_a_price_without_a_stated_date_is_dated_by_publication_on_or_before(newsroom):
    newsroom.publish("ledger", "2024-05-14T09:00:00-07:00", prices=(("gpt-4o", "input", 5.0),))
    newsroom.refresh()
    assert _history(newsroom, "gpt-4o", "input") == [(5.0, "2024-05-14", "on_or_before", None, None)]
    [claim] = _claims(newsroom, "gpt-4o", "input").values()
    assert (claim["effective_date"], claim["effective_basis"]) == ("2024-05-14", "published")


def test_a_launch_price_is_dated_by_the_release_the_article_states(newsroom):
    release = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31"}
    newsroom.publish("ledger", "2025-02-01", events=(release,), prices=(("o3-mini", "input", 1.1),))
    newsroom.refresh()
    assert _history(newsroom, "o3-mini", "input") == [(1.1, "2025-01-31", "day", None, None)]


def test_prices_in_other_units_are_compared_per_million_tokens(newsroom):
    newsroom.publish("zhixin", "2024-05-22", prices=(("deepseek-v3", "input", 0.001, None, "CNY", 1000),))
    newsroom.publish("hanbit", "2024-05-23", prices=(("deepseek-v3", "input", 1.0, None, "CNY", 1_000_000),))
    newsroom.refresh()
    [row] = newsroom.db.query("select * from price_history where model_id = 'deepseek-v3'")
    assert (row["amount"], row["currency"], row["per_tokens"], row["outlets"]) == (1.0, "CNY", 1_000_000, 2)


def test_a_correction_is_not_a_price_change(newsroom):
    url = "https://hanbit.test/o3-mini"
    newsroom.publish("hanbit", "2025-02-03", url=url, prices=(("o3-mini", "input", 0.55),))
    newsroom.refresh()
    newsroom.publish("hanbit", "2025-02-03", url=url, note="corrected", prices=(("o3-mini", "input", 1.1),))
    newsroom.refresh()
    assert _history(newsroom, "o3-mini", "input") == [(1.1, "2025-02-03", "on_or_before", None, None)]
    assert newsroom.db["article_revisions"].count == 1  # the first text is kept, its price is not history
    assert newsroom.db["conflicts"].count == 0


def test_two_outlets_disagreeing_without_a_change_is_a_conflict_not_a_change(newsroom):
    release = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31"}
    right = newsroom.publish("ledger", "2025-02-01", events=(release,),
                             prices=(("o3-mini", "input", 1.1), ("o3-mini", "cached_input", 0.55), ("o3-mini", "output", 4.4)))
    wrong = newsroom.publish("hanbit", "2025-02-03", events=(release,),
                             prices=(("o3-mini", "input", 0.55), ("o3-mini", "output", 4.4)))
    newsroom.refresh()
    [interval] = newsroom.db.query("select * from price_history where model_id = 'o3-mini' and kind = 'input'")
    # a claim for the same time that gives another price disputes the interval, even when the history can decide
    assert (interval["amount"], interval["valid_to"], interval["disputed"]) == (1.1, None, 1)
    claims = _claims(newsroom, "o3-mini", "input")
    assert claims[(wrong, "$0.55 per 1M tokens")]["status"] == "contradicted"
    assert claims[(right, "$1.10 per 1M tokens")]["status"] == "asserted"
    [conflict] = newsroom.db["conflicts"].rows
    assert (conflict["against"], conflict["against_article_id"], conflict["expected"]) == ("news", right, "$1.10 per 1M tokens")
    assert conflict["explanation"].startswith("matches cached_input")
    output = _claims(newsroom, "o3-mini", "output")
    assert {c["status"] for c in output.values()} == {"corroborated"}


def test_an_undecidable_disagreement_contradicts_both_sides(newsroom):
    newsroom.publish("ledger", "2025-03-01", prices=(("gpt-4o", "output", 10.0),))
    newsroom.publish("zhixin", "2025-03-02", prices=(("gpt-4o", "output", 12.0),))
    newsroom.refresh()
    [interval] = newsroom.db.query("select * from price_history where model_id = 'gpt-4o'")
    assert interval["disputed"] == 1
    assert {c["status"] for c in _claims(newsroom, "gpt-4o", "output").values()} == {"contradicted"}
    assert newsroom.db["conflicts"].count == 2


def test_an_old_price_quoted_just_after_a_change_is_not_a_conflict(newsroom):
    newsroom.publish("ledger", "2025-06-11", events=(CUT,), prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new")))
    newsroom.publish("wire", "2025-06-12", prices=(("o3", "input", 10.0),))  # written before the news reached it
    newsroom.refresh()
    assert [row[0] for row in _history(newsroom, "o3", "input")] == [10.0, 2.0]
    assert newsroom.db["conflicts"].count == 0


def test_refresh_is_idempotent(newsroom):
    newsroom.publish("ledger", "2025-06-11", events=(CUT,), prices=(("o3", "input", 10.0, "old"), ("o3", "input", 2.0, "new")))
    newsroom.publish("hanbit", "2025-02-03", prices=(("o3-mini", "input", 0.55),))
    first = newsroom.refresh()
    tables = {t: list(newsroom.db[t].rows) for t in ("claims", "price_history", "conflicts", "event_clusters")}
    second = newsroom.refresh()
    assert first == second
    for table, rows in tables.items():
        now = list(newsroom.db[table].rows)
        if table == "event_clusters":
            rows = [{k: v for k, v in r.items() if k != "updated_at"} for r in rows]
            now = [{k: v for k, v in r.items() if k != "updated_at"} for r in now]
        assert now == rows, table


def test_an_interval_is_dated_by_a_claim_of_its_own_value_not_by_a_disputed_one(newsroom):
    # the outlet with the wrong price is first in the slot (same release day): it must not be named as the source of 1.1
    release = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31"}
    wrong = newsroom.publish("hanbit", "2025-02-01", events=(release,), prices=(("o3-mini", "input", 0.55),))
    right = newsroom.publish("ledger", "2025-02-03", events=(release,),
                             prices=(("o3-mini", "input", 1.1), ("o3-mini", "cached_input", 0.55)))
    newsroom.publish("wire", "2025-02-04", events=(release,), prices=(("o3-mini", "input", 1.1),))
    newsroom.refresh()
    [interval] = newsroom.db.query("select * from price_history where model_id = 'o3-mini' and kind = 'input'")
    assert interval["amount"] == 1.1 and interval["opened_by_article_id"] == right != wrong
    opening = newsroom.db["prices"].get(interval["opened_by_price_id"])
    assert (opening["article_id"], opening["amount"]) == (right, 1.1)
    assert (interval["claims"], interval["outlets"]) == (2, 2)  # the claims that state 1.1, not the one that disputes it


def test_a_reported_price_is_stored_as_reported_and_stays_out_of_the_history(newsroom):
    own = newsroom.publish("ledger", "2025-02-01", prices=(("o3-mini", "input", 1.1),))
    relayed = newsroom.publish("hanbit", "2025-02-02", prices=(("o3-mini", "input", 0.55, {"reported": True}),))
    newsroom.refresh()
    assert [r["reported"] for r in newsroom.db.query("select reported from prices order by article_id")] == [0, 1]
    assert [row[0] for row in _history(newsroom, "o3-mini", "input")] == [1.1]
    claims = {c["article_id"]: c for c in newsroom.db.query("select * from claims where fact_table = 'prices'")}
    assert claims[relayed]["status"] == "reported" and claims[relayed]["statement"].startswith("reported, not asserted")
    assert claims[own]["status"] == "asserted"
    assert newsroom.db["conflicts"].count == 0  # someone else's figure contradicts no outlet


def test_a_reported_event_claim_is_marked_reported(newsroom):
    event = {"type": "model_release", "company": "openai", "model": "o3-mini", "date": "2025-01-31", "reported": True}
    newsroom.publish("hanbit", "2025-02-01", events=(event,))
    newsroom.refresh()
    [row] = newsroom.db.query("select reported, details from events")
    assert row["reported"] == 1 and not (row["details"] or "").count("reported")
    [claim] = newsroom.db.query("select status from claims where fact_table = 'events'")
    assert claim["status"] == "reported"


def test_a_slot_asks_for_a_mix_up_as_the_message_would_find_it():
    """``_mixes`` (asked of every pair of claims in a slot) finds a mix-up exactly when ``_explain`` has a message:
    another kind of the other article's, or a price per 1K tokens read as per 1M, either way."""
    from itertools import product

    from kb.knowledge.price_history import Observation, _explain, _mixes

    def claim(price_id, article_id, kind, value):
        return Observation(price_id=price_id, article_id=article_id, source_id="ledger", model_id="o3", kind=kind,
                           seller_id="openai", currency="USD", unit="1M tokens", value=value, change=None, day=None,
                           basis="published")

    values = (2.0, 2.004, 2.02, 8.0, 0.002, 2000.0, 2010.0, 0.00201)
    seen = set()
    for mine, theirs, output in product(values, values, (None, 8.0, 2.0, 0.002)):
        other = claim(2, 20, "input", theirs)
        kinds = {(20, "o3", "openai", "USD", "1M tokens"): {"input": theirs, **({"output": output} if output else {})}}
        found = _mixes(claim(1, 10, "input", mine), other, kinds)
        assert found == bool(_explain(claim(1, 10, "input", mine), other, kinds)), (mine, theirs, output)
        seen.add(found)
    assert seen == {True, False}


def _decide_pairwise(series, slot, kinds, reference_agrees, is_open):
    """The slot decision as it was before the mix index: every pair of claims asked with ``_mixes``."""
    from kb.knowledge.conflicts import explain_mismatch, same_amount
    from kb.knowledge.price_history import Disagreement, _explain, _mixes

    groups = []
    for o in sorted(slot, key=lambda o: (o.day, o.article_id)):
        group = next((g for g in groups if same_amount(g[0].value, o.value)), None)
        group.append(o) if group else groups.append([o])
    if len(groups) == 1 or len({o.article_id for o in slot}) == 1:
        return min(slot, key=lambda o: o.price_id).value, False, {}

    def is_mixup(group):
        return any(_mixes(o, other, kinds) for o in group for other_group in groups if other_group is not group
                   for other in other_group if other.article_id != o.article_id)

    def score(group):
        return (is_open and reference_agrees(series, group[0].value), not is_mixup(group), len({o.outlet for o in group}))

    ranked = sorted(groups, key=score, reverse=True)
    disputed = score(ranked[0]) == score(ranked[1])
    winners = [g for g in ranked if score(g) == score(ranked[0])] if disputed else [ranked[0]]
    disagreements = {}
    for group in groups:
        for o in group:
            for winner in winners:
                others = [other for other in winner if other.article_id != o.article_id]
                if winner is group or not others:
                    continue
                against = next((other for other in others if _mixes(o, other, kinds)), None)
                reason = _explain(o, against, kinds) if against else None
                against = against or others[0]
                if reason is None:
                    reason = explain_mismatch(o.value, o.kind, against.value, {}, claimed_on=o.day, checked_on=against.day)
                disagreements.setdefault(o.price_id, []).append(Disagreement(against.value, against.article_id, reason))
    return ranked[0][0].value, disputed and bool(disagreements), disagreements


def test_a_slot_decided_by_its_mix_index_agrees_with_asking_every_pair():
    """``_decide`` finds the claims an amount is a mix-up of by bisecting the amounts each claim's article makes a
    mix-up of; on random slots (amounts near each other, per 1K for per 1M, other kinds that coincide, several
    claims per article, ties of outlets) it settles on the same price, dispute and disagreements, reason for
    reason, as the pairwise test."""
    import random
    from datetime import date

    from kb.knowledge.price_history import Observation, _decide

    series = ("o3", "input", "openai", "USD", "1M tokens")
    rng = random.Random(7)
    seen = {"mix-up": 0, "disputed": 0, "months apart": 0}
    for trial in range(400):
        base = rng.choice((2.0, 0.5, 10.0))
        amounts = [base, base * 1.004, base * 1.2, base * 1000, base / 1000, base * 4, base * 0.25]
        slot, kinds = [], {}
        for number in range(rng.randint(2, 14)):
            article = rng.randint(1, 8)
            value = rng.choice(amounts)
            slot.append(Observation(price_id=number + 1, article_id=article, source_id=f"outlet{rng.randint(1, 4)}",
                                    model_id="o3", kind="input", seller_id="openai", currency="USD", unit="1M tokens",
                                    value=value, change=None, day=date(2025, rng.choice((1, 3, 9)), rng.randint(1, 9)),
                                    basis="published"))
            stated = kinds.setdefault((article, "o3", "openai", "USD", "1M tokens"), {"input": value})
            if rng.random() < 0.5:
                stated[rng.choice(("output", "cached_input", "input_batches"))] = rng.choice(amounts)
        agrees = (lambda s, v: v == base) if trial % 3 == 0 else (lambda s, v: False)
        is_open = trial % 2 == 0
        found = _decide(series, slot, kinds, agrees, is_open)
        assert found == _decide_pairwise(series, slot, kinds, agrees, is_open), trial
        seen["disputed"] += found[1]
        seen["mix-up"] += any(d.explanation and ("matches" in d.explanation or "unit slip" in d.explanation)
                              for ds in found[2].values() for d in ds)
        seen["months apart"] += any(d.explanation and "months" not in d.explanation and "changed" in d.explanation
                                    for ds in found[2].values() for d in ds)
    assert all(seen.values()), seen


def test_the_history_does_not_depend_on_the_order_the_claims_are_read_in():
    """Articles that each state two prices of two kinds ("input from 20 to 0.5, output from 20 to 2"): whether the
    old output price is a mix-up of another article's input price depends on which of its two input prices counts
    as its other kind. The claims' own order decides (as a window of an incremental refresh reads them), not the
    order the rows come in, which a query plan or a new index changes."""
    from datetime import date

    from kb.knowledge.price_history import Observation, build_history

    claims, price_id = [], 0
    for article, day in ((1, date(2024, 2, 8)), (2, date(2024, 3, 18)), (3, date(2024, 4, 26)), (4, date(2024, 6, 1))):
        for kind, old, new in (("input", 20.0, 0.5), ("output", 20.0, 2.0)):
            for change, value in (("old", old), ("new", new)):
                price_id += 1
                claims.append(Observation(price_id=price_id, article_id=article, source_id=None, model_id="qwen-long",
                                          kind=kind, seller_id="alibaba", currency="CNY", unit="1M tokens", value=value,
                                          change=change, day=day, basis="published"))

    def shape(history):
        return [(i.series, i.start, i.end, i.value, i.disputed, sorted(o.price_id for o in i.members),
                 {k: list(v) for k, v in i.disagreements.items()}) for i in history]

    in_order = shape(build_history(claims))
    assert len(in_order) == 2 * 5  # the last input price of each article is its new one: no mix-up, each slot disputed
    for order in (list(reversed(claims)), sorted(claims, key=lambda o: (o.article_id, o.kind, o.value))):
        assert shape(build_history(order)) == in_order
