#!/usr/bin/env bash
# Run every benchmark in turn and keep the output under $OUT (default /tmp/kb-bench/results).
# The 1,000,000-article KB is built once into $KB (default /tmp/kb-bench/kb.db) and reused.
#
#   bash bench/run_all.sh            # everything (about an hour on 2 cores; the 1M build alone ~15-20 min)
#   QUICK=1 bash bench/run_all.sh    # small sizes, a few minutes: checks that every script runs
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-/tmp/kb-bench/results}
KB=${KB:-/tmp/kb-bench/kb.db}
mkdir -p "$OUT"

if [[ -n "${QUICK:-}" ]]; then
  $PY bench/text_extraction.py --limit 20 | tee "$OUT/text_extraction.txt"
  $PY bench/extraction.py --seconds 3 --runs 2 | tee "$OUT/extraction.txt"
  $PY bench/crawl.py --articles 300 --sample 50 | tee "$OUT/crawl.txt"
  rm -f /tmp/kb-bench/quick.db*
  $PY bench/synthetic_kb.py --out /tmp/kb-bench/quick.db --articles 5000 | tee "$OUT/synthetic_kb.txt"
  $PY bench/query_latency.py --db /tmp/kb-bench/quick.db --repeat 3 | tee "$OUT/query_latency.txt"
  exit 0
fi

$PY bench/text_extraction.py | tee "$OUT/text_extraction.txt"
$PY bench/extraction.py | tee "$OUT/extraction.txt"
$PY bench/crawl.py --scale | tee "$OUT/crawl_scale.txt"
if [[ ! -f "$KB" ]]; then
  $PY bench/synthetic_kb.py --out "$KB" | tee "$OUT/synthetic_kb.txt"
fi
$PY bench/query_latency.py --db "$KB" --repeat 5 | tee "$OUT/query_latency.txt"
