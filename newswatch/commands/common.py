"""What the command groups share: the one config loader and its error, opening the archive, the
filter options of search, export and stats, and the lines alert delivery prints (crawl, alerts)."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from newswatch.config import Config, ConfigError, load_config
from newswatch.display import terminal_safe

if TYPE_CHECKING:
    from archive import Archive
    from archive.query_language import Filters


class ConfigProblem(click.ClickException):
    """A configuration error: one sentence, exit status 2, nothing touched."""

    exit_code = 2


def open_config(ctx: click.Context) -> Config:
    try:
        config = load_config(ctx.obj["config_path"])
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc
    ctx.obj["config"] = config  # main() names its archive if an archive error escapes a command
    return config


def open_archive(config: Config) -> Archive:
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


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
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


def filters_of(
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


def utf8_stdout() -> None:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", newline="")


def print_delivery(report: Any) -> None:
    for channel in report.channels:
        line = f"alerts: {channel.label}: {channel.sent} sent"
        if channel.failed_attempts:
            line += f", {channel.failed_attempts} failed (will retry): {channel.error}"
        click.echo(terminal_safe(line), err=bool(channel.failed_attempts))  # errors quote servers
