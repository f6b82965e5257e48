"""Commands about the archive's own record: `sources` (health per source) and `runs`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from newswatch.commands.common import (
    open_config,
)
from newswatch.display import (
    json_text,
)
from newswatch.tables import PaddedColumn, kst, print_padded, safe

if TYPE_CHECKING:
    pass


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def sources(ctx: click.Context, fmt: str) -> None:
    """List the configured sources with their last crawl, last new article and health.

    Example: newswatch sources
    """
    from archive import Archive
    from archive.health import source_health

    config = open_config(ctx)
    health = {}
    if config.archive_path.exists():
        with Archive(config.archive_path) as archive:
            health = {h.name: h for h in source_health(archive, [s.name for s in config.sources])}
    listed: list[dict[str, Any]] = []
    for source in config.sources:
        h = health.get(source.name)
        listed.append(
            {
                "source": source.name,
                "type": source.type,
                "address": source.address,
                "runs": h.runs if h else 0,
                "last_crawl": h.last_run_at if h else None,
                "last_success": h.last_success_at if h else None,
                "last_new": h.last_new_at if h else None,
                "health": _health(h),
                "warning": h.warning if h else None,
            }
        )
    attention = sum(1 for row in listed if not row["health"].startswith(("ok", "never", "off")))
    off = sum(1 for row in listed if row["health"].startswith("off"))
    if fmt == "json":
        click.echo(json_text(listed, indent=2))
    else:
        columns = [
            PaddedColumn("source", whole=True),
            PaddedColumn("type"),
            PaddedColumn("address", whole=True),
            PaddedColumn("runs", numeric=True),
            PaddedColumn("last crawl"),
            PaddedColumn("last success"),
            PaddedColumn("last new"),
            PaddedColumn("health", whole=True),
        ]
        rows = [
            [
                row["source"],
                row["type"],
                row["address"],
                row["runs"],
                kst(row["last_crawl"]),
                kst(row["last_success"]),
                kst(row["last_new"]),
                row["health"],
            ]
            for row in listed
        ]
        print_padded(columns, rows, title=f"{len(listed)} sources in {config.path} (times KST)")
    if attention or off:
        said = [f"{attention} source(s) need attention"] if attention else []
        said += [f"{off} source(s) off (see health)"] if off else []
        click.echo("; ".join(said) + ".", err=True)


def _health(h: Any) -> str:
    """A source's health in words: ok; failed at its last crawl, and since when; off; a warning."""

    if h is None or not h.runs:
        return "never crawled"
    if h.warning:
        return f"WARNING: {h.warning}" + (f": {h.last_reason}" if h.last_reason else "")
    if h.last_status == "failed":
        return f"failed at its last crawl, since {kst(h.failing_since)}: {h.last_reason}"
    if h.last_status == "off":
        return f"off: {h.last_reason}"
    return "ok"


@click.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def runs(ctx: click.Context, limit: int, fmt: str) -> None:
    """Show the most recent crawl runs, one line per source: start, duration, status, counts.

    Example: newswatch runs --limit 5
    """
    from archive import Archive
    from archive.runs import interrupt_abandoned, recent_runs
    from newswatch.locks import crawl_running

    config = open_config(ctx)
    if not config.archive_path.exists():
        raise click.ClickException(
            f"no archive at {config.archive_path} yet; run 'newswatch crawl' first."
        )
    with Archive(config.archive_path) as archive:
        if not crawl_running(config.archive_path):  # rows a killed crawl left 'running'
            interrupt_abandoned(archive.db)
        rows = recent_runs(archive.db, limit=limit)
    if fmt == "json":
        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        click.echo("no crawl runs yet.")
        return
    counts = {  # column heading: crawl_run_sources column
        "found": "discovered",
        "fetched": "fetched",
        "new": "new",
        "dup": "duplicates",
        "irrel": "irrelevant",
        "refused": "refused",
        "failed": "failed",
    }
    columns = [
        PaddedColumn("run", numeric=True),
        PaddedColumn("started"),
        PaddedColumn("took", numeric=True),
        PaddedColumn("run status"),
        PaddedColumn("source", whole=True),
        PaddedColumn("status"),
        *(PaddedColumn(heading, numeric=True) for heading in counts),
        PaddedColumn("reason", whole=True),
    ]
    table = []
    for run in rows:
        duration = "-" if run.get("duration_s") is None else f"{run['duration_s']:.1f}s"
        head = [run["id"], kst(run["started_at"]), duration, run["status"]]
        per_source = run["sources"] or [{"source": run.get("source_filter") or "(all)"}]
        for row in per_source:
            table.append(
                [
                    *head,
                    row["source"],
                    row.get("status") or "",
                    *(row.get(name) or 0 for name in counts.values()),
                    row.get("reason") or "",
                ]
            )
    print_padded(columns, table, title=f"crawl runs in {config.archive_path}")
    for run in rows:
        if run.get("detail"):
            # Details and source names come from files and pages: filtered for the terminal.
            click.echo(safe(f"run {run['id']} {run['status']}: {run['detail']}"))
