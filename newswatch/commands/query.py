"""Reading the archive: `search`, `show`, `export` and `stats`."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswatch.commands.common import (
    WATCH_OPTION,
    filter_options,
    filters_of,
    open_archive,
    open_config,
    utf8_stdout,
)
from newswatch.config import Config
from newswatch.display import console, json_text, kst_time, on_terminal
from newswatch.display import safe_text as _text
from newswatch.formats import write_atom, write_csv, write_json, write_jsonl
from newswatch.tables import Column, print_table

if TYPE_CHECKING:
    from sqlite_utils import Database

    from archive import Archive
    from archive.query_language import Filters


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


@click.command()
@click.argument("query", required=False, default="")
@filter_options
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
    config = open_config(ctx)
    with open_archive(config) as archive:
        analyse = _query_words(config, archive) if sort == "relevance" else None
        try:
            rows = run_search(
                archive.db, parsed, filters_of(**filters), limit=limit, sort=sort, analyse=analyse
            )
        except QueryError as exc:
            raise click.ClickException(str(exc)) from exc
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "table":
        _print_results(rows, parsed.pattern())
        return
    utf8_stdout()  # files for other programs: UTF-8 whatever the locale says
    if fmt == "json":
        write_json(rows, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(rows, sys.stdout)
    else:
        write_csv(rows, sys.stdout, SEARCH_COLUMNS)


def _query_words(config: Config, archive: Archive) -> Callable[[str], Iterable[str]]:
    """A query's words, analysed as `newswatch words` analysed the archive's articles, for
    --sort relevance (bm25 over those words: archive/word_ranking.py)."""
    from newswatch.words import analyser_for  # loads mecab-ko's dictionary: not for --help

    analyser = analyser_for(config, archive)
    return lambda text: analyser.words(text, "")


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


@click.command()
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

    with open_archive(open_config(ctx)) as archive:
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


@click.command()
@click.option("--format", "fmt", type=click.Choice(["atom", "jsonl", "csv"]), required=True)
@click.option(
    "--query", default="", help="Only articles matching this search (same syntax as search)."
)
@filter_options
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

    config = open_config(ctx)
    parsed = parse_query(query)
    chosen = filters_of(**filters)
    with open_archive(config) as archive:
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


@click.command()
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

    if by == "watch":
        with open_archive(open_config(ctx)) as archive:
            print_by_watch(archive.db, filters_of(**filters, story=None), fmt)
        return
    with open_archive(open_config(ctx)) as archive:
        found = archive_stats(archive.db, filters_of(**filters, story=None))
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


def print_by_watch(db: Database, filters: Filters, fmt: str) -> None:
    """`stats --by watch`: articles per watch per week, as a table or JSON."""
    from archive.watches import by_watch  # the archive loads numpy; not for --help

    rows = by_watch(db, filters)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    watches = sorted({r["watch"] for r in rows})
    counts = {(r["week"], r["watch"]): r["articles"] for r in rows}
    table = Table(title="articles per watch by week (Monday, KST)", title_justify="left")
    table.add_column("week")
    for name in watches:
        table.add_column(Text(name), justify="right")
    for week in sorted({r["week"] for r in rows}):
        table.add_row(week, *(str(counts.get((week, name), 0)) for name in watches))
    Console().print(table)
    if not rows:
        click.echo("no articles match.", err=True)
