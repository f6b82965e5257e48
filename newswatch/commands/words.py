"""`newswatch words` and `newswatch trends`: the archive's Korean words, story labels and trends.

The analysis itself is newswatch/words.py; these commands run it and print what it stored.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from newswatch.commands.common import open_config
from newswatch.config import Config
from newswatch.words import analyse_archive

if TYPE_CHECKING:
    from archive import words as archive_words


def _open_config(ctx: click.Context) -> Config:
    config = open_config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    return config


@click.command()
@click.option("--backfill", is_flag=True, help="Analyse every article that has no words yet.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--article", "article_id", type=int, help="Print one article's words.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.pass_context
def words(
    ctx: click.Context, backfill: bool, quiet: bool, article_id: int | None, limit: int
) -> None:
    """Korean content words: analyse the archive, or show its most common words.

    Example: newswatch words --backfill
    """
    from archive import Archive
    from archive import words as archive_words

    config = _open_config(ctx)
    if backfill:
        _backfill(config, quiet=quiet)
        return
    with Archive(config.archive_path) as archive:
        if article_id is not None:
            rows = archive_words.article_words(archive.db, article_id)
            heading = f"words of article {article_id}"
        else:
            rows = archive_words.top_words(archive.db, limit)
            heading = "articles"
        pending = archive_words.count_pending(archive.db)
        analysed = archive_words.analysed_count(archive.db)
    table = Table("word", heading, box=None)
    for word, n in rows[:limit]:
        table.add_row(Text(word), str(n))
    console = Console()
    console.print(table)
    console.print(
        Text(f"{analysed} articles analysed, {pending} waiting", style="dim")
        + Text("; run 'newswatch words --backfill'" if pending else "", style="dim")
    )


def _backfill(config: Config, *, quiet: bool) -> None:
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet or not console.is_terminal,  # a pipe or a log gets only the last line
        transient=True,
    )
    task = progress.add_task("analysing", total=None)
    with progress:
        result = analyse_archive(
            config,
            on_start=lambda total: progress.update(task, total=total),
            on_batch=lambda n: progress.advance(task, n),
        )
    if not quiet:
        click.echo(
            f"analysed {result.articles} articles in {result.seconds:.1f} s"
            f" ({result.rate:.0f} articles/s)",
            err=True,
        )


@click.command()
@click.option(
    "--since",
    help="The week to look at: the week of this date (YYYY-MM-DD; default: this week).",
)
@click.option(
    "--weeks",
    default=4,
    show_default=True,
    type=click.IntRange(1, 520),
    help="Previous weeks to compare against.",
)
@click.option("--with", "with_word", help="Words that appear in the same articles as this one.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def trends(
    ctx: click.Context,
    *,
    since: str | None,
    weeks: int,
    with_word: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Rising words: whose share of articles rose most this week against the weeks before.

    Example: newswatch trends --since 2025-07-14 --weeks 4; newswatch trends --with 엑사원
    """
    from archive import Archive, now_kst
    from archive import words as archive_words

    config = _open_config(ctx)
    week = archive_words.week_of(_day(since) if since else now_kst()[:10])
    with Archive(config.archive_path) as archive:
        pending = archive_words.count_pending(archive.db)
        if with_word:
            start = archive_words.week_of(_day(since)) if since else None
            total, found = archive_words.related(
                archive.db, with_word, since_week=start, limit=limit
            )
            _print_related(with_word, total, found, fmt)
        else:
            _print_trends(archive_words.trends(archive.db, week, weeks=weeks, limit=limit), fmt)
    if pending and fmt == "table":
        click.echo(
            f"{pending} articles have no words yet; run 'newswatch words --backfill'.", err=True
        )


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--since"
        ) from None


def _print_trends(found: archive_words.Trends, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(
        Text(
            f"week of {found.week}: {found.articles} articles, against {found.before} in the"
            f" {found.weeks} weeks before",
            style="bold",
        )
    )
    if not found.rising:
        console.print("no rising words.")
        return
    table = Table("word", "articles", "share", "before", "share before", "score", box=None)
    for t in found.rising:
        table.add_row(
            Text(t.word),
            str(t.articles),
            f"{t.share:.1%}",
            str(t.before),
            f"{t.before_share:.1%}",
            f"{t.score:.1f}",
        )
    console.print(table)


def _print_related(word: str, total: int, found: list[archive_words.Related], fmt: str) -> None:
    if fmt == "json":
        click.echo(
            json.dumps(
                {"word": word, "articles": total, "related": [r.to_dict() for r in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console = Console()
    if not total:
        console.print(Text(f"no analysed article has the word {word}."))
        return
    console.print(Text(f"{word}: {total} articles; words in the same articles", style="bold"))
    table = Table("word", "articles", "score", box=None)
    for r in found:
        table.add_row(Text(r.word), str(r.articles), f"{r.score:.1f}")
    console.print(table)
