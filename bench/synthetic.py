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
class Template:
    """A sentence with its names cut out: literal text and (kind, slot) holes, filled per article."""

    parts: list[str | tuple[str, int]]


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
    """Templates of every demo sentence, per language, and the names to fill them with."""

    def __init__(self, seed: int = 1, variants_per_sentence: int = 8, languages: tuple[str, ...] = ("ko", "en", "zh"),
                 candidates: int = 20000):
        rng = random.Random(seed)
        self.names = load_names()
        self.by_kind = {k: [n for n in self.names if n.kind == k] for k in TYPES}
        # Zipf-like weights within each kind: a name of rank r is drawn ~1/(r+1.5) as often as... the first
        self.weights = {k: list(accumulate(1.0 / (i + 1.5) for i in range(len(v)))) for k, v in self.by_kind.items()}
        self.candidates = _candidate_names(candidates, random.Random(seed + 1))
        self.tail = {k: [n for n in self.candidates if n.kind == k] for k in TYPES}
        spellings = {}
        for name in self.names:
            for form in _all_spellings(name):
                if len(form) >= 2 and form.lower() not in {"x", "ms", "ai", "it"}:
                    spellings.setdefault(form, name)
        alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
        self._spellings = spellings
        self._name_re = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])")
        self.sentences: dict[str, list[Template]] = {}
        self.titles: dict[str, list[Template]] = {}
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
            self.sentences[lang] = [self._template(s, rng) for s in base_sentences[lang] for _ in range(variants_per_sentence)]
            self.titles[lang] = [self._template(t, rng) for t in base_titles[lang] for _ in range(variants_per_sentence * 8)]
            self.paragraph_shapes[lang] = self.paragraph_shapes.get(lang) or [3]
        self.languages = languages

    # ------------------------------------------------------------ names

    TAIL_SHARE = {"companies": 0.35, "models": 0.25, "people": 0.6}  # names outside the known ones
    CAST = {"companies": (2, 5), "models": (1, 4), "people": (1, 3)}  # names one article is about

    def pick(self, kind: str, rng: random.Random) -> Name:
        if rng.random() < self.TAIL_SHARE[kind] and self.tail[kind]:
            return rng.choice(self.tail[kind])
        names, weights = self.by_kind[kind], self.weights[kind]
        return names[min(bisect(weights, rng.random() * weights[-1]), len(names) - 1)]

    def cast(self, rng: random.Random) -> dict[str, list[Name]]:
        """The few companies, models and people one article is about (every name hole is filled from these)."""
        out = {}
        for kind, (low, high) in self.CAST.items():
            chosen: list[Name] = []
            for _ in range(rng.randint(low, high)):
                name = self.pick(kind, rng)
                if name not in chosen:
                    chosen.append(name)
            out[kind] = chosen
        return out

    # ------------------------------------------------------------ templates

    def _template(self, sentence: str, rng: random.Random) -> Template:
        """Cut the names out of a sentence (the same name twice is the same hole) and vary its numbers."""
        slots: dict[str, int] = {}
        parts: list[str | tuple[str, int]] = []
        cursor = 0
        for match in self._name_re.finditer(sentence):
            parts.append(_vary_numbers(sentence[cursor:match.start()], rng))
            original = self._spellings[match.group()]
            slot = slots.setdefault(original.canonical, sum(1 for k in slots if self._kind_of(k) == original.kind))
            parts.append((original.kind, slot))
            cursor = match.end()
        parts.append(_vary_numbers(sentence[cursor:], rng))
        return Template([p for p in parts if p != ""])

    def _kind_of(self, canonical: str) -> str:
        return next(n.kind for n in self.names if n.canonical == canonical)

    @staticmethod
    def _fill(template: Template, lang: str, cast: dict[str, list[Name]], shift: int, offset: int,
              mentions: list[tuple[int, int, Name]]) -> str:
        out = []
        for part in template.parts:
            if isinstance(part, str):
                out.append(part)
                offset += len(part)
                continue
            kind, slot = part
            names = cast[kind]
            name = names[(slot + shift) % len(names)]
            spelled = name.spelling[lang]
            mentions.append((offset, offset + len(spelled), name))
            out.append(spelled)
            offset += len(spelled)
        return "".join(out)

    # ------------------------------------------------------------ articles

    def article(self, rng: random.Random, lang: str, sentences: tuple[int, int] | None = None) -> SyntheticArticle:
        """A new article about a few names: a title and paragraphs of filled templates, shaped like the demo articles."""
        low, high = sentences or ((14, 26) if lang != "en" else (16, 30))
        wanted = rng.randint(low, high)
        cast = self.cast(rng)
        mentions: list[tuple[int, int, Name]] = []
        title = self._fill(rng.choice(self.titles[lang]), lang, cast, 0, 0, mentions)
        pool = self.sentences[lang]
        joiner = "" if lang == "zh" else " "
        paragraphs: list[str] = []
        offset = len(title) + 1  # the title line and its newline
        used = 0
        while used < wanted:
            shape = min(rng.choice(self.paragraph_shapes[lang]), wanted - used)
            parts = []
            for _ in range(shape):
                if parts:
                    offset += len(joiner)
                text = self._fill(rng.choice(pool), lang, cast, rng.randrange(6), offset, mentions)
                offset += len(text)
                parts.append(text)
            paragraphs.append(joiner.join(parts))
            offset += 1  # newline between paragraphs
            used += shape
        return SyntheticArticle(lang, title, paragraphs, mentions)


_KO_SYLLABLES = "가나다라마바사아자차카타파하코로모보소오조토포호루무부수우주쿠투푸후리미비시이지키티피히렌엘온진현서윤"
_LATIN_SYLLABLES = ["va", "lo", "ra", "ne", "xi", "qu", "ta", "mi", "so", "ka", "zen", "or", "lu", "pa", "dri", "ve", "no", "sy"]
_ZH_CHARS = "智元星云深思天工灵犀百川月之暗面零一万物阶跃光年海螺昆仑华夏新锐"
_EN_FIRST = ["Alex", "Jordan", "Priya", "Wei", "Mina", "Daniel", "Sofia", "Kenji", "Laura", "Omar", "Grace", "Ivan", "Hana", "Leo"]
_EN_LAST = ["Park", "Chen", "Smith", "Garcia", "Kim", "Nakamura", "Okafor", "Rossi", "Novak", "Singh", "Weber", "Lopez", "Ahn"]
_KO_FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
_KO_GIVEN = ["민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지민", "현우", "유진", "태윤", "서진", "하람", "가온"]


def _candidate_names(count: int, rng: random.Random) -> list[Name]:
    """Names outside the known ones, as a stream of news has them: new companies, models and people."""
    seen: set[str] = set()
    out: list[Name] = []
    kinds = ["companies", "people", "models"]
    for _ in range(count * 20):
        if len(out) >= count:
            break
        kind = kinds[len(out) % 3]
        if kind == "companies":
            en = "".join(rng.choice(_LATIN_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() + rng.choice(
                [" AI", " Labs", " Robotics", " Systems", "", " Technologies"])
            ko = "".join(rng.choice(_KO_SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(["AI", "테크", "랩스", ""])
            zh = "".join(rng.choice(_ZH_CHARS) for _ in range(rng.randint(2, 4))) + rng.choice(["科技", "智能", ""])
        elif kind == "people":
            en = (f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
                  f"-{''.join(rng.choice(_LATIN_SYLLABLES) for _ in range(2)).capitalize()}")
            ko = f"{rng.choice(_KO_FAMILY)}{rng.choice(_KO_GIVEN)}"
            ko = ko if rng.random() < 0.5 else en
            zh = en
        else:
            en = "".join(rng.choice(_LATIN_SYLLABLES) for _ in range(2)).capitalize() + f"-{rng.randint(1, 99)}"
            ko = zh = en
        if en in seen:
            continue
        seen.add(en)
        out.append(Name(kind, en, {"en": en, "ko": ko, "zh": zh}, rank=10_000 + len(out)))
    return out


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
