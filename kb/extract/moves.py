"""Executive changes: who moved, from which company to which, in what role.

"업스테이지는 이지현 전 크래프톤 재무실장을 CFO로 영입", "is stepping down to join Meta",
"加盟月之暗面，出任首席科学家": a hire names the company joined after its verb (or before it,
in Korean) and may name the former one ("전", "from"); a departure names the company left as
its object. A company that another verb governs ("회사를 떠나 SSI를 세웠고") is neither.
"""

from __future__ import annotations

import re

from kb.extract.entities import ROLE_WORDS, person_role
from kb.extract.gazetteer import NameMatch
from kb.extract.sentences import Sentence

__all__ = ["FORMER", "JOIN", "executive_companies", "move"]

JOIN = re.compile(r"영입|선임|임명|합류|맡|hired|hires|appointed|named|join|加盟|任命|出任", re.IGNORECASE)
FORMER = re.compile(r"(?:전|前|former|ex-)\s?$", re.IGNORECASE)


def executive_companies(sentence: Sentence, companies: list[NameMatch], trigger: re.Match[str], text: str) -> list[NameMatch]:
    """The company an executive joins or leaves, first.

    "… 엑스(X)에 올린 글에서 오픈AI를 떠나기로": a departure names the company by its verb.
    "업스테이지는 이지현 전 크래프톤 재무실장을 … 영입", "will join Cohere", "加盟月之暗面": a hire
    names the company after "join", else the nearest one before the verb that is not a former employer.
    """
    trigger_at, trigger_end = sentence.start + trigger.start(), sentence.start + trigger.end()
    by_distance = sorted(companies, key=lambda c: min(abs(c.end - trigger_at), abs(c.start - trigger_end)))
    if not JOIN.search(trigger.group(0)):
        # "오픈AI를 떠나", "left OpenAI", "离开OpenAI": the company left is the verb's object; else the one
        # named before the verb ("OpenAI executive Brad Lightcap announced his departure"), never one after
        # it that another verb governs ("회사를 떠나 SSI를 세웠고")
        korean = bool(re.match(r"[가-힣]", trigger.group(0)))
        objects = [c for c in companies if (not korean and trigger_end <= c.start <= trigger_end + 15
                                            and not re.search(r"\b(?:to|join\w*|for)\b|加盟|加入", text[trigger_end : c.start]))
                   or (c.end <= trigger_at and trigger_at - c.end <= 8 and re.match(r"[)'’\"”]*\s?(?:을|를|에서)", text[c.end : c.end + 4]))]
        before = [c for c in by_distance if c.end <= trigger_at]
        first = (objects + before)[:1]
        destinations = [c for c in companies if c.start >= trigger_end and _TO_BEFORE.search(text[max(0, c.start - 12) : c.start])]
        return first + [c for c in before + destinations if c not in first]
    after = [c for c in companies if trigger_end <= c.start <= trigger_end + 12]
    current = [c for c in companies if c.end <= trigger_at and not FORMER.search(text[max(0, c.start - 8) : c.start])]
    first = after[:1] or current[-1:] or by_distance[:1]
    return first + [c for c in by_distance if c not in first]


_LEAVE = re.compile(r"사임|퇴사|물러나|떠나|steps? down|stepped down|stepping down|resign\w*|leav(?:es|ing)|left\b|quit\w*|离职|离开|卸任", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"(?:\b(?:from|left|leaving|leaves)\s(?:the\s)?|(?:전|前|former|ex-)\s?)$", re.IGNORECASE)
_TO_BEFORE = re.compile(r"(?:\b(?:join|joins|joined|joining|to)\s(?:the\s)?|加盟|加入|出任)$", re.IGNORECASE)


def move(sentence: Sentence, trigger: re.Match[str], companies: list[NameMatch], person: NameMatch, text: str) -> dict:
    """Who went from where to where, in what role: what a reader of an executive change wants.

    A hire names the company joined ("영입", "will join Cohere", "加盟月之暗面") and may name the former one
    ("전 크래프톤", "from Google DeepMind"); a departure names the company left, and may say where to.
    """
    joining = bool(JOIN.search(trigger.group(0)))
    details: dict = {}
    if companies:
        side = "to" if joining or _TO_BEFORE.search(text[max(0, companies[0].start - 12) : companies[0].start]) else "from"
        details[side] = companies[0].entity_id
    # "Scale AI said its chief executive is stepping down to join Meta": leaving one to join the other
    leaving_first = joining and _LEAVE.search(text[sentence.start : sentence.start + trigger.start()])
    for company in companies[1:]:
        before = text[max(0, company.start - 12) : company.start]
        if joining and "from" not in details and (_FROM_BEFORE.search(before) or (leaving_first and company.end <= sentence.start + trigger.start())):
            details["from"] = company.entity_id
        elif not joining and "to" not in details and _TO_BEFORE.search(before):
            details["to"] = company.entity_id
    role = _new_role(text, sentence, trigger) if joining else None
    title, organisation = person_role(text, person, companies, sentence)
    if role is None and title and (organisation is None or organisation == details.get("to" if joining else "from")):
        role = title  # "Dana Whitfield, chief executive of Lattice Forge" left Lattice Forge as its chief executive
    elif joining and organisation and organisation != details.get("to") and "from" not in details:
        details["from"] = organisation  # "ASML's chief financial officer will join Mistral": he comes from ASML
    if role:
        # which side the role was held at: the post joined, or the one left ("its chief executive … is
        # stepping down to join Meta" was chief executive of the company left, not of Meta)
        details["role"] = role
        side = "to" if joining else "from"
        if details.get(side):
            details["role_at"] = details[side]
    return details


def _new_role(text: str, sentence: Sentence, trigger: re.Match[str]) -> str | None:
    """The role someone is hired into: "join Cohere as chief technology officer", "CFO로 영입", "出任首席科学家"."""
    trigger_at, trigger_end = sentence.start + trigger.start(), sentence.start + trigger.end()
    after = text[trigger_end : min(sentence.end, trigger_end + 60)]
    before = text[max(sentence.start, trigger_at - 40) : trigger_at]
    spans = []
    found = re.search(r"\bas\s(?:(?:its|the|a|an)\s)?(?:new\s|first\s)?(.{0,40})", after, re.IGNORECASE)
    if found:
        spans.append(found.group(1))
    if re.match(r"出任|担任", trigger.group(0)):
        spans.append(after[:15])
    found = re.search(r"([^\s]{1,20})\s?\(?[A-Z]{0,4}\)?(?:로|으로)\s?(?:\S+\s)?$", before)
    if found:
        spans.append(found.group(1) + before[found.end(1) : found.end(1) + 8])
    for span in spans:
        hits = [(m.start(), r.role.format(*m.groups()) if m.groups() else r.role) for r in ROLE_WORDS for m in [r.pattern.search(span)] if m]
        if hits:
            return min(hits)[1]
    return None
