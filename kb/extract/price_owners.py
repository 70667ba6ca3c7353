"""Whose price it is: the model, plan or product a price is said of.

The owner is the subject or topic of the price clause ("Nova-2 costs", "K3 的 API 价格", "FSD 기능은"),
a name the amount is written for ("$100 monthly for a subscription to Claude Max", "200 美元月费的
ChatGPT Pro", "'o1-프로'(입력 150달러)"), or the plan named right after it ("the $200-a-month Pro tier").
Never a name the price is compared with ("than X", "X보다", "比X", "与X保持一致"), nor the model a plan
gives access to ("可以无限使用 o3-mini"). A name the gazetteer does not know, in a model's or a plan's
shape, becomes a candidate; a subject that is no model ("Prime 会员费") keeps the price with no model.
"""

from __future__ import annotations

import re

from kb.extract.candidates import candidate_id
from kb.extract.gazetteer import Gazetteer
from kb.extract.money import Money, find_money
from kb.extract.sentences import Sentence

__all__ = ["ANAPHORA", "UNNAMED", "compared", "explicit_owner", "is_subject", "owners_of", "sentence_models"]

ANAPHORA = re.compile(
    r"\b(?:the|this|that) (?:new |latest |same )?(?:model|system|version)\b|\bit(?:s)?\b|이 모델|해당 모델|이번 모델|새 모델|신모델|"
    r"该模型|这款模型|这一模型|其", re.IGNORECASE)


_NOT_SUBJECT_BEFORE = re.compile(
    r"(?:\b(?:through|via|with|from|by|of|to|at|for|on|in|and|than|like|including)\s(?:the\s)?|通过|与|和|跟|同|对|向|从|比|把|被|및\s?)$", re.IGNORECASE
)
_NOT_SUBJECT_AFTER = re.compile(r"^(?:를|을|와|과|에게|에서|에|로|으로|과의|와의|등|合作|等)")


def is_subject(text: str, company: tuple[int, int, str]) -> bool:
    """A company that does the pricing ("MiniMax 提供…", "DeepSeek 曾将…", "Anthropic charges"),
    not one named on the way ("협력사인 프렌들리AI를 통해", "through Azure")."""
    start, end, _ = company
    return not (_NOT_SUBJECT_BEFORE.search(text[max(0, start - 14) : start]) or _NOT_SUBJECT_AFTER.match(text[end : end + 3]))


# A family named with a tier word it is not known with: "腾讯混元 Turbo", "Claude Max".
_TIER_WORDS = r"(?:Turbo|Pro|Plus|Max|Ultra|Lite|Mini|mini|Flash|Nano|Air|Premium|Business|Team|Enterprise)"
_TIER_KO = {"프로": "Pro", "플러스": "Plus", "맥스": "Max", "울트라": "Ultra", "라이트": "Lite", "미니": "mini", "터보": "Turbo", "플래시": "Flash"}
_TIER_AFTER = re.compile(r"^[\s\-]?(" + _TIER_WORDS + r"(?![A-Za-z0-9+])|(?:" + "|".join(_TIER_KO) + r")(?=(?:은|는|이|가|을|를|의|와|과|도|로|으로|에|라는|이라는)?(?![가-힣]))|[A-Z]{0,2}\d{1,2}(?:\.\d+)?[a-z]?(?![A-Za-z0-9.%])(?!\s?(?:美元|元|달러|원|dollars|euros|USD|万|亿|억|만|个|개|tokens?|토큰))(?:\s?" + _TIER_WORDS + r"(?![A-Za-z0-9+]))?)")
# A name the sentence introduces: "名为「grok-beta」", "a model called Nova-2", "dubbed 'Orbit Pro'".
_INTRODUCED = re.compile(
    r"(?:名为|叫做|称为|命名为|called|named|dubbed)\s?[「“\"‘'『]?([A-Za-z][A-Za-z0-9.\-+]*(?:\s[A-Z][A-Za-z0-9.\-+]*)?[A-Za-z0-9+])[」”\"’'』]?"
    r"|(?:模型|model|名为|叫做|称为|命名为|called|named|dubbed)\s?[「“\"‘'『]([^」”\"’'』\s，。]{2,20}?)[」”\"’'』]"
)


UNNAMED = ""  # the id of a priced thing that is not a model: its price is kept with no model
_UNNAMED_MEMBER = re.compile(
    r"^\s?(?:的)?(?:主力模型|旗舰模型|主力(?!模型)|付费版本|付费版(?!本)|高级版|聊天机器人付费版本?)(?!\s?[A-Za-z0-9「“\"'‘])"
    r"|^\s(?:producer|maker|developer|creator|owner|parent)\b|^\s?(?:开发商|母公司|制造商)"  # "the ChatGPT producer": its company
    r"|^['’]s\s(?:flagship|main|paid|premium)\s(?:model|tier|version|plan)"
)
_NAME = r"((?:[A-Z][A-Za-z0-9_.+\-]*|[a-z]+[\d\-][A-Za-z0-9_.+\-]*|\d[A-Za-z0-9_.+\-]*[A-Za-z][A-Za-z0-9_.+\-]*)(?:\s(?:[A-Z0-9][A-Za-z0-9_.+\-]*|\+)){0,3})(?![A-Za-z0-9])"
# The name a price is said of, written as its subject or topic. Each pattern comes with the literal words one
# of which is in every match: a sentence with none of them is not searched with it (most sentences name no price).
_SUBJECT_PATTERNS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("cost", "priced", "charges", "sells", "lists", "starts", "available"), re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s(?:now\s|still\s|also\s|currently\s|will\s)?(?:costs?|is\spriced|are\spriced|charges|sells\sfor|lists\sat|starts\sat|is\savailable\sfor)\b")),
    (("price", "pricing", "fee"), re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"['’]s\s(?:API\s)?(?:price|pricing|subscription\sfee|monthly\sfee)\b")),
    (("价格", "定价", "售价", "订阅费", "会员费"), re.compile(r"(?<![\u4e00-\u9fffA-Za-z0-9_$·])([\u4e00-\u9fff]{2,4}\d+(?:\.\d+)?)(?![A-Za-z0-9.])"
               r"\s?(?:的)\s?(?:API\s?)?(?:调用|推理)?(?:价格|定价|售价|订阅费|订阅价格|会员费)")),  # "天枢2的API定价"
    (("价格", "定价", "售价", "订阅费", "会员费", "月费", "年费", "收费标准"), re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s?(?:大?模型|model)?\s?(?:的)?\s?(?:API\s?)?(?:调用|推理|音频|语音|文本|图像|视频)?(?:价格|定价|售价|订阅费|订阅价格|会员费|月费|年费|收费标准)")),
    (("은", "는", "가격", "요금", "이용료", "구독료"), re.compile(r"(?<![A-Za-z0-9_$])" + _NAME + r"\s?(?:기능|서비스|모델|요금제|플랜|구독)?(?:은|는|의\s?(?:API\s?)?(?:가격|요금|이용료|구독료)(?:은|는)?)(?=\s)")),
    # Korean press quotes a model's name: "'뉴로챗 2'의 가격은", "'클로바X 프로' 요금제는"
    (("'", "‘"), re.compile(r"['‘]([^'’\s][^'’]{0,22}[^'’\s])['’]\s?(?:요금제|플랜|구독|모델)?(?:의\s?(?:API\s?)?(?:가격|요금|이용료|구독료)(?:은|는)?|은|는)(?=\s)")),
]
_SUBJECT_STOP = {"API", "AI", "GPU", "CPU", "CEO", "US", "EU", "UK", "PC", "LLM", "SaaS", "App", "The", "This", "That", "It",
                 "Its", "Our", "Their", "Each", "Every", "Pricing", "Price", "Prices", "Access", "Usage", "One", "A", "An",
                 "And", "But", "Which", "What", "Developers", "Users", "Customers", "Plan", "Plans", "Subscription", "Token", "Tokens",
                 # what is priced rather than who: "Output costs $10 per million tokens"
                 "Input", "Output", "Inference", "Storage", "Compute", "Training", "Caching", "Cached", "Audio", "Text", "Image",
                 "Images", "Video", "Batch", "Search", "Voice", "Translation", "Transcription", "Embeddings", "Everything",
                 "Membership", "Entry", "Admission", "Shipping", "Rent", "Electricity", "Power"}
_PLAN_WORD = re.compile(r"计划|套餐|[Pp]lan|[Tt]ier|요금제|플랜|\+")
_MODEL_SHAPED = re.compile(r"\d|[A-Za-z]-[A-Za-z0-9]|[a-z][A-Z]|^[A-Z]{2,5}$|\+|\s(?:AI|" + _TIER_WORDS[3:-1] + r"|프로|플러스|맥스|울트라|미니|라이트|터보)$|\s?(?:计划|套餐|[Pp]lan|[Tt]ier|요금제|플랜)$")


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
    for markers, pattern in _SUBJECT_PATTERNS:
        if not any(marker in sentence.text for marker in markers):
            continue
        for match in pattern.finditer(sentence.text):
            name = match.group(1).strip()
            if name.split()[0] in _SUBJECT_STOP or name in _SUBJECT_STOP or len(name) < 2:
                continue
            start = sentence.start + match.start(1)
            found.append((start, start + len(name), name))
    return found


def _another_makers(gazetteer: Gazetteer, name: str, inner: list[tuple[int, int, str]]) -> bool:
    """"Samsung AI Plus" is not Google's "AI Plus": a company's name in front of a known name that company
    does not make, or a new name's short form. A known longer name, or the maker's own, is the known one."""
    if gazetteer.by_name(name) or len(inner) != 1:
        return False
    head = name.split()[0]
    company = gazetteer.by_name(head)
    model = gazetteer.get(inner[0][2])
    if not (company and company.type == "company"):
        return False
    if model is None:
        return True  # a candidate's shorter form ("AI Plus") inside the company's full name
    return bool(model.developer and model.developer != company.id and not name.startswith(model.name))


def sentence_models(
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
    family ("豆包主力模型") are kept as UNNAMED. New names are returned as id → (name, span, kind)."""
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
        word = _TIER_KO.get(tier.group(1), tier.group(1))
        if model_id not in generic and not re.fullmatch(_TIER_WORDS, word):
            continue  # "文心5.5 Turbo" is a new tier of a known model; "GPT-5 2" is no name
        family = gazetteer.get(model_id)
        if family is None or family.type != "model" or family.name.endswith(" " + word):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", tier.group(1)):
            continue
        name = f"{family.name} {word}"
        result[index] = (start, end + tier.end(), add(name, start, end + tier.end(), "candidate"))
    for index, (start, end, model_id) in enumerate(result):
        if model_id in generic and _UNNAMED_MEMBER.match(text[end : end + 16]):
            result[index] = (start, end, UNNAMED)  # "豆包主力模型", "Claude 聊天机器人付费版本": a member the text does not name
    for start, end, name in _editions(text, sentence):
        if not any(m[0] < end and start < m[1] for m in result):
            result.append((start, end, add(name, start, end, "product")))
    for start, end, name in _subjects(text, sentence):
        inner = [m for m in result if start <= m[0] and m[1] <= end and (m[0], m[1]) != (start, end)]
        family_tier = bool(inner) and all(m[2] in generic for m in inner) and bool(
            _PLAN_WORD.search(name) or re.match(r"\s[A-Z]", text[inner[-1][1] : end]))
        if inner and (family_tier or _another_makers(gazetteer, name, inner)):
            result = [m for m in result if m not in inner]  # "GLM Coding Plan 订阅价格", "ChatGPT Go costs", "Samsung AI Plus": a name of its own
        if any(m[0] < end and start < m[1] for m in result) or any(c[0] <= start and end <= c[1] for c in companies) \
                or re.fullmatch(_TIER_WORDS, name):
            continue  # a known name (the usual rules find it), a company ("DeepSeek-chat" is not), a bare tier ("Pro costs …")
        if not _MODEL_SHAPED.search(name):
            result.append((start, end, UNNAMED))  # "Prime 会员费是…": the subject is priced, but is no model
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

_COMPARED = re.compile(
    r"^['’\"”]?\s?(?:\([^)]*\)\s?)?(?:保持一致|一致|相同|持平|一样|相当|보다|대비|대신|와\s?같다|과\s?같다|와\s?동일|과\s?동일|에\s?비해|과\s?비슷|와\s?비슷|과\s?같은|와\s?같은|"
    r"의\s?(?:약\s?)?\d+\s?분의|의\s?(?:약\s?)?\d+(?:\.\d+)?\s?(?:배|%|퍼센트)|[을를]\s?(?:바탕|기반|토대)|시절|"
    r"에\s?근접|에\s?맞먹|에\s?버금|[과와]\s?대등|[을를]\s?(?:능가|앞서|앞섰|제치|제쳤)|의\s?(?:후속|후계|업그레이드)|的(?:后继|继任|升级版|后续))"
)
# "'GPT-5'와 구글 '제미나이 2.5 프로'에 근접한": the first of two rivals is compared too
_COMPARED_PAIR = re.compile(
    r"^['’\"”]?\s?(?:\([^)]*\)\s?)?['’\"”]?\s?(?:와|과|,)\s(?:[^,.。]|\.(?=\d)){0,30}?"
    r"(?:에\s?근접|에\s?맞먹|에\s?버금|[과와]\s?대등|와\s?비슷|과\s?비슷|보다|대비|에\s?비해|[을를]\s?(?:능가|앞서|앞섰|제치|제쳤))"
)
_COMPARED_BEFORE = re.compile(
    r"(?:than|compared (?:to|with)|versus|vs\.?|outperforms?|beats?|rivals?|instead of|replaces?|close to|on par with|comparable to|successor to|follow-up to|"
    r"(?:double|twice|half|triple|a\s(?:third|quarter|fraction)|\d+(?:\.\d+)?\s?(?:times|x|%))\s(?:of\s)?(?:(?:that|those|the\s(?:price|cost|rate)s?)\s)?of|"
    r"比|相比|对标|接近|媲美|超越|优于|不输)\s*(?:the |its )?['‘\"“]?$",
    re.IGNORECASE,
)


def compared(text: str, mention: tuple[int, int, str]) -> bool:
    start, end, _ = mention
    return bool(_COMPARED.match(text[end : end + 40]) or _COMPARED_PAIR.match(text[end : end + 50])
                or _COMPARED_BEFORE.search(text[max(0, start - 20) : start])
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


def owners_of(
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
    if owner is None or owner == UNNAMED or (isinstance(owner, tuple) and owner[2] == UNNAMED):
        return [] if owner is None else [None]
    if isinstance(owner, str):
        return [owner]
    owners = [owner[2]]
    later = [m for m in models if m[0] >= owner[1]]
    if later and _COORDINATED.match(text[owner[1] : later[0][0]]) and not compared(text, later[0]):
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


# "相比 GPT-4o 的 2.5 美元", "GPT-4o의 2.5달러", "GPT-4o's $2.50": a compared model's own price, said as its
_POSSESSIVE = re.compile(r"^['’\"”」]?\s?(?:的|의|['’]s)\s?$")


def explicit_owner(text: str, models: list[tuple[int, int, str]], money: Money) -> tuple[int, int, str] | None:
    """The model a price is written for, whatever else the sentence says: its parenthesis, the name the
    amount describes ("월 20달러인 '클로드 프로'", "$20 for ChatGPT Plus"), or the one it is said of
    with a possessive ("the $5 of Y", "相比 GPT-4o 的 2.5 美元")."""
    owner = _parenthesis_owner(text, models, money) or _adnominal_owner(text, models, money) or _for_owner(text, models, money)
    if owner:
        return owner
    before = [m for m in models if m[1] <= money.start and _POSSESSIVE.match(text[m[1] : money.start])]
    if before:
        return before[-1]
    after = [m for m in models if money.end <= m[0] <= money.end + 12 and re.fullmatch(r"\s?of\s(?:the\s)?['‘\"“]?", text[money.end : m[0]])]
    return after[0] if after else None


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
    owner = explicit_owner(text, models, money)
    if owner:
        return owner
    relative_at = _relative_clause_start(text, models, money, clause)
    if relative_at is not None:
        before_clause = [m for m in models if m[1] <= relative_at]
        specific = [m for m in before_clause if m[2] not in generic]
        if specific or before_clause:
            return (specific or before_clause)[-1]
    models = [m for m in models if not compared(text, m)]
    in_clause = [m for m in models if clause[0] <= m[0] < clause[1]]
    if in_clause:
        return min(in_clause, key=lambda m: abs(m[0] - money.start))
    before = [m for m in models if m[1] <= money.start]
    if before:
        return before[-1]
    later = [m for m in models if not _SEGMENT_BREAK.search(text[money.end : m[0]])]
    if later and (previous_model is None or not ANAPHORA.search(text[clause[0] : money.start + 80])):
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


# "$30 a month, compared with $20 for ChatGPT Plus": the name after "for" owns the other amount
_OTHER_SIDE = re.compile(r"\b(?:compared|than|versus|vs\.?|while|whereas|unlike)\b|相比|대비|보다|;", re.IGNORECASE)


def _for_owner(text: str, models: list[tuple[int, int, str]], money: Money) -> tuple[int, int, str] | None:
    """"$1 per million output tokens for the base Sonar model": the model after "for" owns the amounts before it."""
    after = [m for m in models if money.end <= m[0] <= money.end + 80]
    if not after:
        return None
    start = after[0][0]
    gap = text[money.end : start]
    if (_FOR_GAP.match(gap) and not find_money(gap.split(" for ")[-1]) and not _OTHER_SIDE.search(gap)) or \
            (_SUBSCRIPTION_TO.match(gap) and not find_money(gap)):
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
