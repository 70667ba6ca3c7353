"""Which name mentions are real: context rules for ambiguous names, roles of people.

The gazetteer finds every string that could be a name; this module decides.
An ambiguous alias ("R1", "메타", "Gemini", "MS") counts only when its article
also names the entity unambiguously, or its sentence names its developer, or
the name is quoted or followed by a word like "model".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.extract.candidates import EntityView, company_context_supports
from kb.extract.gazetteer import Gazetteer, NameMatch
from kb.extract.sentences import Sentence

__all__ = ["accept_mentions", "person_role", "ROLE_WORDS"]

_QUOTES_BEFORE = set("'\"‘“「『《<(（")
_MODEL_CONTEXT = re.compile(r"^\s*['\"’”」』》>)]?\s*(?:모델|model|模型|시리즈|series|버전|version|출시|공개)", re.IGNORECASE)
# a bare version ("V2", "R1", "K2", "Opus 4") written right after another Latin word is that word's version:
# "Lumora V2" is no DeepSeek-V2
_BARE_VERSION = re.compile(r"^(?:[A-Za-z]{1,2}\d|\d)")
_WORD_BEFORE = re.compile(r"(?<![\w'’])[A-Z][A-Za-z0-9]*[ \-]$")
_AI_CONTEXT = re.compile(r"AI|인공지능|人工智能|모델|model|模型|LLM|챗봇|chatbot|GPU|반도체|chip|빅테크|big tech|테크|tech", re.IGNORECASE)


def accept_mentions(matches: list[NameMatch], gazetteer: Gazetteer | EntityView, sentences: list[Sentence], text: str) -> list[NameMatch]:
    """Keep unambiguous mentions, and ambiguous ones that their context supports.

    A person named only in headline-like lines (related links, menus, captions: short, no full stop) is left out:
    the people of an article are named in its sentences."""
    in_body = {m.entity_id for m in matches if not _chrome_like(text, m.start)}
    matches = [m for m in matches if m.entity_id in in_body or gazetteer.entities[m.entity_id].type != "person"]
    sure = {m.entity_id for m in matches if not m.ambiguous}
    accepted = []
    for match in matches:
        if not match.ambiguous or match.entity_id in sure:
            accepted.append(match)
            continue
        sentence = _sentence_at(sentences, match.start)
        if sentence and _context_supports(match, gazetteer, matches, sentence, text):
            accepted.append(match)
    return accepted


def _chrome_like(text: str, position: int) -> bool:
    from kb.extract.people import in_link_list, unfinished_line

    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return unfinished_line(text[start : end if end >= 0 else len(text)]) or in_link_list(text, position)


def _sentence_at(sentences: list[Sentence], position: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= position < sentence.end:
            return sentence
    return None


def _context_supports(match: NameMatch, gazetteer: Gazetteer | EntityView, matches: list[NameMatch], sentence: Sentence, text: str) -> bool:
    entity = gazetteer.entities[match.entity_id]
    neighbours = [m for m in matches if sentence.start <= m.start < sentence.end and m is not match]
    if entity.type == "model":
        if _version_of_another_name(match, entity, gazetteer, neighbours, text):
            return False
        quoted = match.start > 0 and text[match.start - 1] in _QUOTES_BEFORE
        developer_named = any(m.entity_id == entity.developer for m in neighbours)
        return developer_named or (quoted and bool(neighbours)) or bool(_MODEL_CONTEXT.match(text[match.end : match.end + 12]) and neighbours)
    if entity.type == "company":
        return company_context_supports(match.text, match.start, match.end, sentence.text, text, bool(neighbours))
    if entity.type == "person":
        return any(m.entity_id == entity.organization for m in neighbours)
    return False


def _version_of_another_name(match: NameMatch, entity, gazetteer: Gazetteer | EntityView, neighbours: list[NameMatch],
                             text: str) -> bool:
    """A bare version glued to a Latin word that names neither its developer nor its family names another product."""
    if not _BARE_VERSION.match(match.text) or not _WORD_BEFORE.search(text, max(0, match.start - 30), match.start):
        return False
    for m in neighbours:
        if m.end in (match.start - 1, match.start):
            before = gazetteer.entities.get(m.entity_id)
            if m.entity_id in (entity.developer, entity.id) or (before and entity.family and before.name == entity.family):
                return False
    return True


# ---------------------------------------------------------------- people's roles

@dataclass(frozen=True)
class _Role:
    pattern: re.Pattern[str]
    role: str


_ROLE_TABLE: list[tuple[str, str]] = [
    (r"\(?\b(CEO|CTO|CFO|CPO|COO|CSO|CIO|CMO|CRO)\b\)?", "{0}"),
    (r"최고경영자|대표이사|chief executive(?: officer)?|首席执行官|首席执行长", "CEO"),
    (r"최고기술책임자|chief technology officer|首席技术官", "CTO"),
    (r"최고재무책임자|chief financial officer|首席财务官", "CFO"),
    (r"최고제품책임자|chief product officer|首席产品官", "CPO"),
    (r"최고운영책임자|chief operating officer|首席运营官", "COO"),
    (r"최고과학자|수석\s?과학자|chief (?:AI )?scientist|首席科学家", "chief scientist"),
    (r"공동\s?창업자|공동\s?설립자|co-?founder|联合创始人", "co-founder"),
    (r"창업자|설립자|founder|创始人", "founder"),
    (r"회장|chairman|chairwoman|chair\b|董事长", "chairman"),
    (r"사장|president|总裁", "president"),
    (r"부사장|vice president|副总裁", "vice president"),
    (r"대표(?!\s?(?:이사|벤처|기업|적|작|주자|선수|모델|사례|제품|브랜드|상품))", "CEO"),
    (r"负责人|head of [A-Za-z]+(?: [A-Za-z]+)?", "head"),
    (r"장관|minister|部长", "minister"),
    (r"차관|vice minister|副部长", "vice minister"),
    (r"연구원|researcher|研究员", "researcher"),
    (r"애널리스트|분석가|analyst|分析师", "analyst"),
    (r"이코노미스트|economist|经济学家", "economist"),
    (r"교수|professor|教授", "professor"),
    (r"판사|judge|法官", "judge"),
    (r"의원|lawmaker|senator|congress(?:man|woman)|议员", "lawmaker"),
    (r"위원장|committee chair", "committee chair"),
    (r"대변인|spokes(?:person|man|woman)|发言人", "spokesperson"),
    (r"기자(?!회견|간담회|단|실)|reporter|journalist|记者", "reporter"),
    (r"총경리|general manager|总经理", "general manager"),
    (r"파트너(?!십|사)|partner(?!ship|s? (?:with|of))|合伙人", "partner"),
    (r"이사(?!회|장)|director|总监", "director"),
]
ROLE_WORDS = [_Role(re.compile(p, re.IGNORECASE), r) for p, r in _ROLE_TABLE]


def person_role(text: str, match: NameMatch, company_matches: list[NameMatch], sentence: Sentence) -> tuple[str | None, str | None]:
    """Role and organisation stated next to a person's name, if the sentence states them.

    Covers the appositions of the three languages: "샘 올트먼 오픈AI 최고경영자(CEO)",
    "Anthropic CEO Dario Amodei", "Sam Altman, OpenAI's chief executive", "OpenAI首席执行官萨姆·奥尔特曼".
    """
    after_end = min(sentence.end, match.end + 40)
    before_start = max(sentence.start, match.start - 40)
    after = text[match.end : after_end]
    before = text[before_start : match.start]
    role, role_at = None, None
    # Chinese puts the title before the name (英伟达首席执行官黄仁勋): look there first
    title_first = bool(re.match(r"[\u4e00-\u9fff]", match.text))
    before_found = _first_role(before, from_end=True, adjacent=True)
    after_found = _first_role(after, from_end=False)
    if title_first and before_found:
        role, role_at = before_found[0], before_start + before_found[1]
    elif after_found:
        role, role_at = after_found[0], match.end + after_found[1]
    elif before_found:
        # "Anthropic CEO Dario Amodei", "OpenAI's chief executive, Sam Altman": the title touches the name
        role, role_at = before_found[0], before_start + before_found[1]
    if role is None:
        return None, None
    # The organisation is the company named between the name and the role, or next to them.
    low, high = sorted((match.start, role_at))
    between = [c for c in company_matches if low - 30 <= c.start <= high + 5 and sentence.start <= c.start < sentence.end]
    organisation = min(between, key=lambda c: abs(c.start - role_at)).entity_id if between else None
    return role, organisation


def _first_role(segment: str, *, from_end: bool, adjacent: bool = False) -> tuple[str, int] | None:
    hits = []
    for role in ROLE_WORDS:
        if adjacent and role.pattern.pattern.startswith("대표"):
            continue  # 대표 before a name is an adjective ("대표 벤처투자가"), not a title
        for found in role.pattern.finditer(segment):
            if adjacent and segment[found.end() :].strip(" ,") != "":
                continue
            name = role.role.format(found.group(1) if found.groups() else "")
            hits.append((found.start(), name))
    if not hits:
        return None
    hits.sort()
    position, name = hits[-1] if from_end else hits[0]
    # 최고경영자(CEO): the Korean title and its English abbreviation are one role
    return name, position
