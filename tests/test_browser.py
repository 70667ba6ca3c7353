"""A newcomer clicking through the demo in a real browser: Playwright driving Debian's Chromium
against a live ``kb serve`` over the demo KB. Screenshots are kept in test-artifacts/browser/.

Chromium comes from the distribution (``make test`` installs it when it is missing and
it runs as root); Playwright never downloads a browser. Without Chromium these tests
fail with one message saying how to install it: they never skip.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

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
    log = path.with_suffix(".log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--db", str(path), "--port", str(port), "--immutable"],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/-/versions.json", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"kb serve did not start: {path.with_suffix('.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


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
    context.close()
    assert not problems, problems


def click_through(page, link_text: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link_text).click()


def table_rows(page, selector: str) -> list[dict[str, str]]:
    headers = [th.inner_text().strip() for th in page.locator(f"{selector} thead th").all()]
    return [dict(zip(headers, [td.inner_text().strip() for td in row.locator("td").all()]))
            for row in page.locator(f"{selector} tbody tr").all()]


def test_home_page(page, live_site):
    page.goto(live_site + "/")
    assert page.locator("h1").first.inner_text() == "ai-news-kb"
    assert page.locator("#kb-q").is_visible()
    for link in ("Companies", "Models", "People", "Charts", "Atom feed of new events", "Crawl health"):
        assert page.get_by_role("link", name=link).count() >= 1, link
    assert "38 articles" in page.locator("main, .content, body").first.inner_text()


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


def test_what_o3_mini_costs_per_million_output_tokens_and_who_said_so(page, live_site):
    page.goto(live_site + "/")
    click_through(page, "What does o3-mini cost per 1M output tokens, and who said so?")
    assert page.url.endswith("/entity/o3-mini")
    output = [row for row in table_rows(page, "#latest_price_per_model") if row["kind"] == "output"]
    assert len(output) == 1
    assert output[0]["usd_per_million_tokens"] == "4.4" and output[0]["unit"] == "per 1M tokens"
    assert "The Silicon Ledger" in output[0]["said_by"] and "$4.40" in output[0]["evidence"]
    # the article link opens the article the price came from
    with page.expect_navigation():
        page.locator("#latest_price_per_model tbody tr", has_text="output").get_by_role("link").first.click()
    assert "$4.40 per million output tokens" in page.content()


def test_what_deepseek_did_in_january_2025(page, live_site):
    page.goto(live_site + "/")
    click_through(page, "What did DeepSeek do in January 2025?")
    rows = table_rows(page, "table.rows-and-columns")
    assert rows and all(row["date"].startswith("2025-01") for row in rows)
    assert ("event", "model_release", "DeepSeek-R1 (DeepSeek)") in {(r["what"], r["type"], r["subject"]) for r in rows}
    assert "open_source" in {r["type"] for r in rows}
    # the same, by clicking: DeepSeek's page has the month in its timeline
    page.goto(live_site + "/entity/deepseek")
    january = page.locator("#timeline-2025-01")
    assert "model_release" in january.inner_text() and "DeepSeek-R1" in january.inner_text()


def test_canned_query_with_a_parameter(page, live_site):
    page.goto(live_site + "/kb/latest_price_per_model")
    page.fill("input[name=model]", "o3 미니")
    with page.expect_navigation():
        page.locator("form.sql input[type=submit], form.sql button[type=submit]").first.click()
    assert "model=o3+%EB%AF%B8%EB%8B%88" in page.url or "model=o3%20" in page.url
    rows = table_rows(page, "table.rows-and-columns")
    assert {(row["model"], row["kind"], row["usd_per_million_tokens"]) for row in rows} >= {("o3-mini", "output", "4.4")}


def test_entity_page_with_names_in_every_language_and_a_chart(page, live_site):
    page.goto(live_site + "/entity/" + "深度求索")
    assert page.url.endswith("/entity/deepseek")
    names = page.locator("#names").inner_text()
    assert "딥시크" in names and "深度求索" in names and "DeepSeek" in names
    page.wait_for_selector("#kb-chart[data-rendered=yes] svg .mark-rect path", timeout=15000)
    assert page.locator("#kb-chart svg .mark-rect path").count() > 0


def test_price_chart_renders(page, live_site):
    page.goto(live_site + "/entity/o3-mini")
    # a flat line has no height, so "attached" rather than "visible"
    page.wait_for_selector("#kb-chart[data-rendered=yes] svg .mark-line path", state="attached", timeout=15000)
    assert page.locator("#kb-chart svg .mark-line path").count() == 3  # input, output, cached input
    page.goto(live_site + "/-/dashboards/charts?model=DeepSeek-R1&kind=output")
    page.wait_for_selector("#chart-price-history svg .mark-line path", state="attached", timeout=15000)
    page.wait_for_selector("#chart-articles-per-company svg .mark-rect path", timeout=15000)
    assert page.locator("#chart-price-history svg.marks").bounding_box()["height"] > 100
    assert "DeepSeek-R1 · output" in page.locator("#chart-price-history svg.marks").inner_html()


def test_article_text_is_escaped(page, live_site):
    page.goto(live_site + "/-/search?q=" + "<script>alert")
    assert page.locator("#kb-articles mark").first.inner_text() == "<script>alert"
    with page.expect_navigation():
        page.locator("#kb-articles .kb-hits a").first.click()
    assert "<script>alert('kb')</script>" in page.locator("body").inner_text()
    page.wait_for_timeout(300)
    assert not page.problems  # no alert() ran
