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

from kb.extract.gazetteer import _NOT_A_MODEL_AFTER, PRODUCT_KINDS, Entity, Gazetteer, NameMatch, normalise_name
from kb.extract.people import find_people, in_link_list, plausible_name
from kb.extract.sentences import Sentence

__all__ = ["EntityView", "find_candidates", "candidate_id", "company_context_supports"]

# Version tokens and variant words that follow a family name.
_VARIANTS_EN = (
    "Pro Max Mini mini Flash Lite Nano Opus Sonnet Haiku Turbo Ultra Plus Instruct Thinking Think Coder Cyber Scout "
    "Maverick Behemoth Omni Vision Reasoner Chat Deep Preview Exp Air Edge Fast Heavy Large Medium Small Base Reasoning "
    "Research Agent Audio Realtime Codex High Low Next Seed Terminus VL Reasoning Embed Beta beta Image Video Instant Spark"
).split()
_VARIANTS_KO = {
    "미니": "mini", "프로": "Pro", "씽크": "THINK", "싱크": "THINK", "플래시": "Flash", "터보": "Turbo", "울트라": "Ultra",
    "맥스": "Max", "라이트": "Lite", "오퍼스": "Opus", "소네트": "Sonnet", "하이쿠": "Haiku", "나노": "Nano", "딥": "Deep",
    "비전": "Vision", "플러스": "Plus", "에이전트": "Agent", "터미누스": "Terminus", "리즈닝": "Reasoning",
    "인스트럭트": "Instruct", "코더": "Coder", "씽킹": "Thinking", "싱킹": "Thinking", "스카우트": "Scout", "매버릭": "Maverick",
    "엣지": "Edge", "에어": "Air", "인스턴트": "Instant", "스파크": "Spark", "이미지": "Image", "비디오": "Video", "오디오": "Audio",
    "코덱스": "Codex", "옴니": "Omni", "프리뷰": "Preview",
    # Chinese editions: 文心大模型 4.0 工具版, 混元 专业版
    "工具版": "Tools", "专业版": "Pro", "轻量版": "Lite", "极速版": "Turbo", "思考版": "Thinking", "推理版": "Reasoning",
}
# Korean variant words that are also everyday nouns: a tier only next to a version ("제미나이 4 플래시 이미지")
_KO_NOUN_VARIANTS = {"이미지", "비디오", "오디오", "에이전트", "비전", "딥", "코덱스", "에어", "엣지", "플러스", "프리뷰"}
_VERSION = r"(?:[vVkKrRxXmMaA]?\d+(?!\d)(?:\.\d+(?!\d))*[a-zA-Z]?(?:B|b)?)(?!\s?(?:月|日|年|号|款|个|家|种|位|名|项|倍|亿|万|월|일|년|개|명|억|만|시|분|초|위|차|종|세대|주년|배))"
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
# "미국 AI 기업 리플렉션 AI와": after the noun for a company, a name that ends in a spaced "AI"
_KO_COMPANY_SPACED_AI = re.compile(r"(?:스타트업|기업|업체|개발사|회사|팹리스)\s([가-힣]{2,8} AI)(?![A-Za-z0-9])")
# ... unless the word names what the AI does ("비전 AI 기업", "음성 AI"): a field, not a name
_KO_AI_FIELDS = {"비전", "음성", "영상", "이미지", "언어", "데이터", "보안", "검색", "추천", "물리", "실시간", "대화", "번역", "광고",
                 "커머스", "리테일", "농업", "물류", "모빌리티", "자동차", "반도체", "클라우드", "네트워크", "엔터프라이즈"}
_KO_COMPANY_STOP = {
    "대표", "관계자", "측", "중", "가운데", "등", "대부분", "들", "간", "역시", "모두", "이", "그", "투자", "경영진", "임원",
    "시장", "처음", "데이터", "고객", "수요", "자금", "설명", "제품", "서비스", "기술", "모델", "사업", "경쟁", "성장", "매출",
    "기업", "업체", "회사", "스타트업", "개발사", "기업들", "업체들",
    "주가", "규모", "전략", "입장", "내부", "외부", "직원", "인력", "가치", "실적", "상장", "인수", "협력", "차원", "최초", "최대",
}
_EN_COMPANY = re.compile(
    r"\b((?:[A-Z][a-z0-9]+|[A-Z]{2,})(?: (?:[A-Z][a-z0-9]+|[A-Z]{2,}|AI)){0,2}) (?:Inc|Corp|Corporation|Ltd|LLC|GmbH|SAS|Co)\b\.?"
    r"|\b(?:startup|start-up|company|firm|lab|outfit)(?:,? (?:called|named|dubbed))? ((?:[A-Z][a-z0-9]+[A-Za-z0-9]*)(?: (?!Inc\b|Corp\b|Ltd\b|LLC\b)(?:[A-Z][a-z0-9]+|AI|Labs)){0,2})\b(?!\.[A-Za-z])"
    r"|\b([A-Z][a-z0-9]+ (?:Labs|Lab|Robotics|Technologies|Systems|Intelligence|Dynamics)(?: (?:Institute|Group|Holdings))?)\b"
    # a capitalised name with an .ai or .io domain is a company's: "Originality.ai", "Featherless.AI", "Vast.ai"
    r"|(?<![\w./@-])([A-Z][A-Za-z0-9]+\.(?:ai|AI|io))(?![\w/])"
)
# "GPU startups MetaX and Iluvatar CoreX", "the firms Lumora, Quillmark and Vesper": a plural noun for companies
# and right after it a list of capitalised names closed by "and"; each name of the list is a company
_EN_NAME_ITEM = r"[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2}"
_EN_PLURAL_LIST = re.compile(
    r"\b(?:startups|start-ups|companies|firms|chipmakers)\s(" + _EN_NAME_ITEM + r"(?:,\s" + _EN_NAME_ITEM + r")*,?\s(?:and|&)\s"
    + _EN_NAME_ITEM + r")\b(?!['’]s\b)"
)
_EN_COMPANY_STOP = {"The", "This", "That", "Its", "Our", "A", "An", "Chinese", "American", "French", "Korean", "Silicon", "Valley",
                    "New", "York", "San", "Francisco", "Research", "Its", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                    "Saturday", "Sunday", "Dutch", "German", "British", "Japanese", "Swiss", "Swedish", "Israeli", "Indian", "Canadian",
                    "Taiwanese", "Singaporean", "Emirati", "Saudi", "European", "Asian", "Spanish", "Italian", "Finnish", "Danish",
                    "Norwegian", "Australian", "Irish", "Russian", "Brazilian", "Mexican", "Polish", "Belgian", "Austrian", "US", "U.S.",
                    "UK", "EU", "Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Seoul", "Tokyo", "London", "Paris", "Berlin"}
_ZH_COMPANY = re.compile(
    r"(?:(?<=[，。、“”「」（）()：:\s的由与和将被方])|^)(?:北京|上海|杭州|深圳|广州)?([\u4e00-\u9fff]{2,6}?)(?:智能科技有限公司|科技有限公司|有限公司|公司|集团|实验室)"
)
_ZH_COMPANY_STOP = {"这家", "该", "本", "母", "子", "上市", "科技", "创业", "一家", "多家", "两家", "初创", "人工智能", "大模型",
                    "大数据", "物联网", "机器人", "智能", "信息", "网络", "数据", "具身智能", "通用智能",
                    "模型", "芯片", "云计算", "互联网", "这", "该家", "其", "中国", "美国", "国内", "海外", "国外", "全球"}


# "Jane Doe, chief executive of Acme AI" / "the CTO at Nova Labs"
_EN_ROLE_OF = re.compile(
    r"\b(?:" + _ROLE_EN + r") (?:of|at) ((?:[A-Z][\w&\-]*)(?: (?:[A-Z][\w&\-]*|AI|Labs)){0,3})\b"
)
# "Acme AI CEO Jane Doe"
_EN_ORG_ROLE_NAME = re.compile(
    r"\b((?:[A-Z][\w&\-]*)(?:\s(?:[A-Z][\w&\-]*|AI)){0,2})(?:['’]s)?\s(?:CEO|CTO|CFO|COO|CPO|chief executive|co-?founder|founder)\s"
    r"(?=[A-Z][a-z]+\s[A-Z][a-z]+)"
)
# "新创公司星河智能首席技术官…": the noun comes first in Chinese
_ZH_COMPANY_BEFORE = re.compile(
    r"(?:初创公司|创业公司|新创公司|创企|AI公司|人工智能公司|大模型公司|独角兽)([\u4e00-\u9fff]{2,6}?)"
    r"(?=首席|创始人|联合创始人|CEO|董事长|总裁|的|宣布|发布|推出|表示|称|，|、|（|\()"
)
# "Vesper AI raised $40M", "Vesper AI CEO", "Vesper AI, a startup": a name, AI, and what a company does
_EN_AI_COMPANY = re.compile(
    r"\b([A-Z][a-z]+[A-Za-z]*) AI(?= (?:raised|raises|announced|announces|said|says|launched|launches|has raised|was founded|"
    r"founder|co-founder|CEO|chief|CTO|Inc\b|Labs\b)|, (?:a|an|the) (?:[\w-]+ ){0,3}(?:startup|company|firm|lab)\b)"
)
_KO_SUFFIX_COMPANY = re.compile(
    r"(?<![가-힣A-Za-z])(([가-힣]{2,8})(?:AI|랩스|테크놀로지스|테크놀로지|로보틱스|다이내믹스|그룹))"
    r"(?=(?:은|는|이|가|을|를|의|와|과|도|로|에|에서|와의|과의|측)?(?![가-힣A-Za-z]))"
)
_KO_GROUP_NOUNS = {"워킹", "스터디", "포커스", "타깃", "타겟", "연령", "소득", "고객", "대상", "실험", "비교", "통제", "위험", "사용자",
                   "이용자", "작업", "연구", "전문가", "자문", "협의", "상위", "하위", "중간", "일부", "특정", "관심", "취약", "고위험"}
_KO_AI_COMPOUNDS = {"생성형", "온디바이스", "피지컬", "에이전틱", "소버린", "버티컬", "멀티모달", "대화형", "산업용", "의료", "엣지", "오픈",
                    "인공지능", "국가", "공공", "금융", "산업", "제조", "설명가능한", "책임있는", "범용", "특화", "로봇", "자율", "신뢰",
                    "한국형", "국산", "기업용", "개인용", "교육", "헬스케어", "바이오", "에듀", "법률", "초거대", "하이퍼"}
_ZH_LATIN_COMPANY = re.compile(r"(?<![A-Za-z0-9.])([A-Z][A-Za-z0-9.\-]+(?: (?:[A-Z][A-Za-z0-9.\-]+|AI))?)\s?(?:公司|集团|初创公司)")
_ZH_COMPANY_ROLE = re.compile(
    r"(?:(?<=[，。、“”「」『』（）()：:\s])|^)([\u4e00-\u9fff]{2,4}(?:科技|智能|网络|信息|数据|机器人))"
    r"(?=联合创始人|创始人|CEO|首席|董事长|总裁|总经理)"
)
_KO_LATIN_PAIR = re.compile(r"(?<![가-힣])([가-힣]{2,10}(?: ?[가-힣]{2,6})?(?: ?AI)?) ?\(([A-Z][A-Za-z0-9]+(?:[ \-][A-Z][A-Za-z0-9]*){0,3})\)")
_KO_NOT_NAMES = {"이사회", "부사장", "공동대", "전임자", "신임대", "주요국", "대표단", "사업부", "연구소", "위원회", "경영진", "이번에"}
_EN_NAME = r"(?:[A-Z][\w&\-]*[a-zA-Z0-9])(?:\s(?:[A-Z][\w&\-]*|AI))?(?:\s(?:Capital|Ventures|Partners|Health|Labs|Technologies))?"
_PRODUCT_NOUNS = {"chip", "device", "drug", "car", "software", "hardware", "app", "model", "robot", "phone", "smartphone",
                  "equipment", "glasses", "headset", "chatbot", "ai", "semiconductor", "server", "memory"}
_EN_MAKER = re.compile(r"\b([A-Za-z][\w\-]*) maker (?:the )?(" + _EN_NAME + r")\b")
# the words before the noun of an apposition modify it ("a San Francisco AI startup"); a preposition means the
# noun belongs to something else ("Hannah Lowe, a partner at the venture firm")
_HEAD_MODIFIERS = r"(?:(?!(?:at|of|for|with|in|from|to|by|on|who|that|and)\s)[\w-]+\s){0,4}"
_COMPANY_CUES = [
    re.compile(r"\b(?:led by|backed by|acquired by|bought by|backer|investors?|rival|owner|operator|provider|developer)"
               r"\s(?:the\s)?(" + _EN_NAME + r")\b"),
    re.compile(r"\b(?:companies|firms|startups|start-ups),?\s(?:including\s|such as\s)?(" + _EN_NAME + r"),\s(" + _EN_NAME + r")"
               r"(?:,\s(" + _EN_NAME + r"))?(?:,?\sand\s(" + _EN_NAME + r"))?"),
    re.compile(r"(?:^|\.\s|\n)(" + _EN_NAME + r"),\s(?:a|an)\s" + _HEAD_MODIFIERS + r"(?:startup|start-up|company|app|firm|maker|developer|lab)\b"),
    # mid-sentence: "backed Vellum, a San Francisco startup,"; "a startup founder" is a person's apposition
    re.compile(r"(?<=[a-z] )(" + _EN_NAME + r"), (?:a|an) " + _HEAD_MODIFIERS + r"(?:startup|start-up|company|firm|lab)\b"
               r"(?! (?:founder|co-?founder|CEO|executive|investor|veteran|engineer|employee|adviser|advisor|worker))"),
    re.compile(r"(?:협력사|투자사|투자자|자회사|모회사|경쟁사|고객사|운영사)인?\s([A-Za-z가-힣][A-Za-z0-9가-힣]{1,12}?)(?=와|과|를|을|이|가|의|는|은|를|\s|,)"),
    re.compile(r"(?<![가-힣A-Za-z])([A-Z]{2,5}[가-힣]{2,8}|[가-힣]{2,8}[A-Z]{2,4})(?:이|가)\s(?:주도|이끈|참여)"),
    re.compile(r"由([A-Za-z0-9\u4e00-\u9fff]{2,8}?)(?:领投|牵头|主导)"),
    re.compile(r"(?:、|，)([A-Za-z0-9\u4e00-\u9fff]{2,8}?)(?:跟投|参投)"),
    re.compile(r"(?:平台|运营方|投资方)([\u4e00-\u9fff]{2,6}?)(?=以|将|宣布|发布|称|表示|对|起诉)"),
]
# What is bought is a company: "Google拟豪掷230亿美金收购Wiz", "agreed to acquire Vellum for $2 billion". Latin names
# with a lower-case letter only (an acronym after the verb is as often a product line or a unit).
_ACQUIRED = re.compile(
    r"(?:收购(?:了)?\s?|\b(?:to acquire|acquired|acquires|acquiring|acquisition of|to buy|bought)\s(?:the\s)?(?:startup\s)?)"
    r"([A-Z][a-z][A-Za-z0-9\-]*(?:\.(?:ai|io|com))?(?: [A-Z][a-z][A-Za-z0-9\-]*)?)(?![A-Za-z0-9])(?!['’]s)"
)
# Korean family names, for "김철수 대표는" with no organisation beside it.
_KO_SURNAMES = "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감"

_EN_OWNER_ROLE = re.compile(r"\b([A-Z][\w&\-]*[a-z][\w&\-]*)['’]s (?:CEO|chief executive|co-?founder|founder|CTO|chief technology officer)\b")
_KO_PERSON_ORG_ROLE = re.compile(
    r"(?:(?<![가-힣])[" + _KO_SURNAMES + r"][가-힣]{2}|(?<![가-힣])[가-힣]{2,4} [가-힣]{2,5}) "
    r"([가-힣A-Za-z][가-힣A-Za-z0-9]{1,12}) (?:CEO|최고경영자|대표|창업자|공동창업자|의장)(?=[은는이가의,(\s]|$)"
)
_ZH_ORG_ROLE_PERSON = re.compile(
    r"(?<=[，。、“”「」（）()：:\s])([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{1,7}?)(?:联合创始人|创始人|发起人|首席执行官|CEO)(?:兼\s?CEO)?\s?"
    # ... the person then speaks, maybe to someone first: "刘知远对媒体表示"
    r"[\u4e00-\u9fff]{2,3}(?=(?:对[\u4e00-\u9fff]{2,6}?)?(?:表示|称|说|指出|认为|透露))"
)


_EN_NAMED_MODEL = re.compile(
    r"\b([A-Z][A-Za-z]+(?:[\s-][A-Z][A-Za-z]*)*[\s-]\d+(?:\.\d+)*[A-Za-z]?(?:[\s-](?:[A-Z][A-Za-z]*|\d+[BbKkMm]?))*)"
    r"\s(?:[a-z][a-z-]+\s){0,2}models?\b"
)


_MODEL_WORDS = r"(?:(?:AI|language|reasoning|open|open-weight|video|image|music|coding|frontier|foundation|multimodal|agentic) )?"
_MODEL_INTRODUCTIONS = [
    # "its new Muse Spark AI model", "the latest Orion Nova model"
    re.compile(r"\b(?:its|their|a|the|his|her) (?:new|latest|first|upcoming|next|flagship)(?:[ -](?:open|AI|generation))? "
               r"((?:[A-Z][\w.\-]*)(?: [A-Z][\w.\-]*){0,2}) " + _MODEL_WORDS + r"model\b"),
    # "its first open model, Inkling", "a new model called Vesper"
    re.compile(r"\b(?:new|latest|first|flagship)(?: [\w-]+){0,2} models?(?:,| called| named| dubbed) "
               r"([A-Z][\w.\-]*(?: [A-Z0-9][\w.\-]*){0,2})(?=[\s.,;:)]|$)"),
    # "unveiled Vesper, a new reasoning model", "Vesper 2, an open-weight model": a name and its apposition
    re.compile(r"(?<![\w.\-])([A-Z][\w.\-]*(?: [A-Z0-9][\w.\-]*){0,2}), (?:a|an|its|their) "
               r"(?:(?!(?:at|of|for|with|in|from|to|by|on|who|that|and) )[\w-]+ ){0,2}"
               r"(?:new|latest|open|open-weight|open-source|AI|language|reasoning|video|image|music|coding|frontier|foundation|"
               r"multimodal|small|flagship|speech|vision|robotics|world) (?:[\w-]+ )?models?\b(?! of\b)"),
    # 음악 생성 모델인 '리리아 3 프로', 거대언어모델(LLM) '솔라 프로 3'
    re.compile(r"(?:모델|LLM)(?:인|은|로|\s?\(LLM\))?\s?['‘\"“]\s?([^'’\"”\n]{2,25}?)\s?['’\"”]"),
    # 使用 cursor-small 模型; 名为「grok-beta」的模型, 模型「Vesper」
    re.compile(r"(?<![A-Za-z0-9.\-])([A-Za-z][A-Za-z]*(?:-[A-Za-z0-9.]+)+|[A-Za-z]+-?\d[\w.\-]*)\s?(?:大)?模型"),
    re.compile(r"(?:模型|名为)\s?[「“\"]([A-Za-z][A-Za-z]*(?:-[A-Za-z0-9.]+)+|[A-Za-z]+[ -]?\d[\w.\-]*)[」”\"]"),
    # 视频生成模型是 CogVideoX, 该模型名为 Vesper-2: a Latin name said to be the model, with a capital inside it,
    # a digit or a hyphen (a model's name, not a word)
    re.compile(r"模型(?:是|为|叫做?|名为)\s?([A-Za-z][a-z]*(?:[A-Z0-9\-][A-Za-z0-9.\-]*))(?![A-Za-z0-9])"),
]
# the words one of which each introduction above needs: a text without them is not searched with it
_INTRODUCTION_WORDS = [("model",), ("model",), ("model",), ("모델", "LLM"), ("模型",), ("模型", "名为"), ("模型",)]


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


# Words that head some model alias but say nothing of a family on their own: "AI 3", "Code 2", "Project 7",
# "프로젝트 2", "나노 3". A family word must be a name, not a common word or a variant word.
_NOT_FAMILIES = {
    "ai", "code", "gen", "le", "medium", "nano", "premium", "project", "super", "pro", "movie", "galaxy", "seed", "text",
    "large", "computer", "the", "openai", "google", "meta", "chatgpt", "apple", "microsoft", "amazon", "nvidia", "samsung",
    "나노", "노트북", "무비", "슈퍼", "오토", "인턴", "코드", "프로젝트", "프리미엄", "프리미엄플러스", "갤럭시", "미디엄", "달리", "파이",
    "지니", "스텝", "시리", "구글원", "大模型", "模型",
}
# Companies whose name is also their models' family name (DeepSeek-R1, MiniMax-M1, Midjourney V7); a big-tech
# name before a variant word is a product line or a division ("Google Agent", "Amazon Pro"), not a model.
_NAME_SHARING_KINDS = {"ai_lab", "ai_startup", "ai_company"}
_HEAD = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[가-힣]+X?|[\u4e00-\u9fff]{2,}|[A-Za-z]")


def _word_alternation(words: list[str]) -> str:
    """``w1|w2|…`` for a case-sensitive regular expression, grouped by first character and in the same order
    within each group ("G(?:PT|emini)|C(?:laude)"): the same match, since only words that start with the
    character at hand can match there, but a position tries one branch per first character instead of every
    one of the hundreds of family words (the two patterns below ran twice as fast on the demo corpus)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word)
    return "|".join(re.escape(first) + "(?:" + "|".join(re.escape(w[1:]) for w in group) + ")" for first, group in groups.items())


@lru_cache(maxsize=4)
def _families(gazetteer: Gazetteer) -> tuple[re.Pattern[str], dict[str, tuple[str, str | None, bool]]]:
    """Family words (GPT, Claude, 클로드, 混元 …) → (English family, developer, product line?), as one regex."""
    counts: dict[str, Counter] = {}
    english: dict[str, str] = {}
    kinds: dict[str, set[bool]] = {}
    company_names = {normalise_name(a): c for c in gazetteer.of_type("company") for _, a in c.all_aliases()}
    for model in gazetteer.of_type("model"):
        first_en = re.match(r"[A-Za-z][A-Za-z]*(?:[A-Z]| X)?", model.name)
        if first_en and " " in model.name and (c := company_names.get(normalise_name(first_en.group(0)))) \
                and c.kind not in _NAME_SHARING_KINDS:
            first_en = re.match(r"[A-Za-z][A-Za-z]*", model.name.split(" ", 1)[1]) or first_en  # Samsung Gauss: Gauss
        for _, alias in model.all_aliases():
            head = _HEAD.match(alias)
            if not head:
                continue
            word = head.group(0).rstrip("-")
            first = word.split("-")[0]
            if first != word and first.islower() and len(first) >= 3 and first not in _NOT_FAMILIES:
                # "grok-code-fast-1": the lower-case family word alone is a head too (grok-beta)
                counts.setdefault(first, Counter())[model.developer] += 1
                kinds.setdefault(first, set()).add(model.kind in PRODUCT_KINDS)
                if first_en:
                    english.setdefault(first, first_en.group(0))
            if len(word) < 2 and word != "o" or word.lower() in _NOT_FAMILIES:
                continue
            if re.match(r"\d+[A-Z]", alias[head.end() :]):
                continue  # "GR00T": the letters are not a word of their own
            company = company_names.get(normalise_name(word))
            if company and not (company.kind in _NAME_SHARING_KINDS and first_en
                                and company_names.get(normalise_name(first_en.group(0))) is company):
                continue
            counts.setdefault(word, Counter())[model.developer] += 1
            kinds.setdefault(word, set()).add(model.kind in PRODUCT_KINDS)
            if first_en:
                english.setdefault(word, first_en.group(0))
    table = {word: (english.get(word, word), c.most_common(1)[0][0], kinds[word] == {True}) for word, c in counts.items()}
    words = sorted(table, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9가-힣])(" + _word_alternation(words) + r")"
        r"((?:\s?\([A-Za-z][A-Za-z\s]*\))?(?:[\s\-]?(?:" + _VERSION + r"(?![A-Za-z%\d]|\.\d|\s?%)|" + _VARIANT
        + r"(?=(?:은|는|이|가|을|를|의|와|과|도|로|으로|에|에서)?(?![가-힣A-Za-z%]))))+)"
    )
    return pattern, table


_PRODUCT_WORDS_KO = {"코드": "Code", "라이브": "Live", "코워크": "Cowork", "캔버스": "Canvas", "스튜디오": "Studio", "챗": "Chat",
                     "어시스턴트": "Assistant", "엔터프라이즈": "Enterprise", "브라우저": "Browser"}


@lru_cache(maxsize=4)
def _product_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    """A family word and then a capitalised word that is no variant: an app or a feature ("Gemini Live"),
    or with a version after it a new model ("Claude Mythos 5")."""
    words = sorted(_families(gazetteer)[1], key=len, reverse=True)
    return re.compile(
        r"(?<![A-Za-z0-9가-힣])(" + _word_alternation(words) + r") "
        r"([A-Z][a-z]{2,}(?![A-Za-z0-9\-]|\.[A-Za-z])|" + "|".join(_PRODUCT_WORDS_KO) + r"(?=(?:은|는|이|가|을|를|의|와|과|도|로|으로|에|에서)?(?![가-힣])))"
        # "Claude Mythos 5": a new word between the family and a version makes a model, not an app
        r"(?:[ \-]?(" + _VERSION + r")(?![A-Za-z%\d]|\.\d|\s?%))?"
    )


def _alone_elsewhere(word: str, text: str) -> bool:
    """Does the word stand alone somewhere, not after another capitalised word ("Vasseur said", not "Copilot Cowork")?"""
    for found in re.finditer(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", text):
        if not re.search(r"[A-Z][\w’']* $", text[max(0, found.start() - 20) : found.start()]):
            return True
    return False


_PLAN_NAMES = {"플러스": "Plus", "프로": "Pro", "울트라": "Ultra", "프리미엄": "Premium", "맥스": "Max"}
_COMPANY_PLAN = re.compile(r"\s?(AI)\s?(Plus|Pro|Ultra|Premium|Max|" + "|".join(_PLAN_NAMES) + r")(?![A-Za-z0-9])"
                           r"(?=(?:은|는|이|가|을|를|의|와|과|도|로|으로|에)?(?![가-힣]))")
_AI_PLAN = re.compile(r"(?<![A-Za-z])(AI ?(Plus|Pro|Ultra|Premium|Max|" + "|".join(_PLAN_NAMES) + r"))"
                      r"(?= (?:plan|subscription|tier|membership|bundle)s?\b| ?(?:요금제|구독|订阅|套餐|会员))")
_PLAN_WORDS = {"plus", "pro", "max", "team", "enterprise", "go", "premium", "business", "플러스", "프로", "맥스", "프리미엄"}


def _is_plan(rest: str, family_en: str, gazetteer: Gazetteer) -> bool:
    """"Claude Team", "Perplexity Enterprise": a plan word alone after a family that is sold in plans
    ("Claude Pro" is a known plan) is a subscription, not a model; "Sonar Pro" and "Gemini 3 Pro" are models."""
    words = [w.casefold() for w in re.split(r"[\s\-]+", rest.strip(" -")) if w]
    if not words or not all(w in _PLAN_WORDS for w in words):
        return False
    return any(p.kind in PRODUCT_KINDS and p.name.split()[0] == family_en and p.name.split()[-1].casefold() in _PLAN_WORDS
               for p in gazetteer.of_type("model"))


def _canonical_model_name(family_en: str, rest: str) -> str:
    # 오퍼스7.1 is two parts: a script change separates words as a space does
    parts = re.findall(r"[가-힣\u4e00-\u9fff]+|[^\s\-가-힣\u4e00-\u9fff]+", rest)
    parts = [_VARIANTS_KO.get(p, p) for p in parts]
    if family_en == "o":
        return "o" + "-".join(parts)
    if not parts:
        return family_en
    if family_en == "GPT":  # GPT-5.5 Pro, GPT-4o mini: the version is hyphenated, the tier is not
        return "GPT-" + parts[0] + "".join(" " + p for p in parts[1:])
    separator = "-" if family_en in ("DeepSeek", "GLM") else " "
    return family_en + separator + separator.join(parts)


# Words that start title-case phrases but no company name: "Artificial Intelligence", "Operating Systems".
_EN_COMMON_FIRST = {
    "Artificial", "Personal", "Visual", "General", "Global", "Advanced", "Applied", "Digital", "Medical", "Operating", "Underlying",
    "Workforce", "Alert", "Enterprise", "Business", "Financial", "Customer", "Human", "Machine", "Computer", "Information",
    "Security", "Software", "Hardware", "Cloud", "Data", "Network", "Search", "Mobile", "Smart", "Super", "Superintelligence",
    "Applications", "Resources", "Supply", "Why", "How", "What", "When", "Where", "Who", "Look", "Best", "Top", "Skip", "Watch",
    "Live", "Home", "News", "More", "Read", "View", "Most", "Gaming", "Ages", "AI", "Tech", "Big", "Emerging", "Frontier",
    "Generative", "Physical", "Agentic", "Sovereign", "Embodied", "Conversational", "Responsible", "Explainable", "Open",
    "Edge", "Vertical", "Industrial", "Creative", "Trustworthy", "Ethical", "Safe", "Multimodal", "Autonomous", "Quantum",
}
_PERSON_APPOSITION = re.compile(
    r",? (?:a|an|the|its) (?:[\w-]+ ){0,2}(?:partner|analyst|professor|researcher|scientist|founder|co-founder|investor|executive|"
    r"director|spokesperson|spokeswoman|spokesman|engineer|manager|president|chairman|chairwoman|CEO|CTO|CFO|head)\b"
)
_TICKER_LINE = re.compile(r"[+\-−]\d[\d,.]*\s?\([+\-−]?\d[\d.]*%\)")
_ZH_NOT_NAME = re.compile(
    r"^(?:在|对|从|向|给|把|被|和|与|是|也|都|就|还|为|让|由|将|上|其|这|那|帮助|通过|包括|亚洲|欧洲|美国|中国|全球|国内|国际|海外|北美|大型|小型|中型|"
    r"头部|传统|基础|风险|文生|图生|多家|各家|一家|该|本)"
    r"|^(?:非|仅|只|共|第|各|某|首)|[一二三四五六七八九十几多两数六]家|(?:美国|中国|亚洲|欧洲|全球|国内|海外|本土|硅谷)(?:科技|智能)$"
    r"|表示|来说|发帖|发文|创始人|这些|那些|人士|担忧|系统|模型|设施|投资|视频|服务商|厂商|平台|用户|团队|部门"
)


def _plausible_company(name: str, text: str, start: int, gazetteer: Gazetteer) -> bool:
    """Reject what the name patterns catch but no reader would call a company: menu and headline words,
    ticker tables, a known company's division or feature ("Meta Superintelligence Labs"), common words."""
    if "\n" in name or name.strip() in {"AI", "Inc", "Corp"} or re.fullmatch(_ROLE + "|" + _ROLE_EN, name):
        return False  # "스타트업 CEO는": a title, not a name
    if _PERSON_APPOSITION.match(text, start + len(name)):
        return False  # "led by Hannah Lowe, a partner at …": a person
    if re.fullmatch(r"(.+)\.(?:ai|AI|io)", name) and gazetteer.by_name(name.rsplit(".", 1)[0]):
        return False  # "Claude.ai": the web address of a known product or company
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if _TICKER_LINE.search(line):
        return False  # "DELL Dell Technologies Inc. 399.01 -35.01 (-8.07%)": a quote table
    if re.search(r"[A-Za-z]", name[:1]):
        words = name.split()
        if words[0] in _EN_COMMON_FIRST:
            return False
        long_words = re.findall(r"\b[A-Za-z][A-Za-z'’\-]{3,}\b", line)
        latin_line = len(re.findall(r"[\uac00-\ud7a3\u4e00-\u9fff、]", line)) < 0.1 * len(line) and "、" not in line
        if latin_line and len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words):
            return False  # a Title Case headline or a menu line, not a sentence
        plain = all(re.fullmatch(r"[A-Z][a-z]+", w) for w in words if len(w) > 2)  # "SFCompute" is no dictionary word
        if plain and all(re.search(r"(?<![A-Za-z./@])" + re.escape(w.lower()) + r"(?![A-Za-z./])", text) for w in words if len(w) > 2):
            return False  # every word of it is also a common word of this very text
        owner = re.search(r"([A-Z][\w&\-]*)(?:['’]s)?\s$", text[max(0, start - 25) : start])
        if owner and (found := gazetteer.by_name(owner.group(1))) and found.type == "company":
            return False  # "Google's Personal Intelligence", "Meta Superintelligence Labs": a part of that company
    elif re.search(r"[\u4e00-\u9fff]", name[:1]) and (_ZH_NOT_NAME.search(name) or name in _ZH_COMPANY_STOP):
        return False
    return True


_TECH_CONTEXT = re.compile(
    r"(?-i:AI)|인공지능|人工智能|semiconductor|半导体|모델|model|模型|LLM|챗봇|chatbot|GPU|CPU|반도체|chip|칩|빅테크|big tech|tech|hardware|software|data cent|"
    r"스마트폰|smartphone|iPhone|app\b|앱|芯片|手机|处理器|智能|科技|眼镜|应用|平台|市值|财报|股价|发布|推出|高管|CEO|스타트업|startup|cloud|클라우드|云",
    re.IGNORECASE,
)
# what a company does or has right after its name: 苹果计划, 小米公司, 애플은 발표, Apple (AAPL), Apple's
_COMPANY_AFTER = re.compile(
    r"\s?(?:公司|集团|高管|CEO|创始人|董事长|计划|发布|推出|宣布|表示|称|将|已|正在|旗下|的(?:芯片|处理器|手机|产品|模型|服务)|"
    r"\(\s?[A-Z]{2,5}\s?\)|[A-Z]{1,3}\d|"
    # 애플의 CEO, 메타 측은, 애플 주가: Korean
    r"(?:의\s?)?(?:CEO|최고경영자|창업자|주가|시가총액|측(?:은|이|도)?\s))"
)


def company_context_supports(alias_text: str, start: int, end: int, sentence: str, text: str, has_neighbours: bool) -> bool:
    """An ambiguous company name (Apple, 苹果, 小米, 高通, Meta) counts when its sentence is about technology and
    the name is written as a name: Latin capitals inside Korean or Chinese text or in mid-sentence, or with
    a company's verb, noun or ticker right after it, or beside other companies."""
    title = re.search(r"《([^》\n]{0,30})$", text[max(0, start - 30) : start])
    if title and (title.group(1) or not text[end : end + 1] == "》"):
        return False  # 《王者荣耀》: a word inside the title of a game, a book or a show
    if re.fullmatch(r"[A-Za-z]{1,2}", alias_text):  # X, MS, GM: a short name needs another company and AI in its sentence
        if re.search(r"[A-Z][A-Za-z0-9]* ?$", text[max(0, start - 12) : start]) or re.match(r" ?[A-Z0-9]", text[end : end + 2]):
            return False  # "X Elite", "Turbo X", "X86": a letter of a product's name
        return has_neighbours and bool(re.search(r"AI|인공지능|人工智能|모델|model|模型|LLM", sentence))
    before, after = text[max(0, start - 3) : start].rsplit("\n", 1)[-1].strip(), text[end : end + 12]
    if re.match(r"\s?\(\s?(?:NASDAQ:|NYSE:)?\s?[A-Z]{2,5}\s?\)", after):
        return True  # "Apple ( AAPL )": a listed company's ticker
    if has_neighbours and (re.search(r"[,、·]$", before) or re.match(r"\s?(?:,|、|·|and\b|和|与|及)", after)):
        return True  # "customers such as Microsoft, Meta and Amazon": one of a list of names
    if not _TECH_CONTEXT.search(sentence):
        return False
    if has_neighbours:
        return True
    if re.fullmatch(r"[A-Z][A-Za-z]{2,}", alias_text):
        if re.search(r"[\u4e00-\u9fff가-힣]", text[max(0, start - 3) : start] + after[:3]):
            return True  # "Meta 将关闭", "삼성, Arm 등": a Latin name inside CJK text
        # mid-sentence capitals: "worries at Meta and"; a name that opens a line is a headline's or a menu's
        return bool(before) and not re.search(r"[.!?:\"“'‘#*|]$", before)
    return bool(_COMPANY_AFTER.match(after))


_LIST_ZH = re.compile(
    r"((?:[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff.\- ]{0,14}、\s?)+[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff.\- ]{0,14}?)"
    r"(?:\s?(?:和|与|及)\s?([A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff.\-]{0,14}?))?\s?等(?:[\u4e00-\u9fff]{0,4}?)(?:公司|企业|厂商|巨头|大厂|创企)"
)
_LIST_KO = re.compile(
    r"((?:[A-Za-z0-9가-힣][A-Za-z0-9가-힣.\- ]{0,14}?(?:, |·|ㆍ))+[A-Za-z0-9가-힣][A-Za-z0-9가-힣.\-]{0,14}?) 등(?:의)? "
    r"(?:[가-힣]{0,6} ?)?(?:기업|업체|회사|빅테크|스타트업)"
)


# "如 Runpod、SFCompute、Together.ai、Vast.ai": a list of Latin names; two known companies make the rest companies
_LIST_LATIN = re.compile(r"((?:[A-Z][A-Za-z0-9.\-]{1,20}、\s?){2,}[A-Z][A-Za-z0-9.\-]{1,20})")


# The words each list must end with (or hold): the list patterns try every position of a text, a search
# for their ending one literal at a time, and most texts have no such list
_LIST_ENDS = {
    _LIST_ZH: re.compile(r"等[\u4e00-\u9fff]{0,4}?(?:公司|企业|厂商|巨头|大厂|创企)"),
    _LIST_KO: re.compile(r" 등(?:의)? (?:[가-힣]{0,6} ?)?(?:기업|업체|회사|빅테크|스타트업)"),
    _LIST_LATIN: re.compile(r"、"),
}


def _listed_companies(text: str, gazetteer: Gazetteer, known: list[NameMatch]) -> list[tuple[str, int, int]]:
    """The unknown members of a list that ends in "等公司" / "등 기업" and already names a known company."""
    companies = [(m.start, m.end) for m in known if (e := gazetteer.get(m.entity_id)) and e.type == "company"]
    found = []
    for pattern in (_LIST_ZH, _LIST_KO, _LIST_LATIN):
        if not _LIST_ENDS[pattern].search(text):
            continue
        for match in pattern.finditer(text):
            inside = sum(match.start() <= s and e <= match.end() for s, e in companies)
            if inside < (2 if pattern is _LIST_LATIN else 1):
                continue
            items = [(m.group(0), match.start() + m.start()) for m in re.finditer(r"[^、,·ㆍ]+", match.group(1))]
            if pattern is _LIST_ZH and match.group(2):
                items.append((match.group(2), match.start(2)))
            for position, (item, start) in enumerate(items):
                name = item.strip()
                start += len(item) - len(item.lstrip())
                if pattern is _LIST_KO:
                    name = re.sub(r"(?:와|과)$", "", name) if len(name) > 2 else name
                if position == 0 and start > 0 and re.match(r"[\u4e00-\u9fff가-힣A-Za-z]", text[start - 1]):
                    continue  # "包括百度": the first item may have swallowed the words before the list
                if len(name) < 2 or any(s < start + len(name) and start < e for s, e in companies):
                    continue
                found.append((name, start, start + len(name)))
    return found


def _named_again(text: str, name: str, first: int) -> bool:
    """A company the article is about is named more than once, or spelt out in Latin letters
    right away ("퍼플렉시티(Perplexity)"); a common noun after "기업" usually is not."""
    if text.count(name) >= 2:
        return True
    return bool(re.match(r"\s?[(（][A-Za-z]", text[first + len(name) : first + len(name) + 3]))


@dataclass
class _Found:
    """One article's new entities so far, their mentions, and the spans no other name may take."""

    entities: dict[str, Entity]
    mentions: list[NameMatch]
    taken: list[tuple[int, int]]

    def overlaps(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.taken if s < end and start < e]

    def add(self, entity: Entity, alias: str, written: str, start: int, end: int) -> None:
        # "Qwen3.8-Max" and "Qwen 3.8-Max" in one article are one new model
        same = next((e for e in self.entities.values() if e.type == entity.type and e.id != entity.id
                     and normalise_name(e.name) == normalise_name(entity.name)), None)
        entity = same or entity
        self.entities.setdefault(entity.id, entity)
        self.mentions.append(NameMatch(entity.id, alias, written, start, end, False))
        self.taken.append((start, end))


def find_candidates(
    text: str, gazetteer: Gazetteer, known: list[NameMatch], sentences: list[Sentence] | None = None
) -> tuple[list[Entity], list[NameMatch]]:
    """New entities and their mentions; known matches that a longer new name contains are replaced.
    ``sentences`` is the extractor's split of ``text`` (split again if not given)."""
    found = _Found({}, [], [(m.start, m.end) for m in known])
    _models_by_shape(text, gazetteer, known, found)
    _companies_by_shape(text, gazetteer, known, found)
    found.mentions.extend(_other_mentions(text, found.entities, found.mentions, found.overlaps, found.taken))
    all_companies = [m for m in known + found.mentions if _type(m.entity_id, gazetteer, found.entities) == "company"]
    found.mentions.extend(_people(text, gazetteer, found.entities, all_companies, found.overlaps, found.taken, sentences))
    return list(found.entities.values()), found.mentions


def _models_by_shape(text: str, gazetteer: Gazetteer, known: list[NameMatch], found: _Found) -> None:
    """Tiers of known families, apps and plans, and models the text introduces as new."""
    pattern, families = _families(gazetteer)
    # -- models by shape: family + version or variant
    for match in pattern.finditer(text):
        family, rest = match.group(1), re.sub(r"^\s?\([^)]*\)", "", match.group(2))  # 엑사원(EXAONE) 5.0
        versions = re.findall(r"\d+(?:\.\d+)*", rest)
        if not versions and not re.search(r"[A-Za-z가-힣]", rest):
            continue
        if versions and any(_STOP_VERSIONS.match(v) for v in versions):
            continue
        if not versions and set(re.findall(r"[가-힣]+", rest)) and set(re.findall(r"[가-힣]+", rest)) <= _KO_NOUN_VARIANTS \
                and not re.search(r"[A-Za-z]", rest):
            continue  # "제미나이 이미지 생성 기능": a Korean noun, not a tier, unless a version makes it one
        span = (match.start(), match.end() - (len(rest) - len(rest.rstrip())))
        written = text[span[0] : span[1]]
        if re.match(_NOT_A_MODEL_AFTER, text[span[1] : span[1] + 12]) is None:
            continue  # "그록3 LPU": hardware
        if gazetteer.by_name(written):
            continue  # a known name: the gazetteer's match stands
        inside = found.overlaps(*span)
        if any(e - s >= span[1] - span[0] for s, e in inside):
            continue
        if family not in families:
            continue
        family_en, developer, product_line = families[family]
        # written in Latin letters, the name is kept as the press wrote it (Doubao-Seed-2.5, GPT-5.6-Cyber)
        name = " ".join(written.split()) if re.fullmatch(r"[A-Za-z0-9.\-\s]+", written) else _canonical_model_name(family_en, rest)
        known_name = gazetteer.by_name(name)
        kind = "product" if product_line or _is_plan(rest, family_en, gazetteer) else "candidate"
        entity = known_name or Entity(id=candidate_id("model", name), type="model", name=name, developer=developer,
                                      kind=kind, family=normalise_name(family_en))
        found.add(entity, written, written, span[0], span[1])

    # -- 엑사원 패스(EXAONE Path): a Korean name spelt out in Latin letters that start with a family's name
    for match in _KO_LATIN_PAIR.finditer(text):
        latin, span = match.group(2), match.span()
        family = latin.split()[0].split("-")[0]
        if family not in families or gazetteer.by_name(latin) or " " not in latin and "-" not in latin:
            continue
        if any(e - s >= span[1] - span[0] for s, e in found.overlaps(*span)):
            continue
        family_en, developer, product_line = families[family]
        # "병리 AI '엑사원 패스(EXAONE Path)'", "엑사원 패스 모델": called a model or an AI, it is one
        called_model = re.search(r"(?:AI|모델|LLM|model)\s?['‘\"“]?$", text[max(0, span[0] - 8) : span[0]]) or re.match(
            r"['’\"”]?\s?(?:모델|model|LLM)", text[span[1] : span[1] + 6])
        entity = Entity(id=candidate_id("model", latin), type="model", name=latin, developer=developer,
                        kind="candidate" if called_model and not product_line else "product", family=normalise_name(family_en))
        found.add(entity, latin, match.group(0), span[0], span[1])

    # -- apps and features of a family: "Claude Cowork", "Gemini Live", "클로드 코드" are products, not the family
    for match in _product_pattern(gazetteer).finditer(text):
        family, word = match.group(1), match.group(2)
        span = match.span()
        if family not in families or found.overlaps(*span) and any(e - s >= span[1] - span[0] for s, e in found.overlaps(*span)):
            continue
        if word in _VARIANTS_EN or word.upper() == "AI" or gazetteer.by_name(word):
            continue
        if not match.group(3) and re.search(r"[A-Z]", word) and (
                _alone_elsewhere(word, text.replace(match.group(0), " "))
                or re.match(r",? (?:said|says|told|who|, the |, a )", text[match.end() : match.end() + 8])):
            continue  # "Claude Vasseur ... Vasseur said": a person whose first name is a family's
        family_en, developer, product_line = families[family]
        version = match.group(3)
        if version and (_STOP_VERSIONS.match(version) or re.match(_NOT_A_MODEL_AFTER, text[span[1] : span[1] + 12]) is None):
            continue
        name = family_en + " " + _PRODUCT_WORDS_KO.get(word, word) + (" " + version if version else "")
        kind = "candidate" if version and not product_line else "product"
        entity = gazetteer.by_name(name) or Entity(id=candidate_id("model", name), type="model", name=name,
                                                   developer=developer, kind=kind, family=normalise_name(family_en))
        found.add(entity, match.group(0), match.group(0), span[0], span[1])

    # -- a company's AI plan: "Google AI Plus", "구글 AI 플러스" is a subscription, named after the company
    for company in known:
        entity = gazetteer.get(company.entity_id)
        plan = _COMPANY_PLAN.match(text, company.end)
        if not entity or entity.type != "company" or not plan:
            continue
        span = (plan.start(1), plan.end())
        if found.overlaps(*span):
            continue
        name = f"{entity.name} AI {_PLAN_NAMES.get(plan.group(2), plan.group(2))}"
        product = gazetteer.by_name(name) or Entity(id=candidate_id("model", name), type="model", name=name,
                                                    developer=entity.id, kind="product")
        found.add(product, name, text[span[0] : span[1]], span[0], span[1])

    # ... also apart from the company: "Google's $99 / month AI Ultra plan", "its AI Plus subscription"
    for plan in _AI_PLAN.finditer(text):
        span = plan.span(1)
        if found.overlaps(*span):
            continue
        owner = next((c for c in reversed(known) if c.end <= span[0] and span[0] - c.end <= 80
                      and (e := gazetteer.get(c.entity_id)) and e.type == "company" and "." not in text[c.end : span[0]]), None)
        company = gazetteer.get(owner.entity_id) if owner else None
        tier = _PLAN_NAMES.get(plan.group(2), plan.group(2))
        name = f"{company.name} AI {tier}" if company else f"AI {tier}"
        product = gazetteer.by_name(name) or Entity(id=candidate_id("model", name), type="model", name=name,
                                                    developer=company.id if company else None, kind="product")
        found.add(product, name, plan.group(1), span[0], span[1])

    # -- models introduced by the word model: "Cohere's Embed 4 retrieval model", "its Rerank 3.5 model"
    # ... or by a new model's introduction: "its new Muse Spark AI model", "its first open model, Inkling",
    # "음악 생성 모델인 '리리아 3 프로'", "使用 cursor-small 模型", "名为「grok-beta」"
    introduced = [m for intro, words in zip(_MODEL_INTRODUCTIONS, _INTRODUCTION_WORDS) if any(w in text for w in words)
                  for m in intro.finditer(text)]
    for match in sorted(list(_EN_NAMED_MODEL.finditer(text)) + introduced, key=lambda m: m.start(1)):
        written = re.sub(r" AI$", "", match.group(1).rstrip())  # "Muse Spark AI model": AI says what it is
        name = written.strip()
        start = match.start(1) + len(written) - len(written.lstrip())
        span = (start, start + len(name))
        if gazetteer.by_name(name) or found.overlaps(*span) or name.split()[0] in _EN_COMPANY_STOP:
            continue
        if name.split()[0] in _EN_COMMON_FIRST or name in _VARIANTS_EN or len(name) < 2 or len(name) > 40:
            continue
        owner = re.search(r"([A-Z][\w&\-]*(?:\s[A-Z][\w&\-]*)?)['’]s\s$", text[max(0, span[0] - 30) : span[0]])
        developer = gazetteer.by_name(owner.group(1)) if owner else None
        entity = Entity(id=candidate_id("model", name), type="model", name=name, kind="candidate",
                        developer=developer.id if developer and developer.type == "company" else None)
        found.add(entity, name, name, span[0], span[1])


def _companies_by_shape(text: str, gazetteer: Gazetteer, known: list[NameMatch], found: _Found) -> None:
    """Companies by apposition, ending, title, list and investor cues."""
    # -- companies introduced by a noun
    def add_company(name: str, start: int, end: int) -> None:
        if found.overlaps(start, end) or gazetteer.by_name(name) or len(name) < 2 or not _plausible_company(name, text, start, gazetteer):
            return
        entity = Entity(id=candidate_id("company", name), type="company", name=name, kind="candidate")
        found.add(entity, name, text[start:end], start, end)

    for match in _KO_COMPANY_SPACED_AI.finditer(text):
        name = match.group(1)
        stem = name[:-3]
        # "기업 생성형 AI": a kind of AI, not a name; a name the article is about comes back
        if stem not in _KO_AI_COMPOUNDS | _KO_AI_FIELDS and stem not in _KO_COMPANY_STOP and text.count(name) >= 2:
            add_company(name, match.start(1), match.end(1))
    for match in _KO_COMPANY.finditer(text):
        word = match.group(1)
        stripped = _PARTICLE_TAIL.sub("", word) if len(word) > 2 else word
        strong = bool(re.search(r"스타트업|개발사|팹리스|AI\s?기업|인공지능\s?기업", match.group(0)))
        if stripped in _KO_COMPANY_STOP or word[:-1] in _KO_COMPANY_STOP or len(stripped) < 2 or stripped.endswith("들"):
            continue
        if not (strong or _named_again(text, stripped, match.start(1))):
            continue
        # after 기업/업체/회사 a two-syllable word is nearly always a common noun (기업 운영, 업체 비전);
        # a new name is longer, or in Latin letters, or introduced by 스타트업/개발사
        introduced = bool(re.search(r"스타트업|개발사|팹리스", match.group(0)))
        subject = len(re.findall(re.escape(stripped) + r"(?:는|은|가|이|의|와|과|도)(?![가-힣])", text))
        if re.fullmatch(r"[가-힣]{2}", stripped) and not introduced and subject < 2:
            continue
        if not introduced and subject == 0 and not re.match(r"\s?[(,·（]", text[match.start(1) + len(stripped) :]):
            continue  # "기업 마케팅 시장", "기업 마케팅 부서": a noun of a compound, never a subject of its own
        noun = match.start(1) - 1 - len(re.search(r"(?:스타트업|기업|업체|개발사|회사|팹리스)\s$", match.group(0)[: match.start(1) - match.start()]).group(0)) + 1
        if noun > 0 and re.match(r"[가-힣]", text[noun - 1]) and not introduced and subject < 2:
            continue  # 기술기업 올해, 소매업체 웹사이트: the noun ends a compound, the next word is no name
        add_company(stripped, match.start(1), match.start(1) + len(stripped))
    for match in _EN_COMPANY.finditer(text):
        group = next(g for g in (1, 2, 3, 4) if match.group(g))
        name = match.group(group)
        if name.split()[0] in _EN_COMPANY_STOP:
            continue
        add_company(name, match.start(group), match.end(group))
    acquisition = any(word in text for word in ("收购", "acqui", "to buy", "bought"))  # one of these is in every match
    for match in _ACQUIRED.finditer(text) if acquisition else ():
        if match.group(1).split()[0] not in _EN_COMPANY_STOP:
            add_company(match.group(1), match.start(1), match.end(1))
    for match in _EN_PLURAL_LIST.finditer(text):
        for item in re.finditer(_EN_NAME_ITEM, match.group(1)):
            name = item.group(0)
            if name.split()[0] not in _EN_COMPANY_STOP and name not in ("And",):
                add_company(name, match.start(1) + item.start(), match.start(1) + item.end())
    for match in _ZH_COMPANY.finditer(text):
        name = match.group(1)
        if name in _ZH_COMPANY_STOP or any(name.startswith(s) for s in ("这家", "该", "一家", "多家", "也", "给", "和", "与", "是")):
            continue
        if not (_named_again(text, name, match.start(1)) or re.search(r"(?:科技|智能|智算|网络|机器人)$", name)):
            continue
        add_company(name, match.start(1), match.end(1))
    # "Anysphere 公司", "Figure AI 公司": a Latin name with the Chinese word for company
    for match in _ZH_LATIN_COMPANY.finditer(text):
        add_company(match.group(1), match.start(1), match.end(1))

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
    # Names with a company's ending: "Vesper AI raised", "트웰브랩스", "뤼튼테크놀로지스", "마음AI는 … 마음AI가"
    for match in _EN_AI_COMPANY.finditer(text):
        if match.group(1) not in _EN_COMPANY_STOP and not gazetteer.by_name(match.group(1)):
            add_company(match.group(0)[: match.end(1) - match.start() + 3], match.start(), match.end(1) + 3)
    for match in _KO_SUFFIX_COMPANY.finditer(text):
        name, stem = match.group(1), match.group(2)
        if stem in _KO_AI_COMPOUNDS or len(stem) < 2:
            continue
        if name.endswith(("AI", "그룹")) and text.count(name) < 2:
            continue  # "X AI", "X그룹" glued are a company's name only when the article comes back to it
        if name.endswith("그룹") and stem in _KO_GROUP_NOUNS:
            continue  # "워킹그룹", "고객그룹": a group of people, not a business group
        add_company(name, match.start(1), match.end(1))
    # the employer in a title: "Quillmark's CEO said", "매튜 프린스 클라우드플레어 CEO는", "。星图智算创始人王磊表示"
    for pattern in (_EN_OWNER_ROLE, _KO_PERSON_ORG_ROLE, _ZH_ORG_ROLE_PERSON):
        for match in pattern.finditer(text):
            name = match.group(1)
            if name.split()[0] in _EN_COMPANY_STOP or name in _KO_COMPANY_STOP or name in _KO_NOT_NAMES:
                continue
            if pattern is _KO_PERSON_ORG_ROLE and (not (len(name) >= 3 or re.search(r"[A-Za-z]", name))
                                                   or re.fullmatch(r"[" + _KO_SURNAMES + r"][가-힣]{2}", name)
                                                   or re.search(r"[의은는이가을를와과도에](?= |$)", match.group(0).split(" " + name)[0])):
                continue  # "노바랩스의 김철수 대표": the person, not the employer, stands before the title
            add_company(name, match.start(1), match.end(1))
    # 澜码科技创始人兼 CEO 周健: a name with a company's ending, then a title
    for match in _ZH_COMPANY_ROLE.finditer(text):
        add_company(match.group(1), match.start(1), match.end(1))
    # 프로듀서AI(ProducerAI): a Korean spelling with its Latin one, which ends like a company's
    for match in _KO_LATIN_PAIR.finditer(text):
        latin = match.group(2)
        if re.search(r"(?:AI|Labs?|Technologies|Robotics)$", latin) and latin.split()[0] not in _EN_COMMON_FIRST:
            add_company(latin, match.start(), match.end())
    # lists that name known companies: "字节、快手、MiniMax、生数、爱诗等公司", "삼성전자, 에릭슨, 노키아 등 업체"
    for name, start, end in _listed_companies(text, gazetteer, known):
        add_company(name, start, end)
    # "Claude maker Anthropic", "device maker Halvorsen Health"; a "documentary maker" is a person
    for match in _EN_MAKER.finditer(text):
        before, name = match.group(1), match.group(2)
        if (before[0].isupper() or before.lower() in _PRODUCT_NOUNS) and name.split()[0] not in _EN_COMPANY_STOP:
            add_company(name, match.start(2), match.end(2))
    # investors, makers, lists of companies and appositions: "led by Harrowgate Capital", "由IDG资本领投"
    for pattern in _COMPANY_CUES:
        for match in pattern.finditer(text):
            for group in range(1, (match.lastindex or 0) + 1):
                name = match.group(group)
                if name and re.search(r"[가-힣]$", name) and len(name) > 2:
                    name = _PARTICLE_TAIL.sub("", name)
                if name and name.split()[0] not in _EN_COMPANY_STOP and not re.search(r"人士|自己|资金|자금|컨소시엄|관계자", name) and name not in _ZH_COMPANY_STOP and name not in _KO_COMPANY_STOP:
                    add_company(name, match.start(group), match.end(group))


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


def _people(text: str, gazetteer: Gazetteer, entities: dict[str, Entity], companies: list[NameMatch], overlaps, taken,
            sentences: list[Sentence] | None = None) -> list[NameMatch]:
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
    for hit in find_people(text, gazetteer, hard, sentences):
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
