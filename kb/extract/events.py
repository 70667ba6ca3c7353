"""Events: what happened, to whom, and when, each tied to its evidence sentence.

An event is a trigger word in a sentence (공개했다, released, 发布) that asserts
something happened (see :mod:`kb.extract.assertion`: no plans, negations,
questions, background or related headlines), plus the entities its clause gives:
the model the verb releases (its object, or the subject of a passive or Chinese
topic verb, never the one compared with), the company that acts. The day is the
one the text names before the verb, resolved against publication; a release the
text puts in a month or a year only is background, and is left out rather than
dated by the day of publication. The headline's release stands even when its
model is new to every list: named in the lede (see :mod:`kb.extract.lede`), the
name becomes a candidate; else the release is the company's, with the one model its story introduces
by name. A release the body reports with no time at all, by the maker of the lede's dated release, is
part of that launch and takes its day (the news peg). Statements are a company's word: its own, its
spokesperson's or its executives', not an analyst's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kb.extract.assertion import BACKGROUND_BEFORE, CAPTION, FINAL_STOP, QUESTION, asserted, is_venue, other_articles
from kb.extract.dates import coarse_times, find_dates
from kb.extract.candidates import EntityView, candidate_id
from kb.extract.entities import person_role
from kb.extract.gazetteer import GENERIC_KINDS, PRODUCT_KINDS, Entity, Gazetteer, NameMatch
from kb.extract.lede import lede_sentences, maker_by_suffix, maker_heading_name, release_names
from kb.extract.money import find_money
from kb.extract.moves import FORMER, executive_companies, move
from kb.extract.sentences import Sentence

__all__ = ["EventClaim", "find_events", "EVENT_TYPES"]

EVENT_TYPES = (
    "model_release", "price_change", "open_source", "funding", "acquisition",
    "partnership", "executive_change", "statement", "lawsuit", "other",
)


@dataclass
class EventClaim:
    type: str
    date: date | None
    company_id: str | None
    model_id: str | None
    person_id: str | None
    sentence: Sentence
    trigger: str
    details: dict = field(default_factory=dict)


_TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("open_source", re.compile(
        r"오픈\s?소스로\s?(?:공개|풀|배포|전환)|오픈\s?웨이트|가중치(?:를|도)?\s?(?:\S+\s?){0,2}(?:공개|올렸|올리|풀었|배포)|open[- ]sourced|open[- ]weights?|"
        r"(?:released?|posted|published|made) (?:the |their |its )?(?:model )?weights|"
        r"under (?:an? )?(?:MIT|Apache)|开源|开放权重|"
        # weights put where anyone can download them: "허깅페이스에 올렸다", "posted it on Hugging Face"
        r"(?:허깅\s?페이스|깃허브|Hugging\s?Face|GitHub)(?:에|에도)\s?(?:\S+\s?){0,2}?(?:올렸|올리고|올려|배포했)|"
        r"(?:posted|published|uploaded) (?:[\w-]+ ){0,4}(?:on|to) (?:Hugging\s?Face|GitHub)", re.IGNORECASE)),
    ("price_change", re.compile(
        r"인하|인상|내렸|내린|낮췄|낮춘|올렸|price cuts?|cut (?:the |its )?prices?|cuts? (?:the )?price|slash\w*|lower(?:ed|s)? (?:the |its )?price|"
        r"price (?:drop|reduction|increase)|raised? (?:the |its )?price|降价|下调|调价|涨价|降至|全面免费|免费开放|무료화|무료로 전환", re.IGNORECASE)),
    ("funding", re.compile(
        r"투자\s?(?:를\s?)?유치|투자받|시리즈\s?[A-H]|펀딩|raised|raises|raising|funding round|Series [A-H]\b|valuation|融资|估值", re.IGNORECASE)),
    ("acquisition", re.compile(r"인수(?:했|한다|한|하기로|하며|하고|키로|에\s?나)|합병(?:했|한다|한|하기로)|acquir\w+|acquisition|buy(?:s|ing)? out|收购|并购", re.IGNORECASE)),
    ("partnership", re.compile(r"협력|파트너십|제휴|업무협약|컨소시엄|(?-i:\bMOU\b)|partnership|consortium|partner(?:s|ed)? with|teams? up|合作|携手|战略协议", re.IGNORECASE)),
    ("executive_change", re.compile(
        r"영입|사임|퇴사|물러|떠났|떠나|선임|임명|합류|맡아|맡는다|맡기로|맡게|hired|hires|appointed|named .{0,20}as|steps? down|stepped down|stepping down|resign\w*|"
        r"departure|depart(?:s|ed|ing)?\b|leav(?:es|ing)|left (?:the company|OpenAI|Google|Meta)|join(?:s|ed|ing)?\b|离职|任命|加盟|出任|卸任", re.IGNORECASE)),
    ("lawsuit", re.compile(r"소송|고소|제소|sued|sues|suing|lawsuit|filed suit|起诉|诉讼|诉至法院|告上法庭", re.IGNORECASE)),
    ("model_release", re.compile(
        r"공개했|공개한|공개하며|공개하면서|공개하고|공개해|공개됐|출시했|출시한|출시하며|출시하고|출시해|출시됐|선보였|선보인|선보이며|선보이고|"
        r"내놨|내놓았|내놓고|내놓으며|발표했|발표하고|"
        # a headline ends on the noun: "메타, '라마 4' 공개…", "'미스트랄 미디엄 3' 출시"
        r"(?:공개|출시)(?=\s*(?:…|\.\.\.|$|,|·|\n))|"
        r"releas(?:ed|es|ing)|launch(?:ed|es|ing)|unveil(?:ed|s|ing)|introduc(?:ed|es|ing)|rolled out|rolls out|debut(?:ed|s)|"
        r"made .{0,30}available|(?:is|are) now available|publish(?:ed|es)|ship(?:ped|s)|arriv(?:es|ed)|goes live|went live|发布|推出|上线|亮相|放出|宣布了?(?=(?:最新|全新|新一代|新)的?)|"
        r"announc(?:ed|es) (?:its |a |the )?(?=(?:new|latest|next-generation)\b)|"
        r"(?:正式|全面)?开放(?:内测|公测|邀测|测试|试用|使用|下载)|全面开放|开启(?:内测|公测|邀测)", re.IGNORECASE)),
]
_STATEMENT = re.compile(r"말했|밝혔|언급했|강조했|설명했|평가했|덧붙였|said|says|told|wrote|posted|表示|(?<![被堪号简统俗自])称(?![为作之号])|指出|透露")
_QUOTE = re.compile(r"[\"“”「」]")


def find_events(
    text: str,
    sentences: list[Sentence],
    mentions: list[NameMatch],
    gazetteer: Gazetteer | EntityView,
    published: date | None,
    title: str | None = None,
) -> list[EventClaim]:
    """Every event the text asserts, one per type and subject, dated by the text against ``published``.

    ``title`` lets the headline decide two things: its release is the article's news even when
    the model is new or dated by month only, and a "says" line without a full stop that is not
    the title is another story's headline.
    """
    events: list[EventClaim] = []
    last_dated: date | None = None  # what "같은 날" / "the same day" points back to
    elsewhere = other_articles(sentences)
    headline = {s.index for s in _headline_sentences(title, sentences)}
    for sentence in sentences:
        if sentence.index in elsewhere:
            continue  # a related headline reports another article's news, dated by that article
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        # Quoted speech is what someone said, not what happened.
        unquoted = _outside_quotes(sentence.text)
        cited = [m for m in inside if is_venue(m, text, gazetteer)]
        actors = [m for m in inside if m not in cited]
        found_types: set[str] = set()
        # "how far are we from an open o3?" asks, it does not report; a caption describes a picture
        reports = not (QUESTION.search(sentence.text) or CAPTION.search(sentence.text))
        for event_type, pattern in _TRIGGERS if reports else ():
            for trigger in pattern.finditer(unquoted):
                # a semicolon joins clauses that each report their own news ("24日，A 开放内测；同一天，B 发布 …")
                first, last = _clause(unquoted, trigger.start(), trigger.end())
                if (event_type, first) in found_types:
                    continue
                if not asserted(event_type, unquoted, trigger.start(), trigger.end()) or _open_weight_description(
                        event_type, unquoted, trigger):
                    continue
                in_clause = [m for m in actors if sentence.start + first <= m.start < sentence.start + last]
                built = _build(event_type, trigger, sentence, in_clause, gazetteer, published, text, last_dated)
                if built:
                    events.extend(built)
                    found_types.add((event_type, first))
        _weights_follow_release(events, sentence)
        statement = _statement(sentence, unquoted, actors, gazetteer, published, text)
        if statement and not (FINAL_STOP.search(sentence.text) or sentence.index in headline):
            statement = None  # "Tim Cook says …" with no full stop and not this article's title: another story's headline
        if statement and BACKGROUND_BEFORE.search(unquoted[: _statement_verb(unquoted)]):
            statement = None  # "特朗普 2021 年 6 月曾表示": what was once said
        if statement and statement.company_id in getattr(gazetteer, "extra", {}):
            # a name guessed from the text may be a keyboard maker, a trading firm or a division: the word of
            # a company we do not know to be of the industry is left out
            statement = None
        if statement:
            events.append(statement)
        dated = [e.date for e in events if e.sentence is sentence and e.date and e.type != "statement"]
        if dated:
            last_dated = dated[-1]
    events = _news_not_background(events, headline, mentions, sentences)
    _same_day_as_before(events)
    _news_peg(events, lede_sentences(sentences, headline, elsewhere), gazetteer)
    events.extend(_named_releases(lede_sentences(sentences, headline, elsewhere), events, mentions, text, gazetteer, published,
                                  [s for s in sentences if s.index not in elsewhere]))
    events.extend(_headline_release(title, sentences, events, mentions, text, gazetteer, published))
    _share_launch_dates(events, gazetteer)
    return _merge(_named_over_company_only(events))


_RELEASE = dict(_TRIGGERS)["model_release"]
_HEADLINE_CLAUSES = re.compile(r"[;；|｜…]+|\s[-–—]\s")


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of the semicolon-bounded clause around ``start:end``."""
    first = max(sentence.rfind(";", 0, start), sentence.rfind("；", 0, start)) + 1
    ends = [i for i in (sentence.find(";", end), sentence.find("；", end)) if i >= 0]
    return first, min(ends, default=len(sentence))


def _plain(value: str) -> str:
    return re.sub(r"[\s#*'\"‘’“”「」]+", "", value)


def _headline_sentences(title: str | None, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that repeat the article's title (as "# title" at the top, or again above the body)."""
    wanted = _plain(title or "")
    if len(wanted) < 8:
        return []
    return [s for s in sentences if wanted[:40] in _plain(s.text) and len(_plain(s.text)) <= len(wanted) + 12]


def _statement_verb(unquoted: str) -> int:
    found = _STATEMENT.search(unquoted)
    return found.start() if found else len(unquoted)


# makers whose "products" are laws, funds or series, not the industry's releases
_NOT_MAKERS = {"media", "government", "investor", "nonprofit", "research_institute"}


def _named_releases(
    lede: list[Sentence], events: list[EventClaim], mentions: list[NameMatch], text: str,
    gazetteer: Gazetteer | EntityView, published: date | None, sentences: list[Sentence],
) -> list[EventClaim]:
    """The release the headline or lede reports, its product named there for the first time.

    Only a known company as the verb's subject, only asserted releases, and only when the clause's
    release has no model yet: the name becomes a candidate, as a price's model does.
    """
    extra = getattr(gazetteer, "extra", None)
    if extra is None:
        return []
    found: list[EventClaim] = []
    for sentence in lede:
        released = {e.model_id for e in events if e.sentence is sentence and e.type == "model_release" and e.model_id}
        named_clauses: set[int] = set()
        unquoted = _outside_quotes(sentence.text)
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end and not is_venue(m, text, gazetteer)]
        for trigger in _RELEASE.finditer(unquoted):
            if not asserted("model_release", unquoted, trigger.start(), trigger.end()):
                continue
            first, last = _clause(unquoted, trigger.start(), trigger.end())
            if first in named_clauses or any(m.entity_id in released and sentence.start + first <= m.start < sentence.start + last
                                             for m in inside):
                continue  # this clause's release has its model; another clause ("…；26 日，B 上线「C」") may name a new one
            made: list[EventClaim] = []
            for name, start, end in release_names(sentence.text, trigger):
                # a name the lists know is that entity ("Adobe" heading "Adobe CX Enterprise" is not)
                known = [m for m in inside if m.start <= sentence.start + start and sentence.start + end <= m.end]
                if known and gazetteer.entities[known[0].entity_id].type != "model":
                    continue  # "unveils Google, …": a company or a person is not what was released
                # the maker before the verb, or heading the name itself ("Microsoft Scout, unveiled …")
                companies = [m for m in inside if gazetteer.entities[m.entity_id].type == "company"
                             and sentence.start + first <= m.start
                             and (m.end <= sentence.start + min(start, trigger.start()) or m.start == sentence.start + start)
                             and m.entity_id not in extra]
                subject = _subject(companies, text, sentence.start + trigger.start(), extra)
                maker = subject.entity_id if subject else _product_maker(inside, sentence.start + first, sentence.start + trigger.start(),
                                                                             gazetteer)
                if maker is None and not known:
                    maker = _maker_named_in_product(sentence, first, trigger, name, start, inside, extra)
                if maker is None or gazetteer.entities[maker].kind in _NOT_MAKERS:
                    continue  # a ministry's '…법', an investor's fund, a paper's series: not a product of the industry
                if _in_the_past(sentence, trigger, published) and not find_dates(unquoted[first:last], published):
                    continue  # "X, launched in 2024, …": background, not the news
                if known:
                    model_id = known[0].entity_id
                else:
                    listed = gazetteer.gazetteer.by_name(name) if isinstance(gazetteer, EntityView) else None
                    if listed and listed.kind == "model_family" and _TIER.search(name):
                        listed = None  # "豆包通用模型 Pro" is one tier of the family the lists know, released as itself
                    model_id = listed.id if listed else candidate_id("model", name)
                    if not listed:
                        # "its first in-house AI model, called Inkling" is a model; "an autonomous AI agent" a product
                        around = sentence.text[min(start, trigger.start()) : end + 24]
                        kind = "candidate" if re.search(r"\bmodel|模型|모델", around, re.IGNORECASE) else "product"
                        extra.setdefault(model_id, Entity(id=model_id, type="model", name=name, kind=kind, developer=maker))
                    # the name joins the article's mentions, so that it is listed (and stored) like any candidate
                    mentions.append(NameMatch(model_id, name, sentence.text[start:end], sentence.start + start, sentence.start + end, False))
                # the day its own clause names ("传 TikTok 计划周日…；OpenAI 推出…": Sunday is the other story's)
                days = [d for d in find_dates(unquoted[first:last], published) if d.date and (published is None or d.date <= published)]
                before = [d for d in days if first + d.start < trigger.start()]
                when = (before[-1] if before else days[0]).date if days else _named_day(name, sentence, sentences, published)
                if when is None and (_THIS_LAUNCH.search(unquoted[first:trigger.start()]) or _SAME_DAY.search(unquoted[first:trigger.start()])):
                    # "字节跳动此次共发布 9 款模型": this launch is the one the story's dateline dates;
                    # "…；同一天，B 发布 C": the day the text named last
                    earlier = [d for d in find_dates(text[: sentence.start + first], published)
                               if d.date and (published is None or d.date <= published)]
                    when = earlier[-1].date if earlier else None
                made.append(EventClaim("model_release", when, maker, model_id, None, sentence, trigger.group(0)))
            if made:
                found.extend(made)
                named_clauses.add(first)  # one release per clause; the next clause may name its own
    return found + _new_in_apposition(lede, events + found, mentions, text, gazetteer)


# the word that names one tier of a family: "<Family> Pro", "<Family>-lite", "<Family> 模型 Max"
_TIER = re.compile(r"[\s\-_]\s?(?:pro|lite|liti|mini|max|plus|ultra|turbo|flash|nano|air|beta)(?:[\s\-]?\d+k)?\s*$", re.IGNORECASE)
_THIS_LAUNCH = re.compile(r"此次|这次|本次|同日|当天|当日")


def _named_day(name: str, head: Sentence, sentences: list[Sentence], published: date | None) -> date | None:
    """The day the first later sentence that names the product gives before the name ("1 月 15 日消息，…
    为 ChatGPT 引入「Tasks」" under the headline "OpenAI 推出新功能「Tasks」")."""
    for sentence in sentences:
        at = sentence.text.find(name)
        if sentence.start <= head.start or at < 0:
            continue
        days = [d for d in find_dates(sentence.text[:at], published) if d.date and (published is None or d.date <= published)]
        if days:
            return days[-1].date
    return None


def _maker_named_in_product(sentence: Sentence, first: int, trigger: re.Match[str], name: str, start: int,
                            inside: list[NameMatch], extra: dict) -> str | None:
    """A maker no list knows, named by the clause's subject that also heads the product's name (see
    :func:`kb.extract.lede.maker_heading_name`): a company candidate, the release's maker."""
    named = maker_heading_name(sentence.text, first, trigger, name, start)
    if named is None and not trigger.group(0).isascii() and not re.match(r"[가-힣]", trigger.group(0)):
        by_suffix = maker_by_suffix(sentence.text[first : trigger.start()])
        named = (by_suffix, by_suffix) if by_suffix else None
    if named is None:
        return None
    maker, printed = named
    guessed = [m for m in inside if m.entity_id in extra and extra[m.entity_id].type == "company" and m.text in (maker, printed)]
    if guessed:
        return guessed[0].entity_id  # the name the candidates already guessed
    company_id = candidate_id("company", maker)
    extra.setdefault(company_id, Entity(id=company_id, type="company", name=maker, kind="candidate"))
    return company_id


def _product_maker(inside: list[NameMatch], start: int, trigger_at: int, gazetteer: Gazetteer | EntityView) -> str | None:
    """"文心一言上线深度搜索功能": an app that gains a feature is the subject; its developer made the feature."""
    apps = [m for m in inside if start <= m.start and m.end <= trigger_at and gazetteer.entities[m.entity_id].type == "model"
            and trigger_at - m.end <= 3 and gazetteer.entities[m.entity_id].developer]
    return gazetteer.entities[apps[-1].entity_id].developer if apps else None


def _new_in_apposition(lede: list[Sentence], events: list[EventClaim], mentions: list[NameMatch], text: str,
                       gazetteer: Gazetteer | EntityView) -> list[EventClaim]:
    """"Gemini Spark, Google's new agentic AI platform, …" at the head of an article: the model is the
    company's new release, its news (dated by the sentences that report it, if any)."""
    found = []
    for sentence in lede:
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        for model in (m for m in inside if gazetteer.entities[m.entity_id].type == "model"):
            maker = next((c for c in inside if gazetteer.entities[c.entity_id].type == "company"
                          and re.fullmatch(r",\s?", text[model.end : c.start])), None)
            if maker is None or not re.match(r"['’]s\s(?:new|newest|latest|just-launched|newly launched)\b", text[maker.end : maker.end + 20]):
                continue
            developer = gazetteer.entities[model.entity_id].developer
            if developer and not _same_house(gazetteer, developer, maker.entity_id):
                continue
            if any(e.type == "model_release" and e.model_id == model.entity_id for e in events + found):
                continue
            found.append(EventClaim("model_release", None, maker.entity_id, model.entity_id, None, sentence, "new"))
    return found


def _named_over_company_only(events: list[EventClaim]) -> list[EventClaim]:
    """A company's release without a model says less than the same company's release with one: keep the latter."""
    named = {e.company_id for e in events if e.type == "model_release" and e.model_id}
    return [e for e in events if not (e.type == "model_release" and e.model_id is None and e.company_id in named)]


def _headline_release(
    title: str | None, sentences: list[Sentence], events: list[EventClaim], mentions: list[NameMatch], text: str,
    gazetteer: Gazetteer | EntityView, published: date | None,
) -> list[EventClaim]:
    """The release the article is about, as its headline reports it.

    "Microsoft unveils Scout …", "OpenAI 推出新功能「Tasks」": when the headline's model is one no
    list knows yet, the release is still news, and the company that made it is known.
    """
    heads = _headline_sentences(title, sentences)
    if not heads or any(e.type == "model_release" and e.sentence in heads for e in events):
        return []
    head = heads[0]
    unquoted = _outside_quotes(head.text)
    found: list[EventClaim] = []
    clause_start = 0
    for clause in _HEADLINE_CLAUSES.split(unquoted):
        at = unquoted.index(clause, clause_start)
        clause_start = at + len(clause)
        for trigger in _RELEASE.finditer(clause):
            start, end = at + trigger.start(), at + trigger.end()
            if not asserted("model_release", unquoted, start, end):
                continue
            inside = [m for m in mentions if head.start + at <= m.start < head.start + clause_start
                      and not is_venue(m, text, gazetteer)]
            if any(gazetteer.entities[m.entity_id].type == "model" and m.start >= head.start + end for m in inside):
                break  # the headline names its model: the sentences about it decide
            # a known maker and a verb: "엔비디아, 차세대 '블랙웰' 공개" may unveil a chip, and a guessed name may be a word
            makers = [m for m in inside if gazetteer.entities[m.entity_id].type == "company" and m.end <= head.start + start
                      and m.entity_id not in getattr(gazetteer, "extra", {})]
            if not makers or re.fullmatch(r"공개|출시", trigger.group(0)):
                break
            company = makers[-1].entity_id
            when = next((e.date for e in events if e.type == "model_release" and e.company_id == company and e.date), None)
            model = _model_named_below(company, head, sentences, mentions, gazetteer)
            found.append(EventClaim("model_release", when or _lede_date(company, head, sentences, mentions, published),
                                    company, model, None, head, trigger.group(0)))
            break
    return found


# "API 只有一个模型，名为「grok-beta」", "the agent, called Operator,": a model the story names as it introduces it
_NAMED_AS = re.compile(
    r"(?:模型|智能体|助手|功能|models?|agents?|assistants?|features?|apps?)[^。.;；\n]{0,6}?[，,]?\s?"
    r"(?:名为|取名为|命名为|叫做|called|dubbed|named)\s?[「“\"'‘]?(?P<name>[A-Za-z][\w.+-]{1,30}?)[」”\"'’]?(?=[\s，。,.;；)）]|$)",
    re.IGNORECASE)


def _lede_body(company: str, head: Sentence, sentences: list[Sentence], mentions: list[NameMatch],
               lines: int = 3) -> list[Sentence]:
    """The sentences that report the headline's story: the first ones under the headline, and in a digest
    the first ``lines`` under the "## …" section that names the company."""
    body = [s for s in sentences if s.start > head.end and _plain(s.text) != _plain(head.text)]  # not the title again
    sections = [i for i, s in enumerate(body) if s.text.startswith("##")
                and any(m.entity_id == company and s.start <= m.start < s.end for m in mentions)]
    section = []
    for sentence in body[sections[0] + 1 : sections[0] + 1 + lines] if sections else []:
        if sentence.text.startswith("#"):
            break
        section.append(sentence)
    return body[:8] + section


def _model_named_below(company: str, head: Sentence, sentences: list[Sentence], mentions: list[NameMatch],
                       gazetteer: Gazetteer | EntityView) -> str | None:
    """The one model the headline's story names as it introduces it ("目前，API 只有一个模型，名为「grok-beta」"),
    the company's own or new: what the headline's release released."""
    for sentence in _lede_body(company, head, sentences, mentions, lines=6):
        named = [m for m in _NAMED_AS.finditer(sentence.text)]
        if len(named) != 1:
            continue
        at = sentence.start + named[0].start("name")
        covering = [m for m in mentions if m.start <= at < m.end and gazetteer.entities[m.entity_id].type == "model"]
        if not covering:
            continue  # only a name the extractor already takes for a model
        model = gazetteer.entities[covering[0].entity_id]
        if model.developer and not _same_house(gazetteer, model.developer, company):
            continue  # "a model called Claude" in an Amazon story is Anthropic's, not the release
        return model.id
    return None


def _lede_date(company: str, head: Sentence, sentences: list[Sentence], mentions: list[NameMatch],
               published: date | None) -> date | None:
    """The day the first body sentences give for the company's release ("1 月 15 日消息，OpenAI 推出 …"); in a
    digest, the first lines under the "## …" section that names the company (its story's own lede)."""
    for sentence in _lede_body(company, head, sentences, mentions):
        names = {m.entity_id for m in mentions if sentence.start <= m.start < sentence.end}
        trigger = _RELEASE.search(_outside_quotes(sentence.text))
        if company in names and trigger and asserted("model_release", sentence.text, trigger.start(), trigger.end()):
            when = _event_date(sentence, published, sentence.start + trigger.start())
            if when or not sentence.text.startswith("#"):
                return when  # a section's own headline gives no day; the line under it does
    return None


def _news_not_background(events: list[EventClaim], headline: set[int], mentions: list[NameMatch],
                         sentences: list[Sentence]) -> list[EventClaim]:
    """A release the text puts in a month only is background, unless the headline names its model:
    a roundup's "OpenAI released GPT-5 in August" under a GPT-5 headline is the news."""
    spans = [(s.start, s.end) for s in sentences if s.index in headline]
    in_headline = {m.entity_id for m in mentions if any(a <= m.start < b for a, b in spans)}
    kept = []
    for event in events:
        if event.details.pop("background", False) and event.model_id not in in_headline:
            continue
        kept.append(event)
    return kept


def _key(event: EventClaim) -> tuple:
    """One statement per speaker, one move per person, else one event per type, company and model."""
    if event.type in ("statement", "executive_change") and event.person_id:
        return (event.type, None, None, event.person_id)
    if event.type == "statement":
        return (event.type, event.company_id, None, None)
    parties = event.details.get("participants")
    if parties and event.type in ("acquisition", "partnership", "lawsuit"):
        return (event.type, tuple(parties), event.model_id, None)  # one deal, whichever side a sentence names first
    return (event.type, event.company_id, event.model_id, None)


def _same_day_as_before(events: list[EventClaim]) -> None:
    """"같은 날 o3-프로도 내놨다" after a lede that dates its news only later: the same day as that news."""
    days = {_key(e): e.date for e in events if e.date}
    for index, event in enumerate(events):
        if event.date is None and _SAME_DAY.search(event.sentence.text):
            before = [e for e in events[:index] if e.sentence.start < event.sentence.start and e.type != "statement"]
            if before:
                event.date = days.get(_key(before[-1]))


def _news_peg(events: list[EventClaim], lede: list[Sentence], gazetteer: Gazetteer | EntityView) -> None:
    """A release the body reports without any time, by the maker of the release the lede dates, is part of
    that launch ("9 月 24 日，字节跳动…发布了…多款模型" … "豆包家族新成员 A、B，正式…开启邀测"): the lede's day.
    A release the text puts in the past (a month, a year, "earlier") was dropped as background before."""
    in_lede = {s.index for s in lede}
    pegs = [e for e in events if e.type == "model_release" and e.date and e.sentence.index in in_lede and e.company_id]
    if not pegs:
        return
    peg = pegs[0]
    for event in events:
        if (event.type == "model_release" and event.date is None and event.sentence.index not in in_lede
                and event.company_id and _same_house(gazetteer, event.company_id, peg.company_id)
                and not _EARLIER.search(event.sentence.text) and not find_dates(event.sentence.text, None)
                and not coarse_times(event.sentence.text, None)):  # "released … in December": its own time, if vague
            event.date = peg.date


_EARLIER = re.compile(r"\b(?:earlier|previously|before|last|ago|since)\b|此前|之前|以前|曾|去年|前不久|앞서|이전|지난|작년|전에", re.IGNORECASE)


def _share_launch_dates(events: list[EventClaim], gazetteer: Gazetteer | EntityView) -> None:
    """A model released in one sentence and open-sourced in another on a named day was launched that day;
    so was the family ("라마 4") whose members ("Llama 4 Scout and Maverick") the text dates."""
    days: dict[str, set[date]] = {}
    for event in events:
        if event.type in ("model_release", "open_source") and event.model_id and event.date:
            days.setdefault(event.model_id, set()).add(event.date)
    names = {model_id: gazetteer.get(model_id).name for model_id in days if gazetteer.get(model_id)}
    for event in events:
        if event.type in ("model_release", "open_source") and event.model_id and event.date is None:
            known = set(days.get(event.model_id, set()))
            model = gazetteer.get(event.model_id)
            if not known and model and model.kind == "model_family":
                members = [m for m, name in names.items() if name.startswith(model.name + " ")]
                known = {day for m in members for day in days[m]}
            if len(known) == 1:
                event.date = next(iter(known))


def _open_weight_description(event_type: str, sentence: str, trigger: re.Match[str]) -> bool:
    """"fine-tuned from Alibaba's open-weight Qwen": what kind of model, unless the sentence releases it."""
    return (event_type == "open_source" and bool(re.match(r"open[- ](?:weights?|source)$", trigger.group(0), re.IGNORECASE))
            and not _released_before(sentence, trigger.start()))


def _released_before(sentence: str, start: int) -> bool:
    """"OpenAI published gpt-oss-120b, its first open-weight models": a release verb earlier in the sentence."""
    release = dict(_TRIGGERS)["model_release"]
    return any(asserted("model_release", sentence, m.start(), m.end()) for m in release.finditer(sentence[:start]))


# "Huang said", "엔비디아는 … 평가했다", "谭待表示": the speaker is the subject, right before the verb
# or at the head of the sentence.
_SPEAKER_GAP = 40
_FORMAL_STATEMENT = re.compile(r"성명|입장문|statement|blog post|声明", re.IGNORECASE)


def _statement(
    sentence: Sentence, unquoted: str, inside: list[NameMatch], gazetteer: Gazetteer | EntityView, published: date | None,
    text: str,
) -> EventClaim | None:
    verb = _STATEMENT.search(unquoted)
    if not verb:
        return None
    verb_at = sentence.start + verb.start()
    # the speaker stands outside the quotation and is not the one spoken to ("向特朗普表示祝贺", "told Reuters")
    speakers = [m for m in inside if gazetteer.entities[m.entity_id].type in ("person", "company") and m.end <= verb_at
                and unquoted[m.start - sentence.start] != " "
                and not re.search(r"(?:向|对|给)\s?$|\bto\s$", sentence.text[max(0, m.start - sentence.start - 3) : m.start - sentence.start])]
    people = [m for m in speakers if gazetteer.entities[m.entity_id].type == "person"]
    quoted = bool(_QUOTE.search(sentence.text))
    if quoted:
        # the one nearest the verb ("Altman week 1: Elon Musk says …" is Musk speaking), not a partner in the
        # conversation ("제프 딘 구글 수석 과학자와의 대담을 통해")
        talking = [m for m in people if not re.search(r"^[^,.，。\"“”]{0,20}?(?:와의|과의|와\s|과\s|에게|한테|\bwith\b)",
                                                        sentence.text[m.end - sentence.start : m.end - sentence.start + 24])]
    else:
        talking = []
    if talking:
        speaker = talking[-1]
    else:
        near = [m for m in speakers if verb_at - m.end <= _SPEAKER_GAP or m.start - sentence.start <= 3]
        near = [m for m in near if _is_subject(sentence, m)]
        near_people = [m for m in near if gazetteer.entities[m.entity_id].type == "person"]
        if near_people:
            speaker = near_people[0]
        elif near and not _UNNAMED_INSIDER.match(text[near[0].end : near[0].end + 8]) and (
                _direct_speech(sentence.text, verb) or _FORMAL_STATEMENT.search(sentence.text)):
            # "엔비디아는 성명을 내고 …": a company speaks through a statement, not every "said"; an unnamed
            # insider's remark to the reporter ("LS일렉트릭 관계자는") is not one the company issued
            speaker = near[0]
        else:
            return None
    entity = gazetteer.entities[speaker.entity_id]
    models = [m for m in inside if gazetteer.entities[m.entity_id].type == "model"
              and gazetteer.entities[m.entity_id].kind not in GENERIC_KINDS]
    about = min(models, key=lambda m: abs(m.start - verb_at)).entity_id if models else None
    if entity.type == "person":
        # the speaker's own company, when known, rather than the first one the sentence mentions ("마벨에 투자한")
        companies = [m for m in inside if gazetteer.entities[m.entity_id].type == "company"]
        outside = [m for m in inside if unquoted[m.start - sentence.start] != " "]
        role, titled = person_role(text, speaker, [c for c in companies if c in outside], sentence)
        if role in _OUTSIDE_VOICES:
            return None  # an analyst's, a professor's or a lawmaker's view is comment on the news, not a company's word
        if titled and any(c.entity_id == titled and FORMER.search(text[max(0, c.start - 8) : c.start]) for c in companies):
            titled = None  # "이지현 전 크래프톤 재무실장": a former employer does not speak for her
        company = _speaks_for(titled, speaker, companies, gazetteer)
        if company is None and speaker.entity_id not in getattr(gazetteer, "extra", {}):
            # a figure the gazetteer knows speaks for the company the sentence names with them (not one it gives
            # as a recipient, "마벨에 20억달러를 투자한"), else for their own
            named = [m for m in outside if gazetteer.entities[m.entity_id].type == "company"
                     and not re.match(r"[)'’\"”]*\s?(?:에|에게|와|과|로|으로)(?![가-힣])", text[m.end : m.end + 4])]
            company = (named[0].entity_id if named else None) or entity.organization
        if company is None:
            return None  # a quote no company stands behind is one more voice in the story, not an event
        return EventClaim("statement", _event_date(sentence, published, verb_at), company, about, entity.id, sentence,
                          "quote" if quoted else verb.group(0))
    return EventClaim("statement", _event_date(sentence, published, verb_at), entity.id, about, None, sentence, verb.group(0))


_UNNAMED_INSIDER = re.compile(r"[)'’\"”]*\s?(?:의\s)?(?:관계자|고위 관계자|내부자|insiders?\b|sources?\b|知情人士|内部人士)", re.IGNORECASE)
# Roles whose holders comment on a company from outside it: their quotes are not the company's word.
_OUTSIDE_VOICES = {"analyst", "economist", "professor", "judge", "lawmaker", "reporter", "minister", "vice minister",
                   "committee chair"}


def _speaks_for(titled: str | None, speaker: NameMatch, companies: list[NameMatch],
                gazetteer: Gazetteer | EntityView) -> str | None:
    """The company in the speaker's title; when the title names a company the gazetteer knows and one
    guessed from the text ("Meta CTO and head of Reality Labs"), the known one."""
    if titled is None:
        return None
    in_title = [c for c in companies if speaker.start - 60 <= c.start < speaker.start and c.entity_id != titled]
    guessed = getattr(gazetteer, "extra", {})
    known = [c for c in in_title if c.entity_id not in guessed]
    return known[0].entity_id if titled in guessed and known else titled


def _direct_speech(sentence: str, verb: re.Match[str]) -> bool:
    """A company's own words quoted whole: "Jane Street said, “We tested …”", "앤트로픽은 “…”라고 강조했다",
    "公司表示：「…」"; not a phrase quoted inside reported speech ("said it is committed to the “consensus”")."""
    after = sentence[verb.end() : verb.end() + 4]
    before = sentence[max(0, verb.start() - 8) : verb.start()]
    return bool(re.match(r"[^\w]{0,3}[\"“「『]", after) or re.search(r"[\"”」』]\s?(?:이?라고|고|며)\s?$", before)
                or re.search(r"[\"”」』][,，]?\s?$", before))


_SUBJECT_AFTER = re.compile(r"^(?:은|는|이|가|측은|측이)?(?:\s|$)|^\s?(?:said|says|told|wrote|CEO|chief|表示|称|指出)|^['’]s\b")


def _is_subject(sentence: Sentence, mention: NameMatch) -> bool:
    """A name that begins its clause and is marked as the topic or subject, not one in passing."""
    after = sentence.text[mention.end - sentence.start : mention.end - sentence.start + 12]
    before = sentence.text[max(0, mention.start - sentence.start - 25) : mention.start - sentence.start]
    if re.search(r"(?:according to|에 따르면|据)\s*$", before, re.IGNORECASE):
        return False
    return bool(_SUBJECT_AFTER.match(after))


def _weights_follow_release(events: list[EventClaim], sentence: Sentence) -> None:
    """"released Scout and Maverick … and posted their weights": the weights are those of every model released."""
    here = [e for e in events if e.sentence is sentence]
    released = [e for e in here if e.type == "model_release"]
    opened = [e for e in here if e.type == "open_source"]
    if not released or not opened:
        return
    have = {e.model_id for e in opened}
    template = opened[0]
    for release in released:
        if release.model_id not in have:
            events.append(EventClaim("open_source", release.date or template.date, release.company_id, release.model_id,
                                     None, sentence, template.trigger))


def _outside_quotes(sentence: str) -> str:
    """The sentence with quoted spans blanked out (same length, so offsets hold)."""
    return re.sub(r"[\"“][^\"”]*[\"”]|「[^」]*」|『[^』]*』", lambda m: " " * len(m.group(0)), sentence)


def _first_of_type(mentions: list[NameMatch], gazetteer: Gazetteer | EntityView, entity_type: str) -> str | None:
    for mention in mentions:
        if gazetteer.entities[mention.entity_id].type == entity_type:
            return mention.entity_id
    return None


_SAME_DAY = re.compile(r"같은 날|당일|same day|that day|同日|当天|当日|同一天", re.IGNORECASE)


def _event_date(sentence: Sentence, published: date | None, trigger_at: int | None = None,
                text: str | None = None, same_day: date | None = None) -> date | None:
    """The date nearest before the trigger: "3일 업계에 따르면 … 지난달 31일 … 공개했다" is the 31st;
    "같은 날" / "on the same day" is the day of the event reported last. A day after publication is a
    plan or a deadline ("다음 달 15일까지"), never the day something happened."""
    dates = [d for d in find_dates(sentence.text, published) if d.date and (published is None or d.date <= published)]
    if not dates:
        if text is not None and _SAME_DAY.search(sentence.text):
            if same_day is not None:
                return same_day
            earlier = [d for d in find_dates(text[: sentence.start], published)
                       if d.date and (published is None or d.date <= published)]
            return earlier[-1].date if earlier else None
        return None
    if trigger_at is not None:
        offset = trigger_at - sentence.start
        before = [d for d in dates if d.start < offset]
        if before:
            return before[-1].date
    return dates[0].date


# What a model mention is in its sentence: compared with, built on, or the thing released.
_COMPARED_AFTER = re.compile(
    r"^['’\"”]?\s?(?:\([^)]*\)\s?)?(?:와|과)?\s?(?:보다|비슷|맞먹|대비|에\s?버금|과\s?비슷|와\s?비슷|에\s?비해|과\s?맞먹|와\s?맞먹|을\s?넘|를\s?넘|을\s?앞|를\s?앞|"
    r"을\s?기반|를\s?기반|기반|을\s?바탕|를\s?바탕|급|수준|"
    # "GPT-5 출시 약 7개월 만에 … 내놨다": the earlier release is the time reference, not the news
    r"(?:출시|공개|발표)\s?(?:이후|후|뒤|약\s?\d|\d+\s?(?:개월|년|주|일)))"
)
_COMPARED_BEFORE = re.compile(
    r"(?:than|rivals?|rivall?ing|compared (?:to|with)|versus|vs\.?|beat(?:s|ing)?|outperform\w*|match(?:es|ing)?|on par with|"
    r"comparable to|similar to|close to|behind|ahead of|"
    r"based on|built on|on top of|successor to|since|after|like|such as|(?<!well )as|(?<!API )for|into|inside|within|last year's|지난해|작년|去年|距离|自从|比|超过|超越|媲美|基于|对标)\s*(?:the |OpenAI's |its )?['‘\"“]?$",
    re.IGNORECASE,
)
_KO_OBJECT = re.compile(r"^['’\"”]?\s?(?:을|를)")
_COORDINATION = re.compile(r"^['’\"”]?\s?(?:와|과|,|·|및|、|和|与|及|and|, and|&)\s?(?:the\s)?['‘\"“]?$", re.IGNORECASE)


_SUBJECT_GAP = re.compile(
    r"^[\s'’\"”」』)]*(?:(?:도|이|가)?\s?(?:于|在|已经?|已于|正式|也|同时|再次|首次|今天|今日|昨天|日前|近日|\d{1,4}\s*[年月日号]|"
    # "A、B，正式面向企业市场开启邀测": who it is opened to, between the topic and its verb
    r"[，,](?=\s?(?:正式|全面|同时|也)?\s?面向)|面向[\u4e00-\u9fff]{1,8}?(?:市场|用户|开发者|企业|客户)|"
    r"was|were|is|are|has been|have been|had been|officially|now|finally|also|first|today|yesterday|on \w+day|함께|정식으로?|공식|이날|\s)+)?$",
    re.IGNORECASE,
)


def _passive_or_topic(text: str, mention: NameMatch, trigger_start: int, trigger_end: int) -> bool:
    """A model before its verb is what was released when the verb is passive ("was released", "공개됐다")
    or Chinese puts it first as the topic and the verb has no object ("GLM-5于…正式发布，"; not
    "文心一言上线深度搜索功能", where the app is where the new feature went)."""
    gap = text[mention.end : trigger_start]
    verb = text[trigger_start : trigger_start + 12]
    topic = bool(re.match(r"[\u4e00-\u9fff]", verb)) and bool(re.match(r"\s*(?:了\s*)?(?:[，。；,;：:！!）)]|$|时|后|以来)", text[trigger_end : trigger_end + 4]))
    headline_noun = bool(re.match(r"(?:공개|출시)(?![가-힣])", verb))  # "'라마 4' 공개…": the name before it
    return bool(re.search(r"\b(?:was|were|is|are|been)\b", gap) or re.match(r"[가-힣]*됐|[가-힣]*되", verb) or topic
                or headline_noun)


def _released_models(
    models: list[NameMatch], text: str, trigger_start: int, trigger_end: int, gazetteer: Gazetteer | EntityView,
    *, products: bool = False,
) -> list[NameMatch]:
    """The models a release sentence is about, not those it compares them with.

    Korean marks the released model as the object (o3 미니를 … 공개했다), English
    and Chinese put it after the verb (released Llama 4 Scout and Maverick);
    a model named next to it with "and"/"와" shares its fate.
    """
    # "…降至 $2.50/百万 tokens；对于 …，OpenAI 推出 GPT-4o mini": a semicolon ends the trigger's clause
    clause_start = max((i + 1 for i in (text.rfind(";", 0, trigger_start), text.rfind("；", 0, trigger_start)) if i >= 0), default=0)
    clause_end = min((i for i in (text.find(";", trigger_end), text.find("；", trigger_end)) if i >= 0), default=len(text))
    models = [m for m in models if clause_start <= m.start and m.end <= clause_end]
    kept = [
        m for m in models
        if not _COMPARED_AFTER.match(text[m.end : m.end + 48]) and not _COMPARED_BEFORE.search(text[max(0, m.start - 25) : m.start])
    ]
    if not products:
        kept = [m for m in kept if gazetteer.entities[m.entity_id].kind not in PRODUCT_KINDS]
    # "Qwen" or "the Llama 4 family" is a line of models, not one that was released or repriced
    # (a versioned family, "Qwen3" or "EXAONE 3.5", is a release of several sizes at once, and counts)
    # unless the family is itself the verb's object and nothing more specific is named ("快手可灵全面开放内测")
    specific = [m for m in kept if gazetteer.entities[m.entity_id].kind != "model_family"]
    kept = [m for m in kept if gazetteer.entities[m.entity_id].kind != "model_family"
            or re.search(r"\d", gazetteer.entities[m.entity_id].name)
            or (not specific and _is_object(m, text, trigger_start, trigger_end)
                and not re.match(r"\s?(?:大模型|模型|모델)?\s?[A-Za-z-]{0,12}\d", text[m.end : m.end + 16]))]
    if not kept:
        return []
    kept.sort(key=lambda m: m.start)
    relative = re.search(r",?\s(?:which|that)\s(?:[\w'-]+\s){0,3}$", text[max(0, trigger_start - 40) : trigger_start])
    if relative:
        relative_at = trigger_start - (min(40, trigger_start) - relative.start())
        before = [m for m in kept if m.end <= relative_at and relative_at - m.end <= 3]
        if before:
            return before[-1:]
    heads = [m for m in kept if m.end <= trigger_start and _KO_OBJECT.match(text[m.end : m.end + 3])]
    if not heads:
        # "GLM-5于1月20日正式发布", "o3-pro was released on Tuesday", "'R1-제로'도 함께 공개됐다": the model is the subject
        heads = [m for m in kept if m.end <= trigger_start and trigger_start - m.end <= 30
                 and _SUBJECT_GAP.match(text[m.end : trigger_start]) and _passive_or_topic(text, m, trigger_start, trigger_end)][-1:]
    if not heads:
        after = [m for m in kept if m.start >= trigger_end]
        if re.match(r"[가-힣]", text[trigger_start : trigger_start + 1]):
            # Korean puts the object first; after the verb only the noun it modifies ("공개한 '포지코더 2'")
            after = [m for m in after if m.start - trigger_end <= 4]
        heads = after[:1]
    if not heads:
        # a Korean verb that modifies a noun releases that noun ("공개한 '포지코더 2'는"), or what it puts
        # before it: a model further on is another subject ("… 앤트로픽 '클로드 …'와 비슷한 수준")
        modifier = re.fullmatch(r"[가-힣]+(?:한|인|은|된)", text[trigger_start:trigger_end])
        pool = [m for m in kept if m.end <= trigger_start] if modifier else kept
        if not pool:
            return []
        return [min(pool, key=lambda m: min(abs(m.start - trigger_start), abs(m.end - trigger_start)))]
    chosen = list(heads)
    for head in heads:
        index = kept.index(head)
        # walk back through "A와 B를" (Korean) and forward through "A and B" (English, Chinese)
        step = -1 if head.end <= trigger_start else 1
        current = head
        position = index + step
        while 0 <= position < len(kept):
            other = kept[position]
            gap = text[other.end : current.start] if step == -1 else text[current.end : other.start]
            if not _COORDINATION.match(gap):
                break
            chosen.append(other)
            current, position = other, position + step
    unique: dict[str, NameMatch] = {}
    for mention in sorted(chosen, key=lambda m: m.start):
        unique.setdefault(mention.entity_id, mention)
    return list(unique.values())


def _build(
    event_type: str,
    trigger: re.Match[str],
    sentence: Sentence,
    inside: list[NameMatch],
    gazetteer: Gazetteer | EntityView,
    published: date | None,
    text: str,
    same_day: date | None = None,
) -> list[EventClaim]:
    trigger_at = sentence.start + trigger.start()
    trigger_end = sentence.start + trigger.end()
    models = [m for m in inside if gazetteer.entities[m.entity_id].type == "model"]
    companies = [m for m in inside if gazetteer.entities[m.entity_id].type == "company"]
    people = [m for m in inside if gazetteer.entities[m.entity_id].type == "person"]
    subject = _subject(companies, text, trigger_at, getattr(gazetteer, "extra", {}))
    when = _event_date(sentence, published, trigger_at, text, same_day)
    if event_type == "price_change" and not (_PRICE_WORD.search(sentence.text) or find_money(sentence.text)):
        return []  # "가중치를 올렸다" is an upload, "raised" a round: a price change talks about a price
    if event_type == "executive_change" and when is None and _in_a_past_year(sentence, trigger):
        return []  # "2018년 오픈AI에 합류해": a career, not this week's move
    # "released in April", "지난 8월 내놨고", "去年12月发布的": background, and the day is not given
    # (kept only when the headline names the model: then it is the news, see find_events)
    background = event_type != "executive_change" and when is None and _in_the_past(sentence, trigger, published)
    if background and event_type not in ("model_release", "open_source"):
        return []  # "Anthropic was valued at $61.5 billion in a round in early March": not this article's news
    if event_type in ("model_release", "open_source", "price_change"):
        if subject is not None:
            # "DeepSeek released distilled models built on Alibaba's Qwen": the subject's own models only
            # (a new name with no known developer may be the subject's own)
            models = [m for m in models if gazetteer.entities[m.entity_id].developer is None
                      or _same_house(gazetteer, gazetteer.entities[m.entity_id].developer, subject.entity_id)]
        released = _released_models(models, text, trigger_at, trigger_end, gazetteer, products=event_type == "price_change")
        if event_type == "model_release":
            # an app or plan is released only as the verb's own object ("推出 … ChatGPT Pro", "챗GPT 프로를 출시"),
            # never as the nearest name in a sentence about something else
            apps = [m for m in _released_models(models, text, trigger_at, trigger_end, gazetteer, products=True)
                    if gazetteer.entities[m.entity_id].kind in PRODUCT_KINDS and _is_object(m, text, trigger_at, trigger_end)]
            released = sorted(released + [m for m in apps if m not in released], key=lambda m: m.start)
        events = []
        for mention in released:
            model = gazetteer.entities[mention.entity_id]
            company = model.developer or (subject.entity_id if subject else None)
            events.append(EventClaim(event_type, when, company, model.id, None, sentence, trigger.group(0),
                                     {"background": True} if background else {}))
        return events
    if event_type == "funding" and not find_money(sentence.text):
        return []  # "raises the bar" is not a funding round; a round has an amount
    if event_type == "funding":
        # "a round led by Radical Ventures": investors are participants, not the company that raised
        raisers = [c for c in companies if not _INVESTOR_BEFORE.search(text[max(0, c.start - 40) : c.start])]
        if not raisers:
            return []
        companies = raisers + [c for c in companies if c not in raisers]
    if event_type == "partnership" and len({c.entity_id for c in companies}) < 2:
        return []  # a partnership has two sides named; "업스테이지 컨소시엄에서 …" names one
    # a partnership may be about a line of models ("将 Gemini 引入工业领域"); other events about one model
    kinds = PRODUCT_KINDS if event_type == "partnership" else GENERIC_KINDS
    models = [m for m in models if gazetteer.entities[m.entity_id].kind not in kinds]
    model = min(models, key=lambda m: abs(m.start - trigger_at)).entity_id if models else None
    if event_type == "executive_change" and companies:
        companies = executive_companies(sentence, companies, trigger, text)
        if (people and _DESTINATION_VERB.fullmatch(trigger.group(0)) and companies[0].end <= trigger_at
                and _DESTINATION_AFTER.match(text[trigger_end : trigger_end + 20])
                and person_role(text, people[0], companies, sentence)[1] == companies[0].entity_id):
            # "A社联合创始人X出任B社合伙人" with B unknown: the company in his title is not the one he joined
            # (but in "xAI chief scientist Priya Raman, who joined last month" it is)
            return []
    company = companies[0].entity_id if companies else (gazetteer.entities[model].developer if model else None)
    person = people[0].entity_id if people else None
    if event_type == "executive_change" and person is None:
        return []
    if event_type == "acquisition" and re.match(r"acquir(?:ed|es|ing)$", trigger.group(0), re.IGNORECASE) and not (
            any(c.start >= trigger_end for c in companies) or re.match(r"\s+by\b", text[trigger_end : trigger_end + 5])):
        return []  # "the users Perplexity had acquired": a company acquires a company
    if event_type == "executive_change":
        model = None  # a person moves between companies; the model they worked on is not the event's
    if event_type not in ("executive_change", "statement", "lawsuit"):
        person = None
    if company is None and model is None:
        return []
    details: dict = {}
    if event_type == "executive_change":
        details.update(move(sentence, trigger, companies, people[0], text))
    if event_type in ("acquisition", "partnership", "funding", "lawsuit") and len(companies) > 1:
        details["participants"] = sorted({c.entity_id for c in companies})
    if event_type == "funding":
        details.update(_funding_details(sentence, companies, company))
    if event_type == "acquisition":
        target = next((c for c in companies if c.start >= trigger_end and c.entity_id != company), None)
        if target:
            details["target"] = target.entity_id
        details.update(_amount(sentence))
    return [EventClaim(event_type, when, company, model, person, sentence, trigger.group(0), details)]


def _in_the_past(sentence: Sentence, trigger: re.Match[str], published: date | None) -> bool:
    """A month, season or year named next to the trigger ("which Meta released in April")."""
    return any(trigger.start() - 40 <= end and start <= trigger.end() + 30
               for start, end in coarse_times(sentence.text, published))


def _in_a_past_year(sentence: Sentence, trigger: re.Match[str]) -> bool:
    near = sentence.text[max(0, trigger.start() - 30) : trigger.end() + 20]
    return bool(re.search(r"(?<!\d)(?:19|20)\d\d\s?(?:년|年)(?!\s*\d{1,2}\s*[월月])|\bin (?:19|20)\d\d\b", near))


def _subject(companies: list[NameMatch], text: str, trigger_at: int, extra: dict | None = None) -> NameMatch | None:
    """The company that does what the verb says: the one marked as topic or subject ("오픈AI는"), else
    the one nearest before the verb ("… 赛道——等到 OpenAI 在发布会第三天正式放出 Sora")."""
    before = [c for c in companies if c.start < trigger_at]
    marked = [c for c in before if re.match(r"[)'’\"”\]]*(?:은|는|이|가)\s", text[c.end : c.end + 5])]
    if marked:
        return marked[-1]
    # a yardstick ("对标OpenAI o1") is not the actor
    actors = [c for c in before if not _COMPARED_BEFORE.search(text[max(0, c.start - 25) : c.start])]
    # a name the gazetteer knows is a surer actor than one guessed from the text
    known = [c for c in actors if c.entity_id not in (extra or {})]
    return (known or actors or [None])[0]


def _is_object(mention: NameMatch, text: str, trigger_at: int, trigger_end: int) -> bool:
    """The verb's own object: right after it (English, Chinese) or marked with 을/를 before it (Korean)."""
    if mention.start >= trigger_end:
        return mention.start - trigger_end <= 20 and not re.search(r"[,，。;；]", text[trigger_end : mention.start])
    if mention.end > trigger_at:
        return False
    # "快手可灵全面开放内测", "Sora was released": the subject of a passive or topic verb is what was released
    return bool(_KO_OBJECT.match(text[mention.end : mention.end + 3])) or (
        trigger_at - mention.end <= 30 and bool(_SUBJECT_GAP.match(text[mention.end : trigger_at]))
        and _passive_or_topic(text, mention, trigger_at, trigger_end))


def _informative(event: EventClaim) -> tuple[bool, bool]:
    return (event.date is not None, event.model_id is not None)


def _same_house(gazetteer: Gazetteer | EntityView, developer: str | None, subject: str) -> bool:
    """Alibaba Cloud releases Alibaba's Qwen; Google DeepMind releases Google's Gemini."""
    if developer is None:
        return False
    if developer == subject:
        return True
    dev, sub = gazetteer.get(developer), gazetteer.get(subject)
    return bool((dev and dev.parent == subject) or (sub and sub.parent == developer) or (dev and sub and dev.parent and dev.parent == sub.parent))


_DESTINATION_VERB = re.compile(r"出任|加盟|加入|join(?:s|ed|ing)?", re.IGNORECASE)
# the verb names where to: a name after it, not a time, a "from" or a role ("出任首席科学家")
_DESTINATION_AFTER = re.compile(
    r"\s?(?!(?:the\s)?(?:company|firm|startup|team|last|this|in|on|from|as|earlier|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"(?:the\s)?[A-Z]|\s?(?![首总副董CEO])[\u4e00-\u9fff]{2}")
_INVESTOR_BEFORE = re.compile(
    r"(?:led by|backed by|from|by|including|investors?|backers?|and|,)\s(?:[A-Z][\w&-]*\s){0,3}$|"
    r"(?:투자자인?|투자사인?|참여한|주도한)\s?$|由\s?$|(?:、|，)\s?$",
    re.IGNORECASE,
)
_PRICE_WORD = re.compile(r"가격|요금|이용료|단가|값을|값이|구독료|price|pricing|rates?\b|cost|价格|价|费用|免费|무료", re.IGNORECASE)
_VALUATION = re.compile(r"valu(?:ation|ed|ing)|기업\s?가치|몸값|估值", re.IGNORECASE)


def _amount(sentence: Sentence) -> dict:
    money = [m for m in find_money(sentence.text) if not _VALUATION.search(sentence.text[max(0, m.start - 25) : m.start])]
    return {"amount": money[0].amount, "currency": money[0].currency} if money else {}


def _funding_details(sentence: Sentence, companies: list[NameMatch], company: str | None) -> dict:
    """How much, from whom, at what valuation: what a reader of a funding story wants."""
    details = _amount(sentence)
    for money in find_money(sentence.text):
        if _VALUATION.search(sentence.text[max(0, money.start - 25) : money.end + 25]) and money.amount != details.get("amount"):
            details["valuation"] = money.amount
            break
    investors = sorted({c.entity_id for c in companies if c.entity_id != company})
    if investors:
        details["investors"] = investors
    return details


def _merge(events: list[EventClaim]) -> list[EventClaim]:
    """One event per (type, company, model) per article, one statement per speaker and one move per person
    (its from, to and role gathered from every sentence that tells it); the report that says more
    (a date, then a model) wins."""
    merged: dict[tuple, EventClaim] = {}
    for event in events:
        key = _key(event)
        current = merged.get(key)
        if current is None:
            merged[key] = event
            continue
        best, other = (event, current) if _informative(event) > _informative(current) else (current, event)
        if event.type == "funding":
            # one round, its investors named across sentences ("led by ASML", "General Catalyst also took part")
            investors = sorted(set(best.details.get("investors", [])) | set(other.details.get("investors", [])))
            parties = sorted(set(best.details.get("participants", [])) | set(other.details.get("participants", [])))
            best.details = {**other.details, **best.details}
            if investors:
                best.details["investors"] = investors
            if parties:
                best.details["participants"] = parties
        if event.type == "executive_change":
            best.details = {**other.details, **best.details}
            parties = {p for e in (best, other) for p in [e.company_id, *e.details.get("participants", [])] if p}
            best.company_id = best.details.get("to") or best.details.get("from") or best.company_id
            if len(parties) > 1:
                best.details["participants"] = sorted(parties)
        merged[key] = best
    deals = [e for e in merged.values() if e.details.get("participants")]
    # "OpenAI buys io" said once with both sides and once with one: the same deal
    kept = [e for e in merged.values() if e.details.get("participants") or e.type not in ("acquisition", "partnership", "funding", "lawsuit")
            or not any(d.type == e.type and e.company_id in d.details["participants"] for d in deals)]
    return sorted(kept, key=lambda e: e.sentence.start)
