"""A newcomer clicking through the demo in a real browser: Playwright driving Debian's Chromium
against a live ``kb serve`` over the demo KB. Screenshots are kept in test-artifacts/browser/.

Chromium comes from the distribution (``make test`` installs it when it is missing and
it runs as root); Playwright never downloads a browser. Without Chromium these tests
fail with one message saying how to install it: they never skip.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, start_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def live_site(tmp_path_factory, demo_kb):
    """``kb serve --immutable`` over a copy of the demo KB (the copy stays still while other tests crawl)."""
    path = tmp_path_factory.mktemp("served") / "kb.db"
    with sqlite3.connect(demo_kb) as source, sqlite3.connect(path) as target:
        source.backup(target)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_site([sys.executable, "-m", "kb", "serve", "--db", str(path), "--port", str(port), "--immutable"],
                         url, path.with_suffix(".log"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    # Module scope: while Playwright's sync API is open an event loop runs in this thread,
    # and the other test modules' asyncio.run() would refuse to start.
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: run `make test` as root (it installs it), "
                    "or `apt-get install -y chromium fonts-nanum fonts-wqy-microhei`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that fails the test on any JavaScript dialog or page error, and is screenshotted at the end."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.problems = problems
    yield page
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    # no page is wider than the window (tables scroll inside their own box, if at all)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert not problems, problems
    assert width <= 1280, f"{page.url} is {width} px wide"


def click_through(page, link_text: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link_text, exact=True).click()


def table_rows(page, selector: str) -> list[dict[str, str]]:
    """Rows as header → cell text (the whole text, folded or not), of the visible columns."""
    # headings read in words ("said by"); the keys keep the column names ("said_by")
    headers = [th.inner_text().strip().replace(" ", "_") for th in page.locator(f"{selector} thead th").all()]
    return [dict(zip(headers, [" ".join((td.text_content() or "").split()) for td in row.locator("td").all()]))
            for row in page.locator(f"{selector} tbody tr").all() if row.locator("td").count()]


def from_home(page, live_site, question: str) -> None:
    """One click from the home page."""
    page.goto(live_site + "/")
    click_through(page, question)


# ------------------------------------------------------------------ the five questions, from the home page

def test_a_o3_minis_input_and_output_price_and_who_said_so(page, live_site):
    from_home(page, live_site, "What do o3-mini's input and output tokens cost, and who said so?")
    assert page.url.endswith("/entity/o3-mini")
    now = {row["kind"]: row for row in table_rows(page, "#latest_price_per_model")}
    assert (now["input"]["price"], now["output"]["price"]) == ("$1.10", "$4.40")
    assert all(row["unit"] == "per 1M tokens" for row in now.values())
    assert "The Silicon Ledger" in now["input"]["said_by"] and "The Silicon Ledger" in now["output"]["said_by"]
    assert "$1.10" in now["input"]["evidence"] and "$4.40" in now["output"]["evidence"]
    # the price history credits 1.10 to the outlet that said 1.10, and says it is disputed
    history = [row for row in table_rows(page, "#price_history") if row["kind"] == "input"]
    assert [(r["price"], r["outlet"]) for r in history] == [("$1.10", "The Silicon Ledger")]
    assert history[0]["disputed"].startswith("yes") and "1.10" in history[0]["evidence"]
    # the timeline shows each price with the sentence that states it: never 한빛경제 for 1.10
    prices = [r for r in table_rows(page, "#timeline") if r["what"] == "price"]
    assert prices and all(r["detail"].split(" ")[0].lstrip("$") in r["evidence"] for r in prices)
    # second click: the article the output price came from
    with page.expect_navigation():
        page.locator("#latest_price_per_model tbody tr", has_text="output").get_by_role("link").first.click()
    assert "$4.40 per million output tokens" in page.content()


def test_b_deepseeks_releases_with_dates(page, live_site):
    from_home(page, live_site, "Which models did DeepSeek release, and when?")
    rows = {row["model"]: row for row in table_rows(page, "table.rows-and-columns")}
    assert rows["DeepSeek-R1"]["date"] == "2025-01-20" and rows["DeepSeek-R1"]["dated_by"] == "stated in the article"
    assert rows["DeepSeek-V2"]["date"] == "2024-05-06"
    # DeepSeek-V3 came out in December 2024; an undated January article that recalls it is no release
    assert "DeepSeek-V3" not in rows
    for row in rows.values():
        assert row["evidence"] and row["outlet"]
        assert row["dated_by"] in ("stated in the article", "publication day (no date in the text)")
    assert all(r["company"] == "DeepSeek" for r in rows.values())


def test_c_the_price_cuts_of_2025(page, live_site):
    from_home(page, live_site, "Which prices were cut in 2025, from what to what?")
    rows = table_rows(page, "table.rows-and-columns")
    assert rows and all(r["date"].startswith("2025") and r["direction"] == "cut" for r in rows)
    [o3] = [r for r in rows if r["model"] == "o3"]
    assert "input $10 → $2 (−80%)" in o3["prices"] and "output $40 → $8 (−80%)" in o3["prices"]
    assert o3["date"] == "2025-06-10" and o3["reports"] == "2"
    for row in rows:  # the sentence shown states both the old and the new price
        old, new = re.search(r"([\d.,]+) → \D*([\d.,]+)", row["prices"]).groups()
        assert old in row["evidence"] and new in row["evidence"], row
    # a model only compared with the cut one (Gemini 2.5 Pro) is not a price change
    assert "Gemini 2.5 Pro" not in {r["model"] for r in rows}


def test_d_executives_who_moved(page, live_site):
    from_home(page, live_site, "Which executives moved, and from where to where?")
    headers = page.locator("table.rows-and-columns thead th").all_inner_texts()
    assert {"person", "role", "from company", "to company", "evidence"} <= {h.strip() for h in headers}
    rows = table_rows(page, "table.rows-and-columns")
    assert "Alexandr Wang" in {r["person"] for r in rows}
    for row in rows:
        assert row["person"] and row["evidence"] and row["outlet"]
        assert not (row["from_company"] and row["from_company"] == row["to_company"]), row
    # the person's page is one more click, with the move in its timeline
    with page.expect_navigation():
        page.get_by_role("link", name="Alexandr Wang").first.click()
    assert "executive change" in page.locator("#timeline").inner_text()


def test_e_claims_that_conflict_with_the_official_price_list(page, live_site):
    from_home(page, live_site, "Which claims in the news conflict with the official price list?")
    rows = table_rows(page, "table.rows-and-columns")
    assert rows and all(r["against"].startswith("price list: LiteLLM model cost map as of 20") for r in rows)
    [o3_mini] = [r for r in rows if r["model"] == "o3-mini" and r["outlet"] == "한빛경제"]
    assert (o3_mini["kind"], o3_mini["claimed"], o3_mini["expected"]) == ("input", "$0.55 per 1M tokens", "$1.10 per 1M tokens")
    assert o3_mini["explanation"].startswith("matches cached_input")
    assert "0.55" in o3_mini["evidence"]


# ------------------------------------------------------------------ the rest of the site

def test_home_page(page, live_site):
    page.goto(live_site + "/")
    assert page.locator("h1").first.inner_text() == "ai-news-kb"
    assert page.locator("#kb-q").is_visible()
    for link in ("Companies", "Models", "People", "Events", "Price changes", "Charts", "Atom feed of new events", "Crawl health"):
        assert page.get_by_role("link", name=link).count() >= 1, link
    counts = page.locator(".kb-counts").inner_text()
    assert "38 articles" in counts and "331 models" not in counts  # what the news mentions, not the gazetteer
    assert "LiteLLM model cost map" in page.locator(".kb-note").inner_text()
    click_through(page, "Events")
    assert page.title().startswith("Events") and page.locator("h1").inner_text().startswith("Events")


def test_search_for_deepseek_in_korean_finds_the_korean_articles(page, live_site):
    page.goto(live_site + "/")
    page.fill("#kb-q", "딥시크")
    with page.expect_navigation():
        page.press("#kb-q", "Enter")
    hits = page.locator("#kb-articles .kb-hits li")
    assert hits.count() == 5
    assert {hits.nth(i).get_attribute("lang") for i in range(hits.count())} == {"ko"}
    assert set(page.locator("#kb-articles mark").all_inner_texts()) == {"딥시크"}
    assert "DeepSeek" in page.locator("#kb-entities").inner_text()
    # and the same articles, with every other language, on DeepSeek's page under any of its names
    with page.expect_navigation():
        page.locator("#kb-entities").get_by_role("link", name="DeepSeek", exact=True).click()
    articles = table_rows(page, "#articles_mentioning")
    assert {"ko", "en", "zh"} <= {row["language"] for row in articles}
    assert {"딥시크", "DeepSeek", "深度求索"} <= {name for row in articles for name in row["written_as"].split(",")}


@pytest.mark.parametrize("query, words", [("OpenAI price", {"openai", "price"}), ("o3 mini", {"o3", "mini"}),
                                          ("오픈AI 가격", {"오픈ai", "가격"})])
def test_search_with_several_words_in_any_order(page, live_site, query, words):
    page.goto(live_site + "/")
    page.fill("#kb-q", query)
    with page.expect_navigation():
        page.press("#kb-q", "Enter")
    hits = page.locator("#kb-articles .kb-hits li")
    assert hits.count() > 0
    assert {m.lower() for m in page.locator("#kb-articles mark").all_inner_texts()} == words
    first_newest = hits.first.inner_text()
    page.select_option("select[name=sort]", "best")
    with page.expect_navigation():
        page.locator("form.kb-search input[type=submit]").click()
    assert "sort=best" in page.url and "Best match first" in page.locator(".kb-order").inner_text()
    assert page.locator("#kb-articles .kb-hits li").count() == hits.count() or first_newest


def test_an_empty_search_says_why_and_suggests_pages(page, live_site):
    page.goto(live_site + "/-/search?q=" + "deepsek+opnai")
    empty = page.locator("#kb-empty").inner_text()
    assert "deepsek" in empty and "opnai" in empty and "Try fewer words" in empty
    with page.expect_navigation():
        page.locator("#kb-empty").get_by_role("link", name="DeepSeek", exact=True).click()
    assert page.url.endswith("/entity/deepseek")


def test_what_deepseek_did_in_january_2025(page, live_site):
    page.goto(live_site + "/")
    click_through(page, "What did DeepSeek do in January 2025?")
    rows = table_rows(page, "table.rows-and-columns")
    assert rows and all(row["date"].startswith("2025-01") for row in rows)
    assert ("event", "model release", "DeepSeek-R1 (DeepSeek)") in {(r["what"], r["type"], r["subject"]) for r in rows}
    assert "open source" in {r["type"] for r in rows}
    assert {r["what"] for r in rows} <= {"event", "price", "person"}  # reference data is listed apart
    assert not any(r["outlet"] in ("", "gazetteer") for r in rows if r["what"] == "event")
    # the same, by clicking: DeepSeek's page has the month in its timeline, and the gazetteer's dates apart
    page.goto(live_site + "/entity/deepseek")
    january = page.locator("#timeline-2025-01")
    assert "model release" in january.inner_text() and "DeepSeek-R1" in january.inner_text()
    assert "reference data" in page.locator("#reference_releases h2").inner_text()


def test_tables_are_readable(page, live_site):
    for path in ("/kb/prices", "/kb/latest_price_per_model?model=", "/kb/claims", "/kb/news_events?type="):
        page.goto(live_site + path)
        assert "select" not in page.title().lower()
        table = page.locator("table.rows-and-columns").first.bounding_box()
        assert table["x"] + table["width"] <= 1280, (path, table)
        # column descriptions are folded under the table, not a screen of text above it
        folded = page.locator("details.kb-columns")
        if folded.count():
            assert not folded.first.get_attribute("open")
            assert folded.first.bounding_box()["y"] > table["y"]
    page.goto(live_site + "/kb/prices")
    long = page.locator("td.col-evidence details.kb-long").first
    assert long.bounding_box()["height"] < 60
    long.locator("summary").click()
    assert long.get_attribute("open") is not None
    assert not page.locator("td", has_text=re.compile(r"^\s*\d+\.0\s*$")).count()  # no 3100.0, no 1.0


def test_canned_query_with_a_parameter(page, live_site):
    page.goto(live_site + "/kb/latest_price_per_model")
    page.fill("input[name=model]", "o3 미니")
    with page.expect_navigation():
        page.locator("form.sql input[type=submit], form.sql button[type=submit]").first.click()
    assert "model=o3+%EB%AF%B8%EB%8B%88" in page.url or "model=o3%20" in page.url
    rows = table_rows(page, "table.rows-and-columns")
    assert {(row["model"], row["kind"], row["price"]) for row in rows} >= {("o3-mini", "output", "$4.40")}


def test_crawl_health_is_per_source(page, live_site):
    page.goto(live_site + "/")
    click_through(page, "Crawl health")
    rows = {r["outlet"]: r for r in table_rows(page, "table.rows-and-columns")}
    stored = {"한빛경제": "9", "The Silicon Ledger": "16", "서울테크리뷰": "9", "智新观察": "4"}
    assert {name: r["articles"] for name, r in rows.items()} == stored
    for name, row in rows.items():  # what the last run stored for this source, never the run's total (38)
        assert int(row["last_run_new"]) <= int(stored[name]), row
        if row["last_run"] == "1":
            assert row["last_run_new"] == stored[name], row


def test_entity_page_with_names_in_every_language_and_a_chart(page, live_site):
    page.goto(live_site + "/entity/" + "深度求索")
    assert page.url.endswith("/entity/deepseek")
    names = page.locator("#names").inner_text()
    assert "딥시크" in names and "深度求索" in names and "DeepSeek" in names
    page.wait_for_selector("#kb-chart[data-rendered=yes] svg .mark-rect path", timeout=15000)
    assert page.locator("#kb-chart svg .mark-rect path").count() > 0
    axis = page.locator("#kb-chart svg").inner_html()
    assert "2025" in axis and "W00" not in axis
    ticks = [t.text_content() for t in page.locator("#kb-chart svg .role-axis-label text").all()]
    assert ticks
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in ticks), ticks  # whole articles only


def test_price_chart_renders_on_a_log_axis(page, live_site):
    page.goto(live_site + "/entity/o3-mini")
    # a flat line has no height, so "attached" rather than "visible"
    page.wait_for_selector("#kb-chart[data-rendered=yes] svg .mark-line path", state="attached", timeout=15000)
    assert page.locator("#kb-chart svg .mark-line path").count() == 3  # input, output, cached input
    assert "log scale" in page.locator("#kb-chart svg").inner_html()
    page.goto(live_site + "/-/dashboards/charts?model=&kind=output")
    page.wait_for_selector("#chart-price-history svg .mark-line path", state="attached", timeout=15000)
    page.wait_for_selector("#chart-articles-per-company svg .mark-rect path", timeout=15000)
    chart = page.locator("#chart-price-history svg.marks")
    assert chart.bounding_box()["height"] > 100
    labels = " ".join(t.text_content() for t in page.locator("#chart-price-history svg .role-axis-label text").all())
    assert "$1,000" in labels or "$100" in labels  # log ticks, not a linear 0-600
    assert re.search(r"20\d\d", labels)  # years on the date axis


def test_article_text_is_escaped(page, live_site):
    page.goto(live_site + "/-/search?q=" + "<script>alert")
    assert page.locator("#kb-articles mark").first.inner_text() == "<script>alert"
    with page.expect_navigation():
        page.locator("#kb-articles .kb-hits a").first.click()
    assert "<script>alert('kb')</script>" in page.locator("body").inner_text()
    page.wait_for_timeout(300)
    assert not page.problems  # no alert() ran
