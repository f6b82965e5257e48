"""The archive's migrations, one module per step, registered here in their numbered order.

sqlite-utils' Migrations applies the steps an archive has not recorded (`_sqlite_migrations`, by
name) in the order they are registered. Each step is frozen: it never calls live code that may
change later (it carries a copy of what it needs, with a comment), so an archive upgraded today
gets what one upgraded the day the step shipped got. Add a step as a new module; never edit one
that has shipped. tests/test_migrations.py builds an archive at every step and upgrades it.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from archive.migrations.m001_initial import m001_initial
from archive.migrations.m002_stories_and_versions import m002_stories_and_versions
from archive.migrations.m003_alert_outbox import m003_alert_outbox
from archive.migrations.m004_discovery import m004_discovery
from archive.migrations.m005_scheduler import m005_scheduler
from archive.migrations.m006_query import m006_query
from archive.migrations.m007_search_index_in_batches import m007_search_index_in_batches
from archive.migrations.m008_feed_item_counts import m008_feed_item_counts
from archive.migrations.m009_watches import m009_watches
from archive.migrations.m010_words import m010_words
from archive.migrations.m011_source_outcomes import m011_source_outcomes
from archive.migrations.m012_claims_ignored import m012_claims_ignored

# Until this redesign m004 was registered after m006. Steps are recorded by name, and m004, m005
# and m006 touch different tables and columns, so an archive that ran them in that order and one
# that runs them in this one end with the same schema (tests/test_migrations.py checks both).
STEPS = (
    m001_initial,
    m002_stories_and_versions,
    m003_alert_outbox,
    m004_discovery,
    m005_scheduler,
    m006_query,
    m007_search_index_in_batches,
    m008_feed_item_counts,
    m009_watches,
    m010_words,
    m011_source_outcomes,
    m012_claims_ignored,
)

migrations = Migrations("newswatch")
for step in STEPS:
    migrations()(step)
