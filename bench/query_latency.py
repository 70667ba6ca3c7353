"""Query latency of the published KB at scale: a real Datasette, measured over HTTP.

Starts Datasette the way ``kb serve --immutable`` does (:func:`kb.publish.datasette_command`:
the repository's metadata.yml, the same settings) on a free port of 127.0.0.1
over a KB file (build one with ``bench/synthetic_kb.py``), then requests each
page ``--repeat`` times in turn (after one untimed warm-up round) and prints
p50/p95/max per page, as HTML (what a person sees) and as JSON (the API):

- article search through the canned query ``search_articles`` and through the
  table's own search (``/kb/articles?_search=``), Korean and English terms;
- faceted table pages (articles, events, prices with their metadata facets);
- the site-wide search page ``/-/search`` (names and articles), Korean and English terms;
- the home page (its counts), and table pages with and without a facet clicked (articles, events,
  prices and mentions with their metadata facets; one language, one outlet, one company);
- every canned query of metadata.yml, with sensible parameters;
- entity pages (``/entity/ID`` and the entities row page): the most-mentioned company and model
  (from ``entity_stats`` when the KB has it), o3-mini, a candidate;
- the weekly chart a company page loads (its SQL as JSON) and the dashboard page, for the most-mentioned company.

Targets: search p95 <= 100 ms; every other page p95 <= 300 ms.

    .venv/bin/python bench/query_latency.py --db /tmp/kb-bench/kb.db [--repeat 20] [--format html,json]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from kb.publish import METADATA, datasette_command  # noqa: E402

SEARCH_TERMS = ["딥시크", "오픈AI", "o3 미니", "엔비디아", "구글", "OpenAI", "DeepSeek", "price cut", "open-source weights"]
SITE_SEARCH_TERMS = ["딥시크", "구글", "OpenAI", "price cut"]  # /-/search: names and articles
TARGETS = {"search": 100.0, "page": 300.0, "canned": 300.0, "entity": 300.0, "table": 300.0}

# Parameters for the canned queries: a query listed here runs once per mapping; any other runs with each
# of its parameters set from PARAMETER_VALUES by name (one run per value of its first parameter), else ''.
CANNED_PARAMETERS: dict[str, list[dict[str, str]]] = {
    "search_articles": [],  # measured under "search"
    "latest_price_per_model": [{"model": "o3-mini"}, {"model": ""}],
    "price_history": [{"model": "o3-mini"}, {"model": "GPT-4o"}],
    "articles_mentioning": [{"name": "오픈AI"}, {"name": "DeepSeek"}, {"name": "Claude 3.5 Sonnet"}],
    "company_events": [{"company": "DeepSeek"}, {"company": "딥시크"}, {"company": "OpenAI"}],
    # the home page links every model against the price list, and against other outlets
    "price_conflicts": [{"model": "o3-mini", "against": ""}, {"model": "GPT-4o", "against": ""},
                        {"model": "", "against": "reference"}, {"model": "GPT-4o", "against": "reference"},
                        {"model": "", "against": "news"}],
}
PARAMETER_VALUES = {
    "name": ["오픈AI", "DeepSeek"], "model": ["o3-mini", "GPT-4o"], "company": ["DeepSeek", "OpenAI"],
    "entity": ["OpenAI"], "q": ["딥시크"], "month": ["2025-01"], "since": ["2025-01-01"], "until": ["2025-12-31"],
    "date": ["2025-01-31"], "day": ["2025-01-31"], "year": ["2025"], "language": [""], "type": [""], "event": [""],
}


def query_parameters(sql: str) -> list[str]:
    """Named parameters of a query, in order, as Datasette finds them (string literals skipped)."""
    names: list[str] = []
    for name in re.findall(r"(?<![:\w]):([A-Za-z_]\w*)", re.sub(r"'(?:[^']|'')*'", "''", sql)):
        if name not in names:
            names.append(name)
    return names


def canned_runs(query: str, sql: str) -> list[dict[str, str]]:
    """The parameter sets a query is measured with; a query with parameters also runs with all of them empty:
    what a click on it from the database page runs (every company, every model)."""
    names = query_parameters(sql)
    if query in CANNED_PARAMETERS:
        runs = list(CANNED_PARAMETERS[query])
        if not runs:
            return runs
    elif not names:
        return [{}]
    else:
        base = {n: PARAMETER_VALUES.get(n, [""])[0] for n in names}
        runs = [{**base, names[0]: value} for value in PARAMETER_VALUES.get(names[0], [""])]
    empty = {n: "" for n in names}
    return runs if empty in runs else [*runs, empty]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 60.0) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return status, body, (time.perf_counter() - start) * 1000


def start_datasette(db: Path, port: int, timeout: float = 1800) -> tuple[subprocess.Popen, float]:
    """Datasette as ``kb serve --immutable`` runs it; returns the process and how long it took to answer."""
    started = time.time()
    log = tempfile.TemporaryFile()  # not a pipe: an unread pipe fills up and blocks the server
    process = subprocess.Popen(datasette_command(db, port=port, immutable=True), stdout=log, stderr=log)
    deadline = started + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"datasette exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            if get(f"http://127.0.0.1:{port}/-/versions.json", timeout=5)[0] == 200:
                return process, time.time() - started
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"datasette did not start within {timeout:.0f}s")


def pages(db: Path) -> list[tuple[str, str, str]]:
    """(group, label, path) of every page measured; the database is named after the file."""
    name = db.stem
    out: list[tuple[str, str, str]] = []
    for term in SEARCH_TERMS:
        out.append(("search", f"canned search_articles q={term}", f"/{name}/search_articles?{urlencode({'q': term})}"))
    for term in SEARCH_TERMS:
        out.append(("search", f"table articles?_search={term}", f"/{name}/articles?{urlencode({'_search': term})}"))
    for term in SITE_SEARCH_TERMS:
        out.append(("search", f"/-/search?q={term}", f"/-/search?{urlencode({'q': term})}"))
    out.append(("page", "home page (counts)", "/"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        top = top_entities(conn)
        source = conn.execute("select source_id from articles where source_id is not null "
                              "order by id desc limit 1").fetchone()
    out.append(("table", "articles (facets source_id, language)", f"/{name}/articles"))
    out.append(("table", "events (facets type, company_id)", f"/{name}/events"))
    out.append(("table", "prices (facets model_id, kind, currency)", f"/{name}/prices"))
    out.append(("table", "mentions (facet entity_id)", f"/{name}/mentions"))
    out.append(("table", "articles?_facet=language&language=ko", f"/{name}/articles?_facet=language&language=ko"))
    if source:
        out.append(("table", f"articles?source_id={source[0]}", f"/{name}/articles?{urlencode({'source_id': source[0]})}"))
    if top.get("company"):
        out.append(("table", f"events?company_id={top['company']}", f"/{name}/events?{urlencode({'company_id': top['company']})}"))
        out.append(("table", f"mentions?entity_id={top['company']}", f"/{name}/mentions?{urlencode({'entity_id': top['company']})}"))
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    queries = (metadata.get("databases") or {}).get("kb", {}).get("queries", {})
    for query, definition in queries.items():
        for parameters in canned_runs(query, definition.get("sql") or ""):
            label = " ".join(f"{k}={v or chr(39) * 2}" for k, v in parameters.items())
            out.append(("canned", f"{query} {label}".strip(), f"/{name}/{query}?{urlencode(parameters)}"))
    chart = chart_sql(metadata, "articles-per-company", "company")
    if chart and top.get("company"):  # the chart a company page loads (JSON), and the dashboard page
        query = urlencode({"sql": chart, "company": top["company"], "_shape": "objects"})
        out.append(("canned", f"chart articles-per-company company={top['company']}", f"/{name}.json?{query}"))
        out.append(("page", f"/-/dashboards/charts?company={top['company']}",
                    f"/-/dashboards/charts?{urlencode({'company': top['company']})}"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        o3 = conn.execute("select id from entities where name = 'o3-mini' limit 1").fetchone()
        candidate = conn.execute("select id from entities where status = 'candidate' limit 1").fetchone()
    entity_ids = [top.get("company"), top.get("model"), o3 and o3[0], candidate and candidate[0]]
    for entity_id in dict.fromkeys(e for e in entity_ids if e):
        out.append(("entity", f"entity/{entity_id}", f"/entity/{quote(entity_id)}"))
        out.append(("entity", f"entities/{entity_id}", f"/{name}/entities/{quote(entity_id)}"))
    return out


def chart_sql(metadata: dict, slug: str, param: str) -> str | None:
    """A datasette-dashboards chart's SQL as the entity page sends it: the ``[[ ... :param ... ]]`` blocks kept."""
    for dashboard in ((metadata.get("plugins") or {}).get("datasette-dashboards") or {}).values():
        chart = (dashboard.get("charts") or {}).get(slug) or {}
        if chart.get("query"):
            return re.sub(r"\[\[(.*?)\]\]", lambda m: m.group(1) if f":{param}" in m.group(1) else "", chart["query"])
    return None


def top_entities(conn: sqlite3.Connection) -> dict[str, str]:
    """The most-mentioned company and model: from entity_stats when the KB has it, else OpenAI and o3-mini."""
    try:
        return {kind: row[0] for kind in ("company", "model") for row in conn.execute(
            "select s.entity_id from entity_stats s join entities e on e.id = s.entity_id "
            "where e.type = ? order by s.articles desc limit 1", [kind])}
    except sqlite3.OperationalError:  # a KB from before migration 010
        return {"company": "openai", "model": "o3-mini"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def with_format(path: str, fmt: str) -> str:
    base, _, query = path.partition("?")
    if fmt == "html" or base.endswith(".json"):
        return path
    return f"{base}.json" + (f"?{query}&_shape=objects" if query else "?_shape=objects")


def measure(port: int, targets: list[tuple[str, str, str]], formats: list[str], repeat: int) -> list[dict]:
    """Each page and format: one untimed warm-up request, then ``repeat`` timed ones; a line per page as it ends."""
    base = f"http://127.0.0.1:{port}"
    results = []
    print(HEADER, flush=True)
    for group, label, path in targets:
        for fmt in formats:
            if fmt != "html" and path.startswith(HTML_ONLY) or fmt == "html" and path.partition("?")[0].endswith(".json"):
                continue
            entry = {"group": group, "label": label, "format": fmt, "ms": [], "status": set(), "rows": None}
            status, body, _ = get(base + with_format(path, fmt))
            if fmt == "json" and status == 200:
                try:
                    entry["rows"] = len(json.loads(body).get("rows") or [])
                except (ValueError, AttributeError):
                    pass
            if status != 200:
                entry["error"] = body[:300].decode(errors="replace")
            for _ in range(repeat):
                status, _, ms = get(base + with_format(path, fmt))
                entry["ms"].append(ms)
                entry["status"].add(status)
            results.append(entry)
            print(line(entry), flush=True)
    return results


HTML_ONLY = ("/entity/", "/-/")  # the plugin's pages have no JSON
HEADER = f"{'group':<7} {'fmt':<4} {'page':<58} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>5}  target"


def line(r: dict) -> str:
    target = TARGETS[r["group"]]
    p50, p95 = percentile(r["ms"], 0.5), percentile(r["ms"], 0.95)
    r["ok"] = p95 <= target and r["status"] == {200}
    verdict = ("met" if r["ok"] else "NOT met") + f" (<= {target:.0f})"
    if r["status"] != {200}:
        verdict += f" HTTP {sorted(r['status'])}"
    rows = "" if r["rows"] is None else str(r["rows"])
    text = f"{r['group']:<7} {r['format']:<4} {r['label'][:58]:<58} {p50:8.1f} {p95:8.1f} {max(r['ms']):8.1f} {rows:>5}  {verdict}"
    if r.get("error"):
        text += f"\n        error: {' '.join(r['error'].split())[:200]}"
    return text


def report(results: list[dict]) -> int:
    missed = sum(not r["ok"] for r in results)
    print(f"\n{len(results) - missed} of {len(results)} pages within target")
    for group in TARGETS:
        chosen = [r for r in results if r["group"] == group]
        if chosen:
            print(f"  {group:<7} {sum(r['ok'] for r in chosen)} of {len(chosen)} within {TARGETS[group]:.0f} ms "
                  f"(worst p95 {max(percentile(r['ms'], 0.95) for r in chosen):.0f} ms)")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/kb-bench/kb.db"), help="KB file (default /tmp/kb-bench/kb.db)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and format (default 20)")
    parser.add_argument("--format", default="html,json", help="html, json or both (default html,json)")
    parser.add_argument("--only", action="append", help="measure only pages whose label contains this (repeatable)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"no KB at {args.db}: build one with bench/synthetic_kb.py --out {args.db}")
        return 1
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        articles = conn.execute("select max(id) from articles").fetchone()[0]
    print(f"KB {args.db}: {articles:,} articles, {args.db.stat().st_size / 2**30:.2f} GiB")
    targets = [t for t in pages(args.db) if not args.only or any(o in t[1] for o in args.only)]
    port = free_port()
    process, startup = start_datasette(args.db, port)
    print(f"Datasette (immutable) answered {startup:.1f}s after it was started")
    try:
        results = measure(port, targets, [f.strip() for f in args.format.split(",")], args.repeat)
    finally:
        process.terminate()
        process.wait(timeout=30)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
