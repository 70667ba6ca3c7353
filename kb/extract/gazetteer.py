"""The gazetteer: every company, model and person we know, with the names the press uses.

It is data (``kb/data/gazetteer/*.yml``), loaded once, and compiled into an
index keyed by the first character of each alias so that finding names in an
article is one pass over its characters, not one regular expression per alias.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

# libyaml's loader is five times faster than the pure-Python one; use it where it is built in.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["Entity", "Gazetteer", "NameMatch", "DEFAULT_GAZETTEER_DIR", "GENERIC_KINDS", "PRODUCT_KINDS", "load_gazetteer", "normalise_name"]

DEFAULT_GAZETTEER_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"

# Model kinds that are not one model: apps, plans and agents (ChatGPT, ChatGPT Plus), and whole
# families (Qwen, Claude). Prices and events look past them to a specific model when there is one.
PRODUCT_KINDS = frozenset({"product", "agent"})
GENERIC_KINDS = PRODUCT_KINDS | {"model_family"}

ENTITY_FILES = {"company": "companies.yml", "model": "models.yml", "person": "people.yml"}

# Particles and light suffixes that attach to a Korean name inside one eojeol
# (딥시크가, 오픈AI의, 구글과의, 메타측은). A Hangul name counts as a whole word only
# when what follows it is one of these or not Hangul at all: 메타 in 메타버스 is not Meta.
KOREAN_PARTICLES = sorted(
    """이 가 은 는 을 를 의 와 과 도 로 으로 에 에서 에게 께서 까지 부터 만 처럼 보다 이나 나 라는 이라는 이란 란
    이며 며 이자 자 와의 과의 에서는 에서도 으로는 로는 으로부터 로부터 에는 에도 에게는 이다 다 였다 이었다 랑 이랑 하고
    조차 마저 뿐 들 들이 들은 들의 측 측은 측이 측의 측도 측에 사 사의 사는 사가 보다도 만큼 같은 등 등은 등이 등의 등과
    이라고 라고 이라며 라며 이라면 라면 이지만 지만 인 이었던 였던 에선 에겐 과는 와는 과도 와도 처럼""".split(),
    key=len,
    reverse=True,
)
_PARTICLE_ALTERNATION = "|".join(KOREAN_PARTICLES)

_SEPARATOR = r"[\s\-_·‧]?"
_HANGUL_TAIL = re.compile(rf"(?:{_PARTICLE_ALTERNATION})?(?![\uac00-\ud7a3])")
_SPLIT_ALIAS = re.compile(r"[\s\-_·‧]+")
# a run of Hangul or of Han: the press writes "오픈 AI" and "오픈AI", "文心大模型 3.5" and "文心大模型3.5"
_CJK_RUN = re.compile(r"([\uac00-\ud7a3]+|[\u4e00-\u9fff]+)")


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    # cached: the matcher asks it of every candidate position's characters, a few hundred thousand times per 100 articles
    if "\uac00" <= char <= "\ud7a3" or "\u3131" <= char <= "\u318e":
        return "hangul"
    if "\u4e00" <= char <= "\u9fff":
        return "han"
    if char.isascii() and char.isalnum():
        return "latin"
    if char.isalpha():
        return "latin"
    return "other"


def normalise_name(name: str) -> str:
    """Compare names without case, spaces, hyphens or dots: o3 mini = o3-mini = O3-Mini."""
    return re.sub(r"[\s\-_.·‧]+", "", unicodedata.normalize("NFKC", name).casefold())


@dataclass(frozen=True)
class Entity:
    id: str
    type: str  # company | model | person
    name: str
    kind: str | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()
    developer: str | None = None  # models: company id
    family: str | None = None
    released: str | None = None
    open_weights: bool | None = None
    organization: str | None = None  # people: company id
    role: str | None = None
    country: str | None = None
    parent: str | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def all_aliases(self) -> Iterator[tuple[str, str]]:
        """(language, alias) pairs, the canonical name included."""
        seen: set[str] = set()
        for language, names in [("en", (self.name,))] + list(self.aliases.items()):
            for alias in names:
                if alias and alias not in seen:
                    seen.add(alias)
                    yield language, alias


@dataclass(frozen=True)
class NameMatch:
    entity_id: str
    alias: str
    text: str
    start: int
    end: int
    ambiguous: bool


class _Pattern:
    """One alias's matcher, compiled on first use: an article touches a few hundred of the
    thousands of aliases, and compiling them all would dominate start-up."""

    __slots__ = ("source", "flags", "entity_id", "alias", "ambiguous", "hangul_tail", "second", "_regex")

    def __init__(self, source: str, flags: int, entity_id: str, alias: str, ambiguous: bool, hangul_tail: bool,
                 second: frozenset[str] | None = None) -> None:
        self.source, self.flags = source, flags
        self.entity_id, self.alias, self.ambiguous = entity_id, alias, ambiguous
        self.hangul_tail = hangul_tail  # the name must end its eojeol, particles aside (checked by _HANGUL_TAIL)
        self.second = second  # what the match's second character can be, lower-cased (None: anything; see _second_chars)
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.source, self.flags)
        return self._regex


ALTERNATION_AFTER = 20  # texts matched one pattern at a time before the alternations are used


class Gazetteer:
    """Known entities and a fast matcher over their aliases."""

    def __init__(self, entities: list[Entity]):
        self.entities: dict[str, Entity] = {}
        for entity in entities:
            if entity.id in self.entities:
                raise ValueError(f"duplicate gazetteer id: {entity.id}")
            self.entities[entity.id] = entity
        self._index: dict[str, list[_Pattern]] = {}
        self._combined: dict[str, re.Pattern[str]] = {}  # per first character: its patterns as one alternation
        self._first_chars: set[str] = set()  # every alias's first character, as written and as indexed
        self._starts: re.Pattern[str] | None = None  # where a name may start (see _start_positions)
        self._finds = 0  # calls of find(): the alternations pay for their compilation only over many texts
        self._by_name: dict[str, str] = {}
        for entity in entities:
            for _, alias in entity.all_aliases():
                if entity.kind == "model_family" and _versioned_beyond(alias, entity.name):
                    continue  # "Sonar Pro", "Mistral Small 3.1": a member of the family, found as its own model
                self._add(entity, alias)
            self._by_name.setdefault(normalise_name(entity.name), entity.id)
        for patterns in self._index.values():
            patterns.sort(key=lambda p: len(p.alias), reverse=True)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def by_name(self, name: str) -> Entity | None:
        """Look an entity up by any of its names, in any language."""
        return self.get(self._by_name.get(normalise_name(name)))

    def of_type(self, entity_type: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == entity_type]

    def _add(self, entity: Entity, alias: str) -> None:
        alias = unicodedata.normalize("NFKC", alias).strip()
        if not alias:
            return
        self._by_name.setdefault(normalise_name(alias), entity.id)
        ambiguous = alias in entity.ambiguous
        source, flags = _alias_regex(alias, case_sensitive=_case_sensitive(alias, ambiguous), is_model=entity.type == "model")
        pattern = _Pattern(source, flags, entity.id, alias, ambiguous, hangul_tail=_script(alias[-1]) == "hangul",
                           second=_second_chars(alias))
        key = alias[0].casefold()
        self._first_chars.update((alias[0], key, alias[0].upper()))
        self._index.setdefault(key, []).append(pattern)
        if key != alias[0].upper().casefold():
            self._index.setdefault(alias[0].upper().casefold(), []).append(pattern)

    def _alternation(self, key: str, following: str | None = None) -> re.Pattern[str]:
        """The patterns of one first character as one regular expression, in the same order.

        An alternation tries its branches left to right and keeps the first that matches, as the
        loop over the patterns does; the Hangul tail is a lookahead inside its branch, so a branch it
        refuses falls through to the next one, as in the loop. The branch that matched is named
        ``p<index>``. One match call instead of up to hundreds of Python-level calls per position.

        With ``following`` (the text's next character, lower-cased; "" at the end of the text) only
        the branches whose second character can be that one are kept, still in order: "and" tries the
        few names that start "an", not the 88 that start with "a" (one alternation per pair seen)."""
        cache_key = key if following is None else key + "\0" + following
        combined = self._combined.get(cache_key)
        if combined is None:
            branches = []
            for number, pattern in enumerate(self._index[key]):
                if following is not None and pattern.second is not None and following not in pattern.second:
                    continue
                body = f"(?i:{pattern.source})" if pattern.flags & re.IGNORECASE else f"(?:{pattern.source})"
                if pattern.hangul_tail:
                    body += f"(?={_HANGUL_TAIL.pattern})"
                branches.append(f"(?P<p{number}>{body})")
            combined = self._combined[cache_key] = re.compile("|".join(branches) or r"(?!)")
        return combined

    def find(self, text: str) -> list[NameMatch]:
        """Every alias occurrence in ``text``, longest match first, never overlapping.

        The first texts go through the patterns one by one (each compiled when first tried: a
        single ``kb extract FILE`` starts fast); from the ``ALTERNATION_AFTER``-th on, through one
        alternation per first and second character (each compiled when first needed, ~1 s over the
        demo corpus, ~1.5 s with the real-dev articles; then 2-3x faster). Both find the same
        matches (tests/test_gazetteer_alternation.py)."""
        self._finds += 1
        return self.find_each(text) if self._finds <= ALTERNATION_AFTER else self.find_alternation(text)

    def _start_positions(self) -> re.Pattern[str]:
        """A regular expression that finds the next position where a name may start, so that the matcher
        skips the rest in C instead of asking every character in Python (most of ``find_alternation``'s
        time was that loop). It finds a superset: a first character of some alias (any case), not in
        the middle of an ASCII word or a Hangul word; the loop still checks each position exactly."""
        if self._starts is None:
            ascii_alnum = sorted(c for c in self._first_chars if len(c) == 1 and c.isascii() and c.isalnum())
            hangul = sorted(c for c in self._first_chars if len(c) == 1 and _script(c) == "hangul")
            rest = sorted(c for c in self._first_chars if len(c) == 1 and c not in ascii_alnum and c not in hangul)
            branches = [rf"(?<![A-Za-z0-9])[{_char_class(ascii_alnum)}]" if ascii_alnum else "",
                        rf"(?<![\uac00-\ud7a3\u3131-\u318e])[{_char_class(hangul)}]" if hangul else "",
                        rf"[{_char_class(rest)}]" if rest else ""]
            self._starts = re.compile("|".join(b for b in branches if b) or r"(?!)", re.IGNORECASE)
        return self._starts

    def find_alternation(self, text: str) -> list[NameMatch]:
        """:meth:`find` with one alternation per first character."""
        matches: list[NameMatch] = []
        position, length = 0, len(text)
        starts = self._start_positions()
        while position < length:
            candidate = starts.search(text, position)
            if candidate is None:
                break
            position = candidate.start()
            key = text[position].casefold()
            if key in self._index and _starts_word(text, position):
                following = text[position + 1 : position + 2]
                found = self._alternation(key, following.lower() if _uncased_or_ascii(following) else None).match(text, position)
                if found:
                    pattern = self._index[key][int(found.lastgroup[1:])]
                    span = found.span(found.lastgroup)
                    matches.append(NameMatch(pattern.entity_id, pattern.alias, text[span[0]:span[1]], span[0], span[1],
                                             pattern.ambiguous))
                    position = span[1]
                    continue
            position += 1
        return matches

    def find_each(self, text: str) -> list[NameMatch]:
        """:meth:`find` one pattern at a time (the reference the alternation must equal)."""
        matches: list[NameMatch] = []
        position, length = 0, len(text)
        while position < length:
            char = text[position]
            candidates = self._index.get(char.casefold())
            if candidates and _starts_word(text, position):
                for pattern in candidates:
                    found = pattern.regex.match(text, position)
                    if found and pattern.hangul_tail and not _HANGUL_TAIL.match(text, found.end()):
                        found = None
                    if found:
                        matches.append(
                            NameMatch(pattern.entity_id, pattern.alias, found.group(0), found.start(), found.end(), pattern.ambiguous)
                        )
                        position = found.end()
                        break
                else:
                    position += 1
                continue
            position += 1
        return matches


_VARIANT_WORDS = {"pro", "max", "mini", "flash", "lite", "nano", "opus", "sonnet", "haiku", "turbo", "ultra", "plus", "instruct",
                  "thinking", "reasoning", "coder", "vision", "air", "fast", "large", "medium", "small", "base", "preview", "exp"}


def _versioned_beyond(alias: str, name: str) -> bool:
    """Does the alias name a version or variant that the canonical name does not?"""
    if re.search(r"[\uac00-\ud7a3\u4e00-\u9fff]", alias):
        return False
    digits = set(re.findall(r"\d+(?:\.\d+)?", alias)) - set(re.findall(r"\d+(?:\.\d+)?", name))
    words = {w.lower() for w in re.split(r"[\s\-]+", alias)} - {w.lower() for w in re.split(r"[\s\-]+", name)}
    return bool(digits or words & _VARIANT_WORDS)


# ASCII characters the optional separator between an alias's tokens can be
_ASCII_SEPARATORS = frozenset(c for c in map(chr, range(128)) if re.fullmatch(_SEPARATOR, c))


def _alias_tokens(alias: str) -> list[str]:
    """The literal pieces of an alias's regular expression; between them an optional separator."""
    tokens: list[str] = []
    for token in _SPLIT_ALIAS.split(alias):
        # a script change inside a token may be written with or without a space: 오픈AI / 오픈 AI, 混元Pro / 混元 Pro
        tokens.extend(part for part in _CJK_RUN.split(token) if part)
    return tokens


def _uncased_or_ascii(char: str) -> bool:
    """A character whose case-insensitive matches are exactly those of its ``lower()`` (or none: the end of
    the text): ASCII, Hangul syllables, Han. Other letters (ſ, K) may fold in ways ``lower()`` does not tell."""
    return char == "" or char.isascii() or "\uac00" <= char <= "\ud7a3" or "\u4e00" <= char <= "\u9fff"


def _second_chars(alias: str) -> frozenset[str] | None:
    """The characters, lower-cased, that can stand second in a match of the alias's regular expression:
    its first token's second character, or a separator or the next token's first. None when it cannot
    be told by ``lower()`` (a one-character alias, a cased non-ASCII letter)."""
    tokens = _alias_tokens(alias)
    if not tokens or tokens[0][0] != alias[0]:
        return None
    if len(tokens[0]) >= 2:
        chars = {tokens[0][1]}
    elif len(tokens) >= 2:
        chars = {tokens[1][0]} | _ASCII_SEPARATORS
    else:
        return None
    if any(not _uncased_or_ascii(c) and c.lower() != c.upper() for c in chars):
        return None
    return frozenset(c.lower() for c in chars)


def _char_class(chars: list[str]) -> str:
    return "".join(re.escape(c) for c in chars)


def _starts_word(text: str, position: int) -> bool:
    if position == 0:
        return True
    script = _script(text[position])
    previous = _script(text[position - 1])
    if script == "han":
        return True
    return previous != script


def _case_sensitive(alias: str, ambiguous: bool) -> bool:
    """Short or ambiguous Latin names keep their case (Meta, not meta-analysis; MS, not ms)."""
    if any(ch.isdigit() for ch in alias) and not ambiguous:
        return False
    return bool(re.search(r"[A-Za-z]", alias))


# "그록3 LPU", "Gemini 3 chip": a model's name before a word for hardware names the hardware, not the model
_NOT_A_MODEL_AFTER = r"(?!\s?(?:LPU|NPU|GPU|TPU|칩|chip|芯片|processor|프로세서|处理器)(?![A-Za-z]))"

# "SAP Center", "SAP센터", "Chase Field": a company's name before a word for a venue names the venue,
# ... and before "data center" it names a site: "its Stargate data centers", "스타게이트 데이터센터"
_NOT_A_COMPANY_AFTER = (r"(?![\"'”’]?\s?(?:Center|Centre|Arena|Stadium|Field|Hall|센터|아레나|스타디움|中心|体育馆|"
                        r"data cent(?:er|re)s?|데이터\s?센터|数据中心)(?![A-Za-z]))")


def _alias_regex(alias: str, *, case_sensitive: bool, is_model: bool) -> tuple[str, int]:
    tokens = _alias_tokens(alias)
    body = _SEPARATOR.join(re.escape(token) for token in tokens)
    last = _script(alias[-1])
    if last == "hangul":
        tail = ""  # checked after the match with the shared _HANGUL_TAIL: one compiled alternation, not 700
    elif last == "latin":
        # GPT-4 must not match the start of GPT-4o, GPT-4.1 or GPT-4-turbo.
        # ... and Claude must not match the start of the web address Claude.ai.
        tail = r"(?![A-Za-z0-9]|[.,]\d|\.[a-z]{2,}\b)" + (r"(?!-[A-Za-z0-9])" + _NOT_A_MODEL_AFTER if is_model else "")
    else:
        tail = ""
    if not is_model:
        tail += _NOT_A_COMPANY_AFTER
    flags = 0 if case_sensitive or not re.search(r"[A-Za-z]", alias) else re.IGNORECASE
    return body + tail, flags


# ---------------------------------------------------------------- loading

def _entities_from_file(path: Path, entity_type: str) -> list[Entity]:
    records = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader) or []
    if isinstance(records, dict):  # tolerate a top-level mapping with one list
        records = next((v for v in records.values() if isinstance(v, list)), [])
    entities = []
    known = {f.name for f in Entity.__dataclass_fields__.values()}
    for record in records:
        aliases = {lang: tuple(str(a) for a in (names or [])) for lang, names in (record.get("aliases") or {}).items()}
        released = record.get("released")
        fields = {
            "id": str(record["id"]),
            "type": entity_type,
            "name": str(record["name"]),
            "kind": record.get("kind"),
            "aliases": aliases,
            "ambiguous": frozenset(str(a) for a in record.get("ambiguous") or []),
            "unsure": frozenset(str(a) for a in record.get("unsure") or []),
            "developer": record.get("developer"),
            "family": record.get("family"),
            "released": str(released) if released else None,
            "open_weights": record.get("open_weights"),
            "organization": record.get("organization"),
            "role": record.get("role"),
            "country": record.get("country"),
            "parent": record.get("parent"),
        }
        fields["extra"] = {k: v for k, v in record.items() if k not in known and k not in fields}
        entities.append(Entity(**fields))
    return entities


def load_gazetteer(directory: Path | str | None = None) -> Gazetteer:
    """Load companies, models and people; cached, since every extraction needs it.

    The directory defaults to ``$KB_GAZETTEER``, else the gazetteer shipped in ``kb/data``.
    """
    return _load(Path(directory or os.environ.get("KB_GAZETTEER") or DEFAULT_GAZETTEER_DIR).resolve())


@lru_cache(maxsize=4)
def _load(directory: Path) -> Gazetteer:
    entities: list[Entity] = []
    for entity_type, filename in ENTITY_FILES.items():
        path = directory / filename
        if path.exists():
            entities.extend(_entities_from_file(path, entity_type))
    return Gazetteer(entities)
