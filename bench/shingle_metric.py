"""The article-extraction benchmark's metric, re-implemented so any extractor can be scored.

Text becomes tokens by the regex ``\\w+`` (Unicode, case kept); a text becomes
the multiset of its 4-token shingles (a text of fewer than 4 tokens is one
shorter shingle). Per page, true positives, false positives and false negatives
are multiset overlaps normalised to sum to 1; precision is averaged over pages
with a non-empty prediction, recall over pages with a non-empty ground truth,
and F1 is the harmonic mean of those two averages (not the mean of per-page F1).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PageScore", "Scores", "tokenize", "shingles", "score_page", "aggregate", "evaluate"]

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")


def tokenize(text: str | None) -> list[str]:
    """Word tokens as the benchmark counts them: Unicode ``\\w+``, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles; a shorter text is one short shingle, an empty text none."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


@dataclass(frozen=True)
class PageScore:
    """One page's normalised overlap (tp + fp + fn == 1 unless both texts are empty) and exact match."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        """None when the prediction is empty: such a page does not count towards mean precision."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        """None when the ground truth is empty: such a page does not count towards mean recall."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def score_page(true: str | None, pred: str | None) -> PageScore:
    """Compare one prediction with its ground truth."""
    truth, guess = shingles(true), shingles(pred)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp, fp, fn, tokenize(true) == tokenize(pred))


def aggregate(pages: Iterable[PageScore]) -> Scores:
    """Macro-averaged precision and recall, their harmonic mean, and the exact-match share."""
    pages = list(pages)
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p.exact for p in pages) / len(pages) if pages else 0.0
    return Scores(f1, precision, recall, accuracy, len(pages))


def evaluate(truths: dict[str, str], predictions: dict[str, str]) -> Scores:
    """Score predictions keyed like the ground truth; a missing prediction counts as empty."""
    return aggregate(score_page(truths[key], predictions.get(key, "")) for key in truths)
