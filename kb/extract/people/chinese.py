"""Chinese names: jieba's person tag next to a title or a speech verb, and names joined by a middle dot."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from kb.extract.gazetteer import Gazetteer
from kb.extract.sentences import Sentence
from kb.extract.people.base import PersonHit, Span, overlaps_known, sentences

_ZH_ROLES = (
    "创始人兼CEO 创始人兼首席执行官 联合创始人 创始人 首席执行官 首席技术官 首席科学家 首席财务官 首席运营官 首席产品官 首席分析师 "
    "CEO CTO CFO COO 董事长 董事 副董事长 总裁 副总裁 高级副总裁 执行副总裁 总经理 副总经理 负责人 合伙人 主席 经理 总监 "
    "教授 副教授 研究员 分析师 科学家 工程师 院长 所长 校长 部长 主任 议员 参议员 总统 总理 法官 律师 发言人 高管 主管 掌门人 "
    "首席 创办人 发起人 董事会主席 研究主管 工程师 总裁兼CEO 执行董事"
).split()
_ZH_ROLE = re.compile(r"(?:" + "|".join(sorted(map(re.escape, _ZH_ROLES), key=len, reverse=True)) + r"|首席[\u4e00-\u9fff]{1,4}官)$")
# What a sentence needs before jieba reads it: a title, a speech verb, or an English original in brackets
# of two or three words (the only bracket _chinese_line uses; a bare "(AI)" yields no name)
_ZH_EVIDENCE = re.compile("|".join(map(re.escape, _ZH_ROLES)) + r"|首席|研究组|课题组|团队|表示|称|说|指出|认为|透露|介绍|坦言|强调|回应|发文|写道|告诉|提到|解释|补充|预计|预测|宣布|直言|评价|谈到"
                          r"|[（(](?:[A-Z][a-zA-Z'’-]+\s){1,2}[A-Z][a-zA-Z'’-]+[)）]")
_ZH_NOT_ROLE = ("记者", "编辑", "作者", "责编", "编译", "撰文", "摄影", "来源")
ZH_CUE = re.compile(r"^(?:研究组|课题组|研究团队|团队|实验室|表示|称|说|指出|认为|透露|介绍|坦言|强调|回应|发文|写道|告诉|提到|解释|补充|预计|预测|宣布|直言|评价|分析|谈到|在接受)")
_ZH_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤闻阎俞")
_DOTTED = re.compile(r"(?<![·・•‧])([\u4e00-\u9fff]{1,7}(?:[·・•‧][\u4e00-\u9fff]{1,8}){1,2})(?![\u4e00-\u9fff]*[·・•‧])")
_ZH_ROLE_NAME_CUE = re.compile(
    r"(?:" + "|".join(sorted(map(re.escape, _ZH_ROLES), key=len, reverse=True)) + r")\s?([\u4e00-\u9fff]{2,3}?)(?=(?:也|则|还|曾|就|再次|此前|今日|今天|昨日|昨天|近日|日前)?(?:发文)?(?:表示|称|说|指出|认为|透露|介绍|坦言|强调|回应|告诉|提到)|是|也|向|在|对|与|将|已|于|，|、|。|（|\()"
)
_ZH_STOP_NAMES = {"人工智能", "大模型", "公司", "表示", "透露", "官方", "团队", "媒体", "外媒", "消息", "报道", "用户", "网友", "市场", "行业"}


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg


def chinese_people(text: str, gazetteer: Gazetteer, split: list[Sentence] | None = None) -> Iterator[PersonHit]:
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 50 or len(re.findall(r"[가-힣]", text)) > 20:
        return
    found: list[PersonHit] = []
    for match in _DOTTED.finditer(text):
        cut, name = _trim_dotted(match.group(1))
        start = match.start(1) + cut
        parts = re.split(r"[·・•‧]", name)
        if any(len(p) < 1 for p in parts) or len(name) < 4 or _chrome_line(text, match.start()):
            continue
        if overlaps_known(gazetteer, name) or any(overlaps_known(gazetteer, p) for p in re.split(r"[·・•‧]", name)):
            continue  # 豆包·语音: a product line, not a person
        found.append(_zh_hit(text, name, start, None))
    for match in _ZH_ROLE_NAME_CUE.finditer(text):
        name = match.group(1)
        if name[0] in _ZH_SURNAMES and not _chrome_line(text, match.start()) and name not in _ZH_STOP_NAMES:
            found.append(_zh_hit(text, name, match.start(1), None))
    # jieba reads only the sentences that hold a title, a speech verb or a bracketed original (as Kiwi above)
    for start, sentence in sentences(text, r"[\u4e00-\u9fff]", split):
        if _ZH_EVIDENCE.search(sentence) and not _chrome_line(text, start):
            found.extend(_chinese_line(sentence, start, list(_jieba().cut(sentence)), gazetteer))
    taken: list[Span] = []
    for hit in sorted(found, key=lambda h: (h.start, -(h.end - h.start))):
        if any(s < hit.end and hit.start < e for s, e in taken):
            continue
        taken.append((hit.start, hit.end))
        yield hit


def _trim_dotted(name: str) -> tuple[int, str]:
    """由阿米莉亚·哈特接替 → 阿米莉亚·哈特: a dotted name written flush against the words around it, cut where
    jieba's words stop looking like parts of a name. Returns how many characters were cut in front, and the name."""
    head, dot, rest = re.split(r"([·・•‧])", name, maxsplit=1)
    words = list(_jieba().cut(head))
    kept = [words.pop()]  # the word at the dot is part of the name
    while words and (words[-1].flag.startswith("nr") or len(words[-1].word) == 1 and words[-1].flag in ("ns", "nr", "x")):
        kept.insert(0, words.pop())
    front = "".join(w.word for w in kept)
    return len(head) - len(front), front + dot + _trim_back(rest)


_ZH_NOT_IN_NAME = ("u", "p", "c", "d", "v", "r", "f", "y", "t", "q")


def _trim_back(rest: str) -> str:
    """约翰逊配音的 → 约翰逊: the last part of a dotted name ends where a word that is no name fragment begins."""
    parts = re.split(r"([·・•‧])", rest)
    words = list(_jieba().cut(parts[-1]))
    kept = words[0].word
    for word in words[1:]:
        fragment = word.flag.startswith("nr") or len(word.word) == 1 and word.flag[:1] not in _ZH_NOT_IN_NAME
        if not fragment or len(kept) >= 5:
            break  # 约翰逊 | 配音, 古尔曼 | 今天
        kept += word.word
    return "".join(parts[:-1]) + kept


def _chrome_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    byline = r"(?:作者|编辑|责编|编译|撰文|摄影|出品)\W{0,4}[|｜]"
    return bool(re.search(byline, line) or re.match(r"[\W_]{0,6}(?:作者|编辑|责编|来源)\W{0,3}[:：]", line)) or len(line) < 20 and any(
        word in line for word in _ZH_NOT_ROLE)


def _chinese_line(line: str, offset: int, words: list, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    positions, at = [], 0
    for pair in words:
        positions.append(at)
        at += len(pair.word)
    if at != len(line):
        return  # jieba dropped characters: offsets would be wrong
    for index, pair in enumerate(words):
        word, flag = pair.word, pair.flag
        if flag not in ("nr", "nrfg", "nrt") or not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", word) or word in _ZH_STOP_NAMES:
            continue
        if overlaps_known(gazetteer, word):
            continue
        previous = "".join(w.word for w in words[max(0, index - 3) : index])
        following = "".join(w.word for w in words[index + 1 : index + 3])
        previous = previous.rstrip()
        role_before = bool(_ZH_ROLE.search(previous)) and not any(previous.endswith(w) for w in _ZH_NOT_ROLE)
        cue_after = bool(ZH_CUE.match(following))
        paren = re.match(r"\s?[（(]((?:[A-Z][a-zA-Z'’-]+\s){1,2}[A-Z][a-zA-Z'’-]+)[)）]", line[positions[index] + len(word) :])
        if flag == "nrt" and not (role_before and cue_after) and not paren:
            continue  # nrt is jieba's tag for transliterations, brands included: ask for more evidence
        if flag != "nrt" and word[0] not in _ZH_SURNAMES and not paren and not (role_before and cue_after):
            continue
        if role_before or cue_after or paren:
            yield _zh_hit(line, word, positions[index], paren.group(1) if paren else None, offset)


def _zh_hit(text: str, name: str, start: int, english: str | None, offset: int = 0) -> PersonHit:
    if english is None:
        paren = re.match(r"\s?[（(]((?:[A-Z][a-zA-Z'’-]+\s){1,2}[A-Z][a-zA-Z'’-]+)[)）]", text[start + len(name) :])
        english = paren.group(1) if paren else None
    return PersonHit(english or name, offset + start, offset + start + len(name))
