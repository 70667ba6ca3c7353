"""What the three finders share: the hit they return, sentences, and the lines that are chrome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from kb.extract.gazetteer import Gazetteer
from kb.extract.sentences import LINK_LINE, Sentence, split_sentences

__all__ = ["PersonHit", "Span", "in_link_list", "overlaps_known", "sentences", "unfinished_line"]

Span = tuple[int, int]


@dataclass(frozen=True)
class PersonHit:
    """One mention of a person: ``name`` is the English name when the text or the gazetteer gives it."""

    name: str
    start: int
    end: int
    role: str | None = None


def overlaps_known(gazetteer: Gazetteer, name: str) -> bool:
    """The gazetteer knows this name as a company or a model."""
    entity = gazetteer.by_name(name)
    return bool(entity and entity.type != "person")


def in_link_list(text: str, position: int) -> bool:
    """A related-article link ("- [Headline](https://…)"): chrome, whose names are not the article's people."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return bool(LINK_LINE.match(text[start : end if end >= 0 else len(text)]))

def unfinished_line(line: str) -> bool:
    """A short line that ends without a full stop: a headline, a related link, a caption or a menu."""
    line = line.strip()
    return len(line) < 160 and not re.search(r"[.!?。！？:：\"”’»)）」』]\W{0,3}$", line)

def sentences(text: str, script: str, split: list[Sentence] | None = None) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text`` (the extractor's own split, passed in when the
    caller has it, so that the text is not split again) with at least a few characters of ``script``."""
    for sentence in split_sentences(text) if split is None else split:
        if len(re.findall(script, sentence.text)) >= 3:
            yield sentence.start, sentence.text