"""Event clustering: one event, many reports, across outlets and languages; stable ids."""

import json
from datetime import date

from kb.knowledge import refresh
from kb.knowledge.clusters import Report, cluster_reports, resolve_event
from kb.store import write_transaction
from kb.store.pending import mark_changing
from tests.knowledge_kb import gazetteer_small, newsroom  # noqa: F401 - fixtures

R1 = {"type": "model_release", "company": "deepseek", "model": "deepseek-r1"}


def _report(event_id, published, *, type="model_release", model="deepseek-r1", company="deepseek", day=None, person=None):
    return Report(event_id=event_id, article_id=event_id, type=type, date=date.fromisoformat(day) if day else None,
                  company_id=company, model_id=model, person_id=person, published=published, source_id=f"s{event_id}")


def _groups(clusters):
    return sorted(sorted(r.event_id for r in c.reports) for c in clusters)


def test_reports_of_one_release_in_three_languages_are_one_event(newsroom):
    newsroom.publish("ledger", "2025-01-21T08:00:00-08:00", events=({**R1, "date": "2025-01-20"},))
    newsroom.publish("zhixin", "2025-01-21T09:30:00+08:00", events=({**R1, "date": "2025-01-20"},))
    newsroom.publish("hanbit", "2025-01-22T10:00:00+09:00", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    [event] = newsroom.clusters()
    assert (event["type"], event["model_id"], event["date"]) == ("model_release", "deepseek-r1", "2025-01-20")
    assert (event["reports"], event["outlets"]) == (3, 3)
    assert json.loads(event["languages"]) == {"en": 1, "ko": 1, "zh": 1}


def test_the_first_report_is_the_earliest_publication_in_utc(newsroom):
    # 09:30 in Beijing is 01:30 UTC, before 08:00 in California (16:00 UTC)
    newsroom.publish("ledger", "2025-01-21T08:00:00-08:00", events=({**R1, "date": "2025-01-20"},))
    first = newsroom.publish("zhixin", "2025-01-21T09:30:00+08:00", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    [event] = newsroom.clusters()
    assert event["first_article_id"] == first and event["first_source_id"] == "zhixin"
    marked = [row["article_id"] for row in newsroom.db["event_reports"].rows_where("is_first = 1")]
    assert marked == [first]


def test_an_undated_report_joins_the_event_it_follows(newsroom):
    newsroom.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},))
    newsroom.publish("seoultech", "2025-02-14", events=(R1,))  # weeks later, "R1, which DeepSeek released"
    newsroom.refresh()
    [event] = newsroom.clusters()
    assert event["reports"] == 2 and event["date"] == "2025-01-20" and event["date_basis"] == "stated"


def test_two_releases_by_one_company_a_week_apart_are_two_events(newsroom):
    flash = {"type": "model_release", "company": "google", "model": "gemini-2-flash", "date": "2025-01-30"}
    pro = {"type": "model_release", "company": "google", "model": "gemini-2-pro", "date": "2025-02-06"}
    newsroom.publish("ledger", "2025-01-30", events=(flash,))
    newsroom.publish("hanbit", "2025-01-31", events=(flash,))
    newsroom.publish("ledger", "2025-02-06", events=(pro,))
    newsroom.publish("zhixin", "2025-02-07", events=(pro, {**flash, "date": None}))  # recalls last week's, undated
    newsroom.refresh()
    events = [(row["model_id"], row["date"], row["reports"]) for row in newsroom.clusters()]
    assert events == [("gemini-2-flash", "2025-01-30", 3), ("gemini-2-pro", "2025-02-06", 2)]


def test_an_undated_price_change_weeks_later_is_another_change():
    clusters = cluster_reports([_report(1, "2025-06-11", type="price_change", model="o3", day="2025-06-10"),
                                _report(2, "2025-07-02", type="price_change", model="o3")])
    assert _groups(clusters) == [[1], [2]]


def test_the_same_subject_a_week_apart_is_two_events():
    clusters = cluster_reports([
        _report(1, "2025-04-01", type="funding", model=None, company="openai", day="2025-03-31"),
        _report(2, "2025-04-08", type="funding", model=None, company="openai", day="2025-04-07"),
    ])
    assert _groups(clusters) == [[1], [2]]


def test_a_chain_of_reports_does_not_stretch_one_event():
    clusters = cluster_reports([_report(1, "2025-01-20", day="2025-01-20"), _report(2, "2025-01-23", day="2025-01-23"),
                                _report(3, "2025-01-26", day="2025-01-26")])
    assert _groups(clusters) == [[1, 2], [3]]


def test_different_types_or_models_on_one_day_are_different_events():
    clusters = cluster_reports([
        _report(1, "2025-01-21", day="2025-01-20"),
        _report(2, "2025-01-21", type="open_source", day="2025-01-20"),
        _report(3, "2025-01-21", model="deepseek-v3", day="2025-01-20"),
    ])
    assert _groups(clusters) == [[1], [2], [3]]


def test_a_deal_reported_from_either_side_is_one_event():
    def deal(event_id, company):
        return Report(event_id=event_id, article_id=event_id, type="partnership", date=date(2024, 6, 10),
                      company_id=company, model_id=None, person_id=None, published="2024-06-11",
                      parties=("apple", "openai"))

    assert _groups(cluster_reports([deal(1, "apple"), deal(2, "openai")])) == [[1, 2]]


def test_refresh_twice_changes_nothing(newsroom):
    newsroom.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},))
    newsroom.publish("hanbit", "2025-01-22", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    before = [(r["id"], r["reports"], r["created_at"]) for r in newsroom.clusters()]
    newsroom.refresh()
    assert [(r["id"], r["reports"], r["created_at"]) for r in newsroom.clusters()] == before


def test_a_new_report_keeps_the_event_id(newsroom):
    newsroom.publish("zhixin", "2025-01-22", events=({**R1, "date": "2025-01-21"},))
    newsroom.refresh()
    [before] = newsroom.clusters()
    # a later, more precise report moves the event's date, not its id
    newsroom.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},))
    newsroom.publish("hanbit", "2025-01-22", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    [after] = newsroom.clusters()
    assert after["id"] == before["id"] and after["reports"] == 3 and after["date"] == "2025-01-20"


def test_events_that_turn_out_to_be_one_keep_the_older_id_and_redirect_the_other(newsroom):
    newsroom.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    newsroom.publish("hanbit", "2025-01-30", url="https://hanbit.test/misdated", events=({**R1, "date": "2025-01-29"},))
    newsroom.refresh()
    older, newer = [row["id"] for row in newsroom.clusters()]
    # the misdated article is corrected: same URL, new text, the date the others give
    newsroom.publish("hanbit", "2025-01-30", url="https://hanbit.test/misdated", note="corrected",
                     events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    [event] = newsroom.clusters()
    assert event["id"] == older and event["reports"] == 2
    assert resolve_event(newsroom.db, newer) == older
    assert newsroom.db["event_clusters"].get(newer)["status"] == "merged"  # kept, not deleted


def test_an_event_no_article_reports_any_more_is_kept_empty(newsroom):
    newsroom.publish("ledger", "2025-01-21", url="https://ledger.test/r1", events=({**R1, "date": "2025-01-20"},))
    newsroom.refresh()
    [event] = newsroom.clusters()
    newsroom.publish("ledger", "2025-01-21", url="https://ledger.test/r1", note="rewritten")  # its facts are gone
    newsroom.refresh()
    assert newsroom.clusters() == []
    assert newsroom.db["event_clusters"].get(event["id"])["status"] == "empty"
    assert resolve_event(newsroom.db, event["id"]) == event["id"]


def test_an_article_reporting_an_event_in_two_sentences_is_listed_once(newsroom):
    from kb.knowledge.listing import list_events

    release = {"type": "model_release", "company": "deepseek", "model": "deepseek-r1", "date": "2025-01-20"}
    twice = newsroom.publish("hanbit", "2025-01-21", events=(release, {**release, "date": None}))
    newsroom.publish("ledger", "2025-01-21", events=(release,))
    newsroom.refresh()
    [event] = list_events(newsroom.db, event_type="model_release")
    assert [a["article_id"] for a in event["articles"]].count(twice) == 1
    assert len(event["articles"]) == event["reports"] == 2
    assert sum(event["languages"].values()) == 2


def test_an_article_marked_changed_but_unchanged_keeps_the_clusters_it_joins_across_a_window_edge(newsroom):
    """An undated report of the day before a dated release joins that release. When its article is re-extracted
    unchanged (same event ids) the window of the change ends at that release: the report and the release it joins
    must still be written, not dropped with the article's stored rows."""
    newsroom.publish("ledger", "2025-02-06T09:00:00+00:00", events=({**R1, "date": "2025-02-05"},))
    newsroom.publish("wire", "2025-03-26T11:00:00+09:00", events=({**R1, "date": "2025-03-11"},))
    joiner = newsroom.publish("hanbit", "2025-03-10T07:39:00-08:00", events=(R1,))
    newsroom.publish("zhixin", "2025-04-11T09:00:00+08:00", events=({**R1, "date": "2025-04-10"},))
    newsroom.refresh()
    membership = "select event_id, cluster_id, is_first from event_reports order by event_id"
    before = newsroom.db.execute(membership).fetchall()
    assert len(before) == 4
    with write_transaction(newsroom.db):
        mark_changing(newsroom.db, joiner)
        summary = refresh(newsroom.db, incremental=True)
    assert summary.changed_articles == 1
    assert newsroom.db.execute(membership).fetchall() == before
    assert [(c["date"], c["reports"]) for c in newsroom.clusters()] == [("2025-02-05", 1), ("2025-03-11", 2), ("2025-04-10", 1)]


def test_stored_reports_read_by_widening_ranges_are_those_of_each_range_read_whole(newsroom):
    """The window's edges are searched by widening ranges of days; only the days not yet read are read, and each
    range must still give exactly the rows (and order) of reading it whole, undated reports in other time zones
    included."""
    import random
    from datetime import date, timedelta

    from kb.knowledge.clusters import _Held, _stored

    rng = random.Random(5)
    outlets = ["ledger", "zhixin", "hanbit", "wire", "seoultech"]
    for n in range(120):
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 90))
        stated = {"date": day.isoformat()} if rng.random() < 0.6 else {}
        zone = rng.choice(["-08:00", "+00:00", "+09:00", "+14:00", "-11:00"])
        newsroom.publish(rng.choice(outlets), f"{day.isoformat()}T{rng.randint(0, 23):02d}:30:00{zone}",
                         events=({**R1, **stated},))
    newsroom.refresh()
    db = newsroom.db
    key = db.execute("select group_key from event_reports group by 1 order by count(*) desc").fetchone()[0]
    assert db.execute("select count(*) from event_reports where group_key = ? and date is null", [key]).fetchone()[0] > 20

    def some_day():
        return None if rng.random() < 0.1 else date(2025, 1, 1) + timedelta(days=rng.randint(-5, 95))

    for _ in range(30):
        held = _Held(db, key)
        first = some_day()
        last = first + timedelta(days=rng.randint(0, 10)) if first else some_day()
        for _ in range(6):  # widen to the left, the right or both, or jump elsewhere
            wanted = _stored(db, key, first, last)
            assert held(first, last) == wanted
            move = rng.random()
            if move < 0.8:
                first = None if first is None or rng.random() < 0.1 else first - timedelta(days=rng.randint(0, 20))
                last = None if last is None or rng.random() < 0.1 else last + timedelta(days=rng.randint(0, 20))
            else:
                first = some_day()
                last = first + timedelta(days=rng.randint(0, 10)) if first else None
