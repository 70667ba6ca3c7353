"""Where an article says what its news is, and the new names it gives there.

The headline and the lines right after it (and, in a digest, each "## headline" and its first
lines) report the release the article is about. There a product is often named for the first
time, where no list knows it yet: "unveils Scout, an autonomous AI agent", "released its first
model …, called Inkling", "새 플랫폼 ‘플로우 뮤직(Flow Music)’을 공개했다", "推出新功能「Tasks」",
"共发布 9 款模型，包括 A、B". A kind noun, a quotation or a count marks the name as one. A maker no
list knows is found there too: the subject that heads its product's name ("어도비는 … ‘어도비 CX …’"), or
a Chinese company suffix before the verb ("创企…科技发布").
"""

from __future__ import annotations

import re

from kb.extract.assertion import CAPTION, QUESTION
from kb.extract.sentences import Sentence

__all__ = ["lede_sentences", "maker_by_suffix", "maker_heading_name", "release_names"]

# The thing a headline or lede releases, named where no list knows it yet: "unveils Scout, an autonomous
# AI agent", "released its first model …, called Inkling", "새 플랫폼 ‘플로우 뮤직(Flow Music)’을 공개했다",
# "推出新功能「Tasks」". A kind noun or a quotation marks it as a name, not a word of the sentence.
_LATIN_NAME = r"[A-Z](?:[\w+-]|\.(?=\w))*(?:\s[A-Z0-9](?:[\w+-]|\.(?=\w))*)?"  # "Scout", "Microsoft Scout", "Gen-4.5"
_KIND_NOUN = (r"(?:agent|model|platform|app|assistant|tool|feature|service|system|chatbot|browser|device|glasses|"
              r"LLM|AI|language model|video model|image model)s?\b")
_NAME_AFTER_EN = re.compile(
    rf"^\s+(?:(?P<called_before>(?:its|a|an|the)\s[^.;:“\"]{{0,60}}?)\b(?:called|named|dubbed)\s+(?P<called>{_LATIN_NAME})\s?(?=[,.;:]|$)"
    rf"|(?P<appos>{_LATIN_NAME}),\s(?:an?|its|the)\s(?:[\w-]+\s){{0,4}}?{_KIND_NOUN})"
)
_NAME_BEFORE_KO = re.compile(r"[‘'\"“]\s?(?P<name>[^’'\"”\n]{2,40}?)\s?[’'\"”]\s?(?:을|를)\s?$")
_NAME_AFTER_ZH = re.compile(
    r"^\s?了?\s?(?:[^「“『，。；,;\n]{0,12})?[「“『]\s?(?P<name>[^」”』\n]{1,24}?)\s?[」”』]"
    # "上线深度搜索功能": a feature named by the noun before 功能 (four to six characters, not "新" or a count)
    r"|^\s?了?\s?(?P<feature>(?!新|全新|最新|多款|多项|一个|一项|一款|相关|更多)[\u4e00-\u9fff]{4,6}?)(?:功能|服务)"
)
# "发布产品 PixVerse V2", "推出新模型 Foo-2": a Latin name right after the verb, perhaps after a kind noun
_LATIN_AFTER_ZH = re.compile(
    r"^\s?了?\s?(?:(?:全新|新一代|最新|新)的?)?(?P<kind>产品|新品|[\u4e00-\u9fff]{0,4}(?:模型|智能体|助手))?\s?"
    r"(?P<name>[A-Za-z][\w.+-]*[A-Za-z0-9+](?:\s(?:[A-Z0-9][\w.+-]*|[a-z]{0,3}\d[\w.]*))?)(?=[\s，。；、,;：:（(]|$)")
_NOT_LATIN_NAMES = re.compile(r"^(?:API|APIs|AI|App|APP|SDK|PC|Pro|Plus|Beta|Demo|Logo|GPU|CPU|IT|LLM|AIGC|AGI|iOS|Android|Web|Windows|Mac)$",
                              re.IGNORECASE)
_AI_KIND = re.compile(r"AI|인공지능|에이전트|모델|챗봇|어시스턴트|人工智能|智能|大模型|模型|助手|智能体|生成", re.IGNORECASE)
_NOT_A_PRODUCT = re.compile(
    r"(?:보고서|백서|법|법안|시행령|전략|비전|계획|정책|가이드라인?|캠페인|행사|선언|报告|白皮书|计划|战略|法案?|政策|大会|活动|倡议)\s?$")
_NOT_A_NAME = re.compile(r"^(?:The|A|An|Its|This|That|These|New|First|AI|It|Our|We|They|In|On|At|For)$")


def lede_sentences(sentences: list[Sentence], headline: set[int], elsewhere: set[int]) -> list[Sentence]:
    """The headline and the sentences right after it: where an article says what its news is."""
    first = min(headline, default=None)
    if first is None:
        body = [s for s in sentences if s.index not in elsewhere]
        return [s for s in body[:3] if not (QUESTION.search(s.text) or CAPTION.search(s.text))]
    start = next(s.start for s in sentences if s.index == first)
    lede = [s for s in sentences if s.index in headline
            or (first <= s.index <= first + 12 and s.start - start <= 1500 and s.index not in elsewhere)]
    # a digest ("极客早知道") heads each story with its own "## headline": its first lines are that story's lede
    sections = [s.index for s in sentences if re.match(r"#{2,3}\s", s.text) and s.index not in elsewhere]
    lede += [s for s in sentences if s not in lede and s.index not in elsewhere
             and any(head <= s.index <= head + 3 for head in sections)]
    return [s for s in sorted(lede, key=lambda s: s.index) if not (QUESTION.search(s.text) or CAPTION.search(s.text))]


# "共发布 9 款模型，包括 A、B、C": the models a launch counts, listed after it
_COUNTED_LIST = re.compile(r"^\s?了?\s?共?\s?(?:\d+|[两三四五六七八九十]+)\s?款[\u4e00-\u9fff]{0,6}，?\s?(?:包括|分别是|即)\s?(?P<items>[^。；;]+)")


def release_names(sentence: str, trigger: re.Match[str]) -> list[tuple[str, int, int]]:
    """Every new name a release verb takes as its object: one, or the items of a counted list."""
    listed = _COUNTED_LIST.match(sentence[trigger.end() :]) if not trigger.group(0).isascii() else None
    if not listed:
        one = _release_name(sentence, trigger)
        return [one] if one else []
    names = []
    at = trigger.end() + listed.start("items")
    for item in re.split(r"[、,，]|和|及|以及", re.split(r"在内|等", listed.group("items"))[0]):
        name = item.strip(" 「」“”")
        # a name says which model: Latin letters in it ("豆包通用模型 Pro"), not a description ("豆包・绘本模型")
        start = sentence.find(name, at)
        if 2 <= len(name) <= 24 and _has_latin_name(name) and not _NOT_A_PRODUCT.search(name) and start >= 0:
            names.append((name, start, start + len(name)))
        at += len(item) + 1
    return names


def _release_name(sentence: str, trigger: re.Match[str]) -> tuple[str, int, int] | None:
    """The new name a release verb takes as its object, with its span in the sentence."""
    after, before = sentence[trigger.end() :], sentence[: trigger.start()]
    if trigger.group(0).isascii():
        # "Microsoft Scout, unveiled at the company's Build event Tuesday, is …": the name the participle describes
        participle = re.search(rf"(?:^|[.;:]\s|\n)(?P<name>{_LATIN_NAME}),\s$", before)
        if participle and re.fullmatch(r"[a-z]+ed", trigger.group(0)) and re.match(
                r"\s(?:at|on|in|by|last|this|earlier|today|yesterday)\b", after):
            name = participle.group("name")
            return name, participle.start("name"), participle.start("name") + len(name)
        found = _NAME_AFTER_EN.match(after)
        if not found:
            return None
        group = "called" if found.group("called") else "appos"
        if group == "called" and not re.search(_KIND_NOUN, found.group("called_before"), re.IGNORECASE):
            return None  # "a fund called Horizon": what is called so must be a model, an agent or an app
        name, start = found.group(group).strip(), trigger.end() + found.start(group)
        if any(_NOT_A_NAME.match(word) for word in name.split()[:1]):
            return None
        return name, start, start + len(name)
    if re.match(r"[가-힣]", trigger.group(0)):
        found = _NAME_BEFORE_KO.search(before[-60:])
        offset = max(0, trigger.start() - 60)
    else:
        found = _NAME_AFTER_ZH.match(after)
        offset = trigger.end()
        latin = None if found else _LATIN_AFTER_ZH.match(after)
        if latin and not _NOT_LATIN_NAMES.match(latin.group("name").split()[0]) and _says_ai(latin, after):
            name = latin.group("name")
            return name, offset + latin.start("name"), offset + latin.end("name")
    if not found:
        return None
    group = "feature" if "feature" in found.re.groupindex and found.group("feature") else "name"
    name, start = found.group(group).strip(), offset + found.start(group)
    if group == "feature":
        return name, start, start + len(name)  # "上线深度搜索功能": 功能 says what it is
    # "‘플로우 뮤직(Flow Music)’": the name the text gives in English, when it gives one
    english = re.search(r"\(\s?([A-Za-z][\w .+-]{1,30}?)\s?\)$", name)
    if english:
        start, name = start + english.start(1), english.group(1)
    elif "(" in name or len(name) > 20 or not re.search(r"[A-Za-z0-9]|^[가-힣\s]{2,12}$|^[\u4e00-\u9fff]{2,8}$", name):
        return None
    if _NOT_A_PRODUCT.search(name):
        return None  # "‘AI 기본법’을 발표했다", "‘2030 비전’을 공개했다": a law, a plan or a report
    if not _has_latin_name(name) and not _AI_KIND.search(sentence[min(start, trigger.start()) : max(start, trigger.end())]):
        return None  # "推出自研绘画软件「天生会画」", "外卖集合店": a word-only name needs an AI kind before it to be one of ours
    return name, start, start + len(name)


_HARDWARE = re.compile(r"芯片|笔记本|手机|平板|电脑|处理器|显卡|GPU|眼镜|耳机|手表|汽车|车型|新车|音箱|电视|相机|屏")


def _says_ai(latin: re.Match[str], after: str) -> bool:
    """An unquoted Latin name is one of ours when a model noun says so ("发布新模型 X", "推出 X 大模型"), or a
    product that generates ("发布产品 X，可生成 …"); a laptop or a chip is not."""
    clause = re.split(r"[。；;]", after)[0]
    if _HARDWARE.search(clause):
        return False
    kind = latin.group("kind") or ""
    if kind and kind not in ("产品", "新品"):
        return True
    tail = clause[latin.end() :]
    if re.match(r"\s?(?:大模型|模型|智能体)", tail):
        return True
    return bool(kind) and bool(re.search(r"生成|大模型|模型", tail))


def _has_latin_name(name: str) -> bool:
    """Latin letters that name something ("CX 엔터프라이즈", "Tasks"), not only "AI" or "LLM" in a description."""
    return bool(re.search(r"[A-Za-z]", re.sub(r"\b(?:AI|LLM|GPU|IT|ICT|SW)\b", "", name)))


# the clause's subject: "어도비는 20일 …", "Acme on Tuesday unveiled …" (a word, then the verb or a time)
_KO_TOPIC = re.compile(r"^\s*(?P<word>[가-힣]{2,10}|[A-Z][A-Za-z0-9-]{1,20})(?:은|는|이|가)\s")
_EN_SUBJECT = re.compile(r"^\s*(?P<word>[A-Z][A-Za-z0-9-]{1,20})\s(?:(?:has|have|on|this|last|today|quietly|officially|now|\w+day)\s?)*$")


def maker_heading_name(sentence: str, clause_start: int, trigger: re.Match[str], name: str,
                       name_start: int) -> tuple[str, str] | None:
    """The maker no list knows, when the clause's subject also heads the released name: "어도비는 …
    ‘어도비 CX 엔터프라이즈(Adobe CX Enterprise)’를 공개했다", "Acme unveiled Acme Forge, an AI agent".
    A company names its product after itself; a word that is both is that company (in English when
    the text gives the product's English name). Returns that name and the word as printed."""
    clause = sentence[clause_start:]
    if re.match(r"[가-힣]", trigger.group(0)):
        found = _KO_TOPIC.match(clause)
        if not found:
            return None
        word = found.group("word")
        if re.search(r"(?:정부|부|처|청|시|도|군|위원회|공사|공단)$", word):
            return None  # a ministry, a city or an agency names its programmes after itself, not products
        # the quotation that holds the name starts with the subject ("‘어도비 CX …’")
        opening = sentence.rfind("‘", 0, name_start + 1), sentence.rfind("'", 0, name_start + 1), sentence.rfind("“", 0, name_start + 1)
        quoted = sentence[max(opening) + 1 : name_start + len(name) + 1].lstrip() if max(opening) >= 0 else name
        if not re.match(rf"{re.escape(word)}\s", quoted + " "):
            return None
        english = name.split()[0] if name.isascii() and len(name.split()) > 1 else None
        return (english if english and re.fullmatch(r"[A-Z][A-Za-z0-9-]+", english) else word), word
    found = _EN_SUBJECT.match(sentence[clause_start : trigger.start()])
    if found and name.startswith(found.group("word") + " ") and found.group("word") not in ("The", "A", "An", "Its", "This"):
        return found.group("word"), found.group("word")
    return None


# "创企爱诗科技发布 …", "，星河智能推出 …": a Han company name by its suffix, right before the verb, after a role
# noun or the start of the clause
_ZH_MAKER_BEFORE = re.compile(
    r"(?:(?:初创公司|创业公司|初创企业|创企|独角兽|公司|厂商|企业)|(?:^|[，,。；;：:\s]))"
    r"(?P<word>[\u4e00-\u9fff]{2,4}(?:科技|智能|人工智能|实验室))\s?(?:今天|今日|昨天|也|已|正式|首次)?\s?$")


def maker_by_suffix(before_verb: str) -> str | None:
    """A Chinese maker no list knows, named by a company suffix right before the release verb."""
    found = _ZH_MAKER_BEFORE.search(before_verb)
    return re.sub(r"^(?:初创公司|创业公司|初创企业|创企|独角兽|公司|厂商|企业)", "", found.group("word")) if found else None
