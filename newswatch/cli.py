"""The `newswatch` command: a thin layer of click commands over the library functions."""

from __future__ import annotations

import gzip
import io
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from rich.text import Text

from newswatch.config import Config, ConfigError, load_config
from newswatch.display import (
    Column,
    console,
    json_text,
    kst_time,
    on_terminal,
    print_table,
    terminal_safe,
)
from newswatch.display import safe_text as _text
from newswatch.formats import write_atom, write_csv, write_json, write_jsonl
from newswatch.watches import rematch_command
from newswatch.words import start_words_after_crawl
from newswatch.words import trends as trends_command
from newswatch.words import words as words_command

if TYPE_CHECKING:
    from archive import Archive
    from archive.query_language import Filters


class ConfigProblem(click.ClickException):
    """A configuration error: one sentence, exit status 2, nothing touched."""

    exit_code = 2


class CrawlRefused(click.ClickException):
    """Another crawl holds the archive and --no-wait was given: EX_TEMPFAIL, try again later."""

    exit_code = 75


def _config(ctx: click.Context) -> Config:
    try:
        config = load_config(ctx.obj["config_path"])
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc
    ctx.obj["config"] = config  # main() names its archive if an archive error escapes a command
    return config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: $NEWSWATCH_CONFIG, ./newswatch.toml, the shipped default).",
)
@click.version_option(package_name="newswatch")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Watch Korean news for coverage of one organisation and keep it in an SQLite archive."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


class CrawlInterruptedExit(click.ClickException):
    """The crawl was stopped by a signal: the shell's convention, 128 + the signal's number."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum  # type: ignore[misc] # click declares it on the class


# Exit status of `newswatch crawl` (README, "Use"): 0 every source that ran was read; 3 some
# sources could not be read (the others were: monitoring goes on, degraded); 1 nothing was read
# (no source could be read or run, the archive failed: nothing was monitored); 2 a configuration
# error; 75 another crawl holds the archive (--no-wait); 128 + N stopped by signal N.
PARTIAL_EXIT = 3


class PartialCrawl(click.ClickException):
    exit_code = PARTIAL_EXIT


@cli.command()
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Log more: -v what became of each page, -vv Scrapy's own log too.",
)
@click.option(
    "--alert-backfill",
    is_flag=True,
    help="Alert the articles of the archive's first crawl too (normally a silent backfill).",
)
@click.option(
    "--source",
    "only",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source (repeat for several).",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="While another crawl runs on the archive: wait for it, or exit at once with status 75.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def crawl(
    ctx: click.Context,
    *,
    verbose: int,
    alert_backfill: bool,
    only: tuple[str, ...],
    wait: bool,
    fmt: str,
) -> None:
    """Crawl every configured source once and archive new relevant articles.

    Exit status: 0 every source was read, 3 some sources failed, 1 none could be read or the
    archive failed, 2 a configuration error, 75 busy (--no-wait), 130/143 stopped by a signal.

    Example: newswatch --config newswatch.toml crawl
    """
    from crawler.workers import start_fork_server

    config = _config(ctx)
    names = [source.name for source in config.sources]
    if unknown := [name for name in dict.fromkeys(only) if name not in names]:
        raise _no_such_source(config, unknown)
    # First, so the workers' imports run on the other core while this process imports Scrapy.
    start_fork_server(config.crawl.extract_workers)
    from newswatch.crawl import (  # Scrapy is heavy; load it for crawls only
        ArchiveUnusableError,
        run_crawl,
    )
    from newswatch.locks import CrawlBusyError
    from scheduler import stop_with_parent

    stop_with_parent()  # a crawl the scheduler started ends with it, even after its kill -9
    level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
    try:
        result = run_crawl(
            config,
            log_level=level,
            progress=sys.stderr.isatty() and verbose == 0,
            alert_backfill=alert_backfill,
            only=only,
            wait=wait,
        )
    except CrawlBusyError as exc:
        raise CrawlRefused(f"{exc}; not crawling (run again later, or without --no-wait).") from exc
    except KeyError as exc:
        raise _no_such_source(config, [exc.args[0]]) from exc
    except ArchiveUnusableError as exc:
        raise click.ClickException(f"{exc}; nothing was fetched.") from exc
    except (OSError, sqlite3.Error) as exc:  # sqlite3: a full disk, an I/O error, not a database
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    run = result.run
    if fmt == "json":
        click.echo(json_text(_run_json(run, config), indent=2))
    else:
        _print_run(run, config)
    start_words_after_crawl(config, run)
    if config.alerts and run.get("status") != "interrupted":
        from alerts import deliver

        _print_delivery(deliver(config))
    status, detail = run.get("status"), run.get("detail") or ""
    if status == "interrupted":
        raise CrawlInterruptedExit(
            f"the crawl was stopped before it finished ({detail}); what it stored is kept.",
            result.signum or 2,
        )
    if status == "partial":
        raise PartialCrawl(f"{detail}; the others were read (see the lines above).")
    if status != "ok":
        raise click.ClickException(f"the crawl did not finish: {detail or 'failed'}")


def _addresses(config: Config) -> dict[str, str]:
    return {s.name: s.address for s in config.sources}


def _run_json(run: dict[str, Any], config: Config) -> dict[str, Any]:
    """A crawl's summary for scripts: its status, and each source's outcome and counts."""
    from archive.store import SOURCE_COUNTS

    address = _addresses(config)
    return {
        "run": run.get("id"),
        "archive": str(config.archive_path),
        "status": run.get("status"),
        "detail": run.get("detail") or "",
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "sources": [
            {
                "source": row["source"],
                "address": address.get(row["source"], ""),
                "status": row.get("status") or "ok",
                "reason": row.get("reason") or "",
            }
            | {name: row.get(name) or 0 for name in SOURCE_COUNTS}
            for row in run.get("sources", [])
        ],
    }


def _no_such_source(config: Config, unknown: list[str]) -> ConfigProblem:
    names = ", ".join(source.name for source in config.sources) or "none"
    return ConfigProblem(
        f"--source: no source named {', '.join(unknown)} in {config.path}; its sources are {names}."
    )


def _print_run(run: dict[str, Any], config: Config) -> None:
    from archive.store import PAGE_COUNTS
    from newswatch.tables import Column, print_table, safe

    rows = run.get("sources", [])
    deferred = any(row.get("deferred") for row in rows)
    names = (*PAGE_COUNTS, "deferred") if deferred else PAGE_COUNTS
    columns = [
        Column("source", whole=True),
        Column("status"),
        *(Column(name.replace("_", " "), numeric=True) for name in names),
    ]
    table = [
        [row["source"], row.get("status") or "ok", *(row.get(name) or 0 for name in names)]
        for row in rows
    ]
    print_table(columns, table, title=f"crawl #{run.get('id', '?')} into {config.archive_path}")
    address = _addresses(config)
    for row in rows:  # one line for each source that was not read, with why
        if row.get("status") in {"failed", "off"}:
            click.echo(
                safe(
                    f"{row['status']}: {row['source']}  {address.get(row['source'], '')}"
                    f"  {row.get('reason') or ''}"
                ).rstrip()
            )
        if row.get("deferred"):
            click.echo(
                f"deferred: {row['source']}  {row['deferred']} page(s) left for the next crawl"
                " (a host's Crawl-delay; see -v)"
            )


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The address the page was saved from.")
@click.option(
    "--content-type", default="text/html", show_default=True, help="The page's Content-Type header."
)
def extract(file: Path, url: str, content_type: str) -> None:
    """Print the extraction of one saved page as JSON (FILE may be gzipped). No network.

    Example: newswatch extract page.html.gz --url https://www.mk.co.kr/news/it/11333783
    """
    from crawler.extraction import extract as extract_article

    body = file.read_bytes()
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise click.ClickException(f"{file}: not a readable gzip file ({exc}).") from exc
    article = extract_article(body, url, {"content-type": content_type})
    if article is None:
        raise click.ClickException(f"{file}: no article found on this page.")
    keys = (
        "url",
        "title",
        "text",
        "published_at",
        "modified_at",
        "author",
        "outlet",
        "original_url",
    )
    data = article.to_dict()
    click.echo(json_text({k: data[k] for k in keys}, indent=2))


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def sources(ctx: click.Context, fmt: str) -> None:
    """List the configured sources with their last crawl, last new article and health.

    Example: newswatch sources
    """
    from archive import Archive
    from archive.health import source_health
    from newswatch.tables import Column, kst, print_table

    config = _config(ctx)
    health = {}
    if config.archive_path.exists():
        with Archive(config.archive_path) as archive:
            health = {h.name: h for h in source_health(archive, [s.name for s in config.sources])}
    listed: list[dict[str, Any]] = []
    for source in config.sources:
        h = health.get(source.name)
        listed.append(
            {
                "source": source.name,
                "type": source.type,
                "address": source.address,
                "runs": h.runs if h else 0,
                "last_crawl": h.last_run_at if h else None,
                "last_success": h.last_success_at if h else None,
                "last_new": h.last_new_at if h else None,
                "health": _health(h),
                "warning": h.warning if h else None,
            }
        )
    attention = sum(1 for row in listed if not row["health"].startswith(("ok", "never", "off")))
    off = sum(1 for row in listed if row["health"].startswith("off"))
    if fmt == "json":
        click.echo(json_text(listed, indent=2))
    else:
        columns = [
            Column("source", whole=True),
            Column("type"),
            Column("address", whole=True),
            Column("runs", numeric=True),
            Column("last crawl"),
            Column("last success"),
            Column("last new"),
            Column("health", whole=True),
        ]
        rows = [
            [
                row["source"],
                row["type"],
                row["address"],
                row["runs"],
                kst(row["last_crawl"]),
                kst(row["last_success"]),
                kst(row["last_new"]),
                row["health"],
            ]
            for row in listed
        ]
        print_table(columns, rows, title=f"{len(listed)} sources in {config.path} (times KST)")
    if attention or off:
        said = [f"{attention} source(s) need attention"] if attention else []
        said += [f"{off} source(s) off (see health)"] if off else []
        click.echo("; ".join(said) + ".", err=True)


def _health(h: Any) -> str:
    """A source's health in words: ok; failed at its last crawl, and since when; off; a warning."""
    from newswatch.tables import kst

    if h is None or not h.runs:
        return "never crawled"
    if h.warning:
        return f"WARNING: {h.warning}" + (f": {h.last_reason}" if h.last_reason else "")
    if h.last_status == "failed":
        return f"failed at its last crawl, since {kst(h.failing_since)}: {h.last_reason}"
    if h.last_status == "off":
        return f"off: {h.last_reason}"
    return "ok"


@cli.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--baseline",
    is_flag=True,
    help="Also run bare trafilatura.extract on the same pages and show both side by side.",
)
@click.option(
    "--top-only", is_flag=True, help="Read DIRECTORY only, not its subfolders (such as silver/)."
)
def evaluate(directory: Path, as_json: bool, baseline: bool, top_only: bool) -> None:
    """Score extraction on saved pages with reference text (NAME.html.gz + NAME.json pairs in
    DIRECTORY and its subfolders), per outlet and overall: silver references by recall, curated
    ones by F1.

    Example: newswatch eval ../shared/goldset --baseline
    """
    from crawler.evaluation import evaluate_dir, format_report, trafilatura_extractor

    report = evaluate_dir(directory, subfolders=not top_only)
    if not report.pages:
        raise click.ClickException(f"{directory}: no NAME.html.gz + NAME.json pairs found.")
    base = (
        evaluate_dir(directory, subfolders=not top_only, extractor=trafilatura_extractor)
        if baseline
        else None
    )
    if as_json:
        data = report.to_dict()
        if base:
            data["baseline"] = {"extractor": "trafilatura.extract", **base.to_dict()}
        click.echo(json_text(data, indent=2))
    else:
        click.echo(format_report(report, base))
    if report.failures:
        raise click.ClickException(
            f"{len(report.failures)} page(s) gave no article: {', '.join(report.failures)}"
        )


def _archive(config: Config) -> Archive:
    from archive import Archive
    from archive.watches import adopt_unnamed
    from crawler.watch import WatchRule

    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    try:
        archive = Archive(config.archive_path)
        adopt_unnamed(archive.db, WatchRule.of(config.watch.name, config.watch.terms))
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    return archive


WATCH_OPTION = click.option(
    "--watch",
    "watches",
    multiple=True,
    metavar="NAME",
    help="Only articles matching this watch (repeatable).",
)


def _filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--since/--until/--outlet/--source/--story, shared by search, export and stats."""
    options = [
        click.option(
            "--since", help="From this date on: YYYY-MM-DD, an ISO time, or 7d / 2w / 12h ago."
        ),
        click.option("--until", help="Up to and including this date (YYYY-MM-DD or ISO time)."),
        click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable)."),
        click.option(
            "--source", "sources", multiple=True, help="Only this config source (repeatable)."
        ),
        click.option("--story", type=int, help="Only articles of this story id."),
        WATCH_OPTION,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(
    since: str | None,
    until: str | None,
    outlets: tuple[str, ...],
    sources: tuple[str, ...],
    story: int | None,
    *,
    watches: tuple[str, ...] = (),
) -> Filters:
    from archive.query_language import Filters, QueryError, parse_when

    try:
        return Filters(
            since=parse_when(since) if since else None,
            until=parse_when(until, end=True) if until else None,
            outlets=outlets,
            sources=sources,
            story=story,
            watches=watches,
        )
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc


SEARCH_COLUMNS = (
    "id",
    "published_at",
    "outlet",
    "title",
    "url",
    "snippet",
    "author",
    "source",
    "story_id",
    "watches",
)


@cli.command()
@click.argument("query", required=False, default="")
@_filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--sort", type=click.Choice(["date", "relevance"]), default="date", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    help="Output format (default: table on a terminal, jsonl otherwise).",
)
@click.pass_context
def search(
    ctx: click.Context, query: str, limit: int, sort: str, fmt: str | None, **filters: Any
) -> None:
    """Search titles and texts: words, "phrases", OR, -exclusions; newest first.

    Without a query, --watch NAME lists that watch's articles, newest first.

    Example: newswatch search '엑사원 OR EXAONE -채용' --since 30d --outlet 연합뉴스
    """
    from archive.query_language import QueryError, parse_query
    from archive.search import search as run_search

    parsed = parse_query(query)
    if not parsed.groups and not parsed.excluded and not filters["watches"]:
        raise click.ClickException(
            'nothing to search for: give a word, a "phrase", words joined by OR, -word or '
            "--watch NAME (newswatch export lists everything)."
        )
    config = _config(ctx)
    with _archive(config) as archive:
        try:
            rows = run_search(archive.db, parsed, _filters(**filters), limit=limit, sort=sort)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from exc
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "table":
        _print_results(rows, parsed.pattern())
        return
    _utf8_stdout()  # files for other programs: UTF-8 whatever the locale says
    if fmt == "json":
        write_json(rows, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(rows, sys.stdout)
    else:
        write_csv(rows, sys.stdout, SEARCH_COLUMNS)


def _utf8_stdout() -> None:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", newline="")


SEARCH_TABLE = (
    Column("id", "value", "right"),
    Column("date (KST)", "value"),
    Column("outlet"),
    Column("title"),
    Column("link"),
    Column("snippet"),
    Column("watches"),
)


def _print_results(rows: list[dict[str, Any]], pattern: re.Pattern[str] | None) -> None:
    cells = []
    for row in rows:
        # Text(), never markup: titles and texts are untrusted page content.
        title, text = _text(row["title"]), _text(row["snippet"])
        if pattern is not None:
            title.highlight_regex(pattern, "bold reverse")
            text.highlight_regex(pattern, "bold reverse")
        watches = ", ".join(row.get("watches") or [])
        cells.append(
            (
                row["id"],
                kst_time(row["published_at"]),
                row["outlet"],
                title,
                row["url"],
                text,
                watches,
            )
        )
    print_table(SEARCH_TABLE, cells)
    if not rows:
        click.echo("no articles match.", err=True)


@cli.command()
@click.argument("article_id", metavar="ID", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def show(ctx: click.Context, article_id: int, fmt: str) -> None:
    """Print one article in full with its other URLs, versions and story.

    Example: newswatch show 42
    """
    from archive.queries import article_in_full

    with _archive(_config(ctx)) as archive:
        article = article_in_full(archive.db, article_id)
    if article is None:
        raise click.ClickException(f"no article with id {article_id} in the archive.")
    if fmt == "json":
        click.echo(json_text(article, indent=2))
        return
    out = console()
    out.print(_text(article["title"], "bold"))
    times = {"published_at", "modified_at", "first_seen_at"}
    for label, key in (
        ("published (KST)", "published_at"),
        ("modified (KST)", "modified_at"),
        ("outlet", "outlet"),
        ("author", "author"),
        ("url", "url"),
        ("first seen (KST)", "first_seen_at"),
        ("source", "source"),
    ):
        if article.get(key):
            value = kst_time(article[key]) if key in times else article[key]
            out.print(Text(f"{label}: ", style="dim") + _text(value))
    if article["watches"]:
        matched = ", ".join(f"{w['watch']} ({w['matched_in']})" for w in article["watches"])
        out.print(Text("watches: ", style="dim") + _text(matched))
    out.print()
    out.print(_text(article["text"]))
    others = [u for u in article["urls"] if u != article["url"]]
    if others:
        out.print(Text("\nalso seen at:", style="dim"))
        for url in others:
            out.print(_text(f"  {url}"))
    if article["versions"]:
        out.print(Text(f"\nversions: {len(article['versions'])}", style="dim"))
        for version in article["versions"]:
            fields = {k: v for k, v in version.items() if not isinstance(v, bytes) and k != "text"}
            out.print(_text("  " + json_text(fields)))
    story = article["story"]
    if story:
        out.print(Text(f"\nstory #{story['id']}: ", style="dim") + _text(story.get("title")))
        if story.get("label"):
            out.print(Text("about: ", style="dim") + _text(" · ".join(story["label"])))
        for other in story["articles"]:
            mark = "*" if other["id"] == article_id else " "
            when = kst_time(other["published_at"])
            out.print(
                _text(f" {mark} {other['id']:>6}  {when:<16}  {other['outlet'] or ''}  ")
                + _text(other["title"])
            )


EXPORT_COLUMNS = (
    "id",
    "published_at",
    "modified_at",
    "outlet",
    "author",
    "title",
    "url",
    "text",
    "story_id",
    "first_seen_at",
    "source",
    "original_url",
    "watches",
)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["atom", "jsonl", "csv"]), required=True)
@click.option(
    "--query", default="", help="Only articles matching this search (same syntax as search)."
)
@_filter_options
@click.option(
    "--limit", default=0, type=click.IntRange(0), help="At most this many, newest first (0: all)."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.pass_context
def export(
    ctx: click.Context, fmt: str, query: str, limit: int, out: Path | None, **filters: Any
) -> None:
    """Write the archive, or a filtered part, as an Atom feed, JSON lines or CSV.

    Example: newswatch export --format atom --since 30d --out coverage.atom
    """
    from archive.query_language import QueryError, parse_query
    from archive.search import iter_articles

    config = _config(ctx)
    parsed = parse_query(query)
    chosen = _filters(**filters)
    with _archive(config) as archive:
        rows = iter_articles(archive.db, parsed, chosen, limit=limit)
        try:
            if out is None:
                _export(fmt, rows, sys.stdout.buffer, config=config, query=query, chosen=chosen)
            else:
                _export_to_file(fmt, rows, out, config=config, query=query, chosen=chosen)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from exc


def _export(
    fmt: str,
    rows: Iterator[dict[str, Any]],
    out: IO[bytes],
    *,
    config: Config,
    query: str,
    chosen: Filters,
) -> None:
    if fmt == "atom":
        title = f"newswatch: {config.watch.name}" + (f" — {query}" if query else "")
        write_atom(
            rows, out, title=title, feed_key=f"{config.archive_path.resolve()}|{query}|{chosen}"
        )
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "jsonl":
            write_jsonl(rows, text)
        else:
            write_csv(rows, text, EXPORT_COLUMNS)
        text.flush()
    finally:
        text.detach()


def _export_to_file(
    fmt: str,
    rows: Iterator[dict[str, Any]],
    out: Path,
    *,
    config: Config,
    query: str,
    chosen: Filters,
) -> None:
    # Write beside the target and rename: a failed export never leaves a half-written file.
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as handle:
            _export(fmt, rows, handle, config=config, query=query, chosen=chosen)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@cli.command()
@click.option("--since", help="From this date on: YYYY-MM-DD, an ISO time, or 7d / 2w / 12h ago.")
@click.option("--until", help="Up to and including this date.")
@click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only this config source (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@WATCH_OPTION
@click.option(
    "--by",
    type=click.Choice(["outlet", "watch"]),
    default="outlet",
    show_default=True,
    help="watch: articles per watch per week.",
)
@click.pass_context
def stats(ctx: click.Context, fmt: str, by: str, **filters: Any) -> None:
    """Count archived articles per outlet and per week (weeks start on Monday, KST).

    Example: newswatch stats --since 2025-01-01; newswatch stats --by watch
    """
    from archive.queries import stats as archive_stats
    from newswatch.watches import print_by_watch

    if by == "watch":
        with _archive(_config(ctx)) as archive:
            print_by_watch(archive.db, _filters(**filters, story=None), fmt)
        return
    with _archive(_config(ctx)) as archive:
        found = archive_stats(archive.db, _filters(**filters, story=None))
    if fmt == "json":
        click.echo(json_text(found.to_dict(), indent=2))
        return
    print_table(
        (
            Column("outlet"),
            Column("articles", "value", "right"),
            Column("first", "value"),
            Column("last", "value"),
        ),
        [
            (row["outlet"], row["articles"], (row["first"] or "")[:10], (row["last"] or "")[:10])
            for row in found.outlets
        ],
        title=f"{found.total} articles by outlet",
    )
    weeks = [(row["week"], row["articles"]) for row in found.weeks]
    if found.undated:
        weeks.append(("no date", found.undated))
    if not on_terminal():
        click.echo()  # a blank line between the two tables
    print_table(
        (Column("week", "value"), Column("articles", "value", "right")),
        weeks,
        title="by week (Monday, KST)",
    )


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write.",
)
@click.option(
    "--latest",
    default=20,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Latest articles listed.",
)
@click.option(
    "--stories",
    "n_stories",
    default=10,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Top stories listed.",
)
@WATCH_OPTION
@click.pass_context
def report(
    ctx: click.Context, out: Path, latest: int, n_stories: int, watches: tuple[str, ...]
) -> None:
    """Write one self-contained HTML page: weekly chart by outlet, top stories, latest articles.

    Example: newswatch report --out coverage.html
    """
    from archive import now_kst
    from archive.queries import stats as archive_stats
    from archive.queries import top_stories
    from archive.query_language import Query
    from archive.search import iter_articles
    from archive.words import recent_trends
    from newswatch.report import COLOURS, render_report
    from newswatch.watches import share_of_voice, share_section

    config = _config(ctx)
    chosen = _filters(None, None, (), (), None, watches=watches)
    with _archive(config) as archive:
        page = render_report(
            archive_stats(archive.db, chosen),
            top_stories(archive.db, n_stories, chosen) if n_stories else [],
            list(iter_articles(archive.db, Query(), chosen, limit=latest)) if latest else [],
            title=f"newswatch: {', '.join(watches or [w.name for w in config.watches])}",
            generated_at=now_kst(),
            share_of_voice=share_section(share_of_voice(archive.db, chosen), COLOURS),
            rising=recent_trends(archive.db),
        )
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_text(page, encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    click.echo(f"wrote {out}", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Browse the archive in Datasette (read-only): search, facets, canned queries.

    Example: newswatch serve --port 8001
    """
    from newswatch.serve import serve as run_datasette

    config = _config(ctx)
    with _archive(config) as archive:  # exists, opens, is migrated, and its search index is full
        archive.index_search()
    run_datasette(config.archive_path, host=host, port=port)


@cli.group()
def alerts() -> None:
    """Alerts: send a test message, deliver the outbox, show what was sent or failed."""


@alerts.command("test")
@click.option("--channel", "channel_url", help="An apprise URL to try instead of the config's.")
@click.pass_context
def alerts_test(ctx: click.Context, channel_url: str | None) -> None:
    """Send a sample message to every configured channel (or to --channel URL) now.

    Example: newswatch alerts test --channel 'json://127.0.0.1:8080/hook'
    """
    from alerts import send_test
    from newswatch.config import parse_config

    config = _config(ctx)
    channels = config.alerts
    if channel_url:
        try:
            channels = parse_config(
                {"watch": {"terms": ["x"]}, "alerts": [{"url": channel_url}]}, Path("--channel")
            ).alerts
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from exc
    if not channels:
        raise ConfigProblem(
            f"{config.path}: no [[alerts]] channel configured; add one or use --channel URL."
        )
    results = send_test(channels)
    for name, error in results.items():
        click.echo(terminal_safe(f"{name}: {'sent' if error is None else 'FAILED: ' + error}"))
    failures = [name for name, error in results.items() if error is not None]
    if failures:
        raise click.ClickException(f"{len(failures)} channel(s) failed: {', '.join(failures)}")


@alerts.command("send")
@click.pass_context
def alerts_send(ctx: click.Context) -> None:
    """Deliver the outbox now: every channel's due messages, with retries and backoff.

    Example: newswatch alerts send
    """
    from alerts import deliver

    config = _config(ctx)
    if not config.alerts:
        raise ConfigProblem(f"{config.path}: no [[alerts]] channel configured.")
    _print_delivery(deliver(config))


@alerts.command("status")
@click.pass_context
def alerts_status(ctx: click.Context) -> None:
    """Show pending, sent and failed messages per channel, and why the failed ones failed.

    Example: newswatch alerts status
    """
    from alerts.status import outbox_status

    config = _config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    counts, failed = outbox_status(config)
    print_table(
        (
            Column("channel"),
            *(Column(name, "value", "right") for name in ("pending", "sent", "failed")),
        ),
        [(row["label"], *(row[c] or 0 for c in ("pending", "sent", "failed"))) for row in counts],
        title="alert outbox",
    )
    for row in failed:
        # The error is a server's answer and the key an article's address: untrusted text.
        click.echo(
            terminal_safe(
                f"failed: {row['channel_label']} {row['kind']} {row['story_key']} after"
                f" {row['attempts']} attempts: {row['last_error']}"
            )
        )


def _print_delivery(report: Any) -> None:
    for channel in report.channels:
        line = f"alerts: {channel.label}: {channel.sent} sent"
        if channel.failed_attempts:
            line += f", {channel.failed_attempts} failed (will retry): {channel.error}"
        click.echo(terminal_safe(line), err=bool(channel.failed_attempts))  # errors quote servers


@cli.command()
@click.option(
    "--since",
    metavar="DATE",
    help="Only stories that gained an article on or after DATE (YYYY-MM-DD, KST).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@WATCH_OPTION
@click.pass_context
def stories(ctx: click.Context, since: str | None, fmt: str, watches: tuple[str, ...]) -> None:
    """List stories with their outlets and article counts, latest activity first.

    Example: newswatch stories --since 2025-07-01
    """
    from datetime import date

    from archive import Archive
    from archive.stories import list_stories

    if since is not None:
        try:
            date.fromisoformat(since)
        except ValueError as exc:
            raise click.ClickException(f"--since {since!r} is not a date like 2025-07-01.") from exc
    config = _config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    with Archive(config.archive_path) as archive:
        found = list_stories(archive, since=since, watches=watches)
    if fmt == "json":
        click.echo(json_text(found, indent=2))
        return
    if not found:
        click.echo("no stories" + (f" since {since}" if since else "") + ".")
        return
    print_table(
        (
            Column("story", "value", "right"),
            Column("last seen (KST)", "value"),
            Column("articles", "value", "right"),
            Column("copies", "value", "right"),
            Column("outlets"),
            Column("title"),
            Column("ids"),
            Column("about"),
        ),
        [
            (
                story["id"],
                kst_time(story["last_seen_at"]),
                story["article_count"],
                story["copies"],
                ", ".join(story["outlets"]),
                story["title"],  # untrusted page text: print_table never reads it as markup
                _article_ids(story["article_ids"]),
                " · ".join(story["label"]),
            )
            for story in found
        ],
    )


def _article_ids(ids: list[int], shown: int = 10) -> str:
    """The first `shown` ids of a story's articles; `show` on any of them lists the rest."""
    more = len(ids) - shown
    return " ".join(map(str, ids[:shown])) + (f" +{more} more" if more > 0 else "")


@cli.command()
@click.pass_context
def schedule(ctx: click.Context) -> None:
    """Run crawls and alert delivery on their schedules, in the foreground, until Ctrl-C or SIGTERM.

    Example: newswatch --config /etc/newswatch.toml schedule
    """
    import scheduler

    config = _config(ctx)
    try:
        status = scheduler.run(config)
    except OSError as exc:
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    sys.exit(status)


@cli.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def runs(ctx: click.Context, limit: int, fmt: str) -> None:
    """Show the most recent crawl runs, one line per source: start, duration, status, counts.

    Example: newswatch runs --limit 5
    """
    from archive import Archive
    from archive.runs import interrupt_abandoned, recent_runs
    from newswatch.locks import crawl_running
    from newswatch.tables import Column, kst, print_table, safe

    config = _config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    with Archive(config.archive_path) as archive:
        if not crawl_running(config.archive_path):  # rows a killed crawl left 'running'
            interrupt_abandoned(archive.db)
        rows = recent_runs(archive.db, limit=limit)
    if fmt == "json":
        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        click.echo("no crawl runs yet.")
        return
    counts = {  # column heading: crawl_run_sources column
        "found": "discovered",
        "fetched": "fetched",
        "new": "new",
        "dup": "duplicates",
        "irrel": "irrelevant",
        "refused": "refused",
        "failed": "failed",
    }
    columns = [
        Column("run", numeric=True),
        Column("started"),
        Column("took", numeric=True),
        Column("run status"),
        Column("source", whole=True),
        Column("status"),
        *(Column(heading, numeric=True) for heading in counts),
        Column("reason", whole=True),
    ]
    table = []
    for run in rows:
        duration = "-" if run.get("duration_s") is None else f"{run['duration_s']:.1f}s"
        head = [run["id"], kst(run["started_at"]), duration, run["status"]]
        per_source = run["sources"] or [{"source": run.get("source_filter") or "(all)"}]
        for row in per_source:
            table.append(
                [
                    *head,
                    row["source"],
                    row.get("status") or "",
                    *(row.get(name) or 0 for name in counts.values()),
                    row.get("reason") or "",
                ]
            )
    print_table(columns, table, title=f"crawl runs in {config.archive_path}")
    for run in rows:
        if run.get("detail"):
            # Details and source names come from files and pages: filtered for the terminal.
            click.echo(safe(f"run {run['id']} {run['status']}: {run['detail']}"))


# Watch commands live in newswatch/watches.py.
cli.add_command(rematch_command)


# Korean words, story labels and trends (newswatch/words.py).
cli.add_command(words_command)
cli.add_command(trends_command)


def main() -> None:
    obj: dict[str, Any] = {}
    try:
        cli(obj=obj)
    except sqlite3.Error as exc:
        # Whatever command met it (a read-only file system, a full disk, a file that is no
        # database): one line naming the archive, never a traceback.
        config = obj.get("config")
        where = f" {config.archive_path}" if config is not None else ""
        name = getattr(exc, "sqlite_errorname", "")
        click.echo(
            f"Error: cannot use the archive{where}: {exc}" + (f" ({name})" if name else ""),
            err=True,
        )
        sys.exit(1)
