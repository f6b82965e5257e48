"""`newswatch rematch`: match the archived articles against the current watches again."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswatch.commands.common import open_archive, open_config

if TYPE_CHECKING:
    from crawler.watch import Watches
    from newswatch.config import Config


def watches_of(config: Config) -> Watches:
    """The config's watches as the matcher compiles them."""
    from crawler.watch import Watches  # the matcher compiles its patterns; not for --help

    return Watches.of(w.settings() for w in config.watches)


@click.command("rematch")
@click.option(
    "--watch",
    "only",
    multiple=True,
    metavar="NAME",
    help="Re-evaluate only this watch (repeatable; default: every watch).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def rematch_command(ctx: click.Context, only: tuple[str, ...], fmt: str) -> None:
    """Match the archived articles against the current watches again, from their stored text.

    Fetches nothing. Articles that match no watch any more are kept and marked (unmatched_at).

    Example: newswatch rematch --watch "Naver HyperCLOVA X"
    """
    from archive.watches import rematch  # the archive loads numpy; not for --help

    config = open_config(ctx)
    names = [w.name for w in config.watches]
    unknown = [name for name in only if name not in names]
    if unknown:
        raise click.ClickException(
            f"--watch {unknown[0]!r} is no watch in {config.path} (watches: {', '.join(names)})."
        )
    with open_archive(config) as archive:
        result = rematch(archive.db, watches_of(config), only=only)
    report = result.to_dict(list(only) or names)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"rematched {result.articles} articles", title_justify="left")
    for column in ("watch", "gained", "lost"):
        table.add_column(column, justify="left" if column == "watch" else "right")
    for row in report["watches"]:
        table.add_row(Text(row["watch"]), str(row["gained"]), str(row["lost"]))
    console = Console()
    console.print(table)
    console.print(
        f"{result.unmatched} article(s) match no watch (kept, marked unmatched):"
        f" {result.newly_unmatched} newly, {result.rematched} matched again."
    )
