"""`newswatch schedule`: the scheduler in the foreground (scheduler.py does the work)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from newswatch.commands.common import (
    open_config,
)

if TYPE_CHECKING:
    pass


@click.command()
@click.pass_context
def schedule(ctx: click.Context) -> None:
    """Run crawls and alert delivery on their schedules, in the foreground, until Ctrl-C or SIGTERM.

    Example: newswatch --config /etc/newswatch.toml schedule
    """
    import scheduler

    config = open_config(ctx)
    try:
        status = scheduler.run(config)
    except OSError as exc:
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    sys.exit(status)
