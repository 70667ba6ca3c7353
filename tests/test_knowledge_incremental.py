"""An incremental refresh (only what the articles stored since the last refresh touch) equals a full one.

Two KBs take the same articles in the same order; one is refreshed incrementally after each batch, the
other in full, and every derived table must come out the same, row for row and id for id. Only the
clock columns (created_at, updated_at, redirected_at) may differ: they say when a row was last
recomputed, and a full refresh recomputes every row.
"""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import count
from unittest.mock import patch
from datetime import date, timedelta

import pytest

from kb.knowledge import refresh
from kb.knowledge.clusters import _changed_groups, fill_group_keys
from kb.knowledge.counts import counted, kept
from kb.knowledge.merge import merge_entities
from kb.knowledge.price_window import price_windows
from kb.knowledge.reference import import_reference
from kb.knowledge.scope import id_set
from kb.parse import parse_bytes
from kb.pipeline import ingest, prepare, reextract
from kb.store import open_db
from kb.parse import Article
from kb.store.save import save_article, save_facts, sync_gazetteer
from tests.knowledge_kb import OUTLETS, Newsroom, litellm_file, small_gazetteer

# table → columns left out of the comparison: the time a row was written, and the time an article was
# first crawled (the two KBs store the same article a moment apart), checked against a scan instead
DERIVED = {
    "event_clusters": {"created_at", "updated_at"},
    "event_reports": set(),
    "event_redirects": {"redirected_at"},
    "claims": set(),
    "conflicts": set(),
    "price_history": set(),
    "entity_months": set(),
    "entity_stats": {"first_crawled"},
    "co_mentions": set(),
    "entity_weeks": set(),
    "price_change_reports": set(),
}


def derived(db) -> dict[str, list[tuple]]:
    tables = {}
    for table, clock in DERIVED.items():
        columns = [c for c in db[table].columns_dict if c not in clock]
        rows = db.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]").fetchall()
        tables[table] = sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))
    return tables


def assert_same(incremental, full) -> None:
    scanned = incremental.execute(
        "select m.entity_id, min(a.first_seen) from mentions m join articles a on a.id = m.article_id "
        "group by m.entity_id order by 1").fetchall()
    assert incremental.execute("select entity_id, first_crawled from entity_stats order by 1").fetchall() == scanned
    for db in (incremental, full):  # the counts a refresh reports are kept, not counted: they must still be right
        assert kept(db) in (None, counted(db))
    left, right = derived(incremental), derived(full)
    for table in DERIVED:
        only_left = set(left[table]) - set(right[table])
        only_right = set(right[table]) - set(left[table])
        assert not only_left and not only_right and len(left[table]) == len(right[table]), \
            f"{table}: incremental only {sorted(only_left, key=str)[:3]}, full only {sorted(only_right, key=str)[:3]}"


@pytest.fixture(scope="module")
def pages(demo_site):
    """(URL, page) of every demo article, as the crawler fetches them."""
    found = []
    for article in demo_site.articles:
        url = demo_site.article_url(article)
        found.append((url, demo_site.get(url.removeprefix(demo_site.base_url)).body))
    return found


def _twins(gazetteer):
    twins = (open_db(memory=True), open_db(memory=True))
    for db in twins:
        prepare(db, gazetteer)
    return twins


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_equals_full_on_random_batches_of_demo_articles(pages, gazetteer, seed):
    rng = random.Random(seed)
    order = pages[:]
    rng.shuffle(order)
    cuts = sorted(rng.sample(range(1, len(order)), 3))
    batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)])]
    incremental, full = _twins(gazetteer)
    stored: list[tuple[str, bytes]] = []
    for number, batch in enumerate(batches):
        for db in (incremental, full):
            for url, body in batch:
                ingest(db, parse_bytes(body, url=url), gazetteer, html=body)
            if number >= 1:
                # a correction of an article stored in an earlier batch: its text and date change
                url, body = stored[number % len(stored)]
                article = parse_bytes(body, url=url)
                paragraphs = article.text.split("\n")
                corrected = replace(article, text="\n".join(paragraphs[: max(1, len(paragraphs) // 2)]) + "\nCorrected.",
                                    published=f"2025-0{1 + number}-15T09:00:00+00:00")
                assert ingest(db, corrected, gazetteer).status == "revised"
                # and an article extracted again as it is (new fact rows, the same facts)
                reextract(db, db.execute("select id from articles where url = ?", [stored[0][0]]).fetchone()[0], gazetteer)
        stored += batch
        summary = refresh(incremental, incremental=True)
        refresh(full)
        assert summary.changed_articles is not None or number == 0  # the first refresh of a KB is a full one
        assert_same(incremental, full)
        assert incremental.execute("select count(*) from refresh_pending").fetchone()[0] == 0
    assert full.execute("select count(*) from event_clusters where status = 'active'").fetchone()[0] > 10
    assert full.execute("select count(*) from claims").fetchone()[0] > 50


R1 = {"type": "model_release", "company": "deepseek", "model": "deepseek-r1"}


def _newsrooms():
    rooms = []
    for _ in range(2):
        db = open_db(memory=True)
        sync_gazetteer(db, small_gazetteer())
        rooms.append(Newsroom(db, small_gazetteer()))
    return rooms


_STEPS = count()


def _both(rooms, action):
    """Do the same in both newsrooms; refresh the first incrementally, the second in full; compare.

    Both refreshes of a step run at the same time on the clusters' clock: a cluster that two old ones could
    name takes the older one's id, and a second that ticks between the two refreshes must not decide that."""
    for room in rooms:
        action(room)
    with patch("kb.knowledge.clusters.utc_now", return_value=f"2026-01-01T00:00:00+00:00#{next(_STEPS):06d}"):
        summary = refresh(rooms[0].db, incremental=True)
        refresh(rooms[1].db)
    assert_same(rooms[0].db, rooms[1].db)
    return summary


def test_a_correction_that_merges_two_events_and_a_price_change_come_out_as_in_a_full_refresh():
    rooms = _newsrooms()
    _both(rooms, lambda r: (
        r.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},),
                  prices=(("o3-mini", "input", 1.10), ("o3-mini", "output", 4.40))),
        r.publish("hanbit", "2025-01-30", url="https://hanbit.test/misdated", events=({**R1, "date": "2025-01-29"},)),
        r.publish("wire", "2025-02-01", prices=(("o3-mini", "input", 1.10),)),
    ))
    assert len(rooms[0].clusters()) == 2
    # the misdated report is corrected to the others' date: two events become one, one id redirects
    summary = _both(rooms, lambda r: r.publish("hanbit", "2025-01-30", url="https://hanbit.test/misdated", note="corrected",
                                               events=({**R1, "date": "2025-01-20"},)))
    assert summary.changed_articles == 1
    assert len(rooms[0].clusters()) == 1
    assert rooms[0].db.execute("select count(*) from event_redirects").fetchone()[0] == 1
    # a price cut splits the interval of $1.10 in two; another outlet disagrees about the new price
    _both(rooms, lambda r: (
        r.publish("seoultech", "2025-03-02", prices=(("o3-mini", "input", 1.10, "old"), ("o3-mini", "input", 0.55, "new")),
                  events=({"type": "price_change", "company": "openai", "model": "o3-mini", "date": "2025-03-01"},)),
        r.publish("zhixin", "2025-03-05", prices=(("o3-mini", "input", 0.75),)),
    ))
    assert rooms[0].db.execute("select count(*) from price_history where model_id = 'o3-mini' and kind = 'input'").fetchone()[0] == 2
    assert rooms[0].db.execute("select count(*) from conflicts").fetchone()[0] >= 1
    # the report of the event is withdrawn: its article no longer states it
    _both(rooms, lambda r: r.publish("ledger", "2025-01-21", url="https://ledger.test/1", note="rewritten"))


def _role(room, outlet: str, published: str, role: str = "CEO") -> None:
    """An article that names Sam Altman as ``role`` of OpenAI (roles are not among the Newsroom's facts)."""
    text = f"{outlet} says: Sam Altman, {role} of OpenAI, spoke on {published}."
    article = Article(url=f"https://{outlet}.test/role-{published}", title="role", text=text, language="en",
                      published=published)
    article_id, _ = save_article(room.db, article, source_id=outlet)
    start = text.index("Sam Altman")
    person = {"id": "sam-altman", "name": "Sam Altman", "role": role, "organization_id": "openai",
              "role_source": "article", "mentions": [{"text": "Sam Altman", "start": start, "end": start + 10}]}
    save_facts(room.db, article_id, {"article": article.to_dict(), "companies": [], "models": [], "people": [person],
                                     "prices": [], "events": []}, room.gazetteer, extractor_version="test")


def test_a_role_another_outlet_confirms_corroborates_the_claims_of_earlier_articles():
    rooms = _newsrooms()
    _both(rooms, lambda r: (_role(r, "ledger", "2025-01-10"), _role(r, "ledger", "2025-01-11")))
    claims = lambda: rooms[0].db.execute(  # noqa: E731
        "select article_id, corroborations, status from claims where fact_table = 'person_roles' order by 1").fetchall()
    assert [c[2] for c in claims()] == ["asserted", "asserted"]  # one outlet twice corroborates nothing
    summary = _both(rooms, lambda r: _role(r, "hanbit", "2025-01-12"))
    assert summary.changed_articles == 1
    assert [c[1:] for c in claims()] == [(1, "corroborated")] * 3
    _both(rooms, lambda r: _role(r, "wire", "2025-01-13", role="chairman"))
    # the other outlet's article is rewritten without the role: the first two stand alone again
    summary = _both(rooms, lambda r: r.publish("hanbit", "2025-01-12", url="https://hanbit.test/role-2025-01-12", note="no role"))
    assert summary.changed_articles == 1
    assert [c[1:] for c in claims()] == [(0, "asserted")] * 3  # the chairman of the third is not the CEO


def test_what_a_changed_article_does_not_touch_is_not_rewritten():
    rooms = _newsrooms()
    _both(rooms, lambda r: (
        r.publish("ledger", "2025-01-21", events=({**R1, "date": "2025-01-20"},)),
        r.publish("wire", "2025-02-10", events=({"type": "model_release", "company": "openai", "model": "o3", "date": "2025-02-09"},)),
    ))
    db = rooms[0].db
    stamp = lambda: dict(db.execute("select id, updated_at from event_clusters").fetchall())  # noqa: E731
    db.execute("update event_clusters set updated_at = 'before'")
    summary = _both(rooms, lambda r: r.publish("zhixin", "2025-01-22", events=({**R1, "date": "2025-01-20"},)))
    after = stamp()
    assert summary.changed_articles == 1
    o3 = next(cid for cid in after if "o3" in cid)
    r1 = next(cid for cid in after if "deepseek-r1" in cid)
    assert after[o3] == "before" and after[r1] != "before"


def test_a_merge_of_entities_or_a_new_reference_list_makes_the_next_refresh_a_full_one(tmp_path):
    rooms = _newsrooms()
    _both(rooms, lambda r: (
        r.publish("ledger", "2025-01-21", prices=(("o3-mini", "input", 1.10),)),
        r.publish("wire", "2025-01-22", prices=(("o3", "input", 1.10),)),
    ))
    for room in rooms:
        merge_entities(room.db, "o3", "o3-mini", reason="test")
    summary = _both(rooms, lambda r: None)
    assert summary.changed_articles is None  # every price of o3 is now one of o3-mini: recomputed whole
    prices = litellm_file(tmp_path / "prices.json")
    for room in rooms:
        import_reference(room.db, prices, small_gazetteer())
    summary = _both(rooms, lambda r: r.publish("hanbit", "2025-01-23", prices=(("o3-mini", "input", 1.21),)))
    assert summary.changed_articles is None
    summary = _both(rooms, lambda r: r.publish("hanbit", "2025-01-24", prices=(("o3-mini", "output", 4.40),)))
    assert summary.changed_articles == 1


@pytest.mark.parametrize("seed", [3, 4, 21])
def test_a_dense_run_of_reports_of_one_model_clusters_as_in_a_full_refresh(seed):
    """Reports every few days, dated and undated, prices moving: clusters shift when one report moves."""
    rng = random.Random(seed)
    rooms = _newsrooms()
    outlets = list(("hanbit", "seoultech", "ledger", "zhixin", "wire"))
    published: list[tuple[str, str, str]] = []
    for batch in range(4):
        plan = []
        for _ in range(8):
            day = 1 + rng.randrange(40)
            outlet = rng.choice(outlets)
            url = f"https://{outlet}.test/dense-{len(published) + len(plan)}"
            plan.append((outlet, day, url))
        if published:
            outlet, _, url = rng.choice(published)  # a correction that moves an earlier report
            plan.append((outlet, 1 + rng.randrange(40), url))

        def publish(room, plan=plan):
            for outlet, day, url in plan:
                stated = None if rng_state[url] else f"2025-03-{day:02d}" if day <= 31 else f"2025-04-{day - 31:02d}"
                when = f"2025-03-{min(day + 1, 31):02d}"
                room.publish(outlet, when, url=url, note=str(day),
                             events=({**R1, "date": stated},),
                             prices=(("deepseek-r1", "input", rng_price[url], *(("new",) if day % 3 == 0 else ())),))

        rng_state = {url: rng.random() < 0.3 for _, _, url in plan}
        rng_price = {url: rng.choice((0.55, 0.55, 0.14, 0.28)) for _, _, url in plan}
        summary = _both(rooms, publish)
        assert batch == 0 or summary.changed_articles == len({url for _, _, url in plan})
        published += [(o, d, u) for o, d, u in plan]
    assert len(rooms[0].clusters()) >= 3


# ---------------------------------------------------------------- windows of a long group

def _day(offset: int) -> str:
    return (date(2025, 1, 1) + timedelta(days=offset)).isoformat()


def _long_run(rng: random.Random) -> list[tuple[str, int, int | None, str]]:
    """(outlet, publication day, stated day or None, hour with its time zone): bursts of reports with gaps
    between, as the releases of one popular model over most of a year."""
    plan, day = [], 0
    while day < 240:
        for _ in range(rng.randrange(1, 7)):
            stated = day + rng.randrange(0, 4)
            undated = rng.random() < 0.3
            plan.append((rng.choice(list(OUTLETS)), stated + rng.randrange(0, 3), None if undated else stated,
                         rng.choice(("09:00:00+00:00", "23:30:00-05:00", "01:00:00+09:00"))))
        day += rng.choice((2, 3, 4, 5, 6, 9, 12))
    return plan


def _publish_run(room, plan, kind: dict, prefix: str) -> None:
    for number, (outlet, published, stated, clock) in enumerate(plan):
        room.publish(outlet, f"{_day(published)}T{clock}", url=f"https://{outlet}.test/{prefix}-{number}",
                     events=({**kind, "date": _day(stated) if stated is not None else None},))


KINDS = ({"type": "model_release", "company": "deepseek", "model": "deepseek-r1"},  # a release: once per model
         {"type": "funding", "company": "deepseek"})  # anything else: as often as it happens


@pytest.mark.parametrize("seed", [5, 8, 15])
@pytest.mark.parametrize("kind", KINDS, ids=("release", "funding"))
def test_a_window_of_a_long_group_reclusters_as_a_full_refresh_at_its_edges(seed, kind):
    """Reports added before the first anchor, after the last, between two clusters so that they merge, moved from
    one part of the year to another, withdrawn: each refresh re-clusters a window of the group, equal to the whole."""
    rng = random.Random(seed)
    rooms = _newsrooms()
    plan = _long_run(rng)
    _both(rooms, lambda r: _publish_run(r, plan, kind, "run"))
    clusters = lambda: rooms[0].db.execute(  # noqa: E731
        "select date from event_clusters where status = 'active' and type = ? order by date", [kind["type"]]).fetchall()
    assert len(clusters()) >= 20
    edits = [
        [("ledger", -20, -20, "09:00:00+00:00")],  # before the first anchor
        [("wire", 250, None, "09:00:00+00:00"), ("zhixin", 251, 251, "23:30:00-05:00")],  # after the last one
    ]
    for _ in range(4):  # between two clusters, dated or not, bridging them or not
        middle = rng.randrange(20, 230)
        edits.append([(rng.choice(list(OUTLETS)), middle + 1, rng.choice((middle, None)), "01:00:00+09:00")])
    for number, batch in enumerate(edits):
        summary = _both(rooms, lambda r, batch=batch, number=number: _publish_run(r, batch, kind, f"edit{number}"))
        assert summary.changed_articles == len(batch)
    for _ in range(3):  # a correction moves a report months away, or withdraws it
        number = rng.randrange(len(plan))
        outlet, published, stated, clock = plan[number]
        moved = (published + 120) % 240
        url = f"https://{outlet}.test/run-{number}"
        summary = _both(rooms, lambda r, url=url, outlet=outlet, moved=moved, clock=clock: r.publish(
            outlet, f"{_day(moved)}T{clock}", url=url, note="moved",
            events=({**kind, "date": _day(moved) if stated is not None else None},)))
        assert summary.changed_articles == 1
    outlet, *_ = plan[0]
    _both(rooms, lambda r: r.publish(outlet, f"{_day(plan[0][1])}T09:00:00+00:00", url=f"https://{outlet}.test/run-0",
                                     note="withdrawn"))


def test_a_report_added_in_the_middle_of_a_long_group_reads_a_window_of_it():
    rooms = _newsrooms()
    plan = _long_run(random.Random(8))
    _both(rooms, lambda r: _publish_run(r, plan, KINDS[0], "run"))
    db = rooms[0].db
    _publish_run(rooms[0], [("ledger", 121, 120, "09:00:00+00:00")], KINDS[0], "middle")
    article = db.execute("select max(id) from articles").fetchone()[0]
    reports, _, existing, _ = _changed_groups(db, [article])
    group = db.execute("select count(*) from events where type = 'model_release'").fetchone()[0]
    days = sorted(r.day for r in reports)
    assert len(reports) < group / 4
    assert days[0] < date(2025, 5, 1) < days[-1]
    assert 0 < len(existing) < len(rooms[0].clusters()) / 4


def test_the_migration_names_the_group_of_every_stored_report_as_a_refresh_does():
    rooms = _newsrooms()
    _both(rooms, lambda r: (
        _publish_run(r, _long_run(random.Random(9))[:30], KINDS[1], "run"),
        r.publish("ledger", "2025-02-01", events=({"type": "partnership", "company": "deepseek",
                                                   "participants": ["openai"], "date": "2025-01-31"},)),
    ))
    db = rooms[0].db
    written = db.execute("select event_id, group_key from event_reports order by 1").fetchall()
    assert any('"parties"' in key for _, key in written)
    db.execute("update event_reports set group_key = null")
    fill_group_keys(db)
    assert db.execute("select event_id, group_key from event_reports order by 1").fetchall() == written


# ---------------------------------------------------------------- windows of a long price series

def _price_run(rng: random.Random, days: int = 300) -> list[tuple]:
    """(outlet, day, prices, change date or None): a model whose input price is cut or raised every week or two,
    reported by outlets that sometimes quote the old price late, or another one."""
    plan, day, price = [], 0, 1.0
    while day < days:
        if rng.random() < 0.6:
            new = round(price * rng.choice((0.5, 0.8, 1.25)), 4)
            plan.append((rng.choice(list(OUTLETS)), day, (("deepseek-r1", "input", price, "old"), ("deepseek-r1", "input", new, "new")), day))
            price = new
        for _ in range(rng.randrange(0, 4)):
            quoted = rng.choice((price, price, price, round(price * 1.1, 4)))
            plan.append((rng.choice(list(OUTLETS)), day + rng.randrange(0, 6), (("deepseek-r1", "input", quoted),), None))
        day += rng.choice((4, 5, 6, 8, 11, 15))
    return plan


def _publish_prices(room, plan, prefix: str) -> None:
    for number, (outlet, day, prices, changed) in enumerate(plan):
        events = ({"type": "price_change", "company": "deepseek", "model": "deepseek-r1", "date": _day(changed)},) \
            if changed is not None else ()
        room.publish(outlet, f"{_day(day)}T09:00:00+00:00", url=f"https://{outlet}.test/{prefix}-{number}",
                     prices=prices, events=events)


@pytest.mark.parametrize("seed", [11, 23, 26])
def test_a_window_of_a_long_price_series_is_recomputed_as_a_full_refresh_at_its_edges(seed):
    """Observations inserted in the middle of a long series (a price quoted, a change reported), before its first
    change and after its last, a change moved by a correction, a report withdrawn: the history, claims and
    conflicts of the windows recomputed equal a full refresh."""
    rng = random.Random(seed)
    rooms = _newsrooms()
    plan = _price_run(rng)
    _both(rooms, lambda r: _publish_prices(r, plan, "run"))
    db = rooms[0].db
    assert db.execute("select count(*) from price_history").fetchone()[0] >= 15
    edits = [[("ledger", -30, (("deepseek-r1", "input", 2.0),), None)],
             [("wire", 320, (("deepseek-r1", "input", 0.3, "old"), ("deepseek-r1", "input", 0.2, "new")), 318)]]
    # several windows of one series in one refresh: far apart, and close enough to be one
    edits.append([(rng.choice(list(OUTLETS)), day, (("deepseek-r1", "input", 0.6),), None) for day in (60, 150, 250)])
    edits.append([(rng.choice(list(OUTLETS)), day, (("deepseek-r1", "input", 0.6, "old"), ("deepseek-r1", "input", 0.4, "new")),
                   day) for day in (100, 100 + rng.randrange(20, 90))])
    for _ in range(4):
        middle = rng.randrange(40, 260)
        edits.append([(rng.choice(list(OUTLETS)), middle, (("deepseek-r1", "input", rng.choice((0.5, 0.8, 1.0))),), None)])
        edits.append([(rng.choice(list(OUTLETS)), middle + 2, (("deepseek-r1", "input", 0.9, "old"),
                                                               ("deepseek-r1", "input", 0.7, "new")), middle + 1)])
    for number, batch in enumerate(edits):
        summary = _both(rooms, lambda r, batch=batch, number=number: _publish_prices(r, batch, f"edit{number}"))
        assert summary.changed_articles == len(batch)
    changes = [number for number, step in enumerate(plan) if step[3] is not None]
    for number in rng.sample(changes, 3):  # a correction moves a change by weeks, then the report is withdrawn
        outlet, day, prices, changed = plan[number]
        url = f"https://{outlet}.test/run-{number}"
        summary = _both(rooms, lambda r, outlet=outlet, day=day, prices=prices, changed=changed, url=url: r.publish(
            outlet, f"{_day(day + 30)}T09:00:00+00:00", url=url, note="moved", prices=prices,
            events=({"type": "price_change", "company": "deepseek", "model": "deepseek-r1", "date": _day(changed + 30)},)))
        assert summary.changed_articles == 1
        _both(rooms, lambda r, outlet=outlet, day=day, url=url: r.publish(outlet, f"{_day(day)}T09:00:00+00:00", url=url,
                                                                       note="withdrawn"))


def test_a_price_quoted_in_the_middle_of_a_long_series_recomputes_a_window_of_it():
    rooms = _newsrooms()
    _both(rooms, lambda r: _publish_prices(r, _price_run(random.Random(14), days=600), "run"))
    db = rooms[0].db
    rooms[0].publish("ledger", f"{_day(300)}T09:00:00+00:00", prices=(("deepseek-r1", "input", 0.77),))
    article = db.execute("select max(id) from articles").fetchone()[0]
    changed = id_set(db, "kb_changed", [article])
    intervals, replaced = price_windows(db, changed, lambda series, value: False)
    stored = db.execute("select count(*) from price_history").fetchone()[0]
    assert 0 < len(replaced) < stored / 3 and 0 < len(intervals) < stored / 3
    assert min(i.start for i in intervals) < date(2025, 1, 1) + timedelta(days=300) < max(i.start for i in intervals)


def _two_series_run(rng: random.Random, days: int = 240) -> list[tuple]:
    """A model whose input and output prices change on their own paces; outlets state one or both, sometimes
    the other kind's price in the place of this one (a mix-up the history explains with the same article's
    other price), or the price per 1K tokens as if per 1M."""
    plan, day, prices = [], 0, {"input": 1.0, "output": 4.0}
    while day < days:
        kind = rng.choice(("input", "output"))
        if rng.random() < 0.5:
            new = round(prices[kind] * rng.choice((0.5, 0.8, 1.25)), 4)
            plan.append((rng.choice(list(OUTLETS)), day, (("deepseek-r1", kind, prices[kind], "old"),
                                                          ("deepseek-r1", kind, new, "new")), day))
            prices[kind] = new
        for _ in range(rng.randrange(1, 4)):
            stated = rng.choice((("input",), ("output",), ("input", "output")))
            quoted = []
            for k in stated:
                other = "output" if k == "input" else "input"
                value = rng.choice((prices[k], prices[k], prices[k], prices[other], round(prices[k] / 1000, 7)))
                quoted.append(("deepseek-r1", k, value))
            plan.append((rng.choice(list(OUTLETS)), day + rng.randrange(0, 6), tuple(quoted), None))
        day += rng.choice((3, 4, 6, 9))
    return plan


@pytest.mark.parametrize("seed", [5, 17])
def test_windows_of_two_series_of_one_model_come_out_as_in_a_full_refresh(seed):
    """Two series of one model whose articles explain each other's mix-ups: new articles stating one of them (its
    windows only), both, several close together in one refresh (windows that overlap or touch), one before
    either series' first change (a window that grows to the start), and a stored article corrected from one kind
    to the other (every series of the model): the same tables as a full refresh."""
    rng = random.Random(seed)
    rooms = _newsrooms()
    plan = _two_series_run(rng)
    _both(rooms, lambda r: _publish_prices(r, plan, "run"))
    db = rooms[0].db
    assert db.execute("select count(distinct kind) from price_history").fetchone()[0] == 2
    assert db.execute("select count(*) from conflicts where explanation like 'matches %'").fetchone()[0] > 0
    middle = rng.randrange(60, 180)
    edits = [
        [("wire", middle, (("deepseek-r1", "output", 4.0),), None)],
        [("ledger", middle + 1, (("deepseek-r1", "input", 1.0), ("deepseek-r1", "output", 1.0)), None)],
        [(rng.choice(list(OUTLETS)), day, (("deepseek-r1", "output", 2.5),), None) for day in (middle + 3, middle + 5, middle + 40)],
        [(rng.choice(list(OUTLETS)), middle + 2, (("deepseek-r1", "input", 0.9, "old"), ("deepseek-r1", "input", 0.6, "new")),
          middle + 2), ("hanbit", middle + 4, (("deepseek-r1", "output", 3.0, "old"), ("deepseek-r1", "output", 2.0, "new")),
                       middle + 3)],
        [("zhixin", -20, (("deepseek-r1", "input", 1.0), ("deepseek-r1", "output", 4.0)), None)],
        [("wire", 250, (("deepseek-r1", "output", 0.004),), None)],
    ]
    for number, batch in enumerate(edits):
        summary = _both(rooms, lambda r, batch=batch, number=number: _publish_prices(r, batch, f"edit{number}"))
        assert summary.changed_articles == len(batch)
    both = [number for number, step in enumerate(plan) if step[3] is None and len(step[2]) == 2]
    for number in rng.sample(both, 2):  # a correction: the article meant the other kind
        outlet, day, prices, _ = plan[number]
        swapped = tuple((model, "output" if kind == "input" else "input", value) for model, kind, value in prices[:1])
        _both(rooms, lambda r, outlet=outlet, day=day, swapped=swapped, number=number: r.publish(
            outlet, f"{_day(day)}T09:00:00+00:00", url=f"https://{outlet}.test/run-{number}", note="corrected",
            prices=swapped))


def test_a_new_article_stating_one_series_recomputes_no_other_series_of_its_model():
    rooms = _newsrooms()
    _both(rooms, lambda r: _publish_prices(r, _two_series_run(random.Random(3)), "run"))
    db = rooms[0].db
    rooms[0].publish("ledger", f"{_day(120)}T09:00:00+00:00", prices=(("deepseek-r1", "output", 3.3),))
    changed = id_set(db, "kb_changed", [db.execute("select max(id) from articles").fetchone()[0]])
    intervals, replaced = price_windows(db, changed, lambda series, value: False)
    assert intervals and replaced
    assert {i.series[1] for i in intervals} == {row["kind"] for row in replaced} == {"output"}


def test_claims_and_conflicts_that_come_out_as_stored_are_not_written_again():
    """A claim or conflict recomputed the same stays as stored; one that differs (in value or only in type) is
    updated in place, in the columns that differ, and keeps its conflicts; one no longer there and a new one are
    written."""
    from kb.knowledge.incremental import write_claims

    rooms = _newsrooms()
    _both(rooms, lambda r: _publish_prices(r, _two_series_run(random.Random(8), days=60), "run"))
    db = rooms[0].db
    claims = list(db.query("select * from claims order by id"))
    conflicts = list(db.query("select * from conflicts order by id"))
    assert len(conflicts) > 3
    stale = id_set(db, "kb_stale_claims", [row["id"] for row in claims])
    assert write_claims(db, claims, conflicts, stale) == 0
    disputed = conflicts[0]["claim_id"]
    changed = [dict(row, status="asserted") if row["id"] == disputed else row for row in claims]
    typed = [dict(row, contradictions=float(row["contradictions"])) if row["id"] == claims[-1]["id"] else row
             for row in changed]
    fewer = [row for row in conflicts if row["id"] != conflicts[-1]["id"]]
    along = {row["id"] for row in fewer if row["claim_id"] == disputed}
    assert along
    written = write_claims(db, typed, fewer, stale)
    assert written == 3  # two claims updated in place, one conflict out
    assert db.execute("select status from claims where id = ?", [disputed]).fetchone()[0] == "asserted"
    assert {r[0] for r in db.execute("select id from conflicts where claim_id = ?", [disputed])} == along
    assert db.execute("select count(*) from conflicts").fetchone()[0] == len(fewer)
    assert list(db.query("select * from claims order by id")) == [
        dict(row, contradictions=int(row["contradictions"])) for row in typed]
    assert write_claims(db, typed, fewer, stale) == 1  # the float is stored as an integer: not kept on its word
    assert write_claims(db, changed, fewer, stale) == 0


def test_a_claim_no_longer_made_goes_with_its_conflicts_and_a_new_one_comes_with_them():
    from kb.knowledge.incremental import write_claims

    rooms = _newsrooms()
    _both(rooms, lambda r: _publish_prices(r, _two_series_run(random.Random(8), days=60), "run"))
    db = rooms[0].db
    claims = list(db.query("select * from claims order by id"))
    conflicts = list(db.query("select * from conflicts order by id"))
    stale = id_set(db, "kb_stale_claims", [row["id"] for row in claims])
    disputed = conflicts[0]["claim_id"]
    its = [row for row in conflicts if row["claim_id"] == disputed]
    without = [row for row in claims if row["id"] != disputed]
    assert write_claims(db, without, [row for row in conflicts if row["claim_id"] != disputed], stale) == 1 + len(its)
    assert not db.execute("select 1 from claims where id = ?", [disputed]).fetchone()
    assert not db.execute("select 1 from conflicts where claim_id = ?", [disputed]).fetchone()
    assert write_claims(db, claims, conflicts, stale) == 1 + len(its)
    assert list(db.query("select * from claims order by id")) == claims
    assert list(db.query("select * from conflicts order by id")) == conflicts


@pytest.mark.parametrize("seed", [2, 9])
def test_articles_that_state_one_models_release_twice_are_read_back_from_their_stored_reports(seed):
    """A window of a model's group reads the reports of unchanged articles from ``event_reports``: an article that
    states two or three dates of the same release has as many reports, numbered by date, as a full refresh
    numbers them (their numbers decide which stored cluster keeps its id)."""
    rng = random.Random(seed)
    rooms = _newsrooms()
    kind = KINDS[0]

    def publish_many(room, prefix: str, count: int) -> None:
        for number in range(count):
            day = rng_days[(prefix, number)]
            stated = [_day(day + shift) for shift in rng_shifts[(prefix, number)]]
            room.publish(rng_outlets[(prefix, number)], f"{_day(day + 1)}T09:00:00+00:00",
                         url=f"https://wire.test/{prefix}-{number}",
                         events=tuple({**kind, "date": d} for d in stated))

    rng_days, rng_shifts, rng_outlets = {}, {}, {}

    def plan(prefix: str, count: int, start: int, end: int) -> None:
        for number in range(count):
            rng_days[(prefix, number)] = rng.randrange(start, end)
            rng_shifts[(prefix, number)] = sorted(rng.sample(range(-12, 13), rng.choice((1, 2, 2, 3))))
            rng_outlets[(prefix, number)] = rng.choice(list(OUTLETS))

    plan("run", 60, 0, 200)
    _both(rooms, lambda r: publish_many(r, "run", 60))
    db = rooms[0].db
    assert db.execute("select count(*) from (select article_id from event_reports group by article_id "
                      "having count(*) > 1)").fetchone()[0] >= 20
    for step in range(5):
        plan(f"edit{step}", 3, 0, 200)
        summary = _both(rooms, lambda r, step=step: publish_many(r, f"edit{step}", 3))
        assert summary.changed_articles == 3
