"""The ``kb`` command: crawl, parse, extract, add, serve, and the demo.

Every command that touches the knowledge base takes ``--db PATH`` (default
``data/kb.db``, or ``$KB_DB``). Errors are one line on stderr and exit 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from kb import __version__

DEMO_SITE_PORT = 8799


class KbGroup(click.Group):
    """Turn expected failures into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # `kb sources | head`: the reader has gone, which is not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the one place that reports any failure
            if os.environ.get("KB_DEBUG"):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise click.ClickException(f"{message} ({type(exc).__name__}; set KB_DEBUG=1 for the traceback)") from exc


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Knowledge base file. Default: $KB_DB or data/kb.db.",
    )(function)


def _db_path(db_path: Path | None) -> Path:
    from kb.store import default_db_path

    return db_path or default_db_path()


def _published_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date the KB can read later, or one line naming the option (not a traceback on every later run)."""
    from kb.parse import checked_datetime, normalise_datetime

    if value is None:
        return None
    if checked_datetime(value) is None:
        raise click.ClickException(
            f"--published: {value!r} is not a date; give YYYY-MM-DD or ISO 8601 (2025-03-01T09:00:00+09:00)")
    return normalise_datetime(value)


def _url_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Only http(s) URLs: a ``javascript:`` key would become a link that runs a script on the site."""
    from kb.urls import is_web_url

    if value is not None and not is_web_url(value):
        raise click.ClickException(f"--url: {value!r} is not an http(s) URL")
    return value


def article_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--lang", type=click.Choice(["ko", "en", "zh"]), help="Language, if the file does not say.")(function)
    function = click.option("--published", metavar="YYYY-MM-DD", callback=_published_value,
                            help="Publication date, to resolve relative dates.")(function)
    function = click.option("--url", callback=_url_value, help="The article's http(s) URL (its key in the KB).")(function)
    return function


@click.group(cls=KbGroup)
@click.version_option(__version__, prog_name="kb")
def cli() -> None:
    """ai-news-kb: a sourced knowledge base of the AI industry, built from the news.

    \b
    Pipeline:  crawl → parse → extract → store → publish
    Try:       kb demo            (crawl the bundled demo site, serve the KB)
               kb extract FILE    (facts of one article, as JSON)
    """


# ------------------------------------------------------------------ parse / extract

def _read(file: str, url: str | None, published: str | None, lang: str | None, raw: bytes | None = None):
    from kb.parse import parse_bytes, read_document_bytes

    article = parse_bytes(raw if raw is not None else read_document_bytes(file), url=url)
    if published:
        article.published = published
    if lang:
        article.language = lang
    return article


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def parse(files: tuple[str, ...]) -> None:
    """Turn news pages into articles, one JSON object per line.

    FILES are HTML pages (.html or .html.gz) or plain text. Each line has
    file, url, title, author, published (ISO 8601), language and text. A page
    that cannot be parsed is reported on stderr and the others go on.
    """
    from kb.parse import ParseError

    failed = 0
    for file in files:
        try:
            article = _read(file, None, None, None)
        except (ParseError, OSError, UnicodeDecodeError) as exc:
            click.echo(f"Error: {file}: {exc}", err=True)
            failed += 1
            continue
        data = {"file": file, **article.to_dict()}
        data.pop("site_name", None)
        click.echo(json.dumps(data, ensure_ascii=False))
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@article_options
@click.option("--compact", is_flag=True, help="One line of JSON instead of indented.")
def extract(file: str, url: str | None, published: str | None, lang: str | None, compact: bool) -> None:
    """Print the facts of one article as a JSON document.

    FILE is an HTML page or plain text. The document has the keys article,
    companies, models, people, prices and events; every fact carries the
    character offsets of its evidence in article.text (see README).
    """
    from kb.extract import extract as run_extract

    article = _read(file, url, published, lang)
    result = run_extract(article)
    click.echo(json.dumps(result, ensure_ascii=False, indent=None if compact else 2))


# ------------------------------------------------------------------ add / reprocess

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@article_options
@click.option("--source", "source_id", default="local", show_default=True, help="Source id to file the articles under.")
@db_option
def add(files: tuple[str, ...], url: str | None, published: str | None, lang: str | None, source_id: str,
        db_path: Path | None) -> None:
    """Put local HTML or text files into the KB (parse → extract → store).

    Without --url, a file's key is its file:// URL. --url, --published and
    --lang apply to every file given.
    """
    from kb.parse import ParseError, read_document_bytes
    from kb.pipeline import ingest, prepare
    from kb.store import open_db
    from kb.store.save import save_source

    if url and len(files) > 1:
        raise click.UsageError("--url names one article; give one file with it")
    db = open_db(_db_path(db_path))
    gazetteer = prepare(db)
    save_source(db, source_id, name="Local files" if source_id == "local" else source_id, kind="local")
    failed = 0
    for file in files:
        try:
            raw = read_document_bytes(file)
            article = _read(file, url or Path(file).resolve().as_uri(), published, lang, raw=raw)
        except (ParseError, OSError) as exc:
            click.echo(f"Error: {file}: {exc}", err=True)
            failed += 1
            continue
        result = ingest(db, article, gazetteer, html=raw, source_id=source_id)
        facts = ", ".join(f"{v} {k}" for k, v in result.facts.items()) or "no change"
        click.echo(f"{result.status:<9} {article.url}  ({facts})")
    _refresh(db)
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that parse and extract (default: one per core); this process alone writes the KB.")
@db_option
def reprocess(workers: int | None, db_path: Path | None) -> None:
    """Extract every stored article again, from its stored page, without the network.

    Run it after the gazetteer or the extraction rules change: each article's
    facts are replaced, never duplicated. The result is the same whatever --workers.
    """
    from kb.pipeline import prepare, reextract_all
    from kb.store import open_db

    path = _db_path(db_path)
    if not path.exists():
        raise click.ClickException(f"no knowledge base at {path}")
    db = open_db(path)
    gazetteer = prepare(db)
    before = _fact_counts(db)
    ids = [row[0] for row in db.execute("select id from articles order by id")]
    if workers is None:  # a pool is not worth its start-up for a handful of articles
        workers = (os.cpu_count() or 1) if len(ids) >= 64 else 1
    with click.progressbar(length=len(ids), label="Re-extracting", file=sys.stderr) as bar:
        reextract_all(db, ids, gazetteer, workers=workers, progress=bar.update)
    after = _fact_counts(db)
    click.echo(f"{len(ids)} articles re-extracted")
    for table in before:
        click.echo(f"  {table:<9} {before[table]:>6} → {after[table]:<6} ({after[table] - before[table]:+d})")
    _refresh(db)


def _fact_counts(db: Any) -> dict[str, int]:
    return {t: db[t].count for t in ("mentions", "prices", "events")}


# ------------------------------------------------------------------ crawl

@cli.command()
@click.option("--demo", is_flag=True, help="Crawl the bundled demo site (served on 127.0.0.1).")
@click.option("--demo-url", metavar="URL", help="Use a demo site already served at URL (as kb demo does).")
@click.option("--source", "source_names", multiple=True, metavar="NAME", help="Crawl a source of the sources file (repeatable).")
@click.option("--all", "all_sources", is_flag=True, help="Crawl every enabled source of the sources file.")
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="Crawl the articles an RSS/Atom feed or sitemap lists (repeatable).")
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources file. Default: the one shipped in kb/data/sources.yml.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to one site (overrides settings).")
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site (overrides settings).")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds before a request is given up (overrides settings).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that parse and extract the fetched pages (default: one per core; 1: in the crawl's "
                   "own process). The crawl process alone writes the KB.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--every", metavar="INTERVAL", help="Crawl again every INTERVAL (30m, 1h, 1d) until stopped; for containers.")
@click.option("--redis", "redis_url", metavar="URL", envvar="KB_REDIS_URL",
              help="Be one of several crawlers sharing a frontier in redis (redis://host:6379/0; $KB_REDIS_URL); "
                   "the KB is written by kb ingest-queue.")
@db_option
def crawl(demo: bool, demo_url: str | None, source_names: tuple[str, ...], all_sources: bool, feeds: tuple[str, ...],
          sources_file: Path | None, delay: float | None, concurrency: int | None, timeout: float | None, quiet: bool,
          every: str | None, db_path: Path | None, redis_url: str | None = None, workers: int | None = None) -> None:
    """Fetch new articles into the KB, politely (robots.txt, delays) and incrementally.

    Choose what to crawl with --demo, --source NAME, --all or --feed URL.
    Articles already in the KB are not fetched again; an unchanged feed costs
    one conditional request. Two crawls never write one KB at once: the second
    is skipped (exit 75). Progress goes to stderr, a summary to stdout.

    With --redis, any number of crawlers (on any machines) share one frontier:
    each URL is fetched by one of them, and what they fetch is queued in redis
    for the one writer, kb ingest-queue (see README, "Scaling out").
    """
    chosen = sum([demo or bool(demo_url), bool(source_names), all_sources, bool(feeds)])
    if chosen != 1:
        raise click.UsageError("choose exactly one of --demo, --source, --all or --feed")
    _check_feeds(feeds)
    path = _db_path(db_path)
    if every:
        _crawl_every(every, path)
        return
    if redis_url:  # a crawler of a shared frontier does not open the KB: no lock, many may run
        _crawl_once(demo, demo_url, source_names, all_sources, feeds, sources_file, delay, concurrency, timeout, quiet,
                    path, redis_url=redis_url)
        return
    from kb.schedule import CrawlLocked, crawl_lock

    try:
        with crawl_lock(path):
            _crawl_once(demo, demo_url, source_names, all_sources, feeds, sources_file, delay, concurrency, timeout, quiet,
                        path, workers=workers or os.cpu_count() or 1)
    except CrawlLocked as exc:
        click.echo(f"Skipped: {exc}", err=True)
        sys.exit(75)


def _check_feeds(feeds: tuple[str, ...]) -> None:
    """--feed takes http(s) URLs (or file:// ones, as the sources file does): one line for any other."""
    import re

    from kb.urls import is_web_url

    for feed in feeds:
        if is_web_url(feed) or re.match(r"file:///\S", feed):
            continue
        hint = f" (a local file? file://{Path(feed).resolve()})" if "://" not in feed else ""
        raise click.ClickException(f"--feed: {feed!r} is not an http(s) URL{hint}")


def _crawl_every(every: str, path: Path) -> None:
    """Run this same crawl again and again, each in a fresh process (a reactor cannot restart)."""
    from kb.schedule import parse_interval

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    arguments = [a for a in sys.argv[1:]]
    index = arguments.index("--every")
    del arguments[index : index + 2]
    while True:
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "kb", *arguments])
        if code not in (0, 75):
            click.echo(f"crawl exited with {code}; trying again at the next interval", err=True)
        wait = max(0.0, interval - (time.monotonic() - started))
        click.echo(f"next crawl in {wait:.0f}s", err=True)
        time.sleep(wait)


def _crawl_once(demo: bool, demo_url: str | None, source_names: tuple[str, ...], all_sources: bool,
                feeds: tuple[str, ...], sources_file: Path | None, delay: float | None, concurrency: int | None,
                timeout: float | None, quiet: bool, path: Path, redis_url: str | None = None, workers: int = 1) -> None:
    from crawler.run import crawl as run_crawl

    server = None
    if demo or demo_url:
        from kb.demo.server import DemoServer
        from kb.demo.sources import demo_sources

        if not demo_url:
            server = _start_demo_server(DEMO_SITE_PORT)
            demo_url = server.url
        sources = demo_sources(demo_url)
        _load_demo_reference(path)
        delay = 0.0 if delay is None else delay
        concurrency = concurrency or 4
        label = "demo"
    elif feeds:
        from urllib.parse import urlsplit

        sources = [{"id": "adhoc", "name": "Ad hoc feeds", "language": None, "homepage": None, "feeds": list(feeds),
                    "sitemaps": [], "allowed_domains": sorted({urlsplit(f).hostname or "" for f in feeds}),
                    "sitemap_filter": None, "article_url": None, "encoding": None}]
        label = "feeds"
    else:
        from kb.sources import DEFAULT_SOURCES, load_sources

        known = load_sources(sources_file or DEFAULT_SOURCES)
        if all_sources:
            selected = [s for s in known if s.enabled]
        else:
            by_id = {s.id: s for s in known}
            missing = [n for n in source_names if n not in by_id]
            if missing:
                raise click.ClickException(f"unknown source {', '.join(missing)} (see: kb sources)")
            selected = [by_id[n] for n in source_names]
            disabled = [s.id for s in selected if not s.enabled]
            if disabled:
                click.echo(f"Note: crawling disabled source(s) {', '.join(disabled)} on request", err=True)
        sources = [s.to_spider() for s in selected]
        label = ",".join(s["id"] for s in sources)
    if redis_url:
        _join_frontier(redis_url, sources)
    if not quiet:
        click.echo(f"Crawling {label} into " + (f"the shared frontier at {redis_url}" if redis_url else str(path)), err=True)
    started = time.monotonic()
    try:
        stats = run_crawl(sources, db_path=path, delay=delay, concurrency=concurrency, timeout=timeout,
                          progress=not quiet, command=f"crawl {label}", redis_url=redis_url, workers=workers)
    finally:
        if server:
            server.stop()
    if redis_url:
        _print_shared_summary(stats, time.monotonic() - started)
        return
    if not _print_run_summary(path, time.monotonic() - started, list_failures=quiet):
        sys.exit(1)  # cron and systemd see a crawl that fetched nothing at all


def _join_frontier(redis_url: str, sources: list[dict[str, Any]]) -> None:
    """Check scrapy-redis is installed, redis answers, and this crawler crawls what the others do."""
    try:
        from crawler.frontier import Keys, connect, join
    except ImportError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        join(connect(redis_url), Keys(), sources)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - redis's connection errors, bad URLs
        raise click.ClickException(f"cannot use redis at {redis_url}: {exc}") from None


def _print_shared_summary(stats: dict[str, Any], seconds: float) -> None:
    reason = stats.get("finish_reason", "finished")
    click.echo(
        f"Crawl {reason} in {seconds:.1f}s: {stats.get('kb/listings', 0)} feeds/sitemaps, {stats.get('kb/pages', 0)} pages "
        f"fetched, {stats.get('kb/errors', 0)} errors; {stats.get('frontier/claimed_elsewhere', 0)} requests left to other "
        f"crawlers. Queued in redis for kb ingest-queue."
    )


def _load_demo_reference(path: Path) -> None:
    """The demo's dated reference price list, loaded before the crawl's knowledge refresh uses it."""
    from kb.demo.reference import load_demo_reference
    from kb.store import open_db

    db = open_db(path)
    try:
        load_demo_reference(db)
    finally:
        db.close()


def _start_demo_server(port: int):
    from kb.demo.server import DemoServer

    try:
        return DemoServer("127.0.0.1", port).start()
    except OSError as exc:
        raise click.ClickException(f"cannot serve the demo site on 127.0.0.1:{port} ({exc.strerror})") from exc


def _print_run_summary(path: Path, seconds: float, *, list_failures: bool = False) -> bool:
    """Print the last run's summary; False when it fetched nothing because everything failed."""
    from kb.store import open_db

    db = open_db(path)
    run = next(db.query("select * from crawl_runs order by id desc limit 1"), None)
    if not run:
        return False
    click.echo(
        f"Crawl {run['status']} in {seconds:.1f}s: {run['listings_fetched'] or 0} feeds/sitemaps "
        f"({run['not_modified'] or 0} not modified), {run['pages_fetched']} pages fetched, {run['new']} new, "
        f"{run['revised']} revised, {run['unchanged']} unchanged, {run['duplicates'] or 0} duplicates, {run['errors']} errors. "
        f"KB: {db['articles'].count} articles, {db['prices'].count} prices, {db['events'].count} events."
    )
    # the crawl's pipeline refreshed the knowledge tables when the spider closed
    events = db.execute("select count(*), coalesce(sum(reports > 1), 0) from event_clusters where status = 'active'").fetchone()
    click.echo(f"Knowledge: {events[0]} events ({events[1]} reported more than once), "
               f"{db['price_history'].count} price intervals, {db['conflicts'].count} conflicts.")
    if run["listings_fetched"] or run["pages_fetched"] or (not run["errors"] and run["status"] == "finished"):
        return True
    if list_failures:  # without -q each failure already had its progress line
        for failure in db.query("select url, reason from fetch_errors where run_id = ? order by id", [run["id"]]):
            click.echo(f"failed: {failure['url']}: {failure['reason']}", err=True)
    click.echo(f"Crawl failed: nothing was fetched ({run['errors']} errors, status {run['status']}).", err=True)
    return False


@cli.command("ingest-queue")
@click.option("--redis", "redis_url", required=True, metavar="URL", envvar="KB_REDIS_URL",
              help="The redis the crawlers share (redis://host:6379/0; $KB_REDIS_URL).")
@click.option("--until-empty", is_flag=True, help="Stop once the queue is empty and no crawler is running.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@db_option
def ingest_queue(redis_url: str, until_empty: bool, quiet: bool, db_path: Path | None) -> None:
    """Write what shared-frontier crawlers (kb crawl --redis) fetched into the KB.

    The one writer of a scaled-out crawl: pages go through the same parse →
    extract → store as a local crawl, failures into fetch_errors, one crawl_runs
    row per round. It also keeps in redis the list of stored articles, so the
    crawlers skip them. Runs until stopped (as a service), or with --until-empty
    until the queue is empty and no crawler is left. Holds the KB's crawl lock.
    """
    from kb.schedule import CrawlLocked, crawl_lock

    try:
        from crawler.writer import ingest_queue as run_writer
    except ImportError as exc:
        raise click.ClickException(f"{exc} (kb ingest-queue needs the 'scale' extra: pip install 'ai-news-kb[scale]')") from None
    import redis

    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a service stop: close the round's crawl_runs row
    path = _db_path(db_path)
    started = time.monotonic()
    try:
        with crawl_lock(path):
            run = run_writer(path, redis_url, until_empty=until_empty, progress=not quiet,
                             log=(lambda line: None) if quiet else None)
    except CrawlLocked as exc:
        click.echo(f"Skipped: {exc}", err=True)
        sys.exit(75)
    except redis.exceptions.RedisError as exc:
        raise click.ClickException(f"cannot use redis at {redis_url}: {exc}") from None
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(run.statuses.items())) or "nothing stored"
    crawlers = ", ".join(f"{c} {n}" for c, n in sorted(run.pages_by_crawler.items())) or "none"
    click.echo(f"Ingested {run.items} queued items in {time.monotonic() - started:.1f}s ({run.rounds} rounds): "
               f"{run.pages} pages ({statuses}), {run.errors} errors, {run.listings} feeds/sitemaps. "
               f"Pages per crawler: {crawlers}.")


@cli.command()
@click.option("--every", default="1h", show_default=True, metavar="INTERVAL", help="How often: 30m, 1h, 6h, 1d.")
@click.option("--systemd", "use_systemd", is_flag=True, help="A systemd user timer instead of a crontab line.")
@click.option("--install", is_flag=True, help="Install it (crontab, or ~/.config/systemd/user) instead of printing it.")
@click.option("--unit-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where --systemd --install writes the units. Default: ~/.config/systemd/user.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("data/crawl.log"),
              show_default=True, help="Log file the scheduled crawls append to.")
@db_option
def schedule(every: str, use_systemd: bool, install: bool, unit_dir: Path | None, log_path: Path, db_path: Path | None) -> None:
    """Run `kb crawl --all` on a schedule, with cron or a systemd timer.

    Prints the entry by default; --install puts it in place. Overlapping runs
    are impossible: a crawl that finds another one running exits at once.
    """
    from kb.schedule import cron_entry, parse_interval, systemd_units

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    path = _db_path(db_path)
    if use_systemd:
        units = systemd_units(path, interval, log_path)
        if not install:
            for name, text in units.items():
                click.echo(f"# {name}\n{text}")
            return
        target = unit_dir or Path.home() / ".config" / "systemd" / "user"
        target.mkdir(parents=True, exist_ok=True)
        for name, text in units.items():
            (target / name).write_text(text)
        click.echo(f"Wrote {', '.join(units)} to {target}; enable with: systemctl --user enable --now ai-news-kb-crawl.timer")
        return
    line = cron_entry(path, interval, log_path)
    if not install:
        click.echo(line)
        return
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    existing = current.stdout if current.returncode == 0 else ""
    kept = [l for l in existing.splitlines() if "kb crawl --all" not in l and " crawl --all --quiet" not in l]
    subprocess.run(["crontab", "-"], input="\n".join(kept + [line]) + "\n", text=True, check=True)
    click.echo(f"Installed in crontab: {line}")


# ------------------------------------------------------------------ sources

@cli.group(invoke_without_command=True)
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources file. Default: kb/data/sources.yml.")
@click.pass_context
def sources(ctx: click.Context, sources_file: Path | None) -> None:
    """List the outlets of the sources file (kb sources check FILE validates one)."""
    if ctx.invoked_subcommand:
        return
    from kb.sources import DEFAULT_SOURCES, load_sources

    for source in load_sources(sources_file or DEFAULT_SOURCES):
        state = "enabled " if source.enabled else "disabled"
        where = len(source.feeds) + len(source.sitemaps)
        note = f"  ({source.disabled_reason})" if not source.enabled and source.disabled_reason else ""
        click.echo(f"{source.id:<24} {state} {source.language}  {where} feed/sitemap  {source.name}{note}")


@sources.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def sources_check(file: Path) -> None:
    """Validate a sources file: one line per mistake, exit 1 if any."""
    from kb.sources import SourceError, load_sources

    try:
        loaded = load_sources(file)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(f"{file}: {problem}", err=True)
        sys.exit(1)
    click.echo(f"{file}: {len(loaded)} sources, {sum(s.enabled for s in loaded)} enabled, no problems")


# ------------------------------------------------------------------ serve / demo

def upgrade_schema(path: Path) -> list[str]:
    """Apply the migrations a KB made by an older kb lacks, before Datasette reads it.

    The site's queries read tables that later migrations add (the summary tables,
    for one): served as it is, an old KB answers them with errors. Every writer
    migrates on opening, so this only writes to a KB nothing has written since kb
    was upgraded; a KB already current is only read, and a file that is no KB is
    refused rather than filled with our tables."""
    import sqlite3

    from kb.store import open_db
    from kb.store.schema import pending_migrations

    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            pending = pending_migrations(conn)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} is not a knowledge base kb can read ({exc})") from exc
    if pending is None:
        raise click.ClickException(f"{path} is not a knowledge base made by kb (it has no _migrations table)")
    if pending:
        click.echo(f"Upgrading the KB's schema ({len(pending)} migrations) before serving ...", err=True)
        open_db(path).close()
    return pending


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--immutable", is_flag=True, help="Serve a finished KB file that no crawl will write to (faster, cacheable).")
def serve(db_path: Path | None, host: str, port: int, immutable: bool) -> None:
    """Browse and query the KB with Datasette: entity pages, search, charts, feeds.

    Read-only: Datasette only reads the file (a crawl may write to it meanwhile;
    --immutable when none will). Configured by kb/publish/metadata.yml. This
    serves the whole article text, for your own use; to put a KB on the web,
    use kb publish.
    """
    from kb.publish import serve as run_serve

    path = _db_path(db_path)
    if not path.exists():
        raise click.ClickException(f"no knowledge base at {path} (build one with: kb demo --no-serve, or kb crawl)")
    upgraded = upgrade_schema(path)
    if upgraded:
        click.echo(f"Upgraded the KB's schema to this version of kb: {', '.join(upgraded)}", err=True)
    click.echo(f"Serving {path} on http://{host}:{port}/  (Ctrl-C to stop)", err=True)
    sys.exit(run_serve(path, host=host, port=port, immutable=immutable))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@db_option
@click.option("--text", "text_mode", type=click.Choice(["excerpt", "full"]), default="excerpt", show_default=True,
              help="Article text in the copy: the opening lines (the text is the publishers'), or all of it "
                   "(only for text you may republish, such as the demo's).")
def publish(directory: Path, db_path: Path | None, text_mode: str) -> None:
    """Prepare DIRECTORY for deployment: the site as a Datasette configuration directory.

    It holds a copy of the KB (kb.db, without raw pages; article text cut to its
    opening lines unless --text full), its datasette inspect file, metadata,
    settings, templates, the plugin, a pinned requirements.txt and DEPLOY.md.

    \b
    Serve it (each server behind a load balancer alike):
        pip install -r DIRECTORY/requirements.txt && datasette serve DIRECTORY
    Or publish it: DIRECTORY/DEPLOY.md has the datasette publish command.
    """
    from kb.publish import publish_directory

    path = _db_path(db_path)
    if not path.exists():
        raise click.ClickException(f"no knowledge base at {path} (build one with: kb demo --no-serve, or kb crawl)")
    try:
        site = publish_directory(path, directory, text=text_mode)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Published {site.articles} articles ({site.text} text) to {site.directory}/: {', '.join(site.files)}")
    click.echo(f"Serve it with: datasette serve {site.directory}   (see {site.directory}/DEPLOY.md)")


@cli.command()
@db_option
@click.option("--no-serve", is_flag=True, help="Stop after the crawl; do not start Datasette.")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@click.option("--site-port", default=DEMO_SITE_PORT, show_default=True, type=int, help="Port of the demo news site.")
def demo(db_path: Path | None, no_serve: bool, port: int, site_port: int) -> None:
    """Serve the bundled demo news site, crawl it into a KB, and browse it.

    The demo site (four fictional outlets, real AI-industry events) is served
    on 127.0.0.1; the crawl is the real Scrapy crawl; the KB is served by
    Datasette on http://127.0.0.1:8001/.
    """
    from kb.publish import serve as run_serve

    path = _db_path(db_path)
    server = _start_demo_server(site_port)
    try:
        click.echo(f"Demo news site on {server.url}/", err=True)
        command = [sys.executable, "-m", "kb", "crawl", "--demo-url", server.url, "--db", str(path)]
        code = subprocess.call(command)
        if code != 0:
            raise click.ClickException(f"the demo crawl failed (exit {code})")
        if no_serve:
            return
        click.echo(f"Serving the KB on http://127.0.0.1:{port}/  (Ctrl-C to stop)", err=True)
        sys.exit(run_serve(path, port=port))
    finally:
        server.stop()


# ------------------------------------------------------------------ eval

@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--summary", is_flag=True, help="Only the score tables, without the lists of errors.")
@click.option("--lang", "languages", multiple=True, type=click.Choice(["ko", "en", "zh"]),
              help="Score only the articles in this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON: overall, then per language under 'languages'.")
def eval_command(gold_dir: Path, summary: bool, languages: tuple[str, ...], as_json: bool) -> None:
    """Score extraction against gold files: precision, recall, F1 per type and per language.

    GOLD_DIR holds *.gold.json files (the format of shared/gold); each names
    its article. The overall table comes first, then F1 (precision/recall) per
    language, then the false positives and misses.

    \b
    kb eval ../shared/real-dev/articles            # the measure of record: real news
    kb eval tests/gold/demo --summary             # our own prose, a regression check
    """
    from kb.eval import evaluate_by_language, format_language_table, format_report

    results = evaluate_by_language(gold_dir, languages=set(languages) or None)

    def as_dict(scores: dict[str, Any]) -> dict[str, Any]:
        return {k: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                    "tp": s.tp, "fp": s.fp, "fn": s.fn} for k, s in scores.items()}

    if as_json:
        document = as_dict(results["all"])
        document["languages"] = {lang: as_dict(scores) for lang, scores in results.items() if lang != "all"}
        click.echo(json.dumps(document, indent=2))
        return
    click.echo(format_report(results["all"], details=False))
    click.echo("")
    click.echo(format_language_table(results))
    if not summary:
        click.echo(format_report(results["all"], table=False))


# ------------------------------------------------------------------ events, conflicts, reference prices, merges

def _existing_db(db_path: Path | None, *, read_only: bool = False):
    from kb.store import open_db, open_db_for_reading

    path = _db_path(db_path)
    if not path.exists():
        raise click.ClickException(f"no knowledge base at {path}")
    return open_db_for_reading(path) if read_only else open_db(path)


def _refresh(db: Any, *, full: bool = False) -> None:
    """Bring events, claims, price history, conflicts and the summary tables up to date after the facts changed:
    for the articles changed since the last refresh (everything when that is not enough), or everything."""
    from kb.knowledge import refresh
    from kb.store import write_transaction

    with write_transaction(db):
        summary = refresh(db, incremental=not full)
    click.echo(f"Knowledge: {summary}")


@cli.command("refresh")
@click.option("--full", is_flag=True, help="Recompute everything, not only what changed since the last refresh.")
@db_option
def refresh_command(full: bool, db_path: Path | None) -> None:
    """Update the derived tables (events, claims, price history, conflicts, summaries) from the stored facts.

    Every command that stores articles does this itself, for what it stored; --full recomputes every table
    from all facts, with the same result."""
    _refresh(_existing_db(db_path), full=full)


@cli.command()
@click.argument("event_id", required=False)
@click.option("--min-reports", default=1, show_default=True, type=click.IntRange(min=1),
              help="Only events reported by at least this many articles.")
@click.option("--type", "event_type", metavar="TYPE", help="Only events of this type (model_release, price_change, ...).")
@click.option("--json", "as_json", is_flag=True, help="JSON: a list of events, each with its reports.")
@db_option
def events(event_id: str | None, min_reports: int, event_type: str | None, as_json: bool, db_path: Path | None) -> None:
    """List events, each with every article that reported it.

    Reports from any outlet and language are one event when they have the same
    type, the same subject (model, person, or parties) and dates within a few
    days. The first report is marked with *; counts per language follow; an
    undated article weeks later that recalls the event is a later mention.
    With EVENT_ID, show that event only (an id merged into another still answers).
    """
    db = _existing_db(db_path, read_only=True)
    from kb.knowledge.listing import list_events

    found = list_events(db, event_id=event_id, min_reports=min_reports, event_type=event_type)
    if event_id and not found:
        raise click.ClickException(f"no event {event_id}")
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for event in found:
        languages = ", ".join(f"{lang} {n}" for lang, n in event["languages"].items())
        date = event["date"] or "undated"
        note = f"  (was {event['redirected_from']})" if event["redirected_from"] else ""
        click.echo(f"{date}  {event['type']:<16} {event['subject']}  [{event['id']}]{note}")
        click.echo(f"    {event['reports']} report(s), {event['outlets']} outlet(s): {languages}")
        for report in event["articles"]:
            mark = "*" if report["first"] else " "
            late = "  (later mention)" if report["later_mention"] else ""
            click.echo(f"  {mark} {(report['published'] or '')[:16]:<16}  {report['outlet'] or report['source_id'] or '-'}"
                       f"  {report['language'] or '-'}  {(report['title'] or report['url'])[:80]}{late}")
    click.echo(f"{len(found)} event(s)", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON: a list of conflicts.")
@db_option
def conflicts(as_json: bool, db_path: Path | None) -> None:
    """List the claims that another source contradicts, with the likely explanation.

    A price claim is checked against the other outlets' claims for the same
    time (see the price_history table) and, if its price is the current one,
    against the latest reference list (kb reference import). An event claim is
    checked against the date the other reports of its event give.
    """
    db = _existing_db(db_path, read_only=True)
    from kb.knowledge.listing import list_conflicts

    found = list_conflicts(db)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for conflict in found:
        against = conflict["reference"] if conflict["against"] == "reference" else "the news"
        click.echo(f"{conflict['subject']}  {conflict['predicate']}  {conflict['claimed']}"
                   f"  ({conflict['outlet'] or '-'}, {conflict['published_date'] or 'undated'})")
        click.echo(f"    against {against}: {conflict['expected']}  ({conflict['detail']})")
        click.echo(f"    likely: {conflict['explanation']}")
        click.echo(f"    evidence: {conflict['evidence']}  [{conflict['url']} {conflict['start']}:{conflict['end']}]")
    click.echo(f"{len(found)} conflict(s)", err=True)


@cli.group(invoke_without_command=True)
@db_option
@click.pass_context
def reference(ctx: click.Context, db_path: Path | None) -> None:
    """Reference price lists that the prices in the news are checked against.

    Without a subcommand, list the snapshots imported so far.
    """
    if ctx.invoked_subcommand:
        return
    db = _existing_db(db_path, read_only=True)
    for row in db.query("select * from reference_snapshots order by as_of, id"):
        click.echo(f"{row['id']:>3}  {row['as_of']}  {row['name']}  {row['entries']} entries  {row['licence']}  {row['file']}")


@reference.command("import")
@click.argument("file")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the list's prices were current. Default: today.")
@db_option
def reference_import(file: str, as_of: Any, db_path: Path | None) -> None:
    """Import a LiteLLM-format price list (model_prices_and_context_window.json) as a dated snapshot.

    FILE is a downloaded copy or its URL (upstream: the file of that name at the
    root of github.com/BerriAI/litellm).

    Keys map to our models through the gazetteer (litellm_keys, else the name);
    each key's litellm_provider is its seller. Current news prices that
    disagree with the list are flagged (see kb conflicts). The same file again
    replaces its snapshot instead of adding one.
    """
    from kb.knowledge.reference import ReferenceError, import_reference
    from kb.pipeline import prepare
    from kb.store import open_db

    from kb.knowledge.reference import fetch_reference

    try:
        file = fetch_reference(file)
    except ReferenceError as exc:
        raise click.ClickException(str(exc)) from None
    db = open_db(_db_path(db_path))
    gazetteer = prepare(db)
    from kb.store import write_transaction

    try:
        with write_transaction(db):
            result = import_reference(db, file, gazetteer, as_of=as_of.date() if as_of else None)
    except ReferenceError as exc:
        raise click.ClickException(str(exc)) from None
    verb = "Re-imported" if result["replaced"] else "Imported"
    click.echo(f"{verb} {file} as snapshot {result['snapshot_id']} (as of {result['as_of']}): {result['entries']} entries, "
               f"{result['prices']} prices, {result['models']} of our models")
    _refresh(db)


@cli.command()
@click.argument("old_id")
@click.argument("new_id")
@click.option("--reason", help="Why they are one entity (kept with the redirect).")
@db_option
def merge(old_id: str, new_id: str, reason: str | None, db_path: Path | None) -> None:
    """Merge entity OLD_ID into NEW_ID: a candidate that is another name of a known entity.

    Every fact that named OLD_ID names NEW_ID from now on, also after
    re-extraction; OLD_ID keeps its row and aliases, marked merged, and
    redirects to NEW_ID (table entity_redirects). Events of the two become one.
    """
    from kb.knowledge.merge import MergeError, merge_entities

    db = _existing_db(db_path)
    from kb.store import write_transaction

    try:
        with write_transaction(db):
            counts = merge_entities(db, old_id, new_id, reason=reason)
    except MergeError as exc:
        raise click.ClickException(str(exc)) from None
    moved = ", ".join(f"{n} {table}" for table, n in counts.items()) or "no facts"
    click.echo(f"Merged {old_id} into {new_id}: {moved} repointed; {old_id} now redirects to {new_id}")
    _refresh(db)


def main() -> None:
    cli(prog_name="kb")
