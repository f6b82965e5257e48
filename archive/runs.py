"""Crawl runs as the scheduler sees them: how each crawl process ended, stale runs, recent runs.

The crawl process writes its own crawl_runs row (pipelines/run_recorder.py); these functions
add what only its parent knows (exit status, duration, the job that started it) and close rows that
a crashed, hung or killed crawl left as 'running'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from crawler.clock import now_kst

# Counters kept per crawl run and per source (crawl_runs / crawl_run_sources columns).
RUN_COUNTS = (
    "discovered",
    "fetched",
    "stored",
    "duplicates",
    "irrelevant",
    "not_article",
    "refused",
    "errors",
)
# What happened to a source's pages: the columns of the crawl summary.
PAGE_COUNTS = (
    "discovered",
    "known",
    "fetched",
    "new",
    "duplicates",
    "irrelevant",
    "not_article",
    "refused",
    "failed",
)
SOURCE_COUNTS = (
    *PAGE_COUNTS,
    "feed_failed",  # the source's own request (feed, sitemap, API) failed
    "not_modified",  # the feed answered 304: unchanged since the last crawl
    "unresolved",  # Google News leads kept without an outlet URL
    "skipped",  # the source could not run (e.g. no API credentials)
    "ignored_items",  # feed items without an http(s) link (none, javascript:, mailto:)
    "beyond_max_items",  # feed items past the source's max_items, not read
    "deferred",  # pages left for a later crawl: their host's Crawl-delay would hold this one up
    "claim_ignored",  # pages that named another site's address as theirs (crawler/claims.py)
)


def last_run_id(db: Database) -> int:
    """The newest crawl_runs id (0 when there is none): runs after it started later."""
    row = db.execute("select coalesce(max(id), 0) from crawl_runs").fetchone()
    return int(row[0])


def record_exit(
    db: Database,
    *,
    after_id: int,
    pid: int,
    started_at: str,
    exit_code: int,
    duration_s: float,
    trigger: str,
    sources: Iterable[str] = (),
    failure: str = "",
) -> dict[str, Any]:
    """Record how the crawl process `pid`, started after run `after_id`, ended; return its row.

    A row the process left 'running' (it crashed, hung or was killed) becomes 'failed' with
    `failure` or the exit status as the reason; a process that died before writing a row gets one.
    """
    source_filter = ",".join(sources) or None
    with db.atomic():
        row = db.execute(
            "select id, status from crawl_runs where id > ? and pid = ? order by id limit 1",
            [after_id, pid],
        ).fetchone()
        reason = failure or describe_exit(exit_code)
        if row is None:
            cursor = db.execute(
                "insert into crawl_runs (started_at, finished_at, status, pid, exit_code,"
                " duration_s, trigger, source_filter, detail)"
                " values (?, ?, 'failed', ?, ?, ?, ?, ?, ?)",
                [
                    started_at,
                    now_kst(),
                    pid,
                    exit_code,
                    duration_s,
                    trigger,
                    source_filter,
                    f"{reason} before it recorded a run",
                ],
            )
            run_id = int(cursor.lastrowid or 0)
        else:
            run_id, status = int(row[0]), row[1]
            if status == "running":  # a row the process finished keeps its own status and detail
                db.execute(
                    "update crawl_runs set status = 'failed', finished_at = ?, detail = ?"
                    " where id = ?",
                    [now_kst(), reason, run_id],
                )
            db.execute(
                "update crawl_runs set exit_code = ?, duration_s = ?, trigger = ?,"
                " source_filter = ? where id = ?",
                [exit_code, duration_s, trigger, source_filter, run_id],
            )
    return next(db.query("select * from crawl_runs where id = ?", [run_id]))


def describe_exit(exit_code: int) -> str:
    """A process's end in words: "exited with status 1", "killed by signal 9"."""
    if exit_code < 0:
        return f"killed by signal {-exit_code}"
    return f"exited with status {exit_code}"


def fail_stale_runs(db: Database, alive: Callable[[int], bool]) -> list[int]:
    """Record 'running' rows whose process is gone as interrupted; return their ids."""
    stale = [
        (int(run_id), pid)
        for run_id, pid in db.execute("select id, pid from crawl_runs where status = 'running'")
        if pid is None or not alive(int(pid))
    ]
    with db.atomic():
        for run_id, pid in stale:
            db.execute(
                "update crawl_runs set status = 'interrupted', finished_at = ?, detail = ?"
                " where id = ? and status = 'running'",
                [now_kst(), f"process {pid} was gone when the scheduler started", run_id],
            )
    return [run_id for run_id, _ in stale]


def interrupt_abandoned(db: Database) -> list[int]:
    """Record 'running' rows as interrupted: call it only when no crawl holds the crawl lock.

    A crawl that was killed outright (kill -9, power loss) never wrote its end. The crawl lock is
    released by the kernel when its holder dies, so a free lock means no such row is still live.
    """
    ids = [int(row[0]) for row in db.execute("select id from crawl_runs where status = 'running'")]
    if ids:
        with db.atomic():
            db.execute(
                "update crawl_runs set status = 'interrupted', finished_at = coalesce(finished_at,"
                " ?), detail = ? where status = 'running'",
                [
                    now_kst(),
                    "its process ended without recording the crawl's end (killed, the"
                    " machine stopped, or the archive refused the write)",
                ],
            )
    return ids


def recent_runs(db: Database, *, limit: int = 20) -> list[dict[str, Any]]:
    """The newest `limit` crawl runs, newest first, with their per-source rows under "sources"."""
    runs = list(db.query("select * from crawl_runs order by id desc limit ?", [limit]))
    for run in runs:
        run["sources"] = list(
            db.query(
                "select * from crawl_run_sources where run_id = ? order by source", [run["id"]]
            )
        )
    return runs
