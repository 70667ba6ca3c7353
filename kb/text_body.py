"""The article body of a clipped plain-text or Markdown page.

Clipped pages (saved as text or Markdown, mailed in, imported from archives) keep
the site around the article: menus, bylines with e-mail addresses, photo credits,
"related articles" lists, keyword tags, portal widgets, comments and footers.
Facts taken from that chrome are wrong facts, so the extractor must see the body
only.  HTML has its own extractor (:mod:`kb.body`); this module does the same for
text, line by line, in the manner of jusText: every line is classified from its
own features (length, sentence punctuation, link density, boilerplate
vocabulary), prose lines are grouped into runs that chrome or a section marker
("관련기사", "相关阅读", "More from") interrupts, and the run with the most prose
is the body.  Where nothing looks like prose the text is kept whole: cutting real
text is worse than keeping a menu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["Kind", "classify_line", "extract_text_body", "plain_text", "strip_credits"]


class Kind(Enum):
    BLANK = "blank"
    IMAGE = "image"  # a picture and nothing else: neither body nor chrome
    CHROME = "chrome"  # menus, bylines, credits, widgets, link lists: never body
    MARKER = "marker"  # a heading that opens a related list, tags or a footer
    SHORT = "short"  # headings, captions, short paragraphs: body when inside it
    PROSE = "prose"  # a paragraph of running text


# ---------------------------------------------------------------- line features

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_BARE_URL = re.compile(r"https?://\S+")
_EMPHASIS = re.compile(r"^[\s>#*_\-+•·‍\ufeff]+|[\s*_]+$")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")

# A line that ends a sentence: full stop, question or exclamation mark in any of
# our scripts, possibly inside closing quotes or brackets; Korean prose may drop
# the full stop after its final ending -다.
_SENTENCE_END = re.compile(r"(?:[.!?。！？…]|다|요)[\s\"'”’」』）)\]*_]*$")

_EN_STOPWORDS = frozenset(
    """a about after also an and are as at be been but by can could did do does for from had has have he her his
    how i if in into is it its more most not of on or our out over said says she so than that the their them then
    there they this to up was we were what when which while who will with would you""".split()
)

# Lines that are never body, however long: imprint, e-mail bylines, publisher notices.
_FOOTER_PATTERNS = [
    r"all rights reserved|무단\s*(?:전재|복제)|재배포\s*금지|재판매\s*및\s*DB\s*금지|ICP备|ICP证",
    r"skip to (?:main )?content|jump to main content|this article originally appeared|affiliate commission|"
    r"preferred source|social links navigation|posts from this (?:author|topic)|sign in to see",
]
_FOOTER = re.compile("|".join(f"(?:{p})" for p in _FOOTER_PATTERNS), re.IGNORECASE)
# A reporter's address ("홍길동 기자 gildong@example.kr"), also inside a mailto: link.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")

# Lines that are chrome unless they read as prose: copyright, imprint, bylines and photo credits.
_CHROME_PATTERNS = [
    r"copyright|ⓒ|©|版权所有|未经(?:书面)?授权|转载请|原创文章|禁止转载|등록번호|사업자\s*등록|발행인|편집인|청소년\s*보호\s*책임자|고충처리인",
    r"^\W*(?:\S+\s){0,2}\S{2,4}\s?(?:기자|특파원|객원기자|선임기자)\W*$",
    r"^\s*(?:作者|编辑|责编|责任编辑|撰文|编译|来源|文|图)\s*[|｜:：]|^\W*(?:\S{2,8}\s)?(?:记者|编辑|作者)\s?\S{2,4}\W*$",
    r"^\W*(?:reporting|writing|additional reporting|editing|edited|compiled) by\b|trust principles|"
    r"^\s*\(?\s*(?:image|photo|picture)\s+(?:credit|courtesy|source)s?\b|^\s*(?:image|photo)s?\s*:|getty\s*images|"
    r"shutterstock|셔터스톡|게티이미지|^\s*\(?(?:사진|이미지|자료|그래픽|출처)\s*[=:]|图片来源|图源|视觉中国|"
    r"^\s*\\?\*?\s*(?:题图|封面|头图)(?:来源)?\s*[:：|]",
]
_CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME_PATTERNS), re.IGNORECASE)
# "By Jane Doe", "Written by John Smith, Senior Editor": a name, not "By 2030, ...".
_BYLINE = re.compile(r"^\s*(?:By|BY|Written by|Reported by|Edited by)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*(?:$|[,|]|and\s)")

# Buttons, menus and widgets; the same words occur in articles ("log in with", "구독료", "公众号上
# 宣布"), so a line that reads as a sentence is never taken for one.
_WIDGET_PATTERNS = [
    r"sign in|sign up|log in|subscribe\b|newsletter|your inbox|in your feeds|follow us|share this|copy link|join the conversation|"
    r"view comments|recommended stories|advertisement|sponsored|paid program|brandvoice|^\s*reply\s*$",
    r"^\s*(?:also|read more|read next|see also|related|more)\s*:",
    r"구독|좋아요|공유하기|댓글|기사\s*추천|본문\s*듣기|글자\s*크기|바로가기|다른\s*기사\s*보기|언론사\s*홈|기사\s*제보",
    r"微信扫一扫|扫码|关注(?:该|我们|公众号)|公众号|轻点两下|阅读原文|滑动看下一个|预览时标签不可点|小程序|"
    r"点击(?:上方|下方|关注|阅读)|分享到|发表评论|^\s*(?:在看|点赞|收藏|留言|分享|赞|视频|取消|允许|知道了)\s*$",
]
_WIDGET = re.compile("|".join(f"(?:{p})" for p in _WIDGET_PATTERNS), re.IGNORECASE)

# Headings that open the end matter: related articles, popular lists, tags, comments.
_MARKER = re.compile(
    r"^(?:관련\s*기사|관련\s*뉴스|추천\s*기사|많이\s*본|인기\s*기사|주요\s*뉴스|이\s*시각|최신\s*기사|키워드|"
    r"태그|相关(?:阅读|文章|推荐|新闻|链接)|更多阅读|推荐阅读|延伸阅读|热门|热点|推荐视频|往期|精彩推荐|猜你喜欢|"
    r"more from|more for you|more stories|more news|read more|read next|related\b|recommended|latest in|latest news|"
    r"most (?:popular|read)|trending|you may also like|you might also like|top stories|comments?\b|tags?\b)",
    re.IGNORECASE,
)
_MARKER_MAX_WEIGHT = 60

# Calls to subscribe or follow, and author boxes: what sites put where an article ends. A run of
# prose stops at them; what follows is kept only if it is a substantial part of the text.
_BREAK = re.compile(
    r"^\W*(?:sign up|subscribe|get (?:the|our) (?:latest|best)|follow (?:us|[\w'’.&]+(?:\s[\w'’.&]+){0,3}\son)\b|join \d"
    r"|by submitting)|newsletter|your inbox|in your feeds|posts from this author|social links navigation|구독하기|기자\s*구독|关注我们|扫码关注",
    re.IGNORECASE,
)

# A paragraph of prose weighs at least this much (Latin characters count 1, CJK 2).
PROSE_WEIGHT = 70
# Fewer words than this is a caption, a heading or a menu entry in Latin script.
PROSE_WORDS = 10
# How much non-prose text a run of prose may cross before it ends (inline ads, captions).
MAX_GAP_LINES = 6


@dataclass
class Line:
    raw: str
    plain: str
    kind: Kind
    weight: int
    breaks: bool = False


# Credits and widget words inside a line that also holds text: "(사진=구글)", "/한경DB", "ⓒ리벨리온",
# "(Image credit: Getty)", "Photograph: Jane Doe/Reuters", "Bloomberg/Getty Images", "｜图片来源：视觉中国",
# "March 10 (Reuters) -", "(서울=뉴스1) 홍길동 기자 =", "View image in fullscreen", "Add us as a preferred source on Google".
_NAME = r"[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*){0,2}"
_AGENCY = r"(?:The\s)?[A-Z][\w.&'’-]*(?:\sImages)?"
_CREDIT = re.compile(
    r"\s*[(（]\s*(?:사진|이미지|자료|그래픽|출처|제공|image credit|photo|credit|source|图片来源|图源|来源)\s*[=:：][^)）]*[)）]"
    r"|\s*[|｜]\s*(?:图片来源|图源)\s*[:：].*$"
    r"|\s*(?<![\w/])/\s?[^\s/*]{1,12}(?:\s(?:DB|생성|제공))?\s*(?=\*?\s*$)"
    r"|(?<=[.。])\s+[^.。*]{1,10}(?=\*(?!\*)(?:\s|$))"
    r"|\s*[ⓒ©]\s?[^\s*]{1,20}(?=\*|\s|$)"
    r"|\s*\\?\[(?:(?:사진|이미지|자료|그래픽|출처)\s*=[^\]]*|[^\]]{1,20}(?=\\?\]\*\s*$))\\?\]"
    rf"|\s*\([A-Z][\w.'’-]+\s[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+)?\s?/\s?{_AGENCY}\)"
    r"|\s*\b[A-Z]{2,}/[A-Z][\w.'’-]+\s[A-Z][\w.'’-]+(?:/[\w.'’ -]{1,30}){0,3}\s*$"
    rf"|\b(?:Photograph|Photo|Image|Illustration|Picture)(?:\s(?:credit|courtesy))?:\s?{_NAME}(?:\s?/\s?{_AGENCY})*"
    rf"|(?:{_AGENCY}\s?/\s?)?(?:[A-Z]+\s)?(?:via\s)?Getty Images(?:\sPlus)?(?:\svia\sGetty Images)?"
    r"|^(?=.{0,60}\([A-Z][\w.]+(?: [A-Z][\w.]+)?\)\s[-–—])[^(]*\([A-Z][\w.]+(?: [A-Z][\w.]+)?\)\s[-–—]\s"
    r"|^\s*\([^()=]{1,12}=[^()]{1,12}\)\s*(?:\S{2,4}\s)?(?:기자|특파원)\s*=\s*"
    r"|\s*\\?\[[^\]=]{1,12}=[^\]]{1,40}\\?\]"
    r"|^[^\s，。：:\d]{2,12}?\s?(?=\d{1,2}\s?月\s?\d{1,2}\s?日\s?(?:电|[早午晚]?间?消息|[上下]午消息|讯))"
    r"|\bView image in fullscreen\b|\b(?:Add (?:us )?as (?:a )?preferred(?: source)?|Prefer [\w ]{1,30}?) on Google\b"
    r"|\bShare Save\b|\bListen to this article(?:\s+Estimated\s+\d+\s+min(?:ute)?s?)?",
)


def strip_credits(line: str) -> str:
    """A line without the photo credits, datelines and widget words run into it."""
    return _CREDIT.sub("", line)


def plain_text(line: str) -> str:
    """The words a reader sees on a Markdown line: no images, links as their anchor text, no credits."""
    text = _IMAGE.sub(" ", line)
    text = _LINK.sub(r"\1", text)
    text = strip_credits(text)
    text = _BARE_URL.sub(" ", text)
    return _EMPHASIS.sub("", text).strip()


def _weight(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(text) + cjk


def _link_density(line: str, plain: str) -> float:
    anchors = sum(len(m.group(1).strip()) for m in _LINK.finditer(_IMAGE.sub(" ", line)))
    bare = sum(len(m.group(0)) for m in _BARE_URL.finditer(_LINK.sub(" ", _IMAGE.sub(" ", line))))
    return (anchors + bare) / max(len(plain) + bare, 1)


def _is_menu(plain: str) -> bool:
    """All capitals, or the same words twice ("The Verge The Verge logo"): navigation."""
    if _CJK.search(plain):
        return False
    words = plain.split()
    if len(words) >= 2 and plain.upper() == plain and re.search(r"[A-Z]{2}", plain):
        return True
    pairs = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    return len(pairs) >= 4 and len(set(pairs)) <= len(pairs) * 0.6


def _reads_as_prose(plain: str) -> bool:
    if _CJK.search(plain):
        return _weight(plain) >= PROSE_WEIGHT and (bool(_SENTENCE_END.search(plain)) or "。" in plain or "다." in plain)
    words = _WORD.findall(plain)
    if len(words) < PROSE_WORDS:
        return False
    stopwords = sum(w.lower() in _EN_STOPWORDS for w in words) / len(words)
    ends = bool(_SENTENCE_END.search(plain))
    return stopwords >= 0.2 and (ends or len(words) >= 25) and _weight(plain) >= PROSE_WEIGHT


def classify_line(line: str) -> Kind:
    """What one line of a clipped page is, from its own features alone."""
    return _classify(line, plain_text(line))


def _classify(line: str, plain: str) -> Kind:
    if not line.strip():
        return Kind.BLANK
    if not re.search(r"\w", plain):
        return Kind.IMAGE if _IMAGE.search(line) else Kind.CHROME
    if _weight(plain) <= _MARKER_MAX_WEIGHT and _MARKER.match(plain) and not _reads_as_sentence(plain):
        return Kind.MARKER
    if _FOOTER.search(plain) or ("@" in line and _EMAIL.search(line)):
        return Kind.CHROME
    if _link_density(line, plain) > 0.5 or _is_menu(plain):
        return Kind.CHROME
    if _reads_as_prose(plain):
        return Kind.PROSE
    if _CHROME.search(plain) or _BYLINE.match(plain):
        return Kind.CHROME
    if _WIDGET.search(plain) and not _reads_as_sentence(plain):
        return Kind.CHROME
    return Kind.SHORT


def _lines(text: str) -> list[Line]:
    out = []
    for raw in text.split("\n"):
        plain = plain_text(raw)
        kind = _classify(raw, plain)
        out.append(Line(raw, plain, kind, _weight(plain), kind is not Kind.BLANK and bool(_BREAK.search(plain))))
    return out


# ---------------------------------------------------------------- the body


def _runs(lines: list[Line], title: int | None = None) -> list[tuple[int, int]]:
    """Runs of prose (first and last line index) that no marker and no long stretch of chrome interrupts.

    The title line is left out: it is kept anyway, and a long title or standfirst would
    otherwise pull the menu under it into the body.
    """
    runs: list[tuple[int, int]] = []
    start = end = None
    gap = 0
    for i, line in enumerate(lines):
        if i == title:
            continue
        if line.kind is Kind.PROSE and not line.breaks:
            if start is None:
                start = i
            end, gap = i, 0
        elif line.kind is Kind.MARKER or line.breaks or (start is not None and gap >= MAX_GAP_LINES):
            if start is not None:
                runs.append((start, end))
            start, gap = None, 0
        elif start is not None and line.kind in (Kind.CHROME, Kind.SHORT):
            gap += 1
    if start is not None:
        runs.append((start, end))
    return runs


def _prose_weight(lines: list[Line], run: tuple[int, int]) -> int:
    return sum(line.weight for line in lines[run[0] : run[1] + 1] if line.kind is Kind.PROSE)


def _body_span(lines: list[Line]) -> tuple[int, int] | None:
    """The run with the most prose, joined by neighbours almost as heavy (multi-part articles)."""
    runs = _runs(lines, _title(lines))
    if not runs:
        return None
    weights = [_prose_weight(lines, r) for r in runs]
    best = max(range(len(runs)), key=weights.__getitem__)

    def joins(run: tuple[int, int], gap: tuple[int, int], *, before: bool) -> bool:
        # A neighbour of several paragraphs and a good share of the prose is more likely the rest of
        # the article than a teaser: keep it rather than cut real text.  A marker between ends the
        # article, unless only a line or two stand under it: that is a box of related links set into
        # the article, and the lead above it (or the half of the article below it) is body.
        paragraphs = sum(line.kind is Kind.PROSE for line in lines[run[0] : run[1] + 1])
        share = _prose_weight(lines, run) / max(weights[best], 1)
        between = [line for line in lines[gap[0] : gap[1]] if line.kind is not Kind.BLANK]
        if any(line.kind is Kind.MARKER for line in between):
            if len(between) > 3:
                return False
            return paragraphs >= 2 if before else paragraphs >= 3 and share >= 0.5
        return paragraphs >= 3 and share >= 1 / 3

    first = last = best
    while first > 0 and joins(runs[first - 1], (runs[first - 1][1] + 1, runs[first][0]), before=True):
        first -= 1
    while last < len(runs) - 1 and joins(runs[last + 1], (runs[last][1] + 1, runs[last + 1][0]), before=False):
        last += 1
    return runs[first][0], runs[last][1]


def _heading_before(lines: list[Line], start: int) -> int:
    """Step back over the lead and the heading that open the body (blank lines and pictures between).

    A lead too short to count as prose is still a sentence; a heading is Markdown or bold.
    """
    i, first = start - 1, start
    while i >= 0:
        line = lines[i]
        if line.kind in (Kind.BLANK, Kind.IMAGE):
            i -= 1
            continue
        if line.kind is Kind.SHORT and _is_sentence(line):
            first, i = i, i - 1
            continue
        if line.kind is Kind.SHORT and _OWN_HEADING.match(line.raw):
            return i
        break
    return first


def _deck(lines: list[Line], title: int | None, start: int) -> int:
    """Take in the subtitle lines between the title and the body, when nothing else is between."""
    if title is None or title >= start:
        return start
    between = [i for i in range(title + 1, start) if lines[i].kind is not Kind.BLANK]
    if 0 < len(between) <= 3 and all(lines[i].kind is Kind.SHORT for i in between):
        return between[0]
    return start


def _sentences_after(lines: list[Line], end: int) -> int:
    """Step forward over short closing sentences ("X did not respond to a request for comment."),
    and over a caption or two between them, up to the first chrome, marker or call to subscribe."""
    i, last, pending = end + 1, end, 0
    while i < len(lines) and pending <= 2:
        line = lines[i]
        if line.kind is Kind.SHORT and not line.breaks:
            if _is_sentence(line):
                last, pending = i, 0
            elif _looks_like_headline(line):
                break
            else:
                pending += 1
        elif line.kind not in (Kind.BLANK, Kind.IMAGE):
            break
        i += 1
    return last


def _is_sentence(line: Line) -> bool:
    return _reads_as_sentence(line.plain) and not line.breaks


def _reads_as_sentence(plain: str) -> bool:
    """A short line that still reads as a sentence: it ends like one and has a few words."""
    if not _SENTENCE_END.search(plain):
        return False
    return _weight(plain) >= 30 if _CJK.search(plain) else len(_WORD.findall(plain)) >= 5


def _headline_list(lines: list[Line], start: int, end: int) -> set[int]:
    """Lines in a row of two or more headline-like lines (Latin script): an inline list of other stories."""
    dropped: set[int] = set()
    run: list[int] = []
    for i in range(start, end + 2):
        line = lines[i] if i <= end else None
        if line is not None and line.kind is Kind.BLANK:
            continue
        if line is not None and line.kind is Kind.SHORT and _looks_like_headline(line):
            run.append(i)
            continue
        if len(run) >= 2:
            dropped.update(run)
        run = []
    return dropped


# The article's own subheadings and list items: Markdown headings, bold lines, numbered points.
_OWN_HEADING = re.compile(r"\s*(?:#|\*\*|__|\d{1,2}[.)、]|[①-⑳])")


def _looks_like_headline(line: Line) -> bool:
    plain = line.plain
    if _SENTENCE_END.search(plain) or plain.endswith((":", "：")) or _OWN_HEADING.match(line.raw):
        return False
    # Korean and Chinese sites list other stories under a marker or as links; a CJK line without a
    # full stop inside the body is far more often a subheading, a list item or a caption.
    return not _CJK.search(plain) and len(_WORD.findall(plain)) >= 4


def _before_teasers(lines: list[Line], start: int, end: int) -> int:
    """Where the body ends if teaser cards (a headline, then a one-sentence summary, twice) follow it.

    Cut only when most of the prose lies before the cards: when in doubt the text is kept.
    """
    content = [i for i in range(start, end + 1) if lines[i].kind is not Kind.BLANK]
    for n, i in enumerate(content[:-3]):
        cards = content[n : n + 4]
        if all(_is_card(lines[cards[k]], lines[cards[k + 1]]) for k in (0, 2)):
            before = _prose_weight(lines, (start, i - 1))
            if before >= _prose_weight(lines, (i, end)) and n > 0:
                return content[n - 1]
            return end
    return end


def _is_card(headline: Line, summary: Line) -> bool:
    return (
        headline.kind is Kind.SHORT
        and _looks_like_headline(headline)
        and summary.kind in (Kind.SHORT, Kind.PROSE)
        and bool(_SENTENCE_END.search(summary.plain))
        and len(re.findall(r"[.!?。！？](?:\s|$)", summary.plain)) <= 1
        and summary.weight <= 160
    )


def _title(lines: list[Line]) -> int | None:
    """The first line if the text begins with a title (not with a picture, a link or a menu)."""
    for i, line in enumerate(lines):
        if line.kind is Kind.BLANK:
            continue
        return i if line.kind in (Kind.SHORT, Kind.PROSE) else None
    return None


# A clipped title that runs on into the page's navigation: "Headline Skip Navigation Markets".
_TITLE_TAIL = re.compile(r"\s*(?:[|–—-]\s*)?\bSkip (?:to|Navigation)\b.*$", re.IGNORECASE)


def _clean(line: Line) -> str:
    """A kept line as text: links as their anchor text, pictures and photo credits out."""
    text = _IMAGE.sub("", line.raw)
    text = _LINK.sub(r"\1", text)
    return strip_credits(text).rstrip()


def _hard_wrapped(lines: list[Line]) -> bool:
    """Paragraphs broken into lines of a fixed width (mail, plain-text exports): lines are not
    paragraphs there, so line features say nothing and the text is kept whole."""
    content = [line for line in lines if line.kind is not Kind.BLANK]
    if len(content) < 8:
        return False
    widths = sorted(len(line.raw.rstrip()) for line in content)
    median = widths[len(widths) // 2]
    near = sum(abs(w - median) <= 8 for w in widths)
    open_ended = sum(not _SENTENCE_END.search(line.plain) for line in content)
    return 50 <= median <= 100 and near >= 0.6 * len(content) and open_ended >= 0.6 * len(content)


def extract_text_body(text: str) -> str:
    """The title line and the article body of a clipped page, chrome dropped.

    Returns the text unchanged (normalised line ends aside) when no paragraph of
    prose is found: a short note or a list is better kept whole than guessed at.
    """
    lines = _lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    span = None if _hard_wrapped(lines) else _body_span(lines)
    if span is None:
        return "\n".join(line.raw for line in lines).strip()
    start, end = span
    start = _heading_before(lines, start)
    title = _title(lines)
    start = _deck(lines, title, start)
    end = _before_teasers(lines, start, _sentences_after(lines, end))
    dropped = _headline_list(lines, start, end)
    keep: list[str] = []
    if title is not None and title < start:
        keep += [_TITLE_TAIL.sub("", _clean(lines[title])), ""]
    in_box = False  # under a marker inside the body: a box of related links until prose resumes
    for i in range(start, end + 1):
        line = lines[i]
        in_box = (in_box or line.kind is Kind.MARKER) and line.kind is not Kind.PROSE
        if line.kind is Kind.BLANK:
            if keep and keep[-1] != "":
                keep.append("")
        elif line.kind in (Kind.PROSE, Kind.SHORT) and i not in dropped and not in_box:
            cleaned = _clean(line)
            if cleaned.strip():
                keep.append(cleaned)
    return "\n".join(keep).strip()
