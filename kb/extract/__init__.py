"""From an article's text to its facts: companies, models, people, prices, events.

:func:`extract` returns the public ``kb extract`` JSON document (see the
README): canonical English names, and for every fact the character offsets of
its evidence in ``article.text``.
"""

from __future__ import annotations

from typing import Any

from kb.extract.candidates import EntityView, find_candidates
from kb.extract.dates import parse_publication_date
from kb.extract.entities import accept_mentions, person_role
from kb.extract.events import find_events
from kb.extract.gazetteer import GENERIC_KINDS, PRODUCT_KINDS, Entity, Gazetteer, NameMatch, load_gazetteer
from kb.extract.prices import find_prices
from kb.extract.sentences import Sentence, split_sentences
from kb.parse import Article

__all__ = ["extract", "EXTRACTOR_VERSION"]

# Bump when extraction changes, so that `kb reprocess` knows which articles are stale.
EXTRACTOR_VERSION = "2"  # 2: body-only text input, people finder, price owners, asserted events


def extract(article: Article, *, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """Every fact in ``article``, as the ``kb extract`` document."""
    base = gazetteer or load_gazetteer()
    text = article.text
    sentences = split_sentences(text)
    known = base.find(text)
    new_entities, new_mentions = find_candidates(text, base, known, sentences)
    # a longer new name ("GPT-5.6-Cyber") replaces the known name inside it ("GPT-5")
    known = [k for k in known if not any(n.start <= k.start and k.end <= n.end and (n.end - n.start) > (k.end - k.start)
                                         for n in new_mentions)]
    gazetteer = EntityView(base, new_entities)
    mentions = sorted(accept_mentions(known, gazetteer, sentences, text) + new_mentions, key=lambda m: m.start)
    by_type: dict[str, list[NameMatch]] = {"company": [], "model": [], "person": []}
    for mention in mentions:
        by_type[gazetteer.entities[mention.entity_id].type].append(mention)

    published = parse_publication_date(article.published)
    generic = {m.entity_id for m in by_type["model"] if gazetteer.entities[m.entity_id].kind in GENERIC_KINDS}
    prices = find_prices(
        text, sentences, [(m.start, m.end, m.entity_id) for m in by_type["model"]], generic=generic,
        companies=[(m.start, m.end, m.entity_id) for m in by_type["company"]], gazetteer=base,
    )
    _add_priced_models(prices, gazetteer, by_type["model"], text)
    listed = {id(m) for m in by_type["model"]}
    events = find_events(text, sentences, mentions, gazetteer, published, title=article.title)
    # a release's product named only in its headline or lede becomes a candidate there (see find_events)
    by_type["model"] += [m for m in mentions if id(m) not in listed and gazetteer.entities[m.entity_id].type == "model"]

    return {
        "article": {
            "url": article.url,
            "title": article.title,
            "published": article.published,
            "language": article.language,
            "text": text,
        },
        "companies": [
            {"name": gazetteer.entities[eid].name, "id": eid, "candidate": eid in gazetteer.extra, "mentions": _spans(group)}
            for eid, group in _grouped(by_type["company"])
        ],
        "models": [_model(gazetteer, eid, group) for eid, group in _grouped(by_type["model"]) if not _is_product(gazetteer, eid)],
        # Apps, plans and agents (ChatGPT, ChatGPT Plus, Copilot): priced and released like models, but not models.
        "products": [_model(gazetteer, eid, group) for eid, group in _grouped(by_type["model"]) if _is_product(gazetteer, eid)],
        "people": [_person(gazetteer, eid, group, by_type["company"], sentences, text) for eid, group in _grouped(by_type["person"])],
        "prices": [
            {
                "model": _name(gazetteer, claim.model_id),
                "model_id": claim.model_id,
                "kind": claim.kind,
                "amount": claim.amount,
                "currency": claim.currency,
                "per_tokens": claim.per_tokens,
                "period": claim.period,
                "usd_per_million_tokens": claim.usd_per_million_tokens,
                "change": claim.change,
                "reported": claim.reported,  # attributed to others ("according to", "据报道"), not the outlet's own claim
                **({"amount_max": claim.amount_max} if claim.amount_max is not None else {}),
                **({"unit": claim.unit} if claim.unit else {}),
                "evidence": _evidence(claim.sentence),
                "amount_span": {"start": claim.start, "end": claim.end},
            }
            for claim in prices
        ],
        "events": [
            {
                "type": event.type,
                "date": event.date.isoformat() if event.date else None,
                "company": _name(gazetteer, event.company_id),
                "model": _name(gazetteer, event.model_id),
                "person": _name(gazetteer, event.person_id),
                "company_id": event.company_id,
                "model_id": event.model_id,
                "person_id": event.person_id,
                **event.details,
                **({"participant_names": [_name(gazetteer, p) for p in event.details["participants"]]}
                   if event.details.get("participants") else {}),
                "evidence": _evidence(event.sentence),
            }
            for event in events
        ],
    }


def _add_priced_models(prices: list, gazetteer: EntityView, models: list[NameMatch], text: str) -> None:
    """A model named only with its price ("名为「grok-beta」，其价格为…") becomes a candidate, like any new name."""
    for claim in prices:
        if not (claim.model_name and claim.model_id and claim.model_span):
            continue
        if claim.model_id not in gazetteer.entities:
            gazetteer.extra[claim.model_id] = Entity(id=claim.model_id, type="model", name=claim.model_name, kind=claim.model_kind)
        start, end = claim.model_span
        if not any(m.entity_id == claim.model_id and m.start == start for m in models):
            models.append(NameMatch(claim.model_id, claim.model_name, text[start:end], start, end, False))


def _is_product(gazetteer: EntityView, entity_id: str) -> bool:
    return gazetteer.entities[entity_id].kind in PRODUCT_KINDS


def _model(gazetteer: EntityView, entity_id: str, mentions: list[NameMatch]) -> dict[str, Any]:
    entity = gazetteer.entities[entity_id]
    return {
        "name": entity.name,
        "id": entity_id,
        "developer": _name(gazetteer, entity.developer),
        "developer_id": entity.developer,
        "candidate": entity_id in gazetteer.extra,
        "mentions": _spans(mentions),
    }


def _grouped(mentions: list[NameMatch]) -> list[tuple[str, list[NameMatch]]]:
    groups: dict[str, list[NameMatch]] = {}
    for mention in mentions:
        groups.setdefault(mention.entity_id, []).append(mention)
    return list(groups.items())


def _spans(mentions: list[NameMatch]) -> list[dict[str, Any]]:
    return [{"text": m.text, "start": m.start, "end": m.end} for m in mentions]


def _evidence(sentence: Sentence) -> dict[str, Any]:
    return {"text": sentence.text, "start": sentence.start, "end": sentence.end}


def _name(gazetteer: EntityView, entity_id: str | None) -> str | None:
    entity = gazetteer.get(entity_id)
    return entity.name if entity else None


def _person(
    gazetteer: EntityView,
    entity_id: str,
    mentions: list[NameMatch],
    companies: list[NameMatch],
    sentences: list[Sentence],
    text: str,
) -> dict[str, Any]:
    entity = gazetteer.entities[entity_id]
    role, organisation = None, None
    for mention in mentions:
        sentence = next((s for s in sentences if s.start <= mention.start < s.end), None)
        if sentence:
            role, organisation = person_role(text, mention, companies, sentence)
            if role:
                break
    if not role or (organisation is None and entity_id in gazetteer.extra):
        organisation = entity.organization
    return {
        "name": entity.name,
        "id": entity_id,
        "candidate": entity_id in gazetteer.extra,
        # a role and its organisation come together, from the article or from the gazetteer: an article's
        # "its founder and chief executive" with the gazetteer's current employer would make a CEO of Meta
        # (a candidate's organisation was read from this article, by the apposition that found it)
        "role": role or entity.role,
        "organization": _name(gazetteer, organisation),
        "organization_id": organisation,
        "role_source": "article" if role else "gazetteer",
        "mentions": _spans(mentions),
    }
