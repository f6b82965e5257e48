"""The `newswatch` command: a thin layer of click commands over the library functions."""

from __future__ import annotations

import gzip
import io
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswatch.config import Config, ConfigError, load_config
from newswatch.formats import write_atom, write_csv, write_json, write_jsonl
from newswatch.words import start_words_after_crawl
from newswatch.words import trends as trends_command
from newswatch.words import words as words_command

if TYPE_CHECKING:
    from archive import Archive
    from archive.queries import Filters


class ConfigProblem(click.ClickException):
    """A configuration error: one sentence, exit status 2, nothing touched."""

    exit_code = 2


class CrawlRefused(click.ClickException):
    """Another crawl holds the archive and --no-wait was given: EX_TEMPFAIL, try again later."""

    exit_code = 75


# Terminal control characters (ESC sequences, bells, C1) and bidi overrides from page content would
# recolour, move or reorder the terminal's output; they are shown as nothing.
_TERMINAL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _text(value: object, style: str = "") -> Text:
    """Untrusted content for the terminal: a rich Text (never markup) without control characters."""
    return Text(_TERMINAL_UNSAFE.sub("", str(value if value is not None else "")), style=style)


def _config(ctx: click.Context) -> Config:
    try:
        return load_config(ctx.obj["config_path"])
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc


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


@cli.command()
@click.option(
    "-v", "--verbose", count=True, help="Log more: -v for each article, -vv for Scrapy's debug log."
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
@click.pass_context
def crawl(
    ctx: click.Context, verbose: int, alert_backfill: bool, only: tuple[str, ...], wait: bool
) -> None:
    """Crawl every configured source once and archive new relevant articles.

    Example: newswatch --config newswatch.toml crawl
    """
    from crawler.workers import start_fork_server

    config = _config(ctx)
    # First, so the workers' imports run on the other core while this process imports Scrapy.
    start_fork_server(config.crawl.extract_workers)
    from newswatch.crawl import (  # Scrapy is heavy; load it for crawls only
        CrawlBusyError,
        run_crawl,
    )
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
        raise ConfigProblem(
            f"no source named {exc.args[0]} in {config.path}; see its [[sources]] names."
        ) from exc
    except (OSError, sqlite3.Error) as exc:  # sqlite3: a full disk, an I/O error, not a database
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    _print_run(result.run, config)
    start_words_after_crawl(config, result.run)
    if config.alerts:
        from alerts import deliver

        _print_delivery(deliver(config))
    if result.run.get("status") != "ok":
        raise click.ClickException(
            f"the crawl did not finish: {result.run.get('detail') or 'failed'}"
        )


def _print_run(run: dict[str, Any], config: Config) -> None:
    from archive.store import PAGE_COUNTS

    table = Table(
        title=f"crawl #{run.get('id', '?')} into {config.archive_path}", title_justify="left"
    )
    columns = PAGE_COUNTS
    table.add_column("source")
    for name in columns:
        table.add_column(name.replace("_", " "), justify="right")
    for row in run.get("sources", []):
        table.add_row(Text(row["source"]), *(str(row.get(name) or 0) for name in columns))
    Console().print(table)


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
    click.echo(json.dumps({k: data[k] for k in keys}, ensure_ascii=False, indent=2))


@cli.command()
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the configured sources with their last crawl, last new article and health.

    Example: newswatch sources
    """
    from archive import Archive
    from archive.health import source_health

    config = _config(ctx)
    health = {}
    if config.archive_path.exists():
        with Archive(config.archive_path) as archive:
            health = {h.name: h for h in source_health(archive, [s.name for s in config.sources])}
    table = Table(title=f"{len(config.sources)} sources in {config.path}", title_justify="left")
    for column in (
        "source",
        "type",
        "address",
        "runs",
        "last crawl",
        "last success",
        "last new",
        "health",
    ):
        table.add_column(column, overflow="fold")
    warnings = 0
    for source in config.sources:
        h = health.get(source.name)
        address = source.url or source.endpoint
        status = Text("never crawled", style="dim")
        if h and h.warning:
            warnings += 1
            status = Text(f"WARNING: {h.warning}", style="bold red")
        elif h and h.runs:
            status = Text("ok", style="green")
        table.add_row(
            Text(source.name),
            source.type,
            Text(address),
            str(h.runs if h else 0),
            (h.last_run_at if h else None) or "-",
            (h.last_success_at if h else None) or "-",
            (h.last_new_at if h else None) or "-",
            status,
        )
    Console().print(table)
    if warnings:
        click.echo(f"{warnings} source(s) need attention.", err=True)


@cli.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def evaluate(directory: Path, as_json: bool) -> None:
    """Score extraction on saved pages with reference text (NAME.html.gz + NAME.json pairs).

    Example: newswatch eval ../shared/goldset
    """
    from crawler.evaluation import evaluate_dir, format_report

    report = evaluate_dir(directory)
    if not report.pages:
        raise click.ClickException(f"{directory}: no NAME.html.gz + NAME.json pairs found.")
    click.echo(report.to_json() if as_json else format_report(report))
    if report.failures:
        raise click.ClickException(
            f"{len(report.failures)} page(s) gave no article: {', '.join(report.failures)}"
        )


def _archive(config: Config) -> Archive:
    from archive import Archive

    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    try:
        return Archive(config.archive_path)
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc


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
) -> Filters:
    from archive.queries import Filters, QueryError, parse_when

    try:
        return Filters(
            since=parse_when(since) if since else None,
            until=parse_when(until, end=True) if until else None,
            outlets=outlets,
            sources=sources,
            story=story,
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
)


@cli.command()
@click.argument("query")
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

    Example: newswatch search '엑사원 OR EXAONE -채용' --since 30d --outlet 연합뉴스
    """
    from archive.queries import QueryError, parse_query
    from archive.queries import search as run_search

    parsed = parse_query(query)
    if not parsed.groups and not parsed.excluded:
        raise click.ClickException(
            'nothing to search for: give a word, a "phrase", words joined by OR, or -word '
            "(newswatch export lists everything)."
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


def _print_results(rows: list[dict[str, Any]], pattern: re.Pattern[str] | None) -> None:
    table = Table(show_lines=True)
    table.add_column("date (KST)", no_wrap=True)
    table.add_column("outlet")
    table.add_column("title", overflow="fold")
    table.add_column("link", overflow="fold")
    table.add_column("snippet", overflow="fold")
    for row in rows:
        # Text(), never markup: titles and texts are untrusted page content.
        title, text = _text(row["title"]), _text(row["snippet"])
        if pattern is not None:
            title.highlight_regex(pattern, "bold reverse")
            text.highlight_regex(pattern, "bold reverse")
        when = (row["published_at"] or "")[:16].replace("T", " ")
        table.add_row(_text(when), _text(row["outlet"]), title, _text(row["url"]), text)
    Console().print(table)
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
        click.echo(json.dumps(article, ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    console.print(_text(article["title"], "bold"))
    for label, key in (
        ("published", "published_at"),
        ("modified", "modified_at"),
        ("outlet", "outlet"),
        ("author", "author"),
        ("url", "url"),
        ("first seen", "first_seen_at"),
        ("source", "source"),
    ):
        if article.get(key):
            console.print(Text(f"{label}: ", style="dim") + _text(article[key]))
    console.print()
    console.print(_text(article["text"]))
    others = [u for u in article["urls"] if u != article["url"]]
    if others:
        console.print(Text("\nalso seen at:", style="dim"))
        for url in others:
            console.print(_text(f"  {url}"))
    if article["versions"]:
        console.print(Text(f"\nversions: {len(article['versions'])}", style="dim"))
        for version in article["versions"]:
            fields = {k: v for k, v in version.items() if not isinstance(v, bytes) and k != "text"}
            console.print(_text("  " + json.dumps(fields, ensure_ascii=False, default=str)))
    story = article["story"]
    if story:
        console.print(Text(f"\nstory #{story['id']}: ", style="dim") + _text(story.get("title")))
        if story.get("label"):
            console.print(Text("about: ", style="dim") + _text(" · ".join(story["label"])))
        for other in story["articles"]:
            mark = "*" if other["id"] == article_id else " "
            when = (other["published_at"] or "")[:16].replace("T", " ")
            console.print(
                _text(f" {mark} {other['id']:>6}  {when}  {other['outlet'] or ''}  ")
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
    from archive.queries import QueryError, iter_articles, parse_query

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
@click.pass_context
def stats(ctx: click.Context, fmt: str, **filters: Any) -> None:
    """Count archived articles per outlet and per week (weeks start on Monday, KST).

    Example: newswatch stats --since 2025-01-01
    """
    from archive.queries import stats as archive_stats

    with _archive(_config(ctx)) as archive:
        found = archive_stats(archive.db, _filters(**filters, story=None))
    if fmt == "json":
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    console = Console()
    outlets = Table(title=f"{found.total} articles by outlet", title_justify="left")
    for name in ("outlet", "articles", "first", "last"):
        outlets.add_column(name, justify="right" if name == "articles" else "left")
    for row in found.outlets:
        outlets.add_row(
            _text(row["outlet"]),
            str(row["articles"]),
            (row["first"] or "")[:10],
            (row["last"] or "")[:10],
        )
    console.print(outlets)
    weeks = Table(title="by week (Monday, KST)", title_justify="left")
    weeks.add_column("week")
    weeks.add_column("articles", justify="right")
    for row in found.weeks:
        weeks.add_row(row["week"], str(row["articles"]))
    if found.undated:
        weeks.add_row("no date", str(found.undated))
    console.print(weeks)


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
@click.pass_context
def report(ctx: click.Context, out: Path, latest: int, n_stories: int) -> None:
    """Write one self-contained HTML page: weekly chart by outlet, top stories, latest articles.

    Example: newswatch report --out coverage.html
    """
    from archive import now_kst
    from archive.queries import Query, iter_articles, top_stories
    from archive.queries import stats as archive_stats
    from archive.words import recent_trends
    from newswatch.report import render_report

    config = _config(ctx)
    with _archive(config) as archive:
        page = render_report(
            archive_stats(archive.db),
            top_stories(archive.db, n_stories) if n_stories else [],
            list(iter_articles(archive.db, Query(), limit=latest)) if latest else [],
            title=f"newswatch: {config.watch.name}",
            generated_at=now_kst(),
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
        click.echo(f"{name}: {'sent' if error is None else 'FAILED: ' + error}")
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
    table = Table(title="alert outbox", title_justify="left")
    for column in ("channel", "pending", "sent", "failed"):
        table.add_column(
            column, justify="left" if column == "channel" else "right", overflow="fold"
        )
    for row in counts:
        table.add_row(
            Text(row["label"]), *(str(row[c] or 0) for c in ("pending", "sent", "failed"))
        )
    Console().print(table)
    for row in failed:
        click.echo(
            f"failed: {row['channel_label']} {row['kind']} {row['story_key']} after"
            f" {row['attempts']} attempts: {row['last_error']}"
        )


def _print_delivery(report: Any) -> None:
    for channel in report.channels:
        line = f"alerts: {channel.label}: {channel.sent} sent"
        if channel.failed_attempts:
            line += f", {channel.failed_attempts} failed (will retry): {channel.error}"
        click.echo(line, err=bool(channel.failed_attempts))


@cli.command()
@click.option(
    "--since",
    metavar="DATE",
    help="Only stories that gained an article on or after DATE (YYYY-MM-DD, KST).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def stories(ctx: click.Context, since: str | None, fmt: str) -> None:
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
        found = list_stories(archive, since=since)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no stories" + (f" since {since}" if since else "") + ".")
        return
    table = Table()
    for column in ("id", "last seen", "articles", "copies", "outlets", "title", "about"):
        table.add_column(column, overflow="fold")
    for story in found:
        table.add_row(
            str(story["id"]),
            Text(story["last_seen_at"]),
            str(story["article_count"]),
            str(story["copies"]),
            Text(", ".join(story["outlets"])),
            Text(story["title"]),  # untrusted page text: never rich markup
            Text(" · ".join(story["label"])),
        )
    Console().print(table)


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
@click.pass_context
def runs(ctx: click.Context, limit: int) -> None:
    """Show the most recent crawl runs, one line per source: start, duration, status, counts.

    Example: newswatch runs --limit 5
    """
    from archive import Archive
    from archive.runs import recent_runs

    config = _config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    with Archive(config.archive_path) as archive:
        rows = recent_runs(archive.db, limit=limit)
    counts = {  # column heading: crawl_run_sources column
        "found": "discovered",
        "fetched": "fetched",
        "new": "new",
        "dup": "duplicates",
        "irrel": "irrelevant",
        "refused": "refused",
        "failed": "failed",
    }
    table = Table(
        title=f"crawl runs in {config.archive_path} (KST)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 0),  # one space between columns: twelve of them fit in 80 characters
    )
    for column in ("run", "started", "took", "status", "source"):
        table.add_column(column, no_wrap=column != "source", overflow="fold")
    for heading in counts:
        table.add_column(heading, justify="right", no_wrap=True)
    for run in rows:
        duration = "" if run.get("duration_s") is None else f"{run['duration_s']:.1f}s"
        started = str(run["started_at"]).replace("T", " ")[5:19]  # MM-DD HH:MM:SS, KST as stored
        head = (str(run["id"]), started, duration, str(run["status"]))
        per_source = run["sources"] or [{"source": run.get("source_filter") or "(all)"}]
        for row in per_source:
            table.add_row(
                *(Text(cell) for cell in head),
                Text(str(row["source"])),
                *(str(row.get(name) or 0) for name in counts.values()),
            )
    console = Console()
    console.print(table)
    for run in rows:
        if run.get("detail"):
            # Text(): details and source names come from files and pages, never rich markup.
            console.print(Text(f"run {run['id']} {run['status']}: {run['detail']}"))
    if not rows:
        click.echo("no crawl runs yet.")


# Korean words, story labels and trends (newswatch/words.py).
cli.add_command(words_command)
cli.add_command(trends_command)


def main() -> None:
    cli(obj={})
