"""Extraction quality on real news: a dated report per language and fact type.

Runs :func:`kb.eval.evaluate_by_language` on the real development corpus
(``../shared/real-dev/articles``: 90 third-party articles with gold facts, read
in place and never copied) and writes a Markdown report: F1, precision and
recall per language and type, then every false positive and miss by article id.
Only names, amounts and article ids go into the report, never the articles'
sentences.

``--save FILE.json`` keeps the figures so that a later run can print them as
"before" with ``--before FILE.json``: the before/after table is how an
extraction change is judged.

    .venv/bin/python bench/quality.py --out bench/reports/quality-$(date +%F).md
    .venv/bin/python bench/quality.py --save /tmp/before.json          # before a change
    .venv/bin/python bench/quality.py --before /tmp/before.json        # after it
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.eval import Score, evaluate_by_language  # noqa: E402

REAL_DEV = ROOT.parent / "shared" / "real-dev" / "articles"
# The targets of the real-news extraction issue.
TARGETS = {"companies": "F1 ≥ 0.90", "models": "F1 ≥ 0.88", "people": "F1 ≥ 0.85", "prices": "P ≥ 0.90, R ≥ 0.75",
           "events": "F1 ≥ 0.60", "release_dates": "right ≥ 0.75"}


def figures(results: dict[str, dict[str, Score]]) -> dict[str, dict[str, dict[str, float]]]:
    """The numbers of a run, without the error lists: what ``--save`` keeps."""
    return {lang: {kind: {"p": s.precision, "r": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                   for kind, s in scores.items()} for lang, scores in results.items()}


def _cell(now: dict[str, float], before: dict[str, float] | None) -> str:
    text = f"{now['f1']:.2f} ({now['p']:.2f}/{now['r']:.2f})"
    if before is not None:
        text = f"{before['f1']:.2f} → **{now['f1']:.2f}** ({now['p']:.2f}/{now['r']:.2f})"
    return text


def report(results: dict[str, dict[str, Score]], before: dict[str, Any] | None, *, commit: str,
           gold_label: str, articles: int) -> str:
    now = figures(results)
    languages = sorted(lang for lang in now if lang != "all") + ["all"]
    lines = [
        f"# Extraction quality on real news, {dt.date.today().isoformat()}",
        "",
        f"`kb eval {gold_label}` at commit `{commit}`: {articles} articles; real news is annotated by "
        "`../shared/real-dev/ANNOTATION.md`. Cells are F1 (precision/recall)"
        + (", with the F1 before the change first." if before else "."),
        "",
        "| type | " + " | ".join(languages) + " | target |",
        "|---|" + "---|" * (len(languages) + 1),
    ]
    for kind in now["all"]:
        cells = [_cell(now[lang][kind], (before or {}).get(lang, {}).get(kind)) if lang in now else "-" for lang in languages]
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {TARGETS.get(kind, '')} |")
    lines += ["", "## False positives and misses", ""]
    for kind, score in results["all"].items():
        if score.false_positives:
            lines += [f"### {kind}: false positives ({len(score.false_positives)})", ""]
            lines += [f"- {item}" for item in score.false_positives] + [""]
        if score.misses:
            lines += [f"### {kind}: misses ({len(score.misses)})", ""]
            lines += [f"- {item}" for item in score.misses] + [""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=REAL_DEV, help="gold directory (default: the real dev corpus)")
    parser.add_argument("--out", type=Path, help="write the Markdown report here (default: print it)")
    parser.add_argument("--save", type=Path, help="also keep the figures as JSON, for a later --before")
    parser.add_argument("--before", type=Path, help="figures of an earlier run (--save) to compare with")
    args = parser.parse_args()
    if not args.gold.exists():
        sys.exit(f"no gold corpus at {args.gold} (the real articles live in ../shared, beside the repository)")
    results = evaluate_by_language(args.gold)
    before = json.loads(args.before.read_text()) if args.before else None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    label = "../shared/real-dev/articles" if args.gold.resolve() == REAL_DEV.resolve() else str(args.gold)
    text = report(results, before, commit=commit or "unknown", gold_label=label,
                  articles=sum(1 for _ in args.gold.glob("*.gold.json")))
    if args.save:
        args.save.write_text(json.dumps(figures(results), indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)


if __name__ == "__main__":
    main()
