"""What the price part of a refresh writes: only the history rows that differ, and conflicts whose words are
made once per disagreement but still name each claim's own currency and unit."""

import sqlite_utils

from kb.knowledge.price_loop import write_history
from tests.knowledge_kb import gazetteer_small, newsroom  # noqa: F401 - fixtures


def _row(id_, amount, valid_from, **other):
    row = {"id": id_, "model_id": "o3", "kind": "input", "seller_id": "openai", "currency": "USD",
           "per_tokens": 1_000_000, "period": None, "amount": amount, "usd_per_million_tokens": amount,
           "valid_from": valid_from, "valid_from_precision": "day", "valid_to": None, "valid_to_precision": None,
           "opened_by_article_id": 1, "closed_by_article_id": None, "claims": 1, "outlets": 1, "disputed": 0,
           "opened_by_price_id": 1}
    row.update(other)
    return row


def _history_db(rows):
    db = sqlite_utils.Database(memory=True)
    db["price_history"].insert_all(rows, pk="id", columns={"amount": float, "usd_per_million_tokens": float})
    db.execute("create table touched (id integer, how text)")
    for event, row in (("update", "new"), ("delete", "old"), ("insert", "new")):
        db.execute(f"create trigger t_{event} after {event} on price_history begin "
                   f"insert into touched values ({row}.id, '{event}'); end")
    return db


def test_history_rows_that_come_out_as_stored_are_not_written_again():
    stored = [_row(1, 2.0, "2025-01-01"), _row(2, 1.0, "2025-03-01"), _row(3, 0.5, "2025-05-01")]
    db = _history_db(stored)
    made = [_row(1, 2.0, "2025-01-01"), _row(2, 1.0, "2025-03-01", claims=2, outlets=2), _row(4, 0.4, "2025-06-01")]
    written = write_history(db, made, [dict(row) for row in stored])
    assert sorted(db.execute("select id, how from touched").fetchall()) == [(2, "update"), (3, "delete"), (4, "insert")]
    assert written == 3
    assert list(db.query("select * from price_history order by id")) == made


def test_a_history_flag_made_as_a_bool_is_the_integer_stored():
    stored = [_row(1, 2.0, "2025-01-01", disputed=1)]
    db = _history_db(stored)
    assert write_history(db, [_row(1, 2.0, "2025-01-01", disputed=True)], [dict(row) for row in stored]) == 0
    assert db.execute("select count(*) from touched").fetchone()[0] == 0


def test_a_history_amount_that_moved_by_a_hair_is_written():
    stored = [_row(1, 2.0, "2025-01-01")]
    db = _history_db(stored)
    assert write_history(db, [_row(1, 2.0000001, "2025-01-01")], [dict(row) for row in stored]) == 1
    assert db.execute("select amount from price_history").fetchone()[0] == 2.0000001


def test_conflicts_with_one_outlet_in_two_currencies_name_each_claims_own_currency(newsroom):
    # one article disagrees with another in dollars and in yuan with the same number: two disagreements alike in
    # all but the series, whose conflicts must each say the amount in their claim's currency
    newsroom.publish("ledger", "2025-03-01", prices=(("gpt-4o", "output", 10.0, None, "USD", 1_000_000),
                                                     ("gpt-4o", "output", 10.0, None, "CNY", 1_000_000)))
    newsroom.publish("zhixin", "2025-03-02", prices=(("gpt-4o", "output", 12.0, None, "USD", 1_000_000),
                                                     ("gpt-4o", "output", 12.0, None, "CNY", 1_000_000)))
    newsroom.refresh()
    said = {(c["claimed"], c["expected"], c["detail"]) for c in newsroom.db.query("select * from conflicts")}
    assert said == {
        ("$10 per 1M tokens", "$12 per 1M tokens", "Zhixin says $12 per 1M tokens (undecided: as many sources each way)"),
        ("$12 per 1M tokens", "$10 per 1M tokens", "Ledger says $10 per 1M tokens (undecided: as many sources each way)"),
        ("10 CNY per 1M tokens", "12 CNY per 1M tokens", "Zhixin says 12 CNY per 1M tokens (undecided: as many sources each way)"),
        ("12 CNY per 1M tokens", "10 CNY per 1M tokens", "Ledger says 10 CNY per 1M tokens (undecided: as many sources each way)"),
    }
