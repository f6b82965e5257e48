"""Each source's outcome in each crawl, with its reason."""

from __future__ import annotations

from sqlite_utils import Database


def m011_source_outcomes(db: Database) -> None:
    """Each source's outcome in each crawl, with its reason: a dead feed is no longer a row of
    zeros. `status` is ok, failed (its own channel could not be read) or off (it cannot run as
    configured); `deferred` counts pages left for a later crawl (a host's Crawl-delay)."""
    runs = db.table("crawl_run_sources")
    runs.add_column("status", str)
    runs.add_column("reason", str)
    runs.add_column("deferred", int)
    # Rows of earlier crawls: what their counters already said, without a reason (not recorded).
    db.execute(
        "update crawl_run_sources set status = case when skipped then 'off'"
        " when feed_failed then 'failed' else 'ok' end"
    )
