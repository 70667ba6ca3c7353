"""Sentence boundaries with character offsets: every fact points back at one."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "LINK_LINE"]


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str


# A line that is nothing but a Markdown link, bulleted or not ("- [Headline](https://…)"): in a clipped
# page, another article's headline, never the article's own sentence.
LINK_LINE = re.compile(r"^[\s*•·-]*\[[^\]]*\]\((?:[^)]+|\S+)\)[\s*]*$")

# A full stop (or !, ?, CJK stops) followed by space or a closing quote and space.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|(?<=[。！？])[”’」』）)]*\s*")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Inc|Corp|Co|Ltd|vs|etc|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"U\.S|U\.K|e\.g|i\.e|a\.m|p\.m)|\b[A-Z])\.\s+$"
)


def split_sentences(text: str) -> list[Sentence]:
    """Split on paragraph breaks, then on sentence-final punctuation."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph_index, line in enumerate(text.split("\n")):
        start = 0
        for boundary in _BOUNDARY.finditer(line):
            if _ABBREVIATIONS.search(line[: boundary.end()]):
                continue
            _append(sentences, paragraph_index, offset, line, start, boundary.end())
            start = boundary.end()
        _append(sentences, paragraph_index, offset, line, start, len(line))
        offset += len(line) + 1
    return sentences


def _append(sentences: list[Sentence], paragraph: int, offset: int, line: str, start: int, end: int) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = offset + start + lead
    sentences.append(Sentence(len(sentences), paragraph, begin, begin + len(stripped), stripped))
