"""People the gazetteer does not know, in English, Korean and Chinese.

News names its people by a few shapes that hold across papers: a title or a
speech verb beside a name ("said Dana Whitfield, an analyst at …", "박지현
노바랩스 대표는", "分析师陈立表示"), a transliteration with its original in
brackets ("리처드 소처(Richard Socher)"), a given name the reader knows as one.
This module looks for those shapes:

- English: runs of capitalised words, taken as a name when a title, an
  apposition or a speech verb stands beside them, or when the first word is a
  known given name (the US census list shipped by the MIT-licensed ``names``
  package).
- Korean: Kiwi's proper nouns (NNP) next to a role word; the name ends where
  Kiwi's particle begins, so "홍길동 교수는" gives "홍길동".
- Chinese: jieba's person-name tag (``nr``) next to a role or a speech verb,
  and names joined by a middle dot (萨姆·奥尔特曼).

Kiwi (~0.7 s CPU to its first result, ~300 MB) and jieba (~0.9 s, ~125 MB) load on the
first article of their language that needs them, once per process, and read only the
sentences that hold a title, a speech verb or a bracketed original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from kb.extract.gazetteer import Gazetteer

__all__ = ["PersonHit", "find_people", "in_link_list", "plausible_name", "unfinished_line"]


@dataclass(frozen=True)
class PersonHit:
    """One mention of a person: ``name`` is the English name when the text or the gazetteer gives it."""

    name: str
    start: int
    end: int
    role: str | None = None
    known_id: str | None = None  # a gazetteer person this spelling turned out to be


Span = tuple[int, int]


def find_people(text: str, gazetteer: Gazetteer, taken: Iterable[Span] = ()) -> list[PersonHit]:
    """People named in ``text`` outside the ``taken`` spans (names already found)."""
    taken = list(taken)
    hits: list[PersonHit] = []
    for finder in (_english, _korean, _chinese):
        for hit in finder(text, gazetteer):
            if any(s < hit.end and hit.start < e for s, e in taken) or in_link_list(text, hit.start):
                continue
            hits.append(hit)
            taken.append((hit.start, hit.end))
    return hits


_LINK_ITEM = re.compile(r"\s*(?:[-*•·]\s*)?\[[^\]]*\]\(\S+\)\s*$")


def in_link_list(text: str, position: int) -> bool:
    """A related-article link ("- [Headline](https://…)"): chrome, whose names are not the article's people."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return bool(_LINK_ITEM.match(text[start : end if end >= 0 else len(text)]))


def plausible_name(name: str) -> bool:
    """False for a Latin-letter "name" with a title, place or headline word in it ("For Strategic Guidance"),
    and for a speech verb taken for a Chinese name (透露)."""
    if _ZH_CUE.match(name):
        return False
    return not any(word.rstrip(".,") in _EN_STOP for word in name.split() if re.match(r"[A-Za-z]", word))


def _overlaps_known(gazetteer: Gazetteer, name: str) -> bool:
    entity = gazetteer.by_name(name)
    return bool(entity and entity.type != "person")


# ---------------------------------------------------------------- English

_NAME_WORD = r"(?:[A-Z][a-z]{0,2}[A-Z]?[a-z]+(?:-[A-Z][a-z]+)?|[A-Z]['’][A-Z][a-z]+|[A-Z]\.(?:[A-Z]\.)?)"
_PARTICLE = r"(?:van|von|de|der|da|di|del|dos|bin|al|la|le)"
_RUN = re.compile(r"(?<![A-Za-z0-9_.&@#/-])" + _NAME_WORD + r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+)?" + _NAME_WORD + r")+(?![A-Za-z0-9_&@/]|\.[A-Za-z0-9])")

# Words that begin or end capitalised runs without being names: titles, places, organisations, calendar.
_EN_STOP = set("""
The A An This That These Those His Her Its Our Their My Your We They He She It I In On At For From With By Of To And But Or
If As So Why How What When Where Who Which While After Before During Since Until Because Although Though Also Not No Yes
Mr Mrs Ms Dr Prof Professor Sir Dame Lord Lady Sen Senator Rep Representative Gov Governor Judge Justice President Vice
Chief Executive Officer Director Chairman Chairwoman Chair Founder Co-Founder Cofounder Head General Manager Secretary
Minister Prime Premier King Queen Prince Princess Pope Saint St Mayor Deputy Senior Junior Jr Sr Analyst Partner CEO
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Today Tomorrow Yesterday Christmas Easter
North South East West Northern Southern Eastern Western Central New Old Great Grand Upper Lower Greater Mount Lake River
United States Kingdom America American Americas Europe European Asia Asian Africa African China Chinese Japan Japanese
Korea Korean India Indian France French Germany German Britain British England English Canada Canadian Israel Israeli
Russia Russian Taiwan Taiwanese Singapore Australia Australian Brazil Mexico Spain Italy Dutch Swiss Sweden Irish Ireland
California Texas Florida Washington York Jersey Boston Seattle Chicago Francisco San Los Angeles Las Vegas Silicon Valley
Beijing Shanghai Shenzhen Hangzhou Seoul Tokyo London Paris Berlin Hong Kong Delhi Dubai Virginia Carolina Georgia Street
Avenue Road Park Square Hall Center Centre Tower Building Bridge Island Bay Beach Harbor Station Airport Hill Hills City
County State Province District Valley Coast Republic Democratic Democrat Democrats Republican Republicans Party Congress
Senate House White Capitol Court Supreme Federal Department Ministry Agency Commission Committee Council Bureau Office
Administration Government Parliament Union Nations Council Army Navy Force Forces Police Reserve Treasury Commerce
University College School Institute Academy Laboratory Laboratories Lab Labs Research Foundation Fund Capital Ventures
Partners Group Holdings Holding Bank Securities Investments Management Associates Inc Corp Corporation Company Co Ltd
LLC LLP PLC AG SE GmbH Technologies Technology Tech Systems Solutions Software Networks Network Media News Times Post
Journal Daily Weekly Herald Tribune Review Magazine Press Wire Report Reports Street Global International National
World Worldwide Industries Industry Energy Motors Airlines Pharmaceuticals Health Healthcare Medical Robotics Dynamics
Intelligence Cloud Store Studio Studios Games Pictures Records Entertainment Sports Club League Cup Awards Prize Series
Model Models Pro Mini Ultra Plus Air Edition Version Beta Alpha App Apps Platform Service Services Program Project
Act Law Rule Rules Order Agreement Treaty Summit Conference Forum Week Day Year Month Season Conference Expo Show
AI Artificial Machine Learning Deep Language Large Generative Open Source Data Digital Computer Computing Quantum
Internet Web Online Mobile Smart Home Office Search Maps Mail Drive Docs Sheets Chat Assistant Agent Agents Copilot
Read More Related Latest Top Best Free Premium Subscribe Sign Log Share Follow Comment Comments Image Images Photo Photos
Video Videos Getty Reuters Bloomberg Associated Source Sources Credit Credits Advertisement Sponsored Opinion Analysis
Markets Market Stock Stocks Exchange Nasdaq Dow Jones Index Fed Wall Main Business Finance Economy Economic Politics
Science Culture Life Style Travel Food Opinion Breaking Exclusive Update Updated Live Watch Listen Podcast Newsletter
Here There Now Then Just Even Still Only Every Each Many Most More Some Any All Both Few Other Another Such Same First
Last Next Second Third One Two Three Four Five Six Seven Eight Nine Ten Hundred Thousand Million Billion Trillion
Bros Brothers Hole Caribbean Airways Thornton Initiative Trust Pharma Foods Stores Hotels Resorts Mobility Sciences
Therapeutics Biosciences Equity Advisors Advisory Consulting Insights Analytics Aerospace Semiconductor Semiconductors
Stanley Schwab Dior Madison Boss Sonic Santa Sierra Nevada Clara Fargo Sachs Lynch Chase Barney Disney Marriott Hilton
Mon Tue Wed Thu Fri Sat Sun Black Friday Cyber Prime Dragon Golden Gate Bay Area Big Little Magnificent Street Silicon
""".split())
# Given names that are also ordinary capitalised words; accepted only with a cue.
_WORD_NAMES = {"will", "mark", "may", "june", "april", "grace", "hope", "joy", "faith", "bill", "sterling", "summer", "rich",
               "buck", "chase", "dash", "sky", "sunny", "price", "king", "long", "young", "page", "bishop", "major",
               "august", "china", "georgia", "virginia", "carolina", "dakota", "austin", "houston", "dallas", "jordan",
               "victoria", "lincoln", "tesla", "ford", "apple", "amazon", "claude", "mercedes", "porsche", "chevy",
               "jasper", "gemini", "sonnet", "llama", "ray", "art", "else", "gay", "cherry", "penny", "ruby", "pearl",
               "crystal", "rose", "lily", "ivy", "iris", "holly", "robin", "wolf", "fox", "drew", "guy", "don", "van",
               "ward", "dean", "earl", "major", "sage", "autumn", "dawn", "eve", "lane", "case", "miles", "bobby"}
_EN_ROLE_NOUN = (
    r"analyst|researcher|research scientist|scientist|professor|economist|strategist|director|president|vice president|"
    r"founder|co-?founder|chief [a-z]+(?: [a-z]+)? officer|chief executive|CEO|CTO|CFO|COO|CPO|CSO|CMO|chair(?:man|woman)?|"
    r"partner|investor|engineer|manager|head|lead|spokes(?:person|man|woman)|secretary|minister|senator|lawmaker|"
    r"representative|governor|judge|attorney|lawyer|counsel|author|writer|journalist|reporter|editor|columnist|"
    r"executive|officer|VP|SVP|EVP|principal|fellow|adviser|advisor|consultant|developer|designer|entrepreneur|"
    r"commissioner|official|chancellor|dean|student|user|actor|actress|director|producer|host|ambassador|mayor|expert|"
    r"chief|boss|leader|investor|venture capitalist|billionaire|pioneer|co-?author|inventor|physicist|psychologist|historian"
)
_EN_ROLE_WORD = re.compile(r"(?:" + _EN_ROLE_NOUN + r")", re.IGNORECASE)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Prof|Professor|Sen|Senator|Rep|Gov|Governor|Judge|Justice|President|Secretary|Minister|Chancellor|Sir|Dame)\.?"
_EN_BEFORE = re.compile(
    r"(?:\b" + _HONORIFIC + r"|\b(?:" + _EN_ROLE_NOUN + r")s?,?|\baccording to|\b(?:co-?)?founded by|\b(?:headed|chaired|run) by|\b(?:said|says|told|wrote|asked)|[\"“”]\s?,?)\s+$"
)
_EN_SPEECH = r"(?:said|says|told|wrote|writes|added|adds|explained|noted|notes|argued|warned|posted|stated|tweeted|believes|thinks|estimated|predicted|cautioned|continued|recalled)"
_EN_AFTER_STRONG = re.compile(
    r"^\s?,\s(?:(?:a|an|the|its|their|his|her)\s)?(?:[\w'’&.-]+\s){0,5}?(?:" + _EN_ROLE_NOUN + r")\b"
    r"|^\s?,\s(?:who|whose)\b|^\s?\((?:[A-Z][\w.&-]*\s?)?(?:" + _EN_ROLE_NOUN + r")"
)
_EN_AFTER_SPEECH = re.compile(r"^\s?,?\s" + _EN_SPEECH + r"\b|^\s?(?:也|则|还|曾)?(?:表示|称|说|所说|指出|认为|透露|介绍|坦言|强调|写道|发文)")
# an English name in Chinese or Korean text, after its title: "联合创始人兼首席执行官 Patrick Collison"
_CJK_ROLE_BEFORE = re.compile(
    r"(?:CEO|CTO|负责人|创始人|首席执行官|首席[\u4e00-\u9fff]{1,4}官|总裁|董事长|研究员|分析师|教授|科学家|[\u4e00-\u9fff]学家|"
    r"记者|主编|工程师|经理|总监|合伙人|대표|교수|연구원|애널리스트)\s?$"
)
# "Jane Doe of Acme Research said": the organisation between the name and the verb
_EN_OF_ORG_SAID = re.compile(r"^\s(?:of|at|from)\s(?:the\s)?[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){0,3}\s?,?\s" + _EN_SPEECH + r"\b")
# "Vera Rubin GPUs", "Claude Code app": a product named after a person
_EN_THING_AFTER = re.compile(
    r"^\s(?:(?:AI|[\w]+-[\w-]+)\s){0,2}(?:computing|compute|capacity|chips?|GPUs?|platforms?|architecture|servers?|systems?|superchips?|racks?|models?|"
    r"app|apps|software|devices?|roadmap|generation|lineup|family|series|rollout|launch|accelerators?|clusters?|data cent(?:er|re)s?|campus|tower|building|fund|prize|award|act|law|bill)\b"
)
# "Jane Doe is a tech journalist who covers …": the author's box, not the article
_EN_AUTHOR_BIO = re.compile(
    r"^\s(?:is|has been)\s(?:a|an|the)\s(?:[\w-]+\s){0,4}?(?:journalist|reporter|writer|contributor|editor|correspondent|columnist|"
    r"(?:[\w-]+\s){0,2}covering)\b|^\s?(?:Follow|Author|Contributor)\b"
)
_BYLINE = re.compile(r"(?:^\s*[Bb]y|[Pp]hoto|[Ii]mage|[Cc]redit|©|[Ww]ritten by|[Rr]eporting by|[Ee]diting by)[:\s]+$")


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """First names from the US census lists in the ``names`` package (MIT), lower case; empty if absent."""
    try:
        import names  # type: ignore[import-untyped]
    except ImportError:
        return frozenset()
    folder = Path(names.__file__).parent
    found: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        path = folder / file
        if path.exists():
            found.update(line.split()[0].lower() for line in path.read_text().splitlines() if line.strip())
    return frozenset(found - _WORD_NAMES)


def _headline(line: str) -> bool:
    """A title-case line (headline, menu, related link): names there are chrome, not body."""
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if re.search(r"[.!?\"”]\s*$", line) or len(re.findall(r"[\u4e00-\u9fff가-힣]", line)) > 10:
        return False
    if len(words) < 4:
        return len(words) >= 2 and not re.search(r"[.!?,;:\"”]", line)
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.7


def unfinished_line(line: str) -> bool:
    """A short line that ends without a full stop: a headline, a related link, a caption or a menu."""
    line = line.strip()
    return len(line) < 160 and not re.search(r"[.!?。！？:：\"”’»)）」』]\W{0,3}$", line)


def _english(text: str, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    hits = list(_english_hits(text, gazetteer))
    # NVIDIA names chips after scientists: a name the article also uses for a thing is left out
    named = set(re.findall(r"\b(?:named|called|dubbed|code-?named)\s(?:after\s)?([A-Z][a-z]+)\b", text))
    for hit in hits:
        as_thing = re.search(re.escape(hit.name) + r"(?:,?\swhich\b|" + _EN_THING_AFTER.pattern[1:] + ")", text)
        if hit.name.split()[-1] not in named and not as_thing:
            yield hit


def _english_hits(text: str, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    given = _given_names()
    position = 0
    for line in text.split("\n"):
        line_start, position = position, position + len(line) + 1
        if not re.search(r"[A-Z][a-z]+\s[A-Z]", line) or _headline(line) or unfinished_line(line):
            continue
        accepted: list[tuple[int, int]] = []
        doubtful: list[tuple[int, int]] = []
        for run in _RUN.finditer(line):
            for name, start in _name_in_run(run.group(0), run.start(), gazetteer):
                end = start + len(name)
                before, after = line[max(0, start - 40) : start], line[end : end + 80]
                if _BYLINE.search(line[:start]) or re.match(r"^\s?[/|]", after) or not after.strip():
                    continue  # bylines, photo credits, a related link's author at the end of its line
                if _EN_THING_AFTER.match(after) or _EN_AUTHOR_BIO.match(after):
                    continue
                first = name.split()[0].rstrip(".").lower()
                strong = bool(_EN_BEFORE.search(before) or _CJK_ROLE_BEFORE.search(before) or _EN_AFTER_STRONG.match(after)
                              or _EN_OF_ORG_SAID.match(after))
                known_first = first in given
                as_place = re.search(r"\b(?:at|from|in|of)\s$", before) and not _EN_AFTER_SPEECH.match(after)
                cjk_speech = _EN_AFTER_SPEECH.match(after) and re.search(r"[\u4e00-\u9fff]", after[:4])
                if strong or (known_first and not as_place) or cjk_speech:
                    accepted.append((start, end))
                elif not as_place:
                    doubtful.append((start, end))
        # "the co-founders Michael Truell, Aman Sanger and Sualeh Asif": one name vouches for its list
        grew = True
        while grew:
            grew = False
            for span in list(doubtful):
                if any(_listed_together(line, span, other) for other in accepted):
                    accepted.append(span)
                    doubtful.remove(span)
                    grew = True
        for start, end in sorted(accepted):
            yield PersonHit(" ".join(line[start:end].split()), line_start + start, line_start + end)


def _listed_together(line: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    first, second = sorted((a, b))
    return bool(re.fullmatch(r"\s?(?:,|、|，|;)?\s?(?:and|&|和|及|与|以及|그리고)?\s?", line[first[1] : second[0]]))


def _name_in_run(run: str, offset: int, gazetteer: Gazetteer) -> Iterator[tuple[str, int]]:
    """The part of a capitalised run that can be a person's name: titles and organisations in front cut off,
    two or three words left, none of them a stop word."""
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", run)]
    index = 0
    while index < len(words) and (words[index][0].rstrip(".") in _EN_STOP or _overlaps_known(gazetteer, words[index][0])
                                  or _EN_ROLE_WORD.fullmatch(words[index][0])
                                  or words[index][0].endswith(("'s", "’s"))):
        index += 1
    rest = words[index:]
    core = [w for w, _ in rest if not re.fullmatch(_PARTICLE, w)]
    if not 2 <= len(core) <= 3:
        return
    if any(w.rstrip(".") in _EN_STOP or _overlaps_known(gazetteer, w) for w in core):
        return
    if all(re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)?", w) for w in core[1:]) or re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)?", core[-1]):
        return  # "John F." is a name cut short; "A. B." is no name
    if _overlaps_known(gazetteer, " ".join(core)) or _overlaps_known(gazetteer, " ".join(core[:2])):
        return
    start = rest[0][1]
    end = rest[-1][1] + len(rest[-1][0])
    yield run[start:end], offset + start


# ---------------------------------------------------------------- Korean

_KO_SURNAMES = set("김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감")
_KO_COMMON_SURNAMES = set("김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도석선설")
_KO_DOUBLE_SURNAMES = ("남궁", "제갈", "선우", "황보", "독고", "사공")
_KO_ROLES = (
    "대표이사 대표 최고경영자 의장 회장 부회장 사장 부사장 창업자 공동창업자 설립자 총괄 본부장 센터장 연구소장 소장 실장 팀장 랩장 "
    "부문장 사업부장 지사장 상무 전무 이사 고문 수석 교수 석좌교수 부교수 연구원 수석연구원 책임연구원 연구위원 박사 "
    "애널리스트 연구원 이코노미스트 전략가 장관 차관 제1차관 제2차관 실장 국장 과장 청장 처장 위원장 위원 의원 대변인 "
    "대통령 총리 부총리 비서관 수석비서관 판사 부장판사 대법관 검사 변호사 총장 원장 학장 디렉터 매니저 엔지니어 "
    "개발자 부대표 대표변호사 책임자 리더 CEO CTO CFO COO CPO CSO 최고기술책임자 최고재무책임자 최고운영책임자 "
    "최고제품책임자 경영자 최고과학자 수석과학자 과학자 부총장 의장 창립자 공동대표 단장 소장 주임 책임 회장님 선임"
).split()
_KO_ROLE_SET = set(_KO_ROLES)
_KO_ROLE_TAIL = re.compile(r"(?:대표|책임자|창업자|부문장|본부장|센터장|연구원|교수|의원|장관|차관|수석|판사|위원장|사장|회장|이사|총괄|디렉터|애널리스트)$")
_KO_NOT_ROLE = {"기자", "특파원", "앵커", "논설위원", "객원기자", "인턴기자"}  # bylines: never people of the article
_KO_CUES = re.compile(r"^(?:말하|밝히|설명하|강조하|덧붙이|전하|지적하|언급하|주장하|평가하|분석하|예상하|전망하|답하|말)")
# Korean spellings of common foreign given names: a two-word name starting with one is a name.
_KO_FOREIGN_GIVEN = set("""
존 제임스 마이클 마이크 데이비드 데이브 로버트 밥 빌 윌리엄 리처드 리차드 찰스 토머스 토마스 톰 조지 조셉 조지프 크리스 크리스토퍼
대니얼 다니엘 댄 매튜 매슈 맷 앤드루 앤드류 앤드 앤서니 앤토니 마크 스티브 스티븐 스테판 폴 피터 케빈 브라이언 제프 제프리 제이슨
에릭 에릭슨 조너선 조나단 잭 샘 사무엘 벤 벤저민 아담 애덤 닉 니콜라스 니컬러스 팀 티모시 저스틴 라이언 브래드 브래들리 제드 웨스
더그 더글러스 조시 조쉬 세바스티안 다라 일론 젠슨 리사 수전 수잔 메리 사라 새라 엘리자베스 제니퍼 제니 캐서린 케이트 에이미
로라 레베카 에밀리 줄리아 안나 애나 마리아 린다 낸시 카렌 베티 헬렌 셰릴 쉐릴 멜라니아 카멀라 도널드 조 버락 힐러리 버니
하워드 일리야 그레그 그렉 케빈 사티아 순다르 팀 데미스 무스타파 아서 아르튀르 얀 요슈아 제프리 얀 앤디 아만 마이크 크레이그 필 에디
론 레이 래리 세르게이 에드 에드워드 프랭크 헨리 해리 잭슨 루크 루카스 마르코 마르크 미셸 피에르 프랑수아 앙투안 알렉스
알렉산더 알렉산드르 이반 블라디미르 드미트리 무함마드 모하메드 아흐메드 하산 오마르 아미트 산자이 수닐 비노드
켄지 마사요시 히로시 다케시 마윈 마화텅 레이쥔
""".split())


@lru_cache(maxsize=1)
def _kiwi():
    """One Kiwi per process, single-threaded (the pipeline runs one per core), with its model only: the typo,
    multi-word and web-mined default dictionaries cost 0.5 s of start-up and, on the real-news dev set,
    changed one thing: a retailer (신세계) that the default dictionary lists as a proper noun was taken for a name."""
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=1, load_typo_dict=False, load_multi_dict=False, load_default_dict=False)


_KO_PLACES = set("한국 미국 중국 일본 영국 독일 대만 인도 국내 해외 정부 국무원 유럽 서울 부산 전국 세계 국회 여당 야당 당국".split())


def _native_name(form: str) -> bool:
    if form in _KO_PLACES:
        return False
    if not re.fullmatch(r"[가-힣]{2,4}", form):
        return False
    if form.startswith(_KO_DOUBLE_SURNAMES):
        return len(form) in (3, 4)
    return form[0] in _KO_SURNAMES and len(form) in (2, 3)


def _korean(text: str, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    if len(re.findall(r"[가-힣]", text)) < 50:
        return
    # Kiwi reads only the sentences that hold a title, a bracketed original or a known given name:
    # a name is accepted on no other evidence, and tokenising is most of this finder's cost
    evidence = _ko_evidence()
    for offset, sentence in _sentences(text, r"[가-힣]"):
        if evidence.search(sentence):
            yield from _korean_paragraph(sentence, offset, _kiwi().tokenize(sentence), gazetteer)


def _sentences(text: str, script: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text`` with at least a few characters of ``script``."""
    for match in re.finditer(r"[^\n.!?。！？]+(?:[.!?。！？]+[\"'”’」』）)]*|(?=\n)|$)", text):
        sentence = match.group(0)
        if len(re.findall(script, sentence)) >= 3:
            yield match.start(), sentence


@lru_cache(maxsize=1)
def _ko_evidence() -> re.Pattern[str]:
    words = sorted(set(_KO_ROLES) | _KO_NOT_ROLE, key=len, reverse=True)
    given = sorted(_KO_FOREIGN_GIVEN, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) + r"|[(（][A-Z]|(?<![가-힣])(?:" + "|".join(given) + r")\s[가-힣]")


def _is_role(token) -> bool:
    return token.form in _KO_ROLE_SET or bool(token.tag.startswith("NN") and _KO_ROLE_TAIL.search(token.form) and len(token.form) <= 7)


def _korean_paragraph(line: str, offset: int, tokens: list, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    def spaced(a, b) -> bool:
        return b.start == a.start + a.len + 1 and line[a.start + a.len] == " "

    def role_after(index: int) -> tuple[str | None, int]:
        """A role within three words after ``index`` (an organisation may stand between): its form and position."""
        for step, token in enumerate(tokens[index + 1 : index + 6]):
            if token.form in _KO_NOT_ROLE:
                return "byline", step
            if _is_role(token):
                return token.form, step
            if token.tag not in ("NNP", "NNG", "SL", "SN", "SH", "NNB", "XSN", "SSO", "SSC", "SP", "SO", "SW") or token.form in ("및", "등"):
                return None, step
            if token.tag in ("SSO", "SSC") and step == 0:
                return None, step
        return None, 0

    index = 0
    while index < len(tokens):
        token = tokens[index]
        foreign_given = token.form in _KO_FOREIGN_GIVEN
        if not (token.tag == "NNP" or foreign_given) or not re.fullmatch(r"[가-힣]+", token.form):
            index += 1
            continue
        # a run of proper nouns separated by single spaces: 제드 라코프, 세바스티안 시에미아트코프스키;
        # after a known given name, Kiwi's common noun is a surname too (잭 도시)
        run = [index]
        while run[-1] + 1 < len(tokens) and len(run) < 3:
            following = tokens[run[-1] + 1]
            allowed = following.tag == "NNP" or (following.tag == "NNG" and foreign_given and len(run) == 1)
            if allowed and re.fullmatch(r"[가-힣]+", following.form) and spaced(tokens[run[-1]], following) \
                    and not _is_role(following) and not gazetteer.by_name(following.form):
                run.append(run[-1] + 1)
            else:
                break
        hit = _korean_name(line, offset, tokens, run, role_after, gazetteer)
        if hit:
            yield hit
            index = run[-1] + 1
            # the title's own words (노바랩스 AI 인프라 사장) are no names
            for ahead in range(index, min(index + 6, len(tokens))):
                if _is_role(tokens[ahead]):
                    index = ahead + 1
                    break
        else:
            index += 1
    yield from _foreign_by_given_name(line, offset, tokens)
    yield from _native_by_shape(line, offset, tokens)


def _stem(line: str, tokens: list, word: str, word_at: int) -> tuple[str, list]:
    """A word's noun part, Kiwi's particle or ending cut off (홍길동은 → 홍길동), and its tokens."""
    inside = [t for t in tokens if word_at <= t.start < word_at + len(word)]
    cut = next((t.start for t in inside if t.tag.startswith(_KO_STEM_END) and t.start > word_at), None)
    stem = line[word_at:cut] if cut else (re.match(r"[가-힣]*", word).group(0))
    return stem, [t for t in inside if t.start < word_at + len(stem)]


def _native_by_shape(line: str, offset: int, tokens: list) -> Iterator[PersonHit]:
    """홍길동 한빛대 교수는: a family name and one or two syllables, then bare nouns and a title.
    Kiwi splits a name it has never seen (박/NNP 서/NNG 연/MM); a word it knows as one common noun (전문가) is no name."""
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", line)]
    for index, (word, at) in enumerate(words):
        stem, inside = _stem(line, tokens, word, at)
        if not _native_name(stem) or stem != word and not re.fullmatch(r"[가-힣]+", word[: len(stem)]):
            continue
        if stem != word or not inside:
            continue  # the name must stand bare before its organisation or title
        if _common_word(stem) or stem[0] not in _KO_COMMON_SURNAMES:
            continue  # a rare family name begins many loanwords (어도비, 마이크론): ask for Kiwi's proper noun instead
        previous = words[index - 1][0] if index else ""
        if previous in ("AI", "IT", "SW", "ICT", "전", "고", "故") or _native_name(previous) and not _common_word(previous):
            continue
        role = _title_after(line, tokens, words, index, short=len(stem) == 2)
        if role:
            yield PersonHit(stem, offset + at, offset + at + len(stem), role)


@lru_cache(maxsize=4096)
def _common_word(stem: str) -> bool:
    """A word Kiwi's dictionary holds as one common noun (전문가, 한국인) or reads as a verb or adverb.
    Names Kiwi has never seen come out as its unknown-word entries (ids 2 and 3) or in pieces."""
    tokens = _kiwi().tokenize(stem)
    if any(t.tag.startswith(("V", "E", "J", "MAG", "XS")) for t in tokens):
        return True
    return len(tokens) == 1 and tokens[0].tag != "NNP" and tokens[0].id > 3


def _title_after(line: str, tokens: list, words: list[tuple[str, int]], index: int, *, short: bool) -> str | None:
    """The title after a Korean name, across its organisation: bare nouns (노바랩스 AI 인프라), a quoted name
    ('너비의 깊이'), a stock code, or a list of names that share the title ("홍길동 노바(123450), 김영희 루마(234560) 대표")."""
    quoted, limit = False, 5
    for step, (following, following_at) in enumerate(words[index + 1 : index + 16]):
        if quoted or following[:1] in "'\"‘“「":
            quoted = not (re.search(r"['\"’”」]$", following) and (quoted or len(following) > 1))
            continue
        following = re.sub(r"[(（]\d{4,6}[)）]", "", following)  # 종목코드
        if not following:
            continue
        if following.endswith(",") and index + step + 2 < len(words):
            if _native_name(re.match(r"[가-힣]*", words[index + step + 2][0]).group(0)):
                limit = step + 5
                continue  # the next name of a list that shares the title
            return None
        bare = re.match(r"[^(（,.]*", following).group(0)
        bare = _stem(line, tokens, bare, following_at)[0] if re.match(r"[가-힣]", bare) else bare
        if bare in _KO_NOT_ROLE:
            return None
        if _is_role_text(bare):
            return bare if not short or step == 0 else None
        if bare != following or not re.fullmatch(r"[가-힣A-Za-z0-9·&]+", following):
            return None  # a particle or punctuation ends the apposition
        if step >= limit:
            return None
    return None


_KO_STEM_END = ("J", "E", "VCP", "XSV", "XSA", "S")


def _foreign_by_given_name(line: str, offset: int, tokens: list) -> Iterator[PersonHit]:
    """마이크 록웰이 / 다라 코스로샤히의: a known given name, then a word whose noun part (Kiwi's particle cut
    off) is the surname. Kiwi may misread a rare transliteration (다라 → 다 + 라); the words do not lie."""
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", line)]
    for index in range(len(words) - 1):
        given, at = words[index]
        given = given.lstrip("'\"‘“(")
        if given not in _KO_FOREIGN_GIVEN or not re.match(r"[가-힣]{2}", words[index + 1][0]):
            continue
        word, word_at = words[index + 1]
        inside = [t for t in tokens if word_at <= t.start < word_at + len(word)]
        cut = next((t.start for t in inside if t.tag.startswith(_KO_STEM_END) and t.start > word_at), None)
        stem = line[word_at:cut] if cut else re.match(r"[가-힣]+", word).group(0)
        if len(stem) < 2 or not re.fullmatch(r"[가-힣]+", stem) or _is_role_text(stem):
            continue
        tail = line[word_at + len(stem) : word_at + len(word)]
        after = [w for w, _ in words[index + 2 : index + 5]]
        before = words[index - 1][0] if index > 0 else ""
        role = next((w for w in after if _is_role_text(re.sub(r"[은는이가의을를와과도에게로,.]+$", "", w))), None)
        paren = re.match(r"\s?[(（]([A-Z][a-zA-Z'’-]+(?:\s[A-Z][a-zA-Z'’-]+){1,2})[)）]", line[word_at + len(stem) :])
        first_token = inside[0] if inside else None
        particle = first_token is not None and first_token.tag == "NNP" and re.match(r"(?:이|가|은|는|을|를|의|와|과|도|에게|측)(?:[\s,.]|$)", tail)
        if role in _KO_NOT_ROLE:
            continue
        if role or paren or particle or _is_role_text(re.sub(r"(?:인|이자|이며|겸)$", "", before)):
            start = at + (len(words[index][0]) - len(given))
            yield PersonHit(paren.group(1) if paren else line[start : word_at + len(stem)], offset + start,
                            offset + word_at + len(stem), role)


def _is_role_text(word: str) -> bool:
    return word in _KO_ROLE_SET or bool(_KO_ROLE_TAIL.search(word)) and len(word) <= 7


def _korean_name(line, offset, tokens, run, role_after, gazetteer) -> PersonHit | None:
    first = tokens[run[0]]
    before = tokens[run[0] - 1] if run[0] > 0 else None
    if first.form in _KO_PLACES:
        return None
    if gazetteer.by_name(first.form) and gazetteer.by_name(first.form).type != "person":
        return None
    # transliteration with its original: 리처드 소처(Richard Socher)
    last = tokens[run[-1]]
    paren = re.match(r"\s?[(（]((?:[A-Z][a-zA-Z'’-]+\s){1,2}[A-Z][a-zA-Z'’-]+)[)）]", line[last.start + last.len :])
    if paren and len(run) >= 2 and all(tokens[i].tag == "NNP" or tokens[i].form in _KO_FOREIGN_GIVEN for i in run):
        return _ko_hit(paren.group(1), line, offset, first, last, None)
    preceding_role = before is not None and _is_role(before) and before.form not in _KO_NOT_ROLE
    foreign_given = first.form in _KO_FOREIGN_GIVEN
    # a Korean name: 홍길동 (노바랩스) 대표는; a two-syllable one only right before its title
    if before is not None and before.form in ("AI", "IT", "SW", "ICT", "디지털") or _native_name(before.form if before else "") \
            and before.tag == "NNP" and first.start == before.start + before.len + 1:
        return None  # 노바랩스 AI 인프라 사장, 홍길동 신세계 회장: a title's or an organisation's word
    if _native_name(first.form) and not (foreign_given and len(run) >= 2) and first.tag == "NNP":
        role, step = role_after(run[0])
        if role == "byline":
            return None
        if (role and (len(first.form) > 2 or step == 0)) or (preceding_role and _cue_follows(tokens, run[0])):
            return _ko_hit(first.form, line, offset, first, first, role)
        return None
    if len(run) >= 2:
        names = run[:2]
        if len(first.form) < 2 and not foreign_given:
            return None
        tail = tokens[names[-1]]
        if any(gazetteer.by_name(tokens[i].form) for i in names):
            return None
        if not re.fullmatch(r"[가-힣]{1,5}", first.form) or first.form[-1] in "의은는이가을를":
            return None
        role, step = role_after(names[-1])
        if role == "byline":
            return None
        if (role and step <= (3 if foreign_given else 0)) or (preceding_role and (foreign_given or _cue_follows(tokens, names[-1]))):
            return _ko_hit(None, line, offset, first, tail, role)
    return None


def _cue_follows(tokens: list, index: int) -> bool:
    """A speech verb in the words after the name: 말했다, 밝혔다, 설명했다."""
    return any(_KO_CUES.match(t.form) for t in tokens[index + 1 : index + 25] if t.tag.startswith("V") or t.tag == "NNG")


def _ko_hit(english: str | None, line: str, offset: int, first, last, role: str | None) -> PersonHit:
    start, end = first.start, last.start + last.len
    return PersonHit(english or line[start:end], offset + start, offset + end, role)


# ---------------------------------------------------------------- Chinese

_ZH_ROLES = (
    "创始人兼CEO 创始人兼首席执行官 联合创始人 创始人 首席执行官 首席技术官 首席科学家 首席财务官 首席运营官 首席产品官 首席分析师 "
    "CEO CTO CFO COO 董事长 董事 副董事长 总裁 副总裁 高级副总裁 执行副总裁 总经理 副总经理 负责人 合伙人 主席 经理 总监 "
    "教授 副教授 研究员 分析师 科学家 工程师 院长 所长 校长 部长 主任 议员 参议员 总统 总理 法官 律师 发言人 高管 主管 掌门人 "
    "首席 创办人 发起人 董事会主席 研究主管 工程师 总裁兼CEO 执行董事"
).split()
_ZH_ROLE = re.compile(r"(?:" + "|".join(sorted(map(re.escape, _ZH_ROLES), key=len, reverse=True)) + r"|首席[\u4e00-\u9fff]{1,4}官)$")
_ZH_EVIDENCE = re.compile("|".join(map(re.escape, _ZH_ROLES)) + r"|首席|研究组|课题组|团队|表示|称|说|指出|认为|透露|介绍|坦言|强调|回应|发文|写道|告诉|提到|解释|补充|预计|预测|宣布|直言|评价|谈到|[（(][A-Z]")
_ZH_NOT_ROLE = ("记者", "编辑", "作者", "责编", "编译", "撰文", "摄影", "来源")
_ZH_CUE = re.compile(r"^(?:研究组|课题组|研究团队|团队|实验室|表示|称|说|指出|认为|透露|介绍|坦言|强调|回应|发文|写道|告诉|提到|解释|补充|预计|预测|宣布|直言|评价|分析|谈到|在接受)")
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


def _chinese(text: str, gazetteer: Gazetteer) -> Iterator[PersonHit]:
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 50 or len(re.findall(r"[가-힣]", text)) > 20:
        return
    found: list[PersonHit] = []
    for match in _DOTTED.finditer(text):
        cut, name = _trim_dotted(match.group(1))
        start = match.start(1) + cut
        parts = re.split(r"[·・•‧]", name)
        if any(len(p) < 1 for p in parts) or len(name) < 4 or _chrome_line(text, match.start()):
            continue
        if _overlaps_known(gazetteer, name) or any(_overlaps_known(gazetteer, p) for p in re.split(r"[·・•‧]", name)):
            continue  # 豆包·语音: a product line, not a person
        found.append(_zh_hit(text, name, start, None))
    for match in _ZH_ROLE_NAME_CUE.finditer(text):
        name = match.group(1)
        if name[0] in _ZH_SURNAMES and not _chrome_line(text, match.start()) and name not in _ZH_STOP_NAMES:
            found.append(_zh_hit(text, name, match.start(1), None))
    # jieba reads only the sentences that hold a title, a speech verb or a bracketed original (as Kiwi above)
    for start, sentence in _sentences(text, r"[\u4e00-\u9fff]"):
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
        if _overlaps_known(gazetteer, word):
            continue
        previous = "".join(w.word for w in words[max(0, index - 3) : index])
        following = "".join(w.word for w in words[index + 1 : index + 3])
        previous = previous.rstrip()
        role_before = bool(_ZH_ROLE.search(previous)) and not any(previous.endswith(w) for w in _ZH_NOT_ROLE)
        cue_after = bool(_ZH_CUE.match(following))
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
