"""Korean names: Kiwi's proper nouns and unknown words next to a title; foreign names by their given name."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from kb.extract.gazetteer import Gazetteer
from kb.extract.sentences import Sentence
from kb.extract.people.base import PersonHit, sentences

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


def korean_people(text: str, gazetteer: Gazetteer, split: list[Sentence] | None = None) -> Iterator[PersonHit]:
    if len(re.findall(r"[가-힣]", text)) < 50:
        return
    # Kiwi reads only the sentences that hold a title, a bracketed original or a known given name:
    # a name is accepted on no other evidence, and tokenising is most of this finder's cost
    evidence = _ko_evidence()
    for offset, sentence in sentences(text, r"[가-힣]", split):
        if evidence.search(sentence):
            yield from _korean_paragraph(sentence, offset, _kiwi().tokenize(sentence), gazetteer)


# An English original in brackets after a transliteration: 리처드 소처(Richard Socher)
_PAREN_ORIGINAL = r"[(（](?:[A-Z][a-zA-Z'’-]+\s){1,2}[A-Z][a-zA-Z'’-]+[)）]"


@lru_cache(maxsize=1)
def _ko_evidence() -> re.Pattern[str]:
    """What every path below needs to yield a name: a title, a known given name before a word, or a
    bracketed English original of two or three words. A byline word (기자) or a bracketed "(CEO)" alone
    yields nothing, so it does not send a sentence to Kiwi (107 → 66 sentences on the demo corpus)."""
    given = sorted(_KO_FOREIGN_GIVEN, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, sorted(_KO_ROLES, key=len, reverse=True))) + "|" + _PAREN_ORIGINAL
                      + r"|(?<![가-힣])(?:" + "|".join(given) + r")\s[가-힣]")


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
