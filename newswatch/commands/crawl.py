"""`newswatch crawl`: crawl every source once, print what became of each, exit with a status
that says whether monitoring works."""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING, Any

import click

from newswatch.commands.common import (
    ConfigProblem,
    open_config,
    print_delivery,
)
from newswatch.config import Config
from newswatch.display import json_text
from newswatch.tables import PaddedColumn, print_padded, safe

if TYPE_CHECKING:
    from newswatch.crawl import CrawlResult


class CrawlRefused(click.ClickException):
    """Another crawl holds the archive and --no-wait was given: EX_TEMPFAIL, try again later."""

    exit_code = 75


class CrawlInterruptedExit(click.ClickException):
    """The crawl was stopped by a signal: the shell's convention, 128 + the signal's number."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum  # type: ignore[misc] # click declares it on the class


# Exit status of `newswatch crawl` (docs/scheduling-and-operations.md, "Exit status of `newswatch
# crawl`"): 0 every source that ran was read; 3 some sources could not be read (the others were:
# monitoring goes on, degraded); 1 nothing was read (no source could be read or run, the archive
# failed: nothing was monitored); 2 a configuration error; 75 another crawl holds the archive
# (--no-wait); 128 + N stopped by signal N.
PARTIAL_EXIT = 3


class PartialCrawl(click.ClickException):
    exit_code = PARTIAL_EXIT


@click.command()
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Log more: -v what became of each page, -vv Scrapy's own log too.",
)
@click.option(
    "--alert-backfill",
    is_flag=True,
    help="Alert the articles of the archive's first crawl too (normally a silent backfill).",
)
@click.option(
    "--source",
    "only",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source (repeat for several).",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="While another crawl runs on the archive: wait for it, or exit at once with status 75.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def crawl(
    ctx: click.Context,
    *,
    verbose: int,
    alert_backfill: bool,
    only: tuple[str, ...],
    wait: bool,
    fmt: str,
) -> None:
    """Crawl every configured source once and archive new relevant articles.

    Exit status: 0 every source was read, 3 some sources failed, 1 none could be read or the
    archive failed, 2 a configuration error, 75 busy (--no-wait), 130/143 stopped by a signal.

    Example: newswatch --config newswatch.toml crawl
    """
    from crawler.workers import start_fork_server

    config = open_config(ctx)
    names = [source.name for source in config.sources]
    if unknown := [name for name in dict.fromkeys(only) if name not in names]:
        raise _no_such_source(config, unknown)
    # First, so the workers' imports run on the other core while this process imports Scrapy.
    start_fork_server(config.crawl.extract_workers)
    from newswatch.crawl import (  # Scrapy is heavy; load it for crawls only
        ArchiveUnusableError,
        run_crawl,
    )
    from newswatch.locks import CrawlBusyError
    from scheduler import stop_with_parent

    stop_with_parent()  # a crawl the scheduler started ends with it, even after its kill -9
    level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
    try:
        result = run_crawl(
            config,
            log_level=level,
            progress=sys.stderr.isatty() and verbose == 0,
            alert_backfill=alert_backfill,
            only=only,
            wait=wait,
        )
    except CrawlBusyError as exc:
        raise CrawlRefused(f"{exc}; not crawling (run again later, or without --no-wait).") from exc
    except KeyError as exc:
        raise _no_such_source(config, [exc.args[0]]) from exc
    except ArchiveUnusableError as exc:
        raise click.ClickException(f"{exc}; nothing was fetched.") from exc
    except (OSError, sqlite3.Error) as exc:  # sqlite3: a full disk, an I/O error, not a database
        raise click.ClickException(f"cannot open the archive {config.archive_path}: {exc}") from exc
    run = result.run
    if fmt == "json":
        click.echo(json_text(_run_json(run, config) | {"words": _words_json(result)}, indent=2))
    else:
        _print_run(run, config)
    _say_words(result, verbose=verbose)
    if config.alerts and run.get("status") != "interrupted":
        from alerts import deliver

        print_delivery(deliver(config))
    status, detail = run.get("status"), run.get("detail") or ""
    if status == "interrupted":
        raise CrawlInterruptedExit(
            f"the crawl was stopped before it finished ({detail}); what it stored is kept.",
            result.signum or 2,
        )
    if status == "partial":
        raise PartialCrawl(f"{detail}; the others were read (see the lines above).")
    if status != "ok":
        raise click.ClickException(f"the crawl did not finish: {detail or 'failed'}")


def _say_words(result: CrawlResult, *, verbose: int) -> None:
    """A line on stderr when the words analysis after the crawl did not finish (or, with -v, what
    it did); stopped by a signal, the command stops too, before delivering alerts."""
    if result.words_problem:
        click.echo(
            f"words: the analysis of this crawl's articles {result.words_problem}; the articles"
            " are archived, and 'newswatch words --backfill' analyses the rest.",
            err=True,
        )
        if result.signum is not None:
            raise CrawlInterruptedExit(
                "stopped during the words analysis; what the crawl stored is kept.", result.signum
            )
    elif verbose and result.words is not None:
        click.echo(
            f"words: analysed {result.words.articles} articles in {result.words.seconds:.1f} s",
            err=True,
        )


def _words_json(result: CrawlResult) -> dict[str, Any]:
    """The words analysis after the crawl: how many articles, and why it did not finish."""
    done = result.words
    return {
        "analysed": done.articles if done else 0,
        "seconds": round(done.seconds, 3) if done else 0.0,
        "problem": result.words_problem,
    }


def _addresses(config: Config) -> dict[str, str]:
    return {s.name: s.address for s in config.sources}


def _run_json(run: dict[str, Any], config: Config) -> dict[str, Any]:
    """A crawl's summary for scripts: its status, and each source's outcome and counts."""
    from archive.runs import SOURCE_COUNTS

    address = _addresses(config)
    return {
        "run": run.get("id"),
        "archive": str(config.archive_path),
        "status": run.get("status"),
        "detail": run.get("detail") or "",
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "sources": [
            {
                "source": row["source"],
                "address": address.get(row["source"], ""),
                "status": row.get("status") or "ok",
                "reason": row.get("reason") or "",
            }
            | {name: row.get(name) or 0 for name in SOURCE_COUNTS}
            for row in run.get("sources", [])
        ],
    }


def _no_such_source(config: Config, unknown: list[str]) -> ConfigProblem:
    names = ", ".join(source.name for source in config.sources) or "none"
    return ConfigProblem(
        f"--source: no source named {', '.join(unknown)} in {config.path}; its sources are {names}."
    )


def _print_run(run: dict[str, Any], config: Config) -> None:
    from archive.runs import PAGE_COUNTS

    rows = run.get("sources", [])
    deferred = any(row.get("deferred") for row in rows)
    names = (*PAGE_COUNTS, "deferred") if deferred else PAGE_COUNTS
    columns = [
        PaddedColumn("source", whole=True),
        PaddedColumn("status"),
        *(PaddedColumn(name.replace("_", " "), numeric=True) for name in names),
    ]
    table = [
        [row["source"], row.get("status") or "ok", *(row.get(name) or 0 for name in names)]
        for row in rows
    ]
    print_padded(columns, table, title=f"crawl #{run.get('id', '?')} into {config.archive_path}")
    address = _addresses(config)
    for row in rows:  # one line for each source that was not read, with why
        if row.get("status") in {"failed", "off"}:
            click.echo(
                safe(
                    f"{row['status']}: {row['source']}  {address.get(row['source'], '')}"
                    f"  {row.get('reason') or ''}"
                ).rstrip()
            )
        if row.get("deferred"):
            click.echo(
                f"deferred: {row['source']}  {row['deferred']} page(s) left for the next crawl"
                " (a host's Crawl-delay; see -v)"
            )
