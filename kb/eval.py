"""Score extraction against gold files: precision, recall and F1 per fact type.

A gold file (the format of ``shared/gold``) lists, per type, what is
``required`` (a miss counts against recall), ``optional`` (neither rewarded nor
punished) and ``forbidden`` (always a false positive). Entities match by any
accepted spelling; prices by model, kind and amount; events by type, company
and model, with the date checked separately.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.extract import extract
from kb.extract.gazetteer import Gazetteer, load_gazetteer
from kb.parse import Article, read_document

__all__ = ["Score", "evaluate", "evaluate_by_language", "load_gold_input", "format_report", "format_language_table"]

TYPES = ("companies", "models", "people", "prices", "events")


def _norm(value: Any) -> str:
    return re.sub(r"[\s\-_.·‧]+", "", unicodedata.normalize("NFKC", str(value or "")).casefold())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold_input(gold_path: Path, gold: dict[str, Any]) -> Article:
    """The article a gold file describes: a demo article (.yml), a text or an HTML file."""
    reference = gold.get("article") or gold.get("seed") or gold.get("input", {}).get("file")
    if not reference:
        raise ValueError(f"{gold_path}: names no article ('article', 'seed' or input.file)")
    path = next((p / reference for p in gold_path.resolve().parents if (p / reference).exists()), None)
    if path is None:
        raise FileNotFoundError(f"{gold_path}: article {reference} not found")
    info = gold.get("input", {})
    if path.suffix in (".yml", ".yaml"):
        from kb.demo.site import load_article

        demo = load_article(path)
        article = Article(url=None, title=demo.title, published=demo.published, language=demo.language, text=demo.plain_text())
    else:
        article = read_document(path)
    article.published = info.get("published") or article.published
    article.language = info.get("language") or article.language
    return article


def _entity_names(entity: dict[str, Any]) -> set[str]:
    return {_norm(entity["name"])} | {_norm(m["text"]) for m in entity.get("mentions", [])}


def _gold_names(entry: dict[str, Any]) -> set[str]:
    return {_norm(entry["name"])} | {_norm(a) for a in entry.get("accept", [])}


def _score_entities(kind: str, got: list[dict[str, Any]], gold: dict[str, Any], label: str, score: Score) -> None:
    required, optional, forbidden = (gold.get(k, []) for k in ("required", "optional", "forbidden"))
    for entry in required:
        if any(_gold_names(entry) & _entity_names(e) for e in got):
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{label}: {entry['name']}")
    for entity in got:
        names = _entity_names(entity)
        if any(_gold_names(entry) & names for entry in forbidden):
            score.fp += 1
            score.false_positives.append(f"{label}: {entity['name']} (forbidden)")
        elif not any(_gold_names(entry) & names for entry in required + optional):
            score.fp += 1
            score.false_positives.append(f"{label}: {entity['name']}")


def _aliases(gold: dict[str, Any], kind: str) -> dict[str, set[str]]:
    """Every accepted spelling of each gold name of ``kind``: ANNOTATION.md matches names by any of them."""
    aliases: dict[str, set[str]] = {}
    for entry in gold.get(kind, {}).get("required", []) + gold.get(kind, {}).get("optional", []):
        aliases[_norm(entry["name"])] = _gold_names(entry)
    return aliases


def _model_aliases(gold: dict[str, Any]) -> dict[str, set[str]]:
    return _aliases(gold, "models")


def _same_model(gold_model: Any, got_model: Any, aliases: dict[str, set[str]]) -> bool:
    names = aliases.get(_norm(gold_model), {_norm(gold_model)})
    return _norm(got_model) in names or _norm(gold_model) == _norm(got_model)


def _price_matches(gold_price: dict[str, Any], price: dict[str, Any], aliases: dict[str, set[str]]) -> bool:
    # ANNOTATION.md: a flat rate of an unnamed plan has model null in gold, which matches any model
    return (
        (gold_price["model"] is None or _same_model(gold_price["model"], price["model"], aliases))
        and gold_price["kind"] == price["kind"]
        and abs(float(gold_price["amount"]) - float(price["amount"])) < 1e-9
        and gold_price.get("currency", price["currency"]) == price["currency"]
    )


def _score_prices(got: list[dict[str, Any]], gold: dict[str, Any], label: str, score: Score) -> None:
    aliases = _model_aliases(gold)
    required, optional = gold["prices"].get("required", []), gold["prices"].get("optional", [])
    for entry in required:
        if any(_price_matches(entry, p, aliases) for p in got):
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{label}: {entry['model']} {entry['kind']} {entry['amount']} {entry.get('currency', '')}")
    for price in got:
        if not any(_price_matches(entry, price, aliases) for entry in required + optional):
            score.fp += 1
            score.false_positives.append(f"{label}: {price['model']} {price['kind']} {price['amount']} {price['currency']}")


def _event_matches(gold_event: dict[str, Any], event: dict[str, Any], aliases: dict[str, set[str]],
                   companies: dict[str, set[str]] | None = None) -> bool:
    if gold_event["type"] != event["type"]:
        return False
    if gold_event.get("company"):
        # a partnership of five companies is one event with five participants; a company matches by any
        # spelling the gold accepts for it ("Disney" = "The Walt Disney Company")
        names = {_norm(event.get("company"))} | {_norm(p) for p in event.get("participant_names") or []}
        accepted = (companies or {}).get(_norm(gold_event["company"]), set()) | {_norm(gold_event["company"])}
        if not accepted & names:
            return False
    if gold_event.get("model") and not _same_model(gold_event["model"], event.get("model"), aliases):
        return False
    return True


def _score_events(got: list[dict[str, Any]], gold: dict[str, Any], label: str, score: Score, dates: Score) -> None:
    aliases, companies = _model_aliases(gold), _aliases(gold, "companies")
    required, optional = gold["events"].get("required", []), gold["events"].get("optional", [])
    for entry in required:
        matches = [e for e in got if _event_matches(entry, e, aliases, companies)]
        if matches:
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"{label}: {entry['type']} {entry.get('company')} {entry.get('model') or ''} {entry.get('date') or ''}")
        if entry["type"] == "model_release" and entry.get("date"):
            if any(e.get("date") == entry["date"] for e in matches):
                dates.tp += 1
            else:
                dates.fn += 1
                dates.misses.append(f"{label}: {entry.get('model')} released {entry['date']}, got "
                                    f"{', '.join(str(e.get('date')) for e in matches) or 'no event'}")
    for event in got:
        if not any(_event_matches(entry, event, aliases, companies) for entry in required + optional):
            score.fp += 1
            score.false_positives.append(f"{label}: {event['type']} {event.get('company')} {event.get('model') or ''}")


def evaluate(gold_dir: Path, *, gazetteer: Gazetteer | None = None) -> dict[str, Score]:
    """Score every ``*.gold.json`` under ``gold_dir``."""
    return evaluate_by_language(gold_dir, gazetteer=gazetteer)["all"]


def _empty_scores() -> dict[str, Score]:
    scores = {kind: Score() for kind in TYPES}
    scores["release_dates"] = Score()
    return scores


def evaluate_by_language(
    gold_dir: Path, *, gazetteer: Gazetteer | None = None, languages: set[str] | None = None
) -> dict[str, dict[str, Score]]:
    """Scores over all gold files (key ``all``) and per article language (``ko``, ``en``, ``zh``).

    Real news is scored per language because one language's gains can hide another's losses.
    ``languages`` keeps only the articles in those languages.
    """
    gazetteer = gazetteer or load_gazetteer()
    results: dict[str, dict[str, Score]] = {"all": _empty_scores()}
    files = sorted(Path(gold_dir).glob("*.gold.json"))
    if not files:
        raise FileNotFoundError(f"no *.gold.json files in {gold_dir}")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = load_gold_input(path, gold)
        language = article.language or "unknown"
        if languages and language not in languages:
            continue
        facts = extract(article, gazetteer=gazetteer)
        label = path.name.removesuffix(".gold.json")
        for scores in (results["all"], results.setdefault(language, _empty_scores())):
            for kind in ("companies", "models", "people"):
                _score_entities(kind, facts[kind], gold.get(kind, {}), label, scores[kind])
            _score_prices(facts["prices"], gold, label, scores["prices"])
            _score_events(facts["events"], gold, label, scores["events"], scores["release_dates"])
    return results


def format_language_table(results: dict[str, dict[str, Score]]) -> str:
    """One row per fact type, one column group per language: F1 (precision/recall)."""
    columns = sorted(lang for lang in results if lang != "all") + ["all"]
    lines = [f"{'F1 (P/R)':<14}" + "".join(f"{lang:>20}" for lang in columns)]
    for kind in results["all"]:
        cells = []
        for lang in columns:
            score = results[lang][kind]
            cells.append(f"{score.f1:.2f} ({score.precision:.2f}/{score.recall:.2f})" if score.tp + score.fp + score.fn else "-")
        lines.append(f"{kind:<14}" + "".join(f"{cell:>20}" for cell in cells))
    return "\n".join(lines)


def format_report(scores: dict[str, Score], *, details: bool = True, table: bool = True) -> str:
    lines = [f"{'type':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"] if table else []
    for kind, score in scores.items() if table else ():
        lines.append(f"{kind:<14} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} {score.tp:>5} {score.fp:>5} {score.fn:>5}")
    if details:
        for kind, score in scores.items():
            if score.false_positives:
                lines.append(f"\nfalse positives, {kind}:")
                lines += [f"  {item}" for item in score.false_positives]
            if score.misses:
                lines.append(f"\nmisses, {kind}:")
                lines += [f"  {item}" for item in score.misses]
    return "\n".join(lines)
