"""Synthetic news articles for the benchmarks, recombined from the demo articles' own sentences.

No real news text is used: every sentence comes from ``kb/demo/articles`` (written
by the ai-news-kb authors). Each sentence is turned into many variants by
swapping the companies, models and people it names for others of the same type
(names and their Korean/English/Chinese spellings come from the gold files in
``tests/gold/demo``) and by changing its numbers and dates. An article is a
random draw of such variants, so no two articles have the same text, and each
variant remembers where its names are, so the facts of an article come with
real character offsets.

Names are drawn with Zipf-like weights (the most common name appears in a few
per cent of articles, the rarest almost never), as in a real news stream.

    from bench.synthetic import SentencePool
    pool = SentencePool(seed=1)
    article = pool.article(rng, "ko")   # title, paragraphs, mentions with offsets
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_DIR = ROOT / "kb" / "demo" / "articles"
GOLD_DIR = ROOT / "tests" / "gold" / "demo"

TYPES = ("companies", "models", "people")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = {
    "ko": re.compile(r"(?<=[.!?])\s+"),
    "en": re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z\"“‘(])"),
    "zh": re.compile(r"(?<=[。！？；])"),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Name:
    kind: str  # companies | models | people
    canonical: str
    spelling: dict[str, str]  # language → how that language's press writes it
    rank: int  # 0 = most common


@dataclass
class Variant:
    text: str
    mentions: list[tuple[int, int, Name]]  # start, end (within text), entity


@dataclass
class SyntheticArticle:
    language: str
    title: str
    paragraphs: list[str]
    mentions: list[tuple[int, int, Name]] = field(default_factory=list)  # offsets into text()

    def text(self) -> str:
        """The article's plain text as kb.parse returns it: title line, then one line per paragraph."""
        return "\n".join([self.title, *self.paragraphs])

    def body(self) -> str:
        """The body in the demo article format (paragraphs separated by blank lines)."""
        return "\n\n".join(self.paragraphs)


def load_names(gold_dir: Path = GOLD_DIR) -> list[Name]:
    """Companies, models and people of the gold files, most mentioned first, with a spelling per language."""
    spellings: dict[tuple[str, str], set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for kind in TYPES:
            for bucket in ("required", "optional"):
                for entity in (gold.get(kind) or {}).get(bucket, []):
                    key = (kind, entity["name"])
                    spellings.setdefault(key, set()).update(entity.get("accept") or [entity["name"]])
                    spellings[key].add(entity["name"])
                    counts[key] = counts.get(key, 0) + (2 if bucket == "required" else 1)
    names = []
    for rank, key in enumerate(sorted(counts, key=lambda k: (-counts[k], k))):
        kind, canonical = key
        forms = sorted(spellings[key], key=lambda s: (len(s), s))
        # the shortest spelling of each script, but not a bare surname/initials when a fuller one exists
        ko = next((s for s in forms if _HANGUL.search(s) and " " in s), None) if kind == "people" else None
        ko = ko or next((s for s in forms if _HANGUL.search(s) and len(s) >= 2), None)
        zh = next((s for s in forms if _HAN.search(s) and not _HANGUL.search(s)), None)
        spelling = {"en": canonical, "ko": ko or canonical, "zh": zh or canonical}
        names.append(Name(kind, canonical, spelling, rank))
    return names


class SentencePool:
    """Variants of every demo sentence, per language, with the names they mention."""

    def __init__(self, seed: int = 1, variants_per_sentence: int = 24, languages: tuple[str, ...] = ("ko", "en", "zh")):
        rng = random.Random(seed)
        self.names = load_names()
        self.by_kind = {k: [n for n in self.names if n.kind == k] for k in TYPES}
        # Zipf-like weights within each kind: the most common name is drawn ~1/(rank+1.5) as often
        self.weights = {k: list(accumulate(1.0 / (i + 1.5) for i in range(len(v)))) for k, v in self.by_kind.items()}
        spellings = {}
        for name in self.names:
            for form in _all_spellings(name):
                if len(form) >= 2 and form.lower() not in {"x", "ms", "ai", "it"}:
                    spellings.setdefault(form, name)
        alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
        self._spellings = spellings
        self._name_re = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])")
        self.sentences: dict[str, list[Variant]] = {}
        self.titles: dict[str, list[Variant]] = {}
        self.authors: dict[str, list[str]] = {}
        self.sections: dict[str, list[str]] = {}
        self.paragraph_shapes: dict[str, list[int]] = {}  # sentences per paragraph, as the demo articles have them
        base_sentences: dict[str, list[str]] = {lang: [] for lang in languages}
        base_titles: dict[str, list[str]] = {lang: [] for lang in languages}
        for path in sorted(ARTICLES_DIR.glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            lang = data["language"]
            if lang not in languages:
                continue
            base_titles[lang].append(" ".join(str(data["title"]).split()))
            self.authors.setdefault(lang, []).append(str(data["author"]))
            self.sections.setdefault(lang, []).append(str(data.get("section") or ""))
            for block in re.split(r"\n\s*\n", str(data["body"]).strip()):
                block = " ".join(block.split())
                if not block or block.startswith("## ") or block.startswith("["):
                    continue  # headings and bylines ("[한빛경제 정유진 기자] …") belong to one outlet
                parts = [s.strip() for s in _SENTENCE_END[lang].split(block) if s.strip()]
                base_sentences[lang].extend(parts)
                self.paragraph_shapes.setdefault(lang, []).append(max(1, min(len(parts), 5)))
        for lang in languages:
            self.sentences[lang] = [self._vary(s, lang, rng) for s in base_sentences[lang] for _ in range(variants_per_sentence)]
            self.titles[lang] = [self._vary(t, lang, rng) for t in base_titles[lang] for _ in range(variants_per_sentence * 8)]
            self.paragraph_shapes[lang] = self.paragraph_shapes.get(lang) or [3]
        self.languages = languages

    # ------------------------------------------------------------ variants

    def pick(self, kind: str, rng: random.Random) -> Name:
        names, weights = self.by_kind[kind], self.weights[kind]
        return names[min(bisect(weights, rng.random() * weights[-1]), len(names) - 1)]

    def _vary(self, sentence: str, lang: str, rng: random.Random) -> Variant:
        """Swap every name for a random one of its kind (the same one each time it recurs) and vary the numbers."""
        swap: dict[str, Name] = {}
        out: list[str] = []
        mentions: list[tuple[int, int, Name]] = []
        position, cursor = 0, 0
        for match in self._name_re.finditer(sentence):
            before = _vary_numbers(sentence[cursor:match.start()], rng)
            out.append(before)
            position += len(before)
            original = self._spellings[match.group()]
            if original.canonical not in swap:
                swap[original.canonical] = self.pick(original.kind, rng)
            name = swap[original.canonical]
            spelled = name.spelling[lang]
            out.append(spelled)
            mentions.append((position, position + len(spelled), name))
            position += len(spelled)
            cursor = match.end()
        out.append(_vary_numbers(sentence[cursor:], rng))
        return Variant("".join(out), mentions)

    # ------------------------------------------------------------ articles

    def article(self, rng: random.Random, lang: str, sentences: tuple[int, int] | None = None) -> SyntheticArticle:
        """A new article: a varied title and paragraphs of sentence variants, shaped like the demo articles."""
        low, high = sentences or ((14, 26) if lang != "en" else (16, 30))
        wanted = rng.randint(low, high)
        title = rng.choice(self.titles[lang])
        pool = self.sentences[lang]
        paragraphs: list[str] = []
        mentions = [(s, e, n) for s, e, n in title.mentions]
        offset = len(title.text) + 1  # the title line and its newline
        used = 0
        while used < wanted:
            shape = min(rng.choice(self.paragraph_shapes[lang]), wanted - used)
            parts = []
            for _ in range(shape):
                variant = rng.choice(pool)
                if parts:
                    offset += 1 if lang != "zh" else 0  # the space joining sentences (none in Chinese)
                mentions.extend((offset + s, offset + e, n) for s, e, n in variant.mentions)
                offset += len(variant.text)
                parts.append(variant.text)
            paragraph = ("" if lang == "zh" else " ").join(parts)
            paragraphs.append(paragraph)
            offset += 1  # newline between paragraphs
            used += shape
        return SyntheticArticle(lang, title.text, paragraphs, mentions)


def _all_spellings(name: Name) -> set[str]:
    return set(name.spelling.values()) | {name.canonical}


def _vary_numbers(text: str, rng: random.Random) -> str:
    if not text:
        return text
    return _NUMBER.sub(lambda m: _vary_number(m.group(), text, m.end(), rng), text)


def _vary_number(number: str, text: str, end: int, rng: random.Random) -> str:
    following = text[end:end + 1]
    if "." in number:
        whole, decimals = number.split(".")
        value = rng.uniform(0.1, 10 ** len(whole))
        return f"{value:.{len(decimals)}f}"
    value = int(number)
    if len(number) == 4 and number.startswith(("19", "20")):
        return str(rng.randint(2023, 2026))
    if following == "월" or following == "月":
        return str(rng.randint(1, 12))
    if value <= 31:
        return str(rng.randint(1, 28))
    digits = len(number)
    return str(rng.randint(10 ** (digits - 1), 10 ** digits - 1))


def check_offsets(article: SyntheticArticle) -> None:
    """Every mention's offsets point at its spelling in the article's text (used by the tests of the generator)."""
    text = article.text()
    for start, end, name in article.mentions:
        assert text[start:end] == name.spelling[article.language], (text[start:end], name)


if __name__ == "__main__":
    pool = SentencePool()
    rng = random.Random(7)
    for lang in pool.languages:
        sample = pool.article(rng, lang)
        check_offsets(sample)
        print(f"--- {lang}: {len(pool.sentences[lang])} sentence variants, {len(sample.text())} characters, "
              f"{len(sample.mentions)} mentions")
        print(sample.text()[:600])
