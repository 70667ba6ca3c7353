"""Main-text extraction: the benchmark's metric, the cleaning rules, and the score on real pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import trafilatura

from kb.body import extract_body
from kb.parse import ParseError, parse_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.shingle_metric import aggregate, evaluate, score_page, shingles, tokenize  # noqa: E402
from bench.text_extraction import DEFAULT_DATA, load_pages  # noqa: E402

# ---------------------------------------------------------------- the metric


def test_identical_texts_score_one():
    text = "Tidal turbines under the pier make power for nine hundred homes."
    page = score_page(text, text)
    assert (page.precision, page.recall, page.exact) == (1.0, 1.0, True)
    assert evaluate({"a": text}, {"a": text}).f1 == 1.0


def test_disjoint_texts_score_zero():
    page = score_page("the harbour town opened a station", "fishermen feared for the mackerel")
    assert (page.precision, page.recall) == (0.0, 0.0)
    assert evaluate({"a": "one two three four"}, {"a": "five six seven eight"}).f1 == 0.0


def test_partial_overlap_by_hand():
    # truth shingles: (one two three four) (two three four five) (three four five six)
    # prediction shingles: the first two -> TP 2, FP 0, FN 1
    page = score_page("one two three four five six", "one two three four five")
    assert page.precision == 1.0
    assert page.recall == pytest.approx(2 / 3)
    assert (page.tp, page.fp, page.fn) == pytest.approx((2 / 3, 0.0, 1 / 3))


def test_shingles_are_a_multiset():
    # prediction repeats the text: wxyz twice plus xyzw, yzwx, zwxy -> TP 1, FP 4
    page = score_page("w x y z", "w x y z w x y z")
    assert page.precision == pytest.approx(1 / 5)
    assert page.recall == 1.0
    assert shingles("w x y z w x y z")[("w", "x", "y", "z")] == 2


def test_short_text_is_one_shorter_shingle():
    assert shingles("hello world") == {("hello", "world"): 1}
    assert score_page("hello world", "hello world").precision == 1.0
    assert score_page("hello world", "hello").recall == 0.0


def test_scores_are_macro_averaged_then_combined():
    pages = [score_page("one two three four five six", "one two three four five"), score_page("w x y z", "w x y z w x y z")]
    scores = aggregate(pages)
    precision, recall = (1.0 + 0.2) / 2, (2 / 3 + 1.0) / 2
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(2 * precision * recall / (precision + recall))


def test_empty_prediction_counts_for_recall_only():
    scores = evaluate({"a": "one two three four", "b": "five six seven eight"}, {"a": "one two three four"})
    assert scores.precision == 1.0  # page b has no prediction: not in the precision mean
    assert scores.recall == 0.5


def test_accuracy_compares_token_lists_with_case():
    assert tokenize("Hello, world!") == ["Hello", "world"]
    assert score_page("Hello, world!", "Hello world").exact
    assert not score_page("Hello world", "hello world").exact
    assert tokenize("Сегодня 東京 tidal_power") == ["Сегодня", "東京", "tidal_power"]


# ---------------------------------------------------------------- extraction rules, on a page of our own

FIRST_HALF = [
    "The harbour town of Quillmere opened its first tidal power station on Tuesday, after eleven years of planning and two rejected designs by the county engineers.",
    "Engineers placed four slow turbines under the old ferry pier, where the water runs fastest between the breakwater and the lighthouse rock at every turn of the tide.",
    "The station is expected to cover the electricity needs of about nine hundred homes, according to the cooperative of residents that financed most of the construction.",
]
SECOND_HALF = [
    "Fishermen had worried that the turbines would scare away the mackerel, but a two-year survey commissioned by the cooperative found no measurable effect on the catch.",
    "The next stage, a second row of turbines near the lighthouse, will be put to a vote of the members in the spring, once the first winter of operation has been reviewed.",
]
POST = "Our little pier now makes electricity for the whole street, and the gulls do not seem to mind at all"
TITLE = "Tidal power arrives in Quillmere"
DECK = "Four turbines under the ferry pier"
MENU = ["Home", "Local news", "Weather", "Sport", "Contact us"]
RELATED = ["Quillmere bakery wins the county prize again", "Ferry timetable changes for the winter season", "Lighthouse open day draws a record crowd"]
NEWSLETTER = "Sign up for our weekly newsletter"
FOOTER = "The Coastal Gazette, 12 Harbour Row, Quillmere."


def _links(texts: list[str]) -> str:
    return "".join(f'<li><a href="/p{i}">{t}</a></li>' for i, t in enumerate(texts))


def _chunk(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div class="story-chunk"><div class="story-text">{body}</div><aside class="ad-slot"></aside></div>'


def news_page(head: str = "") -> str:
    """A news page as publishers build them: menu, headline and deck, body in chunks, an embedded post, related links."""
    tweet = f'<blockquote class="twitter-tweet"><p>{POST}</p>— Pier Watch (@pierwatch) March 3, 2020</blockquote>'
    return f"""<!DOCTYPE html><html lang="en"><head><title>{TITLE} | The Coastal Gazette</title>
<meta property="og:title" content="{TITLE}">{head}</head><body>
<header><nav><ul>{_links(MENU)}</ul></nav></header>
<div id="content"><h1>{TITLE}</h1><h2>{DECK}</h2>
<div class="story-chunks">{_chunk(FIRST_HALF)}<div class="embed">{tweet}</div>{_chunk(SECOND_HALF)}</div>
<ul>{_links(RELATED)}</ul>
<p>{NEWSLETTER}</p></div>
<footer><p>{FOOTER}</p><ul>{_links(["About us", "Privacy policy"])}</ul></footer>
</body></html>"""


def test_keeps_the_article_paragraphs_in_order():
    lines = extract_body(news_page()).split("\n")
    kept = [line for line in lines if line in FIRST_HALF + SECOND_HALF]
    assert kept == FIRST_HALF + SECOND_HALF


def test_drops_headline_menu_related_links_and_footer():
    text = extract_body(news_page())
    for boilerplate in [TITLE, DECK, NEWSLETTER, FOOTER, *MENU, *RELATED]:
        assert boilerplate not in text
    # trafilatura alone keeps the headline, the deck, the related links and the prompt
    plain = trafilatura.extract(news_page()) or ""
    assert TITLE in plain and RELATED[0] in plain and NEWSLETTER in plain


def test_keeps_an_embedded_post_where_it_stands():
    lines = extract_body(news_page()).split("\n")
    post = next(i for i, line in enumerate(lines) if line.startswith(POST))
    assert lines[post] == f"{POST} — Pier Watch (@pierwatch) March 3, 2020"
    assert lines[post - 1] == FIRST_HALF[-1] and lines[post + 1] == SECOND_HALF[0]


def test_json_ld_body_is_the_fallback_for_pages_without_text():
    declared = {"articleBody": "<p>The cooperative will vote in spring.</p><p>Members can <b>vote</b> online.</p>"}
    empty = "<html><head><title>x</title></head><body><div id='app'></div><script>render()</script></body></html>"
    assert extract_body(empty, json_ld=declared) == "The cooperative will vote in spring.\nMembers can vote online."
    # when the page has the article, a teaser in JSON-LD does not replace it
    teaser = {"articleBody": "Quillmere opened a tidal power station."}
    assert FIRST_HALF[0] in extract_body(news_page(), json_ld=teaser)


def test_unparseable_input_falls_back_to_the_callers_text():
    assert extract_body("", extracted="from the caller") == "from the caller"


# ---------------------------------------------------------------- the benchmark, if it is beside the repository

SUBSET = 30


def _ours(html: str) -> str:
    try:
        return parse_html(html).text
    except ParseError:
        return ""


def test_beats_trafilatura_on_benchmark_subset():
    if not (DEFAULT_DATA / "ground-truth.json").is_file():
        pytest.skip(f"article-extraction benchmark not found at {DEFAULT_DATA} (read-only data beside the repository)")
    truths, pages = load_pages(DEFAULT_DATA, SUBSET)
    ours = evaluate(truths, {key: _ours(html) for key, html in pages.items()})
    theirs = evaluate(truths, {key: trafilatura.extract(html) or "" for key, html in pages.items()})
    assert ours.f1 >= theirs.f1, (ours, theirs)
    assert ours.f1 >= 0.95, ours
