"""Prices of AI models: amount, currency, unit, kind, and the model they belong to.

A price is an amount of money with a unit (per N tokens, or per month) and a
product. Anything less is not a price: "$40 billion" is a funding round, and an
amount with no model in its sentence is left alone rather than guessed, except
a plan's rate ("a $20-a-month subscription") or a company's API rate, which are
kept with no model. The owner is the name the price is said of, never the one it
is compared with or the one a plan gives access to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.extract.gazetteer import Gazetteer
from kb.extract.money import Money, find_money, parse_number
from kb.extract.price_owners import ANAPHORA, UNNAMED, compared, explicit_owner, is_subject, owners_of, sentence_models
from kb.extract.sentences import Sentence

__all__ = ["PriceClaim", "find_prices", "usd_per_million"]


@dataclass
class PriceClaim:
    model_id: str | None  # None: an unnamed plan or a company's API rate with no model named
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
    amount_max: float | None = None  # the top of a range ("between $0.19 and $0.49")
    unit: str | None = None  # a non-token unit: minute, image, request
    reported: bool = False  # attributed to others ("according to", "据报道", "알려졌다"), not the outlet's own claim
    model_name: str | None = None  # the name of a model the gazetteer does not know, introduced with its price
    model_span: tuple[int, int] | None = None  # where that name is written
    model_kind: str = "candidate"  # "product" for a plan or an edition ("Pro 计划", "Microsoft 365 Family")


# Per-N-tokens units, in the three languages. The captured group is the N.
_TOKEN_UNITS = [
    re.compile(r"(?:토큰\s*)?(\d[\d,]*(?:\.\d+)?\s?(?:만|천|억)?|백만)\s?(?:개|토큰)\s?당"),
    re.compile(r"(\d[\d,]*(?:\.\d+)?\s?(?:만|천|억)?|백만)\s?(?:개\s?)?(?:입력\s?|출력\s?)?토큰\s?(?:당|기준)"),
    re.compile(r"per\s+(?:(?:one|a|1)\s+)?(million|thousand|billion|\d[\d,]*(?:\.\d+)?\s?[MKk]?)\s+(?:[a-z\-/]+\s+){0,3}tokens?", re.IGNORECASE),
    re.compile(r"/\s?(1?[MK]|million|thousand)\s+(?:[a-z\-]+\s+)?tokens?", re.IGNORECASE),
    re.compile(r"per\s+(token)\b", re.IGNORECASE),
    # "…, or $2 per million." (tokens understood from the sentence)
    re.compile(r"per\s+(million|thousand)(?=\s*[.,;)]|\s*$)", re.IGNORECASE),
    # "$0.40/M input", "$3/MTok", "$2 per 1M"
    re.compile(r"(?:/|per\s)\s?(1?M|1?K)(?:\s?Tok(?:ens)?|tok)?\b(?!\s*(?:images?|requests?|searches|queries|calls|pages|minutes|seconds|hours|characters|words|pixels)\b)"),
    re.compile(r"(?:每|/)\s?(百万|千万|一百万|千|万|\d[\d,]*[MKk]?)\s?(?:个)?\s?(?:输入|输出)?\s?(?:tokens?|token|Tokens?|词元)"),
    re.compile(r"(百万|千)\s?(?:输入|输出)?\s?tokens?", re.IGNORECASE),
]
# A month or a year written before the amount ("월 20달러", "每月支付 200 美元", "年订阅价格 299 元") ...
_PERIOD_BEFORE = [
    ("month", re.compile(
        r"(?:(?<!\d)(?<!\d\s)월|매월|매달|한\s?달에?|월\s?구독료는?|월정액|月费|月付|包月|每个?月)(?:的)?"
        r"(?:订阅费用?|订阅价格?|会员费|收费|收取|支付|费用|价格|售价)?(?:是|为|仅为?|只要|只需|仅需)?(?:高达|约|近|仅|超过|不到|最高)?\s*$")),
    ("year", re.compile(
        r"(?:연간?|연\s?구독료는?|年费|包年|每年|年订阅|一年)(?:的)?"
        r"(?:订阅费用?|订阅价格?|会员费|收费|收取|支付|费用|价格|售价)?(?:是|为|仅为?|只要|只需|仅需)?\s*$")),
]
# ... or after it ("$20 a month", "$200-a-month", "$100 and above monthly", "40 美元/月", "10 美元月费").
_PERIOD_AFTER = [
    ("month", re.compile(
        r"^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?(?:-|\s)?(?:(?:per|a|/)\s?(?:user|seat|person|member|head|account)\s)?(?:a|per|/|each|every)[\s-]*(?:month|mo)\b|^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?monthly\b"
        r"|^\s*/\s?(?:월|月)|^\s*(?:씩\s?)?(?:매달|매월)|^\s*(?:每月|月费|一个月)",
        re.IGNORECASE)),
    ("year", re.compile(
        r"^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?(?:-|\s)?(?:(?:per|a|/)\s?(?:user|seat|person|member|head|account)\s)?(?:a|per|/|each|every)[\s-]*(?:year|yr)\b|^\s*annually\b"
        r"|^\s*/\s?(?:연|年)|^\s*(?:每年|年费)",
        re.IGNORECASE)),
]
_KIND_WORDS = [
    ("cached_input", re.compile(r"cached(?:\s+input)?|\bcache\b|캐시|캐싱|缓存命中|缓存输入|(?<!未)缓存(?!未命中)", re.IGNORECASE)),
    ("input", re.compile(r"\binputs?\b|입력|输入|缓存未命中|cache\s+miss|캐시\s?미적중|캐시\s?미스|\bprompts?\b", re.IGNORECASE)),
    ("output", re.compile(r"\boutputs?\b|\bcompletions?\b|출력|输出|(?<!内容)生成(?!式)", re.IGNORECASE)),
]
_CACHE_MISS = re.compile(r"缓存未命中|cache miss|uncached|캐시\s?미적중|캐시\s?미스|캐시되지\s?않은", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"·(?=\s?(?:입력|출력|캐시))|,\s|，|;|；|、|\band\b|\bwhile\b|\bwith\b|(?<=[元원])\s?/(?=\s?\d)|이며|이고|으로,|\(|（")
_FROM_TO = [
    re.compile(r"from\s+(?P<old>\S+(?:\s(?:per|a)\s[^,]*?)?)\s+(?:down\s+|up\s+)?to\s+(?:just\s+|only\s+|about\s+|around\s+|roughly\s+)?(?P<new>\S+)", re.IGNORECASE),
    # "$0.30 per million input tokens, up from $0.15": the amount after "up/down from" is the old one
    re.compile(r"(?P<new>[$€£¥]\s?\d[\d,.]*)[^;。]{0,60}?\b(?:up|down)\s+from\s+(?P<old>[$€£¥]?\s?\d[\d,.]*)", re.IGNORECASE),
    re.compile(r"(?P<old>\S+)\s?에서\s+(?:월\s?|연\s?)?(?P<new>\S+?)\s?(?:으로|로)"),
    re.compile(r"(?:从|由)\s?(?P<old>[^\s，,；;。、]+?)\s?(?:降至|降到|下调至|下调到|调整为|调至|涨至|提高至|到)\s?(?P<new>[^\s，,；;。、]+)"),
]


# "between $0.19 and $0.49", "0.19~0.49달러", "$2-$4": one claim with a top.
_RANGE_GAP = re.compile(r"^\s?(?:~|∼|–|—|-|to|and|에서|至|到)\s?$", re.IGNORECASE)
_RANGE_BEFORE = re.compile(r"(?:between|from|ranging from)\s*$|$", re.IGNORECASE)
_OTHER_UNITS = re.compile(
    r"^\s?(?:per|a|/|each)\s?(?:[\d,]+[KkM]?\s)?(minute|second|hour|image|request|query|call|page|search)(?:e?s)?\b(?:\s+of\s+\w+)?"
    r"|^\s?(?:/|씩)?\s?(?:(분|초|시간|장|건)\s?당)",
    re.IGNORECASE,
)
_OTHER_UNITS_BEFORE = re.compile(r"(분|초|시간|이미지\s?한?\s?장|장|건)\s?당\s*$|每(分钟|秒|小时|张|次)\s*$")
_UNIT_NAMES = {"분": "minute", "초": "second", "시간": "hour", "장": "image", "건": "request",
               "分钟": "minute", "秒": "second", "小时": "hour", "张": "image", "次": "request"}


def _ranges(text: str, monies: list[Money]) -> dict[int, float]:
    """Start of the low end → the top, for amounts written as a range."""
    tops: dict[int, float] = {}
    for low, high in zip(monies, monies[1:]):
        gap = text[low.end : high.start]
        if low.currency != high.currency or not _RANGE_GAP.match(gap) or high.amount <= low.amount:
            continue
        if gap.strip().lower() == "and" and not re.search(r"between\s*$", text[max(0, low.start - 12) : low.start], re.IGNORECASE):
            continue  # "$3 and $15" is two prices, "between $3 and $15" one range
        tops[low.start] = high.amount
    return tops


def _other_unit(text: str, money: Money) -> str | None:
    after = _OTHER_UNITS.match(text[money.end : money.end + 30])
    if after:
        return (after.group(1) or _UNIT_NAMES.get(after.group(2) or "", "")).lower() or None
    before = _OTHER_UNITS_BEFORE.search(text[max(0, money.start - 12) : money.start])
    if before:
        word = before.group(1) or before.group(2)
        return _UNIT_NAMES.get(word[-1] if word.endswith("장") else word, "image" if "장" in word else None)
    return None


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
    if suffix in ("M", "K") and (value[:-1].replace(".", "").isdigit() or not value[:-1]):
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
    if _KIND_WORDS[0][1].search(segment) and not _CACHE_MISS.search(segment):
        return "cached_input"  # "input that hits the cache": the cache decides, not the word input
    missed = bool(_CACHE_MISS.search(segment))
    for kind, pattern in _KIND_WORDS:
        if kind == "cached_input" and missed:
            continue  # "캐시 미적중", "cache miss": the plain input rate
        for match in pattern.finditer(segment):
            distance = min(abs(start + match.start() - money.start), abs(start + match.end() - money.end))
            if best is None or distance < best[0]:
                best = (distance, kind)
    return best[1] if best else None


def _period(text: str, money: Money, clause: tuple[int, int]) -> str | None:
    """"month" or "year" when the amount is a subscription's rate, written before or after it."""
    before = text[max(clause[0], money.start - 16) : money.start]
    after = text[money.end : money.end + 30]
    for period, pattern in _PERIOD_AFTER:
        if pattern.search(after):
            return period
    for period, pattern in _PERIOD_BEFORE:
        if pattern.search(before):
            return period
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
    *,
    generic: set[str] | frozenset[str] = frozenset(),
    companies: list[tuple[int, int, str]] = (),
    gazetteer: Gazetteer | None = None,
) -> list[PriceClaim]:
    """Prices in ``text``. ``model_mentions`` are (start, end, model_id) of the models found;
    ``generic`` names products and families (ChatGPT, Gemini) that "the model" does not refer to;
    ``companies`` are the companies found (a company as the subject prices its API, not the last
    model named), and ``gazetteer`` names the models a price itself introduces ("混元 Turbo",
    "名为「grok-beta」")."""
    claims: list[PriceClaim] = []
    # the article's subject: the first model it names that is neither a product line nor a comparison
    main_model = next((m[2] for m in sorted(model_mentions) if m[2] not in generic and not compared(text, m)), None)
    recent: list[tuple[int, str]] = []  # (sentence index, model id) of the models named lately
    heading: tuple[int, int] | None = None  # (sentence index, per-N tokens) of a table's heading
    new_names: dict[str, tuple[str, tuple[int, int], str]] = {}  # names the gazetteer does not know
    for sentence in sentences:
        in_sentence = [m for m in model_mentions if sentence.start <= m[0] < sentence.end]
        names, models = sentence_models(text, sentence, in_sentence, generic, gazetteer, companies)
        for new_id, entry in names.items():
            new_names.setdefault(new_id, entry)  # where a new name is first written: "'포지코더 2'는 …"
        monies = [
            Money(m.start + sentence.start, m.end + sentence.start, m.text, m.amount, m.currency)
            for m in find_money(sentence.text)
            if m.amount < _MAX_PRICE.get(m.currency, 1e6)
        ]
        if monies:
            previous = next((model for index, model in reversed(recent) if sentence.index - index <= _LOOKBACK), None)
            if previous is None and _PRICE_TOPIC.search(sentence.text):
                previous = main_model  # "가격은 입력 … 0.6달러다" in a piece about one model
            subjects = [c for c in companies if sentence.start <= c[0] < monies[0].start and is_subject(text, c)]
            if previous and subjects and not in_sentence and not ANAPHORA.search(sentence.text):
                previous = None  # "DeepSeek 曾将 API 输入费用下调至…": a company's rate names no model
            found = _sentence_prices(text, sentence, monies, models, previous, generic, bool(subjects), gazetteer, model_mentions,
                                     heading[1] if heading and sentence.index - heading[0] <= _LOOKBACK else None)
            for claim in found:
                if claim.model_id in new_names:
                    claim.model_name, claim.model_span, claim.model_kind = new_names[claim.model_id]
            claims.extend(found)
        if not monies and _HEADING_END.search(sentence.text):
            unit = _unit_in(text, sentence.start, sentence.end)
            if unit:
                heading = (sentence.index, unit)
        topics = [m for m in models if m[2] not in generic and m[2] != UNNAMED and not compared(text, m)]
        if topics:
            recent.append((sentence.index, topics[0][2]))
    for claim in claims:
        if claim.reported and _first_party(text, claim.sentence, companies, gazetteer):
            claim.reported = False
    return _drop_vague_repeats(_drop_contradicted_reports(claims))


def _first_party(text: str, sentence: Sentence, companies: list[tuple[int, int, str]], gazetteer: Gazetteer | None) -> bool:
    """"오픈AI에 따르면 …", "according to Google, …": the company speaks for its own price list; the
    outlet relays an official figure, not hearsay. Media, analysts' reports and "sources" stay reported."""
    sources = []
    for match in _ATTRIBUTED.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        phrase = match.group(0).casefold()
        if phrase.endswith("따르면") and "업계" not in phrase and "외신" not in phrase:
            if _THE_COMPANY_BEFORE.search(text[max(sentence.start, start - 8):start]):
                continue  # "회사 측에 따르면": the company just named
            source = next((c for c in companies if 0 <= start - c[1] <= 2), None)  # "오픈AI에 따르면", "오픈AI 측에"
        elif phrase == "according to":
            if _THE_COMPANY_AFTER.match(text, end):
                continue  # "according to the company"
            source = next((c for c in companies if 0 <= c[0] - end <= 5), None)  # "according to (the) Google"
        else:
            return False  # "reportedly", "据报道", "알려졌다": not the company's own word
        if source is None:
            return False
        sources.append(source[2])
    entities = gazetteer.entities if gazetteer is not None else {}
    return all(getattr(entities.get(s), "kind", None) not in ("media", "investor") for s in sources)


def _drop_contradicted_reports(claims: list[PriceClaim]) -> list[PriceClaim]:
    """"Some reports put o3-mini's input price at $0.55" against the article's own $1.10: the outlet's
    claim stands and the hearsay it contradicts is dropped. A report nothing contradicts is kept."""
    stated = {(c.model_id, c.kind, c.currency, usd_per_million(c.amount, c.currency, c.per_tokens) or c.amount)
              for c in claims if not c.reported and c.change is None and c.model_id}
    kinds = {(model_id, kind, currency) for model_id, kind, currency, _ in stated}
    return [c for c in claims if not (c.reported and c.model_id and c.change is None
                                      and (c.model_id, c.kind, c.currency) in kinds
                                      and (c.model_id, c.kind, c.currency, usd_per_million(c.amount, c.currency, c.per_tokens) or c.amount) not in stated)]


def _drop_vague_repeats(claims: list[PriceClaim]) -> list[PriceClaim]:
    """A headline's "Qwen-Long 0.0005元" repeats the body's input price: keep the one that says which.
    "$0.002 per 1K tokens, or $2 per million" is one rate said twice: keep the first."""
    specific = {(c.model_id, c.amount, c.currency, c.per_tokens) for c in claims if c.kind != "other"}
    kept = [c for c in claims if c.kind != "other" or (c.model_id, c.amount, c.currency, c.per_tokens) not in specific]
    seen: set[tuple] = set()
    result = []
    for claim in kept:
        rate = round(claim.amount * 1_000_000 / claim.per_tokens, 6) if claim.per_tokens else None
        key = (claim.sentence.start, claim.model_id, claim.kind, claim.currency, rate)
        if rate is not None and claim.per_tokens and key in seen:
            continue
        seen.add(key)
        result.append(claim)
    return result


# Amounts this large are valuations or rounds, never the price of tokens or a subscription.
_MAX_PRICE = {"USD": 100_000, "EUR": 100_000, "GBP": 100_000, "CNY": 1_000_000, "KRW": 100_000_000}
# An unnamed plan dearer than this is a spend or a bill, not a subscription.
_MAX_UNNAMED_PLAN = {"USD": 5_000, "EUR": 5_000, "GBP": 5_000, "AUD": 8_000, "CNY": 30_000, "KRW": 5_000_000}
# A heading that gives a table's unit: "Pricing per million tokens:", "价格（每百万 tokens）："
_HEADING_END = re.compile(r"[:：]\s*$|^#+\s|[)）]\s*[:：]?\s*$")
# How many sentences back "the model" may refer.
_LOOKBACK = 5
_PRICE_TOPIC = re.compile(r"가격|요금|이용료|단가|price|pricing|costs?\b|rates?\b|定价|价格|售价", re.IGNORECASE)


# Words that say a plan or subscription is priced: an unnamed plan's rate is still a price.
_SUBSCRIPTION_CUE = re.compile(
    r"subscri|\bplans?\b|\btiers?\b|membership|\bpremium\b|订阅|会员|套餐|月费|年费|包月|付费版|구독|요금제|멤버십|월정액|이용권",
    re.IGNORECASE,
)
# The outlet selling itself ("Subscribe for $1 a month", "立即订阅"): not a plan the news is about.
_PROMOTION = re.compile(
    r"^\W*(?:subscribe|sign\s?up|get|save|register|join|try|start|unlock|upgrade|become\sa\s(?:member|subscriber))\b"
    r"|\b(?:our|this\s(?:site|newsletter|publication))\s(?:subscription|newsletter|membership)|立即订阅|订阅本|구독하기|구독\s?신청",
    re.IGNORECASE,
)
# "a $200 Anthropic plan", "a $20 ChatGPT Plus subscription": the month is implied.
_IMPLIED_PLAN = re.compile(r"^[\s\-]?(?:[A-Z][\w.+]*\s){0,3}(?:plan|subscription|tier|membership)s?\b")
# An amount that is spent, saved, lost or earned is not a list price.
_ADVERBS = r"(?:as|much|up|to|about|around|nearly|over|roughly|almost|more|than|a|an|whopping|at|least|estimated|some|only|just|of|on|by)"
_NOT_PRICE_BEFORE = re.compile(
    r"(?:\bsav(?:e|es|ed|ing|ings)|\bspen(?:d|ds|ding|t)|\bburn(?:s|ed|ing)?|\blos(?:e|es|t|ing)|\bearn(?:s|ed|ing)?|\brevenues?"
    r"|\bvalu(?:ed|ation)|\binvest(?:s|ed|ing|ment)?|\bsalar(?:y|ies)|\bfined?)(?:\s\w+)?(?:\s" + _ADVERBS + r")*\s?$"
    r"|(?:节省|省下|省去|花费了?|花了|支出|亏损|收入|营收|薪酬|薪水|罚款|投资|절감|손실|매출|투자|벌금|지출)(?:了|约|近|高达|超过|达到?|은|는|이|가)?\s*$",
    re.IGNORECASE,
)
_NOT_PRICE_AFTER = re.compile(
    r"^\s?(?:worth\b|in\s(?:revenue|savings|losses|funding|sales|pay|salary|wages|compensation)|的?(?:收入|营收|亏损|投资|罚款|估值)|(?:의\s)?(?:매출|손실|투자|벌금|가치))",
    re.IGNORECASE,
)
# "would cost $X", "not $X", "rather than $X": not the price the outlet reports.
_HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might)\s(?:\w+\s)?(?:cost|be\spriced|charge|run)\b[^.;]{0,30}$|\bnot\s(?:just\s|only\s|even\s)?$|\brather than\s$|\binstead of\s$",
    re.IGNORECASE,
)
# A price the sentence attributes to others: kept, marked ``reported``.
_ATTRIBUTED = re.compile(
    r"\baccording to\b|\breportedly\b|\breports?\s(?:put|say|said|suggest|claim)|\b(?:is|are|was|were)\s(?:said|reported|rumou?red)\sto\b"
    r"|\bit is said\b|\bestimated\sthat\b|\bsources?\s(?:say|said|told)|\bpeople familiar\b|\bper\s(?:a\s)?(?:report|reports|Bloomberg|Reuters|The Information)\b"
    r"|据(?:报道|悉|称|传|知情人士|《)|报道称|消息称|传闻|에\s?따르면|알려졌다|전해졌다|보도했다|외신에|업계에 따르면",
    re.IGNORECASE,
)
# "the company" as the source of an attribution: the company the article is about, speaking for itself
_THE_COMPANY_BEFORE = re.compile(r"(?:회사|업체|기업|개발사)\s?(?:측|측은)?\s?$")
_THE_COMPANY_AFTER = re.compile(r"\s(?:the|its)\s(?:company|firm|startup|developer|maker)\b", re.IGNORECASE)
_LIST_GAP = re.compile(r"^\s?(?:,|，|、|/)?\s?(?:and|or|或|和|与|及|或者|와|과|이나|또는)?\s?$", re.IGNORECASE)
_PRICE_NOUN_AFTER = re.compile(r"^\s?(?:的)?(?:定价|价格|售价|订阅费|月费)|^\s?(?:price|plan|subscription|tier)\b|^\s?(?:의\s)?(?:가격|요금|구독료)")


def _not_a_price(text: str, sentence: Sentence, money: Money) -> bool:
    before = text[max(sentence.start, money.start - 60) : money.start]
    after = text[money.end : money.end + 20]
    return bool(_NOT_PRICE_BEFORE.search(before) or _NOT_PRICE_AFTER.match(after) or _HYPOTHETICAL.search(before))


def _periods(text: str, sentence: Sentence, monies: list[Money], clauses: list[tuple[int, int]], roles: dict[int, str]) -> dict[int, str]:
    """The period of each amount: its own, else its list's ("$8, $20 and $100 each month"), its
    price cut's ("from $7.99 to $4.99 a month") or, compared with a rate, that rate's."""
    periods: dict[int, str] = {}
    for money in monies:
        period = _period(text, money, clauses[_clause_of(clauses, money.start)])
        if period is None and _IMPLIED_PLAN.match(text[money.end : money.end + 40]):
            period = "month"
        if period:
            periods[money.start] = period
    if any(pattern.search(sentence.text) for pattern in _TOKEN_UNITS):
        return periods  # a token price's list is not a subscription's
    pairs = list(zip(monies, monies[1:]))
    for _ in range(2):
        for low, high in reversed(pairs):
            linked = _LIST_GAP.match(text[low.end : high.start]) or {roles.get(low.start), roles.get(high.start)} == {"old", "new"}
            if linked and low.currency == high.currency:
                period = periods.get(high.start) or periods.get(low.start)
                if period:
                    periods.setdefault(low.start, period)
                    periods.setdefault(high.start, period)
    for money in monies:
        compared_with = _COMPARED_AMOUNT.search(text[max(sentence.start, money.start - 16) : money.start])
        if money.start in periods or not (_PRICE_NOUN_AFTER.match(text[money.end : money.end + 12]) or compared_with):
            continue
        rate = next((periods[m.start] for m in monies if m.start in periods and m.currency == money.currency), None)
        if rate:
            periods[money.start] = rate  # "每月 2000 美元的订阅费——相比现行的 20 美元定价", "compared with $20 for X"
    return periods


def _sentence_prices(
    text: str,
    sentence: Sentence,
    monies: list[Money],
    models: list[tuple[int, int, str]],
    previous_model: str | None,
    generic: set[str] | frozenset[str] = frozenset(),
    company_subject: bool = False,
    gazetteer: Gazetteer | None = None,
    article_models: list[tuple[int, int, str]] = (),
    heading_unit: int | None = None,
) -> list[PriceClaim]:
    clauses = _clauses(sentence)
    roles = _changes(sentence, monies)
    tops = _ranges(text, monies)
    skip = {high.start for low, high in zip(monies, monies[1:]) if low.start in tops}
    units = [_unit_in(text, start, end) for start, end in clauses]
    periods = _periods(text, sentence, monies, clauses, roles)
    reported = bool(_ATTRIBUTED.search(sentence.text))
    claims = []
    for money in monies:
        if money.start in skip or _not_a_price(text, sentence, money):
            continue  # the top of a range, already in its low end's claim; or money spent, saved, earned
        clause_index = _clause_of(clauses, money.start)
        clause = clauses[clause_index]
        period = periods.get(money.start)
        other_unit = None if period else _other_unit(text, money)
        per_tokens = None if other_unit else (_unit_after(text, monies, money) or units[clause_index])
        if per_tokens is None and period is None and other_unit is None:
            per_tokens = _nearest_unit(units, clause_index)
        if per_tokens is None and period is None and other_unit is None and heading_unit and _kind_in(text, clause[0], clause[1], money):
            per_tokens = heading_unit  # "Pricing per million tokens:" … "GPT-4.1: $2 input / $8 output"
        subscription = bool(period)
        if per_tokens is None and period is None and other_unit is None:
            if not _period_unstated(text, sentence, models, money, clause):
                continue  # an amount with no unit is not a price
            subscription = True  # "Microsoft 365 的个人订阅从 109 澳元上涨至 159 澳元": a plan, its period unsaid
        compared_before = _COMPARED_AMOUNT.search(text[max(sentence.start, money.start - 16) : money.start])
        if (compared_before or _COMPARED_AMOUNT_AFTER.match(text[money.end : money.end + 8])) and not explicit_owner(text, models, money):
            if period and compared_before:
                claims.append(_claim(None, "subscription", money, None, period, None, sentence, roles, tops, reported))
            continue  # "相比现行的 20 美元定价": the price of something the comparison leaves unnamed
        owners = owners_of(text, models, money, clause, previous_model, generic, subscription=subscription, gazetteer=gazetteer,
                         article_models=article_models)
        if owners is None:
            continue  # a plan named with a word we cannot tie to a product: left out rather than guessed
        if owners in ([], [None]):
            # an amount with no product (or said of something that is no model: "Prime 会员费", "豆包主力模型")
            # is kept only as a plan's rate or an API rate, with no model
            unnamed_plan = period and _SUBSCRIPTION_CUE.search(sentence.text) and not _PROMOTION.search(sentence.text)
            api_rate = per_tokens and not period and not other_unit and (company_subject or owners == [None])
            if not (unnamed_plan or api_rate):
                continue
            if money.amount > _MAX_UNNAMED_PLAN.get(money.currency, 10_000):
                continue  # "$7,500 a month per employee": a spend, not the rate of a plan nobody names
            owners = [None]
        kind = "subscription" if subscription else "other" if other_unit else (
            _kind_marked_after(text, money) or _kind_in(text, clause[0], clause[1], money) or "other"
        ) if money.start in tops else (
            _kind_marked_after(text, money)
            or _respective_kind(text, monies, money)
            or _kind_in_unit(text, money)
            or _kind_in(text, clause[0], clause[1], money)
            or _kind_nearby(text, clauses, clause_index, money)
            or _paired_kind(text, sentence, monies, money)
            or _kind_in(text, sentence.start, money.start, money)
            or "other"
        )
        for model_id in owners:
            claims.append(_claim(model_id, kind, money, None if subscription or other_unit else per_tokens, period, other_unit,
                                 sentence, roles, tops, reported))
    return claims


def _claim(model_id: str | None, kind: str, money: Money, per_tokens: int | None, period: str | None, unit: str | None,
           sentence: Sentence, roles: dict[int, str], tops: dict[int, float], reported: bool) -> PriceClaim:
    return PriceClaim(
        model_id=model_id,
        kind=kind,
        amount=money.amount,
        currency=money.currency,
        per_tokens=per_tokens,
        period=period,
        usd_per_million_tokens=usd_per_million(money.amount, money.currency, per_tokens),
        start=money.start,
        end=money.end,
        sentence=sentence,
        change=roles.get(money.start),
        amount_max=tops.get(money.start),
        unit=unit,
        reported=reported,
    )


# "compared with the current $20", "相比现行的 20 美元", "기존 월 20달러 대비" (the amount, not a name, follows the cue)
_COMPARED_AMOUNT = re.compile(
    r"(?:相比|比起|(?<![\u4e00-\u9fff]对)比|compared\s(?:to|with)|(?<!more\s)(?<!less\s)(?<!fewer\s)than|versus|vs\.?)\s?"
    r"(?:现行|当前|目前|现在|原来|此前|the\scurrent|current|the)?\s?(?:的)?\s?$",
    re.IGNORECASE,
)
_COMPARED_AMOUNT_AFTER = re.compile(r"^\s?(?:대비|보다|에\s?비해|와\s?비교)")
_SUBSCRIPTION_NOUN = re.compile(r"订阅|套餐|会员|subscription|membership|구독|요금제", re.IGNORECASE)


def _period_unstated(text: str, sentence: Sentence, models: list[tuple[int, int, str]], money: Money, clause: tuple[int, int]) -> bool:
    """A plan's price whose period the sentence leaves out: a subscription word in the sentence and a
    named plan or edition in the amount's own clause, before it."""
    if not _SUBSCRIPTION_NOUN.search(sentence.text):
        return False
    return any(clause[0] <= m[0] and m[1] <= money.start and m[2] != UNNAMED for m in models)


def _unit_after(text: str, monies: list[Money], money: Money) -> int | None:
    """The unit written right after an amount, or after its partner in "$3 and $15 per million … tokens"."""
    index = monies.index(money)
    limit = monies[index + 1].start if index + 1 < len(monies) else money.end + 60
    unit = _unit_in(text, money.end, min(limit, money.end + 60))
    if unit is None and index + 1 < len(monies) and _PAIR_GAP.match(text[money.end : monies[index + 1].start]):
        return _unit_after(text, monies, monies[index + 1])
    return unit


def _nearest_unit(units: list[int | None], index: int) -> int | None:
    for distance in range(1, len(units)):
        for candidate in (index - distance, index + distance):
            if 0 <= candidate < len(units) and units[candidate]:
                return units[candidate]
    return None


_MARK_AFTER = re.compile(r"^[^,，;；、$¥￥\d]{0,24}?[（(]([^)）]{1,12})[)）]")


def _kind_marked_after(text: str, money: Money) -> str | None:
    """1元（缓存命中）/4元（缓存未命中）, "$0.14 / 百万输入 tokens (缓存命中)": a note after the amount
    (or its unit) says which rate it is."""
    match = _MARK_AFTER.match(text[money.end : money.end + 40])
    if not match:
        return None
    return _kind_in(match.group(1), 0, len(match.group(1)), Money(0, 0, "", 0, ""))


_UNIT_PHRASE = re.compile(r"^\s?(?:/|per|a|for\severy|for\seach)\s?[^,;，；$€¥￥]{0,24}?\b(?:tokens?|Tokens?)\b")


def _kind_in_unit(text: str, money: Money) -> str | None:
    """"$10 per million output tokens": the unit written after the amount names its kind."""
    match = _UNIT_PHRASE.match(text[money.end : money.end + 40])
    if not match or _RESPECTIVE.search(match.group(0)):
        return None
    return _kind_in(match.group(0), 0, len(match.group(0)), Money(0, 0, "", 0, ""))


# "$2.50/$10 per million input/output tokens", "$1.10 and $4.40 per million input and output tokens"
_RESPECTIVE = re.compile(r"\b(input|prompt|output|completion)s?\s?(?:/|and|&)\s?(input|prompt|output|completion)s?\b|(输入|输出)\s?(?:/|和|与|、)\s?(输入|输出)",
                         re.IGNORECASE)


def _respective_kind(text: str, monies: list[Money], money: Money) -> str | None:
    """Amounts paired with "/" or "and" before a unit that names two kinds take them in order."""
    index = monies.index(money)
    first = index
    while first > 0 and _PAIR_GAP.match(text[monies[first - 1].end : monies[first].start]):
        first -= 1
    last = index
    while last + 1 < len(monies) and _PAIR_GAP.match(text[monies[last].end : monies[last + 1].start]):
        last += 1
    if last - first != 1:
        return None
    match = _RESPECTIVE.search(text[monies[last].end : monies[last].end + 50])
    if not match:
        return None
    words = [w for w in match.groups() if w]
    kind = _kind_in(words[index - first], 0, len(words[index - first]), Money(0, 0, "", 0, ""))
    return kind


_PAIR_GAP = re.compile(r"^\s?(?:and|와|과|,|、|/|및)\s?$", re.IGNORECASE)


def _paired_kind(text: str, sentence: Sentence, monies: list[Money], money: Money) -> str | None:
    """"Claude Opus 4 lists at $15 and $75": a bare pair in a sentence about input and output rates."""
    segment = text[sentence.start : sentence.end]
    if not (_KIND_WORDS[1][1].search(segment) and _KIND_WORDS[2][1].search(segment)):
        return None
    index = monies.index(money)
    if index + 1 < len(monies) and _PAIR_GAP.match(text[money.end : monies[index + 1].start]):
        return "input"
    if index > 0 and _PAIR_GAP.match(text[monies[index - 1].end : money.start]):
        return "output"
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
