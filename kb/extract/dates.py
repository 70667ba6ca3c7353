"""Dates in news prose, resolved against the publication date.

Reporters write dates relative to the day they file: "지난 31일(현지시간)" in a
piece of 3 February is 31 January, "on Tuesday" is the Tuesday before, "昨天"
is the day before. A date that cannot be pinned to a day is not guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "coarse_times", "find_dates", "parse_publication_date"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: date | None
    relative: bool


_MONTHS_EN = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS_EN.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS_EN["sept"] = 9
_WEEKDAYS_EN = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAYS_KO = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_MONTH_NAME = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")),
    ("ko_full", re.compile(r"(20\d\d)년\s*(\d{1,2})월\s*(\d{1,2})일")),
    ("zh_full", re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("ko_this_year", re.compile(r"(올해|지난해|작년|내년)\s*(\d{1,2})월\s*(\d{1,2})일")),
    ("ko_rel_month", re.compile(r"(지난달|이달|이번\s*달|다음\s*달)\s*(\d{1,2})일")),
    ("ko_month_day", re.compile(r"(지난달|이달|이번\s*달|다음\s*달)?\s*(?<!\d)(\d{1,2})월\s*(\d{1,2})일")),
    ("zh_this_year", re.compile(r"(今年|去年|明年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("zh_month_day", re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("en_month_day", re.compile(_MONTH_NAME + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(20\d\d))?\b")),
    ("en_day_month", re.compile(r"\b(\d{1,2})\s+" + _MONTH_NAME + r"(?:,?\s+(20\d\d))?\b")),
    ("ko_day", re.compile(r"(지난|오는)?\s*(?<![\d월])(\d{1,2})일(?!\s*(?:동안|간|째|만에|만의|이내|안에|내로|전부터))(?:\s*\(현지\s*시간\))?")),
    # "26 日，智谱上线…": a day of the month in Chinese, after a date that named the month
    ("zh_day", re.compile(r"(?<![\d月年周期拜])(?<![月年]\s)(\d{1,2})\s*[日号](?![\d元内后前间天起])")),
    ("ko_relative", re.compile(r"이날|오늘|어제|그제|그저께|전날|내일|몇\s?시간\s?전")),
    ("zh_relative", re.compile(r"今天|今日|昨天|昨日|前天|明天|当天|当日|(?:几个?|数|\d{1,2}\s*个)\s*小时(?:之)?前|刚刚")),
    ("en_relative", re.compile(r"\b(today|yesterday|tomorrow|(?:a few|several|\d{1,2}) hours ago)\b", re.IGNORECASE)),
    ("en_weekday", re.compile(r"\b(?:(last|this|next)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("ko_weekday", re.compile(r"(지난|오는|이번)?\s*([월화수목금토일])요일")),
    ("zh_weekday", re.compile(r"(上|本|下)?(?:周|星期)([一二三四五六日天])")),
]

_RELATIVE_DAYS = {
    "이날": 0, "오늘": 0, "당일": 0, "어제": -1, "전날": -1, "그제": -2, "그저께": -2, "내일": 1,
    "今天": 0, "今日": 0, "当天": 0, "当日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1,
    "today": 0, "yesterday": -1, "tomorrow": 1,
}


def parse_publication_date(value: str | date | None) -> date | None:
    """The calendar day of publication, in the publisher's own time zone."""
    if value is None or isinstance(value, date):
        return value
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return date(*(int(g) for g in match.groups())) if match else None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(base: date, months: int) -> tuple[int, int]:
    index = base.year * 12 + base.month - 1 + months
    return index // 12, index % 12 + 1


def _month_day_before(base: date, month: int, day: int) -> date | None:
    """A month and day without a year: the most recent one not long after publication."""
    candidate = _safe(base.year, month, day)
    if candidate and candidate > base + timedelta(days=31):
        candidate = _safe(base.year - 1, month, day)
    return candidate


def _day_before(base: date, day: int) -> date | None:
    """A bare day of the month ("31일", "26 日"): this month, or last month if that day is still to come."""
    if day <= base.day:
        return _safe(base.year, base.month, day)
    year, month = _shift_month(base, -1)
    return _safe(year, month, day)


def _weekday(base: date, weekday: int, which: str | None) -> date:
    delta = (base.weekday() - weekday) % 7
    if which in ("next", "오는", "下"):
        return base + timedelta(days=(weekday - base.weekday()) % 7 or 7)
    if which in ("last", "지난", "上"):
        return base - timedelta(days=delta or 7)
    return base - timedelta(days=delta)


def _resolve(kind: str, match: re.Match[str], base: date | None) -> tuple[date | None, bool]:
    groups = match.groups()
    if kind in ("iso", "ko_full", "zh_full"):
        return _safe(int(groups[0]), int(groups[1]), int(groups[2])), False
    if base is None:
        if kind == "en_month_day" and groups[2]:
            return _safe(int(groups[2]), _MONTHS_EN[groups[0].lower().rstrip(".")], int(groups[1])), False
        return None, True
    if kind in ("ko_this_year", "zh_this_year"):
        year = base.year + {"올해": 0, "지난해": -1, "작년": -1, "내년": 1, "今年": 0, "去年": -1, "明年": 1}[groups[0]]
        return _safe(year, int(groups[1]), int(groups[2])), True
    if kind == "ko_month_day":
        prefix, month, day = groups[0], int(groups[1]), int(groups[2])
        if prefix:
            return _safe(base.year, month, day), True
        return _month_day_before(base, month, day), True
    if kind == "ko_rel_month":
        shift = {"지난달": -1, "다음달": 1}.get(re.sub(r"\s", "", groups[0]), 0)
        year, month = _shift_month(base, shift)
        return _safe(year, month, int(groups[1])), True
    if kind == "zh_month_day":
        return _month_day_before(base, int(groups[0]), int(groups[1])), True
    if kind == "en_month_day":
        month = _MONTHS_EN[groups[0].lower().rstrip(".")]
        if groups[2]:
            return _safe(int(groups[2]), month, int(groups[1])), False
        return _month_day_before(base, month, int(groups[1])), True
    if kind == "en_day_month":
        month = _MONTHS_EN[groups[1].lower().rstrip(".")]
        if groups[2]:
            return _safe(int(groups[2]), month, int(groups[0])), False
        return _month_day_before(base, month, int(groups[0])), True
    if kind == "zh_day":
        return _day_before(base, int(groups[0])), True
    if kind == "ko_day":
        direction, day = groups[0], int(groups[1])
        if direction == "오는":
            year, month = (base.year, base.month) if day >= base.day else _shift_month(base, 1)
            return _safe(year, month, day), True
        return _day_before(base, day), True
    if kind in ("ko_relative", "zh_relative", "en_relative"):
        return base + timedelta(days=_RELATIVE_DAYS.get(match.group(0).lower(), 0)), True
    if kind == "en_weekday":
        return _weekday(base, _WEEKDAYS_EN[groups[1].lower()], groups[0] and groups[0].lower()), True
    if kind == "ko_weekday":
        return _weekday(base, _WEEKDAYS_KO[groups[1]], groups[0]), True
    if kind == "zh_weekday":
        return _weekday(base, _WEEKDAYS_ZH[groups[1]], groups[0]), True
    return None, True


_MONTH_WORD = r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|April|May|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_COARSE = re.compile(
    r"\b(?:in|since|from|until|by|during|of|early|mid|late|last|later that)\s(?:early\s|mid-?|late\s)?"
    r"(?:" + _MONTH_WORD + r"|20\d\d|(?:the\s)?(?:spring|summer|fall|autumn|winter))\b|"
    r"\b(?:last|that)\s(?:week|month|year|spring|summer|fall|autumn|winter)\b|\b" + _MONTH_WORD + r",?\s20\d\d\b|"
    r"(?:지난|올해|작년|지난해|내년)?\s?(?<!\d)\d{1,2}월(?!\s*\d{1,2}일)|(?<!\d)20\d\d년(?!\s*\d{1,2}월\s*\d{1,2}일)|지난달|지난해|작년|지난주|"
    r"(?:今年|去年|前年)?(?<!\d)\d{1,2}\s*月(?!\s*\d{1,2}\s*[日号])(?:份|初|中|底)?|(?<!\d)20\d\d\s*年(?!\s*\d{1,2}\s*月\s*\d)|去年|上个?月|上周|年初|年底",
    re.IGNORECASE,
)


def coarse_times(text: str, published: date | None = None) -> list[tuple[int, int]]:
    """Spans that place something in a month, a season or a year but not on a day ("in April",
    "지난달", "去年12月"), outside any day-level date: what happened then is background, not today's news."""
    days = [(d.start, d.end) for d in find_dates(text, published)]
    return [(m.start(), m.end()) for m in _COARSE.finditer(text)
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in days)]


_ANAPHORIC = {"이날", "당일", "当天", "当日"}
# "2 月 1 日消息，… 今天 …": the dateline is the day the wire filed, and "today" is that day, not the day it was posted
_DATELINE_AFTER = re.compile(r"\s*(?:上午|下午|晚间|早间|凌晨)?\s*(?:消息|电|讯)")


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text``; overlapping expressions keep the first, most specific one.

    "이날" / "当天" ("that day") is the last day the text named before it; "今天" after a wire dateline
    ("1 月 15 日消息") is the dateline's day.
    """
    found: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "ko_day" and re.match(r"\s*(?:지난|오는)?\s*$", match.group(0)):
                continue
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((kind, match))
    found.sort(key=lambda item: item[1].start())
    mentions: list[DateMention] = []
    named: date | None = None  # the last day the text named
    dateline: date | None = None
    for kind, match in found:
        resolved, relative = _resolve(kind, match, published)
        word = match.group(0).strip()
        if word in _ANAPHORIC and named is not None:
            resolved = named
        elif kind in ("ko_relative", "zh_relative", "en_relative") and dateline is not None and published is not None:
            resolved = dateline + timedelta(days=_RELATIVE_DAYS.get(word.lower(), 0))
        elif resolved is not None and kind not in ("ko_relative", "zh_relative", "en_relative"):
            named = resolved
            if _DATELINE_AFTER.match(text, match.end()):
                dateline = resolved
        mentions.append(DateMention(match.start(), match.end(), word, resolved, relative))
    return mentions
