"""People the gazetteer does not know, in English, Korean and Chinese.

News names its people by a few shapes that hold across papers: a title or a
speech verb beside a name ("said Dana Whitfield, an analyst at …", "박지현
노바랩스 대표는", "分析师陈立表示"), a transliteration with its original in
brackets ("리처드 소처(Richard Socher)"), a given name the reader knows as one.
This package looks for those shapes, one module per language:

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
from typing import Iterable

from kb.extract.gazetteer import Gazetteer
from kb.extract.people.base import PersonHit, Span, in_link_list, unfinished_line
from kb.extract.people.chinese import ZH_CUE, chinese_people
from kb.extract.people.english import EN_STOP, english_people
from kb.extract.people.korean import korean_people
from kb.extract.sentences import Sentence

__all__ = ["PersonHit", "find_people", "in_link_list", "plausible_name", "unfinished_line"]


def find_people(text: str, gazetteer: Gazetteer, taken: Iterable[Span] = (), sentences: list[Sentence] | None = None) -> list[PersonHit]:
    """People named in ``text`` outside the ``taken`` spans (names already found); ``sentences`` is the
    extractor's split of ``text``, if the caller has it."""
    taken = list(taken)
    hits: list[PersonHit] = []
    for finder in (english_people, korean_people, chinese_people):
        for hit in finder(text, gazetteer, sentences):
            if any(s < hit.end and hit.start < e for s, e in taken) or in_link_list(text, hit.start):
                continue
            hits.append(hit)
            taken.append((hit.start, hit.end))
    return hits


def plausible_name(name: str) -> bool:
    """False for a Latin-letter "name" with a title, place or headline word in it ("For Strategic Guidance"),
    and for a speech verb taken for a Chinese name (透露)."""
    if ZH_CUE.match(name):
        return False
    return not any(word.rstrip(".,") in EN_STOP for word in name.split() if re.match(r"[A-Za-z]", word))
