"""Throughput and start-up time of fact extraction (``kb extract``).

Throughput: :func:`kb.extract.extract` over the demo corpus (``kb/demo/articles``),
each article rendered by the demo site and parsed by :func:`kb.parse.parse_html`
first (untimed), so extraction sees exactly what the pipeline gives it; the
corpus is extracted again and again for at least ``--seconds`` seconds.

The rate is given per wall-clock second and per CPU-second of the process: on
a shared machine the first falls with the others' load, the second much less.

Start-up: wall time of ``kb extract FILE`` on one demo page in a fresh process
(the median of ``--runs``), beside a fresh process that only imports
``kb.extract``, and the gazetteer load time (``load_gazetteer()`` in a fresh
process, after its imports).

    .venv/bin/python bench/extraction.py [--seconds 20] [--runs 5] [--warm N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from kb.demo.site import DemoSite, load_articles  # noqa: E402
from kb.extract import extract  # noqa: E402
from kb.extract.gazetteer import load_gazetteer  # noqa: E402
from kb.parse import parse_html  # noqa: E402

KB = [sys.executable, "-m", "kb"]


def demo_pages() -> list[tuple[str, bytes]]:
    """URL and bytes of every demo article page, as the demo site serves them."""
    site = DemoSite("http://127.0.0.1:8799")
    out = []
    for article in site.articles:
        url = site.article_url(article)
        out.append((url, site._article(site.outlets[article.outlet], article).body))
    return out


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp949")


def throughput(seconds: float, warm: int | None = None) -> dict[str, float]:
    """Extractions per second after ``warm`` untimed ones (default: the whole corpus once, so that Kiwi and
    jieba are loaded and the gazetteer's alternations compiled, ~2.5 s of one-time work that the start-up
    figure and a long crawl pay once; ``--warm 3`` is how this was measured up to 2026-12-03)."""
    gazetteer = load_gazetteer()
    articles = [parse_html(decode(raw), url=url) for url, raw in demo_pages()]
    for number in range(len(articles) if warm is None else warm):
        extract(articles[number % len(articles)], gazetteer=gazetteer)
    done, chars, facts = 0, 0, 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for article in articles:
            result = extract(article, gazetteer=gazetteer)
            done += 1
            chars += len(article.text)
            facts += sum(len(result[k]) for k in ("companies", "models", "people", "prices", "events"))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"articles": done, "corpus": len(articles), "seconds": elapsed, "per_second": done / elapsed,
            "per_cpu_second": done / cpu, "load": os.getloadavg()[0],
            "chars_per_second": chars / elapsed, "facts_per_article": facts / done,
            "entities": len(gazetteer.entities)}


def timed(command: list[str], runs: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr[-1000:]}")
        out = result.stdout
    return statistics.median(times), out


def startup(runs: int) -> dict[str, float]:
    url, raw = demo_pages()[0]
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        page.write_bytes(raw)
        whole, output = timed([*KB, "extract", str(page), "--compact"], runs)
        companies = len(json.loads(output)["companies"])
    python, _ = timed([sys.executable, "-c", "pass"], runs)
    imports, _ = timed([sys.executable, "-c", "import kb.cli, kb.extract, kb.parse"], runs)
    probe = ("import time, json; t0 = time.perf_counter(); from kb.extract.gazetteer import load_gazetteer; "
             "t1 = time.perf_counter(); g = load_gazetteer(); t2 = time.perf_counter(); "
             "print(json.dumps([t1 - t0, t2 - t1, len(g.entities)]))")
    loads = []
    for _ in range(runs):
        loads.append(json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                                               check=True).stdout))
    return {"kb_extract": whole, "python": python, "imports": imports,
            "gazetteer_load": statistics.median(l[1] for l in loads), "entities": loads[0][2], "companies_found": companies}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="minimum time extracting the corpus (default 20)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per start-up figure (default 5)")
    parser.add_argument("--warm", type=int, default=None, help="untimed extractions first (default: one per demo article)")
    args = parser.parse_args(argv)
    print(f"machine: {describe()}")
    t = throughput(args.seconds, args.warm)
    print(f"throughput: {t['per_second']:.1f} articles/s ({t['chars_per_second'] / 1000:.0f}k characters/s; "
          f"{t['articles']} extractions of the {t['corpus']} demo articles in {t['seconds']:.1f}s; "
          f"{t['facts_per_article']:.1f} companies+models+people+prices+events per article; gazetteer {t['entities']} entities)")
    # on a shared machine the wall-clock rate is the other sessions' as much as ours: the rate per CPU-second
    # of this process is what a quiet machine would give (the two agree when the load is under the core count)
    print(f"            {t['per_cpu_second']:.1f} articles per CPU-second of this process (load average {t['load']:.1f} "
          f"on {os.cpu_count()} cores at the end)")
    s = startup(args.runs)
    print(f"start-up  : `kb extract FILE` in a fresh process {s['kb_extract'] * 1000:.0f} ms wall (median of {args.runs}; "
          f"{s['companies_found']} companies found), of which: Python itself {s['python'] * 1000:.0f} ms, "
          f"importing kb.cli + kb.extract + kb.parse {s['imports'] * 1000:.0f} ms (incl. Python), "
          f"gazetteer load {s['gazetteer_load'] * 1000:.0f} ms ({s['entities']} entities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
