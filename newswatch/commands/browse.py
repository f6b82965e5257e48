"""Whole-archive views for people: `report` (one HTML page) and `serve` (Datasette)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newswatch.commands.common import (
    WATCH_OPTION,
    filters_of,
    open_archive,
    open_config,
)

if TYPE_CHECKING:
    pass


@click.command()
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

    config = open_config(ctx)
    chosen = filters_of(None, None, (), (), None, watches=watches)
    with open_archive(config) as archive:
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


@click.command()
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

    config = open_config(ctx)
    with open_archive(
        config
    ) as archive:  # exists, opens, is migrated, and its search index is full
        archive.index_search()
    run_datasette(config.archive_path, host=host, port=port)
