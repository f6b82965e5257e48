"""The `newswatch` command: a thin layer of click commands over the library functions."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswatch.config import Config, ConfigError, load_config


class ConfigProblem(click.ClickException):
    """A configuration error: one sentence, exit status 2, nothing touched."""

    exit_code = 2


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
@click.pass_context
def crawl(ctx: click.Context, verbose: int, alert_backfill: bool, only: tuple[str, ...]) -> None:
    """Crawl every configured source once and archive new relevant articles.

    Example: newswatch --config newswatch.toml crawl
    """
    from newswatch.crawl import run_crawl  # Scrapy is heavy; load it only for commands that crawl
    from scheduler import stop_with_parent

    config = _config(ctx)
    stop_with_parent()  # a crawl the scheduler started ends with it, even after its kill -9
    level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
    try:
        result = run_crawl(
            config,
            log_level=level,
            progress=sys.stderr.isatty() and verbose == 0,
            alert_backfill=alert_backfill,
            only=only,
        )
    except KeyError as exc:
        raise ConfigProblem(
            f"no source named {exc.args[0]} in {config.path}; see its [[sources]] names."
        ) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    _print_run(result.run, config)
    if config.alerts:
        from alerts import deliver

        _print_delivery(deliver(config))
    if result.run.get("status") != "ok":
        raise click.ClickException(
            f"the crawl did not finish: {result.run.get('detail') or 'failed'}"
        )


def _print_run(run: dict[str, Any], config: Config) -> None:
    table = Table(
        title=f"crawl #{run.get('id', '?')} into {config.archive_path}", title_justify="left"
    )
    columns = (
        "discovered",
        "known",
        "fetched",
        "new",
        "duplicates",
        "irrelevant",
        "not_article",
        "refused",
        "failed",
    )
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


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, fmt: str) -> None:
    """Search archived titles and texts, newest first.

    Example: newswatch search 엑사원 --limit 5
    """
    from archive import Archive

    config = _config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    with Archive(config.archive_path) as archive:
        rows = archive.search(query, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for column in ("id", "published_at", "outlet", "title", "url"):
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        # Text(), not str: page titles are untrusted and must not be read as rich markup.
        table.add_row(
            *(Text(str(row[c] or "")) for c in ("id", "published_at", "outlet", "title", "url"))
        )
    Console().print(table)


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
    for column in ("id", "last seen", "articles", "copies", "outlets", "title"):
        table.add_column(column, overflow="fold")
    for story in found:
        table.add_row(
            str(story["id"]),
            Text(story["last_seen_at"]),
            str(story["article_count"]),
            str(story["copies"]),
            Text(", ".join(story["outlets"])),
            Text(story["title"]),  # untrusted page text: never rich markup
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


def main() -> None:
    cli(obj={})
