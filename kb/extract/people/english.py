"""English names: capitalised runs beside a title, an apposition or a speech verb, or led by a known given name."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from kb.extract.gazetteer import Gazetteer
from kb.extract.sentences import Sentence
from kb.extract.people.base import PersonHit, overlaps_known, unfinished_line

_NAME_WORD = r"(?:[A-Z][a-z]{0,2}[A-Z]?[a-z]+(?:-[A-Z][a-z]+)?|[A-Z]['’][A-Z][a-z]+|[A-Z]\.(?:[A-Z]\.)?)"
_PARTICLE = r"(?:van|von|de|der|da|di|del|dos|bin|al|la|le)"
_RUN = re.compile(r"(?<![A-Za-z0-9_.&@#/-])" + _NAME_WORD + r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+)?" + _NAME_WORD + r")+(?![A-Za-z0-9_&@/]|\.[A-Za-z0-9])")

# Words that begin or end capitalised runs without being names: titles, places, organisations, calendar.
EN_STOP = set("""
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


def english_people(text: str, gazetteer: Gazetteer, split: list[Sentence] | None = None) -> Iterator[PersonHit]:
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
    while index < len(words) and (words[index][0].rstrip(".") in EN_STOP or overlaps_known(gazetteer, words[index][0])
                                  or _EN_ROLE_WORD.fullmatch(words[index][0])
                                  or words[index][0].endswith(("'s", "’s"))):
        index += 1
    rest = words[index:]
    core = [w for w, _ in rest if not re.fullmatch(_PARTICLE, w)]
    if not 2 <= len(core) <= 3:
        return
    if any(w.rstrip(".") in EN_STOP or overlaps_known(gazetteer, w) for w in core):
        return
    if all(re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)?", w) for w in core[1:]) or re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)?", core[-1]):
        return  # "John F." is a name cut short; "A. B." is no name
    if overlaps_known(gazetteer, " ".join(core)) or overlaps_known(gazetteer, " ".join(core[:2])):
        return
    start = rest[0][1]
    end = rest[-1][1] + len(rest[-1][0])
    yield run[start:end], offset + start
