"""The main text of a news page: the article body without menus, ads or footers.

:func:`extract_body` is the one entry point :mod:`kb.parse` uses. It takes
trafilatura's fast, recall-oriented extraction (the cheapest run that rarely
misses article text) and then corrects it with signals trafilatura's output no
longer carries but the source page does:

* what the page declares as its headline (a repeated title or deck is not body),
* which texts are links (related-story lists, menus, teasers),
* where each extracted paragraph sits in the page, to bring back article parts
  that the page splits over sibling containers, and embedded posts between them,
* short boilerplate lines (share, subscribe, newsletter, "related") by wording.

Every rule looks at page structure or generic wording, never at a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from lxml.etree import Element, _Element
from trafilatura.xml import xmltotxt

__all__ = ["extract_body"]

_TOKEN = re.compile(r"\w+")
# Blocks of trafilatura's output tree, and of the source page, that hold running text.
_OUT_BLOCKS = ("p", "head", "item", "quote", "code", "cell")
_SRC_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")

Tokens = tuple[str, ...]


def extract_body(html: str, *, extracted: str | None = None, json_ld: dict[str, Any] | None = None) -> str:
    """The article body as plain text, paragraphs separated by newlines.

    ``json_ld`` (the page's NewsArticle object) and ``extracted`` (trafilatura's
    text, if the caller ran it) are fallbacks for pages whose markup holds no
    article text. They are not preferred when it does: on the benchmark, the
    publishers' ``articleBody`` was never more accurate than the cleaned page
    text and was often a teaser or carried captions and markup.
    """
    tree = _parse(html)
    body = _trafilatura_body(tree) if tree is not None else None
    if tree is None or body is None:
        return _declared_body(json_ld) or extracted or ""
    unfiltered = _serialise(body)
    page = _Page(tree)
    _restore_missing(body, page)
    _drop_boilerplate(body, page)
    # Rules that leave nothing were wrong about this page: the raw extraction is the better guess.
    return _serialise(body) or unfiltered


# ---------------------------------------------------------------- the candidate


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """Parse as trafilatura does (comments and processing instructions dropped): its rules expect such trees."""
    try:
        return trafilatura.load_html(html)
    except (lxml.etree.ParserError, TypeError, ValueError):
        return None


def _trafilatura_body(tree: lxml.html.HtmlElement) -> _Element | None:
    """trafilatura's fast recall mode: twice as fast as its default and it keeps more article text.

    What it keeps too much of is removed below; its comparison with readability
    and jusText (the slow part of the default mode) is not needed for that.
    """
    document = trafilatura.bare_extraction(
        tree, fast=True, favor_recall=True, include_comments=False, include_tables=True
    )
    return None if document is None else document.body


def _tokens(text: str | None) -> Tokens:
    """Lower-cased word tokens: the unit of every comparison here, as in the benchmark's metric."""
    return tuple(_TOKEN.findall(text.lower())) if text else ()


def _text(element: _Element) -> str:
    return "".join(element.itertext())


def _innermost(root: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """Elements of ``tags`` that contain no other such element, in document order."""
    for element in root.iter(*tags):
        if next((d for d in element.iterdescendants(*tags)), None) is None:
            yield element


def _remove(element: _Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


# ---------------------------------------------------------------- the source page


class _Page:
    """What the source page tells about its text: headline, link texts, paragraph positions."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.tree = tree
        self.titles = _titles(tree)
        self.links = _link_texts(tree)
        self.position = {element: i for i, element in enumerate(tree.iter())}
        self.paragraphs: dict[Tokens, _Element] = {}
        for element in tree.iter("p"):
            key = _tokens(element.text_content())[:12]
            if len(key) >= 6:
                self.paragraphs.setdefault(key, element)

    def source_of(self, tokens: Tokens) -> _Element | None:
        """The page paragraph an extracted block came from, if it is a whole paragraph."""
        return self.paragraphs.get(tokens[:12]) if len(tokens) >= 6 else None

    def link_share(self, tokens: Tokens) -> float:
        """Share of ``tokens`` that are the text of some link on the page."""
        if not tokens:
            return 0.0
        covered = i = 0
        while i < len(tokens):
            for candidate in self.links.get(tokens[i], ()):
                if tokens[i : i + len(candidate)] == candidate:
                    covered += len(candidate)
                    i += len(candidate)
                    break
            else:
                i += 1
        return covered / len(tokens)


def _titles(tree: lxml.html.HtmlElement) -> set[Tokens]:
    """What the page declares as its headline, with and without the site name."""
    found: set[Tokens] = set()
    values = tree.xpath(
        '//meta[@property="og:title" or @name="twitter:title" or @itemprop="headline"]/@content | //title/text()'
    )
    values += [h1.text_content() for h1 in tree.iter("h1")]
    for value in values:
        found.add(_tokens(value))
        for part in re.split(r"\s[|\-–—:·»]\s", value):
            found.add(_tokens(part))
    found.discard(())
    return found


def _link_texts(tree: lxml.html.HtmlElement) -> dict[str, list[Tokens]]:
    """Link texts indexed by first token, longest first, for greedy matching."""
    index: dict[str, list[Tokens]] = {}
    for a in tree.iter("a"):
        tokens = _tokens(a.text_content())
        if tokens:
            index.setdefault(tokens[0], []).append(tokens)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    return index


# ---------------------------------------------------------------- recall: text trafilatura left out


def _restore_missing(body: _Element, page: _Page) -> None:
    """Bring back article text the extraction skipped inside the article's own span.

    Two cases, both seen on big publishers: the body split into sibling
    containers of the same kind (only the first is kept), and embedded social
    posts quoted in the article (dropped as "social" boilerplate).
    """
    traced = _traced_blocks(body, page)
    if len(traced) < 2:
        return
    text = _text(body)
    extra = list(_sibling_blocks(page, [source for source, _ in traced], len(text)))
    extra += list(_embedded_posts(page, traced[0][0], traced[-1][0]))
    if not extra:
        return
    present = _ngrams(_tokens(text))
    for source in sorted(extra, key=lambda e: page.position.get(e, 0)):
        tokens = _tokens(source.text_content())
        grams = _ngrams(tokens)
        if tokens and len(grams & present) < 0.5 * len(grams):
            _insert(body, traced, page, source)


def _spaced_text(element: _Element) -> str:
    """Text content with a space where block elements meet, so "end.</p>— Name" does not fuse words."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        block = node.tag in _SRC_BLOCKS or node.tag in ("div", "br")
        if block:
            parts.append(" ")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append(" ")

    walk(element)
    return "".join(parts)


def _ngrams(tokens: Tokens, size: int = 5) -> set[Tokens]:
    return {tokens[i : i + size] for i in range(max(1, len(tokens) - size + 1))}


def _traced_blocks(body: _Element, page: _Page) -> list[tuple[_Element, _Element]]:
    """(source paragraph, output block) pairs for output blocks traced back to the page, in page order."""
    points = []
    for block in _innermost(body, _OUT_BLOCKS):
        source = page.source_of(_tokens(_text(block)))
        if source is not None:
            points.append((source, block))
    points.sort(key=lambda pair: page.position.get(pair[0], 0))
    return points


def _sibling_blocks(page: _Page, sources: list[_Element], extracted_chars: int) -> Iterator[_Element]:
    """Paragraph blocks of containers that repeat the article container's tag and class next to it.

    Only containers about as big as the extracted text qualify: a page-layout
    row repeated next to the article holds other stories, not more of this one.
    """
    used = set(sources)
    for level in _ancestors(_main_container(sources), 4):
        if len(level.text_content()) > 1.5 * extracted_chars:
            return
        signature = (level.tag, level.get("class"))
        if not signature[1]:
            continue
        twins = [s for s in _siblings(level) if (s.tag, s.get("class")) == signature]
        found = [b for twin in twins for b in _prose_blocks(twin, page, used)]
        if found:
            yield from found
            return


def _main_container(sources: list[_Element]) -> _Element:
    """The nearest ancestor of the first traced paragraph holding most of the traced paragraphs."""
    lineages = [set(_ancestors(s, 100)) for s in sources]
    for ancestor in _ancestors(sources[0], 100):
        if sum(ancestor in lineage for lineage in lineages) >= 0.6 * len(sources):
            return ancestor
    return sources[0]


def _prose_blocks(container: _Element, page: _Page, used: set[_Element]) -> list[_Element]:
    """The container's text blocks, if it holds running prose.

    Article paragraphs are long and rarely under a heading each; teaser cards
    (a heading, a one-sentence summary) and link lists are neither.
    """
    blocks = [b for b in _innermost(container, _SRC_BLOCKS) if b not in used]
    sizes = [_tokens(b.text_content()) for b in blocks]
    prose = [t for t in sizes if len(t) >= 12 and page.link_share(t) < 0.3]
    prose_tokens = sum(len(t) for t in prose)
    headings = sum(1 for b in blocks if b.tag in ("h2", "h3", "h4"))
    if len(prose) < 2 or prose_tokens < 30 * len(prose) or headings > len(prose) / 2:
        return []
    if page.link_share(tuple(token for t in sizes for token in t)) > 0.25:
        return []
    return blocks


def _embedded_posts(page: _Page, first: _Element, last: _Element) -> Iterator[_Element]:
    """Quoted social posts placed between the first and last extracted paragraphs."""
    start, end = page.position.get(first, 0), page.position.get(last, 0)
    for quote in page.tree.iter("blockquote"):
        if start < page.position.get(quote, -1) < end and re.search(r"tweet|instagram", quote.get("class") or ""):
            yield quote


def _ancestors(element: _Element, limit: int) -> Iterator[_Element]:
    """The element itself and up to ``limit - 1`` ancestors, nearest first."""
    while element is not None and limit > 0:
        yield element
        element = element.getparent()
        limit -= 1


def _siblings(element: _Element) -> Iterator[_Element]:
    parent = element.getparent()
    if parent is not None:
        yield from (child for child in parent if child is not element)


def _insert(body: _Element, traced: list[tuple[_Element, _Element]], page: _Page, source: _Element) -> None:
    """Add a source block to the output after the last output block that precedes it on the page."""
    text = " ".join(_spaced_text(source).split())
    if not text:
        return
    block = Element("head" if source.tag in ("h2", "h3", "h4") else "p")
    block.text = text
    position = page.position.get(source, 0)
    before = [out for src, out in traced if page.position.get(src, 0) < position]
    if before:
        before[-1].addnext(block)
        traced.append((source, block))
        traced.sort(key=lambda pair: page.position.get(pair[0], 0))
    else:
        body.insert(0, block)


# ---------------------------------------------------------------- precision: what is not the article


_SECTION_CUE = re.compile(
    r"^\W*(related|more (from|on|in|about|stories|news|articles)|read (more|next|also)|also read|see also|"
    r"recommended|top stories|trending|most (popular|read|viewed|shared)|popular|you (may|might) (also )?like|"
    r"don'?t miss|partner (news|content)|sponsored|advertisement|comments?|leave a (comment|reply)|tags?|"
    r"filed under|categor(y|ies))\b",
    re.IGNORECASE,
)
_LINE_CUE = re.compile(
    r"(\bsign(ing)? up\b|\bsubscri(be|ption)\b|\bnewsletter\b|\bshare (it|this|the story|the article)\b|"
    r"\bfollow us\b|\ball rights reserved\b|\bcopyright\b|©|\bclick here\b|\berror (has )?occurred\b|"
    r"\bthanks? (you )?for (signing|subscribing|reading)\b|\bprinted from\b)",
    re.IGNORECASE,
)
# A prompt is one short line; a long sentence that says "sign up" or "subscribe" is usually content.
_LINE_CUE_MAX_TOKENS = 15
_URL_LINE = re.compile(r"^\s*(https?://|www\.)\S+\s*$")


def _drop_boilerplate(body: _Element, page: _Page) -> None:
    """Remove what is not the article; the headline goes first and again once furniture above it is gone."""
    blocks = [(b, _tokens(_text(b))) for b in _innermost(body, _OUT_BLOCKS)]
    blocks = [(b, t) for b, t in blocks if t]
    blocks = _drop_headline(blocks, page)
    blocks = _drop_links(blocks, page)
    blocks = _drop_cues(blocks)
    _drop_headline(blocks, page)


def _drop_headline(blocks: list[tuple[_Element, Tokens]], page: _Page) -> list[tuple[_Element, Tokens]]:
    """The headline (and the deck heading under it) open many extractions but are metadata, not body."""
    seen_title = False
    while blocks:
        element, tokens = blocks[0]
        is_title = tokens in page.titles
        is_url = bool(_URL_LINE.match(_text(element)))
        if not (is_title or is_url or (seen_title and element.tag == "head")):
            break
        seen_title = seen_title or is_title
        _remove(element)
        blocks = blocks[1:]
    return blocks


def _drop_links(blocks: list[tuple[_Element, Tokens]], page: _Page) -> list[tuple[_Element, Tokens]]:
    """Blocks that are (nearly) all link text: menus, related stories, tag lists."""
    kept = []
    for element, tokens in blocks:
        # a long paragraph that is mostly links is rare in menus and real in link-heavy articles
        if len(tokens) < 40 and page.link_share(tokens) >= 0.8:
            _remove(element)
        else:
            kept.append((element, tokens))
    return kept


def _drop_cues(blocks: list[tuple[_Element, Tokens]]) -> list[tuple[_Element, Tokens]]:
    """Short blocks worded like page furniture: section labels, sharing and subscription prompts."""
    kept = []
    for element, tokens in blocks:
        text = _text(element)
        label = len(tokens) <= 8 and _SECTION_CUE.match(text)
        prompt = len(tokens) <= _LINE_CUE_MAX_TOKENS and _LINE_CUE.search(text)
        if label or prompt or _URL_LINE.match(text):
            _remove(element)
        else:
            kept.append((element, tokens))
    return kept


def _serialise(body: _Element) -> str:
    text = xmltotxt(body, include_formatting=False)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


_BLOCK_END = re.compile(r"<(br|/p|/div|/li|/h[1-6]|/blockquote)\b[^>]*>", re.IGNORECASE)


def _declared_body(json_ld: dict[str, Any] | None) -> str:
    """The JSON-LD ``articleBody`` as plain text (some publishers put HTML in it)."""
    value = (json_ld or {}).get("articleBody")
    if not isinstance(value, str) or not value.strip():
        return ""
    if "<" in value:
        value = _BLOCK_END.sub("\n", value)
        try:
            value = lxml.html.fromstring(f"<div>{value}</div>").text_content()
        except (lxml.etree.ParserError, ValueError):
            pass
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())
