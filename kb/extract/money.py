"""Amounts of money as the press writes them: $0.55, 4.40달러, 2만9000원, 1元, €1.7 billion, 159 澳元, NZ$53."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Money", "find_money", "parse_number"]


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    text: str
    amount: float
    currency: str  # ISO 4217


_NUM = r"\d[\d,]*(?:\.\d+)?"
_KO_NUM = rf"(?:{_NUM}\s?(?:조|억|만|천)\s?)*(?:{_NUM})?"
_SCALE_EN = r"(?:\s?(?:million|billion|trillion|bn|mn|[mbMB])\b)?"
_SCALE_ZH = r"(?:\s?(?:亿|万|千))?"

# Each pattern with the literal markers its currency needs (one of them is in every match): a sentence
# with a digit but none of a pattern's markers ("2025년 3월") is not searched with that pattern.
_LOWER_MARKERS = ("yuan", "rmb")  # the one case-insensitive pattern: looked for in the lower-cased text
_MONEY_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    # before "$": "NZ$53" and "A$159" are not US dollars
    ("NZD", ("$", "NZD"), re.compile(rf"(?<![A-Za-z])(?:NZ\$|NZD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("HKD", ("$", "HKD"), re.compile(rf"(?<![A-Za-z])(?:HK\$|HKD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("SGD", ("$", "SGD"), re.compile(rf"(?<![A-Za-z])(?:S\$|SGD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("CAD", ("$", "CAD"), re.compile(rf"(?<![A-Za-z])(?:C\$|CA\$|CAD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("INR", ("₹", "Rs", "INR"), re.compile(rf"(?:₹|Rs\.?\s?|INR\s?)(?P<num>{_NUM}{_SCALE_EN})")),
    ("JPY", ("円", "日元"), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_ZH})\s?(?:円|日元)")),
    ("AUD", ("$", "AUD"), re.compile(rf"(?<![A-Za-z])(?:A\$|AU\$|AUD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("AUD", ("澳元", "澳币"), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_ZH})\s?(?:澳元|澳币)")),
    ("NZD", ("新西兰元", "纽元"), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_ZH})\s?(?:新西兰元|纽元)")),
    ("USD", ("$", "USD"), re.compile(rf"(?:US\$|\$|USD\s?)\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("EUR", ("€",), re.compile(rf"€\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("GBP", ("£",), re.compile(rf"£\s?(?P<num>{_NUM}{_SCALE_EN})")),
    ("USD", ("달러", "불"), re.compile(rf"(?<![\d.,])(?P<num>{_KO_NUM})\s?(?:달러|불)(?![가-힣]{{0}}\w*화)")),
    ("USD", ("美元",), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_ZH})\s?美元")),
    ("USD", ("dollars", "USD"), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_EN})\s?(?:US dollars|dollars|USD)\b")),
    ("KRW", ("원",), re.compile(rf"(?<![\d.,])(?P<num>{_KO_NUM})\s?원(?![가-힣]{{0}}(?:장|칙|인|래|전|자력|하|했|한|형))")),
    ("KRW", ("₩",), re.compile(rf"₩\s?(?P<num>{_NUM})")),
    ("CNY", ("元", "块", "人民币"), re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_ZH})\s?(?:元|块|人民币)")),
    ("CNY", ("¥", "￥", "RMB", "CNY"), re.compile(rf"(?:¥|￥|RMB\s?|CNY\s?)(?P<num>{_NUM}{_SCALE_ZH})")),
    ("CNY", _LOWER_MARKERS, re.compile(rf"(?<![\d.,])(?P<num>{_NUM}{_SCALE_EN})\s?(?:yuan|RMB)\b", re.IGNORECASE)),
    ("EUR", ("유로", "欧元", "euro", "EUR"), re.compile(rf"(?<![\d.,])(?P<num>{_KO_NUM}{_SCALE_EN})\s?(?:유로|欧元|euros?\b|EUR\b)")),
]

_KO_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3}
_EN_SCALES = {"million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12}
_ZH_SCALES = {"亿": 1e8, "万": 1e4, "千": 1e3}


def parse_number(text: str) -> float | None:
    """'1,000' → 1000, '2만9000' → 29000, '1.5 billion' → 1.5e9, '100만' → 1e6, '百万' → 1e6."""
    text = text.strip()
    if not text:
        return None
    chinese = {"百万": 1e6, "千万": 1e7, "一百万": 1e6, "千": 1e3, "万": 1e4, "十万": 1e5, "亿": 1e8}
    if text in chinese:
        return chinese[text]
    korean = re.findall(rf"({_NUM})?\s?(조|억|만|천)", text)
    if korean:
        total = 0.0
        rest = text
        for number, unit in korean:
            value = float(number.replace(",", "")) if number else 1.0
            total += value * _KO_UNITS[unit]
            rest = rest.replace(f"{number}{unit}", "", 1).replace(f"{number} {unit}", "", 1)
        tail = re.search(_NUM, rest)
        if tail:
            total += float(tail.group(0).replace(",", ""))
        return total
    match = re.match(rf"({_NUM})\s?([A-Za-z]+|[亿万千])?", text)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    scale = (match.group(2) or "").lower()
    return value * _EN_SCALES.get(scale, _ZH_SCALES.get(scale, 1.0))


_DIGIT = re.compile(r"\d")


def find_money(text: str) -> list[Money]:
    """Amounts with a currency; bare numbers are not money."""
    if not _DIGIT.search(text):
        return []  # every amount has a digit; most sentences have none, and 20 patterns cost more than one search
    found: list[Money] = []
    lower = text.lower()
    for currency, markers, pattern in _MONEY_PATTERNS:
        if not any(marker in (lower if markers is _LOWER_MARKERS else text) for marker in markers):
            continue
        for match in pattern.finditer(text):
            number = match.group("num").strip()
            if not number or not re.search(r"\d", number):
                continue
            start, end = match.span()
            if any(start < m.end and m.start < end for m in found):
                continue
            amount = parse_number(number)
            if amount is None:
                continue
            found.append(Money(start, end, match.group(0), amount, currency))
    found.sort(key=lambda m: m.start)
    return found
