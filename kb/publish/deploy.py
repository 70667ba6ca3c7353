"""``kb publish DIR``: a directory that is the whole public site.

The directory is a Datasette *configuration directory*: ``datasette serve DIR``
opens ``kb.db`` immutable, with the table counts of ``inspect-data.json``, the
metadata, settings, templates and plugin beside it. Copied to several servers it
serves the same site from each (nothing is written at run time), so they can sit
behind one load balancer; the same files feed ``datasette publish``.

What the copy leaves out, and why: article text belongs to its publishers. By
default an article keeps its title, outlet, dates, URL and its opening lines (an
excerpt, like a search engine's); the facts keep the one sentence each comes from,
as a quotation that sources it. The raw pages (``article_html``) and the full
earlier versions (``article_revisions.text``) are never copied. ``text="full"``
keeps the whole text, for articles you have the right to republish (the demo's,
which are ours).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path

from kb.publish.site import METADATA, PLUGIN_REQUIREMENTS, PLUGINS, TEMPLATES, metadata_for, setting_value, settings

__all__ = ["PublishedSite", "publish_directory", "excerpt", "EXCERPT_CHARS", "TEXT_MODES"]

DATABASE_FILE = "kb.db"
TEXT_MODES = ("excerpt", "full")
# About two sentences of a news lead (in Latin characters; a Hangul or CJK character counts two).
EXCERPT_CHARS = 300
# The public profile of plugins/kb_limits.py: smaller values (the copy holds no raw pages), hidden bookkeeping.
PUBLIC_LIMITS = {"public": True, "max_value_bytes": 4 * 1024 * 1024}
PUBLIC_HIDDEN_TABLES = ("crawl_runs", "fetch_errors", "feed_state", "_migrations", "article_html")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)）]*\s+|(?<=[。！？])")


@dataclass(frozen=True)
class PublishedSite:
    directory: Path
    database: Path
    articles: int
    text: str
    files: list[str] = field(default_factory=list)


def _width(ch: str) -> int:
    # Hangul and CJK say about twice as much per character as Latin script.
    return 2 if ch >= "\u1100" else 1


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The opening lines of an article: about ``limit`` Latin characters' worth (a CJK character counts
    two), at most half the text, cut at a sentence or paragraph end."""
    text = (text or "").strip()
    if not text:
        return ""
    budget, width, end = min(limit, max(1, sum(map(_width, text)) // 2)), 0, 0
    while end < len(text) and width + _width(text[end]) <= budget:
        width += _width(text[end])
        end += 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= end]
    ends += [i for i, ch in enumerate(text[:end]) if ch == "\n"]
    space = text.rfind(" ", 0, end + 1)
    cut = max(ends) if ends else (space if space > 0 and end < len(text) else end)
    return text[:cut].rstrip() + "…"


def _copy_database(source: Path, target: Path, text: str) -> int:
    if target.exists():
        target.unlink()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    connection = sqlite3.connect(target)
    try:
        connection.execute("pragma journal_mode = delete")
        connection.create_function("kb_excerpt", 1, excerpt, deterministic=True)
        with connection:
            connection.execute("delete from article_html")
            _strip_local_details(connection)
            if text == "excerpt":
                connection.execute("update articles set text = kb_excerpt(text)")  # the FTS triggers follow
                connection.execute("update article_revisions set text = ''")
            connection.execute("insert into articles_fts(articles_fts) values ('rebuild')")
        connection.execute("vacuum")
        return connection.execute("select count(*) from articles").fetchone()[0]
    finally:
        connection.close()


def _error_kind(reason: str | None) -> str | None:
    """"HTTP 404", "feed", "DNSLookupError": what went wrong, without the hosts and paths it named."""
    match = re.match(r"HTTP \d+|[A-Za-z_]+", reason or "")
    return match.group(0) if match else None


def _strip_local_details(connection: sqlite3.Connection) -> None:
    """What says where and how the KB was built stays home: local file paths (``kb add``'s file://
    keys, the reference list's path), the crawler's PIDs, failing URLs (internal hosts) and feed state."""
    connection.create_function("kb_error_kind", 1, _error_kind, deterministic=True)
    connection.execute("update articles set url = 'local:' || id where url not like 'http://%' and url not like 'https://%'")
    tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
    if "sources" in tables:
        connection.execute("update sources set homepage = null where homepage not like 'http%'")
    if "reference_snapshots" in tables:
        connection.execute("update reference_snapshots set file = replace(file, rtrim(file, replace(file, '/', '')), '')")
    if "crawl_runs" in tables:
        connection.execute("update crawl_runs set pid = null")
    if "fetch_errors" in tables:
        connection.execute("update fetch_errors set url = null, reason = kb_error_kind(reason)")
    if "feed_state" in tables:
        connection.execute("delete from feed_state")


def _public_profile(site_metadata: dict) -> None:
    """The published site's bounds (plugins/kb_limits.py): bookkeeping tables and debug pages hidden."""
    plugins = site_metadata.setdefault("plugins", {})
    plugins["kb-limits"] = {**PUBLIC_LIMITS, **(plugins.get("kb-limits") or {})}
    for database in (site_metadata.get("databases") or {}).values():
        tables = database.setdefault("tables", {})
        for table in PUBLIC_HIDDEN_TABLES:
            tables.setdefault(table, {})["hidden"] = True


def _requirements() -> str:
    lines = ["# Pinned to the versions ai-news-kb was tested with; install on every server that serves the site."]
    for name in PLUGIN_REQUIREMENTS:
        try:
            lines.append(f"{name}=={package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            lines.append(name)
    return "\n".join(lines) + "\n"


def _deploy_notes(site_settings: dict, requirements: list[str]) -> str:
    setting_options = " ".join(f"--setting {name} {setting_value(value)}" for name, value in site_settings.items())
    installs = " ".join(f"--install {r}" for r in requirements if not r.startswith("datasette=="))
    return f"""# Deploying this directory

It is a Datasette configuration directory: kb.db (opened immutable), inspect-data.json,
metadata.json, settings.json, templates/, plugins/, requirements.txt.

## One or more servers (behind a load balancer)

Copy the directory to each server, then on each:

    python3 -m venv venv && venv/bin/pip install -r requirements.txt
    venv/bin/datasette serve . --host 0.0.0.0 --port 8001

Every server serves the same immutable file, so any of them can answer any request;
health check: GET /-/versions.json. To update, publish a new directory and swap it in.

## datasette publish (Cloud Run, Fly, Vercel, ...)

    datasette publish cloudrun kb.db --service ai-news-kb \\
      --metadata metadata.json --template-dir templates --plugins-dir plugins \\
      {installs} \\
      --extra-options "{setting_options}"
"""


def publish_directory(db_path: Path, directory: Path, *, text: str = "excerpt", metadata: Path = METADATA) -> PublishedSite:
    """Write the deployable site for ``db_path`` into ``directory`` (created, or refreshed in place)."""
    if text not in TEXT_MODES:
        raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, not {text!r}")
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no knowledge base at {db_path}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / DATABASE_FILE
    if database.resolve() == db_path.resolve():
        raise ValueError("publish into another directory than the one that holds the knowledge base")
    articles = _copy_database(db_path, database, text)

    site_metadata = metadata_for(database, metadata)
    _public_profile(site_metadata)
    if text == "full":
        columns = site_metadata["databases"]["kb"]["tables"]["articles"]["columns"]
        columns["text"] = "Clean body text, published in full. Fact offsets (start, end) index into it."
    (directory / "metadata.json").write_text(json.dumps(site_metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    site_settings = settings(metadata)
    (directory / "settings.json").write_text(json.dumps(site_settings, indent=2), encoding="utf-8")
    for source, name in ((TEMPLATES, "templates"), (PLUGINS, "plugins")):
        shutil.rmtree(directory / name, ignore_errors=True)
        shutil.copytree(source, directory / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    requirements = _requirements()
    (directory / "requirements.txt").write_text(requirements, encoding="utf-8")
    pinned = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    (directory / "DEPLOY.md").write_text(_deploy_notes(site_settings, pinned), encoding="utf-8")
    # Run where the file is: Datasette's configuration directory mode opens the files that
    # inspect-data.json names as immutable, and it compares bare file names.
    subprocess.run([sys.executable, "-m", "datasette", "inspect", DATABASE_FILE, "--inspect-file", "inspect-data.json"],
                   check=True, capture_output=True, text=True, cwd=directory)
    files = sorted(p.name for p in directory.iterdir())
    return PublishedSite(directory=directory, database=database, articles=articles, text=text, files=files)
