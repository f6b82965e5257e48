"""Pages whose rel=canonical / og:url named another site's address, per source."""

from __future__ import annotations

from sqlite_utils import Database


def m012_claims_ignored(db: Database) -> None:
    # Pages whose rel=canonical / og:url named another site's address, per source (issue 19).
    db.table("crawl_run_sources").add_column("claim_ignored", int)
