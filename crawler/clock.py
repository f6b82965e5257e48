"""Korea Standard Time, the zone of every timestamp newswatch stores.

A module of its own so that code the extraction workers run (feeds, dates) can name the zone
without importing the archive (SQLite) or the date parser.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")  # Korea has no daylight saving time


def now_kst() -> str:
    return datetime.now(KST).isoformat(timespec="seconds")
