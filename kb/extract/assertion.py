"""Whether a clause reports something that happened, and what in the text is not this article's news.

A trigger word is not an event by itself: "will release" is a plan, "will not join" a
negation, "发布会" a launch event, "the departure of X" a topic, "발표한 바 있다" a reminder,
"is OpenAI about to launch GPT-5?" a question. A photo caption shows and a related headline
("관련기사", "Related Stories") reports another article. A newspaper quoted or a platform
posted on is where a fact was told, not whom it happened to.
"""

from __future__ import annotations

import re

from kb.extract.candidates import EntityView
from kb.extract.gazetteer import Gazetteer, NameMatch
from kb.extract.sentences import LINK_LINE, Sentence

__all__ = ["asserted", "is_venue", "other_articles", "BACKGROUND_BEFORE", "CAPTION", "FINAL_STOP", "QUESTION"]

_FUTURE_BEFORE = re.compile(
    r"\b(?:will|would|could|may|might|plans? to|planning to|expected to|set to|aims? to|intends? to|going to)\s(?:\w+\s)?$|"
    r"(?:将|计划|预计|有望|即将|拟|准备|打算|将于[^，。]{0,8})$",
    re.IGNORECASE,
)
# "计划在明年推出", "将在 iPhone 和 iPad 上推出": a plan with its time or place between the plan word and the verb
_ZH_PLAN_BEFORE = re.compile(r"(?:将于|将在|计划|预计|准备|打算)[^，。；,;：:]{0,20}$")
_FUTURE = re.compile(r"예정|계획|방침|할 것|전망|검토|겠|되면|마무리될|할 경우|\bwill\b|\bplans? to\b|\bexpected to\b|\bwould\b|计划|将于|将在|即将|拟")

_RELATED_MARKER = re.compile(
    r"^[#*\s]*(?:관련\s?기사|관련\s?뉴스|추천\s?기사|많이 본 기사|相关阅读|相关文章|相关推荐|延伸阅读|推荐阅读|Related(?: Stories| Articles| Posts| Coverage)?|"
    r"Read (?:next|more)|More from [\w .]+|Popular on [\w .]+|Recommended|You may also like|See also)[:：*\s]*$",
    re.IGNORECASE,
)
FINAL_STOP = re.compile(r"(?:[.!?。！？]|다\.?)[\"'”’)\]]*\s*$")


def other_articles(sentences: list[Sentence]) -> set[int]:
    """Sentences that are headlines of other articles: links standing alone ("- [구글, … 출시](https://…)"),
    and the unpunctuated lines under a "관련기사" / "Related Stories" / "相关阅读" heading."""
    skipped: set[int] = set()
    listing = False
    for sentence in sentences:
        if _RELATED_MARKER.match(sentence.text):
            listing = True
            skipped.add(sentence.index)
            continue
        if LINK_LINE.match(sentence.text):
            skipped.add(sentence.index)
            continue
        if listing and not FINAL_STOP.search(sentence.text) and len(sentence.text) < 160:
            skipped.add(sentence.index)
            continue
        listing = False
    return skipped


QUESTION = re.compile(r"[?？]\s*[\"”」』)]*\s*$")

# What keeps a trigger from reporting an event: a plan, a negation, a noun that names the
# kind of thing rather than reports it, or a clause that puts it before or after the news.
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:not(?! only| just| least)|never|no longer|without|short of|yet to|instead of|rather than|fail(?:s|ed)? to|refus\w* to|declin\w* to|"
    r"den(?:y|ies|ied))\b|n't\b)[^.,;:]{0,45}$|"
    r"(?:(?<![并])不(?![久到仅断少同但管论])|没有|没|未(?!来)|停止|终止|拒绝|否认)[^，。；：]{0,16}$|(?:^|\s)(?:안|못)\s$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(r"^[가-힣]{0,4}\s?(?:않|못했|못한|못하)")
_PLAN_BEFORE = re.compile(
    r"\b(?:anticipat\w+|await\w*|rumou?r\w*|in talks|talks to|consider\w*|explor\w*|seek\w*|hop(?:e|es|ing) to|want\w* to|"
    r"ready to|preparing to|prepares to)\b[^.,;:]{0,30}$|"
    r"(?:考虑|探索|寻求|希望|据传|想要|争取)[^，。；：]{0,12}$|(?:回应|谈及|谈到|关于|对于|针对)\s?$|\b(?:about|on|regarding)\s$|에\s?대해\s?$",
    re.IGNORECASE,
)
# "발표한 바 있다", "曾经与 Uber 合作": background the reader is reminded of, not the news
_BACKGROUND_AFTER = re.compile(r"(?:한|했던|인|은|된)\s?바\s?있")
BACKGROUND_BEFORE = re.compile(r"曾经?[^，。；：]{0,20}$")
# a photo caption ("(사진=구글)", "*… 사진(왼쪽부터 …)" in italics, "![…](…)", "图片来源") shows, it does not
# report ("**bold**" is emphasis, not a caption)
CAPTION = re.compile(r"^\s?(?:\*(?!\*)|!\[)|사진\s?[=(]|\(사진|图片来源|图源|题图|\((?:Photo|Image)\b|(?:Photo|Image) (?:credit|by)\b", re.IGNORECASE)
# "在 Orion 发布之前", "before it is released", "출시 전에": the release has not happened at that point
_BEFORE_AFTER = re.compile(r"^\s?(?:之前|以前|前[，,]|전에|전까지|이전에)")
_BEFORE_BEFORE = re.compile(r"\b(?:before|ahead of|until|prior to)\s(?:[\w'’-]+\s){0,4}(?:is\s|are\s|was\s|gets\s)?$", re.IGNORECASE)
# The trigger used as a noun: "发布会" is a launch event, "合作伙伴" a partner, "涨价的理由" a reason
_NOUN_AFTER = {
    # "发布会" is a launch event; "去年发布的 V3", "开源的Qwen3" describe a model; "출시 약 7개월 만에" counts time since
    "model_release": re.compile(r"^(?:会|會|회|식|\s?(?:약\s?)?\d+\s?(?:개월|년|주|일)\s?만에)"),
    "partnership": re.compile(r"^(?:伙伴|关系|的|可能|生态|模式|사|업체|방안|사업|이\s?이뤄|할\s|의\s?가능|\s?가능|s\b|에서|에\s?|은\s|는\s|이\s|의\s|,\s|\s등)",
                              re.IGNORECASE),
    # "its latest open-weight model", "开源社区": what kind of model or community, not an act of opening one
    "open_source": re.compile(r"^\s?(?:models?\b|LLMs?\b|모델|模型|大模型|社区|项目|生态|阵营|领域|路线)", re.IGNORECASE),
    "price_change": re.compile(r"^(?:的|로|는|가|의|에|폭|율|률)"),
    "executive_change": re.compile(r"^(?:赔偿|补偿|率|潮)"),
}
_PARTNERSHIP_NOUN = re.compile(r"^(?:partnership|협력|合作)$", re.IGNORECASE)
_PARTNERSHIP_VERB_BEFORE = re.compile(
    r"\b(?:announc\w+|sign\w*|str(?:uck|ike|ikes)|form\w*|expand\w*|enter\w*(?: into)?|unveil\w*|forg\w+|deepen\w*|extend\w*)\b[^.;:]{0,30}$",
    re.IGNORECASE,
)
_PARTNERSHIP_ASSERTED_AFTER = re.compile(
    r"^\s?(?:하기로|한다|했다|했고|하며|하고|해\s|해왔|키로|을\s?(?:맺|체결|확대|강화했|발표|선언|시작)|관계를\s?(?:맺|체결)|협약|계약|"
    r"(?:,|，|。)|推出|开发|打造|研发|部署|$)"
)
_ATTRIBUTIVE_BEFORE = re.compile(r"(?:\b(?:first|newly|recently|just|its|their|his|her|the|a|an|already)|['’]s)\s$", re.IGNORECASE)
# a lowercase noun right before a participle ("benchmarks published by"), not a verb's helper ("was released by")
_COMMON_NOUN_BEFORE = re.compile(
    r"(?<![\w-])(?!(?:was|were|is|are|be|been|being|has|have|had|get|gets|got|just|first|also|officially|quietly|recently|newly)\s$)"
    r"[A-Za-z][a-z]{2,}\s$")
_DEPARTURE_NOUN = re.compile(r"^departure$", re.IGNORECASE)
_VALUATION_ONLY = re.compile(r"^(?:valuation|估值)$", re.IGNORECASE)
_ROUND_WORDS = re.compile(r"invest|round|funding|raise|투자|融资|投资|轮", re.IGNORECASE)


def asserted(event_type: str, sentence: str, start: int, end: int) -> bool:
    """Whether the trigger at ``start:end`` reports something that happened.

    Plans ("will release", "출시할 예정", "将于"), negations ("will not join", "stopping short of
    a full acquisition", "不会发布"), wishes and talks ("in talks to team up"), background the
    reader is reminded of ("맺은 바 있다") and triggers used as nouns ("发布会") report nothing.
    """
    before, after, word = sentence[max(0, start - 60) : start], sentence[end : end + 30], sentence[start:end]
    if event_type != "executive_change" and (_FUTURE.search(after[:25]) or _FUTURE_BEFORE.search(before[-14:])
                                          or _ZH_PLAN_BEFORE.search(before)):
        return False  # "출시할 예정", "will release", "计划开源", "将于下月发布": a plan, not an event
    if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after) or _PLAN_BEFORE.search(before):
        return False
    if _BACKGROUND_AFTER.search(sentence[end:]) or BACKGROUND_BEFORE.search(before):
        return False
    if event_type == "model_release" and (_BEFORE_AFTER.match(after) or _BEFORE_BEFORE.search(before)):
        return False
    if _ATTRIBUTIVE_BEFORE.search(before) and re.match(r"[a-z ]+(?:ed|ped)$", word, re.IGNORECASE):
        return False  # "its newly released model", "Etched's first shipped system": a description, not the news
    if (event_type == "model_release" and re.match(r"[a-z]+ed$", word) and re.match(r"\s+by\b", after)
            and _COMMON_NOUN_BEFORE.search(before)):
        return False  # "benchmarks published by DeepSeek", "a paper released by Google": what the noun is, not a release
    if event_type in ("model_release", "open_source") and after.startswith("的") and not re.search(
            r"(?:同时|同日|当天|一同|一并|同步|今天|今日|昨天|此次|这次|天|日|号)\s?$", before):
        return False  # "阿里巴巴开源的Qwen3" describes a model; "同时发布的轻量版", "最后一天发布的 o3" report one more
    if re.match(r"[a-z]+ing$", word, re.IGNORECASE) and re.search(r"\b(?:for|of|about|over|after|before|without|since|from)\s$", before, re.IGNORECASE):
        return False  # "his motivations for suing the company", "after launching X": an act named, not reported
    noun = _NOUN_AFTER.get(event_type)
    if noun and noun.match(after):
        return False
    if event_type == "partnership" and _PARTNERSHIP_NOUN.match(word):
        # the bare noun, "a partnership between", "与 OpenAI 的合作", "협력 방안": only with a verb that makes one
        if not (_PARTNERSHIP_VERB_BEFORE.search(before) or (not word.isascii() and _PARTNERSHIP_ASSERTED_AFTER.match(after))):
            return False
    if event_type == "executive_change" and _DEPARTURE_NOUN.match(word) and (
            re.match(r"\s(?:of\b|could|would|may|might|will)", after) or re.search(r"\bciting\s(?:\w+\s){0,2}$", before, re.IGNORECASE)):
        return False  # "citing the departure of X", "Dean's departure could …": a departure talked about, not reported
    if event_type == "funding" and _VALUATION_ONLY.match(word) and not _ROUND_WORDS.search(sentence):
        return False  # "to justify its $852 billion valuation" is not a round
    return True


_VENUE_BEFORE = re.compile(r"(?:\b(?:on|via|according to|told|to)\s|在\s?|据\s?)$", re.IGNORECASE)
_CITED_AFTER = re.compile(
    r"^[)'’\"”]*\s?(?:\([^)]{0,20}\)\s?)?(?:에\s?따르면|와의\s?인터뷰|과의\s?인터뷰|와\s?인터뷰|에\s?(?:올린|게시|남긴|쓴|밝힌)|"
    r"(?:에서|는|은|이|가)?\s?(?:보도|has learned|reported|reports|上|报道|消息))",
    re.IGNORECASE,
)


def is_venue(mention: NameMatch, text: str, gazetteer: Gazetteer | EntityView) -> bool:
    """A medium or platform cited as the source or the place of a fact ("told CNBC", "said on X",
    "로이터는 … 평가했다", "据路透社"), never the company the event happened to."""
    entity = gazetteer.entities[mention.entity_id]
    if entity.type != "company" or entity.kind not in ("media", "platform"):
        return False
    before = text[max(0, mention.start - 16) : mention.start]
    after = text[mention.end : mention.end + 30]
    if entity.kind == "media":
        # a newspaper can sue (The New York Times v. OpenAI); when it reports, it is a source
        return not re.match(r"^\s?(?:\([^)]*\)\s?)?(?:sued|sues|filed|v\.|이\s?(?:오픈|소송)|가\s?소송|起诉)", after)
    return bool(_VENUE_BEFORE.search(before) or _CITED_AFTER.match(after))
