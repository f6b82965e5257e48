"""The `newswatch` command: the group, its one error handler, and the commands it gathers.

Each command group is a module in newswatch/commands/ (thin click commands over the library);
this module only puts them together under `newswatch`, the console script's entry point.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import click

from newswatch.commands.alerts import alerts
from newswatch.commands.archive import runs, sources
from newswatch.commands.browse import report, serve
from newswatch.commands.crawl import crawl
from newswatch.commands.extraction import evaluate, extract
from newswatch.commands.query import export, search, show, stats
from newswatch.commands.schedule import schedule
from newswatch.commands.stories import stories
from newswatch.commands.watches import rematch_command
from newswatch.commands.words import trends as trends_command
from newswatch.commands.words import words as words_command


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


COMMANDS = (
    crawl,
    extract,
    sources,
    evaluate,
    search,
    show,
    export,
    stats,
    report,
    serve,
    alerts,
    stories,
    schedule,
    runs,
    rematch_command,  # watches (newswatch/commands/watches.py)
    words_command,  # Korean words, story labels and trends (newswatch/commands/words.py)
    trends_command,
)
for _command in COMMANDS:
    cli.add_command(_command)


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
