"""`newswatch alerts`: send a test message, deliver the outbox, show what was sent or failed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newswatch.commands.common import (
    ConfigProblem,
    open_config,
    print_delivery,
)
from newswatch.config import ConfigError
from newswatch.display import terminal_safe
from newswatch.tables import Column, print_table

if TYPE_CHECKING:
    pass


@click.group()
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

    config = open_config(ctx)
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
        click.echo(terminal_safe(f"{name}: {'sent' if error is None else 'FAILED: ' + error}"))
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

    config = open_config(ctx)
    if not config.alerts:
        raise ConfigProblem(f"{config.path}: no [[alerts]] channel configured.")
    print_delivery(deliver(config))


@alerts.command("status")
@click.pass_context
def alerts_status(ctx: click.Context) -> None:
    """Show pending, sent and failed messages per channel, and why the failed ones failed.

    Example: newswatch alerts status
    """
    from alerts.status import outbox_status

    config = open_config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    counts, failed = outbox_status(config)
    print_table(
        (
            Column("channel"),
            *(Column(name, "value", "right") for name in ("pending", "sent", "failed")),
        ),
        [(row["label"], *(row[c] or 0 for c in ("pending", "sent", "failed"))) for row in counts],
        title="alert outbox",
    )
    for row in failed:
        # The error is a server's answer and the key an article's address: untrusted text.
        click.echo(
            terminal_safe(
                f"failed: {row['channel_label']} {row['kind']} {row['story_key']} after"
                f" {row['attempts']} attempts: {row['last_error']}"
            )
        )
