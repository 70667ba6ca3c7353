"""Prices of AI models: amount, currency, unit, kind, and the model they belong to.

A price is an amount of money with a unit (per N tokens, or per month) and a
product. Anything less is not a price: "$40 billion" is a funding round, and an
amount with no model in its sentence is left alone rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.extract.money import Money, find_money, parse_number
from kb.extract.sentences import Sentence

__all__ = ["PriceClaim", "find_prices", "usd_per_million"]


@dataclass
class PriceClaim:
    model_id: str
    kind: str  # input | output | cached_input | subscription | other
    amount: float
    currency: str
    per_tokens: int | None
    period: str | None
    usd_per_million_tokens: float | None
    start: int
    end: int
    sentence: Sentence
    change: str | None = None  # "old" | "new" for "from X to Y"


# Per-N-tokens units, in the three languages. The captured group is the N.
_TOKEN_UNITS = [
    re.compile(r"(?:토큰\s*)?(\d[\d,]*(?:\.\d+)?\s?(?:만|천|억)?|백만)\s?(?:개|토큰)\s?당"),
    re.compile(r"(\d[\d,]*(?:\.\d+)?\s?(?:만|천|억)?|백만)\s?(?:개\s?)?(?:입력\s?|출력\s?)?토큰\s?(?:당|기준)"),
    re.compile(r"per\s+(?:(?:one|a|1)\s+)?(million|thousand|billion|\d[\d,]*(?:\.\d+)?\s?[MKk]?)\s+(?:[a-z\-]+\s+){0,2}tokens?", re.IGNORECASE),
    re.compile(r"/\s?(1?[MK]|million|thousand)\s+(?:[a-z\-]+\s+)?tokens?", re.IGNORECASE),
    re.compile(r"per\s+(token)\b", re.IGNORECASE),
    re.compile(r"(?:每|/)\s?(百万|千万|一百万|千|万|\d[\d,]*[MKk]?)\s?(?:个)?\s?(?:输入|输出)?\s?(?:tokens?|token|Tokens?|词元)"),
    re.compile(r"(百万|千)\s?(?:输入|输出)?\s?tokens?", re.IGNORECASE),
]
_PERIOD_BEFORE = re.compile(r"(월|매월|한\s?달에?|月费|每月)\s*$")
_PERIOD_AFTER = re.compile(
    r"^\s*(?:a|per|/|each)\s*(month|mo)\b|^\s*(?:monthly)\b|^\s*/\s?(?:월|月)|^\s*(?:씩\s?)?(?:매달|매월)|^\s*每月",
    re.IGNORECASE,
)
_KIND_WORDS = [
    ("cached_input", re.compile(r"cached(?:\s+input)?|\bcache\b|캐시|캐싱|缓存命中|缓存输入|(?<!未)缓存(?!未命中)", re.IGNORECASE)),
    ("input", re.compile(r"\binputs?\b|입력|输入|缓存未命中|cache\s+miss", re.IGNORECASE)),
    ("output", re.compile(r"\boutputs?\b|출력|输出", re.IGNORECASE)),
]
_CLAUSE_BREAK = re.compile(r",\s|，|;|；|、|\band\b|\bwhile\b|\bwith\b|(?<=[元원])\s?/(?=\s?\d)|이며|이고|으로,|\(|（")
_FROM_TO = [
    re.compile(r"from\s+(?P<old>\S+(?:\s(?:per|a)\s[^,]*?)?)\s+(?:down\s+|up\s+)?to\s+(?P<new>\S+)", re.IGNORECASE),
    re.compile(r"(?P<old>\S+)\s?에서\s+(?P<new>\S+?)\s?(?:으로|로)"),
    re.compile(r"(?:从|由)\s?(?P<old>\S+?)\s?(?:降至|降到|下调至|下调到|调整为|调至|涨至|提高至|到)\s?(?P<new>\S+)"),
]


def usd_per_million(amount: float, currency: str, per_tokens: int | None) -> float | None:
    """Normalise a USD token price to USD per 1M tokens; other currencies are not converted."""
    if currency != "USD" or not per_tokens:
        return None
    return round(amount * 1_000_000 / per_tokens, 6)


def _per_tokens(value: str) -> int | None:
    value = value.strip().replace(",", "")
    words = {"million": 1_000_000, "thousand": 1_000, "billion": 1_000_000_000, "token": 1, "백만": 1_000_000}
    if value.lower() in words:
        return words[value.lower()]
    suffix = value[-1:].upper()
    if suffix in ("M", "K") and value[:-1].replace(".", "").isdigit():
        return int(float(value[:-1] or 1) * (1_000_000 if suffix == "M" else 1_000))
    if value.upper() in ("M", "K"):
        return 1_000_000 if value.upper() == "M" else 1_000
    number = parse_number(value)
    return int(number) if number else None


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence, in text offsets."""
    bounds = [0]
    for match in _CLAUSE_BREAK.finditer(sentence.text):
        bounds.append(match.start())
    bounds.append(len(sentence.text))
    return [(sentence.start + a, sentence.start + b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _clause_of(clauses: list[tuple[int, int]], position: int) -> int:
    for index, (start, end) in enumerate(clauses):
        if start <= position < end:
            return index
    return len(clauses) - 1


def _unit_in(text: str, start: int, end: int) -> int | None:
    segment = text[start:end]
    for pattern in _TOKEN_UNITS:
        match = pattern.search(segment)
        if match:
            return _per_tokens(match.group(1))
    return None


def _kind_in(text: str, start: int, end: int, money: Money) -> str | None:
    best: tuple[int, str] | None = None
    segment = text[start:end]
    if _KIND_WORDS[0][1].search(segment) and not re.search(r"缓存未命中|cache miss|uncached", segment, re.IGNORECASE):
        return "cached_input"  # "input that hits the cache": the cache decides, not the word input
    for kind, pattern in _KIND_WORDS:
        for match in pattern.finditer(segment):
            distance = min(abs(start + match.start() - money.start), abs(start + match.end() - money.end))
            if best is None or distance < best[0]:
                best = (distance, kind)
    return best[1] if best else None


def _period(text: str, money: Money, clause: tuple[int, int]) -> str | None:
    before = text[clause[0] : money.start]
    after = text[money.end : clause[1]]
    if _PERIOD_BEFORE.search(before[-8:]) or _PERIOD_AFTER.search(after):
        return "month"
    return None


def _changes(sentence: Sentence, monies: list[Money]) -> dict[int, str]:
    """Which amounts are the old and the new side of "from X to Y"."""
    roles: dict[int, str] = {}
    for pattern in _FROM_TO:
        for match in pattern.finditer(sentence.text):
            old_at = sentence.start + match.start("old")
            new_at = sentence.start + match.start("new")
            for money in monies:
                if money.start <= old_at < money.end or old_at <= money.start < sentence.start + match.end("old"):
                    roles.setdefault(money.start, "old")
                if money.start <= new_at < money.end or new_at <= money.start < sentence.start + match.end("new"):
                    roles.setdefault(money.start, "new")
    return roles


def find_prices(
    text: str,
    sentences: list[Sentence],
    model_mentions: list[tuple[int, int, str]],
) -> list[PriceClaim]:
    """Prices in ``text``. ``model_mentions`` are (start, end, model_id) of the models found."""
    claims: list[PriceClaim] = []
    recent: list[tuple[int, str]] = []  # (sentence index, model id) of the models named lately
    for sentence in sentences:
        in_sentence = [m for m in model_mentions if sentence.start <= m[0] < sentence.end]
        monies = [
            Money(m.start + sentence.start, m.end + sentence.start, m.text, m.amount, m.currency)
            for m in find_money(sentence.text)
            if m.amount < _MAX_PRICE.get(m.currency, 1e6)
        ]
        if monies:
            previous = next((model for index, model in reversed(recent) if sentence.index - index <= _LOOKBACK), None)
            claims.extend(_sentence_prices(text, sentence, monies, in_sentence, previous))
        if in_sentence:
            recent.append((sentence.index, in_sentence[-1][2]))
    return claims


# Amounts this large are valuations or rounds, never the price of tokens or a subscription.
_MAX_PRICE = {"USD": 100_000, "EUR": 100_000, "GBP": 100_000, "CNY": 1_000_000, "KRW": 100_000_000}
# How many sentences back "the model" may refer.
_LOOKBACK = 3
_ANAPHORA = re.compile(
    r"\b(?:the|this|that) (?:new |latest |same )?(?:model|system|version)\b|\bit(?:s)?\b|이 모델|해당 모델|이번 모델|새 모델|신모델|"
    r"该模型|这款模型|这一模型|其", re.IGNORECASE)


def _sentence_prices(
    text: str,
    sentence: Sentence,
    monies: list[Money],
    models: list[tuple[int, int, str]],
    previous_model: str | None,
) -> list[PriceClaim]:
    clauses = _clauses(sentence)
    roles = _changes(sentence, monies)
    units = [_unit_in(text, start, end) for start, end in clauses]
    claims = []
    for money in monies:
        clause_index = _clause_of(clauses, money.start)
        clause = clauses[clause_index]
        period = _period(text, money, clause)
        per_tokens = units[clause_index]
        if per_tokens is None and period is None:
            per_tokens = _nearest_unit(units, clause_index)
        if per_tokens is None and period is None:
            continue  # an amount with no unit is not a price
        model_id = _model_for(text, models, money, clause, previous_model)
        if model_id is None:
            continue  # nor is an amount with no product
        kind = "subscription" if period else (_kind_in(text, clause[0], clause[1], money) or _kind_nearby(text, clauses, clause_index, money) or "other")
        claims.append(
            PriceClaim(
                model_id=model_id,
                kind=kind,
                amount=money.amount,
                currency=money.currency,
                per_tokens=per_tokens if not period else None,
                period=period,
                usd_per_million_tokens=None if period else usd_per_million(money.amount, money.currency, per_tokens),
                start=money.start,
                end=money.end,
                sentence=sentence,
                change=roles.get(money.start),
            )
        )
    return claims


def _nearest_unit(units: list[int | None], index: int) -> int | None:
    for distance in range(1, len(units)):
        for candidate in (index - distance, index + distance):
            if 0 <= candidate < len(units) and units[candidate]:
                return units[candidate]
    return None


def _kind_nearby(text: str, clauses: list[tuple[int, int]], index: int, money: Money) -> str | None:
    """A clause like "4.40 for output" names its kind; one like "and $15" inherits the unit's clause."""
    for candidate in (index + 1, index - 1):
        if 0 <= candidate < len(clauses):
            start, end = clauses[candidate]
            segment_monies = find_money(text[start:end])
            if not segment_monies:
                kind = _kind_in(text, start, end, money)
                if kind:
                    return kind
    return None


def _model_for(
    text: str, models: list[tuple[int, int, str]], money: Money, clause: tuple[int, int], previous_model: str | None
) -> str | None:
    """The model a price belongs to: in its clause, else earlier in its sentence, else the one
    "the model" refers back to, else the one named later in the sentence."""
    in_clause = [m for m in models if clause[0] <= m[0] < clause[1]]
    if in_clause:
        return min(in_clause, key=lambda m: abs(m[0] - money.start))[2]
    before = [m for m in models if m[1] <= money.start]
    if before:
        return before[-1][2]
    if models and (previous_model is None or not _ANAPHORA.search(text[clause[0] : money.start + 80])):
        return models[0][2]
    return previous_model
