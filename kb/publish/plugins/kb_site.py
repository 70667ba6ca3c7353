"""The ai-news-kb Datasette plugin: entity pages, the search page, and links between names.

Loaded with ``--plugins-dir`` (``kb serve``, and the directory ``kb publish`` writes),
so it imports only Datasette and the standard library: a deployed site needs no
ai-news-kb installation.

- ``/entity/<id or any name>``: one page per company, model and person (names in every
  language, prices, timeline, articles), also shown on the entities row page;
- the datasette-search-all page gets names and article snippets for several words in any
  order, whatever their length (the trigram index needs three characters, so shorter ones use
  LIKE), every word highlighted, newest or best first, and for no match the names it nearly hit;
- cells read as people read them: amounts with their currency ($0.55, 3,100 KRW), times with
  their UTC offset, long text folded into a click-to-expand <details>;
- a cell named like ``model`` next to a ``model_id`` links to that entity's page, an
  ``article`` or ``title`` next to an ``article_id`` to the article, and the «match» of a
  ``snippet`` is highlighted. Values are always escaped before any markup is added.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import urllib.parse
from itertools import groupby
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

PLUGIN = "kb-site"
_PARAM = re.compile(r"(?<!:):([a-zA-Z_][a-zA-Z0-9_]*)")
_MARK = re.compile(r"«([^«»]*)»")
_ENTITY_VIEWS = {"entities", "companies", "models", "people"}
_ARTICLE_COLUMNS = {"article", "title", "other_article", "first_article"}

# The sections of an entity page: (heading, canned query, its parameter, columns shown, intro).
_PRICE_COLUMNS = ["kind", "price", "unit", "since", "said_by", "article", "evidence"]
_TIMELINE_COLUMNS = ["date", "what", "type", "subject", "detail", "outlet", "article", "evidence"]
_RELEASE_COLUMNS = ["date", "model", "dated_by", "reports", "outlet", "article", "evidence", "gazetteer_date"]
_REFERENCE_COLUMNS = ["date", "model", "source", "articles"]
SECTIONS: dict[str, list[tuple[str, str, str, list[str], str]]] = {
    "model": [
        ("Price now", "latest_price_per_model", "model", _PRICE_COLUMNS,
         "The current price per kind, with the outlets that state it, the first article that did and its sentence."),
        ("Price history", "price_history", "model",
         ["kind", "price", "unit", "valid_from", "valid_to", "claims", "outlets", "disputed", "outlet", "article", "evidence"],
         "Each price and the time it was in effect, with the article that first states exactly that price; a new row "
         "starts when the news reports a change."),
        ("Price claims that disagree", "price_conflicts", "model",
         ["kind", "claimed", "expected", "against", "explanation", "outlet", "article", "evidence"],
         "Claims that another source (another outlet, or the reference price list) contradicts, with the likely explanation."),
        ("Timeline", "timeline", "name", _TIMELINE_COLUMNS, "What the news reported, each row with the article that states it."),
        ("Release date from the gazetteer (reference data)", "reference_releases", "name", _REFERENCE_COLUMNS,
         "Reference data, not a news report."),
    ],
    "company": [
        ("Model releases in the news", "model_releases", "company", _RELEASE_COLUMNS,
         "Once per release, dated by the text where it gives a date; the gazetteer's date beside it as reference data."),
        ("Timeline", "timeline", "name", _TIMELINE_COLUMNS,
         "Events the news reported (once each, however many outlets), prices of its models and people."),
        ("Release dates from the gazetteer (reference data)", "reference_releases", "name", _REFERENCE_COLUMNS,
         "Its models' release dates as the gazetteer records them: reference data, not news reports."),
    ],
    "person": [
        ("Timeline", "timeline", "name", _TIMELINE_COLUMNS, "What the news reported, each row with the article that states it."),
    ],
}
SECTION_ROWS = 100  # rows an entity page shows per section
RELATED_LIMIT = 200  # names in its People list (a big company's news names thousands)
ARTICLES = ("Articles", "articles_mentioning", "name", ["published_date", "title", "outlet", "language", "written_as", "url"],
            "Every article that names it, under any of its names.")


# ------------------------------------------------------------------ cells

def highlight(text: str) -> Markup:
    """Escape ``text``, then turn each «match» into <mark>match</mark>."""
    return Markup(_MARK.sub(r"<mark>\1</mark>", str(escape(text))))


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
# Columns whose text can run to a paragraph: shown truncated, with the whole text one click away.
_LONG_COLUMNS = {"evidence", "text", "detail", "statement", "atom_content", "description", "last_error", "reason", "written_as"}
_LONG_AT = 70
_TITLE_COLUMNS = {"title", "url", "homepage", "content_hash", "sha256", "file", "licence"}
_OFFSET_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$")


def number(value: Any) -> str:
    """A number as people write it: 3,100; 1; 0.55; 0.0005 (no 3100.0, no 1.0)."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")


def money(amount: Any, currency: Any) -> str:
    """$0.55, €1.50, 3,100 KRW, 1 CNY: the symbol for a few currencies, the ISO code after the rest."""
    if amount is None or amount == "":
        return ""
    shown = number(amount)
    code = str(currency or "").upper()
    if code in _SYMBOLS:
        if "." in shown and len(shown.split(".")[1]) == 1:
            shown += "0"  # $1.10, not $1.1
        return ("-" if shown.startswith("-") else "") + _SYMBOLS[code] + shown.lstrip("-")
    return f"{shown} {code}".strip()


def words_of(query: str) -> list[str]:
    """The distinct words of a search, lower-cased, in order (the canned query splits them the same way)."""
    seen: list[str] = []
    for word in re.split(r"\s+", (query or "").replace("\u3000", " ").strip().lower()):
        if word and word not in seen:
            seen.append(word)
    return seen


def mark(text: str, query: str) -> str:
    """``text`` with every occurrence of every word of ``query`` «marked» (case-insensitive)."""
    words = words_of(query)
    if not words:
        return text
    text = text.replace("«", "").replace("»", "")  # the query's own mark of the first match, redone below
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"«{m.group(0)}»", text)


@hookimpl
def prepare_jinja2_environment(env):
    # the templates write amounts as the cells do: {{ r.amount|kb_money(r.currency) }}
    env.filters["kb_money"] = money
    env.filters["kb_number"] = number


def long_text(value: str, limit: int = _LONG_AT) -> Markup:
    """The first ``limit`` characters, the whole text on a click (a <details>)."""
    cut = value[:limit].rsplit(" ", 1)[0] if " " in value[:limit] else value[:limit]
    return Markup(f'<details class="kb-long"><summary>{escape(cut)}…</summary>{escape(value)}</details>')


def entity_path(datasette: Any, entity_id: str) -> str:
    return datasette.urls.path("/entity/" + urllib.parse.quote(str(entity_id), safe=""))


def article_path(datasette: Any, database: str, article_id: Any) -> str:
    return datasette.urls.row(database, "articles", tilde_encode(str(article_id)))


def _link(url: str, text: Any) -> Markup:
    """``<a href="url">text</a>``, both escaped (what ``Markup(...).format`` gives, at a fifth of its cost per cell)."""
    return Markup(f'<a href="{escape(url)}">{escape(text)}</a>')


_last_row: tuple[Any, frozenset] = (None, frozenset())


def row_keys(row: Any) -> frozenset:
    """The column names of ``row``. A page renders a row's cells one after another (200 rows of 18 columns on a
    canned page), so the last row's names are kept: ``row.keys()`` builds a new list on every call."""
    global _last_row
    if _last_row[0] is not row:
        _last_row = (row, frozenset(row.keys()) if hasattr(row, "keys") else frozenset())
    return _last_row[1]


def render_value(datasette: Any, database: str, table: str | None, row: Any, column: str, value: Any) -> Markup | None:
    """The HTML of one cell, or None for Datasette's own rendering."""
    if value is None or value == "":
        return None
    keys = row_keys(row)
    if isinstance(value, str):
        if column == "snippet":
            return highlight(mark(value, row["words"] if "words" in keys else ""))
        if len(value) >= 16 and value[10] == "T" and _OFFSET_TIME.match(value):
            # the stored offset stays visible; the reader's local time is in the tooltip (set by _kb_table.html)
            shown = escape(value)
            return Markup(f'<time datetime="{shown}" title="{shown}">{escape(value.replace("T", " "))}</time>')
        if len(value) > _LONG_AT + 10 and (column in _LONG_COLUMNS or column in _TITLE_COLUMNS and "article_id" not in keys):
            return long_text(value)
    elif isinstance(value, (int, float)):
        if column == "price" and "currency" in keys:
            return Markup(escape(money(value, row["currency"])))
        if isinstance(value, float) and column not in ("id", "start", "end"):
            return Markup(escape(number(value)))
    if column in _ARTICLE_COLUMNS:
        if column != "other_article" and "article_id" in keys and row["article_id"] is not None:
            return _link(article_path(datasette, database, row["article_id"]), value)
        if column == "other_article" and "other_article_id" in keys and row["other_article_id"] is not None:
            return _link(article_path(datasette, database, row["other_article_id"]), value)
        return None
    if f"{column}_id" in keys and row[f"{column}_id"]:
        return _link(entity_path(datasette, row[f"{column}_id"]), value)
    if column == "name" and table in _ENTITY_VIEWS and "id" in keys:
        return _link(entity_path(datasette, row["id"]), value)
    return None


# datasette-render-markdown (installed with datasette-dashboards, whose markdown charts use its template filter)
# also renders cells, looking up its configuration for every cell: a third of the rendering of a 200-row page, to
# render nothing here. Unconfigured, its cell renderer is taken out of Datasette's render_cell (the filter stays).
_IDLE_CELL_RENDERERS = {"render_markdown": "datasette-render-markdown"}


@hookimpl
def startup(datasette):
    from datasette.plugins import pm

    for name, config in _IDLE_CELL_RENDERERS.items():
        plugin = pm.get_plugin(name)
        remove = getattr(pm.hook.render_cell, "_remove_plugin", None)  # pluggy's; without it, cells render as before
        if plugin is None or remove is None or datasette.plugin_config(config):
            continue
        try:
            remove(plugin)
        except ValueError:  # already taken out (another Datasette of this process)
            pass


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return render_value(datasette, database, table, row, column, value)


# ------------------------------------------------------------------ data

def kb_database(datasette: Any) -> str:
    """The served KB: the plugin's configured database, else the first one."""
    config = datasette.plugin_config(PLUGIN) or {}
    name = config.get("database")
    if name and name in datasette.databases:
        return name
    names = [n for n in datasette.databases if n != "_internal"]
    if not names:
        raise NotFound("no database")
    return names[0]


async def run_canned(datasette: Any, database: str, query: str, params: dict[str, str], actor: Any = None,
                     limit: int | None = None) -> list[Any]:
    """Rows of a canned query of metadata.yml; parameters not given are empty.

    ``limit``: at most that many rows, in the query's order (an entity page shows 100 of each section:
    SQLite can stop early instead of preparing the 1,000 rows of the query's own page)."""
    canned = await datasette.get_canned_query(database, query, actor)
    if canned is None:
        return []
    sql = canned["sql"]
    values = {name: "" for name in _PARAM.findall(sql)}
    values.update(params)
    if limit is not None:
        sql = f"select * from (\n{sql}\n) limit {int(limit)}"
    # truncated at max_returned_rows (200), as the query's own page is: a company's timeline has ten thousand rows at 100,000 articles
    return list((await datasette.get_database(database).execute(sql, values, truncate=True)).rows)


async def resolve(datasette: Any, database: str, name: str) -> str | None:
    """The entity id for an id, a canonical name or any alias; merged entities redirect."""
    db = datasette.get_database(database)
    found = (await db.execute(
        "select id from entities where id = :n union all select id from entities where name = :n collate nocase "
        "union all select entity_id from aliases where alias = :n collate nocase limit 1", {"n": name})).first()
    if not found:
        return None
    moved = (await db.execute("select new_id from entity_redirects where old_id = ?", [found[0]])).first()
    return moved[0] if moved else found[0]


def _section(datasette: Any, database: str, heading: str, query: str, param: str, value: str, columns: list[str],
             intro: str, rows: list[Any]) -> dict[str, Any]:
    shown = len(rows)
    rows = rows[:SECTION_ROWS]  # the rest is one click away (the section's table); rendering 1,000 rows took most of a page
    present = [c for c in columns if rows and c in rows[0].keys()]
    cells = [[render_value(datasette, database, None, row, c, row[c]) or ("" if row[c] is None else row[c]) for c in present]
             for row in rows]
    link = datasette.urls.query(database, query) + "?" + urllib.parse.urlencode({param: value})
    section = {"heading": heading, "intro": intro, "columns": present, "rows": cells, "link": link, "query": query,
               "more": shown > SECTION_ROWS}
    if query == "timeline":
        section["groups"] = [(month or "undated", [c for _, c in items]) for month, items in
                             groupby(zip(rows, cells), key=lambda pair: (pair[0]["date"] or "")[:7])]
    return section


async def _related(db: Any, entity: Any, summaries: bool) -> dict[str, list[Any]]:
    """A company's models (most written about first) and people (with the roles the news gives them)."""
    if entity["type"] != "company":
        return {}
    entity_id = entity["id"]
    count = ("coalesce((select articles from entity_stats where entity_id = m.id), 0)" if summaries
             else "(select count(distinct article_id) from mentions where entity_id = m.id)")
    models, people = await asyncio.gather(
        db.execute(f"select m.id, m.name, m.released, m.status, {count} as articles from entities m "
                   "where m.developer_id = ? and m.type = 'model' order by articles desc, m.released desc, m.name", [entity_id]),
        db.execute(
            "select p.id, p.name, coalesce(p.role, '') as role from entities p where p.organization_id = ? and p.type = 'person' "
            # roles grouped per person from the (organization_id, person_id, role) index, then one name per person
            "union select p.id, p.name, x.roles from (select person_id, group_concat(distinct role) as roles from person_roles "
            "where organization_id = ? group by person_id) x join entities p on p.id = x.person_id order by 2 limit ?",
            [entity_id, entity_id, RELATED_LIMIT]))
    return {"Models": list(models), "People": list(people)}


async def _together(db: Any, entity: Any, summaries: bool) -> list[Any]:
    """The 20 reviewed names most often named in the same articles."""
    if summaries and entity["status"] == "gazetteer":  # co_mentions pairs reviewed names only
        together_sql = (
            "select o.id, o.name, o.type, sum(c.articles) as articles from co_mentions c "
            "join entities o on o.id = c.other_id and o.status = 'gazetteer' "
            "where c.entity_id = ? group by o.id order by articles desc, o.name limit 20")
    else:  # a candidate's few articles, or an older KB
        together_sql = (
            "select o.id, o.name, o.type, count(distinct m1.article_id) as articles from mentions m1 "
            "join mentions m2 on m2.article_id = m1.article_id and m2.entity_id != m1.entity_id "
            "join entities o on o.id = m2.entity_id and o.status = 'gazetteer' "
            "where m1.entity_id = ? group by o.id order by articles desc, o.name limit 20")
    return list(await db.execute(together_sql, [entity["id"]]))


async def entity_context(datasette: Any, database: str, entity_id: str, actor: Any = None) -> dict[str, Any] | None:
    """Everything an entity page shows, or None if there is no such entity."""
    db = datasette.get_database(database)
    entity = (await db.execute(
        "select e.*, d.name as developer, o.name as organization from entities e "
        "left join entities d on d.id = e.developer_id left join entities o on o.id = e.organization_id where e.id = ?",
        [entity_id])).first()
    if entity is None:
        return None
    names: dict[str, list[str]] = {}
    for row in await db.execute("select alias, language from aliases where entity_id = ? order by language, alias", [entity_id]):
        names.setdefault(row["language"] or "?", []).append(row["alias"])
    sections = []
    parts = [*SECTIONS.get(entity["type"], []), ARTICLES]
    # counts from the summary tables of the knowledge refresh (migration 010); an older KB counts mentions
    summaries = await db.table_exists("entity_stats") and await db.table_exists("co_mentions")
    # the sections' queries and the lists beside them at once (Datasette's threads; SQLite runs them in parallel:
    # the lists of a big company, after the sections, added a fifth to its page). A section whose query fails
    # (interrupted at the time limit, or a KB from before the summary tables) is left out, not the page.
    results, related, together = await asyncio.gather(
        asyncio.gather(*(run_canned(datasette, database, query, {param: entity_id}, actor, limit=SECTION_ROWS + 1)
                         for _, query, param, _, _ in parts), return_exceptions=True),
        _related(db, entity, summaries), _together(db, entity, summaries))
    for (heading, query, param, columns, intro), rows in zip(parts, results):
        if isinstance(rows, (sqlite3.Error, QueryInterrupted)):
            rows = []
        elif isinstance(rows, BaseException):
            raise rows
        if rows or query not in ("price_conflicts", "reference_releases", "model_releases"):
            sections.append(_section(datasette, database, heading, query, param, entity_id, columns, intro, rows))
    redirect = (await db.execute("select new_id from entity_redirects where old_id = ?", [entity_id])).first()
    return {
        "entity": dict(entity),
        "names": names,
        "sections": sections,
        "related": related,
        "together": together,
        "redirect": redirect[0] if redirect else None,
        "page": entity_path(datasette, entity_id),
        "row_json": datasette.urls.row(database, "entities", tilde_encode(entity_id), format="json"),
        "feed": (datasette.urls.query(database, "new_events", format="atom") + "?" + urllib.parse.urlencode({"company": entity_id}))
        if entity["type"] == "company" else None,
        "chart": _chart(datasette, database, entity),
        "database": database,
    }


async def article_context(datasette: Any, database: str, article_id: str) -> dict[str, Any] | None:
    """An article as a page: metadata, the facts taken from it (with their sentences), the names, the text."""
    db = datasette.get_database(database)
    article = (await db.execute(
        "select a.*, s.name as outlet from articles a left join sources s on s.id = a.source_id where a.id = ?",
        [article_id])).first()
    if article is None:
        return None
    facts = {
        "Prices": list(await db.execute(
            "select p.model_id, m.name as model, p.kind, p.amount, p.currency, p.per_tokens, p.period, "
            "p.usd_per_million_tokens, p.change, p.reported, p.evidence from prices p join entities m on m.id = p.model_id "
            "where p.article_id = ? order by p.start", [article_id])),
        "Events": list(await db.execute(
            "select e.type, e.date, e.company_id, c.name as company, e.model_id, m.name as model, e.reported, e.evidence "
            "from events e left join entities c on c.id = e.company_id left join entities m on m.id = e.model_id "
            "where e.article_id = ? order by e.start", [article_id])),
    }
    names = list(await db.execute(
        "select e.id, e.name, e.type, count(*) as mentions, group_concat(distinct n.text) as written_as "
        "from mentions n join entities e on e.id = n.entity_id where n.article_id = ? "
        "group by e.id order by min(n.start)", [article_id]))
    return {"article": dict(article), "facts": facts, "names": names,
            "paragraphs": [p for p in (article["text"] or "").split("\n") if p.strip()]}


# What the news mentions, not the size of the gazetteer: entities named in at least one article, by type.
_NAMED = "select count(*) from entity_stats s join entities e on e.id = s.entity_id where e.type = ? and s.articles > 0"
_NAMED_FROM_MENTIONS = ("select count(distinct m.entity_id) from mentions m join entities e on e.id = m.entity_id "
                        "where e.type = ?")


async def home_counts(datasette: Any, database: str) -> dict[str, int | None]:
    """The home page's counts. Table sizes come from the inspect data when the file is served immutable
    (Datasette counted them once at start), the entities named from ``entity_stats`` (kept by the
    knowledge refresh): at 1,000,000 articles a count over ``mentions`` reads 32 M index entries per view. A file
    served immutable is counted once (the active events alone are a scan of 800,000 clusters)."""
    db = datasette.get_database(database)
    served = _served_file(db)
    if served in _HOME_COUNTS:  # a file served immutable does not change: counted once
        return _HOME_COUNTS[served]
    known = {} if db.is_mutable else (((datasette.inspect_data or {}).get(database) or {}).get("tables") or {})
    named = _NAMED if await db.table_exists("entity_stats") else _NAMED_FROM_MENTIONS
    counts: dict[str, int | None] = {}
    for label, table, sql, params in (
        ("articles", "articles", "select count(*) from articles", []),
        ("sources", "sources", "select count(*) from sources", []),
        ("companies", None, named, ["company"]), ("models", None, named, ["model"]), ("people", None, named, ["person"]),
        ("events", None, "select count(*) from event_clusters where status = 'active'", []),
        ("prices", "prices", "select count(*) from prices", []),
    ):
        if table in known:
            counts[label] = known[table]["count"]
            continue
        try:
            counts[label] = (await db.execute(sql, params)).first()[0]
        except Exception:  # noqa: BLE001 - an older KB without the table shows no count
            counts[label] = None
    if served:
        _HOME_COUNTS[served] = counts
    return counts


_HOME_COUNTS: dict[tuple, dict[str, int | None]] = {}


def _served_file(db: Any) -> tuple | None:
    """The file of an immutable database, with its size and modification time; None for a mutable one."""
    import os

    if db.is_mutable or not db.path:
        return None
    stat = os.stat(db.path)
    return (db.path, stat.st_size, stat.st_mtime_ns)


async def near_names(datasette: Any, database: str, q: str, limit: int = 8) -> list[Any]:
    """Name pages a search nearly matched: reviewed names close in spelling to the query or one of its words.

    Candidates (names the extractor found, not yet reviewed) are left out: they are most of the names
    of a large KB (20,000 here), and comparing a query with each took most of a second."""
    import difflib

    db = datasette.get_database(database)
    served = _served_file(db)
    by_name = _NEAR_NAMES.get(served) if served else None
    if by_name is None:  # read once per immutable file: 20 ms at 1,000,000 articles, on every search that misses a name
        rows = list(await db.execute(
            "select a.alias, e.id, e.name, e.type from aliases a join entities e on e.id = a.entity_id "
            "where e.status = 'gazetteer' union select e.name, e.id, e.name, e.type from entities e where e.status = 'gazetteer'"))
        by_name = {}
        for row in rows:
            by_name.setdefault(str(row["alias"]).lower(), []).append(row)
        if served:
            _NEAR_NAMES[served] = by_name
    picked: dict[str, Any] = {}
    for probe in [q.lower(), *words_of(q)]:
        for name in difflib.get_close_matches(probe, list(by_name), n=limit, cutoff=0.6):
            for row in by_name[name]:
                picked.setdefault(row["id"], row)
    return list(picked.values())[:limit]


_NEAR_NAMES: dict[tuple, dict[str, list[Any]]] = {}


async def search_context(datasette: Any, database: str, q: str, sort: str, actor: Any = None) -> dict[str, Any]:
    """What the search page shows: names, articles (every word highlighted), and for no article a hint."""
    # names and articles at once: Datasette runs queries in a pool of threads and SQLite lets them go in parallel
    entities, found = await asyncio.gather(run_canned(datasette, database, "find_entity", {"name": q}, actor),
                                           run_canned(datasette, database, "search_articles", {"q": q, "sort": sort}, actor))
    articles = [(row, highlight(mark(row["snippet"] or "", q)), article_path(datasette, database, row["article_id"]))
                for row in found]
    context = {
        "words": words_of(q), "sort": sort,
        "entities": [row for row in entities if row["all_words"]],
        "partial": [row for row in entities if not row["all_words"]][:12],
        "articles": articles,
        "all_articles": datasette.urls.query(database, "search_articles") + "?" + urllib.parse.urlencode({"q": q, "sort": sort}),
        "near": [],
    }
    if not articles or not context["entities"]:
        known = {row["entity_id"] for row in entities}
        context["near"] = [row for row in await near_names(datasette, database, q) if row["id"] not in known]
    return context


_ENTITY_CHARTS = {"model": ("price-history", "model"), "company": ("articles-per-company", "company")}


def _chart(datasette: Any, database: str, entity: Any) -> dict[str, Any] | None:
    """The datasette-dashboards chart of this entity (its SQL and Vega-Lite spec, filtered to it), if configured."""
    slug, param = _ENTITY_CHARTS.get(entity["type"], (None, None))
    dashboards = datasette.plugin_config("datasette-dashboards") or {}
    for dashboard_slug, dashboard in dashboards.items():
        chart = (dashboard.get("charts") or {}).get(slug)
        if not chart or chart.get("library") != "vega-lite":
            continue
        # The dashboard's own syntax: a [[ ... :param ... ]] block is kept only when the parameter is given.
        sql = re.sub(r"\[\[(.*?)\]\]", lambda m: m.group(1) if f":{param}" in m.group(1) else "", chart["query"])
        query = urllib.parse.urlencode({"sql": sql, param: entity["id"], "_shape": "objects"})
        return {
            "title": chart.get("title") or slug,
            "data_url": datasette.urls.database(database, format="json") + "?" + query,
            "display": chart.get("display") or {},
            "dashboard": datasette.urls.path(f"/-/dashboards/{dashboard_slug}") + "?" + urllib.parse.urlencode({param: entity["id"]}),
        }
    return None


# ------------------------------------------------------------------ pages

async def entity_page(request: Any, datasette: Any) -> Response:
    database = kb_database(datasette)
    name = urllib.parse.unquote(request.url_vars["name"])
    entity_id = await resolve(datasette, database, name)
    if entity_id is None:
        raise NotFound(f"No company, model or person called {name!r}")
    if entity_id != name:
        return Response.redirect(entity_path(datasette, entity_id))
    context = await entity_context(datasette, database, entity_id, request.actor)
    return Response.html(await datasette.render_template("kb_entity.html", {"kb_entity": context}, request=request))


def search_redirect(datasette: Any, path: str, query: str) -> str | None:
    """The search page for the articles table's search box (``/kb/articles?_search=...``, HTML).

    Datasette's table search counts and facets every match (OpenAI: a quarter of the KB, seconds);
    the *Search articles* query reads the newest matches from the index and stops. Only a search
    alone is sent there: with filters, a sort or a format, the table page lists the same rows
    (:func:`fast_search_query`)."""
    try:
        database = kb_database(datasette)
    except NotFound:
        return None
    if path.rstrip("/") != datasette.urls.table(database, "articles"):
        return None
    args = urllib.parse.parse_qs(query, keep_blank_values=True)
    terms = args.get("_search", [])
    if len(terms) != 1 or not terms[0].strip() or set(args) - {"_search", "_searchmode"}:
        return None
    return datasette.urls.query(database, "search_articles") + "?" + urllib.parse.urlencode({"q": terms[0]})


# The articles table's own search, renamed on its way in (a key starting with "_search" is Datasette's, which
# reads every match), answered by :func:`table_search` from the *Search articles* query's rows.
FAST_SEARCH = "_kb_search"


def fast_search_query(datasette: Any, path: str, query: str) -> str | None:
    """The query string with ``_search`` renamed to :data:`FAST_SEARCH`, for the articles table (any format,
    with filters or a sort), or None to leave the request alone (another table, a raw FTS expression,
    a search of one column)."""
    try:
        database = kb_database(datasette)
    except NotFound:
        return None
    table = datasette.urls.table(database, "articles")
    if path.rstrip("/") != table and not path.startswith(table + "."):
        return None
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    keys = [k for k, _ in pairs]
    if keys.count("_search") != 1 or any(k.startswith("_search_") for k in keys) or \
            dict(pairs).get("_searchmode") == "raw" or not dict(pairs)["_search"].strip():
        return None
    return urllib.parse.urlencode([(FAST_SEARCH if k == "_search" else k, v) for k, v in pairs])


@hookimpl
def filters_from_request(request, database, table, datasette):
    """The articles table limited to what *Search articles* finds for ``_kb_search``: its rows (at most 100, the
    newest of the most recently collected matches), so that Datasette counts and facets those, not every match."""
    q = (request.args.get(FAST_SEARCH) or "").strip()
    if table != "articles" or not q:
        return None

    async def inner():
        from datasette.filters import FilterArguments

        rows = await run_canned(datasette, database, "search_articles", {"q": q, "sort": "newest"}, request.actor)
        ids = sorted({int(row["article_id"]) for row in rows})
        return FilterArguments(
            [f"id in ({', '.join(map(str, ids))})" if ids else "0"],
            human_descriptions=[f'search matches "{q}" (the newest matches, as Search articles finds them)'],
            extra_context={"search": q, "supports_search": True})

    return inner


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def redirected(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method", "GET") in ("GET", "HEAD"):
                query = scope.get("query_string", b"").decode("latin-1")
                target = search_redirect(datasette, scope.get("path", ""), query)
                if target:
                    await send({"type": "http.response.start", "status": 302,
                                "headers": [(b"location", target.encode("latin-1")), (b"content-length", b"0")]})
                    await send({"type": "http.response.body", "body": b""})
                    return
                renamed = fast_search_query(datasette, scope.get("path", ""), query)
                if renamed is not None:
                    scope = {**scope, "query_string": renamed.encode("latin-1")}
            await app(scope, receive, send)

        return redirected

    return wrap


@hookimpl
def register_routes():
    return [(r"^/entity/(?P<name>[^/]+)$", entity_page)]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner() -> dict[str, Any]:
        try:
            kb = kb_database(datasette)
        except NotFound:
            return {}
        found: dict[str, Any] = {"kb_database": kb}
        actor = request.actor if request else None
        if template == "row.html" and table == "entities" and database == kb and request is not None:
            pks = request.url_vars.get("pks")
            if pks:
                found["kb_entity"] = await entity_context(datasette, kb, tilde_decode(pks), actor)
        elif template == "row.html" and table == "articles" and database == kb and request is not None:
            pks = request.url_vars.get("pks")
            if pks:
                found["kb_article"] = await article_context(datasette, kb, tilde_decode(pks))
        elif template == "search_all.html" and request is not None:
            q = (request.args.get("q") or "").strip()
            sort = "best" if request.args.get("sort") == "best" else "newest"
            if q:
                found["kb_search"] = await search_context(datasette, kb, q, sort, actor)
        elif template == "index.html":
            found["kb_counts"] = await home_counts(datasette, kb)
            db = datasette.get_database(kb)
            try:
                snapshot = (await db.execute("select name, as_of, licence from reference_snapshots order by as_of desc, id desc limit 1")).first()
            except Exception:  # noqa: BLE001 - an older KB without the table
                snapshot = None
            found["kb_reference"] = dict(snapshot) if snapshot else None
        return found

    return inner
