"""Names the gazetteer does not know yet: new models, startups and executives.

The press names a new model the way it named the old ones ("GPT-5.6-Cyber",
"Claude Opus 5", "하이퍼클로바X 씽크 2"), introduces a new company with a
noun in front ("AI 스타트업 뉴로포지", "Lumora Labs Inc.", "星河智算公司") and a
new executive by apposition ("박지현 뉴로포지 대표", "Lumora CEO Dana
Whitfield"). Those shapes are what this module looks for. What it finds is a
*candidate*: stored with its evidence, linked to a developer when the sentence
says so, never merged into the curated gazetteer without review.
"""

from __future__ import annotations

import re
import unicodedata
from collections import ChainMap, Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kb.extract.gazetteer import Entity, Gazetteer, NameMatch, normalise_name
from kb.extract.people import find_people, in_link_list, plausible_name

__all__ = ["EntityView", "find_candidates", "candidate_id"]

# Version tokens and variant words that follow a family name.
_VARIANTS_EN = (
    "Pro Max Mini mini Flash Lite Nano Opus Sonnet Haiku Turbo Ultra Plus Instruct Thinking Think Coder Cyber Scout "
    "Maverick Behemoth Omni Vision Reasoner Chat Deep Preview Exp Air Edge Fast Heavy Large Medium Small Base Reasoning "
    "Research Agent Audio Realtime Codex High Low Next Seed Terminus VL Reasoning Embed"
).split()
_VARIANTS_KO = {
    "미니": "mini", "프로": "Pro", "씽크": "THINK", "싱크": "THINK", "플래시": "Flash", "터보": "Turbo", "울트라": "Ultra",
    "맥스": "Max", "라이트": "Lite", "오퍼스": "Opus", "소네트": "Sonnet", "하이쿠": "Haiku", "나노": "Nano", "딥": "Deep",
    "비전": "Vision", "플러스": "Plus", "에이전트": "Agent", "터미누스": "Terminus", "리즈닝": "Reasoning",
}
_VERSION = r"(?:[vVkKrRxXmMaA]?\d+(?:\.\d+)*[a-zA-Z]?(?:B|b)?)"
_VARIANT = "(?:" + "|".join(sorted(_VARIANTS_EN + list(_VARIANTS_KO), key=len, reverse=True)) + ")"
_STOP_VERSIONS = re.compile(r"^\d{3,}$|^(?:19|20)\d\d$")  # "GPT 2025", "Claude 100" are not versions

# Korean particles that may end a candidate's eojeol
_PARTICLE_TAIL = re.compile(
    r"(?:이라는|라는|으로는|에서는|에게서|으로|에서|에게|까지|부터|처럼|보다|와의|과의|이며|이자|"
    r"이|가|은|는|을|를|의|와|과|도|로|에|측|사)$"
)

_ROLE = (
    r"CEO|CTO|CFO|CPO|COO|최고경영자|대표이사|대표|의장|회장|사장|부사장|창업자|공동\s?창업자|설립자|최고기술책임자|최고제품책임자|"
    r"수석\s?과학자|연구소장|센터장|본부장|총괄|최고[가-힣A-Z]{1,6}책임자|[가-힣A-Za-z]{0,6}(?:실장|랩장|팀장|부문장|지사장|상무|전무)"
)
_ROLE_EN = (
    r"CEO|CTO|CFO|CPO|COO|chief executive(?: officer)?|chief technology officer|chief product officer|chief scientist|"
    r"co-?founder(?: and (?:chief executive|CEO))?|founder|(?:vice |senior vice )?president|chairman|chairwoman|general counsel|"
    r"chief (?:[A-Za-z]+ ){0,2}officer|head of [a-z]+(?: [a-z]+)?"
)
_ROLE_ZH = (r"创始人兼CEO|创始人兼首席执行官|联合创始人|创始人|首席执行官|CEO|董事长|副总裁|总裁|首席科学家|首席技术官|首席[\u4e00-\u9fff]{1,4}官|"
            r"CTO|负责人|总经理|院长|研究员|工程师|高管")

_KO_COMPANY = re.compile(
    r"(?:AI|인공지능|국내|미국|중국|프랑스|영국|이스라엘|일본|독일|캐나다|유니콘|생성형\s?AI|딥테크|반도체|로봇)?\s?"
    r"(?:스타트업|기업|업체|개발사|회사|팹리스)\s([가-힣A-Za-z][가-힣A-Za-z0-9]{1,14})"
)
_KO_COMPANY_STOP = {
    "대표", "관계자", "측", "중", "가운데", "등", "대부분", "들", "간", "역시", "모두", "이", "그", "투자", "경영진", "임원",
    "시장", "처음", "데이터", "고객", "수요", "자금", "설명", "제품", "서비스", "기술", "모델", "사업", "경쟁", "성장", "매출",
    "주가", "규모", "전략", "입장", "내부", "외부", "직원", "인력", "가치", "실적", "상장", "인수", "협력", "차원", "최초", "최대",
}
_EN_COMPANY = re.compile(
    r"\b((?:[A-Z][a-z0-9]+|[A-Z]{2,})(?:\s(?:[A-Z][a-z0-9]+|[A-Z]{2,}|AI)){0,2})\s(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|SAS|Co)\b\.?"
    r"|\b(?:startup|start-up|company|firm|lab)\s((?:[A-Z][a-z0-9]+)(?:\s(?!Inc\b|Corp\b|Ltd\b|LLC\b)(?:[A-Z][a-z0-9]+|AI|Labs)){0,2})\b"
    r"|\b([A-Z][a-z0-9]+\s(?:Labs|Lab|Robotics|Technologies|Systems|Intelligence|Dynamics))\b"
)
_EN_COMPANY_STOP = {"The", "This", "That", "Its", "Our", "A", "An", "Chinese", "American", "French", "Korean", "Silicon", "Valley",
                    "New", "York", "San", "Francisco", "Research", "Its", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
_ZH_COMPANY = re.compile(
    r"(?:(?<=[，。、“”（）()：:\s的由与和将被方])|^)(?:北京|上海|杭州|深圳|广州)?([\u4e00-\u9fff]{2,6}?)(?:智能科技有限公司|科技有限公司|有限公司|公司|集团|实验室)"
)
_ZH_COMPANY_STOP = {"这家", "该", "本", "母", "子", "上市", "科技", "创业", "一家", "多家", "两家", "初创", "人工智能", "大模型",
                    "模型", "芯片", "云计算", "互联网", "这", "该家", "其", "中国", "美国", "国内", "海外", "国外", "全球"}


# "Jane Doe, chief executive of Acme AI" / "the CTO at Nova Labs"
_EN_ROLE_OF = re.compile(
    r"\b(?:" + _ROLE_EN + r")\s(?:of|at)\s((?:[A-Z][\w&\-]*)(?:\s(?:[A-Z][\w&\-]*|AI|Labs)){0,2})\b"
)
# "Acme AI CEO Jane Doe"
_EN_ORG_ROLE_NAME = re.compile(
    r"\b((?:[A-Z][\w&\-]*)(?:\s(?:[A-Z][\w&\-]*|AI)){0,2})(?:['’]s)?\s(?:CEO|CTO|CFO|COO|CPO|chief executive|co-?founder|founder)\s"
    r"(?=[A-Z][a-z]+\s[A-Z][a-z]+)"
)
# "新创公司星河智能首席技术官…": the noun comes first in Chinese
_ZH_COMPANY_BEFORE = re.compile(
    r"(?:初创公司|创业公司|新创公司|AI公司|人工智能公司|大模型公司|独角兽)([\u4e00-\u9fff]{2,6}?)"
    r"(?=首席|创始人|联合创始人|CEO|董事长|总裁|的|宣布|发布|推出|表示|称|，|、|（|\()"
)
_KO_NOT_NAMES = {"이사회", "부사장", "공동대", "전임자", "신임대", "주요국", "대표단", "사업부", "연구소", "위원회", "경영진", "이번에"}
_EN_NAME = r"(?:[A-Z][\w&\-]*[a-zA-Z0-9])(?:\s(?:[A-Z][\w&\-]*|AI))?(?:\s(?:Capital|Ventures|Partners|Health|Labs|Technologies))?"
_COMPANY_CUES = [
    re.compile(r"\b(?:led by|backed by|acquired by|bought by|backer|investors?|maker|rival|owner|operator|provider|developer)\s(?:the\s)?(" + _EN_NAME + r")\b"),
    re.compile(r"\b(?:companies|firms|startups|start-ups),?\s(?:including\s|such as\s)?(" + _EN_NAME + r"),\s(" + _EN_NAME + r")"
               r"(?:,\s(" + _EN_NAME + r"))?(?:,?\sand\s(" + _EN_NAME + r"))?"),
    re.compile(r"(?:^|\.\s|\n)(" + _EN_NAME + r"),\s(?:a|an)\s(?:[\w-]+\s){0,4}(?:startup|start-up|company|app|firm|maker|developer|lab)\b"),
    re.compile(r"(?:협력사|투자사|투자자|자회사|모회사|경쟁사|고객사|운영사)인?\s([A-Za-z가-힣][A-Za-z0-9가-힣]{1,12}?)(?=와|과|를|을|이|가|의|는|은|를|\s|,)"),
    re.compile(r"(?<![가-힣A-Za-z])([A-Z]{2,5}[가-힣]{2,8}|[가-힣]{2,8}[A-Z]{2,4})(?:이|가)\s(?:주도|이끈|참여)"),
    re.compile(r"由([A-Za-z0-9\u4e00-\u9fff]{2,8}?)(?:领投|牵头|主导)"),
    re.compile(r"(?:、|，)([A-Za-z0-9\u4e00-\u9fff]{2,8}?)(?:跟投|参投)"),
    re.compile(r"(?:平台|运营方|投资方)([\u4e00-\u9fff]{2,6}?)(?=以|将|宣布|发布|称|表示|对|起诉)"),
]
# Korean family names, for "김철수 대표는" with no organisation beside it.
_KO_SURNAMES = "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감"


_EN_NAMED_MODEL = re.compile(
    r"\b([A-Z][A-Za-z]+(?:[\s-][A-Z][A-Za-z]*)*[\s-]\d+(?:\.\d+)*[A-Za-z]?(?:[\s-](?:[A-Z][A-Za-z]*|\d+[BbKkMm]?))*)"
    r"\s(?:[a-z][a-z-]+\s){0,2}models?\b"
)


@dataclass(frozen=True)
class Candidate:
    type: str
    name: str
    start: int
    end: int
    text: str
    developer: str | None = None
    organization: str | None = None
    role: str | None = None


def candidate_id(entity_type: str, name: str) -> str:
    slug = re.sub(r"[^\w.]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    return f"new-{entity_type}-{slug}"


class EntityView:
    """The gazetteer plus this article's candidates, looked up as one."""

    def __init__(self, gazetteer: Gazetteer, extra: Iterable[Entity] = ()):
        self.gazetteer = gazetteer
        self.extra = {e.id: e for e in extra}
        self.entities = ChainMap(self.extra, gazetteer.entities)

    def get(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None


@lru_cache(maxsize=4)
def _families(gazetteer: Gazetteer) -> tuple[re.Pattern[str], dict[str, tuple[str, str | None]]]:
    """Family words (GPT, Claude, 클로드, 하이퍼클로바X …) → (English family, developer), as one regex."""
    counts: dict[str, Counter] = {}
    english: dict[str, str] = {}
    for model in gazetteer.of_type("model"):
        first_en = re.match(r"[A-Za-z][A-Za-z]*(?:[A-Z]| X)?", model.name)
        for _, alias in model.all_aliases():
            head = re.match(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[가-힣]+X?|[A-Za-z]", alias)
            if not head:
                continue
            word = head.group(0).rstrip("-")
            if len(word) < 2 and word != "o" or word.lower() in {"the", "openai", "google", "meta", "chatgpt"}:
                continue
            counts.setdefault(word, Counter())[model.developer] += 1
            if first_en:
                english.setdefault(word, first_en.group(0))
    table = {word: (english.get(word, word), c.most_common(1)[0][0]) for word, c in counts.items()}
    words = sorted(table, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9가-힣])(" + "|".join(re.escape(w) for w in words) + r")"
        r"((?:\s?\([A-Za-z][A-Za-z\s]*\))?(?:[\s\-]?(?:" + _VERSION + r"(?![A-Za-z%\d]|\.\d|\s?%)|" + _VARIANT
        + r"(?=(?:은|는|이|가|을|를|의|와|과|도|로|으로|에|에서)?(?![가-힣A-Za-z%\d]))))+)"
    )
    return pattern, table


def _canonical_model_name(family_en: str, rest: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", rest.strip(" -")) if p]
    parts = [_VARIANTS_KO.get(p, p) for p in parts]
    if family_en == "o":
        return "o" + "-".join(parts)
    separator = "-" if family_en in ("GPT", "DeepSeek", "GLM") else " "
    return family_en + separator + separator.join(parts) if parts else family_en


def _named_again(text: str, name: str, first: int) -> bool:
    """A company the article is about is named more than once, or spelt out in Latin letters
    right away ("퍼플렉시티(Perplexity)"); a common noun after "기업" usually is not."""
    if text.count(name) >= 2:
        return True
    return bool(re.match(r"\s?[(（][A-Za-z]", text[first + len(name) : first + len(name) + 3]))


def find_candidates(text: str, gazetteer: Gazetteer, known: list[NameMatch]) -> tuple[list[Entity], list[NameMatch]]:
    """New entities and their mentions; known matches that a longer new name contains are replaced."""
    pattern, families = _families(gazetteer)
    entities: dict[str, Entity] = {}
    mentions: list[NameMatch] = []
    taken = [(m.start, m.end) for m in known]

    def overlaps(start: int, end: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in taken if s < end and start < e]

    # -- models by shape: family + version or variant
    for match in pattern.finditer(text):
        family, rest = match.group(1), re.sub(r"^\s?\([^)]*\)", "", match.group(2))  # 엑사원(EXAONE) 5.0
        versions = re.findall(r"\d+(?:\.\d+)*", rest)
        if not versions and not re.search(r"[A-Za-z가-힣]", rest):
            continue
        if versions and any(_STOP_VERSIONS.match(v) for v in versions):
            continue
        span = (match.start(), match.end() - (len(rest) - len(rest.rstrip())))
        written = text[span[0] : span[1]]
        if gazetteer.by_name(written):
            continue  # a known name: the gazetteer's match stands
        inside = overlaps(*span)
        if any(e - s >= span[1] - span[0] for s, e in inside):
            continue
        if family not in families:
            continue
        family_en, developer = families[family]
        # written in Latin letters, the name is kept as the press wrote it (Doubao-Seed-2.5, GPT-5.6-Cyber)
        name = " ".join(written.split()) if re.fullmatch(r"[A-Za-z0-9.\-\s]+", written) else _canonical_model_name(family_en, rest)
        known_name = gazetteer.by_name(name)
        entity = known_name or Entity(id=candidate_id("model", name), type="model", name=name, developer=developer,
                                      kind="candidate", family=normalise_name(family_en))
        entities.setdefault(entity.id, entity)
        mentions.append(NameMatch(entity.id, written, written, span[0], span[1], False))
        taken.append(span)

    # -- models introduced by the word model: "Cohere's Embed 4 retrieval model", "its Rerank 3.5 model"
    for match in _EN_NAMED_MODEL.finditer(text):
        name, span = match.group(1), match.span(1)
        if gazetteer.by_name(name) or overlaps(*span) or name.split()[0] in _EN_COMPANY_STOP:
            continue
        owner = re.search(r"([A-Z][\w&\-]*(?:\s[A-Z][\w&\-]*)?)['’]s\s$", text[max(0, span[0] - 30) : span[0]])
        developer = gazetteer.by_name(owner.group(1)) if owner else None
        entity = Entity(id=candidate_id("model", name), type="model", name=name, kind="candidate",
                        developer=developer.id if developer and developer.type == "company" else None)
        entities.setdefault(entity.id, entity)
        mentions.append(NameMatch(entity.id, name, name, span[0], span[1], False))
        taken.append(span)

    # -- companies introduced by a noun
    def add_company(name: str, start: int, end: int) -> None:
        if overlaps(start, end) or gazetteer.by_name(name) or len(name) < 2:
            return
        entity = Entity(id=candidate_id("company", name), type="company", name=name, kind="candidate")
        entities.setdefault(entity.id, entity)
        mentions.append(NameMatch(entity.id, name, text[start:end], start, end, False))
        taken.append((start, end))

    for match in _KO_COMPANY.finditer(text):
        word = match.group(1)
        stripped = _PARTICLE_TAIL.sub("", word) if len(word) > 2 else word
        strong = bool(re.search(r"스타트업|개발사|팹리스|AI\s?기업|인공지능\s?기업", match.group(0)))
        if stripped in _KO_COMPANY_STOP or len(stripped) < 2 or not (strong or _named_again(text, stripped, match.start(1))):
            continue
        add_company(stripped, match.start(1), match.start(1) + len(stripped))
    for match in _EN_COMPANY.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g))
        name = match.group(group)
        if name.split()[0] in _EN_COMPANY_STOP:
            continue
        add_company(name, match.start(group), match.end(group))
    for match in _ZH_COMPANY.finditer(text):
        name = match.group(1)
        if name in _ZH_COMPANY_STOP or any(name.startswith(s) for s in ("这家", "该", "一家", "多家", "也", "给", "和", "与", "是")):
            continue
        if not _named_again(text, name, match.start(1)):
            continue
        add_company(name, match.start(1), match.end(1))

    for match in _EN_ROLE_OF.finditer(text):
        name = match.group(1)
        if name.split()[0] not in _EN_COMPANY_STOP:
            add_company(name, match.start(1), match.end(1))
    for match in _EN_ORG_ROLE_NAME.finditer(text):
        name = match.group(1)
        if name.split()[0] not in _EN_COMPANY_STOP and not gazetteer.by_name(name.split()[0]):
            add_company(name, match.start(1), match.end(1))
    for match in _ZH_COMPANY_BEFORE.finditer(text):
        add_company(match.group(1), match.start(1), match.end(1))
    # investors, makers, lists of companies and appositions: "led by Harrowgate Capital", "由IDG资本领投"
    for pattern in _COMPANY_CUES:
        for match in pattern.finditer(text):
            for group in range(1, (match.lastindex or 0) + 1):
                name = match.group(group)
                if name and re.search(r"[가-힣]$", name) and len(name) > 2:
                    name = _PARTICLE_TAIL.sub("", name)
                if name and name.split()[0] not in _EN_COMPANY_STOP and not re.search(r"人士|自己|资金|자금|컨소시엄|관계자", name) and name not in _ZH_COMPANY_STOP and name not in _KO_COMPANY_STOP:
                    add_company(name, match.start(group), match.end(group))

    mentions.extend(_other_mentions(text, entities, mentions, overlaps, taken))
    all_companies = [m for m in known + mentions if _type(m.entity_id, gazetteer, entities) == "company"]
    mentions.extend(_people(text, gazetteer, entities, all_companies, overlaps, taken))
    return list(entities.values()), mentions


_GENERIC_SUFFIX = re.compile(r"\s(?:Labs?|AI|Technologies|Systems|Robotics|Intelligence|Dynamics)$")


def _other_mentions(text: str, entities: dict[str, Entity], mentions: list[NameMatch], overlaps, taken) -> list[NameMatch]:
    """A new company is named once with its noun ("AI 스타트업 뉴로포지") and then alone ("뉴로포지는"):
    find the other places, and the short form of "Lumora Labs" ("Lumora")."""
    found: list[NameMatch] = []
    for entity in [e for e in entities.values() if e.type == "company"]:
        forms = [entity.name]
        short = _GENERIC_SUFFIX.sub("", entity.name)
        if short != entity.name and len(short) >= 3:
            forms.append(short)
        for form in forms:
            hangul = bool(re.search(r"[가-힣]$", form))
            tail = r"(?=(?:이|가|은|는|을|를|의|와|과|도|로|으로|에|에서|측)?(?![가-힣]))" if hangul else r"(?![A-Za-z0-9])"
            for match in re.finditer(r"(?<![A-Za-z0-9가-힣])" + re.escape(form) + tail, text):
                if overlaps(match.start(), match.end()):
                    continue
                found.append(NameMatch(entity.id, form, match.group(0), match.start(), match.end(), False))
                taken.append(match.span())
    return found


def _type(entity_id: str, gazetteer: Gazetteer, extra: dict[str, Entity]) -> str | None:
    entity = extra.get(entity_id) or gazetteer.entities.get(entity_id)
    return entity.type if entity else None


def _people(text: str, gazetteer: Gazetteer, entities: dict[str, Entity], companies: list[NameMatch], overlaps, taken) -> list[NameMatch]:
    """New people by apposition: a name next to an organisation and a title."""
    found: list[NameMatch] = []

    def add(name: str, start: int, end: int, organisation: str | None, role: str | None, hard: list | None = None) -> None:
        clash = any(s < end and start < e for s, e in hard) if hard is not None else overlaps(start, end)
        if clash or gazetteer.by_name(name) or re.search(_ROLE, name) or not plausible_name(name) or in_link_list(text, start):
            return
        entity = Entity(id=candidate_id("person", name), type="person", name=name, kind="candidate",
                        organization=organisation, role=role)
        entities.setdefault(entity.id, entity)
        found.append(NameMatch(entity.id, name, text[start:end], start, end, False))
        taken.append((start, end))

    for company in companies:
        before = text[max(0, company.start - 16) : company.start]
        after = text[company.end : company.end + 80]
        # 박지현 뉴로포지 대표 / 다리오 아모데이 앤트로픽 CEO
        korean = re.search(r"(?:^|[\s'\"“‘(])((?:(?![고전현])[가-힣]\s)?[가-힣]{2,4}(?:\s[가-힣]{2,5})?)\s$", before)
        role_after = re.match(r"\s?(" + _ROLE + r")", after)
        if korean and role_after and not _PARTICLE_TAIL.search(korean.group(1).split()[-1][-1:] if False else ""):
            name = korean.group(1)
            if not re.search(r"(?:이|가|은|는|을|를|의|와|과|도|에)$", name) or len(name.split()) > 1:
                start = company.start - len(before) + korean.start(1)
                add(name, start, start + len(name), company.entity_id, _role_name(role_after.group(1)))
        # Lumora CEO Dana Whitfield / Anthropic's chief executive, Dario Amodei
        english = re.match(r"(?:['’]s)?\s(?:" + _ROLE_EN + r"),?\s((?:[A-Z][a-z]+|[A-Z]\.)(?:\s[A-Z][a-zA-Z'\-]+){1,2})\b", after)
        if english:
            name = english.group(1)
            start = company.end + english.start(1)
            add(name, start, start + len(name), company.entity_id, _role_name(re.search(_ROLE_EN, after).group(0)))
        # 星河智算创始人兼CEO陈立表示
        chinese = re.match(r"(?:的)?(?:[A-Za-z0-9\u4e00-\u9fff]{0,8}?)(?:" + _ROLE_ZH + r")([\u4e00-\u9fff]{2,3})(?=表示|称|说|指出|认为|透露|在|于|已|将|，|。|、|的|也|则|曾|还|和|与|）|\)|（|\(|\s|$)", after)
        if chinese:
            name = chinese.group(1)
            start = company.end + chinese.start(1)
            add(name, start, start + len(name), company.entity_id,
                _role_name(re.match(r"(?:的)?(?:[A-Za-z0-9\u4e00-\u9fff]{0,8}?)(" + _ROLE_ZH + ")", after).group(1)))
    # "a rate founder Leah Brandt said": a title right before a full name
    for match in re.finditer(r"\b(?:founder|co-?founder|chief executive|CEO|CTO|chief scientist)\s([A-Z][a-z]+\s[A-Z][a-z]+)\b", text):
        if match.group(1).split()[0] not in _EN_COMPANY_STOP:
            org = next((c.entity_id for c in reversed(companies) if c.end <= match.start() and match.start() - c.end <= 30), None)
            add(match.group(1), match.start(1), match.end(1), org, _role_name(match.group(0).split()[0]))
    # 이지현 전 크래프톤 재무실장 / 정한결 전 구글클라우드코리아 상무: a full name, "전", an employer, a title
    for match in re.finditer(r"(?<![가-힣])([" + _KO_SURNAMES + r"][가-힣]{2})\s(?:전|현|신임)\s(?:[가-힣A-Za-z]+\s?){1,2}?(" + _ROLE + r")(?=[을를은는이가의]|\s|$)", text):
        if match.group(1) not in _KO_NOT_NAMES:
            add(match.group(1), match.start(1), match.end(1), None, _role_name(match.group(2)))
    # 노바랩스의 김철수 대표는 / 김철수 대표는
    for match in re.finditer(r"(?<![가-힣])([" + _KO_SURNAMES + r"][가-힣]{2})\s(" + _ROLE + r")(?=은|는|이|가|도|의|와|과|를|을|에게|,|\s|\(|$)", text):
        before = text[max(0, match.start() - 12) : match.start()]
        org = next((c.entity_id for c in reversed(companies) if c.end <= match.start() and match.start() - c.end <= 3
                    and re.fullmatch(r"(?:의)?\s?", text[c.end : match.start()])), None)
        if org is None and re.search(r"[가-힣]$|(?:AI|IT|SW|ICT)\s$|(?<![가-힣])[가-힣]{3}\s$", before) or match.group(1) in _KO_NOT_NAMES:
            continue  # part of a longer phrase, not a name
        add(match.group(1), match.start(1), match.end(1), org, _role_name(match.group(2)))
    # Dana Whitfield, Lumora's chief executive / Dana Whitfield, the CEO of Lumora
    for match in re.finditer(r"\b([A-Z][a-z]+\s[A-Z][a-zA-Z'\-]+),\s(?:the\s|a\s|its\s)?(?:[A-Z][\w.]*(?:\s[A-Z][\w.]*)?['’]s\s)?(" + _ROLE_EN + r")\b", text):
        org = next((c.entity_id for c in companies if match.end() <= c.start <= match.end() + 20 or match.start(2) - 25 <= c.start < match.start(2)), None)
        if org and match.group(1).split()[0] not in _EN_COMPANY_STOP:
            add(match.group(1), match.start(1), match.end(1), org, _role_name(match.group(2)))
    # names beside a title or a speech verb, given names, transliterations (kb/extract/people.py)
    # a bare surname the gazetteer knows as ambiguous ("Wang") may be part of a new full name ("Yang Wang")
    hard = [(s, e) for s, e in taken if not _ambiguous_surname(gazetteer, text[s:e])]
    for hit in find_people(text, gazetteer, hard):
        known = gazetteer.by_name(re.sub(r"[・•‧]", "·", hit.name))  # 蒂姆・库克 = 蒂姆·库克
        if known is None:
            org = next((c.entity_id for c in companies if 0 <= c.start - hit.end <= 3 or 0 <= hit.start - c.end <= 8), None)
            add(hit.name, hit.start, hit.end, org, _role_name(hit.role) if hit.role else None, hard)
        elif known.type == "person" and not any(s < hit.end and hit.start < e for s, e in hard):
            found.append(NameMatch(known.id, hit.name, text[hit.start : hit.end], hit.start, hit.end, False))
            taken.append((hit.start, hit.end))
    return found


def _ambiguous_surname(gazetteer: Gazetteer, written: str) -> bool:
    entity = gazetteer.by_name(written)
    return bool(entity and entity.type == "person" and written in entity.ambiguous)


def _role_name(role: str) -> str:
    from kb.extract.entities import ROLE_WORDS

    for candidate in ROLE_WORDS:
        found = candidate.pattern.search(role)
        if found:
            return candidate.role.format(found.group(1) if found.groups() else "")
    return role
