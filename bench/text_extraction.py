"""Score main-text extractors on the article-extraction benchmark, in one process.

Rows: ours (the whole :func:`kb.parse.parse_html` path, so the numbers are what
the knowledge base gets, and :func:`kb.body.extract_body` alone, to separate its
cost from the metadata extraction around it), trafilatura with its default,
favor_precision and favor_recall settings, and readability-lxml. The metric is
:mod:`bench.shingle_metric`, the benchmark's own definition.

    .venv/bin/python bench/text_extraction.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
import trafilatura  # noqa: E402

from bench.machine import describe  # noqa: E402
from bench.shingle_metric import Scores, evaluate  # noqa: E402
from kb.body import extract_body  # noqa: E402
from kb.parse import ParseError, parse_html  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"

Extractor = Callable[[str], str]


def load_pages(data: Path, limit: int | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Ground-truth bodies and page HTML by item id, in a stable (sorted) order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    bodies = {i: truth[i]["articleBody"] for i in ids}
    pages = {i: gzip.decompress((data / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8") for i in ids}
    return bodies, pages


def ours(html: str) -> str:
    try:
        return parse_html(html).text
    except ParseError:
        return ""


def trafilatura_with(**options: bool) -> Extractor:
    def extract(html: str) -> str:
        return trafilatura.extract(html, **options) or ""

    return extract


_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "td", "th", "section", "article", "figure", "figcaption",
}  # fmt: skip


def html_to_text(fragment: str) -> str:
    """Visible text with a line break after each block, so words of adjacent blocks do not fuse."""
    if not fragment.strip():
        return ""
    tree = lxml.html.fromstring(fragment)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())


def readability_extractor() -> Extractor | None:
    try:
        from readability import Document
    except ImportError:
        return None

    def extract(html: str) -> str:
        try:
            return html_to_text(Document(html).summary(html_partial=True))
        except Exception:  # readability raises on pages it cannot make sense of; score them as empty
            return ""

    return extract


def extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "ours (kb.parse)": ours,
        "ours (kb.body only)": extract_body,
        "trafilatura default": trafilatura_with(),
        "trafilatura precision": trafilatura_with(favor_precision=True),
        "trafilatura recall": trafilatura_with(favor_recall=True),
    }
    readability = readability_extractor()
    if readability is None:
        print("readability-lxml is not installed: its row is skipped (pip install readability-lxml)", file=sys.stderr)
    else:
        found["readability-lxml"] = readability
    return found


def run_all(extractors: dict[str, Extractor], pages: dict[str, str]) -> dict[str, tuple[dict[str, str], float]]:
    """Predictions and pages per second for each extractor.

    Extractors take turns page by page, so a slow spell of a shared machine
    slows all of them alike instead of whichever happened to run then. Each
    first sees a few pages untimed (imports, caches). Only extraction is timed:
    pages are already decompressed in memory.
    """
    for extract in extractors.values():
        for html in list(pages.values())[:3]:
            extract(html)
    predictions: dict[str, dict[str, str]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for key, html in pages.items():
        for name, extract in extractors.items():
            start = time.perf_counter()
            predictions[name][key] = extract(html)
            seconds[name] += time.perf_counter() - start
    return {name: (predictions[name], len(pages) / seconds[name]) for name in extractors}


def table(rows: dict[str, tuple[Scores, float]], reference: str = "trafilatura default") -> str:
    """One row per extractor; speed also as a multiple of the reference extractor's."""
    base = rows[reference][1] if reference in rows else None
    lines = [f"{'extractor':<24} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'pages/s':>8} {'x traf':>6}"]
    for name, (s, speed) in rows.items():
        ratio = f"{speed / base:6.2f}" if base else f"{'-':>6}"
        lines.append(f"{name:<24} {s.f1:6.4f} {s.precision:6.4f} {s.recall:6.4f} {s.accuracy:6.4f} {speed:8.1f} {ratio}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"benchmark directory (default: {DEFAULT_DATA})")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages (sorted by id)")
    parser.add_argument("--only", action="append", help="run only extractors whose name contains this (repeatable)")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"benchmark data not found at {args.data}: nothing to score (pass --data DIR)")
        return 0

    truths, pages = load_pages(args.data, args.limit)
    print(f"{len(pages)} pages from {args.data}")
    print(f"machine: {describe()}")
    chosen = {n: e for n, e in extractors().items() if not args.only or any(o in n for o in args.only)}
    results = run_all(chosen, pages)
    rows = {name: (evaluate(truths, predictions), speed) for name, (predictions, speed) in results.items()}
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
