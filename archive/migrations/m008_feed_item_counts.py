"""Feed items a crawl passed over, per source."""

from __future__ import annotations

from sqlite_utils import Database


def m008_feed_item_counts(db: Database) -> None:
    # Feed items a crawl passed over, per source: without a usable link, or past max_items.
    runs = db.table("crawl_run_sources")
    for column in ("ignored_items", "beyond_max_items"):
        runs.add_column(column, int)
