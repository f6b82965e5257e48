"""`newswatch stories`: stories with their outlets and article counts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from newswatch.commands.common import (
    WATCH_OPTION,
    open_config,
)
from newswatch.display import json_text, kst_time
from newswatch.tables import Column, print_table

if TYPE_CHECKING:
    pass


@click.command()
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
    from archive import Archive
    from archive.stories import list_stories

    if since is not None:
        try:
            date.fromisoformat(since)
        except ValueError as exc:
            raise click.ClickException(f"--since {since!r} is not a date like 2025-07-01.") from exc
    config = open_config(ctx)
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
