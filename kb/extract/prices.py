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

from kb.extract.candidates import candidate_id
from kb.extract.gazetteer import Gazetteer
from kb.extract.money import Money, find_money, parse_number
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
    re.compile(r"per\s+(?:(?:one|a|1)\s+)?(million|thousand|billion|\d[\d,]*(?:\.\d+)?\s?[MKk]?)\s+(?:[a-z\-]+\s+){0,3}tokens?", re.IGNORECASE),
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
        r"(?:월|매월|매달|한\s?달에?|월\s?구독료는?|월정액|月费|月付|包月|每个?月)(?:的)?"
        r"(?:订阅费用?|订阅价格?|会员费|收费|收取|支付|费用|价格|售价)?(?:是|为|仅为?|只要|只需|仅需)?(?:高达|约|近|仅|超过|不到|最高)?\s*$")),
    ("year", re.compile(
        r"(?:연간?|연\s?구독료는?|年费|包年|每年|年订阅|一年)(?:的)?"
        r"(?:订阅费用?|订阅价格?|会员费|收费|收取|支付|费用|价格|售价)?(?:是|为|仅为?|只要|只需|仅需)?\s*$")),
]
# ... or after it ("$20 a month", "$200-a-month", "$100 and above monthly", "40 美元/月", "10 美元月费").
_PERIOD_AFTER = [
    ("month", re.compile(
        r"^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?(?:-|\s)?(?:a|per|/|each|every)[\s-]*(?:month|mo)\b|^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?monthly\b"
        r"|^\s*/\s?(?:월|月)|^\s*(?:씩\s?)?(?:매달|매월)|^\s*(?:每月|月费|一个月)",
        re.IGNORECASE)),
    ("year", re.compile(
        r"^\s*(?:(?:and|or)\s(?:above|up|more)\s*)?(?:-|\s)?(?:a|per|/|each|every)[\s-]*(?:year|yr)\b|^\s*annually\b"
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
    re.compile(r"(?P<old>\S+)\s?에서\s+(?P<new>\S+?)\s?(?:으로|로)"),
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
    developers: dict[str, str | None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[PriceClaim]:
    """Prices in ``text``. ``model_mentions`` are (start, end, model_id) of the models found;
    ``generic`` names products and families (ChatGPT, Gemini) that "the model" does not refer to;
    ``companies`` are the companies found, ``developers`` model id → company id, and ``gazetteer``
    names the models a price itself introduces ("混元 Turbo", "名为「grok-beta」")."""
    developers = developers or {}
    claims: list[PriceClaim] = []
    # the article's subject: the first model it names that is neither a product line nor a comparison
    main_model = next((m[2] for m in sorted(model_mentions) if m[2] not in generic and not _compared(text, m)), None)
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
            if previous is None and _PRICE_TOPIC.search(sentence.text):
                previous = main_model  # "가격은 입력 … 0.6달러다" in a piece about one model
            subjects = [c for c in companies if sentence.start <= c[0] < monies[0].start and _is_subject(text, c)]
            if previous and subjects and not in_sentence and not _ANAPHORA.search(sentence.text):
                previous = None  # "DeepSeek 曾将 API 输入费用下调至…": a company's rate names no model
            names, models = _introduced_names(text, sentence, in_sentence, generic, gazetteer, companies)
            found = _sentence_prices(text, sentence, monies, models, previous, generic, bool(subjects), gazetteer, model_mentions)
            for claim in found:
                if claim.model_id in names:
                    claim.model_name, claim.model_span, claim.model_kind = names[claim.model_id]
            claims.extend(found)
        topics = [m for m in in_sentence if m[2] not in generic and not _compared(text, m)]
        if topics:
            recent.append((sentence.index, topics[0][2]))
    return _drop_vague_repeats(_drop_contradicted_reports(claims))


_NOT_SUBJECT_BEFORE = re.compile(
    r"(?:\b(?:through|via|with|from|by|of|to|at|for|on|in|and|than|like|including)\s(?:the\s)?|通过|与|和|跟|同|对|向|从|比|把|被|및\s?)$", re.IGNORECASE
)
_NOT_SUBJECT_AFTER = re.compile(r"^(?:를|을|와|과|에게|에서|에|로|으로|과의|와의|등|合作|等)")


def _is_subject(text: str, company: tuple[int, int, str]) -> bool:
    """A company that does the pricing ("MiniMax 提供…", "DeepSeek 曾将…", "Anthropic charges"),
    not one named on the way ("협력사인 프렌들리AI를 통해", "through Azure")."""
    start, end, _ = company
    return not (_NOT_SUBJECT_BEFORE.search(text[max(0, start - 14) : start]) or _NOT_SUBJECT_AFTER.match(text[end : end + 3]))


# A family named with a tier word it is not known with: "腾讯混元 Turbo", "Claude Max".
_TIER_WORDS = r"(?:Turbo|Pro|Plus|Max|Ultra|Lite|Mini|mini|Flash|Nano|Air|Premium|Business|Team|Enterprise)"
_TIER_AFTER = re.compile(r"^[\s\-]?(" + _TIER_WORDS + r"(?![A-Za-z0-9+])|[A-Z]{0,2}\d{1,2}(?:\.\d+)?[a-z]?(?![A-Za-z0-9.%])(?!\s?(?:美元|元|달러|원|dollars|euros|USD|万|亿|억|만|个|개|tokens?|토큰))(?:\s?" + _TIER_WORDS + r"(?![A-Za-z0-9+]))?)")
# A name the sentence introduces: "名为「grok-beta」", "a model called Nova-2", "dubbed 'Orbit Pro'".
_INTRODUCED = re.compile(
    r"(?:名为|叫做|称为|命名为|called|named|dubbed)\s?[「“\"‘'『]?([A-Za-z][A-Za-z0-9.\-+]*(?:\s[A-Z][A-Za-z0-9.\-+]*)?[A-Za-z0-9+])[」”\"’'』]?"
    r"|(?:模型|model|名为|叫做|称为|命名为|called|named|dubbed)\s?[「“\"‘'『]([^」”\"’'』\s，。]{2,20}?)[」”\"’'』]"
)


_UNNAMED = ""  # the id of a priced thing that is not a model: its price is kept with no model
_UNNAMED_MEMBER = re.compile(
    r"^\s?(?:的)?(?:主力模型|旗舰模型|主力(?!模型)|付费版本|付费版(?!本)|高级版|聊天机器人付费版本?)(?!\s?[A-Za-z0-9「“\"'‘])"
    r"|^\s(?:producer|maker|developer|creator|owner|parent)\b|^\s?(?:开发商|母公司|制造商)"  # "the ChatGPT producer": its company
    r"|^['’]s\s(?:flagship|main|paid|premium)\s(?:model|tier|version|plan)"
)
_NAME = r"((?:[A-Z][A-Za-z0-9_.+\-]*|[a-z]+[\d\-][A-Za-z0-9_.+\-]*|\d[A-Za-z0-9_.+\-]*[A-Za-z][A-Za-z0-9_.+\-]*)(?:\s(?:[A-Z0-9][A-Za-z0-9_.+\-]*|\+)){0,3})(?![A-Za-z0-9])"
# The name a price is said of, written as its subject or topic.
_SUBJECT_PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s(?:now\s|still\s|also\s|currently\s)?(?:costs?|is\spriced|are\spriced|charges|sells\sfor|lists\sat|starts\sat|is\savailable\sfor)\b"),
    re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"['’]s\s(?:API\s)?(?:price|pricing|subscription\sfee|monthly\sfee)\b"),
    re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s?(?:大?模型|model)?\s?(?:的)?\s?(?:API\s?)?(?:调用|推理|音频|语音|文本|图像|视频)?(?:价格|定价|售价|订阅费|订阅价格|会员费|月费|年费|收费标准)"),
    re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s?(?:기능|서비스|모델|요금제|플랜|구독)?(?:은|는|의\s?(?:API\s?)?(?:가격|요금|이용료|구독료)(?:은|는)?)(?=\s)"),
]
_SUBJECT_STOP = {"API", "AI", "GPU", "CPU", "CEO", "US", "EU", "UK", "PC", "LLM", "SaaS", "App", "The", "This", "That", "It",
                 "Its", "Our", "Their", "Each", "Every", "Pricing", "Price", "Prices", "Access", "Usage", "One", "A", "An",
                 "And", "But", "Which", "What", "Developers", "Users", "Customers", "Plan", "Plans", "Subscription", "Token", "Tokens"}
_PLAN_WORD = re.compile(r"计划|套餐|[Pp]lan|[Tt]ier|요금제|플랜|\+")
_MODEL_SHAPED = re.compile(r"\d|[A-Za-z]-[A-Za-z0-9]|[a-z][A-Z]|^[A-Z]{2,5}$|\+|\s(?:AI|" + _TIER_WORDS[3:-1] + r")$|\s?(?:计划|套餐|[Pp]lan|[Tt]ier|요금제|플랜)$")


# A list line headed by a plan: "付费模式（Pro 计划）: 用户每月支付 20 美元", "Team plan: $25 per user"
_PLAN_HEAD = re.compile(r"^[^：:]{0,16}?[（(]?([A-Z][A-Za-z0-9+]*(?:\s[A-Z][A-Za-z0-9+]*)?\s?(?:计划|套餐|[Pp]lan|[Tt]ier|요금제|플랜))[)）]?\s?[：:]")
# Editions of a product, a closed class: "Microsoft 365 的个人订阅", "家庭版"
_EDITIONS = {"个人": "Personal", "家庭": "Family", "专业": "Pro", "企业": "Enterprise", "团队": "Team", "学生": "Student",
             "商业": "Business", "标准": "Standard", "高级": "Premium"}
_EDITION = re.compile(r"(" + "|".join(_EDITIONS) + r")(?:版|订阅|套餐|计划)")
_EDITION_OF = re.compile(r"([A-Z][A-Za-z0-9+]*(?:\s[A-Z0-9][A-Za-z0-9+]*){0,2})\s?(?:的)?\s?$")


def _editions(text: str, sentence: Sentence) -> list[tuple[int, int, str]]:
    """"Microsoft 365 的个人订阅从 109 澳元…；家庭订阅从 139 澳元…" → Microsoft 365 Personal, Microsoft 365 Family."""
    found = []
    product = None
    for match in _EDITION.finditer(sentence.text):
        owner = _EDITION_OF.search(sentence.text[max(0, match.start() - 30) : match.start()])
        if owner:
            product = owner.group(1)
        elif product is None or not re.search(r"(?:^|[，；,;、\s])$", sentence.text[: match.start()]):
            continue  # a bare edition inherits the product named before it in the sentence, after a break
        start = sentence.start + match.start(1)
        found.append((start, sentence.start + match.end(), f"{product} {_EDITIONS[match.group(1)]}"))
    return found


def _subjects(text: str, sentence: Sentence) -> list[tuple[int, int, str]]:
    """Names written as the subject of a price: "Nova-2 costs", "Lumen's price", "X3 的价格", "FSD 기능은"."""
    found = []
    head = _PLAN_HEAD.match(sentence.text)
    if head:
        found.append((sentence.start + head.start(1), sentence.start + head.end(1), head.group(1)))
    for pattern in _SUBJECT_PATTERNS:
        for match in pattern.finditer(sentence.text):
            name = match.group(1).strip()
            if name.split()[0] in _SUBJECT_STOP or name in _SUBJECT_STOP or len(name) < 2:
                continue
            start = sentence.start + match.start(1)
            found.append((start, start + len(name), name))
    return found


def _introduced_names(
    text: str,
    sentence: Sentence,
    models: list[tuple[int, int, str]],
    generic: set[str] | frozenset[str],
    gazetteer: Gazetteer | None,
    companies: list[tuple[int, int, str]] = (),
) -> tuple[dict[str, tuple[str, tuple[int, int], str]], list[tuple[int, int, str]]]:
    """The sentence's models, with the names the gazetteer does not know in the shapes a price is
    stated for: a family or model with a new tier word ("混元 Turbo", "文心5.5 Turbo"), an edition
    ("Microsoft 365 的个人订阅"), the subject of the price ("FSD 기능은", "K3 的 API 价格"), a name
    introduced by "called"/"名为". Subjects that are no model ("Prime 会员费") and unnamed members of a
    family ("豆包主力模型") are kept as _UNNAMED. New names are returned as id → (name, span, kind)."""
    names: dict[str, tuple[str, tuple[int, int], str]] = {}
    result = list(models)
    if gazetteer is None:
        return names, result

    def add(name: str, start: int, end: int, kind: str) -> str:
        """The id of a name a price is said of: the known model's, else a new candidate's. A plan, an
        edition or an unversioned product name ("Pro 计划", "Microsoft 365 Family") is a product, not a model."""
        entity = gazetteer.by_name(name)
        if entity and entity.type == "model":
            return entity.id
        new_id = candidate_id("model", name)
        names[new_id] = (name, (start, end), kind)
        return new_id

    for index, (start, end, model_id) in enumerate(result):
        tier = _TIER_AFTER.match(text[end : end + 16])
        if not tier or any(m[0] == end + tier.start(1) for m in models):
            continue
        if model_id not in generic and not re.fullmatch(_TIER_WORDS, tier.group(1)):
            continue  # "文心5.5 Turbo" is a new tier of a known model; "GPT-5 2" is no name
        family = gazetteer.get(model_id)
        if family is None or family.type != "model" or family.name.endswith(" " + tier.group(1)):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", tier.group(1)):
            continue
        name = f"{family.name} {tier.group(1)}"
        result[index] = (start, end + tier.end(), add(name, start, end + tier.end(), "candidate"))
    for index, (start, end, model_id) in enumerate(result):
        if model_id in generic and _UNNAMED_MEMBER.match(text[end : end + 16]):
            result[index] = (start, end, _UNNAMED)  # "豆包主力模型", "Claude 聊天机器人付费版本": a member the text does not name
    for start, end, name in _editions(text, sentence):
        if not any(m[0] < end and start < m[1] for m in result):
            result.append((start, end, add(name, start, end, "product")))
    for start, end, name in _subjects(text, sentence):
        if any(m[0] < end and start < m[1] for m in result) or any(c[0] <= start and end <= c[1] for c in companies) \
                or re.fullmatch(_TIER_WORDS, name):
            continue  # a known name (the usual rules find it), a company ("DeepSeek-chat" is not), a bare tier ("Pro costs …")
        if not _MODEL_SHAPED.search(name):
            result.append((start, end, _UNNAMED))  # "Prime 会员费是…": the subject is priced, but is no model
            continue
        versioned = re.search(r"\d|[A-Za-z]-[A-Za-z0-9]|[a-z][A-Z]", name) and not _PLAN_WORD.search(name)
        result.append((start, end, add(name, start, end, "candidate" if versioned else "product")))
    for match in _INTRODUCED.finditer(sentence.text):
        group = 1 if match.group(1) else 2
        start, end = sentence.start + match.start(group), sentence.start + match.end(group)
        name = match.group(group)
        if any(m[0] < end and start < m[1] for m in result) or not re.search(r"\d|[A-Za-z]-|[a-z][A-Z]", name):
            continue  # only model-shaped names: a digit, a hyphen or inner capitals
        if re.match(r"[\d.]+$|(?:19|20)\d\d", name):
            continue
        result.append((start, end, add(name, start, end, "candidate")))
    return names, sorted(result)

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
# How many sentences back "the model" may refer.
_LOOKBACK = 5
_PRICE_TOPIC = re.compile(r"가격|요금|이용료|단가|price|pricing|costs?\b|rates?\b|定价|价格|售价", re.IGNORECASE)
_ANAPHORA = re.compile(
    r"\b(?:the|this|that) (?:new |latest |same )?(?:model|system|version)\b|\bit(?:s)?\b|이 모델|해당 모델|이번 모델|새 모델|신모델|"
    r"该模型|这款模型|这一模型|其", re.IGNORECASE)


# Words that say a plan or subscription is priced: an unnamed plan's rate is still a price.
_SUBSCRIPTION_CUE = re.compile(
    r"subscri|\bplans?\b|\btiers?\b|membership|\bpremium\b|订阅|会员|套餐|月费|年费|包月|付费版|구독|요금제|멤버십|월정액|이용권",
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
        if money.start in periods or not _PRICE_NOUN_AFTER.match(text[money.end : money.end + 12]):
            continue
        rate = next((periods[m.start] for m in monies if m.start in periods and m.currency == money.currency), None)
        if rate:
            periods[money.start] = rate  # "每月 2000 美元的订阅费——相比现行的 20 美元定价"
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
        subscription = bool(period)
        if per_tokens is None and period is None and other_unit is None:
            if not _period_unstated(text, sentence, models, money, clause):
                continue  # an amount with no unit is not a price
            subscription = True  # "Microsoft 365 的个人订阅从 109 澳元上涨至 159 澳元": a plan, its period unsaid
        if _COMPARED_AMOUNT.search(text[max(sentence.start, money.start - 16) : money.start]) and not any(
            money.end <= m[0] <= money.end + 3 for m in models
        ):
            if period:
                claims.append(_claim(None, "subscription", money, None, period, None, sentence, roles, tops, reported))
            continue  # "相比现行的 20 美元定价": the price of something the comparison leaves unnamed
        owners = _owners(text, models, money, clause, previous_model, generic, subscription=subscription, gazetteer=gazetteer,
                         article_models=article_models)
        if owners is None:
            continue  # a plan named with a word we cannot tie to a product: left out rather than guessed
        if not owners:
            unnamed_plan = period and _SUBSCRIPTION_CUE.search(sentence.text)
            if not (unnamed_plan or (per_tokens and company_subject and not period and not other_unit)):
                continue  # nor is an amount with no product, unless a plan or a company's API rate
            if money.amount > _MAX_UNNAMED_PLAN.get(money.currency, 10_000):
                continue  # "$7,500 a month per employee": a spend, not the rate of a plan nobody names
            owners = [None]
        kind = "subscription" if subscription else "other" if other_unit else (
            _kind_marked_after(text, money) or _kind_in(text, clause[0], clause[1], money) or "other"
        ) if money.start in tops else (
            _kind_marked_after(text, money)
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
    r"(?:相比|比起|compared\s(?:to|with)|than|versus|vs\.?)\s?(?:现行|当前|目前|现在|原来|此前|the\scurrent|current|the)?\s?(?:的)?\s?$",
    re.IGNORECASE,
)
_SUBSCRIPTION_NOUN = re.compile(r"订阅|套餐|会员|subscription|membership|구독|요금제", re.IGNORECASE)


def _period_unstated(text: str, sentence: Sentence, models: list[tuple[int, int, str]], money: Money, clause: tuple[int, int]) -> bool:
    """A plan's price whose period the sentence leaves out: a subscription word in the sentence and a
    named plan or edition in the amount's own clause, before it."""
    if not _SUBSCRIPTION_NOUN.search(sentence.text):
        return False
    return any(clause[0] <= m[0] and m[1] <= money.start and m[2] != _UNNAMED for m in models)


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
    if not match:
        return None
    return _kind_in(match.group(0), 0, len(match.group(0)), Money(0, 0, "", 0, ""))


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


_COMPARED = re.compile(
    r"^['’\"”]?\s?(?:\([^)]*\)\s?)?(?:保持一致|一致|相同|持平|一样|相当|보다|대비|대신|와\s?같다|과\s?같다|와\s?동일|과\s?동일|에\s?비해|과\s?비슷|와\s?비슷|과\s?같은|와\s?같은|"
    r"의\s?(?:약\s?)?\d+\s?분의|의\s?(?:약\s?)?\d+(?:\.\d+)?\s?(?:배|%|퍼센트)|[을를]\s?(?:바탕|기반|토대)|시절)"
)
_COMPARED_BEFORE = re.compile(
    r"(?:than|compared (?:to|with)|versus|vs\.?|outperforms?|beats?|rivals?|instead of|replaces?|比|相比|对标)\s*(?:the |its )?['‘\"“]?$",
    re.IGNORECASE,
)


def _compared(text: str, mention: tuple[int, int, str]) -> bool:
    start, end, _ = mention
    return bool(_COMPARED.match(text[end : end + 40]) or _COMPARED_BEFORE.search(text[max(0, start - 20) : start])
                or re.search(r"(?:전작|이전\s?모델인?|직전\s?모델인?|기존|前代|上一代)\s?['‘\"“]?$", text[max(0, start - 10) : start]))


_MODEL_ANAPHORA = re.compile(
    r"\b(?:the|this|that) (?:new |latest |same )?(?:model|system|version)\b|이 모델|해당 모델|이번 모델|새 모델|신모델|该模型|这款模型|这一模型",
    re.IGNORECASE,
)
_ACCESS_BEFORE = re.compile(
    r"(?:access(?:es)?\sto|use\sof|using|to\suse|for\susing|可以用|可以使用|可使用|能使用|能用|使用|访问|体验|解锁)\s?(?:its\s|the\s|their\s|flagship\s|latest\s|new\s|more\s)*['‘\"“「]?$",
    re.IGNORECASE,
)
_ACCESS_AFTER = re.compile(r"^['’\"”」]?\s?(?:的)?(?:使用次数|使用权|访问权|调用次数)|^['’\"”]?\s?(?:을|를)?\s?(?:이용|사용|쓸\s수)")
_COORDINATED = re.compile(r"^['’\"”」]?\s?(?:或者?|和|与|及|以及|or|and|/|、|와|과|나|이나|및)\s?['‘\"“「]?$", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"[;；。]")


def _owners(
    text: str,
    models: list[tuple[int, int, str]],
    money: Money,
    clause: tuple[int, int],
    previous_model: str | None,
    generic: set[str] | frozenset[str] = frozenset(),
    *,
    subscription: bool = False,
    gazetteer: Gazetteer | None = None,
    article_models: list[tuple[int, int, str]] = (),
) -> list[str | None] | None:
    """The models a price belongs to: usually one, two for "每月 20 美元的 Copilot Pro 或 ChatGPT Plus 计划";
    none for an unnamed plan, ``None`` for a plan whose name we cannot resolve.
    A plan's price is not the price of the model it gives access to ("$20 for access to GPT-5")."""
    if subscription:
        plan = _plan_after(text, list(article_models) + models, money, gazetteer)
        if plan == [None]:
            return None  # a named tier nobody can resolve: not the price of another name
        if plan is not None:
            return plan
        kept: list[tuple[int, int, str]] = []
        excluded: list[tuple[int, int, str]] = []
        for m in sorted(models):
            gives_access = _ACCESS_BEFORE.search(text[max(0, m[0] - 24) : m[0]]) or _ACCESS_AFTER.match(text[m[1] : m[1] + 8])
            if gives_access or (excluded and _COORDINATED.match(text[excluded[-1][1] : m[0]])):
                excluded.append(m)  # "可以无限使用 o3-mini 和 o3-mini-high": both are what the plan gives
            else:
                kept.append(m)
        models = kept
        if not _MODEL_ANAPHORA.search(text[clause[0] : money.start + 40]):
            previous_model = None  # a plan is named where its price is, not sentences earlier ("its" is the company)
    owner = _model_for(text, models, money, clause, previous_model, generic)
    if owner is None or owner == _UNNAMED or (isinstance(owner, tuple) and owner[2] == _UNNAMED):
        return [] if owner is None else [None]
    if isinstance(owner, str):
        return [owner]
    owners = [owner[2]]
    later = [m for m in models if m[0] >= owner[1]]
    if later and _COORDINATED.match(text[owner[1] : later[0][0]]) and not _compared(text, later[0]):
        owners.append(later[0][2])
    return owners


# "the $200-a-month Pro tier", "a $200 Anthropic plan", "Google's $99 / month AI Ultra plan"
_PLAN_NAME_AFTER = re.compile(
    r"^[^,.;，。$]{0,16}?((?:[A-Z][\w+.]*\s){1,3})(?:plan|tier|subscription|membership)s?\b"
    r"|^[^，,。；;$]{0,30}?的\s?((?:[A-Z][A-Za-z0-9+]*\s?){1,2})(?:用户|会员|订阅者?|计划|套餐|版)"  # "每月支付 200 美元的 Pro 用户"
)


def _plan_after(text: str, models: list[tuple[int, int, str]], money: Money, gazetteer: Gazetteer | None) -> list[str] | None:
    """The plan a rate is written in front of: a known name, a tier of the product named before it
    ("ChatGPT Plus costs $20 a month, and the $200-a-month Pro tier …" → ChatGPT Pro), or a company's
    unnamed plan ([]). ``None`` when no plan name follows the amount, or it is a tier we cannot resolve."""
    match = _PLAN_NAME_AFTER.match(text[money.end : money.end + 60])
    if not match:
        return None
    group = 1 if match.group(1) else 2
    start, end = money.end + match.start(group), money.end + match.end(group)
    inside = [m for m in models if start <= m[0] < end]
    if inside:
        return [inside[-1][2]]
    words = match.group(group).strip()
    if not re.fullmatch(_TIER_WORDS, words):
        return []  # "a $200 Anthropic plan": a company's plan with no name of its own
    for base_start, _, model_id in sorted((m for m in models if m[1] <= money.start), reverse=True):
        entity = gazetteer.get(model_id) if gazetteer else None
        if entity is None:
            continue
        base = re.sub(r"\s" + _TIER_WORDS + r"$", "", entity.name)
        known = gazetteer.by_name(f"{base} {words}")
        if known and known.type == "model":
            return [known.id]
    return [None]  # marker: a named tier nobody can resolve


def _model_for(
    text: str,
    models: list[tuple[int, int, str]],
    money: Money,
    clause: tuple[int, int],
    previous_model: str | None,
    generic: set[str] | frozenset[str] = frozenset(),
) -> tuple[int, int, str] | str | None:
    """The model a price belongs to (its mention, or the id "the model" refers back to): the one
    whose parenthesis holds it ("o1-프로(입력 150달러)"), else the nearest in its clause, else
    earlier in its sentence, else the one "the model" refers back to, else the one named later
    in the same part of the sentence. A model the price is compared with ("o1-프로보다 87% 싸다",
    "cheaper than o1", "比混元 Pro 降低 50%") does not own it."""
    owner = _parenthesis_owner(text, models, money) or _adnominal_owner(text, models, money) or _for_owner(text, models, money)
    if owner:
        return owner
    relative_at = _relative_clause_start(text, models, money, clause)
    if relative_at is not None:
        before_clause = [m for m in models if m[1] <= relative_at]
        specific = [m for m in before_clause if m[2] not in generic]
        if specific or before_clause:
            return (specific or before_clause)[-1]
    models = [m for m in models if not _compared(text, m)]
    in_clause = [m for m in models if clause[0] <= m[0] < clause[1]]
    if in_clause:
        return min(in_clause, key=lambda m: abs(m[0] - money.start))
    before = [m for m in models if m[1] <= money.start]
    if before:
        return before[-1]
    later = [m for m in models if not _SEGMENT_BREAK.search(text[money.end : m[0]])]
    if later and (previous_model is None or not _ANAPHORA.search(text[clause[0] : money.start + 80])):
        return later[0]
    return previous_model


def _relative_clause_start(text: str, models: list[tuple[int, int, str]], money: Money, clause: tuple[int, int]) -> int | None:
    """Where ", which …" starts, if the price sits in such a clause (or its "and $12 …" tail)."""
    window_start = max(0, money.start - 120)
    found = None
    for match in re.finditer(r",\s*(?:which|who)\b", text[window_start : money.start], re.IGNORECASE):
        found = window_start + match.start()
    if found is None:
        return None
    if any(found < m[0] < money.start for m in models):
        return None  # a model named after "which" owns it through the usual rules
    return found


_ADNOMINAL = re.compile(
    r"^\s?(?:부터|에서)?\s?(?:인|의|짜리인?|(?:부터\s)?시작하는|하는|으로\s책정된|로\s책정된)\s?['‘\"“]?"
    r"|^\s?(?:月费|年费|/月|/年|一个月|每月|每年)?\s?的\s?['‘\"“「]?"  # "200 美元月费的 ChatGPT Pro"
)


_FOR_GAP = re.compile(r"^[^;.!?]{0,60}?\bfor\s(?:the\s|its\s|base\s|new\s|older\s){0,3}$", re.IGNORECASE)


# "$100 and above monthly for a subscription to Claude Max"
_SUBSCRIPTION_TO = re.compile(
    r"^[^;.!?$]{0,40}?\b(?:for|with)\s(?:a|an|the)\s(?:(?:monthly|annual|yearly)\s)?(?:subscription|membership|plan)\s(?:to|of|for)\s$",
    re.IGNORECASE,
)


def _for_owner(text: str, models: list[tuple[int, int, str]], money: Money) -> tuple[int, int, str] | None:
    """"$1 per million output tokens for the base Sonar model": the model after "for" owns the amounts before it."""
    after = [m for m in models if money.end <= m[0] <= money.end + 80]
    if not after:
        return None
    start = after[0][0]
    gap = text[money.end : start]
    if (_FOR_GAP.match(gap) and not find_money(gap.split(" for ")[-1])) or _SUBSCRIPTION_TO.match(gap):
        return after[0]
    return None


def _adnominal_owner(text: str, models: list[tuple[int, int, str]], money: Money) -> tuple[int, int, str] | None:
    """"월 100달러부터 시작하는 '클로드 맥스'": in Korean the price comes before the name it describes."""
    match = _ADNOMINAL.match(text[money.end : money.end + 16])
    if not match:
        return None
    at = money.end + match.end()
    return next((m for m in models if m[0] == at), None)


def _parenthesis_owner(text: str, models: list[tuple[int, int, str]], money: Money) -> tuple[int, int, str] | None:
    """'제미나이 2.5 프로'(입력 1.25달러, 출력 10달러): a model right before an open parenthesis owns what is inside."""
    window = text[max(0, money.start - 60) : money.start]
    opening = max(window.rfind("("), window.rfind("（"))
    if opening < 0 or ")" in window[opening:] or "）" in window[opening:]:
        return None
    paren_at = money.start - len(window) + opening
    for mention in models:
        if mention[1] <= paren_at and re.fullmatch(r"[\s'’\"”]*(?:요금제|구독|플랜|plan|tier|subscription|套餐|API)?\s*", text[mention[1]:paren_at], re.IGNORECASE):
            return mention
    return None
