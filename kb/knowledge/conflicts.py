"""Why a price claim disagrees with another source: the likely explanation, in words.

Most wrong prices in the news are not invented; they are a real price put in
the wrong place. The rules, tried in order:

- the amount is another kind of price of the same model (``matches cached_input``:
  the cached-input rate quoted as the input rate),
- the amount is off by exactly 1000 (``unit slip``: per 1K tokens read as per 1M),
- the two prices are months apart (``may have changed in between``),
- the amount is a service-tier rate of the same model (``matches input_batches``),
- otherwise ``unexplained``.
"""

from __future__ import annotations

import math
from datetime import date

__all__ = ["same_amount", "mixup", "explain_mismatch", "STALE_AFTER_DAYS"]

# A list price checked against a claim this much older may simply have changed since.
STALE_AFTER_DAYS = 90

_PLAIN = ("input", "output", "cached_input", "cache_write", "subscription")


def same_amount(a: float | None, b: float | None) -> bool:
    """Equal up to rounding in the text (0.55 vs 0.5500001) but not up to a real price step."""
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=0.005, abs_tol=1e-9)


def mixup(amount: float, kind: str, expected: float, other_kinds: dict[str, float], *, where: str | None = None,
          variants: bool = True) -> str | None:
    """``amount`` is a real price put in the wrong place: another kind of price, or another unit.

    ``variants`` lets the service-tier rates (input_batches, output_flex, ...)
    count too; they coincide with plain rates often enough to be weaker evidence."""
    suffix = f" in {where}" if where else ""
    for other, value in sorted(other_kinds.items(), key=lambda item: (item[0] not in _PLAIN, item[0].count("_"), item[0])):
        if other != kind and same_amount(amount, value) and (variants or other in _PLAIN):
            return f"matches {other} ({_money(value)}{suffix})"
    for factor, words in ((1000, "per 1K tokens read as per 1M"), (1 / 1000, "per 1M tokens read as per 1K")):
        if same_amount(amount, expected * factor):
            return f"unit slip: {words}"
    return None


def explain_mismatch(
    amount: float,
    kind: str,
    expected: float,
    other_kinds: dict[str, float],
    *,
    claimed_on: date | None = None,
    checked_on: date | None = None,
    where: str | None = None,
) -> str | None:
    """The likely reason ``amount`` was stated for ``kind`` where ``expected`` is the price.

    ``other_kinds`` are the other prices of the same model from the same
    source (cached_input, output, input_batches, ...); ``where`` names that
    source for the message. Returns None when nothing explains it.
    """
    reason = mixup(amount, kind, expected, other_kinds, where=where, variants=False)
    if reason:
        return reason
    if claimed_on and checked_on and abs((checked_on - claimed_on).days) > STALE_AFTER_DAYS:
        first, last = sorted((claimed_on, checked_on))
        return f"may have changed in between: prices of {first.isoformat()} and {last.isoformat()}"
    return mixup(amount, kind, expected, other_kinds, where=where)


def _money(value: float) -> str:
    return f"${value:,.4f}".rstrip("0").rstrip(".") if value < 0.01 else f"${value:,.2f}"
