"""A small newsroom for the knowledge tests: articles whose facts we choose, stored the real way.

Facts go in as a ``kb extract`` document through ``save_article`` and
``save_facts``, exactly as the pipeline stores them, so the tests of clusters,
claims and price history do not depend on how well extraction reads prose.
"""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from kb.extract.gazetteer import Entity, Gazetteer
from kb.knowledge import refresh
from kb.parse import Article
from kb.store import open_db
from kb.store.save import save_article, save_facts, save_source, sync_gazetteer

OUTLETS = {"hanbit": "ko", "seoultech": "ko", "ledger": "en", "zhixin": "zh", "wire": "en"}


def small_gazetteer() -> Gazetteer:
    def company(id_, name, provider=None):
        return Entity(id=id_, type="company", name=name, extra={"litellm_provider": provider} if provider else {})

    def model(id_, name, developer, keys=None, aliases=None):
        return Entity(id=id_, type="model", name=name, developer=developer, aliases=aliases or {},
                      extra={"litellm_keys": keys} if keys else {})

    return Gazetteer([
        company("openai", "OpenAI", "openai"), company("deepseek", "DeepSeek", "deepseek"),
        company("microsoft", "Microsoft", "azure"), company("google", "Google", "gemini"),
        model("o3", "o3", "openai", ["o3"]), model("o3-mini", "o3-mini", "openai", ["o3-mini"], {"ko": ("o3 미니",)}),
        model("o3-pro", "o3-pro", "openai"), model("gpt-4o", "GPT-4o", "openai"),
        model("deepseek-r1", "DeepSeek-R1", "deepseek", ["deepseek-reasoner"], {"en": ("R1",)}),
        model("deepseek-v3", "DeepSeek-V3", "deepseek"),
        model("gemini-2-flash", "Gemini 2.0 Flash", "google"), model("gemini-2-pro", "Gemini 2.0 Pro", "google"),
        Entity(id="sam-altman", type="person", name="Sam Altman", organization="openai", role="CEO"),
    ])


def litellm_file(path: Path) -> Path:
    """A price list in LiteLLM's format: USD per single token, one entry per key and seller."""
    entries = {
        "sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "one of https://docs.litellm.ai/docs/providers"},
        "o3-mini": {"input_cost_per_token": 1.1e-06, "cache_read_input_token_cost": 5.5e-07,
                    "input_cost_per_token_batches": 5.5e-07, "output_cost_per_token": 4.4e-06, "litellm_provider": "openai"},
        "azure/o3-mini": {"input_cost_per_token": 1.21e-06, "output_cost_per_token": 4.84e-06, "litellm_provider": "azure"},
        "o3": {"input_cost_per_token": 2e-06, "cache_read_input_token_cost": 5e-07, "output_cost_per_token": 8e-06,
               "litellm_provider": "openai"},
        "gpt-4o": {"input_cost_per_token": 2.5e-06, "cache_read_input_token_cost": 1.25e-06, "output_cost_per_token": 1e-05,
                   "litellm_provider": "openai", "supports_vision": True},
        "gpt-4o-2024-08-06": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "litellm_provider": "openai"},
        "deepseek-reasoner": {"input_cost_per_token": 2.8e-07, "cache_read_input_token_cost": 2.8e-08,
                              "output_cost_per_token": 4.2e-07, "litellm_provider": "deepseek"},
        "text-embedding-3-small": {"input_cost_per_token": 2e-08, "output_cost_per_token": 0.0, "litellm_provider": "openai"},
        "dall-e-3": {"output_cost_per_image": 0.04, "litellm_provider": "openai"},
    }
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


class Newsroom:
    """Publishes articles with chosen facts into a KB."""

    def __init__(self, db, gazetteer: Gazetteer):
        self.db, self.gazetteer = db, gazetteer
        self._numbers = count(1)
        for outlet, language in OUTLETS.items():
            save_source(db, outlet, name=outlet.title(), language=language, kind="feed")

    def publish(self, outlet: str, published: str, *, prices: tuple = (), events: tuple = (), url: str | None = None,
                title: str | None = None, note: str = "") -> int:
        """Store one article; ``prices`` are (model, kind, amount[, change[, currency, per_tokens]]),
        ``events`` are dicts with type, date, company, model, person."""
        number = next(self._numbers)
        url = url or f"https://{outlet}.test/{number}"
        sentences = [f"{outlet} report {number} {note}".strip() + "."]
        spans = []
        for fact in (*prices, *events):
            sentence = f"Fact {len(spans) + 1} of report {number}: {fact}."
            start = sum(len(s) + 1 for s in sentences)
            sentences.append(sentence)
            spans.append({"text": sentence, "start": start, "end": start + len(sentence)})
        text = " ".join(sentences)
        article = Article(url=url, title=title or f"{outlet} {number}", text=text, language=OUTLETS[outlet],
                          published=published)
        article_id, status = save_article(self.db, article, source_id=outlet)
        assert status in ("new", "revised"), status
        save_facts(self.db, article_id, self._document(article, prices, events, spans), self.gazetteer, extractor_version="test")
        return article_id

    def _document(self, article: Article, prices: tuple, events: tuple, spans: list[dict]) -> dict[str, Any]:
        price_rows = []
        for (model, kind, amount, *rest), evidence in zip(prices, spans):
            extra = rest.pop() if rest and isinstance(rest[-1], dict) else {}  # e.g. {"reported": True}
            change = rest[0] if rest else None
            currency = rest[1] if len(rest) > 1 else "USD"
            per_tokens = rest[2] if len(rest) > 2 else 1_000_000
            usd = round(amount * 1_000_000 / per_tokens, 6) if currency == "USD" and per_tokens else None
            price_rows.append({"model": model, "model_id": model, "kind": kind, "amount": amount, "currency": currency,
                               "per_tokens": per_tokens, "period": None, "usd_per_million_tokens": usd, "change": change,
                               "evidence": evidence, **extra})
        event_rows = []
        for event, evidence in zip(events, spans[len(prices):]):
            event_rows.append({"type": event["type"], "date": event.get("date"), "company_id": event.get("company"),
                               "model_id": event.get("model"), "person_id": event.get("person"),
                               **({"participants": event["participants"]} if "participants" in event else {}),
                               **{key: event[key] for key in ("reported", "from", "to", "role", "role_at") if key in event},
                               "evidence": evidence})
        return {"article": article.to_dict(), "companies": [], "models": [], "people": [],
                "prices": price_rows, "events": event_rows}

    def refresh(self):
        return refresh(self.db)

    def clusters(self) -> list[dict]:
        return list(self.db.query("select * from event_clusters where status = 'active' order by date, id"))


@pytest.fixture
def gazetteer_small() -> Gazetteer:
    return small_gazetteer()


@pytest.fixture
def newsroom(gazetteer_small) -> Newsroom:
    db = open_db(memory=True)
    sync_gazetteer(db, gazetteer_small)
    return Newsroom(db, gazetteer_small)


@pytest.fixture
def newsroom_file(tmp_path, gazetteer_small) -> tuple[Newsroom, Path]:
    """A newsroom writing a KB file, for the ``kb`` commands run in a subprocess."""
    path = tmp_path / "kb.db"
    db = open_db(path)
    sync_gazetteer(db, gazetteer_small)
    return Newsroom(db, gazetteer_small), path
