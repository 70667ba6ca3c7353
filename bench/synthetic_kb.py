"""Build a synthetic knowledge base of N articles (default 1,000,000) with the real schema.

The file is created by :func:`kb.store.open_db` (the real migrations: tables,
indexes, the FTS5 trigram index and its triggers, views), so queries against it
behave as against a KB the crawler wrote. Articles are recombined from the demo
sentences by :mod:`bench.synthetic` (55 % Korean, 35 % English, 10 % Chinese,
2023-01 .. 2026-11, spread over the outlets of ``kb/data/sources.yml`` and the
demo outlets); their facts are what the extractor would store:

- mentions: every name in the text, with its real offsets (Zipf-like: the most
  common names are in a few per cent of articles);
- person_roles: a role for each person named, at the first company named;
- prices: ~15 % of articles state 1-2 prices of a model they name (USD, KRW or CNY);
- events: 0-3 per article (release, price change, funding, ...) of a company
  and model they name, dated near publication, with an evidence paragraph.

Entities are the gazetteer's (``kb/data/gazetteer``, when present), the names of
the demo gold files, and 20,000 candidate names as the extractor would add.
``article_html`` is left empty (no query reads it).

For speed the load drops the FTS triggers and secondary indexes, inserts with
sqlite-utils ``insert_all`` in large batches (journal off, no fsync), then
rebuilds the FTS index and indexes once and restores the triggers and WAL mode.

    .venv/bin/python bench/synthetic_kb.py --out /tmp/kb-bench/kb.db [--articles N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.synthetic import Name, SentencePool  # noqa: E402
from kb.knowledge.summary import refresh_summaries  # noqa: E402
from kb.store import open_db  # noqa: E402

LANGUAGES = (("ko", 0.55), ("en", 0.35), ("zh", 0.10))
EVENT_TYPES = (("model_release", 30), ("partnership", 14), ("funding", 12), ("statement", 14), ("price_change", 8),
               ("open_source", 6), ("executive_change", 5), ("acquisition", 4), ("lawsuit", 3), ("other", 4))
ROLES = ("CEO", "CEO", "CEO", "CTO", "co-founder", "chief scientist", "president", "CPO", "head of research", "chairman")
BATCH = 20000  # articles per transaction


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:8]


def outlets() -> list[dict]:
    found = []
    path = ROOT / "kb" / "data" / "sources.yml"
    if path.exists():
        for source in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append({"id": source["id"], "name": source["name"], "language": source.get("language"),
                          "homepage": source.get("homepage"), "kind": "feed"})
    for demo in yaml.safe_load((ROOT / "kb" / "demo" / "outlets.yml").read_text(encoding="utf-8")):
        found.append({"id": demo["id"], "name": demo["name"], "language": demo["language"],
                      "homepage": f"http://127.0.0.1:8799/{demo['id']}/", "kind": "feed"})
    return found


def entity_rows(db, pool: SentencePool, rng: random.Random) -> dict[str, str]:
    """Entities and aliases: gazetteer, gold names, candidates. Returns canonical name → entity id."""
    from kb.pipeline import prepare

    gazetteer = prepare(db)  # the real gazetteer mirrored as the crawler does, if kb/data/gazetteer has it
    by_name = {row["name"].lower(): row["id"] for row in db.query("select id, name from entities")}
    ids: dict[str, str] = {}
    kinds = {"companies": "company", "models": "model", "people": "person"}
    entities, aliases = [], []
    for name in pool.names:
        entity_id = by_name.get(name.canonical.lower())
        if not entity_id:
            entity_id = f"{kinds[name.kind]}-{slug(name.canonical)}"
            entities.append({"id": entity_id, "type": kinds[name.kind], "name": name.canonical, "kind": None,
                             "status": "gazetteer"})
            for lang, spelled in name.spelling.items():
                aliases.append({"entity_id": entity_id, "alias": spelled, "language": lang})
        ids[name.canonical] = entity_id
    companies = [ids[n.canonical] for n in pool.by_kind["companies"]]
    for name in pool.candidates:  # names the extractor would add as candidates
        entity_id = f"{kinds[name.kind]}-candidate-{slug(name.canonical)}"
        ids[name.canonical] = entity_id
        row = {"id": entity_id, "type": kinds[name.kind], "name": name.canonical, "kind": "candidate", "status": "candidate"}
        if name.kind == "people":
            row.update(organization_id=rng.choice(companies), role=rng.choice(ROLES))
        entities.append(row)
        for lang, spelled in name.spelling.items():
            aliases.append({"entity_id": entity_id, "alias": spelled, "language": lang})
    with db.conn:
        db.execute("pragma defer_foreign_keys = on")
        db["entities"].insert_all(entities, pk="id", alter=False, ignore=True, batch_size=5000)
        db["aliases"].insert_all(aliases, pk=("entity_id", "alias"), ignore=True, batch_size=5000)
    print(f"entities: {db['entities'].count:,} ({len(gazetteer.entities)} from the gazetteer), "
          f"aliases: {db['aliases'].count:,}", flush=True)
    return ids


def paragraph_spans(title: str, paragraphs: list[str]) -> list[tuple[int, int]]:
    spans, offset = [], len(title) + 1
    for paragraph in paragraphs:
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 1
    return spans


def build(out: Path, count: int, seed: int = 1) -> None:
    started = time.perf_counter()
    if out.exists():
        raise SystemExit(f"{out} exists; remove it first (or choose another --out)")
    out.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = SentencePool(seed=seed)
    db = open_db(out)
    sources = outlets()
    db["sources"].insert_all(sources, pk="id", replace=True)
    ids = entity_rows(db, pool, rng)

    # Bulk load: no triggers, no secondary indexes, no journal, no fsync; put back at the end.
    saved = list(db.execute("select type, name, sql from sqlite_master where type in ('trigger', 'index') "
                            "and sql is not null and tbl_name in ('articles', 'mentions', 'person_roles', 'prices', 'events')"))
    for kind, name, _ in saved:
        db.execute(f"drop {kind} [{name}]")
    db.execute("pragma foreign_keys = off")
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -400000")

    by_lang: dict[str, list[dict]] = {}
    for source in sources:
        by_lang.setdefault(source["language"] or "en", []).append(source)
    langs, weights = [l for l, _ in LANGUAGES], [w for _, w in LANGUAGES]
    types, type_weights = [t for t, _ in EVENT_TYPES], [w for _, w in EVENT_TYPES]
    start = datetime(2023, 1, 1)
    span = int((datetime(2026, 11, 27) - start).total_seconds())
    now = "2026-11-28T00:00:00+00:00"
    totals = dict.fromkeys(("articles", "mentions", "person_roles", "prices", "events"), 0)
    article_id = 0
    while article_id < count:
        rows = {k: [] for k in totals}
        for _ in range(min(BATCH, count - article_id)):
            article_id += 1
            lang = rng.choices(langs, weights)[0]
            source = rng.choice(by_lang.get(lang) or sources)
            synthetic = pool.article(rng, lang)
            text = synthetic.text()
            when = start + timedelta(seconds=rng.randrange(span))
            published = when.strftime("%Y-%m-%dT%H:%M:%S") + {"ko": "+09:00", "zh": "+08:00"}.get(lang, "-05:00")
            rows["articles"].append({
                "id": article_id, "url": f"https://{source['id']}.example/news/{article_id}", "source_id": source["id"],
                "title": synthetic.title, "author": None, "published": published, "published_date": published[:10],
                "language": lang, "text": text, "content_hash": hashlib.sha256(text.encode()).hexdigest(), "revision": 1,
                "first_seen": now, "last_fetched": now, "extracted_at": now, "extractor_version": "synthetic",
            })
            named: dict[str, list[str]] = {"companies": [], "models": [], "people": []}
            for s, e, name in synthetic.mentions:
                entity_id = ids[name.canonical]
                rows["mentions"].append({"article_id": article_id, "entity_id": entity_id, "text": text[s:e],
                                         "start": s, "end": e})
                if entity_id not in named[name.kind]:
                    named[name.kind].append(entity_id)
            spans = paragraph_spans(synthetic.title, synthetic.paragraphs)
            company = named["companies"][0] if named["companies"] else None
            for person in named["people"]:
                rows["person_roles"].append({"article_id": article_id, "person_id": person, "role": rng.choice(ROLES),
                                             "organization_id": company})
            if named["models"] and rng.random() < 0.15:
                model = named["models"][0]
                s, e = rng.choice(spans)
                currency, per = rng.choices([("USD", 1_000_000), ("KRW", 1_000_000), ("CNY", 1000)], [70, 15, 15])[0]
                for kind in rng.sample(["input", "output"], rng.randint(1, 2)):
                    amount = round(rng.uniform(0.05, 75), 2) * (1400 if currency == "KRW" else 1)
                    rows["prices"].append({
                        "article_id": article_id, "model_id": model, "kind": kind, "amount": amount, "currency": currency,
                        "per_tokens": per, "period": None, "usd_per_million_tokens": amount if currency == "USD" else None,
                        "change": rng.choice([None, None, None, "new", "old"]), "published_date": published[:10],
                        "evidence": text[s:e], "start": s, "end": e,
                    })
            for _ in range(rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
                if not company:
                    break
                s, e = rng.choice(spans)
                date = (when - timedelta(days=rng.randint(0, 10))).strftime("%Y-%m-%d") if rng.random() < 0.8 else None
                rows["events"].append({
                    "article_id": article_id, "type": rng.choices(types, type_weights)[0], "date": date,
                    "company_id": rng.choice(named["companies"]),
                    "model_id": rng.choice(named["models"]) if named["models"] and rng.random() < 0.7 else None,
                    "person_id": rng.choice(named["people"]) if named["people"] and rng.random() < 0.3 else None,
                    "details": None, "evidence": text[s:e], "start": s, "end": e,
                })
        with db.conn:
            for table, batch in rows.items():
                if batch:
                    db[table].insert_all(batch, batch_size=5000, alter=False)
                totals[table] += len(batch)
        elapsed = time.perf_counter() - started
        print(f"  {article_id:>9,} articles  {elapsed:7.0f}s  ({article_id / elapsed:,.0f}/s; "
              f"{totals['mentions']:,} mentions, {totals['events']:,} events, {totals['prices']:,} prices)", flush=True)

    step = time.perf_counter()
    for kind, name, sql in saved:
        if kind == "index":
            db.execute(sql)
    print(f"indexes rebuilt in {time.perf_counter() - step:.0f}s", flush=True)
    step = time.perf_counter()
    db.execute("insert into articles_fts(articles_fts) values ('rebuild')")
    print(f"FTS index (trigram) rebuilt in {time.perf_counter() - step:.0f}s", flush=True)
    for kind, name, sql in saved:
        if kind == "trigger":
            db.execute(sql)
    step = time.perf_counter()
    refresh_summaries(db)  # what kb refresh keeps for the site (migration 010): counts per entity and month, co-mentions
    print(f"summary tables computed in {time.perf_counter() - step:.0f}s", flush=True)
    db.execute("pragma foreign_keys = on")
    db.conn.commit()
    db.execute("pragma journal_mode = wal")
    db.close()
    size = out.stat().st_size
    print(f"built {out}: {count:,} articles, {totals['mentions']:,} mentions, {totals['person_roles']:,} person roles, "
          f"{totals['prices']:,} prices, {totals['events']:,} events; {size / 2**30:.2f} GiB; "
          f"{time.perf_counter() - started:.0f}s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/kb-bench/kb.db"), help="KB file to create (default /tmp/kb-bench/kb.db)")
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    build(args.out, args.articles, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
