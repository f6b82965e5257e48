"""What the scheduler knows about a crawl it started: exit code, duration, trigger, sources."""

from __future__ import annotations

from sqlite_utils import Database


def m005_scheduler(db: Database) -> None:
    # What only the scheduler knows about a crawl it started: how its process ended and how long it
    # took, which job started it and for which sources (archive/runs.py writes these).
    db.table("crawl_runs").add_column("exit_code", int)
    db.table("crawl_runs").add_column("duration_s", float)
    db.table("crawl_runs").add_column("trigger", str)  # the scheduler's job id; null if by hand
    db.table("crawl_runs").add_column("source_filter", str)  # "a,b" when only some sources ran
    db.table("crawl_runs").create_index(["status"])
